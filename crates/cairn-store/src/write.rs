//! The write path: every create, update and delete goes through `Writer`, inside the
//! caller's transaction: validate → write → hooks → change record.

use std::collections::BTreeSet;

use chrono::Utc;
use serde_json::{Map, Value as Json};

use cairn_schema::{naturalize, naturalize_interface, FieldKind, ObjectType, OnDelete};

use crate::blocks;
use crate::conn::{Col, Conn};
use crate::custom::{self, DataChange};
use crate::ddl::{m2m_link, TAGGED_ITEM};
use crate::display::display_stored;
use crate::error::{FieldErrors, Result, StoreError};
use crate::filter::Filter;
use crate::hooks::HookTable;
use crate::ipkey::IpNet;
use crate::read;
use crate::schema::Schema;
use crate::validate::validate_fields;
use crate::value::{Record, Value};

/// Advisory lock keys of trees: this base plus the type's registry index.
const TREE_LOCK_BASE: i64 = 200_000;

/// Who is changing things, recorded on every change.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub user_name: String,
    pub request_id: String,
}

/// New values for some fields of one object.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub values: Vec<(usize, Value)>,
    pub tags: Option<Vec<i64>>,
    /// Custom field values to merge into `custom_field_data`.
    pub custom: Option<Map<String, Json>>,
    /// The change record's message (NetBox's `changelog_message`).
    pub message: Option<String>,
}

impl Change {
    pub fn set(&mut self, field: usize, v: Value) {
        self.values.retain(|(f, _)| *f != field);
        self.values.push((field, v));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

pub struct Writer<'a> {
    pub conn: &'a mut Conn,
    pub s: &'a Schema,
    pub actor: &'a Actor,
    pub(crate) hooks: &'a HookTable,
    /// Address blocks to recount before commit.
    pub(crate) blocks: BTreeSet<blocks::Dirty>,
    /// An object that defines registry entries was written.
    pub(crate) redefined: bool,
}

impl<'a> Writer<'a> {
    /// Notes writes to types whose objects define registry entries.
    fn note(&mut self, t: &ObjectType) {
        if self.hooks.of(t).is_some_and(|h| h.defines) {
            self.redefined = true;
        }
    }

    fn validate_hooks(
        &mut self,
        t: &ObjectType,
        old: Option<&Record>,
        new: &mut Record,
        errors: &mut FieldErrors,
    ) -> Result<()> {
        self.note(t);
        let hooks: &'a HookTable = self.hooks;
        if let Some(set) = hooks.of(t) {
            for h in &set.validate {
                h(self, t, old, new, errors)?;
            }
        }
        Ok(())
    }

    fn write_hooks(
        &mut self,
        t: &ObjectType,
        action: Action,
        old: Option<&Record>,
        new: &Record,
    ) -> Result<()> {
        let hooks: &'a HookTable = self.hooks;
        if let Some(set) = hooks.of(t) {
            for h in &set.after_write {
                h(self, t, action, old, new)?;
            }
        }
        Ok(())
    }

    fn delete_hooks(&mut self, t: &ObjectType, old: &Record) -> Result<()> {
        self.note(t);
        let hooks: &'a HookTable = self.hooks;
        if let Some(set) = hooks.of(t) {
            for h in &set.after_delete {
                h(self, t, old)?;
            }
        }
        Ok(())
    }

    /// Rewrites one custom-data key in every object of a type (fields added, removed or
    /// renamed), without change records.
    pub fn rewrite_custom_data(&mut self, t: &ObjectType, change: &DataChange<'_>) -> Result<()> {
        custom::rewrite(self.conn, t, change)
    }

    /// Brings derived counts up to date; the store calls it before committing.
    pub(crate) fn finish(&mut self) -> Result<()> {
        blocks::flush(self.conn, &mut self.blocks)
    }

