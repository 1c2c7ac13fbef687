//! Store errors: what a caller (the API) maps to an HTTP status.

use std::collections::BTreeMap;

/// Why a value was refused. The generic checks say what is wrong in these terms (the API
/// words them as clients expect); a model rule carries its own sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// Not given, where it must be.
    Required,
    /// Given as an empty string.
    Blank,
    /// Given as null.
    Null,
    TooLong(u32),
    TooShort(u32),
    NotASlug,
    NotAChoice(String),
    NotAnIp,
    NotAMac(String),
    NotAUrl,
    NotAnEmail,
    NotADate,
    NotAColor,
    /// Below the least value allowed (written as the bound).
    TooSmall(String),
    /// Above the greatest value allowed.
    TooLarge(String),
    TooManyDecimalPlaces(u8),
    TooManyDigits(u8),
    /// No object with this id (a foreign key).
    NoSuchObject(i64),
    /// No object with this id (one of a many-to-many field's).
    NoSuchMember(i64),
    /// Another object of `model` has this value of `field`.
    Taken {
        model: String,
        field: String,
    },
    /// A generic relation to a model it may not point at.
    WrongType(String),
    /// A generic relation to an unknown object type.
    UnknownType,
    /// A tree node made its own ancestor.
    OwnAncestor(String),
    /// A model rule, in its own words.
    Rule(String),
}

impl From<&str> for Invalid {
    fn from(s: &str) -> Invalid {
        Invalid::Rule(s.to_string())
    }
}

impl From<String> for Invalid {
    fn from(s: String) -> Invalid {
        Invalid::Rule(s)
    }
}

/// What is wrong, per field ("__all__" for the object as a whole, as Django files a
/// model's own errors).
pub type FieldErrors = BTreeMap<String, Vec<Invalid>>;

/// Adds a reason to a field's list.
pub fn add_error(errors: &mut FieldErrors, field: &str, why: impl Into<Invalid>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(why.into());
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
    /// A rule refused the request as a whole (NetBox's `AbortRequest`): a 400 with
    /// `detail`.
    #[error("{0}")]
    Refused(String),
    /// The database refused a value the checks before it let through.
    #[error("invalid value: {0}")]
    BadValue(String),
}

impl StoreError {
    pub fn field(field: &str, why: impl Into<Invalid>) -> StoreError {
        let mut e = FieldErrors::new();
        e.insert(field.to_string(), vec![why.into()]);
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
