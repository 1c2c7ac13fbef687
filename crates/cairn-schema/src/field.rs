//! Field kinds and field declarations.

use crate::choices::ChoiceSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    Cascade,
    Protect,
    SetNull,
}

#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// Bounded character field.
    Str {
        max_len: u32,
    },
    /// `^[-a-zA-Z0-9_]+$`, bounded.
    Slug {
        max_len: u32,
    },
    /// Unbounded text (comments).
    Text,
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    Decimal {
        max_digits: u8,
        places: u8,
        min: Option<f64>,
        max: Option<f64>,
    },
    Bool,
    Choice(&'static ChoiceSet),
    Date,
    DateTime,
    Json,
    /// Column `<name>_id` referencing `target` ("app.model").
    ForeignKey {
        target: &'static str,
        on_delete: OnDelete,
    },
    /// Join table `<table>_<name>`.
    ManyToMany {
        target: &'static str,
    },
    /// Generic relation: columns `<ct>_id` (core_objecttype) and `<fk>`; on the wire
    /// `<ct>` is "app.model", `<fk>` the id and `<name>` the related object (read-only).
    GenericFk {
        ct: &'static str,
        fk: &'static str,
    },
    IpAddress,
    IpPrefix,
    Mac,
    /// Six hex digits, no '#'.
    Color,
    Url {
        max_len: u32,
    },
    /// An e-mail address, bounded.
    Email {
        max_len: u32,
    },
    /// A list of strings stored as JSON (NetBox's ArrayField of CharField/inet).
    StrList,
    /// A list of integers stored as JSON (ArrayField of integers).
    IntList {
        min: Option<i64>,
        max: Option<i64>,
    },
}

impl FieldKind {
    /// Kinds whose values are text on the wire and in filters.
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            FieldKind::Str { .. }
                | FieldKind::Slug { .. }
                | FieldKind::Text
                | FieldKind::Url { .. }
                | FieldKind::Email { .. }
                | FieldKind::Color
                | FieldKind::Mac
                | FieldKind::Date
                | FieldKind::IpAddress
                | FieldKind::IpPrefix
        )
    }
}

#[derive(Debug, Clone)]
pub enum Default {
    None,
    Null,
    Str(&'static str),
    Int(i64),
    Bool(bool),
    EmptyList,
    EmptyObject,
}

/// The models a generic relation may point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    Any,
    /// These (`app.model`).
    Models(&'static [&'static str]),
    /// Those with the contacts feature.
    WithContacts,
    /// Those with the tags feature.
    WithTags,
}

impl Targets {
    pub fn allows(&self, t: &crate::ObjectType) -> bool {
        match self {
            Targets::Any => true,
            Targets::Models(m) => m.contains(&t.label().as_str()),
            Targets::WithContacts => t.features.contacts,
            Targets::WithTags => t.features.tags,
        }
    }
}