    pub fn create(&mut self, t: &ObjectType, change: Change) -> Result<Record> {
        self.lock_tree(t)?;
        let mut rec = new_record(t, &change);
        let provided: Vec<usize> = change.values.iter().map(|(i, _)| *i).collect();
        let mut errors = FieldErrors::new();
        validate_fields(
            self.conn,
            self.s,
            t,
            None,
            &mut rec,
            &provided,
            true,
            &mut errors,
        )?;
        let given = change.custom.is_some();
        custom::validate_data(self.conn, self.s, t, &mut rec, given, true, &mut errors)?;
        self.validate_hooks(t, None, &mut rec, &mut errors)?;
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        self.check_tag_types(t, change.tags.as_deref())?;
        let id = self.insert(t, &rec, &change)?;
        let new = self.reload(t, id)?;
        blocks::mark(t, &new, &mut self.blocks);
        self.write_hooks(t, Action::Create, None, &new)?;
        let message = change.message.as_deref().unwrap_or("");
        self.log(t, Action::Create, None, Some(&new), message)?;
        Ok(new)
    }

    /// Creates an object from values the caller vouches for (components copied from
    /// already-validated templates): no field validation and no re-read, but hooks and
    /// the change log as usual.
    pub fn create_trusted(&mut self, t: &ObjectType, change: Change) -> Result<Record> {
        let mut rec = new_record(t, &change);
        // Custom fields start at their defaults, as NetBox's instantiated components do.
        if t.features.custom_fields && change.custom.is_none() {
            rec.custom = custom::defaults(self.s, t);
        }
        let now = Utc::now();
        rec.id = self.insert(t, &rec, &change)?;
        rec.created = Some(now);
        rec.last_updated = Some(now);
        rec.counts = vec![0; t.counts.len()];
        blocks::mark(t, &rec, &mut self.blocks);
        self.write_hooks(t, Action::Create, None, &rec)?;
        self.log(t, Action::Create, None, Some(&rec), "")?;
        Ok(rec)
    }

    /// Writes a new row, its relations and tree keys; returns its id.
    fn insert(&mut self, t: &ObjectType, rec: &Record, change: &Change) -> Result<i64> {
        let now = Utc::now();
        let mut cols: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if t.timestamps {
            cols.extend(["created".into(), "last_updated".into()]);
            params.extend([Value::Time(now), Value::Time(now)]);
        }
        if t.features.custom_fields {
            cols.push("custom_field_data".into());
            params.push(Value::Json(rec.custom.clone()));
        }
        push_columns(t, rec, &mut cols, &mut params);
        let placeholders = vec!["?"; cols.len()].join(", ");
        let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        let id = self.conn.insert(
            &format!(
                "INSERT INTO {} ({}) VALUES ({placeholders}) RETURNING id",
                t.table,
                quoted.join(", ")
            ),
            &params,
        )?;
        let mut stored = rec.clone();
        stored.id = id;
        self.write_relations(t, &stored, change, None)?;
        if t.tree {
            self.retree(t, id)?;
        }
        Ok(id)
    }

