//! ipam: VRFs, route targets, RIRs, aggregates, ASNs and ASN ranges, roles, prefixes, IP
//! ranges, IP addresses, VLAN groups, VLANs, VLAN translation policies and rules, FHRP
//! groups and their assignments, service templates and services.
//!
//! Values NetBox derives on save (families, prefix depth and children, range sizes,
//! cached scope) are stored read-only fields that the domain hooks fill in. IP fields keep
//! sortable key columns beside them (`<field>_family`, `_start`, `_end`, `_len`), which
//! the orderings below name directly.

use super::dcim_devices::interface_assignment_filters;
use crate::choices;
use crate::field::*;
use crate::object_type::{with_note, Display, ExtraFilter, IpRelation, Key, ObjectType, RowText};

choices!(numeric IP_FAMILY,
    4 => "IPv4",
    6 => "IPv6",
);

choices!(PREFIX_STATUS,
    "container" => "Container" / "gray",
    "active" => "Active" / "blue",
    "reserved" => "Reserved" / "cyan",
    "deprecated" => "Deprecated" / "red",
);

choices!(IP_RANGE_STATUS,
    "active" => "Active" / "blue",
    "reserved" => "Reserved" / "cyan",
    "deprecated" => "Deprecated" / "red",
);

choices!(IP_ADDRESS_STATUS,
    "active" => "Active" / "blue",
    "reserved" => "Reserved" / "cyan",
    "deprecated" => "Deprecated" / "red",
    "dhcp" => "DHCP" / "green",
    "slaac" => "SLAAC" / "purple",
);

choices!(IP_ADDRESS_ROLE,
    "loopback" => "Loopback" / "gray",
    "secondary" => "Secondary" / "blue",
    "anycast" => "Anycast" / "yellow",
    "vip" => "VIP" / "purple",
    "vrrp" => "VRRP" / "green",
    "hsrp" => "HSRP" / "green",
    "glbp" => "GLBP" / "green",
    "carp" => "CARP" / "green",
);

// NetBox groups these (Standard, CheckPoint, Cisco); the flattened order is what OPTIONS
// lists.
choices!(FHRP_PROTOCOL,
    "vrrp2" => "VRRPv2",
    "vrrp3" => "VRRPv3",
    "carp" => "CARP",
    "clusterxl" => "ClusterXL",
    "hsrp" => "HSRP",
    "glbp" => "GLBP",
    "other" => "Other",
);

choices!(FHRP_AUTH_TYPE,
    "plaintext" => "Plaintext",
    "md5" => "MD5",
);

choices!(VLAN_STATUS,
    "active" => "Active" / "blue",
    "reserved" => "Reserved" / "cyan",
    "deprecated" => "Deprecated" / "red",
);

choices!(VLAN_QINQ_ROLE,
    "svlan" => "Service" / "blue",
    "cvlan" => "Customer" / "orange",
);

choices!(SERVICE_PROTOCOL,
    "tcp" => "TCP",
    "udp" => "UDP",
    "sctp" => "SCTP",
);

pub fn types() -> Vec<ObjectType> {
    vec![
        vrf(),
        route_target(),
        rir(),
        aggregate(),
        asn_range(),
        asn(),
        role(),
        prefix(),
        ip_range(),
        ip_address(),
        vlan_group(),
        vlan(),
        vlan_translation_policy(),
        vlan_translation_rule(),
        fhrp_group(),
        fhrp_group_assignment(),
        service_template(),
        service(),
    ]
}

// Shared pieces.

fn tenancy_filters(t: ObjectType) -> ObjectType {
    t.path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
}

fn tenant() -> Field {
    fk("tenant", "tenancy.tenant", OnDelete::Protect)
}

/// Set by a hook from the address or prefix.
fn family() -> Field {
    choice("family", &IP_FAMILY).read_only()
}

fn vrf_fk() -> Field {
    fk("vrf", "ipam.vrf", OnDelete::Protect)
}

fn vid(name: &'static str) -> Field {
    int(name, Some(1), Some(4094))
        .required()
        .help("Numeric VLAN ID (1-4094)")
}

/// `<field>_family`, `_start`, `_len`: NetBox's (PostgreSQL's) inet order.
const PREFIX_ORDER: &[&str] = &["prefix_family", "prefix_start", "prefix_len"];

// VRFs and route targets.

fn vrf_display(r: &dyn RowText) -> String {
    with_note(r.text("name"), &r.text("rd"))
}

