//! Field names against NetBox 4.4's (tests/fixtures/netbox-4.4-fields.json holds the keys
//! of responses recorded from a real NetBox 4.4, or its OpenAPI document's where none was
//! recorded): every served model's full and brief forms carry exactly NetBox's keys.

use serde_json::{json, Value};

use crate::on_each_backend;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

on_each_backend!(representations_match_netbox_field_names, |srv| {
    let expected: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/netbox-4.4-fields.json"
    ))
    .expect("fixture");
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
        .await;
    let contact = srv
        .post("/api/tenancy/contacts/", json!({"name": "c"}))
        .await;
    let owner = srv
        .post(
            "/api/tenancy/contact-roles/",
            json!({"name": "owner", "slug": "owner"}),
        )
        .await;
    let admin = srv.get("/api/users/users/?username=admin").await["results"][0]["id"].clone();
    let mut ids = serde_json::Map::new();
    ids.insert("dcim/sites".into(), site["id"].clone());
    ids.insert("tenancy/contacts".into(), contact["id"].clone());
    ids.insert("users/users".into(), admin.clone());
    let bodies = [
        ("dcim/regions", json!({"name": "r", "slug": "r"})),
        ("dcim/site-groups", json!({"name": "g", "slug": "g"})),
        (
            "dcim/locations",
            json!({"name": "l", "slug": "l", "site": site["id"]}),
        ),
        ("tenancy/tenants", json!({"name": "t", "slug": "t"})),
        ("tenancy/tenant-groups", json!({"name": "tg", "slug": "tg"})),
        (
            "tenancy/contact-groups",
            json!({"name": "cg", "slug": "cg"}),
        ),
        ("tenancy/contact-roles", json!({"name": "cr", "slug": "cr"})),
        (
            "tenancy/contact-assignments",
            json!({"object_type": "dcim.site", "object_id": site["id"], "contact": contact["id"], "role": owner["id"]}),
        ),
        ("extras/tags", json!({"name": "tag", "slug": "tag"})),
        ("users/groups", json!({"name": "grp"})),
        ("users/tokens", json!({"user": admin})),
        ("ipam/rirs", json!({"name": "rir", "slug": "rir"})),
        ("ipam/asns", json!({"asn": 64512, "rir": {"slug": "rir"}})),
        (
            "users/permissions",
            json!({"name": "p", "object_types": ["dcim.site"], "actions": ["view"]}),
        ),
    ];
    for (ep, body) in bodies {
        let created = srv.post(&format!("/api/{ep}/"), body).await;
        ids.insert(ep.into(), created["id"].clone());
    }
    let ot = srv.get("/api/core/object-types/?limit=1").await;
    ids.insert("core/object-types".into(), ot["results"][0]["id"].clone());
    srv.call(
        "PATCH",
        &format!("/api/dcim/sites/{}/", site["id"]),
        Some(json!({"tags": [{"slug": "tag"}]})),
    )
    .await;
    let ti = srv.get("/api/extras/tagged-objects/?limit=1").await;
    ids.insert(
        "extras/tagged-objects".into(),
        ti["results"][0]["id"].clone(),
    );
    let oc = srv.get("/api/core/object-changes/?limit=1").await;
    ids.insert("core/object-changes".into(), oc["results"][0]["id"].clone());

    let mut problems = Vec::new();
    for (ep, spec) in expected.as_object().unwrap() {
        // Endpoints checked here are those created above; others only by OPTIONS.
        let Some(id) = ids.get(ep) else { continue };
        let full = srv.get(&format!("/api/{ep}/{id}/")).await;
        let want: Vec<String> = serde_json::from_value(spec["full"].clone()).unwrap();
        if keys(&full) != want {
            problems.push(format!(
                "{ep} full: got {:?}, NetBox {:?}",
                keys(&full),
                want
            ));
        }
        if let Some(b) = spec["brief"].as_array() {
            let brief = srv.get(&format!("/api/{ep}/{id}/?brief=1")).await;
            let want: Vec<String> = b.iter().map(|x| x.as_str().unwrap().to_string()).collect();
            if keys(&brief) != want {
                problems.push(format!(
                    "{ep} brief: got {:?}, NetBox {:?}",
                    keys(&brief),
                    want
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
});

/// Where Cairn answers OPTIONS differently: a token's `last_used` is set by the server
/// only; device type images are not stored yet; NetBox lists an ASN range's `asn_count`
/// that its responses never carry.
const OPTIONS_DIFFERENCES: &[&str] = &[
    // The model's bounds (1 to 100.5) instead of the serializer's minimum (0.5).
    "dcim/devices position min_value",
    "dcim/devices position max_value",
    "dcim/sites time_zone max_length",
    "extras/tags id label",
    "users/tokens last_used read_only",
    "dcim/device-types front_image type",
    "dcim/device-types front_image read_only",
    "dcim/device-types rear_image type",
    "dcim/device-types rear_image read_only",
];

/// Numbers compared by value (NetBox writes `-90.0` where Cairn writes `-90`).
fn number(v: &Value) -> Value {
    match v.as_f64() {
        Some(f) if v.is_number() => json!(f),
        _ => v.clone(),
    }
}

on_each_backend!(options_match_netbox_metadata, |srv| {
    let expected: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/netbox-4.4-fields.json"
    ))
    .expect("fixture");
    let mut problems = Vec::new();
    for (ep, spec) in expected.as_object().unwrap() {
        let Some(opts) = spec.get("options") else {
            continue;
        };
        let (_, got) = srv.call("OPTIONS", &format!("/api/{ep}/"), None).await;
        if got["name"] != opts["name"] {
            problems.push(format!("{ep} name: {} vs {}", got["name"], opts["name"]));
        }
        let Some(post) = opts["post"].as_object() else {
            if got.get("actions").is_some() {
                problems.push(format!("{ep}: read-only endpoint lists actions"));
            }
            continue;
        };
        let mine = got["actions"]["POST"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut a: Vec<&String> = mine.keys().collect();
        let mut b: Vec<&String> = post.keys().collect();
        a.sort();
        b.sort();
        b.retain(|k| !(ep == "ipam/asn-ranges" && k.as_str() == "asn_count"));
        if a != b {
            problems.push(format!("{ep} fields: {a:?} vs {b:?}"));
            continue;
        }
        for (field, meta) in post {
            let Some(m) = mine.get(field) else { continue };
            for attr in [
                "type",
                "required",
                "read_only",
                "label",
                "help_text",
                "max_length",
                "min_value",
                "max_value",
            ] {
                let label = format!("{ep} {field} {attr}");
                let (a, b) = (number(&m[attr]), number(&meta[attr]));
                if a != b && !OPTIONS_DIFFERENCES.contains(&label.as_str()) {
                    problems.push(format!("{label}: {} vs {}", m[attr], meta[attr]));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
});

/// Filters on models not declared yet: they arrive with those models.
const LATER: &[&str] = &[
    "ipam/asns?provider",
    "ipam/asns?provider_id",
    "users/groups?notification_group_id",
    "users/users?notification_group_id",
];

/// Every filter NetBox's OpenAPI document lists for a served endpoint is understood.
#[test]
fn every_netbox_filter_is_recognized() {
    let expected: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/netbox-4.4-fields.json"
    ))
    .expect("fixture");
    let db = cairn_store::testing::TestDb::new(cairn_store::testing::Backend::Sqlite).expect("db");
    let store = crate::harness::open_store(&db.url);
    let mut missing = Vec::new();
    store
        .read(|conn, s| -> cairn_store::Result<()> {
            for (ep, spec) in expected.as_object().unwrap() {
                let (app, endpoint) = ep.split_once('/').unwrap();
                let t = s
                    .reg
                    .by_index(s.reg.by_endpoint(app, endpoint).expect("endpoint"));
                let Some(filters) = spec.get("filters").and_then(|f| f.as_array()) else {
                    continue;
                };
                for name in filters {
                    let name = name.as_str().unwrap();
                    let pairs = [(name.to_string(), "1".to_string())];
                    if let Ok(p) =
                        cairn_api::filters::parse(conn, s, t, &Default::default(), &pairs)?
                    {
                        if !p.ignored.is_empty()
                            && !LATER.contains(&format!("{ep}?{name}").as_str())
                        {
                            missing.push(format!("{ep}?{name}"));
                        }
                    }
                }
            }
            Ok(())
        })
        .expect("parse");
    assert!(
        missing.is_empty(),
        "unrecognized filters:\n{}",
        missing.join("\n")
    );
}

// Nested objects look as NetBox nests them: counts NetBox annotates read 0 there, the
// others are left out; a listed brief form (`?brief=1`) carries the real counts.
on_each_backend!(nested_forms_carry_counts_as_netbox_does, |srv| {
    let region = srv
        .post("/api/dcim/regions/", json!({"name": "eu", "slug": "eu"}))
        .await;
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "fra", "slug": "fra", "region": region["id"]}),
        )
        .await;
    assert_eq!(
        keys(&site["region"]),
        [
            "_depth",
            "description",
            "display",
            "id",
            "name",
            "site_count",
            "slug",
            "url"
        ]
    );
    assert_eq!(site["region"]["site_count"], 0);
    let listed = srv.get("/api/dcim/regions/?brief=1").await;
    assert_eq!(listed["results"][0]["site_count"], 1);

    let vrf = srv.post("/api/ipam/vrfs/", json!({"name": "blue"})).await;
    assert!(
        vrf.get("prefix_count").is_none(),
        "a create response has no counts: {vrf}"
    );
    let patched = srv
        .patch(
            &format!("/api/ipam/vrfs/{}/", vrf["id"]),
            json!({"description": "d"}),
        )
        .await;
    assert_eq!(patched["prefix_count"], 0);
    let prefix = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "10.0.0.0/24", "vrf": vrf["id"]}),
        )
        .await;
    assert_eq!(
        keys(&prefix["vrf"]),
        ["description", "display", "id", "name", "rd", "url"]
    );
    let listed = srv.get("/api/ipam/vrfs/?brief=1").await;
    assert_eq!(listed["results"][0]["prefix_count"], 1);
    let free = srv
        .get(&format!(
            "/api/ipam/prefixes/{}/available-ips/?limit=1",
            prefix["id"]
        ))
        .await;
    assert_eq!(keys(&free[0]["vrf"]), keys(&prefix["vrf"]));
});

