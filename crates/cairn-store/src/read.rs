//! The read path: one query per list, one batched query per relation.

use std::collections::HashMap;
use std::sync::Arc;

use cairn_schema::{FieldKind, ObjectType};

use crate::schema::Schema;

use crate::conn::{Col, Conn, Dialect};
use crate::ddl::{col_of, m2m_link, TAGGED_ITEM};
use crate::error::Result;
use crate::filter::{compile, tree_range, Filter, Scope};
use crate::ipkey::IpNet;
use crate::sql::Sql;
use crate::value::{Record, Value};

#[derive(Debug, Clone)]
pub struct Query {
    pub filter: Filter,
    /// (column, descending)
    pub order: Vec<(String, bool)>,
    pub limit: Option<i64>,
    pub offset: i64,
}

impl Query {
    pub fn all() -> Query {
        Query {
            filter: Filter::True,
            order: Vec::new(),
            limit: None,
            offset: 0,
        }
    }
}

/// The columns a select reads for a type, and how each maps back to the record.
pub(crate) enum Slot {
    Id,
    Created,
    LastUpdated,
    Custom,
    Field(usize),
    /// Generic relation: object type id, then object id.
    GenericCt(usize),
    GenericId(usize),
    Count(usize),
}

pub(crate) struct Layout {
    select: String,
    slots: Vec<Slot>,
    cols: Vec<Col>,
}

/// A count that includes objects of descendant nodes, as a correlated subquery.
fn count_sql(s: &Schema, t: &ObjectType, i: usize) -> String {
    let c = &t.counts[i];
    let Some(target) = s.reg.get(c.model) else {
        return "CAST(0 AS BIGINT)".into();
    };
    let Some(f) = target.field(c.field) else {
        return "CAST(0 AS BIGINT)".into();
    };
    if let Some(link) = m2m_link(&s.reg, target, f) {
        return format!(
            "(SELECT COUNT(DISTINCT c.{}) FROM {} c JOIN {} cn ON c.{} = cn.id WHERE {})",
            link.own,
            link.table,
            t.table,
            link.other,
            tree_range("cn", "t")
        );
    }
    let Some(col) = f.column() else {
        return "CAST(0 AS BIGINT)".into();
    };
    format!(
        "(SELECT COUNT(*) FROM {} c JOIN {} cn ON c.\"{col}\" = cn.id WHERE {})",
        target.table,
        t.table,
        tree_range("cn", "t")
    )
}

/// A type's layout as most reads use it (alias `t`), built once per database binding.
fn layout(s: &Schema, t: &ObjectType, with_counts: bool) -> Arc<Layout> {
    s.layout(t, usize::from(with_counts), || {
        layout_as(s, t, with_counts, "t")
    })
}

/// The columns of `t` as read through table alias `a`.
fn layout_as(s: &Schema, t: &ObjectType, with_counts: bool, a: &str) -> Layout {
    let mut cols_sql = vec![format!("{a}.id")];
    let mut slots = vec![Slot::Id];
    let mut cols = vec![Col::Int];
    if t.timestamps {
        cols_sql.push(format!("{a}.created"));
        slots.push(Slot::Created);
        cols.push(Col::Time);
        cols_sql.push(format!("{a}.last_updated"));
        slots.push(Slot::LastUpdated);
        cols.push(Col::Time);
    }
    if t.features.custom_fields {
        cols_sql.push(format!("{a}.custom_field_data"));
        slots.push(Slot::Custom);
        cols.push(Col::Json);
    }
    for (i, f) in t.fields.iter().enumerate() {
        if !f.stored {
            continue;
        }
        match f.kind {
            FieldKind::ManyToMany { .. } => {}
            FieldKind::GenericFk { ct, fk } => {
                cols_sql.push(format!("{a}.\"{ct}_id\""));
                slots.push(Slot::GenericCt(i));
                cols.push(Col::Int);
                cols_sql.push(format!("{a}.\"{fk}\""));
                slots.push(Slot::GenericId(i));
                cols.push(Col::Int);
            }
            _ => {
                if let Some(c) = f.column() {
                    cols_sql.push(format!("{a}.\"{c}\""));
                    slots.push(Slot::Field(i));
                    cols.push(col_of(&f.kind));
                }
            }
        }
    }
    if with_counts {
        // Plain counts are filled in afterwards, one grouped query per count; tree
        // counts that include descendants stay correlated subqueries.
        for i in 0..t.counts.len() {
            if t.counts[i].cumulative && t.tree {
                cols_sql.push(count_sql(s, t, i));
                slots.push(Slot::Count(i));
                cols.push(Col::Int);
            }
        }
    }
    Layout {
        select: cols_sql.join(", "),
        slots,
        cols,
    }
}

