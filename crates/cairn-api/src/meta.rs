//! Self-description: API roots, status, OPTIONS metadata and the OpenAPI document, all
//! generated from the registry.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value as Json};

use cairn_schema::field::capitalize;
use cairn_schema::{Field, FieldKind, ObjectType, Registry, APPS};
use cairn_store::Store;

use crate::context::base_url;
use crate::handlers::json_response;

pub fn api_root(reg: &Registry, headers: &HeaderMap) -> Response {
    let base = base_url(headers);
    let mut m = Map::new();
    for app in APPS {
        if reg.types().iter().any(|t| t.app == app.label) {
            m.insert(
                app.label.into(),
                json!(format!("{base}/api/{}/", app.label)),
            );
        }
    }
    m.insert("status".into(), json!(format!("{base}/api/status/")));
    json_response(StatusCode::OK, Json::Object(m).to_string())
}

pub fn app_root(reg: &Registry, app: &str, headers: &HeaderMap) -> Option<Response> {
    let base = base_url(headers);
    let mut endpoints: Vec<&ObjectType> = reg.types().iter().filter(|t| t.app == app).collect();
    if endpoints.is_empty() {
        return None;
    }
    endpoints.sort_by_key(|t| t.endpoint);
    let mut m = Map::new();
    for t in endpoints {
        m.insert(
            t.endpoint.into(),
            json!(format!("{base}/api/{app}/{}/", t.endpoint)),
        );
    }
    Some(json_response(StatusCode::OK, Json::Object(m).to_string()))
}

/// The crates Cairn is built from, with their versions (NetBox lists its Django apps).
fn installed_apps() -> Map<String, Json> {
    let mut apps = Map::new();
    apps.insert("cairn".into(), json!(env!("CARGO_PKG_VERSION")));
    for item in env!("CAIRN_COMPONENTS").split(',') {
        if let Some((name, version)) = item.split_once('=') {
            apps.insert(name.into(), json!(version));
        }
    }
    apps
}

pub fn status() -> Response {
    let body = json!({
        "django-version": "",
        "hostname": std::env::var("HOSTNAME").unwrap_or_default(),
        "installed_apps": installed_apps(),
        "netbox-version": crate::NETBOX_VERSION,
        "netbox-full-version": crate::NETBOX_VERSION,
        "cairn-version": env!("CARGO_PKG_VERSION"),
        "plugins": {},
        "python-version": "",
        "rq-workers-running": 0,
    });
    json_response(StatusCode::OK, body.to_string())
}

fn field_type(f: &Field) -> &'static str {
    if f.via.is_some() {
        return "string";
    }
    match f.kind {
        FieldKind::ForeignKey { .. } if f.plain => "field",
        FieldKind::Choice(_) if f.plain => "choice",
        FieldKind::Str { .. }
        | FieldKind::Text
        | FieldKind::Color
        | FieldKind::IpAddress
        | FieldKind::IpPrefix => "string",
        FieldKind::Slug { .. } => "slug",
        FieldKind::Url { .. } => "url",
        FieldKind::Email { .. } => "email",
        FieldKind::Int { .. } => "integer",
        FieldKind::Decimal { .. } => "decimal",
        FieldKind::Bool => "boolean",
        FieldKind::Date => "date",
        FieldKind::DateTime => "datetime",
        FieldKind::ForeignKey { .. } => "nested object",
        // DRF describes related lists as plain fields.
        FieldKind::ManyToMany { .. } => "field",
        FieldKind::StrList | FieldKind::IntList { .. } => "list",
        _ => "field",
    }
}

