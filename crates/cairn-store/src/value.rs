//! Dynamic values and records: a row is a vector of values indexed like its type's fields.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Json(serde_json::Value),
    Time(DateTime<Utc>),
    Bytes(Vec<u8>),
    /// Many-to-many ids.
    Ids(Vec<i64>),
    /// Generic relation: (object type id, object id).
    Ref(i64, i64),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<Vec<u8>> for Value {
    fn from(b: Vec<u8>) -> Value {
        Value::Bytes(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// One object: `values[i]` belongs to field `i` of its type.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: i64,
    pub values: Vec<Value>,
    pub created: Option<DateTime<Utc>>,
    pub last_updated: Option<DateTime<Utc>>,
    /// `custom_field_data` (a JSON object) for models with custom fields.
    pub custom: serde_json::Value,
    /// Tag ids, for models with tags (loaded on demand).
    pub tags: Vec<i64>,
    /// Related-object counts, in the order of the type's `counts`.
    pub counts: Vec<i64>,
}

impl Record {
    pub fn empty(n_fields: usize) -> Record {
        Record {
            id: 0,
            values: vec![Value::Null; n_fields],
            created: None,
            last_updated: None,
            custom: serde_json::Value::Object(Default::default()),
            tags: Vec::new(),
            counts: Vec::new(),
        }
    }
}

/// Timestamps travel as text on SQLite in this one fixed, sortable format.
pub fn format_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What people type for a time: RFC 3339, the same without a zone (UTC), a space instead
/// of the `T`, or a bare date (midnight UTC).
pub fn parse_time_loose(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    parse_time(s)
        .or_else(|| parse_time(&format!("{s}Z")))
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|d| d.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}
