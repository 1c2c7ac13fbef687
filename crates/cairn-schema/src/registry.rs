//! The registry: every object type, indexed by label and by REST endpoint.

use std::collections::HashMap;

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

#[derive(Debug)]
pub struct Registry {
    types: Vec<ObjectType>,
    by_label: HashMap<String, usize>,
    by_endpoint: HashMap<(String, String), usize>,
    referenced_by: Vec<Vec<Reference>>,
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
        Registry {
            types,
            by_label,
            by_endpoint,
            referenced_by,
        }
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
