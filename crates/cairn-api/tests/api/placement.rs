//! Where things are, as NetBox 4.4 keeps it: rack types shape their racks, containers
//! that move take what is inside along, racks keep room for their devices, a device's
//! rack and location agree, and a full update (PUT) resets what the serializer defaults.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::Server;
use crate::on_each_backend;

async fn site(srv: &Server, name: &str) -> Value {
    srv.post("/api/dcim/sites/", json!({"name": name, "slug": name}))
        .await
}

async fn location(srv: &Server, name: &str, site: &Value, parent: Option<&Value>) -> Value {
    srv.post(
        "/api/dcim/locations/",
        json!({"name": name, "slug": name, "site": site["id"], "parent": parent.map(|p| p["id"].clone())}),
    )
    .await
}

/// A 2U device type and a role, made once per server.
async fn device_kit(srv: &Server) -> (Value, Value, Value) {
    let maker = srv
        .post(
            "/api/dcim/manufacturers/",
            json!({"name": "Acme", "slug": "acme"}),
        )
        .await;
    let two_u = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "2U", "slug": "2u", "u_height": 2}),
        )
        .await;
    let role = srv
        .post("/api/dcim/device-roles/", json!({"name": "r", "slug": "r"}))
        .await;
    (maker, two_u, role)
}

on_each_backend!(rack_types_shape_their_racks, |srv| {
    let s = site(&srv, "s1").await;
    let (maker, _, _) = device_kit(&srv).await;
    let rt = srv
        .post(
            "/api/dcim/rack-types/",
            json!({"manufacturer": maker["id"], "model": "R48", "slug": "r48", "form_factor": "4-post-cabinet",
                   "u_height": 48, "width": 23, "starting_unit": 2, "outer_width": 600, "outer_unit": "mm"}),
        )
        .await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R1", "site": s["id"], "rack_type": rt["id"], "u_height": 10, "width": 19}),
        )
        .await;
    assert_eq!(rack["u_height"], 48, "{rack}");
    assert_eq!(rack["width"]["value"], 23);
    assert_eq!(rack["starting_unit"], 2);
    assert_eq!(rack["form_factor"]["value"], "4-post-cabinet");
    assert_eq!(rack["outer_width"], 600);
    assert_eq!(rack["outer_unit"]["value"], "mm");

    // Changing the type changes its racks.
    srv.patch(
        &format!("/api/dcim/rack-types/{}/", rt["id"]),
        json!({"u_height": 44, "outer_width": null}),
    )
    .await;
    let rack = srv.get(&format!("/api/dcim/racks/{}/", rack["id"])).await;
    assert_eq!(rack["u_height"], 44);
    assert_eq!(rack["outer_width"], Value::Null);
    assert_eq!(
        rack["outer_unit"],
        Value::Null,
        "no outer unit without dimensions"
    );
    let rt = srv
        .get(&format!("/api/dcim/rack-types/{}/", rt["id"]))
        .await;
    assert_eq!(rt["outer_unit"], Value::Null);

    // A rack without a type keeps its own attributes; its outer unit goes with its dimensions.
    let own = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R2", "site": s["id"], "u_height": 10, "outer_unit": "in"}),
        )
        .await;
    assert_eq!(own["u_height"], 10);
    assert_eq!(own["outer_unit"], Value::Null);
});

on_each_backend!(racks_keep_room_for_their_devices, |srv| {
    let s = site(&srv, "s1").await;
    let (_, two_u, role) = device_kit(&srv).await;
    let rack = srv
        .post("/api/dcim/racks/", json!({"name": "R1", "site": s["id"]}))
        .await;
    srv.post(
        "/api/dcim/devices/",
        json!({"name": "d1", "device_type": two_u["id"], "role": role["id"], "site": s["id"],
               "rack": rack["id"], "position": 30, "face": "front"}),
    )
    .await;
    srv.post(
        "/api/dcim/devices/",
        json!({"name": "d2", "device_type": two_u["id"], "role": role["id"], "site": s["id"],
               "rack": rack["id"], "position": 5, "face": "rear"}),
    )
    .await;
    let url = format!("/api/dcim/racks/{}/", rack["id"]);
    let (st, body) = srv.call("PATCH", &url, Some(json!({"u_height": 20}))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"u_height": ["Rack must be at least 31.0U tall to house currently installed devices."]})
    );
    let (st, body) = srv
        .call("PATCH", &url, Some(json!({"starting_unit": 6})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"starting_unit": ["Rack unit numbering must begin at 5.0 or less to house currently installed devices."]})
    );
    // Through a rack type, the type's height counts and the error names the type.
    let maker = srv.get("/api/dcim/manufacturers/").await["results"][0].clone();
    let small = srv
        .post(
            "/api/dcim/rack-types/",
            json!({"manufacturer": maker["id"], "model": "R10", "slug": "r10", "form_factor": "2-post-frame", "u_height": 10}),
        )
        .await;
    let (st, body) = srv
        .call("PATCH", &url, Some(json!({"rack_type": small["id"]})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body["rack_type"][0]
        .as_str()
        .is_some_and(|m| m.starts_with("Rack must be at least 31.0U")));
    let (st, _) = srv.call("PATCH", &url, Some(json!({"u_height": 31}))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(srv.get(&url).await["u_height"], 31);
});

