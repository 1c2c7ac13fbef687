//! Distinct addresses counted per aligned block of 2^8, 2^16 and 2^24 addresses, for IP
//! fields declared `counted_in_blocks`, per VRF and across all VRFs. Free-space search
//! and utilization read a few hundred of these rows instead of every address, however
//! many addresses a prefix holds.
//!
//! Writes mark the blocks they touch. Before the transaction commits, the marked blocks'
//! rows are locked in key order (concurrent writers take them in one order, so never
//! deadlock on them), then recounted from the rows below them, smallest blocks first.

use std::collections::{BTreeSet, HashMap};

use cairn_schema::{FieldKind, ObjectType, Registry};

use crate::conn::{Col, Conn, Dialect};
use crate::ddl::address_scope;
use crate::error::Result;
use crate::ipkey::IpNet;
use crate::value::{Record, Value};

/// Block sizes, as address bits below the block's start.
const LEVELS: [u32; 3] = [8, 16, 24];

/// The scope of a VRF-less address; VRF ids start at 1.
const GLOBAL: i64 = 0;
/// The scope counting every VRF together (a global container's view).
const ANY: i64 = -1;

fn table(t: &ObjectType, field: &str) -> String {
    format!("{}_{field}_blocks", t.table)
}

/// The block-counted IP fields of a model.
fn fields(t: &ObjectType) -> impl Iterator<Item = &'static str> + '_ {
    t.fields
        .iter()
        .filter(|f| f.blocks && matches!(f.kind, FieldKind::IpAddress | FieldKind::IpPrefix))
        .map(|f| f.name)
}

fn size(bits: u32) -> u128 {
    1u128 << bits
}

fn start_of(n: u128, bits: u32) -> u128 {
    n & !(size(bits) - 1)
}

/// A block to recount: ordered by table, then level, so sums read recounted smaller
/// blocks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dirty {
    table: String,
    level: u32,
    family: i64,
    scope: i64,
    block: u128,
    /// Where the addresses live: the model's table and its field.
    source: (String, &'static str, Option<&'static str>),
}

/// Marks the blocks holding `rec`'s addresses (a row written or removed).
pub fn mark(t: &ObjectType, rec: &Record, out: &mut BTreeSet<Dirty>) {
    let scope_col = address_scope(t);
    let scope = match scope_col.and_then(|_| t.field_index("vrf")) {
        Some(i) => rec.values[i].as_i64().unwrap_or(GLOBAL),
        None => GLOBAL,
    };
    for field in fields(t) {
        let Some(i) = t.field_index(field) else {
            continue;
        };
        let Some(net) = rec.values[i].as_str().and_then(IpNet::parse) else {
            continue;
        };
        for s in [scope, ANY] {
            for level in LEVELS {
                out.insert(Dirty {
                    level,
                    table: table(t, field),
                    scope: s,
                    family: net.family(),
                    block: start_of(net.bits(), level),
                    source: (t.table.clone(), field, scope_col),
                });
            }
        }
    }
}

fn key(n: u128) -> Value {
    Value::Bytes(IpNet::key(n))
}

/// Recounts every marked block: all their rows are locked (created if new) first, in
/// key order, then each level is recounted in one statement per family, smallest blocks
/// first. On PostgreSQL a writer that waited for a lock counts, in those later
/// statements, what the writer before it committed.
pub fn flush(conn: &mut Conn, dirty: &mut BTreeSet<Dirty>) -> Result<()> {
    let all: Vec<Dirty> = std::mem::take(dirty).into_iter().collect();
    for chunk in all.chunk_by(|a, b| a.table == b.table) {
        for rows in chunk.chunks(500) {
            lock(conn, rows)?;
        }
        for group in chunk.chunk_by(|a, b| a.level == b.level && a.family == b.family) {
            for rows in group.chunks(500) {
                recount(conn, rows)?;
            }
        }
    }
    Ok(())
}

