//! IPAM rules: families, /0 masks, host bits, unique IP space, aggregates that do not
//! overlap, IP range bounds, cached scope, and the prefix hierarchy (depth, children).

pub mod available;
pub mod utilization;

use cairn_schema::{FieldKind, ObjectType};
use cairn_store::add_error as add;
use cairn_store::ipkey::{renest, IpNet, Nesting};
use cairn_store::{
    read, Action, FieldErrors, Filter, Hooks, IpRel, Op, Record, Result, Value, Writer,
};

use crate::fields::{fetch, get, int, set, text};
use crate::Settings;

fn net_of(t: &ObjectType, rec: &Record, field: &str) -> Option<IpNet> {
    IpNet::parse(text(t, rec, field))
}

/// Roles whose addresses may repeat (shared virtual addresses).
const NONUNIQUE_ROLES: &[&str] = &["anycast", "vip", "vrrp", "hsrp", "glbp", "carp"];

/// IPAM's rules by model.
pub fn register(h: &mut Hooks, settings: &Settings) {
    let global_unique = settings.enforce_global_unique;
    h.validate("ipam.prefix", move |w, t, _, new, errors| {
        scope_halves(w, t, new, errors, false);
        validate_prefix(w, global_unique, t, new, errors)?;
        cache_scope(w, t, new)
    });
    h.validate("ipam.ipaddress", move |w, t, old, new, errors| {
        if let Some(old) = old {
            keep_primary_in_place(w, t, old, new, errors)?;
        }
        validate_address(w, global_unique, t, new, errors, old.is_none())
    });
    h.after_write("ipam.ipaddress", |w, t, _, old, new| {
        first_ip_of_groups(w, t, [old, Some(new)])
    });
    h.after_delete("ipam.ipaddress", |w, t, old| {
        first_ip_of_groups(w, t, [Some(old), None])
    });
    h.validate("ipam.aggregate", |w, t, _, new, errors| {
        validate_aggregate(w, t, new, errors)
    });
    h.validate("ipam.iprange", |w, t, _, new, errors| {
        validate_range(w, t, new, errors)
    });
    h.validate("ipam.vlangroup", |w, t, _, new, errors| {
        // A new group without ranges gets NetBox's default_vid_ranges(): all of 1-4094;
        // an empty list is blank to the model.
        if matches!(get(t, new, "vid_ranges"), Value::Json(serde_json::Value::Array(items)) if items.is_empty())
        {
            add(errors, "vid_ranges", "This field cannot be blank.");
        }
        if get(t, new, "vid_ranges").is_null() {
            set(
                t,
                new,
                "vid_ranges",
                Value::Json(serde_json::json!([[1, 4094]])),
            );
        }
        validate_vid_ranges(t, new, errors);
        scope_halves(w, t, new, errors, true);
        let total: i64 = available::vid_ranges(get(t, new, "vid_ranges"))
            .iter()
            .map(|(lo, hi)| hi - lo + 1)
            .sum();
        set(t, new, "_total_vlan_ids", Value::Int(total));
        cache_scope(w, t, new)
    });
    h.validate("ipam.vlan", |w, t, _, new, errors| {
        validate_vlan(w, t, new, errors)
    });
    h.validate("ipam.asnrange", |_, t, _, new, errors| {
        if let (Some(start), Some(end)) = (int(t, new, "start"), int(t, new, "end")) {
            if end <= start {
                add(
                    errors,
                    "__all__",
                    format!("Starting ASN ({start}) must be lower than ending ASN ({end})."),
                );
            }
        }
        Ok(())
    });
    h.after_write("ipam.prefix", |w, t, action, old, new| {
        renest_prefix(w, t, new)?;
        if let (Action::Update, Some(old)) = (action, old) {
            if get(t, old, "prefix") != get(t, new, "prefix")
                || get(t, old, "vrf") != get(t, new, "vrf")
            {
                renest_prefix(w, t, old)?;
            }
        }
        Ok(())
    });
    h.after_delete("ipam.prefix", renest_prefix);
}

