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
    /// No connection could be had in time (pool exhausted, database down, lock
    /// contention): worth retrying shortly.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database refused a value the checks before it let through.
    #[error("invalid value: {0}")]
    BadValue(String),
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
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::ConstraintViolation) => {
                StoreError::Conflict("A conflicting object already exists.".into())
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Db(e.to_string()),
        }
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        let Some(db) = e.as_db_error() else {
            return if e.is_closed() {
                StoreError::Unavailable(e.to_string())
            } else {
                StoreError::Db(e.to_string())
            };
        };
        let code = db.code().code();
        let message = format!("{code}: {}", db.message());
        match code {
            // Class 22: data exceptions (bad text for a type, NUL bytes, values out of
            // range, regular expressions PostgreSQL rejects).
            c if c.starts_with("22") => StoreError::BadValue(message),
            "23505" => StoreError::Conflict("A conflicting object already exists.".into()),
            // Serialization failures and deadlocks: the same request may well succeed.
            "40001" | "40P01" | "55P03" | "57P01" => StoreError::Unavailable(message),
            _ => StoreError::Db(message),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
