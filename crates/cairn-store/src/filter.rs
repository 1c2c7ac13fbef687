//! The backend-neutral filter tree, in model terms, and its translation to SQL.
//!
//! Leaves name fields of the type being filtered: a field's name (`site`, `name`), a
//! foreign key's attribute name (`site_id`), a generic relation's halves
//! (`assigned_object_type`, `assigned_object_id`), or `id`, `created`, `last_updated`.
//! `Via` moves to related objects through a `Hop`, and its inner filter names fields of
//! the related type. Only this module turns names into tables and columns.

use cairn_schema::{FieldKind, ObjectType};

use crate::conn::Dialect;
use crate::ddl::{m2m_link, TAGGED_ITEM};
use crate::error::{Result, StoreError};
use crate::ipkey::IpNet;
use crate::schema::Schema;
use crate::sql::Sql;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Exact,
    IExact,
    /// Substring match for text stored in one case (canonical IP text): a plain LIKE,
    /// which PostgreSQL runs much faster than ILIKE.
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
    Regex,
    IRegex,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Op {
    /// The SQL operator of an ordering comparison; `=` for every other lookup.
    fn comparison(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Lte => "<=",
            Op::Gt => ">",
            Op::Gte => ">=",
            _ => "=",
        }
    }
}

/// How an IP field relates to a given network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpRel {
    /// Inside the network, or the network itself.
    WithinOrEqual,
    /// Strictly inside (a longer prefix).
    Within,
    /// Holds the network (or address), or is it.
    ContainsOrEqual,
    /// Same network and length.
    Equal,
    /// The field's host address lies in the network, whatever its own mask.
    HostWithin,
}

/// A step from the filtered type to related objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Hop {
    /// What this type's foreign key (or many-to-many field) points at.
    Field(String),
    /// Objects of `model` whose foreign key, many-to-many or generic relation `field`
    /// points here.
    Reverse { model: String, field: String },
    /// The objects of `model` this type's generic relation `field` points at.
    Generic { field: String, model: String },
    /// The tags on this object.
    Tags,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    True,
    False,
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Cmp {
        field: String,
        op: Op,
        value: Value,
    },
    In {
        field: String,
        values: Vec<Value>,
    },
    IsNull(String),
    /// NULL or the empty string.
    Empty(String),
    /// A foreign key to a tree model (or `id` of a tree model) refers to one of these
    /// nodes or to a node below one.
    InTree {
        field: String,
        ids: Vec<i64>,
    },
    /// An IP field relates to a network as `rel` says.
    Ip {
        field: String,
        rel: IpRel,
        net: IpNet,
    },
    /// An IP field's host address of this family compares with `key` as `op` says (ranges
    /// of addresses, free-space searches).
    IpKey {
        field: String,
        family: i64,
        op: Op,
        key: u128,
    },
    /// An IP field's mask length compares with `len` as `op` says.
    MaskLength {
        field: String,
        op: Op,
        len: i64,
    },
    /// A list field holds `value`.
    ListHas {
        field: String,
        value: Value,
    },
    /// A related-object count of the type (`interface_count`) compares with `value`.
    Count {
        name: String,
        op: Op,
        value: i64,
    },
    /// The custom field `name` of the object passes `test`.
    Custom {
        name: String,
        test: crate::custom::CustomTest,
    },
    /// Some object reached through `hop` matches `inner` (which names its fields).
    Via {
        hop: Hop,
        inner: Box<Filter>,
    },
}

impl Filter {
    pub fn and(filters: Vec<Filter>) -> Filter {
        let filters: Vec<Filter> = filters
            .into_iter()
            .filter(|f| !matches!(f, Filter::True))
            .collect();
        match filters.len() {
            0 => Filter::True,
            1 => filters.into_iter().next().unwrap_or(Filter::True),
            _ => Filter::All(filters),
        }
    }

    pub fn eq(field: impl Into<String>, value: impl Into<Value>) -> Filter {
        Filter::Cmp {
            field: field.into(),
            op: Op::Exact,
            value: value.into(),
        }
    }

    pub fn cmp(field: impl Into<String>, op: Op, value: impl Into<Value>) -> Filter {
        Filter::Cmp {
            field: field.into(),
            op,
            value: value.into(),
        }
    }