/// Other models' `vrf=` filters name a VRF by its route distinguisher.
fn vrf() -> ObjectType {
    let t = ObjectType::new("ipam", "vrf", "vrfs")
        .verbose("VRF", "VRFs")
        .ui("ipam/vrfs")
        .fields(vec![
            name(100),
            string("rd", 21)
                .blank_null()
                .unique()
                .label("Route distinguisher")
                .help("Unique route distinguisher (as defined in RFC 4364)"),
            tenant(),
            boolean("enforce_unique")
                .default_bool(true)
                .label("Enforce unique space")
                .help("Prevent duplicate prefixes/IP addresses within this VRF"),
            description(),
            comments(),
            m2m("import_targets", "ipam.routetarget"),
            m2m("export_targets", "ipam.routetarget"),
        ])
        .brief(&["name", "rd", "description", "prefix_count"])
        .display(Display::Fn(vrf_display))
        .netbox_model()
        .natural("name")
        .ordering(&["_name", "rd"])
        .key(Key::Field("rd"))
        .count("ipaddress_count", "ipam.ipaddress", "vrf", false)
        .count("prefix_count", "ipam.prefix", "vrf", false)
        .search(&["name", "rd", "description"]);
    tenancy_filters(t)
}

/// The VRFs' side of their import/export lists gives the `importing_vrf(_id)` and
/// `exporting_vrf(_id)` filters (VRFs named by RD).
fn route_target() -> ObjectType {
    let t = ObjectType::new("ipam", "routetarget", "route-targets")
        .verbose("route target", "route targets")
        .ui("ipam/route-targets")
        .fields(vec![
            name(21)
                .unique()
                .help("Route target value (formatted in accordance with RFC 4360)"),
            tenant(),
            description(),
            comments(),
            m2m("importing_vrfs", "ipam.vrf")
                .stored_by("import_targets")
                .read_only()
                .write_only(),
            m2m("exporting_vrfs", "ipam.vrf")
                .stored_by("export_targets")
                .read_only()
                .write_only(),
        ])
        .brief(&["name", "description"])
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .key(Key::Name)
        .search(&["name", "description"]);
    tenancy_filters(t)
}

// RIRs, aggregates, AS numbers.

fn rir() -> ObjectType {
    ObjectType::new("ipam", "rir", "rirs")
        .verbose("RIR", "RIRs")
        .ui("ipam/rirs")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            boolean("is_private")
                .label("Private")
                .help("IP space managed by this RIR is considered private"),
            description(),
        ])
        .brief(&["name", "slug", "description", "aggregate_count"])
        .netbox_model()
        .count("aggregate_count", "ipam.aggregate", "rir", false)
        .search(&["name", "slug", "description"])
}

/// Aggregates may not overlap one another, nor be /0 (hook).
fn aggregate() -> ObjectType {
    let t = ObjectType::new("ipam", "aggregate", "aggregates")
        .verbose("aggregate", "aggregates")
        .ui("ipam/aggregates")
        .fields(vec![
            family(),
            Field::new("prefix", FieldKind::IpPrefix).required(),
            fk("rir", "ipam.rir", OnDelete::Protect).required(),
            tenant(),
            date("date_added"),
            description(),
            comments(),
        ])
        .brief(&["family", "prefix", "description"])
        .display(Display::Field("prefix"))
        .netbox_model()
        .contacts()
        .ordering(PREFIX_ORDER)
        .key(Key::Id)
        .search(&["description", "prefix"]);
    tenancy_filters(t)
}

fn asn_range_display(r: &dyn RowText) -> String {
    format!("{} ({}-{})", r.text("name"), r.text("start"), r.text("end"))
}

/// `start` must be below `end` (hook). NetBox's OPTIONS lists an `asn_count`, but its
/// view never annotates it, so responses never carry it: it is left out here.
fn asn_range() -> ObjectType {
    let t = ObjectType::new("ipam", "asnrange", "asn-ranges")
        .verbose("ASN range", "ASN ranges")
        .ui("ipam/asn-ranges")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            fk("rir", "ipam.rir", OnDelete::Protect).required(),
            int("start", Some(1), Some(4_294_967_295)).required(),
            int("end", Some(1), Some(4_294_967_295)).required(),
            tenant(),
            description(),
        ])
        .brief(&["name", "description"])
        .display(Display::Fn(asn_range_display))
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .search(&["name", "description"]);
    tenancy_filters(t)
}

