//! One connection type over both backends. All database work runs synchronously on a
//! blocking thread, so a transaction and the hooks inside it are plain code on both.

use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use chrono::{DateTime, Utc};
use postgres::types::{IsNull, ToSql, Type};

use crate::error::{Result, StoreError};
use crate::value::{format_time, parse_time, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// How to decode a result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Int,
    Float,
    Bool,
    Text,
    Json,
    Time,
    Bytes,
}

pub type Row = Vec<Value>;

pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<PgConn>),
}

pub struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

impl PgConn {
    pub fn new(client: postgres::Client) -> PgConn {
        PgConn {
            client,
            statements: HashMap::new(),
        }
    }

    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(sql)?;
        // Bounded: filter combinations are many, so forget everything rather than grow.
        if self.statements.len() > 500 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

/// `?` placeholders become `$1, $2, …` for PostgreSQL. Generated SQL never holds literal
/// strings, so every `?` is a placeholder.
fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    out
}

impl Conn {
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Serializes allocators within the current transaction: an advisory lock on
    /// PostgreSQL; nothing on SQLite, whose single writer already does.
    pub fn lock(&mut self, key: i64) -> Result<()> {
        if self.dialect() == Dialect::Postgres {
            self.query(
                "SELECT pg_advisory_xact_lock(?)::text",
                &[Value::Int(key)],
                &[Col::Text],
            )?;
        }
        Ok(())
    }

    pub fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql)?,
            Conn::Postgres(c) => c.client.batch_execute(sql)?,
        }
        Ok(())
    }

    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(n as u64)
            }
            Conn::Postgres(c) => {
                let stmt = c.prepare(&pg_placeholders(sql))?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                Ok(c.client.execute(&stmt, &refs)?)
            }
        }
    }

    /// Runs a query and decodes each column as `cols` says.
    pub fn query(&mut self, sql: &str, params: &[Value], cols: &[Col]) -> Result<Vec<Row>> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let mut values = Vec::with_capacity(cols.len());
                    for (i, col) in cols.iter().enumerate() {
                        values.push(sqlite_value(row.get_ref(i)?, *col)?);
                    }
                    out.push(values);
                }
                Ok(out)
            }
            Conn::Postgres(c) => {
                let stmt = c.prepare(&pg_placeholders(sql))?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let rows = c.client.query(&stmt, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut values = Vec::with_capacity(cols.len());
                    for (i, col) in cols.iter().enumerate() {
                        values.push(pg_value(&row, i, *col)?);
                    }
                    out.push(values);
                }
                Ok(out)
            }
        }
    }

    pub fn query_one(&mut self, sql: &str, params: &[Value], cols: &[Col]) -> Result<Option<Row>> {
        Ok(self.query(sql, params, cols)?.into_iter().next())
    }

    pub fn query_i64(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        let row = self.query_one(sql, params, &[Col::Int])?;
        Ok(row
            .and_then(|r| r.into_iter().next())
            .and_then(|v| v.as_i64())
            .unwrap_or(0))
    }

    /// Inserts and returns the new row's id (`RETURNING id` on both backends).
    pub fn insert(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        let row = self.query_one(sql, params, &[Col::Int])?;
        row.and_then(|r| r.into_iter().next())
            .and_then(|v| v.as_i64())
            .ok_or_else(|| StoreError::Db("insert returned no id".into()))
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>, col: Col) -> Result<Value> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match col {
            Col::Bool => Value::Bool(i != 0),
            Col::Float => Value::Float(i as f64),
            _ => Value::Int(i),
        },
        ValueRef::Real(f) => match col {
            Col::Int => Value::Int(f as i64),
            _ => Value::Float(f),
        },
        ValueRef::Text(t) => {
            let s = std::str::from_utf8(t).map_err(|e| StoreError::Db(e.to_string()))?;
            match col {
                Col::Json => {
                    Value::Json(serde_json::from_str(s).map_err(|e| StoreError::Db(e.to_string()))?)
                }
                Col::Time => parse_time(s)
                    .map(Value::Time)
                    .ok_or_else(|| StoreError::Db(format!("bad timestamp {s}")))?,
                Col::Int => Value::Int(s.parse().unwrap_or(0)),
                _ => Value::Text(s.to_string()),
            }
        }
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    })
}

fn pg_value(row: &postgres::Row, i: usize, col: Col) -> Result<Value> {
    fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        v.map(f).unwrap_or(Value::Null)
    }
    Ok(match col {
        Col::Int => opt(row.try_get::<_, Option<i64>>(i)?, Value::Int),
        Col::Float => opt(row.try_get::<_, Option<f64>>(i)?, Value::Float),
        Col::Bool => opt(row.try_get::<_, Option<bool>>(i)?, Value::Bool),
        Col::Text => opt(row.try_get::<_, Option<String>>(i)?, Value::Text),
        Col::Json => opt(row.try_get::<_, Option<serde_json::Value>>(i)?, Value::Json),
        Col::Time => opt(row.try_get::<_, Option<DateTime<Utc>>>(i)?, Value::Time),
        Col::Bytes => opt(row.try_get::<_, Option<Vec<u8>>>(i)?, Value::Bytes),
    })
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(V::Null),
            Value::Bool(b) => ToSqlOutput::Owned(V::Integer(*b as i64)),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Float(f) => ToSqlOutput::Owned(V::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Json(j) => ToSqlOutput::Owned(V::Text(j.to_string())),
            Value::Time(t) => ToSqlOutput::Owned(V::Text(format_time(t))),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Ids(ids) => {
                ToSqlOutput::Owned(V::Text(serde_json::Value::from(ids.clone()).to_string()))
            }
            Value::Ref(_, id) => ToSqlOutput::Owned(V::Integer(*id)),
        })
    }
}

type BoxErr = Box<dyn StdError + Sync + Send>;

/// Values convert to whatever PostgreSQL type the statement expects, so generated SQL
/// needs no casts.
impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxErr> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => match *ty {
                Type::INT8 => (*b as i64).to_sql(ty, out),
                _ => b.to_sql(ty, out),
            },
            Value::Int(i) => match *ty {
                Type::INT2 => (*i as i16).to_sql(ty, out),
                Type::INT4 => (*i as i32).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Float(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::INT8 => (*f as i64).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::TIMESTAMPTZ => match parse_time(s) {
                    Some(t) => t.to_sql(ty, out),
                    None => Err(format!("invalid timestamp {s}").into()),
                },
                Type::JSONB | Type::JSON => serde_json::Value::String(s.clone()).to_sql(ty, out),
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
            Value::Json(j) => match *ty {
                Type::TEXT | Type::VARCHAR => j.to_string().to_sql(ty, out),
                _ => j.to_sql(ty, out),
            },
            Value::Time(t) => match *ty {
                Type::TEXT | Type::VARCHAR => format_time(t).to_sql(ty, out),
                _ => t.to_sql(ty, out),
            },
            Value::Bytes(b) => b.to_sql(ty, out),
            Value::Ids(ids) => serde_json::Value::from(ids.clone()).to_sql(ty, out),
            Value::Ref(_, id) => id.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}
