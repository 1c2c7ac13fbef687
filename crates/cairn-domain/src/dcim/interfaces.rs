//! Interface rules NetBox keeps on both interfaces and their templates
//! (`InterfaceValidationMixin`), and those of interfaces alone: the wireless channel sets
//! frequency and width, the WWN is an EUI-64, the primary MAC is this interface's, tagged
//! VLANs are of the device's site.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, Action, FieldErrors, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, num, set, text};

/// NetBox's `VIRTUAL_IFACE_TYPES`.
pub const VIRTUAL: &[&str] = &["virtual", "lag", "bridge"];

/// NetBox's `WIRELESS_IFACE_TYPES`.
pub fn is_wireless(kind: &str) -> bool {
    kind.starts_with("ieee802.11")
        || matches!(
            kind,
            "ieee802.15.1"
                | "ieee802.15.4"
                | "other-wireless"
                | "gsm"
                | "cdma"
                | "lte"
                | "4g"
                | "5g"
        )
}

/// PoE only on physical interfaces, a PoE type only with a mode, a radio role only on
/// wireless ones; a template is not bridged to itself.
pub fn validate_kind_settings(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let kind = text(t, new, "type");
    let virtual_kind = VIRTUAL.contains(&kind);
    let set_ = |f: &str| !text(t, new, f).is_empty();
    // (Interfaces check their bridge with their other relations.)
    if t.model == "interfacetemplate" && new.id != 0 && int(t, new, "bridge") == Some(new.id) {
        add(
            errors,
            "bridge",
            "An interface cannot be bridged to itself.",
        );
    } else if set_("poe_mode") && virtual_kind {
        add(
            errors,
            "poe_mode",
            "Virtual interfaces cannot have a PoE mode.",
        );
    } else if set_("poe_type") && virtual_kind {
        add(
            errors,
            "poe_type",
            "Virtual interfaces cannot have a PoE type.",
        );
    } else if set_("poe_type") && !set_("poe_mode") {
        add(
            errors,
            "poe_type",
            "Must specify PoE mode when designating a PoE type.",
        );
    } else if set_("rf_role") && !is_wireless(kind) {
        add(
            errors,
            "rf_role",
            "Wireless role may be set only on wireless interfaces.",
        );
    }
}

/// A channel value is `<band>-<number>-<frequency MHz>-<width MHz>`.
fn channel_attr(channel: &str, index: usize) -> Option<f64> {
    channel.split('-').nth(index)?.parse().ok()
}

/// A selected channel fixes frequency and width: given ones must match, missing ones are
/// filled in.
pub fn validate_channel(t: &ObjectType, new: &mut Record, errors: &mut FieldErrors) {
    let channel = text(t, new, "rf_channel").to_string();
    if channel.is_empty() {
        return;
    }
    for (field, index, what) in [
        ("rf_channel_frequency", 2, "frequency"),
        ("rf_channel_width", 3, "width"),
    ] {
        let Some(fixed) = channel_attr(&channel, index) else {
            continue;
        };
        match num(t, new, field) {
            Some(v) if v != 0.0 && (v - fixed).abs() > 1e-9 => add(
                errors,
                field,
                format!("Cannot specify custom {what} with channel selected."),
            ),
            Some(v) if v != 0.0 => {}
            _ => set(t, new, field, Value::Float(fixed)),
        }
    }
}

/// A WWN in any of the EUI-64 forms netaddr reads, stored in NetBox's upper-case colon
/// form.
pub fn normalize_wwn(t: &ObjectType, new: &mut Record, errors: &mut FieldErrors) {
    let raw = text(t, new, "wwn").to_string();
    if raw.is_empty() {
        return;
    }
    match eui64(raw.trim()) {
        Some(octets) => {
            let text: Vec<String> = octets.iter().map(|o| format!("{o:02X}")).collect();
            set(t, new, "wwn", Value::Text(text.join(":")));
        }
        None => add(errors, "wwn", format!("Invalid WWN format: {raw}")),
    }
}

