//! The generic REST endpoints every model gets: list, create, bulk update and delete,
//! and the detail routes.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value as Json;

use cairn_domain::Zone;
use cairn_schema::field::capitalize;
use cairn_schema::ObjectType;
use cairn_store::{read, Conn, Query, Schema, Store, StoreError, Writer};

use crate::context::Ctx;
use crate::error::{messages, ApiError, Messages};
use crate::filters::{self, ListParams};
use crate::json;
use crate::meta;
use crate::render::{Mode, Renderer, Selection};

/// Runs blocking database work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("request task failed: {e}")))?
}

pub fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn resolve(store: &Store, app: &str, endpoint: &str) -> Result<usize, ApiError> {
    store
        .registry()
        .by_endpoint(app, endpoint)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))
}

pub(crate) fn query_pairs(q: Option<String>) -> Vec<(String, String)> {
    q.map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(&q).unwrap_or_default())
        .unwrap_or_default()
}

fn parse_body(body: &Bytes) -> Result<Json, ApiError> {
    if body.is_empty() {
        return Ok(Json::Object(Default::default()));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))
}

/// NetBox's pagination links: the same query with `limit`/`offset` replaced, keys sorted.
pub(crate) fn page_link(
    base: &str,
    path: &str,
    pairs: &[(String, String)],
    limit: i64,
    offset: Option<i64>,
) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "limit" && k != "offset")
        .cloned()
        .collect();
    kept.push(("limit".into(), limit.to_string()));
    if let Some(o) = offset {
        kept.push(("offset".into(), o.to_string()));
    }
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let q = serde_urlencoded::to_string(&kept).unwrap_or_default();
    format!("{base}{path}?{q}")
}

#[allow(clippy::too_many_arguments)]
fn render_list(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    zone: Zone,
    base: &str,
    path: &str,
    pairs: &[(String, String)],
    p: &ListParams,
) -> Result<String, ApiError> {
    let q = Query {
        filter: p.filter.clone(),
        order: p.order.clone(),
        limit: p.limit,
        offset: p.offset,
    };
    let mode = if p.brief { Mode::Brief } else { Mode::Full }.for_type(t);
    let mut recs = read::select(conn, s, t, &q)?;
    // A page that is not full ends the list: its length gives the count.
    let got = recs.len() as i64;
    let count = if p.limit.is_none_or(|l| got < l) && (got > 0 || p.offset == 0) {
        p.offset + got
    } else {
        read::count(conn, s, t, &p.filter)?
    };
    if mode == Mode::Full {
        read::load_relations(conn, s, t, &mut recs)?;
    }
    let mut r = Renderer::new(s, base, zone);
    r.prefetch(conn, t, &recs, mode)?;
    let mut out = String::with_capacity(256 + recs.len() * 512);
    out.push_str("{\"count\":");
    json::int(&mut out, count);
    out.push_str(",\"next\":");
    // Without a limit (limit=0 where MAX_PAGE_SIZE is 0) there are no page links.
    match p.limit {
        Some(limit) if p.offset + limit < count => json::string(
            &mut out,
            &page_link(base, path, pairs, limit, Some(p.offset + limit)),
        ),
        _ => out.push_str("null"),
    }
    out.push_str(",\"previous\":");
    match p.limit {
        Some(limit) if p.offset > 0 => {
            let prev = p.offset - limit;
            let link = if prev > 0 {
                page_link(base, path, pairs, limit, Some(prev))
            } else {
                page_link(base, path, pairs, limit, None)
            };
            json::string(&mut out, &link);
        }
        _ => out.push_str("null"),
    }
    out.push_str(",\"results\":[");
    for (i, rec) in recs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        r.object(&mut out, t, rec, mode, &p.sel);
    }
    out.push_str("]}");
    Ok(out)
}

