//! Custom field data: the values objects keep in `custom_field_data`, checked against
//! the registry's custom fields on every write (NetBox's `CustomFieldsMixin.clean` and
//! `CustomField.validate`), and the SQL that reads and rewrites it.

use serde_json::{Map, Value as Json};

use cairn_schema::custom::valid_custom_name;
use cairn_schema::{CustomField, CustomKind, ObjectType};

use crate::conn::{Conn, Dialect};
use crate::error::{add_error, FieldErrors, Result, StoreError};
use crate::filter::Filter;
use crate::read;
use crate::schema::Schema;
use crate::sql::Sql;
use crate::value::{parse_time_loose, Record, Value};

/// NetBox's empty values: none, "", [].
pub fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Python's `re.match`: a match starting at the beginning.
fn matches_at_start(pattern: &str, value: &str) -> bool {
    regex::Regex::new(&format!("^(?:{pattern})")).is_ok_and(|re| re.is_match(value))
}

/// Checks one value against a custom field's type and limits; the reason is NetBox's.
pub fn check_value(cf: &CustomField, v: &Json) -> std::result::Result<(), String> {
    if is_empty(v) {
        return if cf.required {
            Err("Required field cannot be empty.".into())
        } else {
            Ok(())
        };
    }
    let bounds = |x: f64| -> std::result::Result<(), String> {
        if let Some(min) = cf.validation_minimum.filter(|m| x < *m) {
            // The bounds are decimals with four places, as NetBox prints them.
            return Err(format!("Value must be at least {min:.4}"));
        }
        if let Some(max) = cf.validation_maximum.filter(|m| x > *m) {
            return Err(format!("Value must not exceed {max:.4}"));
        }
        Ok(())
    };
    match cf.kind {
        CustomKind::Text | CustomKind::LongText | CustomKind::Url => {
            let Json::String(s) = v else {
                return Err("Value must be a string.".into());
            };
            if !cf.validation_regex.is_empty() && !matches_at_start(&cf.validation_regex, s) {
                return Err(format!("Value must match regex '{}'", cf.validation_regex));
            }
        }
        CustomKind::Integer => match v.as_i64() {
            Some(i) if !v.is_boolean() => bounds(i as f64)?,
            _ => return Err("Value must be an integer.".into()),
        },
        CustomKind::Decimal => match number(v) {
            Some(x) => bounds(x)?,
            None => return Err("Value must be a decimal.".into()),
        },
        CustomKind::Boolean => {
            if !matches!(v, Json::Bool(_)) && v.as_i64().is_none_or(|i| i != 0 && i != 1) {
                return Err("Value must be true or false.".into());
            }
        }
        CustomKind::Date => {
            let ok = v
                .as_str()
                .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
            if !ok {
                return Err("Date values must be in ISO 8601 format (YYYY-MM-DD).".into());
            }
        }
        CustomKind::DateTime => {
            if v.as_str().and_then(parse_time_loose).is_none() {
                return Err(
                    "Date and time values must be in ISO 8601 format (YYYY-MM-DD HH:MM:SS).".into(),
                );
            }
        }
        CustomKind::Select => {
            let ok = match (&cf.choices, v) {
                (Some(c), Json::String(s)) => c.has(s),
                _ => false,
            };
            if !ok {
                return Err(format!(
                    "Invalid choice ({}) for choice set {}.",
                    plain(v),
                    choice_set_name(cf)
                ));
            }
        }
        CustomKind::MultiSelect => {
            let ok = match (&cf.choices, v) {
                (Some(c), Json::Array(items)) => {
                    items.iter().all(|i| i.as_str().is_some_and(|s| c.has(s)))
                }
                _ => false,
            };
            if !ok {
                return Err(format!(
                    "Invalid choice(s) ({}) for choice set {}.",
                    plain(v),
                    choice_set_name(cf)
                ));
            }
        }
        CustomKind::Object => {
            if v.as_i64().is_none() || v.is_boolean() {
                return Err(format!(
                    "Value must be an object ID, not {}",
                    python_type(v)
                ));
            }
        }
        CustomKind::MultiObject => {
            let Json::Array(items) = v else {
                return Err(format!(
                    "Value must be a list of object IDs, not {}",
                    python_type(v)
                ));
            };
            if let Some(bad) = items.iter().find(|i| i.as_i64().is_none()) {
                return Err(format!("Found invalid object ID: {}", plain(bad)));
            }
        }
        CustomKind::Json => {}
    }
    Ok(())
}

fn choice_set_name(cf: &CustomField) -> &str {
    cf.choices.as_ref().map(|c| c.name.as_str()).unwrap_or("")
}