    pub fn ids(field: impl Into<String>, ids: impl IntoIterator<Item = i64>) -> Filter {
        Filter::In {
            field: field.into(),
            values: ids.into_iter().map(Value::Int).collect(),
        }
    }

    /// `field` lies in [lo, hi].
    pub fn between(field: &str, lo: impl Into<Value>, hi: impl Into<Value>) -> Filter {
        Filter::All(vec![
            Filter::cmp(field, Op::Gte, lo),
            Filter::cmp(field, Op::Lte, hi),
        ])
    }

    /// An IP field's host address lies in [lo, hi] (addresses of one family).
    pub fn ip_between(field: &str, family: i64, lo: u128, hi: u128) -> Filter {
        Filter::All(vec![
            Filter::IpKey {
                field: field.into(),
                family,
                op: Op::Gte,
                key: lo,
            },
            Filter::IpKey {
                field: field.into(),
                family,
                op: Op::Lte,
                key: hi,
            },
        ])
    }

    /// Objects whose related object (through FK or many-to-many `field`) matches.
    pub fn via(field: &str, inner: Filter) -> Filter {
        Filter::Via {
            hop: Hop::Field(field.into()),
            inner: Box::new(inner),
        }
    }

    /// Objects that some object of `model` points at through its `field` and that
    /// matches `inner`.
    pub fn referenced_by(model: &str, field: &str, inner: Filter) -> Filter {
        Filter::Via {
            hop: Hop::Reverse {
                model: model.into(),
                field: field.into(),
            },
            inner: Box::new(inner),
        }
    }

    /// Objects whose generic relation `field` points at an object of `model` matching
    /// `inner`.
    pub fn generic(field: &str, model: &str, inner: Filter) -> Filter {
        Filter::Via {
            hop: Hop::Generic {
                field: field.into(),
                model: model.into(),
            },
            inner: Box::new(inner),
        }
    }
}

impl std::ops::Not for Filter {
    type Output = Filter;

    fn not(self) -> Filter {
        Filter::Not(Box::new(self))
    }
}

/// `LIKE` patterns: the value's own `%`, `_` and `\` are escaped.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `GLOB` patterns (SQLite's case-sensitive matching): the value's own `*`, `?` and `[`
/// stand for themselves.
fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '*' => out.push_str("[*]"),
            '?' => out.push_str("[?]"),
            '[' => out.push_str("[[]"),
            c => out.push(c),
        }
    }
    out
}

/// Descendants-or-self of a node with id path `a._tree`: ids in `[p, p')` where `p'` is `p`
/// with its trailing '/' replaced by '0' (the next character), so an index serves it.
pub fn tree_range(node: &str, path: &str) -> String {
    format!("{node}._tree >= {path}._tree AND {node}._tree < substr({path}._tree, 1, length({path}._tree) - 1) || '0'")
}

/// What a filter is compiled against: the registry bound to the database, the type whose
/// rows are filtered, and the alias its table has in the query (`None`: unqualified).
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub s: &'a Schema,
    pub t: &'a ObjectType,
    pub d: Dialect,
    pub alias: Option<&'a str>,
}

fn bad(t: &ObjectType, what: impl std::fmt::Display) -> StoreError {
    StoreError::Db(format!("filter on {}: {what}", t.label()))
}

impl Scope<'_> {
    fn qualified(&self, col: &str) -> String {
        match self.alias {
            Some(a) => format!("{a}.\"{col}\""),
            None => format!("\"{col}\""),
        }
    }

    /// The column a field name stands for.
    fn column(&self, name: &str) -> Result<String> {
        let t = self.t;
        let col = match name {
            "id" => Some("id".to_string()),
            "created" | "last_updated" if t.timestamps => Some(name.to_string()),
            "custom_field_data" if t.features.custom_fields => Some(name.to_string()),
            _ => match t.field(name) {
                Some(f) if f.stored => match f.kind {
                    FieldKind::GenericFk { ct, .. } => Some(format!("{ct}_id")),
                    _ => f.column(),
                },
                _ => None,
            },
        };
        if let Some(c) = col {
            return Ok(c);
        }
        // A foreign key's attribute name, or either half of a generic relation.
        if let Some(fk) = name.strip_suffix("_id") {
            if let Some(f) = t.field(fk).filter(|f| f.stored) {
                if matches!(f.kind, FieldKind::ForeignKey { .. }) {
                    return Ok(name.to_string());
                }
            }
        }
        for f in t.fields.iter().filter(|f| f.stored) {
            if let FieldKind::GenericFk { ct, fk } = f.kind {
                if name == ct || name == format!("{ct}_id") {
                    return Ok(format!("{ct}_id"));
                }
                if name == fk {
                    return Ok(fk.to_string());
                }
            }
        }
        Err(bad(t, format_args!("no field {name}")))
    }

    fn target(&self, label: &str) -> Result<&ObjectType> {
        self.s
            .reg
            .get(label)
            .ok_or_else(|| bad(self.t, format_args!("no model {label}")))
    }

    /// The same scope over another type, unqualified (inside a subquery).
    fn inner<'b>(&'b self, t: &'b ObjectType) -> Scope<'b> {
        Scope {
            s: self.s,
            t,
            d: self.d,
            alias: None,
        }
    }
}

