//! What lies inside a container follows it when it moves, as NetBox's signal handlers
//! (`dcim/signals.py`) do with `QuerySet.update()` (no validation, no change records): a
//! location's sub-locations, racks, devices and power panels take its new site; a rack's
//! devices take its site and location; objects scoped to a location or site (prefixes,
//! VLAN groups) re-cache the site, site group and region they lie in. Devices installed in
//! a bay follow their parent's site, rack and location through the write path, as
//! `Device.save()` saves them.

use cairn_schema::ObjectType;
use cairn_store::{read, Change, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int};

/// The types that cache the scope they are assigned to (NetBox's `CachedScopeMixin`).
fn scoped_types(w: &Writer<'_>) -> Vec<ObjectType> {
    w.s.reg
        .types()
        .iter()
        .filter(|t| t.field("scope").is_some() && t.field("_site").is_some())
        .cloned()
        .collect()
}

/// A site's region and site group, as scoped objects cache them.
fn site_parents(w: &mut Writer<'_>, site: Option<i64>) -> Result<(Value, Value)> {
    let reg = w.s.reg.clone();
    let Some(st) = reg.get("dcim.site") else {
        return Ok((Value::Null, Value::Null));
    };
    Ok(match fetch(w, st, site)? {
        Some(s) => (get(st, &s, "region").clone(), get(st, &s, "group").clone()),
        None => (Value::Null, Value::Null),
    })
}

/// A site moved to another region or site group.
pub fn site_moved(w: &mut Writer<'_>, t: &ObjectType, old: &Record, new: &Record) -> Result<()> {
    if get(t, old, "region") == get(t, new, "region")
        && get(t, old, "group") == get(t, new, "group")
    {
        return Ok(());
    }
    let values = [
        ("_region", get(t, new, "region").clone()),
        ("_site_group", get(t, new, "group").clone()),
    ];
    for st in scoped_types(w) {
        w.set_where(&st, &Filter::eq("_site_id", new.id), &values)?;
    }
    Ok(())
}

/// A location moved to another site: it takes everything inside it along.
pub fn location_moved(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: &Record,
    new: &Record,
) -> Result<()> {
    if int(t, old, "site") == int(t, new, "site") {
        return Ok(());
    }
    let site = get(t, new, "site").clone();
    let inside = |field: &str| Filter::InTree {
        field: field.into(),
        ids: vec![new.id],
    };
    w.set_where(t, &inside("id"), &[("site", site.clone())])?;
    let reg = w.s.reg.clone();
    for label in ["dcim.rack", "dcim.device", "dcim.powerpanel"] {
        if let Some(ct) = reg.get(label) {
            w.set_where(ct, &inside("location_id"), &[("site", site.clone())])?;
        }
    }
    let (region, group) = site_parents(w, site.as_i64())?;
    let values = [("_site", site), ("_region", region), ("_site_group", group)];
    for st in scoped_types(w) {
        w.set_where(&st, &inside("_location_id"), &values)?;
    }
    Ok(())
}

/// A rack moved to another site or location: its devices go with it.
pub fn rack_moved(w: &mut Writer<'_>, t: &ObjectType, old: &Record, new: &Record) -> Result<()> {
    if get(t, old, "site") == get(t, new, "site")
        && get(t, old, "location") == get(t, new, "location")
    {
        return Ok(());
    }
    let reg = w.s.reg.clone();
    if let Some(dt) = reg.get("dcim.device") {
        let values = [
            ("site", get(t, new, "site").clone()),
            ("location", get(t, new, "location").clone()),
        ];
        w.set_where(dt, &Filter::eq("rack_id", new.id), &values)?;
    }
    Ok(())
}

/// A device moved: the devices installed in its bays take its site, rack and location.
pub fn children_follow(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: &Record,
    new: &Record,
) -> Result<()> {
    let placement = ["site", "rack", "location"];
    if placement.iter().all(|f| get(t, old, f) == get(t, new, f)) {
        return Ok(());
    }
    let reg = w.s.reg.clone();
    let Some(bays) = reg.get("dcim.devicebay") else {
        return Ok(());
    };
    let children: Vec<i64> = read::select_columns(
        w.conn,
        w.s,
        bays,
        &read::Query {
            filter: Filter::and(vec![
                Filter::eq("device_id", new.id),
                Filter::Not(Box::new(Filter::IsNull("installed_device_id".into()))),
            ]),
            ..read::Query::all()
        },
    )?
    .iter()
    .filter_map(|b| int(bays, b, "installed_device"))
    .collect();
    for child in children {
        let mut change = Change::default();
        for f in placement {
            if let Some(i) = t.field_index(f) {
                change.set(i, get(t, new, f).clone());
            }
        }
        w.update(t, child, change, false)?;
    }
    Ok(())
}
