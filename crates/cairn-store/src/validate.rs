//! Field validation generated from the registry: presence, lengths, formats, choices,
//! bounds, related objects and uniqueness. Messages follow NetBox's (Django REST
//! framework's) wording, since clients show them to people.

use crate::error::add_error as add;
use cairn_schema::{FieldKind, ObjectType};

use crate::conn::Conn;
use crate::ddl::unique_column;
use crate::error::{FieldErrors, Invalid, Result};
use crate::filter::{Filter, Op};
use crate::ipkey::IpNet;
use crate::read;
use crate::schema::Schema;
use crate::value::{Record, Value};
use serde_json::Value as Json;

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Text(s) => s.is_empty(),
        _ => false,
    }
}

fn slug_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn decimal_digits(f: f64, places: u8) -> (usize, usize) {
    let s = format!("{}", f.abs());
    let (int_part, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int_digits = int_part.trim_start_matches('0').len();
    let frac = frac.trim_end_matches('0');
    let _ = places;
    (int_digits, frac.len())
}

/// Validates `rec` (already holding the new values). `provided` are the fields the
/// caller set; `check_required` demands every required field be set (create, PUT).
#[allow(clippy::too_many_arguments)]
pub fn validate_fields(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    old: Option<&Record>,
    rec: &mut Record,
    provided: &[usize],
    check_required: bool,
    errors: &mut FieldErrors,
) -> Result<()> {
    for (i, f) in t.fields.iter().enumerate() {
        if !f.stored || f.read_only {
            continue;
        }
        let given = provided.contains(&i);
        // Blank strings of unique-or-null fields are stored as NULL.
        if f.blank_is_null && matches!(&rec.values[i], Value::Text(s) if s.is_empty()) {
            rec.values[i] = Value::Null;
        }
        let v = &rec.values[i];
        // PUT replaces the object: every required field must be sent again.
        if f.required && check_required && old.is_some() && !given {
            add(errors, f.name, Invalid::Required);
            continue;
        }
        if f.required && is_blank(v) {
            if given || old.is_none() || check_required {
                let why = if given && matches!(v, Value::Text(_)) {
                    Invalid::Blank
                } else if given && v.is_null() {
                    Invalid::Null
                } else {
                    Invalid::Required
                };
                add(errors, f.name, why);
            }
            continue;
        }
        if v.is_null() {
            if !f.nullable && given {
                add(errors, f.name, Invalid::Null);
            } else if !f.nullable && old.is_none() {
                // Left out where the serializer allows it but the model does not: the
                // words of the model's full_clean().
                let why = match f.kind {
                    FieldKind::ForeignKey { .. } => "This field cannot be null.",
                    _ => "This field cannot be blank.",
                };
                add(errors, f.name, why);
            }
            continue;
        }
        if !given && old.is_some() {
            continue;
        }
        match (&f.kind, v) {
            (
                FieldKind::Str { max_len }
                | FieldKind::Url { max_len }
                | FieldKind::Email { max_len },
                Value::Text(s),
            ) if s.chars().count() > *max_len as usize => {
                add(errors, f.name, Invalid::TooLong(*max_len));
            }
            (FieldKind::Slug { max_len }, Value::Text(s)) => {
                if s.chars().count() > *max_len as usize {
                    add(errors, f.name, Invalid::TooLong(*max_len));
                } else if !slug_ok(s) {
                    add(errors, f.name, Invalid::NotASlug);
                }
            }
            (FieldKind::Choice(set), Value::Int(n)) if set.get(&n.to_string()).is_none() => {
                add(errors, f.name, Invalid::NotAChoice(n.to_string()));
            }
            (FieldKind::Choice(set), Value::Text(s)) if set.get(s).is_none() => {
                add(errors, f.name, Invalid::NotAChoice(s.clone()));
            }
            (FieldKind::IpAddress | FieldKind::IpPrefix, Value::Text(s)) => match IpNet::parse(s) {
                Some(n) => rec.values[i] = Value::Text(n.canonical()),
                None => add(errors, f.name, Invalid::NotAnIp),
            },
            (FieldKind::Mac, Value::Text(s)) => match normalize_mac(s) {
                Some(m) => rec.values[i] = Value::Text(m),
                None => add(errors, f.name, Invalid::NotAMac(s.clone())),
            },
            (FieldKind::Url { .. }, Value::Text(s)) if !s.is_empty() && !url_ok(s) => {
                add(errors, f.name, Invalid::NotAUrl);
            }
            (FieldKind::Email { .. }, Value::Text(s)) if !s.is_empty() && !email_ok(s) => {
                add(errors, f.name, Invalid::NotAnEmail);
            }
            (FieldKind::Date, Value::Text(s))
                if !s.is_empty() && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() =>
            {
                add(errors, f.name, Invalid::NotADate);
            }
            (FieldKind::Color, Value::Text(s)) if !s.is_empty() => {
                if !(s.len() == 6 && s.chars().all(|c| c.is_ascii_hexdigit())) {
                    add(errors, f.name, Invalid::NotAColor);
                } else {
                    rec.values[i] = Value::Text(s.to_lowercase());
                }
            }
            (FieldKind::IntList { min, max }, Value::Json(Json::Array(items))) => {
                // Django's check of a required ArrayField, then each item's bounds.
                if items.is_empty() && f.required {
                    add(errors, f.name, "This field cannot be blank.");
                }
                for n in items.iter().filter_map(Json::as_i64) {
                    if let Some(m) = min.filter(|m| n < *m) {
                        add(errors, f.name, Invalid::TooSmall(m.to_string()));
                    }
                    if let Some(m) = max.filter(|m| n > *m) {
                        add(errors, f.name, Invalid::TooLarge(m.to_string()));
                    }
                }
            }
            (FieldKind::Int { min, max }, Value::Int(n)) => {
                if let Some(m) = min.filter(|m| n < m) {
                    add(errors, f.name, Invalid::TooSmall(m.to_string()));
                }
                if let Some(m) = max.filter(|m| n > m) {
                    add(errors, f.name, Invalid::TooLarge(m.to_string()));
                }
            }
            (
                FieldKind::Decimal {
                    max_digits,
                    places,
                    min,
                    max,
                },
                Value::Float(x),
            ) => {
                let (int_digits, frac_digits) = decimal_digits(*x, *places);
                if frac_digits > *places as usize {
                    add(errors, f.name, Invalid::TooManyDecimalPlaces(*places));
                } else if int_digits + frac_digits > *max_digits as usize {
                    add(errors, f.name, Invalid::TooManyDigits(*max_digits));
                }
                if let Some(m) = min.filter(|m| x < m) {
                    add(errors, f.name, Invalid::TooSmall(m.to_string()));
                }
                if let Some(m) = max.filter(|m| x > m) {
                    add(errors, f.name, Invalid::TooLarge(m.to_string()));
                }
            }
            (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => {
                // A model not declared yet has no objects to point at.
                let found = match s.reg.get(target) {
                    Some(tt) => read::exists(conn, s, tt, &Filter::eq("id", *id))?,
                    None => false,
                };
                if !found {
                    add(errors, f.name, Invalid::NoSuchObject(*id));
                }
            }
            (FieldKind::ManyToMany { target }, Value::Ids(ids)) => {
                if let Some(tt) = s.reg.get(target) {
                    let found = read::ids(conn, s, tt, &Filter::ids("id", ids.iter().copied()))?;
                    for id in ids {
                        if !found.contains(id) {
                            add(errors, f.name, Invalid::NoSuchMember(*id));
                        }
                    }
                }
            }
            (FieldKind::GenericFk { ct, .. }, Value::Ref(0, _)) => {
                add(errors, ct, Invalid::Required);
            }
            (FieldKind::GenericFk { fk, .. }, Value::Ref(_, 0)) => {
                add(errors, fk, Invalid::Required);
            }
            (FieldKind::GenericFk { ct, fk }, Value::Ref(c, id)) => match s.type_of_ct(*c) {
                Some(tt) if !f.targets.allows(tt) => {
                    add(errors, ct, Invalid::WrongType(tt.label()));
                }
                Some(tt) => {
                    if !read::exists(conn, s, tt, &Filter::eq("id", *id))? {
                        add(errors, fk, Invalid::NoSuchObject(*id));
                    }
                }
                None => add(errors, ct, Invalid::UnknownType),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        check_unique(conn, s, t, rec, errors)?;
    }
    if t.tree && errors.is_empty() {
        check_parent(conn, s, t, rec, errors)?;
    }
    Ok(())
}

fn not_self(rec: &Record) -> Filter {
    if rec.id == 0 {
        Filter::True
    } else {
        Filter::Not(Box::new(Filter::eq("id", rec.id)))
    }
}

fn check_unique(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    rec: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    for (i, f) in t.fields.iter().enumerate() {
        if !f.unique || rec.values[i].is_null() {
            continue;
        }
        let Some(col) = f.column() else { continue };
        let filter = Filter::and(vec![Filter::eq(col, rec.values[i].clone()), not_self(rec)]);
        if read::exists(conn, s, t, &filter)? {
            // NetBox declares relations as nested serializers, which DRF gives no unique
            // validator: Django's model check words those, capitalized.
            let taken = match f.kind {
                FieldKind::ForeignKey { .. } => Invalid::Taken {
                    model: cairn_schema::field::capitalize(t.verbose_name),
                    field: cairn_schema::field::capitalize(f.verbose.unwrap_or(&f.label_text())),
                },
                _ => Invalid::Taken {
                    model: t.verbose_name.to_string(),
                    field: verbose_name(&f.label_text()),
                },
            };
            add(errors, f.name, taken);
        }
    }
    for u in &t.unique_together {
        // A partial constraint holds only while its `when_null` fields are null.
        if u.when_null
            .iter()
            .any(|n| unique_value(t, rec, n).is_some_and(|v| !v.is_null()))
        {
            continue;
        }
        let mut parts = vec![not_self(rec)];
        for n in &u.when_null {
            parts.push(Filter::IsNull(unique_column(t, n)));
        }
        // NULLs are distinct, as in the database's own unique indexes.
        let mut complete = true;
        for n in &u.fields {
            match unique_value(t, rec, n) {
                Some(v) if !v.is_null() => {
                    let op = if u.lower.contains(n) {
                        Op::IExact
                    } else {
                        Op::Exact
                    };
                    parts.push(Filter::cmp(unique_column(t, n), op, v))
                }
                _ => complete = false,
            }
        }
        if complete && read::exists(conn, s, t, &Filter::and(parts))? {
            let field = if u.error_field.is_empty() {
                "__all__"
            } else {
                u.error_field
            };
            add(errors, field, u.message.clone());
        }
    }
    Ok(())
}

/// A field's verbose name from its label, which is the verbose name with its first letter
/// capitalized ("Asset tag" → "asset tag"); acronyms stay ("ASN", "MAC address").
fn verbose_name(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// A node may not become its own ancestor.
fn check_parent(
    conn: &mut Conn,
    s: &Schema,
    t: &ObjectType,
    rec: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(p) = t.field_index("parent") else {
        return Ok(());
    };
    let Some(parent) = rec.values[p].as_i64() else {
        return Ok(());
    };
    if rec.id == 0 {
        return Ok(());
    }
    let filter = Filter::and(vec![
        Filter::eq("id", parent),
        Filter::InTree {
            field: "id".into(),
            ids: vec![rec.id],
        },
    ]);
    if read::exists(conn, s, t, &filter)? {
        add(
            errors,
            "parent",
            Invalid::OwnAncestor(t.verbose_name.to_string()),
        );
    }
    Ok(())
}

/// The value a unique-together member names: a field's, or one half of a generic
/// relation (`object_type` / `object_id`).
fn unique_value(t: &ObjectType, rec: &Record, name: &str) -> Option<Value> {
    if let Some(i) = t.field_index(name) {
        return Some(rec.values[i].clone());
    }
    t.fields
        .iter()
        .enumerate()
        .find_map(|(i, f)| match (f.kind, &rec.values[i]) {
            (FieldKind::GenericFk { ct, .. }, Value::Ref(c, _)) if ct == name => {
                Some(Value::Int(*c))
            }
            (FieldKind::GenericFk { fk, .. }, Value::Ref(_, o)) if fk == name => {
                Some(Value::Int(*o))
            }
            (FieldKind::GenericFk { ct, fk }, Value::Null) if ct == name || fk == name => {
                Some(Value::Null)
            }
            _ => None,
        })
}

/// EUI-48 in any common notation, stored as NetBox shows it: `00:1A:2B:3C:4D:5E`.
pub fn normalize_mac(s: &str) -> Option<String> {
    let hex: String = s
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_uppercase();
    let pairs: Vec<&str> = (0..6).map(|i| &hex[i * 2..i * 2 + 2]).collect();
    Some(pairs.join(":"))
}

/// `scheme://rest` with a plausible scheme, as Django's URL validator requires.
fn url_ok(s: &str) -> bool {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
                && !rest.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// `local@domain.tld`, without spaces: the shape Django's validator insists on.
fn email_ok(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}
