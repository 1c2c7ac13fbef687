//! Object type declarations: one per NetBox model.

use crate::field::{capitalize, humanize, Field, FieldKind};

/// What a model supports beyond its own fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    pub tags: bool,
    pub custom_fields: bool,
    pub change_log: bool,
    pub contacts: bool,
}

/// How `display` is built. `Field` shows one field's text; `Fn` computes it from a row.
#[derive(Clone, Copy)]
pub enum Display {
    Field(&'static str),
    Fn(fn(&dyn RowText) -> String),
}

impl std::fmt::Debug for Display {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Display::Field(n) => write!(f, "Field({n})"),
            Display::Fn(_) => write!(f, "Fn"),
        }
    }
}

/// Read access to a row's values as text, for display functions: choice fields give
/// their label, foreign keys their target's display ("" when unknown).
pub trait RowText {
    fn text(&self, field: &str) -> String;
    /// The row's id (0 before it is stored).
    fn id(&self) -> i64;
}

/// `main (note)`, or `main` alone when the note is empty: NetBox's display of racks
/// (facility id), components (label), VRFs (RD) and users (full name).
pub fn with_note(main: String, note: &str) -> String {
    if note.is_empty() {
        main
    } else {
        format!("{main} ({note})")
    }
}

/// A related-object count in the representation, e.g. a region's `site_count`.
#[derive(Debug, Clone)]
pub struct Count {
    pub name: &'static str,
    /// The counted model ("dcim.site"); a model not yet declared counts 0.
    pub model: &'static str,
    /// Its FK field pointing at this model.
    pub field: &'static str,
    /// Include objects of descendant nodes (tree models).
    pub cumulative: bool,
    /// NetBox computes it as a query annotation (an integer field to OPTIONS) rather
    /// than as a related-object count field; cumulative counts always are.
    pub annotated: bool,
}

/// Which column of a target identifies it in filters such as `site=<slug>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Id,
    Slug,
    Name,
    Field(&'static str),
}

/// A filter that follows FK fields from this model: `tenant_group_id` follows
/// `tenant` then `group`.
#[derive(Debug, Clone)]
pub struct PathFilter {
    pub name: &'static str,
    pub path: &'static [&'static str],
    pub key: Key,
}

/// A filter on one field of this object or of one reached through FK fields
/// (`vlan_vid` compares the VLAN's `vid`), taking that field's lookups. Its values are
/// plain values, not object names, so nothing is checked to exist.
#[derive(Debug, Clone)]
pub struct FieldPath {
    pub name: &'static str,
    pub path: &'static [&'static str],
    pub field: &'static str,
}

/// How an IP filter relates an object's IP field to the network given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpRelation {
    WithinOrEqual,
    Within,
    ContainsOrEqual,
    /// The address (whatever its mask) lies in the network.
    HostWithin,
    /// The prefix length, with numeric lookups.
    MaskLength,
}

/// Filters that are neither a field's own nor a path through FKs.
#[derive(Debug, Clone)]
pub enum ExtraFilter {
    /// `name=true` when the list field holds `value` (a permission's `can_view`).
    ListHas {
        name: &'static str,
        field: &'static str,
        value: &'static str,
    },
    /// The object-type many-to-many is empty or holds the given type id (a tag that may
    /// be applied to that type).
    EmptyOrHas {
        name: &'static str,
        field: &'static str,
    },
    /// `name=true` when any of `fields` is set (a device's `has_primary_ip`); booleans are
    /// set when true.
    AnySet {
        name: &'static str,
        fields: &'static [&'static str],
    },
    /// `name=true` when some object of any of `models` points here through `field`
    /// (a device that has interfaces).
    HasRelated {
        name: &'static str,
        models: &'static [&'static str],
        field: &'static str,
    },
    /// Interfaces of the named devices and of their virtual chassis' other members
    /// (non-management ones); with `if_master`, the members' only for a chassis master.
    VirtualChassisInterfaces {
        name: &'static str,
        by_id: bool,
        if_master: bool,
    },
    /// The generic relation `field` points at an object of `model` that its `path`
    /// (FK fields of `model`; empty for the object itself) selects by `key` (an IP
    /// address's `interface_id`, or `device_id` through the interface).
    GenericTo {
        name: &'static str,
        field: &'static str,
        model: &'static str,
        path: &'static [&'static str],
        key: Key,
    },
    /// `name=true` when the generic relation `field` points at any of `models`.
    GenericTypeIn {
        name: &'static str,
        field: &'static str,
        models: &'static [&'static str],
    },
    /// In the VRF, or in a VRF exporting a route target that VRF imports (NetBox's
    /// `present_in_vrf`).
    PresentInVrf { name: &'static str, by_id: bool },
    /// IP containment on an IP field (`parent`, `within`, `contains`, `mask_length`).
    Ip {
        name: &'static str,
        field: &'static str,
        rel: IpRelation,
    },
    /// Objects that `model`'s rows point at through `field`, where those rows match
    /// `model`'s own filter `param` (tags by the types of objects they are on).
    Reverse {
        name: &'static str,
        model: &'static str,
        field: &'static str,
        param: &'static str,
    },
}

