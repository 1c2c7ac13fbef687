//! Query parameters to the store's filter tree, ordering and paging, per NetBox's
//! filter sets: every field's lookups, FK filters by id and by slug/name (with tree
//! descendants), `q`, `tag`, contacts, generic relations. Unknown parameters are ignored,
//! as NetBox 4.4 does.

use cairn_domain::Settings;
use cairn_schema::{ExtraFilter, FieldKind, IpRelation, Key, ObjectType};
use cairn_store::ddl::{m2m_link, TAGGED_ITEM};
use cairn_store::ipkey::IpNet;
use cairn_store::IpRel;
use cairn_store::{read, Conn, FieldErrors, Filter, Op, Result, Schema, Value};

use crate::render::Selection;

pub struct ListParams {
    pub filter: Filter,
    pub order: Vec<(String, bool)>,
    /// None: everything (`limit=0` where MAX_PAGE_SIZE is 0).
    pub limit: Option<i64>,
    pub offset: i64,
    pub brief: bool,
    pub sel: Selection,
    /// Parameters that named no filter (ignored, as NetBox 4.4 does).
    pub ignored: Vec<String>,
}

const RESERVED: &[&str] = &[
    "limit",
    "offset",
    "ordering",
    "brief",
    "fields",
    "omit",
    "exclude",
    "format",
    "export",
    "brief_mode",
];

const LOOKUPS: &[&str] = &[
    "n", "ic", "nic", "iew", "niew", "isw", "nisw", "ie", "nie", "empty", "regex", "iregex", "lt",
    "lte", "gt", "gte",
];

/// Groups repeated parameters, keeping first-seen order.
fn grouped(pairs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in pairs {
        match out.iter_mut().find(|(key, _)| key == k) {
            Some((_, vs)) => vs.push(v.clone()),
            None => out.push((k.clone(), vec![v.clone()])),
        }
    }
    out
}

fn comma_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The kind of values a filter compares.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Float,
    Bool,
    Time,
    Choice(&'static cairn_schema::ChoiceSet),
}

fn kind_of(k: &FieldKind) -> Option<Kind> {
    Some(match k {
        FieldKind::Int { .. } => Kind::Int,
        FieldKind::Decimal { .. } => Kind::Float,
        FieldKind::Bool => Kind::Bool,
        FieldKind::DateTime => Kind::Time,
        FieldKind::Choice(c) => Kind::Choice(c),
        k if k.is_text() => Kind::Text,
        _ => return None,
    })
}

fn convert(kind: Kind, name: &str, raw: &str, errors: &mut FieldErrors) -> Option<Value> {
    let mut fail = |msg: String| {
        errors.entry(name.to_string()).or_default().push(msg);
        None
    };
    match kind {
        Kind::Text => Some(Value::Text(raw.to_string())),
        Kind::Int => match raw.trim().parse::<i64>() {
            Ok(i) => Some(Value::Int(i)),
            Err(_) => fail("Enter a number.".into()),
        },
        Kind::Float => match raw.trim().parse::<f64>() {
            Ok(f) => Some(Value::Float(f)),
            Err(_) => fail("Enter a number.".into()),
        },
        Kind::Bool => match raw.to_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Some(Value::Bool(false)),
            _ => fail(format!(
                "Select a valid choice. {raw} is not one of the available choices."
            )),
        },
        Kind::Time => {
            let parsed = cairn_store::value::parse_time_loose(raw);
            match parsed {
                Some(t) => Some(Value::Time(t)),
                None => fail("Enter a valid date/time.".into()),
            }
        }
        Kind::Choice(set) => match set.get(raw) {
            Some(_) if set.numeric => raw.parse().ok().map(Value::Int),
            Some(_) => Some(Value::Text(raw.to_string())),
            None => fail(format!(
                "Select a valid choice. {raw} is not one of the available choices."
            )),
        },
    }
}

