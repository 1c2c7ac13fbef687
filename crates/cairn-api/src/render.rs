//! NetBox's representation of records: full, brief and nested forms, written straight
//! into a string. Related objects are fetched in one batch per type before writing.

use std::collections::{HashMap, HashSet};

use cairn_domain::Zone;
use cairn_schema::{CustomKind, Display, Field, FieldKind, ObjectType};
use cairn_store::display;
use cairn_store::{read, Conn, Filter, Record, Result, Schema, Value};

use crate::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Full,
    Brief,
}

impl Mode {
    /// Types without a brief form of their own answer `brief` requests in full.
    pub fn for_type(self, t: &ObjectType) -> Mode {
        if t.brief.is_empty() {
            Mode::Full
        } else {
            self
        }
    }
}

/// `fields=` keeps only the named keys; `omit=` drops keys.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub only: Option<HashSet<String>>,
    pub omit: HashSet<String>,
}

impl Selection {
    fn wants(&self, k: &str) -> bool {
        !self.omit.contains(k) && self.only.as_ref().is_none_or(|o| o.contains(k))
    }
}

pub struct Renderer<'a> {
    pub s: &'a Schema,
    pub base: &'a str,
    /// The zone timestamps are written in.
    pub zone: Zone,
    /// A create response: also the fields shown once (a token's key), and only the
    /// counts NetBox defaults.
    pub reveal: bool,
    loaded: HashMap<(usize, i64), Record>,
    /// (field name, owner id) → ids of the objects pointing back.
    reverse: HashMap<(&'static str, i64), Vec<i64>>,
}

/// Which object a reverse-list row belongs to.
type OwnerOf = Box<dyn Fn(&Record) -> Option<i64>>;

/// Which related objects a set of records needs, per registry index.
type Wanted = HashMap<usize, Vec<i64>>;

