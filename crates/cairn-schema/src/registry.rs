//! The registry: every object type, indexed by label and by REST endpoint.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::custom::CustomField;
use crate::field::{int, FieldKind, OnDelete};
use crate::object_type::ObjectType;

/// An app: its label ("dcim") and the name NetBox shows ("DCIM").
#[derive(Debug, Clone, Copy)]
pub struct App {
    pub label: &'static str,
    pub name: &'static str,
}

pub const APPS: &[App] = &[
    App {
        label: "circuits",
        name: "Circuits",
    },
    App {
        label: "core",
        name: "Core",
    },
    App {
        label: "dcim",
        name: "DCIM",
    },
    App {
        label: "extras",
        name: "Extras",
    },
    App {
        label: "ipam",
        name: "IPAM",
    },
    App {
        label: "tenancy",
        name: "Tenancy",
    },
    App {
        label: "users",
        name: "Users",
    },
    App {
        label: "virtualization",
        name: "Virtualization",
    },
    App {
        label: "vpn",
        name: "VPN",
    },
    App {
        label: "wireless",
        name: "Wireless",
    },
];

/// A reference from one model's field to another model.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub from: usize,
    pub field: usize,
    pub on_delete: OnDelete,
}

/// Every object type, with the custom fields defined at run time. Cloning is cheap: the
/// built-in part is shared between the registries that differ in custom fields only.
#[derive(Debug, Clone)]
pub struct Registry {
    types: Arc<Vec<ObjectType>>,
    by_label: Arc<HashMap<String, usize>>,
    by_endpoint: Arc<HashMap<(String, String), usize>>,
    referenced_by: Arc<Vec<Vec<Reference>>>,
    custom: Arc<Vec<CustomField>>,
    /// Per type index: its custom fields (indexes into `custom`), in display order.
    custom_by_type: Arc<Vec<Vec<usize>>>,
    /// Per type index: the filter parameters NetBox defines for it (None: a model NetBox
    /// does not have, whose filters are all Cairn's).
    filters: Arc<Vec<Option<HashSet<String>>>>,
}

impl Registry {
    /// Builds the registry from the declarations of every app.
    pub fn build() -> Registry {
        Registry::from_types(crate::models::all())
    }

