//! HTTP: NetBox 4.4's REST wire format over the registry.

mod available;
pub mod context;
mod elevation;
pub mod error;
pub mod filters;
pub mod handlers;
pub mod import;
pub mod input;

mod json;
pub mod meta;
pub mod metrics;
pub mod openapi;
pub mod render;
pub mod users;
mod utilization;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use cairn_domain::{Settings, Zone};
use cairn_store::Store;

use crate::context::{Ctx, RequestInfo, Toucher};
use crate::error::{internal_error_body, ApiError, ErrorDetail};
use crate::handlers::blocking;
use crate::metrics::{endpoint_label, Metrics};

/// The NetBox release whose API Cairn speaks.
pub const NETBOX_VERSION: &str = "4.4.10";
pub const API_VERSION: &str = "4.4";

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub settings: Arc<Settings>,
    pub zone: Zone,
    pub metrics: Arc<Metrics>,
    /// Serve `/metrics` (NetBox's METRICS_ENABLED).
    pub metrics_enabled: bool,
    touch: Toucher,
    openapi: OpenApiCache,
}

/// The OpenAPI document of the registry version last asked for: building it reads every
/// filter of every model, so it is built once per version.
#[derive(Clone, Default)]
struct OpenApiCache(Arc<std::sync::Mutex<Option<(i64, axum::body::Bytes)>>>);

/// Gives each request an id, logs one line per request, counts it for `/metrics`, and
/// turns internal errors into a body that names only the request id.
async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let info = RequestInfo::new();
    req.extensions_mut().insert(info.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let mut resp = next.run(req).await;
    let status = resp.status();
    if let Some(ErrorDetail(detail)) = resp.extensions_mut().remove::<ErrorDetail>() {
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(request_id = %info.id, %method, %path, error = %detail, "internal error");
            resp = (status, axum::Json(internal_error_body(&info.id))).into_response();
        } else {
            tracing::warn!(request_id = %info.id, %method, %path, error = %detail, "database unavailable");
        }
    }
    let h = resp.headers_mut();
    h.insert("API-Version", HeaderValue::from_static(API_VERSION));
    if let Ok(v) = HeaderValue::from_str(&info.id) {
        h.insert("X-Request-ID", v);
    }
    let took = started.elapsed();
    state.metrics.observe(
        method.as_str(),
        &endpoint_label(&path, route.as_deref(), status.as_u16()),
        status.as_u16(),
        took,
    );
    tracing::info!(
        target: "cairn::request",
        method = %method,
        path = %path,
        status = status.as_u16(),
        duration_ms = took.as_secs_f64() * 1000.0,
        request_id = %info.id,
        user = info.user.get().map(String::as_str).unwrap_or(""),
        "request"
    );
    resp
}

async fn api_root(ctx: Ctx) -> Result<Response, ApiError> {
    let store = ctx.store.clone();
    blocking(move || {
        store.read(|conn, s| ctx.authorize(conn, s, None, false))?;
        Ok(meta::api_root(&ctx.store.registry(), &ctx.headers))
    })
    .await
}

async fn app_root(ctx: Ctx, Path(app): Path<String>) -> Result<Response, ApiError> {
    let store = ctx.store.clone();
    blocking(move || {
        store.read(|conn, s| ctx.authorize(conn, s, None, false))?;
        meta::app_root(&ctx.store.registry(), &app, &ctx.headers)
            .ok_or_else(|| ApiError::NotFound("Not found.".into()))
    })
    .await
}

async fn status(ctx: Ctx) -> Result<Response, ApiError> {
    let store = ctx.store.clone();
    blocking(move || {
        store.read(|conn, s| ctx.authorize(conn, s, None, false))?;
        Ok(meta::status())
    })
    .await
}

