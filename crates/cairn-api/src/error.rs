//! API errors and their HTTP shapes (NetBox's: `{"detail": …}` or per-field lists).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cairn_store::{FieldErrors, StoreError};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed(String),
    #[error("bad request")]
    Fields(FieldErrors),
    /// Bulk requests: one error object per item.
    #[error("bad request")]
    Items(Vec<FieldErrors>),
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
        let mut e = FieldErrors::new();
        e.insert(field.into(), vec![msg.into()]);
        ApiError::Fields(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Invalid(f) => ApiError::Fields(f),
            StoreError::NotFound => ApiError::NotFound("No object matches the given query.".into()),
            StoreError::Protected(m) | StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::BadValue(m) => ApiError::BadRequest(format!("Invalid value: {m}")),
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