    /// Applies `change` to object `id`. With `require_all` (PUT), required fields must be
    /// among the changed ones.
    pub fn update(
        &mut self,
        t: &ObjectType,
        id: i64,
        mut change: Change,
        require_all: bool,
    ) -> Result<Record> {
        self.lock_tree(t)?;
        let old = read::get(self.conn, self.s, t, id)?.ok_or(StoreError::NotFound)?;
        if require_all {
            for (i, f) in t.fields.iter().enumerate() {
                if f.reset_on_put && !change.values.iter().any(|(c, _)| *c == i) {
                    change.values.push((i, default_value(f)));
                }
            }
        }
        let mut rec = old.clone();
        let provided: Vec<usize> = change.values.iter().map(|(i, _)| *i).collect();
        apply(&mut rec, &change);
        let mut errors = FieldErrors::new();
        validate_fields(
            self.conn,
            self.s,
            t,
            Some(&old),
            &mut rec,
            &provided,
            require_all,
            &mut errors,
        )?;
        let given = change.custom.is_some();
        custom::validate_data(self.conn, self.s, t, &mut rec, given, false, &mut errors)?;
        self.validate_hooks(t, Some(&old), &mut rec, &mut errors)?;
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let added: Vec<i64> = change
            .tags
            .iter()
            .flatten()
            .filter(|id| !old.tags.contains(id))
            .copied()
            .collect();
        self.check_tag_types(t, Some(&added))?;
        let mut cols: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if t.timestamps {
            cols.push("last_updated".into());
            params.push(Value::Time(Utc::now()));
        }
        if t.features.custom_fields {
            cols.push("custom_field_data".into());
            params.push(Value::Json(rec.custom.clone()));
        }
        push_columns(t, &rec, &mut cols, &mut params);
        let sets: Vec<String> = cols.iter().map(|c| format!("\"{c}\" = ?")).collect();
        params.push(Value::Int(id));
        self.conn.execute(
            &format!("UPDATE {} SET {} WHERE id = ?", t.table, sets.join(", ")),
            &params,
        )?;
        self.write_relations(t, &rec, &change, Some(&old))?;
        if t.tree {
            let moved = t
                .field_index("parent")
                .is_some_and(|p| old.values[p] != rec.values[p])
                || t.field_index("name")
                    .is_some_and(|n| old.values[n] != rec.values[n]);
            if moved {
                self.retree(t, id)?;
            }
        }
        let new = self.reload(t, id)?;
        blocks::mark(t, &old, &mut self.blocks);
        blocks::mark(t, &new, &mut self.blocks);
        self.write_hooks(t, Action::Update, Some(&old), &new)?;
        let message = change.message.as_deref().unwrap_or("");
        self.log(t, Action::Update, Some(&old), Some(&new), message)?;
        Ok(new)
    }

    /// Deletes an object, following the on-delete rules of everything that refers to it.
    pub fn delete(&mut self, t: &ObjectType, id: i64) -> Result<()> {
        self.delete_noted(t, id, "")
    }

    /// Deletes an object with a message for its change record.
    pub fn delete_noted(&mut self, t: &ObjectType, id: i64, message: &str) -> Result<()> {
        self.lock_tree(t)?;
        let old = read::get(self.conn, self.s, t, id)?.ok_or(StoreError::NotFound)?;
        let hooks: &'a HookTable = self.hooks;
        if let Some(set) = hooks.of(t) {
            for h in &set.before_delete {
                h(self, t, &old)?;
            }
        }
        let ti = self
            .s
            .reg
            .index_of(&t.label())
            .ok_or(StoreError::NotFound)?;
        let mut blockers: Vec<String> = Vec::new();
        let refs = self.s.reg.referenced_by(ti).to_vec();
        for r in refs.iter().filter(|r| r.on_delete == OnDelete::Protect) {
            let from = self.s.reg.by_index(r.from);
            let field = &from.fields[r.field];
            let Some(col) = field.column() else { continue };
            for rid in read::ids(self.conn, self.s, from, &Filter::eq(col, id))? {
                if let Some(rec) = read::get(self.conn, self.s, from, rid)? {
                    blockers.push(format!(
                        "{} ({})",
                        display_stored(self.conn, self.s, from, &rec),
                        rid
                    ));
                }
            }
        }
        if !blockers.is_empty() {
            return Err(StoreError::Protected(format!(
                "Unable to delete object. {} dependent objects were found: {}",
                blockers.len(),
                blockers.join(", ")
            )));
        }
        for r in &refs {
            let from = self.s.reg.by_index(r.from);
            let field = &from.fields[r.field];
            let Some(col) = field.column() else { continue };
            match r.on_delete {
                OnDelete::Protect => {}
                OnDelete::Cascade => {
                    for rid in read::ids(self.conn, self.s, from, &Filter::eq(col.clone(), id))? {
                        if from.label() == t.label() && rid == id {
                            continue;
                        }
                        self.delete_cascaded(from, rid)?;
                    }
                }
                OnDelete::SetNull => {
                    // Change-logged objects get an update record each, as NetBox saves
                    // them (`handle_deleted_object`).
                    let logged: Vec<i64> = match from.features.change_log {
                        true => read::ids(self.conn, self.s, from, &Filter::eq(col.clone(), id))?,
                        false => Vec::new(),
                    };
                    let before = self.records(from, &logged)?;
                    self.conn.execute(
                        &format!(
                            "UPDATE {} SET \"{col}\" = NULL WHERE \"{col}\" = ?",
                            from.table
                        ),
                        &[Value::Int(id)],
                    )?;
                    self.log_updates(from, before)?;
                }
            }
        }
        self.delete_generic_references(t, id)?;
        self.log(t, Action::Delete, Some(&old), None, message)?;
        self.conn.execute(
            &format!("DELETE FROM {} WHERE id = ?", t.table),
            &[Value::Int(id)],
        )?;
        blocks::mark(t, &old, &mut self.blocks);
        self.delete_hooks(t, &old)?;
        Ok(())
    }

