//! Virtual chassis: the master is one of the members, and every member has a position.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Writer};

use crate::fields::{fetch, get, int, text};

pub fn validate_chassis(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(devices) = reg.get("dcim.device") else {
        return Ok(());
    };
    if let Some(master) = fetch(w, devices, int(t, new, "master"))? {
        // A new chassis has no members yet, so its master cannot be one.
        if new.id == 0 || int(devices, &master, "virtual_chassis") != Some(new.id) {
            add(
                errors,
                "master",
                format!(
                    "The selected master ({}) is not assigned to this virtual chassis.",
                    text(devices, &master, "name")
                ),
            );
        }
    }
    Ok(())
}

pub fn validate_member(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    if !get(t, new, "virtual_chassis").is_null() && get(t, new, "vc_position").is_null() {
        add(
            errors,
            "vc_position",
            "A device assigned to a virtual chassis must have its position defined.",
        );
    }
}
