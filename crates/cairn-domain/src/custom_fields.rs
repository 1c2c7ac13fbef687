//! Custom fields and their choice sets: the rules of their definitions (NetBox's
//! `CustomField.clean`, `CustomFieldChoiceSet.clean` and serializer checks), reading them
//! into the registry, and keeping objects' data in step when a field is added, removed or
//! renamed.

use std::sync::Arc;

use serde_json::Value as Json;

use cairn_schema::custom::valid_custom_name;
use cairn_schema::{CustomChoices, CustomField, CustomKind, FilterLogic, ObjectType};
use cairn_store::add_error as add;
use cairn_store::custom::{check_value, custom_eq, CustomTest, DataChange};
use cairn_store::{
    read, Action, Conn, FieldErrors, Filter, Hooks, Invalid, Record, Result, Schema, Value, Writer,
};

use crate::fields::{get, int, set, text};

const FIELD: &str = "extras.customfield";
const CHOICES: &str = "extras.customfieldchoiceset";

pub fn register(h: &mut Hooks) {
    h.definitions(&[FIELD, CHOICES], load);
    h.validate(FIELD, validate_field);
    h.validate(CHOICES, validate_choice_set);
    h.after_write(FIELD, |w, t, action, old, new| {
        let s = w.s;
        let now = types_of(s, t, new);
        let has = |list: &[&ObjectType], x: &ObjectType| list.iter().any(|y| y.index == x.index);
        match (action, old) {
            (Action::Create, _) | (_, None) => {
                let default = get(t, new, "default").clone();
                populate(w, &now, text(t, new, "name"), &default)
            }
            (_, Some(old)) => {
                let before = types_of(s, t, old);
                let (old_name, name) = (text(t, old, "name"), text(t, new, "name"));
                let kept: Vec<&ObjectType> =
                    before.iter().copied().filter(|b| has(&now, b)).collect();
                if old_name != name {
                    for ot in &kept {
                        w.rewrite_custom_data(ot, &DataChange::Rename(old_name, name))?;
                    }
                }
                let gone: Vec<&ObjectType> =
                    before.iter().copied().filter(|b| !has(&now, b)).collect();
                for ot in gone {
                    w.rewrite_custom_data(ot, &DataChange::Remove(old_name))?;
                }
                let added: Vec<&ObjectType> =
                    now.iter().copied().filter(|n| !has(&before, n)).collect();
                let default = get(t, new, "default").clone();
                populate(w, &added, name, &default)
            }
        }
    });
    h.after_delete(FIELD, |w, t, old| {
        let s = w.s;
        for ot in types_of(s, t, old) {
            w.rewrite_custom_data(ot, &DataChange::Remove(text(t, old, "name")))?;
        }
        Ok(())
    });
}

/// Objects of newly covered types get the field's default (or null), as NetBox's
/// `populate_initial_data` does.
fn populate(w: &mut Writer<'_>, types: &[&ObjectType], name: &str, default: &Value) -> Result<()> {
    let value = match default {
        Value::Json(j) => j.clone(),
        _ => Json::Null,
    };
    for ot in types {
        w.rewrite_custom_data(ot, &DataChange::Set(name, &value))?;
    }
    Ok(())
}

/// The models a custom field record applies to.
fn types_of<'s>(s: &'s Schema, t: &ObjectType, rec: &Record) -> Vec<&'s ObjectType> {
    match get(t, rec, "object_types") {
        Value::Ids(ids) => ids.iter().filter_map(|c| s.type_of_ct(*c)).collect(),
        _ => Vec::new(),
    }
}

fn label_of_ct(s: &Schema, v: &Value) -> Option<String> {
    v.as_i64()
        .and_then(|c| s.label_of_ct(c))
        .map(str::to_string)
}