    /// Writes to a tree take its lock (PostgreSQL; SQLite writers are serialized anyway),
    /// so that concurrent moves never compute tree keys from each other's half-written
    /// state, as NetBox's MPTTLockedMixin does.
    fn lock_tree(&mut self, t: &ObjectType) -> Result<()> {
        if t.tree {
            self.conn.lock(TREE_LOCK_BASE + t.index as i64)?;
        }
        Ok(())
    }

    /// Sets fields on every object matching `filter`, as Django's `QuerySet.update()`
    /// does: no validation, no hooks, no change records. NetBox moves the objects inside
    /// a rack or location this way when the container moves.
    pub fn set_where(
        &mut self,
        t: &ObjectType,
        filter: &Filter,
        values: &[(&str, Value)],
    ) -> Result<u64> {
        let mut sql = crate::sql::Sql::new(&format!("UPDATE {} SET ", t.table));
        for (i, (name, v)) in values.iter().enumerate() {
            let col = t
                .field(name)
                .and_then(|f| f.column())
                .ok_or_else(|| StoreError::Db(format!("{} has no column {name}", t.label())))?;
            if i > 0 {
                sql.push(", ");
            }
            sql.push(&format!("\"{col}\" = "));
            sql.bind(v.clone());
        }
        sql.push(&format!(" WHERE id IN (SELECT t.id FROM {} t", t.table));
        read::where_sql(self.s, t, Some("t"), filter, self.conn.dialect(), &mut sql)?;
        sql.push(")");
        self.conn.execute(&sql.text, &sql.params)
    }

    /// Tags limited to some object types go on those only (NetBox's
    /// `validate_assigned_tags`, checked as tags are added).
    fn check_tag_types(&mut self, t: &ObjectType, tags: Option<&[i64]>) -> Result<()> {
        let (Some(tags), Some(tt), Some(ct)) =
            (tags, self.s.reg.get("extras.tag"), self.s.ct_of(t))
        else {
            return Ok(());
        };
        let (Some(types), false) = (tt.field_index("object_types"), tags.is_empty()) else {
            return Ok(());
        };
        let q = read::Query {
            filter: Filter::ids("id", tags.iter().copied()),
            ..read::Query::all()
        };
        let mut found = read::select(self.conn, self.s, tt, &q)?;
        read::load_relations(self.conn, self.s, tt, &mut found)?;
        for tag in &found {
            if let Value::Ids(allowed) = &tag.values[types] {
                if !allowed.is_empty() && !allowed.contains(&ct) {
                    let name = tt.field_index("name").and_then(|i| tag.values[i].as_str());
                    return Err(StoreError::Refused(format!(
                        "Tag {} cannot be assigned to {} objects.",
                        name.unwrap_or_default(),
                        t.model
                    )));
                }
            }
        }
        Ok(())
    }

