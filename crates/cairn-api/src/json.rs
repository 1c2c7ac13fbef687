//! Writing JSON text straight into a buffer (the read path builds no value trees).

use std::fmt::Write;

pub fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn key(out: &mut String, first: &mut bool, k: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    string(out, k);
    out.push(':');
}

pub fn int(out: &mut String, i: i64) {
    let _ = write!(out, "{i}");
}

pub fn float(out: &mut String, f: f64) {
    if f.is_finite() {
        out.push_str(
            &serde_json::Number::from_f64(f)
                .map(|n| n.to_string())
                .unwrap_or_else(|| "null".into()),
        );
    } else {
        out.push_str("null");
    }
}

pub fn raw(out: &mut String, v: &serde_json::Value) {
    out.push_str(&v.to_string());
}
