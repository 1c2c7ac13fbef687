//! NetBox's filter-set parameters to a filter and an ordering: every field's lookups, FK
//! filters by id and by slug or name (with tree descendants), `q`, `tag`, contacts,
//! generic relations and the declared extra filters. Parameters that name no filter are
//! reported back, not refused (NetBox 4.4 ignores them).

use cairn_schema::{
    CustomField, CustomKind, ExtraFilter, Field, FieldKind, FieldPath, FilterLogic, IpRelation,
    Key, ObjectType,
};
use serde_json::Value as Json;

use super::kinds::{field_lookup, kind_of, no_nul, suffix_lookup, truthy, Kind, Lookup, SUFFIXES};
use super::QueryError;
use crate::conn::Conn;
use crate::custom::CustomTest;
use crate::error::Result;
use crate::filter::{Filter, Hop, IpRel, Op};
use crate::ipkey::IpNet;
use crate::read;
use crate::schema::Schema;
use crate::value::Value;

/// What a list request's parameters ask for.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub filter: Filter,
    /// (column, descending), as `read::Query` takes it.
    pub order: Vec<(String, bool)>,
    /// Parameters that named no filter.
    pub ignored: Vec<String>,
}

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

/// Values given as repeated parameters, comma-separated, or both.
pub fn comma_list<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.as_ref().split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Collects errors while a filter is built; `Err` from the closures below is the store's.
struct Ctx<'a> {
    /// None when only the shape of the parameters matters: ids and keys go unchecked.
    conn: Option<&'a mut Conn>,
    s: &'a Schema,
    errors: Vec<QueryError>,
}

impl Ctx<'_> {
    fn fail(&mut self, e: QueryError) -> Filter {
        self.errors.push(e);
        Filter::False
    }

    fn try_filter(&mut self, r: std::result::Result<Filter, QueryError>) -> Filter {
        r.unwrap_or_else(|e| self.fail(e))
    }
}

/// Turns list parameters (without the paging and presentation ones, which the caller
/// keeps) into a filter over `t` and an ordering.
pub fn from_params(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    pairs: &[(String, String)],
) -> Result<std::result::Result<Parsed, Vec<QueryError>>> {
    parse(Some(conn), s, t, pairs)
}

/// Whether Cairn reads the list parameter `name` on `t` (what the OpenAPI document
/// lists). No database is consulted, so nothing is looked up.
pub fn reads(s: &Schema, t: &ObjectType, name: &str) -> bool {
    let pairs = [(name.to_string(), "1".to_string())];
    match parse(None, s, t, &pairs) {
        Ok(Ok(p)) => !p.ignored.iter().any(|k| k == name),
        _ => true,
    }
}

fn parse(
    conn: Option<&mut Conn>,
    s: &Schema,
    t: &ObjectType,
    pairs: &[(String, String)],
) -> Result<std::result::Result<Parsed, Vec<QueryError>>> {
    let mut cx = Ctx {
        conn,
        s,
        errors: Vec::new(),
    };
    let mut parts: Vec<Filter> = Vec::new();
    let mut order = Vec::new();
    let mut ignored = Vec::new();
    for (key, raws) in grouped(pairs) {
        match key.as_str() {
            k if k != "ordering" && !s.reg.takes_filter(t, k) => {
                // NetBox has no such filter, so it names none here either.
                ignored.push(key);
                continue;
            }
            "ordering" => {
                order = ordering(s, t, &raws);
                continue;
            }
            "q" => {
                let q = raws.last().map(|v| v.trim()).unwrap_or_default();
                if let Err(e) = no_nul(&key, q) {
                    cx.errors.push(e);
                } else if !q.is_empty() && !t.search.is_empty() {
                    parts.push(search(t, q));
                }
                continue;
            }
            _ => {}
        }
        let (base, lk) = match key.rsplit_once("__") {
            Some((b, l)) if SUFFIXES.contains(&l) => (b.to_string(), l.to_string()),
            _ => (key.clone(), String::new()),
        };
        match field_filter(&mut cx, t, &base, &lk, &key, &raws)? {
            Some(f) => parts.push(f),
            None => ignored.push(key),
        }
    }
    if !cx.errors.is_empty() {
        return Ok(Err(cx.errors));
    }
    Ok(Ok(Parsed {
        filter: Filter::and(parts),
        order,
        ignored,
    }))
}

