//! Rules of components: an interface's parent, bridge and LAG are interfaces of the same
//! device (or virtual chassis), type-bound settings (virtual, wireless, 802.1Q mode), a
//! front port maps onto a position its rear port has, device bays only on parent types.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, set, text};

/// Types without a physical port: no cable, never "connected".
const NONCONNECTABLE: &[&str] = &["virtual", "bridge", "lag"];

fn is_wireless(kind: &str) -> bool {
    kind.starts_with("ieee802.11") || kind.starts_with("ieee802.15") || kind == "other-wireless"
}

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
        let mut same = other_device == device;
        // Members of one virtual chassis share their interfaces.
        if !same {
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