on_each_backend!(devices_agree_with_their_rack, |srv| {
    let s = site(&srv, "s1").await;
    let (maker, two_u, role) = device_kit(&srv).await;
    let l1 = location(&srv, "l1", &s, None).await;
    let l2 = location(&srv, "l2", &s, None).await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R1", "site": s["id"], "location": l1["id"]}),
        )
        .await;
    let device = |name: &str, extra: Value| {
        let mut body = json!({"name": name, "device_type": two_u["id"], "role": role["id"], "site": s["id"], "rack": rack["id"]});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    // Without a location the device takes the rack's; another location is refused.
    let d = srv
        .post("/api/dcim/devices/", device("d1", json!({})))
        .await;
    assert_eq!(d["location"]["id"], l1["id"]);
    let (st, body) = srv
        .call(
            "POST",
            "/api/dcim/devices/",
            Some(device("d2", json!({"location": l2["id"]}))),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"rack": ["Rack R1 does not belong to location l2."]})
    );
    // A child device type takes no face and no position in a rack.
    let child = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "blade", "slug": "blade", "u_height": 0, "subdevice_role": "child"}),
        )
        .await;
    let mut body = device("c1", json!({"face": "front"}));
    body["device_type"] = child["id"].clone();
    let (st, body) = srv.call("POST", "/api/dcim/devices/", Some(body)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"face": ["Child device types cannot be assigned to a rack face. This is an attribute of the parent device."]})
    );
});

on_each_backend!(locations_keep_their_parent_in_their_site, |srv| {
    let s1 = site(&srv, "s1").await;
    let s2 = site(&srv, "s2").await;
    let top = location(&srv, "top", &s1, None).await;
    let (st, body) = srv
        .call(
            "POST",
            "/api/dcim/locations/",
            Some(json!({"name": "sub", "slug": "sub", "site": s2["id"], "parent": top["id"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"__all__": ["Parent location (top) must belong to the same site (s2)."]})
    );
    let in_s2 = format!("/api/dcim/locations/?site_id={}", s2["id"]);
    assert_eq!(srv.count(&in_s2).await, 0);
});

on_each_backend!(moves_take_what_is_inside_along, |srv| {
    let s1 = site(&srv, "s1").await;
    let s2 = site(&srv, "s2").await;
    let region = srv
        .post("/api/dcim/regions/", json!({"name": "eu", "slug": "eu"}))
        .await;
    let (_, two_u, role) = device_kit(&srv).await;
    let top = location(&srv, "top", &s1, None).await;
    let sub = location(&srv, "sub", &s1, Some(&top)).await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R1", "site": s1["id"], "location": sub["id"]}),
        )
        .await;
    let racked = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "d1", "device_type": two_u["id"], "role": role["id"], "site": s1["id"], "rack": rack["id"]}),
        )
        .await;
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": s1["id"], "location": sub["id"]}),
        )
        .await;
    let prefix = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "10.0.0.0/24", "scope_type": "dcim.location", "scope_id": sub["id"]}),
        )
        .await;

    // The top location moves to s2: everything below and inside goes with it.
    srv.patch(
        &format!("/api/dcim/locations/{}/", top["id"]),
        json!({"site": s2["id"]}),
    )
    .await;
    for (path, id) in [
        ("locations", &sub["id"]),
        ("racks", &rack["id"]),
        ("devices", &racked["id"]),
        ("power-panels", &panel["id"]),
    ] {
        let got = srv.get(&format!("/api/dcim/{path}/{id}/")).await;
        assert_eq!(got["site"]["id"], s2["id"], "{path}");
    }
    let in_s2 = format!("/api/ipam/prefixes/?site_id={}", s2["id"]);
    assert_eq!(srv.count(&in_s2).await, 1);

    // The site joins a region: its scoped prefixes are found through the region.
    srv.patch(
        &format!("/api/dcim/sites/{}/", s2["id"]),
        json!({"region": region["id"]}),
    )
    .await;
    let in_region = format!("/api/ipam/prefixes/?region_id={}", region["id"]);
    assert_eq!(srv.count(&in_region).await, 1);
    let region = srv
        .get(&format!("/api/dcim/regions/{}/", region["id"]))
        .await;
    assert_eq!(region["prefix_count"], 1);
    assert_eq!(prefix["scope"]["id"], sub["id"]);

    // A rack moved out of its location takes its devices along.
    let other = location(&srv, "other", &s2, None).await;
    srv.patch(
        &format!("/api/dcim/racks/{}/", rack["id"]),
        json!({"location": other["id"]}),
    )
    .await;
    let d = srv
        .get(&format!("/api/dcim/devices/{}/", racked["id"]))
        .await;
    assert_eq!(d["location"]["id"], other["id"]);
});

