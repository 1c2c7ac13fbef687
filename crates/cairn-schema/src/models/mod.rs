//! Model declarations, one module per NetBox app.

use crate::object_type::ObjectType;

pub mod core;
pub mod dcim;
pub mod dcim_components;
pub mod dcim_devices;
pub mod extras;
pub mod ipam;
mod nested_shapes;
mod put_defaults;
pub mod tenancy;
pub mod users;

/// Every declared object type, in dependency-friendly order (targets before referrers
/// is not required: DDL creates tables first and constraints after).
pub fn all() -> Vec<ObjectType> {
    let mut types = Vec::new();
    types.extend(core::types());
    types.extend(users::types());
    types.extend(extras::types());
    types.extend(tenancy::types());
    types.extend(dcim::types());
    types.extend(dcim_devices::types());
    types.extend(dcim_components::types());
    types.extend(ipam::types());
    nested_shapes::apply(put_defaults::apply(types))
}