/// Creates or locks the rows of these blocks (all of one table).
fn lock(conn: &mut Conn, rows: &[Dirty]) -> Result<()> {
    let Some(d) = rows.first() else {
        return Ok(());
    };
    let tbl = &d.table;
    let values = vec!["(?, ?, ?, ?, ?, 0)"; rows.len()].join(", ");
    let mut params = Vec::with_capacity(rows.len() * 5);
    for g in rows {
        params.extend([
            Value::Int(g.scope),
            Value::Int(g.family),
            Value::Int(g.level as i64),
            key(g.block),
            key(g.block + (size(g.level) - 1)),
        ]);
    }
    conn.execute(
        &format!(
            "INSERT INTO {tbl} (scope, family, level, block, last, used) VALUES {values} \
             ON CONFLICT (scope, family, level, block) DO UPDATE SET used = {tbl}.used"
        ),
        &params,
    )?;
    Ok(())
}

/// Recounts blocks of one table, level and family (any scopes).
fn recount(conn: &mut Conn, group: &[Dirty]) -> Result<()> {
    let Some(d) = group.first() else {
        return Ok(());
    };
    let tbl = &d.table;
    let (src_table, field, scope_col) = &d.source;
    let count = if d.level == LEVELS[0] {
        let scope = match scope_col {
            Some(c) => {
                format!("({tbl}.scope = {ANY} OR COALESCE(a.\"{c}\", {GLOBAL}) = {tbl}.scope) AND ")
            }
            None => String::new(),
        };
        format!(
            "SELECT COUNT(DISTINCT a.\"{field}_start\") FROM {src_table} a WHERE {scope}\
             a.\"{field}_family\" = {tbl}.family AND a.\"{field}_start\" >= {tbl}.block \
             AND a.\"{field}_start\" <= {tbl}.last"
        )
    } else {
        let below = LEVELS[LEVELS.iter().position(|l| *l == d.level).unwrap_or(1) - 1];
        format!(
            "SELECT CAST(COALESCE(SUM(c.used), 0) AS BIGINT) FROM {tbl} c WHERE \
             c.scope = {tbl}.scope AND c.family = {tbl}.family AND c.level = {below} \
             AND c.block >= {tbl}.block AND c.block <= {tbl}.last"
        )
    };
    let mut params = vec![Value::Int(d.family), Value::Int(d.level as i64)];
    for g in group {
        params.extend([Value::Int(g.scope), key(g.block)]);
    }
    let pairs = vec!["(?, ?)"; group.len()].join(", ");
    conn.execute(
        &format!(
            "UPDATE {tbl} SET used = ({count}) WHERE family = ? AND level = ? \
             AND (scope, block) IN ({pairs})"
        ),
        &params,
    )?;
    Ok(())
}

/// Creates the block tables that are missing, filled from the rows already there.
pub fn migrate(conn: &mut Conn, reg: &Registry) -> Result<()> {
    let d = conn.dialect();
    let (int, bytes) = match d {
        Dialect::Sqlite => ("INTEGER", "BLOB"),
        Dialect::Postgres => ("BIGINT", "BYTEA"),
    };
    for t in reg.types() {
        for field in fields(t) {
            let name = table(t, field);
            let exists = match d {
                Dialect::Sqlite => conn.query_i64(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                    &[name.as_str().into()],
                )?,
                Dialect::Postgres => conn.query_i64(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = ?",
                    &[name.as_str().into()],
                )?,
            } > 0;
            if exists {
                continue;
            }
            conn.batch(&format!(
                "CREATE TABLE {name} (scope {int} NOT NULL, family {int} NOT NULL, \
                 level {int} NOT NULL, block {bytes} NOT NULL, last {bytes} NOT NULL, \
                 used {int} NOT NULL, PRIMARY KEY (scope, family, level, block))"
            ))?;
            backfill(conn, t, field)?;
        }
    }
    Ok(())
}