fn decode(t: &ObjectType, layout: &Layout, row: Vec<Value>) -> Record {
    let mut rec = Record::empty(t.fields.len());
    rec.counts = vec![0; t.counts.len()];
    let mut pending_ct: HashMap<usize, i64> = HashMap::new();
    for (slot, v) in layout.slots.iter().zip(row) {
        match slot {
            Slot::Id => rec.id = v.as_i64().unwrap_or(0),
            Slot::Created => {
                if let Value::Time(t) = v {
                    rec.created = Some(t)
                }
            }
            Slot::LastUpdated => {
                if let Value::Time(t) = v {
                    rec.last_updated = Some(t)
                }
            }
            Slot::Custom => {
                if let Value::Json(j) = v {
                    rec.custom = j
                }
            }
            Slot::Field(i) => {
                let kind = &t.fields[*i].kind;
                rec.values[*i] = match (kind, v) {
                    (FieldKind::Decimal { .. }, Value::Int(n)) => Value::Float(n as f64),
                    (FieldKind::StrList | FieldKind::IntList { .. }, Value::Null) => {
                        Value::Json(serde_json::Value::Array(vec![]))
                    }
                    (_, v) => v,
                }
            }
            Slot::GenericCt(i) => {
                if let Some(ct) = v.as_i64() {
                    pending_ct.insert(*i, ct);
                }
            }
            Slot::GenericId(i) => {
                if let (Some(ct), Some(id)) = (pending_ct.get(i), v.as_i64()) {
                    rec.values[*i] = Value::Ref(*ct, id);
                }
            }
            Slot::Count(i) => rec.counts[*i] = v.as_i64().unwrap_or(0),
        }
    }
    rec
}

/// ` WHERE <filter>` over `t`'s rows (aliased `alias` in the query, if at all).
pub(crate) fn where_sql(
    s: &Schema,
    t: &ObjectType,
    alias: Option<&str>,
    filter: &Filter,
    d: Dialect,
    sql: &mut Sql,
) -> Result<()> {
    if !matches!(filter, Filter::True) {
        sql.push(" WHERE ");
        compile(filter, &Scope { s, t, d, alias }, sql)?;
    }
    Ok(())
}

fn order_sql(s: &Schema, t: &ObjectType, q: &Query, d: Dialect) -> String {
    let mut parts: Vec<String> = Vec::new();
    let default: Vec<(String, bool)>;
    let order = if q.order.is_empty() {
        default = default_order(s, t);
        &default
    } else {
        &q.order
    };
    for (col, desc) in order {
        let dir = if *desc { " DESC" } else { "" };
        if let Some(plain) = col.strip_suffix(NULLS_FIRST) {
            let nulls = if d == Dialect::Postgres {
                " NULLS FIRST"
            } else {
                ""
            };
            parts.push(format!("t.\"{plain}\"{dir}{nulls}"));
            continue;
        }
        match related_order(s, t, col) {
            // NULL relations last (first when descending), as PostgreSQL orders them.
            Some((fk, expr)) => {
                parts.push(format!("(t.\"{fk}\" IS NULL){dir}"));
                parts.push(format!("{expr}{dir}"));
            }
            None => match t.fields.iter().find(|f| f.column().as_deref() == Some(col)) {
                // Integer lists sort by their first element, as PostgreSQL compares the
                // integer arrays NetBox stores (`[22]`, `[80, 443]`, `[1000]`); JSON
                // compares differently (text on SQLite, length first on PostgreSQL).
                Some(f) if matches!(f.kind, FieldKind::IntList { .. }) => {
                    let first = match d {
                        Dialect::Sqlite => format!("json_extract(t.\"{col}\", '$[0]')"),
                        Dialect::Postgres => format!("(t.\"{col}\" -> 0)"),
                    };
                    parts.push(format!("{first}{dir}"));
                    parts.push(format!("t.\"{col}\"{dir}"));
                }
                _ => parts.push(format!("t.\"{col}\"{dir}")),
            },
        }
    }
    if !order.iter().any(|(c, _)| c == "id") {
        parts.push("t.id".into());
    }
    parts.join(", ")
}

