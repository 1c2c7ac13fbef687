//! Model rules the registry cannot express, registered per object type (by the domain)
//! and looked up by the type's registry index on every write.

use std::collections::HashMap;
use std::sync::Arc;

use cairn_schema::{CustomField, ObjectType, Registry};

use crate::conn::Conn;
use crate::error::{FieldErrors, Result};
use crate::schema::Schema;
use crate::value::Record;
use crate::write::{Action, Writer};

/// Checks a candidate object; adds reasons to the errors. `old` is None on create.
pub trait ValidateFn:
    Fn(&mut Writer<'_>, &ObjectType, Option<&Record>, &mut Record, &mut FieldErrors) -> Result<()>
    + Send
    + Sync
    + 'static
{
}
impl<F> ValidateFn for F where
    F: Fn(
            &mut Writer<'_>,
            &ObjectType,
            Option<&Record>,
            &mut Record,
            &mut FieldErrors,
        ) -> Result<()>
        + Send
        + Sync
        + 'static
{
}

/// Runs after the row is written, in the same transaction.
pub trait WriteFn:
    Fn(&mut Writer<'_>, &ObjectType, Action, Option<&Record>, &Record) -> Result<()>
    + Send
    + Sync
    + 'static
{
}
impl<F> WriteFn for F where
    F: Fn(&mut Writer<'_>, &ObjectType, Action, Option<&Record>, &Record) -> Result<()>
        + Send
        + Sync
        + 'static
{
}

/// Runs around a delete, in the same transaction.
pub trait DeleteFn:
    Fn(&mut Writer<'_>, &ObjectType, &Record) -> Result<()> + Send + Sync + 'static
{
}
impl<F> DeleteFn for F where
    F: Fn(&mut Writer<'_>, &ObjectType, &Record) -> Result<()> + Send + Sync + 'static
{
}

/// Reads the definitions made at run time (custom fields) from the database.
pub trait LoadFn:
    Fn(&mut Conn, &Schema) -> Result<Vec<CustomField>> + Send + Sync + 'static
{
}
impl<F> LoadFn for F where
    F: Fn(&mut Conn, &Schema) -> Result<Vec<CustomField>> + Send + Sync + 'static
{
}

/// The rules of one object type, run in the order they were registered.
#[derive(Default, Clone)]
pub struct HookSet {
    pub validate: Vec<Arc<dyn ValidateFn>>,
    pub after_write: Vec<Arc<dyn WriteFn>>,
    pub before_delete: Vec<Arc<dyn DeleteFn>>,
    pub after_delete: Vec<Arc<dyn DeleteFn>>,
    /// Its objects define registry entries: writing one rebuilds the registry.
    pub defines: bool,
}

/// Hook sets by model label, as the domain registers them, and how the registry's run-time
/// entries are read.
#[derive(Default, Clone)]
pub struct Hooks {
    by_label: HashMap<String, HookSet>,
    pub(crate) load: Option<Arc<dyn LoadFn>>,
}

impl Hooks {
    /// No rules at all: for tools and tests of the store alone.
    pub fn none() -> Hooks {
        Hooks::default()
    }

    pub fn validate(
        &mut self,
        label: &str,
        f: impl Fn(
                &mut Writer<'_>,
                &ObjectType,
                Option<&Record>,
                &mut Record,
                &mut FieldErrors,
            ) -> Result<()>
            + Send
            + Sync
            + 'static,
    ) -> &mut Hooks {
        self.set(label).validate.push(Arc::new(f));
        self
    }

    pub fn after_write(&mut self, label: &str, f: impl WriteFn) -> &mut Hooks {
        self.set(label).after_write.push(Arc::new(f));
        self
    }

    /// Runs before anything is deleted: may refuse the delete or prepare what refers to
    /// the object.
    pub fn before_delete(&mut self, label: &str, f: impl DeleteFn) -> &mut Hooks {
        self.set(label).before_delete.push(Arc::new(f));
        self
    }

    pub fn after_delete(&mut self, label: &str, f: impl DeleteFn) -> &mut Hooks {
        self.set(label).after_delete.push(Arc::new(f));
        self
    }

    /// Objects of these types define registry entries, which `load` reads back.
    pub fn definitions(&mut self, labels: &[&str], load: impl LoadFn) -> &mut Hooks {
        for l in labels {
            self.set(l).defines = true;
        }
        self.load = Some(Arc::new(load));
        self
    }

    fn set(&mut self, label: &str) -> &mut HookSet {
        self.by_label.entry(label.to_string()).or_default()
    }

    /// The hook sets of one registry's types, by registry index.
    pub(crate) fn table(&self, reg: &Registry) -> HookTable {
        HookTable(
            reg.types()
                .iter()
                .map(|t| self.by_label.get(&t.label()).cloned().unwrap_or_default())
                .collect(),
        )
    }
}

/// Hook sets by registry index.
pub struct HookTable(Vec<HookSet>);

impl HookTable {
    pub(crate) fn of(&self, t: &ObjectType) -> Option<&HookSet> {
        self.0.get(t.index)
    }
}
