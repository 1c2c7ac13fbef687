//! `display` text of a stored object, for change-log `object_repr` and error messages.

use cairn_schema::{Display, FieldKind, ObjectType, RowText};

use crate::conn::Conn;
use crate::read;
use crate::schema::Schema;
use crate::value::{Record, Value};

struct StoredRow<'a> {
    conn: std::cell::RefCell<&'a mut Conn>,
    s: &'a Schema,
    t: &'a ObjectType,
    rec: &'a Record,
}

impl RowText for StoredRow<'_> {
    fn id(&self) -> i64 {
        self.rec.id
    }

    fn text(&self, name: &str) -> String {
        let Some(i) = self.t.field_index(name) else {
            return String::new();
        };
        let f = &self.t.fields[i];
        let v = &self.rec.values[i];
        match (&f.kind, v) {
            (FieldKind::Choice(set), Value::Text(s)) => set.label(s).unwrap_or(s).to_string(),
            (FieldKind::Choice(set), Value::Int(n)) => {
                set.label(&n.to_string()).unwrap_or_default().to_string()
            }
            (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => {
                let Some(tt) = self.s.reg.get(target) else {
                    return String::new();
                };
                let mut conn = self.conn.borrow_mut();
                match read::get(&mut conn, self.s, tt, *id) {
                    Ok(Some(r)) => display(&mut conn, self.s, tt, &r),
                    _ => String::new(),
                }
            }
            (FieldKind::GenericFk { .. }, Value::Ref(ct, id)) => {
                let Some(tt) = self.s.type_of_ct(*ct) else {
                    return String::new();
                };
                let mut conn = self.conn.borrow_mut();
                match read::get(&mut conn, self.s, tt, *id) {
                    Ok(Some(r)) => display(&mut conn, self.s, tt, &r),
                    _ => String::new(),
                }
            }
            _ => plain_text(v),
        }
    }
}

pub fn plain_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(s) => s.clone(),
        Value::Json(j) => j.to_string(),
        Value::Time(t) => crate::value::format_time(t),
        Value::Bytes(_) | Value::Ids(_) | Value::Ref(..) => String::new(),
    }
}

pub fn display(conn: &mut Conn, s: &Schema, t: &ObjectType, rec: &Record) -> String {
    match t.display {
        Display::Field(name) => t
            .field_index(name)
            .map(|i| plain_text(&rec.values[i]))
            .unwrap_or_default(),
        Display::Fn(f) => f(&StoredRow {
            conn: std::cell::RefCell::new(conn),
            s,
            t,
            rec,
        }),
    }
}
