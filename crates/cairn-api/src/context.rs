//! Per-request facts: the base URL clients see, the request id, the caller.

use axum::http::HeaderMap;
use cairn_domain::auth::{authenticate_token, token_from_header, AuthError, Principal};
use cairn_store::{Actor, Conn, Schema};

use crate::error::ApiError;

/// Absolute URLs are built from the request's own host, as NetBox does.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get("host"))
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

/// Checks the `Authorization` header. Every API call needs a valid token (NetBox's
/// LOGIN_REQUIRED); writes need a write-enabled one.
pub fn authenticate(
    conn: &mut Conn,
    s: &Schema,
    headers: &HeaderMap,
    write: bool,
) -> Result<Principal, ApiError> {
    let header = headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let Some(key) = token_from_header(header) else {
        return Err(ApiError::Forbidden(
            "Authentication credentials were not provided.".into(),
        ));
    };
    match authenticate_token(conn, s, &key)? {
        Ok(p) => {
            if write && !p.write_enabled {
                return Err(ApiError::Forbidden(
                    "You do not have permission to perform this action.".into(),
                ));
            }
            Ok(p)
        }
        Err(AuthError::Expired) => Err(ApiError::Forbidden("Token expired".into())),
        Err(AuthError::Inactive) => Err(ApiError::Forbidden("User inactive or deleted.".into())),
        Err(_) => Err(ApiError::Forbidden("Invalid token".into())),
    }
}

pub fn actor(p: &Principal, request_id: &str) -> Actor {
    Actor {
        user_id: Some(p.user_id),
        user_name: p.username.clone(),
        request_id: request_id.to_string(),
    }
}