impl ExtraFilter {
    pub fn name(&self) -> &'static str {
        match self {
            ExtraFilter::ListHas { name, .. }
            | ExtraFilter::AnySet { name, .. }
            | ExtraFilter::HasRelated { name, .. }
            | ExtraFilter::VirtualChassisInterfaces { name, .. }
            | ExtraFilter::Ip { name, .. }
            | ExtraFilter::GenericTo { name, .. }
            | ExtraFilter::PresentInVrf { name, .. }
            | ExtraFilter::GenericTypeIn { name, .. }
            | ExtraFilter::EmptyOrHas { name, .. }
            | ExtraFilter::Reverse { name, .. } => name,
        }
    }
}

/// Fields that must be unique together; `nulls_distinct` false makes NULLs collide
/// (NetBox's constraints with a `Q(x__isnull=True)` condition).
#[derive(Debug, Clone)]
pub struct UniqueTogether {
    pub fields: Vec<&'static str>,
    /// Only when all of these fields are NULL (partial constraint); empty = always.
    pub when_null: Vec<&'static str>,
    pub message: String,
    /// Field the error is reported on ("" = the object as a whole, `__all__`).
    pub error_field: &'static str,
    /// Text fields compared case-insensitively (NetBox's `Lower('name')` constraints).
    pub lower: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct ObjectType {
    pub app: &'static str,
    /// Django model name, lowercase: "site", "contactassignment".
    pub model: &'static str,
    pub verbose_name: &'static str,
    pub verbose_name_plural: &'static str,
    /// REST path segment: "sites" (under /api/<app>/).
    pub endpoint: &'static str,
    /// UI path for `display_url` ("dcim/sites"); None = no display_url.
    pub ui_path: Option<&'static str>,
    pub table: String,
    pub fields: Vec<Field>,
    /// Fields of the brief form (besides id/url/display, which are always there); empty
    /// means the brief form is the full one (NetBox's core models have none of their own).
    pub brief: Vec<&'static str>,
    pub display: Display,
    /// ORDER BY columns; "-" prefix for descending. A foreign key's field name (not its
    /// `_id` column) orders by the related object, as Django's ordering by a relation;
    /// `relation.column` by one column of it; a ` nulls first` suffix puts NULLs first on
    /// PostgreSQL too (SQLite does so by itself).
    pub ordering: Vec<&'static str>,
    pub features: Features,
    /// A tree model has a `parent` FK to itself and stored `_depth` / `_path`.
    pub tree: bool,
    /// Field naturalized into the `_name` sort column.
    pub natural: Option<&'static str>,
    /// Naturalize as an interface name (slots first), as NetBox does for interfaces.
    pub natural_interface: bool,
    /// Column used for `<fk>=` filters and attribute lookups.
    pub key: Key,
    pub unique_together: Vec<UniqueTogether>,
    pub counts: Vec<Count>,
    /// Fields searched by `q=` (case-insensitive contains).
    pub search: Vec<&'static str>,
    pub path_filters: Vec<PathFilter>,
    pub field_paths: Vec<FieldPath>,
    pub extra_filters: Vec<ExtraFilter>,
    /// Served read-only over REST (no POST/PUT/PATCH/DELETE).
    pub read_only: bool,
    /// Has `created`/`last_updated` columns.
    pub timestamps: bool,
    /// Shows `last_updated` (a token shows only `created`).
    pub show_last_updated: bool,
    pub description: &'static str,
    /// Fields (FK or generic relation) naming the object a change of this one is also
    /// filed under in the change log, first set one wins (a component's device).
    pub change_related: &'static [&'static str],
    /// Position in its registry (set when the registry is built).
    pub index: usize,
}