/// Appends the SQL of `f` (a boolean expression over the scope's type).
pub fn compile(f: &Filter, sc: &Scope<'_>, sql: &mut Sql) -> Result<()> {
    match f {
        Filter::True => sql.push("1=1"),
        Filter::False => sql.push("1=0"),
        Filter::All(fs) | Filter::Any(fs) => {
            let all = matches!(f, Filter::All(_));
            if fs.is_empty() {
                sql.push(if all { "1=1" } else { "1=0" });
                return Ok(());
            }
            sql.push("(");
            for (i, inner) in fs.iter().enumerate() {
                if i > 0 {
                    sql.push(if all { " AND " } else { " OR " });
                }
                compile(inner, sc, sql)?;
            }
            sql.push(")");
        }
        Filter::Not(inner) => {
            // As Django's exclude(): a row the inner filter cannot decide (NULL) is kept.
            sql.push("NOT COALESCE((");
            compile(inner, sc, sql)?;
            sql.push("), FALSE)");
        }
        Filter::Cmp { field, op, value } => {
            let c = sc.qualified(&sc.column(field)?);
            compile_cmp(&c, *op, value, sc.d, sql)?;
        }
        Filter::In { field, values } => {
            if values.is_empty() {
                sql.push("1=0");
                return Ok(());
            }
            sql.push(&sc.qualified(&sc.column(field)?));
            sql.push(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(v.clone());
            }
            sql.push(")");
        }
        Filter::IsNull(field) => {
            sql.push(&sc.qualified(&sc.column(field)?));
            sql.push(" IS NULL");
        }
        Filter::Empty(field) => {
            let c = sc.qualified(&sc.column(field)?);
            match sc.d {
                Dialect::Postgres => sql.push(&format!("({c} IS NULL OR {c}::text = '')")),
                Dialect::Sqlite => sql.push(&format!("({c} IS NULL OR {c} = '')")),
            }
        }
        Filter::Ip { field, rel, net } => compile_ip(sc, field, *rel, net, sql)?,
        Filter::IpKey {
            field,
            family,
            op,
            key,
        } => {
            ip_field(sc, field)?;
            let c = |suffix: &str| sc.qualified(&format!("{field}_{suffix}"));
            sql.push(&format!("({} = ", c("family")));
            sql.bind(Value::Int(*family));
            let sym = op.comparison();
            sql.push(&format!(" AND {} {sym} ", c("start")));
            sql.bind(Value::Bytes(IpNet::key(*key)));
            sql.push(")");
        }
        Filter::MaskLength { field, op, len } => {
            ip_field(sc, field)?;
            let c = sc.qualified(&format!("{field}_len"));
            compile_cmp(&c, *op, &Value::Int(*len), sc.d, sql)?;
        }
        Filter::ListHas { field, value } => {
            let c = sc.qualified(&sc.column(field)?);
            match sc.d {
                Dialect::Sqlite => {
                    sql.push(&format!(
                        "EXISTS (SELECT 1 FROM json_each({c}) WHERE json_each.value = "
                    ));
                    sql.bind(value.clone());
                    sql.push(")");
                }
                Dialect::Postgres => {
                    // `@>` with a one-element array holds for strings and numbers alike.
                    sql.push(&format!("{c} @> "));
                    let item = crate::write::value_json(value);
                    sql.bind(Value::Json(serde_json::Value::Array(vec![item])));
                }
            }
        }
        Filter::InTree { field, ids } => {
            if ids.is_empty() {
                sql.push("1=0");
                return Ok(());
            }
            let tree = if field == "id" {
                sc.t
            } else {
                let target =
                    sc.t.field(field.strip_suffix("_id").unwrap_or(field))
                        .and_then(|f| f.fk_target())
                        .ok_or_else(|| bad(sc.t, format_args!("{field} is no foreign key")))?;
                sc.target(target)?
            };
            if !tree.tree {
                return Err(bad(sc.t, format_args!("{} is no tree", tree.label())));
            }
            sql.push(&format!(
                "{} IN (SELECT tn.id FROM {1} tn JOIN {1} ta ON {2} WHERE ta.id IN (",
                sc.qualified(&sc.column(field)?),
                tree.table,
                tree_range("tn", "ta")
            ));
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Value::Int(*id));
            }
            sql.push("))");
        }
        Filter::Via { hop, inner } => compile_via(sc, hop, inner, sql)?,
        Filter::Count { name, op, value } => compile_count(sc, name, *op, *value, sql)?,
        Filter::Custom { name, test } => {
            if !sc.t.features.custom_fields {
                return Err(bad(sc.t, "no custom fields"));
            }
            let col = sc.qualified("custom_field_data");
            crate::custom::compile_custom(&col, name, test, sc.d, sql)?;
        }
    }
    Ok(())
}