on_each_backend!(nested_serializers_show_netboxs_keys, |srv| {
    let eu = srv
        .post("/api/dcim/regions/", json!({"name": "eu", "slug": "eu"}))
        .await;
    let de = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "de", "slug": "de", "parent": eu["id"]}),
        )
        .await;
    assert_eq!(
        keys(&de["parent"]),
        [
            "_depth",
            "display",
            "display_url",
            "id",
            "name",
            "slug",
            "url"
        ]
    );
    assert!(de["parent"]["display_url"]
        .as_str()
        .is_some_and(|u| u.ends_with(&format!("/dcim/regions/{}/", eu["id"]))));

    let (d, i) = crate::harness::device_with_interface(&srv, "d1", "v0").await;
    let vc = srv
        .post(
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc", "master": d["id"]}),
        )
        .await;
    let vc = srv
        .get(&format!("/api/dcim/virtual-chassis/{}/", vc["id"]))
        .await;
    let named = ["display", "display_url", "id", "name", "url"];
    assert_eq!(keys(&vc["master"]), named);
    assert_eq!(keys(&vc["members"][0]), named);

    let inside = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "10.0.0.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": i["id"]}),
        )
        .await;
    let outside = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.1/24", "nat_inside": inside["id"]}),
        )
        .await;
    let address = ["address", "display", "display_url", "family", "id", "url"];
    assert_eq!(keys(&outside["nat_inside"]), address);
    assert_eq!(outside["nat_inside"]["family"], 4);
    let inside = srv
        .get(&format!("/api/ipam/ip-addresses/{}/", inside["id"]))
        .await;
    assert_eq!(keys(&inside["nat_outside"][0]), address);
    assert_eq!(inside["nat_outside"][0]["address"], "192.0.2.1/24");

    // A translation policy lists its rules in full.
    let policy = srv
        .post(
            "/api/ipam/vlan-translation-policies/",
            json!({"name": "p1"}),
        )
        .await;
    srv.post(
        "/api/ipam/vlan-translation-rules/",
        json!({"policy": policy["id"], "local_vid": 100, "remote_vid": 1100}),
    )
    .await;
    let policy = srv
        .get(&format!(
            "/api/ipam/vlan-translation-policies/{}/",
            policy["id"]
        ))
        .await;
    let rule = &policy["rules"][0];
    assert_eq!(
        keys(rule),
        [
            "description",
            "display",
            "id",
            "local_vid",
            "policy",
            "remote_vid",
            "url"
        ]
    );
    assert_eq!(rule["policy"], policy["id"]);
    assert_eq!(rule["remote_vid"], 1100);
});
