//! Devices in racks: a device must fit the rack's units and may not overlap another
//! device on the same face (full-depth devices take both faces). Heights and positions
//! come in half units.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, FieldErrors, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, num, set, text};

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
        let site = match reg.get("dcim.site") {
            Some(st) => fetch(w, st, int(t, new, "site"))?
                .map(|s| text(st, &s, "name").to_string())
                .unwrap_or_default(),
            None => String::new(),
        };
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
    if let Some(loc) = int(rackt, &rack, "location") {
        set(t, new, "location", Value::Int(loc));
    }
    let Some(position) = position else {
        return Ok(());
    };
    if face.is_empty() {
        add(
            errors,
            "face",
            "Must specify rack face when defining rack position.",
        );
        return Ok(());
    }
    let height = num(dtt, &dt, "u_height").unwrap_or(1.0);
    let type_name = text(dtt, &dt, "model").to_string();
    if height == 0.0 {
        add(
            errors,
            "position",
            format!("A 0U device type ({type_name}) cannot be assigned to a rack position."),
        );
        return Ok(());
    }
    if text(dtt, &dt, "subdevice_role") == "child" {
        add(
            errors,
            "position",
            "Child device types cannot be assigned to a rack face. This is an attribute of the parent device.",
        );
        return Ok(());
    }
    let occupied_msg = format!(
        "U{} is already occupied or does not have sufficient space to accommodate this device type: {type_name} ({}U)",
        fmt_units(position),
        fmt_units(height)
    );
    let start = num(rackt, &rack, "starting_unit").unwrap_or(1.0);
    let rack_height = num(rackt, &rack, "u_height").unwrap_or(42.0);
    let (p, h) = (halves(position), halves(height));
    if p < halves(start) || p + h > halves(start + rack_height) {
        add(errors, "position", occupied_msg);
        return Ok(());
    }
    let full_depth = get(dtt, &dt, "is_full_depth").as_bool().unwrap_or(true);
    // Other devices in the rack that hold a position.
    let rack_id = rack.id;
    let others = read::select(
        w.conn,
        w.s,
        t,
        &read::Query {
            filter: Filter::and(vec![
                Filter::eq("rack_id", rack_id),
                Filter::Not(Box::new(Filter::IsNull("position".into()))),
                Filter::Not(Box::new(Filter::eq("id", new.id))),
            ]),
            order: Vec::new(),
            limit: None,
            offset: 0,
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
        let same_face = text(t, o, "face") == face || full_depth || other_full;
        if overlap && same_face && oh > 0 {
            add(errors, "position", occupied_msg);
            return Ok(());
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