/// Objects whose count of related objects compares as asked. Uncorrelated, so it holds
/// inside subqueries too: those counted once or more by grouping, those counted zero (when
/// zero passes) by absence.
fn compile_count(sc: &Scope<'_>, name: &str, op: Op, value: i64, sql: &mut Sql) -> Result<()> {
    let t = sc.t;
    let c = t
        .counts
        .iter()
        .find(|c| c.name == name && !(c.cumulative && t.tree))
        .ok_or_else(|| bad(t, format_args!("no count {name}")))?;
    let target = sc.target(c.model)?;
    let f = target
        .field(c.field)
        .ok_or_else(|| bad(target, format_args!("no field {}", c.field)))?;
    let (col, own_type) = match f.kind {
        FieldKind::GenericFk { ct, fk } => {
            let own = sc.s.ct_of(t).ok_or_else(|| bad(t, "no object type id"))?;
            (fk.to_string(), Some((format!("{ct}_id"), own)))
        }
        _ => (
            f.column()
                .ok_or_else(|| bad(target, format_args!("{} has no column", c.field)))?,
            None,
        ),
    };
    let scope_cond = |sql: &mut Sql| {
        if let Some((ct_col, own)) = &own_type {
            sql.push(&format!("\"{ct_col}\" = "));
            sql.bind(Value::Int(*own));
            sql.push(" AND ");
        }
    };
    let holds_for_zero = match op {
        Op::Lt => 0 < value,
        Op::Lte => 0 <= value,
        Op::Gt => 0 > value,
        Op::Gte => 0 >= value,
        _ => value == 0,
    };
    let sym = op.comparison();
    let id = sc.qualified("id");
    sql.push(&format!(
        "({id} IN (SELECT \"{col}\" FROM {} WHERE ",
        target.table
    ));
    scope_cond(sql);
    sql.push(&format!(
        "\"{col}\" IS NOT NULL GROUP BY \"{col}\" HAVING COUNT(*) {sym} "
    ));
    sql.bind(Value::Int(value));
    sql.push(")");
    if holds_for_zero {
        sql.push(&format!(
            " OR {id} NOT IN (SELECT \"{col}\" FROM {} WHERE ",
            target.table
        ));
        scope_cond(sql);
        sql.push(&format!("\"{col}\" IS NOT NULL)"));
    }
    sql.push(")");
    Ok(())
}

fn ip_field(sc: &Scope<'_>, field: &str) -> Result<()> {
    match sc.t.field(field).map(|f| f.kind) {
        Some(FieldKind::IpAddress | FieldKind::IpPrefix) => Ok(()),
        _ => Err(bad(sc.t, format_args!("{field} is no IP field"))),
    }
}

