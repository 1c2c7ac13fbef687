//! Virtual chassis: the master is one of the members, and every member has a position.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, Change, FieldErrors, Filter, Record, Result, StoreError, Value, Writer};

use crate::fields::{fetch, get, int, text};

pub fn validate_chassis(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(devices) = reg.get("dcim.device") else {
        return Ok(());
    };
    // A new chassis enrolls its master (below); an existing one's master is a member.
    if new.id == 0 {
        return Ok(());
    }
    if let Some(master) = fetch(w, devices, int(t, new, "master"))? {
        if int(devices, &master, "virtual_chassis") != Some(new.id) {
            add(
                errors,
                "master",
                format!(
                    "The selected master ({}) is not assigned to this virtual chassis.",
                    text(devices, &master, "name")
                ),
            );
        }
    }
    Ok(())
}

/// A chassis created with a master takes it as its member in position 1, as NetBox's
/// `assign_virtualchassis_master` signal does.
pub fn enroll_master(w: &mut Writer<'_>, t: &ObjectType, new: &Record) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(devices), Some(master)) = (reg.get("dcim.device"), int(t, new, "master")) else {
        return Ok(());
    };
    let mut change = Change::default();
    for (name, v) in [("virtual_chassis", new.id), ("vc_position", 1)] {
        if let Some(i) = devices.field_index(name) {
            change.set(i, Value::Int(v));
        }
    }
    w.update(devices, master, change, false).map(|_| ())
}

pub fn validate_member(t: &ObjectType, new: &Record, errors: &mut FieldErrors) {
    if !get(t, new, "virtual_chassis").is_null() && get(t, new, "vc_position").is_null() {
        add(
            errors,
            "vc_position",
            "A device assigned to a virtual chassis must have its position defined.",
        );
    }
}

/// A chassis' master stays a member while it is the master.
pub fn validate_master_stays(
    w: &mut Writer<'_>,
    t: &ObjectType,
    old: Option<&Record>,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    // Only a device leaving (or changing) its chassis can take a master away.
    let leaving =
        old.is_some_and(|o| int(t, o, "virtual_chassis") != int(t, new, "virtual_chassis"));
    let reg = w.s.reg.clone();
    let Some(vct) = reg.get("dcim.virtualchassis").filter(|_| leaving) else {
        return Ok(());
    };
    let mastered = read::select_columns(
        w.conn,
        w.s,
        vct,
        &read::Query {
            filter: Filter::eq("master_id", new.id),
            ..read::Query::all()
        },
    )?;
    if let Some(vc) = mastered
        .iter()
        .find(|vc| Some(vc.id) != int(t, new, "virtual_chassis"))
    {
        add(
            errors,
            "virtual_chassis",
            format!(
                "Device cannot be removed from virtual chassis {} because it is currently designated as its master.",
                text(vct, vc, "name")
            ),
        );
    }
    Ok(())
}

/// A chassis whose members' interfaces form a LAG across members is not deleted; else its
/// members lose their positions and priorities along with the chassis.
pub fn before_delete(w: &mut Writer<'_>, t: &ObjectType, old: &Record) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(dt), Some(it)) = (reg.get("dcim.device"), reg.get("dcim.interface")) else {
        return Ok(());
    };
    let members = read::ids(w.conn, w.s, dt, &Filter::eq("virtual_chassis_id", old.id))?;
    let lagged = read::select_columns(
        w.conn,
        w.s,
        it,
        &read::Query {
            filter: Filter::and(vec![
                Filter::ids("device_id", members.clone()),
                Filter::Not(Box::new(Filter::IsNull("lag_id".into()))),
            ]),
            ..read::Query::all()
        },
    )?;
    let lag_ids: Vec<i64> = lagged.iter().filter_map(|i| int(it, i, "lag")).collect();
    let lags = read::fetch(w.conn, w.s, it, &lag_ids)?;
    let split = lagged.iter().any(|i| {
        int(it, i, "lag")
            .and_then(|l| lags.get(&l))
            .is_some_and(|lag| int(it, lag, "device") != int(it, i, "device"))
    });
    if split {
        return Err(StoreError::Protected(format!(
            "Unable to delete virtual chassis {}. There are member interfaces which form a cross-chassis LAG interfaces.",
            text(t, old, "name")
        )));
    }
    w.set_where(
        dt,
        &Filter::ids("id", members),
        &[("vc_position", Value::Null), ("vc_priority", Value::Null)],
    )?;
    Ok(())
}
