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

#[cfg(test)]
mod tests {
    use super::naturalize;

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
    fn text_is_kept() {
        assert_eq!(naturalize("ams"), "ams");
        assert_eq!(naturalize("a1"), "a00000001");
    }
}
