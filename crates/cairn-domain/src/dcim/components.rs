//! Rules between components: an interface's parent, bridge and LAG are interfaces of
//! the same device (a LAG may also be on another member of its virtual chassis), and a
//! front port maps onto a position its rear port has.

use cairn_schema::ObjectType;
use cairn_store::{FieldErrors, Record, Result, Writer};

use crate::fields::{fetch, int, text};

fn add(errors: &mut FieldErrors, field: &str, msg: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(msg.into());
}

pub fn validate_interface(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let device = int(t, new, "device");
    let reg = w.s.reg.clone();
    let devices = reg.get("dcim.device");
    for (field, what) in [("parent", "parent"), ("bridge", "bridge"), ("lag", "LAG")] {
        let Some(other_id) = int(t, new, field) else {
            continue;
        };
        if other_id == new.id {
            add(
                errors,
                field,
                format!("An interface cannot be its own {what}."),
            );
            continue;
        }
        let Some(other) = fetch(w, t, Some(other_id))? else {
            continue;
        };
        let other_device = int(t, &other, "device");
        let mut same = other_device == device;
        // A LAG may span the members of a virtual chassis.
        if !same && field == "lag" {
            if let Some(dt) = devices {
                let vc = |w: &mut Writer<'_>, id| -> Result<Option<i64>> {
                    Ok(fetch(w, dt, id)?.and_then(|d| int(dt, &d, "virtual_chassis")))
                };
                let (a, b) = (vc(w, device)?, vc(w, other_device)?);
                same = a.is_some() && a == b;
            }
        }
        if !same {
            add(
                errors,
                field,
                format!(
                    "The selected {what} interface ({}) belongs to a different device.",
                    text(t, &other, "name")
                ),
            );
        } else if field == "lag" && text(t, &other, "type") != "lag" {
            add(
                errors,
                field,
                format!(
                    "The selected LAG interface ({}) is not a LAG.",
                    text(t, &other, "name")
                ),
            );
        }
    }
    Ok(())
}

/// Front ports (and their templates) map onto an existing position of a rear port of
/// the same parent.
pub fn validate_front_port(
    w: &mut Writer<'_>,
    t: &ObjectType,
    parent_field: &str,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(rear_label) = t.field("rear_port").and_then(|f| f.fk_target()) else {
        return Ok(());
    };
    let reg = w.s.reg.clone();
    let Some(rt) = reg.get(rear_label) else {
        return Ok(());
    };
    let Some(rear) = fetch(w, rt, int(t, new, "rear_port"))? else {
        return Ok(());
    };
    if int(rt, &rear, parent_field) != int(t, new, parent_field) {
        add(
            errors,
            "rear_port",
            format!(
                "Rear port ({}) must belong to the same {}",
                text(rt, &rear, "name"),
                parent_field.replace('_', " ")
            ),
        );
        return Ok(());
    }
    let positions = int(rt, &rear, "positions").unwrap_or(1);
    let position = int(t, new, "rear_port_position").unwrap_or(1);
    if position < 1 || position > positions {
        add(
            errors,
            "rear_port_position",
            format!(
                "Invalid rear port position ({position}): Rear port {} has only {positions} positions.",
                text(rt, &rear, "name")
            ),
        );
    }
    Ok(())
}

/// Device bays (and their templates) exist only on parent device types.
pub fn validate_device_bay(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(types) = reg.get("dcim.devicetype") else {
        return Ok(());
    };
    let (type_id, template) = match reg.get("dcim.device") {
        Some(devices) if t.field("device").is_some() => (
            fetch(w, devices, int(t, new, "device"))?.and_then(|d| int(devices, &d, "device_type")),
            false,
        ),
        _ => (int(t, new, "device_type"), true),
    };
    let Some(dt) = fetch(w, types, type_id)? else {
        return Ok(());
    };
    if text(types, &dt, "subdevice_role") != "parent" {
        let model = text(types, &dt, "model");
        let (field, msg) = if template {
            (
                "device_type",
                format!("Subdevice role of device type ({model}) must be set to \"parent\" to allow device bays."),
            )
        } else {
            (
                "device",
                format!("This type of device ({model}) does not support device bays."),
            )
        };
        add(errors, field, msg);
    }
    Ok(())
}
