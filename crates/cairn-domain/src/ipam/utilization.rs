//! How full a prefix, IP range or aggregate is, as NetBox reports it. Everything is
//! counted in the database (distinct host addresses, merged child spans), so a /8 holding
//! tens of thousands of addresses costs a few indexed queries, not a walk over its rows.

use cairn_schema::ObjectType;
use cairn_store::ipkey::IpNet;
use cairn_store::read::IpEnd;
use cairn_store::{blocks, read, Conn, Filter, IpRel, Record, Result, Schema, Value};

use crate::fields::{get, int, text};

/// Addresses in use out of the addresses there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used: u128,
    pub size: u128,
}

impl Usage {
    /// The share in use, in percent, never above 100 (duplicates and network addresses
    /// can count past the usable size, as in NetBox).
    pub fn percent(&self) -> f64 {
        if self.size == 0 {
            return 0.0;
        }
        (self.used as f64 / self.size as f64 * 100.0).min(100.0)
    }

    fn full(size: u128) -> Usage {
        Usage { used: size, size }
    }
}

/// Addresses in a network (at most 2^127, since /0 is refused).
fn net_size(net: &IpNet) -> u128 {
    net.broadcast() - net.network() + 1
}

fn vrf_filter(vrf: &Value) -> Filter {
    match vrf.as_i64() {
        Some(v) => Filter::eq("vrf_id", v),
        None => Filter::IsNull("vrf_id".into()),
    }
}