    /// A cascaded delete: the object may already be gone with an ancestor (trees).
    fn delete_cascaded(&mut self, t: &ObjectType, id: i64) -> Result<()> {
        match self.delete(t, id) {
            Err(StoreError::NotFound) => Ok(()),
            other => other,
        }
    }

    /// Objects that hang off this one through a generic relation (contact assignments),
    /// its tags and its many-to-many rows go with it.
    fn delete_generic_references(&mut self, t: &ObjectType, id: i64) -> Result<()> {
        let ct = self.s.ct_of(t);
        let reg = self.s.reg.clone();
        for other in reg.types() {
            if other.read_only {
                continue;
            }
            for f in &other.fields {
                if let (FieldKind::GenericFk { ct: ct_col, fk }, Some(ct)) = (f.kind, ct) {
                    let filter = Filter::and(vec![
                        Filter::eq(format!("{ct_col}_id"), ct),
                        Filter::eq(fk, id),
                    ]);
                    for rid in read::ids(self.conn, self.s, other, &filter)? {
                        self.delete_cascaded(other, rid)?;
                    }
                }
                if let Some(link) = m2m_link(&reg, other, f) {
                    if f.fk_target() == Some(t.label().as_str()) && f.stored {
                        // Objects that lose this one from a many-to-many field record it.
                        let owners: Vec<i64> = match other.features.change_log {
                            true => self
                                .conn
                                .query(
                                    &format!(
                                        "SELECT {} FROM {} WHERE {} = ?",
                                        link.own, link.table, link.other
                                    ),
                                    &[Value::Int(id)],
                                    &[Col::Int],
                                )?
                                .into_iter()
                                .filter_map(|r| r.first().and_then(Value::as_i64))
                                .collect(),
                            false => Vec::new(),
                        };
                        let before = self.records(other, &owners)?;
                        self.conn.execute(
                            &format!("DELETE FROM {} WHERE {} = ?", link.table, link.other),
                            &[Value::Int(id)],
                        )?;
                        self.log_updates(other, before)?;
                    }
                }
            }
        }
        for f in &t.fields {
            if let Some(link) = m2m_link(&reg, t, f).filter(|_| f.stored) {
                self.conn.execute(
                    &format!("DELETE FROM {} WHERE {} = ?", link.table, link.own),
                    &[Value::Int(id)],
                )?;
            }
        }
        if t.features.tags {
            if let Some(ct) = ct {
                self.conn.execute(
                    &format!(
                        "DELETE FROM {TAGGED_ITEM} WHERE object_type_id = ? AND object_id = ?"
                    ),
                    &[Value::Int(ct), Value::Int(id)],
                )?;
            }
        }
        Ok(())
    }

    /// The objects of `t` with these ids, as they are now.
    fn records(&mut self, t: &ObjectType, ids: &[i64]) -> Result<Vec<Record>> {
        read::get_many(self.conn, self.s, t, ids)
    }

    /// Records an update for each object changed behind the write path's back.
    fn log_updates(&mut self, t: &ObjectType, before: Vec<Record>) -> Result<()> {
        let ids: Vec<i64> = before.iter().map(|r| r.id).collect();
        let after = read::get_many(self.conn, self.s, t, &ids)?;
        for (old, new) in before.iter().zip(&after) {
            self.log(t, Action::Update, Some(old), Some(new), "")?;
        }
        Ok(())
    }

    fn reload(&mut self, t: &ObjectType, id: i64) -> Result<Record> {
        read::get(self.conn, self.s, t, id)?.ok_or(StoreError::NotFound)
    }

