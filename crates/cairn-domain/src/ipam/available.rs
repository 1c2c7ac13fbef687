//! What is still free inside a prefix or IP range: addresses (first ones only, paging
//! through the used ones in order) and prefix-aligned blocks.

use cairn_schema::ObjectType;
use cairn_store::ipkey::IpNet;
use cairn_store::read::IpEnd;
use cairn_store::{blocks, read, Conn, Filter, IpRel, Record, Result, Schema, Value};

use crate::fields::{get, text};

/// A parent to allocate from.
pub struct Parent {
    pub net: IpNet,
    /// First and last allocatable address numbers.
    pub first: u128,
    pub last: u128,
    pub vrf: Value,
    /// A global container sees children of every VRF.
    pub all_vrfs: bool,
}

impl Parent {
    pub fn of_prefix(t: &ObjectType, rec: &Record) -> Option<Parent> {
        let net = IpNet::parse(text(t, rec, "prefix"))?;
        let vrf = get(t, rec, "vrf").clone();
        let pool = get(t, rec, "is_pool").as_bool().unwrap_or(false);
        let whole =
            pool || (net.family() == 4 && net.len >= 31) || (net.family() == 6 && net.len >= 127);
        let (mut first, mut last) = (net.network(), net.broadcast());
        if !whole {
            // IPv4 loses network and broadcast; IPv6 its subnet-router anycast address.
            first += 1;
            if net.family() == 4 {
                last -= 1;
            }
        }
        Some(Parent {
            all_vrfs: vrf.is_null() && text(t, rec, "status") == "container",
            net,
            first,
            last,
            vrf,
        })
    }

    pub fn of_range(t: &ObjectType, rec: &Record) -> Option<Parent> {
        let start = IpNet::parse(text(t, rec, "start_address"))?;
        let end = IpNet::parse(text(t, rec, "end_address"))?;
        let populated = get(t, rec, "mark_populated").as_bool().unwrap_or(false);
        Some(Parent {
            net: start,
            first: start.bits(),
            // A populated range has nothing left to give.
            last: if populated { 0 } else { end.bits() },
            vrf: get(t, rec, "vrf").clone(),
            all_vrfs: false,
        })
    }

    /// The address space children are counted in.
    pub fn space<'a>(&self, at: &'a ObjectType) -> blocks::Space<'a> {
        blocks::Space {
            t: at,
            field: "address",
            scope: if self.all_vrfs {
                blocks::Scope::All
            } else {
                blocks::Scope::Vrf(self.vrf.as_i64())
            },
            family: self.net.family(),
        }
    }

    fn vrf_filter(&self) -> Filter {
        match (&self.vrf, self.all_vrfs) {
            (_, true) => Filter::True,
            (Value::Int(v), _) => Filter::eq("vrf_id", *v),
            _ => Filter::IsNull("vrf_id".into()),
        }
    }

    /// The whole span, as a network to filter children with.
    fn span(&self) -> IpNet {
        self.net
    }
}

/// Used intervals inside `p` from IP ranges marked populated.
fn populated_ranges(conn: &mut Conn, s: &Schema, p: &Parent) -> Result<Vec<(u128, u128)>> {
    let Some(rt) = s.reg.get("ipam.iprange") else {
        return Ok(Vec::new());
    };
    if rt.field("mark_populated").is_none() {
        return Ok(Vec::new());
    }
    let mut q = read::Query::all();
    q.filter = Filter::and(vec![
        p.vrf_filter(),
        Filter::eq("mark_populated", true),
        Filter::Ip {
            field: "start_address".into(),
            rel: IpRel::HostWithin,
            net: p.span(),
        },
    ]);
    Ok(read::select(conn, s, rt, &q)?
        .iter()
        .filter_map(|r| {
            let a = IpNet::parse(text(rt, r, "start_address"))?.bits();
            let b = IpNet::parse(text(rt, r, "end_address"))?.bits();
            Some((a, b))
        })
        .collect())
}