/// A lookup on one column over all given values.
fn lookup(
    column: &str,
    kind: Kind,
    lk: &str,
    name: &str,
    raws: &[String],
    errors: &mut FieldErrors,
) -> Option<Filter> {
    if lk == "empty" {
        let truthy = raws
            .iter()
            .any(|r| matches!(r.to_lowercase().as_str(), "true" | "1" | "yes"));
        let empty = if matches!(kind, Kind::Text) || matches!(kind, Kind::Choice(_)) {
            Filter::Empty(column.to_string())
        } else {
            Filter::IsNull(column.to_string())
        };
        return Some(if truthy {
            empty
        } else {
            Filter::Not(Box::new(empty))
        });
    }
    let text_lookup = |op: Op| -> Vec<Filter> {
        raws.iter()
            .map(|r| Filter::Cmp {
                column: column.to_string(),
                op,
                value: Value::Text(r.clone()),
            })
            .collect()
    };
    let (negate, op) = match lk {
        "" => (false, None),
        "n" => (true, None),
        "ic" => (false, Some(Op::IContains)),
        "nic" => (true, Some(Op::IContains)),
        "isw" => (false, Some(Op::IStartsWith)),
        "nisw" => (true, Some(Op::IStartsWith)),
        "iew" => (false, Some(Op::IEndsWith)),
        "niew" => (true, Some(Op::IEndsWith)),
        "ie" => (false, Some(Op::IExact)),
        "nie" => (true, Some(Op::IExact)),
        "regex" => (false, Some(Op::Regex)),
        "iregex" => (false, Some(Op::IRegex)),
        "lt" => (false, Some(Op::Lt)),
        "lte" => (false, Some(Op::Lte)),
        "gt" => (false, Some(Op::Gt)),
        "gte" => (false, Some(Op::Gte)),
        _ => return None,
    };
    let f = match op {
        None => {
            let mut values = Vec::new();
            let mut null = false;
            for r in raws {
                if r == "null" && !matches!(kind, Kind::Text) {
                    null = true;
                    continue;
                }
                values.push(convert(kind, name, r, errors)?);
            }
            let mut parts = vec![Filter::In {
                column: column.to_string(),
                values,
            }];
            if null {
                parts.push(Filter::IsNull(column.to_string()));
            }
            Filter::Any(parts)
        }
        Some(op @ (Op::Lt | Op::Lte | Op::Gt | Op::Gte)) => {
            let mut parts = Vec::new();
            for r in raws {
                let value = convert(kind, name, r, errors)?;
                parts.push(Filter::Cmp {
                    column: column.to_string(),
                    op,
                    value,
                });
            }
            Filter::and(parts)
        }
        Some(op) => Filter::Any(text_lookup(op)),
    };
    Some(if negate { Filter::Not(Box::new(f)) } else { f })
}

fn key_column(t: &ObjectType) -> String {
    match t.key {
        Key::Id => "id".into(),
        Key::Slug => {
            if t.has_slug() {
                "slug".into()
            } else {
                "name".into()
            }
        }
        Key::Name => "name".into(),
        Key::Field(f) => f.into(),
    }
}

/// Ids of `target` objects named by key (slug/name) values.
fn ids_by_key(
    conn: &mut Conn,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
) -> Result<Vec<i64>> {
    if by_id {
        return Ok(raws.iter().filter_map(|r| r.parse().ok()).collect());
    }
    read::ids(
        conn,
        target,
        &Filter::In {
            column: key_column(target),
            values: raws.iter().map(|r| Value::Text(r.clone())).collect(),
        },
    )
}

/// `column` refers to one of `target`'s objects selected by id or key; trees include
/// descendants.
fn related_filter(
    conn: &mut Conn,
    column: &str,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
    errors: &mut FieldErrors,
    name: &str,
) -> Result<Filter> {
    related_filter_with(conn, column, target, raws, by_id, errors, name, target.tree)
}

