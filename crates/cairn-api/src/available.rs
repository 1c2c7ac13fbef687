//! Allocation endpoints: `available-ips` of prefixes and IP ranges, `available-prefixes`
//! of prefixes. GET lists what is free; POST takes the next free one(s) and creates them,
//! serialized per parent so concurrent clients never receive the same resource.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value as Json};

use cairn_domain::ipam::available::{
    addr_text, free_blocks, free_ips, free_numbers, take_prefix, vid_ranges, Parent,
};
use cairn_domain::Zone;
use cairn_store::{read, Conn, Filter, Schema};

use crate::context::Ctx;
use crate::error::{ApiError, Messages};
use crate::filters::page_limit;
use crate::handlers::{create_all, json_response, not_found, query_pairs, render_written};
use crate::json;
use crate::render::Renderer;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PrefixIps,
    PrefixPrefixes,
    RangeIps,
    GroupVlans,
    RangeAsns,
}

impl Kind {
    pub fn of(endpoint: &str, action: &str) -> Option<Kind> {
        match (endpoint, action) {
            ("prefixes", "available-ips") => Some(Kind::PrefixIps),
            ("prefixes", "available-prefixes") => Some(Kind::PrefixPrefixes),
            ("ip-ranges", "available-ips") => Some(Kind::RangeIps),
            ("vlan-groups", "available-vlans") => Some(Kind::GroupVlans),
            ("asn-ranges", "available-asns") => Some(Kind::RangeAsns),
            _ => None,
        }
    }

