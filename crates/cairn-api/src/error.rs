//! API errors and their HTTP shapes (NetBox's: `{"detail": …}` or per-field lists).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use cairn_store::{FieldErrors, Invalid, StoreError};
use serde_json::json;

/// Per-field messages as clients read them ("non_field_errors" for the object).
pub type Messages = BTreeMap<String, Vec<String>>;

/// Adds a message to a field's list.
pub fn add_message(m: &mut Messages, field: &str, msg: impl Into<String>) {
    m.entry(field.to_string()).or_default().push(msg.into());
}

/// A reason in the words Django REST framework (and so NetBox) uses.
pub fn word(why: &Invalid) -> String {
    match why {
        Invalid::Required => "This field is required.".into(),
        Invalid::Blank => "This field may not be blank.".into(),
        Invalid::Null => "This field may not be null.".into(),
        Invalid::TooLong(n) => format!("Ensure this field has no more than {n} characters."),
        Invalid::TooShort(n) => format!("Ensure this field has at least {n} characters."),
        Invalid::NotASlug => {
            "Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.".into()
        }
        Invalid::NotAChoice(v) => format!("{v} is not a valid choice."),
        Invalid::NotAnIp => "Enter a valid IPv4 or IPv6 address with optional mask.".into(),
        Invalid::NotAMac(v) => format!("Invalid MAC address format: {v}"),
        Invalid::NotAUrl => "Enter a valid URL.".into(),
        Invalid::NotAnEmail => "Enter a valid email address.".into(),
        Invalid::NotADate => {
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.".into()
        }
        Invalid::NotAColor => "Enter a valid hexadecimal RGB color code.".into(),
        Invalid::TooSmall(m) => format!("Ensure this value is greater than or equal to {m}."),
        Invalid::TooLarge(m) => format!("Ensure this value is less than or equal to {m}."),
        Invalid::TooManyDecimalPlaces(n) => {
            format!("Ensure that there are no more than {n} decimal places.")
        }
        Invalid::TooManyDigits(n) => {
            format!("Ensure that there are no more than {n} digits in total.")
        }
        Invalid::NoSuchObject(id) => {
            format!("Related object not found using the provided numeric ID: {id}")
        }
        Invalid::NoSuchMember(id) => format!("Invalid pk \"{id}\" - object does not exist."),
        Invalid::Taken { model, field } => format!("{model} with this {field} already exists."),
        Invalid::WrongType(label) => format!("Invalid content type: {label}"),
        Invalid::UnknownType => "Invalid object type.".into(),
        Invalid::OwnAncestor(model) => format!("Cannot assign self or child {model} as parent."),
        Invalid::Rule(m) => m.clone(),
    }
}

/// Every field's reasons, worded.
pub fn messages(f: &FieldErrors) -> Messages {
    f.iter()
        .map(|(k, v)| (k.clone(), v.iter().map(word).collect()))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed(String),
    #[error("bad request")]
    Fields(Messages),
    /// Bulk requests: one error object per item.
    #[error("bad request")]
    Items(Vec<Messages>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// Unexpected: the detail goes to the log, the client sees only the request id.
    #[error("{0}")]
    Internal(String),
    /// No database connection in time: the client may retry.
    #[error("{0}")]
    Unavailable(String),
}

/// The detail of a 500 or 503, carried on the response for the request log.
#[derive(Clone, Debug)]
pub struct ErrorDetail(pub String);

impl ApiError {
    pub fn field(field: &str, msg: impl Into<String>) -> ApiError {
        let mut e = Messages::new();
        e.insert(field.into(), vec![msg.into()]);
        ApiError::Fields(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Invalid(f) => ApiError::Fields(messages(&f)),
            StoreError::NotFound => ApiError::NotFound("No object matches the given query.".into()),
            StoreError::Protected(m) | StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::BadValue(m) => ApiError::BadRequest(format!("Invalid value: {m}")),
            StoreError::Refused(m) => ApiError::BadRequest(m),
            StoreError::Unavailable(m) => ApiError::Unavailable(m),
            StoreError::Db(m) | StoreError::Config(m) => ApiError::Internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Internal(detail) => {
                // The body is written by the request middleware, which knows the id.
                let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                r.extensions_mut().insert(ErrorDetail(detail));
                return r;
            }
            ApiError::Unavailable(detail) => {
                let body = json!({"detail": "The database is busy; try again shortly."});
                let mut r = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "1")],
                    axum::Json(body),
                )
                    .into_response();
                r.extensions_mut().insert(ErrorDetail(detail));
                return r;
            }
            ApiError::Forbidden(d) => (StatusCode::FORBIDDEN, json!({ "detail": d })),
            ApiError::NotFound(d) => (StatusCode::NOT_FOUND, json!({ "detail": d })),
            ApiError::MethodNotAllowed(m) => (
                StatusCode::METHOD_NOT_ALLOWED,
                json!({ "detail": format!("Method \"{m}\" not allowed.") }),
            ),
            ApiError::Fields(f) => (StatusCode::BAD_REQUEST, json!(f)),
            ApiError::Items(items) => (StatusCode::BAD_REQUEST, json!(items)),
            ApiError::BadRequest(d) => (StatusCode::BAD_REQUEST, json!({ "detail": d })),
            ApiError::Conflict(d) => (StatusCode::CONFLICT, json!({ "detail": d })),
        };
        (status, axum::Json(body)).into_response()
    }
}

/// NetBox's 500 shape, saying only that something went wrong and which request it was.
pub fn internal_error_body(request_id: &str) -> serde_json::Value {
    json!({
        "error": "internal error",
        "exception": "ServerError",
        "netbox_version": crate::NETBOX_VERSION,
        "request_id": request_id,
    })
}