/// Public, as NetBox serves it (drf-spectacular's default permission).
async fn schema(State(state): State<AppState>) -> Result<Response, ApiError> {
    let snap = state.store.snapshot();
    let cache = state.openapi.clone();
    blocking(move || {
        let mut slot = cache.0.lock().unwrap_or_else(|e| e.into_inner());
        let body = match slot.as_ref() {
            Some((version, body)) if *version == snap.version => body.clone(),
            _ => {
                let body = axum::body::Bytes::from(openapi::document(&snap.schema).to_string());
                *slot = Some((snap.version, body.clone()));
                body
            }
        };
        Ok((
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response())
    })
    .await
}

async fn prometheus(State(state): State<AppState>) -> Result<Response, ApiError> {
    if !state.metrics_enabled {
        return Err(ApiError::NotFound("Not found.".into()));
    }
    blocking(move || {
        let body = state.metrics.render(&state.store);
        Ok((
            StatusCode::OK,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            body,
        )
            .into_response())
    })
    .await
}

async fn provision(ctx: Ctx, body: Bytes) -> Result<Response, ApiError> {
    if ctx.method != axum::http::Method::POST {
        return Err(ApiError::MethodNotAllowed(ctx.method.to_string()));
    }
    blocking(move || users::provision(&ctx, &body)).await
}

async fn user_config(ctx: Ctx) -> Result<Response, ApiError> {
    blocking(move || users::config(&ctx)).await
}

/// Object types and the change log were served under `extras` before moving to `core`;
/// both paths answer.
async fn extras_collection(
    ctx: Ctx,
    Path(endpoint): Path<String>,
    query: RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let app = if LEGACY.contains(&endpoint.as_str()) {
        "core"
    } else {
        "extras"
    };
    handlers::collection(ctx, Path((app.into(), endpoint)), query, body).await
}

async fn extras_item(
    ctx: Ctx,
    Path((endpoint, id)): Path<(String, String)>,
    query: RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let app = if LEGACY.contains(&endpoint.as_str()) {
        "core"
    } else {
        "extras"
    };
    handlers::item(ctx, Path((app.into(), endpoint, id)), query, body).await
}

async fn rack_elevation(
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::NotFound("Not found.".into()))?;
    blocking(move || elevation::elevation(&ctx, id, query)).await
}

async fn allocate(
    ctx: Ctx,
    Path((endpoint, id, action)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::NotFound("Not found.".into()))?;
    let method = ctx.method.clone();
    if let ("utilization", Some(label)) = (action.as_str(), utilization::model_of(&endpoint)) {
        return match method {
            axum::http::Method::GET => blocking(move || utilization::get(&ctx, label, id)).await,
            m => Err(ApiError::MethodNotAllowed(m.to_string())),
        };
    }
    let kind = available::Kind::of(&endpoint, &action)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    match method {
        axum::http::Method::GET => blocking(move || available::get(&ctx, kind, id, query)).await,
        axum::http::Method::POST => blocking(move || available::post(&ctx, kind, id, &body)).await,
        m => Err(ApiError::MethodNotAllowed(m.to_string())),
    }
}

async fn not_found() -> Response {
    ApiError::NotFound("Not found.".into()).into_response()
}

/// What the API serves beyond the store: NetBox's settings and whether `/metrics` is on.
#[derive(Debug, Clone)]
pub struct ApiOptions {
    pub settings: Settings,
    pub metrics_enabled: bool,
}

impl Default for ApiOptions {
    fn default() -> ApiOptions {
        ApiOptions {
            settings: Settings::default(),
            metrics_enabled: true,
        }
    }
}

pub fn router(store: Arc<Store>, opts: ApiOptions) -> Router {
    let zone = Zone::named(&opts.settings.time_zone).unwrap_or_default();
    let state = AppState {
        touch: Toucher::start(&store),
        store,
        settings: Arc::new(opts.settings),
        zone,
        metrics: Arc::new(Metrics::default()),
        metrics_enabled: opts.metrics_enabled,
        openapi: OpenApiCache::default(),
    };
    Router::new()
        .route("/api/", get(api_root))
        .route("/api", get(api_root))
        .route("/api/status/", get(status))
        .route("/api/schema/", get(schema))
        .route("/metrics", get(prometheus))
        .route("/api/users/tokens/provision/", any(provision))
        .route("/api/users/config/", get(user_config))
        .route("/api/extras/{endpoint}/", any(extras_collection))
        .route("/api/extras/{endpoint}/{id}/", any(extras_item))
        .route("/api/dcim/racks/{id}/elevation/", get(rack_elevation))
        .route("/api/ipam/{endpoint}/{id}/{action}/", any(allocate))
        .route("/api/{app}/", get(app_root))
        .route("/api/{app}/{endpoint}/", any(handlers::collection))
        .route("/api/{app}/{endpoint}/{id}/", any(handlers::item))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

const LEGACY: &[&str] = &["object-types", "object-changes"];