/// Marks an ordering column whose NULLs come first (NetBox's `nulls_first=True`).
const NULLS_FIRST: &str = "\u{0}nulls-first";

/// The model's default ordering as columns; tree models sort depth-first by name path. An
/// entry naming a foreign key field (not its `_id` column) orders by the related object's
/// own first ordering column, as Django orders by a relation.
pub fn default_order(s: &Schema, t: &ObjectType) -> Vec<(String, bool)> {
    if t.tree {
        return vec![("_path".into(), false)];
    }
    t.ordering
        .iter()
        .map(|o| {
            let (name, desc) = match o.strip_prefix('-') {
                Some(n) => (n, true),
                None => (*o, false),
            };
            if let Some(plain) = name.strip_suffix(" nulls first") {
                return (format!("{plain}{NULLS_FIRST}"), desc);
            }
            let col = match (t.field(name), name.split_once('.')) {
                (Some(f), _) => order_key(s, f).or_else(|| f.column()),
                // `relation.field`: that field of the related object.
                (None, Some((rel, col))) => t
                    .field(rel)
                    .and_then(|f| f.column())
                    .map(|fk| format!("{fk}.{col}")),
                (None, None) => None,
            };
            (col.unwrap_or_else(|| name.to_string()), desc)
        })
        .collect()
}

/// How ordering by a field sorts: a relation by its target's first ordering column
/// (`site_id._name`); None for other fields.
pub fn order_key(s: &Schema, f: &cairn_schema::Field) -> Option<String> {
    let target = f
        .fk_target()
        .filter(|t| *t != "core.objecttype" && !f.plain)?;
    let tt = s.reg.get(target)?;
    let (col, _) = default_order(s, tt).into_iter().next()?;
    let col = col.strip_suffix(NULLS_FIRST).unwrap_or(&col).to_string();
    if col.contains('.') {
        return None;
    }
    Some(format!("{}.{col}", f.column()?))
}

/// An ordering column `fk.col` as the FK column and a subquery reading `col` of the
/// related row.
fn related_order(s: &Schema, t: &ObjectType, col: &str) -> Option<(String, String)> {
    let (fk, target_col) = col.split_once('.')?;
    let f = t
        .fields
        .iter()
        .find(|f| f.column().as_deref() == Some(fk))?;
    let tt = s.reg.get(f.fk_target()?)?;
    Some((
        fk.to_string(),
        format!(
            "(SELECT o.\"{target_col}\" FROM {} o WHERE o.id = t.\"{fk}\")",
            tt.table
        ),
    ))
}

pub fn select(conn: &mut Conn, s: &Schema, t: &ObjectType, q: &Query) -> Result<Vec<Record>> {
    select_with(conn, s, t, q, true)
}

/// The matching objects' own columns (no related-object counts).
pub fn select_columns(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    q: &Query,
) -> Result<Vec<Record>> {
    select_with(conn, s, t, q, false)
}

fn select_with(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    q: &Query,
    counts: bool,
) -> Result<Vec<Record>> {
    let layout = layout(s, t, counts);
    let mut sql = Sql::new(&format!("SELECT {} FROM {} t", layout.select, t.table));
    where_sql(s, t, Some("t"), &q.filter, conn.dialect(), &mut sql)?;
    sql.push(" ORDER BY ");
    sql.push(&order_sql(s, t, q, conn.dialect()));
    if let Some(limit) = q.limit {
        sql.push(" LIMIT ");
        sql.bind(Value::Int(limit));
        sql.push(" OFFSET ");
        sql.bind(Value::Int(q.offset));
    }
    let rows = conn.query(&sql.text, &sql.params, &layout.cols)?;
    let mut recs: Vec<Record> = rows.into_iter().map(|r| decode(t, &layout, r)).collect();
    if counts {
        fill_counts(conn, s, t, &mut recs)?;
    }
    Ok(recs)
}

