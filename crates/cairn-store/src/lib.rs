//! Persistence for both backends: schema migration from the registry, the read path
//! (filters to SQL, batched relations) and the single write path with its change log.

pub mod blocks;
pub mod conn;
pub mod ddl;
pub mod display;
pub mod error;
pub mod filter;
pub mod hooks;
pub mod ipkey;
pub mod pool;
pub mod query;
pub mod read;
pub mod schema;
pub mod sql;
pub mod testing;
pub mod validate;
pub mod value;
pub mod write;

use std::sync::Arc;

use cairn_schema::{ObjectType, Registry};

pub use conn::{Col, Conn, Dialect};
pub use error::{add_error, FieldErrors, Invalid, Result, StoreError};
pub use filter::{Filter, Hop, IpRel, Op};
pub use hooks::Hooks;
pub use pool::{Db, DbUrl, PoolOptions, PoolUse};
pub use query::QueryError;
pub use read::Query;
pub use schema::Schema;
pub use value::{Record, Value};
pub use write::{Action, Actor, Change, Writer};

pub struct Store {
    db: Db,
    schema: Schema,
    hooks: hooks::HookTable,
}

impl Store {
    /// Opens the database, brings its schema up to the registry and syncs object types.
    pub fn open(url: &DbUrl, reg: Arc<Registry>, hooks: Hooks) -> Result<Store> {
        Store::open_with(url, reg, hooks, PoolOptions::default())
    }

    /// As `open`, with the pools sized and timed as `opts` says.
    pub fn open_with(
        url: &DbUrl,
        reg: Arc<Registry>,
        hooks: Hooks,
        opts: PoolOptions,
    ) -> Result<Store> {
        let db = Db::open_with(url, opts)?;
        let schema = {
            let mut conn = db.writer()?;
            begin(&mut conn)?;
            let synced = ddl::migrate(&mut conn, &reg).and_then(|_| Schema::sync(&mut conn, reg));
            finish(&mut conn, synced)?
        };
        let hooks = hooks.table(&schema.reg);
        Ok(Store { db, schema, hooks })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn registry(&self) -> &Registry {
        &self.schema.reg
    }

    pub fn dialect(&self) -> Result<Dialect> {
        Ok(self.db.reader()?.dialect())
    }

    /// Connections in use: (readers, writers); PostgreSQL has one pool for both.
    pub fn pool_usage(&self) -> (PoolUse, Option<PoolUse>) {
        self.db.usage()
    }

    /// Bytes the database takes on disk.
    pub fn database_size(&self) -> Result<i64> {
        let mut conn = self.db.reader()?;
        let sql = match conn.dialect() {
            Dialect::Sqlite => {
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            }
            Dialect::Postgres => "SELECT pg_database_size(current_database())",
        };
        conn.query_i64(sql, &[])
    }

    /// Sets some stored fields of one object without validation, hooks, timestamps or
    /// a change record, as bookkeeping does (a token's `last_used`).
    pub fn update_quietly(&self, t: &ObjectType, id: i64, values: &[(&str, Value)]) -> Result<()> {
        let mut sets = Vec::new();
        let mut params = Vec::new();
        for (name, v) in values {
            let col = t
                .field(name)
                .and_then(|f| f.column())
                .ok_or_else(|| StoreError::Db(format!("{} has no column {name}", t.label())))?;
            sets.push(format!("\"{col}\" = ?"));
            params.push(v.clone());
        }
        params.push(Value::Int(id));
        let mut conn = self.db.writer()?;
        conn.execute(
            &format!("UPDATE {} SET {} WHERE id = ?", t.table, sets.join(", ")),
            &params,
        )?;
        Ok(())
    }

    /// Deletes the objects matching `filter` without hooks, cascades or change records:
    /// for bookkeeping rows nothing refers to (old change records).
    pub fn delete_quietly(&self, t: &ObjectType, filter: &Filter) -> Result<u64> {
        let mut conn = self.db.writer()?;
        let mut sql = sql::Sql::new(&format!("DELETE FROM {} WHERE ", t.table));
        let scope = filter::Scope {
            s: &self.schema,
            t,
            d: conn.dialect(),
            alias: None,
        };
        filter::compile(filter, &scope, &mut sql)?;
        conn.execute(&sql.text, &sql.params)
    }

    /// Runs read-only work on a pooled connection.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Conn, &Schema) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.db.reader()?;
        f(&mut conn, &self.schema)
    }

    /// Runs `f` in one transaction: everything it writes commits together or not at all.
    pub fn write<T, E: From<StoreError>>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.db.writer()?;
        begin(&mut conn)?;
        let result = {
            let mut w = Writer {
                conn: &mut conn,
                s: &self.schema,
                actor,
                hooks: &self.hooks,
                blocks: Default::default(),
            };
            f(&mut w).and_then(|v| w.finish().map(|()| v).map_err(E::from))
        };
        finish(&mut conn, result)
    }
}

fn begin(conn: &mut Conn) -> Result<()> {
    match conn.dialect() {
        Dialect::Sqlite => conn.batch("BEGIN IMMEDIATE"),
        Dialect::Postgres => conn.batch("BEGIN"),
    }
}

fn finish<T, E: From<StoreError>>(
    conn: &mut Conn,
    result: std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    match result {
        Ok(v) => {
            conn.batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            // The original error matters more than a failed rollback.
            let _ = conn.batch("ROLLBACK");
            Err(e)
        }
    }
}