/// As `related_filter`; `descend` chooses whether tree nodes include their descendants.
#[allow(clippy::too_many_arguments)]
fn related_filter_with(
    conn: &mut Conn,
    column: &str,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
    errors: &mut FieldErrors,
    name: &str,
    descend: bool,
) -> Result<Filter> {
    let null = raws.iter().any(|r| r == "null");
    let raws: Vec<String> = raws.iter().filter(|r| *r != "null").cloned().collect();
    if by_id {
        for r in raws.iter().filter(|r| r.parse::<i64>().is_err()) {
            invalid_choice(errors, name, r);
        }
    }
    let ids = ids_by_key(conn, target, &raws, by_id)?;
    // Like NetBox, unknown keys are an error only when none of the given keys exists.
    if !by_id && ids.is_empty() {
        if let Some(first) = raws.first() {
            invalid_choice(errors, name, first);
        }
    }
    let f = if descend {
        Filter::InTree {
            column: column.into(),
            table: target.table.clone(),
            ids,
        }
    } else {
        Filter::In {
            column: column.into(),
            values: ids.into_iter().map(Value::Int).collect(),
        }
    };
    Ok(if null {
        Filter::Any(vec![f, Filter::IsNull(column.into())])
    } else {
        f
    })
}

/// The page size NetBox's paginator picks: PAGINATE_COUNT by default, the `limit` asked
/// for up to MAX_PAGE_SIZE, and `limit=0` meaning MAX_PAGE_SIZE (or everything when that
/// is 0). A limit that is not a number or negative is ignored.
pub fn page_limit(settings: &Settings, raw: Option<&str>) -> Option<i64> {
    let max = i64::from(settings.max_page_size);
    let default = i64::from(settings.paginate_count);
    let asked = raw
        .and_then(|r| r.trim().parse::<i64>().ok())
        .filter(|l| *l >= 0);
    let limit = match asked {
        None if max > 0 => default.min(max),
        None => default,
        Some(0) => max,
        Some(l) if max > 0 => l.min(max),
        Some(l) => l,
    };
    (limit > 0).then_some(limit)
}

