//! User-specific endpoints: token provisioning by password, and the user's UI config.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value as Json;

use cairn_domain::auth::check_password;
use cairn_store::{Actor, Change, Store, Value};

use crate::context::{authenticate, base_url};
use crate::error::ApiError;
use crate::handlers::{json_response, render_written};

/// `POST /api/users/tokens/provision/`: a new token for a username and password, with no
/// other credentials needed.
pub fn provision(
    store: &Arc<Store>,
    headers: &HeaderMap,
    request_id: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let data: Json = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))?;
    let username = data.get("username").and_then(|v| v.as_str()).unwrap_or("");
    let password = data.get("password").and_then(|v| v.as_str()).unwrap_or("");
    let user_id = store
        .read(|conn, _| check_password(conn, username, password))?
        .ok_or_else(|| ApiError::Forbidden("Invalid username/password".into()))?;
    let base = base_url(headers);
    let actor = Actor {
        user_id: Some(user_id),
        user_name: username.to_string(),
        request_id: request_id.to_string(),
    };
    store.write(&actor, |w| {
        let t =
            w.s.reg
                .get("users.token")
                .ok_or_else(|| ApiError::Internal("no token type".into()))?;
        let mut change = Change::default();
        let idx = |n: &str| {
            t.field_index(n)
                .ok_or_else(|| ApiError::Internal(format!("token field {n}")))
        };
        change.set(idx("user")?, Value::Int(user_id));
        if let Some(d) = data.get("description").and_then(|v| v.as_str()) {
            change.set(idx("description")?, Value::Text(d.to_string()));
        }
        if let Some(we) = data.get("write_enabled").and_then(|v| v.as_bool()) {
            change.set(idx("write_enabled")?, Value::Bool(we));
        }
        if let Some(exp) = data.get("expires").and_then(|v| v.as_str()) {
            let t = cairn_store::value::parse_time_loose(exp)
                .ok_or_else(|| ApiError::field("expires", "Datetime has wrong format."))?;
            change.set(idx("expires")?, Value::Time(t));
        }
        let rec = w.create(t, change)?;
        let out = render_written(w, t, &base, &[rec.id], false, true)?;
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `GET /api/users/config/`: the caller's UI preferences (none are stored yet).
pub fn config(store: &Arc<Store>, headers: &HeaderMap) -> Result<Response, ApiError> {
    store.read(|conn, s| authenticate(conn, s, headers, false))?;
    Ok(json_response(StatusCode::OK, "{}".into()))
}
