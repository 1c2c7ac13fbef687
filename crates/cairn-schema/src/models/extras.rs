//! extras: tags and the objects they are on.

use crate::choices;
use crate::field::*;
use crate::object_type::{Display, ExtraFilter, Key, ObjectType, RowText};

choices!(CUSTOM_FIELD_TYPE,
    "text" => "Text",
    "longtext" => "Text (long)",
    "integer" => "Integer",
    "decimal" => "Decimal",
    "boolean" => "Boolean (true/false)",
    "date" => "Date",
    "datetime" => "Date & time",
    "url" => "URL",
    "json" => "JSON",
    "select" => "Selection",
    "multiselect" => "Multiple selection",
    "object" => "Object",
    "multiobject" => "Multiple objects",
);

choices!(CUSTOM_FIELD_FILTER_LOGIC,
    "disabled" => "Disabled",
    "loose" => "Loose",
    "exact" => "Exact",
);

choices!(CUSTOM_FIELD_UI_VISIBLE,
    "always" => "Always" / "green",
    "if-set" => "If set" / "yellow",
    "hidden" => "Hidden" / "gray",
);

choices!(CUSTOM_FIELD_UI_EDITABLE,
    "yes" => "Yes" / "green",
    "no" => "No" / "red",
    "hidden" => "Hidden" / "gray",
);

choices!(CUSTOM_FIELD_BASE_CHOICES,
    "IATA" => "IATA (Airport codes)",
    "ISO_3166" => "ISO 3166 (Country codes)",
    "UN_LOCODE" => "UN/LOCODE (Location codes)",
);

pub fn types() -> Vec<ObjectType> {
    vec![
        tag(),
        tagged_item(),
        custom_field_choice_set(),
        custom_field(),
    ]
}

/// The label, or the name humanized as Python's `str.capitalize` does it.
fn custom_field_display(r: &dyn RowText) -> String {
    let label = r.text("label");
    if !label.is_empty() {
        return label;
    }
    let name = r.text("name").replace('_', " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// The JSON type of a custom field's values, from its type's label.
fn custom_field_data_type(r: &dyn RowText) -> String {
    match r.text("type").as_str() {
        "Integer" => "integer",
        "Decimal" => "decimal",
        "Boolean (true/false)" => "boolean",
        "JSON" | "Object" => "object",
        "Multiple selection" | "Multiple objects" => "array",
        _ => "string",
    }
    .into()
}

/// A custom field: a registry entry defined at run time. Its rules (what each type may
/// set, the name's form, no type changes) are domain hooks; writing one rebuilds the
/// registry.
fn custom_field() -> ObjectType {
    ObjectType::new("extras", "customfield", "custom-fields")
        .verbose("custom field", "custom fields")
        .ui("extras/custom-fields")
        .fields(vec![
            m2m("object_types", "core.objecttype").required(),
            choice("type", &CUSTOM_FIELD_TYPE).required(),
            fk("related_object_type", "core.objecttype", OnDelete::Protect),
            string("data_type", 0).computed_text(custom_field_data_type),
            string("name", 50)
                .required()
                .unique()
                .help("Internal field name"),
            string("label", 50).help(
                "Name of the field as displayed to users (if not provided, 'the field's name will be used)",
            ),
            string("group_name", 50)
                .help("Custom fields within the same group will be displayed together"),
            description(),
            boolean("required").help(
                "This field is required when creating new objects or editing an existing object.",
            ),
            boolean("unique")
                .label("Must be unique")
                .help("The value of this field must be unique for the assigned object"),
            int("search_weight", None, None)
                .bounds(0.0, 32767.0)
                .default_int(1000)
                .help("Weighting for search. Lower values are considered more important. Fields with a search weight of zero will be ignored."),
            choice("filter_logic", &CUSTOM_FIELD_FILTER_LOGIC).default_str("loose"),
            choice("ui_visible", &CUSTOM_FIELD_UI_VISIBLE).default_str("always"),
            choice("ui_editable", &CUSTOM_FIELD_UI_EDITABLE).default_str("yes"),
            boolean("is_cloneable").help("Replicate this value when cloning objects"),
            json("default").help("Default value for the field (must be a JSON value). Encapsulate strings with double quotes (e.g. \"Foo\")."),
            json("related_object_filter").help("Filter the object selection choices using a query_params dict (must be a JSON value).Encapsulate strings with double quotes (e.g. \"Foo\")."),
            int("weight", None, None)
                .bounds(0.0, 32767.0)
                .default_int(100)
                .label("Display weight")
                .help("Fields with higher weights appear lower in a form."),
            decimal("validation_minimum", 16, 4)
                .label("Minimum value")
                .help("Minimum allowed value (for numeric fields)"),
            decimal("validation_maximum", 16, 4)
                .label("Maximum value")
                .help("Maximum allowed value (for numeric fields)"),
            string("validation_regex", 500).help("Regular expression to enforce on text field values. Use ^ and $ to force matching of entire string. For example, <code>^[A-Z]{3}$</code> will limit values to exactly three uppercase letters."),
            fk(
                "choice_set",
                "extras.customfieldchoiceset",
                OnDelete::Protect,
            ),
            comments(),
        ])
        .brief(&["name", "description"])
        .display(Display::Fn(custom_field_display))
        .change_logged()
        .ordering(&["group_name", "weight", "name"])
        .key(Key::Name)
        .search(&["name", "label", "description"])
}

/// The choices of selection custom fields: `[value, label]` pairs, kept in order or
/// sorted by value. `choices_count` is stored by the domain on every save.
fn custom_field_choice_set() -> ObjectType {
    ObjectType::new("extras", "customfieldchoiceset", "custom-field-choice-sets")
        .verbose("custom field choice set", "custom field choice sets")
        .ui("extras/custom-field-choices")
        .fields(vec![
            name(100).unique(),
            description(),
            choice("base_choices", &CUSTOM_FIELD_BASE_CHOICES).blank_null(),
            json("extra_choices"),
            boolean("order_alphabetically")
                .help("Choices are automatically ordered alphabetically"),
            int("choices_count", None, None).default_int(0).read_only(),
        ])
        .brief(&["name", "description", "choices_count"])
        .change_logged()
        .ordering(&["name"])
        .key(Key::Name)
        .search(&["name", "description"])
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
        // NetBox's view orders by tag weight, then tag name.
        .ordering(&["tag.weight", "tag.name", "id"])
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
            m2m("object_types", "core.objecttype").to_models_with_tags(),
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