fn asn_display(r: &dyn RowText) -> String {
    // 32-bit numbers add their ASDOT form, as NetBox's `asn_with_asdot`.
    match r.text("asn").parse::<u64>() {
        Ok(n) if n >= 65536 => format!("AS{n} ({}.{})", n >> 16, n & 0xffff),
        _ => format!("AS{}", r.text("asn")),
    }
}

fn asn() -> ObjectType {
    ObjectType::new("ipam", "asn", "asns")
        .verbose("ASN", "ASNs")
        .ui("ipam/asns")
        .fields(vec![
            int("asn", Some(1), Some(4_294_967_295))
                .required()
                .unique()
                .label("ASN")
                .help("16- or 32-bit autonomous system number"),
            fk("rir", "ipam.rir", OnDelete::Protect),
            tenant(),
            description(),
            comments(),
            // The sites' side of `Site.asns`: not part of the representation, but it gives
            // the `site`/`site_id` filters.
            m2m("sites", "dcim.site")
                .stored_by("asns")
                .read_only()
                .write_only(),
        ])
        .brief(&["asn", "description"])
        .display(Display::Fn(asn_display))
        .ordering(&["asn"])
        .netbox_model()
        // Contacts attach to ASNs in NetBox, though its ASN filters have no contact ones.
        .contacts()
        .key(Key::Field("asn"))
        .count("site_count", "dcim.site", "asns", false)
        .count("provider_count", "circuits.provider", "asns", false)
        .path_filter("site_group_id", &["sites", "group"], Key::Id)
        .path_filter("site_group", &["sites", "group"], Key::Slug)
        .path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
        .search(&["description"])
}

// Roles, prefixes, IP ranges, IP addresses.

fn role() -> ObjectType {
    ObjectType::new("ipam", "role", "roles")
        .verbose("role", "roles")
        .ui("ipam/roles")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            int("weight", Some(0), Some(32767)).default_int(1000),
            description(),
        ])
        .brief(&["name", "slug", "description", "prefix_count", "vlan_count"])
        .netbox_model()
        .ordering(&["weight", "name"])
        .count("prefix_count", "ipam.prefix", "role", false)
        .count("vlan_count", "ipam.vlan", "role", false)
        .search(&["name", "slug", "description"])
}

/// NetBox's `CachedScopeMixin`: the region, site group, site and location the scope lies
/// in, kept by a hook for filtering (and for the sites' prefix counts). They cascade as
/// NetBox's do.
fn cached_scope() -> Vec<Field> {
    [
        ("_location", "dcim.location"),
        ("_site", "dcim.site"),
        ("_region", "dcim.region"),
        ("_site_group", "dcim.sitegroup"),
    ]
    .into_iter()
    .map(|(name, target)| fk(name, target, OnDelete::Cascade).read_only().write_only())
    .collect()
}

/// The `region`, `site_group`, `site` and `location` filters of a scoped model, through
/// its cached scope (regions, site groups and locations include their descendants).
fn scope_filters(t: ObjectType) -> ObjectType {
    t.path_filter("region_id", &["_region"], Key::Id)
        .path_filter("region", &["_region"], Key::Slug)
        .path_filter("site_group_id", &["_site_group"], Key::Id)
        .path_filter("site_group", &["_site_group"], Key::Slug)
        .path_filter("site_id", &["_site"], Key::Id)
        .path_filter("site", &["_site"], Key::Slug)
        .path_filter("location_id", &["_location"], Key::Id)
        .path_filter("location", &["_location"], Key::Slug)
}