#[derive(Clone)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldKind,
    pub label: Option<&'static str>,
    pub help: &'static str,
    /// Must be given on create (and may not be blank).
    pub required: bool,
    pub nullable: bool,
    pub unique: bool,
    pub default: Default,
    pub read_only: bool,
    pub write_only: bool,
    /// Write-only, yet returned once in the response that creates the object (a token's
    /// key).
    pub shown_on_create: bool,
    /// Many-to-many kept in the join table of the target's field of this name (the
    /// reverse side of a relation, e.g. a user's `permissions`).
    pub stored_by: Option<&'static str>,
    /// A computed field showing a field of the object an FK of this model points at
    /// (an interface's `mac_address`, from its primary MAC address).
    pub via: Option<(&'static str, &'static str)>,
    /// A computed list of the objects of a model whose field (FK or generic relation)
    /// points at this object (a virtual chassis' `members`).
    pub reverse: Option<(&'static str, &'static str)>,
    /// With `reverse`: show, instead of the list, the object the (single) pointing object
    /// hangs off through this FK, with the pointing object nested under `.1` (a device's
    /// `parent_device`: the bay's device, with `device_bay`).
    pub through: Option<(&'static str, &'static str)>,
    /// A computed relation showing what the first set of these two FK fields points at
    /// (a device's `primary_ip`: IPv6 before IPv4 unless PREFER_IPV4 says otherwise).
    pub either: Option<[&'static str; 2]>,
    /// A computed text made from the row (counts included), e.g. a utilization.
    pub compute: Option<fn(&dyn crate::object_type::RowText) -> String>,
    /// Shown bare: an FK as its id, a choice as its value (NetBox's plain serializer
    /// fields, e.g. an inventory item's `parent`, an FHRP group's `protocol`).
    pub plain: bool,
    /// Stored in the database; false for values computed at read time.
    pub stored: bool,
    /// Gets exact and lookup filters.
    pub filter: bool,
    /// Empty string stored as NULL (e.g. `time_zone`, unique-or-null strings).
    pub blank_is_null: bool,
    /// The models a generic relation may point at.
    pub targets: Targets,
    /// An IP field whose distinct addresses are also counted per aligned block (per VRF
    /// and across VRFs), so free space and utilization need not visit every address.
    pub blocks: bool,
    /// NetBox's serializer gives the field a default, so a full update (PUT) that leaves
    /// it out resets it to its default, as DRF does.
    pub reset_on_put: bool,
    /// A relation shown with these keys after id and url, as one of NetBox's nested
    /// serializers shows it, instead of the target's brief form (`models/nested_shapes.rs`).
    pub nested_fields: Option<&'static [&'static str]>,
    /// A computed flag: true when any of these fields of the row is set (true, or any
    /// value but null), as NetBox's `_occupied` (a cable or `mark_connected`).
    pub any_of: Option<&'static [&'static str]>,
    /// The model field's verbose name where it differs from the humanized name the API
    /// labels it with ("primary MAC address" beside the label "Primary mac address"):
    /// Django's messages use it.
    pub verbose: Option<&'static str>,
    /// A generic relation whose id NetBox's serializer declares as a plain integer (no
    /// bounds in OPTIONS), rather than taking the model's PositiveBigIntegerField.
    pub bare_id: bool,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Field {
    pub fn new(name: &'static str, kind: FieldKind) -> Field {
        let default = match kind {
            FieldKind::Str { .. }
            | FieldKind::Text
            | FieldKind::Url { .. }
            | FieldKind::Email { .. }
            | FieldKind::Color
            | FieldKind::Slug { .. } => Default::Str(""),
            FieldKind::ManyToMany { .. } | FieldKind::StrList | FieldKind::IntList { .. } => {
                Default::EmptyList
            }
            FieldKind::Bool => Default::Bool(false),
            _ => Default::Null,
        };
        Field {
            name,
            kind,
            label: None,
            help: "",
            required: false,
            nullable: matches!(default, Default::Null),
            unique: false,
            default,
            read_only: false,
            write_only: false,
            shown_on_create: false,
            stored_by: None,
            via: None,
            reverse: None,
            through: None,
            either: None,
            compute: None,
            plain: false,
            stored: true,
            filter: true,
            blank_is_null: false,
            targets: Targets::Any,
            blocks: false,
            reset_on_put: false,
            nested_fields: None,
            any_of: None,
            verbose: None,
            bare_id: false,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self.nullable = false;
        self.default = Default::None;
        self
    }
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    pub fn null(mut self) -> Self {
        self.nullable = true;
        self.default = Default::Null;
        self
    }
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }
    /// Limits a generic relation to these models (as NetBox's content-type fields do).
    pub fn to_models(mut self, models: &'static [&'static str]) -> Self {
        self.targets = Targets::Models(models);
        self
    }
    /// Limits a generic relation to models that take contacts.
    pub fn to_models_with_contacts(mut self) -> Self {
        self.targets = Targets::WithContacts;
        self
    }
    /// Limits a relation to object types to models that take tags.
    pub fn to_models_with_tags(mut self) -> Self {
        self.targets = Targets::WithTags;
        self
    }
    /// Keeps per-block address counts (see `blocks`).
    pub fn counted_in_blocks(mut self) -> Self {
        self.blocks = true;
        self
    }
    /// Blank strings are stored as NULL (for unique-or-empty values such as asset tags).
    pub fn blank_null(mut self) -> Self {
        self.nullable = true;
        self.blank_is_null = true;
        self.default = Default::Null;
        self
    }
    pub fn default(mut self, d: Default) -> Self {
        if !matches!(d, Default::Null) {
            self.nullable = false;
        }
        self.default = d;
        self
    }
    pub fn default_str(self, s: &'static str) -> Self {
        self.default(Default::Str(s))
    }
    pub fn default_int(self, i: i64) -> Self {
        self.default(Default::Int(i))
    }
    pub fn default_bool(self, b: bool) -> Self {
        self.default(Default::Bool(b))
    }
    pub fn label(mut self, l: &'static str) -> Self {
        self.label = Some(l);
        self
    }
    pub fn help(mut self, h: &'static str) -> Self {
        self.help = h;
        self
    }
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub fn shown_on_create(mut self) -> Self {
        self.write_only = true;
        self.shown_on_create = true;
        self
    }
    pub fn stored_by(mut self, target_field: &'static str) -> Self {
        self.stored_by = Some(target_field);
        self
    }
    /// Shows `field` of the object that this model's FK `fk` points at.
    pub fn via(mut self, fk: &'static str, field: &'static str) -> Self {
        self.via = Some((fk, field));
        self.computed()
    }
    /// Lists the objects of `model` whose `field` points here.
    pub fn reverse_of(mut self, model: &'static str, field: &'static str) -> Self {
        self.reverse = Some((model, field));
        self.default = Default::EmptyList;
        self.computed()
    }
    /// The object that the object of `model` whose `field` points here hangs off via
    /// `parent_fk`, with that object nested as `key`.
    pub fn parent_through(
        mut self,
        model: &'static str,
        field: &'static str,
        parent_fk: &'static str,
        key: &'static str,
    ) -> Self {
        self = self.reverse_of(model, field);
        self.default = Default::Null;
        self.through = Some((parent_fk, key));
        self
    }
    /// The relation's id shows no bounds (see `bare_id`).
    pub fn bare_id(mut self) -> Self {
        self.bare_id = true;
        self
    }
    /// The model field's verbose name (see `verbose`).
    pub fn verbose(mut self, name: &'static str) -> Self {
        self.verbose = Some(name);
        self
    }
    /// A flag computed from other fields of the row (see `any_of`).
    pub fn any_of(mut self, names: &'static [&'static str]) -> Self {
        self.any_of = Some(names);
        self.default = Default::Bool(false);
        self.computed()
    }
    /// Shows the object the first set of FK fields `a` and `b` points at.
    pub fn either(mut self, a: &'static str, b: &'static str) -> Self {
        self.either = Some([a, b]);
        self.computed()
    }
    /// Text computed from the row at read time.
    pub fn computed_text(mut self, f: fn(&dyn crate::object_type::RowText) -> String) -> Self {
        self.compute = Some(f);
        self.computed()
    }
    pub fn plain(mut self) -> Self {
        self.plain = true;
        self
    }
    pub fn computed(mut self) -> Self {
        self.stored = false;
        self.read_only = true;
        self
    }
    /// Inclusive bounds of an integer or decimal field.
    pub fn bounds(mut self, lo: f64, hi: f64) -> Self {
        match &mut self.kind {
            FieldKind::Int { min, max } | FieldKind::IntList { min, max } => {
                *min = Some(lo as i64);
                *max = Some(hi as i64);
            }
            FieldKind::Decimal { min, max, .. } => {
                *min = Some(lo);
                *max = Some(hi);
            }
            _ => {}
        }
        self
    }
    pub fn no_filter(mut self) -> Self {
        self.filter = false;
        self
    }

    /// The label NetBox shows: the declared one, or the name with its first letter
    /// upper-cased and underscores as spaces.
    pub fn label_text(&self) -> String {
        if let Some(l) = self.label {
            return l.to_string();
        }
        humanize(self.name)
    }

    /// Database column holding this field (FKs get `_id`).
    pub fn column(&self) -> Option<String> {
        if !self.stored {
            return None;
        }
        match self.kind {
            FieldKind::ForeignKey { .. } => Some(format!("{}_id", self.name)),
            FieldKind::ManyToMany { .. } | FieldKind::GenericFk { .. } => None,
            _ => Some(self.name.to_string()),
        }
    }

    pub fn fk_target(&self) -> Option<&'static str> {
        match self.kind {
            FieldKind::ForeignKey { target, .. } | FieldKind::ManyToMany { target } => Some(target),
            _ => None,
        }
    }
}

