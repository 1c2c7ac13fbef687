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
        let Some(target) = t.field(field).and_then(|f| f.fk_target()) else {
            continue;
        };
        let reg = w.s.reg.clone();
        let Some(tt) = reg.get(target) else { continue };
        let Some(other) = fetch(w, tt, int(t, new, field))? else {
            continue;
        };
        let name = text(tt, &other, "name");
        if dt.is_some() && int(tt, &other, "device_type") != dt {
            add(
                errors,
                key,
                format!("{what} ({name}) must belong to the same device type"),
            );
        } else if mt.is_some() && int(tt, &other, "module_type") != mt {
            add(
                errors,
                key,
                format!("{what} ({name}) must belong to the same module type"),
            );
        }
    }
    Ok(())
}