impl ObjectType {
    pub fn new(app: &'static str, model: &'static str, endpoint: &'static str) -> ObjectType {
        ObjectType {
            app,
            model,
            verbose_name: model,
            verbose_name_plural: endpoint,
            endpoint,
            ui_path: None,
            table: format!("{app}_{model}"),
            fields: Vec::new(),
            brief: Vec::new(),
            display: Display::Field("name"),
            ordering: vec!["name"],
            features: Features::default(),
            tree: false,
            natural: None,
            natural_interface: false,
            key: Key::Slug,
            unique_together: Vec::new(),
            counts: Vec::new(),
            search: Vec::new(),
            path_filters: Vec::new(),
            field_paths: Vec::new(),
            extra_filters: Vec::new(),
            read_only: false,
            timestamps: true,
            show_last_updated: true,
            description: "",
            change_related: &[],
            index: 0,
        }
    }

    /// See `change_related`.
    pub fn related_in_change_log(mut self, fields: &'static [&'static str]) -> Self {
        self.change_related = fields;
        self
    }

    /// "dcim.site"
    pub fn label(&self) -> String {
        format!("{}.{}", self.app, self.model)
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Stored scalar fields (those with a column), in declaration order.
    pub fn columns(&self) -> impl Iterator<Item = (usize, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.column().is_some())
    }

    pub fn has_slug(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.kind, FieldKind::Slug { .. }))
    }
}

