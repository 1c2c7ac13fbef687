//! Power feeds: the power they can deliver is kept up to date (it is filtered on), AC
//! voltage is positive, and a feed's rack is at its panel's site.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, name_of, set, text};

pub fn validate_feed(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let voltage = int(t, new, "voltage").unwrap_or(0);
    let amperage = int(t, new, "amperage").unwrap_or(0);
    let utilization = int(t, new, "max_utilization").unwrap_or(100);
    // NetBox's ExclusionValidator([0]) on the field.
    if voltage == 0 && !get(t, new, "voltage").is_null() {
        add(errors, "voltage", "This value may not be [0].");
    } else if voltage < 0 && text(t, new, "supply") == "ac" {
        add(
            errors,
            "voltage",
            "Voltage cannot be negative for AC supply",
        );
    }
    let kva = voltage.abs() as f64 * amperage as f64 * utilization as f64 / 100.0;
    let factor = if text(t, new, "phase") == "three-phase" {
        1.732
    } else {
        1.0
    };
    set(
        t,
        new,
        "available_power",
        Value::Int((kva * factor).round() as i64),
    );

    let reg = w.s.reg.clone();
    let (Some(panels), Some(racks)) = (reg.get("dcim.powerpanel"), reg.get("dcim.rack")) else {
        return Ok(());
    };
    let panel = fetch(w, panels, int(t, new, "power_panel"))?;
    let rack = fetch(w, racks, int(t, new, "rack"))?;
    if let (Some(panel), Some(rack)) = (panel, rack) {
        let (panel_site, rack_site) = (int(panels, &panel, "site"), int(racks, &rack, "site"));
        if panel_site != rack_site {
            let rack_site = name_of(w, "dcim.site", rack_site)?;
            let panel_site = name_of(w, "dcim.site", panel_site)?;
            add(
                errors,
                "__all__",
                format!(
                    "Rack {} ({rack_site}) and power panel {} ({panel_site}) are in different sites.",
                    // The rack as NetBox prints it: "name (facility id)".
                    match text(racks, &rack, "facility_id") {
                        "" => text(racks, &rack, "name").to_string(),
                        f => format!("{} ({f})", text(racks, &rack, "name")),
                    },
                    text(panels, &panel, "name")
                ),
            );
        }
    }
    Ok(())
}