/// A JSON number, or a number given as text, as a float.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// Reads every custom field (with its choices) as registry entries.
fn load(conn: &mut Conn, s: &Schema) -> Result<Vec<CustomField>> {
    let (Some(ft), Some(ct)) = (s.reg.get(FIELD), s.reg.get(CHOICES)) else {
        return Ok(Vec::new());
    };
    let mut sets = std::collections::HashMap::new();
    for r in read::select(conn, s, ct, &read::Query::all())? {
        sets.insert(r.id, Arc::new(choices_of(ct, &r)));
    }
    let mut fields = read::select(conn, s, ft, &read::Query::all())?;
    read::load_relations(conn, s, ft, &mut fields)?;
    Ok(fields
        .iter()
        .filter_map(|r| {
            let name = text(ft, r, "name").to_string();
            if !valid_custom_name(&name) {
                return None;
            }
            Some(CustomField {
                id: r.id,
                label: text(ft, r, "label").to_string(),
                kind: CustomKind::parse(text(ft, r, "type"))?,
                object_types: types_of(s, ft, r).iter().map(|t| t.label()).collect(),
                related_object_type: label_of_ct(s, get(ft, r, "related_object_type")),
                required: get(ft, r, "required").as_bool().unwrap_or(false),
                unique: get(ft, r, "unique").as_bool().unwrap_or(false),
                default: match get(ft, r, "default") {
                    Value::Json(Json::Null) | Value::Null => None,
                    Value::Json(j) => Some(j.clone()),
                    _ => None,
                },
                group_name: text(ft, r, "group_name").to_string(),
                weight: int(ft, r, "weight").unwrap_or(100),
                filter_logic: FilterLogic::parse(text(ft, r, "filter_logic")),
                validation_minimum: number(get(ft, r, "validation_minimum")),
                validation_maximum: number(get(ft, r, "validation_maximum")),
                validation_regex: text(ft, r, "validation_regex").to_string(),
                choices: int(ft, r, "choice_set").and_then(|c| sets.get(&c).cloned()),
                name,
            })
        })
        .collect())
}

