//! Store errors: what a caller (the API) maps to an HTTP status.

use std::collections::BTreeMap;

/// Per-field validation messages, keyed by field name ("non_field_errors" for the rest).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Adds a message to a field's list.
pub fn add_error(errors: &mut FieldErrors, field: &str, msg: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(msg.into());
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(String),
    #[error("validation failed")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    /// A PROTECT relation blocks a delete: the message names the blocking objects.
    #[error("{0}")]
    Protected(String),
    #[error("{0}")]
    Conflict(String),
    #[error("configuration: {0}")]
    Config(String),
}

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> StoreError {
        let mut e = FieldErrors::new();
        e.insert(field.to_string(), vec![message.into()]);
        StoreError::Invalid(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Db(e.to_string())
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        match e.as_db_error() {
            Some(db) => StoreError::Db(format!("{}: {}", db.code().code(), db.message())),
            None => StoreError::Db(e.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
