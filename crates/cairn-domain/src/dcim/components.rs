//! Rules of components: an interface's parent, bridge and LAG are interfaces of the same
//! device (or virtual chassis), type-bound settings (virtual, wireless, 802.1Q mode), a
//! front port maps onto a position its rear port has, device bays only on parent types.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, name_of, set, text};

use super::interfaces::{is_wireless, VIRTUAL as NONCONNECTABLE};

pub fn validate_interface(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let device = int(t, new, "device");
    let kind = text(t, new, "type").to_string();
    let kind_label = match t.field("type").map(|f| f.kind) {
        Some(cairn_schema::FieldKind::Choice(set)) => set.label(&kind).unwrap_or(&kind).to_string(),
        _ => kind.clone(),
    };
    if NONCONNECTABLE.contains(&kind.as_str())
        && get(t, new, "mark_connected").as_bool() == Some(true)
    {
        add(
            errors,
            "mark_connected",
            format!("{kind_label} interfaces cannot be marked as connected."),
        );
    }
    if kind == "virtual" && int(t, new, "lag").is_some() {
        add(
            errors,
            "lag",
            "Virtual interfaces cannot have a parent LAG interface.",
        );
    }
    if kind != "virtual" && int(t, new, "parent").is_some() {
        add(
            errors,
            "parent",
            "Only virtual interfaces may be assigned to a parent interface.",
        );
    }
    if !is_wireless(&kind) {
        for (field, what) in [
            ("rf_channel", "Channel"),
            ("rf_channel_frequency", "Channel frequency"),
            ("rf_channel_width", "Channel width"),
        ] {
            let v = get(t, new, field);
            if !v.is_null() && v.as_str() != Some("") {
                add(
                    errors,
                    field,
                    format!("{what} may be set only on wireless interfaces."),
                );
            }
        }
    }
    check_vlans(w, t, old, new, errors)?;
    let reg = w.s.reg.clone();
    let devices = reg.get("dcim.device");
    for (field, what, own) in [
        ("parent", "parent", "An interface cannot be its own parent."),
        (
            "bridge",
            "bridge",
            "An interface cannot be bridged to itself.",
        ),
        ("lag", "LAG", "A LAG interface cannot be its own parent."),
    ] {
        let Some(other_id) = int(t, new, field) else {
            continue;
        };
        if other_id == new.id {
            add(errors, field, own);
            continue;
        }
        let Some(other) = fetch(w, t, Some(other_id))? else {
            continue;
        };
        let other_device = int(t, &other, "device");
        if other_device != device {
            if let Some(dt) = devices {
                let (mine, theirs) = (fetch(w, dt, device)?, fetch(w, dt, other_device)?);
                let vc_of =
                    |d: &Option<Record>| d.as_ref().and_then(|d| int(dt, d, "virtual_chassis"));
                let (my_vc, their_vc) = (vc_of(&mine), vc_of(&theirs));
                let theirs_name = theirs
                    .as_ref()
                    .map(|d| text(dt, d, "name").to_string())
                    .unwrap_or_default();
                let name = text(t, &other, "name");
                match my_vc {
                    None => add(
                        errors,
                        field,
                        format!(
                            "The selected {what} interface ({name}) belongs to a different device ({theirs_name}){}",
                            if field == "parent" { "" } else { "." }
                        ),
                    ),
                    Some(vc) if their_vc != Some(vc) => {
                        let vc_name = name_of(w, "dcim.virtualchassis", Some(vc))?;
                        add(
                            errors,
                            field,
                            format!(
                                "The selected {what} interface ({name}) belongs to {theirs_name}, which is not part of virtual chassis {vc_name}."
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if errors.contains_key(field) {
                continue;
            }
        }
        if field == "lag" && text(t, &other, "type") != "lag" {
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

/// 802.1Q settings the mode allows, and an untagged VLAN of the device's site (or global).
fn check_vlans(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let mode = text(t, new, "mode").to_string();
    if mode != "q-in-q" && int(t, new, "qinq_svlan").is_some() {
        add(
            errors,
            "qinq_svlan",
            "Interface mode does not support q-in-q service vlan",
        );
    }
    if mode.is_empty() && int(t, new, "untagged_vlan").is_some() {
        add(
            errors,
            "untagged_vlan",
            "Interface mode does not support untagged vlan",
        );
    }
    // Tagged VLANs asked for in a mode without them are refused; ones left over from a
    // tagged mode go quietly (NetBox clears them when the mode changes).
    let tagged = get(t, new, "tagged_vlans");
    let asked = old.is_none_or(|o| get(t, o, "tagged_vlans") != tagged);
    let some = matches!(tagged, Value::Ids(ids) if !ids.is_empty());
    if some && asked && matches!(mode.as_str(), "" | "access" | "tagged-all") {
        add(
            errors,
            "tagged_vlans",
            "Interface mode does not support tagged vlans",
        );
    }
    if mode != "tagged" {
        set(t, new, "tagged_vlans", Value::Ids(Vec::new()));
    }
    let reg = w.s.reg.clone();
    let (Some(vt), Some(dt)) = (reg.get("ipam.vlan"), reg.get("dcim.device")) else {
        return Ok(());
    };
    let Some(vlan) = fetch(w, vt, int(t, new, "untagged_vlan"))? else {
        return Ok(());
    };
    let Some(vlan_site) = int(vt, &vlan, "site") else {
        return Ok(());
    };
    let device_site = fetch(w, dt, int(t, new, "device"))?.and_then(|d| int(dt, &d, "site"));
    if device_site != Some(vlan_site) {
        add(
            errors,
            "untagged_vlan",
            format!(
                "The untagged VLAN ({} ({})) must belong to the same site as the interface's parent device, or it must be global.",
                text(vt, &vlan, "name"),
                get(vt, &vlan, "vid").as_i64().unwrap_or_default()
            ),
        );
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

/// A rear port keeps at least as many positions as front ports are mapped onto it.
pub fn validate_rear_port(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    if new.id == 0 {
        return Ok(());
    }
    let reg = w.s.reg.clone();
    let front_label = if t.label() == "dcim.rearport" {
        "dcim.frontport"
    } else {
        "dcim.frontporttemplate"
    };
    let Some(ft) = reg.get(front_label) else {
        return Ok(());
    };
    let mapped = cairn_store::read::count(
        w.conn,
        w.s,
        ft,
        &cairn_store::Filter::eq("rear_port_id", new.id),
    )?;
    let positions = int(t, new, "positions").unwrap_or(1);
    if positions < mapped {
        add(
            errors,
            "positions",
            format!(
                "The number of positions cannot be less than the number of mapped front ports ({mapped})"
            ),
        );
    }
    Ok(())
}

/// An inventory item's parent is an item of the same device, and never itself.
pub fn validate_inventory_item(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(parent_id) = int(t, new, "parent") else {
        return Ok(());
    };
    if parent_id == new.id {
        add(errors, "parent", "Cannot assign self as parent.");
        return Ok(());
    }
    if let Some(parent) = fetch(w, t, Some(parent_id))? {
        if int(t, &parent, "device") != int(t, new, "device") {
            add(
                errors,
                "parent",
                "Parent inventory item does not belong to the same device.",
            );
        }
    }
    Ok(())
}

/// Components stay on their device (inventory items may move).
pub fn validate_stays_on_device(
    t: &ObjectType,
    old: &Record,
    new: &Record,
    errors: &mut FieldErrors,
) {
    if t.label() != "dcim.inventoryitem" && int(t, old, "device") != int(t, new, "device") {
        add(
            errors,
            "device",
            "Components cannot be moved to a different device.",
        );
    }
}

/// A MAC address that is an interface's primary one stays where it is.
pub fn validate_mac(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: &Record,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let before = get(t, old, "assigned_object").clone();
    if &before == get(t, new, "assigned_object") {
        return Ok(());
    }
    let reg = w.s.reg.clone();
    let Value::Ref(ct, id) = before else {
        return Ok(());
    };
    let Some(owner) = w.s.type_of_ct(ct).and_then(|o| reg.get(&o.label())) else {
        return Ok(());
    };
    let primary = fetch(w, owner, Some(id))?.and_then(|o| int(owner, &o, "primary_mac_address"));
    if primary == Some(old.id) {
        let what = if get(t, new, "assigned_object").is_null() {
            "unassign"
        } else {
            "reassign"
        };
        add(
            errors,
            "__all__",
            format!(
                "Cannot {what} MAC Address while it is designated as the primary MAC for an object"
            ),
        );
    }
    Ok(())
}

/// A device is not installed in its own bay.
pub fn validate_bay_occupant(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let occupant = int(t, new, "installed_device");
    if occupant.is_some() && occupant == int(t, new, "device") {
        add(errors, "__all__", "Cannot install a device into itself.");
    }
}

/// A power outlet's power port is on the same device.
pub fn validate_outlet(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let check = ("power_port", "Parent power port", "__all__");
    super::templates::same_owner(w, t, new, check, &["device"], errors)
}

/// An inventory item moving to another device leaves no children behind and drops a
/// component of the old device; a new one names a component of its own device.
pub fn validate_item_move(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let device = int(t, new, "device");
    let component_device = match get(t, new, "component").clone() {
        Value::Ref(ct, id) => {
            let reg = w.s.reg.clone();
            match w.s.type_of_ct(ct).and_then(|c| reg.get(&c.label())) {
                Some(ct) => fetch(w, ct, Some(id))?.and_then(|c| int(ct, &c, "device")),
                None => None,
            }
        }
        _ => return check_children(w, t, old, new, device, errors),
    };
    if component_device != device {
        if old.is_some() {
            set(t, new, "component", Value::Null);
        } else {
            add(
                errors,
                "device",
                "Cannot assign inventory item to component on another device",
            );
        }
    }
    check_children(w, t, old, new, device, errors)
}

fn check_children(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &Record,
    device: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(old) = old.filter(|o| int(t, o, "device") != device) else {
        return Ok(());
    };
    let children = cairn_store::Filter::eq("parent_id", old.id);
    if cairn_store::read::exists(w.conn, w.s, t, &children)? && new.id != 0 {
        add(
            errors,
            "__all__",
            "Cannot move an inventory item with dependent children",
        );
    }
    Ok(())
}

/// A module bay is not held by a module installed in it (or below it); its tree parent
/// is the bay its module sits in.
pub fn validate_module_bay(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(mt) = reg.get("dcim.module") else {
        return Ok(());
    };
    let holder_bay = fetch(w, mt, int(t, new, "module"))?.and_then(|m| int(mt, &m, "module_bay"));
    set(
        t,
        new,
        "parent",
        holder_bay.map(Value::Int).unwrap_or(Value::Null),
    );
    let (bays, _) = bays_above(w, holder_bay)?;
    if new.id != 0 && bays.contains(&new.id) {
        add(
            errors,
            "__all__",
            "A module bay cannot belong to a module installed within it.",
        );
    }
    Ok(())
}

/// The chain above a module bay: that bay, the bay holding its module, and so on up,
/// with the modules met on the way (bays, modules).
pub fn bays_above(w: &mut Writer<'_>, bay: Option<i64>) -> Result<(Vec<i64>, Vec<i64>)> {
    let reg = w.s.reg.clone();
    let (Some(bt), Some(mt)) = (reg.get("dcim.modulebay"), reg.get("dcim.module")) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let (mut bays, mut modules) = (Vec::new(), Vec::new());
    let mut next = bay;
    while let Some(b) = next.filter(|b| !bays.contains(b)) {
        bays.push(b);
        let Some(m) = fetch(w, bt, Some(b))?.and_then(|r| int(bt, &r, "module")) else {
            break;
        };
        modules.push(m);
        next = fetch(w, mt, Some(m))?.and_then(|r| int(mt, &r, "module_bay"));
    }
    Ok((bays, modules))
}