    /// Writes many-to-many rows that changed (from the record, so that hooks may adjust
    /// them) and the tags the change names. `old` is None on create.
    fn write_relations(
        &mut self,
        t: &ObjectType,
        rec: &Record,
        change: &Change,
        old: Option<&Record>,
    ) -> Result<()> {
        let created = old.is_none();
        for (i, f) in t.fields.iter().enumerate() {
            let v = &rec.values[i];
            if old.is_some_and(|o| &o.values[i] == v) {
                continue;
            }
            if let (Some(link), Value::Ids(ids)) = (m2m_link(&self.s.reg, t, f), v) {
                let table = &link.table;
                if !created {
                    self.conn.execute(
                        &format!("DELETE FROM {table} WHERE {} = ?", link.own),
                        &[Value::Int(rec.id)],
                    )?;
                }
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                for target in ids {
                    self.conn.execute(
                        &format!(
                            "INSERT INTO {table} ({}, {}) VALUES (?, ?)",
                            link.own, link.other
                        ),
                        &[Value::Int(rec.id), Value::Int(target)],
                    )?;
                }
            }
        }
        if let (Some(tags), true) = (&change.tags, t.features.tags) {
            let ct = self
                .s
                .ct_of(t)
                .ok_or_else(|| StoreError::Db(format!("no object type for {}", t.label())))?;
            if !created {
                self.conn.execute(
                    &format!(
                        "DELETE FROM {TAGGED_ITEM} WHERE object_type_id = ? AND object_id = ?"
                    ),
                    &[Value::Int(ct), Value::Int(rec.id)],
                )?;
            }
            let mut tags = tags.clone();
            tags.sort_unstable();
            tags.dedup();
            for tag in tags {
                self.conn.execute(
                    &format!(
                        "INSERT INTO {TAGGED_ITEM} (tag_id, object_type_id, object_id) VALUES (?, ?, ?)"
                    ),
                    &[Value::Int(tag), Value::Int(ct), Value::Int(rec.id)],
                )?;
            }
        }
        Ok(())
    }

    /// Recomputes `_tree` (id path), `_path` (name path, for ordering) and `_depth` of a
    /// node from its parent, then of its descendants.
    fn retree(&mut self, t: &ObjectType, id: i64) -> Result<()> {
        let sql = format!(
            "SELECT n.name, p._tree, p._path, p._depth FROM {0} n LEFT JOIN {0} p ON p.id = n.parent_id WHERE n.id = ?",
            t.table
        );
        let Some(row) = self.conn.query_one(
            &sql,
            &[Value::Int(id)],
            &[Col::Text, Col::Text, Col::Text, Col::Int],
        )?
        else {
            return Ok(());
        };
        let name = row[0].as_str().unwrap_or_default().to_string();
        let (tree, path, depth) = match (&row[1], &row[2], row[3].as_i64()) {
            (Value::Text(pt), Value::Text(pp), Some(pd)) => {
                (format!("{pt}{id}/"), format!("{pp}\u{1}{name}"), pd + 1)
            }
            _ => (format!("/{id}/"), name, 0),
        };
        self.conn.execute(
            &format!(
                "UPDATE {} SET _tree = ?, _path = ?, _depth = ? WHERE id = ?",
                t.table
            ),
            &[tree.into(), path.into(), Value::Int(depth), Value::Int(id)],
        )?;
        for child in read::ids(self.conn, self.s, t, &Filter::eq("parent_id", id))? {
            self.retree(t, child)?;
        }
        Ok(())
    }

