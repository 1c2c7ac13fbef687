//! `display`: the one text every front end shows for an object (REST's `display`, the
//! change log's `object_repr`, error messages naming objects). Related objects come from
//! whoever asks: the database (`FromDb`) or objects already loaded for a response.

use std::cell::RefCell;

use cairn_schema::field::capitalize;
use cairn_schema::{Display, FieldKind, ObjectType, RowText};

use crate::conn::Conn;
use crate::read;
use crate::schema::Schema;
use crate::value::{Record, Value};

/// Where the display of a related object comes from.
pub trait Related {
    /// The display of the object of `label` with this id, if it can be found.
    fn display_of(&self, label: &str, id: i64) -> Option<String>;
}

/// Related objects read from the database as they are needed.
pub struct FromDb<'a> {
    conn: RefCell<&'a mut Conn>,
    s: &'a Schema,
}

impl<'a> FromDb<'a> {
    pub fn new(conn: &'a mut Conn, s: &'a Schema) -> FromDb<'a> {
        FromDb {
            conn: RefCell::new(conn),
            s,
        }
    }
}

impl Related for FromDb<'_> {
    fn display_of(&self, label: &str, id: i64) -> Option<String> {
        let tt = self.s.reg.get(label)?;
        // The borrow ends before the related object's own display reads further.
        let rec = {
            let mut conn = self.conn.try_borrow_mut().ok()?;
            read::get_columns(&mut conn, self.s, tt, id).ok()??
        };
        Some(display(self.s, tt, &rec, self))
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

/// An object's display text.
pub fn display(s: &Schema, t: &ObjectType, rec: &Record, related: &dyn Related) -> String {
    match t.display {
        Display::Field(name) => t
            .field_index(name)
            .map(|i| plain_text(&rec.values[i]))
            .unwrap_or_default(),
        Display::Fn(f) => f(&Row { s, t, rec, related }),
    }
}

/// An object's display, reading related objects from the database.
pub fn display_stored(conn: &mut Conn, s: &Schema, t: &ObjectType, rec: &Record) -> String {
    display(s, t, rec, &FromDb::new(conn, s))
}

/// A row as display functions (and computed fields) read it.
pub struct Row<'a> {
    pub s: &'a Schema,
    pub t: &'a ObjectType,
    pub rec: &'a Record,
    pub related: &'a dyn Related,
}

impl RowText for Row<'_> {
    fn id(&self) -> i64 {
        self.rec.id
    }

    /// Choices give their label, foreign keys and generic relations their object's
    /// display, a generic relation's type column its object type ("DCIM > Site"), and
    /// related-object counts their number.
    fn text(&self, name: &str) -> String {
        let (s, t, rec) = (self.s, self.t, self.rec);
        for (i, f) in t.fields.iter().enumerate() {
            if let FieldKind::GenericFk { ct, .. } = f.kind {
                if ct == name {
                    let Value::Ref(c, _) = rec.values[i] else {
                        return String::new();
                    };
                    return s
                        .type_of_ct(c)
                        .map(|tt| {
                            let app = s.reg.app(tt.app).map(|a| a.name).unwrap_or(tt.app);
                            format!("{app} > {}", capitalize(tt.verbose_name))
                        })
                        .unwrap_or_default();
                }
            }
        }
        let Some(i) = t.field_index(name) else {
            return t
                .counts
                .iter()
                .position(|c| c.name == name)
                .and_then(|c| rec.counts.get(c))
                .map(|n| n.to_string())
                .unwrap_or_default();
        };
        match (&t.fields[i].kind, &rec.values[i]) {
            (FieldKind::Choice(set), Value::Text(v)) => set.label(v).unwrap_or(v).to_string(),
            (FieldKind::Choice(set), Value::Int(n)) => {
                set.label(&n.to_string()).unwrap_or_default().to_string()
            }
            (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => {
                self.related.display_of(target, *id).unwrap_or_default()
            }
            (FieldKind::GenericFk { .. }, Value::Ref(ct, id)) => s
                .type_of_ct(*ct)
                .and_then(|tt| self.related.display_of(&tt.label(), *id))
                .unwrap_or_default(),
            (_, v) => plain_text(v),
        }
    }
}