/// An address that is its device's primary IP may not move to another device.
fn keep_primary_in_place(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: &Record,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(ifaces), Some(devices)) = (reg.get("dcim.interface"), reg.get("dcim.device")) else {
        return Ok(());
    };
    let iface_ct = w.s.ct_of_label("dcim.interface");
    let device_of = |w: &mut Writer<'_>, v: &Value| -> Result<Option<i64>> {
        match v {
            Value::Ref(ct, id) if Some(*ct) == iface_ct => {
                Ok(fetch(w, ifaces, Some(*id))?.and_then(|i| int(ifaces, &i, "device")))
            }
            _ => Ok(None),
        }
    };
    let before = device_of(w, get(t, old, "assigned_object"))?;
    let after = device_of(w, get(t, new, "assigned_object"))?;
    if before.is_none() || before == after {
        return Ok(());
    }
    if let Some(device) = fetch(w, devices, before)? {
        let primary = ["primary_ip4", "primary_ip6"]
            .iter()
            .any(|f| int(devices, &device, f) == Some(old.id));
        if primary {
            add(
                errors,
                "__all__",
                "Cannot reassign IP address while it is designated as the primary IP for the parent object",
            );
        }
    }
    Ok(())
}

/// DNS names: letters, digits, `_`, `-` and `*` labels joined by dots; kept lower-case.
fn check_dns_name(t: &ObjectType, new: &mut Record, errors: &mut FieldErrors) {
    let name = text(t, new, "dns_name").to_string();
    if name.is_empty() {
        return;
    }
    let trimmed = name.strip_suffix('.').unwrap_or(&name);
    let ok = trimmed.split('.').enumerate().all(|(i, label)| {
        (i == 0 && label == "*")
            || (!label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    });
    if ok {
        set(t, new, "dns_name", Value::Text(name.to_lowercase()));
    } else {
        add(
            errors,
            "dns_name",
            "Only alphanumeric characters, asterisks, hyphens, periods, and underscores are allowed in DNS names",
        );
    }
}

/// The "table" an address space lives in, as NetBox names it in messages, and whether
/// its addresses must be unique (the VRF's `enforce_unique`, or ENFORCE_GLOBAL_UNIQUE).
fn table_name(
    w: &mut Writer<'_>,
    global_unique: bool,
    t: &ObjectType,
    rec: &Record,
) -> Result<(bool, String)> {
    let reg = w.s.reg.clone();
    let vrf = match reg.get("ipam.vrf") {
        Some(vt) => fetch(w, vt, int(t, rec, "vrf"))?.map(|v| (vt, v)),
        None => None,
    };
    Ok(match vrf {
        None => (global_unique, "global table".to_string()),
        Some((vt, v)) => (
            get(vt, &v, "enforce_unique").as_bool().unwrap_or(true),
            // The VRF as NetBox prints it: "name (rd)", or the name alone.
            match text(vt, &v, "rd") {
                "" => format!("VRF {}", text(vt, &v, "name")),
                rd => format!("VRF {} ({rd})", text(vt, &v, "name")),
            },
        ),
    })
}

fn same_vrf(t: &ObjectType, rec: &Record) -> Filter {
    match int(t, rec, "vrf") {
        Some(v) => Filter::eq("vrf_id", v),
        None => Filter::IsNull("vrf_id".into()),
    }
}

/// IP ranges holding at least one address of [a, b].
fn ranges_touching(family: i64, a: u128, b: u128) -> Filter {
    Filter::and(vec![
        Filter::IpKey {
            field: "start_address".into(),
            family,
            op: Op::Lte,
            key: b,
        },
        Filter::IpKey {
            field: "end_address".into(),
            family,
            op: Op::Gte,
            key: a,
        },
    ])
}

/// NetBox's `prefix_validator`: a network given with host bits set is refused, with the
/// network it probably meant.
fn host_bits(net: &IpNet) -> Option<String> {
    if net.bits() == net.network() {
        return None;
    }
    let cidr = format!("{}/{}", available::addr_text(net.network(), net), net.len);
    Some(format!(
        "{} is not a valid prefix. Did you mean {cidr}?",
        net.canonical()
    ))
}

fn not_self(rec: &Record) -> Filter {
    Filter::Not(Box::new(Filter::eq("id", rec.id)))
}

fn validate_prefix(
    w: &mut Writer<'_>,
    global_unique: bool,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(net) = net_of(t, new, "prefix") else {
        return Ok(());
    };
    if let Some(msg) = host_bits(&net) {
        add(errors, "prefix", msg);
        return Ok(());
    }
    if net.len == 0 {
        add(errors, "prefix", "Cannot create prefix with /0 mask.");
        return Ok(());
    }
    let cidr = net;
    set(t, new, "prefix", Value::Text(cidr.canonical()));
    set(t, new, "family", Value::Int(cidr.family()));
    let (enforce, table) = table_name(w, global_unique, t, new)?;
    if enforce {
        let dup = Filter::and(vec![
            same_vrf(t, new),
            Filter::eq("prefix", cidr.canonical()),
            not_self(new),
        ]);
        if read::exists(w.conn, w.s, t, &dup)? {
            add(
                errors,
                "prefix",
                format!("Duplicate prefix found in {table}: {}", cidr.canonical()),
            );
        }
    }
    Ok(())
}

fn validate_address(
    w: &mut Writer<'_>,
    global_unique: bool,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
    creating: bool,
) -> Result<()> {
    let Some(net) = net_of(t, new, "address") else {
        return Ok(());
    };
    if net.len == 0 {
        add(errors, "address", "Cannot create IP address with /0 mask.");
        return Ok(());
    }
    set(t, new, "family", Value::Int(net.family()));
    check_dns_name(t, new, errors);
    if text(t, new, "status") == "slaac" && net.family() != 6 {
        add(
            errors,
            "status",
            "Only IPv6 addresses can be assigned SLAAC status",
        );
    }
    // An interface takes a host address, not the network ID or (IPv4) broadcast.
    if !get(t, new, "assigned_object").is_null() {
        let host = net.bits();
        let point_to_point =
            (net.family() == 4 && net.len >= 31) || (net.family() == 6 && net.len >= 127);
        let ip = available::addr_text(host, &net);
        // NetBox raises these without a field: they file under __all__.
        if !point_to_point && host == net.network() {
            add(
                errors,
                "__all__",
                format!("{ip} is a network ID, which may not be assigned to an interface."),
            );
        } else if !point_to_point && net.family() == 4 && host == net.broadcast() {
            add(
                errors,
                "__all__",
                format!("{ip} is a broadcast address, which may not be assigned to an interface."),
            );
        }
    }
    // Populated ranges hold their addresses already: none is created inside one (an
    // existing address stays editable, as in NetBox).
    if let Some(rt) = w.s.reg.clone().get("ipam.iprange").filter(|_| creating) {
        let host = net.bits();
        let mut q = read::Query::all();
        q.filter = Filter::and(vec![
            same_vrf(t, new),
            Filter::eq("mark_populated", true),
            ranges_touching(net.family(), host, host),
        ]);
        q.limit = Some(1);
        if let Some(r) = read::select(w.conn, w.s, rt, &q)?.first() {
            add(
                errors,
                "address",
                format!(
                    "Cannot create IP address {} inside range {}-{}.",
                    net.canonical(),
                    text(rt, r, "start_address"),
                    text(rt, r, "end_address")
                ),
            );
        }
    }
    let (enforce, table) = table_name(w, global_unique, t, new)?;
    let role = text(t, new, "role").to_string();
    if enforce {
        let host = IpNet {
            addr: net.addr,
            len: net.max_len(),
        };
        let dups = read::select(
            w.conn,
            w.s,
            t,
            &read::Query {
                filter: Filter::and(vec![
                    same_vrf(t, new),
                    Filter::Ip {
                        field: "address".into(),
                        rel: IpRel::HostWithin,
                        net: host,
                    },
                    not_self(new),
                ]),
                order: Vec::new(),
                limit: None,
                offset: 0,
            },
        )?;
        let shared = |r: &str| NONUNIQUE_ROLES.contains(&r);
        if !dups.is_empty() && (!shared(&role) || dups.iter().any(|d| !shared(text(t, d, "role"))))
        {
            add(
                errors,
                "address",
                format!(
                    "Duplicate IP address found in {table}: {}",
                    text(t, &dups[0], "address")
                ),
            );
        }
    }
    Ok(())
}

fn validate_aggregate(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(net) = net_of(t, new, "prefix") else {
        return Ok(());
    };
    if let Some(msg) = host_bits(&net) {
        add(errors, "prefix", msg);
        return Ok(());
    }
    if net.len == 0 {
        add(errors, "prefix", "Cannot create aggregate with /0 mask.");
        return Ok(());
    }
    set(t, new, "family", Value::Int(net.family()));
    let first = |w: &mut Writer<'_>, rel| -> Result<Option<String>> {
        let q = read::Query {
            filter: Filter::and(vec![
                Filter::Ip {
                    field: "prefix".into(),
                    rel,
                    net,
                },
                not_self(new),
            ]),
            order: Vec::new(),
            limit: Some(1),
            offset: 0,
        };
        Ok(read::select(w.conn, w.s, t, &q)?
            .first()
            .map(|r| text(t, r, "prefix").to_string()))
    };
    if let Some(other) = first(w, IpRel::ContainsOrEqual)? {
        add(
            errors,
            "prefix",
            format!(
                "Aggregates cannot overlap. {} is already covered by an existing aggregate ({other}).",
                net.canonical()
            ),
        );
    } else if let Some(other) = first(w, IpRel::Within)? {
        add(
            errors,
            "prefix",
            format!(
                "Prefixes cannot overlap aggregates. {} covers an existing aggregate ({other}).",
                net.canonical()
            ),
        );
    }
    Ok(())
}

