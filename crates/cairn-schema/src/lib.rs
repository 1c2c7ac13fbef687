//! The model registry: object types, field kinds and choice sets, as data.
//!
//! Everything generic (storage, validation, REST) reads these declarations; nothing here
//! knows about SQL or HTTP.

pub mod choices;
pub mod custom;
pub mod field;
pub mod models;
pub mod naturalize;
pub mod netbox_filters;
pub mod object_type;
pub mod registry;

pub use choices::{Choice, ChoiceSet};
pub use custom::{CustomChoices, CustomField, CustomKind, FilterLogic};
pub use field::{Default, Field, FieldKind, OnDelete, Targets};
pub use naturalize::{naturalize, naturalize_interface};
pub use object_type::{
    Count, Display, ExtraFilter, Features, FieldPath, IpRelation, Key, ObjectType, PathFilter,
    RowText, UniqueTogether,
};
pub use registry::{App, Reference, Registry, APPS};
