//! Natural ordering keys: "Gi1/0/10" sorts after "Gi1/0/9".

/// Digits are zero-padded to `INTEGER_PLACES` so that a plain text sort of the key orders
/// embedded numbers numerically, as NetBox's `naturalize()` does.
const INTEGER_PLACES: usize = 8;
const MAX_LENGTH: usize = 100;

pub fn naturalize(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    let mut digits = String::new();
    for ch in value.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush_digits(&mut out, &mut digits);
            out.push(ch);
        }
    }
    flush_digits(&mut out, &mut digits);
    out.chars().take(MAX_LENGTH).collect()
}

fn flush_digits(out: &mut String, digits: &mut String) {
    if digits.is_empty() {
        return;
    }
    for _ in digits.len()..INTEGER_PLACES {
        out.push('0');
    }
    out.push_str(digits);
    digits.clear();
}

/// NetBox's interface ordering: slot, subslot, position and subposition first (absent
/// ones last), then the type prefix, then id, channel and subinterface, then the rest —
/// so `xe-0/0/2` < `xe-0/0/10` < `Ethernet1/2` < `Vlan2` < `em0`.
pub fn naturalize_interface(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut pos = 0;
    let digits = |pos: &mut usize| -> Option<String> {
        let start = *pos;
        while *pos < bytes.len() && bytes[*pos].is_ascii_digit() {
            *pos += 1;
        }
        (*pos > start).then(|| value[start..*pos].to_string())
    };
    // The type: everything up to the first digit, '.' or ':'.
    while pos < bytes.len()
        && !bytes[pos].is_ascii_digit()
        && bytes[pos] != b'.'
        && bytes[pos] != b':'
    {
        pos += 1;
    }
    let kind = &value[..pos];
    // Up to four "<digits>/" groups, then the id.
    let mut slots: Vec<String> = Vec::new();
    let mut id = None;
    loop {
        let save = pos;
        match digits(&mut pos) {
            Some(d) if slots.len() < 4 && pos < bytes.len() && bytes[pos] == b'/' => {
                slots.push(d);
                pos += 1;
            }
            Some(d) => {
                id = Some(d);
                break;
            }
            None => {
                pos = save;
                break;
            }
        }
    }
    let mut channel = None;
    if pos < bytes.len() && bytes[pos] == b':' {
        let save = pos;
        pos += 1;
        channel = digits(&mut pos);
        if channel.is_none() {
            pos = save;
        }
    }
    let mut vc = None;
    if pos < bytes.len() && bytes[pos] == b'.' {
        let save = pos;
        pos += 1;
        vc = digits(&mut pos);
        if vc.is_none() {
            pos = save;
        }
    }
    let mut out = String::new();
    for i in 0..4 {
        match slots.get(i) {
            Some(s) => out.push_str(&format!("{s:0>4}")),
            None => out.push_str("9999"),
        }
    }
    out.push_str(kind);
    for part in [id, channel, vc] {
        match part {
            Some(p) => out.push_str(&format!("{p:0>6}")),
            None => out.push_str("......"),
        }
    }
    let rest = &value[pos..];
    if out.len() < MAX_LENGTH {
        out.push_str(&naturalize(rest));
    }
    out.chars().take(MAX_LENGTH).collect()
}

#[cfg(test)]
mod tests {
    use super::{naturalize, naturalize_interface};

    #[test]
    fn numbers_sort_numerically() {
        let mut names = vec!["Ethernet1/10", "Ethernet1/2", "Ethernet1/1", "Ethernet10/1"];
        names.sort_by_key(|n| naturalize(n));
        assert_eq!(
            names,
            vec!["Ethernet1/1", "Ethernet1/2", "Ethernet1/10", "Ethernet10/1"]
        );
    }

    #[test]
    fn interfaces_sort_by_slot_then_type() {
        let mut names = vec![
            "lo0",
            "em0",
            "Vlan10",
            "Vlan2",
            "Ethernet1/10",
            "Ethernet1/2",
            "xe-0/0/10",
            "xe-0/0/2",
            "ge-0/0/1.100",
            "ge-0/0/1",
        ];
        names.sort_by_key(|n| naturalize_interface(n));
        assert_eq!(
            names,
            [
                "ge-0/0/1",
                "ge-0/0/1.100",
                "xe-0/0/2",
                "xe-0/0/10",
                "Ethernet1/2",
                "Ethernet1/10",
                "Vlan2",
                "Vlan10",
                "em0",
                "lo0"
            ]
        );
    }

    #[test]
    fn text_is_kept() {
        assert_eq!(naturalize("ams"), "ams");
        assert_eq!(naturalize("a1"), "a00000001");
    }
}