    fn parent_label(self) -> &'static str {
        match self {
            Kind::RangeIps => "ipam.iprange",
            Kind::GroupVlans => "ipam.vlangroup",
            Kind::RangeAsns => "ipam.asnrange",
            _ => "ipam.prefix",
        }
    }

    /// Numbered resources (VLAN IDs, AS numbers) rather than addresses.
    fn numbered(self) -> bool {
        matches!(self, Kind::GroupVlans | Kind::RangeAsns)
    }

    /// Advisory lock key: one per kind of allocation, as NetBox has.
    fn lock_key(self) -> i64 {
        match self {
            Kind::PrefixPrefixes => 100_001,
            Kind::GroupVlans => 100_003,
            Kind::RangeAsns => 100_004,
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

/// A numbered parent: its ranges, the numbers already taken, the field the numbers go
/// in, and the FK (field, id) that new objects get.
struct Numbered {
    ranges: Vec<(i64, i64)>,
    used: Vec<i64>,
    number_field: &'static str,
    link: (&'static str, Option<i64>),
    target: &'static str,
}

fn load_numbered(conn: &mut Conn, s: &Schema, kind: Kind, id: i64) -> Result<Numbered, ApiError> {
    let t = s
        .reg
        .get(kind.parent_label())
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    let rec = read::get(conn, s, t, id)?.ok_or_else(|| not_found(t))?;
    let field = |name: &str| {
        t.field_index(name)
            .map(|i| rec.values[i].clone())
            .unwrap_or(cairn_store::Value::Null)
    };
    let (ranges, target, number_field, filter, link) = match kind {
        Kind::GroupVlans => (
            vid_ranges(&field("vid_ranges")),
            "ipam.vlan",
            "vid",
            Filter::eq("group", id),
            ("group", Some(id)),
        ),
        _ => {
            let (lo, hi) = (
                field("start").as_i64().unwrap_or(1),
                field("end").as_i64().unwrap_or(0),
            );
            (
                vec![(lo, hi)],
                "ipam.asn",
                "asn",
                Filter::between("asn", lo, hi),
                ("rir", field("rir").as_i64()),
            )
        }
    };
    let tt = s
        .reg
        .get(target)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    let used = read::ints(conn, s, tt, number_field, &filter, i64::MAX)?;
    Ok(Numbered {
        ranges,
        used,
        number_field,
        link,
        target,
    })
}

fn post_numbered(
    w: &mut cairn_store::Writer<'_>,
    kind: Kind,
    id: i64,
    items: &[Json],
    many: bool,
    zone: Zone,
    base: &str,
) -> Result<Response, ApiError> {
    let n = load_numbered(w.conn, w.s, kind, id)?;
    let free = free_numbers(&n.ranges, &n.used, items.len());
    if free.len() < items.len() {
        return Err(ApiError::Conflict(
            "Insufficient resources are available to satisfy the request".into(),
        ));
    }
    let reg = w.s.reg.clone();
    let t = reg
        .get(n.target)
        .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
    let mut bodies = Vec::with_capacity(items.len());
    for (item, num) in items.iter().zip(free) {
        let Json::Object(obj) = item else {
            return Err(ApiError::field(
                "non_field_errors",
                "Invalid data. Expected a dictionary, but got list.",
            ));
        };
        let mut obj = obj.clone();
        obj.insert(n.number_field.into(), json!(num));
        obj.insert(
            n.link.0.into(),
            n.link.1.map(Json::from).unwrap_or(Json::Null),
        );
        bodies.push(Json::Object(obj));
    }
    let ids = create_all(w, t, &bodies, many)?;
    let body = render_written(w, t, zone, base, &ids, many, true)?;
    Ok(json_response(StatusCode::CREATED, body))
}

fn vrf_json(r: &Renderer<'_>, out: &mut String, p: &Parent) {
    match p.vrf.as_i64() {
        Some(v) => r.nested(out, "ipam.vrf", v),
        None => out.push_str("null"),
    }
}

pub fn get(ctx: &Ctx, kind: Kind, id: i64, query: Option<String>) -> Result<Response, ApiError> {
    let base = ctx.base_url();
    let raw = query_pairs(query)
        .into_iter()
        .rev()
        .find(|(k, _)| k == "limit")
        .map(|(_, v)| v);
    let limit = page_limit(&ctx.settings, raw.as_deref())
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(usize::MAX);
    ctx.store.read(|conn, s| {
        let parent = s
            .reg
            .get(kind.parent_label())
            .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
        ctx.authorize(conn, s, Some(parent), false)?;
        if kind.numbered() {
            let n = load_numbered(conn, s, kind, id)?;
            let free = free_numbers(&n.ranges, &n.used, limit);
            let link_label = match kind {
                Kind::GroupVlans => "ipam.vlangroup",
                _ => "ipam.rir",
            };
            let mut r = Renderer::new(s, &base, ctx.zone);
            if let Some(l) = n.link.1 {
                r.preload(conn, link_label, &[l])?;
            }
            let mut out = String::from("[");
            for (i, num) in free.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // NetBox's shapes: {"vid", "group"} and {"rir", "asn"}.
                let mut link = String::new();
                match n.link.1 {
                    Some(l) => r.nested(&mut link, link_label, l),
                    None => link.push_str("null"),
                }
                match kind {
                    Kind::GroupVlans => {
                        out.push_str(&format!("{{\"vid\":{num},\"group\":{link}}}"))
                    }
                    _ => out.push_str(&format!("{{\"rir\":{link},\"asn\":{num}}}")),
                }
            }
            out.push(']');
            return Ok(json_response(StatusCode::OK, out));
        }
        let p = load_parent(conn, s, kind, id)?;
        let mut r = Renderer::new(s, &base, ctx.zone);
        if let Some(v) = p.vrf.as_i64() {
            r.preload(conn, "ipam.vrf", &[v])?;
        }
        let mut out = String::from("[");
        let family = p.net.family();
        let items: Vec<(String, String)> = match kind {
            // NetBox lists every free block here, whatever the limit.
            Kind::PrefixPrefixes => free_blocks(conn, s, &p)?
                .into_iter()
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

pub fn post(ctx: &Ctx, kind: Kind, id: i64, body: &Bytes) -> Result<Response, ApiError> {
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
    let base = ctx.base_url();
    let caller = ctx.store.read(|conn, s| {
        let parent = s
            .reg
            .get(kind.parent_label())
            .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
        ctx.authorize(conn, s, Some(parent), true)
    })?;
    let act = ctx.actor(&caller);
    ctx.store.write(&act, |w| {
        w.conn.lock(kind.lock_key())?;
        if kind.numbered() {
            return post_numbered(w, kind, id, &items, many, ctx.zone, &base);
        }
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
        // Each body gets the next free resource, then all are created together.
        let mut bodies = Vec::with_capacity(items.len());
        let mut addresses = Vec::new().into_iter();
        let mut free = Vec::new();
        match kind {
            Kind::PrefixPrefixes => free = free_blocks(w.conn, w.s, &p)?,
            _ => {
                let found = free_ips(w.conn, w.s, &p, items.len())?;
                if found.len() < items.len() {
                    return Err(insufficient());
                }
                addresses = found.into_iter();
            }
        }
        if kind == Kind::PrefixPrefixes {
            check_prefix_lengths(&items, p.net.family())?;
        }
        for item in &items {
            let Json::Object(obj) = item else {
                return Err(ApiError::field(
                    "non_field_errors",
                    "Invalid data. Expected a dictionary, but got list.",
                ));
            };
            let mut obj = obj.clone();
            match kind {
                Kind::PrefixPrefixes => {
                    let len = obj
                        .get("prefix_length")
                        .and_then(Json::as_u64)
                        .ok_or_else(insufficient)?;
                    let net =
                        take_prefix(&mut free, len.min(128) as u8).ok_or_else(insufficient)?;
                    obj.insert("prefix".into(), json!(net.canonical()));
                }
                _ => {
                    let host = addresses.next().ok_or_else(insufficient)?;
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
            bodies.push(Json::Object(obj));
        }
        let ids = create_all(w, t, &bodies, many)?;
        let body = render_written(w, t, ctx.zone, &base, &ids, many, true)?;
        Ok(json_response(StatusCode::CREATED, body))
    })
}

/// NetBox's `PrefixLengthSerializer`, run over every requested item before anything is
/// allocated: its errors come as a list, one entry per item, even for a single object.
fn check_prefix_lengths(items: &[Json], family: i64) -> Result<(), ApiError> {
    let max = if family == 4 { 32 } else { 128 };
    let errors: Vec<Messages> = items
        .iter()
        .map(|item| {
            let msg = match item.get("prefix_length") {
                None | Some(Json::Null) => Some("this field can not be missing".to_string()),
                Some(Json::Number(n)) if n.is_i64() || n.is_u64() => match n.as_i64() {
                    Some(len) if len > max => {
                        Some(format!("Invalid prefix length ({len}) for IPv{family}"))
                    }
                    _ => None,
                },
                Some(_) => Some("this field must be int type".to_string()),
            };
            let mut e = Messages::new();
            if let Some(m) = msg {
                e.insert("prefix_length".into(), vec![m]);
            }
            e
        })
        .collect();
    if errors.iter().any(|e| !e.is_empty()) {
        return Err(ApiError::Items(errors));
    }
    Ok(())
}
