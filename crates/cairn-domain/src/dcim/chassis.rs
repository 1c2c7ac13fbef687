//! Virtual chassis: the master is one of the members, and every member has a position.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{Change, FieldErrors, Record, Result, Value, Writer};

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
    // A new chassis enrolls its master (below); an existing one's master is a member.
    if new.id == 0 {
        return Ok(());
    }
    if let Some(master) = fetch(w, devices, int(t, new, "master"))? {
        if int(devices, &master, "virtual_chassis") != Some(new.id) {
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

/// A chassis created with a master takes it as its member in position 1, as NetBox's
/// `assign_virtualchassis_master` signal does.
pub fn enroll_master(w: &mut Writer<'_>, t: &ObjectType, new: &Record) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(devices), Some(master)) = (reg.get("dcim.device"), int(t, new, "master")) else {
        return Ok(());
    };
    let mut change = Change::default();
    for (name, v) in [("virtual_chassis", new.id), ("vc_position", 1)] {
        if let Some(i) = devices.field_index(name) {
            change.set(i, Value::Int(v));
        }
    }
    w.update(devices, master, change, false).map(|_| ())
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