impl<'a> Renderer<'a> {
    pub fn new(s: &'a Schema, base: &'a str, zone: Zone) -> Renderer<'a> {
        Renderer {
            s,
            base,
            zone,
            reveal: false,
            loaded: HashMap::new(),
            reverse: HashMap::new(),
        }
    }

    fn want_fields(&self, t: &ObjectType, rec: &Record, names: Option<&[&str]>, w: &mut Wanted) {
        let reg = &self.s.reg;
        for (i, f) in t.fields.iter().enumerate() {
            if let Some(names) = names {
                if !names.contains(&f.name) {
                    continue;
                }
            }
            if f.write_only {
                continue;
            }
            match (&f.kind, &rec.values[i]) {
                (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => {
                    if let Some(ti) = reg.index_of(target) {
                        w.entry(ti).or_default().push(*id);
                    }
                }
                (FieldKind::ManyToMany { target }, Value::Ids(ids)) => {
                    if let Some(ti) = reg.index_of(target) {
                        w.entry(ti).or_default().extend(ids);
                    }
                }
                (FieldKind::GenericFk { .. }, Value::Ref(ct, id)) => {
                    if let Some(tt) = self.s.type_of_ct(*ct) {
                        if let Some(ti) = reg.index_of(&tt.label()) {
                            w.entry(ti).or_default().push(*id);
                        }
                    }
                }
                _ => {}
            }
        }
        if names.is_none() && t.features.custom_fields {
            // Objects that custom fields point at.
            for cf in reg.custom_fields(t) {
                let Some(ti) = cf
                    .related_object_type
                    .as_deref()
                    .and_then(|l| reg.index_of(l))
                else {
                    continue;
                };
                match rec.custom.get(&cf.name) {
                    Some(serde_json::Value::Number(id)) => {
                        w.entry(ti).or_default().extend(id.as_i64());
                    }
                    Some(serde_json::Value::Array(ids)) => {
                        w.entry(ti)
                            .or_default()
                            .extend(ids.iter().filter_map(|x| x.as_i64()));
                    }
                    _ => {}
                }
            }
        }
        if names.is_none() && t.features.tags && !rec.tags.is_empty() {
            if let Some(ti) = reg.index_of("extras.tag") {
                w.entry(ti).or_default().extend(&rec.tags);
            }
        }
    }

    fn load(&mut self, conn: &mut Conn, wanted: Wanted) -> Result<Vec<(usize, i64)>> {
        let mut new = Vec::new();
        for (ti, ids) in wanted {
            let missing: Vec<i64> = ids
                .into_iter()
                .filter(|id| !self.loaded.contains_key(&(ti, *id)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let t = self.s.reg.by_index(ti);
            for (id, rec) in read::fetch_uncounted(conn, self.s, t, &missing)? {
                new.push((ti, id));
                self.loaded.insert((ti, id), rec);
            }
        }
        Ok(new)
    }

    /// Fetches everything the given records' representation refers to: their related
    /// objects, and what those objects' brief forms refer to in turn.
    pub fn prefetch(
        &mut self,
        conn: &mut Conn,
        t: &ObjectType,
        recs: &[Record],
        mode: Mode,
    ) -> Result<()> {
        let mut wanted = Wanted::new();
        for rec in recs {
            match mode.for_type(t) {
                Mode::Full => self.want_fields(t, rec, None, &mut wanted),
                Mode::Brief => self.want_fields(t, rec, Some(&t.brief), &mut wanted),
            }
        }
        let mut new = self.load(conn, wanted)?;
        let reversed = match mode.for_type(t) {
            Mode::Full => None,
            Mode::Brief => Some(t.brief.as_slice()),
        };
        new.extend(self.load_reverse(conn, t, recs, reversed)?);
        // Brief forms may nest one more level (and display texts may need their FKs).
        for _ in 0..2 {
            let mut wanted = Wanted::new();
            for (ti, id) in &new {
                let tt = self.s.reg.by_index(*ti);
                if let Some(rec) = self.loaded.get(&(*ti, *id)) {
                    let names: Vec<&str> =
                        tt.brief.iter().copied().chain(display_fields(tt)).collect();
                    self.want_fields(tt, rec, Some(&names), &mut wanted);
                }
            }
            if wanted.is_empty() {
                break;
            }
            new = self.load(conn, wanted)?;
        }
        // Display texts of the top-level records may use their FKs' displays.
        let mut wanted = Wanted::new();
        let names: Vec<&str> = display_fields(t).collect();
        if !names.is_empty() {
            for rec in recs {
                self.want_fields(t, rec, Some(&names), &mut wanted);
            }
            self.load(conn, wanted)?;
        }
        Ok(())
    }

    /// Loads the objects behind reverse fields (those named in `only`, if given), one
    /// query per field.
    fn load_reverse(
        &mut self,
        conn: &mut Conn,
        t: &ObjectType,
        recs: &[Record],
        only: Option<&[&str]>,
    ) -> Result<Vec<(usize, i64)>> {
        let mut new = Vec::new();
        let ids: Vec<Value> = recs.iter().map(|r| Value::Int(r.id)).collect();
        for f in &t.fields {
            let Some((model, field)) = f.reverse else {
                continue;
            };
            if only.is_some_and(|names| !names.contains(&f.name)) {
                continue;
            }
            let (Some(ti), Some(rt)) = (self.s.reg.index_of(model), self.s.reg.get(model)) else {
                continue;
            };
            let Some(back) = rt.field(field) else {
                continue;
            };
            let (filter, owner_of): (Filter, OwnerOf) = match back.kind {
                FieldKind::GenericFk { ct, fk } => {
                    let Some(own_ct) = self.s.ct_of(t) else {
                        continue;
                    };
                    let i = rt.field_index(field).unwrap_or(0);
                    (
                        Filter::and(vec![
                            Filter::eq(format!("{ct}_id"), own_ct),
                            Filter::In {
                                field: fk.to_string(),
                                values: ids.clone(),
                            },
                        ]),
                        Box::new(move |r: &Record| match r.values[i] {
                            Value::Ref(_, o) => Some(o),
                            _ => None,
                        }),
                    )
                }
                _ => {
                    let Some(col) = back.column() else { continue };
                    let i = rt.field_index(field).unwrap_or(0);
                    (
                        Filter::In {
                            field: col,
                            values: ids.clone(),
                        },
                        Box::new(move |r: &Record| r.values[i].as_i64()),
                    )
                }
            };
            let mut q = read::Query::all();
            q.filter = filter;
            for r in read::select(conn, self.s, rt, &q)? {
                if let Some(owner) = owner_of(&r) {
                    self.reverse.entry((f.name, owner)).or_default().push(r.id);
                }
                new.push((ti, r.id));
                self.loaded.insert((ti, r.id), r);
            }
        }
        Ok(new)
    }

    /// Loads objects of one type for nested representations.
    pub fn preload(&mut self, conn: &mut Conn, target: &str, ids: &[i64]) -> Result<()> {
        if let Some(ti) = self.s.reg.index_of(target) {
            self.load(conn, Wanted::from([(ti, ids.to_vec())]))?;
        }
        Ok(())
    }

    pub fn url(&self, t: &ObjectType, id: i64) -> String {
        format!("{}/api/{}/{}/{}/", self.base, t.app, t.endpoint, id)
    }

    pub fn display(&self, t: &ObjectType, rec: &Record) -> String {
        display::display(self.s, t, rec, self)
    }

    fn related(&self, target: &str, id: i64) -> Option<(&ObjectType, &Record)> {
        let ti = self.s.reg.index_of(target)?;
        let rec = self.loaded.get(&(ti, id))?;
        Some((self.s.reg.by_index(ti), rec))
    }

    pub fn object(
        &self,
        out: &mut String,
        t: &ObjectType,
        rec: &Record,
        mode: Mode,
        sel: &Selection,
    ) {
        match mode.for_type(t) {
            Mode::Brief => self.brief(out, t, rec, sel, false),
            Mode::Full => self.full(out, t, rec, sel),
        }
    }

    fn full(&self, out: &mut String, t: &ObjectType, rec: &Record, sel: &Selection) {
        out.push('{');
        let mut first = true;
        if sel.wants("id") {
            json::key(out, &mut first, "id");
            json::int(out, rec.id);
        }
        if sel.wants("url") {
            json::key(out, &mut first, "url");
            json::string(out, &self.url(t, rec.id));
        }
        if let Some(ui) = t.ui_path {
            if sel.wants("display_url") {
                json::key(out, &mut first, "display_url");
                json::string(out, &format!("{}/{}/{}/", self.base, ui, rec.id));
            }
        }
        if sel.wants("display") {
            json::key(out, &mut first, "display");
            json::string(out, &self.display(t, rec));
        }
        for (i, f) in t.fields.iter().enumerate() {
            if f.write_only && !(self.reveal && f.shown_on_create) {
                continue;
            }
            if let FieldKind::GenericFk { ct, fk } = f.kind {
                let (c, o) = match rec.values[i] {
                    Value::Ref(c, o) => (Some(c), Some(o)),
                    _ => (None, None),
                };
                if sel.wants(ct) {
                    json::key(out, &mut first, ct);
                    match c.and_then(|c| self.s.label_of_ct(c)) {
                        Some(l) => json::string(out, l),
                        None => out.push_str("null"),
                    }
                }
                if sel.wants(fk) {
                    json::key(out, &mut first, fk);
                    match o {
                        Some(o) => json::int(out, o),
                        None => out.push_str("null"),
                    }
                }
                if sel.wants(f.name) {
                    json::key(out, &mut first, f.name);
                    match (c.and_then(|c| self.s.type_of_ct(c)), o) {
                        (Some(tt), Some(o)) => self.nested(out, &tt.label(), o),
                        _ => out.push_str("null"),
                    }
                }
                continue;
            }
            if !sel.wants(f.name) {
                continue;
            }
            json::key(out, &mut first, f.name);
            if f.stored {
                self.value(out, f, &rec.values[i]);
            } else if let Some(compute) = f.compute {
                let row = display::Row {
                    s: self.s,
                    t,
                    rec,
                    related: self,
                };
                json::string(out, &compute(&row));
            } else if let (Some(pair), Some(target)) = (f.either, f.fk_target()) {
                let set = pair
                    .iter()
                    .filter_map(|n| t.field_index(n))
                    .find_map(|j| rec.values[j].as_i64());
                match set {
                    Some(id) => self.nested(out, target, id),
                    None => out.push_str("null"),
                }
            } else if let Some((fk, field)) = f.via {
                self.via(out, t, rec, fk, field);
            } else if let (Some((model, _)), Some((parent_fk, key))) = (f.reverse, f.through) {
                let first = self.reverse.get(&(f.name, rec.id)).and_then(|v| v.first());
                self.parent_through(out, model, first.copied(), parent_fk, key);
            } else if let (Some(_), FieldKind::ForeignKey { .. }) = (f.reverse, f.kind) {
                self.reverse_one(out, f, rec);
            } else if let Some(names) = f.any_of {
                out.push_str(if any_set(t, rec, names) {
                    "true"
                } else {
                    "false"
                });
            } else if let Some((model, _)) = f.reverse {
                out.push('[');
                let ids = self
                    .reverse
                    .get(&(f.name, rec.id))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                for (n, id) in ids.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    match f.nested_fields {
                        Some(names) => self.nested_with(out, model, *id, names),
                        None => self.nested(out, model, *id),
                    }
                }
                out.push(']');
            } else {
                computed_default(out, f);
            }
        }
        if t.features.tags && sel.wants("tags") {
            json::key(out, &mut first, "tags");
            out.push('[');
            for (n, id) in rec.tags.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                self.nested_tag(out, *id);
            }
            out.push(']');
        }
        if t.features.custom_fields && sel.wants("custom_fields") {
            json::key(out, &mut first, "custom_fields");
            self.custom_fields(out, t, rec);
        }
        if t.timestamps {
            for (k, v) in [
                ("created", &rec.created),
                ("last_updated", &rec.last_updated),
            ] {
                if sel.wants(k) && (k == "created" || t.show_last_updated) {
                    json::key(out, &mut first, k);
                    match v {
                        Some(t) => json::string(out, &self.zone.format(t)),
                        None => out.push_str("null"),
                    }
                }
            }
        }
        for (i, c) in t.counts.iter().enumerate() {
            // A create response has NetBox's defaulted counts (0) but not the others.
            if self.reveal && !c.annotated {
                continue;
            }
            if sel.wants(c.name) {
                json::key(out, &mut first, c.name);
                json::int(out, rec.counts.get(i).copied().unwrap_or(0));
            }
        }
        out.push('}');
    }

    /// Every custom field of the type, in order: its value, null when unset, objects in
    /// their nested form.
    fn custom_fields(&self, out: &mut String, t: &ObjectType, rec: &Record) {
        out.push('{');
        for (n, cf) in self.s.reg.custom_fields(t).enumerate() {
            if n > 0 {
                out.push(',');
            }
            json::string(out, &cf.name);
            out.push(':');
            let v = rec.custom.get(&cf.name).unwrap_or(&serde_json::Value::Null);
            match (cf.kind, v, cf.related_object_type.as_deref()) {
                (CustomKind::Object, serde_json::Value::Number(id), Some(target)) => {
                    match id.as_i64() {
                        Some(id) => self.nested(out, target, id),
                        None => out.push_str("null"),
                    }
                }
                (CustomKind::MultiObject, serde_json::Value::Array(ids), Some(target)) => {
                    out.push('[');
                    for (i, id) in ids.iter().filter_map(|x| x.as_i64()).enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        self.nested(out, target, id);
                    }
                    out.push(']');
                }
                _ => json::raw(out, v),
            }
        }
        out.push('}');
    }

    /// The brief form: of a listed object (`?brief=1`) with its counts, or of a nested
    /// one the way NetBox nests: annotated counts read 0, the others are left out.
    fn brief(&self, out: &mut String, t: &ObjectType, rec: &Record, sel: &Selection, nested: bool) {
        out.push('{');
        let mut first = true;
        for k in ["id", "url", "display"] {
            if !sel.wants(k) {
                continue;
            }
            json::key(out, &mut first, k);
            match k {
                "id" => json::int(out, rec.id),
                "url" => json::string(out, &self.url(t, rec.id)),
                _ => json::string(out, &self.display(t, rec)),
            }
        }
        for name in &t.brief {
            if !sel.wants(name) {
                continue;
            }
            if let Some(i) = t.field_index(name) {
                json::key(out, &mut first, name);
                let f = &t.fields[i];
                if f.stored {
                    self.value(out, f, &rec.values[i]);
                } else if let (Some(_), FieldKind::ForeignKey { .. }) = (f.reverse, f.kind) {
                    self.reverse_one(out, f, rec);
                } else if let Some(names) = f.any_of {
                    out.push_str(if any_set(t, rec, names) {
                        "true"
                    } else {
                        "false"
                    });
                } else {
                    computed_default(out, f);
                }
            } else if let Some(ci) = t.counts.iter().position(|c| c.name == *name) {
                let count = &t.counts[ci];
                if nested && !count.annotated {
                    continue;
                }
                json::key(out, &mut first, name);
                let n = if nested {
                    0
                } else {
                    rec.counts.get(ci).copied().unwrap_or(0)
                };
                json::int(out, n);
            }
        }
        out.push('}');
    }

    /// A field of the object that FK `fk` of `rec` points at (null when unset).
    fn via(&self, out: &mut String, t: &ObjectType, rec: &Record, fk: &str, field: &str) {
        let target = t.field(fk).and_then(|f| f.fk_target());
        let id = t.field_index(fk).and_then(|i| rec.values[i].as_i64());
        let related = match (target, id) {
            (Some(target), Some(id)) => self.related(target, id),
            _ => None,
        };
        match related
            .and_then(|(tt, r)| tt.field_index(field).map(|i| (&tt.fields[i], &r.values[i])))
        {
            Some((f, v)) => self.value(out, f, v),
            None => out.push_str("null"),
        }
    }

    /// The object `child` hangs off (via `parent_fk`) in brief, with `child` nested under
    /// `key`; null without a child.
    fn parent_through(
        &self,
        out: &mut String,
        model: &str,
        child: Option<i64>,
        parent_fk: &str,
        key: &str,
    ) {
        let Some((ct, crec)) = child.and_then(|c| self.related(model, c)) else {
            out.push_str("null");
            return;
        };
        let parent = ct
            .field(parent_fk)
            .and_then(|f| f.fk_target())
            .and_then(|target| {
                let id = ct
                    .field_index(parent_fk)
                    .and_then(|i| crec.values[i].as_i64())?;
                self.related(target, id)
            });
        let Some((pt, prec)) = parent else {
            out.push_str("null");
            return;
        };
        let mut inner = String::new();
        self.brief(&mut inner, pt, prec, &Selection::default(), true);
        inner.pop();
        out.push_str(&inner);
        out.push(',');
        json::string(out, key);
        out.push(':');
        self.brief(out, ct, crec, &Selection::default(), true);
        out.push('}');
    }

    /// A one-to-one reverse relation: the single object pointing at `rec`, or null.
    fn reverse_one(&self, out: &mut String, f: &Field, rec: &Record) {
        match self.reverse.get(&(f.name, rec.id)).and_then(|v| v.first()) {
            Some(id) => self.value(out, f, &Value::Int(*id)),
            None => out.push_str("null"),
        }
    }

    /// A related object as one of NetBox's nested serializers shows it: id, url, then
    /// these fields in order (`display_url` and `display` included where NetBox has them;
    /// choices as bare values, as those serializers declare them); null when it cannot be
    /// found.
    fn nested_with(&self, out: &mut String, target: &str, id: i64, names: &[&str]) {
        let Some((tt, rec)) = self.related(target, id) else {
            out.push_str("null");
            return;
        };
        let mut first = true;
        out.push('{');
        json::key(out, &mut first, "id");
        json::int(out, rec.id);
        json::key(out, &mut first, "url");
        json::string(out, &self.url(tt, rec.id));
        for name in names {
            match *name {
                "display_url" => {
                    if let Some(ui) = tt.ui_path {
                        json::key(out, &mut first, name);
                        json::string(out, &format!("{}/{}/{}/", self.base, ui, rec.id));
                    }
                }
                "display" => {
                    json::key(out, &mut first, name);
                    json::string(out, &self.display(tt, rec));
                }
                _ => {
                    if let Some(i) = tt.field_index(name).filter(|i| tt.fields[*i].stored) {
                        json::key(out, &mut first, name);
                        match (&tt.fields[i].kind, &rec.values[i]) {
                            (FieldKind::Choice(_), Value::Text(v)) => json::string(out, v),
                            (FieldKind::Choice(_), Value::Int(v)) => json::int(out, *v),
                            (_, v) => self.value(out, &tt.fields[i], v),
                        }
                    }
                }
            }
        }
        out.push('}');
    }

    /// The brief form of a related object, or null when it cannot be found.
    pub fn nested(&self, out: &mut String, target: &str, id: i64) {
        match self.related(target, id) {
            Some((tt, rec)) => self.brief(out, tt, rec, &Selection::default(), true),
            None => out.push_str("null"),
        }
    }

    fn nested_tag(&self, out: &mut String, id: i64) {
        let Some((tt, rec)) = self.related("extras.tag", id) else {
            out.push_str("null");
            return;
        };
        out.push('{');
        let mut first = true;
        json::key(out, &mut first, "id");
        json::int(out, id);
        json::key(out, &mut first, "url");
        json::string(out, &self.url(tt, id));
        if let Some(ui) = tt.ui_path {
            json::key(out, &mut first, "display_url");
            json::string(out, &format!("{}/{}/{}/", self.base, ui, id));
        }
        json::key(out, &mut first, "display");
        json::string(out, &self.display(tt, rec));
        for name in ["name", "slug", "color"] {
            if let Some(i) = tt.field_index(name) {
                json::key(out, &mut first, name);
                self.value(out, &tt.fields[i], &rec.values[i]);
            }
        }
        out.push('}');
    }

    fn value(&self, out: &mut String, f: &cairn_schema::Field, v: &Value) {
        match (&f.kind, v) {
            (_, Value::Null) => out.push_str("null"),
            (FieldKind::ForeignKey { .. }, Value::Int(id)) if f.plain => json::int(out, *id),
            // Object types show as "app.model", as NetBox's content type fields do.
            (FieldKind::ForeignKey { target, .. }, Value::Int(id))
                if *target == "core.objecttype" =>
            {
                match self.s.label_of_ct(*id) {
                    Some(l) => json::string(out, l),
                    None => out.push_str("null"),
                }
            }
            (FieldKind::Choice(_), Value::Text(s)) if f.plain => json::string(out, s),
            (FieldKind::Choice(set), Value::Int(n)) => {
                out.push_str("{\"value\":");
                json::int(out, *n);
                out.push_str(",\"label\":");
                json::string(out, set.label(&n.to_string()).unwrap_or_default());
                out.push('}');
            }
            (FieldKind::Choice(set), Value::Text(s)) => {
                out.push_str("{\"value\":");
                json::string(out, s);
                out.push_str(",\"label\":");
                json::string(out, set.label(s).unwrap_or(s));
                out.push('}');
            }
            (FieldKind::ForeignKey { target, .. }, Value::Int(id)) => match f.nested_fields {
                Some(names) => self.nested_with(out, target, *id, names),
                None => self.nested(out, target, *id),
            },
            (FieldKind::ManyToMany { target }, Value::Ids(ids)) => {
                out.push('[');
                for (n, id) in ids.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    if *target == "core.objecttype" {
                        match self.s.label_of_ct(*id) {
                            Some(l) => json::string(out, l),
                            None => out.push_str("null"),
                        }
                    } else {
                        self.nested(out, target, *id);
                    }
                }
                out.push(']');
            }
            (_, Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            (_, Value::Int(i)) => json::int(out, *i),
            (_, Value::Float(x)) => json::float(out, *x),
            (_, Value::Text(s)) => json::string(out, s),
            (_, Value::Json(j)) => json::raw(out, j),
            (_, Value::Time(t)) => json::string(out, &self.zone.format(t)),
            (_, Value::Ids(ids)) => json::raw(out, &serde_json::Value::from(ids.clone())),
            (_, Value::Ref(_, id)) => json::int(out, *id),
            (_, Value::Bytes(_)) => out.push_str("null"),
        }
    }
}