/// Host bits are cleared, /0 is refused, duplicates are refused where the VRF (or the
/// global table) enforces unique space, and `_depth`/`children` follow the hierarchy
/// within the VRF: all hooks. The scope may be a region, site group, site or location.
fn prefix() -> ObjectType {
    let mut fields = vec![
        family(),
        Field::new("prefix", FieldKind::IpPrefix).required(),
        vrf_fk(),
        generic("scope", "scope_type", "scope_id")
            .bare_id()
            .to_models(&[
                "dcim.region",
                "dcim.sitegroup",
                "dcim.site",
                "dcim.location",
            ]),
        tenant(),
        fk("vlan", "ipam.vlan", OnDelete::Protect),
        choice("status", &PREFIX_STATUS).default_str("active"),
        fk("role", "ipam.role", OnDelete::SetNull),
        boolean("is_pool")
            .label("Is a pool")
            .help("All IP addresses within this prefix are considered usable"),
        boolean("mark_utilized").help("Treat as fully utilized"),
        description(),
        comments(),
        // NetBox's `_children`, shown (and filtered) as `children`.
        int("children", None, None).read_only().default_int(0),
        int("_depth", None, None).read_only().default_int(0),
    ];
    fields.extend(cached_scope());
    let t = ObjectType::new("ipam", "prefix", "prefixes")
        .verbose("prefix", "prefixes")
        .ui("ipam/prefixes")
        .fields(fields)
        .brief(&["family", "prefix", "description", "_depth"])
        .display(Display::Field("prefix"))
        .netbox_model()
        .contacts()
        // VRF (its id, global table first), then the network.
        .ordering(&[
            "vrf_id nulls first",
            "prefix_family",
            "prefix_start",
            "prefix_len",
        ])
        .key(Key::Id)
        .path_filter("vlan_group_id", &["vlan", "group"], Key::Id)
        .path_filter("vlan_group", &["vlan", "group"], Key::Slug)
        // VLANs are keyed by VID.
        .field_path("vlan_vid", &["vlan"], "vid")
        .field_path("depth", &[], "_depth")
        .extra_filter(ExtraFilter::Ip {
            name: "within",
            field: "prefix",
            rel: IpRelation::Within,
        })
        .extra_filter(ExtraFilter::Ip {
            name: "within_include",
            field: "prefix",
            rel: IpRelation::WithinOrEqual,
        })
        .extra_filter(ExtraFilter::Ip {
            name: "contains",
            field: "prefix",
            rel: IpRelation::ContainsOrEqual,
        })
        .extra_filter(ExtraFilter::Ip {
            name: "mask_length",
            field: "prefix",
            rel: IpRelation::MaskLength,
        })
        .extra_filter(ExtraFilter::PresentInVrf {
            name: "present_in_vrf",
            by_id: false,
        })
        .extra_filter(ExtraFilter::PresentInVrf {
            name: "present_in_vrf_id",
            by_id: true,
        })
        .search(&["description", "prefix"]);
    tenancy_filters(scope_filters(t))
}

/// NetBox's `IPRange.name`: the start, then only the end's differing part, and the mask
/// ("192.0.2.100-120/24"). Like NetBox, equal chunks count wherever they are.
fn ip_range_display(r: &dyn RowText) -> String {
    let start = r.text("start_address");
    let end = r.text("end_address");
    let (start_ip, len) = start.split_once('/').unwrap_or((start.as_str(), ""));
    let end_ip = end.split('/').next().unwrap_or("");
    let sep = if start_ip.contains(':') { ":" } else { "." };
    let s: Vec<&str> = start_ip.split(sep).collect();
    let e: Vec<&str> = end_ip.split(sep).collect();
    let base: Vec<&str> = s
        .iter()
        .zip(&e)
        .filter(|(a, b)| a == b)
        .map(|(a, _)| *a)
        .collect();
    let n = base.len();
    format!(
        "{}{sep}{}-{}/{len}",
        base.join(sep),
        s[n.min(s.len())..].join(sep),
        e[n.min(e.len())..].join(sep)
    )
}

/// Families and masks of both ends must match, the end must follow the start, ranges
/// may not overlap within a VRF, and `size` is the number of addresses (hooks).
fn ip_range() -> ObjectType {
    let t = ObjectType::new("ipam", "iprange", "ip-ranges")
        .verbose("IP range", "IP ranges")
        .ui("ipam/ip-ranges")
        .fields(vec![
            family(),
            Field::new("start_address", FieldKind::IpAddress).required(),
            Field::new("end_address", FieldKind::IpAddress).required(),
            int("size", None, None).read_only().default_int(0),
            vrf_fk(),
            tenant(),
            choice("status", &IP_RANGE_STATUS).default_str("active"),
            fk("role", "ipam.role", OnDelete::SetNull),
            description(),
            comments(),
            boolean("mark_populated")
                .help("Prevent the creation of IP addresses within this range"),
            boolean("mark_utilized").help("Report space as fully utilized"),
        ])
        .brief(&["family", "start_address", "end_address", "description"])
        .display(Display::Fn(ip_range_display))
        .netbox_model()
        .contacts()
        // VRF (global table first), then the start address.
        .ordering(&[
            "vrf_id nulls first",
            "start_address_family",
            "start_address_start",
            "start_address_len",
        ])
        .key(Key::Id)
        // NetBox wants both ends inside the prefix; only the start is tested here.
        .extra_filter(ExtraFilter::Ip {
            name: "parent",
            field: "start_address",
            rel: IpRelation::HostWithin,
        })
        .search(&["description", "start_address", "end_address"]);
    tenancy_filters(t)
}

