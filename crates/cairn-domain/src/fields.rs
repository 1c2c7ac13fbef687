//! Reading a record's fields by name, for rules that look at a few fields of a model.

use cairn_schema::ObjectType;
use cairn_store::{read, Record, Result, Value, Writer};

pub fn get<'a>(t: &ObjectType, rec: &'a Record, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    t.field_index(name).map(|i| &rec.values[i]).unwrap_or(&NULL)
}

pub fn int(t: &ObjectType, rec: &Record, name: &str) -> Option<i64> {
    get(t, rec, name).as_i64()
}

pub fn num(t: &ObjectType, rec: &Record, name: &str) -> Option<f64> {
    match get(t, rec, name) {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

pub fn text<'a>(t: &ObjectType, rec: &'a Record, name: &str) -> &'a str {
    get(t, rec, name).as_str().unwrap_or("")
}

pub fn set(t: &ObjectType, rec: &mut Record, name: &str, v: Value) {
    if let Some(i) = t.field_index(name) {
        rec.values[i] = v;
    }
}

/// The object of type `t` with this id, if there is one (its own columns: rules read
/// no many-to-many fields of the objects they look up).
pub fn fetch(w: &mut Writer<'_>, t: &ObjectType, id: Option<i64>) -> Result<Option<Record>> {
    match id {
        Some(id) => read::get_columns(w.conn, w.s, t, id),
        None => Ok(None),
    }
}

/// The name of the object of model `label` with this id ("" when there is none), for
/// messages that name related objects.
pub fn name_of(w: &mut Writer<'_>, label: &str, id: Option<i64>) -> Result<String> {
    let reg = w.s.reg.clone();
    let Some(t) = reg.get(label) else {
        return Ok(String::new());
    };
    Ok(fetch(w, t, id)?
        .map(|r| text(t, &r, "name").to_string())
        .unwrap_or_default())
}
