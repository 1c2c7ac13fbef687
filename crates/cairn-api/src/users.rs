//! User-specific endpoints: token provisioning by password, and the user's UI config.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value as Json;

use cairn_domain::auth::check_password;
use cairn_store::{Actor, Change, Value};

use crate::context::Ctx;
use crate::error::ApiError;
use crate::handlers::{json_response, render_written};

/// `POST /api/users/tokens/provision/`: a new token for a username and password, with no
/// other credentials needed.
pub fn provision(ctx: &Ctx, body: &Bytes) -> Result<Response, ApiError> {
    let store = &ctx.store;
    let data: Json = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))?;
    let username = data.get("username").and_then(|v| v.as_str()).unwrap_or("");
    let password = data.get("password").and_then(|v| v.as_str()).unwrap_or("");
    let user_id = store
        .read(|conn, s| check_password(conn, s, username, password))?
        .ok_or_else(|| ApiError::Forbidden("Invalid username/password".into()))?;
    let base = ctx.base_url();
    let _ = ctx.request.user.set(username.to_string());
    let actor = Actor {
        user_id: Some(user_id),
        user_name: username.to_string(),
        request_id: ctx.request.id.clone(),
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
        let out = render_written(w, t, ctx.zone, &base, &[rec.id], false, true)?;
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `GET /api/users/config/`: the caller's UI preferences (none are stored yet).
pub fn config(ctx: &Ctx) -> Result<Response, ApiError> {
    ctx.store
        .read(|conn, s| ctx.authorize(conn, s, s.reg.get("users.user"), false))?;
    Ok(json_response(StatusCode::OK, "{}".into()))
}