/// Renders written objects (one or a list) in full; `reveal` adds the fields shown on
/// creation only.
pub fn render_written(
    w: &mut Writer<'_>,
    t: &ObjectType,
    zone: Zone,
    base: &str,
    ids: &[i64],
    many: bool,
    reveal: bool,
) -> Result<String, ApiError> {
    // NetBox counts nothing for objects it has just created.
    let mut by_id = if reveal {
        read::fetch_uncounted(w.conn, w.s, t, ids)?
    } else {
        read::fetch(w.conn, w.s, t, ids)?
    };
    let mut recs: Vec<_> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    read::load_relations(w.conn, w.s, t, &mut recs)?;
    let mut r = Renderer::new(w.s, base, zone);
    r.reveal = reveal;
    r.prefetch(w.conn, t, &recs, Mode::Full)?;
    let mut out = String::new();
    if many {
        out.push('[');
    }
    for (i, rec) in recs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        r.object(&mut out, t, rec, Mode::Full, &Selection::default());
    }
    if many {
        out.push(']');
    }
    Ok(out)
}

pub(crate) fn not_found(t: &ObjectType) -> ApiError {
    ApiError::NotFound(format!(
        "No {} matches the given query.",
        capitalize(t.verbose_name)
    ))
}

/// Splits a store error from one item of a bulk request into its field messages.
fn item_errors(e: StoreError) -> Result<Messages, ApiError> {
    match e {
        StoreError::Invalid(f) => Ok(messages(&f)),
        other => Err(other.into()),
    }
}