/// Counts the addresses already stored (a database from before block counts).
fn backfill(conn: &mut Conn, t: &ObjectType, field: &'static str) -> Result<()> {
    let scope_sel = address_scope(t).unwrap_or("NULL");
    // Which of a smallest block's 256 addresses are in use, per (scope, family, block).
    let mut bits: HashMap<(i64, i64, u128), [u64; 4]> = HashMap::new();
    let mut last_id = 0i64;
    loop {
        let rows = conn.query(
            &format!(
                "SELECT id, {scope_sel}, \"{field}_family\", \"{field}_start\" FROM {} \
                 WHERE id > ? AND \"{field}_start\" IS NOT NULL ORDER BY id LIMIT 10000",
                t.table
            ),
            &[Value::Int(last_id)],
            &[Col::Int, Col::Int, Col::Int, Col::Bytes],
        )?;
        let Some(last) = rows.last() else { break };
        last_id = last[0].as_i64().unwrap_or(i64::MAX);
        for r in &rows {
            let (Some(family), Some(n)) = (r[2].as_i64(), IpNet::from_key(&r[3])) else {
                continue;
            };
            let scope = r[1].as_i64().unwrap_or(GLOBAL);
            let low = (n & 0xff) as usize;
            for s in [scope, ANY] {
                let b = bits
                    .entry((s, family, start_of(n, LEVELS[0])))
                    .or_insert([0; 4]);
                b[low / 64] |= 1 << (low % 64);
            }
        }
    }
    let mut counts: HashMap<(i64, i64, u32, u128), i64> = HashMap::new();
    for ((scope, family, block), b) in bits {
        let used: i64 = b.iter().map(|w| w.count_ones() as i64).sum();
        for level in LEVELS {
            *counts
                .entry((scope, family, level, start_of(block, level)))
                .or_insert(0) += used;
        }
    }
    let name = table(t, field);
    let counts: Vec<_> = counts.into_iter().collect();
    // Several hundred rows per statement: a large table fills in seconds.
    for rows in counts.chunks(500) {
        let values = vec!["(?, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
        let mut params = Vec::with_capacity(rows.len() * 6);
        for &((scope, family, level, block), used) in rows {
            params.extend([
                Value::Int(scope),
                Value::Int(family),
                Value::Int(level as i64),
                key(block),
                key(block + (size(level) - 1)),
                Value::Int(used),
            ]);
        }
        conn.execute(
            &format!(
                "INSERT INTO {name} (scope, family, level, block, last, used) VALUES {values}"
            ),
            &params,
        )?;
    }
    Ok(())
}

/// `SELECT select` over the rows of (table, field, scope column) in one scope and
/// family whose address lies in [a, b].
fn rows_sql(
    select: &str,
    (table, field, scope_col): (&str, &str, Option<&str>),
    scope: i64,
    family: i64,
    (a, b): (u128, u128),
) -> (String, Vec<Value>) {
    let mut params = Vec::new();
    let scope = match (scope_col, scope) {
        (None, _) | (_, ANY) => String::new(),
        (Some(c), GLOBAL) => format!("\"{c}\" IS NULL AND "),
        (Some(c), v) => {
            params.push(Value::Int(v));
            format!("\"{c}\" = ? AND ")
        }
    };
    params.extend([Value::Int(family), key(a), key(b)]);
    (
        format!(
            "SELECT {select} FROM {table} WHERE {scope}\"{field}_family\" = ? \
             AND \"{field}_start\" >= ? AND \"{field}_start\" <= ?"
        ),
        params,
    )
}

/// One address space: a block-counted field of a model, in one scope and family.
pub struct Space<'a> {
    pub t: &'a ObjectType,
    pub field: &'static str,
    pub scope: Scope,
    pub family: i64,
}

/// A VRF (`None`: the global table), or every VRF together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Vrf(Option<i64>),
    All,
}

impl Space<'_> {
    fn scope_id(&self) -> i64 {
        match self.scope {
            Scope::Vrf(v) => v.unwrap_or(GLOBAL),
            Scope::All => ANY,
        }
    }

    fn rows_sql(&self, select: &str, a: u128, b: u128) -> (String, Vec<Value>) {
        rows_sql(
            select,
            (&self.t.table, self.field, address_scope(self.t)),
            self.scope_id(),
            self.family,
            (a, b),
        )
    }

    fn level_params(&self, level: u32, a: u128, b: u128) -> Vec<Value> {
        vec![
            Value::Int(self.scope_id()),
            Value::Int(self.family),
            Value::Int(level as i64),
            key(a),
            key(b),
        ]
    }
}

/// The first and last starts of whole blocks of `bits` inside [a, b], if any.
fn whole_blocks(a: u128, b: u128, bits: u32) -> Option<(u128, u128)> {
    let mask = size(bits) - 1;
    let first = if a & mask == 0 {
        a
    } else {
        (a | mask).checked_add(1)?
    };
    let last = if b & mask == mask {
        b & !mask
    } else {
        (b & !mask).checked_sub(size(bits))?
    };
    (first <= last).then_some((first, last))
}