/// Sorted spans merged where they overlap or touch.
fn merge(mut spans: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    spans.sort_unstable();
    let mut out: Vec<(u128, u128)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn covered(spans: &[(u128, u128)]) -> u128 {
    spans.iter().map(|(a, b)| b - a + 1).sum()
}

/// The spans from the `first` to the `last` address over matching rows, merged.
fn spans(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    first: (&str, IpEnd),
    last: (&str, IpEnd),
    f: &Filter,
) -> Result<Vec<(u128, u128)>> {
    let rows = read::ip_numbers(conn, s, t, &[first, last], f, i64::MAX)?;
    Ok(merge(
        rows.iter()
            .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
            .collect(),
    ))
}

/// Distinct host addresses of `vrf` in [a, b] outside `except` (merged, inside [a, b]),
/// from the per-block counts.
fn distinct_hosts(
    conn: &mut Conn,
    s: &Schema,
    vrf: &Value,
    family: i64,
    (a, b): (u128, u128),
    except: &[(u128, u128)],
) -> Result<u128> {
    let Some(at) = s.reg.get("ipam.ipaddress") else {
        return Ok(0);
    };
    let sp = blocks::Space {
        t: at,
        field: "address",
        scope: blocks::Scope::Vrf(vrf.as_i64()),
        family,
    };
    let mut n = blocks::used(conn, &sp, a, b)?;
    for &(x, y) in except {
        n = n.saturating_sub(blocks::used(conn, &sp, x, y)?);
    }
    Ok(n)
}

/// A prefix: containers by the space their child prefixes take; others by distinct child
/// addresses plus ranges marked utilized, out of the usable addresses.
pub fn of_prefix(conn: &mut Conn, s: &Schema, t: &ObjectType, rec: &Record) -> Result<Usage> {
    let Some(net) = IpNet::parse(text(t, rec, "prefix")) else {
        return Ok(Usage { used: 0, size: 0 });
    };
    let vrf = get(t, rec, "vrf");
    if get(t, rec, "mark_utilized").as_bool() == Some(true) {
        return Ok(Usage::full(net_size(&net)));
    }
    if text(t, rec, "status") == "container" {
        // The outermost children (one level down) cover all the space the others do.
        let depth = int(t, rec, "_depth").unwrap_or(0);
        let f = Filter::and(vec![
            vrf_filter(vrf),
            Filter::eq("_depth", depth + 1),
            Filter::Ip {
                field: "prefix".into(),
                rel: IpRel::Within,
                net,
            },
        ]);
        let used = covered(&spans(
            conn,
            s,
            t,
            ("prefix", IpEnd::Start),
            ("prefix", IpEnd::End),
            &f,
        )?);
        return Ok(Usage {
            used,
            size: net_size(&net),
        });
    }
    let pool = get(t, rec, "is_pool").as_bool() == Some(true);
    let mut size = net_size(&net);
    if net.family() == 4 && net.len < 31 && !pool {
        size -= 2;
    }
    let bounds = (net.network(), net.broadcast());
    let utilized = match s.reg.get("ipam.iprange") {
        Some(rt) => {
            let f = Filter::and(vec![
                vrf_filter(vrf),
                Filter::eq("mark_utilized", true),
                Filter::ip_between("start_address", net.family(), bounds.0, bounds.1),
                Filter::ip_between("end_address", net.family(), bounds.0, bounds.1),
            ]);
            spans(
                conn,
                s,
                rt,
                ("start_address", IpEnd::Start),
                ("end_address", IpEnd::Start),
                &f,
            )?
        }
        None => Vec::new(),
    };
    let in_ranges = covered(&utilized);
    if in_ranges >= size {
        return Ok(Usage::full(size));
    }
    let hosts = distinct_hosts(conn, s, vrf, net.family(), bounds, &utilized)?;
    Ok(Usage {
        used: in_ranges + hosts,
        size,
    })
}

/// An IP range: distinct addresses of its VRF between its ends.
pub fn of_range(conn: &mut Conn, s: &Schema, t: &ObjectType, rec: &Record) -> Result<Usage> {
    let (Some(start), Some(end)) = (
        IpNet::parse(text(t, rec, "start_address")),
        IpNet::parse(text(t, rec, "end_address")),
    ) else {
        return Ok(Usage { used: 0, size: 0 });
    };
    let size = end.bits().saturating_sub(start.bits()) + 1;
    if get(t, rec, "mark_utilized").as_bool() == Some(true) {
        return Ok(Usage::full(size));
    }
    let vrf = get(t, rec, "vrf");
    let used = distinct_hosts(
        conn,
        s,
        vrf,
        start.family(),
        (start.bits(), end.bits()),
        &[],
    )?;
    Ok(Usage { used, size })
}

/// An aggregate: the space its prefixes (of any VRF, itself included) take.
pub fn of_aggregate(conn: &mut Conn, s: &Schema, t: &ObjectType, rec: &Record) -> Result<Usage> {
    let Some(net) = IpNet::parse(text(t, rec, "prefix")) else {
        return Ok(Usage { used: 0, size: 0 });
    };
    let size = net_size(&net);
    let Some(pt) = s.reg.get("ipam.prefix") else {
        return Ok(Usage { used: 0, size });
    };
    let f = Filter::Ip {
        field: "prefix".into(),
        rel: IpRel::WithinOrEqual,
        net,
    };
    let used = covered(&spans(
        conn,
        s,
        pt,
        ("prefix", IpEnd::Start),
        ("prefix", IpEnd::End),
        &f,
    )?);
    Ok(Usage { used, size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_where_they_overlap_or_touch() {
        assert_eq!(
            merge(vec![(10, 20), (0, 3), (4, 5), (15, 30), (40, 40)]),
            [(0, 5), (10, 30), (40, 40)]
        );
        assert_eq!(covered(&merge(vec![(0, 255), (0, 127), (128, 255)])), 256);
    }

    #[test]
    fn percent_is_capped_and_safe_on_empty() {
        assert_eq!(Usage { used: 1, size: 4 }.percent(), 25.0);
        assert_eq!(
            Usage {
                used: 256,
                size: 254
            }
            .percent(),
            100.0
        );
        assert_eq!(Usage { used: 0, size: 0 }.percent(), 0.0);
    }
}
