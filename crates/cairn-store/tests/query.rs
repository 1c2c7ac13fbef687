//! The query layer on its own: lookup dictionaries and NetBox filter parameters over the
//! real registry, paths through foreign keys, many-to-many and generic relations, and bad
//! input refused before any SQL, on SQLite and (when configured) PostgreSQL.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::json;

use cairn_schema::Registry;
use cairn_store::query::{from_lookups, from_params};
use cairn_store::testing::{backends, TestDb};
use cairn_store::{read, Actor, Change, Hooks, QueryError, Store, Value, Writer};

struct Lab {
    store: Store,
    _db: TestDb,
}

fn create(w: &mut Writer<'_>, label: &str, values: &[(&str, Value)]) -> i64 {
    let reg = w.s.reg.clone();
    let t = reg.get(label).expect("type");
    let mut c = Change::default();
    for (n, v) in values.iter().filter(|(n, _)| *n != "tags") {
        c.set(t.field_index(n).expect("field"), v.clone());
    }
    if let Some(tags) = values.iter().find(|(n, _)| *n == "tags") {
        if let Value::Ids(ids) = &tags.1 {
            c.tags = Some(ids.clone());
        }
    }
    w.create(t, c).expect("create").id
}

/// Regions eu > nl; sites ams (nl, tagged red, tenant), fra (eu), nyc; a device in ams
/// and one in fra; an interface on the first with an address.
fn lab(backend: cairn_store::testing::Backend) -> Lab {
    let db = TestDb::new(backend).expect("db");
    let store = Store::open(&db.url, Arc::new(Registry::build()), Hooks::none()).expect("open");
    store
        .write(&Actor::default(), |w| -> cairn_store::Result<()> {
            let t = |s: &str| Value::Text(s.into());
            let eu = create(w, "dcim.region", &[("name", t("eu")), ("slug", t("eu"))]);
            let nl = create(
                w,
                "dcim.region",
                &[
                    ("name", t("nl")),
                    ("slug", t("nl")),
                    ("parent", Value::Int(eu)),
                ],
            );
            let red = create(w, "extras.tag", &[("name", t("red")), ("slug", t("red"))]);
            let tenant = create(
                w,
                "tenancy.tenant",
                &[("name", t("acme")), ("slug", t("acme"))],
            );
            let ams = create(
                w,
                "dcim.site",
                &[
                    ("name", t("ams")),
                    ("slug", t("ams")),
                    ("region", Value::Int(nl)),
                    ("tenant", Value::Int(tenant)),
                    ("tags", Value::Ids(vec![red])),
                ],
            );
            let fra = create(
                w,
                "dcim.site",
                &[
                    ("name", t("fra")),
                    ("slug", t("fra")),
                    ("region", Value::Int(eu)),
                    ("status", t("planned")),
                ],
            );
            create(w, "dcim.site", &[("name", t("nyc")), ("slug", t("nyc"))]);
            let maker = create(
                w,
                "dcim.manufacturer",
                &[("name", t("m")), ("slug", t("m"))],
            );
            let dt = create(
                w,
                "dcim.devicetype",
                &[
                    ("manufacturer", Value::Int(maker)),
                    ("model", t("x")),
                    ("slug", t("x")),
                ],
            );
            let role = create(w, "dcim.devicerole", &[("name", t("r")), ("slug", t("r"))]);
            let device = |w: &mut Writer<'_>, name: &str, site: i64| {
                create(
                    w,
                    "dcim.device",
                    &[
                        ("name", t(name)),
                        ("site", Value::Int(site)),
                        ("device_type", Value::Int(dt)),
                        ("role", Value::Int(role)),
                    ],
                )
            };
            let d1 = device(w, "d1", ams);
            device(w, "d2", fra);
            let i1 = create(
                w,
                "dcim.interface",
                &[
                    ("device", Value::Int(d1)),
                    ("name", t("e0")),
                    ("type", t("virtual")),
                ],
            );
            let ct = w.s.ct_of_label("dcim.interface").expect("ct");
            create(
                w,
                "ipam.ipaddress",
                &[
                    ("address", t("10.0.0.1/24")),
                    ("assigned_object", Value::Ref(ct, i1)),
                ],
            );
            create(w, "ipam.ipaddress", &[("address", t("10.0.9.9/24"))]);
            Ok(())
        })
        .expect("seed");
    Lab { store, _db: db }
}