on_each_backend!(child_devices_follow_their_parent, |srv| {
    let s1 = site(&srv, "s1").await;
    let s2 = site(&srv, "s2").await;
    let (maker, _, role) = device_kit(&srv).await;
    let chassis = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "chassis", "slug": "chassis", "subdevice_role": "parent"}),
        )
        .await;
    let blade = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "blade", "slug": "blade", "u_height": 0, "subdevice_role": "child"}),
        )
        .await;
    srv.post(
        "/api/dcim/device-bay-templates/",
        json!({"device_type": chassis["id"], "name": "bay1"}),
    )
    .await;
    let parent = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "p", "device_type": chassis["id"], "role": role["id"], "site": s1["id"]}),
        )
        .await;
    let child = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "c", "device_type": blade["id"], "role": role["id"], "site": s1["id"]}),
        )
        .await;
    let bay = srv
        .get(&format!(
            "/api/dcim/device-bays/?device_id={}",
            parent["id"]
        ))
        .await["results"][0]
        .clone();
    srv.patch(
        &format!("/api/dcim/device-bays/{}/", bay["id"]),
        json!({"installed_device": child["id"]}),
    )
    .await;
    srv.patch(
        &format!("/api/dcim/devices/{}/", parent["id"]),
        json!({"site": s2["id"]}),
    )
    .await;
    let child = srv
        .get(&format!("/api/dcim/devices/{}/", child["id"]))
        .await;
    assert_eq!(child["site"]["id"], s2["id"]);
});

on_each_backend!(put_resets_what_the_serializer_defaults, |srv| {
    let s = site(&srv, "s1").await;
    let l = location(&srv, "l1", &s, None).await;
    let rack = srv
        .post(
            "/api/dcim/racks/",
            json!({"name": "R1", "site": s["id"], "location": l["id"], "facility_id": "F1", "status": "planned"}),
        )
        .await;
    let url = format!("/api/dcim/racks/{}/", rack["id"]);
    let (st, put) = srv
        .call("PUT", &url, Some(json!({"name": "R1", "site": s["id"]})))
        .await;
    assert_eq!(st, StatusCode::OK, "{put}");
    assert_eq!(put["location"], Value::Null, "location has default=None");
    assert_eq!(
        put["facility_id"],
        Value::Null,
        "facility_id has default=None"
    );
    assert_eq!(
        put["status"]["value"], "planned",
        "status has no default: kept"
    );
    // A PATCH leaves what it does not name.
    srv.patch(&url, json!({"location": l["id"]})).await;
    srv.patch(&url, json!({"name": "R1b"})).await;
    assert_eq!(srv.get(&url).await["location"]["id"], l["id"]);

    let parent = srv
        .post("/api/dcim/regions/", json!({"name": "eu", "slug": "eu"}))
        .await;
    let child = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "de", "slug": "de", "parent": parent["id"]}),
        )
        .await;
    let url = format!("/api/dcim/regions/{}/", child["id"]);
    let put = srv
        .call("PUT", &url, Some(json!({"name": "de", "slug": "de"})))
        .await
        .1;
    assert_eq!(put["parent"], Value::Null);
    assert_eq!(put["_depth"], 0);

    // Choice fields with serializer defaults go back to them.
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": s["id"]}),
        )
        .await;
    let feed = srv
        .post(
            "/api/dcim/power-feeds/",
            json!({"name": "F1", "power_panel": panel["id"], "type": "redundant", "status": "planned", "supply": "dc", "phase": "three-phase", "voltage": 48}),
        )
        .await;
    let put = srv
        .call(
            "PUT",
            &format!("/api/dcim/power-feeds/{}/", feed["id"]),
            Some(json!({"name": "F1", "power_panel": panel["id"]})),
        )
        .await
        .1;
    assert_eq!(put["type"]["value"], "primary");
    assert_eq!(put["status"]["value"], "active");
    assert_eq!(put["supply"]["value"], "ac");
    assert_eq!(put["phase"]["value"], "single-phase");
    assert_eq!(put["voltage"], 48, "voltage has no serializer default");
});

