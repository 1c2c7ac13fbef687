//! `/api/schema/` against NetBox 4.4's own document, summarized in `netbox_openapi.txt`
//! (by `tools/openapi_summary.py`): paths and operation ids, list parameters, and the
//! property names and types of every component, with the differences listed here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::on_each_backend;

const NETBOX: &str = include_str!("netbox_openapi.txt");

/// NetBox actions on served models that Cairn does not serve yet: cable traces (with
/// cables), config rendering (with config templates), a choice set's choice list.
const UNSERVED_ACTIONS: &[&str] = &["/trace/", "/paths/", "/render-config/", "/choices/"];

/// Properties where Cairn's document differs from NetBox's, and why.
const PROPERTY_EXCEPTIONS: &[(&str, &str)] = &[
    // NetBox's document lists it; its API does not send it.
    ("ASNRange", "asn_count"),
    // NetBox's API sends these in the brief form; its document leaves them out.
    ("BriefModule", "description"),
    ("BriefModule", "module_type"),
    ("BriefModuleRequest", "description"),
    ("BriefModuleRequest", "module_type"),
    ("Token", "allowed_ips"),
    ("TokenProvision", "allowed_ips"),
    ("TokenRequest", "allowed_ips"),
    ("PatchedTokenRequest", "allowed_ips"),
    // Images are uploaded with image attachments, which are not served yet.
    ("DeviceTypeRequest", "front_image"),
    ("DeviceTypeRequest", "rear_image"),
    ("WritableDeviceTypeRequest", "front_image"),
    ("WritableDeviceTypeRequest", "rear_image"),
    ("PatchedWritableDeviceTypeRequest", "front_image"),
    ("PatchedWritableDeviceTypeRequest", "rear_image"),
    // Cairn keeps a token's last use its own record.
    ("TokenRequest", "last_used"),
    ("PatchedTokenRequest", "last_used"),
];

#[derive(Default)]
struct Summary {
    paths: BTreeMap<String, BTreeMap<String, String>>,
    params: BTreeMap<String, BTreeMap<String, String>>,
    schemas: BTreeMap<String, BTreeMap<String, String>>,
}

fn parse(text: &str) -> Summary {
    let mut out = Summary::default();
    for line in text.lines() {
        let mut words = line.split(' ');
        let (Some(kind), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        let sep = if kind == "path" { '=' } else { ':' };
        let items: BTreeMap<String, String> = words
            .filter(|w| !w.is_empty())
            .filter_map(|w| w.split_once(sep))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let map = match kind {
            "path" => &mut out.paths,
            "params" => &mut out.params,
            _ => &mut out.schemas,
        };
        map.insert(name.to_string(), items);
    }
    out
}

/// A schema's type as the summary writes it.
fn coarse(s: &Json) -> String {
    if s.get("$ref").is_some() || s.get("allOf").is_some() {
        return "object".into();
    }
    if s.get("oneOf").is_some() {
        return "ref".into();
    }
    let t = s.get("type").and_then(Json::as_str).unwrap_or("any");
    if t == "array" {
        let items = &s["items"];
        let inner = match items.as_object() {
            Some(o) if !o.is_empty() => coarse(items),
            _ => "any".into(),
        };
        return format!("array/{inner}");
    }
    t.into()
}

fn summarize(doc: &Json) -> Summary {
    let mut out = Summary::default();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        let ops = ops.as_object().expect("operations");
        out.paths.insert(
            path.clone(),
            ops.iter()
                .map(|(m, op)| (m.clone(), op["operationId"].as_str().unwrap_or("").into()))
                .collect(),
        );
        if let Some(params) = ops.get("get").and_then(|g| g["parameters"].as_array()) {
            if !path.contains('{') {
                out.params.insert(
                    path.clone(),
                    params
                        .iter()
                        .filter(|p| p["in"] == "query")
                        .map(|p| {
                            (
                                p["name"].as_str().unwrap_or("").into(),
                                coarse(&p["schema"]),
                            )
                        })
                        .collect(),
                );
            }
        }
    }
    for (name, s) in doc["components"]["schemas"].as_object().expect("schemas") {
        let props = s["properties"].as_object().cloned().unwrap_or_default();
        out.schemas.insert(
            name.clone(),
            props.iter().map(|(k, v)| (k.clone(), coarse(v))).collect(),
        );
    }
    out
}

