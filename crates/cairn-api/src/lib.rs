//! HTTP: NetBox 4.4's REST wire format over the registry.

mod available;
pub mod context;
mod elevation;
pub mod error;
pub mod filters;
pub mod handlers;

mod json;
pub mod meta;
pub mod render;
pub mod users;
mod utilization;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;

use cairn_store::Store;

use crate::error::ApiError;
use crate::handlers::{blocking, json_response};

/// The NetBox release whose API Cairn speaks.
pub const NETBOX_VERSION: &str = "4.4.10";
pub const API_VERSION: &str = "4.4";

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
}

/// The request id recorded on every change the request makes.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

async fn request_headers(mut req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("API-Version", HeaderValue::from_static(API_VERSION));
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("X-Request-ID", v);
    }
    resp
}

async fn api_root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    meta::api_root(state.store.registry(), &headers)
}

async fn app_root(
    State(state): State<AppState>,
    Path(app): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    meta::app_root(state.store.registry(), &app, &headers)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))
}

async fn status() -> Response {
    meta::status()
}

async fn schema(State(state): State<AppState>) -> Response {
    json_response(
        StatusCode::OK,
        meta::openapi(state.store.registry()).to_string(),
    )
}

async fn provision(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    axum::Extension(rid): axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if method != Method::POST {
        return Err(ApiError::MethodNotAllowed(method.to_string()));
    }
    let store = state.store.clone();
    blocking(move || users::provision(&store, &headers, &rid.0, &body)).await
}

async fn user_config(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    blocking(move || users::config(&store, &headers)).await
}

/// Object types and the change log were served under `extras` before moving to `core`;
/// both paths answer.
async fn legacy_collection(
    state: State<AppState>,
    method: Method,
    Path(endpoint): Path<String>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
    rid: axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    handlers::collection(
        state,
        method,
        Path(("core".into(), endpoint)),
        headers,
        query,
        rid,
        body,
    )
    .await
}

async fn legacy_item(
    state: State<AppState>,
    method: Method,
    Path((endpoint, id)): Path<(String, String)>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
    rid: axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    handlers::item(
        state,
        method,
        Path(("core".into(), endpoint, id)),
        headers,
        query,
        rid,
        body,
    )
    .await
}

async fn rack_elevation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::NotFound("Not found.".into()))?;
    let store = state.store.clone();
    blocking(move || elevation::elevation(&store, id, &headers, query)).await
}

async fn allocate(
    State(state): State<AppState>,
    method: Method,
    Path((endpoint, id, action)): Path<(String, String, String)>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    axum::Extension(rid): axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::NotFound("Not found.".into()))?;
    let store = state.store.clone();
    if let ("utilization", Some(label)) = (action.as_str(), utilization::model_of(&endpoint)) {
        return match method {
            Method::GET => blocking(move || utilization::get(&store, label, id, &headers)).await,
            m => Err(ApiError::MethodNotAllowed(m.to_string())),
        };
    }
    let kind = available::Kind::of(&endpoint, &action)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    match method {
        Method::GET => blocking(move || available::get(&store, kind, id, &headers, query)).await,
        Method::POST => {
            blocking(move || available::post(&store, kind, id, &headers, &rid.0, &body)).await
        }
        m => Err(ApiError::MethodNotAllowed(m.to_string())),
    }
}

async fn not_found() -> Response {
    ApiError::NotFound("Not found.".into()).into_response()
}

pub fn router(store: Arc<Store>) -> Router {
    let state = AppState { store };
    Router::new()
        .route("/api/", get(api_root))
        .route("/api", get(api_root))
        .route("/api/status/", get(status))
        .route("/api/schema/", get(schema))
        .route("/api/users/tokens/provision/", any(provision))
        .route("/api/users/config/", get(user_config))
        .route("/api/extras/{endpoint}/", any(legacy_or_collection))
        .route("/api/extras/{endpoint}/{id}/", any(legacy_or_item))
        .route("/api/dcim/racks/{id}/elevation/", get(rack_elevation))
        .route("/api/ipam/{endpoint}/{id}/{action}/", any(allocate))
        .route("/api/{app}/", get(app_root))
        .route("/api/{app}/{endpoint}/", any(handlers::collection))
        .route("/api/{app}/{endpoint}/{id}/", any(handlers::item))
        .fallback(not_found)
        .layer(middleware::from_fn(request_headers))
        .with_state(state)
}

const LEGACY: &[&str] = &["object-types", "object-changes"];

async fn legacy_or_collection(
    state: State<AppState>,
    method: Method,
    Path(endpoint): Path<String>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
    rid: axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if LEGACY.contains(&endpoint.as_str()) {
        return legacy_collection(state, method, Path(endpoint), headers, query, rid, body).await;
    }
    handlers::collection(
        state,
        method,
        Path(("extras".into(), endpoint)),
        headers,
        query,
        rid,
        body,
    )
    .await
}

async fn legacy_or_item(
    state: State<AppState>,
    method: Method,
    Path((endpoint, id)): Path<(String, String)>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
    rid: axum::Extension<RequestId>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if LEGACY.contains(&endpoint.as_str()) {
        return legacy_item(
            state,
            method,
            Path((endpoint, id)),
            headers,
            query,
            rid,
            body,
        )
        .await;
    }
    handlers::item(
        state,
        method,
        Path(("extras".into(), endpoint, id)),
        headers,
        query,
        rid,
        body,
    )
    .await
}
