//! Device and module types from YAML files in the community device-type library's
//! format: a whole directory tree, each file in its own transaction, manufacturers
//! created as needed, types already present left as they are.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};

use cairn_schema::ObjectType;
use cairn_store::{read, Actor, Filter, Store, StoreError, Writer};

use crate::error::{messages, Messages};
use crate::input::parse_object;

/// Component list keys of the library format and the templates they become, in an order
/// where referenced templates (rear ports, power ports) come first.
const COMPONENTS: &[(&str, &str)] = &[
    ("console-ports", "dcim.consoleporttemplate"),
    ("console-server-ports", "dcim.consoleserverporttemplate"),
    ("power-ports", "dcim.powerporttemplate"),
    ("power-outlets", "dcim.poweroutlettemplate"),
    ("interfaces", "dcim.interfacetemplate"),
    ("rear-ports", "dcim.rearporttemplate"),
    ("front-ports", "dcim.frontporttemplate"),
    ("module-bays", "dcim.modulebaytemplate"),
    ("device-bays", "dcim.devicebaytemplate"),
    ("inventory-items", "dcim.inventoryitemtemplate"),
];

/// Keys of a component that name another template of the same type by its name.
const BY_NAME: &[&str] = &["rear_port", "power_port"];

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(String),
    Present(String),
    Rejected(String),
}

#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub outcome: Outcome,
}

/// Imports every `.yaml`/`.yml` file under `root` (or `root` itself if it is a file).
pub fn import_tree(store: &Store, actor: &Actor, root: &Path) -> std::io::Result<Vec<FileResult>> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    files.sort();
    Ok(files
        .into_iter()
        .map(|path| {
            let outcome = match std::fs::read_to_string(&path) {
                Ok(text) => import_text(
                    store,
                    actor,
                    &text,
                    path.to_string_lossy().contains("module-types"),
                ),
                Err(e) => Outcome::Rejected(e.to_string()),
            };
            FileResult { path, outcome }
        })
        .collect())
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_dir() {
        for entry in std::fs::read_dir(p)? {
            collect(&entry?.path(), out)?;
        }
    } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
        out.push(p.to_path_buf());
    }
    Ok(())
}

/// Imports one document; a module type when `module_hint` says so or when it has none
/// of a device type's own keys.
pub fn import_text(store: &Store, actor: &Actor, text: &str, module_hint: bool) -> Outcome {
    let doc: Json = match serde_norway::from_str(text) {
        Ok(d) => d,
        Err(e) => return Outcome::Rejected(format!("not valid YAML: {e}")),
    };
    let Json::Object(doc) = doc else {
        return Outcome::Rejected("expected a mapping at the top level".into());
    };
    let device_keys = [
        "u_height",
        "slug",
        "is_full_depth",
        "subdevice_role",
        "device-bays",
    ];
    let module = module_hint || !device_keys.iter().any(|k| doc.contains_key(*k));
    let result = store.write(actor, |w| import_doc(w, &doc, module));
    match result {
        Ok(o) => o,
        Err(ImportError::Rejected(m)) => Outcome::Rejected(m),
        Err(ImportError::Store(e)) => Outcome::Rejected(describe(&e)),
    }
}

enum ImportError {
    Rejected(String),
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> ImportError {
        ImportError::Store(e)
    }
}

/// Field messages on one line.
pub fn one_line(m: &Messages) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}: {}", v.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A store error as the command line reports it.
pub fn describe(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(fields) => one_line(&messages(fields)),
        other => other.to_string(),
    }
}

/// "Juniper Networks" → "juniper-networks".
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn reg_type<'r>(
    reg: &'r cairn_schema::Registry,
    label: &str,
) -> Result<&'r ObjectType, ImportError> {
    reg.get(label)
        .ok_or_else(|| ImportError::Rejected(format!("{label} is not available")))
}

fn create_from(
    w: &mut Writer<'_>,
    t: &ObjectType,
    body: &Json,
    context: &str,
) -> Result<i64, ImportError> {
    let change = parse_object(w.conn, w.s, t, body)?
        .map_err(|e| ImportError::Rejected(format!("{context}: {}", one_line(&e))))?;
    w.create(t, change)
        .map(|r| r.id)
        .map_err(|e| ImportError::Rejected(format!("{context}: {}", describe(&e))))
}

fn import_doc(
    w: &mut Writer<'_>,
    doc: &Map<String, Json>,
    module: bool,
) -> Result<Outcome, ImportError> {
    let reg = w.s.reg.clone();
    let manufacturers = reg_type(&reg, "dcim.manufacturer")?;
    let (label, owner_key) = if module {
        ("dcim.moduletype", "module_type")
    } else {
        ("dcim.devicetype", "device_type")
    };
    let t = reg_type(&reg, label)?;
    let Some(maker) = doc.get("manufacturer").and_then(|m| m.as_str()) else {
        return Err(ImportError::Rejected(
            "manufacturer: This field is required.".into(),
        ));
    };
    let Some(model) = doc.get("model").and_then(|m| m.as_str()) else {
        return Err(ImportError::Rejected(
            "model: This field is required.".into(),
        ));
    };
    let maker_id = match read::ids(w.conn, w.s, manufacturers, &Filter::eq("name", maker))?.first()
    {
        Some(id) => *id,
        None => create_from(
            w,
            manufacturers,
            &json!({"name": maker, "slug": slugify(maker)}),
            "manufacturer",
        )?,
    };
    let existing = Filter::and(vec![
        Filter::eq("manufacturer", maker_id),
        Filter::eq("model", model),
    ]);
    if read::exists(w.conn, w.s, t, &existing)? {
        return Ok(Outcome::Present(format!("{maker} {model}")));
    }
    // The type's own fields: what the document has of them, images aside.
    let mut body = Map::new();
    for (k, v) in doc {
        if t.field(k).is_some() && !k.ends_with("_image") {
            body.insert(k.clone(), v.clone());
        }
    }
    body.insert("manufacturer".into(), json!(maker_id));
    if t.field("slug").is_some() && !body.contains_key("slug") {
        body.insert("slug".into(), json!(slugify(model)));
    }
    let owner = create_from(w, t, &Json::Object(body), label)?;
    for (key, template) in COMPONENTS {
        let Some(items) = doc.get(*key) else { continue };
        let Some(items) = items.as_array() else {
            return Err(ImportError::Rejected(format!("{key}: expected a list")));
        };
        let tt = reg_type(&reg, template)?;
        for (n, item) in items.iter().enumerate() {
            let Json::Object(item) = item else {
                return Err(ImportError::Rejected(format!(
                    "{key}[{n}]: expected a mapping"
                )));
            };
            let mut body = item.clone();
            body.insert(owner_key.into(), json!(owner));
            for r in BY_NAME {
                if let Some(Json::String(name)) = item.get(*r) {
                    body.insert((*r).into(), json!({"name": name, owner_key: owner}));
                }
            }
            if let Some(Json::String(name)) = item.get("manufacturer") {
                body.insert("manufacturer".into(), json!({"name": name}));
            }
            create_from(w, tt, &Json::Object(body), &format!("{key}[{n}]"))?;
        }
    }
    Ok(Outcome::Created(format!("{maker} {model}")))
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Juniper Networks"), "juniper-networks");
        assert_eq!(slugify("QFX5120-48Y (AC)"), "qfx5120-48y-ac");
    }
}