/// Whether two summarized types agree. `any` matches whatever is in its place; a
/// relation Cairn takes as an id or a nested object (`ref`) matches either.
fn compatible(netbox: &str, cairn: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (netbox.split('/').collect(), cairn.split('/').collect());
    for (x, y) in a.iter().zip(&b) {
        if *x == "any" || *y == "any" {
            return true;
        }
        let relation = |v: &str| matches!(v, "object" | "integer" | "ref");
        if x != y && !((*x == "ref" || *y == "ref") && relation(x) && relation(y)) {
            return false;
        }
    }
    a.len() == b.len()
}

fn refs(v: &Json, out: &mut BTreeSet<String>) {
    match v {
        Json::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => {
                        out.insert(r.trim_start_matches("#/components/schemas/").into());
                    }
                    _ => refs(v, out),
                }
            }
        }
        Json::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

on_each_backend!(openapi_document_matches_netbox, |srv| {
    let doc = srv.get("/api/schema/?format=json").await;
    let status = srv.get("/api/status/").await;
    // The Ansible inventory caches the document by this version.
    assert_eq!(doc["info"]["version"], status["netbox-version"]);
    let netbox = parse(NETBOX);
    let cairn = summarize(&doc);
    let mut problems = Vec::new();

    for (path, ops) in &cairn.paths {
        match netbox.paths.get(path) {
            None => problems.push(format!("{path}: not a NetBox path")),
            Some(theirs) if theirs != ops => {
                problems.push(format!("{path}: operations {ops:?}, NetBox {theirs:?}"))
            }
            _ => {}
        }
    }
    let lists: Vec<&String> = cairn.paths.keys().filter(|p| !p.contains('{')).collect();
    for path in netbox.paths.keys() {
        let of_served = lists.iter().any(|l| path.starts_with(l.as_str()));
        let unserved = UNSERVED_ACTIONS.iter().any(|a| path.ends_with(a));
        if of_served && !unserved && !cairn.paths.contains_key(path) {
            problems.push(format!(
                "{path}: NetBox serves it, Cairn's document lacks it"
            ));
        }
    }

    let snap = srv.store.snapshot();
    let reg = &snap.schema.reg;
    for (path, ours) in &cairn.params {
        let Some(theirs) = netbox.params.get(path) else {
            continue;
        };
        let endpoint = path.trim_start_matches("/api/extras/object-types/");
        let t = reg.types().iter().find(|t| {
            format!("/api/{}/{}/", t.app, t.endpoint) == *path
                || (endpoint.is_empty() && t.label() == "core.objecttype")
        });
        for name in ours.keys() {
            if !theirs.contains_key(name) {
                problems.push(format!("{path}: parameter {name} is not NetBox's"));
            }
        }
        let Some(t) = t else {
            continue;
        };
        for name in theirs.keys() {
            let read = cairn_store::query::reads(&snap.schema, t, name);
            if !ours.contains_key(name) && read {
                problems.push(format!("{path}: parameter {name} is read but not listed"));
            }
            if ours.contains_key(name)
                && !read
                && !["limit", "offset", "ordering"].contains(&name.as_str())
            {
                problems.push(format!("{path}: parameter {name} is listed but not read"));
            }
        }
    }

    for (name, props) in &cairn.schemas {
        let Some(theirs) = netbox.schemas.get(name) else {
            // Where NetBox's document nests its older forms, Cairn's nests the brief one.
            if !name.starts_with("Brief") {
                problems.push(format!("component {name}: not NetBox's"));
            }
            continue;
        };
        let excepted = |p: &str| PROPERTY_EXCEPTIONS.contains(&(name.as_str(), p));
        for (p, ty) in props {
            match theirs.get(p) {
                None if !excepted(p) => problems.push(format!("{name}.{p}: not in NetBox's")),
                Some(t) if !compatible(t, ty) => {
                    problems.push(format!("{name}.{p}: {ty}, NetBox {t}"))
                }
                _ => {}
            }
        }
        for p in theirs.keys() {
            if !props.contains_key(p) && !excepted(p) {
                problems.push(format!("{name}.{p}: NetBox's, missing"));
            }
        }
    }

    let mut used = BTreeSet::new();
    refs(&doc, &mut used);
    for r in used {
        if !cairn.schemas.contains_key(&r) {
            problems.push(format!("$ref {r}: no such component"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
});
