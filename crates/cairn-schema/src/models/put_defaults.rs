//! The fields NetBox 4.4's serializers declare with a `default`: DRF applies it to a full
//! update (PUT) that leaves the field out, so such a PUT clears a rack's location or a
//! region's parent. Fields without one keep their value.

use crate::object_type::ObjectType;

const TEMPLATE_OWNERS: &[&str] = &["device_type", "module_type"];

/// Model label → fields reset by a PUT that omits them.
pub const PUT_DEFAULTS: &[(&str, &[&str])] = &[
    ("dcim.region", &["parent"]),
    ("dcim.sitegroup", &["parent"]),
    ("dcim.location", &["parent"]),
    ("dcim.platform", &["parent", "config_template"]),
    ("dcim.devicerole", &["parent", "config_template"]),
    ("dcim.devicetype", &["u_height"]),
    ("dcim.rack", &["location", "facility_id", "rack_type"]),
    ("dcim.powerpanel", &["location"]),
    (
        "dcim.powerfeed",
        &["rack", "type", "status", "supply", "phase"],
    ),
    (
        "dcim.device",
        &[
            "tenant",
            "location",
            "rack",
            "face",
            "position",
            "virtual_chassis",
            "vc_position",
            "config_template",
        ],
    ),
    ("dcim.virtualchassis", &["master"]),
    ("dcim.virtualdevicecontext", &["identifier", "tenant"]),
    ("dcim.interface", &["wwn"]),
    ("dcim.modulebay", &["module"]),
    ("dcim.inventoryitem", &["parent", "manufacturer"]),
    ("dcim.consoleporttemplate", TEMPLATE_OWNERS),
    ("dcim.consoleserverporttemplate", TEMPLATE_OWNERS),
    ("dcim.powerporttemplate", TEMPLATE_OWNERS),
    ("dcim.poweroutlettemplate", TEMPLATE_OWNERS),
    ("dcim.interfacetemplate", TEMPLATE_OWNERS),
    ("dcim.rearporttemplate", TEMPLATE_OWNERS),
    ("dcim.frontporttemplate", TEMPLATE_OWNERS),
    ("dcim.modulebaytemplate", TEMPLATE_OWNERS),
    ("dcim.inventoryitemtemplate", &["parent", "manufacturer"]),
    ("ipam.prefix", &["scope"]),
    ("ipam.vlangroup", &["scope"]),
    ("ipam.vlan", &["group", "qinq_svlan"]),
    ("tenancy.tenant", &["group"]),
    ("tenancy.contactgroup", &["parent"]),
    ("tenancy.contactassignment", &["priority"]),
    ("users.token", &["allowed_ips"]),
    ("extras.configcontext", &["profile"]),
];

/// Marks the fields of `PUT_DEFAULTS` on the declared types.
pub fn apply(types: Vec<ObjectType>) -> Vec<ObjectType> {
    types
        .into_iter()
        .map(|t| {
            let label = t.label();
            match PUT_DEFAULTS.iter().find(|(l, _)| *l == label) {
                Some((_, names)) => t.reset_on_put(names),
                None => t,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::PUT_DEFAULTS;
    use crate::Registry;

    /// Every listed field of a served model exists, so none is silently skipped. Fields of
    /// relations to models not served yet (config templates and profiles) are the only
    /// ones allowed to be missing.
    #[test]
    fn every_put_default_names_a_field() {
        let reg = Registry::build();
        for (label, names) in PUT_DEFAULTS {
            let Some(t) = reg.get(label) else { continue };
            for name in *names {
                let f = t.field(name);
                assert!(
                    f.is_some_and(|f| f.reset_on_put) || *name == "config_template",
                    "{label}.{name}"
                );
            }
        }
    }
}