/// A JSON value as Python would print it in a message.
fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn python_type(v: &Json) -> &'static str {
    match v {
        Json::String(_) => "str",
        Json::Number(n) if n.is_f64() => "float",
        Json::Number(_) => "int",
        Json::Bool(_) => "bool",
        Json::Array(_) => "list",
        Json::Object(_) => "dict",
        Json::Null => "NoneType",
    }
}

/// The custom data a new object starts from: every field of its type, at its default.
pub fn defaults(s: &Schema, t: &ObjectType) -> Json {
    Json::Object(
        s.reg
            .custom_fields(t)
            .map(|cf| (cf.name.clone(), cf.default.clone().unwrap_or(Json::Null)))
            .collect(),
    )
}

/// Brings an object's custom data in line with its type's custom fields before it is
/// written: data a new object was given none of starts from the defaults, keys of no
/// field are dropped, every value is checked, unique values are unique, required fields
/// are present, and fields with a default that were left out get it.
pub fn validate_data(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    rec: &mut Record,
    given: bool,
    creating: bool,
    errors: &mut FieldErrors,
) -> Result<()> {
    if !t.features.custom_fields {
        return Ok(());
    }
    let fields: Vec<&CustomField> = s.reg.custom_fields(t).collect();
    let mut data = match std::mem::take(&mut rec.custom) {
        Json::Object(m) => m,
        _ => Map::new(),
    };
    if creating && !given {
        for cf in &fields {
            data.insert(cf.name.clone(), cf.default.clone().unwrap_or(Json::Null));
        }
    }
    data.retain(|k, _| fields.iter().any(|cf| cf.name == *k));
    let mut problem = None;
    for cf in &fields {
        let Some(v) = data.get(&cf.name) else {
            continue;
        };
        if let Err(why) = check_value(cf, v) {
            problem = Some(format!(
                "Invalid value for custom field '{}': {why}",
                cf.name
            ));
            break;
        }
        if let Some(bad) = missing_objects(conn, s, cf, v)? {
            add_error(
                errors,
                "custom_fields",
                format!("Unknown related object(s): {bad}"),
            );
        }
        if cf.unique && !is_empty(v) {
            let others = Filter::and(vec![custom_eq(&cf.name, v), !Filter::eq("id", rec.id)]);
            if read::exists(conn, s, t, &others)? {
                problem = Some(format!(
                    "Custom field '{}' must have a unique value.",
                    cf.name
                ));
                break;
            }
        }
    }
    if problem.is_none() {
        if let Some(cf) = fields
            .iter()
            .find(|cf| cf.required && !data.contains_key(&cf.name))
        {
            problem = Some(format!("Missing required custom field '{}'.", cf.name));
        }
    }
    if let Some(p) = problem {
        add_error(errors, "__all__", p);
    }
    for cf in &fields {
        if let Some(d) = &cf.default {
            data.entry(cf.name.clone()).or_insert_with(|| d.clone());
        }
    }
    rec.custom = Json::Object(data);
    Ok(())
}

/// The ids an object field names that match no object (as text, or None if all exist).
fn missing_objects(
    conn: &mut Conn,
    s: &Schema,
    cf: &CustomField,
    v: &Json,
) -> Result<Option<String>> {
    let ids: Vec<i64> = match (cf.kind, v) {
        (CustomKind::Object, v) => v.as_i64().into_iter().collect(),
        (CustomKind::MultiObject, Json::Array(items)) => {
            items.iter().filter_map(Json::as_i64).collect()
        }
        _ => return Ok(None),
    };
    let Some(target) = cf.related_object_type.as_deref().and_then(|l| s.reg.get(l)) else {
        return Ok(None);
    };
    if ids.is_empty() {
        return Ok(None);
    }
    let found = read::ids(conn, s, target, &Filter::ids("id", ids.iter().copied()))?;
    Ok((found.len() < ids.len()).then(|| v.to_string()))
}

/// Objects whose custom field `name` holds exactly this JSON value.
pub fn custom_eq(name: &str, v: &Json) -> Filter {
    Filter::Custom {
        name: name.into(),
        test: CustomTest::Equals(v.clone()),
    }
}

/// What a custom-data filter checks of one key.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomTest {
    /// The JSON value equals this one.
    Equals(Json),
    /// The text value matches as the operator says (string lookups).
    Text(crate::filter::Op, String),
    /// The numeric value compares as the operator says.
    Number(crate::filter::Op, f64),
    /// The list value holds this element.
    Holds(Json),
    /// The key is absent, null, "" or [].
    Empty,
}

