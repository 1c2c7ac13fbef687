//! extras: tags and the objects they are on.

use crate::field::*;
use crate::object_type::{Display, ExtraFilter, Key, ObjectType, RowText};

pub fn types() -> Vec<ObjectType> {
    vec![tag(), tagged_item()]
}

fn tagged_item_display(r: &dyn RowText) -> String {
    format!("{} tagged with {}", r.text("object"), r.text("tag"))
}

/// One tag on one object. Written through the tagged objects' `tags`; served read-only.
fn tagged_item() -> ObjectType {
    ObjectType::new("extras", "taggeditem", "tagged-objects")
        .verbose("tagged item", "tagged items")
        .fields(vec![
            generic("object", "object_type", "object_id").required(),
            fk("tag", "extras.tag", OnDelete::Cascade).required(),
        ])
        .brief(&[])
        .display(Display::Fn(tagged_item_display))
        .ordering(&["id"])
        .key(Key::Id)
        .unique_set(&["object_type", "object_id", "tag"])
        .read_only()
        .no_timestamps()
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
        .extra_filter(ExtraFilter::Reverse {
            name: "content_type",
            model: "extras.taggeditem",
            field: "tag",
            param: "object_type",
        })
        .extra_filter(ExtraFilter::Reverse {
            name: "content_type_id",
            model: "extras.taggeditem",
            field: "tag",
            param: "object_type_id",
        })
        .extra_filter(ExtraFilter::EmptyOrHas {
            name: "for_object_type_id",
            field: "object_types",
        })
        .search(&["name", "slug", "description"])
}