/// Builder methods used by the per-app declarations.
impl ObjectType {
    pub fn verbose(mut self, singular: &'static str, plural: &'static str) -> Self {
        self.verbose_name = singular;
        self.verbose_name_plural = plural;
        self
    }
    pub fn ui(mut self, path: &'static str) -> Self {
        self.ui_path = Some(path);
        self
    }
    pub fn fields(mut self, fields: Vec<Field>) -> Self {
        self.fields.extend(fields);
        self
    }
    /// Fields a PUT that leaves them out resets to their default (see
    /// `Field::reset_on_put`).
    pub fn reset_on_put(mut self, names: &[&str]) -> Self {
        for f in self.fields.iter_mut().filter(|f| names.contains(&f.name)) {
            f.reset_on_put = true;
        }
        self
    }
    pub fn brief(mut self, names: &[&'static str]) -> Self {
        self.brief = names.to_vec();
        self
    }
    pub fn display(mut self, d: Display) -> Self {
        self.display = d;
        self
    }
    pub fn ordering(mut self, cols: &[&'static str]) -> Self {
        self.ordering = cols.to_vec();
        self
    }
    /// Tags, custom fields and change logging: NetBox's `NetBoxModel`.
    pub fn netbox_model(mut self) -> Self {
        self.features.tags = true;
        self.features.custom_fields = true;
        self.features.change_log = true;
        self
    }
    pub fn change_logged(mut self) -> Self {
        self.features.change_log = true;
        self
    }
    pub fn contacts(mut self) -> Self {
        self.features.contacts = true;
        self
    }
    pub fn tree(mut self) -> Self {
        self.tree = true;
        self
    }
    pub fn natural(mut self, field: &'static str) -> Self {
        self.natural = Some(field);
        self
    }
    /// Interface names: `_name` by NetBox's interface naturalization.
    pub fn natural_interface(mut self) -> Self {
        self.natural_interface = true;
        self
    }
    pub fn key(mut self, key: Key) -> Self {
        self.key = key;
        self
    }
    /// Django's message for a violated fields-only unique constraint: "Tenant with this
    /// Group and Name already exists." Call after `verbose` and `fields`.
    fn unique_message_of(&self, fields: &[&str]) -> String {
        let labels: Vec<String> = fields
            .iter()
            .map(|f| match self.field(f) {
                Some(field) => capitalize(field.verbose.unwrap_or(&field.label_text())),
                None => humanize(f),
            })
            .collect();
        let joined = match labels.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        format!(
            "{} with this {joined} already exists.",
            capitalize(self.verbose_name)
        )
    }

    /// These fields together are unique (NULLs distinct).
    pub fn unique_set(mut self, fields: &[&'static str]) -> Self {
        let message = self.unique_message_of(fields);
        self.unique_together.push(UniqueTogether {
            fields: fields.to_vec(),
            when_null: Vec::new(),
            message,
            error_field: "",
            lower: Vec::new(),
        });
        self
    }

    /// The message NetBox's constraint on these fields gives (its
    /// `violation_error_message`); `top_level` picks the constraint that holds only where
    /// the sibling scope is unset.
    pub fn unique_message(
        mut self,
        fields: &[&str],
        top_level: bool,
        message: &'static str,
    ) -> Self {
        for u in &mut self.unique_together {
            if u.fields == fields && u.when_null.is_empty() != top_level {
                u.message = message.to_string();
                u.error_field = "";
            }
        }
        self
    }

    /// Each of `fields` is unique among the objects sharing `scope` and `within` (e.g. a
    /// name among a parent's children), and among those with no `within` at all (the
    /// top level), as NetBox's pairs of constraints say. Call after `verbose`.
    pub fn unique_among_siblings(
        mut self,
        scope: &[&'static str],
        within: &'static str,
        fields: &[&'static str],
    ) -> Self {
        for f in fields {
            let mut all = scope.to_vec();
            all.extend([within, *f]);
            self = self.unique_set(&all);
            let mut top = scope.to_vec();
            top.push(f);
            let message = self.unique_message_of(&top);
            self.unique_together.push(UniqueTogether {
                fields: top,
                when_null: vec![within],
                message,
                error_field: "",
                lower: Vec::new(),
            });
        }
        self
    }
    pub fn count(
        mut self,
        name: &'static str,
        model: &'static str,
        field: &'static str,
        cumulative: bool,
    ) -> Self {
        self.counts.push(Count {
            name,
            model,
            field,
            cumulative,
            annotated: cumulative,
        });
        self
    }
    /// Marks the count declared last as annotated.
    pub fn annotated(mut self) -> Self {
        if let Some(c) = self.counts.last_mut() {
            c.annotated = true;
        }
        self
    }
    pub fn search(mut self, fields: &[&'static str]) -> Self {
        self.search = fields.to_vec();
        self
    }
    pub fn path_filter(
        mut self,
        name: &'static str,
        path: &'static [&'static str],
        key: Key,
    ) -> Self {
        self.path_filters.push(PathFilter { name, path, key });
        self
    }
    pub fn field_path(
        mut self,
        name: &'static str,
        path: &'static [&'static str],
        field: &'static str,
    ) -> Self {
        self.field_paths.push(FieldPath { name, path, field });
        self
    }
    /// `<name>_id` (by id) and `<name>` (by name) filters on what the generic relation
    /// `field` points at: an object of `model` itself, or what it reaches through `path`.
    pub fn generic_to(
        self,
        field: &'static str,
        (name, by_id): (&'static str, &'static str),
        model: &'static str,
        path: &'static [&'static str],
    ) -> Self {
        self.extra_filter(ExtraFilter::GenericTo {
            name: by_id,
            field,
            model,
            path,
            key: Key::Id,
        })
        .extra_filter(ExtraFilter::GenericTo {
            name,
            field,
            model,
            path,
            key: Key::Name,
        })
    }
    pub fn extra_filter(mut self, f: ExtraFilter) -> Self {
        self.extra_filters.push(f);
        self
    }
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
    pub fn no_timestamps(mut self) -> Self {
        self.timestamps = false;
        self
    }
    /// Keeps both timestamps but shows only `created`, as NetBox's tokens do.
    pub fn created_only(mut self) -> Self {
        self.show_last_updated = false;
        self
    }
    pub fn table(mut self, table: &str) -> Self {
        self.table = table.to_string();
        self
    }
    pub fn describe(mut self, d: &'static str) -> Self {
        self.description = d;
        self
    }
}
