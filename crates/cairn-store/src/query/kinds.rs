//! What a field's values are in a filter, and which lookups a kind takes (NetBox's lookup
//! maps: text-like fields take the string lookups, numbers and dates the comparisons).

use cairn_schema::{ChoiceSet, FieldKind};

use super::QueryError;
use crate::filter::{Filter, Op};
use crate::value::{parse_time_loose, Value};

#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Text,
    Int,
    Float,
    Bool,
    /// A timestamp.
    Time,
    /// A calendar date, stored as `YYYY-MM-DD` text.
    Date,
    Choice(&'static ChoiceSet),
}

pub(crate) fn kind_of(k: &FieldKind) -> Option<Kind> {
    Some(match k {
        FieldKind::Int { .. } => Kind::Int,
        FieldKind::Decimal { .. } => Kind::Float,
        FieldKind::Bool => Kind::Bool,
        FieldKind::DateTime => Kind::Time,
        FieldKind::Date => Kind::Date,
        FieldKind::Choice(c) => Kind::Choice(c),
        k if k.is_text() => Kind::Text,
        _ => return None,
    })
}

/// A lookup as NetBox's filter sets name them (`__ic`, `__n`, …), resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Equal to any of the values.
    Exact,
    Op(Op),
    /// Empty (text: NULL or ""; others: NULL), or not, by the value.
    Empty,
}

/// The suffixes NetBox adds to filters, with whether each negates.
pub(crate) const SUFFIXES: &[&str] = &[
    "n", "ic", "nic", "iew", "niew", "isw", "nisw", "ie", "nie", "empty", "regex", "iregex", "lt",
    "lte", "gt", "gte",
];

/// A suffix's lookup and negation, if a field of `kind` takes it: text and choices take
/// the string lookups, numbers and times the comparisons, booleans none.
pub(crate) fn suffix_lookup(kind: Kind, suffix: &str) -> Option<(bool, Lookup)> {
    let char_based = matches!(kind, Kind::Text | Kind::Choice(_));
    let numeric = matches!(kind, Kind::Int | Kind::Float | Kind::Time | Kind::Date);
    let found = match suffix {
        "" => (false, Lookup::Exact),
        "n" if char_based || numeric => (true, Lookup::Exact),
        "empty" if char_based || numeric => (false, Lookup::Empty),
        "ic" if char_based => (false, Lookup::Op(Op::IContains)),
        "nic" if char_based => (true, Lookup::Op(Op::IContains)),
        "isw" if char_based => (false, Lookup::Op(Op::IStartsWith)),
        "nisw" if char_based => (true, Lookup::Op(Op::IStartsWith)),
        "iew" if char_based => (false, Lookup::Op(Op::IEndsWith)),
        "niew" if char_based => (true, Lookup::Op(Op::IEndsWith)),
        "ie" if char_based => (false, Lookup::Op(Op::IExact)),
        "nie" if char_based => (true, Lookup::Op(Op::IExact)),
        "regex" if char_based => (false, Lookup::Op(Op::Regex)),
        "iregex" if char_based => (false, Lookup::Op(Op::IRegex)),
        "lt" if numeric => (false, Lookup::Op(Op::Lt)),
        "lte" if numeric => (false, Lookup::Op(Op::Lte)),
        "gt" if numeric => (false, Lookup::Op(Op::Gt)),
        "gte" if numeric => (false, Lookup::Op(Op::Gte)),
        _ => return None,
    };
    Some(found)
}

/// Refuses NUL characters, which no field may hold.
pub(crate) fn no_nul(param: &str, raw: &str) -> Result<(), QueryError> {
    if raw.contains('\0') {
        return Err(QueryError::NullCharacter {
            param: param.into(),
        });
    }
    Ok(())
}

pub(crate) fn truthy(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
        "false" | "0" | "no" | "off" | "f" | "n" => Some(false),
        _ => None,
    }
}