/// Non-cumulative related-object counts of the given records: one grouped query each.
fn fill_counts(conn: &mut Conn, s: &Schema, t: &ObjectType, recs: &mut [Record]) -> Result<()> {
    if recs.is_empty() {
        return Ok(());
    }
    let pos: HashMap<i64, usize> = recs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let ids: Vec<i64> = recs.iter().map(|r| r.id).collect();
    // Every count is one part of a single UNION ALL query: (count index, object, n).
    let mut parts: Vec<String> = Vec::new();
    for (ci, c) in t.counts.iter().enumerate() {
        if c.cumulative && t.tree {
            continue;
        }
        let Some(target) = s.reg.get(c.model) else {
            continue;
        };
        let Some(f) = target.field(c.field) else {
            continue;
        };
        let (table, col, only_ct) = match (m2m_link(&s.reg, target, f), f.kind) {
            (Some(link), _) => (link.table, link.other.to_string(), None),
            // Objects pointing here through a generic relation: of this type's id space.
            (None, FieldKind::GenericFk { ct, fk }) => match s.ct_of(t) {
                Some(own) => (target.table.clone(), fk.to_string(), Some((ct, own))),
                None => continue,
            },
            (None, _) => match f.column() {
                Some(col) => (target.table.clone(), col, None),
                None => continue,
            },
        };
        let ct_cond = match only_ct {
            Some((ct, own)) => format!("\"{ct}_id\" = {own} AND "),
            None => String::new(),
        };
        parts.push(format!(
            "SELECT CAST({ci} AS BIGINT), \"{col}\", COUNT(*) FROM {table} WHERE {ct_cond}\"{col}\" IN "
        ));
        parts.push(format!(" GROUP BY \"{col}\""));
    }
    if parts.is_empty() {
        return Ok(());
    }
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("");
        for (i, pair) in parts.chunks(2).enumerate() {
            if i > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push(&pair[0]);
            in_list(&mut sql, chunk);
            sql.push(&pair[1]);
        }
        for row in conn.query(&sql.text, &sql.params, &[Col::Int, Col::Int, Col::Int])? {
            if let (Some(ci), Some(id), Some(n)) =
                (row[0].as_i64(), row[1].as_i64(), row[2].as_i64())
            {
                if let (Some(&p), Some(slot)) = (pos.get(&id), usize::try_from(ci).ok()) {
                    if let Some(c) = recs[p].counts.get_mut(slot) {
                        *c = n;
                    }
                }
            }
        }
    }
    Ok(())
}

pub fn count(conn: &mut Conn, s: &Schema, t: &ObjectType, filter: &Filter) -> Result<i64> {
    let mut sql = Sql::new(&format!("SELECT COUNT(*) FROM {} t", t.table));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    conn.query_i64(&sql.text, &sql.params)
}

pub fn exists(conn: &mut Conn, s: &Schema, t: &ObjectType, filter: &Filter) -> Result<bool> {
    let mut sql = Sql::new(&format!("SELECT t.id FROM {} t", t.table));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    sql.push(" LIMIT 1");
    Ok(conn
        .query_one(&sql.text, &sql.params, &[Col::Int])?
        .is_some())
}

/// Which end of an IP field's span: a prefix's first or last address; a host address
/// has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpEnd {
    Start,
    End,
}