/// `ordering=name,-site`: stored fields, `id` and the timestamps; unknown names are
/// passed over.
fn ordering(s: &Schema, t: &ObjectType, raws: &[String]) -> Vec<(String, bool)> {
    let mut order = Vec::new();
    for o in comma_list(raws) {
        let (name, desc) = match o.strip_prefix('-') {
            Some(n) => (n.to_string(), true),
            None => (o.clone(), false),
        };
        let col = match name.as_str() {
            "id" => Some("id".to_string()),
            "created" | "last_updated" if t.timestamps => Some(name.clone()),
            _ => t
                .field(&name)
                .filter(|f| f.stored)
                .and_then(|f| crate::read::order_key(s, f).or_else(|| f.column())),
        };
        if let Some(c) = col {
            order.push((c, desc));
        }
    }
    order
}

/// `q=`: any searched field contains the text (IP text is stored lower-case, so a
/// case-sensitive match on the lowered text finds the same rows, faster), the id is the
/// number, or a searched prefix holds the network typed.
fn search(t: &ObjectType, q: &str) -> Filter {
    let mut any: Vec<Filter> = t
        .search
        .iter()
        .filter_map(|n| t.field(n))
        .map(|f| match f.kind {
            FieldKind::IpAddress | FieldKind::IpPrefix => {
                Filter::cmp(f.name, Op::Contains, q.to_lowercase())
            }
            _ => Filter::cmp(f.name, Op::IContains, q),
        })
        .collect();
    if let Ok(id) = q.parse::<i64>() {
        any.push(Filter::eq("id", id));
    }
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
    Filter::Any(any)
}

/// The field that names a target's objects in `<fk>=` filters.
fn key_field(t: &ObjectType) -> &'static str {
    match t.key {
        Key::Id => "id",
        Key::Slug if t.has_slug() => "slug",
        Key::Slug | Key::Name => "name",
        Key::Field(f) => f,
    }
}

/// A `Select a valid choice` error for one value of `param`.
fn invalid_choice(param: &str, raw: &str) -> QueryError {
    QueryError::InvalidChoice {
        param: param.into(),
        value: raw.into(),
    }
}

/// `field` (a foreign key of the filtered type, or `id`) refers to one of `target`'s
/// objects named by id or key; tree targets include descendants when `descend`.
fn related(
    cx: &mut Ctx<'_>,
    field: &str,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
    param: &str,
    descend: bool,
) -> Result<Filter> {
    let null = raws.iter().any(|r| r == "null");
    let raws: Vec<&String> = raws.iter().filter(|r| *r != "null").collect();
    for r in &raws {
        if let Err(e) = no_nul(param, r) {
            return Ok(cx.fail(e));
        }
    }
    // As Django's ModelMultipleChoiceField: every value must name an object, or the first
    // that does not is refused.
    let ids: Vec<i64> = if by_id {
        let mut wanted = Vec::new();
        for r in &raws {
            match r.trim().parse::<i64>() {
                Ok(i) => wanted.push(i),
                Err(_) => {
                    cx.errors.push(invalid_choice(param, r));
                    return Ok(Filter::False);
                }
            }
        }
        let Some(conn) = cx.conn.as_deref_mut() else {
            return Ok(Filter::False);
        };
        let found = read::ids(
            conn,
            cx.s,
            target,
            &Filter::ids("id", wanted.iter().copied()),
        )?;
        if let Some(missing) = wanted.iter().find(|i| !found.contains(i)) {
            cx.errors.push(invalid_choice(param, &missing.to_string()));
        }
        found
    } else {
        let key = key_field(target);
        let values = raws.iter().map(|r| Value::Text((*r).clone())).collect();
        let mut q = read::Query::all();
        q.filter = Filter::In {
            field: key.into(),
            values,
        };
        let Some(conn) = cx.conn.as_deref_mut() else {
            return Ok(Filter::False);
        };
        let rows = read::select_columns(conn, cx.s, target, &q)?;
        let ki = target.field_index(key);
        let known: Vec<String> = rows
            .iter()
            .map(|r| match ki {
                Some(i) => crate::display::plain_text(&r.values[i]),
                None => r.id.to_string(),
            })
            .collect();
        if let Some(missing) = raws.iter().find(|r| !known.iter().any(|k| k == **r)) {
            cx.errors.push(invalid_choice(param, missing));
        }
        rows.iter().map(|r| r.id).collect()
    };
    let f = if descend {
        Filter::InTree {
            field: field.into(),
            ids,
        }
    } else {
        Filter::ids(field, ids)
    };
    Ok(if null {
        Filter::Any(vec![f, Filter::IsNull(field.into())])
    } else {
        f
    })
}