on_each_backend!(device_types_change_height_only_while_devices_fit, |srv| {
    let s = site(&srv, "s1").await;
    let (maker, two_u, role) = device_kit(&srv).await;
    let rack = srv
        .post("/api/dcim/racks/", json!({"name": "R1", "site": s["id"]}))
        .await;
    let one_u = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "1U", "slug": "1u"}),
        )
        .await;
    for (name, dt, position) in [("low", &one_u, 10), ("high", &two_u, 11)] {
        srv.post(
            "/api/dcim/devices/",
            json!({"name": name, "device_type": dt["id"], "role": role["id"], "site": s["id"],
                   "rack": rack["id"], "position": position, "face": "front"}),
        )
        .await;
    }
    let url = format!("/api/dcim/device-types/{}/", one_u["id"]);
    let (st, e) = srv.call("PATCH", &url, Some(json!({"u_height": 2}))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"u_height": ["Device low in rack R1 does not have sufficient space to accommodate a height of 2.0U"]})
    );
    let (st, e) = srv.call("PATCH", &url, Some(json!({"u_height": 0}))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["u_height"][0]
        .as_str()
        .is_some_and(|m| m.starts_with("Unable to set 0U height: Found <a href=")
            && m.ends_with(">1 instances</a> already mounted within racks.")));

    // A parent type keeps its role while it has device bay templates.
    let url = format!("/api/dcim/device-types/{}/", two_u["id"]);
    srv.patch(&url, json!({"subdevice_role": "parent"})).await;
    srv.post(
        "/api/dcim/device-bay-templates/",
        json!({"device_type": two_u["id"], "name": "bay1"}),
    )
    .await;
    let (st, e) = srv
        .call("PATCH", &url, Some(json!({"subdevice_role": null})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"subdevice_role": ["Must delete all device bay templates associated with this device before declassifying it as a parent device."]})
    );
});

on_each_backend!(
    cross_site_placements_are_named_as_netbox_names_them,
    |srv| {
        let s1 = site(&srv, "s1").await;
        let s2 = site(&srv, "s2").await;
        let far = location(&srv, "far", &s2, None).await;
        let (st, e) = srv
            .call(
                "POST",
                "/api/dcim/power-panels/",
                Some(json!({"name": "P1", "site": s1["id"], "location": far["id"]})),
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(
            e,
            json!({"__all__": ["Location far (s2) is in a different site than s1"]})
        );
        let panel = srv
            .post(
                "/api/dcim/power-panels/",
                json!({"name": "P1", "site": s1["id"]}),
            )
            .await;
        let rack = srv
            .post(
                "/api/dcim/racks/",
                json!({"name": "R9", "site": s2["id"], "facility_id": "F-9"}),
            )
            .await;
        let (st, e) = srv
            .call(
                "POST",
                "/api/dcim/power-feeds/",
                Some(json!({"name": "F1", "power_panel": panel["id"], "rack": rack["id"]})),
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(
            e,
            json!({"__all__": ["Rack R9 (F-9) (s2) and power panel P1 (s1) are in different sites."]})
        );

        // A module goes into a bay of its own device.
        let (_, _, role) = device_kit(&srv).await;
        let dt = srv.get("/api/dcim/device-types/").await["results"][0].clone();
        let dev = |name: &str| json!({"name": name, "device_type": dt["id"], "role": role["id"], "site": s1["id"]});
        let d1 = srv.post("/api/dcim/devices/", dev("d1")).await;
        let d2 = srv.post("/api/dcim/devices/", dev("d2")).await;
        let bay = srv
            .post(
                "/api/dcim/module-bays/",
                json!({"device": d2["id"], "name": "slot"}),
            )
            .await;
        let maker = srv.get("/api/dcim/manufacturers/").await["results"][0].clone();
        let mt = srv
            .post(
                "/api/dcim/module-types/",
                json!({"manufacturer": maker["id"], "model": "lc"}),
            )
            .await;
        let (st, e) = srv
            .call(
                "POST",
                "/api/dcim/modules/",
                Some(json!({"device": d1["id"], "module_bay": bay["id"], "module_type": mt["id"]})),
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(
            e,
            json!({"__all__": ["Module must be installed within a module bay belonging to the assigned device (d1)."]})
        );

        // Elevation parameters are checked as NetBox's filter serializer checks them.
        let (st, e) = srv
            .call(
                "GET",
                &format!(
                    "/api/dcim/racks/{}/elevation/?face=side&unit_width=wide&expand_devices=maybe",
                    rack["id"]
                ),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(
            e,
            json!({"face": ["\"side\" is not a valid choice."], "unit_width": ["A valid integer is required."], "expand_devices": ["Must be a valid boolean."]})
        );
    }
);
