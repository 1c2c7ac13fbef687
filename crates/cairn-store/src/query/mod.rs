//! The query layer: filters in model terms, below every front end.
//!
//! Two languages compile to the one `Filter` tree here:
//! - NetBox's filter-set parameters (`name__ic=`, `site_id=`, `tag=`, `q=`, `parent=`…),
//!   which REST lists, UI filter forms and saved filters speak (`params`);
//! - Django-style lookup dictionaries over field paths (`{"site__region__slug": "eu",
//!   "status__in": ["active"]}`), which permission constraints and other stored
//!   conditions speak (`lookups`).
//!
//! Both resolve names through the registry and check each value against its field's kind
//! before any SQL is written; errors are typed, and worded by the caller.

mod kinds;
pub mod lookups;
pub mod params;

pub use lookups::from_lookups;
pub use params::{from_params, reads, Parsed};

/// Why a filter cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A value that is not one of the choices: an unknown choice value, or no object with
    /// that id or key.
    #[error("{param}: {value} is not one of the available choices")]
    InvalidChoice { param: String, value: String },
    #[error("{param}: not a number")]
    NotANumber { param: String },
    #[error("{param}: not a date/time")]
    NotADateTime { param: String },
    #[error("{param}: not a date")]
    NotADate { param: String },
    #[error("{param}: not true or false")]
    NotABoolean { param: String },
    /// NUL characters, which PostgreSQL cannot store and NetBox refuses.
    #[error("{param}: null characters are not allowed")]
    NullCharacter { param: String },
    #[error("{param}: invalid regular expression: {reason}")]
    InvalidRegex { param: String, reason: String },
    /// A lookup dictionary names a path that leads to no field.
    #[error("{path}: no such field")]
    UnknownField { path: String },
    /// A lookup the field's kind does not take (`icontains` on a number).
    #[error("{path}: the lookup {lookup} does not apply to this field")]
    UnsupportedLookup { path: String, lookup: String },
    /// A value of the wrong shape for its lookup (`in` without a list).
    #[error("{path}: {reason}")]
    InvalidValue { path: String, reason: String },
}

impl QueryError {
    /// The parameter or path the error is about.
    pub fn key(&self) -> &str {
        match self {
            QueryError::InvalidChoice { param, .. }
            | QueryError::NotANumber { param }
            | QueryError::NotADateTime { param }
            | QueryError::NotADate { param }
            | QueryError::NotABoolean { param }
            | QueryError::NullCharacter { param }
            | QueryError::InvalidRegex { param, .. } => param,
            QueryError::UnknownField { path }
            | QueryError::UnsupportedLookup { path, .. }
            | QueryError::InvalidValue { path, .. } => path,
        }
    }
}