/// An FK field's own filter (`site`, `site_id`). Trees include descendants, except a
/// tree's own `parent`, which means direct children only.
fn fk_filter(
    cx: &mut Ctx<'_>,
    t: &ObjectType,
    f: &Field,
    target: &ObjectType,
    raws: &[String],
    by_id: bool,
    param: &str,
) -> Result<Filter> {
    let descend = target.tree && !(t.tree && f.name == "parent");
    related(cx, f.name, target, raws, by_id, param, descend)
}

/// Follows FK and many-to-many fields: `tenant_group_id` → tenant, then group.
fn path_filter(
    cx: &mut Ctx<'_>,
    t: &ObjectType,
    path: &[&str],
    key: Key,
    raws: &[String],
    param: &str,
) -> Result<Filter> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(Filter::True);
    };
    let s = cx.s;
    let Some(f) = t.field(first) else {
        return Ok(Filter::False);
    };
    let Some(tt) = f.fk_target().and_then(|l| s.reg.get(l)) else {
        return Ok(Filter::False);
    };
    let m2m = matches!(f.kind, FieldKind::ManyToMany { .. });
    if !rest.is_empty() {
        let deeper = path_filter(cx, tt, rest, key, raws, param)?;
        return Ok(Filter::via(first, deeper));
    }
    let by_id = key == Key::Id;
    if m2m {
        let inner = related(cx, "id", tt, raws, by_id, param, tt.tree)?;
        return Ok(Filter::via(first, inner));
    }
    related(cx, first, tt, raws, by_id, param, tt.tree)
}

/// A boolean filter: the condition for `true`, its negation for anything else.
fn truthy_or_not(raws: &[String], f: Filter) -> Filter {
    if raws.iter().any(|r| truthy(r) == Some(true)) {
        f
    } else {
        !(f)
    }
}

/// Rows whose list field holds any of the values given; a non-number never matches an
/// integer list.
fn list_has(f: &Field, raws: &[String]) -> Filter {
    let values = raws.iter().filter_map(|r| match f.kind {
        FieldKind::IntList { .. } => r.trim().parse::<i64>().ok().map(Value::Int),
        _ => Some(Value::Text(r.clone())),
    });
    Filter::Any(
        values
            .map(|value| Filter::ListHas {
                field: f.name.to_string(),
                value,
            })
            .collect(),
    )
}

fn numbers(raws: &[String]) -> Vec<i64> {
    raws.iter().filter_map(|r| r.trim().parse().ok()).collect()
}

