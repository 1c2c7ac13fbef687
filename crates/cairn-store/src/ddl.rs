//! Tables, columns and indexes generated from the registry, and the migration that brings
//! any database (new or older) to them.

use cairn_schema::{Default as FieldDefault, Field, FieldKind, ObjectType, Registry};

use crate::conn::{Col, Conn, Dialect};
use crate::error::Result;

/// The column that splits a model's IP fields into separate address spaces (a VRF).
pub(crate) fn address_scope(t: &ObjectType) -> Option<&'static str> {
    t.field("vrf").map(|_| "vrf_id")
}

/// How a field's column is decoded.
pub fn col_of(kind: &FieldKind) -> Col {
    match kind {
        FieldKind::Int { .. } | FieldKind::ForeignKey { .. } => Col::Int,
        FieldKind::Choice(set) if set.numeric => Col::Int,
        FieldKind::Decimal { .. } => Col::Float,
        FieldKind::Bool => Col::Bool,
        FieldKind::DateTime => Col::Time,
        FieldKind::Json | FieldKind::StrList | FieldKind::IntList { .. } => Col::Json,
        _ => Col::Text,
    }
}

fn sql_type(kind: &FieldKind, d: Dialect) -> &'static str {
    match (col_of(kind), d) {
        (Col::Int, Dialect::Sqlite) => "INTEGER",
        (Col::Int, Dialect::Postgres) => "BIGINT",
        (Col::Float, Dialect::Sqlite) => "REAL",
        (Col::Float, Dialect::Postgres) => "DOUBLE PRECISION",
        (Col::Bool, Dialect::Sqlite) => "INTEGER",
        (Col::Bool, Dialect::Postgres) => "BOOLEAN",
        (Col::Time, Dialect::Sqlite) => "TEXT",
        (Col::Time, Dialect::Postgres) => "TIMESTAMPTZ",
        (Col::Json, Dialect::Sqlite) => "TEXT",
        (Col::Json, Dialect::Postgres) => "JSONB",
        (Col::Bytes, Dialect::Sqlite) => "BLOB",
        (Col::Bytes, Dialect::Postgres) => "BYTEA",
        (Col::Text, _) => "TEXT",
    }
}

fn int_type(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "INTEGER",
        Dialect::Postgres => "BIGINT",
    }
}

fn default_sql(f: &Field, d: Dialect) -> Option<String> {
    match &f.default {
        FieldDefault::Str(s) => Some(format!("'{}'", s.replace('\'', "''"))),
        FieldDefault::Int(i) => Some(i.to_string()),
        FieldDefault::Bool(b) => Some(match d {
            Dialect::Sqlite => (*b as i32).to_string(),
            Dialect::Postgres => b.to_string(),
        }),
        FieldDefault::EmptyList => Some("'[]'".into()),
        FieldDefault::EmptyObject => Some("'{}'".into()),
        _ => None,
    }
}

/// A column: name, SQL type, NOT NULL, default.
struct Column {
    name: String,
    ty: &'static str,
    not_null: bool,
    default: Option<String>,
}

fn columns(t: &ObjectType, d: Dialect) -> Vec<Column> {
    let mut cols = Vec::new();
    let time = sql_type(&FieldKind::DateTime, d);
    if t.timestamps {
        for name in ["created", "last_updated"] {
            cols.push(Column {
                name: name.into(),
                ty: time,
                not_null: false,
                default: None,
            });
        }
    }
    if t.features.custom_fields {
        cols.push(Column {
            name: "custom_field_data".into(),
            ty: sql_type(&FieldKind::Json, d),
            not_null: true,
            default: Some("'{}'".into()),
        });
    }
    // Sort keys compare bytewise on both backends (PostgreSQL's default collation would
    // ignore the separators the tree keys rely on).
    let key_type = match d {
        Dialect::Sqlite => "TEXT",
        Dialect::Postgres => "TEXT COLLATE \"C\"",
    };
    let mut keys = Vec::new();
    if t.natural.is_some() {
        keys.push("_name");
    }
    if t.tree {
        keys.extend(["_tree", "_path"]);
    }
    for name in keys {
        cols.push(Column {
            name: name.into(),
            ty: key_type,
            not_null: false,
            default: None,
        });
    }
    for f in &t.fields {
        if !f.stored {
            continue;
        }
        match f.kind {
            FieldKind::ManyToMany { .. } => {}
            FieldKind::GenericFk { ct, fk } => {
                cols.push(Column {
                    name: format!("{ct}_id"),
                    ty: int_type(d),
                    not_null: !f.nullable,
                    default: None,
                });
                cols.push(Column {
                    name: fk.to_string(),
                    ty: int_type(d),
                    not_null: !f.nullable,
                    default: None,
                });
            }
            FieldKind::IpAddress | FieldKind::IpPrefix => {
                cols.push(Column {
                    name: f.name.to_string(),
                    ty: "TEXT",
                    not_null: !f.nullable,
                    default: None,
                });
                let bytes = sql_type(&FieldKind::Json, d);
                let bytes = if bytes == "JSONB" { "BYTEA" } else { "BLOB" };
                for (suffix, ty) in [
                    ("family", int_type(d)),
                    ("start", bytes),
                    ("end", bytes),
                    ("len", int_type(d)),
                ] {
                    cols.push(Column {
                        name: format!("{}_{suffix}", f.name),
                        ty,
                        not_null: false,
                        default: None,
                    });
                }
            }
            _ => {
                if let Some(name) = f.column() {
                    cols.push(Column {
                        name,
                        ty: sql_type(&f.kind, d),
                        not_null: !f.nullable,
                        default: default_sql(f, d),
                    });
                }
            }
        }
    }
    cols
}