fn validate_range(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let (Some(start), Some(end)) = (
        net_of(t, new, "start_address"),
        net_of(t, new, "end_address"),
    ) else {
        return Ok(());
    };
    if start.family() != end.family() {
        add(
            errors,
            "end_address",
            "Starting and ending IP address versions must match",
        );
        return Ok(());
    }
    if start.len != end.len {
        add(
            errors,
            "end_address",
            "Starting and ending IP address masks must match",
        );
        return Ok(());
    }
    if end.bits() <= start.bits() {
        add(
            errors,
            "end_address",
            format!(
                "Ending address must be greater than the starting address ({})",
                text(t, new, "start_address")
            ),
        );
        return Ok(());
    }
    set(t, new, "family", Value::Int(start.family()));
    let size = (end.bits() - start.bits() + 1).min(i64::MAX as u128) as i64;
    set(t, new, "size", Value::Int(size));
    // No two ranges of a VRF share an address.
    let mut q = read::Query::all();
    q.filter = Filter::and(vec![
        same_vrf(t, new),
        not_self(new),
        ranges_touching(start.family(), start.bits(), end.bits()),
    ]);
    q.limit = Some(1);
    if let Some(other) = read::select(w.conn, w.s, t, &q)?.first() {
        let (_, table) = table_name(w, true, t, new)?;
        let vrf = table.strip_prefix("VRF ").unwrap_or("None");
        add(
            errors,
            "__all__",
            format!(
                "Defined addresses overlap with range {}-{} in VRF {vrf}",
                text(t, other, "start_address"),
                text(t, other, "end_address")
            ),
        );
    } else if end.bits() - start.bits() + 1 > MAX_RANGE_SIZE {
        add(
            errors,
            "__all__",
            format!("Defined range exceeds maximum supported size ({MAX_RANGE_SIZE})"),
        );
    }
    Ok(())
}