/// The SQL of a custom-data test over `col` (the qualified `custom_field_data` column).
pub(crate) fn compile_custom(
    col: &str,
    name: &str,
    test: &CustomTest,
    d: Dialect,
    sql: &mut Sql,
) -> Result<()> {
    if !valid_custom_name(name) {
        return Err(StoreError::Db(format!("not a custom field name: {name}")));
    }
    // The value as JSON, and as text.
    let (json, text) = match d {
        Dialect::Sqlite => (
            format!("({col} -> '$.\"{name}\"')"),
            format!("json_extract({col}, '$.\"{name}\"')"),
        ),
        Dialect::Postgres => (
            format!("({col} -> '{name}')"),
            format!("({col} ->> '{name}')"),
        ),
    };
    match test {
        CustomTest::Equals(v) => match d {
            Dialect::Postgres => {
                sql.push(&format!("{json} = "));
                sql.bind(Value::Json(v.clone()));
            }
            Dialect::Sqlite => {
                sql.push(&format!("json({json}) = json("));
                sql.bind(Value::Text(v.to_string()));
                sql.push(")");
            }
        },
        CustomTest::Text(op, s) => {
            crate::filter::compile_cmp(&text, *op, &Value::Text(s.clone()), d, sql)?;
        }
        CustomTest::Number(op, x) => {
            let num = match d {
                Dialect::Sqlite => format!(
                    "(CASE WHEN json_type({col}, '$.\"{name}\"') IN ('integer', 'real') THEN {text} END)"
                ),
                Dialect::Postgres => format!(
                    "(CASE WHEN jsonb_typeof({json}) = 'number' THEN ({text})::double precision END)"
                ),
            };
            crate::filter::compile_cmp(&num, *op, &Value::Float(*x), d, sql)?;
        }
        CustomTest::Holds(v) => match d {
            Dialect::Postgres => {
                sql.push(&format!("{json} @> "));
                sql.bind(Value::Json(Json::Array(vec![v.clone()])));
            }
            Dialect::Sqlite => {
                sql.push(&format!(
                    "EXISTS (SELECT 1 FROM json_each({col}, '$.\"{name}\"') e WHERE json_quote(e.value) = json("
                ));
                sql.bind(Value::Text(v.to_string()));
                sql.push("))");
            }
        },
        CustomTest::Empty => match d {
            Dialect::Postgres => sql.push(&format!(
                "({json} IS NULL OR {json} IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb))"
            )),
            Dialect::Sqlite => sql.push(&format!(
                "({json} IS NULL OR json({json}) IN ('null', '\"\"', '[]'))"
            )),
        },
    }
    Ok(())
}

/// How a custom field's key changes in every object of a type.
pub enum DataChange<'a> {
    /// Set to this value (a new field's default, or null).
    Set(&'a str, &'a Json),
    /// Removed (the field no longer applies).
    Remove(&'a str),
    /// Moved to a new name (the field was renamed).
    Rename(&'a str, &'a str),
}

/// Rewrites one key of every object's custom data, without change records (as NetBox
/// does when fields are added, removed or renamed).
pub(crate) fn rewrite(conn: &mut Conn, t: &ObjectType, change: &DataChange<'_>) -> Result<()> {
    if !t.features.custom_fields {
        return Ok(());
    }
    for name in match change {
        DataChange::Set(n, _) | DataChange::Remove(n) => vec![*n],
        DataChange::Rename(a, b) => vec![*a, *b],
    } {
        if !valid_custom_name(name) {
            return Err(StoreError::Db(format!("not a custom field name: {name}")));
        }
    }
    let c = "custom_field_data";
    let d = conn.dialect();
    let (expr, params) = match (change, d) {
        (DataChange::Set(n, v), Dialect::Sqlite) => (
            format!("json_set(COALESCE({c}, '{{}}'), '$.\"{n}\"', json(?))"),
            vec![Value::Text(v.to_string())],
        ),
        (DataChange::Set(n, v), Dialect::Postgres) => (
            format!("jsonb_set(COALESCE({c}, '{{}}'::jsonb), '{{{n}}}', ?)"),
            vec![Value::Json((*v).clone())],
        ),
        (DataChange::Remove(n), Dialect::Sqlite) => {
            (format!("json_remove({c}, '$.\"{n}\"')"), vec![])
        }
        (DataChange::Remove(n), Dialect::Postgres) => (format!("{c} - '{n}'"), vec![]),
        (DataChange::Rename(a, b), Dialect::Sqlite) => (
            format!(
                "json_set(json_remove({c}, '$.\"{a}\"'), '$.\"{b}\"', COALESCE({c} -> '$.\"{a}\"', json('null')))"
            ),
            vec![],
        ),
        (DataChange::Rename(a, b), Dialect::Postgres) => (
            format!("jsonb_set({c} - '{a}', '{{{b}}}', COALESCE({c} -> '{a}', 'null'::jsonb))"),
            vec![],
        ),
    };
    conn.execute(&format!("UPDATE {} SET {c} = {expr}", t.table), &params)?;
    Ok(())
}