/// Assigned to interfaces, VM interfaces or FHRP groups. Uniqueness within the VRF (roles
/// such as anycast exempt), /0, network/broadcast addresses on interfaces, populated
/// ranges and SLAAC for IPv6 only are checked by hooks; DNS names are lower-cased.
fn ip_address() -> ObjectType {
    let t = ObjectType::new("ipam", "ipaddress", "ip-addresses")
        .verbose("IP address", "IP addresses")
        .ui("ipam/ip-addresses")
        .fields(vec![
            family(),
            Field::new("address", FieldKind::IpAddress)
                .required()
                .counted_in_blocks(),
            vrf_fk(),
            tenant(),
            choice("status", &IP_ADDRESS_STATUS).default_str("active"),
            choice("role", &IP_ADDRESS_ROLE),
            generic(
                "assigned_object",
                "assigned_object_type",
                "assigned_object_id",
            )
            .to_models(&[
                "dcim.interface",
                "ipam.fhrpgroup",
                "virtualization.vminterface",
            ]),
            fk("nat_inside", "ipam.ipaddress", OnDelete::SetNull),
            // The addresses whose `nat_inside` is this one.
            json("nat_outside").reverse_of("ipam.ipaddress", "nat_inside"),
            string("dns_name", 255)
                .label("DNS name")
                .help("Hostname or FQDN (not case-sensitive)"),
            description(),
            comments(),
            // The services' side of `Service.ipaddresses`, for the `service_id` filter.
            m2m("services", "ipam.service")
                .stored_by("ipaddresses")
                .read_only()
                .write_only(),
        ])
        .brief(&["family", "address", "description"])
        .display(Display::Field("address"))
        .netbox_model()
        .related_in_change_log(&["assigned_object"])
        .contacts()
        // NetBox orders by address alone (no VRF).
        .ordering(&["address_family", "address_start", "address_len"])
        // `primary_ip4=` and `ip_address=` filters name addresses.
        .key(Key::Field("address"))
        .extra_filter(ExtraFilter::Ip {
            name: "parent",
            field: "address",
            rel: IpRelation::HostWithin,
        })
        .extra_filter(ExtraFilter::Ip {
            name: "mask_length",
            field: "address",
            rel: IpRelation::MaskLength,
        })
        .extra_filter(ExtraFilter::AnySet {
            name: "assigned",
            fields: &["assigned_object"],
        })
        .extra_filter(ExtraFilter::GenericTypeIn {
            name: "assigned_to_interface",
            field: "assigned_object",
            models: &["dcim.interface", "virtualization.vminterface"],
        })
        .extra_filter(ExtraFilter::PresentInVrf {
            name: "present_in_vrf",
            by_id: false,
        })
        .extra_filter(ExtraFilter::PresentInVrf {
            name: "present_in_vrf_id",
            by_id: true,
        })
        .search(&["dns_name", "description", "address"]);
    tenancy_filters(interface_assignment_filters(t)).extra_filter(ExtraFilter::GenericTo {
        name: "fhrpgroup_id",
        field: "assigned_object",
        model: "ipam.fhrpgroup",
        path: &[],
        key: Key::Id,
    })
}

// VLANs.

/// The scope may be a region, site group, site, location, rack, cluster group or
/// cluster; NetBox 4.4 keeps no cached scope for groups. `vid_ranges` holds inclusive
/// [start, end] pairs: NetBox's default is [[1, 4094]] and `_total_vlan_ids` their size,
/// both set by a hook, which also checks the ranges (1-4094, ordered, no overlap).
/// `utilization` is the share of those VIDs in use, as text with up to two decimals.
/// Percent of the group's VIDs in use, as NetBox prints it (`"3.0"`).
fn vlan_utilization(r: &dyn RowText) -> String {
    let used: f64 = r.text("vlan_count").parse().unwrap_or(0.0);
    let total: f64 = r.text("_total_vlan_ids").parse().unwrap_or(0.0);
    let pct = if total > 0.0 {
        used / total * 100.0
    } else {
        0.0
    };
    let rounded = (pct * 100.0).round() / 100.0;
    serde_like_float(rounded)
}

