//! The backend-neutral filter tree and its translation to SQL.

use crate::conn::Dialect;
use crate::error::{Result, StoreError};
use crate::ipkey::IpNet;
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
    IStartsWith,
    IEndsWith,
    Regex,
    IRegex,
    Lt,
    Lte,
    Gt,
    Gte,
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

#[derive(Debug, Clone)]
pub enum Filter {
    True,
    False,
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Cmp {
        column: String,
        op: Op,
        value: Value,
    },
    In {
        column: String,
        values: Vec<Value>,
    },
    IsNull(String),
    /// NULL or the empty string.
    Empty(String),
    /// `column` refers to a node of tree `table` that is one of `ids` or below one.
    InTree {
        column: String,
        table: String,
        ids: Vec<i64>,
    },
    /// An IP field (by its key columns `<field>_family/_start/_end/_len`) relates to a
    /// network as `rel` says.
    Ip {
        field: String,
        rel: IpRel,
        net: IpNet,
    },
    /// A JSON list column holds the text `value`.
    JsonHas {
        column: String,
        value: Value,
    },
    /// `column IN (SELECT select FROM table WHERE filter)`.
    Sub {
        column: String,
        select: String,
        table: String,
        filter: Box<Filter>,
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

    pub fn eq(column: impl Into<String>, value: impl Into<Value>) -> Filter {
        Filter::Cmp {
            column: column.into(),
            op: Op::Exact,
            value: value.into(),
        }
    }

    pub fn cmp(column: impl Into<String>, op: Op, value: impl Into<Value>) -> Filter {
        Filter::Cmp {
            column: column.into(),
            op,
            value: value.into(),
        }
    }

    /// `column` lies in [lo, hi].
    pub fn between(column: &str, lo: impl Into<Value>, hi: impl Into<Value>) -> Filter {
        Filter::All(vec![
            Filter::cmp(column, Op::Gte, lo),
            Filter::cmp(column, Op::Lte, hi),
        ])
    }

    pub fn sub(column: &str, select: &str, table: &str, filter: Filter) -> Filter {
        Filter::Sub {
            column: column.into(),
            select: select.into(),
            table: table.into(),
            filter: Box::new(filter),
        }
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

fn quoted(column: &str) -> String {
    if column.contains('.') || column.contains('(') {
        column.to_string()
    } else {
        format!("\"{column}\"")
    }
}

/// Descendants-or-self of a node with id path `a._tree`: ids in `[p, p')` where `p'` is `p`
/// with its trailing '/' replaced by '0' (the next character), so an index serves it.
pub fn tree_range(node: &str, path: &str) -> String {
    format!("{node}._tree >= {path}._tree AND {node}._tree < substr({path}._tree, 1, length({path}._tree) - 1) || '0'")
}

pub fn compile(f: &Filter, d: Dialect, sql: &mut Sql) -> Result<()> {
    match f {
        Filter::True => sql.push("1=1"),
        Filter::False => sql.push("1=0"),
        Filter::All(fs) | Filter::Any(fs) => {
            if fs.is_empty() {
                sql.push(if matches!(f, Filter::All(_)) {
                    "1=1"
                } else {
                    "1=0"
                });
                return Ok(());
            }
            let joiner = if matches!(f, Filter::All(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push("(");
            for (i, inner) in fs.iter().enumerate() {
                if i > 0 {
                    sql.push(joiner);
                }
                compile(inner, d, sql)?;
            }
            sql.push(")");
        }
        Filter::Not(inner) => {
            sql.push("NOT (");
            compile(inner, d, sql)?;
            sql.push(")");
        }
        Filter::Cmp { column, op, value } => compile_cmp(&quoted(column), *op, value, d, sql)?,
        Filter::In { column, values } => {
            if values.is_empty() {
                sql.push("1=0");
                return Ok(());
            }
            sql.push(&quoted(column));
            sql.push(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(v.clone());
            }
            sql.push(")");
        }
        Filter::IsNull(column) => {
            sql.push(&quoted(column));
            sql.push(" IS NULL");
        }
        Filter::Empty(column) => {
            let c = quoted(column);
            sql.push(&format!("({c} IS NULL OR {c} = '')"));
        }
        Filter::Ip { field, rel, net } => {
            let (start, end) = (IpNet::key(net.network()), IpNet::key(net.broadcast()));
            let c = |suffix: &str| format!("\"{field}_{suffix}\"");
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
                    let op = if *rel == IpRel::Within { ">" } else { ">=" };
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
        }
        Filter::JsonHas { column, value } => {
            let c = quoted(column);
            match d {
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
        Filter::InTree { column, table, ids } => {
            if ids.is_empty() {
                sql.push("1=0");
                return Ok(());
            }
            sql.push(&format!(
                "{} IN (SELECT tn.id FROM {table} tn JOIN {table} ta ON {} WHERE ta.id IN (",
                quoted(column),
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
        Filter::Sub {
            column,
            select,
            table,
            filter,
        } => {
            sql.push(&format!(
                "{} IN (SELECT {} FROM {table} WHERE ",
                quoted(column),
                quoted(select)
            ));
            compile(filter, d, sql)?;
            sql.push(")");
        }
    }
    Ok(())
}

fn compile_cmp(c: &str, op: Op, value: &Value, d: Dialect, sql: &mut Sql) -> Result<()> {
    let text = || match value {
        Value::Text(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    let like_op = |sql: &mut Sql, pattern: String, pg_op: &str| {
        match d {
            Dialect::Sqlite => sql.push(&format!("{c} LIKE ")),
            Dialect::Postgres => sql.push(&format!("{c}::text {pg_op} ")),
        }
        sql.bind(Value::Text(pattern));
        sql.push(" ESCAPE '\\'");
    };
    let like = |sql: &mut Sql, pattern: String| like_op(sql, pattern, "ILIKE");
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
            sql.push(&format!("lower({c}) = lower("));
            sql.bind(Value::Text(text()));
            sql.push(")");
        }
        Op::Contains => like_op(sql, format!("%{}%", like_escape(&text())), "LIKE"),
        Op::IContains => like(sql, format!("%{}%", like_escape(&text()))),
        Op::IStartsWith => like(sql, format!("{}%", like_escape(&text()))),
        Op::IEndsWith => like(sql, format!("%{}", like_escape(&text()))),
        Op::Regex | Op::IRegex => {
            let pattern = text();
            if let Err(e) = regex::Regex::new(&pattern) {
                return Err(StoreError::field(
                    "regex",
                    format!("Invalid regular expression: {e}"),
                ));
            }
            match (d, op) {
                (Dialect::Sqlite, Op::Regex) => sql.push(&format!("{c} REGEXP ")),
                (Dialect::Sqlite, _) => {
                    sql.push(&format!("{c} REGEXP '(?i)' || "));
                }
                (Dialect::Postgres, Op::Regex) => sql.push(&format!("{c}::text ~ ")),
                (Dialect::Postgres, _) => sql.push(&format!("{c}::text ~* ")),
            }
            sql.bind(Value::Text(pattern));
        }
        Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
            let sym = match op {
                Op::Lt => "<",
                Op::Lte => "<=",
                Op::Gt => ">",
                _ => ">=",
            };
            sql.push(&format!("{c} {sym} "));
            sql.bind(value.clone());
        }
    }
    Ok(())
}