fn column_sql(c: &Column) -> String {
    let mut s = format!("\"{}\" {}", c.name, c.ty);
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(d);
    }
    s
}

fn id_column(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "id INTEGER PRIMARY KEY AUTOINCREMENT",
        Dialect::Postgres => "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    }
}

fn m2m_table(t: &ObjectType, field: &str) -> String {
    format!("{}_{}", t.table, field)
}

/// Where a many-to-many field lives: its join table and which column holds this side's
/// id (`own`) and the other side's (`other`).
pub struct M2mLink {
    pub table: String,
    pub own: &'static str,
    pub other: &'static str,
}

pub fn m2m_link(reg: &Registry, t: &ObjectType, f: &Field) -> Option<M2mLink> {
    let FieldKind::ManyToMany { target } = f.kind else {
        return None;
    };
    match f.stored_by {
        None => Some(M2mLink {
            table: m2m_table(t, f.name),
            own: "source_id",
            other: "target_id",
        }),
        Some(owner) => Some(M2mLink {
            table: m2m_table(reg.get(target)?, owner),
            own: "target_id",
            other: "source_id",
        }),
    }
}

pub const TAGGED_ITEM: &str = "extras_taggeditem";

/// A table's indexes: (name, CREATE statement).
fn indexes(t: &ObjectType) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let table = &t.table;
    let mut index = |cols: &str, unique: bool, suffix: &str, cond: &str| {
        let name = format!("{table}_{suffix}");
        let sql = format!(
            "CREATE {}INDEX IF NOT EXISTS \"{name}\" ON {table} ({cols}){cond}",
            if unique { "UNIQUE " } else { "" }
        );
        out.push((name, sql));
    };
    if t.natural.is_some() {
        index("_name", false, "_name", "");
    }
    if t.tree {
        index("_tree", false, "_tree", "");
        index("_path", false, "_path", "");
    }
    for f in &t.fields {
        if !f.stored {
            continue;
        }
        match f.kind {
            FieldKind::GenericFk { ct, fk } => index(&format!("{ct}_id, {fk}"), false, fk, ""),
            FieldKind::IpAddress | FieldKind::IpPrefix => {
                index(
                    &format!("{0}_family, {0}_start, {0}_end", f.name),
                    false,
                    f.name,
                    "",
                );
                // Address space is per VRF: counts and scans within one stay in the index.
                if let Some(scope) = address_scope(t) {
                    index(
                        &format!("{scope}, {0}_family, {0}_start", f.name),
                        false,
                        &format!("{}_vrf", f.name),
                        "",
                    );
                }
            }
            FieldKind::ManyToMany { .. } | FieldKind::Text | FieldKind::Json => {}
            FieldKind::Str { .. } if f.name == "description" => {}
            _ => {
                if let Some(col) = f.column() {
                    index(&format!("\"{col}\""), f.unique, &col, "");
                }
            }
        }
    }
    for u in &t.unique_together {
        let cols: Vec<String> = u
            .fields
            .iter()
            .map(|n| match u.lower.contains(n) {
                true => format!("lower(\"{}\")", unique_column(t, n)),
                false => format!("\"{}\"", unique_column(t, n)),
            })
            .collect();
        let cond = if u.when_null.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = u
                .when_null
                .iter()
                .map(|n| {
                    let c = t.field(n).and_then(|f| f.column()).unwrap_or_default();
                    format!("\"{c}\" IS NULL")
                })
                .collect();
            format!(" WHERE {}", parts.join(" AND "))
        };
        // Named by what they hold, so that a changed declaration gets a new index and the
        // old one can be told apart and dropped.
        let cols = cols.join(", ");
        let name = format!("{UNIQUE_PREFIX}{:016x}", fnv1a(&format!("{cols}{cond}")));
        index(&cols, true, &name, &cond);
    }
    if t.timestamps {
        index("created", false, "created", "");
        index("last_updated", false, "last_updated", "");
    }
    out
}