/// The first `limit` free addresses of `p`, ascending.
pub fn free_ips(conn: &mut Conn, s: &Schema, p: &Parent, limit: usize) -> Result<Vec<u128>> {
    let Some(at) = s.reg.get("ipam.ipaddress") else {
        return Ok(Vec::new());
    };
    let ranges = populated_ranges(conn, s, p)?;
    let in_range = |n: u128| {
        ranges
            .iter()
            .find(|(a, b)| n >= *a && n <= *b)
            .map(|(_, b)| *b)
    };
    let mut out = Vec::new();
    if p.first > p.last {
        return Ok(out);
    }
    // Skip the fully used stretch at the start with the per-block counts (a few hundred
    // summary rows at most, however many addresses), then page through the used
    // addresses from there.
    let mut cursor = blocks::first_free(conn, &p.space(at), p.first, p.last)?
        .unwrap_or(p.last.saturating_add(1));
    const PAGE: i64 = 1000;
    'pages: loop {
        // One lower bound only: given two, SQLite may seek by the span's start and
        // scan every used address before the cursor.
        let filter = Filter::and(vec![
            p.vrf_filter(),
            Filter::ip_between("address", p.net.family(), cursor, p.span().broadcast()),
        ]);
        let used = read::ip_numbers(conn, s, at, &[("address", IpEnd::Start)], &filter, PAGE)?;
        let page_len = used.len();
        for u in used.iter().filter_map(|r| r.first().copied()) {
            while cursor < u && cursor <= p.last && out.len() < limit {
                match in_range(cursor) {
                    Some(end) => cursor = end + 1,
                    None => {
                        out.push(cursor);
                        cursor += 1;
                    }
                }
            }
            if out.len() >= limit || cursor > p.last {
                break 'pages;
            }
            if u >= cursor {
                cursor = u + 1;
            }
        }
        if (page_len as i64) < PAGE {
            break;
        }
    }
    while out.len() < limit && cursor <= p.last && cursor >= p.first {
        match in_range(cursor) {
            Some(end) => cursor = end + 1,
            None => {
                out.push(cursor);
                cursor += 1;
            }
        }
    }
    Ok(out)
}

/// Free space of a prefix as the largest aligned blocks, in address order.
pub fn free_blocks(conn: &mut Conn, s: &Schema, p: &Parent) -> Result<Vec<IpNet>> {
    let Some(pt) = s.reg.get("ipam.prefix") else {
        return Ok(Vec::new());
    };
    let mut q = read::Query::all();
    q.filter = Filter::and(vec![
        p.vrf_filter(),
        Filter::Ip {
            field: "prefix".into(),
            rel: IpRel::Within,
            net: p.net,
        },
    ]);
    let mut children: Vec<(u128, u128)> = read::select(conn, s, pt, &q)?
        .iter()
        .filter_map(|r| IpNet::parse(text(pt, r, "prefix")))
        .map(|n| (n.network(), n.broadcast()))
        .collect();
    children.sort_unstable();
    let mut gaps = Vec::new();
    let mut cursor = p.net.network();
    let end = p.net.broadcast();
    for (a, b) in children {
        if a > cursor {
            gaps.push((cursor, a - 1));
        }
        if b >= cursor {
            cursor = b.saturating_add(1);
        }
        if b == u128::MAX {
            cursor = end;
            break;
        }
    }
    if cursor <= end && !(cursor == end && gaps.last().is_some_and(|g| g.1 == end)) {
        gaps.push((cursor, end));
    }
    Ok(gaps
        .into_iter()
        .flat_map(|(a, b)| blocks(a, b, &p.net))
        .collect())
}

/// Splits [a, b] into maximal aligned CIDR blocks of `like`'s family.
fn blocks(mut a: u128, b: u128, like: &IpNet) -> Vec<IpNet> {
    let max = like.max_len() as u32;
    let mut out = Vec::new();
    while a <= b {
        // The largest block aligned at `a` that fits before `b`.
        let align = if a == 0 {
            max
        } else {
            a.trailing_zeros().min(max)
        };
        let mut size_bits = align;
        while size_bits > 0 {
            let span = if size_bits >= 128 {
                u128::MAX
            } else {
                (1u128 << size_bits) - 1
            };
            if a.checked_add(span).is_some_and(|e| e <= b) {
                break;
            }
            size_bits -= 1;
        }
        let len = (max - size_bits) as u8;
        if let Some(n) = IpNet::parse(&format!("{}/{len}", addr_text(a, like))) {
            out.push(n);
        }
        let span = if size_bits >= 128 {
            u128::MAX
        } else {
            1u128 << size_bits
        };
        match a.checked_add(span) {
            Some(next) => a = next,
            None => break,
        }
    }
    out
}

pub fn addr_text(n: u128, like: &IpNet) -> String {
    match like.family() {
        4 => std::net::Ipv4Addr::from(n as u32).to_string(),
        _ => std::net::Ipv6Addr::from(n).to_string(),
    }
}