pub async fn collection(
    ctx: Ctx,
    Path((app, endpoint)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ti = resolve(&ctx.store, &app, &endpoint)?;
    let path = format!("/api/{app}/{endpoint}/");
    let read_only = ctx.store.registry().by_index(ti).read_only;
    match ctx.method.clone() {
        Method::OPTIONS => blocking(move || options(&ctx, ti, true)).await,
        Method::GET | Method::HEAD => blocking(move || list(&ctx, ti, &path, query)).await,
        m if read_only => Err(ApiError::MethodNotAllowed(m.to_string())),
        Method::POST => blocking(move || create(&ctx, ti, &body)).await,
        m @ (Method::PUT | Method::PATCH) => {
            let put = m == Method::PUT;
            blocking(move || bulk_update(&ctx, ti, &body, put)).await
        }
        Method::DELETE => blocking(move || bulk_delete(&ctx, ti, &body)).await,
        m => Err(ApiError::MethodNotAllowed(m.to_string())),
    }
}

/// OPTIONS needs a caller as any read does.
fn options(ctx: &Ctx, ti: usize, list: bool) -> Result<Response, ApiError> {
    ctx.store.read(|conn, s| {
        ctx.authorize(conn, s, Some(s.reg.by_index(ti)), false)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(meta::options(&ctx.store, ti, list))
}

fn list(ctx: &Ctx, ti: usize, path: &str, query: Option<String>) -> Result<Response, ApiError> {
    let base = ctx.base_url();
    let pairs = query_pairs(query);
    ctx.store.read(|conn, s| {
        let t = s.reg.by_index(ti);
        ctx.authorize(conn, s, Some(t), false)?;
        let p = filters::parse(conn, s, t, &ctx.settings, &pairs)?.map_err(ApiError::Fields)?;
        let body = render_list(conn, s, t, ctx.zone, &base, path, &pairs, &p)?;
        Ok(json_response(StatusCode::OK, body))
    })
}

/// Authorizes a write to type `ti` and runs `f` in one transaction as the caller.
fn write_as<T>(
    ctx: &Ctx,
    ti: usize,
    f: impl FnOnce(&mut Writer<'_>, &ObjectType) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let caller = ctx
        .store
        .read(|conn, s| ctx.authorize(conn, s, Some(s.reg.by_index(ti)), true))?;
    let act = ctx.actor(&caller);
    ctx.store.write(&act, |w| {
        let t = w.s.reg.by_index(ti);
        f(w, t)
    })
}

fn create(ctx: &Ctx, ti: usize, body: &Bytes) -> Result<Response, ApiError> {
    let data = parse_body(body)?;
    let base = ctx.base_url();
    write_as(ctx, ti, |w, t| {
        let (items, many) = match &data {
            Json::Array(items) => (items.clone(), true),
            other => (vec![other.clone()], false),
        };
        let ids = create_all(w, t, &items, many)?;
        let body = render_written(w, t, ctx.zone, &base, &ids, many, true)?;
        Ok(json_response(StatusCode::CREATED, body))
    })
}
/// Creates one object per JSON body, all or none: any invalid body fails the lot with
/// per-item errors (or one error object when a single object was sent).
pub fn create_all(
    w: &mut Writer<'_>,
    t: &ObjectType,
    items: &[Json],
    many: bool,
) -> Result<Vec<i64>, ApiError> {
    let mut ids = Vec::new();
    let mut errors: Vec<Messages> = Vec::new();
    for item in items {
        let change = match crate::input::parse_object(w.conn, w.s, t, item)? {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match w.create(t, change) {
            Ok(rec) => {
                ids.push(rec.id);
                errors.push(Messages::new());
            }
            Err(e) => errors.push(item_errors(e)?),
        }
    }
    if errors.iter().any(|e| !e.is_empty()) {
        return Err(if many {
            ApiError::Items(errors)
        } else {
            ApiError::Fields(errors.pop().unwrap_or_default())
        });
    }
    Ok(ids)
}

fn bulk_update(ctx: &Ctx, ti: usize, body: &Bytes, put: bool) -> Result<Response, ApiError> {
    let data = parse_body(body)?;
    let base = ctx.base_url();
    let Json::Array(items) = data else {
        return Err(ApiError::field(
            "non_field_errors",
            "Expected a list of items but got type \"dict\".",
        ));
    };
    write_as(ctx, ti, |w, t| {
        let mut ids = Vec::new();
        let mut errors: Vec<Messages> = Vec::new();
        for item in &items {
            let Some(id) = item.get("id").and_then(|v| v.as_i64()) else {
                let mut e = Messages::new();
                e.insert("id".into(), vec!["This field is required.".into()]);
                errors.push(e);
                continue;
            };
            if !read::exists(w.conn, w.s, t, &cairn_store::Filter::eq("id", id))? {
                continue;
            }
            let change = match crate::input::parse_object(w.conn, w.s, t, item)? {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match w.update(t, id, change, put) {
                Ok(rec) => {
                    ids.push(rec.id);
                    errors.push(Messages::new());
                }
                Err(e) => errors.push(item_errors(e)?),
            }
        }
        if errors.iter().any(|e| !e.is_empty()) {
            return Err(ApiError::Items(errors));
        }
        let body = render_written(w, t, ctx.zone, &base, &ids, true, false)?;
        Ok(json_response(StatusCode::OK, body))
    })
}

fn bulk_delete(ctx: &Ctx, ti: usize, body: &Bytes) -> Result<Response, ApiError> {
    let data = parse_body(body)?;
    let Json::Array(items) = data else {
        return Err(ApiError::field(
            "non_field_errors",
            "Expected a list of items but got type \"dict\".",
        ));
    };
    write_as(ctx, ti, |w, t| {
        let mut errors: Vec<Messages> = Vec::new();
        let mut ids = Vec::new();
        for item in &items {
            match item.get("id").and_then(|v| v.as_i64()) {
                Some(id) => {
                    ids.push(id);
                    errors.push(Messages::new());
                }
                None => {
                    let mut e = Messages::new();
                    e.insert("id".into(), vec!["This field is required.".into()]);
                    errors.push(e);
                }
            }
        }
        if errors.iter().any(|e| !e.is_empty()) {
            return Err(ApiError::Items(errors));
        }
        for (id, item) in ids.into_iter().zip(&items) {
            let message = delete_message(item)?;
            match w.delete_noted(t, id, message.as_deref().unwrap_or("")) {
                Ok(()) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

/// The change-log message a delete body may carry.
fn delete_message(body: &Json) -> Result<Option<String>, ApiError> {
    match body {
        Json::Object(obj) => crate::input::changelog_message(obj)
            .map_err(|e| ApiError::field("changelog_message", e)),
        _ => Ok(None),
    }
}

pub async fn item(
    ctx: Ctx,
    Path((app, endpoint, id)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ti = resolve(&ctx.store, &app, &endpoint)?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::NotFound("Not found.".into()));
    };
    let read_only = ctx.store.registry().by_index(ti).read_only;
    match ctx.method.clone() {
        Method::OPTIONS => blocking(move || options(&ctx, ti, false)).await,
        Method::GET | Method::HEAD => blocking(move || detail(&ctx, ti, id, query)).await,
        Method::POST => Err(ApiError::MethodNotAllowed("POST".into())),
        m if read_only => Err(ApiError::MethodNotAllowed(m.to_string())),
        m @ (Method::PUT | Method::PATCH) => {
            let put = m == Method::PUT;
            blocking(move || update_one(&ctx, ti, id, &body, put)).await
        }
        Method::DELETE => blocking(move || delete_one(&ctx, ti, id, &body)).await,
        m => Err(ApiError::MethodNotAllowed(m.to_string())),
    }
}

fn detail(ctx: &Ctx, ti: usize, id: i64, query: Option<String>) -> Result<Response, ApiError> {
    let base = ctx.base_url();
    let pairs = query_pairs(query);
    ctx.store.read(|conn, s| {
        let t = s.reg.by_index(ti);
        ctx.authorize(conn, s, Some(t), false)?;
        let mut sel = Selection::default();
        let mut brief = false;
        for (k, v) in &pairs {
            match k.as_str() {
                "brief" => brief = !v.is_empty(),
                "fields" => sel.only = Some(v.split(',').map(|x| x.trim().to_string()).collect()),
                "omit" | "exclude" => sel.omit.extend(v.split(',').map(|x| x.trim().to_string())),
                _ => {}
            }
        }
        let rec = read::get_counted(conn, s, t, id)?.ok_or_else(|| not_found(t))?;
        let mode = if brief { Mode::Brief } else { Mode::Full }.for_type(t);
        let mut r = Renderer::new(s, &base, ctx.zone);
        let recs = [rec];
        r.prefetch(conn, t, &recs, mode)?;
        let mut out = String::new();
        r.object(&mut out, t, &recs[0], mode, &sel);
        Ok(json_response(StatusCode::OK, out))
    })
}

fn update_one(
    ctx: &Ctx,
    ti: usize,
    id: i64,
    body: &Bytes,
    put: bool,
) -> Result<Response, ApiError> {
    let data = parse_body(body)?;
    let base = ctx.base_url();
    write_as(ctx, ti, |w, t| {
        if !read::exists(w.conn, w.s, t, &cairn_store::Filter::eq("id", id))? {
            return Err(not_found(t));
        }
        let change =
            crate::input::parse_object(w.conn, w.s, t, &data)?.map_err(ApiError::Fields)?;
        w.update(t, id, change, put)?;
        let body = render_written(w, t, ctx.zone, &base, &[id], false, false)?;
        Ok(json_response(StatusCode::OK, body))
    })
}

fn delete_one(ctx: &Ctx, ti: usize, id: i64, body: &Bytes) -> Result<Response, ApiError> {
    let message = match body.is_empty() {
        true => None,
        false => delete_message(&parse_body(body)?)?,
    };
    write_as(ctx, ti, |w, t| {
        match w.delete_noted(t, id, message.as_deref().unwrap_or("")) {
            Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
            Err(StoreError::NotFound) => Err(not_found(t)),
            Err(e) => Err(e.into()),
        }
    })
}
