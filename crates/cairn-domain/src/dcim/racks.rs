//! Devices in racks: a device must fit the rack's units and may not overlap another
//! device on the same face (full-depth devices take both faces). Heights and positions
//! come in half units.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, Change, FieldErrors, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, name_of, num, set, text};

/// Units as half-unit steps, so that 0.5 U arithmetic is exact.
fn halves(x: f64) -> i64 {
    (x * 2.0).round() as i64
}

fn fmt_units(x: f64) -> String {
    format!("{x:.1}")
}

/// Checks (and completes) a device's placement in its rack.
pub fn validate_device(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(dtt), Some(rackt)) = (reg.get("dcim.devicetype"), reg.get("dcim.rack")) else {
        return Ok(());
    };
    let Some(dt) = fetch(w, dtt, int(t, new, "device_type"))? else {
        return Ok(());
    };
    if old.is_none() {
        // New devices inherit what their type suggests.
        if text(t, new, "airflow").is_empty() && !text(dtt, &dt, "airflow").is_empty() {
            set(t, new, "airflow", get(dtt, &dt, "airflow").clone());
        }
        if get(t, new, "platform").is_null() {
            set(
                t,
                new,
                "platform",
                get(dtt, &dt, "default_platform").clone(),
            );
        }
    }
    let rack = fetch(w, rackt, int(t, new, "rack"))?;
    let position = num(t, new, "position");
    let face = text(t, new, "face").to_string();
    let Some(rack) = rack else {
        if position.is_some() {
            add(
                errors,
                "position",
                "Cannot select a rack position without assigning a rack.",
            );
        }
        if !face.is_empty() {
            add(
                errors,
                "face",
                "Cannot select a rack face without assigning a rack.",
            );
        }
        return Ok(());
    };
    if int(rackt, &rack, "site") != int(t, new, "site") {
        let site = name_of(w, "dcim.site", int(t, new, "site"))?;
        add(
            errors,
            "rack",
            format!(
                "Rack {} does not belong to site {site}.",
                text(rackt, &rack, "name")
            ),
        );
        return Ok(());
    }
    let rack_location = int(rackt, &rack, "location");
    match int(t, new, "location") {
        // Device.save() takes the rack's location when none is given.
        None => set(
            t,
            new,
            "location",
            rack_location.map(Value::Int).unwrap_or(Value::Null),
        ),
        Some(loc) if rack_location != Some(loc) => {
            let name = name_of(w, "dcim.location", Some(loc))?;
            add(
                errors,
                "rack",
                format!(
                    "Rack {} does not belong to location {name}.",
                    text(rackt, &rack, "name")
                ),
            );
            return Ok(());
        }
        Some(_) => {}
    }
    if position.is_some() && face.is_empty() {
        add(
            errors,
            "face",
            "Must specify rack face when defining rack position.",
        );
        return Ok(());
    }
    let height = num(dtt, &dt, "u_height").unwrap_or(1.0);
    let type_name = text(dtt, &dt, "model").to_string();
    if height == 0.0 && position.is_some() {
        add(
            errors,
            "position",
            format!("A 0U device type ({type_name}) cannot be assigned to a rack position."),
        );
        return Ok(());
    }
    if text(dtt, &dt, "subdevice_role") == "child" {
        if !face.is_empty() {
            add(
                errors,
                "face",
                "Child device types cannot be assigned to a rack face. This is an attribute of the parent device.",
            );
            return Ok(());
        }
        if position.is_some() {
            add(
                errors,
                "position",
                "Child device types cannot be assigned to a rack position. This is an attribute of the parent device.",
            );
            return Ok(());
        }
    }
    let Some(position) = position else {
        return Ok(());
    };
    let occupied_msg = format!(
        "U{} is already occupied or does not have sufficient space to accommodate this device type: {type_name} ({}U)",
        fmt_units(position),
        fmt_units(height)
    );
    let slot = Slot {
        position,
        height,
        full_depth: get(dtt, &dt, "is_full_depth").as_bool().unwrap_or(true),
        face,
    };
    if !fits(w, &rack, &slot, new.id)? {
        add(errors, "position", occupied_msg);
    }
    Ok(())
}

/// Where a device would sit in a rack.
struct Slot {
    position: f64,
    height: f64,
    full_depth: bool,
    face: String,
}

