//! Rules of the per-model audit (docs/fidelity.md) that hold alike across many models,
//! checked table by table over one small world: what NetBox 4.4 refuses as a duplicate
//! (in its words), what a delete is refused for, and what a new object defaults to.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::Server;
use crate::on_each_backend;

/// One object of most served models, by short name.
struct World(HashMap<&'static str, Value>);

impl World {
    fn id(&self, name: &str) -> Value {
        self.0[name]["id"].clone()
    }
}

async fn world(srv: &Server) -> World {
    let mut w = World(HashMap::new());
    let steps: Vec<(&'static str, &'static str, Value)> = vec![
        (
            "region",
            "/api/dcim/regions/",
            json!({"name": "eu", "slug": "eu"}),
        ),
        (
            "sitegroup",
            "/api/dcim/site-groups/",
            json!({"name": "edge", "slug": "edge"}),
        ),
        (
            "tenantgroup",
            "/api/tenancy/tenant-groups/",
            json!({"name": "tg", "slug": "tg"}),
        ),
        (
            "tenant",
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme"}),
        ),
        (
            "manufacturer",
            "/api/dcim/manufacturers/",
            json!({"name": "Acme", "slug": "acme"}),
        ),
        (
            "rackrole",
            "/api/dcim/rack-roles/",
            json!({"name": "core", "slug": "core"}),
        ),
        (
            "devicerole",
            "/api/dcim/device-roles/",
            json!({"name": "leaf", "slug": "leaf"}),
        ),
        (
            "profile",
            "/api/dcim/module-type-profiles/",
            json!({"name": "optic"}),
        ),
        (
            "contactrole",
            "/api/tenancy/contact-roles/",
            json!({"name": "noc", "slug": "noc"}),
        ),
        (
            "contactgroup",
            "/api/tenancy/contact-groups/",
            json!({"name": "ops", "slug": "ops"}),
        ),
        ("contact", "/api/tenancy/contacts/", json!({"name": "jo"})),
        (
            "tag",
            "/api/extras/tags/",
            json!({"name": "gold", "slug": "gold"}),
        ),
        (
            "rir",
            "/api/ipam/rirs/",
            json!({"name": "RIPE", "slug": "ripe"}),
        ),
        (
            "vrf",
            "/api/ipam/vrfs/",
            json!({"name": "red", "rd": "65000:1"}),
        ),
        (
            "routetarget",
            "/api/ipam/route-targets/",
            json!({"name": "65000:100"}),
        ),
        (
            "ipamrole",
            "/api/ipam/roles/",
            json!({"name": "prod", "slug": "prod"}),
        ),
        (
            "policy",
            "/api/ipam/vlan-translation-policies/",
            json!({"name": "p1"}),
        ),
        (
            "servicetemplate",
            "/api/ipam/service-templates/",
            json!({"name": "ssh", "protocol": "tcp", "ports": [22]}),
        ),
        ("group", "/api/users/groups/", json!({"name": "netops"})),
    ];
    for (name, path, body) in steps {
        w.0.insert(name, srv.post(path, body).await);
    }
    let dependent: Vec<(&'static str, &'static str, Value)> = vec![
        (
            "site",
            "/api/dcim/sites/",
            json!({"name": "s1", "slug": "s1", "tenant": w.id("tenant")}),
        ),
        (
            "racktype",
            "/api/dcim/rack-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "R42", "slug": "r42", "form_factor": "4-post-cabinet"}),
        ),
        (
            "devicetype",
            "/api/dcim/device-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "box", "slug": "box"}),
        ),
        (
            "moduletype",
            "/api/dcim/module-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "lc", "profile": w.id("profile")}),
        ),
        (
            "platform",
            "/api/dcim/platforms/",
            json!({"name": "eos", "slug": "eos", "manufacturer": w.id("manufacturer")}),
        ),
        (
            "asn",
            "/api/ipam/asns/",
            json!({"asn": 65001, "rir": w.id("rir")}),
        ),
        (
            "asnrange",
            "/api/ipam/asn-ranges/",
            json!({"name": "private", "slug": "private", "rir": w.id("rir"), "start": 64512, "end": 65534}),
        ),
        (
            "rule",
            "/api/ipam/vlan-translation-rules/",
            json!({"policy": w.id("policy"), "local_vid": 10, "remote_vid": 110}),
        ),
    ];
    for (name, path, body) in dependent {
        w.0.insert(name, srv.post(path, body).await);
    }
    let placed: Vec<(&'static str, &'static str, Value)> = vec![
        (
            "location",
            "/api/dcim/locations/",
            json!({"name": "hall", "slug": "hall", "site": w.id("site")}),
        ),
        (
            "panel",
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": w.id("site")}),
        ),
        (
            "rack",
            "/api/dcim/racks/",
            json!({"name": "R1", "site": w.id("site"), "role": w.id("rackrole"), "rack_type": w.id("racktype"), "asset_tag": "A-1"}),
        ),
        (
            "device",
            "/api/dcim/devices/",
            json!({"name": "d1", "device_type": w.id("devicetype"), "role": w.id("devicerole"), "site": w.id("site"), "platform": w.id("platform"), "asset_tag": "D-1"}),
        ),
    ];
    for (name, path, body) in placed {
        w.0.insert(name, srv.post(path, body).await);
    }
    let feed = json!({"name": "F1", "power_panel": w.id("panel"), "rack": w.id("rack")});
    w.0.insert("feed", srv.post("/api/dcim/power-feeds/", feed).await);
    let vdc = json!({"name": "ctx", "device": w.id("device"), "status": "active", "identifier": 1});
    w.0.insert(
        "vdc",
        srv.post("/api/dcim/virtual-device-contexts/", vdc).await,
    );
    let assignment = json!({"object_type": "dcim.site", "object_id": w.id("site"), "contact": w.id("contact"), "role": w.id("contactrole")});
    w.0.insert(
        "assignment",
        srv.post("/api/tenancy/contact-assignments/", assignment)
            .await,
    );
    w
}

on_each_backend!(duplicates_are_refused_in_netboxs_words, |srv| {
    let w = world(&srv).await;
    let m = w.id("manufacturer");
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/api/dcim/rack-roles/",
            json!({"name": "core", "slug": "core2"}),
            "name",
            "rack role with this name already exists.",
        ),
        (
            "/api/dcim/rack-roles/",
            json!({"name": "core2", "slug": "core"}),
            "slug",
            "rack role with this slug already exists.",
        ),
        (
            "/api/dcim/manufacturers/",
            json!({"name": "Acme", "slug": "acme2"}),
            "name",
            "manufacturer with this name already exists.",
        ),
        (
            "/api/dcim/rack-types/",
            json!({"manufacturer": m, "model": "R42", "slug": "r42b", "form_factor": "4-post-cabinet"}),
            "__all__",
            "Rack type with this Manufacturer and Model already exists.",
        ),
        (
            "/api/dcim/racks/",
            json!({"name": "R9", "site": w.id("site"), "asset_tag": "A-1"}),
            "asset_tag",
            "rack with this asset tag already exists.",
        ),
        (
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": w.id("site")}),
            "__all__",
            "Power panel with this Site and Name already exists.",
        ),
        (
            "/api/dcim/power-feeds/",
            json!({"name": "F1", "power_panel": w.id("panel")}),
            "__all__",
            "Power feed with this Power panel and Name already exists.",
        ),
        (
            "/api/dcim/device-types/",
            json!({"manufacturer": m, "model": "box", "slug": "box2"}),
            "__all__",
            "Device type with this Manufacturer and Model already exists.",
        ),
        (
            "/api/dcim/device-types/",
            json!({"manufacturer": m, "model": "box2", "slug": "box"}),
            "__all__",
            "Device type with this Manufacturer and Slug already exists.",
        ),
        (
            "/api/dcim/module-types/",
            json!({"manufacturer": m, "model": "lc"}),
            "__all__",
            "Module type with this Manufacturer and Model already exists.",
        ),
        (
            "/api/dcim/module-type-profiles/",
            json!({"name": "optic"}),
            "name",
            "module type profile with this name already exists.",
        ),
        (
            "/api/dcim/platforms/",
            json!({"name": "eos", "slug": "eos2", "manufacturer": m}),
            "__all__",
            "Platform with this Manufacturer and Name already exists.",
        ),
        (
            "/api/dcim/devices/",
            json!({"name": "d9", "device_type": w.id("devicetype"), "role": w.id("devicerole"), "site": w.id("site"), "asset_tag": "D-1"}),
            "asset_tag",
            "device with this asset tag already exists.",
        ),
        (
            "/api/dcim/virtual-device-contexts/",
            json!({"name": "ctx", "device": w.id("device"), "status": "active"}),
            "__all__",
            "Virtual device context with this Device and Name already exists.",
        ),
        (
            "/api/dcim/virtual-device-contexts/",
            json!({"name": "ctx2", "device": w.id("device"), "status": "active", "identifier": 1}),
            "__all__",
            "Virtual device context with this Device and Identifier already exists.",
        ),
        (
            "/api/dcim/locations/",
            json!({"name": "hall", "slug": "hall2", "site": w.id("site")}),
            "__all__",
            "A location with this name already exists within the specified site.",
        ),
        (
            "/api/dcim/site-groups/",
            json!({"name": "edge", "slug": "edge2"}),
            "__all__",
            "A top-level site group with this name already exists.",
        ),
        (
            "/api/tenancy/tenant-groups/",
            json!({"name": "tg", "slug": "tg2"}),
            "name",
            "tenant group with this name already exists.",
        ),
        (
            "/api/tenancy/contact-roles/",
            json!({"name": "noc", "slug": "noc2"}),
            "name",
            "contact role with this name already exists.",
        ),
        (
            "/api/tenancy/contact-assignments/",
            json!({"object_type": "dcim.site", "object_id": w.id("site"), "contact": w.id("contact"), "role": w.id("contactrole")}),
            "__all__",
            "Contact assignment with this Object type, Object id, Contact and Role already exists.",
        ),
        (
            "/api/extras/tags/",
            json!({"name": "gold", "slug": "gold2"}),
            "name",
            "tag with this name already exists.",
        ),
        (
            "/api/ipam/vrfs/",
            json!({"name": "blue", "rd": "65000:1"}),
            "rd",
            "VRF with this route distinguisher already exists.",
        ),
        (
            "/api/ipam/route-targets/",
            json!({"name": "65000:100"}),
            "name",
            "route target with this name already exists.",
        ),
        (
            "/api/ipam/rirs/",
            json!({"name": "RIPE", "slug": "ripe2"}),
            "name",
            "RIR with this name already exists.",
        ),
        (
            "/api/ipam/asns/",
            json!({"asn": 65001, "rir": w.id("rir")}),
            "asn",
            "ASN with this ASN already exists.",
        ),
        (
            "/api/ipam/asn-ranges/",
            json!({"name": "private", "slug": "p2", "rir": w.id("rir"), "start": 1, "end": 2}),
            "name",
            "ASN range with this name already exists.",
        ),
        (
            "/api/ipam/roles/",
            json!({"name": "prod", "slug": "prod2"}),
            "name",
            "role with this name already exists.",
        ),
        (
            "/api/ipam/vlan-translation-policies/",
            json!({"name": "p1"}),
            "name",
            "VLAN translation policy with this name already exists.",
        ),
        (
            "/api/ipam/vlan-translation-rules/",
            json!({"policy": w.id("policy"), "local_vid": 10, "remote_vid": 111}),
            "__all__",
            "VLAN translation rule with this Policy and Local VLAN ID already exists.",
        ),
        (
            "/api/ipam/vlan-translation-rules/",
            json!({"policy": w.id("policy"), "local_vid": 11, "remote_vid": 110}),
            "__all__",
            "VLAN translation rule with this Policy and Remote VLAN ID already exists.",
        ),
        (
            "/api/ipam/service-templates/",
            json!({"name": "ssh", "protocol": "tcp", "ports": [22]}),
            "name",
            "application service template with this name already exists.",
        ),
        (
            "/api/users/groups/",
            json!({"name": "netops"}),
            "name",
            "group with this name already exists.",
        ),
    ];
    let mut wrong = Vec::new();
    for (path, body, key, msg) in cases {
        let (s, e) = srv.call("POST", path, Some(body.clone())).await;
        if s != StatusCode::BAD_REQUEST || e != json!({key: [msg]}) {
            wrong.push(format!("{path} {body}: {s} {e}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

on_each_backend!(deletes_are_refused_while_others_depend, |srv| {
    let w = world(&srv).await;
    let cases: Vec<(&str, &str)> = vec![
        ("/api/tenancy/tenants/", "tenant"),
        ("/api/dcim/sites/", "site"),
        ("/api/dcim/rack-roles/", "rackrole"),
        ("/api/dcim/rack-types/", "racktype"),
        ("/api/dcim/racks/", "rack"),
        ("/api/dcim/power-panels/", "panel"),
        ("/api/dcim/manufacturers/", "manufacturer"),
        ("/api/dcim/device-roles/", "devicerole"),
        ("/api/dcim/device-types/", "devicetype"),
        ("/api/dcim/module-type-profiles/", "profile"),
        ("/api/dcim/devices/", "device"),
        ("/api/tenancy/contact-roles/", "contactrole"),
        ("/api/tenancy/contacts/", "contact"),
        ("/api/ipam/rirs/", "rir"),
    ];
    let mut wrong = Vec::new();
    for (path, name) in cases {
        let (s, e) = srv
            .call("DELETE", &format!("{path}{}/", w.id(name)), None)
            .await;
        let named = e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("Unable to delete object. "));
        if s != StatusCode::CONFLICT || !named {
            wrong.push(format!("{name}: {s} {e}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // What goes along: a rack's feed first, then the rack takes its reservations.
    let rack = w.id("rack");
    srv.post(
        "/api/dcim/rack-reservations/",
        json!({"rack": rack, "units": [1], "user": 1, "description": "r"}),
    )
    .await;
    srv.call(
        "DELETE",
        &format!("/api/dcim/power-feeds/{}/", w.id("feed")),
        None,
    )
    .await;
    let (s, e) = srv
        .call("DELETE", &format!("/api/dcim/racks/{rack}/"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{e}");
    assert_eq!(srv.count("/api/dcim/rack-reservations/").await, 0);
    // Deleting a platform clears it from devices.
    srv.call(
        "DELETE",
        &format!("/api/dcim/platforms/{}/", w.id("platform")),
        None,
    )
    .await;
    let d = srv
        .get(&format!("/api/dcim/devices/{}/", w.id("device")))
        .await;
    assert_eq!(d["platform"], Value::Null);
});

on_each_backend!(new_objects_take_netboxs_defaults, |srv| {
    let w = world(&srv).await;
    let checks: Vec<(&str, &str, Value)> = vec![
        ("rackrole", "color", json!("9e9e9e")),
        ("devicerole", "color", json!("9e9e9e")),
        ("devicerole", "vm_role", json!(true)),
        ("tag", "color", json!("9e9e9e")),
        ("tag", "weight", json!(1000)),
        ("ipamrole", "weight", json!(1000)),
        ("vrf", "enforce_unique", json!(true)),
        ("devicetype", "u_height", json!(1.0)),
        ("devicetype", "is_full_depth", json!(true)),
        ("devicetype", "exclude_from_utilization", json!(false)),
        ("racktype", "u_height", json!(42)),
        ("racktype", "starting_unit", json!(1)),
        (
            "location",
            "status",
            json!({"value": "active", "label": "Active"}),
        ),
        (
            "device",
            "status",
            json!({"value": "active", "label": "Active"}),
        ),
        ("device", "face", Value::Null),
        ("vdc", "primary_ip", Value::Null),
    ];
    let mut wrong = Vec::new();
    for (name, field, want) in checks {
        let got = &w.0[name][field];
        if got != &want {
            wrong.push(format!("{name}.{field}: {got} (NetBox: {want})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

on_each_backend!(default_orderings_follow_relations, |srv| {
    let zz = srv
        .post("/api/dcim/sites/", json!({"name": "zz", "slug": "zz"}))
        .await;
    let aa = srv
        .post("/api/dcim/sites/", json!({"name": "aa", "slug": "aa"}))
        .await;
    for (name, site) in [("R1", &zz), ("R2", &aa), ("R0", &zz)] {
        srv.post(
            "/api/dcim/racks/",
            json!({"name": name, "site": site["id"]}),
        )
        .await;
    }
    let names = |v: Value, key: &str| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[key].to_string().trim_matches('"').to_string())
            .collect()
    };
    // By site name, then rack name.
    let racks = srv.get("/api/dcim/racks/").await;
    assert_eq!(names(racks, "name"), ["R2", "R0", "R1"]);
    let by_site = srv.get("/api/dcim/racks/?ordering=-site").await;
    assert_eq!(names(by_site, "name")[2], "R2");

    // VLANs: by site name with site-less VLANs last, then VID.
    for (vid, site) in [(30, Some(&zz)), (10, None), (20, Some(&aa)), (5, Some(&zz))] {
        let mut body = json!({"vid": vid, "name": format!("v{vid}")});
        if let Some(s) = site {
            body["site"] = s["id"].clone();
        }
        srv.post("/api/ipam/vlans/", body).await;
    }
    let vlans = srv.get("/api/ipam/vlans/").await;
    assert_eq!(names(vlans, "vid"), ["20", "5", "30", "10"]);
});

on_each_backend!(related_counts_count_what_netbox_counts, |srv| {
    let w = world(&srv).await;
    srv.patch(
        &format!("/api/dcim/sites/{}/", w.id("site")),
        json!({"region": w.id("region"), "group": w.id("sitegroup")}),
    )
    .await;
    let vlan = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 10, "name": "ten", "site": w.id("site"), "role": w.id("ipamrole"), "tenant": w.id("tenant")}),
        )
        .await;
    srv.post(
        "/api/ipam/prefixes/",
        json!({"prefix": "10.0.0.0/24", "scope_type": "dcim.location", "scope_id": w.id("location"),
               "vrf": w.id("vrf"), "role": w.id("ipamrole"), "vlan": vlan["id"], "tenant": w.id("tenant")}),
    )
    .await;
    srv.post(
        "/api/dcim/interfaces/",
        json!({"device": w.id("device"), "name": "e0", "type": "virtual", "vdcs": [w.id("vdc")]}),
    )
    .await;
    srv.post(
        "/api/users/users/",
        json!({"username": "ann", "password": "Secret-pass-123", "groups": [w.id("group")]}),
    )
    .await;
    let checks: Vec<(&str, &str, &str, i64)> = vec![
        ("/api/dcim/regions/", "region", "site_count", 1),
        ("/api/dcim/regions/", "region", "prefix_count", 1),
        ("/api/dcim/site-groups/", "sitegroup", "site_count", 1),
        ("/api/dcim/site-groups/", "sitegroup", "prefix_count", 1),
        ("/api/dcim/sites/", "site", "rack_count", 1),
        ("/api/dcim/sites/", "site", "device_count", 1),
        ("/api/dcim/sites/", "site", "prefix_count", 1),
        ("/api/dcim/sites/", "site", "vlan_count", 1),
        ("/api/dcim/locations/", "location", "prefix_count", 1),
        ("/api/dcim/locations/", "location", "rack_count", 0),
        ("/api/dcim/rack-roles/", "rackrole", "rack_count", 1),
        ("/api/dcim/racks/", "rack", "powerfeed_count", 1),
        ("/api/dcim/racks/", "rack", "device_count", 0),
        ("/api/dcim/power-panels/", "panel", "powerfeed_count", 1),
        (
            "/api/dcim/manufacturers/",
            "manufacturer",
            "devicetype_count",
            1,
        ),
        (
            "/api/dcim/manufacturers/",
            "manufacturer",
            "platform_count",
            1,
        ),
        (
            "/api/dcim/manufacturers/",
            "manufacturer",
            "inventoryitem_count",
            0,
        ),
        ("/api/dcim/platforms/", "platform", "device_count", 1),
        ("/api/dcim/device-roles/", "devicerole", "device_count", 1),
        ("/api/dcim/device-types/", "devicetype", "device_count", 1),
        (
            "/api/dcim/virtual-device-contexts/",
            "vdc",
            "interface_count",
            1,
        ),
        ("/api/tenancy/tenants/", "tenant", "site_count", 1),
        ("/api/tenancy/tenants/", "tenant", "prefix_count", 1),
        ("/api/tenancy/tenants/", "tenant", "vlan_count", 1),
        ("/api/ipam/vrfs/", "vrf", "prefix_count", 1),
        ("/api/ipam/roles/", "ipamrole", "prefix_count", 1),
        ("/api/ipam/roles/", "ipamrole", "vlan_count", 1),
        ("/api/users/groups/", "group", "user_count", 1),
    ];
    let mut wrong = Vec::new();
    for (path, name, field, want) in checks {
        let one = srv.get(&format!("{path}{}/", w.id(name))).await;
        let listed = srv.get(&format!("{path}?id={}", w.id(name))).await;
        let (a, b) = (&one[field], &listed["results"][0][field]);
        if a != &json!(want) || b != &json!(want) {
            wrong.push(format!(
                "{name}.{field}: detail {a}, list {b}, NetBox {want}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let vlan = srv.get(&format!("/api/ipam/vlans/{}/", vlan["id"])).await;
    assert_eq!(vlan["prefix_count"], 1);
});

on_each_backend!(values_out_of_bounds_are_refused_as_drf_words_it, |srv| {
    let w = world(&srv).await;
    let m = w.id("manufacturer");
    let rt = json!({"manufacturer": m, "model": "X", "slug": "x", "form_factor": "4-post-cabinet"});
    let rack = json!({"name": "RX", "site": w.id("site")});
    let feed = json!({"name": "FX", "power_panel": w.id("panel")});
    let dev = json!({"name": "dx", "device_type": w.id("devicetype"), "role": w.id("devicerole"), "site": w.id("site")});
    let le = |n: i64| format!("Ensure this value is less than or equal to {n}.");
    let ge = |n: i64| format!("Ensure this value is greater than or equal to {n}.");
    let chars = |n: i64| format!("Ensure this field has no more than {n} characters.");
    let cases: Vec<(&str, Value, &str, Value, String)> = vec![
        (
            "/api/dcim/rack-types/",
            rt.clone(),
            "u_height",
            json!(101),
            le(100),
        ),
        (
            "/api/dcim/rack-types/",
            rt.clone(),
            "starting_unit",
            json!(0),
            ge(1),
        ),
        (
            "/api/dcim/racks/",
            rack.clone(),
            "u_height",
            json!(0),
            ge(1),
        ),
        (
            "/api/dcim/racks/",
            rack.clone(),
            "starting_unit",
            json!(0),
            ge(1),
        ),
        (
            "/api/dcim/power-feeds/",
            feed.clone(),
            "amperage",
            json!(0),
            ge(1),
        ),
        (
            "/api/dcim/power-feeds/",
            feed.clone(),
            "max_utilization",
            json!(101),
            le(100),
        ),
        (
            "/api/dcim/devices/",
            dev.clone(),
            "vc_position",
            json!(256),
            le(255),
        ),
        (
            "/api/dcim/devices/",
            dev.clone(),
            "vc_priority",
            json!(256),
            le(255),
        ),
        (
            "/api/extras/tags/",
            json!({"name": "t", "slug": "t"}),
            "weight",
            json!(32768),
            le(32767),
        ),
        (
            "/api/ipam/vrfs/",
            json!({"name": "v"}),
            "rd",
            json!("x".repeat(22)),
            chars(21),
        ),
        (
            "/api/ipam/route-targets/",
            json!({}),
            "name",
            json!("x".repeat(22)),
            chars(21),
        ),
        (
            "/api/ipam/asn-ranges/",
            json!({"name": "r", "slug": "r", "rir": w.id("rir"), "end": 10}),
            "start",
            json!(0),
            ge(1),
        ),
        (
            "/api/ipam/vlans/",
            json!({"name": "v"}),
            "vid",
            json!(4095),
            le(4094),
        ),
        (
            "/api/ipam/vlan-translation-rules/",
            json!({"policy": w.id("policy"), "remote_vid": 5}),
            "local_vid",
            json!(0),
            ge(1),
        ),
    ];
    let mut wrong = Vec::new();
    for (path, mut body, field, bad, msg) in cases {
        body[field] = bad;
        let (s, e) = srv.call("POST", path, Some(body.clone())).await;
        if s != StatusCode::BAD_REQUEST || e[field] != json!([msg]) {
            wrong.push(format!("{path} {field}: {s} {e}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

on_each_backend!(objects_display_as_netbox_prints_them, |srv| {
    let w = world(&srv).await;
    let port = srv
        .post(
            "/api/dcim/console-ports/",
            json!({"device": w.id("device"), "name": "con0", "label": "Console"}),
        )
        .await;
    let vlan = srv
        .post("/api/ipam/vlans/", json!({"vid": 10, "name": "ten"}))
        .await;
    let user = srv
        .post(
            "/api/users/users/",
            json!({"username": "ann", "password": "Secret-pass-123", "first_name": "Ann", "last_name": "Lee"}),
        )
        .await;
    let (_, assignment) = fhrp_interface(&srv, &w).await;
    let checks: Vec<(&Value, &str)> = vec![
        (&w.0["vrf"], "red (65000:1)"),
        (&w.0["asnrange"], "private (64512-65534)"),
        (&w.0["rule"], "10 -> 110 (p1)"),
        (&port, "con0 (Console)"),
        (&vlan, "ten (10)"),
        (&user, "ann (Ann Lee)"),
        (&assignment, "e0: VRRPv2: 5 (100)"),
    ];
    let wrong: Vec<String> = checks
        .iter()
        .filter(|(v, want)| v["display"] != json!(want))
        .map(|(v, want)| format!("{} (NetBox: {want})", v["display"]))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

on_each_backend!(generic_relations_go_with_their_object, |srv| {
    let w = world(&srv).await;
    let (iface, _) = fhrp_interface(&srv, &w).await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.0.0.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}),
    )
    .await;
    srv.post(
        "/api/ipam/services/",
        json!({"name": "ssh", "protocol": "tcp", "ports": [22], "parent_object_type": "dcim.device", "parent_object_id": w.id("device")}),
    )
    .await;
    srv.post(
        "/api/tenancy/contact-assignments/",
        json!({"object_type": "tenancy.tenant", "object_id": w.id("tenant"), "contact": w.id("contact"), "role": w.id("contactrole")}),
    )
    .await;
    srv.call(
        "DELETE",
        &format!("/api/dcim/interfaces/{}/", iface["id"]),
        None,
    )
    .await;
    assert_eq!(srv.count("/api/ipam/ip-addresses/").await, 0);
    assert_eq!(srv.count("/api/ipam/fhrp-group-assignments/").await, 0);
    // The device goes once nothing protects it: its services go along.
    for (path, name) in [
        ("/api/dcim/virtual-device-contexts/", "vdc"),
        ("/api/dcim/devices/", "device"),
    ] {
        let (s, e) = srv
            .call("DELETE", &format!("{path}{}/", w.id(name)), None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{name}: {e}");
    }
    assert_eq!(srv.count("/api/ipam/services/").await, 0);
    // A policy takes its rules along.
    srv.call(
        "DELETE",
        &format!("/api/ipam/vlan-translation-policies/{}/", w.id("policy")),
        None,
    )
    .await;
    assert_eq!(srv.count("/api/ipam/vlan-translation-rules/").await, 0);
    // The tenant's own contact assignment goes with it once the site is gone.
    for (path, name) in [
        ("/api/dcim/power-feeds/", "feed"),
        ("/api/dcim/racks/", "rack"),
        ("/api/dcim/power-panels/", "panel"),
        ("/api/dcim/sites/", "site"),
        ("/api/tenancy/tenants/", "tenant"),
    ] {
        let (s, e) = srv
            .call("DELETE", &format!("{path}{}/", w.id(name)), None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{name}: {e}");
    }
    assert_eq!(srv.count("/api/tenancy/contact-assignments/").await, 0);
});

on_each_backend!(read_only_endpoints_refuse_writes, |srv| {
    for path in ["/api/extras/tagged-objects/", "/api/core/object-types/"] {
        let (s, _) = srv.call("POST", path, Some(json!({}))).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
    let ot = srv.get("/api/core/object-types/?limit=1").await["results"][0].clone();
    let url = format!("/api/core/object-types/{}/", ot["id"]);
    for method in ["PUT", "PATCH", "DELETE"] {
        let (s, _) = srv.call(method, &url, Some(json!({}))).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // `?brief` changes nothing on object types (a plain read-only viewset in NetBox).
    let brief = srv.get(&format!("{url}?brief=1")).await;
    assert_eq!(brief, srv.get(&url).await);
});

/// Interface "e0" on the world's device, in VRRPv2 group 5 at priority 100: the interface
/// and the assignment.
async fn fhrp_interface(srv: &Server, w: &World) -> (Value, Value) {
    let iface = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": w.id("device"), "name": "e0", "type": "virtual"}),
        )
        .await;
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 5}),
        )
        .await;
    let assignment = srv
        .post(
            "/api/ipam/fhrp-group-assignments/",
            json!({"group": group["id"], "interface_type": "dcim.interface", "interface_id": iface["id"], "priority": 100}),
        )
        .await;
    (iface, assignment)
}

on_each_backend!(devices_and_modules_start_as_netbox_starts_them, |srv| {
    let w = world(&srv).await;
    let m = w.id("manufacturer");
    let typed = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": m, "model": "fan", "slug": "fan", "airflow": "front-to-rear", "default_platform": w.id("platform")}),
        )
        .await;
    let dev = |name: &str, extra: Value| {
        let mut b = json!({"name": name, "device_type": typed["id"], "role": w.id("devicerole"), "site": w.id("site")});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let d = srv.post("/api/dcim/devices/", dev("d2", json!({}))).await;
    assert_eq!(
        d["airflow"]["value"], "front-to-rear",
        "inherited from the type"
    );
    assert_eq!(
        d["platform"]["id"],
        w.id("platform"),
        "the type's default platform"
    );
    assert_eq!(d["status"]["value"], "active");
    for (extra, key, msg) in [
        (
            json!({"face": "front"}),
            "face",
            "Cannot select a rack face without assigning a rack.",
        ),
        (
            json!({"position": 5}),
            "position",
            "Cannot select a rack position without assigning a rack.",
        ),
    ] {
        let (s, e) = srv
            .call("POST", "/api/dcim/devices/", Some(dev("d3", extra)))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e[key], json!([msg]), "{e}");
    }
    let elsewhere = srv
        .post("/api/dcim/sites/", json!({"name": "far", "slug": "far"}))
        .await;
    let mut moved = dev("d4", json!({"rack": w.id("rack")}));
    moved["site"] = elsewhere["id"].clone();
    let (_, e) = srv.call("POST", "/api/dcim/devices/", Some(moved)).await;
    assert_eq!(e, json!({"rack": ["Rack R1 does not belong to site far."]}));

    // Modules, outlets and inventory items start active/enabled; roles start grey.
    let bay = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": w.id("device"), "name": "slot1"}),
        )
        .await;
    let module = srv
        .post(
            "/api/dcim/modules/",
            json!({"device": w.id("device"), "module_bay": bay["id"], "module_type": w.id("moduletype"), "asset_tag": "M-1"}),
        )
        .await;
    assert_eq!(module["status"]["value"], "active");
    let outlet = srv
        .post(
            "/api/dcim/power-outlets/",
            json!({"device": w.id("device"), "name": "o1"}),
        )
        .await;
    assert_eq!(outlet["status"]["value"], "enabled");
    let role = srv
        .post(
            "/api/dcim/inventory-item-roles/",
            json!({"name": "cpu", "slug": "cpu"}),
        )
        .await;
    assert_eq!(role["color"], "9e9e9e");
    let item = srv
        .post(
            "/api/dcim/inventory-items/",
            json!({"device": w.id("device"), "name": "x1", "role": role["id"]}),
        )
        .await;
    assert_eq!(item["status"]["value"], "active");
    let role = srv
        .get(&format!("/api/dcim/inventory-item-roles/{}/", role["id"]))
        .await;
    assert_eq!(role["inventoryitem_count"], 1);
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/modules/",
            Some(json!({"device": w.id("device"), "module_bay": bay["id"], "module_type": w.id("moduletype"), "asset_tag": "M-1"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["asset_tag"],
        json!(["module with this asset tag already exists."])
    );
});

on_each_backend!(mac_addresses_are_read_in_netaddrs_forms, |srv| {
    let path = "/api/dcim/mac-addresses/";
    for (given, stored) in [
        ("aa:bb:cc:dd:ee:01", "AA:BB:CC:DD:EE:01"),
        ("aa-bb-cc-dd-ee-02", "AA:BB:CC:DD:EE:02"),
        ("aabb.ccdd.ee03", "AA:BB:CC:DD:EE:03"),
        ("AABBCCDDEE04", "AA:BB:CC:DD:EE:04"),
    ] {
        let m = srv.post(path, json!({"mac_address": given})).await;
        assert_eq!(m["mac_address"], stored, "{given}");
    }
    let (s, e) = srv
        .call("POST", path, Some(json!({"mac_address": "not-a-mac"})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"mac_address": ["Invalid MAC address format: not-a-mac"]})
    );
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
        .await;
    let (s, e) = srv
        .call(
            "POST",
            path,
            Some(json!({"mac_address": "aa:bb:cc:dd:ee:09", "assigned_object_type": "dcim.site", "assigned_object_id": site["id"]})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "MACs go on interfaces only: {e}"
    );
});

on_each_backend!(tenancy_rules_hold_as_netbox_has_them, |srv| {
    let w = world(&srv).await;
    let tg = w.id("tenantgroup");
    // A new group reads 0 tenants in its create response.
    assert_eq!(w.0["tenantgroup"]["tenant_count"], 0);
    let t = |name: &str, slug: &str| json!({"name": name, "slug": slug, "group": tg});
    srv.post("/api/tenancy/tenants/", t("g1", "g1")).await;
    for (body, msg) in [
        (t("g1", "g1b"), "Tenant name must be unique per group."),
        (t("g1b", "g1"), "Tenant slug must be unique per group."),
    ] {
        let (s, e) = srv.call("POST", "/api/tenancy/tenants/", Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e, json!({"__all__": [msg]}));
    }
    // Contact groups: (parent, name) unique under a parent, top-level names may repeat.
    let cg = w.id("contactgroup");
    let child = json!({"name": "c", "slug": "c1", "parent": cg});
    srv.post("/api/tenancy/contact-groups/", child).await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/tenancy/contact-groups/",
            Some(json!({"name": "c", "slug": "c2", "parent": cg})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"__all__": ["Contact group with this Parent and Name already exists."]})
    );
    srv.post(
        "/api/tenancy/contact-groups/",
        json!({"name": "ops", "slug": "ops2"}),
    )
    .await;
    // Contacts' email and link are checked.
    let (s, e) = srv
        .call(
            "POST",
            "/api/tenancy/contacts/",
            Some(json!({"name": "x", "email": "nope", "link": "nope"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"email": ["Enter a valid email address."], "link": ["Enter a valid URL."]})
    );
    // An assignment's blank priority reads back as null; its changes file under the object.
    let a = srv
        .post(
            "/api/tenancy/contact-assignments/",
            json!({"object_type": "dcim.device", "object_id": w.id("device"), "contact": w.id("contact"), "role": w.id("contactrole"), "priority": ""}),
        )
        .await;
    assert_eq!(a["priority"], Value::Null);
    let filed = srv
        .get(&format!(
            "/api/core/object-changes/?related_object_type=dcim.device&related_object_id={}&changed_object_type=tenancy.contactassignment",
            w.id("device")
        ))
        .await;
    assert_eq!(filed["count"], 1, "{filed}");
    // Deleting a tenant group takes its children and ungroups its tenants.
    srv.post(
        "/api/tenancy/tenant-groups/",
        json!({"name": "sub", "slug": "sub", "parent": tg}),
    )
    .await;
    srv.call("DELETE", &format!("/api/tenancy/tenant-groups/{tg}/"), None)
        .await;
    assert_eq!(srv.count("/api/tenancy/tenant-groups/").await, 0);
    let g1 = srv.get("/api/tenancy/tenants/?slug=g1").await;
    assert_eq!(g1["results"][0]["group"], Value::Null);
});

on_each_backend!(tagged_items_list_by_tag_weight_then_name, |srv| {
    let tag = |name: &str, weight: i64| json!({"name": name, "slug": name, "weight": weight});
    let heavy = srv.post("/api/extras/tags/", tag("a-heavy", 2000)).await;
    let light_b = srv.post("/api/extras/tags/", tag("b-light", 10)).await;
    let light_a = srv.post("/api/extras/tags/", tag("a-light", 10)).await;
    srv.post(
        "/api/dcim/sites/",
        json!({"name": "s", "slug": "s", "tags": [heavy["id"], light_b["id"], light_a["id"]]}),
    )
    .await;
    let items = srv.get("/api/extras/tagged-objects/").await;
    let tags: Vec<&Value> = items["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["tag"]["id"])
        .collect();
    assert_eq!(tags, [&light_a["id"], &light_b["id"], &heavy["id"]]);
});

on_each_backend!(one_to_one_relations_hold, |srv| {
    let w = world(&srv).await;
    let iface = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": w.id("device"), "name": "e0", "type": "virtual"}),
        )
        .await;
    let ip = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "10.0.0.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}),
        )
        .await;
    srv.patch(
        &format!("/api/dcim/devices/{}/", w.id("device")),
        json!({"primary_ip4": ip["id"]}),
    )
    .await;
    let mac = srv
        .post(
            "/api/dcim/mac-addresses/",
            json!({"mac_address": "aa:bb:cc:dd:ee:01"}),
        )
        .await;
    srv.patch(
        &format!("/api/dcim/interfaces/{}/", iface["id"]),
        json!({"primary_mac_address": mac["id"]}),
    )
    .await;
    let vc = srv
        .post(
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc1", "master": w.id("device")}),
        )
        .await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc2", "master": w.id("device")}),
            "master",
            "Virtual chassis with this Master already exists.",
        ),
        (
            "/api/dcim/interfaces/",
            json!({"device": w.id("device"), "name": "e1", "type": "virtual", "primary_mac_address": mac["id"]}),
            "primary_mac_address",
            "Interface with this Primary MAC address already exists.",
        ),
    ];
    for (path, body, key, msg) in cases {
        let (s, e) = srv.call("POST", path, Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e, json!({key: [msg]}), "{path}");
    }
    assert_eq!(vc["master"]["id"], w.id("device"));
});

on_each_backend!(more_duplicates_in_netboxs_words, |srv| {
    let w = world(&srv).await;
    let dev = w.id("device");
    let sg = w.id("sitegroup");
    srv.post(
        "/api/dcim/site-groups/",
        json!({"name": "x", "slug": "x1", "parent": sg}),
    )
    .await;
    srv.post(
        "/api/dcim/locations/",
        json!({"name": "in", "slug": "in1", "site": w.id("site"), "parent": w.id("location")}),
    )
    .await;
    srv.post(
        "/api/dcim/racks/",
        json!({"name": "RL", "site": w.id("site"), "location": w.id("location")}),
    )
    .await;
    let rear = srv
        .post(
            "/api/dcim/rear-ports/",
            json!({"device": dev, "name": "r1", "type": "8p8c", "positions": 2}),
        )
        .await;
    srv.post("/api/dcim/front-ports/", json!({"device": dev, "name": "f1", "type": "8p8c", "rear_port": rear["id"], "rear_port_position": 1})).await;
    let chassis = srv
        .post(
            "/api/dcim/inventory-items/",
            json!({"device": dev, "name": "chassis"}),
        )
        .await;
    srv.post(
        "/api/dcim/inventory-items/",
        json!({"device": dev, "name": "cpu", "parent": chassis["id"]}),
    )
    .await;
    srv.post(
        "/api/dcim/console-port-templates/",
        json!({"device_type": w.id("devicetype"), "name": "con0"}),
    )
    .await;
    srv.post(
        "/api/dcim/inventory-item-roles/",
        json!({"name": "psu", "slug": "psu"}),
    )
    .await;
    srv.post(
        "/api/ipam/vlan-groups/",
        json!({"name": "g", "slug": "g", "scope_type": "dcim.site", "scope_id": w.id("site")}),
    )
    .await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/api/dcim/site-groups/",
            json!({"name": "x", "slug": "x2", "parent": sg}),
            "__all__",
            "Site group with this Parent and Name already exists.",
        ),
        (
            "/api/dcim/locations/",
            json!({"name": "in", "slug": "in2", "site": w.id("site"), "parent": w.id("location")}),
            "__all__",
            "Location with this Site, Parent and Name already exists.",
        ),
        (
            "/api/dcim/rack-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "other", "slug": "r42", "form_factor": "wall-frame"}),
            "slug",
            "rack type with this slug already exists.",
        ),
        (
            "/api/dcim/racks/",
            json!({"name": "RL", "site": w.id("site"), "location": w.id("location")}),
            "__all__",
            "Rack with this Location and Name already exists.",
        ),
        (
            "/api/dcim/front-ports/",
            json!({"device": dev, "name": "f2", "type": "8p8c", "rear_port": rear["id"], "rear_port_position": 1}),
            "__all__",
            "Front port with this Rear port and Rear port position already exists.",
        ),
        (
            "/api/dcim/inventory-items/",
            json!({"device": dev, "name": "cpu", "parent": chassis["id"]}),
            "__all__",
            "Inventory item with this Device, Parent and Name already exists.",
        ),
        (
            "/api/dcim/console-port-templates/",
            json!({"device_type": w.id("devicetype"), "name": "con0"}),
            "__all__",
            "Console port template with this Device type and Name already exists.",
        ),
        (
            "/api/dcim/inventory-item-roles/",
            json!({"name": "psu", "slug": "psu2"}),
            "name",
            "inventory item role with this name already exists.",
        ),
        (
            "/api/ipam/vlan-groups/",
            json!({"name": "g", "slug": "g2", "scope_type": "dcim.site", "scope_id": w.id("site")}),
            "__all__",
            "VLAN group with this Scope type, Scope id and Name already exists.",
        ),
        (
            "/api/dcim/rack-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "nf", "slug": "nf"}),
            "form_factor",
            "This field cannot be blank.",
        ),
        (
            "/api/ipam/service-templates/",
            json!({"name": "http", "ports": [80]}),
            "protocol",
            "This field cannot be blank.",
        ),
        (
            "/api/ipam/aggregates/",
            json!({"prefix": "10.0.0.0/8"}),
            "rir",
            "This field is required.",
        ),
        (
            "/api/dcim/rack-reservations/",
            json!({"rack": w.id("rack"), "units": [3]}),
            "user",
            "This field is required.",
        ),
    ];
    let mut wrong = Vec::new();
    for (path, body, key, msg) in cases {
        let (s, e) = srv.call("POST", path, Some(body.clone())).await;
        if s != StatusCode::BAD_REQUEST || e[key] != json!([msg]) {
            wrong.push(format!("{path} {body}: {s} {e}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Without a scope, groups of one name may repeat (NULLs are distinct), as top-level
    // inventory items of one name may.
    for (path, body) in [
        (
            "/api/dcim/inventory-items/",
            json!({"device": dev, "name": "chassis"}),
        ),
        ("/api/ipam/vlan-groups/", json!({"name": "g", "slug": "g3"})),
        ("/api/ipam/vlan-groups/", json!({"name": "g", "slug": "g4"})),
    ] {
        let (s, e) = srv.call("POST", path, Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{path}: {e}");
    }
});

on_each_backend!(more_deletes_follow_netboxs_rules, |srv| {
    let w = world(&srv).await;
    // Site groups take their children along and leave their sites ungrouped.
    let sg = w.id("sitegroup");
    srv.post(
        "/api/dcim/site-groups/",
        json!({"name": "x", "slug": "x", "parent": sg}),
    )
    .await;
    srv.patch(
        &format!("/api/dcim/sites/{}/", w.id("site")),
        json!({"group": sg}),
    )
    .await;
    srv.call("DELETE", &format!("/api/dcim/site-groups/{sg}/"), None)
        .await;
    assert_eq!(srv.count("/api/dcim/site-groups/").await, 0);
    let site = srv.get(&format!("/api/dcim/sites/{}/", w.id("site"))).await;
    assert_eq!(site["group"], Value::Null);
    // A location with a power panel stays; without, racks lose it and children go along.
    let loc = w.id("location");
    srv.post(
        "/api/dcim/locations/",
        json!({"name": "in", "slug": "in", "site": w.id("site"), "parent": loc}),
    )
    .await;
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "PL", "site": w.id("site"), "location": loc}),
        )
        .await;
    srv.patch(
        &format!("/api/dcim/racks/{}/", w.id("rack")),
        json!({"location": loc}),
    )
    .await;
    let (s, _) = srv
        .call("DELETE", &format!("/api/dcim/locations/{loc}/"), None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    srv.call(
        "DELETE",
        &format!("/api/dcim/power-panels/{}/", panel["id"]),
        None,
    )
    .await;
    let (s, e) = srv
        .call("DELETE", &format!("/api/dcim/locations/{loc}/"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{e}");
    assert_eq!(srv.count("/api/dcim/locations/").await, 0);
    let rack = srv.get(&format!("/api/dcim/racks/{}/", w.id("rack"))).await;
    assert_eq!(rack["location"], Value::Null);
    // A module type in use stays.
    let bay = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": w.id("device"), "name": "slot"}),
        )
        .await;
    srv.post("/api/dcim/modules/", json!({"device": w.id("device"), "module_bay": bay["id"], "module_type": w.id("moduletype")})).await;
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/dcim/module-types/{}/", w.id("moduletype")),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // An FHRP group takes its addresses and services along.
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 9}),
        )
        .await;
    srv.post("/api/ipam/ip-addresses/", json!({"address": "10.9.9.1/24", "assigned_object_type": "ipam.fhrpgroup", "assigned_object_id": group["id"]})).await;
    srv.post("/api/ipam/services/", json!({"name": "vip", "protocol": "tcp", "ports": [443], "parent_object_type": "ipam.fhrpgroup", "parent_object_id": group["id"]})).await;
    let shown = srv
        .get(&format!("/api/ipam/fhrp-groups/{}/", group["id"]))
        .await;
    assert_eq!(shown["ip_addresses"][0]["address"], "10.9.9.1/24");
    srv.call(
        "DELETE",
        &format!("/api/ipam/fhrp-groups/{}/", group["id"]),
        None,
    )
    .await;
    assert_eq!(srv.count("/api/ipam/ip-addresses/").await, 0);
    assert_eq!(srv.count("/api/ipam/services/").await, 0);
});

on_each_backend!(reservations_services_and_derived_fields, |srv| {
    let w = world(&srv).await;
    let r = srv
        .post(
            "/api/dcim/rack-reservations/",
            json!({"rack": w.id("rack"), "units": [4], "user": 1, "description": "d"}),
        )
        .await;
    assert_eq!(r["status"]["value"], "active");
    let filed = srv
        .get(&format!(
            "/api/core/object-changes/?related_object_type=dcim.rack&related_object_id={}",
            w.id("rack")
        ))
        .await;
    assert_eq!(
        filed["count"], 1,
        "the reservation's change is filed under its rack"
    );
    // Derived, read-only family.
    let agg = srv
        .post(
            "/api/ipam/aggregates/",
            json!({"prefix": "10.0.0.0/8", "rir": w.id("rir"), "family": 6}),
        )
        .await;
    assert_eq!(agg["family"]["value"], 4);
    let range = srv
        .post("/api/ipam/ip-ranges/", json!({"start_address": "2001:db8::1/64", "end_address": "2001:db8::9/64", "family": 4}))
        .await;
    assert_eq!(range["family"]["value"], 6);
    // Services: a writable list of addresses, shown nested; parents of allowed types only.
    let iface = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": w.id("device"), "name": "e0", "type": "virtual"}),
        )
        .await;
    let ip = srv
        .post("/api/ipam/ip-addresses/", json!({"address": "10.1.1.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}))
        .await;
    let svc = srv
        .post(
            "/api/ipam/services/",
            json!({"name": "ssh", "protocol": "tcp", "ports": [22], "parent_object_type": "dcim.device", "parent_object_id": w.id("device"), "ipaddresses": [ip["id"]]}),
        )
        .await;
    assert_eq!(svc["ipaddresses"][0]["address"], "10.1.1.1/24");
    assert_eq!(svc["parent"]["id"], w.id("device"));
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/services/",
            Some(json!({"name": "x", "protocol": "tcp", "ports": [1], "parent_object_type": "dcim.site", "parent_object_id": w.id("site")})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "services hang off devices, FHRP groups and VMs"
    );
    // FHRP assignment priorities are 0-255.
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 1}),
        )
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/fhrp-group-assignments/",
            Some(json!({"group": group["id"], "interface_type": "dcim.interface", "interface_id": iface["id"], "priority": 256})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["priority"],
        json!(["Ensure this value is less than or equal to 255."])
    );
});

on_each_backend!(
    components_follow_their_device_and_templates_their_type,
    |srv| {
        let w = world(&srv).await;
        let dev = w.id("device");
        // Component filters follow a device that moves.
        let iface = srv
            .post(
                "/api/dcim/interfaces/",
                json!({"device": dev, "name": "e0", "type": "virtual"}),
            )
            .await;
        let far = srv
            .post("/api/dcim/sites/", json!({"name": "far", "slug": "far"}))
            .await;
        srv.patch(
            &format!("/api/dcim/devices/{dev}/"),
            json!({"site": far["id"]}),
        )
        .await;
        let there = format!("/api/dcim/interfaces/?site_id={}", far["id"]);
        assert_eq!(srv.count(&there).await, 1);
        // A bridge lists the interfaces bridged to it.
        let br = srv
            .post(
                "/api/dcim/interfaces/",
                json!({"device": dev, "name": "br0", "type": "bridge"}),
            )
            .await;
        srv.patch(
            &format!("/api/dcim/interfaces/{}/", iface["id"]),
            json!({"bridge": br["id"]}),
        )
        .await;
        let br = srv
            .get(&format!("/api/dcim/interfaces/{}/", br["id"]))
            .await;
        assert_eq!(br["bridge_interfaces"][0]["id"], iface["id"]);
        // A primary MAC stays on its interface.
        let mac = srv
        .post(
            "/api/dcim/mac-addresses/",
            json!({"mac_address": "aa:bb:cc:dd:ee:01", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}),
        )
        .await;
        srv.patch(
            &format!("/api/dcim/interfaces/{}/", iface["id"]),
            json!({"primary_mac_address": mac["id"]}),
        )
        .await;
        let (s, e) = srv
            .call(
                "PATCH",
                &format!("/api/dcim/mac-addresses/{}/", mac["id"]),
                Some(json!({"assigned_object_type": null, "assigned_object_id": null})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(
            e,
            json!({"__all__": ["Cannot unassign MAC Address while it is designated as the primary MAC for an object"]})
        );
        // Inventory items: never their own parent, nor under their own child.
        let top = srv
            .post(
                "/api/dcim/inventory-items/",
                json!({"device": dev, "name": "top"}),
            )
            .await;
        let sub = srv
            .post(
                "/api/dcim/inventory-items/",
                json!({"device": dev, "name": "sub", "parent": top["id"]}),
            )
            .await;
        let url = format!("/api/dcim/inventory-items/{}/", top["id"]);
        for parent in [&top["id"], &sub["id"]] {
            let (s, _) = srv
                .call("PATCH", &url, Some(json!({"parent": parent})))
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "parent {parent}");
        }
        // Components from a module are made once, not again on edit.
        let bay = srv
            .post(
                "/api/dcim/module-bays/",
                json!({"device": dev, "name": "slot"}),
            )
            .await;
        srv.post(
            "/api/dcim/interface-templates/",
            json!({"module_type": w.id("moduletype"), "name": "m{module}", "type": "1000base-t"}),
        )
        .await;
        let module = srv
            .post(
                "/api/dcim/modules/",
                json!({"device": dev, "module_bay": bay["id"], "module_type": w.id("moduletype")}),
            )
            .await;
        srv.patch(
            &format!("/api/dcim/modules/{}/", module["id"]),
            json!({"serial": "S2"}),
        )
        .await;
        let made = format!("/api/dcim/interfaces/?module_id={}", module["id"]);
        assert_eq!(srv.count(&made).await, 1);
        // Device bay and inventory item templates need a device type; template changes file
        // under their type.
        for path in [
            "/api/dcim/device-bay-templates/",
            "/api/dcim/inventory-item-templates/",
        ] {
            let (s, e) = srv.call("POST", path, Some(json!({"name": "x"}))).await;
            assert_eq!(s, StatusCode::BAD_REQUEST);
            assert_eq!(
                e["device_type"],
                json!(["This field is required."]),
                "{path}"
            );
        }
        let filed = format!(
            "/api/core/object-changes/?related_object_type=dcim.moduletype&related_object_id={}",
            w.id("moduletype")
        );
        assert_eq!(srv.count(&filed).await, 1);
        // Bounds of component fields.
        let le = |n: i64| json!([format!("Ensure this value is less than or equal to {n}.")]);
        let ge = |n: i64| {
            json!([format!(
                "Ensure this value is greater than or equal to {n}."
            )])
        };
        for (path, body, key, msg) in [
            (
                "/api/dcim/power-ports/",
                json!({"device": dev, "name": "p", "maximum_draw": 0}),
                "maximum_draw",
                ge(1),
            ),
            (
                "/api/dcim/rear-ports/",
                json!({"device": dev, "name": "r", "type": "8p8c", "positions": 1025}),
                "positions",
                le(1024),
            ),
            (
                "/api/dcim/interfaces/",
                json!({"device": dev, "name": "m", "type": "virtual", "mtu": 0}),
                "mtu",
                ge(1),
            ),
        ] {
            let (s, e) = srv.call("POST", path, Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST);
            assert_eq!(e[key], msg, "{path}");
        }
        // A chassis master is protected from deletion.
        srv.post(
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc", "master": dev}),
        )
        .await;
        srv.call(
            "DELETE",
            &format!("/api/dcim/virtual-device-contexts/{}/", w.id("vdc")),
            None,
        )
        .await;
        let (s, _) = srv
            .call("DELETE", &format!("/api/dcim/devices/{dev}/"), None)
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
    }
);

on_each_backend!(people_tags_and_changes_behave_as_netbox, |srv| {
    let w = world(&srv).await;
    // Users: a password is required and never shown; no superuser flag on the wire.
    let (s, e) = srv
        .call("POST", "/api/users/users/", Some(json!({"username": "bo"})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["password"], json!(["This field is required."]));
    let bo = srv
        .post(
            "/api/users/users/",
            json!({"username": "bo", "password": "Secret-pass-123", "is_superuser": true}),
        )
        .await;
    assert!(
        bo.get("password").is_none() && bo.get("is_superuser").is_none(),
        "{bo}"
    );
    // Tokens: a given key is 40 characters.
    let (s, e) = srv
        .call(
            "POST",
            "/api/users/tokens/",
            Some(json!({"user": bo["id"], "key": "short"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["key"],
        json!(["Ensure this field has at least 40 characters."])
    );
    // Permissions: object types and actions are required; enabled defaults to true.
    let (s, e) = srv
        .call(
            "POST",
            "/api/users/permissions/",
            Some(json!({"name": "p"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["object_types"].is_array() && e["actions"].is_array(),
        "{e}"
    );
    let p = srv
        .post(
            "/api/users/permissions/",
            json!({"name": "p", "object_types": ["dcim.site"], "actions": ["view"]}),
        )
        .await;
    assert_eq!(p["enabled"], true);
    // Tags are change-logged, and a tagged object's record names its tags.
    let tag_changes = format!(
        "/api/core/object-changes/?changed_object_type=extras.tag&changed_object_id={}",
        w.id("tag")
    );
    assert_eq!(srv.count(&tag_changes).await, 1);
    srv.patch(
        &format!("/api/dcim/sites/{}/", w.id("site")),
        json!({"tags": [w.id("tag")]}),
    )
    .await;
    let site_changes = srv
        .get(&format!("/api/core/object-changes/?changed_object_type=dcim.site&changed_object_id={}&action=update", w.id("site")))
        .await;
    assert_eq!(
        site_changes["results"][0]["postchange_data"]["tags"],
        json!(["gold"])
    );
    // A change shows its object while it lives, null once it is gone.
    let t = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "tmp", "slug": "tmp"}),
        )
        .await;
    let of_t = format!(
        "/api/core/object-changes/?changed_object_type=tenancy.tenant&changed_object_id={}",
        t["id"]
    );
    assert_eq!(
        srv.get(&of_t).await["results"][0]["changed_object"]["id"],
        t["id"]
    );
    srv.call(
        "DELETE",
        &format!("/api/tenancy/tenants/{}/", t["id"]),
        None,
    )
    .await;
    assert_eq!(
        srv.get(&of_t).await["results"][0]["changed_object"],
        Value::Null
    );
    // Contact groups are never their own ancestors.
    let cg = w.id("contactgroup");
    let child = srv
        .post(
            "/api/tenancy/contact-groups/",
            json!({"name": "c", "slug": "c", "parent": cg}),
        )
        .await;
    let (s, _) = srv
        .call(
            "PATCH",
            &format!("/api/tenancy/contact-groups/{cg}/"),
            Some(json!({"parent": child["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // A new tenant's related counts are left out of its create response.
    let fresh = srv
        .post("/api/tenancy/tenants/", json!({"name": "n", "slug": "n"}))
        .await;
    assert!(fresh.get("site_count").is_none(), "{fresh}");
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenants/{}/", fresh["id"]))
            .await["site_count"],
        0
    );
});

on_each_backend!(last_rules_of_the_audit, |srv| {
    let w = world(&srv).await;
    // Locations count racks and devices below them too, from their create response on.
    assert_eq!(w.0["location"]["rack_count"], 0);
    assert_eq!(w.0["location"]["device_count"], 0);
    let sub = srv
        .post(
            "/api/dcim/locations/",
            json!({"name": "sub", "slug": "sub", "site": w.id("site"), "parent": w.id("location")}),
        )
        .await;
    srv.post(
        "/api/dcim/racks/",
        json!({"name": "RS", "site": w.id("site"), "location": sub["id"]}),
    )
    .await;
    let loc = srv
        .get(&format!("/api/dcim/locations/{}/", w.id("location")))
        .await;
    assert_eq!(loc["rack_count"], 1);
    // A profile without a schema takes no attributes.
    let bare = srv
        .post("/api/dcim/module-type-profiles/", json!({"name": "bare"}))
        .await;
    let mt = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "m2", "profile": bare["id"], "attributes": {"a": 1}}),
        )
        .await;
    assert_eq!(mt["attributes"], Value::Null);
    // Virtual device contexts need a device and a status.
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/virtual-device-contexts/",
            Some(json!({"name": "v"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["device"].is_array() && e["status"].is_array(), "{e}");
    // Front port templates map onto a rear port of their own device type.
    let other = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": w.id("manufacturer"), "model": "o", "slug": "o"}),
        )
        .await;
    let rear = srv
        .post(
            "/api/dcim/rear-port-templates/",
            json!({"device_type": other["id"], "name": "r", "type": "8p8c"}),
        )
        .await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/front-port-templates/",
            Some(json!({"device_type": w.id("devicetype"), "name": "f", "type": "8p8c", "rear_port": rear["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Inventory items point only at components (templates at component templates).
    for (path, owner) in [
        (
            "/api/dcim/inventory-items/",
            json!({"device": w.id("device")}),
        ),
        (
            "/api/dcim/inventory-item-templates/",
            json!({"device_type": w.id("devicetype")}),
        ),
    ] {
        let mut body = owner;
        body["name"] = json!("x");
        body["component_type"] = json!("dcim.site");
        body["component_id"] = w.id("site");
        let (s, e) = srv.call("POST", path, Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            e["component_type"],
            json!(["Invalid content type: dcim.site"]),
            "{path}"
        );
    }
    // VLAN groups: scopes of the allowed kinds, ranges within 1-4094 and ascending.
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/vlan-groups/",
            Some(json!({"name": "g", "slug": "g", "scope_type": "dcim.device", "scope_id": w.id("device")})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["scope_type"],
        json!(["Invalid content type: dcim.device"])
    );
    for (ranges, msg) in [
        (
            json!([[1, 4095]]),
            "Ending VLAN ID in range (4095) cannot exceed 4094",
        ),
        (
            json!([[9, 5]]),
            "Ending VLAN ID in range must be greater than or equal to the starting VLAN ID (9-5)",
        ),
    ] {
        let (_, e) = srv
            .call(
                "POST",
                "/api/ipam/vlan-groups/",
                Some(json!({"name": "g", "slug": "g", "vid_ranges": ranges})),
            )
            .await;
        assert_eq!(e["vid_ranges"], json!([msg]));
    }
    // Translation policies are shown without tags, custom fields or timestamps; their
    // rules' changes file under them.
    let policy = srv
        .get(&format!(
            "/api/ipam/vlan-translation-policies/{}/",
            w.id("policy")
        ))
        .await;
    for absent in ["tags", "custom_fields", "created", "last_updated"] {
        assert!(policy.get(absent).is_none(), "{absent}: {policy}");
    }
    let filed = format!(
        "/api/core/object-changes/?related_object_type=ipam.vlantranslationpolicy&related_object_id={}",
        w.id("policy")
    );
    assert_eq!(srv.count(&filed).await, 1);
    // Deleting a user keeps its name on the changes it made.
    let bo = srv
        .post(
            "/api/users/users/",
            json!({"username": "bo", "password": "Secret-pass-123"}),
        )
        .await;
    let key = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
    srv.post("/api/users/tokens/", json!({"user": bo["id"], "key": key}))
        .await;
    let (s, _, made) = srv
        .raw(
            "POST",
            "/api/tenancy/tenants/",
            Some(key),
            Some(json!({"name": "bo's", "slug": "bos"}).to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    srv.call("DELETE", &format!("/api/users/users/{}/", bo["id"]), None)
        .await;
    let change = srv
        .get(&format!(
            "/api/core/object-changes/?changed_object_type=tenancy.tenant&changed_object_id={}",
            made["id"]
        ))
        .await["results"][0]
        .clone();
    assert_eq!(change["user"], Value::Null);
    assert_eq!(change["user_name"], "bo");
});

on_each_backend!(address_space_rules_hold, |srv| {
    let vrf = srv.post("/api/ipam/vrfs/", json!({"name": "blue"})).await;
    let p = |prefix: &str, extra: Value| {
        let mut b = json!({"prefix": prefix});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let container = srv
        .post(
            "/api/ipam/prefixes/",
            p("10.0.0.0/29", json!({"status": "container"})),
        )
        .await;
    // A global container counts the addresses of every VRF as used.
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.0.0.1/29", "vrf": vrf["id"]}),
    )
    .await;
    let free = srv
        .get(&format!(
            "/api/ipam/prefixes/{}/available-ips/",
            container["id"]
        ))
        .await;
    let first = free[0]["address"].as_str().unwrap().to_string();
    assert_eq!(first, "10.0.0.2/29", "{free}");
    // A populated range holds no free address.
    let range = srv
        .post(
            "/api/ipam/ip-ranges/",
            json!({"start_address": "10.5.0.1/24", "end_address": "10.5.0.3/24", "mark_populated": true}),
        )
        .await;
    let url = format!("/api/ipam/ip-ranges/{}/available-ips/", range["id"]);
    assert_eq!(srv.get(&url).await, json!([]));
    let (s, _) = srv.call("POST", &url, Some(json!({}))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Addresses list by host address, whatever their masks.
    for a in ["10.9.0.10/8", "10.9.0.2/24", "10.9.0.3/16"] {
        srv.post("/api/ipam/ip-addresses/", json!({"address": a}))
            .await;
    }
    let listed = srv.get("/api/ipam/ip-addresses/?parent=10.9.0.0/24").await;
    let order: Vec<&str> = listed["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["10.9.0.2/24", "10.9.0.3/16", "10.9.0.10/8"]);
    // A prefix moving to another VRF leaves its old hierarchy and joins the new one.
    let child = srv
        .post("/api/ipam/prefixes/", p("10.0.0.0/30", json!({})))
        .await;
    let c = srv
        .get(&format!("/api/ipam/prefixes/{}/", container["id"]))
        .await;
    assert_eq!(c["children"], 1);
    srv.patch(
        &format!("/api/ipam/prefixes/{}/", child["id"]),
        json!({"vrf": vrf["id"]}),
    )
    .await;
    let c = srv
        .get(&format!("/api/ipam/prefixes/{}/", container["id"]))
        .await;
    assert_eq!(c["children"], 0);
    let moved = srv
        .get(&format!("/api/ipam/prefixes/{}/", child["id"]))
        .await;
    assert_eq!(moved["_depth"], 0);
});

on_each_backend!(services_list_by_protocol_then_ports_as_numbers, |srv| {
    let w = world(&srv).await;
    for ports in [json!([1000]), json!([22]), json!([80, 443])] {
        srv.post(
            "/api/ipam/services/",
            json!({"name": format!("s{ports}"), "protocol": "tcp", "ports": ports, "parent_object_type": "dcim.device", "parent_object_id": w.id("device")}),
        )
        .await;
    }
    let listed = srv.get("/api/ipam/services/").await;
    let ports: Vec<&Value> = listed["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["ports"])
        .collect();
    assert_eq!(ports, [&json!([22]), &json!([80, 443]), &json!([1000])]);
});

on_each_backend!(the_global_table_lists_first, |srv| {
    let vrf = srv.post("/api/ipam/vrfs/", json!({"name": "red"})).await;
    srv.post(
        "/api/ipam/prefixes/",
        json!({"prefix": "10.0.0.0/24", "vrf": vrf["id"]}),
    )
    .await;
    srv.post("/api/ipam/prefixes/", json!({"prefix": "10.9.0.0/24"}))
        .await;
    srv.post(
        "/api/ipam/ip-ranges/",
        json!({"start_address": "10.0.0.1/24", "end_address": "10.0.0.9/24", "vrf": vrf["id"]}),
    )
    .await;
    srv.post(
        "/api/ipam/ip-ranges/",
        json!({"start_address": "10.9.0.1/24", "end_address": "10.9.0.9/24"}),
    )
    .await;
    for (path, key) in [
        ("/api/ipam/prefixes/", "prefix"),
        ("/api/ipam/ip-ranges/", "start_address"),
    ] {
        let listed = srv.get(path).await;
        let first = &listed["results"][0];
        assert_eq!(first["vrf"], Value::Null, "{path}: {listed}");
        assert!(first[key].as_str().unwrap().starts_with("10.9."), "{path}");
    }
});

on_each_backend!(fhrp_groups_show_their_first_address, |srv| {
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"name": "gw", "protocol": "vrrp2", "group_id": 5}),
        )
        .await;
    assert_eq!(group["display"], "gw VRRPv2: 5");
    let url = format!("/api/ipam/fhrp-groups/{}/", group["id"]);
    let on = |a: &str| json!({"address": a, "assigned_object_type": "ipam.fhrpgroup", "assigned_object_id": group["id"]});
    let high = srv.post("/api/ipam/ip-addresses/", on("10.0.0.9/24")).await;
    assert_eq!(srv.get(&url).await["display"], "gw VRRPv2: 5 (10.0.0.9/24)");
    let low = srv.post("/api/ipam/ip-addresses/", on("10.0.0.2/24")).await;
    assert_eq!(srv.get(&url).await["display"], "gw VRRPv2: 5 (10.0.0.2/24)");
    srv.call(
        "DELETE",
        &format!("/api/ipam/ip-addresses/{}/", low["id"]),
        None,
    )
    .await;
    assert_eq!(srv.get(&url).await["display"], "gw VRRPv2: 5 (10.0.0.9/24)");
    srv.patch(
        &format!("/api/ipam/ip-addresses/{}/", high["id"]),
        json!({"assigned_object_type": null, "assigned_object_id": null}),
    )
    .await;
    assert_eq!(srv.get(&url).await["display"], "gw VRRPv2: 5");
});
