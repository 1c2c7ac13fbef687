//! The filters NetBox 4.4 defines for each list endpoint (`netbox_filters.txt`, taken
//! from its OpenAPI document). Cairn answers exactly these: a parameter NetBox has no
//! filter for is ignored, as NetBox ignores it, however Cairn could read it.

use std::collections::{HashMap, HashSet};

const DATA: &str = include_str!("netbox_filters.txt");

const TEXT: &[&str] = &[
    "n", "ic", "nic", "iew", "niew", "isw", "nisw", "ie", "nie", "empty", "regex", "iregex",
];
const NUMERIC: &[&str] = &["n", "lt", "lte", "gt", "gte", "empty"];

/// Every parameter name (lookups spelled out) per "app/endpoint".
pub fn by_endpoint() -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for line in DATA.lines().filter(|l| !l.starts_with('#')) {
        let Some((endpoint, names)) = line.split_once(": ") else {
            continue;
        };
        let mut set = HashSet::new();
        for item in names.split_whitespace() {
            let (base, lookups) = item.split_once('~').unwrap_or((item, ""));
            set.insert(base.to_string());
            let listed: Vec<&str> = match lookups {
                "" => Vec::new(),
                "c" => TEXT.to_vec(),
                "#" => NUMERIC.to_vec(),
                other => other.split(',').collect(),
            };
            for l in listed {
                set.insert(format!("{base}__{l}"));
            }
        }
        out.insert(endpoint.to_string(), set);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_are_spelled_out() {
        let all = by_endpoint();
        let feeds = &all["dcim/power-feeds"];
        for name in [
            "name",
            "name__ic",
            "amperage__gte",
            "power_panel_id__n",
            "phase",
            "q",
        ] {
            assert!(feeds.contains(name), "{name}");
        }
        for name in ["power_panel", "phase__ic", "amperage__ic"] {
            assert!(!feeds.contains(name), "{name}");
        }
    }
}
