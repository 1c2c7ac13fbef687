//! Component templates belong to one device type or one module type, stay with it, and
//! refer only to templates of the same type (a power outlet's power port, an interface's
//! bridge).

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Writer};

use crate::fields::{fetch, int, text};

pub fn validate_template(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let (dt, mt) = (int(t, new, "device_type"), int(t, new, "module_type"));
    if t.field("module_type").is_some() {
        match (dt, mt) {
            (Some(_), Some(_)) => add(
                errors,
                "__all__",
                "A component template cannot be associated with both a device type and a module type.",
            ),
            (None, None) => add(
                errors,
                "__all__",
                "A component template must be associated with either a device type or a module type.",
            ),
            _ => {}
        }
    }
    // Device bay templates skip this check in NetBox (their clean() does not call super).
    if let Some(old) = old.filter(|_| t.model != "devicebaytemplate") {
        if int(t, old, "device_type") != dt {
            add(
                errors,
                "device_type",
                "Component templates cannot be moved to a different device type.",
            );
        }
    }
    for (field, what, key) in [
        ("power_port", "Parent power port", "__all__"),
        ("bridge", "Bridge interface", "bridge"),
    ] {
        same_owner(
            w,
            t,
            new,
            (field, what, key),
            &["device_type", "module_type"],
            errors,
        )?;
    }
    Ok(())
}

/// The object `field` names belongs to the same owner (each of `owners` the record sets)
/// as the record: "Parent power port (psu0) must belong to the same device type", filed
/// under `key`.
pub fn same_owner(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    (field, what, key): (&str, &str, &str),
    owners: &[&str],
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(tt) = t
        .field(field)
        .and_then(|f| f.fk_target())
        .and_then(|l| reg.get(l))
    else {
        return Ok(());
    };
    let Some(other) = fetch(w, tt, int(t, new, field))? else {
        return Ok(());
    };
    let differs = owners
        .iter()
        .find(|o| int(t, new, o).is_some() && int(tt, &other, o) != int(t, new, o));
    if let Some(owner) = differs {
        add(
            errors,
            key,
            format!(
                "{what} ({}) must belong to the same {}",
                text(tt, &other, "name"),
                owner.replace('_', " ")
            ),
        );
    }
    Ok(())
}
