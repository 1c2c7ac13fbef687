//! Records the versions of the crates Cairn is built from (from the workspace's lock
//! file), for `/api/status/`'s `installed_apps`.

use std::path::Path;

/// The components worth naming, as NetBox names its Django apps.
const COMPONENTS: &[&str] = &[
    "axum",
    "hyper",
    "tokio",
    "rusqlite",
    "postgres",
    "r2d2",
    "serde_json",
    "chrono",
    "figment",
    "clap",
    "tracing",
];

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let mut found = Vec::new();
    let mut name = "";
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = n.trim_matches('"');
        } else if let Some(v) = line.strip_prefix("version = ") {
            if COMPONENTS.contains(&name)
                && !found.iter().any(|(n, _): &(String, String)| n == name)
            {
                found.push((name.to_string(), v.trim_matches('"').to_string()));
            }
        }
    }
    found.sort();
    let list: Vec<String> = found.iter().map(|(n, v)| format!("{n}={v}")).collect();
    println!("cargo:rustc-env=CAIRN_COMPONENTS={}", list.join(","));
}
