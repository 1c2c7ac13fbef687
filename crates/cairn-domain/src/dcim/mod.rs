//! DCIM rules: component instantiation, rack placement, rules between components.

mod addresses;
mod chassis;
mod components;
mod instantiate;
mod interfaces;
mod moves;
mod power;
mod racks;
mod reservations;
mod sites;
mod templates;

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{Action, FieldErrors, Hooks, Record, Result, Writer};

use crate::fields::{fetch, get, int, name_of, set, text};
use cairn_store::Value;
use instantiate::{bay_positions, instantiate, Target};

/// DCIM's rules by model.
pub fn register(h: &mut Hooks) {
    for (_, component) in instantiate::TEMPLATES {
        h.validate(component, |_, t, old, new, errors| {
            if let Some(old) = old {
                components::validate_stays_on_device(t, old, new, errors);
            }
            Ok(())
        });
    }
    h.validate("dcim.macaddress", |w, t, old, new, errors| match old {
        Some(old) => components::validate_mac(w, t, old, new, errors),
        None => Ok(()),
    });
    for label in ["dcim.rack", "dcim.powerpanel"] {
        h.validate(label, |w, t, _, new, errors| {
            sites::validate_site_location(w, t, new, errors)
        });
    }
    for label in ["dcim.rack", "dcim.racktype"] {
        h.validate(label, |w, t, old, new, errors| {
            racks::validate_units(t, new, errors);
            racks::apply_rack_type(w, t, new)?;
            if old.is_some() && t.model == "rack" {
                racks::validate_mounted(w, t, new, errors)?;
            }
            Ok(())
        });
    }
    h.after_write("dcim.racktype", |w, t, action, _, new| match action {
        Action::Update => racks::retype_racks(w, t, new),
        _ => Ok(()),
    });
    h.validate("dcim.location", |w, t, _, new, errors| {
        sites::validate_location_parent(w, t, new, errors)
    });
    for (label, moved) in [
        (
            "dcim.site",
            moves::site_moved as fn(&mut Writer<'_>, &ObjectType, &Record, &Record) -> Result<()>,
        ),
        ("dcim.location", moves::location_moved),
        ("dcim.rack", moves::rack_moved),
        ("dcim.device", moves::children_follow),
    ] {
        h.after_write(label, move |w, t, action, old, new| match (action, old) {
            (Action::Update, Some(old)) => moved(w, t, old, new),
            _ => Ok(()),
        });
    }
    for label in [
        "dcim.rack",
        "dcim.racktype",
        "dcim.devicetype",
        "dcim.moduletype",
    ] {
        h.validate(label, |_, t, _, new, errors| {
            racks::validate_weight(t, new, errors);
            Ok(())
        });
    }
    h.validate("dcim.site", |_, t, _, new, errors| {
        let zone = text(t, new, "time_zone");
        if !zone.is_empty() && crate::timezone::Zone::named(zone).is_none() {
            add(errors, "time_zone", "A valid timezone is required.");
        }
        Ok(())
    });
    h.validate("dcim.devicetype", |w, t, old, new, errors| {
        sites::validate_device_type(t, new, errors);
        match old {
            Some(old) => racks::validate_type_change(w, t, old, new, errors),
            None => Ok(()),
        }
    });
    h.validate("dcim.device", |w, t, old, new, errors| {
        sites::validate_site_location(w, t, new, errors)?;
        sites::validate_platform(w, t, new, errors)?;
        chassis::validate_member(t, new, errors);
        chassis::validate_master_stays(w, t, old, new, errors)?;
        racks::validate_position_step(t, new, errors);
        validate_local_context(t, new, errors);
        addresses::validate_device_ips(w, t, new, errors)?;
        racks::validate_device(w, t, old, new, errors)
    });
    h.validate("dcim.virtualdevicecontext", |w, t, _, new, errors| {
        addresses::validate_context_ips(w, t, new, errors)
    });
    h.validate("dcim.virtualchassis", |w, t, _, new, errors| {
        chassis::validate_chassis(w, t, new, errors)
    });
    h.before_delete("dcim.virtualchassis", chassis::before_delete);
    h.after_write("dcim.virtualchassis", |w, t, action, _, new| match action {
        Action::Create => chassis::enroll_master(w, t, new),
        _ => Ok(()),
    });
    h.validate("dcim.powerfeed", |w, t, _, new, errors| {
        power::validate_feed(w, t, new, errors)
    });
    h.validate("dcim.rackreservation", |w, t, _, new, errors| {
        reservations::validate_reservation(w, t, new, errors)
    });
    h.validate("dcim.interface", components::validate_interface);
    h.validate("dcim.interface", |w, t, old, new, errors| {
        interfaces::validate_kind_settings(t, new, errors);
        interfaces::validate_channel(t, new, errors);
        interfaces::normalize_wwn(t, new, errors);
        interfaces::validate_primary_mac(w, t, new, errors)?;
        interfaces::validate_tagged_sites(w, t, old, new, errors)
    });
    h.after_write("dcim.interface", |w, t, action, _, new| {
        interfaces::claim_primary_mac(w, t, action, new)
    });
    h.validate("dcim.interfacetemplate", |_, t, _, new, errors| {
        interfaces::validate_kind_settings(t, new, errors);
        Ok(())
    });
    for (label, _) in instantiate::TEMPLATES {
        h.validate(label, templates::validate_template);
    }
    h.validate("dcim.poweroutlet", |w, t, _, new, errors| {
        components::validate_outlet(w, t, new, errors)
    });
    h.validate("dcim.modulebay", |w, t, _, new, errors| {
        components::validate_module_bay(w, t, new, errors)
    });
    h.validate("dcim.module", |w, t, _, new, errors| {
        validate_module(w, t, new, errors)
    });
    h.validate("dcim.moduletype", |w, t, old, new, errors| {
        merge_attributes(t, old, new);
        validate_module_type(w, t, new, errors)
    });
    h.validate("dcim.moduletypeprofile", |_, t, _, new, errors| {
        validate_profile_schema(t, new, errors);
        Ok(())
    });
    for label in ["dcim.powerport", "dcim.powerporttemplate"] {
        h.validate(label, |_, t, _, new, errors| {
            validate_draw(t, new, errors);
            Ok(())
        });
    }
    for label in ["dcim.devicebay", "dcim.devicebaytemplate"] {
        h.validate(label, |w, t, _, new, errors| {
            components::validate_bay_occupant(t, new, errors);
            components::validate_device_bay(w, t, new, errors)
        });
    }
    for label in ["dcim.rearport", "dcim.rearporttemplate"] {
        h.validate(label, |w, t, _, new, errors| {
            components::validate_rear_port(w, t, new, errors)
        });
    }
    h.validate("dcim.inventoryitem", |w, t, old, new, errors| {
        components::validate_inventory_item(w, t, new, errors)?;
        components::validate_item_move(w, t, old, new, errors)
    });
    h.validate("dcim.frontport", |w, t, _, new, errors| {
        components::validate_front_port(w, t, "device", new, errors)
    });
    h.validate("dcim.frontporttemplate", |w, t, _, new, errors| {
        let parent = if int(t, new, "device_type").is_some() {
            "device_type"
        } else {
            "module_type"
        };
        components::validate_front_port(w, t, parent, new, errors)
    });
    h.after_write("dcim.device", |w, t, action, _, new| {
        let Some(dt) = int(t, new, "device_type").filter(|_| action == Action::Create) else {
            return Ok(());
        };
        let target = Target {
            device: new.id,
            module: None,
            positions: Vec::new(),
        };
        instantiate(w, "device_type", dt, &target)
    });
    h.after_write("dcim.module", |w, t, action, _, new| {
        let (Some(device), Some(mt), Action::Create) =
            (int(t, new, "device"), int(t, new, "module_type"), action)
        else {
            return Ok(());
        };
        let positions = match int(t, new, "module_bay") {
            Some(bay) => bay_positions(w, bay)?,
            None => Vec::new(),
        };
        let target = Target {
            device,
            module: Some(new.id),
            positions,
        };
        instantiate(w, "module_type", mt, &target)
    });
}

/// A module sits in a bay of its own device.
pub fn validate_module(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(bays) = reg.get("dcim.modulebay") else {
        return Ok(());
    };
    if let Some(bay) = fetch(w, bays, int(t, new, "module_bay"))? {
        if int(bays, &bay, "device") != int(t, new, "device") {
            let device = name_of(w, "dcim.device", int(t, new, "device"))?;
            add(
                errors,
                "__all__",
                format!("Module must be installed within a module bay belonging to the assigned device ({device})."),
            );
        }
        // Up the chain of bays and the modules holding them, never back to this module.
        let (_, holders) = components::bays_above(w, Some(bay.id))?;
        if new.id != 0 && holders.contains(&new.id) {
            add(
                errors,
                "module_bay",
                "A module bay cannot belong to a module installed within it.",
            );
        }
    }
    Ok(())
}

/// A module type's attributes follow its profile's schema; without a profile it has none.
fn validate_module_type(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &mut Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(profiles) = reg.get("dcim.moduletypeprofile") else {
        return Ok(());
    };
    let schema = fetch(w, profiles, int(t, new, "profile"))?
        .map(|p| get(profiles, &p, "schema").clone())
        .and_then(|s| match s {
            Value::Json(j) if !j.is_null() => Some(j),
            _ => None,
        });
    let Some(schema) = schema else {
        set(t, new, "attributes", Value::Null);
        return Ok(());
    };
    let attributes = match get(t, new, "attributes") {
        Value::Json(j) => j.clone(),
        _ => serde_json::Value::Null,
    };
    if let Err(e) = crate::jsonschema::validate(&attributes, &schema) {
        add(errors, "__all__", format!("Invalid schema: {e}"));
    }
    Ok(())
}

/// Attributes given on update add to the stored ones (NetBox's `AttributesField`); an
/// empty object replaces them.
fn merge_attributes(t: &ObjectType, old: Option<&Record>, new: &mut Record) {
    let Some(old) = old else { return };
    if let (
        Value::Json(serde_json::Value::Object(before)),
        Value::Json(serde_json::Value::Object(given)),
    ) = (get(t, old, "attributes"), get(t, new, "attributes"))
    {
        if !given.is_empty() {
            let mut merged = before.clone();
            merged.extend(given.clone());
            set(
                t,
                new,
                "attributes",
                Value::Json(serde_json::Value::Object(merged)),
            );
        }
    }
}

/// A profile's schema is an object defining properties, and a valid JSON Schema.
fn validate_profile_schema(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let schema = match get(t, new, "schema") {
        Value::Json(j) => j.clone(),
        _ => return,
    };
    let message = match &schema {
        serde_json::Value::Null => return,
        serde_json::Value::String(s) if s.is_empty() => return,
        serde_json::Value::Object(o) => match o.get("properties") {
            Some(p) if p.as_object().is_some_and(|p| !p.is_empty()) => {
                match crate::jsonschema::check_schema(&schema) {
                    Ok(()) => return,
                    Err(e) => format!("Invalid JSON schema definition: {e}"),
                }
            }
            _ => "JSON schema must define properties".to_string(),
        },
        _ => "Invalid JSON schema definition".to_string(),
    };
    add(errors, "schema", message);
}

/// Allocated draw may not exceed the maximum draw.
fn validate_draw(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    if let (Some(max), Some(alloc)) = (int(t, new, "maximum_draw"), int(t, new, "allocated_draw")) {
        if alloc > max {
            add(
                errors,
                "allocated_draw",
                format!("Allocated draw cannot exceed the maximum draw ({max}W)."),
            );
        }
    }
}

/// Local config context data is a JSON object, as NetBox's ConfigContextModel requires.
fn validate_local_context(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    match get(t, new, "local_context_data") {
        Value::Null => {}
        Value::Json(j) if j.is_object() => {}
        _ => add(
            errors,
            "local_context_data",
            r#"JSON data must be in object form. Example: {"foo": 123}"#,
        ),
    }
}
