//! List parameters: paging and presentation here, filters and ordering through the
//! store's query layer, whose typed errors are worded as NetBox (django-filter) words
//! them.

use cairn_domain::Settings;
use cairn_schema::ObjectType;
use cairn_store::query::from_params;
use cairn_store::query::params::comma_list;
use cairn_store::{Conn, Filter, QueryError, Result, Schema};

use crate::error::Messages;

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

/// Parameters that shape the answer rather than filter it.
const PRESENTATION: &[&str] = &[
    "limit",
    "offset",
    "brief",
    "fields",
    "omit",
    "exclude",
    "format",
    "export",
    "brief_mode",
];

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

/// django-filter's wording of a query error.
pub fn message(e: &QueryError) -> String {
    match e {
        QueryError::InvalidChoice { value, .. } => {
            format!("Select a valid choice. {value} is not one of the available choices.")
        }
        QueryError::NotANumber { .. } => "Enter a number.".into(),
        QueryError::NotADateTime { .. } => "Enter a valid date/time.".into(),
        QueryError::NotADate { .. } => "Enter a valid date.".into(),
        QueryError::NotABoolean { .. } => "Must be a valid boolean.".into(),
        QueryError::NullCharacter { .. } => "Null characters are not allowed.".into(),
        QueryError::InvalidRegex { reason, .. } => format!("Invalid regular expression: {reason}"),
        QueryError::UnknownField { path } => format!("Unknown field: {path}"),
        QueryError::UnsupportedLookup { lookup, .. } => {
            format!("Unsupported lookup: {lookup}")
        }
        QueryError::InvalidValue { reason, .. } => reason.clone(),
    }
}

/// Per-parameter messages, as NetBox answers a bad filter value.
pub fn field_errors(errors: &[QueryError]) -> Messages {
    let mut out = Messages::new();
    for e in errors {
        out.entry(e.key().to_string()).or_default().push(message(e));
    }
    out
}

pub fn parse(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    settings: &Settings,
    pairs: &[(String, String)],
) -> Result<std::result::Result<ListParams, Messages>> {
    let last = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v);
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
    };
    let mut sel = Selection::default();
    if pairs.iter().any(|(k, _)| k == "fields") {
        sel.only = Some(comma_list(&all("fields")).into_iter().collect());
    }
    sel.omit.extend(comma_list(&all("omit")));
    sel.omit.extend(comma_list(&all("exclude")));
    let filters: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !PRESENTATION.contains(&k.as_str()))
        .cloned()
        .collect();
    let parsed = match from_params(conn, s, t, &filters)? {
        Ok(p) => p,
        Err(errors) => return Ok(Err(field_errors(&errors))),
    };
    Ok(Ok(ListParams {
        filter: parsed.filter,
        order: parsed.order,
        limit: page_limit(settings, last("limit").map(String::as_str)),
        offset: last("offset")
            .and_then(|o| o.parse::<i64>().ok())
            .filter(|o| *o >= 0)
            .unwrap_or(0),
        brief: last("brief").is_some_and(|b| !b.is_empty()),
        sel,
        ignored: parsed.ignored,
    }))
}
