//! Django-style lookup dictionaries over field paths, as NetBox stores permission
//! constraints: `{"site__region__slug": "eu", "status__in": ["active"], "tenant__isnull":
//! true}`. A list of dictionaries matches when any of them does.
//!
//! A path walks the registry: foreign keys and many-to-many fields lead to their target,
//! generic relations' halves are plain ids, `tags` leads to the tags, and a related model
//! is reached by its reverse name (its REST endpoint with underscores, `interfaces`,
//! `ip_addresses`, or its model name, `interface`). The last part may be a lookup.

use serde_json::Value as Json;

use cairn_schema::{FieldKind, ObjectType};

use super::kinds::{check_regex, convert, kind_of, no_nul, Kind};
use super::QueryError;
use crate::filter::{Filter, Hop, Op};
use crate::ipkey::IpNet;
use crate::schema::Schema;
use crate::value::Value;

const LOOKUPS: &[&str] = &[
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "range",
    "isnull",
];

/// Builds the filter a lookup dictionary (or a list of them, ORed) stands for.
pub fn from_lookups(s: &Schema, t: &ObjectType, spec: &Json) -> Result<Filter, QueryError> {
    match spec {
        Json::Array(alternatives) => {
            let mut any = Vec::new();
            for a in alternatives {
                any.push(from_lookups(s, t, a)?);
            }
            Ok(Filter::Any(any))
        }
        Json::Object(m) => {
            let mut all = Vec::new();
            for (path, value) in m {
                no_nul(path, path)?;
                all.push(one(s, t, path, value)?);
            }
            Ok(Filter::and(all))
        }
        _ => Err(QueryError::InvalidValue {
            path: String::new(),
            reason: "expected a dictionary of lookups, or a list of them".into(),
        }),
    }
}

/// Where a path ends: a field compared by value, with the hops that lead there.
struct Terminal {
    hops: Vec<Hop>,
    field: String,
    kind: Kind,
    /// An IP field: exact values are canonicalized.
    ip: bool,
}

fn one(s: &Schema, t: &ObjectType, path: &str, value: &Json) -> Result<Filter, QueryError> {
    let mut parts: Vec<&str> = path.split("__").collect();
    let lookup = match parts.last() {
        Some(l) if parts.len() > 1 && LOOKUPS.contains(l) => {
            let l = *l;
            parts.pop();
            l
        }
        _ => "exact",
    };
    let unknown = || QueryError::UnknownField { path: path.into() };
    let term = resolve(s, t, &parts).ok_or_else(unknown)?;
    let leaf = compare(&term, lookup, path, value)?;
    // Wrap the comparison in the hops, innermost last.
    Ok(term
        .hops
        .into_iter()
        .rev()
        .fold(leaf, |inner, hop| Filter::Via {
            hop,
            inner: Box::new(inner),
        }))
}

/// The reverse relation `name` of `t`: a model with a field pointing at `t`.
fn reverse(s: &Schema, t: &ObjectType, name: &str) -> Option<(String, String)> {
    let label = t.label();
    s.reg.types().iter().find_map(|r| {
        if r.endpoint.replace('-', "_") != name && r.model != name {
            return None;
        }
        let field = r.fields.iter().find(|f| match f.kind {
            FieldKind::ForeignKey { target, .. } | FieldKind::ManyToMany { target } => {
                target == label && f.stored
            }
            FieldKind::GenericFk { .. } => f.targets.allows(t) && f.stored,
            _ => false,
        })?;
        Some((r.label(), field.name.to_string()))
    })
}

fn resolve(s: &Schema, t: &ObjectType, parts: &[&str]) -> Option<Terminal> {
    let mut hops = Vec::new();
    let mut cur: &ObjectType = t;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let own = |kind| {
            Some(Terminal {
                hops: hops.clone(),
                field: part.to_string(),
                kind,
                ip: false,
            })
        };
        match *part {
            "id" if last => return own(Kind::Int),
            "created" | "last_updated" if last && cur.timestamps => return own(Kind::Time),
            "tags" if cur.features.tags => {
                hops.push(Hop::Tags);
                cur = s.reg.get("extras.tag")?;
                if last {
                    return id_of(hops);
                }
                continue;
            }
            _ => {}
        }
        if let Some(f) = cur.field(part).filter(|f| f.stored) {
            match f.kind {
                FieldKind::ForeignKey { target, .. } | FieldKind::ManyToMany { target } => {
                    let m2m = matches!(f.kind, FieldKind::ManyToMany { .. });
                    if last && !m2m {
                        return own(Kind::Int);
                    }
                    hops.push(Hop::Field(part.to_string()));
                    cur = s.reg.get(target)?;
                    if last {
                        return id_of(hops);
                    }
                    continue;
                }
                FieldKind::GenericFk { .. } => return None,
                FieldKind::IpAddress | FieldKind::IpPrefix if last => {
                    return Some(Terminal {
                        hops,
                        field: part.to_string(),
                        kind: Kind::Text,
                        ip: true,
                    })
                }
                ref k if last => return own(kind_of(k)?),
                _ => return None,
            }
        }
        // A foreign key's attribute name, or a generic relation's halves.
        if last {
            if let Some(fk) = part.strip_suffix("_id") {
                if cur
                    .field(fk)
                    .is_some_and(|f| f.stored && matches!(f.kind, FieldKind::ForeignKey { .. }))
                {
                    return own(Kind::Int);
                }
            }
            let generic_half = cur.fields.iter().any(|f| match f.kind {
                FieldKind::GenericFk { ct, fk } => {
                    f.stored && (*part == ct || *part == fk || *part == format!("{ct}_id"))
                }
                _ => false,
            });
            if generic_half {
                return own(Kind::Int);
            }
        }
        let (model, field) = reverse(s, cur, part)?;
        hops.push(Hop::Reverse {
            model: model.clone(),
            field,
        });
        cur = s.reg.get(&model)?;
        if last {
            return id_of(hops);
        }
    }
    None
}