/// The slot lies inside the rack's units and overlaps no other mounted device on its
/// face (full-depth devices take both faces); device `except` does not count.
fn fits(w: &mut Writer<'_>, rack: &Record, slot: &Slot, except: i64) -> Result<bool> {
    let reg = w.s.reg.clone();
    let (Some(t), Some(dtt), Some(rackt)) = (
        reg.get("dcim.device"),
        reg.get("dcim.devicetype"),
        reg.get("dcim.rack"),
    ) else {
        return Ok(true);
    };
    let start = num(rackt, rack, "starting_unit").unwrap_or(1.0);
    let rack_height = num(rackt, rack, "u_height").unwrap_or(42.0);
    let (p, h) = (halves(slot.position), halves(slot.height));
    if p < halves(start) || p + h > halves(start + rack_height) {
        return Ok(false);
    }
    let others = read::select(
        w.conn,
        w.s,
        t,
        &read::Query {
            filter: Filter::and(vec![
                Filter::eq("rack_id", rack.id),
                Filter::Not(Box::new(Filter::IsNull("position".into()))),
                Filter::Not(Box::new(Filter::eq("id", except))),
            ]),
            ..read::Query::all()
        },
    )?;
    let type_ids: Vec<i64> = others
        .iter()
        .filter_map(|o| int(t, o, "device_type"))
        .collect();
    let types = read::fetch(w.conn, w.s, dtt, &type_ids)?;
    for o in &others {
        let Some(ot) = int(t, o, "device_type").and_then(|i| types.get(&i)) else {
            continue;
        };
        let (op, oh) = (
            halves(num(t, o, "position").unwrap_or(0.0)),
            halves(num(dtt, ot, "u_height").unwrap_or(1.0)),
        );
        let overlap = p < op + oh && op < p + h;
        let other_full = get(dtt, ot, "is_full_depth").as_bool().unwrap_or(true);
        let same_face = text(t, o, "face") == slot.face || slot.full_depth || other_full;
        if overlap && same_face && oh > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A device type's height changes only while its racked devices still fit: taller only
/// with room above each, 0U only with none racked; a parent type keeps its role while it
/// has device bay templates.
pub fn validate_type_change(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: &Record,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(dt), Some(rackt)) = (reg.get("dcim.device"), reg.get("dcim.rack")) else {
        return Ok(());
    };
    let (before, after) = (
        num(t, old, "u_height").unwrap_or(1.0),
        num(t, new, "u_height").unwrap_or(1.0),
    );
    let racked = Filter::and(vec![
        Filter::eq("device_type_id", new.id),
        Filter::Not(Box::new(Filter::IsNull("position".into()))),
    ]);
    if after > before {
        let devices = read::select_columns(
            w.conn,
            w.s,
            dt,
            &read::Query {
                filter: racked,
                ..read::Query::all()
            },
        )?;
        let full_depth = get(t, new, "is_full_depth").as_bool().unwrap_or(true);
        for d in &devices {
            let Some(rack) = fetch(w, rackt, int(dt, d, "rack"))? else {
                continue;
            };
            let slot = Slot {
                position: num(dt, d, "position").unwrap_or(0.0),
                height: after,
                full_depth,
                face: text(dt, d, "face").to_string(),
            };
            if !fits(w, &rack, &slot, d.id)? {
                add(
                    errors,
                    "u_height",
                    format!(
                        "Device {} in rack {} does not have sufficient space to accommodate a height of {}U",
                        text(dt, d, "name"),
                        text(rackt, &rack, "name"),
                        fmt_units(after)
                    ),
                );
                break;
            }
        }
    } else if before > 0.0 && after == 0.0 {
        let n = read::count(w.conn, w.s, dt, &racked)?;
        if n > 0 {
            add(
                errors,
                "u_height",
                // NetBox's message carries a link to the device list (with its typo).
                format!(
                    "Unable to set 0U height: Found <a href=\"/dcim/devices/?manufactuer_id={}&device_type_id={}\">{n} instances</a> already mounted within racks.",
                    int(t, new, "manufacturer").unwrap_or_default(),
                    new.id
                ),
            );
        }
    }
    if text(t, new, "subdevice_role") != "parent" {
        if let Some(bays) = reg.get("dcim.devicebaytemplate") {
            if read::exists(w.conn, w.s, bays, &Filter::eq("device_type_id", new.id))? {
                add(
                    errors,
                    "subdevice_role",
                    "Must delete all device bay templates associated with this device before declassifying it as a parent device.",
                );
            }
        }
    }
    Ok(())
}

/// A device's position comes in half units.
pub fn validate_position_step(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    if num(t, new, "position").is_some_and(|p| (p * 2.0).fract() != 0.0) {
        add(
            errors,
            "position",
            "Position must be in increments of 0.5 rack units.",
        );
    }
}

/// A weight needs its unit (NetBox's WeightMixin: racks, rack types, device and module
/// types).
pub fn validate_weight(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    if num(t, new, "weight").is_some_and(|v| v != 0.0) && text(t, new, "weight_unit").is_empty() {
        add(
            errors,
            "__all__",
            "Must specify a unit when setting a weight",
        );
    }
}

/// Outer dimensions and a maximum weight need their units (racks and rack types).
pub fn validate_units(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let set = |name: &str| num(t, new, name).is_some_and(|v| v != 0.0);
    let dimension = ["outer_width", "outer_depth", "outer_height"]
        .iter()
        .any(|f| set(f));
    if dimension && text(t, new, "outer_unit").is_empty() {
        add(
            errors,
            "__all__",
            "Must specify a unit when setting an outer dimension",
        );
    }
    if set("max_weight") && text(t, new, "weight_unit").is_empty() {
        add(
            errors,
            "__all__",
            "Must specify a unit when setting a maximum weight",
        );
    }
}

/// The physical attributes a rack takes from its rack type (NetBox's `RACKTYPE_FIELDS`).
pub const RACK_TYPE_FIELDS: [&str; 13] = [
    "form_factor",
    "width",
    "u_height",
    "starting_unit",
    "desc_units",
    "outer_width",
    "outer_height",
    "outer_depth",
    "outer_unit",
    "mounting_depth",
    "weight",
    "weight_unit",
    "max_weight",
];

/// A rack with a rack type takes the type's physical attributes; without outer
/// dimensions a rack or rack type keeps no outer unit.
pub fn apply_rack_type(w: &mut Writer<'_>, t: &ObjectType, new: &mut Record) -> Result<()> {
    let reg = w.s.reg.clone();
    if let Some(rtt) = reg.get("dcim.racktype").filter(|_| t.model == "rack") {
        if let Some(rt) = fetch(w, rtt, int(t, new, "rack_type"))? {
            for f in RACK_TYPE_FIELDS {
                set(t, new, f, get(rtt, &rt, f).clone());
            }
        }
    }
    let outer = ["outer_width", "outer_depth", "outer_height"]
        .iter()
        .any(|f| num(t, new, f).is_some_and(|v| v != 0.0));
    if !outer {
        set(t, new, "outer_unit", Value::Null);
    }
    Ok(())
}

/// A rack that already holds devices must stay tall enough for the highest one and may
/// not start numbering above the lowest one (NetBox compares with the devices ordered by
/// position, as here).
pub fn validate_mounted(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(dt), Some(dtt)) = (reg.get("dcim.device"), reg.get("dcim.devicetype")) else {
        return Ok(());
    };
    let mounted = read::select_columns(
        w.conn,
        w.s,
        dt,
        &read::Query {
            filter: Filter::and(vec![
                Filter::eq("rack_id", new.id),
                Filter::Not(Box::new(Filter::IsNull("position".into()))),
            ]),
            order: vec![("position".into(), false)],
            limit: None,
            offset: 0,
        },
    )?;
    let (Some(lowest), Some(top)) = (mounted.first(), mounted.last()) else {
        return Ok(());
    };
    let typed = int(t, new, "rack_type").is_some();
    let height = num(t, new, "u_height").unwrap_or(42.0);
    let start = num(t, new, "starting_unit").unwrap_or(1.0);
    let top_height = fetch(w, dtt, int(dt, top, "device_type"))?
        .and_then(|d| num(dtt, &d, "u_height"))
        .unwrap_or(1.0);
    let min_height = num(dt, top, "position").unwrap_or(0.0) + top_height - start;
    if height < min_height {
        add(
            errors,
            if typed { "rack_type" } else { "u_height" },
            format!(
                "Rack must be at least {}U tall to house currently installed devices.",
                fmt_units(min_height)
            ),
        );
    }
    let low = num(dt, lowest, "position").unwrap_or(0.0);
    if start > low {
        add(
            errors,
            if typed { "rack_type" } else { "starting_unit" },
            format!(
                "Rack unit numbering must begin at {} or less to house currently installed devices.",
                fmt_units(low)
            ),
        );
    }
    Ok(())
}

/// Saving a rack type re-applies its attributes to every rack of that type, through the
/// write path (NetBox saves each rack).
pub fn retype_racks(w: &mut Writer<'_>, t: &ObjectType, new: &Record) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(rackt) = reg.get("dcim.rack") else {
        return Ok(());
    };
    for id in read::ids(w.conn, w.s, rackt, &Filter::eq("rack_type_id", new.id))? {
        let mut change = Change::default();
        for f in RACK_TYPE_FIELDS {
            if let Some(i) = rackt.field_index(f) {
                change.set(i, get(t, new, f).clone());
            }
        }
        w.update(rackt, id, change, false)?;
    }
    Ok(())
}
