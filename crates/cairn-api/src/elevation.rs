//! `GET /api/dcim/racks/{id}/elevation/`: the rack's units top to bottom (half units
//! included) with the device in each, as JSON pages or as an SVG drawing.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use cairn_schema::ObjectType;
use cairn_store::display::Related;
use cairn_store::{read, Filter, Record, Value};

use crate::context::Ctx;
use crate::error::{add_message, ApiError, Messages};
use crate::filters::page_limit;
use crate::handlers::{json_response, not_found, page_link, query_pairs};
use crate::json;
use crate::render::Renderer;

struct Unit {
    /// In half units, to keep arithmetic exact.
    halves: i64,
    device: Option<i64>,
}

fn field<'a>(t: &ObjectType, rec: &'a Record, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    t.field_index(name).map(|i| &rec.values[i]).unwrap_or(&NULL)
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn unit_name(halves: i64) -> String {
    if halves % 2 == 0 {
        format!("U{}", halves / 2)
    } else {
        format!("U{}.5", halves / 2)
    }
}

/// The SVG's unit size: `unit_height`/`unit_width` when given, else the configured
/// defaults (RACK_ELEVATION_DEFAULT_UNIT_HEIGHT/WIDTH).
struct Size {
    unit_height: i64,
    unit_width: i64,
}

/// The words DRF's BooleanField reads.
const TRUE: &[&str] = &[
    "true", "True", "TRUE", "t", "T", "1", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON",
];
const FALSE: &[&str] = &[
    "false", "False", "FALSE", "f", "F", "0", "no", "No", "NO", "n", "N", "off", "Off", "OFF",
];

/// The parameters as NetBox's RackElevationDetailFilterSerializer checks them: every
/// problem, per parameter, in DRF's words.
fn check_params(param: &dyn Fn(&str) -> Option<String>) -> Result<(), ApiError> {
    let mut errors = Messages::new();
    for (key, choices) in [("face", ["front", "rear"]), ("render", ["json", "svg"])] {
        if let Some(v) = param(key).filter(|v| !choices.contains(&v.as_str())) {
            add_message(&mut errors, key, format!("\"{v}\" is not a valid choice."));
        }
    }
    for key in [
        "unit_width",
        "unit_height",
        "legend_width",
        "margin_width",
        "exclude",
    ] {
        if param(key).is_some_and(|v| v.trim().parse::<i64>().is_err()) {
            add_message(&mut errors, key, "A valid integer is required.");
        }
    }
    for key in ["expand_devices", "include_images"] {
        if param(key).is_some_and(|v| !TRUE.contains(&v.as_str()) && !FALSE.contains(&v.as_str())) {
            add_message(&mut errors, key, "Must be a valid boolean.");
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::Fields(errors)),
    }
}