/// A relation named last compares the related objects' ids.
fn id_of(hops: Vec<Hop>) -> Option<Terminal> {
    Some(Terminal {
        hops,
        field: "id".into(),
        kind: Kind::Int,
        ip: false,
    })
}

/// A JSON scalar as the text a filter parameter would carry.
fn raw(path: &str, v: &Json) -> Result<String, QueryError> {
    match v {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        Json::Bool(b) => Ok(b.to_string()),
        _ => Err(QueryError::InvalidValue {
            path: path.into(),
            reason: "expected a single value".into(),
        }),
    }
}

fn value(term: &Terminal, path: &str, v: &Json) -> Result<Value, QueryError> {
    let text = raw(path, v)?;
    if term.ip {
        no_nul(path, &text)?;
        return IpNet::parse(&text)
            .map(|n| Value::Text(n.canonical()))
            .ok_or_else(|| QueryError::InvalidValue {
                path: path.into(),
                reason: format!("{text} is not an IP address or network"),
            });
    }
    convert(term.kind, path, &text)
}

fn compare(term: &Terminal, lookup: &str, path: &str, v: &Json) -> Result<Filter, QueryError> {
    let field = term.field.clone();
    let unsupported = || QueryError::UnsupportedLookup {
        path: path.into(),
        lookup: lookup.into(),
    };
    let textual = matches!(term.kind, Kind::Text | Kind::Choice(_) | Kind::Date);
    let ordered = !matches!(term.kind, Kind::Bool | Kind::Choice(_));
    Ok(match lookup {
        "exact" if v.is_null() => Filter::IsNull(field),
        "exact" => Filter::In {
            field,
            values: vec![value(term, path, v)?],
        },
        "in" => {
            let Json::Array(items) = v else {
                return Err(QueryError::InvalidValue {
                    path: path.into(),
                    reason: "expected a list".into(),
                });
            };
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(value(term, path, item)?);
            }
            Filter::In { field, values }
        }
        "isnull" => {
            let Json::Bool(null) = v else {
                return Err(QueryError::NotABoolean { param: path.into() });
            };
            let is_null = Filter::IsNull(field);
            if *null {
                is_null
            } else {
                !(is_null)
            }
        }
        "gt" | "gte" | "lt" | "lte" if ordered && !term.ip => {
            let op = match lookup {
                "gt" => Op::Gt,
                "gte" => Op::Gte,
                "lt" => Op::Lt,
                _ => Op::Lte,
            };
            Filter::cmp(field, op, value(term, path, v)?)
        }
        "range" if ordered && !term.ip => {
            let bounds = match v {
                Json::Array(b) if b.len() == 2 => b,
                _ => {
                    return Err(QueryError::InvalidValue {
                        path: path.into(),
                        reason: "expected a list of two bounds".into(),
                    })
                }
            };
            Filter::between(
                &field,
                value(term, path, &bounds[0])?,
                value(term, path, &bounds[1])?,
            )
        }
        "iexact" | "contains" | "icontains" | "startswith" | "istartswith" | "endswith"
        | "iendswith" | "regex" | "iregex"
            if textual || term.ip =>
        {
            let text = raw(path, v)?;
            no_nul(path, &text)?;
            let op = match lookup {
                "iexact" => Op::IExact,
                "contains" => Op::Contains,
                "icontains" => Op::IContains,
                "startswith" => Op::StartsWith,
                "istartswith" => Op::IStartsWith,
                "endswith" => Op::EndsWith,
                "iendswith" => Op::IEndsWith,
                "regex" => Op::Regex,
                _ => Op::IRegex,
            };
            if matches!(op, Op::Regex | Op::IRegex) {
                check_regex(path, &text)?;
            }
            Filter::cmp(field, op, Value::Text(text))
        }
        _ => return Err(unsupported()),
    })
}
