//! ipam: so far the RIRs and AS numbers that sites refer to.

use crate::field::*;
use crate::object_type::{Display, Key, ObjectType, RowText};

pub fn types() -> Vec<ObjectType> {
    vec![rir(), asn()]
}

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

fn asn_display(r: &dyn RowText) -> String {
    format!("AS{}", r.text("asn"))
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
            fk("rir", "ipam.rir", OnDelete::Protect).label("RIR"),
            fk("tenant", "tenancy.tenant", OnDelete::Protect),
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
        .key(Key::Field("asn"))
        .count("site_count", "dcim.site", "asns", false)
        .count("provider_count", "circuits.provider", "asns", false)
        .path_filter("site_group_id", &["sites", "group"], Key::Id)
        .path_filter("site_group", &["sites", "group"], Key::Slug)
        .path_filter("tenant_group_id", &["tenant", "group"], Key::Id)
        .path_filter("tenant_group", &["tenant", "group"], Key::Slug)
        .search(&["description"])
}