fn compile_ip(sc: &Scope<'_>, field: &str, rel: IpRel, net: &IpNet, sql: &mut Sql) -> Result<()> {
    ip_field(sc, field)?;
    let (start, end) = (IpNet::key(net.network()), IpNet::key(net.broadcast()));
    let c = |suffix: &str| sc.qualified(&format!("{field}_{suffix}"));
    sql.push(&format!("({} = ", c("family")));
    sql.bind(Value::Int(net.family()));
    let cmp = |sql: &mut Sql, col: &str, op: &str, v: Value| {
        sql.push(&format!(" AND {} {op} ", c(col)));
        sql.bind(v);
    };
    match rel {
        IpRel::WithinOrEqual | IpRel::Within => {
            cmp(sql, "start", ">=", Value::Bytes(start));
            cmp(sql, "end", "<=", Value::Bytes(end));
            let op = if rel == IpRel::Within { ">" } else { ">=" };
            cmp(sql, "len", op, Value::Int(net.len as i64));
        }
        IpRel::ContainsOrEqual => {
            cmp(sql, "start", "<=", Value::Bytes(start));
            cmp(sql, "end", ">=", Value::Bytes(end));
            cmp(sql, "len", "<=", Value::Int(net.len as i64));
        }
        IpRel::Equal => {
            cmp(sql, "start", "=", Value::Bytes(start));
            cmp(sql, "len", "=", Value::Int(net.len as i64));
        }
        IpRel::HostWithin => {
            cmp(sql, "start", ">=", Value::Bytes(start));
            cmp(sql, "start", "<=", Value::Bytes(end));
        }
    }
    sql.push(")");
    Ok(())
}

/// `<own column> IN (SELECT <their column> FROM <their table> WHERE <inner>)`, with the
/// inner filter over the related type.
fn compile_via(sc: &Scope<'_>, hop: &Hop, inner: &Filter, sql: &mut Sql) -> Result<()> {
    let t = sc.t;
    match hop {
        Hop::Field(name) => {
            let f = t
                .field(name)
                .ok_or_else(|| bad(t, format_args!("no field {name}")))?;
            let target = sc.target(
                f.fk_target()
                    .ok_or_else(|| bad(t, format_args!("{name} is no relation")))?,
            )?;
            let isc = sc.inner(target);
            if let Some(link) = m2m_link(&sc.s.reg, t, f) {
                sql.push(&format!(
                    "{} IN (SELECT {} FROM {} WHERE {} IN (SELECT id FROM {} WHERE ",
                    sc.qualified("id"),
                    link.own,
                    link.table,
                    link.other,
                    target.table
                ));
                compile(inner, &isc, sql)?;
                sql.push("))");
            } else {
                sql.push(&format!(
                    "{} IN (SELECT id FROM {} WHERE ",
                    sc.qualified(&sc.column(name)?),
                    target.table
                ));
                compile(inner, &isc, sql)?;
                sql.push(")");
            }
        }
        Hop::Reverse { model, field } => {
            let other = sc.target(model)?;
            let f = other
                .field(field)
                .ok_or_else(|| bad(other, format_args!("no field {field}")))?;
            let isc = sc.inner(other);
            match f.kind {
                FieldKind::GenericFk { ct, fk } => {
                    let own = sc.s.ct_of(t).ok_or_else(|| bad(t, "no object type id"))?;
                    sql.push(&format!(
                        "{} IN (SELECT \"{fk}\" FROM {} WHERE \"{ct}_id\" = ",
                        sc.qualified("id"),
                        other.table
                    ));
                    sql.bind(Value::Int(own));
                    sql.push(" AND ");
                    compile(inner, &isc, sql)?;
                    sql.push(")");
                }
                FieldKind::ManyToMany { .. } => {
                    let link = m2m_link(&sc.s.reg, other, f)
                        .ok_or_else(|| bad(other, format_args!("{field} has no link table")))?;
                    sql.push(&format!(
                        "{} IN (SELECT {} FROM {} WHERE {} IN (SELECT id FROM {} WHERE ",
                        sc.qualified("id"),
                        link.other,
                        link.table,
                        link.own,
                        other.table
                    ));
                    compile(inner, &isc, sql)?;
                    sql.push("))");
                }
                _ => {
                    let col = isc.column(field)?;
                    sql.push(&format!(
                        "{} IN (SELECT \"{col}\" FROM {} WHERE ",
                        sc.qualified("id"),
                        other.table
                    ));
                    compile(inner, &isc, sql)?;
                    sql.push(")");
                }
            }
        }
        Hop::Generic { field, model } => {
            let Some(FieldKind::GenericFk { ct, fk }) = t.field(field).map(|f| f.kind) else {
                return Err(bad(t, format_args!("{field} is no generic relation")));
            };
            let target = sc.target(model)?;
            let target_ct =
                sc.s.ct_of(target)
                    .ok_or_else(|| bad(target, "no object type id"))?;
            sql.push(&format!("({} = ", sc.qualified(&format!("{ct}_id"))));
            sql.bind(Value::Int(target_ct));
            sql.push(&format!(
                " AND {} IN (SELECT id FROM {} WHERE ",
                sc.qualified(fk),
                target.table
            ));
            compile(inner, &sc.inner(target), sql)?;
            sql.push("))");
        }
        Hop::Tags => {
            let (Some(own), Some(tag)) = (sc.s.ct_of(t), sc.s.reg.get("extras.tag")) else {
                return Err(bad(t, "tags are not served"));
            };
            sql.push(&format!(
                "{} IN (SELECT object_id FROM {TAGGED_ITEM} WHERE object_type_id = ",
                sc.qualified("id")
            ));
            sql.bind(Value::Int(own));
            sql.push(&format!(
                " AND tag_id IN (SELECT id FROM {} WHERE ",
                tag.table
            ));
            compile(inner, &sc.inner(tag), sql)?;
            sql.push("))");
        }
    }
    Ok(())
}

