//! Allocation endpoints: `available-ips` of prefixes and IP ranges, `available-prefixes`
//! of prefixes. GET lists what is free; POST takes the next free one(s) and creates them,
//! serialized per parent so concurrent clients never receive the same resource.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value as Json};

use cairn_domain::ipam::available::{addr_text, first_fit, free_blocks, free_ips, Parent};
use cairn_store::{read, Conn, FieldErrors, Schema, Store, StoreError};

use crate::context::{actor, authenticate, base_url};
use crate::error::ApiError;
use crate::filters::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::handlers::{json_response, not_found, query_pairs, render_written};
use crate::json;
use crate::render::Renderer;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PrefixIps,
    PrefixPrefixes,
    RangeIps,
}

impl Kind {
    pub fn of(endpoint: &str, action: &str) -> Option<Kind> {
        match (endpoint, action) {
            ("prefixes", "available-ips") => Some(Kind::PrefixIps),
            ("prefixes", "available-prefixes") => Some(Kind::PrefixPrefixes),
            ("ip-ranges", "available-ips") => Some(Kind::RangeIps),
            _ => None,
        }
    }

    fn parent_label(self) -> &'static str {
        match self {
            Kind::RangeIps => "ipam.iprange",
            _ => "ipam.prefix",
        }
    }

    /// Advisory lock key: one per kind of allocation, as NetBox has.
    fn lock_key(self) -> i64 {
        match self {
            Kind::PrefixPrefixes => 100_001,
            _ => 100_002,
        }
    }
}

fn load_parent(conn: &mut Conn, s: &Schema, kind: Kind, id: i64) -> Result<Parent, ApiError> {
    let t = s
        .reg
        .get(kind.parent_label())
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    let rec = read::get(conn, s, t, id)?.ok_or_else(|| not_found(t))?;
    let parent = match kind {
        Kind::RangeIps => Parent::of_range(t, &rec),
        _ => Parent::of_prefix(t, &rec),
    };
    parent.ok_or_else(|| ApiError::Internal("parent has no address".into()))
}

fn vrf_json(r: &Renderer<'_>, out: &mut String, p: &Parent) {
    match p.vrf.as_i64() {
        Some(v) => r.nested(out, "ipam.vrf", v),
        None => out.push_str("null"),
    }
}

pub fn get(
    store: &Arc<Store>,
    kind: Kind,
    id: i64,
    headers: &HeaderMap,
    query: Option<String>,
) -> Result<Response, ApiError> {
    let base = base_url(headers);
    let limit = query_pairs(query)
        .into_iter()
        .rev()
        .find(|(k, _)| k == "limit")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .map(|l| {
            if l == 0 {
                MAX_LIMIT
            } else {
                l.clamp(1, MAX_LIMIT)
            }
        })
        .unwrap_or(DEFAULT_LIMIT) as usize;
    store.read(|conn, s| {
        authenticate(conn, s, headers, false)?;
        let p = load_parent(conn, s, kind, id)?;
        let mut r = Renderer::new(s, &base);
        if let Some(v) = p.vrf.as_i64() {
            r.preload(conn, "ipam.vrf", &[v])?;
        }
        let mut out = String::from("[");
        let family = p.net.family();
        let items: Vec<(String, String)> = match kind {
            Kind::PrefixPrefixes => free_blocks(conn, s, &p)?
                .into_iter()
                .take(limit)
                .map(|n| ("prefix".to_string(), n.canonical()))
                .collect(),
            _ => free_ips(conn, s, &p, limit)?
                .into_iter()
                .map(|n| {
                    (
                        "address".to_string(),
                        format!("{}/{}", addr_text(n, &p.net), p.net.len),
                    )
                })
                .collect(),
        };
        for (i, (key, value)) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"family\":");
            json::int(&mut out, family);
            out.push_str(&format!(",\"{key}\":"));
            json::string(&mut out, value);
            out.push_str(",\"vrf\":");
            vrf_json(&r, &mut out, &p);
            out.push('}');
        }
        out.push(']');
        Ok(json_response(StatusCode::OK, out))
    })
}

pub fn post(
    store: &Arc<Store>,
    kind: Kind,
    id: i64,
    headers: &HeaderMap,
    request_id: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let data: Json = if body.is_empty() {
        Json::Object(Map::new())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))?
    };
    let (items, many) = match data {
        Json::Array(items) => (items, true),
        other => (vec![other], false),
    };
    let base = base_url(headers);
    let principal = store.read(|conn, s| authenticate(conn, s, headers, true))?;
    let act = actor(&principal, request_id);
    store.write(&act, |w| {
        w.conn.lock(kind.lock_key())?;
        let p = load_parent(w.conn, w.s, kind, id)?;
        let target = match kind {
            Kind::PrefixPrefixes => "ipam.prefix",
            _ => "ipam.ipaddress",
        };
        let reg = w.s.reg.clone();
        let t = reg
            .get(target)
            .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
        let insufficient = || {
            ApiError::Conflict("Insufficient resources are available to satisfy the request".into())
        };
        // Addresses are handed out in order; prefixes are found one at a time, each
        // after the previous one is written.
        let mut addresses = Vec::new();
        if kind != Kind::PrefixPrefixes {
            addresses = free_ips(w.conn, w.s, &p, items.len())?;
            if addresses.len() < items.len() {
                return Err(insufficient());
            }
        }
        let mut ids = Vec::new();
        let mut errors: Vec<FieldErrors> = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let Json::Object(obj) = item else {
                return Err(ApiError::field(
                    "non_field_errors",
                    "Invalid data. Expected a dictionary, but got list.",
                ));
            };
            let mut obj = obj.clone();
            match kind {
                Kind::PrefixPrefixes => {
                    let Some(len) = obj.get("prefix_length").and_then(|v| v.as_u64()) else {
                        let mut e = FieldErrors::new();
                        e.insert(
                            "prefix_length".into(),
                            vec!["This field is required.".into()],
                        );
                        errors.push(e);
                        continue;
                    };
                    let free = free_blocks(w.conn, w.s, &p)?;
                    let Some(net) = first_fit(&free, len.min(128) as u8) else {
                        return Err(insufficient());
                    };
                    obj.insert("prefix".into(), json!(net.canonical()));
                }
                _ => {
                    let host = addresses[n];
                    obj.insert(
                        "address".into(),
                        json!(format!("{}/{}", addr_text(host, &p.net), p.net.len)),
                    );
                }
            }
            obj.insert(
                "vrf".into(),
                p.vrf.as_i64().map(Json::from).unwrap_or(Json::Null),
            );
            let change = match cairn_store::input::parse_object(w.conn, w.s, t, &Json::Object(obj))?
            {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match w.create(t, change) {
                Ok(rec) => {
                    ids.push(rec.id);
                    errors.push(FieldErrors::new());
                }
                Err(StoreError::Invalid(e)) => errors.push(e),
                Err(e) => return Err(e.into()),
            }
        }
        if errors.iter().any(|e| !e.is_empty()) {
            return Err(if many {
                ApiError::Items(errors)
            } else {
                ApiError::Fields(errors.pop().unwrap_or_default())
            });
        }
        let body = render_written(w, t, &base, &ids, many, true)?;
        Ok(json_response(StatusCode::CREATED, body))
    })
}