pub fn parse(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    settings: &Settings,
    pairs: &[(String, String)],
) -> Result<std::result::Result<ListParams, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let mut parts: Vec<Filter> = Vec::new();
    let mut params = ListParams {
        filter: Filter::True,
        order: Vec::new(),
        limit: page_limit(settings, None),
        offset: 0,
        brief: false,
        sel: Selection::default(),
        ignored: Vec::new(),
    };
    for (key, raws) in grouped(pairs) {
        let last = raws.last().cloned().unwrap_or_default();
        match key.as_str() {
            "limit" => {
                params.limit = page_limit(settings, Some(&last));
                continue;
            }
            "offset" => {
                params.offset = last.parse::<i64>().ok().filter(|o| *o >= 0).unwrap_or(0);
                continue;
            }
            "brief" => {
                params.brief = !last.is_empty();
                continue;
            }
            "fields" => {
                params.sel.only = Some(comma_list(&raws).into_iter().collect());
                continue;
            }
            "omit" | "exclude" => {
                params.sel.omit.extend(comma_list(&raws));
                continue;
            }
            "ordering" => {
                for o in comma_list(&raws) {
                    let (name, desc) = match o.strip_prefix('-') {
                        Some(n) => (n.to_string(), true),
                        None => (o.clone(), false),
                    };
                    let col = match name.as_str() {
                        "id" => Some("id".to_string()),
                        "created" | "last_updated" if t.timestamps => Some(name.clone()),
                        _ => t.field(&name).filter(|f| f.stored).and_then(|f| f.column()),
                    };
                    if let Some(c) = col {
                        params.order.push((c, desc));
                    }
                }
                continue;
            }
            k if RESERVED.contains(&k) => continue,
            _ => {}
        }
        if key == "q" {
            let q = last.trim();
            if !q.is_empty() && !t.search.is_empty() {
                let mut any: Vec<Filter> = t
                    .search
                    .iter()
                    .filter_map(|n| t.field(n))
                    .filter_map(|f| {
                        // IP text is stored lower-case: a case-sensitive match on the
                        // lowered query finds the same rows, faster.
                        let (op, q) = match f.kind {
                            FieldKind::IpAddress | FieldKind::IpPrefix => {
                                (Op::Contains, q.to_lowercase())
                            }
                            _ => (Op::IContains, q.to_string()),
                        };
                        Some(Filter::Cmp {
                            column: f.column()?,
                            op,
                            value: Value::Text(q),
                        })
                    })
                    .collect();
                if let Ok(id) = q.parse::<i64>() {
                    any.push(Filter::eq("id", id));
                }
                // A searched prefix field also matches the prefixes holding the network
                // typed (NetBox's `net_contains_or_equals`).
                if let Some(net) = IpNet::parse(q) {
                    for f in t.search.iter().filter_map(|n| t.field(n)) {
                        if matches!(f.kind, FieldKind::IpPrefix) {
                            any.push(Filter::Ip {
                                field: f.name.to_string(),
                                rel: IpRel::ContainsOrEqual,
                                net,
                            });
                        }
                    }
                }
                parts.push(Filter::Any(any));
            }
            continue;
        }
        let (base, lk) = match key.rsplit_once("__") {
            Some((b, l)) if LOOKUPS.contains(&l) => (b.to_string(), l.to_string()),
            _ => (key.clone(), String::new()),
        };
        match field_filter(conn, s, t, &base, &lk, &key, &raws, &mut errors)? {
            Some(f) => parts.push(f),
            None => params.ignored.push(key),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    params.filter = Filter::and(parts);
    Ok(Ok(params))
}

#[allow(clippy::too_many_arguments)]
fn field_filter(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    base: &str,
    lk: &str,
    key: &str,
    raws: &[String],
    errors: &mut FieldErrors,
) -> Result<Option<Filter>> {
    let negate = |f: Filter| {
        if lk == "n" {
            Filter::Not(Box::new(f))
        } else {
            f
        }
    };
    match base {
        "id" => return Ok(lookup("id", Kind::Int, lk, key, raws, errors)),
        "created" | "last_updated" if t.timestamps => {
            return Ok(lookup(base, Kind::Time, lk, key, raws, errors))
        }
        "tag" | "tag_id" if t.features.tags => {
            let (Some(ct), Some(tag)) = (s.ct_of(t), s.reg.get("extras.tag")) else {
                return Ok(None);
            };
            // Every named tag must be present (NetBox's tag filter is conjoined).
            let each: Vec<Filter> = raws
                .iter()
                .map(|r| {
                    let which = if base == "tag" {
                        Filter::eq("slug", r.as_str())
                    } else {
                        Filter::eq("id", r.parse::<i64>().unwrap_or(0))
                    };
                    Filter::sub(
                        "id",
                        "object_id",
                        TAGGED_ITEM,
                        Filter::and(vec![
                            Filter::eq("object_type_id", ct),
                            Filter::sub("tag_id", "id", &tag.table, which),
                        ]),
                    )
                })
                .collect();
            return Ok(Some(if lk == "n" {
                Filter::Not(Box::new(Filter::Any(each)))
            } else {
                Filter::and(each)
            }));
        }
        "contact" | "contact_role" | "contact_group" if t.features.contacts => {
            let (Some(ct), Some(ca)) = (s.ct_of(t), s.reg.get("tenancy.contactassignment")) else {
                return Ok(None);
            };
            let inner = match base {
                "contact" => Filter::In {
                    column: "contact_id".into(),
                    values: raws
                        .iter()
                        .filter_map(|r| r.parse().ok())
                        .map(Value::Int)
                        .collect(),
                },
                "contact_role" => Filter::In {
                    column: "role_id".into(),
                    values: raws
                        .iter()
                        .filter_map(|r| r.parse().ok())
                        .map(Value::Int)
                        .collect(),
                },
                _ => {
                    let (Some(contact), Some(group)) = (
                        s.reg.get("tenancy.contact"),
                        s.reg.get("tenancy.contactgroup"),
                    ) else {
                        return Ok(None);
                    };
                    let Some(link) = contact
                        .field("groups")
                        .and_then(|f| m2m_link(&s.reg, contact, f))
                    else {
                        return Ok(None);
                    };
                    let ids: Vec<i64> = raws.iter().filter_map(|r| r.parse().ok()).collect();
                    Filter::sub(
                        "contact_id",
                        link.own,
                        &link.table,
                        Filter::InTree {
                            column: link.other.into(),
                            table: group.table.clone(),
                            ids,
                        },
                    )
                }
            };
            let f = Filter::sub(
                "id",
                "object_id",
                &ca.table,
                Filter::and(vec![Filter::eq("object_type_id", ct), inner]),
            );
            return Ok(Some(negate(f)));
        }
        // Objects a request created, updated, or either (through the change log).
        "created_by_request" | "updated_by_request" | "modified_by_request"
            if t.features.change_log =>
        {
            let (Some(ct), Some(oc)) = (s.ct_of(t), s.reg.get("core.objectchange")) else {
                return Ok(None);
            };
            let mut inner = vec![
                Filter::eq("changed_object_type_id", ct),
                Filter::In {
                    column: "request_id".into(),
                    values: raws.iter().map(|r| Value::Text(r.clone())).collect(),
                },
            ];
            match base {
                "created_by_request" => inner.push(Filter::eq("action", "create")),
                "updated_by_request" => inner.push(Filter::eq("action", "update")),
                _ => {}
            }
            let f = Filter::sub("id", "changed_object_id", &oc.table, Filter::and(inner));
            return Ok(Some(f));
        }
        // Change-log style time ranges for types with a `time` field.
        "time_after" | "time_before" if t.field("time").is_some() => {
            let lk = if base == "time_after" { "gte" } else { "lte" };
            return Ok(lookup("time", Kind::Time, lk, key, raws, errors));
        }
        "ancestor" | "ancestor_id" if t.tree => {
            // Below the given nodes, not the nodes themselves (NetBox filters on `parent`).
            let f = related_filter(
                conn,
                "parent_id",
                t,
                raws,
                base == "ancestor_id",
                errors,
                key,
            )?;
            return Ok(Some(negate(f)));
        }
        _ => {}
    }
    for pf in &t.path_filters {
        if pf.name != base {
            continue;
        }
        return Ok(Some(negate(path_filter(
            conn, s, t, pf.path, pf.key, raws, errors, key,
        )?)));
    }
    for ef in &t.extra_filters {
        if ef.name() == base {
            let f = extra_filter(conn, s, t, ef, key, lk, raws, errors)?;
            return Ok(Some(negate(f)));
        }
    }
    // A field by its own name.
    if let Some(f) = t.field(base).filter(|f| f.filter && f.stored) {
        match f.kind {
            FieldKind::ForeignKey { target, .. } => {
                if let Some(tt) = s.reg.get(target) {
                    let by_id = tt.key == Key::Id;
                    return Ok(Some(negate(fk_filter(
                        conn, t, f, tt, raws, by_id, errors, key,
                    )?)));
                }
                return Ok(None);
            }
            FieldKind::IpAddress | FieldKind::IpPrefix if lk.is_empty() || lk == "n" => {
                let any = raws
                    .iter()
                    .map(|r| match IpNet::parse(r) {
                        // An address without a mask matches it under any mask.
                        Some(net) if matches!(f.kind, FieldKind::IpAddress) && !r.contains('/') => {
                            Filter::Ip {
                                field: f.name.to_string(),
                                rel: IpRel::HostWithin,
                                net,
                            }
                        }
                        Some(net) => Filter::eq(f.name, net.canonical()),
                        None => Filter::False,
                    })
                    .collect();
                return Ok(Some(negate(Filter::Any(any))));
            }
            FieldKind::IntList { .. } | FieldKind::StrList => {
                return Ok(Some(negate(list_has(f, raws))));
            }
            FieldKind::GenericFk { .. } | FieldKind::ManyToMany { .. } => {}
            _ => {
                if let (Some(kind), Some(col)) = (kind_of(&f.kind), f.column()) {
                    return Ok(lookup(&col, kind, lk, key, raws, errors));
                }
            }
        }
    }
    // A list field by its singular name (`port` for `ports`).
    if let Some(f) = t
        .field(&format!("{base}s"))
        .filter(|f| matches!(f.kind, FieldKind::IntList { .. } | FieldKind::StrList))
    {
        return Ok(Some(negate(list_has(f, raws))));
    }
    // `<fk>_id`
    if let Some(name) = base.strip_suffix("_id") {
        if let Some(f) = t.field(name).filter(|f| f.stored) {
            if let FieldKind::ForeignKey { target, .. } = f.kind {
                if let Some(tt) = s.reg.get(target) {
                    return Ok(Some(negate(fk_filter(
                        conn, t, f, tt, raws, true, errors, key,
                    )?)));
                }
            }
        }
    }
    // Generic relations: `<ct>` ("app.model"), `<ct>_id`, `<fk>`.
    for f in &t.fields {
        if let FieldKind::GenericFk { ct, fk } = f.kind {
            let col = format!("{ct}_id");
            if base == ct {
                let ids: Vec<Value> = raws
                    .iter()
                    .filter_map(|r| s.ct_of_label(r).or_else(|| r.parse().ok()))
                    .map(Value::Int)
                    .collect();
                return Ok(Some(negate(Filter::In {
                    column: col,
                    values: ids,
                })));
            }
            if base == col {
                return Ok(lookup(&col, Kind::Int, lk, key, raws, errors));
            }
            if base == fk {
                return Ok(lookup(fk, Kind::Int, lk, key, raws, errors));
            }
        }
    }
    // Many-to-many: `group_id` / `group` for a `groups` field.
    for f in &t.fields {
        if let FieldKind::ManyToMany { target } = f.kind {
            let singular = f.name.strip_suffix('s').unwrap_or(f.name);
            let by_id = base == format!("{singular}_id") || base == format!("{}_id", f.name);
            if !(by_id || base == singular || base == f.name) {
                continue;
            }
            let Some(tt) = s.reg.get(target) else {
                return Ok(None);
            };
            let Some(link) = m2m_link(&s.reg, t, f) else {
                return Ok(None);
            };
            let inner = related_filter(
                conn,
                link.other,
                tt,
                raws,
                by_id || tt.key == Key::Id,
                errors,
                key,
            )?;
            let sub = Filter::sub("id", link.own, &link.table, inner);
            return Ok(Some(negate(sub)));
        }
    }
    Ok(None)
}

/// A `Select a valid choice` error for one value of parameter `name`.
fn invalid_choice(errors: &mut FieldErrors, name: &str, raw: &str) {
    errors.entry(name.into()).or_default().push(format!(
        "Select a valid choice. {raw} is not one of the available choices."
    ));
}

/// Rows whose list field holds any of the values given; a non-number never matches an
/// integer list.
fn list_has(f: &cairn_schema::Field, raws: &[String]) -> Filter {
    let values = raws.iter().filter_map(|r| match f.kind {
        FieldKind::IntList { .. } => r.parse::<i64>().ok().map(Value::Int),
        _ => Some(Value::Text(r.clone())),
    });
    Filter::Any(
        values
            .map(|value| Filter::JsonHas {
                column: f.name.to_string(),
                value,
            })
            .collect(),
    )
}

/// A boolean filter: the condition for `true`, its negation for anything else.
fn truthy_or_not(raws: &[String], f: Filter) -> Filter {
    let truthy = raws
        .iter()
        .any(|r| matches!(r.to_lowercase().as_str(), "true" | "1" | "yes"));
    if truthy {
        f
    } else {
        Filter::Not(Box::new(f))
    }
}

#[allow(clippy::too_many_arguments)]
fn extra_filter(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    ef: &ExtraFilter,
    key: &str,
    lk: &str,
    raws: &[String],
    errors: &mut FieldErrors,
) -> Result<Filter> {
    Ok(match ef {
        ExtraFilter::ListHas { field, value, .. } => {
            let has = Filter::JsonHas {
                column: field.to_string(),
                value: Value::Text(value.to_string()),
            };
            truthy_or_not(raws, has)
        }
        ExtraFilter::AnySet { fields, .. } => {
            // A boolean counts as set when true.
            let set = fields
                .iter()
                .filter_map(|f| t.field(f))
                .filter_map(|f| {
                    if let FieldKind::GenericFk { fk, .. } = f.kind {
                        return Some(Filter::Not(Box::new(Filter::IsNull(fk.to_string()))));
                    }
                    let col = f.column()?;
                    Some(match f.kind {
                        FieldKind::Bool => Filter::eq(col, true),
                        _ => Filter::Not(Box::new(Filter::IsNull(col))),
                    })
                })
                .collect();
            truthy_or_not(raws, Filter::Any(set))
        }
        ExtraFilter::HasRelated { models, field, .. } => {
            let has = models
                .iter()
                .filter_map(|m| s.reg.get(m))
                .filter_map(|m| {
                    let col = m.field(field).and_then(|f| f.column())?;
                    Some(Filter::sub("id", &col, &m.table, Filter::True))
                })
                .collect();
            truthy_or_not(raws, Filter::Any(has))
        }
        ExtraFilter::GenericTo {
            field,
            model,
            path,
            key: k,
            ..
        } => {
            let (Some(gf), Some(target), Some(ct)) =
                (t.field(field), s.reg.get(model), s.ct_of_label(model))
            else {
                return Ok(Filter::False);
            };
            let FieldKind::GenericFk { ct: ct_col, fk } = gf.kind else {
                return Ok(Filter::False);
            };
            let inner = if path.is_empty() {
                related_filter_with(conn, "id", target, raws, *k == Key::Id, errors, key, false)?
            } else {
                path_filter(conn, s, target, path, *k, raws, errors, key)?
            };
            Filter::and(vec![
                Filter::eq(format!("{ct_col}_id"), ct),
                Filter::sub(fk, "id", &target.table, inner),
            ])
        }
        ExtraFilter::PresentInVrf { by_id, .. } => {
            let Some(vrfs) = s.reg.get("ipam.vrf") else {
                return Ok(Filter::False);
            };
            let (Some(imports), Some(exports)) = (
                vrfs.field("import_targets")
                    .and_then(|f| m2m_link(&s.reg, vrfs, f)),
                vrfs.field("export_targets")
                    .and_then(|f| m2m_link(&s.reg, vrfs, f)),
            ) else {
                return Ok(Filter::False);
            };
            let named = related_filter_with(conn, "id", vrfs, raws, *by_id, errors, key, false)?;
            let chosen = Filter::sub("id", "id", &vrfs.table, named);
            // Targets the chosen VRFs import, and the VRFs that export any of them.
            let imported = Filter::sub(exports.other, imports.other, &imports.table, {
                Filter::sub(imports.own, "id", &vrfs.table, chosen.clone())
            });
            let exporting = Filter::sub("vrf_id", exports.own, &exports.table, imported);
            Filter::Any(vec![
                Filter::sub("vrf_id", "id", &vrfs.table, chosen),
                exporting,
            ])
        }
        ExtraFilter::GenericTypeIn { field, models, .. } => {
            let Some(FieldKind::GenericFk { ct: ct_col, .. }) = t.field(field).map(|f| f.kind)
            else {
                return Ok(Filter::False);
            };
            let cts = models
                .iter()
                .filter_map(|m| s.ct_of_label(m))
                .map(Value::Int)
                .collect();
            let col = format!("{ct_col}_id");
            let is_in = Filter::In {
                column: col.clone(),
                values: cts,
            };
            // Unassigned rows (NULL type) count as "not one of them".
            match truthy_or_not(raws, is_in) {
                Filter::Not(inner) => Filter::Any(vec![Filter::IsNull(col), Filter::Not(inner)]),
                f => f,
            }
        }
        ExtraFilter::Ip { field, rel, .. } => {
            if *rel == IpRelation::MaskLength {
                return Ok(
                    lookup(&format!("{field}_len"), Kind::Int, lk, key, raws, errors)
                        .unwrap_or(Filter::False),
                );
            }
            let rel = match rel {
                IpRelation::WithinOrEqual => IpRel::WithinOrEqual,
                IpRelation::Within => IpRel::Within,
                IpRelation::ContainsOrEqual => IpRel::ContainsOrEqual,
                _ => IpRel::HostWithin,
            };
            // Unparsable networks match nothing, as in NetBox.
            Filter::Any(
                raws.iter()
                    .map(|r| match IpNet::parse(r) {
                        Some(net) => Filter::Ip {
                            field: field.to_string(),
                            rel,
                            net,
                        },
                        None => Filter::False,
                    })
                    .collect(),
            )
        }
        ExtraFilter::VirtualChassisInterfaces {
            by_id, if_master, ..
        } => {
            let (Some(devices), Some(chassis)) =
                (s.reg.get("dcim.device"), s.reg.get("dcim.virtualchassis"))
            else {
                return Ok(Filter::False);
            };
            let named = if *by_id {
                Filter::In {
                    column: "id".into(),
                    values: raws
                        .iter()
                        .filter_map(|r| r.parse().ok())
                        .map(Value::Int)
                        .collect(),
                }
            } else {
                Filter::In {
                    column: "name".into(),
                    values: raws.iter().map(|r| Value::Text(r.clone())).collect(),
                }
            };
            let mut source = vec![named.clone()];
            if *if_master {
                source.push(Filter::sub("id", "master_id", &chassis.table, Filter::True));
            }
            let chassis_of = Filter::sub(
                "virtual_chassis_id",
                "virtual_chassis_id",
                &devices.table,
                Filter::and(source),
            );
            Filter::Any(vec![
                Filter::sub("device_id", "id", &devices.table, named),
                Filter::and(vec![
                    Filter::eq("mgmt_only", false),
                    Filter::sub("device_id", "id", &devices.table, chassis_of),
                ]),
            ])
        }
        ExtraFilter::EmptyOrHas { field, .. } => {
            let Some(link) = t.field(field).and_then(|f| m2m_link(&s.reg, t, f)) else {
                return Ok(Filter::False);
            };
            let ids = raws
                .iter()
                .filter_map(|r| r.parse::<i64>().ok())
                .map(Value::Int)
                .collect();
            let any_row = Filter::sub("id", link.own, &link.table, Filter::True);
            let with_id = Filter::sub(
                "id",
                link.own,
                &link.table,
                Filter::In {
                    column: link.other.into(),
                    values: ids,
                },
            );
            Filter::Any(vec![Filter::Not(Box::new(any_row)), with_id])
        }
        ExtraFilter::Reverse {
            model,
            field,
            param,
            ..
        } => {
            let Some(m) = s.reg.get(model) else {
                return Ok(Filter::False);
            };
            let Some(col) = m.field(field).and_then(|f| f.column()) else {
                return Ok(Filter::False);
            };
            let inner =
                field_filter(conn, s, m, param, "", key, raws, errors)?.unwrap_or(Filter::False);
            Filter::sub("id", &col, &m.table, inner)
        }
    })
}

/// An FK field's own filter (`site`, `site_id`). Trees include descendants, except a
/// tree's own `parent`, which means direct children only.
#[allow(clippy::too_many_arguments)]
fn fk_filter(
    conn: &mut Conn,
    t: &ObjectType,
    f: &cairn_schema::Field,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
    errors: &mut FieldErrors,
    name: &str,
) -> Result<Filter> {
    let descend = target.tree && !(t.tree && f.name == "parent");
    let col = format!("{}_id", f.name);
    related_filter_with(conn, &col, target, raws, by_id, errors, name, descend)
}

/// Follows FK fields: `tenant_group_id` → tenant.group.
#[allow(clippy::too_many_arguments)]
fn path_filter(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    path: &[&str],
    key: Key,
    raws: &[String],
    errors: &mut FieldErrors,
    name: &str,
) -> Result<Filter> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(Filter::True);
    };
    let Some(f) = t.field(first) else {
        return Ok(Filter::False);
    };
    let Some(tt) = f.fk_target().and_then(|l| s.reg.get(l)) else {
        return Ok(Filter::False);
    };
    if let Some(link) = m2m_link(&s.reg, t, f) {
        let inner = if rest.is_empty() {
            related_filter(conn, link.other, tt, raws, key == Key::Id, errors, name)?
        } else {
            let deeper = path_filter(conn, s, tt, rest, key, raws, errors, name)?;
            Filter::sub(link.other, "id", &tt.table, deeper)
        };
        return Ok(Filter::sub("id", link.own, &link.table, inner));
    }
    let col = format!("{first}_id");
    if rest.is_empty() {
        return related_filter(conn, &col, tt, raws, key == Key::Id, errors, name);
    }
    let inner = path_filter(conn, s, tt, rest, key, raws, errors, name)?;
    Ok(Filter::sub(&col, "id", &tt.table, inner))
}
