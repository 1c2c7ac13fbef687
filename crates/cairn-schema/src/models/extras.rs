//! extras: tags.

use crate::field::*;
use crate::object_type::ObjectType;

pub fn types() -> Vec<ObjectType> {
    vec![tag()]
}

/// Change logged, but tags carry no tags or custom fields of their own.
fn tag() -> ObjectType {
    ObjectType::new("extras", "tag", "tags")
        .verbose("tag", "tags")
        .ui("extras/tags")
        .fields(vec![
            name(100).unique(),
            slug(100).unique(),
            color("color").default_str("9e9e9e"),
            description(),
            int("weight", None, None)
                .bounds(0.0, 32767.0)
                .default_int(1000),
            // Empty: the tag may be applied to any object type.
            m2m("object_types", "core.objecttype"),
        ])
        .brief(&["name", "slug", "color", "description"])
        .change_logged()
        .ordering(&["weight", "name"])
        .count("tagged_items", "extras.taggeditem", "tag", false)
        .search(&["name", "slug", "description"])
}
