//! placeholder

use crate::object_type::ObjectType;

pub fn types() -> Vec<ObjectType> {
    vec![]
}
