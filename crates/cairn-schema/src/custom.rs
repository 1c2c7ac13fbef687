//! Registry entries defined at run time: custom fields and their choice sets. Built-in
//! models are declared in Rust; these come from the database, and a registry holding them
//! is rebuilt (and swapped in whole) whenever a definition changes.

use std::sync::Arc;

use serde_json::Value as Json;

/// What a custom field holds (NetBox's custom field types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomKind {
    Text,
    LongText,
    Integer,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Url,
    Json,
    Select,
    MultiSelect,
    Object,
    MultiObject,
}

impl CustomKind {
    pub fn parse(s: &str) -> Option<CustomKind> {
        Some(match s {
            "text" => CustomKind::Text,
            "longtext" => CustomKind::LongText,
            "integer" => CustomKind::Integer,
            "decimal" => CustomKind::Decimal,
            "boolean" => CustomKind::Boolean,
            "date" => CustomKind::Date,
            "datetime" => CustomKind::DateTime,
            "url" => CustomKind::Url,
            "json" => CustomKind::Json,
            "select" => CustomKind::Select,
            "multiselect" => CustomKind::MultiSelect,
            "object" => CustomKind::Object,
            "multiobject" => CustomKind::MultiObject,
            _ => return None,
        })
    }

    /// Text-like values (filters match them loosely or exactly).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            CustomKind::Text | CustomKind::LongText | CustomKind::Url
        )
    }
}

/// How `cf_<name>=` filters match text (NetBox's filter logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterLogic {
    Disabled,
    Loose,
    Exact,
}

impl FilterLogic {
    pub fn parse(s: &str) -> FilterLogic {
        match s {
            "disabled" => FilterLogic::Disabled,
            "exact" => FilterLogic::Exact,
            _ => FilterLogic::Loose,
        }
    }
}

/// The choices of a selection field, in their order (alphabetical when the set says so).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomChoices {
    pub name: String,
    /// (value, label)
    pub choices: Vec<(String, String)>,
}

impl CustomChoices {
    pub fn has(&self, value: &str) -> bool {
        self.choices.iter().any(|(v, _)| v == value)
    }
}

/// A custom field, as the registry knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomField {
    pub id: i64,
    /// `^[a-z0-9_]+$`, never with a double underscore.
    pub name: String,
    pub label: String,
    pub kind: CustomKind,
    /// The models it applies to ("dcim.site").
    pub object_types: Vec<String>,
    /// For object fields, the model they point at.
    pub related_object_type: Option<String>,
    pub required: bool,
    pub unique: bool,
    pub default: Option<Json>,
    pub group_name: String,
    pub weight: i64,
    pub filter_logic: FilterLogic,
    pub validation_minimum: Option<f64>,
    pub validation_maximum: Option<f64>,
    pub validation_regex: String,
    pub choices: Option<Arc<CustomChoices>>,
}

/// Whether a name may be a custom field's (and so appear in SQL JSON paths).
pub fn valid_custom_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.contains("__")
}
