//! Per-request facts (the request id, the base URL clients see, the settings) and the
//! authorization every endpoint goes through, as NetBox's token authentication and
//! `TokenPermissions` decide it.

use std::collections::HashMap;
use std::sync::{mpsc, Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use chrono::Utc;

use cairn_domain::auth::{authenticate_token, token_from_header, AuthError, Principal};
use cairn_domain::{Settings, Zone};
use cairn_schema::ObjectType;
use cairn_store::{Actor, Conn, Schema, Store, Value};

use crate::error::ApiError;
use crate::AppState;

/// Set by the outermost middleware: the request's id, and a slot the authorization
/// fills with the caller's name for the request log.
#[derive(Clone, Debug)]
pub struct RequestInfo {
    pub id: String,
    pub user: Arc<OnceLock<String>>,
}

impl RequestInfo {
    pub fn new() -> RequestInfo {
        RequestInfo {
            id: uuid::Uuid::new_v4().to_string(),
            user: Arc::new(OnceLock::new()),
        }
    }
}

impl Default for RequestInfo {
    fn default() -> RequestInfo {
        RequestInfo::new()
    }
}

/// Everything a handler needs besides its path and body.
#[derive(Clone)]
pub struct Ctx {
    pub store: Arc<Store>,
    pub settings: Arc<Settings>,
    pub zone: Zone,
    pub method: Method,
    pub headers: HeaderMap,
    pub request: RequestInfo,
    touch: Toucher,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Ctx, Self::Rejection> {
        let request = parts
            .extensions
            .get::<RequestInfo>()
            .cloned()
            .unwrap_or_default();
        Ok(Ctx {
            store: state.store.clone(),
            settings: state.settings.clone(),
            zone: state.zone,
            method: parts.method.clone(),
            headers: parts.headers.clone(),
            request,
            touch: state.touch.clone(),
        })
    }
}

/// Who is calling: a token's user, or nobody (allowed only where login is not required).
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Principal>);

impl Ctx {
    /// Absolute URLs are built from the request's own host, as NetBox does.
    pub fn base_url(&self) -> String {
        base_url(&self.headers)
    }

    /// The change-log actor for a caller's writes.
    pub fn actor(&self, caller: &Caller) -> Actor {
        match &caller.0 {
            Some(p) => Actor {
                user_id: Some(p.user_id),
                user_name: p.username.clone(),
                request_id: self.request.id.clone(),
            },
            None => Actor {
                user_id: None,
                user_name: String::new(),
                request_id: self.request.id.clone(),
            },
        }
    }

    /// Checks the caller may read (or, with `write`, change) objects of `model`; `None`
    /// stands for views of the API itself (status, roots). Anonymous callers may read
    /// only when LOGIN_REQUIRED is off, and then only exempt models.
    pub fn authorize(
        &self,
        conn: &mut Conn,
        s: &Schema,
        model: Option<&ObjectType>,
        write: bool,
    ) -> Result<Caller, ApiError> {
        let header = self
            .headers
            .get("authorization")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let Some(key) = token_from_header(header) else {
            let anonymous_ok = !write
                && !self.settings.login_required
                && model.is_none_or(|t| self.settings.view_exempt(t));
            return if anonymous_ok {
                Ok(Caller(None))
            } else {
                Err(ApiError::Forbidden(
                    "Authentication credentials were not provided.".into(),
                ))
            };
        };
        let p = match authenticate_token(conn, s, &key)? {
            Ok(p) => p,
            Err(AuthError::Expired) => return Err(ApiError::Forbidden("Token expired".into())),
            Err(AuthError::Inactive) => {
                return Err(ApiError::Forbidden("User inactive or deleted.".into()))
            }
            Err(_) => return Err(ApiError::Forbidden("Invalid token".into())),
        };
        let _ = self.request.user.set(p.username.clone());
        self.touch.used(&p);
        if write && !p.write_enabled {
            return Err(ApiError::Forbidden(
                "You do not have permission to perform this action.".into(),
            ));
        }
        Ok(Caller(Some(p)))
    }
}

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

/// Records that tokens were used, at most once a minute per token and off the request's
/// path: a background thread writes `last_used` (as NetBox does, without a change record).
#[derive(Clone)]
pub struct Toucher {
    recent: Arc<Mutex<HashMap<i64, Instant>>>,
    queue: mpsc::Sender<i64>,
}

const TOUCH_EVERY: Duration = Duration::from_secs(60);

impl Toucher {
    pub fn start(store: &Arc<Store>) -> Toucher {
        let (queue, jobs) = mpsc::channel::<i64>();
        let store: Weak<Store> = Arc::downgrade(store);
        std::thread::spawn(move || {
            while let Ok(token) = jobs.recv() {
                let Some(store) = store.upgrade() else { break };
                let reg = store.registry();
                let Some(t) = reg.get("users.token") else {
                    continue;
                };
                let now = Value::Time(Utc::now());
                if let Err(e) = store.update_quietly(t, token, &[("last_used", now)]) {
                    tracing::warn!(token, error = %e, "could not record token use");
                }
            }
        });
        Toucher {
            recent: Arc::new(Mutex::new(HashMap::new())),
            queue,
        }
    }

    fn used(&self, p: &Principal) {
        let Some(id) = p.token_id else { return };
        let stale = p
            .last_used
            .is_none_or(|t| (Utc::now() - t).num_seconds() > TOUCH_EVERY.as_secs() as i64);
        if !stale {
            return;
        }
        let now = Instant::now();
        let Ok(mut recent) = self.recent.lock() else {
            return;
        };
        if recent
            .get(&id)
            .is_some_and(|at| now.duration_since(*at) < TOUCH_EVERY)
        {
            return;
        }
        recent.retain(|_, at| now.duration_since(*at) < TOUCH_EVERY);
        recent.insert(id, now);
        let _ = self.queue.send(id);
    }
}