/// Distinct addresses of `sp` in [a, b].
pub fn used(conn: &mut Conn, sp: &Space<'_>, a: u128, b: u128) -> Result<u128> {
    used_at(conn, sp, LEVELS.len(), a, b)
}

fn used_at(conn: &mut Conn, sp: &Space<'_>, levels: usize, a: u128, b: u128) -> Result<u128> {
    if a > b {
        return Ok(0);
    }
    if levels == 0 {
        let (sql, params) = sp.rows_sql(&format!("COUNT(DISTINCT \"{}_start\")", sp.field), a, b);
        return Ok(conn.query_i64(&sql, &params)?.max(0) as u128);
    }
    let bits = LEVELS[levels - 1];
    let Some((first, last)) = whole_blocks(a, b, bits) else {
        return used_at(conn, sp, levels - 1, a, b);
    };
    let whole = conn.query_i64(
        &format!(
            "SELECT CAST(COALESCE(SUM(used), 0) AS BIGINT) FROM {} WHERE scope = ? \
             AND family = ? AND level = ? AND block >= ? AND block <= ?",
            table(sp.t, sp.field)
        ),
        &sp.level_params(bits, first, last),
    )?;
    let head = match first.checked_sub(1) {
        Some(h) if first > a => used_at(conn, sp, levels - 1, a, h)?,
        _ => 0,
    };
    let tail = match (last + (size(bits) - 1)).checked_add(1) {
        Some(t) => used_at(conn, sp, levels - 1, t, b)?,
        None => 0,
    };
    Ok(whole.max(0) as u128 + head + tail)
}

/// The first address of `sp` in [a, b] that no row uses.
pub fn first_free(conn: &mut Conn, sp: &Space<'_>, a: u128, b: u128) -> Result<Option<u128>> {
    free_at(conn, sp, LEVELS.len(), a, b)
}

fn free_at(
    conn: &mut Conn,
    sp: &Space<'_>,
    levels: usize,
    a: u128,
    b: u128,
) -> Result<Option<u128>> {
    if a > b {
        return Ok(None);
    }
    if levels == 0 {
        // At most two smallest blocks' worth of rows.
        let (mut sql, params) = sp.rows_sql(&format!("DISTINCT \"{}_start\"", sp.field), a, b);
        sql.push_str(&format!(" ORDER BY \"{}_start\"", sp.field));
        let mut cursor = a;
        for row in conn.query(&sql, &params, &[Col::Bytes])? {
            match row.first().and_then(IpNet::from_key) {
                Some(n) if n == cursor => match cursor.checked_add(1) {
                    Some(c) => cursor = c,
                    None => return Ok(None),
                },
                Some(n) if n > cursor => break,
                _ => {}
            }
        }
        return Ok((cursor <= b).then_some(cursor));
    }
    let bits = LEVELS[levels - 1];
    let Some((first, last)) = whole_blocks(a, b, bits) else {
        return free_at(conn, sp, levels - 1, a, b);
    };
    if first > a {
        if let Some(x) = free_at(conn, sp, levels - 1, a, first - 1)? {
            return Ok(Some(x));
        }
    }
    // Whole blocks in order: the first one missing (empty) or not full holds the answer.
    let full = size(bits) as i64;
    let mut expected = first;
    loop {
        let rows = conn.query(
            &format!(
                "SELECT block, used FROM {} WHERE scope = ? AND family = ? AND level = ? \
                 AND block >= ? AND block <= ? ORDER BY block LIMIT 256",
                table(sp.t, sp.field)
            ),
            &sp.level_params(bits, expected, last),
            &[Col::Bytes, Col::Int],
        )?;
        let n = rows.len();
        for r in rows {
            let (Some(block), used) = (IpNet::from_key(&r[0]), r[1].as_i64().unwrap_or(0)) else {
                continue;
            };
            if block > expected {
                return Ok(Some(expected));
            }
            if used < full {
                return free_at(conn, sp, levels - 1, block, block + (size(bits) - 1));
            }
            match (block + (size(bits) - 1)).checked_add(1) {
                Some(next) => expected = next,
                None => return Ok(None),
            }
        }
        if expected > last {
            break;
        }
        if n < 256 {
            return Ok(Some(expected));
        }
    }
    match (last + (size(bits) - 1)).checked_add(1) {
        Some(t) => free_at(conn, sp, levels - 1, t, b),
        None => Ok(None),
    }
}