/// The address numbers of some IP fields over the matching rows (ascending by the first),
/// at most `limit` rows; rows with an unset field are left out.
pub fn ip_numbers(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    fields: &[(&str, IpEnd)],
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Vec<u128>>> {
    let mut names = Vec::with_capacity(fields.len());
    for (f, end) in fields {
        if !matches!(
            t.field(f).map(|f| f.kind),
            Some(FieldKind::IpAddress | FieldKind::IpPrefix)
        ) {
            return Err(crate::StoreError::Db(format!(
                "{} has no IP field {f}",
                t.label()
            )));
        }
        let suffix = match end {
            IpEnd::Start => "start",
            IpEnd::End => "end",
        };
        names.push(format!("t.\"{f}_{suffix}\""));
    }
    let mut sql = Sql::new(&format!("SELECT {} FROM {} t", names.join(", "), t.table));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    let first = names.first().map(String::as_str).unwrap_or("t.id");
    sql.push(&format!(" ORDER BY {first} LIMIT "));
    sql.bind(Value::Int(limit));
    let kinds = vec![Col::Bytes; names.len()];
    Ok(conn
        .query(&sql.text, &sql.params, &kinds)?
        .into_iter()
        .filter_map(|r| r.iter().map(IpNet::from_key).collect::<Option<Vec<u128>>>())
        .collect())
}

/// One integer field of the matching rows, ascending, at most `limit` values.
pub fn ints(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    field: &str,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<i64>> {
    let col = t
        .field(field)
        .filter(|f| matches!(f.kind, FieldKind::Int { .. }))
        .and_then(|f| f.column())
        .ok_or_else(|| {
            crate::StoreError::Db(format!("{} has no integer field {field}", t.label()))
        })?;
    let mut sql = Sql::new(&format!("SELECT t.\"{col}\" FROM {} t", t.table));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    sql.push(&format!(" ORDER BY t.\"{col}\" LIMIT "));
    sql.bind(Value::Int(limit));
    Ok(conn
        .query(&sql.text, &sql.params, &[Col::Int])?
        .into_iter()
        .filter_map(|r| r.first().and_then(Value::as_i64))
        .collect())
}

/// Ids of the objects matching a filter.
pub fn ids(conn: &mut Conn, s: &Schema, t: &ObjectType, filter: &Filter) -> Result<Vec<i64>> {
    let mut sql = Sql::new(&format!("SELECT t.id FROM {} t", t.table));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    sql.push(" ORDER BY t.id");
    let rows = conn.query(&sql.text, &sql.params, &[Col::Int])?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.first().and_then(|v| v.as_i64()))
        .collect())
}

/// The first object matching `filter`, with the object its FK field `fk` points at (one
/// joined query; both with their own columns only).
pub fn first_with_parent(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    filter: &Filter,
    fk: &str,
) -> Result<Option<(Record, Option<Record>)>> {
    let field = t
        .field(fk)
        .ok_or_else(|| crate::StoreError::Db(format!("{} has no field {fk}", t.label())))?;
    let (Some(col), Some(pt)) = (field.column(), field.fk_target().and_then(|l| s.reg.get(l)))
    else {
        return Err(crate::StoreError::Db(format!(
            "{}.{fk} is no foreign key",
            t.label()
        )));
    };
    let own = layout(s, t, false);
    let parent = s.layout(pt, 2, || layout_as(s, pt, false, "p"));
    let mut sql = Sql::new(&format!(
        "SELECT {}, {} FROM {} t LEFT JOIN {} p ON p.id = t.\"{col}\"",
        own.select, parent.select, t.table, pt.table
    ));
    where_sql(s, t, Some("t"), filter, conn.dialect(), &mut sql)?;
    sql.push(" LIMIT 1");
    let cols: Vec<Col> = own.cols.iter().chain(&parent.cols).copied().collect();
    let Some(mut row) = conn.query_one(&sql.text, &sql.params, &cols)? else {
        return Ok(None);
    };
    let rest = row.split_off(own.cols.len());
    let parent_rec = match rest.first() {
        Some(Value::Null) | None => None,
        _ => Some(decode(pt, &parent, rest)),
    };
    Ok(Some((decode(t, &own, row), parent_rec)))
}

/// One object with its many-to-many ids and tags (no related-object counts: rules and
/// the write path never read them, and counting can mean scanning many rows).
pub fn get(conn: &mut Conn, s: &Schema, t: &ObjectType, id: i64) -> Result<Option<Record>> {
    get_with(conn, s, t, id, false)
}

/// One object's own columns only (no many-to-many ids, tags or counts): what rules
/// read about the objects a record points at.
pub fn get_columns(conn: &mut Conn, s: &Schema, t: &ObjectType, id: i64) -> Result<Option<Record>> {
    let q = Query {
        filter: Filter::eq("id", id),
        order: Vec::new(),
        limit: None,
        offset: 0,
    };
    Ok(select_with(conn, s, t, &q, false)?.pop())
}

/// One object as its detail view shows it: with its related-object counts.
pub fn get_counted(conn: &mut Conn, s: &Schema, t: &ObjectType, id: i64) -> Result<Option<Record>> {
    get_with(conn, s, t, id, true)
}

fn get_with(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    id: i64,
    counts: bool,
) -> Result<Option<Record>> {
    let q = Query {
        filter: Filter::eq("id", id),
        order: Vec::new(),
        limit: None,
        offset: 0,
    };
    let mut recs = select_with(conn, s, t, &q, counts)?;
    load_relations(conn, s, t, &mut recs)?;
    Ok(recs.pop())
}