/// The most addresses a range may hold (NetBox's `IPRange.clean`).
const MAX_RANGE_SIZE: u128 = (1 << 32) - 1;

/// VID ranges: within 1–4094, each ascending, none overlapping.
fn validate_vid_ranges(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    use serde_json::Value as Json;
    let raw = get(t, new, "vid_ranges");
    // The shape NetBox's IntegerRangeSerializer takes: [lower, upper] pairs of integers.
    if let Value::Json(Json::Array(items)) = raw {
        if items.is_empty() {
            return;
        }
        for item in items {
            let msg = match item {
                Json::Array(pair) if pair.len() == 2 => {
                    if pair.iter().all(|b| b.is_i64()) {
                        continue;
                    }
                    "Range boundaries must be defined as integers."
                }
                _ => "Ranges must be specified in the form (lower, upper).",
            };
            add(errors, "vid_ranges", msg);
            return;
        }
    } else if let Value::Json(other) = raw {
        let kind = match other {
            Json::String(_) => "str",
            Json::Number(n) if n.is_f64() => "float",
            Json::Number(_) => "int",
            Json::Bool(_) => "bool",
            _ => "dict",
        };
        if !other.is_null() {
            add(
                errors,
                "vid_ranges",
                format!("Expected a list of items but got type \"{kind}\"."),
            );
            return;
        }
    }
    let ranges = available::vid_ranges(raw);
    for &(lo, hi) in &ranges {
        if lo < 1 {
            add(
                errors,
                "vid_ranges",
                format!("Starting VLAN ID in range ({lo}) cannot be less than 1"),
            );
        } else if hi > 4094 {
            add(
                errors,
                "vid_ranges",
                format!("Ending VLAN ID in range ({hi}) cannot exceed 4094"),
            );
        } else if hi < lo {
            add(
                errors,
                "vid_ranges",
                format!("Ending VLAN ID in range must be greater than or equal to the starting VLAN ID ({lo}-{hi})"),
            );
        }
    }
    if ranges.windows(2).any(|w| w[1].0 <= w[0].1) {
        add(errors, "vid_ranges", "Ranges cannot overlap.");
    }
}

