//! Rack reservations name units that exist in the rack and no other reservation holds.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, FieldErrors, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, num};

fn units(v: &Value) -> Vec<i64> {
    match v {
        Value::Json(serde_json::Value::Array(a)) => a.iter().filter_map(|u| u.as_i64()).collect(),
        _ => Vec::new(),
    }
}

pub fn validate_reservation(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(racks) = reg.get("dcim.rack") else {
        return Ok(());
    };
    let Some(rack) = fetch(w, racks, int(t, new, "rack"))? else {
        return Ok(());
    };
    let wanted = units(get(t, new, "units"));
    let start = num(racks, &rack, "starting_unit").unwrap_or(1.0) as i64;
    let height = num(racks, &rack, "u_height").unwrap_or(42.0) as i64;
    let invalid: Vec<String> = wanted
        .iter()
        .filter(|u| **u < start || **u >= start + height)
        .map(|u| u.to_string())
        .collect();
    if !invalid.is_empty() {
        add(
            errors,
            "units",
            format!("Invalid unit(s) for {height}U rack: {}", invalid.join(", ")),
        );
        return Ok(());
    }
    let others = read::select(
        w.conn,
        w.s,
        t,
        &read::Query {
            filter: Filter::and(vec![
                Filter::eq("rack_id", rack.id),
                Filter::Not(Box::new(Filter::eq("id", new.id))),
            ]),
            order: Vec::new(),
            limit: None,
            offset: 0,
        },
    )?;
    let mut taken: Vec<i64> = others
        .iter()
        .flat_map(|o| units(get(t, o, "units")))
        .filter(|u| wanted.contains(u))
        .collect();
    taken.sort_unstable();
    taken.dedup();
    if !taken.is_empty() {
        let list: Vec<String> = taken.iter().map(|u| u.to_string()).collect();
        add(
            errors,
            "units",
            format!(
                "The following units have already been reserved: {}",
                list.join(", ")
            ),
        );
    }
    Ok(())
}
