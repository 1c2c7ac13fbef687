//! Connection pools (r2d2) and the database handle built on them.

use std::path::PathBuf;
use std::time::Duration;

use crate::conn::{Conn, PgConn};
use crate::error::{Result, StoreError};

type Factory = Box<dyn Fn() -> Result<Conn> + Send + Sync>;

/// Opens connections for r2d2; a PostgreSQL connection whose socket closed is dropped
/// instead of being handed out again.
pub struct Manager(Factory);

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = StoreError;

    fn connect(&self) -> Result<Conn> {
        (self.0)()
    }

    fn is_valid(&self, _conn: &mut Conn) -> Result<()> {
        Ok(())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        matches!(conn, Conn::Postgres(pg) if pg.is_closed())
    }
}

/// Connection errors are reported to the caller that waited for a connection; r2d2's own
/// logging of them would only repeat that.
#[derive(Debug)]
struct Quiet;

impl r2d2::HandleError<StoreError> for Quiet {
    fn handle_error(&self, _error: StoreError) {}
}

pub type Pooled = r2d2::PooledConnection<Manager>;

pub struct Pool {
    inner: r2d2::Pool<Manager>,
}

/// How many connections a pool holds right now.
#[derive(Debug, Clone, Copy)]
pub struct PoolUse {
    pub max: u32,
    pub open: u32,
    pub idle: u32,
}

impl Pool {
    fn new(max: u32, timeout: Duration, make: Factory) -> Pool {
        let inner = r2d2::Pool::builder()
            .max_size(max)
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .test_on_check_out(false)
            .error_handler(Box::new(Quiet))
            .build_unchecked(Manager(make));
        Pool { inner }
    }

    /// A connection, or `Unavailable` once the acquire timeout passes with none free.
    pub fn get(&self) -> Result<Pooled> {
        self.inner
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    pub fn usage(&self) -> PoolUse {
        let st = self.inner.state();
        PoolUse {
            max: self.inner.max_size(),
            open: st.connections,
            idle: st.idle_connections,
        }
    }
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    /// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a bare path selects SQLite.
    pub fn parse(url: &str) -> Result<DbUrl> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(StoreError::Config(format!(
                "DATABASE_URL: unsupported database URL '{url}' (use postgres://… or a SQLite file path)"
            )));
        }
        Ok(DbUrl::Sqlite(PathBuf::from(path)))
    }
}

/// Pool sizes and how long a request waits for a connection.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    /// Readers on SQLite (it has one writer); all connections on PostgreSQL. `None`
    /// picks 4 for SQLite and 16 for PostgreSQL.
    pub size: Option<u32>,
    pub timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> PoolOptions {
        PoolOptions {
            size: None,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Readers and the single writer. SQLite allows one writer at a time, so writes share
/// one connection; PostgreSQL draws both from one pool.
pub struct Db {
    readers: Pool,
    writers: Option<Pool>,
}

impl Db {
    pub fn open(url: &DbUrl) -> Result<Db> {
        Db::open_with(url, PoolOptions::default())
    }

    pub fn open_with(url: &DbUrl, opts: PoolOptions) -> Result<Db> {
        match url {
            DbUrl::Sqlite(path) => {
                if let Some(dir) = path.parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            StoreError::Config(format!(
                                "DATABASE_URL: cannot create {}: {e}",
                                dir.display()
                            ))
                        })?;
                    }
                }
                let p = path.clone();
                // Open once now so that a bad path fails at start-up, not on first use.
                drop(open_sqlite(&p)?);
                let p2 = path.clone();
                Ok(Db {
                    readers: Pool::new(
                        opts.size.unwrap_or(4),
                        opts.timeout,
                        Box::new(move || open_sqlite(&p)),
                    ),
                    writers: Some(Pool::new(
                        1,
                        opts.timeout,
                        Box::new(move || open_sqlite(&p2)),
                    )),
                })
            }
            DbUrl::Postgres(url) => {
                let config: postgres::Config = url.parse().map_err(|e| {
                    StoreError::Config(format!("DATABASE_URL: invalid PostgreSQL URL: {e}"))
                })?;
                let make = move || -> Result<Conn> {
                    let client = config.connect(postgres::NoTls).map_err(|e| {
                        StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}"))
                    })?;
                    Ok(Conn::Postgres(Box::new(PgConn::new(client))))
                };
                match make() {
                    Ok(c) => drop(c),
                    Err(e) => return Err(StoreError::Config(format!("DATABASE_URL: {e}"))),
                }
                Ok(Db {
                    readers: Pool::new(opts.size.unwrap_or(16), opts.timeout, Box::new(make)),
                    writers: None,
                })
            }
        }
    }

    pub fn reader(&self) -> Result<Pooled> {
        self.readers.get()
    }

    pub fn writer(&self) -> Result<Pooled> {
        self.writers.as_ref().unwrap_or(&self.readers).get()
    }

    /// (readers, writers) in use; PostgreSQL has one pool for both.
    pub fn usage(&self) -> (PoolUse, Option<PoolUse>) {
        (self.readers.usage(), self.writers.as_ref().map(Pool::usage))
    }
}

fn open_sqlite(path: &std::path::Path) -> Result<Conn> {
    use rusqlite::functions::FunctionFlags;
    let c = rusqlite::Connection::open(path).map_err(|e| {
        StoreError::Config(format!(
            "DATABASE_URL: cannot open SQLite database {}: {e}",
            path.display()
        ))
    })?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    // A request runs a few dozen distinct statements; rusqlite keeps 16 by default, and
    // re-parsing the rest showed in profiles.
    c.set_prepared_statement_cache_capacity(512);
    c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
    // `x REGEXP y` calls regexp(y, x); patterns are compiled per call, which is fine for
    // the rare regex filters.
    c.create_scalar_function(
        "regexp",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let pattern: String = ctx.get(0)?;
            let value: Option<String> = ctx.get(1)?;
            let re = regex::Regex::new(&pattern)
                .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
            Ok(value.is_some_and(|v| re.is_match(&v)))
        },
    )?;
    Ok(Conn::Sqlite(c))
}