/// Fields a display function may read through a relation (all FK-like fields).
fn display_fields(t: &ObjectType) -> impl Iterator<Item = &'static str> + '_ {
    let is_fn = matches!(t.display, Display::Fn(_));
    t.fields
        .iter()
        .filter(move |f| {
            is_fn
                && matches!(
                    f.kind,
                    FieldKind::ForeignKey { .. } | FieldKind::GenericFk { .. }
                )
        })
        .map(|f| f.name)
}

/// Related objects for display texts come from those loaded for the response.
impl display::Related for Renderer<'_> {
    fn display_of(&self, label: &str, id: i64) -> Option<String> {
        self.related(label, id)
            .map(|(tt, rec)| self.display(tt, rec))
    }
}

/// Computed fields not yet backed by anything (cable paths before cables exist) show
/// their empty value.
/// Whether any of these fields of the record is set: true, or a value other than null.
fn any_set(t: &ObjectType, rec: &Record, names: &[&str]) -> bool {
    names.iter().any(|n| {
        t.field_index(n).is_some_and(|i| match &rec.values[i] {
            Value::Bool(b) => *b,
            v => !v.is_null(),
        })
    })
}

fn computed_default(out: &mut String, f: &cairn_schema::Field) {
    use cairn_schema::Default as D;
    match &f.default {
        D::EmptyList => out.push_str("[]"),
        D::EmptyObject => out.push_str("{}"),
        D::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        D::Int(i) => json::int(out, *i),
        D::Str(s) => json::string(out, s),
        D::None | D::Null => out.push_str("null"),
    }
}
