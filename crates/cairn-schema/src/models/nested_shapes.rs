//! Relations NetBox 4.4 shows through one of its `Nested*Serializer`s (or a nested
//! serializer limited with `fields=`) rather than the target's brief form: the keys after
//! `id` and `url`, in NetBox's order. Counts those serializers name are left out, as
//! NetBox leaves them out where the queryset does not annotate them.

use crate::object_type::ObjectType;

const TREE: &[&str] = &["display_url", "display", "name", "slug", "_depth"];
const NAMED: &[&str] = &["display_url", "display", "name"];
const ADDRESS: &[&str] = &["display_url", "display", "family", "address"];

/// (model label, field, keys after id and url).
pub const NESTED_SHAPES: &[(&str, &str, &[&str])] = &[
    ("dcim.region", "parent", TREE),
    ("dcim.sitegroup", "parent", TREE),
    ("dcim.location", "parent", TREE),
    ("tenancy.tenantgroup", "parent", TREE),
    ("tenancy.contactgroup", "parent", TREE),
    ("dcim.devicerole", "parent", NAMED),
    ("dcim.platform", "parent", NAMED),
    ("dcim.virtualchassis", "master", NAMED),
    ("dcim.virtualchassis", "members", NAMED),
    ("dcim.module", "module_bay", NAMED),
    ("dcim.modulebay", "module", &["display"]),
    (
        "dcim.modulebay",
        "installed_module",
        &["display", "serial", "description"],
    ),
    ("ipam.ipaddress", "nat_inside", ADDRESS),
    ("ipam.ipaddress", "nat_outside", ADDRESS),
    (
        "ipam.vlantranslationpolicy",
        "rules",
        &[
            "display",
            "policy",
            "local_vid",
            "remote_vid",
            "description",
        ],
    ),
    (
        "users.objectpermission",
        "users",
        &["display_url", "display", "username"],
    ),
    ("users.objectpermission", "groups", NAMED),
];

/// Marks the relations of `NESTED_SHAPES` on the declared types.
pub fn apply(mut types: Vec<ObjectType>) -> Vec<ObjectType> {
    for t in &mut types {
        let label = t.label();
        for (_, field, keys) in NESTED_SHAPES.iter().filter(|(l, _, _)| *l == label) {
            if let Some(f) = t.fields.iter_mut().find(|f| f.name == *field) {
                f.nested_fields = Some(keys);
            }
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::NESTED_SHAPES;
    use crate::Registry;

    #[test]
    fn every_nested_shape_names_a_relation() {
        let reg = Registry::build();
        for (label, field, _) in NESTED_SHAPES {
            let f = reg.get(label).and_then(|t| t.field(field));
            assert!(
                f.is_some_and(|f| f.nested_fields.is_some()),
                "{label}.{field}"
            );
        }
    }
}
