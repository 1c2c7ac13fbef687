//! NetBox request bodies to changes: type conversion per field kind, related objects
//! given by id or by a dictionary of attributes, object types as "app.model", and DRF's
//! messages for what does not convert.

use serde_json::{Map, Value as Json};

use cairn_schema::{FieldKind, ObjectType};
use cairn_store::query::from_lookups;
use cairn_store::{read, Change, Conn, Filter, Result, Schema, Value};

use crate::error::{add_message as add, Messages};

/// DRF's answer to a NUL character in any text.
const NUL: &str = "Null characters are not allowed.";

/// Whether any text in a JSON value holds a NUL character (no database column may).
fn has_nul(v: &Json) -> bool {
    match v {
        Json::String(s) => s.contains('\0'),
        Json::Array(items) => items.iter().any(has_nul),
        Json::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Python's repr of a small dict, as NetBox quotes it in messages.
fn py_repr(m: &Map<String, Json>) -> String {
    let parts: Vec<String> = m
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Json::String(s) => format!("'{s}'"),
                other => other.to_string(),
            };
            format!("'{k}': {v}")
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Resolves an FK value: an id, a numeric string, or attributes identifying one object.
fn resolve_related(
    conn: &mut Conn,
    s: &Schema,
    target: &str,
    v: &Json,
) -> Result<std::result::Result<i64, String>> {
    match v {
        Json::Number(n) => Ok(n
            .as_i64()
            .ok_or_else(|| format!("Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: {n}"))),
        Json::String(st) => match st.parse::<i64>() {
            Ok(i) => Ok(Ok(i)),
            Err(_) => Ok(Err(format!("Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: {st}"))),
        },
        Json::Object(m) => {
            let Some(tt) = s.reg.get(target) else {
                return Ok(Err("Unknown related type.".into()));
            };
            // The attributes are a lookup dictionary: each checked against its field.
            let Ok(filter) = from_lookups(s, tt, v) else {
                return Ok(Err(format!(
                    "Related object not found using the provided attributes: {}",
                    py_repr(m)
                )));
            };
            let ids = read::ids(conn, s, tt, &filter)?;
            Ok(match ids.len() {
                1 => Ok(ids[0]),
                0 => Err(format!(
                    "Related object not found using the provided attributes: {}",
                    py_repr(m)
                )),
                _ => Err(format!(
                    "Multiple objects match the provided attributes: {}",
                    py_repr(m)
                )),
            })
        }
        _ => Ok(Err(format!(
            "Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: {v}"
        ))),
    }
}

fn as_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn as_int(v: &Json) -> Option<i64> {
    match v {
        Json::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_float(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Json) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(*b),
        Json::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Json::String(s) => match s.to_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
            "false" | "0" | "no" | "off" | "f" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Converts one object's JSON into a change. Unknown and read-only keys are ignored, as
/// NetBox does.
pub fn parse_object(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    body: &Json,
) -> Result<std::result::Result<Change, Messages>> {
    let mut errors = Messages::new();
    let mut change = Change::default();
    let Json::Object(obj) = body else {
        add(
            &mut errors,
            "non_field_errors",
            "Invalid data. Expected a dictionary, but got list.",
        );
        return Ok(Err(errors));
    };
    match changelog_message(obj) {
        Ok(m) => change.message = m,
        Err(e) => add(&mut errors, "changelog_message", e),
    }
    for (i, f) in t.fields.iter().enumerate() {
        if f.read_only || !f.stored {
            continue;
        }
        if let FieldKind::GenericFk { ct, fk } = f.kind {
            if !obj.contains_key(ct) && !obj.contains_key(fk) {
                continue;
            }
            let ct_v = obj.get(ct).cloned().unwrap_or(Json::Null);
            let id_v = obj.get(fk).cloned().unwrap_or(Json::Null);
            if has_nul(&ct_v) {
                add(&mut errors, ct, NUL);
                continue;
            }
            if ct_v.is_null() && id_v.is_null() {
                change.set(i, Value::Null);
                continue;
            }
            // A half left out (0) keeps the stored half on update; the write path
            // reports it as required on create.
            let allowed = |label: &str| s.reg.get(label).is_some_and(|tt| f.targets.allows(tt));
            let ct_id = match &ct_v {
                Json::String(label) if label.split('.').count() != 2 => {
                    add(
                        &mut errors,
                        ct,
                        "Invalid value. Specify a content type as '<app_label>.<model_name>'.",
                    );
                    None
                }
                Json::String(label) => match s.ct_of_label(label).filter(|_| allowed(label)) {
                    Some(c) => Some(c),
                    None => {
                        add(&mut errors, ct, format!("Invalid content type: {label}"));
                        None
                    }
                },
                Json::Number(n) => n.as_i64(),
                Json::Null => Some(0),
                _ => {
                    add(&mut errors, ct, "This field is required.");
                    None
                }
            };
            let obj_id = match as_int(&id_v) {
                Some(x) => Some(x),
                None if id_v.is_null() => Some(0),
                None => {
                    add(&mut errors, fk, "A valid integer is required.");
                    None
                }
            };
            if let (Some(c), Some(o)) = (ct_id, obj_id) {
                change.set(i, Value::Ref(c, o));
            }
            continue;
        }
        let Some(v) = obj.get(f.name) else { continue };
        if has_nul(v) {
            add(&mut errors, f.name, NUL);
            continue;
        }
        if v.is_null() {
            change.set(i, Value::Null);
            continue;
        }
        let converted = match &f.kind {
            k if k.is_text() => as_text(v).map(Value::Text).ok_or("Not a valid string."),
            FieldKind::Choice(set) if set.numeric => match v {
                Json::Object(m) => m.get("value").and_then(as_int),
                other => as_int(other),
            }
            .map(Value::Int)
            .ok_or("A valid integer is required."),
            // NetBox's blank choice: null where the field may be empty, else refused.
            FieldKind::Choice(_) if v.as_str() == Some("") => {
                if f.nullable {
                    Ok(Value::Null)
                } else {
                    Err("This field may not be blank.")
                }
            }
            FieldKind::Choice(_) => match v {
                Json::String(x) => Ok(Value::Text(x.clone())),
                Json::Number(n) => Ok(Value::Text(n.to_string())),
                Json::Object(m) => m
                    .get("value")
                    .and_then(as_text)
                    .map(Value::Text)
                    .ok_or("Not a valid choice."),
                _ => Err("Not a valid choice."),
            },
            FieldKind::Int { .. } => as_int(v).map(Value::Int).ok_or("A valid integer is required."),
            FieldKind::Decimal { .. } => as_float(v).map(Value::Float).ok_or("A valid number is required."),
            FieldKind::Bool => as_bool(v).map(Value::Bool).ok_or("Must be a valid boolean."),
            FieldKind::DateTime => match v {
                Json::String(x) => cairn_store::value::parse_time_loose(x)
                    .map(Value::Time)
                    .ok_or("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
                _ => Err("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
            },
            FieldKind::Json => Ok(Value::Json(v.clone())),
            FieldKind::StrList => match v {
                Json::Array(items) if items.iter().all(|x| x.is_string()) => Ok(Value::Json(v.clone())),
                _ => Err("Expected a list of items."),
            },
            FieldKind::IntList { .. } => match v {
                Json::Array(items) if items.iter().all(|x| as_int(x).is_some()) => Ok(Value::Json(
                    Json::Array(items.iter().filter_map(as_int).map(Json::from).collect()),
                )),
                _ => Err("Expected a list of integers."),
            },
            // An object type by "app.model", as NetBox's content type fields take it.
            FieldKind::ForeignKey { target: "core.objecttype", .. } if v.is_string() => {
                let label = v.as_str().unwrap_or_default();
                if label.split('.').count() != 2 {
                    add(&mut errors, f.name, "Invalid value. Specify a content type as '<app_label>.<model_name>'.");
                    continue;
                }
                match s.ct_of_label(label) {
                    Some(c) => Ok(Value::Int(c)),
                    None => {
                        add(&mut errors, f.name, format!("Invalid content type: {label}"));
                        continue;
                    }
                }
            }
            FieldKind::ForeignKey { target, .. } => {
                match resolve_related(conn, s, target, v)? {
                    Ok(id) => Ok(Value::Int(id)),
                    Err(msg) => {
                        add(&mut errors, f.name, msg);
                        continue;
                    }
                }
            }
            FieldKind::ManyToMany { target } => {
                let Json::Array(items) = v else {
                    add(&mut errors, f.name, format!("Expected a list of items but got type \"{}\".", json_type(v)));
                    continue;
                };
                let mut ids = Vec::new();
                for item in items {
                    if *target == "core.objecttype" {
                        if let Json::String(label) = item {
                            let allowed = s.reg.get(label).is_none_or(|tt| f.targets.allows(tt));
                            match s.ct_of_label(label).filter(|_| allowed) {
                                Some(c) => ids.push(c),
                                None => add(&mut errors, f.name, format!("Invalid content type: {label}")),
                            }
                            continue;
                        }
                    }
                    match resolve_related(conn, s, target, item)? {
                        Ok(id) => ids.push(id),
                        Err(msg) => add(&mut errors, f.name, msg),
                    }
                }
                Ok(Value::Ids(ids))
            }
            // Generic relations were read above; text kinds matched first.
            _ => continue,
        };
        match converted {
            Ok(val) => change.set(i, val),
            Err(msg) => add(&mut errors, f.name, msg),
        }
    }
    if t.features.tags {
        if obj.get("tags").is_some_and(has_nul) {
            add(&mut errors, "tags", NUL);
        } else if let Some(tags) = obj.get("tags") {
            match parse_tags(conn, s, tags)? {
                Ok(ids) => change.tags = Some(ids),
                Err(msgs) => {
                    for m in msgs {
                        add(&mut errors, "tags", m);
                    }
                }
            }
        }
    }
    if t.features.custom_fields {
        match obj.get("custom_fields") {
            Some(v) if has_nul(v) => add(&mut errors, "custom_fields", NUL),
            Some(Json::Object(m)) => change.custom = Some(m.clone()),
            Some(Json::Null) | None => {}
            Some(_) => add(
                &mut errors,
                "custom_fields",
                "Invalid data. Expected a dictionary.",
            ),
        }
    }
    // NetBox checks passwords in its user serializer's validate(), once every field is
    // valid: on API input only (a command-line superuser is not held to it).
    if errors.is_empty() && t.label() == "users.user" {
        if let Some(Json::String(p)) = obj.get("password").filter(|p| p.as_str() != Some("")) {
            for problem in cairn_domain::users::password_problems(p) {
                add(&mut errors, "non_field_errors", problem);
            }
        }
    }
    Ok(if errors.is_empty() {
        Ok(change)
    } else {
        Err(errors)
    })
}

fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Object(_) => "dict",
        Json::Array(_) => "list",
        Json::String(_) => "str",
        Json::Number(_) => "int",
        Json::Bool(_) => "bool",
        Json::Null => "NoneType",
    }
}

/// Tags are given as ids, as `{"name": …}` / `{"slug": …}` objects, or as plain names.
fn parse_tags(
    conn: &mut Conn,
    s: &Schema,
    v: &Json,
) -> Result<std::result::Result<Vec<i64>, Vec<String>>> {
    let Json::Array(items) = v else {
        return Ok(Err(vec![format!(
            "Expected a list of items but got type \"{}\".",
            json_type(v)
        )]));
    };
    let Some(tt) = s.reg.get("extras.tag") else {
        return Ok(Ok(Vec::new()));
    };
    let mut ids = Vec::new();
    let mut errs = Vec::new();
    for item in items {
        let found = match item {
            Json::String(name) if name.parse::<i64>().is_err() => {
                let f = Filter::Any(vec![
                    Filter::eq("name", name.as_str()),
                    Filter::eq("slug", name.as_str()),
                ]);
                read::ids(conn, s, tt, &f)?.first().copied().ok_or_else(|| {
                    format!("Related object not found using the provided attributes: {{'name': '{name}'}}")
                })
            }
            other => resolve_related(conn, s, "extras.tag", other)?,
        };
        match found {
            Ok(id) => {
                if read::exists(conn, s, tt, &Filter::eq("id", id))? {
                    ids.push(id)
                } else {
                    errs.push(format!(
                        "Related object not found using the provided numeric ID: {id}"
                    ))
                }
            }
            Err(m) => errs.push(m),
        }
    }
    Ok(if errs.is_empty() { Ok(ids) } else { Err(errs) })
}

/// The `changelog_message` of a write or delete body: DRF's CharField takes text and
/// numbers, and NetBox then keeps the value as sent.
pub fn changelog_message(
    obj: &Map<String, Json>,
) -> std::result::Result<Option<String>, &'static str> {
    match obj.get("changelog_message") {
        None => Ok(None),
        Some(Json::String(m)) => Ok(Some(m.clone())),
        Some(Json::Number(n)) => Ok(Some(n.to_string())),
        Some(Json::Null) => Err("This field may not be null."),
        Some(_) => Err("Not a valid string."),
    }
}
