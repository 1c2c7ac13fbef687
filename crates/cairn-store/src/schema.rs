//! The registry bound to one database: object type ids from `core_objecttype`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use cairn_schema::{ObjectType, Registry};

use crate::conn::{Col, Conn};
use crate::error::Result;
use crate::read::Layout;
use crate::value::Value;

/// Select layouts per type: (alias t), (alias t, with counts), (alias p).
type Layouts = Vec<[OnceLock<Arc<Layout>>; 3]>;

#[derive(Clone)]
pub struct Schema {
    pub reg: Arc<Registry>,
    /// `core_objecttype` id per registry index.
    ct_ids: Vec<Option<i64>>,
    by_ct: HashMap<i64, usize>,
    /// Every row of `core_objecttype`: id → "app.model" (includes types not served).
    labels: HashMap<i64, String>,
    /// Built on first use; they depend on the types alone, so registries that differ in
    /// custom fields share them.
    layouts: Arc<Layouts>,
}

impl Schema {
    /// The same database binding over another registry of the same types (one that
    /// differs in custom fields).
    pub fn with_registry(&self, reg: Arc<Registry>) -> Schema {
        Schema {
            reg,
            ..self.clone()
        }
    }

    /// A type's select layout in one of its variants, built once.
    pub(crate) fn layout(
        &self,
        t: &ObjectType,
        variant: usize,
        build: impl FnOnce() -> Layout,
    ) -> Arc<Layout> {
        match self.layouts.get(t.index).and_then(|v| v.get(variant)) {
            Some(cell) => cell.get_or_init(|| Arc::new(build())).clone(),
            None => Arc::new(build()),
        }
    }

    pub fn ct_of(&self, t: &ObjectType) -> Option<i64> {
        self.reg
            .index_of(&t.label())
            .and_then(|i| self.ct_ids.get(i).copied().flatten())
    }

    pub fn ct_of_label(&self, label: &str) -> Option<i64> {
        self.reg
            .index_of(label)
            .and_then(|i| self.ct_ids.get(i).copied().flatten())
    }

    /// The registry type of an object type id.
    pub fn type_of_ct(&self, ct: i64) -> Option<&ObjectType> {
        self.by_ct.get(&ct).map(|&i| self.reg.by_index(i))
    }

    pub fn label_of_ct(&self, ct: i64) -> Option<&str> {
        self.labels.get(&ct).map(String::as_str)
    }

    /// Writes one `core_objecttype` row per registered type (inserting new ones, refreshing
    /// the descriptive columns of existing ones) and reads the ids back.
    pub fn sync(conn: &mut Conn, reg: Arc<Registry>) -> Result<Schema> {
        let existing: HashMap<String, i64> = conn
            .query(
                "SELECT id, app_label, model FROM core_objecttype",
                &[],
                &[Col::Int, Col::Text, Col::Text],
            )?
            .into_iter()
            .filter_map(|r| {
                let id = r[0].as_i64()?;
                Some((format!("{}.{}", r[1].as_str()?, r[2].as_str()?), id))
            })
            .collect();
        let mut labels: HashMap<i64, String> =
            existing.iter().map(|(l, id)| (*id, l.clone())).collect();
        let mut ct_ids = Vec::with_capacity(reg.types().len());
        let mut by_ct = HashMap::new();
        for (i, t) in reg.types().iter().enumerate() {
            let app_name = reg.app(t.app).map(|a| a.name).unwrap_or(t.app);
            let features = serde_json::Value::from(features(t));
            let endpoint = format!("/api/{}/{}/", t.app, t.endpoint);
            let public = !matches!(t.app, "core" | "users") || t.model == "objecttype";
            let values: Vec<Value> = vec![
                app_name.into(),
                t.verbose_name.into(),
                t.verbose_name_plural.into(),
                Value::Bool(public),
                Value::Json(features),
                Value::Bool(false),
                endpoint.into(),
                t.description.into(),
            ];
            let id = match existing.get(&t.label()) {
                Some(&id) => {
                    let mut params = values;
                    params.push(Value::Int(id));
                    conn.execute(
                        "UPDATE core_objecttype SET app_name = ?, model_name = ?, \
                         model_name_plural = ?, public = ?, features = ?, is_plugin_model = ?, \
                         rest_api_endpoint = ?, description = ? WHERE id = ?",
                        &params,
                    )?;
                    id
                }
                None => {
                    let mut params: Vec<Value> = vec![t.app.into(), t.model.into()];
                    params.extend(values);
                    conn.insert(
                        "INSERT INTO core_objecttype (app_label, model, app_name, model_name, \
                         model_name_plural, public, features, is_plugin_model, \
                         rest_api_endpoint, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                         RETURNING id",
                        &params,
                    )?
                }
            };
            labels.insert(id, t.label());
            ct_ids.push(Some(id));
            by_ct.insert(id, i);
        }
        let layouts = (0..reg.types().len()).map(|_| Default::default()).collect();
        Ok(Schema {
            reg,
            ct_ids,
            by_ct,
            labels,
            layouts: Arc::new(layouts),
        })
    }
}

/// NetBox's feature names for a model.
fn features(t: &ObjectType) -> Vec<&'static str> {
    let mut f = Vec::new();
    if t.features.change_log {
        f.push("change_logging");
    }
    if t.features.contacts {
        f.push("contacts");
    }
    if t.features.custom_fields {
        f.extend([
            "custom_fields",
            "export_templates",
            "bookmarks",
            "notifications",
        ]);
    }
    if t.features.tags {
        f.push("tags");
    }
    f.sort_unstable();
    f
}
