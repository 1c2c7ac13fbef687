//! The part of JSON Schema that module type profiles use: types, properties, required
//! keys, enums, numeric and length bounds, and arrays. Messages read like Python's
//! `jsonschema`, which NetBox shows.

use serde_json::Value as Json;

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn is_type(v: &Json, ty: &str) -> bool {
    let actual = type_name(v);
    actual == ty || (ty == "number" && actual == "integer")
}

fn repr(v: &Json) -> String {
    match v {
        Json::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// Checks `instance` against `schema`; the first violation found, as a message.
pub fn validate(instance: &Json, schema: &Json) -> Result<(), String> {
    let Json::Object(s) = schema else {
        return Ok(());
    };
    if let Some(ty) = s.get("type") {
        let ok = match ty {
            Json::String(t) => is_type(instance, t),
            Json::Array(ts) => ts
                .iter()
                .filter_map(|t| t.as_str())
                .any(|t| is_type(instance, t)),
            _ => true,
        };
        if !ok {
            return Err(format!("{} is not of type {}", repr(instance), repr(ty)));
        }
    }
    if let Some(Json::Array(options)) = s.get("enum") {
        if !options.contains(instance) {
            return Err(format!(
                "{} is not one of {}",
                repr(instance),
                Json::Array(options.clone())
            ));
        }
    }
    if let Some(c) = s.get("const") {
        if c != instance {
            return Err(format!("{} was expected", repr(c)));
        }
    }
    if let Some(n) = instance.as_f64() {
        let bound = |k: &str| s.get(k).and_then(|v| v.as_f64());
        if let Some(m) = bound("minimum").filter(|m| n < *m) {
            return Err(format!("{instance} is less than the minimum of {m}"));
        }
        if let Some(m) = bound("maximum").filter(|m| n > *m) {
            return Err(format!("{instance} is greater than the maximum of {m}"));
        }
        if let Some(m) = bound("exclusiveMinimum").filter(|m| n <= *m) {
            return Err(format!(
                "{instance} is less than or equal to the minimum of {m}"
            ));
        }
        if let Some(m) = bound("exclusiveMaximum").filter(|m| n >= *m) {
            return Err(format!(
                "{instance} is greater than or equal to the maximum of {m}"
            ));
        }
    }
    if let Json::String(text) = instance {
        let len = text.chars().count() as u64;
        if let Some(m) = s
            .get("minLength")
            .and_then(|v| v.as_u64())
            .filter(|m| len < *m)
        {
            return Err(format!(
                "{} is too short (minimum length {m})",
                repr(instance)
            ));
        }
        if let Some(m) = s
            .get("maxLength")
            .and_then(|v| v.as_u64())
            .filter(|m| len > *m)
        {
            return Err(format!(
                "{} is too long (maximum length {m})",
                repr(instance)
            ));
        }
    }
    if let Json::Array(items) = instance {
        let len = items.len() as u64;
        if let Some(m) = s
            .get("minItems")
            .and_then(|v| v.as_u64())
            .filter(|m| len < *m)
        {
            return Err(format!("{instance} should have at least {m} items"));
        }
        if let Some(m) = s
            .get("maxItems")
            .and_then(|v| v.as_u64())
            .filter(|m| len > *m)
        {
            return Err(format!("{instance} should have at most {m} items"));
        }
        if let Some(item_schema) = s.get("items") {
            for item in items {
                validate(item, item_schema)?;
            }
        }
    }
    if let Json::Object(obj) = instance {
        if let Some(Json::Array(required)) = s.get("required") {
            for key in required.iter().filter_map(|k| k.as_str()) {
                if !obj.contains_key(key) {
                    return Err(format!("'{key}' is a required property"));
                }
            }
        }
        let props = s.get("properties").and_then(|p| p.as_object());
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => validate(v, sub)?,
                None => {
                    if s.get("additionalProperties") == Some(&Json::Bool(false)) {
                        return Err(format!(
                            "Additional properties are not allowed ('{k}' was unexpected)"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

const TYPES: &[&str] = &[
    "null", "boolean", "integer", "number", "string", "array", "object",
];

/// Checks that `schema` is itself a valid schema of the keywords above (what Python's
/// `check_schema` refuses most often): the first problem found, as a message.
pub fn check_schema(schema: &Json) -> Result<(), String> {
    let Json::Object(s) = schema else {
        return Err(format!(
            "{} is not of type 'object', 'boolean'",
            repr(schema)
        ));
    };
    match s.get("type") {
        None => {}
        Some(Json::String(t)) if TYPES.contains(&t.as_str()) => {}
        Some(Json::Array(ts))
            if ts
                .iter()
                .all(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))) => {}
        Some(other) => {
            return Err(format!(
                "{} is not valid under any of the given schemas",
                repr(other)
            ))
        }
    }
    if let Some(p) = s.get("properties") {
        let Json::Object(props) = p else {
            return Err(format!("{} is not of type 'object'", repr(p)));
        };
        for sub in props.values() {
            check_schema(sub)?;
        }
    }
    if let Some(items) = s.get("items") {
        check_schema(items)?;
    }
    if let Some(r) = s.get("required") {
        let strings = matches!(r, Json::Array(keys) if keys.iter().all(Json::is_string));
        if !strings {
            return Err(format!("{} is not of type 'array'", repr(r)));
        }
    }
    if let Some(e) = s.get("enum").filter(|e| !e.is_array()) {
        return Err(format!("{} is not of type 'array'", repr(e)));
    }
    for bound in [
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
    ] {
        if let Some(b) = s.get(bound).filter(|b| !b.is_number()) {
            return Err(format!("{} is not of type 'number'", repr(b)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;
    use serde_json::json;

    #[test]
    fn checks_what_profiles_use() {
        let schema = json!({
            "type": "object",
            "properties": {
                "speed": {"type": "integer", "minimum": 1},
                "form": {"type": "string", "enum": ["SFP", "QSFP"]},
            },
            "required": ["form"],
            "additionalProperties": false,
        });
        assert!(validate(&json!({"form": "SFP", "speed": 10}), &schema).is_ok());
        assert_eq!(
            validate(&json!({"speed": 10}), &schema).unwrap_err(),
            "'form' is a required property"
        );
        assert_eq!(
            validate(&json!({"form": "SFP", "speed": "fast"}), &schema).unwrap_err(),
            "'fast' is not of type 'integer'"
        );
        assert!(validate(&json!({"form": "XFP"}), &schema).is_err());
        assert!(validate(&json!({"form": "SFP", "speed": 0}), &schema).is_err());
        assert!(validate(&json!({"form": "SFP", "color": "red"}), &schema).is_err());
    }
}