    pub fn from_types(mut types: Vec<ObjectType>) -> Registry {
        for (i, t) in types.iter_mut().enumerate() {
            t.index = i;
            if t.tree && t.field("_depth").is_none() {
                t.fields.push(
                    int("_depth", None, None)
                        .read_only()
                        .default_int(0)
                        .no_filter(),
                );
            }
        }
        let by_label = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.label(), i))
            .collect::<HashMap<_, _>>();
        let by_endpoint = types
            .iter()
            .enumerate()
            .map(|(i, t)| ((t.app.to_string(), t.endpoint.to_string()), i))
            .collect();
        let mut referenced_by = vec![Vec::new(); types.len()];
        for (from, t) in types.iter().enumerate() {
            for (field, f) in t.fields.iter().enumerate() {
                if let FieldKind::ForeignKey { target, on_delete } = f.kind {
                    if let Some(&to) = by_label.get(target) {
                        referenced_by[to].push(Reference {
                            from,
                            field,
                            on_delete,
                        });
                    }
                }
            }
        }
        let n = types.len();
        let mut netbox = crate::netbox_filters::by_endpoint();
        let filters = types
            .iter()
            .map(|t| netbox.remove(&format!("{}/{}", t.app, t.endpoint)))
            .collect();
        Registry {
            types: Arc::new(types),
            by_label: Arc::new(by_label),
            by_endpoint: Arc::new(by_endpoint),
            referenced_by: Arc::new(referenced_by),
            custom: Arc::new(Vec::new()),
            custom_by_type: Arc::new(vec![Vec::new(); n]),
            filters: Arc::new(filters),
        }
    }

    /// Whether a list of `t` takes this filter parameter (with its lookup): NetBox's
    /// filters for its models, custom field filters always.
    pub fn takes_filter(&self, t: &ObjectType, param: &str) -> bool {
        if param.starts_with("cf_") {
            return true;
        }
        match self.filters.get(t.index) {
            Some(Some(names)) => names.contains(param),
            _ => true,
        }
    }

    /// NetBox's filter parameters for a type, if NetBox has the type.
    pub fn netbox_filters(&self, t: &ObjectType) -> Option<&HashSet<String>> {
        self.filters.get(t.index).and_then(Option::as_ref)
    }

    /// The same types with these custom fields (those of other registries dropped).
    /// Fields of a type are ordered as NetBox orders them: by group, weight, name.
    pub fn with_custom(&self, mut fields: Vec<CustomField>) -> Registry {
        fields.sort_by(|a, b| {
            (&a.group_name, a.weight, &a.name).cmp(&(&b.group_name, b.weight, &b.name))
        });
        let mut by_type = vec![Vec::new(); self.types.len()];
        for (i, f) in fields.iter().enumerate() {
            for label in &f.object_types {
                if let Some(&t) = self.by_label.get(label) {
                    by_type[t].push(i);
                }
            }
        }
        Registry {
            custom: Arc::new(fields),
            custom_by_type: Arc::new(by_type),
            ..self.clone()
        }
    }

    /// The custom fields of a type, in display order.
    pub fn custom_fields<'a>(
        &'a self,
        t: &ObjectType,
    ) -> impl Iterator<Item = &'a CustomField> + 'a {
        self.custom_by_type
            .get(t.index)
            .into_iter()
            .flatten()
            .map(|&i| &self.custom[i])
    }

    pub fn custom_field(&self, t: &ObjectType, name: &str) -> Option<&CustomField> {
        self.custom_fields(t).find(|f| f.name == name)
    }

    pub fn types(&self) -> &[ObjectType] {
        &self.types
    }

    pub fn index_of(&self, label: &str) -> Option<usize> {
        self.by_label.get(label).copied()
    }

    pub fn get(&self, label: &str) -> Option<&ObjectType> {
        self.index_of(label).map(|i| &self.types[i])
    }

    pub fn by_index(&self, i: usize) -> &ObjectType {
        &self.types[i]
    }

    pub fn by_endpoint(&self, app: &str, endpoint: &str) -> Option<usize> {
        self.by_endpoint
            .get(&(app.to_string(), endpoint.to_string()))
            .copied()
    }

    /// FK fields of other models (or this one) that point at type `i`.
    pub fn referenced_by(&self, i: usize) -> &[Reference] {
        &self.referenced_by[i]
    }

    pub fn app(&self, label: &str) -> Option<&'static App> {
        APPS.iter().find(|a| a.label == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom::{CustomKind, FilterLogic};

    fn field(name: &str, group: &str, weight: i64, types: &[&str]) -> CustomField {
        CustomField {
            id: 0,
            name: name.into(),
            label: String::new(),
            kind: CustomKind::Text,
            object_types: types.iter().map(|t| t.to_string()).collect(),
            related_object_type: None,
            required: false,
            unique: false,
            default: None,
            group_name: group.into(),
            weight,
            filter_logic: FilterLogic::Loose,
            validation_minimum: None,
            validation_maximum: None,
            validation_regex: String::new(),
            choices: None,
        }
    }

    #[test]
    fn custom_fields_join_their_types_in_netbox_order() {
        let base = Registry::build();
        let reg = base.with_custom(vec![
            field("zeta", "", 100, &["dcim.site"]),
            field("alpha", "", 200, &["dcim.site", "tenancy.tenant"]),
            field("beta", "", 100, &["dcim.site"]),
            field("grouped", "a", 0, &["dcim.site"]),
            field("elsewhere", "", 100, &["dcim.nothing"]),
        ]);
        let site = reg.get("dcim.site").expect("site");
        let names: Vec<&str> = reg.custom_fields(site).map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["beta", "zeta", "alpha", "grouped"]);
        let tenant = reg.get("tenancy.tenant").expect("tenant");
        assert_eq!(reg.custom_fields(tenant).count(), 1);
        assert!(reg.custom_field(site, "alpha").is_some());
        assert_eq!(
            base.custom_fields(site).count(),
            0,
            "the base registry is untouched"
        );
    }
}

#[cfg(test)]
mod unique_messages {
    use super::Registry;

    /// NetBox 4.4.10's answer to each violated unique constraint, taken from a running
    /// NetBox: model, fields, condition, message.
    const NETBOX: &str = include_str!("netbox_unique.tsv");

    #[test]
    fn unique_errors_are_worded_as_netbox_words_them() {
        let reg = Registry::build();
        let mut checked = 0;
        let mut wrong = Vec::new();
        for line in NETBOX.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [label, fields, condition, message] = cols[..] else {
                continue;
            };
            let Some(t) = reg.get(label) else {
                continue;
            };
            let fields: Vec<&str> = fields.split(',').collect();
            let top_level = !condition.is_empty();
            for u in &t.unique_together {
                if u.fields == fields && u.when_null.is_empty() != top_level {
                    checked += 1;
                    if u.message != message {
                        wrong.push(format!(
                            "{label} {fields:?}: {:?}, NetBox {message:?}",
                            u.message
                        ));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
        assert!(checked >= 60, "only {checked} constraints matched");
    }
}