/// Q-in-Q: only customer VLANs sit in a service VLAN, and every customer VLAN does.
fn validate_qinq(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let customer = text(t, new, "qinq_role") == "cvlan";
    if int(t, new, "qinq_svlan").is_some() && !customer {
        add(
            errors,
            "qinq_svlan",
            "Only Q-in-Q customer VLANs maybe assigned to a service VLAN.",
        );
    }
    if customer && int(t, new, "qinq_svlan").is_none() {
        add(
            errors,
            "qinq_role",
            "A Q-in-Q customer VLAN must be assigned to a service VLAN.",
        );
    }
}

/// A VLAN's site agrees with its group's scope when that is a site or a site group.
fn check_group_site(
    w: &mut Writer<'_>,
    gt: &ObjectType,
    group: &Record,
    site: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(site_id), Some(st), Value::Ref(ct, scope_id)) =
        (site, reg.get("dcim.site"), get(gt, group, "scope").clone())
    else {
        return Ok(());
    };
    let scope_label = w.s.type_of_ct(ct).map(|x| x.label()).unwrap_or_default();
    let Some(site) = fetch(w, st, Some(site_id))? else {
        return Ok(());
    };
    let (site_name, group_name) = (text(st, &site, "name"), text(gt, group, "name"));
    let scope_name = |w: &mut Writer<'_>, label: &str| -> Result<String> {
        Ok(match reg.get(label) {
            Some(x) => fetch(w, x, Some(scope_id))?
                .map(|r| text(x, &r, "name").to_string())
                .unwrap_or_default(),
            None => String::new(),
        })
    };
    match scope_label.as_str() {
        "dcim.site" if scope_id != site_id => {
            let scope = scope_name(w, "dcim.site")?;
            add(
                errors,
                "__all__",
                format!("VLAN is assigned to group {group_name} (scope: {scope}); cannot also assign to site {site_name}."),
            );
        }
        // Members are the group's own sites (not those of nested groups), as in NetBox.
        "dcim.sitegroup" if int(st, &site, "group") != Some(scope_id) => {
            let scope = scope_name(w, "dcim.sitegroup")?;
            add(
                errors,
                "__all__",
                format!("The assigned site {site_name} is not a member of the assigned group {group_name} (scope: {scope})."),
            );
        }
        _ => {}
    }
    Ok(())
}

/// A VLAN in a group takes a VID from the group's ranges and a site the group's scope
/// allows; Q-in-Q roles agree with the service VLAN.
fn validate_vlan(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    validate_qinq(t, new, errors);
    let reg = w.s.reg.clone();
    let Some(gt) = reg.get("ipam.vlangroup") else {
        return Ok(());
    };
    let Some(group) = fetch(w, gt, int(t, new, "group"))? else {
        return Ok(());
    };
    check_group_site(w, gt, &group, int(t, new, "site"), errors)?;
    let Some(vid) = int(t, new, "vid") else {
        return Ok(());
    };
    let ranges = available::vid_ranges(get(gt, &group, "vid_ranges"));
    if !ranges.iter().any(|(lo, hi)| vid >= *lo && vid <= *hi) {
        let text_ranges: Vec<String> = ranges.iter().map(|(lo, hi)| format!("{lo}-{hi}")).collect();
        add(
            errors,
            "vid",
            format!(
                "VID must be in ranges {} for VLANs in group {}",
                text_ranges.join(", "),
                text(gt, &group, "name")
            ),
        );
    }
    Ok(())
}