fn field_filter(
    cx: &mut Ctx<'_>,
    t: &ObjectType,
    base: &str,
    lk: &str,
    key: &str,
    raws: &[String],
) -> Result<Option<Filter>> {
    for r in raws {
        if let Err(e) = no_nul(key, r) {
            return Ok(Some(cx.fail(e)));
        }
    }
    let negate = |f: Filter| if lk == "n" { !(f) } else { f };
    // A lookup the field's kind takes, on one field.
    let by_kind = |cx: &mut Ctx<'_>, field: &str, kind: Kind| -> Option<Filter> {
        let (neg, lookup) = suffix_lookup(kind, lk)?;
        let f = cx.try_filter(field_lookup(field, kind, lookup, key, raws));
        Some(if neg { !(f) } else { f })
    };
    let s = cx.s;
    if let Some(cf) = base
        .strip_prefix("cf_")
        .and_then(|n| s.reg.custom_field(t, n))
    {
        return Ok(custom_filter(cf, lk, key, raws).map(|r| cx.try_filter(r)));
    }
    match base {
        "id" => return Ok(by_kind(cx, "id", Kind::Int)),
        "created" | "last_updated" if t.timestamps => return Ok(by_kind(cx, base, Kind::Time)),
        "tag" | "tag_id" if t.features.tags && matches!(lk, "" | "n") => {
            // Every named tag must be present (NetBox's tag filter is conjoined).
            let each: Vec<Filter> = raws
                .iter()
                .map(|r| {
                    let which = if base == "tag" {
                        Filter::eq("slug", r.as_str())
                    } else {
                        Filter::eq("id", r.trim().parse::<i64>().unwrap_or(0))
                    };
                    Filter::Via {
                        hop: Hop::Tags,
                        inner: Box::new(which),
                    }
                })
                .collect();
            return Ok(Some(if lk == "n" {
                !(Filter::Any(each))
            } else {
                Filter::and(each)
            }));
        }
        "contact" | "contact_role" | "contact_group"
            if t.features.contacts && matches!(lk, "" | "n") =>
        {
            let ids = numbers(raws);
            let inner = match base {
                "contact" => Filter::ids("contact", ids),
                "contact_role" => Filter::ids("role", ids),
                _ => Filter::via(
                    "contact",
                    Filter::via(
                        "groups",
                        Filter::InTree {
                            field: "id".into(),
                            ids,
                        },
                    ),
                ),
            };
            let f = Filter::referenced_by("tenancy.contactassignment", "object", inner);
            return Ok(Some(negate(f)));
        }
        // Objects a request created, updated, or either (through the change log).
        "created_by_request" | "updated_by_request" | "modified_by_request"
            if t.features.change_log && lk.is_empty() =>
        {
            let mut inner = vec![Filter::In {
                field: "request_id".into(),
                values: raws.iter().map(|r| Value::Text(r.clone())).collect(),
            }];
            match base {
                "created_by_request" => inner.push(Filter::eq("action", "create")),
                "updated_by_request" => inner.push(Filter::eq("action", "update")),
                _ => {}
            }
            let f =
                Filter::referenced_by("core.objectchange", "changed_object", Filter::and(inner));
            return Ok(Some(f));
        }
        // Change-log style time ranges for types with a `time` field.
        "time_after" | "time_before" if t.field("time").is_some() && lk.is_empty() => {
            let op = if base == "time_after" { "gte" } else { "lte" };
            let f = suffix_lookup(Kind::Time, op)
                .map(|(_, l)| cx.try_filter(field_lookup("time", Kind::Time, l, key, raws)));
            return Ok(f);
        }
        "ancestor" | "ancestor_id" if t.tree && matches!(lk, "" | "n") => {
            // Below the given nodes, not the nodes themselves (NetBox filters on `parent`).
            let f = related(cx, "parent", t, raws, base == "ancestor_id", key, true)?;
            return Ok(Some(negate(f)));
        }
        _ => {}
    }
    // Several paths of one name are alternatives (an interface's `vlan_id`: its untagged
    // VLAN or one of its tagged ones).
    let alternatives: Vec<&FieldPath> = t.field_paths.iter().filter(|fp| fp.name == base).collect();
    if !alternatives.is_empty() {
        let mut negated = false;
        let mut any = Vec::new();
        for fp in alternatives {
            let Some((neg, f)) = field_path(cx, t, fp, lk, key, raws) else {
                return Ok(None);
            };
            negated = neg;
            any.push(f);
        }
        let f = Filter::Any(any);
        return Ok(Some(if negated { !f } else { f }));
    }
    for pf in &t.path_filters {
        if pf.name == base && matches!(lk, "" | "n") {
            let f = path_filter(cx, t, pf.path, pf.key, raws, key)?;
            return Ok(Some(negate(f)));
        }
    }
    for ef in &t.extra_filters {
        if ef.name() == base {
            let Some(f) = extra_filter(cx, t, ef, key, lk, raws)? else {
                return Ok(None);
            };
            return Ok(Some(negate(f)));
        }
    }
    // A related-object count (`interface_count__gt=4`).
    if t.counts
        .iter()
        .any(|c| c.name == base && !(c.cumulative && t.tree))
    {
        let Some((neg, lookup)) = suffix_lookup(Kind::Int, lk) else {
            return Ok(None);
        };
        let f = match lookup {
            // Counts are never empty.
            Lookup::Empty => {
                if raws.iter().any(|r| truthy(r) == Some(true)) {
                    Filter::False
                } else {
                    Filter::True
                }
            }
            _ => {
                let op = match lookup {
                    Lookup::Op(op) => op,
                    _ => Op::Exact,
                };
                let mut parts = Vec::new();
                for r in raws {
                    match r.trim().parse::<i64>() {
                        Ok(value) => parts.push(Filter::Count {
                            name: base.into(),
                            op,
                            value,
                        }),
                        Err(_) => {
                            return Ok(Some(cx.fail(QueryError::NotANumber { param: key.into() })))
                        }
                    }
                }
                if op == Op::Exact {
                    Filter::Any(parts)
                } else {
                    Filter::and(parts)
                }
            }
        };
        return Ok(Some(if neg { !f } else { f }));
    }
    // A field by its own name.
    if let Some(f) = t.field(base).filter(|f| f.filter && f.stored) {
        match f.kind {
            FieldKind::ForeignKey { target, .. } if matches!(lk, "" | "n") => {
                let Some(tt) = s.reg.get(target) else {
                    return Ok(None);
                };
                let by_id = tt.key == Key::Id;
                return Ok(Some(negate(fk_filter(cx, t, f, tt, raws, by_id, key)?)));
            }
            FieldKind::ForeignKey { .. } => return Ok(None),
            FieldKind::IpAddress | FieldKind::IpPrefix if matches!(lk, "" | "n") => {
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
            FieldKind::IntList { .. } | FieldKind::StrList if matches!(lk, "" | "n") => {
                return Ok(Some(negate(list_has(f, raws))));
            }
            FieldKind::GenericFk { .. } | FieldKind::ManyToMany { .. } => {}
            _ => {
                if let Some(kind) = kind_of(&f.kind) {
                    return Ok(by_kind(cx, f.name, kind));
                }
            }
        }
    }
    // A generic relation's object id, a number like any other.
    if t.fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::GenericFk { fk, .. } if fk == base))
    {
        return Ok(by_kind(cx, base, Kind::Int));
    }
    if !matches!(lk, "" | "n") {
        // Every filter below takes only negation.
        return Ok(None);
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
                    return Ok(Some(negate(fk_filter(cx, t, f, tt, raws, true, key)?)));
                }
            }
        }
    }
    // Generic relations: `<ct>` ("app.model"), `<ct>_id`, `<fk>`.
    for f in &t.fields {
        if let FieldKind::GenericFk { ct, .. } = f.kind {
            if base == ct {
                let ids: Vec<Value> = raws
                    .iter()
                    .filter_map(|r| s.ct_of_label(r).or_else(|| r.trim().parse().ok()))
                    .map(Value::Int)
                    .collect();
                return Ok(Some(negate(Filter::In {
                    field: ct.into(),
                    values: ids,
                })));
            }
            if base == format!("{ct}_id") {
                let f = cx.try_filter(field_lookup(base, Kind::Int, Lookup::Exact, key, raws));
                return Ok(Some(negate(f)));
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
            let inner = related(cx, "id", tt, raws, by_id || tt.key == Key::Id, key, tt.tree)?;
            return Ok(Some(negate(Filter::via(f.name, inner))));
        }
    }
    Ok(None)
}