fn field_meta(f: &Field) -> Json {
    let mut m = Map::new();
    m.insert("type".into(), json!(field_type(f)));
    m.insert("required".into(), json!(f.required));
    m.insert("read_only".into(), json!(f.read_only));
    m.insert("label".into(), json!(f.label_text()));
    if !f.help.is_empty() {
        m.insert("help_text".into(), json!(f.help));
    }
    match f.kind {
        FieldKind::Str { max_len }
        | FieldKind::Slug { max_len }
        | FieldKind::Url { max_len }
        | FieldKind::Email { max_len }
            if max_len > 0 =>
        {
            m.insert("max_length".into(), json!(max_len));
        }
        FieldKind::Color => {
            m.insert("max_length".into(), json!(6));
        }
        FieldKind::Int { min, max } => {
            if let Some(v) = min {
                m.insert("min_value".into(), json!(v));
            }
            if let Some(v) = max {
                m.insert("max_value".into(), json!(v));
            }
        }
        FieldKind::Decimal { min, max, .. } => {
            if let Some(v) = min {
                m.insert("min_value".into(), json!(v));
            }
            if let Some(v) = max {
                m.insert("max_value".into(), json!(v));
            }
        }
        FieldKind::Choice(set) => {
            let choices: Vec<Json> = set
                .choices
                .iter()
                .map(|c| {
                    let value = match (set.numeric, c.value.parse::<i64>()) {
                        (true, Ok(n)) => json!(n),
                        _ => json!(c.value),
                    };
                    json!({"value": value, "display_name": c.label})
                })
                .collect();
            m.insert("choices".into(), Json::Array(choices));
        }
        _ => {}
    }
    Json::Object(m)
}

/// NetBox's (DRF's) OPTIONS metadata; pynetbox's `choices()` reads `actions.POST`.
pub fn options(store: &Store, ti: usize, list: bool) -> Response {
    let reg = store.registry();
    let t = reg.by_index(ti);
    let mut fields = Map::new();
    let ro = |label: &str, ty: &str| json!({"type": ty, "required": false, "read_only": true, "label": label});
    fields.insert("id".into(), ro("ID", "integer"));
    fields.insert("url".into(), ro("Url", "field"));
    if t.ui_path.is_some() {
        fields.insert("display_url".into(), ro("Display url", "field"));
    }
    fields.insert("display".into(), ro("Display", "field"));
    for f in &t.fields {
        if f.write_only && f.read_only {
            continue;
        }
        if let FieldKind::GenericFk { ct, fk } = f.kind {
            fields.insert(ct.into(), json!({"type": "field", "required": f.required, "read_only": f.read_only, "label": cairn_schema::field::humanize(ct)}));
            let mut id = json!({"type": "integer", "required": f.required, "read_only": f.read_only, "label": cairn_schema::field::humanize(fk)});
            // The model's PositiveBigIntegerField shows its bounds, unless the serializer
            // declares the id itself.
            if !f.bare_id {
                id["min_value"] = json!(0);
                id["max_value"] = json!(i64::MAX);
            }
            fields.insert(fk.into(), id);
            fields.insert(f.name.into(), ro(&f.label_text(), "field"));
            continue;
        }
        fields.insert(f.name.into(), field_meta(f));
    }
    if t.features.tags {
        fields.insert(
            "tags".into(),
            json!({"type": "field", "required": false, "read_only": false, "label": "Tags"}),
        );
    }
    if t.features.custom_fields {
        fields.insert("custom_fields".into(), json!({"type": "field", "required": false, "read_only": false, "label": "Custom fields"}));
    }
    if t.timestamps {
        fields.insert("created".into(), ro("Created", "datetime"));
        if t.show_last_updated {
            fields.insert("last_updated".into(), ro("Last updated", "datetime"));
        }
    }
    // Related-object count fields are plain fields to DRF; annotations are integers.
    for c in &t.counts {
        let ty = if c.annotated { "integer" } else { "field" };
        fields.insert(
            c.name.into(),
            ro(&cairn_schema::field::humanize(c.name), ty),
        );
    }
    let fields = Json::Object(fields);
    let mut body = json!({
        "name": format!("{} {}", title_case(t.verbose_name), if list { "List" } else { "Instance" }),
        "description": "",
        "renders": ["application/json", "text/html"],
        "parses": ["application/json", "multipart/form-data"],
    });
    if !t.read_only {
        body["actions"] = json!({"POST": fields.clone(), "PUT": fields});
    }
    json_response(StatusCode::OK, body.to_string())
}

/// "object change" → "Object Change", as DRF names views.
fn title_case(s: &str) -> String {
    s.split(' ').map(capitalize).collect::<Vec<_>>().join(" ")
}