pub(crate) fn compile_cmp(c: &str, op: Op, value: &Value, d: Dialect, sql: &mut Sql) -> Result<()> {
    let text = || match value {
        Value::Text(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    // Text operations on any column: PostgreSQL needs the column as text.
    let as_text = match d {
        Dialect::Sqlite => c.to_string(),
        Dialect::Postgres => format!("{c}::text"),
    };
    // SQLite's LIKE ignores ASCII case, so its case-sensitive matches use GLOB.
    let like_op = |sql: &mut Sql, (pre, mid, post): (&str, &str, &str), case_insensitive: bool| {
        match (d, case_insensitive) {
            (Dialect::Sqlite, false) => {
                sql.push(&format!("{c} GLOB "));
                let star = |s: &str| if s.is_empty() { "" } else { "*" };
                sql.bind(Value::Text(format!(
                    "{}{}{}",
                    star(pre),
                    glob_escape(mid),
                    star(post)
                )));
                return;
            }
            (Dialect::Sqlite, true) => sql.push(&format!("{c} LIKE ")),
            (Dialect::Postgres, true) => sql.push(&format!("{as_text} ILIKE ")),
            (Dialect::Postgres, false) => sql.push(&format!("{as_text} LIKE ")),
        }
        sql.bind(Value::Text(format!("{pre}{}{post}", like_escape(mid))));
        sql.push(" ESCAPE '\\'");
    };
    match op {
        Op::Exact => {
            if value.is_null() {
                sql.push(&format!("{c} IS NULL"));
            } else {
                sql.push(&format!("{c} = "));
                sql.bind(value.clone());
            }
        }
        Op::IExact => {
            sql.push(&format!("lower({as_text}) = lower("));
            sql.bind(Value::Text(text()));
            sql.push(")");
        }
        Op::Contains => like_op(sql, ("%", &text(), "%"), false),
        Op::IContains => like_op(sql, ("%", &text(), "%"), true),
        Op::StartsWith => like_op(sql, ("", &text(), "%"), false),
        Op::IStartsWith => like_op(sql, ("", &text(), "%"), true),
        Op::EndsWith => like_op(sql, ("%", &text(), ""), false),
        Op::IEndsWith => like_op(sql, ("%", &text(), ""), true),
        Op::Regex | Op::IRegex => {
            let pattern = text();
            if let Err(e) = regex::Regex::new(&pattern) {
                return Err(StoreError::BadValue(format!(
                    "invalid regular expression: {e}"
                )));
            }
            match (d, op) {
                (Dialect::Sqlite, Op::Regex) => sql.push(&format!("{c} REGEXP ")),
                (Dialect::Sqlite, _) => {
                    sql.push(&format!("{c} REGEXP '(?i)' || "));
                }
                (Dialect::Postgres, Op::Regex) => sql.push(&format!("{as_text} ~ ")),
                (Dialect::Postgres, _) => sql.push(&format!("{as_text} ~* ")),
            }
            sql.bind(Value::Text(pattern));
        }
        Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
            sql.push(&format!("{c} {} ", op.comparison()));
            sql.bind(value.clone());
        }
    }
    Ok(())
}