/// A field of the object, or of one reached through FKs, under the lookup its kind takes;
/// negation excludes the matches (so objects reaching none are kept, as in Django).
/// The filter on the field at the end of `fp`'s path, and whether the lookup negates it.
fn field_path(
    cx: &mut Ctx<'_>,
    t: &ObjectType,
    fp: &FieldPath,
    lk: &str,
    key: &str,
    raws: &[String],
) -> Option<(bool, Filter)> {
    let mut at = t;
    for hop in fp.path {
        at = at
            .field(hop)
            .and_then(|f| f.fk_target())
            .and_then(|l| cx.s.reg.get(l))?;
    }
    let kind = match fp.field {
        "id" => Kind::Int,
        name => kind_of(&at.field(name)?.kind)?,
    };
    let (neg, lookup) = suffix_lookup(kind, lk)?;
    let mut f = cx.try_filter(field_lookup(fp.field, kind, lookup, key, raws));
    for hop in fp.path.iter().rev() {
        f = Filter::via(hop, f);
    }
    Some((neg, f))
}

fn extra_filter(
    cx: &mut Ctx<'_>,
    t: &ObjectType,
    ef: &ExtraFilter,
    key: &str,
    lk: &str,
    raws: &[String],
) -> Result<Option<Filter>> {
    // Extra filters take negation only, but for mask lengths, which compare, and reverse
    // filters, which take what the other model's filter takes.
    let comparing = matches!(
        ef,
        ExtraFilter::Ip {
            rel: IpRelation::MaskLength,
            ..
        } | ExtraFilter::Reverse { .. }
    );
    if !comparing && !matches!(lk, "" | "n") {
        return Ok(None);
    }
    let s = cx.s;
    Ok(Some(match ef {
        ExtraFilter::ListHas { field, value, .. } => {
            let has = Filter::ListHas {
                field: field.to_string(),
                value: Value::Text(value.to_string()),
            };
            truthy_or_not(raws, has)
        }
        ExtraFilter::AnySet { fields, .. } => {
            // A boolean counts as set when true.
            let set = fields
                .iter()
                .filter_map(|f| t.field(f))
                .map(|f| match f.kind {
                    FieldKind::GenericFk { fk, .. } => !(Filter::IsNull(fk.into())),
                    FieldKind::Bool => Filter::eq(f.name, true),
                    _ => !(Filter::IsNull(f.name.into())),
                })
                .collect();
            truthy_or_not(raws, Filter::Any(set))
        }
        ExtraFilter::HasRelated { models, field, .. } => {
            let has = models
                .iter()
                .filter(|m| s.reg.get(m).is_some_and(|mt| mt.field(field).is_some()))
                .map(|m| Filter::referenced_by(m, field, Filter::True))
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
            let Some(target) = s.reg.get(model) else {
                return Ok(Some(Filter::False));
            };
            let inner = if path.is_empty() {
                related(cx, "id", target, raws, *k == Key::Id, key, false)?
            } else {
                path_filter(cx, target, path, *k, raws, key)?
            };
            Filter::generic(field, model, inner)
        }
        ExtraFilter::PresentInVrf { by_id, .. } => {
            let Some(vrfs) = s.reg.get("ipam.vrf") else {
                return Ok(Some(Filter::False));
            };
            let chosen = related(cx, "id", vrfs, raws, *by_id, key, false)?;
            // In the chosen VRFs, or in a VRF exporting a target one of them imports.
            let imported = Filter::referenced_by("ipam.vrf", "import_targets", chosen.clone());
            Filter::Any(vec![
                Filter::via("vrf", chosen),
                Filter::via("vrf", Filter::via("export_targets", imported)),
            ])
        }
        ExtraFilter::GenericTypeIn { field, models, .. } => {
            let Some(FieldKind::GenericFk { ct, .. }) = t.field(field).map(|f| f.kind) else {
                return Ok(Some(Filter::False));
            };
            let cts = models
                .iter()
                .filter_map(|m| s.ct_of_label(m))
                .map(Value::Int)
                .collect();
            let is_in = Filter::In {
                field: ct.into(),
                values: cts,
            };
            // Unassigned rows (NULL type) count as "not one of them".
            match truthy_or_not(raws, is_in) {
                Filter::Not(inner) => {
                    Filter::Any(vec![Filter::IsNull(ct.into()), Filter::Not(inner)])
                }
                f => f,
            }
        }
        ExtraFilter::Ip { field, rel, .. } => {
            if *rel == IpRelation::MaskLength {
                // `__n` is applied by the caller.
                let Some((_, lookup)) = suffix_lookup(Kind::Int, lk) else {
                    return Ok(None);
                };
                let f = mask_length(field, lookup, key, raws).unwrap_or_else(|e| cx.fail(e));
                return Ok(Some(f));
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
            let named = if *by_id {
                Filter::ids("id", numbers(raws))
            } else {
                Filter::In {
                    field: "name".into(),
                    values: raws.iter().map(|r| Value::Text(r.clone())).collect(),
                }
            };
            let mut source = vec![named.clone()];
            if *if_master {
                source.push(Filter::referenced_by(
                    "dcim.virtualchassis",
                    "master",
                    Filter::True,
                ));
            }
            // Devices sharing a virtual chassis with the named ones.
            let chassis_of = Filter::via(
                "virtual_chassis",
                Filter::referenced_by("dcim.device", "virtual_chassis", Filter::and(source)),
            );
            Filter::Any(vec![
                Filter::via("device", named),
                Filter::and(vec![
                    Filter::eq("mgmt_only", false),
                    Filter::via("device", chassis_of),
                ]),
            ])
        }
        ExtraFilter::EmptyOrHas { field, .. } => Filter::Any(vec![
            !(Filter::via(field, Filter::True)),
            Filter::via(field, Filter::ids("id", numbers(raws))),
        ]),
        ExtraFilter::Reverse {
            model,
            field,
            param,
            ..
        } => {
            let Some(m) = s.reg.get(model) else {
                return Ok(Some(Filter::False));
            };
            // A negated lookup excludes the objects any row matches (NetBox's `exclude()`);
            // `__n` itself is applied by the caller.
            let (neg, inner_lk) = match lk {
                "nic" | "nie" | "niew" | "nisw" => (true, &lk[1..]),
                "n" => (false, ""),
                other => (false, other),
            };
            let Some(inner) = field_filter(cx, m, param, inner_lk, key, raws)? else {
                return Ok(None);
            };
            let f = Filter::referenced_by(model, field, inner);
            if neg {
                !f
            } else {
                f
            }
        }
    }))
}

/// A prefix length compared with the values given (any of them, or all comparisons).
fn mask_length(
    field: &str,
    lookup: Lookup,
    key: &str,
    raws: &[String],
) -> std::result::Result<Filter, QueryError> {
    let mut lens = Vec::new();
    for r in raws {
        lens.push(
            r.trim()
                .parse::<i64>()
                .map_err(|_| QueryError::NotANumber { param: key.into() })?,
        );
    }
    let cmp = |op: Op, len: i64| Filter::MaskLength {
        field: field.into(),
        op,
        len,
    };
    Ok(match lookup {
        Lookup::Op(op) => Filter::and(lens.into_iter().map(|l| cmp(op, l)).collect()),
        Lookup::Exact => Filter::Any(lens.into_iter().map(|l| cmp(Op::Exact, l)).collect()),
        Lookup::Empty => Filter::False,
    })
}

/// `cf_<name>` filters: text matches loosely (contains) or exactly as the field's filter
/// logic says, numbers and dates compare, multiple selections and objects hold the value.
fn custom_filter(
    cf: &CustomField,
    lk: &str,
    key: &str,
    raws: &[String],
) -> Option<std::result::Result<Filter, QueryError>> {
    use CustomKind as K;
    if cf.filter_logic == FilterLogic::Disabled {
        return None;
    }
    let kind = match cf.kind {
        K::Text | K::LongText | K::Url | K::Select => Kind::Text,
        K::Integer | K::Decimal => Kind::Float,
        K::Date | K::DateTime => Kind::Date,
        K::Boolean => Kind::Bool,
        K::MultiSelect | K::Object | K::MultiObject => Kind::Int,
        K::Json => return None,
    };
    let (neg, lookup) = suffix_lookup(kind, lk)?;
    if matches!(cf.kind, K::MultiSelect | K::Object | K::MultiObject) && lookup != Lookup::Exact {
        return None;
    }
    let test = |raw: &str| -> std::result::Result<CustomTest, QueryError> {
        no_nul(key, raw)?;
        let number = || {
            raw.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| QueryError::NotANumber { param: key.into() })
        };
        let id = || {
            raw.trim()
                .parse::<i64>()
                .map_err(|_| QueryError::NotANumber { param: key.into() })
        };
        Ok(match (cf.kind, lookup) {
            (_, Lookup::Empty) => CustomTest::Empty,
            (K::Integer | K::Decimal, Lookup::Op(op)) => CustomTest::Number(op, number()?),
            (K::Integer | K::Decimal, _) => CustomTest::Number(Op::Exact, number()?),
            (K::Boolean, _) => CustomTest::Equals(Json::Bool(truthy(raw).ok_or_else(|| {
                QueryError::InvalidChoice {
                    param: key.into(),
                    value: raw.into(),
                }
            })?)),
            (K::MultiSelect, _) => CustomTest::Holds(Json::String(raw.into())),
            (K::Object, _) => CustomTest::Equals(Json::from(id()?)),
            (K::MultiObject, _) => CustomTest::Holds(Json::from(id()?)),
            (_, Lookup::Op(op)) => CustomTest::Text(op, raw.into()),
            (k, _) if k.is_text() && cf.filter_logic == FilterLogic::Loose => {
                CustomTest::Text(Op::IContains, raw.into())
            }
            _ => CustomTest::Equals(Json::String(raw.into())),
        })
    };
    let on = |raw: &str| {
        test(raw).map(|t| Filter::Custom {
            name: cf.name.clone(),
            test: t,
        })
    };
    let build = || -> std::result::Result<Filter, QueryError> {
        let f = match lookup {
            Lookup::Empty => {
                let empty = on("")?;
                if raws.iter().any(|r| truthy(r) == Some(true)) {
                    empty
                } else {
                    !empty
                }
            }
            Lookup::Op(Op::Lt | Op::Lte | Op::Gt | Op::Gte) => {
                let mut all = Vec::new();
                for r in raws {
                    all.push(on(r)?);
                }
                Filter::and(all)
            }
            _ => {
                let mut any = Vec::new();
                for r in raws {
                    if matches!(lookup, Lookup::Op(Op::Regex | Op::IRegex)) {
                        super::kinds::check_regex(key, r)?;
                    }
                    any.push(on(r)?);
                }
                Filter::Any(any)
            }
        };
        Ok(if neg { !f } else { f })
    };
    Some(build())
}
