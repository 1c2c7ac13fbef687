//! A small blocking connection pool, and the database handle built on it.

use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

use crate::conn::{Conn, PgConn};
use crate::error::{Result, StoreError};

type Factory = Box<dyn Fn() -> Result<Conn> + Send + Sync>;

pub struct Pool {
    idle: Mutex<(Vec<Conn>, usize)>,
    available: Condvar,
    max: usize,
    make: Factory,
}

pub struct Pooled<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
}

impl Pool {
    fn new(max: usize, make: Factory) -> Pool {
        Pool {
            idle: Mutex::new((Vec::new(), 0)),
            available: Condvar::new(),
            max,
            make,
        }
    }

    pub fn get(&self) -> Result<Pooled<'_>> {
        let mut guard = self
            .idle
            .lock()
            .map_err(|_| StoreError::Db("pool lock poisoned".into()))?;
        loop {
            if let Some(conn) = guard.0.pop() {
                return Ok(Pooled {
                    pool: self,
                    conn: Some(conn),
                });
            }
            if guard.1 < self.max {
                guard.1 += 1;
                drop(guard);
                return match (self.make)() {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        if let Ok(mut g) = self.idle.lock() {
                            g.1 -= 1;
                        }
                        self.available.notify_one();
                        Err(e)
                    }
                };
            }
            guard = self
                .available
                .wait(guard)
                .map_err(|_| StoreError::Db("pool lock poisoned".into()))?;
        }
    }
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("connection present until drop")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        let broken = matches!(&conn, Conn::Postgres(pg) if pg.is_closed());
        if let Ok(mut g) = self.pool.idle.lock() {
            if broken {
                g.1 -= 1;
            } else {
                g.0.push(conn);
            }
        }
        self.pool.available.notify_one();
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
                "CAIRN_DATABASE_URL: unsupported database URL '{url}' (use postgres://… or a SQLite file path)"
            )));
        }
        Ok(DbUrl::Sqlite(PathBuf::from(path)))
    }
}

/// Readers and the single writer. SQLite allows one writer at a time, so writes share
/// one connection; PostgreSQL draws both from one pool.
pub struct Db {
    pub readers: Pool,
    writers: Option<Pool>,
}

impl Db {
    pub fn open(url: &DbUrl) -> Result<Db> {
        match url {
            DbUrl::Sqlite(path) => {
                if let Some(dir) = path.parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            StoreError::Config(format!(
                                "CAIRN_DATABASE_URL: cannot create {}: {e}",
                                dir.display()
                            ))
                        })?;
                    }
                }
                let p = path.clone();
                let open = move || open_sqlite(&p);
                // Open once now so that a bad path fails at start-up, not on first use.
                drop(open()?);
                let p2 = path.clone();
                Ok(Db {
                    readers: Pool::new(4, Box::new(open)),
                    writers: Some(Pool::new(1, Box::new(move || open_sqlite(&p2)))),
                })
            }
            DbUrl::Postgres(url) => {
                let config: postgres::Config = url.parse().map_err(|e| {
                    StoreError::Config(format!("CAIRN_DATABASE_URL: invalid PostgreSQL URL: {e}"))
                })?;
                let make = move || -> Result<Conn> {
                    let client = config.connect(postgres::NoTls).map_err(|e| {
                        StoreError::Config(format!("CAIRN_DATABASE_URL: cannot connect: {e}"))
                    })?;
                    Ok(Conn::Postgres(Box::new(PgConn::new(client))))
                };
                drop(make()?);
                Ok(Db {
                    readers: Pool::new(16, Box::new(make)),
                    writers: None,
                })
            }
        }
    }

    pub fn reader(&self) -> Result<Pooled<'_>> {
        self.readers.get()
    }

    pub fn writer(&self) -> Result<Pooled<'_>> {
        self.writers.as_ref().unwrap_or(&self.readers).get()
    }
}

fn open_sqlite(path: &std::path::Path) -> Result<Conn> {
    use rusqlite::functions::FunctionFlags;
    let c = rusqlite::Connection::open(path).map_err(|e| {
        StoreError::Config(format!(
            "CAIRN_DATABASE_URL: cannot open SQLite database {}: {e}",
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