fn eui64(s: &str) -> Option<[u8; 8]> {
    let hex_ok = |g: &str, max: usize| {
        !g.is_empty() && g.len() <= max && g.bytes().all(|b| b.is_ascii_hexdigit())
    };
    let digits: String = if let Some(sep) = [':', '-'].into_iter().find(|c| s.contains(*c)) {
        let groups: Vec<&str> = s.split(sep).collect();
        if groups.len() != 8 || !groups.iter().all(|g| hex_ok(g, 2)) {
            return None;
        }
        groups.iter().map(|g| format!("{g:0>2}")).collect()
    } else if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        if groups.len() != 4 || !groups.iter().all(|g| hex_ok(g, 4)) {
            return None;
        }
        groups.iter().map(|g| format!("{g:0>4}")).collect()
    } else if hex_ok(s, 16) && s.len() == 16 {
        s.to_string()
    } else {
        return None;
    };
    let mut out = [0u8; 8];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(digits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A primary MAC address is unassigned or assigned to this interface.
pub fn validate_primary_mac(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(mt) = reg.get("dcim.macaddress") else {
        return Ok(());
    };
    let Some(mac) = fetch(w, mt, int(t, new, "primary_mac_address"))? else {
        return Ok(());
    };
    let Value::Ref(ct, owner) = get(mt, &mac, "assigned_object").clone() else {
        return Ok(());
    };
    let own_ct = w.s.ct_of(t);
    if own_ct == Some(ct) && owner == new.id {
        return Ok(());
    }
    let owner_name = match w.s.type_of_ct(ct).and_then(|o| reg.get(&o.label())) {
        Some(ot) => fetch(w, ot, Some(owner))?
            .map(|o| text(ot, &o, "name").to_string())
            .unwrap_or_default(),
        None => String::new(),
    };
    add(
        errors,
        "primary_mac_address",
        format!(
            "MAC address {} is assigned to a different interface ({owner_name}).",
            text(mt, &mac, "mac_address")
        ),
    );
    Ok(())
}

/// A new interface created with a primary MAC address takes that address.
pub fn claim_primary_mac(
    w: &mut Writer<'_>,
    t: &ObjectType,
    action: Action,
    new: &Record,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Action::Create, Some(mac), Some(mt), Some(ct)) = (
        action,
        int(t, new, "primary_mac_address"),
        reg.get("dcim.macaddress"),
        w.s.ct_of(t),
    ) else {
        return Ok(());
    };
    let Some(i) = mt.field_index("assigned_object") else {
        return Ok(());
    };
    let mut change = cairn_store::Change::default();
    change.set(i, Value::Ref(ct, new.id));
    w.update(mt, mac, change, false)?;
    Ok(())
}

/// Every tagged VLAN belongs to the device's site, or to none.
pub fn validate_tagged_sites(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Value::Ids(tagged) = get(t, new, "tagged_vlans").clone() else {
        return Ok(());
    };
    if tagged.is_empty()
        || old.is_some_and(|o| get(t, o, "tagged_vlans") == &Value::Ids(tagged.clone()))
    {
        return Ok(());
    }
    let reg = w.s.reg.clone();
    let (Some(vt), Some(dt)) = (reg.get("ipam.vlan"), reg.get("dcim.device")) else {
        return Ok(());
    };
    let site = fetch(w, dt, int(t, new, "device"))?.and_then(|d| int(dt, &d, "site"));
    let vlans = read::select_columns(
        w.conn,
        w.s,
        vt,
        &read::Query {
            filter: Filter::ids("id", tagged),
            ..read::Query::all()
        },
    )?;
    if let Some(v) = vlans
        .iter()
        .find(|v| int(vt, v, "site").is_some_and(|s| Some(s) != site))
    {
        add(
            errors,
            "tagged_vlans",
            format!(
                "VLAN {} ({}) must belong to the same site as the interface's parent device, or it must be global.",
                text(vt, v, "name"),
                int(vt, v, "vid").unwrap_or_default()
            ),
        );
    }
    Ok(())
}