/// Unique-together indexes are named `<table>_uniq…`; earlier versions numbered them.
const UNIQUE_PREFIX: &str = "uniq_";

/// FNV-1a: a stable 64-bit hash of an index definition (not for security).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Creates a unique-together index unless rows stored under an earlier, looser rule
/// already break it: the write path checks the rule for every new write either way.
fn create_unique(conn: &mut Conn, sql: &str) -> Result<()> {
    conn.batch("SAVEPOINT cairn_unique")?;
    match conn.batch(sql) {
        Ok(()) => conn.batch("RELEASE SAVEPOINT cairn_unique"),
        Err(_) => {
            conn.batch("ROLLBACK TO SAVEPOINT cairn_unique")?;
            conn.batch("RELEASE SAVEPOINT cairn_unique")
        }
    }
}

/// The names of a table's indexes that start with `prefix`.
fn index_names(conn: &mut Conn, table: &str, prefix: &str) -> Result<Vec<String>> {
    let rows = match conn.dialect() {
        Dialect::Sqlite => conn.query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
            &[table.into()],
            &[Col::Text],
        )?,
        Dialect::Postgres => conn.query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename = ?",
            &[table.into()],
            &[Col::Text],
        )?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| r[0].as_str().map(str::to_string))
        .filter(|n| n.starts_with(prefix))
        .collect())
}

fn foreign_keys(reg: &Registry, t: &ObjectType) -> Vec<(String, String)> {
    t.fields
        .iter()
        .filter_map(|f| match f.kind {
            FieldKind::ForeignKey { target, .. } if f.stored => reg
                .get(target)
                .map(|target| (format!("{}_id", f.name), target.table.clone())),
            _ => None,
        })
        .collect()
}

/// Existing columns of a table (empty when the table does not exist).
fn existing_columns(conn: &mut Conn, table: &str) -> Result<Vec<String>> {
    Ok(column_types(conn, table)?
        .into_iter()
        .map(|(n, _)| n)
        .collect())
}

/// A table's columns with their declared types (empty when it does not exist).
fn column_types(conn: &mut Conn, table: &str) -> Result<Vec<(String, String)>> {
    let rows = match conn.dialect() {
        Dialect::Sqlite => conn.query(
            "SELECT name, type FROM pragma_table_info(?)",
            &[table.into()],
            &[Col::Text, Col::Text],
        )?,
        Dialect::Postgres => conn.query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = ?",
            &[table.into()],
            &[Col::Text, Col::Text],
        )?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r[0].as_str()?.to_string(), r[1].as_str()?.to_string())))
        .collect())
}

/// The schema as the database reports it, in a stable order: every table's columns
/// (with types) and index names. Two databases that report the same are the same to us.
pub fn describe(conn: &mut Conn) -> Result<Vec<String>> {
    let (tables_sql, indexes_sql) = match conn.dialect() {
        Dialect::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            "SELECT tbl_name || ' ' || name FROM sqlite_master WHERE type = 'index' \
             AND name NOT LIKE 'sqlite_%'",
        ),
        Dialect::Postgres => (
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
            "SELECT tablename || ' ' || indexname FROM pg_indexes \
             WHERE schemaname = current_schema()",
        ),
    };
    let mut out = Vec::new();
    for row in conn.query(tables_sql, &[], &[Col::Text])? {
        let Some(table) = row[0].as_str() else {
            continue;
        };
        for (name, ty) in column_types(conn, table)? {
            out.push(format!("column {table}.{name} {ty}"));
        }
    }
    for row in conn.query(indexes_sql, &[], &[Col::Text])? {
        if let Some(ix) = row[0].as_str() {
            out.push(format!("index {ix}"));
        }
    }
    out.sort();
    Ok(out)
}

