//! dcim: regions, site groups, sites, locations.

use crate::choices;
use crate::field::*;
use crate::object_type::{Key, ObjectType};

choices!(SITE_STATUS,
    "planned" => "Planned" / "cyan",
    "staging" => "Staging" / "blue",
    "active" => "Active" / "green",
    "decommissioning" => "Decommissioning" / "yellow",
    "retired" => "Retired" / "red",
);

choices!(LOCATION_STATUS,
    "planned" => "Planned" / "cyan",
    "staging" => "Staging" / "blue",
    "active" => "Active" / "green",
    "decommissioning" => "Decommissioning" / "yellow",
    "retired" => "Retired" / "red",
);

pub fn types() -> Vec<ObjectType> {
    vec![region(), site_group(), site(), location()]
}

/// The `contact`, `contact_role` and `contact_group` filters come with `.contacts()`;
/// `tag`/`tag_id` with tags.
fn region() -> ObjectType {
    ObjectType::new("dcim", "region", "regions")
        .verbose("region", "regions")
        .ui("dcim/regions")
        .fields(vec![
            fk("parent", "dcim.region", OnDelete::Cascade),
            name(100),
            slug(100),
            description(),
            comments(),
        ])
        .brief(&["name", "slug", "description", "site_count", "_depth"])
        .netbox_model()
        .contacts()
        .tree()
        .unique_among_siblings(&[], "parent", &["name", "slug"])
        .unique_message(
            &["name"],
            true,
            "A top-level region with this name already exists.",
        )
        .unique_message(
            &["slug"],
            true,
            "A top-level region with this slug already exists.",
        )
        .count("site_count", "dcim.site", "region", true)
        // Prefixes scoped to this region itself, not to its descendants.
        .count("prefix_count", "ipam.prefix", "_region", false)
        .search(&["name", "slug", "description"])
}

/// Names and slugs are unique per parent, and among top-level groups. The top-level
/// messages are those of DRF's UniqueValidator on the field.
fn site_group() -> ObjectType {
    ObjectType::new("dcim", "sitegroup", "site-groups")
        .verbose("site group", "site groups")
        .ui("dcim/site-groups")
        .fields(vec![
            fk("parent", "dcim.sitegroup", OnDelete::Cascade),
            name(100),
            slug(100),
            description(),
            comments(),
        ])
        .brief(&["name", "slug", "description", "site_count", "_depth"])
        .netbox_model()
        .contacts()
        .tree()
        .unique_among_siblings(&[], "parent", &["name", "slug"])
        .unique_message(
            &["name"],
            true,
            "A top-level site group with this name already exists.",
        )
        .unique_message(
            &["slug"],
            true,
            "A top-level site group with this slug already exists.",
        )
        .count("site_count", "dcim.site", "group", true)
        // Prefixes scoped to this group itself, not to its descendants.
        .count("prefix_count", "ipam.prefix", "_site_group", false)
        .search(&["name", "slug", "description", "comments"])
}

fn site() -> ObjectType {
    ObjectType::new("dcim", "site", "sites")
        .verbose("site", "sites")
        .ui("dcim/sites")
        .fields(vec![
            name(100).unique().help("Full name of the site"),
            slug(100).unique(),
            choice("status", &SITE_STATUS).default_str("active"),
            fk("region", "dcim.region", OnDelete::SetNull),
            fk("group", "dcim.sitegroup", OnDelete::SetNull),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            string("facility", 50).help("Local facility ID or description"),
            string("time_zone", 63).blank_null(),
            description(),
            string("physical_address", 200).help("Physical location of the building"),
            string("shipping_address", 200).help("If different from the physical address"),
            decimal("latitude", 8, 6)
                .bounds(-90.0, 90.0)
                .null()
                .help("GPS coordinate in decimal format (xx.yyyyyy)"),
            decimal("longitude", 9, 6)
                .bounds(-180.0, 180.0)
                .null()
                .help("GPS coordinate in decimal format (xx.yyyyyy)"),
            comments(),
            m2m("asns", "ipam.asn"),
        ])
        .brief(&["name", "slug", "description"])
        .netbox_model()
        .contacts()
        .natural("name")
        .ordering(&["_name"])
        .count(
            "circuit_count",
            "circuits.circuittermination",
            "_site",
            false,
        )
        .count("device_count", "dcim.device", "site", false)
        .count("prefix_count", "ipam.prefix", "_site", false)
        .count("rack_count", "dcim.rack", "site", false)
        .count(
            "virtualmachine_count",
            "virtualization.virtualmachine",
            "site",
            false,
        )
        .count("vlan_count", "ipam.vlan", "site", false)
        .path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
        .search(&[
            "name",
            "facility",
            "description",
            "physical_address",
            "shipping_address",
            "comments",
        ])
}

/// A parent must belong to the same site (checked by NetBox's `clean()`).
fn location() -> ObjectType {
    ObjectType::new("dcim", "location", "locations")
        .verbose("location", "locations")
        .ui("dcim/locations")
        .fields(vec![
            fk("parent", "dcim.location", OnDelete::Cascade),
            name(100),
            slug(100),
            fk("site", "dcim.site", OnDelete::Cascade).required(),
            choice("status", &LOCATION_STATUS).default_str("active"),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
            string("facility", 50).help("Local facility ID or description"),
            description(),
            comments(),
        ])
        .brief(&["name", "slug", "description", "rack_count", "_depth"])
        .netbox_model()
        .contacts()
        .tree()
        // NetBox orders by site (i.e. its name), then name.
        .ordering(&["site_id", "name"])
        .unique_among_siblings(&["site"], "parent", &["name", "slug"])
        .unique_message(
            &["site", "name"],
            true,
            "A location with this name already exists within the specified site.",
        )
        .unique_message(
            &["site", "slug"],
            true,
            "A location with this slug already exists within the specified site.",
        )
        .count("rack_count", "dcim.rack", "location", true)
        .count("device_count", "dcim.device", "location", true)
        .count("prefix_count", "ipam.prefix", "_location", false)
        .path_filter("region_id", &["site", "region"], Key::Id)
        .path_filter("region", &["site", "region"], Key::Slug)
        .path_filter("site_group_id", &["site", "group"], Key::Id)
        .path_filter("site_group", &["site", "group"], Key::Slug)
        .path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
        .search(&["name", "slug", "description", "comments", "facility"])
}
