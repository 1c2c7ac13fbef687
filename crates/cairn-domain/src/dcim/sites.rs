//! Objects placed in a site keep their location (and a device its platform) consistent:
//! the location is in that site, the platform fits the device type's manufacturer, and
//! device type heights come in half units (child types are 0U).

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{FieldErrors, Record, Result, Writer};

use crate::fields::{fetch, int, name_of, num, text};

/// The location (its name and site) and the site's name, when `new` names a location in
/// another site than its own.
fn foreign_location(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
) -> Result<Option<(String, Option<i64>, String)>> {
    let reg = w.s.reg.clone();
    let Some(lt) = reg.get("dcim.location") else {
        return Ok(None);
    };
    let Some(loc) = fetch(w, lt, int(t, new, "location"))? else {
        return Ok(None);
    };
    if int(lt, &loc, "site") == int(t, new, "site") {
        return Ok(None);
    }
    let site = name_of(w, "dcim.site", int(t, new, "site"))?;
    Ok(Some((
        text(lt, &loc, "name").to_string(),
        int(lt, &loc, "site"),
        site,
    )))
}

pub fn validate_site_location(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some((location, location_site, site)) = foreign_location(w, t, new)? else {
        return Ok(());
    };
    match t.model {
        "rack" => add(
            errors,
            "__all__",
            format!("Assigned location must belong to parent site ({site})."),
        ),
        "powerpanel" => {
            let theirs = name_of(w, "dcim.site", location_site)?;
            add(
                errors,
                "__all__",
                format!("Location {location} ({theirs}) is in a different site than {site}"),
            )
        }
        _ => add(
            errors,
            "location",
            format!("Location {location} does not belong to site {site}."),
        ),
    }
    Ok(())
}

/// A platform limited to one manufacturer serves only that manufacturer's devices.
pub fn validate_platform(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(pt), Some(dtt), Some(mt)) = (
        reg.get("dcim.platform"),
        reg.get("dcim.devicetype"),
        reg.get("dcim.manufacturer"),
    ) else {
        return Ok(());
    };
    let Some(platform) = fetch(w, pt, int(t, new, "platform"))? else {
        return Ok(());
    };
    let Some(only) = int(pt, &platform, "manufacturer") else {
        return Ok(());
    };
    let Some(dt) = fetch(w, dtt, int(t, new, "device_type"))? else {
        return Ok(());
    };
    if int(dtt, &dt, "manufacturer") != Some(only) {
        let name = |w: &mut Writer<'_>, id| -> Result<String> {
            Ok(fetch(w, mt, id)?
                .map(|m| text(mt, &m, "name").to_string())
                .unwrap_or_default())
        };
        let (limited, theirs) = (
            name(w, Some(only))?,
            name(w, int(dtt, &dt, "manufacturer"))?,
        );
        add(
            errors,
            "platform",
            format!(
                "The assigned platform is limited to {limited} device types, but this device's type belongs to {theirs}."
            ),
        );
    }
    Ok(())
}

pub fn validate_device_type(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    let height = num(t, new, "u_height").unwrap_or(1.0);
    if (height * 2.0).fract() != 0.0 {
        add(
            errors,
            "u_height",
            "U height must be in increments of 0.5 rack units.",
        );
    } else if height != 0.0 && text(t, new, "subdevice_role") == "child" {
        add(errors, "u_height", "Child device types must be 0U.");
    }
}

/// A location's parent lies in the same site.
pub fn validate_location_parent(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let Some(parent) = fetch(w, t, int(t, new, "parent"))? else {
        return Ok(());
    };
    if int(t, &parent, "site") == int(t, new, "site") {
        return Ok(());
    }
    let site = name_of(w, "dcim.site", int(t, new, "site"))?;
    add(
        errors,
        "__all__",
        format!(
            "Parent location ({}) must belong to the same site ({site}).",
            text(t, &parent, "name")
        ),
    );
    Ok(())
}