pub fn elevation(ctx: &Ctx, rack_id: i64, query: Option<String>) -> Result<Response, ApiError> {
    let base = ctx.base_url();
    let pairs = query_pairs(query);
    let param = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    check_params(&param)?;
    let face = param("face").unwrap_or_else(|| "front".into());
    let exclude = param("exclude").and_then(|v| v.parse::<i64>().ok());
    let expand = param("expand_devices").is_none_or(|v| !FALSE.contains(&v.as_str()));
    let svg = param("render").as_deref() == Some("svg");
    let positive = |k: &str| {
        param(k)
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
    };
    let size = Size {
        unit_height: positive("unit_height")
            .unwrap_or(i64::from(ctx.settings.rack_elevation_default_unit_height)),
        unit_width: positive("unit_width")
            .unwrap_or(i64::from(ctx.settings.rack_elevation_default_unit_width)),
    };
    // The drawing always spans each device over its units.
    let expand = expand || svg;
    ctx.store.read(|conn, s| {
        let (Some(rt), Some(dt), Some(dtt)) = (
            s.reg.get("dcim.rack"),
            s.reg.get("dcim.device"),
            s.reg.get("dcim.devicetype"),
        ) else {
            return Err(ApiError::NotFound("Not found.".into()));
        };
        ctx.authorize(conn, s, Some(rt), false)?;
        let rack = read::get(conn, s, rt, rack_id)?.ok_or_else(|| not_found(rt))?;
        let height = num(field(rt, &rack, "u_height")).unwrap_or(42.0);
        let start = num(field(rt, &rack, "starting_unit")).unwrap_or(1.0);
        let descending = !field(rt, &rack, "desc_units").as_bool().unwrap_or(false);
        let first = (start * 2.0) as i64;
        let count = (height * 2.0) as i64;
        let mut units: Vec<Unit> = (first..first + count)
            .map(|halves| Unit {
                halves,
                device: None,
            })
            .collect();
        if descending {
            units.reverse();
        }
        let mut q = read::Query::all();
        q.filter = Filter::and(vec![
            Filter::eq("rack_id", rack_id),
            Filter::Not(Box::new(Filter::IsNull("position".into()))),
            Filter::Not(Box::new(Filter::eq("id", exclude.unwrap_or(0)))),
        ]);
        let devices = read::select(conn, s, dt, &q)?;
        let type_ids: Vec<i64> = devices
            .iter()
            .filter_map(|d| field(dt, d, "device_type").as_i64())
            .collect();
        let types = read::fetch(conn, s, dtt, &type_ids)?;
        let mut heights = std::collections::HashMap::new();
        for d in &devices {
            let Some(ty) = field(dt, d, "device_type")
                .as_i64()
                .and_then(|i| types.get(&i))
            else {
                continue;
            };
            let h = (num(field(dtt, ty, "u_height")).unwrap_or(1.0) * 2.0) as i64;
            let full = field(dtt, ty, "is_full_depth").as_bool().unwrap_or(true);
            let on_face = field(dt, d, "face").as_str() == Some(face.as_str()) || full;
            let Some(p) = num(field(dt, d, "position")).map(|p| (p * 2.0) as i64) else {
                continue;
            };
            if h == 0 || !on_face {
                continue;
            }
            heights.insert(d.id, h);
            for u in units.iter_mut() {
                let covered = if expand {
                    u.halves >= p && u.halves < p + h
                } else {
                    u.halves == p
                };
                if covered {
                    u.device = Some(d.id);
                }
            }
        }
        let mut r = Renderer::new(s, &base, ctx.zone);
        let ids: Vec<i64> = devices.iter().map(|d| d.id).collect();
        r.preload(conn, "dcim.device", &ids)?;
        if svg {
            return Ok(render_svg(&r, &rack, rt, &units, &heights, &face, &size));
        }
        // `q` keeps the units whose id (as NetBox prints it, "30.0") or name contains it.
        if let Some(q) = param("q")
            .map(|q| q.to_lowercase())
            .filter(|q| !q.is_empty())
        {
            units.retain(|u| {
                format!("{:.1}", u.halves as f64 / 2.0).contains(&q)
                    || unit_name(u.halves).to_lowercase().contains(&q)
            });
        }
        let total = units.len() as i64;
        let limit = page_limit(&ctx.settings, param("limit").as_deref()).unwrap_or(total.max(1));
        let offset = param("offset")
            .and_then(|o| o.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
        let path = format!("/api/dcim/racks/{rack_id}/elevation/");
        let mut out = String::new();
        out.push_str("{\"count\":");
        json::int(&mut out, total);
        out.push_str(",\"next\":");
        if offset + limit < total {
            json::string(
                &mut out,
                &page_link(&base, &path, &pairs, limit, Some(offset + limit)),
            );
        } else {
            out.push_str("null");
        }
        out.push_str(",\"previous\":");
        if offset > 0 {
            let prev = (offset - limit).max(0);
            let link = page_link(&base, &path, &pairs, limit, (prev > 0).then_some(prev));
            json::string(&mut out, &link);
        } else {
            out.push_str("null");
        }
        out.push_str(",\"results\":[");
        let label = if face == "front" { "Front" } else { "Rear" };
        for (n, u) in units
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .enumerate()
        {
            if n > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            json::float(&mut out, u.halves as f64 / 2.0);
            out.push_str(",\"name\":");
            json::string(&mut out, &unit_name(u.halves));
            out.push_str(&format!(
                ",\"face\":{{\"value\":\"{face}\",\"label\":\"{label}\"}}"
            ));
            out.push_str(",\"device\":");
            match u.device {
                Some(d) => r.nested(&mut out, "dcim.device", d),
                None => out.push_str("null"),
            }
            out.push_str(",\"occupied\":");
            out.push_str(if u.device.is_some() { "true" } else { "false" });
            out.push_str(",\"display\":");
            json::string(&mut out, &unit_name(u.halves));
            out.push('}');
        }
        out.push_str("]}");
        Ok(json_response(StatusCode::OK, out))
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plain drawing: one row per unit, devices as labelled boxes spanning their units.
fn render_svg(
    r: &Renderer<'_>,
    rack: &Record,
    rt: &ObjectType,
    units: &[Unit],
    heights: &std::collections::HashMap<i64, i64>,
    face: &str,
    size: &Size,
) -> Response {
    const LEFT: i64 = 30;
    // Each row is half a unit.
    let (half, width) = ((size.unit_height / 2).max(1), size.unit_width);
    let rows = units.len() as i64;
    let total_height = rows * half + 40;
    let name = field(rt, rack, "name").as_str().unwrap_or("").to_string();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{total_height}\">\
         <style>text{{font-family:sans-serif;font-size:9px}}.unit{{fill:#f5f5f5;stroke:#ccc}}\
         .device{{fill:#9ec5fe;stroke:#333}}</style>\
         <text x=\"{}\" y=\"14\" text-anchor=\"middle\" font-size=\"12\">{} ({face})</text>",
        LEFT + width + 10,
        LEFT + width / 2,
        escape(&name),
    );
    let mut drawn = std::collections::HashSet::new();
    for (n, u) in units.iter().enumerate() {
        let y = 20 + n as i64 * half;
        svg.push_str(&format!(
            "<rect class=\"unit\" x=\"{LEFT}\" y=\"{y}\" width=\"{width}\" height=\"{half}\"/>\
             <text x=\"2\" y=\"{}\">{}</text>",
            y + 9,
            if u.halves % 2 == 0 {
                unit_name(u.halves)
            } else {
                String::new()
            }
        ));
        if let Some(d) = u.device {
            if drawn.insert(d) {
                let span = heights.get(&d).copied().unwrap_or(2);
                let label = r.display_of("dcim.device", d).unwrap_or_default();
                // Units run top-down here, so the box starts at the device's top unit.
                svg.push_str(&format!(
                    "<rect class=\"device\" x=\"{LEFT}\" y=\"{y}\" width=\"{width}\" height=\"{}\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    span * half,
                    LEFT + width / 2,
                    y + span * half / 2 + 3,
                    escape(&label)
                ));
            }
        }
    }
    svg.push_str("</svg>");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "image/svg+xml")],
        svg,
    )
        .into_response()
}
