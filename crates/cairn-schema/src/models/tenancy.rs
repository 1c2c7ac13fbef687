//! tenancy: tenant groups, tenants, contact groups, contact roles, contacts, contact
//! assignments.

use crate::choices;
use crate::field::*;
use crate::object_type::{Display, Key, ObjectType, RowText};

choices!(CONTACT_PRIORITY,
    "primary" => "Primary",
    "secondary" => "Secondary",
    "tertiary" => "Tertiary",
    "inactive" => "Inactive",
);

pub fn types() -> Vec<ObjectType> {
    vec![
        tenant_group(),
        tenant(),
        contact_group(),
        contact_role(),
        contact(),
        contact_assignment(),
    ]
}

fn tenant_group() -> ObjectType {
    ObjectType::new("tenancy", "tenantgroup", "tenant-groups")
        .verbose("tenant group", "tenant groups")
        .ui("tenancy/tenant-groups")
        .fields(vec![
            fk("parent", "tenancy.tenantgroup", OnDelete::Cascade),
            name(100).unique(),
            slug(100).unique(),
            description(),
            comments(),
        ])
        .brief(&["name", "slug", "description", "tenant_count", "_depth"])
        .netbox_model()
        .tree()
        .natural("name")
        .ordering(&["_name"])
        .count("tenant_count", "tenancy.tenant", "group", true)
        .search(&["name", "slug", "description", "comments"])
}

/// Messages are what DRF 3.16 answers: the two-field constraints become a
/// UniqueTogetherValidator (its generic text, not NetBox's violation_error_message), the
/// top-level ones a UniqueValidator on the field.
fn tenant() -> ObjectType {
    ObjectType::new("tenancy", "tenant", "tenants")
        .verbose("tenant", "tenants")
        .ui("tenancy/tenants")
        .fields(vec![
            name(100),
            slug(100),
            fk("group", "tenancy.tenantgroup", OnDelete::SetNull),
            description(),
            comments(),
        ])
        .brief(&["name", "slug", "description"])
        .netbox_model()
        .contacts()
        .natural("name")
        .ordering(&["_name"])
        .unique_among_siblings(&[], "group", &["name", "slug"])
        .unique_message(
            &["group", "name"],
            false,
            "Tenant name must be unique per group.",
        )
        .unique_message(
            &["group", "slug"],
            false,
            "Tenant slug must be unique per group.",
        )
        // NetBox gives these top-level constraints no message of their own.
        .unique_message(
            &["name"],
            true,
            "Constraint “tenancy_tenant_unique_name” is violated.",
        )
        .unique_message(
            &["slug"],
            true,
            "Constraint “tenancy_tenant_unique_slug” is violated.",
        )
        .count("circuit_count", "circuits.circuit", "tenant", false)
        .count("device_count", "dcim.device", "tenant", false)
        .count("ipaddress_count", "ipam.ipaddress", "tenant", false)
        .count("prefix_count", "ipam.prefix", "tenant", false)
        .count("rack_count", "dcim.rack", "tenant", false)
        .count("site_count", "dcim.site", "tenant", false)
        .count(
            "virtualmachine_count",
            "virtualization.virtualmachine",
            "tenant",
            false,
        )
        .count("vlan_count", "ipam.vlan", "tenant", false)
        .count("vrf_count", "ipam.vrf", "tenant", false)
        .count("cluster_count", "virtualization.cluster", "tenant", false)
        .search(&["name", "slug", "description", "comments"])
}

/// Unlike the other groups, names are unique only per parent and slugs not at all.
fn contact_group() -> ObjectType {
    ObjectType::new("tenancy", "contactgroup", "contact-groups")
        .verbose("contact group", "contact groups")
        .ui("tenancy/contact-groups")
        .fields(vec![
            fk("parent", "tenancy.contactgroup", OnDelete::Cascade),
            name(100),
            slug(100),
            description(),
            comments(),
            // The contacts' side of `Contact.groups`, for the `contact_id` filter.
            m2m("contacts", "tenancy.contact")
                .stored_by("groups")
                .read_only()
                .write_only(),
        ])
        .brief(&["name", "slug", "description", "contact_count", "_depth"])
        .netbox_model()
        .tree()
        .unique_set(&["parent", "name"])
        // Counted through the contacts' `groups` many-to-many.
        .count("contact_count", "tenancy.contact", "groups", true)
        .search(&["name", "slug", "description", "comments"])
}

fn contact_role() -> ObjectType {
    ObjectType::new("tenancy", "contactrole", "contact-roles")
        .verbose("contact role", "contact roles")
        .ui("tenancy/contact-roles")
        .fields(vec![name(100).unique(), slug(100).unique(), description()])
        .brief(&["name", "slug", "description"])
        .netbox_model()
        .search(&["name", "slug", "description"])
}

/// Contacts have no slug: the `contact` filters of other models take ids.
fn contact() -> ObjectType {
    ObjectType::new("tenancy", "contact", "contacts")
        .verbose("contact", "contacts")
        .ui("tenancy/contacts")
        .fields(vec![
            m2m("groups", "tenancy.contactgroup"),
            name(100),
            string("title", 100),
            string("phone", 50),
            email("email", 254),
            string("address", 200),
            url("link", 200),
            description(),
            comments(),
        ])
        .brief(&["name", "description"])
        .netbox_model()
        .natural("name")
        .ordering(&["_name"])
        .key(Key::Id)
        .path_filter("group_id", &["groups"], Key::Id)
        .path_filter("group", &["groups"], Key::Slug)
        .search(&[
            "name",
            "title",
            "phone",
            "email",
            "address",
            "link",
            "description",
            "comments",
        ])
}

fn contact_assignment_display(r: &dyn RowText) -> String {
    let priority = r.text("priority");
    if priority.is_empty() {
        format!("{} -> {}", r.text("contact"), r.text("object"))
    } else {
        format!(
            "{} ({}) -> {}",
            r.text("contact"),
            priority,
            r.text("object")
        )
    }
}

/// No UI page of its own (NetBox omits `display_url`). `role` may be omitted from the
/// request but never stored as NULL.
fn contact_assignment() -> ObjectType {
    ObjectType::new("tenancy", "contactassignment", "contact-assignments")
        .verbose("contact assignment", "contact assignments")
        .fields(vec![
            generic("object", "object_type", "object_id")
                .required()
                .to_models_with_contacts(),
            fk("contact", "tenancy.contact", OnDelete::Protect).required(),
            fk("role", "tenancy.contactrole", OnDelete::Protect),
            choice("priority", &CONTACT_PRIORITY),
        ])
        .brief(&["contact", "role", "priority"])
        .display(Display::Fn(contact_assignment_display))
        .netbox_model()
        .related_in_change_log(&["object"])
        // NetBox orders by contact and role, i.e. by their names.
        .ordering(&["contact", "priority", "role", "id"])
        .key(Key::Id)
        .unique_set(&["object_type", "object_id", "contact", "role"])
        .path_filter("group_id", &["contact", "groups"], Key::Id)
        .path_filter("group", &["contact", "groups"], Key::Slug)
}
