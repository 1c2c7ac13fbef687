//! DCIM rules: components from templates, modules, rack placement, names, component
//! relations, elevations, counters, filters, and the device-type importer.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::Server;
use crate::on_each_backend;

struct Base {
    site: Value,
    role: Value,
    maker: Value,
}

async fn base(srv: &Server) -> Base {
    Base {
        site: srv
            .post("/api/dcim/sites/", json!({"name": "dc1", "slug": "dc1"}))
            .await,
        role: srv
            .post(
                "/api/dcim/device-roles/",
                json!({"name": "leaf", "slug": "leaf", "color": "00ff00"}),
            )
            .await,
        maker: srv
            .post(
                "/api/dcim/manufacturers/",
                json!({"name": "Acme", "slug": "acme"}),
            )
            .await,
    }
}

async fn device_type(srv: &Server, b: &Base, model: &str, extra: Value) -> Value {
    let mut body =
        json!({"manufacturer": b.maker["id"], "model": model, "slug": model.to_lowercase()});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    srv.post("/api/dcim/device-types/", body).await
}

async fn names(srv: &Server, path: &str) -> Vec<String> {
    srv.get(path).await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

on_each_backend!(devices_get_their_types_components, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Switch48", json!({})).await;
    let t = json!({"device_type": dt["id"]});
    let with = |extra: Value| {
        let mut v = t.clone();
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    srv.post(
        "/api/dcim/interface-templates/",
        json!([
            with(json!({"name": "Ethernet1/10", "type": "10gbase-x-sfpp"})),
            with(json!({"name": "Ethernet1/2", "type": "10gbase-x-sfpp"})),
            with(json!({"name": "mgmt0", "type": "1000base-t", "mgmt_only": true})),
        ]),
    )
    .await;
    srv.post(
        "/api/dcim/console-port-templates/",
        with(json!({"name": "con0", "type": "rj-45"})),
    )
    .await;
    let rear = srv
        .post(
            "/api/dcim/rear-port-templates/",
            with(json!({"name": "R1", "type": "8p8c", "positions": 2})),
        )
        .await;
    srv.post(
        "/api/dcim/front-port-templates/",
        with(
            json!({"name": "F1", "type": "8p8c", "rear_port": rear["id"], "rear_port_position": 2}),
        ),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/front-port-templates/",
            Some(with(json!({"name": "F9", "type": "8p8c", "rear_port": rear["id"], "rear_port_position": 3}))),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a rear port has only its positions: {e}"
    );

    let dev = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "sw1", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}),
        )
        .await;
    let id = &dev["id"];
    assert_eq!(
        names(&srv, &format!("/api/dcim/interfaces/?device_id={id}")).await,
        ["Ethernet1/2", "Ethernet1/10", "mgmt0"],
        "components exist, in natural order"
    );
    assert_eq!(
        srv.get(&format!(
            "/api/dcim/interfaces/?device_id={id}&mgmt_only=true"
        ))
        .await["count"],
        1
    );
    assert_eq!(
        srv.get(&format!(
            "/api/dcim/interfaces/?device_id={id}&type=10gbase-x-sfpp"
        ))
        .await["count"],
        2
    );
    let count = |q: String| {
        let srv = &srv;
        async move {
            srv.get(&format!("/api/dcim/interfaces/?{q}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count(format!("device_id={id}&cabled=false")).await, 3);
    assert_eq!(count(format!("device_id={id}&cabled=true")).await, 0);
    let mgmt = srv
        .get(&format!("/api/dcim/interfaces/?device_id={id}&name=mgmt0"))
        .await["results"][0]["id"]
        .clone();
    srv.call(
        "PATCH",
        &format!("/api/dcim/interfaces/{mgmt}/"),
        Some(json!({"mark_connected": true})),
    )
    .await;
    assert_eq!(count(format!("device_id={id}&occupied=true")).await, 1);
    let fronts = srv
        .get(&format!("/api/dcim/front-ports/?device_id={id}"))
        .await;
    let rears = srv
        .get(&format!("/api/dcim/rear-ports/?device_id={id}"))
        .await;
    assert_eq!(
        fronts["results"][0]["rear_port"]["id"], rears["results"][0]["id"],
        "mapped to the new rear port"
    );
    assert_eq!(fronts["results"][0]["rear_port_position"], 2);
    let dev = srv.get(&format!("/api/dcim/devices/{id}/")).await;
    assert_eq!(dev["interface_count"], 3);
    assert_eq!(dev["console_port_count"], 1);
    assert_eq!(
        srv.get(&format!("/api/dcim/device-types/{}/", dt["id"]))
            .await["device_count"],
        1
    );

    // Component names are unique per device.
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/interfaces/",
            Some(json!({"device": id, "name": "mgmt0", "type": "virtual"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Device names are unique per site.
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/devices/",
            Some(json!({"name": "sw1", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, _) = srv
        .call("DELETE", &format!("/api/dcim/devices/{id}/"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.get("/api/dcim/interfaces/").await["count"],
        0,
        "components go with the device"
    );
    assert_eq!(srv.get("/api/dcim/front-ports/").await["count"], 0);
});

on_each_backend!(modules_get_components_named_after_their_bay, |srv| {
    let b = base(&srv).await;
    let chassis = device_type(&srv, &b, "Chassis", json!({})).await;
    srv.post(
        "/api/dcim/module-bay-templates/",
        json!({"device_type": chassis["id"], "name": "Slot 2", "position": "2"}),
    )
    .await;
    let card = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "LC-8x10G"}),
        )
        .await;
    srv.post(
        "/api/dcim/interface-templates/",
        json!({"module_type": card["id"], "name": "xe-{module}/0/1", "type": "10gbase-x-sfpp"}),
    )
    .await;
    let dev = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "r1", "device_type": chassis["id"], "role": b.role["id"], "site": b.site["id"]}),
        )
        .await;
    let bay = srv
        .get(&format!("/api/dcim/module-bays/?device_id={}", dev["id"]))
        .await["results"][0]
        .clone();
    assert_eq!(bay["name"], "Slot 2");
    let module = srv
        .post(
            "/api/dcim/modules/",
            json!({"device": dev["id"], "module_bay": bay["id"], "module_type": card["id"]}),
        )
        .await;
    let ifaces = srv
        .get(&format!("/api/dcim/interfaces/?device_id={}", dev["id"]))
        .await;
    assert_eq!(ifaces["results"][0]["name"], "xe-2/0/1");
    assert_eq!(ifaces["results"][0]["module"]["id"], module["id"]);
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/dcim/modules/{}/", module["id"]),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.get(&format!("/api/dcim/interfaces/?device_id={}", dev["id"]))
            .await["count"],
        0
    );
});

on_each_backend!(rack_placement_rules, |srv| {
    let b = base(&srv).await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R1", "site": b.site["id"], "u_height": 42}),
        )
        .await;
    assert_eq!(
        rack["width"],
        json!({"value": 19, "label": "19 inches"}),
        "integer choices"
    );
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/racks/{}/", rack["id"]),
            Some(json!({"width": 18})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (_, opts) = srv.call("OPTIONS", "/api/dcim/racks/", None).await;
    assert_eq!(opts["actions"]["POST"]["width"]["choices"][1]["value"], 19);
    let two_u = device_type(
        &srv,
        &b,
        "Big",
        json!({"u_height": 2, "is_full_depth": true}),
    )
    .await;
    let half = device_type(
        &srv,
        &b,
        "Half",
        json!({"u_height": 1, "is_full_depth": false}),
    )
    .await;
    let zero = device_type(&srv, &b, "PDU", json!({"u_height": 0})).await;
    let thin = device_type(
        &srv,
        &b,
        "Thin",
        json!({"u_height": 0.5, "is_full_depth": false}),
    )
    .await;
    let place = |name: &str, dt: &Value, pos: Value, face: &str| {
        json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"],
               "rack": rack["id"], "position": pos, "face": face})
    };
    srv.post(
        "/api/dcim/devices/",
        place("big", &two_u, json!(10), "front"),
    )
    .await;
    let clash = |body: Value| {
        let srv = &srv;
        async move {
            let (s, e) = srv.call("POST", "/api/dcim/devices/", Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
            e
        }
    };
    let e = clash(place("x", &half, json!(11), "rear")).await;
    assert!(
        e["position"][0]
            .as_str()
            .unwrap()
            .starts_with("U11.0 is already occupied"),
        "{e}"
    );
    clash(place("x", &two_u, json!(42), "front")).await;
    clash(place("x", &zero, json!(5), "front")).await;
    clash(place("x", &half, json!(5), "")).await;
    srv.post(
        "/api/dcim/devices/",
        place("h-front", &half, json!(12), "front"),
    )
    .await;
    srv.post(
        "/api/dcim/devices/",
        place("h-rear", &half, json!(12), "rear"),
    )
    .await;
    srv.post(
        "/api/dcim/devices/",
        place("thin", &thin, json!(20.5), "front"),
    )
    .await;
    clash(place("x", &thin, json!(20.5), "front")).await;
    // 0U devices live in the rack without a position.
    let pdu = json!({"name": "pdu", "device_type": zero["id"], "role": b.role["id"], "site": b.site["id"], "rack": rack["id"]});
    srv.post("/api/dcim/devices/", pdu).await;

    let elev = srv
        .get(&format!(
            "/api/dcim/racks/{}/elevation/?limit=0",
            rack["id"]
        ))
        .await;
    assert_eq!(elev["count"], 84);
    let units = elev["results"].as_array().unwrap();
    assert_eq!(units[0]["name"], "U42.5");
    assert_eq!(units[1]["name"], "U42");
    let at = |id: f64| {
        units
            .iter()
            .find(|u| u["id"].as_f64() == Some(id))
            .unwrap()
            .clone()
    };
    assert_eq!(at(10.0)["device"]["name"], "big");
    assert_eq!(at(11.5)["device"]["name"], "big");
    assert_eq!(at(12.0)["device"]["name"], "h-front");
    assert_eq!(at(20.5)["device"]["name"], "thin");
    assert_eq!(at(21.0)["occupied"], false);
    let rear = srv
        .get(&format!(
            "/api/dcim/racks/{}/elevation/?face=rear&limit=0",
            rack["id"]
        ))
        .await;
    let rear_at = |id: f64| {
        rear["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"].as_f64() == Some(id))
            .unwrap()
            .clone()
    };
    assert_eq!(
        rear_at(10.0)["device"]["name"],
        "big",
        "full depth shows on both faces"
    );
    assert_eq!(rear_at(12.0)["device"]["name"], "h-rear");
    assert_eq!(rear_at(20.5)["occupied"], false);
    // `q` keeps the units whose id or name contains it.
    let found = srv
        .get(&format!(
            "/api/dcim/racks/{}/elevation/?q=u2&limit=0",
            rack["id"]
        ))
        .await;
    let names: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 22, "U2, U2.5 and U20-U29.5: {names:?}");
    assert!(names.iter().all(|n| n.starts_with("U2")));
    // Collapsed devices show on their bottom unit only; an excluded one not at all.
    let big = at(10.0)["device"]["id"].clone();
    let unit = |query: String, id: f64| {
        let srv = &srv;
        let rack = rack["id"].clone();
        async move {
            let e = srv
                .get(&format!(
                    "/api/dcim/racks/{rack}/elevation/?limit=0&{query}"
                ))
                .await;
            e["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["id"].as_f64() == Some(id))
                .unwrap()
                .clone()
        }
    };
    let bottom = unit("expand_devices=false".into(), 10.0).await;
    assert_eq!(bottom["device"]["id"], big);
    assert!(bottom.get("height").is_none(), "no key NetBox lacks");
    assert!(unit("expand_devices=false".into(), 11.5).await["device"].is_null());
    assert!(unit(format!("exclude={big}"), 10.0).await["device"].is_null());
    let (s, headers, _) = srv
        .raw(
            "GET",
            &format!("/api/dcim/racks/{}/elevation/?render=svg", rack["id"]),
            Some(crate::harness::TOKEN),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert_eq!(
        srv.get(&format!("/api/dcim/devices/?rack_id={}", rack["id"]))
            .await["count"],
        5
    );
});