/// Brings the database to the registry's schema: creates missing tables, adds missing
/// columns and indexes. Running it twice changes nothing.
pub fn migrate(conn: &mut Conn, reg: &Registry) -> Result<()> {
    let d = conn.dialect();
    let mut statements: Vec<String> = Vec::new();
    let mut new_fks: Vec<String> = Vec::new();
    for t in reg.types() {
        let cols = columns(t, d);
        let existing = existing_columns(conn, &t.table)?;
        let fks = foreign_keys(reg, t);
        if existing.is_empty() {
            let mut defs = vec![id_column(d).to_string()];
            defs.extend(cols.iter().map(column_sql));
            if d == Dialect::Sqlite {
                for (col, target) in &fks {
                    defs.push(format!("FOREIGN KEY (\"{col}\") REFERENCES {target}(id)"));
                }
            } else {
                for (col, target) in &fks {
                    new_fks.push(format!(
                        "ALTER TABLE {0} ADD CONSTRAINT \"{0}_{1}_fk\" FOREIGN KEY (\"{1}\") \
                         REFERENCES {2}(id) DEFERRABLE INITIALLY DEFERRED",
                        t.table, col, target
                    ));
                }
            }
            statements.push(format!("CREATE TABLE {} ({})", t.table, defs.join(", ")));
        } else {
            for c in &cols {
                if !existing.iter().any(|e| e == &c.name) {
                    let mut c = column_sql(c);
                    if c.contains("NOT NULL") && !c.contains("DEFAULT") {
                        c = c.replace(" NOT NULL", "");
                    }
                    statements.push(format!("ALTER TABLE {} ADD COLUMN {c}", t.table));
                }
            }
        }
        for f in &t.fields {
            if let (FieldKind::ManyToMany { target }, None) = (f.kind, f.stored_by) {
                let target_table = reg.get(target).map(|t| t.table.clone());
                let table = m2m_table(t, f.name);
                let refs = |target: &str| match d {
                    Dialect::Sqlite => format!(" REFERENCES {target}(id)"),
                    Dialect::Postgres => String::new(),
                };
                statements.push(format!(
                    "CREATE TABLE IF NOT EXISTS {table} ({}, source_id {} NOT NULL{}, \
                     target_id {} NOT NULL{})",
                    id_column(d),
                    int_type(d),
                    refs(&t.table),
                    int_type(d),
                    target_table.as_deref().map(refs).unwrap_or_default(),
                ));
                statements.push(format!(
                    "CREATE UNIQUE INDEX IF NOT EXISTS \"{table}_pair\" ON {table} (source_id, target_id)"
                ));
                statements.push(format!(
                    "CREATE INDEX IF NOT EXISTS \"{table}_target\" ON {table} (target_id)"
                ));
            }
        }
    }
    for s in &statements {
        conn.batch(s)?;
    }
    for s in &new_fks {
        conn.batch(s)?;
    }
    for t in reg.types() {
        let wanted = indexes(t);
        // Unique indexes no declaration asks for any more (changed or renumbered
        // constraints) would refuse what the rules now allow.
        for stale in index_names(conn, &t.table, &format!("{}_uniq", t.table))? {
            if !wanted.iter().any(|(name, _)| *name == stale) {
                conn.batch(&format!("DROP INDEX IF EXISTS \"{stale}\""))?;
            }
        }
        for (name, s) in wanted {
            if name.contains(UNIQUE_PREFIX) {
                create_unique(conn, &s)?;
            } else {
                conn.batch(&s)?;
            }
        }
    }
    // One row: the version of the definitions made at run time (custom fields), which
    // every process sharing the database compares with its registry's.
    conn.batch(&format!(
        "CREATE TABLE IF NOT EXISTS {REGISTRY_VERSION} (id {} PRIMARY KEY, version {} NOT NULL)",
        int_type(d),
        int_type(d)
    ))?;
    conn.batch(&format!(
        "INSERT INTO {REGISTRY_VERSION} (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
    ))?;
    crate::blocks::migrate(conn, reg)
}

pub const REGISTRY_VERSION: &str = "cairn_registry";

/// The column a unique-together member names: a field's column, or one of a generic
/// relation's two columns.
pub fn unique_column(t: &ObjectType, name: &str) -> String {
    if let Some(c) = t.field(name).and_then(|f| f.column()) {
        return c;
    }
    for f in &t.fields {
        if let FieldKind::GenericFk { ct, fk } = f.kind {
            if name == ct {
                return format!("{ct}_id");
            }
            if name == fk {
                return fk.to_string();
            }
        }
    }
    name.to_string()
}
