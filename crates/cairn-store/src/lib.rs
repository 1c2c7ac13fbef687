//! Persistence for both backends: schema migration from the registry, the read path
//! (filters to SQL, batched relations) and the single write path with its change log.

pub mod blocks;
pub mod conn;
pub mod custom;
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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
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

/// One consistent view of the registry: what a request works with from start to end.
pub struct Snapshot {
    pub schema: Schema,
    hooks: Arc<hooks::HookTable>,
    /// The version of the run-time definitions this registry was built from.
    pub version: i64,
}

pub struct Store {
    db: Db,
    hooks: Hooks,
    /// The built-in types, without run-time entries.
    base: Arc<Registry>,
    current: ArcSwap<Snapshot>,
    opened: Instant,
    /// When (ms after opening) the version row was last compared.
    checked: AtomicU64,
}

/// The advisory lock a migration holds (PostgreSQL).
const MIGRATION_LOCK: i64 = 100_000;

/// How often a process compares its registry with the database's definitions; changes
/// made through this process are seen at once.
const CHECK_EVERY: Duration = Duration::from_secs(1);

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
            // Processes starting together migrate one after the other.
            let synced = conn.lock(MIGRATION_LOCK).and_then(|_| {
                ddl::migrate(&mut conn, &reg).and_then(|_| Schema::sync(&mut conn, reg.clone()))
            });
            finish(&mut conn, synced)?
        };
        let table = Arc::new(hooks.table(&schema.reg));
        let store = Store {
            db,
            hooks,
            base: reg,
            current: ArcSwap::from_pointee(Snapshot {
                schema,
                hooks: table,
                version: -1,
            }),
            opened: Instant::now(),
            checked: AtomicU64::new(0),
        };
        if store.hooks.load.is_some() {
            let mut conn = store.db.reader()?;
            store.reload(&mut conn)?;
        }
        Ok(store)
    }

    /// The registry in use now.
    pub fn registry(&self) -> Arc<Registry> {
        self.current.load().schema.reg.clone()
    }

    /// The registry and database binding in use now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// The current snapshot, after comparing it with the database's definitions when that
    /// is due (at most once a second).
    fn fresh(&self, conn: &mut Conn) -> Result<Arc<Snapshot>> {
        let snap = self.current.load_full();
        if self.hooks.load.is_none() {
            return Ok(snap);
        }
        let now = self.opened.elapsed().as_millis() as u64;
        let last = self.checked.load(Ordering::Relaxed);
        let due = now.saturating_sub(last) >= CHECK_EVERY.as_millis() as u64;
        if !due
            || self
                .checked
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return Ok(snap);
        }
        if version(conn)? == snap.version {
            return Ok(snap);
        }
        self.reload(conn)
    }

    /// Rebuilds the registry from the definitions in the database and swaps it in.
    fn reload(&self, conn: &mut Conn) -> Result<Arc<Snapshot>> {
        let cur = self.current.load_full();
        let Some(load) = &self.hooks.load else {
            return Ok(cur);
        };
        // The version first: a change committed while the definitions are read is seen
        // again at the next comparison.
        let v = version(conn)?;
        let defs = load(conn, &cur.schema)?;
        let reg = Arc::new(self.base.with_custom(defs));
        let snap = Arc::new(Snapshot {
            schema: cur.schema.with_registry(reg),
            hooks: cur.hooks.clone(),
            version: v,
        });
        self.current.store(snap.clone());
        Ok(snap)
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
        let snap = self.current.load_full();
        let mut sql = sql::Sql::new(&format!("DELETE FROM {} WHERE ", t.table));
        let scope = filter::Scope {
            s: &snap.schema,
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
        let snap = self.fresh(&mut conn)?;
        f(&mut conn, &snap.schema)
    }

    /// Runs `f` in one transaction: everything it writes commits together or not at all.
    pub fn write<T, E: From<StoreError>>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.db.writer()?;
        let snap = self.fresh(&mut conn)?;
        begin(&mut conn)?;
        let (result, redefined) = {
            let mut w = Writer {
                conn: &mut conn,
                s: &snap.schema,
                actor,
                hooks: &snap.hooks,
                blocks: Default::default(),
                redefined: false,
            };
            let r = f(&mut w).and_then(|v| w.finish().map(|()| v).map_err(E::from));
            (r, w.redefined)
        };
        let result = match result {
            Ok(v) if redefined => conn
                .execute(
                    &format!(
                        "UPDATE {} SET version = version + 1 WHERE id = 1",
                        ddl::REGISTRY_VERSION
                    ),
                    &[],
                )
                .map(|_| v)
                .map_err(E::from),
            other => other,
        };
        let done = finish(&mut conn, result)?;
        if redefined {
            // This process sees its own change at once; others at their next comparison.
            self.reload(&mut conn)?;
        }
        Ok(done)
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

fn version(conn: &mut Conn) -> Result<i64> {
    conn.query_i64(
        &format!("SELECT version FROM {} WHERE id = 1", ddl::REGISTRY_VERSION),
        &[],
    )
}