/// Objects by id as `get` reads one (own columns and relations), in id order; a few
/// queries per 500 objects rather than per object.
pub fn get_many(conn: &mut Conn, s: &Schema, t: &ObjectType, ids: &[i64]) -> Result<Vec<Record>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut recs: Vec<Record> = fetch_by_id(conn, s, t, chunk, false)?
            .into_values()
            .collect();
        recs.sort_by_key(|r| r.id);
        load_relations(conn, s, t, &mut recs)?;
        out.extend(recs);
    }
    Ok(out)
}

/// Objects by id with their related-object counts, keyed by id.
pub fn fetch(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    ids: &[i64],
) -> Result<HashMap<i64, Record>> {
    fetch_by_id(conn, s, t, ids, true)
}

/// Objects by id without counts (NetBox's nested forms and create responses show
/// none), keyed by id.
pub fn fetch_uncounted(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    ids: &[i64],
) -> Result<HashMap<i64, Record>> {
    fetch_by_id(conn, s, t, ids, false)
}

fn fetch_by_id(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    ids: &[i64],
    counts: bool,
) -> Result<HashMap<i64, Record>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let q = Query {
            filter: Filter::ids("id", chunk.iter().copied()),
            order: vec![("id".into(), false)],
            limit: None,
            offset: 0,
        };
        for r in select_with(conn, s, t, &q, counts)? {
            out.insert(r.id, r);
        }
    }
    Ok(out)
}

fn in_list(sql: &mut Sql, ids: &[i64]) {
    sql.push("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Value::Int(*id));
    }
    sql.push(")");
}

/// Fills many-to-many fields and tags of the given records, one query per relation.
pub fn load_relations(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    recs: &mut [Record],
) -> Result<()> {
    if recs.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = recs.iter().map(|r| r.id).collect();
    let pos: HashMap<i64, usize> = recs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    // Each relation is one part of a single UNION ALL query (one round trip): rows of
    // (part, object, related, sort key, sort text). A part is a field index, or tags.
    const TAGS: i64 = -1;
    let mut parts: Vec<(i64, String)> = Vec::new();
    for (fi, f) in t.fields.iter().enumerate() {
        // Write-only relations (reverse sides kept for filters) are never shown.
        let Some(link) = m2m_link(&s.reg, t, f).filter(|_| f.stored && !f.write_only) else {
            continue;
        };
        for r in recs.iter_mut() {
            r.values[fi] = Value::Ids(Vec::new());
        }
        parts.push((
            fi as i64,
            format!(
                "SELECT CAST({fi} AS BIGINT), {0}, {1}, {1}, CAST('' AS TEXT) FROM {2} WHERE {0} IN ",
                link.own, link.other, link.table
            ),
        ));
    }
    let tag_ct = match (t.features.tags, s.ct_of(t), s.reg.get("extras.tag")) {
        (true, Some(ct), Some(tag)) => {
            parts.push((
                TAGS,
                format!(
                    "SELECT CAST({TAGS} AS BIGINT), ti.object_id, ti.tag_id, g.weight, g.name \
                     FROM {TAGGED_ITEM} ti JOIN {} g ON g.id = ti.tag_id \
                     WHERE ti.object_type_id = ? AND ti.object_id IN ",
                    tag.table
                ),
            ));
            Some(ct)
        }
        _ => None,
    };
    if parts.is_empty() {
        return Ok(());
    }
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("");
        for (i, (part, select)) in parts.iter().enumerate() {
            if i > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push(select);
            if *part == TAGS {
                sql.params.push(Value::Int(tag_ct.unwrap_or(0)));
            }
            in_list(&mut sql, chunk);
        }
        sql.push(" ORDER BY 1, 4, 5");
        let cols = [Col::Int, Col::Int, Col::Int, Col::Int, Col::Text];
        for row in conn.query(&sql.text, &sql.params, &cols)? {
            let (Some(part), Some(src), Some(dst)) =
                (row[0].as_i64(), row[1].as_i64(), row[2].as_i64())
            else {
                continue;
            };
            let Some(&p) = pos.get(&src) else { continue };
            if part == TAGS {
                recs[p].tags.push(dst);
            } else if let Some(Value::Ids(list)) = recs[p].values.get_mut(part as usize) {
                list.push(dst);
            }
        }
    }
    Ok(())
}