    /// Records an ObjectChange with full before/after snapshots.
    fn log(
        &mut self,
        t: &ObjectType,
        action: Action,
        old: Option<&Record>,
        new: Option<&Record>,
        message: &str,
    ) -> Result<()> {
        if !t.features.change_log {
            return Ok(());
        }
        let Some(ct) = self.s.ct_of(t) else {
            return Ok(());
        };
        let subject = new.or(old).ok_or(StoreError::NotFound)?;
        let repr: String = display_stored(self.conn, self.s, t, subject)
            .chars()
            .take(200)
            .collect();
        let pre = match old {
            Some(r) => Value::Json(self.snapshot(t, r)?),
            None => Value::Json(Json::Object(Map::new())),
        };
        let post = match new {
            Some(r) => Value::Json(self.snapshot(t, r)?),
            None => Value::Json(Json::Object(Map::new())),
        };
        // An update that changed nothing but the timestamp leaves no record (NetBox's
        // CHANGELOG_SKIP_EMPTY_CHANGES, on by default).
        if action == Action::Update && same_but_timestamp(&pre, &post) {
            return Ok(());
        }
        let (related_ct, related_id) = match self.related(t, subject) {
            Some((c, id)) => (Value::Int(c), Value::Int(id)),
            None => (Value::Null, Value::Null),
        };
        self.conn.execute(
            "INSERT INTO core_objectchange (time, user_id, user_name, request_id, action, \
             changed_object_type_id, changed_object_id, related_object_type_id, \
             related_object_id, object_repr, message, prechange_data, postchange_data) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                Value::Time(Utc::now()),
                self.actor.user_id.map(Value::Int).unwrap_or(Value::Null),
                self.actor.user_name.clone().into(),
                self.actor.request_id.clone().into(),
                action.as_str().into(),
                Value::Int(ct),
                Value::Int(subject.id),
                related_ct,
                related_id,
                repr.into(),
                message.chars().take(200).collect::<String>().into(),
                pre,
                post,
            ],
        )?;
        Ok(())
    }

    /// The object a change is also filed under (`change_related`): type and id.
    fn related(&self, t: &ObjectType, rec: &Record) -> Option<(i64, i64)> {
        t.change_related.iter().find_map(|name| {
            let i = t.field_index(name)?;
            match (&t.fields[i].kind, &rec.values[i]) {
                (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => {
                    Some((self.s.ct_of_label(target)?, *id))
                }
                (FieldKind::GenericFk { .. }, Value::Ref(c, id)) if *id > 0 => Some((*c, *id)),
                _ => None,
            }
        })
    }

    /// The change log's own object form: FKs as ids, choices as values, tags by name.
    fn snapshot(&mut self, t: &ObjectType, rec: &Record) -> Result<Json> {
        let mut m = Map::new();
        for (i, f) in t.fields.iter().enumerate() {
            if f.write_only || f.name.starts_with('_') {
                continue;
            }
            match (&f.kind, &rec.values[i]) {
                (FieldKind::GenericFk { ct, fk }, v) => {
                    let (c, o) = match v {
                        Value::Ref(c, o) => (Json::from(*c), Json::from(*o)),
                        _ => (Json::Null, Json::Null),
                    };
                    m.insert(ct.to_string(), c);
                    m.insert(fk.to_string(), o);
                }
                (_, v) => {
                    m.insert(f.name.to_string(), value_json(v));
                }
            }
        }
        if t.features.tags {
            let tag_type = self.s.reg.get("extras.tag");
            let mut names = Vec::new();
            if let Some(tt) = tag_type {
                for r in read::fetch(self.conn, self.s, tt, &rec.tags)?.values() {
                    if let Some(n) = tt.field_index("name") {
                        names.push(crate::display::plain_text(&r.values[n]));
                    }
                }
            }
            names.sort();
            m.insert("tags".into(), Json::from(names));
        }
        if t.features.custom_fields {
            m.insert("custom_fields".into(), rec.custom.clone());
        }
        Ok(Json::Object(m))
    }
}

pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::Text(s) => Json::String(s.clone()),
        Value::Json(j) => j.clone(),
        Value::Time(t) => Json::String(crate::value::format_time(t)),
        Value::Bytes(_) => Json::Null,
        Value::Ids(ids) => Json::from(ids.clone()),
        Value::Ref(_, id) => Json::from(*id),
    }
}

fn same_but_timestamp(pre: &Value, post: &Value) -> bool {
    match (pre, post) {
        (Value::Json(Json::Object(a)), Value::Json(Json::Object(b))) => {
            let mut a = a.clone();
            let mut b = b.clone();
            a.remove("last_updated");
            b.remove("last_updated");
            a == b
        }
        _ => false,
    }
}

