//! NetBox's configuration parameters that change how Cairn behaves, under NetBox's own
//! names and with NetBox's defaults.

use serde::{Deserialize, Deserializer, Serialize};

use cairn_schema::{ObjectType, Registry};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", default)]
pub struct Settings {
    /// Anonymous callers may read nothing (and `/api/status/` answers 403 to them).
    pub login_required: bool,
    /// Models (`app.model`, or `*` for all but accounts) anonymous callers may read
    /// when login is not required.
    #[serde(deserialize_with = "list_or_comma_string")]
    pub exempt_view_permissions: Vec<String>,
    /// Default page size of lists.
    pub paginate_count: u32,
    /// Largest page a client may ask for; 0 lets `limit=0` return everything.
    pub max_page_size: u32,
    /// Prefixes and IP addresses outside any VRF are unique.
    pub enforce_global_unique: bool,
    /// A device's `primary_ip` is its IPv4 one when it has both.
    pub prefer_ipv4: bool,
    /// Days the change log is kept; 0 keeps it forever.
    pub changelog_retention: u32,
    pub rack_elevation_default_unit_height: u32,
    pub rack_elevation_default_unit_width: u32,
    pub powerfeed_default_amperage: u32,
    pub powerfeed_default_voltage: i32,
    pub powerfeed_default_max_utilization: u32,
    /// The zone timestamps are shown in (an IANA name).
    pub time_zone: String,
    pub banner_top: String,
    pub banner_bottom: String,
    pub banner_login: String,
    /// Where uploaded files are kept.
    pub media_root: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            login_required: true,
            exempt_view_permissions: Vec::new(),
            paginate_count: 50,
            max_page_size: 1000,
            enforce_global_unique: true,
            prefer_ipv4: false,
            changelog_retention: 90,
            rack_elevation_default_unit_height: 22,
            rack_elevation_default_unit_width: 220,
            powerfeed_default_amperage: 15,
            powerfeed_default_voltage: 120,
            powerfeed_default_max_utilization: 80,
            time_zone: "UTC".into(),
            banner_top: String::new(),
            banner_bottom: String::new(),
            banner_login: String::new(),
            media_root: "cairn-data/media".into(),
        }
    }
}

/// Models never exempt from view permissions, as in NetBox.
const NEVER_EXEMPT: &[&str] = &[
    "extras.configrevision",
    "users.group",
    "users.objectpermission",
    "users.token",
    "users.user",
];

/// A list given as a list, or as one comma-separated string (handy in environment
/// variables).
fn list_or_comma_string<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        One(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(l) => l,
        Either::One(s) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    })
}

impl Settings {
    /// The first key whose value is out of bounds, with the reason.
    pub fn check(&self, reg: &Registry) -> Result<(), (&'static str, String)> {
        let positive = [
            ("PAGINATE_COUNT", self.paginate_count),
            (
                "RACK_ELEVATION_DEFAULT_UNIT_HEIGHT",
                self.rack_elevation_default_unit_height,
            ),
            (
                "RACK_ELEVATION_DEFAULT_UNIT_WIDTH",
                self.rack_elevation_default_unit_width,
            ),
            (
                "POWERFEED_DEFAULT_AMPERAGE",
                self.powerfeed_default_amperage,
            ),
        ];
        for (key, v) in positive {
            if v == 0 {
                return Err((key, "must be at least 1".into()));
            }
        }
        if self.powerfeed_default_amperage > 32767 {
            return Err(("POWERFEED_DEFAULT_AMPERAGE", "must be at most 32767".into()));
        }
        if !(-32768..=32767).contains(&self.powerfeed_default_voltage) {
            return Err((
                "POWERFEED_DEFAULT_VOLTAGE",
                "must lie between -32768 and 32767".into(),
            ));
        }
        if !(1..=100).contains(&self.powerfeed_default_max_utilization) {
            return Err((
                "POWERFEED_DEFAULT_MAX_UTILIZATION",
                "must lie between 1 and 100".into(),
            ));
        }
        for m in &self.exempt_view_permissions {
            if m != "*" && reg.get(m).is_none() {
                return Err((
                    "EXEMPT_VIEW_PERMISSIONS",
                    format!("'{m}' is not a model (use app.model, or *)"),
                ));
            }
        }
        if crate::timezone::Zone::named(&self.time_zone).is_none() {
            return Err((
                "TIME_ZONE",
                format!("unknown time zone '{}'", self.time_zone),
            ));
        }
        Ok(())
    }

    /// Whether anonymous callers may read objects of this type.
    pub fn view_exempt(&self, t: &ObjectType) -> bool {
        let label = t.label();
        if NEVER_EXEMPT.contains(&label.as_str()) {
            return false;
        }
        self.exempt_view_permissions
            .iter()
            .any(|m| m == "*" || *m == label)
    }

    /// The registry of every built-in model, with the defaults NetBox takes from its
    /// configuration.
    pub fn registry(&self) -> Registry {
        let mut types = cairn_schema::models::all();
        self.apply(&mut types);
        Registry::from_types(types)
    }

    /// Sets the registry's defaults that NetBox takes from its configuration.
    pub fn apply(&self, types: &mut [ObjectType]) {
        for t in types.iter_mut() {
            if t.label() == "dcim.powerfeed" {
                for f in t.fields.iter_mut() {
                    let default = match f.name {
                        "voltage" => i64::from(self.powerfeed_default_voltage),
                        "amperage" => i64::from(self.powerfeed_default_amperage),
                        "max_utilization" => i64::from(self.powerfeed_default_max_utilization),
                        _ => continue,
                    };
                    f.default = cairn_schema::Default::Int(default);
                }
            }
            for f in t.fields.iter_mut() {
                if let Some(order) = f.either.as_mut() {
                    if f.name == "primary_ip" {
                        *order = if self.prefer_ipv4 {
                            ["primary_ip4", "primary_ip6"]
                        } else {
                            ["primary_ip6", "primary_ip4"]
                        };
                    }
                }
            }
        }
    }
}