impl Lab {
    /// The `key` field of the objects of `label` a lookup dictionary selects.
    fn pick(
        &self,
        label: &str,
        spec: serde_json::Value,
        key: &str,
    ) -> Result<BTreeSet<String>, QueryError> {
        self.store
            .read(|conn, s| {
                let t = s.reg.get(label).expect("type");
                let f = match from_lookups(s, t, &spec) {
                    Ok(f) => f,
                    Err(e) => return Ok(Err(e)),
                };
                let mut q = read::Query::all();
                q.filter = f;
                let i = t.field_index(key).expect("key field");
                Ok::<_, cairn_store::StoreError>(Ok(read::select(conn, s, t, &q)?
                    .iter()
                    .map(|r| cairn_store::display::plain_text(&r.values[i]))
                    .collect()))
            })
            .expect("query runs")
    }

    fn names(&self, label: &str, spec: serde_json::Value) -> BTreeSet<String> {
        self.pick(label, spec.clone(), "name")
            .unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    /// Names selected by NetBox filter parameters, or the errors.
    fn params(
        &self,
        label: &str,
        pairs: &[(&str, &str)],
    ) -> Result<BTreeSet<String>, Vec<QueryError>> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.store
            .read(|conn, s| {
                let t = s.reg.get(label).expect("type");
                let p = match from_params(conn, s, t, &pairs)? {
                    Ok(p) => p,
                    Err(e) => return Ok(Err(e)),
                };
                let mut q = read::Query::all();
                q.filter = p.filter;
                let i = t.field_index("name").expect("name");
                Ok::<_, cairn_store::StoreError>(Ok(read::select(conn, s, t, &q)?
                    .iter()
                    .map(|r| cairn_store::display::plain_text(&r.values[i]))
                    .collect()))
            })
            .expect("query runs")
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn on_each(f: impl Fn(&Lab)) {
    for backend in backends() {
        f(&lab(backend));
    }
}

#[test]
fn lookups_on_a_models_own_fields() {
    on_each(|lab| {
        assert_eq!(
            lab.names("dcim.site", json!({"name": "ams"})),
            set(&["ams"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__iexact": "AMS"})),
            set(&["ams"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__icontains": "A"})),
            set(&["ams", "fra"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__contains": "A"})),
            set(&[]),
            "contains is case-sensitive"
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__startswith": "n"})),
            set(&["nyc"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__regex": "^(a|f)"})),
            set(&["ams", "fra"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"status__in": ["active"]})),
            set(&["ams", "nyc"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"tenant__isnull": true})),
            set(&["fra", "nyc"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"name__range": ["b", "g"]})),
            set(&["fra"])
        );
        // A list of dictionaries matches when any does.
        assert_eq!(
            lab.names("dcim.site", json!([{"name": "ams"}, {"status": "planned"}])),
            set(&["ams", "fra"])
        );
    });
}

#[test]
fn paths_through_foreign_keys_many_to_many_and_generic_relations() {
    on_each(|lab| {
        assert_eq!(
            lab.names("dcim.site", json!({"region__slug": "nl"})),
            set(&["ams"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"region__parent__slug": "eu"})),
            set(&["ams"])
        );
        assert_eq!(
            lab.names("dcim.device", json!({"site__region__slug": "eu"})),
            set(&["d2"])
        );
        assert_eq!(
            lab.names("dcim.site", json!({"tags__slug": "red"})),
            set(&["ams"])
        );
        assert_eq!(
            lab.names("dcim.device", json!({"site__tags__slug": "red"})),
            set(&["d1"])
        );
        // Reverse relations by the related model's endpoint name, and generic ones.
        assert_eq!(
            lab.names("dcim.site", json!({"devices__name": "d2"})),
            set(&["fra"])
        );
        assert_eq!(
            lab.names(
                "dcim.interface",
                json!({"ip_addresses__address": "10.0.0.1/24"})
            ),
            set(&["e0"])
        );
        assert_eq!(
            lab.names(
                "dcim.device",
                json!({"interfaces__ip_addresses__address": "10.0.0.1/24"})
            ),
            set(&["d1"])
        );
        assert_eq!(
            lab.names("dcim.region", json!({"sites__devices__name": "d1"})),
            set(&["nl"])
        );
        // The halves of a generic relation are plain values.
        let ip = lab
            .pick(
                "ipam.ipaddress",
                json!({"assigned_object_id__isnull": false}),
                "address",
            )
            .expect("lookup");
        assert_eq!(ip, set(&["10.0.0.1/24"]));
    });
}

#[test]
fn bad_lookups_are_refused_before_any_sql() {
    on_each(|lab| {
        let err = |spec: serde_json::Value| {
            lab.pick("dcim.site", spec.clone(), "name")
                .expect_err(&format!("{spec} accepted"))
        };
        assert!(matches!(
            err(json!({"nonsense": 1})),
            QueryError::UnknownField { .. }
        ));
        assert!(matches!(
            err(json!({"region__nonsense": "x"})),
            QueryError::UnknownField { .. }
        ));
        assert!(matches!(
            err(json!({"id__icontains": "1"})),
            QueryError::UnsupportedLookup { .. }
        ));
        assert!(matches!(
            err(json!({"status__gt": "active"})),
            QueryError::UnsupportedLookup { .. }
        ));
        assert!(matches!(
            err(json!({"status": "bogus"})),
            QueryError::InvalidChoice { .. }
        ));
        assert!(matches!(
            err(json!({"id": "one"})),
            QueryError::NotANumber { .. }
        ));
        assert!(matches!(
            err(json!({"name": "a\u{0}b"})),
            QueryError::NullCharacter { .. }
        ));
        assert!(matches!(
            err(json!({"name__regex": "(x"})),
            QueryError::InvalidRegex { .. }
        ));
        assert!(matches!(
            err(json!({"name__in": "ams"})),
            QueryError::InvalidValue { .. }
        ));
        assert!(matches!(
            err(json!({"tenant__isnull": "yes"})),
            QueryError::NotABoolean { .. }
        ));
        assert!(matches!(
            err(json!("name")),
            QueryError::InvalidValue { .. }
        ));
    });
}

#[test]
fn netbox_parameters_filter_in_model_terms() {
    on_each(|lab| {
        let ok = |pairs: &[(&str, &str)]| {
            lab.params("dcim.site", pairs)
                .unwrap_or_else(|e| panic!("{pairs:?}: {e:?}"))
        };
        assert_eq!(ok(&[("status", "active")]), set(&["ams", "nyc"]));
        assert_eq!(
            ok(&[("region", "eu")]),
            set(&["ams", "fra"]),
            "trees include descendants"
        );
        assert_eq!(
            ok(&[("region", "eu"), ("status", "planned")]),
            set(&["fra"])
        );
        assert_eq!(ok(&[("tag", "red")]), set(&["ams"]));
        assert_eq!(ok(&[("name__n", "ams")]), set(&["fra", "nyc"]));
        assert_eq!(ok(&[("name__ic", "Y")]), set(&["nyc"]));
        assert_eq!(ok(&[("q", "FR")]), set(&["fra"]));
        assert_eq!(ok(&[("tenant", "null")]), set(&["fra", "nyc"]));
        assert_eq!(
            ok(&[("no_such_filter", "x")]),
            set(&["ams", "fra", "nyc"]),
            "unknown parameters are ignored"
        );
        assert_eq!(
            ok(&[("id__ic", "1")]),
            set(&["ams", "fra", "nyc"]),
            "a lookup the field lacks names no filter"
        );
        let devices = lab
            .params("dcim.device", &[("site", "ams")])
            .expect("devices");
        assert_eq!(devices, set(&["d1"]));
        let errors = lab
            .params(
                "dcim.site",
                &[("status", "bogus"), ("region", "atlantis"), ("name", "a\0")],
            )
            .expect_err("bad values");
        assert!(errors.contains(&QueryError::InvalidChoice {
            param: "status".into(),
            value: "bogus".into()
        }));
        assert!(errors.contains(&QueryError::InvalidChoice {
            param: "region".into(),
            value: "atlantis".into()
        }));
        assert!(errors.contains(&QueryError::NullCharacter {
            param: "name".into()
        }));
        let errors = lab
            .params("dcim.site", &[("id__gt", "x")])
            .expect_err("not a number");
        assert_eq!(
            errors,
            vec![QueryError::NotANumber {
                param: "id__gt".into()
            }]
        );
    });
}

/// NetBox's filters that Cairn does not read yet, per endpoint: `netbox_filters_are_read`
/// keeps this list exact, so a filter added is struck off and none goes missing unnoticed.
/// Most wait for models not served yet (cables, providers, virtualization, wireless,
/// L2VPN, config templates, notification groups); the rest are comparisons on array
/// fields (`unit__gt`, `port__gt`), text lookups on object types, the timestamps and tags
/// NetBox keeps on VLAN translation policies and rules, and NetBox's method filters still
/// to port (`kind`, `vlan_id`, `available_on_device`, `contains_vid`, …).
const UNREAD_FILTERS: &[&str] = &[
    "users/users notification_group_id",
    "users/users notification_group_id__n",
    "users/groups notification_group_id",
    "users/groups notification_group_id__n",
    "users/permissions object_type__ic",
    "users/permissions object_type__ie",
    "users/permissions object_type__iew",
    "users/permissions object_type__iregex",
    "users/permissions object_type__isw",
    "users/permissions object_type__nic",
    "users/permissions object_type__nie",
    "users/permissions object_type__niew",
    "users/permissions object_type__nisw",
    "users/permissions object_type__regex",
    "extras/custom-field-choice-sets choice",
    "extras/custom-fields object_type__ic",
    "extras/custom-fields object_type__ie",
    "extras/custom-fields object_type__iew",
    "extras/custom-fields object_type__iregex",
    "extras/custom-fields object_type__isw",
    "extras/custom-fields object_type__nic",
    "extras/custom-fields object_type__nie",
    "extras/custom-fields object_type__niew",
    "extras/custom-fields object_type__nisw",
    "extras/custom-fields object_type__regex",
    "dcim/platforms available_for_device_type",
    "dcim/platforms config_template_id",
    "dcim/platforms config_template_id__n",
    "dcim/device-roles config_template_id",
    "dcim/device-roles config_template_id__n",
    "dcim/rack-reservations unit__empty",
    "dcim/rack-reservations unit__gt",
    "dcim/rack-reservations unit__gte",
    "dcim/rack-reservations unit__lt",
    "dcim/rack-reservations unit__lte",
    "dcim/device-types has_front_image",
    "dcim/device-types has_rear_image",
    "dcim/devices cluster_id",
    "dcim/devices cluster_id__n",
    "dcim/devices config_template_id",
    "dcim/devices config_template_id__n",
    "dcim/power-feeds cable_id",
    "dcim/power-feeds cable_id__n",
    "dcim/power-feeds cabled",
    "dcim/power-feeds connected",
    "dcim/power-feeds occupied",
    "dcim/mac-addresses virtual_machine",
    "dcim/mac-addresses virtual_machine_id",
    "dcim/mac-addresses vminterface",
    "dcim/mac-addresses vminterface__n",
    "dcim/mac-addresses vminterface_id",
    "dcim/mac-addresses vminterface_id__n",
    "dcim/console-ports cable_id",
    "dcim/console-ports cable_id__n",
    "dcim/console-ports connected",
    "dcim/console-server-ports cable_id",
    "dcim/console-server-ports cable_id__n",
    "dcim/console-server-ports connected",
    "dcim/power-ports cable_id",
    "dcim/power-ports cable_id__n",
    "dcim/power-ports connected",
    "dcim/power-outlets cable_id",
    "dcim/power-outlets cable_id__n",
    "dcim/power-outlets connected",
    "dcim/interfaces cable_id",
    "dcim/interfaces cable_id__n",
    "dcim/interfaces connected",
    "dcim/interfaces kind",
    "dcim/interfaces l2vpn",
    "dcim/interfaces l2vpn__n",
    "dcim/interfaces l2vpn_id",
    "dcim/interfaces l2vpn_id__n",
    "dcim/interfaces vdc_identifier",
    "dcim/interfaces vdc_identifier__n",
    "dcim/interfaces virtual_circuit_id",
    "dcim/interfaces virtual_circuit_id__n",
    "dcim/interfaces virtual_circuit_termination_id",
    "dcim/interfaces virtual_circuit_termination_id__n",
    "dcim/interfaces wireless_lan_id",
    "dcim/interfaces wireless_lan_id__n",
    "dcim/interfaces wireless_link_id",
    "dcim/interfaces wireless_link_id__n",
    "dcim/front-ports cable_id",
    "dcim/front-ports cable_id__n",
    "dcim/rear-ports cable_id",
    "dcim/rear-ports cable_id__n",
    "ipam/route-targets exporting_l2vpn",
    "ipam/route-targets exporting_l2vpn__n",
    "ipam/route-targets exporting_l2vpn_id",
    "ipam/route-targets exporting_l2vpn_id__n",
    "ipam/route-targets importing_l2vpn",
    "ipam/route-targets importing_l2vpn__n",
    "ipam/route-targets importing_l2vpn_id",
    "ipam/route-targets importing_l2vpn_id__n",
    "ipam/asns provider",
    "ipam/asns provider__n",
    "ipam/asns provider_id",
    "ipam/asns provider_id__n",
    "ipam/ip-ranges contains",
    "ipam/ip-addresses virtual_machine",
    "ipam/ip-addresses virtual_machine_id",
    "ipam/ip-addresses vminterface",
    "ipam/ip-addresses vminterface__n",
    "ipam/ip-addresses vminterface_id",
    "ipam/ip-addresses vminterface_id__n",
    "ipam/vlan-groups cluster",
    "ipam/vlan-groups cluster_group",
    "ipam/vlan-groups contains_vid",
    "ipam/vlan-groups location",
    "ipam/vlan-groups rack",
    "ipam/vlan-groups region",
    "ipam/vlan-groups site",
    "ipam/vlan-groups site_group",
    "ipam/vlans available_at_site",
    "ipam/vlans available_on_device",
    "ipam/vlans available_on_virtualmachine",
    "ipam/vlans interface_id",
    "ipam/vlans l2vpn",
    "ipam/vlans l2vpn__n",
    "ipam/vlans l2vpn_id",
    "ipam/vlans l2vpn_id__n",
    "ipam/vlans vminterface_id",
    "ipam/vlan-translation-policies created",
    "ipam/vlan-translation-policies created__empty",
    "ipam/vlan-translation-policies created__gt",
    "ipam/vlan-translation-policies created__gte",
    "ipam/vlan-translation-policies created__lt",
    "ipam/vlan-translation-policies created__lte",
    "ipam/vlan-translation-policies created__n",
    "ipam/vlan-translation-policies last_updated",
    "ipam/vlan-translation-policies last_updated__empty",
    "ipam/vlan-translation-policies last_updated__gt",
    "ipam/vlan-translation-policies last_updated__gte",
    "ipam/vlan-translation-policies last_updated__lt",
    "ipam/vlan-translation-policies last_updated__lte",
    "ipam/vlan-translation-policies last_updated__n",
    "ipam/vlan-translation-policies tag",
    "ipam/vlan-translation-policies tag__n",
    "ipam/vlan-translation-policies tag_id",
    "ipam/vlan-translation-policies tag_id__n",
    "ipam/vlan-translation-rules created",
    "ipam/vlan-translation-rules created__empty",
    "ipam/vlan-translation-rules created__gt",
    "ipam/vlan-translation-rules created__gte",
    "ipam/vlan-translation-rules created__lt",
    "ipam/vlan-translation-rules created__lte",
    "ipam/vlan-translation-rules created__n",
    "ipam/vlan-translation-rules last_updated",
    "ipam/vlan-translation-rules last_updated__empty",
    "ipam/vlan-translation-rules last_updated__gt",
    "ipam/vlan-translation-rules last_updated__gte",
    "ipam/vlan-translation-rules last_updated__lt",
    "ipam/vlan-translation-rules last_updated__lte",
    "ipam/vlan-translation-rules last_updated__n",
    "ipam/vlan-translation-rules tag",
    "ipam/vlan-translation-rules tag__n",
    "ipam/vlan-translation-rules tag_id",
    "ipam/vlan-translation-rules tag_id__n",
    "ipam/fhrp-groups related_ip",
    "ipam/fhrp-group-assignments virtual_machine",
    "ipam/fhrp-group-assignments virtual_machine_id",
    "ipam/service-templates port__empty",
    "ipam/service-templates port__gt",
    "ipam/service-templates port__gte",
    "ipam/service-templates port__lt",
    "ipam/service-templates port__lte",
    "ipam/services fhrpgroup",
    "ipam/services fhrpgroup_id",
    "ipam/services port__empty",
    "ipam/services port__gt",
    "ipam/services port__gte",
    "ipam/services port__lt",
    "ipam/services port__lte",
    "ipam/services virtual_machine",
    "ipam/services virtual_machine_id",
];

/// Every filter NetBox defines for a served model is read (not ignored) by the query layer.
#[test]
fn netbox_filters_are_read() {
    let backend = backends()[0];
    let lab = lab(backend);
    let unread: Vec<String> = lab
        .store
        .read(|conn, s| {
            let mut out = Vec::new();
            for t in s.reg.types() {
                let Some(names) = s.reg.netbox_filters(t) else {
                    continue;
                };
                let mut names: Vec<&String> = names.iter().collect();
                names.sort();
                for name in names {
                    let pairs = vec![(name.clone(), "1".to_string())];
                    if let Ok(p) = from_params(conn, s, t, &pairs)? {
                        if p.ignored.contains(name) {
                            out.push(format!("{}/{} {name}", t.app, t.endpoint));
                        }
                    }
                }
            }
            Ok::<_, cairn_store::StoreError>(out)
        })
        .expect("read");
    let expected: Vec<String> = UNREAD_FILTERS.iter().map(|s| s.to_string()).collect();
    assert_eq!(unread, expected, "\n{}", unread.join("\n"));
}
