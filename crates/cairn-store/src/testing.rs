//! Throw-away databases for tests and benchmarks, here and in the layers above: a SQLite
//! file in the temp directory, or a fresh schema in the PostgreSQL database that
//! `CAIRN_TEST_POSTGRES_URL` names. Dropping a `TestDb` removes it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Result;
use crate::pool::{Db, DbUrl};

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_ENV: &str = "CAIRN_TEST_POSTGRES_URL";

/// xorshift64: a tiny deterministic generator for property checks.
pub struct Rng(pub u64);

impl Rng {
    pub fn draw(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// SQLite always; PostgreSQL too when `CAIRN_TEST_POSTGRES_URL` is set, or PostgreSQL
/// alone when `CAIRN_TEST_POSTGRES_ONLY` is set as well (a run that has covered SQLite
/// already).
pub fn backends() -> Vec<Backend> {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty());
    match (set(POSTGRES_ENV), set("CAIRN_TEST_POSTGRES_ONLY")) {
        (true, true) => vec![Backend::Postgres],
        (true, false) => vec![Backend::Sqlite, Backend::Postgres],
        _ => vec![Backend::Sqlite],
    }
}

pub struct TestDb {
    pub url: DbUrl,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

fn unique() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

impl TestDb {
    pub fn new(backend: Backend) -> Result<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("cairn-test-{}", unique()));
                Ok(TestDb {
                    url: DbUrl::Sqlite(dir.join("cairn.db")),
                    dir: Some(dir),
                    pg: None,
                })
            }
            Backend::Postgres => {
                let base = std::env::var(POSTGRES_ENV).unwrap_or_default();
                TestDb::postgres_schema(&base)
            }
        }
    }

    /// A new schema in the PostgreSQL database at `base`, used through `search_path`.
    pub fn postgres_schema(base: &str) -> Result<TestDb> {
        let schema = format!("t_{}", unique());
        let db = Db::open(&DbUrl::Postgres(base.to_string()))?;
        db.writer()?.batch(&format!("CREATE SCHEMA {schema}"))?;
        let sep = if base.contains('?') { '&' } else { '?' };
        Ok(TestDb {
            url: DbUrl::Postgres(format!("{base}{sep}options=-csearch_path%3D{schema}")),
            dir: None,
            pg: Some((base.to_string(), schema)),
        })
    }
}

/// Blocking: drop it off any async runtime (the PostgreSQL client is synchronous).
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((base, schema)) = self.pg.take() {
            if let Ok(db) = Db::open(&DbUrl::Postgres(base)) {
                if let Ok(mut c) = db.writer() {
                    let _ = c.batch(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}