/// A float with at least one decimal, as Python prints it.
fn serde_like_float(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

fn vlan_group() -> ObjectType {
    let t = ObjectType::new("ipam", "vlangroup", "vlan-groups")
        .verbose("VLAN group", "VLAN groups")
        .ui("ipam/vlan-groups")
        .fields(vec![
            name(100),
            slug(100),
            generic("scope", "scope_type", "scope_id")
                .bare_id()
                .to_models(&[
                    "dcim.region",
                    "dcim.sitegroup",
                    "dcim.site",
                    "dcim.location",
                    "dcim.rack",
                    "virtualization.clustergroup",
                    "virtualization.cluster",
                ]),
            // Null only until the hook fills NetBox's default (all of 1-4094) in; an
            // explicit empty list is refused.
            json("vid_ranges"),
            tenant(),
            description(),
            int("_total_vlan_ids", Some(0), None)
                .default_int(4094)
                .read_only()
                .write_only(),
            text("utilization").computed_text(vlan_utilization),
        ])
        .brief(&["name", "slug", "description", "vlan_count"])
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .unique_set(&["scope_type", "scope_id", "name"])
        .unique_set(&["scope_type", "scope_id", "slug"])
        .count("vlan_count", "ipam.vlan", "group", false)
        .search(&["name", "description"]);
    tenancy_filters(t)
}

fn vlan_display(r: &dyn RowText) -> String {
    format!("{} ({})", r.text("name"), r.text("vid"))
}

/// Other models' `vlan=` filters (and `vlan_vid`) name a VLAN by its VID. A group's scope
/// must agree with the site, the VID must lie in the group's ranges, and Q-in-Q roles
/// must agree with `qinq_svlan` (hooks).
fn vlan() -> ObjectType {
    let t = ObjectType::new("ipam", "vlan", "vlans")
        .verbose("VLAN", "VLANs")
        .ui("ipam/vlans")
        .fields(vec![
            fk("site", "dcim.site", OnDelete::Protect),
            fk("group", "ipam.vlangroup", OnDelete::Protect),
            vid("vid").label("VLAN ID"),
            string("name", 64).required(),
            tenant(),
            choice("status", &VLAN_STATUS).default_str("active"),
            fk("role", "ipam.role", OnDelete::SetNull),
            description(),
            choice("qinq_role", &VLAN_QINQ_ROLE).label("Qinq role"),
            fk("qinq_svlan", "ipam.vlan", OnDelete::Protect),
            comments(),
            // Needs L2VPN terminations (not declared yet).
            fk(
                "l2vpn_termination",
                "vpn.l2vpntermination",
                OnDelete::SetNull,
            )
            .computed(),
        ])
        .brief(&["vid", "name", "description"])
        .display(Display::Fn(vlan_display))
        .netbox_model()
        // NetBox orders by site, group (their names), then VID.
        .ordering(&["site", "group", "vid"])
        .key(Key::Field("vid"))
        .unique_set(&["group", "vid"])
        .unique_set(&["group", "name"])
        .unique_set(&["qinq_svlan", "vid"])
        .unique_set(&["qinq_svlan", "name"])
        .count("prefix_count", "ipam.prefix", "vlan", false)
        .path_filter("region_id", &["site", "region"], Key::Id)
        .path_filter("region", &["site", "region"], Key::Slug)
        .path_filter("site_group_id", &["site", "group"], Key::Id)
        .path_filter("site_group", &["site", "group"], Key::Slug)
        .field_path("qinq_svlan_vid", &["qinq_svlan"], "vid")
        .search(&["name", "description"]);
    tenancy_filters(t)
}

/// NetBox's serializer shows neither tags, custom fields nor timestamps (nor a
/// `display_url`), so none are declared.
fn vlan_translation_policy() -> ObjectType {
    ObjectType::new("ipam", "vlantranslationpolicy", "vlan-translation-policies")
        .verbose("VLAN translation policy", "VLAN translation policies")
        .fields(vec![
            name(100).unique(),
            description(),
            // The policy's rules (a reverse list).
            json("rules").reverse_of("ipam.vlantranslationrule", "policy"),
        ])
        .brief(&["name", "description"])
        .change_logged()
        .no_timestamps()
        .key(Key::Name)
        .search(&["name", "description"])
}

fn vlan_translation_rule_display(r: &dyn RowText) -> String {
    format!(
        "{} -> {} ({})",
        r.text("local_vid"),
        r.text("remote_vid"),
        r.text("policy")
    )
}

/// As policies: no tags, custom fields, timestamps or `display_url` on the wire, and no
/// brief form of its own. NetBox shows `policy` as a bare id.
fn vlan_translation_rule() -> ObjectType {
    ObjectType::new("ipam", "vlantranslationrule", "vlan-translation-rules")
        .verbose("VLAN translation rule", "VLAN translation rules")
        .fields(vec![
            fk("policy", "ipam.vlantranslationpolicy", OnDelete::Cascade)
                .required()
                .plain(),
            vid("local_vid").label("Local VLAN ID"),
            vid("remote_vid").label("Remote VLAN ID"),
            description(),
        ])
        .display(Display::Fn(vlan_translation_rule_display))
        .change_logged()
        .related_in_change_log(&["policy"])
        .no_timestamps()
        // NetBox orders by policy (i.e. its name), then local VID.
        .ordering(&["policy", "local_vid"])
        .key(Key::Id)
        .unique_set(&["policy", "local_vid"])
        .unique_set(&["policy", "remote_vid"])
}

// FHRP groups.

/// "[name ]<protocol>: <group id>", and the first assigned address in parentheses (kept
/// in `_first_ip` by the address rules).
fn fhrp_group_display(r: &dyn RowText) -> String {
    let name = r.text("name");
    let head = if name.is_empty() {
        String::new()
    } else {
        format!("{name} ")
    };
    let shown = format!("{head}{}: {}", r.text("protocol"), r.text("group_id"));
    match r.text("_first_ip") {
        first if first.is_empty() => shown,
        first => format!("{shown} ({first})"),
    }
}

/// `protocol` and `auth_type` are plain strings on NetBox's wire (model-derived choice
/// fields); here they show as value/label pairs.
fn fhrp_group() -> ObjectType {
    ObjectType::new("ipam", "fhrpgroup", "fhrp-groups")
        .verbose("FHRP group", "FHRP groups")
        .ui("ipam/fhrp-groups")
        .fields(vec![
            string("name", 100),
            choice("protocol", &FHRP_PROTOCOL).required().plain(),
            int("group_id", Some(0), Some(32767))
                .required()
                .label("Group ID"),
            choice("auth_type", &FHRP_AUTH_TYPE)
                .label("Authentication type")
                .plain(),
            string("auth_key", 255).label("Authentication key"),
            description(),
            comments(),
            // The addresses assigned to this group (a reverse generic relation).
            json("ip_addresses").reverse_of("ipam.ipaddress", "assigned_object"),
            // The lowest of them, for the display.
            string("_first_ip", 64).read_only().write_only().no_filter(),
        ])
        .brief(&["protocol", "group_id", "description"])
        .display(Display::Fn(fhrp_group_display))
        .netbox_model()
        .ordering(&["protocol", "group_id"])
        .key(Key::Id)
        .search(&["description", "name"])
}

fn fhrp_group_assignment_display(r: &dyn RowText) -> String {
    format!(
        "{}: {} ({})",
        r.text("interface"),
        r.text("group"),
        r.text("priority")
    )
}

/// Change-logged only (no tags or custom fields) and without `display_url`. NetBox's
/// brief form carries `interface_type`/`interface_id`, which a brief list cannot name, so
/// brief requests get the full form.
fn fhrp_group_assignment() -> ObjectType {
    ObjectType::new("ipam", "fhrpgroupassignment", "fhrp-group-assignments")
        .verbose("FHRP group assignment", "FHRP group assignments")
        .fields(vec![
            fk("group", "ipam.fhrpgroup", OnDelete::Cascade).required(),
            generic("interface", "interface_type", "interface_id")
                .required()
                .to_models(&["dcim.interface", "virtualization.vminterface"]),
            int("priority", Some(0), Some(255)).required(),
        ])
        .display(Display::Fn(fhrp_group_assignment_display))
        .change_logged()
        .ordering(&["-priority"])
        .key(Key::Id)
        .unique_set(&["interface_type", "interface_id", "group"])
        .generic_to(
            "interface",
            ("device", "device_id"),
            "dcim.interface",
            &["device"],
        )
}

// Services.

/// NetBox's `array_to_string`: sorted, consecutive runs as "a-b", joined by ", ".
fn port_list(json: &str) -> String {
    let mut ports: Vec<i64> = json
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    ports.sort_unstable();
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for p in ports {
        match runs.last_mut() {
            Some((_, end)) if p == *end + 1 => *end = p,
            _ => runs.push((p, p)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn service_display(r: &dyn RowText) -> String {
    format!(
        "{} ({}/{})",
        r.text("name"),
        r.text("protocol"),
        port_list(&r.text("ports"))
    )
}

fn ports() -> Field {
    Field::new(
        "ports",
        FieldKind::IntList {
            min: Some(1),
            max: Some(65535),
        },
    )
    .required()
    .label("Port numbers")
}

/// `protocol` may be omitted from the request (OPTIONS says not required) but is never
/// stored empty.
fn service_template() -> ObjectType {
    ObjectType::new("ipam", "servicetemplate", "service-templates")
        .verbose(
            "application service template",
            "application service templates",
        )
        .ui("ipam/service-templates")
        .fields(vec![
            name(100).unique(),
            choice("protocol", &SERVICE_PROTOCOL).not_null(),
            ports(),
            description(),
            comments(),
        ])
        .brief(&["name", "protocol", "ports", "description"])
        .display(Display::Fn(service_display))
        .netbox_model()
        .ordering(&["name"])
        .key(Key::Name)
        .search(&["name", "description"])
}

/// The parent is a device, virtual machine or FHRP group (4.4's generic parent).
fn service() -> ObjectType {
    ObjectType::new("ipam", "service", "services")
        .verbose("application service", "application services")
        .ui("ipam/services")
        .fields(vec![
            generic("parent", "parent_object_type", "parent_object_id")
                .required()
                .to_models(&[
                    "dcim.device",
                    "ipam.fhrpgroup",
                    "virtualization.virtualmachine",
                ]),
            name(100),
            choice("protocol", &SERVICE_PROTOCOL).not_null(),
            ports(),
            m2m("ipaddresses", "ipam.ipaddress"),
            description(),
            comments(),
        ])
        .brief(&["name", "protocol", "ports", "description"])
        .display(Display::Fn(service_display))
        .netbox_model()
        .contacts()
        .ordering(&["protocol", "ports"])
        .key(Key::Id)
        // Addresses are named by address text.
        .path_filter("ip_address_id", &["ipaddresses"], Key::Id)
        .path_filter("ip_address", &["ipaddresses"], Key::Field("address"))
        .search(&["name", "description"])
        .generic_to("parent", ("device", "device_id"), "dcim.device", &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Row(HashMap<&'static str, &'static str>);

    impl RowText for Row {
        fn text(&self, field: &str) -> String {
            self.0.get(field).copied().unwrap_or_default().to_string()
        }
        fn id(&self) -> i64 {
            1
        }
    }

    fn row(pairs: &[(&'static str, &'static str)]) -> Row {
        Row(pairs.iter().copied().collect())
    }

    #[test]
    fn asns_show_their_asdot_form() {
        assert_eq!(asn_display(&row(&[("asn", "65000")])), "AS65000");
        assert_eq!(
            asn_display(&row(&[("asn", "4200000001")])),
            "AS4200000001 (64086.59905)"
        );
    }

    #[test]
    fn ip_range_names_as_netbox_does() {
        let r = row(&[
            ("start_address", "192.0.2.100/24"),
            ("end_address", "192.0.2.120/24"),
        ]);
        assert_eq!(ip_range_display(&r), "192.0.2.100-120/24");
        let r = row(&[
            ("start_address", "2001:db8::10/64"),
            ("end_address", "2001:db8::ff/64"),
        ]);
        assert_eq!(ip_range_display(&r), "2001:db8::10-ff/64");
    }

    #[test]
    fn services_list_port_runs() {
        assert_eq!(port_list("[22,830]"), "22, 830");
        assert_eq!(port_list("[16,0,1,2,10,14,15]"), "0-2, 10, 14-16");
        let r = row(&[("name", "ssh"), ("protocol", "TCP"), ("ports", "[22]")]);
        assert_eq!(service_display(&r), "ssh (TCP/22)");
    }

    #[test]
    fn fhrp_groups_show_protocol_and_id() {
        let r = row(&[("protocol", "VRRPv3"), ("group_id", "100")]);
        assert_eq!(fhrp_group_display(&r), "VRRPv3: 100");
        let r = row(&[("name", "gw"), ("protocol", "HSRP"), ("group_id", "1")]);
        assert_eq!(fhrp_group_display(&r), "gw HSRP: 1");
        let r = row(&[
            ("protocol", "VRRPv2"),
            ("group_id", "5"),
            ("_first_ip", "10.0.0.1/24"),
        ]);
        assert_eq!(fhrp_group_display(&r), "VRRPv2: 5 (10.0.0.1/24)");
    }
}