pub fn humanize(name: &str) -> String {
    capitalize(&name.replace('_', " "))
}

/// First letter upper-cased, as Django's `capfirst` ("IP address" stays as it is).
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

// Short constructors used by the model declarations.

pub fn string(name: &'static str, max_len: u32) -> Field {
    Field::new(name, FieldKind::Str { max_len })
}
pub fn name(max_len: u32) -> Field {
    string("name", max_len).required()
}
pub fn slug(max_len: u32) -> Field {
    Field::new("slug", FieldKind::Slug { max_len }).required()
}
pub fn description() -> Field {
    string("description", 200)
}
pub fn comments() -> Field {
    Field::new("comments", FieldKind::Text)
}
pub fn text(name: &'static str) -> Field {
    Field::new(name, FieldKind::Text)
}
pub fn int(name: &'static str, min: Option<i64>, max: Option<i64>) -> Field {
    Field::new(name, FieldKind::Int { min, max })
}
pub fn decimal(name: &'static str, max_digits: u8, places: u8) -> Field {
    Field::new(
        name,
        FieldKind::Decimal {
            max_digits,
            places,
            min: None,
            max: None,
        },
    )
}
pub fn boolean(name: &'static str) -> Field {
    Field::new(name, FieldKind::Bool)
}
pub fn choice(name: &'static str, set: &'static ChoiceSet) -> Field {
    Field::new(name, FieldKind::Choice(set))
}
pub fn date(name: &'static str) -> Field {
    Field::new(name, FieldKind::Date)
}
pub fn datetime(name: &'static str) -> Field {
    Field::new(name, FieldKind::DateTime)
}
pub fn json(name: &'static str) -> Field {
    Field::new(name, FieldKind::Json)
}
pub fn fk(name: &'static str, target: &'static str, on_delete: OnDelete) -> Field {
    Field::new(name, FieldKind::ForeignKey { target, on_delete })
}
pub fn m2m(name: &'static str, target: &'static str) -> Field {
    Field::new(name, FieldKind::ManyToMany { target })
}
pub fn generic(name: &'static str, ct: &'static str, fk: &'static str) -> Field {
    Field::new(name, FieldKind::GenericFk { ct, fk })
}
pub fn color(name: &'static str) -> Field {
    Field::new(name, FieldKind::Color)
}
pub fn url(name: &'static str, max_len: u32) -> Field {
    Field::new(name, FieldKind::Url { max_len })
}
pub fn email(name: &'static str, max_len: u32) -> Field {
    Field::new(name, FieldKind::Email { max_len })
}
pub fn str_list(name: &'static str) -> Field {
    Field::new(name, FieldKind::StrList)
}
