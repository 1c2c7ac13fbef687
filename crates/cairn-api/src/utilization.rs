//! `GET /api/ipam/{prefixes,ip-ranges,aggregates}/{id}/utilization/`: how full the object
//! is, as NetBox's UI shows it (NetBox's REST API has no such endpoint, so no client
//! depends on its absence). Counts are exact integers; IPv6 sizes exceed 64 bits.

use axum::http::StatusCode;
use axum::response::Response;

use cairn_domain::ipam::utilization::{of_aggregate, of_prefix, of_range, Usage};
use cairn_store::read;

use crate::context::Ctx;
use crate::error::ApiError;
use crate::handlers::{json_response, not_found};

/// The model behind an endpoint that reports utilization.
pub fn model_of(endpoint: &str) -> Option<&'static str> {
    match endpoint {
        "prefixes" => Some("ipam.prefix"),
        "ip-ranges" => Some("ipam.iprange"),
        "aggregates" => Some("ipam.aggregate"),
        _ => None,
    }
}

fn body(u: &Usage) -> String {
    let percent = (u.percent() * 100.0).round() / 100.0;
    format!(
        "{{\"utilization\":{percent},\"used\":{},\"size\":{}}}",
        u.used, u.size
    )
}

pub fn get(ctx: &Ctx, label: &'static str, id: i64) -> Result<Response, ApiError> {
    ctx.store.read(|conn, s| {
        let t = s
            .reg
            .get(label)
            .ok_or_else(|| ApiError::NotFound("Not found.".into()))?;
        ctx.authorize(conn, s, Some(t), false)?;
        let rec = read::get(conn, s, t, id)?.ok_or_else(|| not_found(t))?;
        let usage = match label {
            "ipam.prefix" => of_prefix(conn, s, t, &rec)?,
            "ipam.iprange" => of_range(conn, s, t, &rec)?,
            _ => of_aggregate(conn, s, t, &rec)?,
        };
        Ok(json_response(StatusCode::OK, body(&usage)))
    })
}