/// A raw value as the kind's value.
pub(crate) fn convert(kind: Kind, param: &str, raw: &str) -> Result<Value, QueryError> {
    no_nul(param, raw)?;
    let invalid_choice = || QueryError::InvalidChoice {
        param: param.into(),
        value: raw.into(),
    };
    match kind {
        Kind::Text => Ok(Value::Text(raw.to_string())),
        Kind::Int => {
            raw.trim()
                .parse::<i64>()
                .map(Value::Int)
                .map_err(|_| QueryError::NotANumber {
                    param: param.into(),
                })
        }
        Kind::Float => match raw.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(QueryError::NotANumber {
                param: param.into(),
            }),
        },
        Kind::Bool => truthy(raw).map(Value::Bool).ok_or_else(invalid_choice),
        Kind::Time => {
            parse_time_loose(raw)
                .map(Value::Time)
                .ok_or_else(|| QueryError::NotADateTime {
                    param: param.into(),
                })
        }
        Kind::Date => chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map(|d| Value::Text(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| QueryError::NotADate {
                param: param.into(),
            }),
        Kind::Choice(set) => match set.get(raw) {
            Some(_) if set.numeric => raw.parse().map(Value::Int).map_err(|_| invalid_choice()),
            Some(_) => Ok(Value::Text(raw.to_string())),
            None => Err(invalid_choice()),
        },
    }
}

/// Checks a pattern before it reaches a database (SQLite runs it with the same engine).
pub(crate) fn check_regex(param: &str, pattern: &str) -> Result<(), QueryError> {
    regex::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| QueryError::InvalidRegex {
            param: param.into(),
            reason: e
                .to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string(),
        })
}

/// One field under one lookup over all the values given (any of them matches, except
/// comparisons, which all must hold).
pub(crate) fn field_lookup(
    field: &str,
    kind: Kind,
    lookup: Lookup,
    param: &str,
    raws: &[String],
) -> Result<Filter, QueryError> {
    for r in raws {
        no_nul(param, r)?;
    }
    let text_like = matches!(kind, Kind::Text | Kind::Choice(_) | Kind::Date);
    Ok(match lookup {
        Lookup::Empty => {
            let on = raws.iter().any(|r| truthy(r) == Some(true));
            let empty = if text_like {
                Filter::Empty(field.into())
            } else {
                Filter::IsNull(field.into())
            };
            if on {
                empty
            } else {
                !(empty)
            }
        }
        Lookup::Exact => {
            let mut values = Vec::new();
            let mut null = false;
            for r in raws {
                // `null` means unset, except where it could be a text value.
                if r == "null" && !matches!(kind, Kind::Text) {
                    null = true;
                    continue;
                }
                values.push(convert(kind, param, r)?);
            }
            let mut parts = vec![Filter::In {
                field: field.into(),
                values,
            }];
            if null {
                parts.push(Filter::IsNull(field.into()));
            }
            Filter::Any(parts)
        }
        Lookup::Op(op @ (Op::Lt | Op::Lte | Op::Gt | Op::Gte)) => {
            let mut parts = Vec::new();
            for r in raws {
                parts.push(Filter::cmp(field, op, convert(kind, param, r)?));
            }
            Filter::and(parts)
        }
        Lookup::Op(op) => {
            let mut parts = Vec::new();
            for r in raws {
                if matches!(op, Op::Regex | Op::IRegex) {
                    check_regex(param, r)?;
                }
                parts.push(Filter::cmp(field, op, Value::Text(r.clone())));
            }
            Filter::Any(parts)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_the_kind() {
        assert!(suffix_lookup(Kind::Text, "ic").is_some());
        assert!(
            suffix_lookup(Kind::Int, "ic").is_none(),
            "no text lookups on numbers"
        );
        assert!(suffix_lookup(Kind::Int, "ie").is_none());
        assert!(
            suffix_lookup(Kind::Text, "gt").is_none(),
            "no comparisons on text"
        );
        assert!(suffix_lookup(Kind::Time, "gte").is_some());
        assert!(suffix_lookup(Kind::Bool, "n").is_none());
        assert_eq!(suffix_lookup(Kind::Int, "n"), Some((true, Lookup::Exact)));
    }

    #[test]
    fn values_are_checked_against_the_kind() {
        assert_eq!(convert(Kind::Int, "vid", " 12 "), Ok(Value::Int(12)));
        assert!(matches!(
            convert(Kind::Int, "vid", "twelve"),
            Err(QueryError::NotANumber { .. })
        ));
        assert!(matches!(
            convert(Kind::Float, "lat", "NaN"),
            Err(QueryError::NotANumber { .. })
        ));
        assert!(matches!(
            convert(Kind::Text, "name", "a\0b"),
            Err(QueryError::NullCharacter { .. })
        ));
        assert!(matches!(
            convert(Kind::Date, "install_date", "2024-13-01"),
            Err(QueryError::NotADate { .. })
        ));
        assert!(matches!(
            check_regex("name__regex", "(unclosed"),
            Err(QueryError::InvalidRegex { .. })
        ));
    }
}