/// A choice set's choices, sorted by value when it says so.
fn choices_of(t: &ObjectType, r: &Record) -> CustomChoices {
    let mut choices: Vec<(String, String)> = match get(t, r, "extra_choices") {
        Value::Json(Json::Array(items)) => items
            .iter()
            .filter_map(|pair| {
                let p = pair.as_array()?;
                Some((
                    p.first()?.as_str()?.to_string(),
                    p.get(1)?.as_str()?.to_string(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    if get(t, r, "order_alphabetically").as_bool() == Some(true) {
        choices.sort_by(|a, b| a.0.cmp(&b.0));
    }
    CustomChoices {
        name: text(t, r, "name").to_string(),
        choices,
    }
}

/// A candidate definition as the registry would hold it, to check its default with.
fn candidate(w: &mut Writer<'_>, t: &ObjectType, new: &Record) -> Result<Option<CustomField>> {
    let Some(kind) = CustomKind::parse(text(t, new, "type")) else {
        return Ok(None);
    };
    let choices = match (int(t, new, "choice_set"), w.s.reg.get(CHOICES)) {
        (Some(id), Some(ct)) => {
            read::get_columns(w.conn, w.s, ct, id)?.map(|r| Arc::new(choices_of(ct, &r)))
        }
        _ => None,
    };
    Ok(Some(CustomField {
        id: new.id,
        name: text(t, new, "name").to_string(),
        label: String::new(),
        kind,
        object_types: Vec::new(),
        related_object_type: None,
        required: false,
        unique: false,
        default: None,
        group_name: String::new(),
        weight: 0,
        filter_logic: FilterLogic::Loose,
        validation_minimum: number(get(t, new, "validation_minimum")),
        validation_maximum: number(get(t, new, "validation_maximum")),
        validation_regex: text(t, new, "validation_regex").to_string(),
        choices,
    }))
}

fn validate_field(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let name = text(t, new, "name").to_string();
    if !name.is_empty() {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            add(
                errors,
                "name",
                "Only alphanumeric characters and underscores are allowed.",
            );
        } else if name.contains("__") {
            add(
                errors,
                "name",
                "Double underscores are not permitted in custom field names.",
            );
        }
    }
    let kind_text = text(t, new, "type").to_string();
    if let Some(old) = old {
        if text(t, old, "type") != kind_text {
            add(
                errors,
                "type",
                "Changing the type of custom fields is not supported.",
            );
        }
    }
    for ot in types_of(w.s, t, new) {
        if !ot.features.custom_fields {
            add(errors, "object_types", Invalid::WrongType(ot.label()));
        }
    }
    if !errors.is_empty() {
        return Ok(());
    }
    let Some(kind) = CustomKind::parse(&kind_text) else {
        return Ok(());
    };
    let label = t
        .field("type")
        .and_then(|f| match f.kind {
            cairn_schema::FieldKind::Choice(set) => set.label(&kind_text),
            _ => None,
        })
        .unwrap_or("");
    // The default, as the field's own values are checked.
    if let Value::Json(default) = get(t, new, "default").clone() {
        if !default.is_null() {
            let as_given = match (kind, &default) {
                (CustomKind::Text | CustomKind::LongText, Json::String(_)) => default.clone(),
                (CustomKind::Text | CustomKind::LongText, other) => Json::String(other.to_string()),
                _ => default.clone(),
            };
            if let Some(cf) = candidate(w, t, new)? {
                if let Err(why) = check_value(&cf, &as_given) {
                    let shown = match &default {
                        Json::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    add(
                        errors,
                        "default",
                        format!("Invalid default value \"{shown}\": {why}"),
                    );
                    return Ok(());
                }
            }
        }
    }
    let numeric = matches!(kind, CustomKind::Integer | CustomKind::Decimal);
    let set_number = |n: &str| number(get(t, new, n)).is_some_and(|x| x != 0.0);
    if !numeric && set_number("validation_minimum") {
        add(
            errors,
            "validation_minimum",
            "A minimum value may be set only for numeric fields",
        );
        return Ok(());
    }
    if !numeric && set_number("validation_maximum") {
        add(
            errors,
            "validation_maximum",
            "A maximum value may be set only for numeric fields",
        );
        return Ok(());
    }
    let regex = text(t, new, "validation_regex").to_string();
    if !regex.is_empty()
        && !matches!(
            kind,
            CustomKind::Text | CustomKind::LongText | CustomKind::Url
        )
    {
        add(
            errors,
            "validation_regex",
            "Regular expression validation is supported only for text and URL fields",
        );
        return Ok(());
    }
    if !regex.is_empty() && regex::Regex::new(&regex).is_err() {
        add(
            errors,
            "validation_regex",
            format!("Invalid regular expression: {regex}"),
        );
        return Ok(());
    }
    if get(t, new, "unique").as_bool() == Some(true) && kind == CustomKind::Boolean {
        add(
            errors,
            "unique",
            "Uniqueness cannot be enforced for boolean fields",
        );
        return Ok(());
    }
    let selection = matches!(kind, CustomKind::Select | CustomKind::MultiSelect);
    let has_choices = int(t, new, "choice_set").is_some();
    if selection && !has_choices {
        add(
            errors,
            "choice_set",
            "Selection fields must specify a set of choices.",
        );
        return Ok(());
    }
    if !selection && has_choices {
        add(
            errors,
            "choice_set",
            "Choices may be set only on selection fields.",
        );
        return Ok(());
    }
    let object = matches!(kind, CustomKind::Object | CustomKind::MultiObject);
    let related = label_of_ct(w.s, get(t, new, "related_object_type"));
    match (object, &related) {
        (true, None) => {
            add(
                errors,
                "related_object_type",
                "Object fields must define an object type.",
            );
            return Ok(());
        }
        (false, Some(_)) => {
            add(
                errors,
                "type",
                format!("{label} fields may not define an object type."),
            );
            return Ok(());
        }
        _ => {}
    }
    if let Value::Json(filter) = get(t, new, "related_object_filter") {
        if !filter.is_null() {
            if !object {
                add(
                    errors,
                    "related_object_filter",
                    "A related object filter can be defined only for object fields.",
                );
            } else if !filter.is_object() {
                add(
                    errors,
                    "related_object_filter",
                    "Filter must be defined as a dictionary mapping attributes to values.",
                );
            }
        }
    }
    Ok(())
}

fn validate_choice_set(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    // NetBox's base sets (airport, country and location codes) are data Cairn lacks.
    if !get(t, new, "base_choices").is_null() {
        add(
            errors,
            "base_choices",
            "Base choice sets are not available; give extra_choices.",
        );
        return Ok(());
    }
    let pairs = match get(t, new, "extra_choices") {
        Value::Null | Value::Json(Json::Null) => Vec::new(),
        Value::Json(Json::Array(items)) => items.clone(),
        _ => {
            add(errors, "extra_choices", "Expected a list of items.");
            return Ok(());
        }
    };
    let mut values: Vec<(String, String)> = Vec::new();
    for pair in &pairs {
        let p = match pair {
            Json::Array(p) => p,
            _ => {
                add(errors, "extra_choices", "Expected a list of items.");
                return Ok(());
            }
        };
        if p.len() < 2 {
            add(
                errors,
                "extra_choices",
                "Ensure this field has at least 2 elements.",
            );
            return Ok(());
        }
        if p.len() > 2 {
            add(
                errors,
                "extra_choices",
                "Ensure this field has no more than 2 elements.",
            );
            return Ok(());
        }
        let text_of = |v: &Json| match v {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let (Some(v), Some(l)) = (text_of(&p[0]), text_of(&p[1])) else {
            add(errors, "extra_choices", "Not a valid string.");
            return Ok(());
        };
        if v.chars().count() > 100 || l.chars().count() > 100 {
            add(errors, "extra_choices", Invalid::TooLong(100));
            return Ok(());
        }
        values.push((v, l));
    }
    if values.is_empty() {
        add(errors, "__all__", "Must define base or extra choices.");
        return Ok(());
    }
    let mut seen: Vec<&str> = Vec::new();
    for (v, _) in &values {
        if seen.contains(&v.as_str()) {
            add(
                errors,
                "__all__",
                format!("Duplicate value '{v}' found in extra choices."),
            );
            return Ok(());
        }
        seen.push(v);
    }
    if let Some(old) = old {
        let before = choices_of(t, old);
        for (removed, _) in before
            .choices
            .iter()
            .filter(|(v, _)| !values.iter().any(|(n, _)| n == v))
        {
            if let Some(model) = choice_in_use(w, new.id, removed)? {
                add(
                    errors,
                    "__all__",
                    format!(
                        "Cannot remove choice {removed} as there are {model} objects which reference it."
                    ),
                );
                return Ok(());
            }
        }
    }
    if get(t, new, "order_alphabetically").as_bool() == Some(true) {
        values.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let stored: Vec<Json> = values
        .iter()
        .map(|(v, l)| Json::Array(vec![Json::String(v.clone()), Json::String(l.clone())]))
        .collect();
    set(t, new, "extra_choices", Value::Json(Json::Array(stored)));
    set(t, new, "choices_count", Value::Int(values.len() as i64));
    Ok(())
}

/// A model some object of which holds `choice` in a field using this choice set.
fn choice_in_use(w: &mut Writer<'_>, set_id: i64, choice: &str) -> Result<Option<String>> {
    let reg = w.s.reg.clone();
    let Some(ft) = reg.get(FIELD) else {
        return Ok(None);
    };
    let mut q = read::Query::all();
    q.filter = Filter::eq("choice_set", set_id);
    let mut fields = read::select(w.conn, w.s, ft, &q)?;
    read::load_relations(w.conn, w.s, ft, &mut fields)?;
    let s = w.s;
    for f in &fields {
        let name = text(ft, f, "name").to_string();
        if !valid_custom_name(&name) {
            continue;
        }
        let multi = text(ft, f, "type") == "multiselect";
        let value = Json::String(choice.into());
        let test = if multi {
            Filter::Custom {
                name: name.clone(),
                test: CustomTest::Holds(value),
            }
        } else {
            custom_eq(&name, &value)
        };
        for ot in types_of(s, ft, f) {
            if read::exists(w.conn, w.s, ot, &test)? {
                return Ok(Some(ot.label()));
            }
        }
    }
    Ok(None)
}