fn default_value(f: &cairn_schema::Field) -> Value {
    use cairn_schema::Default as D;
    match &f.default {
        D::Str(s) => Value::Text(s.to_string()),
        D::Int(i) => Value::Int(*i),
        D::Bool(b) => Value::Bool(*b),
        D::EmptyList => match f.kind {
            FieldKind::ManyToMany { .. } => Value::Ids(Vec::new()),
            _ => Value::Json(Json::Array(Vec::new())),
        },
        D::EmptyObject => Value::Json(Json::Object(Map::new())),
        D::None | D::Null => Value::Null,
    }
}

/// A record of defaults with the change applied.
fn new_record(t: &ObjectType, change: &Change) -> Record {
    let mut rec = Record::empty(t.fields.len());
    for (i, f) in t.fields.iter().enumerate() {
        rec.values[i] = default_value(f);
    }
    apply(&mut rec, change);
    rec
}

fn apply(rec: &mut Record, change: &Change) {
    for (i, v) in &change.values {
        rec.values[*i] = match (v, &rec.values[*i]) {
            // One half of a generic relation given: the other half stays.
            (Value::Ref(0, id), Value::Ref(ct, _)) => Value::Ref(*ct, *id),
            (Value::Ref(ct, 0), Value::Ref(_, id)) => Value::Ref(*ct, *id),
            _ => v.clone(),
        };
    }
    if let Some(tags) = &change.tags {
        rec.tags = tags.clone();
    }
    if let Some(custom) = &change.custom {
        if let Json::Object(m) = &mut rec.custom {
            for (k, v) in custom {
                m.insert(k.clone(), v.clone());
            }
        } else {
            rec.custom = Json::Object(custom.clone());
        }
    }
}

/// Column names and values of a record's stored scalar fields (plus sort keys).
fn push_columns(t: &ObjectType, rec: &Record, cols: &mut Vec<String>, params: &mut Vec<Value>) {
    if let Some(nat) = t.natural.and_then(|n| t.field_index(n)) {
        cols.push("_name".into());
        params.push(match &rec.values[nat] {
            Value::Text(s) if t.natural_interface => Value::Text(naturalize_interface(s)),
            Value::Text(s) => Value::Text(naturalize(s)),
            _ => Value::Null,
        });
    }
    for (i, f) in t.fields.iter().enumerate() {
        if !f.stored || f.name == "_depth" {
            continue;
        }
        match f.kind {
            FieldKind::ManyToMany { .. } => {}
            FieldKind::GenericFk { ct, fk } => {
                let (c, o) = match rec.values[i] {
                    Value::Ref(c, o) => (Value::Int(c), Value::Int(o)),
                    _ => (Value::Null, Value::Null),
                };
                cols.push(format!("{ct}_id"));
                params.push(c);
                cols.push(fk.to_string());
                params.push(o);
            }
            FieldKind::IpAddress | FieldKind::IpPrefix => {
                let net = rec.values[i].as_str().and_then(IpNet::parse);
                // A host address keys on itself; a prefix on its whole range.
                let (start, end) = match (&net, f.kind) {
                    (Some(n), FieldKind::IpPrefix) => (n.network(), n.broadcast()),
                    (Some(n), _) => (n.bits(), n.bits()),
                    (None, _) => (0, 0),
                };
                let keys = match net {
                    Some(n) => [
                        Value::Int(n.family()),
                        Value::Bytes(IpNet::key(start)),
                        Value::Bytes(IpNet::key(end)),
                        Value::Int(n.len as i64),
                    ],
                    None => [Value::Null, Value::Null, Value::Null, Value::Null],
                };
                cols.push(f.name.to_string());
                params.push(rec.values[i].clone());
                for (suffix, v) in ["family", "start", "end", "len"].iter().zip(keys) {
                    cols.push(format!("{}_{suffix}", f.name));
                    params.push(v);
                }
            }
            _ => {
                if let Some(c) = f.column() {
                    cols.push(c);
                    params.push(rec.values[i].clone());
                }
            }
        }
    }
}
