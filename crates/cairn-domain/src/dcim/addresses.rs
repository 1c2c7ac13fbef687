//! A device's primary and out-of-band IPs are its own: assigned to one of its
//! interfaces (or its virtual chassis'), directly or as the NAT outside address.

use cairn_schema::ObjectType;
use cairn_store::add_error as add;
use cairn_store::{read, FieldErrors, Filter, Record, Result, Value, Writer};

use crate::fields::{fetch, get, int, text};

/// The interfaces of a device and of the other members of its virtual chassis.
fn chassis_interfaces(w: &mut Writer<'_>, t: &ObjectType, device: &Record) -> Result<Vec<i64>> {
    let reg = w.s.reg.clone();
    let Some(ifaces) = reg.get("dcim.interface") else {
        return Ok(Vec::new());
    };
    // The device itself counts even while it is joining the chassis (its row does not
    // name the chassis yet).
    let mut devices = vec![device.id];
    if let Some(vc) = int(t, device, "virtual_chassis") {
        devices.extend(read::ids(
            w.conn,
            w.s,
            t,
            &Filter::eq("virtual_chassis_id", vc),
        )?);
    }
    read::ids(w.conn, w.s, ifaces, &Filter::ids("device", devices))
}

pub fn validate_device_ips(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let Some(ips) = reg.get("ipam.ipaddress") else {
        return Ok(());
    };
    let Some(iface_ct) = w.s.ct_of_label("dcim.interface") else {
        return Ok(());
    };
    let mut mine: Option<Vec<i64>> = None;
    for (field, family) in [
        ("primary_ip4", Some(4)),
        ("primary_ip6", Some(6)),
        ("oob_ip", None),
    ] {
        let Some(ip) = fetch(w, ips, int(t, new, field))? else {
            continue;
        };
        let address = text(ips, &ip, "address").to_string();
        if let Some(f) = family {
            if int(ips, &ip, "family") != Some(f) {
                add(
                    errors,
                    field,
                    format!("{address} is not an IPv{f} address."),
                );
                continue;
            }
        }
        if mine.is_none() {
            mine = Some(chassis_interfaces(w, t, new)?);
        }
        let ours = |rec: &Record| match get(ips, rec, "assigned_object") {
            Value::Ref(ct, id) => *ct == iface_ct && mine.as_ref().is_some_and(|m| m.contains(id)),
            _ => false,
        };
        let inside = fetch(w, ips, int(ips, &ip, "nat_inside"))?;
        if !ours(&ip) && !inside.as_ref().is_some_and(ours) {
            add(
                errors,
                field,
                format!("The specified IP address ({address}) is not assigned to this device."),
            );
        }
    }
    Ok(())
}

/// A virtual device context's primary IPs are of their family and on an interface of its
/// device (or the device's chassis); NAT addresses do not count here.
pub fn validate_context_ips(
    w: &mut Writer<'_>,
    t: &ObjectType,
    new: &Record,
    errors: &mut FieldErrors,
) -> Result<()> {
    let reg = w.s.reg.clone();
    let (Some(ips), Some(dt), Some(iface_ct)) = (
        reg.get("ipam.ipaddress"),
        reg.get("dcim.device"),
        w.s.ct_of_label("dcim.interface"),
    ) else {
        return Ok(());
    };
    let device = fetch(w, dt, int(t, new, "device"))?;
    for (field, family) in [("primary_ip4", 4), ("primary_ip6", 6)] {
        let Some(ip) = fetch(w, ips, int(t, new, field))? else {
            continue;
        };
        if int(ips, &ip, "family") != Some(family) {
            let address = text(ips, &ip, "address");
            add(
                errors,
                field,
                format!("{address} is not an IPv{family} address."),
            );
            continue;
        }
        let mine = match &device {
            Some(d) => chassis_interfaces(w, dt, d)?,
            None => Vec::new(),
        };
        let on_device = matches!(get(ips, &ip, "assigned_object"),
            Value::Ref(ct, id) if *ct == iface_ct && mine.contains(id));
        if !on_device {
            add(
                errors,
                field,
                "Primary IP address must belong to an interface on the assigned device.",
            );
        }
    }
    Ok(())
}