on_each_backend!(interface_relations_stay_on_one_device, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let mk = |name: &str| json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]});
    let d1 = srv.post("/api/dcim/devices/", mk("d1")).await;
    let d2 = srv.post("/api/dcim/devices/", mk("d2")).await;
    let lag = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d1["id"], "name": "ae0", "type": "lag"}),
        )
        .await;
    let phys = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d1["id"], "name": "et0", "type": "10gbase-t"}),
        )
        .await;
    srv.post(
        "/api/dcim/interfaces/",
        json!({"device": d1["id"], "name": "et1", "type": "10gbase-t", "lag": lag["id"]}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/interfaces/",
            Some(json!({"device": d2["id"], "name": "et0", "type": "10gbase-t", "lag": lag["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["lag"].is_array());
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/interfaces/",
            Some(
                json!({"device": d1["id"], "name": "et2", "type": "10gbase-t", "lag": phys["id"]}),
            ),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a LAG must be a LAG interface: {e}"
    );
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/interfaces/",
            Some(
                json!({"device": d2["id"], "name": "sub", "type": "virtual", "parent": phys["id"]}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
});

on_each_backend!(device_filters, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let other = srv
        .post("/api/dcim/sites/", json!({"name": "dc2", "slug": "dc2"}))
        .await;
    let dev_a = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "a", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}),
        )
        .await;
    srv.post(
        "/api/dcim/devices/",
        json!({"name": "b", "device_type": dt["id"], "role": b.role["id"], "site": other["id"]}),
    )
    .await;
    let count = |q: String| {
        let srv = &srv;
        async move {
            srv.get(&format!("/api/dcim/devices/?{q}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count(format!("site_id={}", other["id"])).await, 1);
    assert_eq!(count("site=dc1".into()).await, 1);
    assert_eq!(count("role=leaf".into()).await, 2);
    assert_eq!(count("manufacturer=acme".into()).await, 2);
    assert_eq!(count(format!("device_type_id={}", dt["id"])).await, 2);
    assert_eq!(count("has_primary_ip=false".into()).await, 2);
    assert_eq!(count("has_primary_ip=true".into()).await, 0);
    assert_eq!(count("virtual_chassis_member=false".into()).await, 2);
    assert_eq!(count("virtual_chassis_member=true".into()).await, 0);
    assert_eq!(count("interfaces=true".into()).await, 0);
    srv.post(
        "/api/dcim/interfaces/",
        json!({"device": dev_a["id"], "name": "e0", "type": "virtual"}),
    )
    .await;
    assert_eq!(count("interfaces=true".into()).await, 1);
    assert_eq!(count("interfaces=false".into()).await, 1);
    assert_eq!(count("q=b".into()).await, 1);
});

const SWITCH_YAML: &str = "\
manufacturer: Juniper Networks
model: QFX5120-48Y
slug: qfx5120-48y
u_height: 1
is_full_depth: true
airflow: front-to-rear
console-ports:
  - name: Console
    type: rj-45
power-ports:
  - name: PSU0
    type: iec-60320-c14
    maximum_draw: 350
power-outlets:
  - name: Out0
    type: iec-60320-c13
    power_port: PSU0
interfaces:
  - name: xe-0/0/0
    type: 25gbase-x-sfp28
  - name: xe-0/0/1
    type: 25gbase-x-sfp28
  - name: em0
    type: 1000base-t
    mgmt_only: true
rear-ports:
  - name: R1
    type: lc
    positions: 4
front-ports:
  - name: F1
    type: lc
    rear_port: R1
    rear_port_position: 3
";

const CARD_YAML: &str = "\
manufacturer: Juniper Networks
model: SFP-LR
interfaces:
  - name: optic{module}
    type: 10gbase-lr
";

const BAD_YAML: &str = "\
manufacturer: Nowhere
model: Broken
slug: broken
u_height: 1
interfaces:
  - name: eth0
    type: not-a-real-type
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_type_library_import() {
    for backend in crate::harness::backends() {
        let srv = tokio::task::spawn_blocking(move || Server::new(backend))
            .await
            .expect("server");
        let dir =
            std::env::temp_dir().join(format!("cairn-import-{}-{backend:?}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("device-types/Juniper")).unwrap();
        std::fs::create_dir_all(dir.join("module-types/Juniper")).unwrap();
        std::fs::write(dir.join("device-types/Juniper/qfx5120.yaml"), SWITCH_YAML).unwrap();
        std::fs::write(dir.join("module-types/Juniper/sfp-lr.yml"), CARD_YAML).unwrap();
        std::fs::write(dir.join("device-types/broken.yaml"), BAD_YAML).unwrap();
        std::fs::write(dir.join("device-types/notes.txt"), "not yaml").unwrap();
        let store = srv.store.clone();
        let d = dir.clone();
        let run = move || {
            let actor = cairn_store::Actor::default();
            cairn_api::import::import_tree(&store, &actor, &d).expect("walk")
        };
        let first = tokio::task::spawn_blocking(run.clone()).await.unwrap();
        use cairn_api::import::Outcome;
        let outcome = |rs: &[cairn_api::import::FileResult], name: &str| {
            rs.iter()
                .find(|r| r.path.ends_with(name))
                .map(|r| match &r.outcome {
                    Outcome::Created(_) => "created",
                    Outcome::Present(_) => "present",
                    Outcome::Rejected(_) => "rejected",
                })
        };
        assert_eq!(first.len(), 3, "only YAML files are read");
        assert_eq!(outcome(&first, "qfx5120.yaml"), Some("created"));
        assert_eq!(outcome(&first, "sfp-lr.yml"), Some("created"));
        assert_eq!(outcome(&first, "broken.yaml"), Some("rejected"));
        let why = first
            .iter()
            .find(|r| r.path.ends_with("broken.yaml"))
            .unwrap();
        assert!(
            format!("{:?}", why.outcome).contains("interfaces[0]"),
            "{:?}",
            why.outcome
        );

        let dt = srv.get("/api/dcim/device-types/?slug=qfx5120-48y").await["results"][0].clone();
        assert_eq!(dt["manufacturer"]["name"], "Juniper Networks");
        assert_eq!(dt["airflow"]["value"], "front-to-rear");
        assert_eq!(
            srv.get(&format!(
                "/api/dcim/interface-templates/?device_type_id={}",
                dt["id"]
            ))
            .await["count"],
            3
        );
        let fp = srv
            .get(&format!(
                "/api/dcim/front-port-templates/?device_type_id={}",
                dt["id"]
            ))
            .await;
        assert_eq!(fp["results"][0]["rear_port"]["name"], "R1");
        let po = srv
            .get(&format!(
                "/api/dcim/power-outlet-templates/?device_type_id={}",
                dt["id"]
            ))
            .await;
        assert_eq!(po["results"][0]["power_port"]["name"], "PSU0");
        assert_eq!(
            srv.get("/api/dcim/module-types/?model=SFP-LR").await["count"],
            1
        );
        assert_eq!(
            srv.get("/api/dcim/manufacturers/?name=Nowhere").await["count"],
            0,
            "a rejected file writes nothing"
        );

        let again = tokio::task::spawn_blocking(run).await.unwrap();
        assert_eq!(outcome(&again, "qfx5120.yaml"), Some("present"));
        assert_eq!(outcome(&again, "sfp-lr.yml"), Some("present"));
        assert_eq!(
            srv.get("/api/dcim/interface-templates/").await["count"],
            4,
            "re-running adds nothing"
        );
        let _ = std::fs::remove_dir_all(&dir);
        tokio::task::spawn_blocking(move || drop(srv))
            .await
            .unwrap();
    }
}

on_each_backend!(virtual_chassis_rules_and_member_interfaces, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let vc = srv
        .post("/api/dcim/virtual-chassis/", json!({"name": "vc1"}))
        .await;
    let member = |name: &str, pos: i64| {
        json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"],
               "virtual_chassis": vc["id"], "vc_position": pos})
    };
    let m1 = srv.post("/api/dcim/devices/", member("m1", 1)).await;
    let m2 = srv.post("/api/dcim/devices/", member("m2", 2)).await;
    let (s, e) = srv
        .call("POST", "/api/dcim/devices/", Some(member("m3", 2)))
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "positions are unique in a chassis: {e}"
    );
    let mut no_pos = member("m4", 0);
    no_pos.as_object_mut().unwrap().remove("vc_position");
    let (s, e) = srv.call("POST", "/api/dcim/devices/", Some(no_pos)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["vc_position"].is_array(), "{e}");
    let outsider = srv
        .post("/api/dcim/devices/", json!({"name": "o", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}))
        .await;
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/virtual-chassis/{}/", vc["id"]),
            Some(json!({"master": outsider["id"]})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "the master must be a member: {e}"
    );
    let (s, _) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/virtual-chassis/{}/", vc["id"]),
            Some(json!({"master": m1["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    for (d, n) in [(&m1, "et-0/0/0"), (&m2, "et-1/0/0")] {
        srv.post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": n, "type": "10gbase-t"}),
        )
        .await;
    }
    srv.post(
        "/api/dcim/interfaces/",
        json!({"device": m2["id"], "name": "em0", "type": "1000base-t", "mgmt_only": true}),
    )
    .await;
    let q = |p: String| {
        let srv = &srv;
        async move {
            srv.get(&format!("/api/dcim/interfaces/?{p}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(q(format!("device_id={}", m1["id"])).await, 1);
    assert_eq!(
        q(format!("virtual_chassis_member_or_master_id={}", m1["id"])).await,
        2,
        "the master sees members' interfaces"
    );
    assert_eq!(
        q(format!("virtual_chassis_member_or_master_id={}", m2["id"])).await,
        2,
        "a member sees its own only"
    );
    assert_eq!(
        q(format!("virtual_chassis_member_id={}", m2["id"])).await,
        3
    );
    assert_eq!(
        srv.get(&format!("/api/dcim/virtual-chassis/{}/", vc["id"]))
            .await["member_count"],
        2
    );
    // A chassis created with a master enrolls it at position 1 (NetBox's signal).
    let vc2 = srv
        .post(
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc2", "master": outsider["id"]}),
        )
        .await;
    assert_eq!(vc2["master"]["id"], outsider["id"]);
    let enrolled = srv
        .get(&format!("/api/dcim/devices/{}/", outsider["id"]))
        .await;
    assert_eq!(enrolled["virtual_chassis"]["id"], vc2["id"]);
    assert_eq!(enrolled["vc_position"], 1);
    assert_eq!(
        srv.get(&format!("/api/dcim/virtual-chassis/{}/", vc2["id"]))
            .await["member_count"],
        1
    );
});

on_each_backend!(power_feeds_and_reservations, |srv| {
    let b = base(&srv).await;
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": b.site["id"]}),
        )
        .await;
    let feed = srv
        .post(
            "/api/dcim/power-feeds/",
            json!({"name": "F1", "power_panel": panel["id"], "voltage": 230, "amperage": 32, "phase": "three-phase", "max_utilization": 80}),
        )
        .await;
    // 230 V × 32 A × 80 % × √3
    assert_eq!(
        srv.get("/api/dcim/power-feeds/?available_power=10198")
            .await["count"],
        1,
        "{feed}"
    );
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/power-feeds/",
            Some(json!({"name": "F2", "power_panel": panel["id"], "voltage": -230})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R", "site": b.site["id"], "u_height": 10}),
        )
        .await;
    let admin = srv.get("/api/users/users/?username=admin").await["results"][0]["id"].clone();
    srv.post(
        "/api/dcim/rack-reservations/",
        json!({"rack": rack["id"], "units": [1, 2], "user": admin, "description": "a"}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/rack-reservations/",
            Some(json!({"rack": rack["id"], "units": [2, 3], "user": admin, "description": "b"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["units"][0]
            .as_str()
            .unwrap()
            .contains("already been reserved: 2"),
        "{e}"
    );
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/rack-reservations/",
            Some(json!({"rack": rack["id"], "units": [11], "user": admin, "description": "c"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "unit 11 is not in a 10U rack");
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/rack-reservations/",
            Some(json!({"rack": rack["id"], "units": [], "user": admin, "description": "d"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e, json!({"units": ["This field cannot be blank."]}));
    // A reservation's own units do not conflict with themselves on update.
    let own = srv.get("/api/dcim/rack-reservations/").await["results"][0].clone();
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/rack-reservations/{}/", own["id"]),
            Some(json!({"description": "again"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
});

on_each_backend!(computed_relations_show_real_objects, |srv| {
    let b = base(&srv).await;
    let chassis = device_type(&srv, &b, "Chassis", json!({"subdevice_role": "parent"})).await;
    let blade = device_type(
        &srv,
        &b,
        "Blade",
        json!({"subdevice_role": "child", "u_height": 0}),
    )
    .await;
    let plain = device_type(&srv, &b, "Plain", json!({})).await;
    let mk = |name: &str, dt: &Value| json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]});
    let parent = srv.post("/api/dcim/devices/", mk("enc", &chassis)).await;
    let child = srv.post("/api/dcim/devices/", mk("blade1", &blade)).await;
    let other = srv.post("/api/dcim/devices/", mk("plain", &plain)).await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/device-bays/",
            Some(json!({"device": other["id"], "name": "b"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "bays only on parent types");
    let bay = srv
        .post(
            "/api/dcim/device-bays/",
            json!({"device": parent["id"], "name": "slot1"}),
        )
        .await;
    srv.call(
        "PATCH",
        &format!("/api/dcim/device-bays/{}/", bay["id"]),
        Some(json!({"installed_device": child["id"]})),
    )
    .await;
    let c = srv
        .get(&format!("/api/dcim/devices/{}/", child["id"]))
        .await;
    assert_eq!(c["parent_device"]["id"], parent["id"]);
    assert_eq!(c["parent_device"]["device_bay"]["id"], bay["id"]);
    assert!(srv
        .get(&format!("/api/dcim/devices/{}/", parent["id"]))
        .await["parent_device"]
        .is_null());

    let iface = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": other["id"], "name": "eth0", "type": "1000base-t"}),
        )
        .await;
    let mac = srv
        .post("/api/dcim/mac-addresses/", json!({"mac_address": "02:00:00:00:00:01", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}))
        .await;
    srv.call(
        "PATCH",
        &format!("/api/dcim/interfaces/{}/", iface["id"]),
        Some(json!({"primary_mac_address": mac["id"]})),
    )
    .await;
    let i = srv
        .get(&format!("/api/dcim/interfaces/{}/", iface["id"]))
        .await;
    assert_eq!(i["mac_address"], "02:00:00:00:00:01");
    assert_eq!(i["mac_addresses"][0]["id"], mac["id"]);
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/mac-addresses/{}/", mac["id"]),
            Some(json!({"assigned_object_type": null, "assigned_object_id": null})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "the primary MAC stays: {e}");
    assert!(e["__all__"][0]
        .as_str()
        .unwrap()
        .starts_with("Cannot unassign MAC Address"));
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/interfaces/{}/", iface["id"]),
            Some(json!({"device": parent["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(
        e["device"][0],
        "Components cannot be moved to a different device."
    );

    let vc = srv
        .post("/api/dcim/virtual-chassis/", json!({"name": "vc"}))
        .await;
    srv.call(
        "PATCH",
        &format!("/api/dcim/devices/{}/", other["id"]),
        Some(json!({"virtual_chassis": vc["id"], "vc_position": 1})),
    )
    .await;
    let vc = srv
        .get(&format!("/api/dcim/virtual-chassis/{}/", vc["id"]))
        .await;
    assert_eq!(vc["members"][0]["name"], "plain");
});

on_each_backend!(module_profiles_and_power_draw, |srv| {
    let b = base(&srv).await;
    let profile = srv
        .post(
            "/api/dcim/module-type-profiles/",
            json!({"name": "Optic", "schema": {"type": "object", "properties": {"reach_km": {"type": "integer", "minimum": 1}}, "required": ["reach_km"]}}),
        )
        .await;
    let ok = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "LR", "profile": profile["id"], "attributes": {"reach_km": 10}}),
        )
        .await;
    assert_eq!(ok["attributes"]["reach_km"], 10);
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/module-types/",
            Some(json!({"manufacturer": b.maker["id"], "model": "ER", "profile": profile["id"], "attributes": {"reach_km": "far"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Invalid schema: 'far' is not of type 'integer'"
    );
    let plain = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "Blank", "attributes": {"x": 1}}),
        )
        .await;
    assert!(plain["attributes"].is_null(), "no profile, no attributes");

    // Attributes given on update add to the stored ones.
    let profile2 = srv
        .post(
            "/api/dcim/module-type-profiles/",
            json!({"name": "Optic2", "schema": {"properties": {"reach_km": {"type": "integer"}, "band": {"type": "string"}}}}),
        )
        .await;
    let two = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "ZR", "profile": profile2["id"], "attributes": {"reach_km": 80, "band": "C"}}),
        )
        .await;
    let two = srv
        .patch(
            &format!("/api/dcim/module-types/{}/", two["id"]),
            json!({"attributes": {"reach_km": 120}}),
        )
        .await;
    assert_eq!(two["attributes"], json!({"reach_km": 120, "band": "C"}));

    // A profile's schema defines properties and is a schema.
    for (schema, msg) in [
        (json!([1, 2]), "Invalid JSON schema definition"),
        (
            json!({"type": "object"}),
            "JSON schema must define properties",
        ),
        (
            json!({"properties": {"a": {"type": "nope"}}}),
            "Invalid JSON schema definition: 'nope' is not valid under any of the given schemas",
        ),
    ] {
        let (s, e) = srv
            .call(
                "POST",
                "/api/dcim/module-type-profiles/",
                Some(json!({"name": "bad", "schema": schema})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e, json!({"schema": [msg]}));
    }

    let dt = device_type(&srv, &b, "PSU", json!({})).await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/power-port-templates/",
            Some(json!({"device_type": dt["id"], "name": "PSU0", "maximum_draw": 100, "allocated_draw": 150})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "allocated draw is at most the maximum"
    );
});

on_each_backend!(interface_type_rules, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let d = srv
        .post("/api/dcim/devices/", json!({"name": "d", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}))
        .await;
    let lag = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": "ae0", "type": "lag"}),
        )
        .await;
    let phys = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": "et0", "type": "10gbase-t"}),
        )
        .await;
    let bad = |body: serde_json::Value, field: &'static str| {
        let srv = &srv;
        async move {
            let (s, e) = srv.call("POST", "/api/dcim/interfaces/", Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
            assert!(e[field].is_array(), "{field}: {e}");
            e
        }
    };
    let e = bad(
        json!({"device": d["id"], "name": "v0", "type": "virtual", "lag": lag["id"]}),
        "lag",
    )
    .await;
    assert_eq!(
        e["lag"][0],
        "Virtual interfaces cannot have a parent LAG interface."
    );
    bad(
        json!({"device": d["id"], "name": "p0", "type": "10gbase-t", "parent": phys["id"]}),
        "parent",
    )
    .await;
    bad(json!({"device": d["id"], "name": "w0", "type": "10gbase-t", "rf_channel": "2.4g-1-2412-22"}), "rf_channel").await;
    bad(
        json!({"device": d["id"], "name": "c0", "type": "virtual", "mark_connected": true}),
        "mark_connected",
    )
    .await;
    let vlan = srv
        .post("/api/ipam/vlans/", json!({"vid": 10, "name": "ten"}))
        .await;
    bad(
        json!({"device": d["id"], "name": "u0", "type": "10gbase-t", "untagged_vlan": vlan["id"]}),
        "untagged_vlan",
    )
    .await;
    let sub = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": "et0.10", "type": "virtual", "parent": phys["id"]}),
        )
        .await;
    assert_eq!(sub["parent"]["id"], phys["id"]);
    let trunk = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": "et1", "type": "10gbase-t", "mode": "tagged", "tagged_vlans": [vlan["id"]]}),
        )
        .await;
    assert_eq!(trunk["tagged_vlans"][0]["vid"], 10);
    let (s, access) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/interfaces/{}/", trunk["id"]),
            Some(json!({"mode": "access"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        access["tagged_vlans"],
        json!([]),
        "tagged VLANs go when the mode is not tagged"
    );
    for (mode, body, field) in [
        (
            json!("access"),
            json!({"tagged_vlans": [vlan["id"]]}),
            "tagged_vlans",
        ),
        (
            json!(null),
            json!({"tagged_vlans": [vlan["id"]]}),
            "tagged_vlans",
        ),
        (
            json!("access"),
            json!({"qinq_svlan": vlan["id"]}),
            "qinq_svlan",
        ),
    ] {
        let mut body = body;
        body["device"] = d["id"].clone();
        body["name"] = json!("m0");
        body["type"] = json!("10gbase-t");
        body["mode"] = mode;
        bad(body, field).await;
    }
    let other_site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "Elsewhere", "slug": "elsewhere"}),
        )
        .await;
    let remote = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 20, "name": "remote", "site": other_site["id"]}),
        )
        .await;
    let e = bad(
        json!({"device": d["id"], "name": "a0", "type": "10gbase-t", "mode": "access", "untagged_vlan": remote["id"]}),
        "untagged_vlan",
    )
    .await;
    assert_eq!(
        e["untagged_vlan"][0],
        "The untagged VLAN (remote (20)) must belong to the same site as the interface's parent device, or it must be global."
    );
    let local = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 30, "name": "local", "site": b.site["id"]}),
        )
        .await;
    for (name, vlan) in [("a1", &local), ("a2", &vlan)] {
        srv.post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": name, "type": "10gbase-t", "mode": "access", "untagged_vlan": vlan["id"]}),
        )
        .await;
    }
});

on_each_backend!(port_mapping_items_and_module_nesting, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Panel", json!({})).await;
    let d = srv
        .post("/api/dcim/devices/", json!({"name": "pp", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}))
        .await;
    let rear = srv
        .post(
            "/api/dcim/rear-ports/",
            json!({"device": d["id"], "name": "R", "type": "lc", "positions": 2}),
        )
        .await;
    for n in 1..=2 {
        srv.post(
            "/api/dcim/front-ports/",
            json!({"device": d["id"], "name": format!("F{n}"), "type": "lc", "rear_port": rear["id"], "rear_port_position": n}),
        )
        .await;
    }
    let (s, _) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/rear-ports/{}/", rear["id"]),
            Some(json!({"positions": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "two front ports are mapped");

    let other = srv
        .post("/api/dcim/devices/", json!({"name": "o", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]}))
        .await;
    let item = srv
        .post(
            "/api/dcim/inventory-items/",
            json!({"device": d["id"], "name": "psu"}),
        )
        .await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/inventory-items/",
            Some(json!({"device": other["id"], "name": "fan", "parent": item["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "parents stay on the device");
    let child = srv
        .post(
            "/api/dcim/inventory-items/",
            json!({"device": d["id"], "name": "fan", "parent": item["id"]}),
        )
        .await;
    assert_eq!(
        child["parent"], item["id"],
        "NetBox shows the parent as an id"
    );

    // A module whose bay lies inside itself is refused.
    let card = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "Carrier"}),
        )
        .await;
    let bay = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": d["id"], "name": "slot"}),
        )
        .await;
    let outer = srv
        .post(
            "/api/dcim/modules/",
            json!({"device": d["id"], "module_bay": bay["id"], "module_type": card["id"]}),
        )
        .await;
    let inner_bay = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": d["id"], "name": "sub", "module": outer["id"]}),
        )
        .await;
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/modules/{}/", outer["id"]),
            Some(json!({"module_bay": inner_bay["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
});

on_each_backend!(locations_platforms_and_heights_stay_consistent, |srv| {
    let b = base(&srv).await;
    let other = srv
        .post("/api/dcim/sites/", json!({"name": "dc2", "slug": "dc2"}))
        .await;
    let far = srv
        .post(
            "/api/dcim/locations/",
            json!({"name": "far", "slug": "far", "site": other["id"]}),
        )
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/racks/",
            Some(json!({"name": "R", "site": b.site["id"], "location": far["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Assigned location must belong to parent site (dc1)."
    );
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/power-panels/",
            Some(json!({"name": "P", "site": b.site["id"], "location": far["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let dev = |extra: Value| {
        let mut body = json!({"name": "d", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/devices/",
            Some(dev(json!({"location": far["id"]}))),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["location"][0],
        "Location far does not belong to site dc1."
    );
    let other_maker = srv
        .post(
            "/api/dcim/manufacturers/",
            json!({"name": "Other", "slug": "other"}),
        )
        .await;
    let platform = srv
        .post(
            "/api/dcim/platforms/",
            json!({"name": "OS", "slug": "os", "manufacturer": other_maker["id"]}),
        )
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/devices/",
            Some(dev(json!({"platform": platform["id"]}))),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["platform"][0]
        .as_str()
        .unwrap()
        .contains("limited to Other device types"));
    let (s, _) = srv
        .call("POST", "/api/dcim/device-types/", Some(json!({"manufacturer": b.maker["id"], "model": "Odd", "slug": "odd", "u_height": 1.3})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "half units only");
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/device-types/",
            Some(json!({"manufacturer": b.maker["id"], "model": "Blade", "slug": "blade", "u_height": 1, "subdevice_role": "child"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["u_height"][0], "Child device types must be 0U.");
});

on_each_backend!(nested_modules_and_rack_numbering, |srv| {
    let b = base(&srv).await;
    let chassis = device_type(&srv, &b, "Router", json!({})).await;
    srv.post(
        "/api/dcim/module-bay-templates/",
        json!({"device_type": chassis["id"], "name": "FPC3", "position": "3"}),
    )
    .await;
    let fpc = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "FPC"}),
        )
        .await;
    srv.post(
        "/api/dcim/module-bay-templates/",
        json!({"module_type": fpc["id"], "name": "PIC1", "position": "1"}),
    )
    .await;
    let pic = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": b.maker["id"], "model": "PIC"}),
        )
        .await;
    srv.post(
        "/api/dcim/interface-templates/",
        json!({"module_type": pic["id"], "name": "et-{module}/{module}/0", "type": "100gbase-x-qsfp28"}),
    )
    .await;
    let dev = srv
        .post("/api/dcim/devices/", json!({"name": "mx", "device_type": chassis["id"], "role": b.role["id"], "site": b.site["id"]}))
        .await;
    let bay = srv
        .get(&format!(
            "/api/dcim/module-bays/?device_id={}&name=FPC3",
            dev["id"]
        ))
        .await["results"][0]
        .clone();
    let outer = srv
        .post(
            "/api/dcim/modules/",
            json!({"device": dev["id"], "module_bay": bay["id"], "module_type": fpc["id"]}),
        )
        .await;
    let sub = srv
        .get(&format!(
            "/api/dcim/module-bays/?device_id={}&name=PIC1",
            dev["id"]
        ))
        .await["results"][0]
        .clone();
    assert_eq!(
        sub["module"]["id"], outer["id"],
        "the module's own bays come with it"
    );
    srv.post(
        "/api/dcim/modules/",
        json!({"device": dev["id"], "module_bay": sub["id"], "module_type": pic["id"]}),
    )
    .await;
    let names: Vec<String> = srv
        .get(&format!("/api/dcim/interfaces/?device_id={}", dev["id"]))
        .await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["et-3/1/0"],
        "each {{module}} takes the next bay position outward-in"
    );

    // Units start where the rack says and may run upwards.
    let rack = srv
        .post("/api/dcim/racks/", json!({"name": "R", "site": b.site["id"], "u_height": 10, "starting_unit": 5, "desc_units": true}))
        .await;
    let one_u = device_type(&srv, &b, "1U", json!({"u_height": 1})).await;
    let place = |name: &str, pos: i64| json!({"name": name, "device_type": one_u["id"], "role": b.role["id"], "site": b.site["id"], "rack": rack["id"], "position": pos, "face": "front"});
    let (s, _) = srv
        .call("POST", "/api/dcim/devices/", Some(place("low", 4)))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "below the starting unit");
    let (s, _) = srv
        .call("POST", "/api/dcim/devices/", Some(place("high", 15)))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "above the last unit (14)");
    srv.post("/api/dcim/devices/", place("ok", 14)).await;
    let elev = srv
        .get(&format!(
            "/api/dcim/racks/{}/elevation/?limit=0",
            rack["id"]
        ))
        .await;
    let units = elev["results"].as_array().unwrap();
    assert_eq!(elev["count"], 20);
    assert_eq!(
        units[0]["name"], "U5",
        "descending numbering lists the lowest unit first"
    );
    assert_eq!(units[19]["name"], "U14.5");
    assert_eq!(units[18]["device"]["name"], "ok");
});

on_each_backend!(value_rules_of_sites_devices_racks_and_feeds, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "r1", "site": b.site["id"]}),
        )
        .await;
    let refused = |path: &'static str, body: Value, key: &'static str| {
        let srv = &srv;
        async move {
            let (s, err) = srv.call("POST", path, Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {err}");
            assert!(err[key].is_array(), "{path}: {err}");
            err[key][0].as_str().unwrap_or_default().to_string()
        }
    };
    assert_eq!(
        refused(
            "/api/dcim/sites/",
            json!({"name": "mars", "slug": "mars", "time_zone": "Mars/Olympus"}),
            "time_zone"
        )
        .await,
        "A valid timezone is required."
    );
    let berlin = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "ber", "slug": "ber", "time_zone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(berlin["time_zone"], "Europe/Berlin");
    let device = json!({"name": "d", "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"], "rack": rack["id"], "face": "front"});
    let mut off_step = device.clone();
    off_step["position"] = json!(1.3);
    assert_eq!(
        refused("/api/dcim/devices/", off_step, "position").await,
        "Position must be in increments of 0.5 rack units."
    );
    let mut list_context = device.clone();
    list_context["local_context_data"] = json!([1, 2]);
    assert!(
        refused("/api/dcim/devices/", list_context, "local_context_data")
            .await
            .starts_with("JSON data must be in object form.")
    );
    let mut ok = device.clone();
    ok["position"] = json!(1.5);
    ok["local_context_data"] = json!({"ntp": ["192.0.2.1"]});
    let made = srv.post("/api/dcim/devices/", ok).await;
    assert_eq!(made["position"], 1.5);

    assert_eq!(
        refused(
            "/api/dcim/racks/",
            json!({"name": "r2", "site": b.site["id"], "outer_width": 600}),
            "__all__"
        )
        .await,
        "Must specify a unit when setting an outer dimension"
    );
    assert_eq!(
        refused(
            "/api/dcim/rack-types/",
            json!({"manufacturer": b.maker["id"], "model": "R", "slug": "r", "form_factor": "4-post-cabinet", "max_weight": 500}),
            "__all__"
        )
        .await,
        "Must specify a unit when setting a maximum weight"
    );
    srv.post(
        "/api/dcim/racks/",
        json!({"name": "r3", "site": b.site["id"], "outer_width": 600, "outer_unit": "mm"}),
    )
    .await;
    let (s, err) = srv
        .call(
            "POST",
            "/api/dcim/device-types/",
            Some(json!({"manufacturer": b.maker["id"], "model": "Heavy", "slug": "heavy", "weight": 12})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(
        err["__all__"][0],
        "Must specify a unit when setting a weight"
    );
    device_type(
        &srv,
        &b,
        "Weighed",
        json!({"weight": 12, "weight_unit": "kg"}),
    )
    .await;

    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "p", "site": b.site["id"]}),
        )
        .await;
    assert_eq!(
        refused(
            "/api/dcim/power-feeds/",
            json!({"name": "f", "power_panel": panel["id"], "voltage": 0}),
            "voltage"
        )
        .await,
        "This value may not be [0]."
    );
    let feed = srv
        .post(
            "/api/dcim/power-feeds/",
            json!({"name": "f", "power_panel": panel["id"], "voltage": -48, "supply": "dc"}),
        )
        .await;
    assert_eq!(feed["voltage"], -48);
    assert_eq!(srv.count("/api/dcim/racks/?name=r2").await, 0);
});

on_each_backend!(device_names_are_unique_in_any_case, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let body = |name: &str| json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]});
    srv.post("/api/dcim/devices/", body("core1")).await;
    let (st, got) = srv
        .call("POST", "/api/dcim/devices/", Some(body("CORE1")))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"__all__": ["Device name must be unique per site."]})
    );
    assert_eq!(srv.count("/api/dcim/devices/").await, 1);
});