/// Takes a prefix of `len` from the first free block that can hold it (NetBox's next
/// available prefix), leaving the rest of that block in `free`.
pub fn take_prefix(free: &mut Vec<IpNet>, len: u8) -> Option<IpNet> {
    let i = free.iter().position(|b| b.len <= len)?;
    let block = free.remove(i);
    let net = IpNet::parse(&format!("{}/{len}", addr_text(block.network(), &block)))?;
    let rest = net
        .broadcast()
        .checked_add(1)
        .filter(|r| *r <= block.broadcast());
    if let Some(rest) = rest {
        for (k, b) in blocks(rest, block.broadcast(), &block)
            .into_iter()
            .enumerate()
        {
            free.insert(i + k, b);
        }
    }
    Some(net)
}

/// The first `limit` numbers of the inclusive `ranges` not in `used` (both ascending).
pub fn free_numbers(ranges: &[(i64, i64)], used: &[i64], limit: usize) -> Vec<i64> {
    let mut out = Vec::new();
    let mut u = used.iter().peekable();
    for &(lo, hi) in ranges {
        let mut n = lo;
        while n <= hi && out.len() < limit {
            while u.peek().is_some_and(|x| **x < n) {
                u.next();
            }
            if u.peek() == Some(&&n) {
                u.next();
            } else {
                out.push(n);
            }
            n += 1;
        }
    }
    out
}

/// A VLAN group's VID ranges (`[[lower, upper], …]`, inclusive); all VIDs when unset.
pub fn vid_ranges(v: &Value) -> Vec<(i64, i64)> {
    let ranges: Vec<(i64, i64)> = match v {
        Value::Json(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|r| Some((r.get(0)?.as_i64()?, r.get(1)?.as_i64()?)))
            .collect(),
        _ => Vec::new(),
    };
    if ranges.is_empty() {
        vec![(1, 4094)]
    } else {
        let mut r = ranges;
        r.sort_unstable();
        r
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn free_numbers_skip_used_ones_across_ranges() {
        assert_eq!(
            super::free_numbers(&[(1, 5), (10, 12)], &[2, 3, 10], 5),
            [1, 4, 5, 11, 12]
        );
        assert_eq!(
            super::free_numbers(&[(1, 3)], &[1, 2, 3], 5),
            Vec::<i64>::new()
        );
        assert_eq!(super::free_numbers(&[(1, 4094)], &[], 2), [1, 2]);
    }

    use super::*;

    /// Random free runs of a /16 split into blocks that tile the run exactly, each aligned
    /// on its own size and none mergeable with its neighbour into a larger aligned block.
    #[test]
    fn blocks_tile_runs_with_maximal_aligned_prefixes() {
        let like = IpNet::parse("10.0.0.0/16").unwrap();
        let mut rng = cairn_store::testing::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.draw();
        for _ in 0..2000 {
            let a = 0x0a00_0000 + (next() % 65536) as u128;
            let b = (a + (next() % 4096) as u128).min(0x0a00_ffff);
            let got = blocks(a, b, &like);
            let mut cursor = a;
            for n in &got {
                assert_eq!(n.network(), cursor, "contiguous from {a:#x}");
                assert!(!n.has_host_bits(), "{} is aligned", n.canonical());
                cursor = n.broadcast() + 1;
            }
            assert_eq!(cursor, b + 1, "covers [{a:#x}, {b:#x}]");
            for pair in got.windows(2) {
                let (l, r) = (pair[0], pair[1]);
                let merged = l.len > 0
                    && l.len == r.len
                    && IpNet::parse(&format!("{}/{}", addr_text(l.network(), &l), l.len - 1))
                        .is_some_and(|m| !m.has_host_bits());
                assert!(
                    !merged,
                    "{} and {} form one block",
                    l.canonical(),
                    r.canonical()
                );
            }
        }
    }

    #[test]
    fn gaps_split_into_aligned_blocks() {
        let like = IpNet::parse("10.0.0.0/24").unwrap();
        let b = blocks(0x0a00_0010, 0x0a00_00ff, &like);
        let texts: Vec<String> = b.iter().map(|n| n.canonical()).collect();
        assert_eq!(
            texts,
            [
                "10.0.0.16/28",
                "10.0.0.32/27",
                "10.0.0.64/26",
                "10.0.0.128/25"
            ]
        );
        let mut free = b.clone();
        assert_eq!(
            take_prefix(&mut free, 26).unwrap().canonical(),
            "10.0.0.64/26"
        );
        assert_eq!(
            take_prefix(&mut free, 29).unwrap().canonical(),
            "10.0.0.16/29"
        );
        assert_eq!(
            take_prefix(&mut free, 29).unwrap().canonical(),
            "10.0.0.24/29"
        );
        assert_eq!(
            take_prefix(&mut free, 26).unwrap().canonical(),
            "10.0.0.128/26"
        );
        assert!(take_prefix(&mut free, 24).is_none());
    }
}