/// A scope given by half, as NetBox words it: a cached scope (prefixes) names the missing
/// object ("Please select a site.") and ignores a bare `scope_id`; a `strict` one (VLAN
/// groups, whose own clean() checks both halves) refuses either.
fn scope_halves(
    w: &Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
    strict: bool,
) {
    let Some(i) = t.field_index("scope") else {
        return;
    };
    let message = match new.values[i] {
        Value::Ref(0, _) => {
            errors.remove("scope_type");
            if !strict {
                new.values[i] = Value::Null;
                return;
            }
            "Cannot set scope_id without scope_type.".to_string()
        }
        Value::Ref(ct, 0) => {
            errors.remove("scope_id");
            match strict {
                false => format!(
                    "Please select a {}.",
                    w.s.type_of_ct(ct).map(|st| st.model).unwrap_or_default()
                ),
                true => "Cannot set scope_type without scope_id.".to_string(),
            }
        }
        _ => return,
    };
    add(errors, "__all__", message);
}

/// NetBox caches the region, site group, site and location a scoped object sits in.
fn cache_scope(w: &mut Writer<'_>, t: &ObjectType, new: &mut Record) -> Result<()> {
    let reg = w.s.reg.clone();
    let mut cached: [(&str, Option<i64>); 4] = [
        ("_region", None),
        ("_site_group", None),
        ("_site", None),
        ("_location", None),
    ];
    let scope = t
        .field_index("scope")
        .map(|i| new.values[i].clone())
        .unwrap_or(Value::Null);
    if let Value::Ref(ct, id) = scope {
        let label = w.s.type_of_ct(ct).map(|x| x.label()).unwrap_or_default();
        let mut site = None;
        match label.as_str() {
            "dcim.region" => cached[0].1 = Some(id),
            "dcim.sitegroup" => cached[1].1 = Some(id),
            "dcim.site" => site = Some(id),
            "dcim.location" => {
                cached[3].1 = Some(id);
                if let Some(lt) = reg.get("dcim.location") {
                    site = fetch(w, lt, Some(id))?.and_then(|l| int(lt, &l, "site"));
                }
            }
            _ => {}
        }
        if let (Some(s), Some(st)) = (site, reg.get("dcim.site")) {
            cached[2].1 = Some(s);
            if let Some(rec) = fetch(w, st, Some(s))? {
                cached[0].1 = int(st, &rec, "region");
                cached[1].1 = int(st, &rec, "group");
            }
        }
    }
    for (name, v) in cached {
        if t.field(name)
            .is_some_and(|f| matches!(f.kind, FieldKind::ForeignKey { .. }))
        {
            set(t, new, name, v.map(Value::Int).unwrap_or(Value::Null));
        }
    }
    Ok(())
}

fn prefix_nesting(t: &ObjectType) -> Nesting<'_> {
    Nesting {
        t,
        field: "prefix",
        scope: "vrf",
        depth: "_depth",
        children: "children",
    }
}

fn renest_prefix(w: &mut Writer<'_>, t: &ObjectType, rec: &Record) -> Result<()> {
    if let Some(net) = net_of(t, rec, "prefix") {
        let vrf = get(t, rec, "vrf").clone();
        renest(w.conn, &prefix_nesting(t), &vrf, &net)?;
    }
    Ok(())
}

/// The FHRP groups an address was or is assigned to note their lowest address again (it
/// ends their display, as NetBox's `FHRPGroup.__str__` does).
fn first_ip_of_groups(
    w: &mut Writer<'_>,
    t: &ObjectType,
    recs: [Option<&Record>; 2],
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(gt), Some(group_ct)) = (reg.get("ipam.fhrpgroup"), w.s.ct_of_label("ipam.fhrpgroup"))
    else {
        return Ok(());
    };
    let mut groups: Vec<i64> = recs
        .iter()
        .flatten()
        .filter_map(|r| match get(t, r, "assigned_object") {
            Value::Ref(ct, id) if *ct == group_ct => Some(*id),
            _ => None,
        })
        .collect();
    groups.dedup();
    for group in groups {
        let mut q = read::Query::all();
        q.filter = Filter::and(vec![
            Filter::eq("assigned_object_type_id", group_ct),
            Filter::eq("assigned_object_id", group),
        ]);
        q.limit = Some(1);
        let first = read::select_columns(w.conn, w.s, t, &q)?
            .first()
            .map(|ip| Value::Text(text(t, ip, "address").to_string()))
            .unwrap_or_else(|| Value::Text(String::new()));
        w.set_where(gt, &Filter::eq("id", group), &[("_first_ip", first)])?;
    }
    Ok(())
}