on_each_backend!(chassis_masters_stay_and_deletes_free_members, |srv| {
    let b = base(&srv).await;
    let dt = device_type(&srv, &b, "Box", json!({})).await;
    let dev = |name: &str| json!({"name": name, "device_type": dt["id"], "role": b.role["id"], "site": b.site["id"]});
    let m1 = srv.post("/api/dcim/devices/", dev("m1")).await;
    let vc = srv
        .post(
            "/api/dcim/virtual-chassis/",
            json!({"name": "vc1", "master": m1["id"]}),
        )
        .await;
    let mut second = dev("m2");
    second["virtual_chassis"] = vc["id"].clone();
    second["vc_position"] = json!(2);
    second["vc_priority"] = json!(10);
    let m2 = srv.post("/api/dcim/devices/", second).await;
    let (st, got) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/devices/{}/", m1["id"]),
            Some(json!({"virtual_chassis": null, "vc_position": null})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"virtual_chassis": ["Device cannot be removed from virtual chassis vc1 because it is currently designated as its master."]})
    );

    // A LAG across members keeps the chassis; without it, members lose their places.
    let lag = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": m1["id"], "name": "ae0", "type": "lag"}),
        )
        .await;
    let port = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": m2["id"], "name": "xe0", "type": "10gbase-x-sfpp", "lag": lag["id"]}),
        )
        .await;
    let vc_url = format!("/api/dcim/virtual-chassis/{}/", vc["id"]);
    let (st, got) = srv.call("DELETE", &vc_url, None).await;
    assert_eq!(st, StatusCode::CONFLICT, "{got}");
    srv.patch(
        &format!("/api/dcim/interfaces/{}/", port["id"]),
        json!({"lag": null}),
    )
    .await;
    let (st, _) = srv.call("DELETE", &vc_url, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let m2 = srv.get(&format!("/api/dcim/devices/{}/", m2["id"])).await;
    assert_eq!(m2["virtual_chassis"], Value::Null);
    assert_eq!(m2["vc_position"], Value::Null);
    assert_eq!(m2["vc_priority"], Value::Null);
});
