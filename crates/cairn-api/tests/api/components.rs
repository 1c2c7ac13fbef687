//! Component and template rules read from NetBox 4.4's models: interface settings bound
//! to the interface type, wireless channels, WWNs, primary MACs, tagged VLAN sites,
//! templates that stay with one device or module type, power outlets, bays and inventory
//! items.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::{device_with_interface, Server};
use crate::on_each_backend;

/// POSTs `body` and returns the 400's errors (panics on any other status).
async fn refused(srv: &Server, path: &str, body: Value) -> Value {
    let (st, got) = srv.call("POST", path, Some(body)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{got}");
    got
}

on_each_backend!(interface_settings_follow_the_type, |srv| {
    let (d, _) = device_with_interface(&srv, "d1", "v0").await;
    let iface = |name: &str, extra: Value| {
        let mut b = json!({"device": d["id"], "name": name});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let path = "/api/dcim/interfaces/";
    let got = refused(
        &srv,
        path,
        iface("lag1", json!({"type": "lag", "poe_mode": "pse"})),
    )
    .await;
    assert_eq!(
        got,
        json!({"poe_mode": ["Virtual interfaces cannot have a PoE mode."]})
    );
    let got = refused(
        &srv,
        path,
        iface(
            "e1",
            json!({"type": "1000base-t", "poe_type": "type1-ieee802.3af"}),
        ),
    )
    .await;
    assert_eq!(
        got,
        json!({"poe_type": ["Must specify PoE mode when designating a PoE type."]})
    );
    let got = refused(
        &srv,
        path,
        iface("e1", json!({"type": "1000base-t", "rf_role": "ap"})),
    )
    .await;
    assert_eq!(
        got,
        json!({"rf_role": ["Wireless role may be set only on wireless interfaces."]})
    );
    // Cellular types are wireless too.
    srv.post(
        path,
        iface("lte0", json!({"type": "lte", "rf_role": "station"})),
    )
    .await;

    // A channel fixes frequency and width.
    let got = refused(
        &srv,
        path,
        iface("w0", json!({"type": "ieee802.11ac", "rf_channel": "5g-36-5180-20", "rf_channel_frequency": 5000})),
    )
    .await;
    assert_eq!(
        got,
        json!({"rf_channel_frequency": ["Cannot specify custom frequency with channel selected."]})
    );
    let w = srv
        .post(
            path,
            iface(
                "w0",
                json!({"type": "ieee802.11ac", "rf_channel": "5g-36-5180-20"}),
            ),
        )
        .await;
    assert_eq!(w["rf_channel_frequency"], 5180.0);
    assert_eq!(w["rf_channel_width"], 20.0);

    // WWNs are read in netaddr's EUI-64 forms and written in NetBox's.
    let e = srv
        .post(
            path,
            iface(
                "fc0",
                json!({"type": "1gfc-sfp", "wwn": "500143802426baf4"}),
            ),
        )
        .await;
    assert_eq!(e["wwn"], "50:01:43:80:24:26:BA:F4");
    let got = refused(
        &srv,
        path,
        iface("fc1", json!({"type": "1gfc-sfp", "wwn": "zz"})),
    )
    .await;
    assert_eq!(got, json!({"wwn": ["Invalid WWN format: zz"]}));

    // Templates keep the same rules.
    let dt = srv.get("/api/dcim/device-types/").await["results"][0].clone();
    let got = refused(
        &srv,
        "/api/dcim/interface-templates/",
        json!({"device_type": dt["id"], "name": "b0", "type": "bridge", "poe_type": "type1-ieee802.3af"}),
    )
    .await;
    assert_eq!(
        got,
        json!({"poe_type": ["Virtual interfaces cannot have a PoE type."]})
    );
});

on_each_backend!(interfaces_relate_within_their_device, |srv| {
    let (d1, v1) = device_with_interface(&srv, "d1", "v1").await;
    let (_, v2) = device_with_interface(&srv, "d2", "v2").await;
    let url = format!("/api/dcim/interfaces/{}/", v1["id"]);
    let (st, got) = srv
        .call("PATCH", &url, Some(json!({"parent": v2["id"]})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"parent": ["The selected parent interface (v2) belongs to a different device (d2)"]})
    );
    let (_, got) = srv
        .call("PATCH", &url, Some(json!({"bridge": v2["id"]})))
        .await;
    assert_eq!(
        got,
        json!({"bridge": ["The selected bridge interface (v2) belongs to a different device (d2)."]})
    );
    let (_, got) = srv
        .call("PATCH", &url, Some(json!({"bridge": v1["id"]})))
        .await;
    assert_eq!(
        got,
        json!({"bridge": ["An interface cannot be bridged to itself."]})
    );

    // A primary MAC is this interface's or nobody's; a new interface claims a free one.
    let mac = srv
        .post(
            "/api/dcim/mac-addresses/",
            json!({"mac_address": "aa:bb:cc:00:00:01", "assigned_object_type": "dcim.interface", "assigned_object_id": v2["id"]}),
        )
        .await;
    let (st, got) = srv
        .call(
            "PATCH",
            &url,
            Some(json!({"primary_mac_address": mac["id"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"primary_mac_address": ["MAC address AA:BB:CC:00:00:01 is assigned to a different interface (v2)."]})
    );
    let free = srv
        .post(
            "/api/dcim/mac-addresses/",
            json!({"mac_address": "aa:bb:cc:00:00:02"}),
        )
        .await;
    let e = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d1["id"], "name": "e9", "type": "1000base-t", "primary_mac_address": free["id"]}),
        )
        .await;
    let free = srv
        .get(&format!("/api/dcim/mac-addresses/{}/", free["id"]))
        .await;
    assert_eq!(free["assigned_object_id"], e["id"]);
    assert_eq!(e["mac_address"], "AA:BB:CC:00:00:02");

    // Tagged VLANs are global or of the device's site.
    let other = srv
        .post("/api/dcim/sites/", json!({"name": "far", "slug": "far"}))
        .await;
    let vlan = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 10, "name": "ten", "site": other["id"]}),
        )
        .await;
    let (st, got) = srv
        .call(
            "PATCH",
            &url,
            Some(json!({"mode": "tagged", "tagged_vlans": [vlan["id"]]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"tagged_vlans": ["VLAN ten (10) must belong to the same site as the interface's parent device, or it must be global."]})
    );
    let global = srv
        .post("/api/ipam/vlans/", json!({"vid": 20, "name": "twenty"}))
        .await;
    let (st, _) = srv
        .call(
            "PATCH",
            &url,
            Some(json!({"mode": "tagged", "tagged_vlans": [global["id"]]})),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
});

on_each_backend!(templates_stay_with_one_type, |srv| {
    let (d, _) = device_with_interface(&srv, "d1", "v0").await;
    let dt = srv
        .get(&format!(
            "/api/dcim/device-types/{}/",
            d["device_type"]["id"]
        ))
        .await;
    let maker = srv.get("/api/dcim/manufacturers/").await["results"][0].clone();
    let other = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "y", "slug": "y"}),
        )
        .await;
    let mt = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": maker["id"], "model": "lc"}),
        )
        .await;
    let path = "/api/dcim/console-port-templates/";
    let got = refused(&srv, path, json!({"name": "c0"})).await;
    assert_eq!(
        got,
        json!({"__all__": ["A component template must be associated with either a device type or a module type."]})
    );
    let got = refused(
        &srv,
        path,
        json!({"name": "c0", "device_type": dt["id"], "module_type": mt["id"]}),
    )
    .await;
    assert_eq!(
        got,
        json!({"__all__": ["A component template cannot be associated with both a device type and a module type."]})
    );
    let c = srv
        .post(path, json!({"name": "c0", "device_type": dt["id"]}))
        .await;
    let (st, got) = srv
        .call(
            "PATCH",
            &format!("{path}{}/", c["id"]),
            Some(json!({"device_type": other["id"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"device_type": ["Component templates cannot be moved to a different device type."]})
    );

    // Related templates are of the same type.
    let pp = srv
        .post(
            "/api/dcim/power-port-templates/",
            json!({"name": "psu0", "device_type": other["id"]}),
        )
        .await;
    let got = refused(
        &srv,
        "/api/dcim/power-outlet-templates/",
        json!({"name": "o1", "device_type": dt["id"], "power_port": pp["id"]}),
    )
    .await;
    assert_eq!(
        got,
        json!({"__all__": ["Parent power port (psu0) must belong to the same device type"]})
    );
    let br = srv
        .post(
            "/api/dcim/interface-templates/",
            json!({"name": "br0", "type": "bridge", "module_type": mt["id"]}),
        )
        .await;
    let got = refused(
        &srv,
        "/api/dcim/interface-templates/",
        json!({"name": "e0", "type": "1000base-t", "device_type": dt["id"], "bridge": br["id"]}),
    )
    .await;
    assert_eq!(
        got,
        json!({"bridge": ["Bridge interface (br0) must belong to the same device type"]})
    );

    // Inventory item template names repeat at the top level and under other parents.
    let iit = "/api/dcim/inventory-item-templates/";
    let a = srv
        .post(iit, json!({"device_type": dt["id"], "name": "cpu"}))
        .await;
    let b = srv
        .post(iit, json!({"device_type": dt["id"], "name": "cpu"}))
        .await;
    srv.post(
        iit,
        json!({"device_type": dt["id"], "name": "core", "parent": a["id"]}),
    )
    .await;
    srv.post(
        iit,
        json!({"device_type": dt["id"], "name": "core", "parent": b["id"]}),
    )
    .await;
    let got = refused(
        &srv,
        iit,
        json!({"device_type": dt["id"], "name": "core", "parent": b["id"]}),
    )
    .await;
    assert!(got["__all__"].is_array(), "{got}");
});

on_each_backend!(outlets_bays_and_items_stay_on_their_device, |srv| {
    let (d1, _) = device_with_interface(&srv, "d1", "v0").await;
    let (d2, _) = device_with_interface(&srv, "d2", "v0").await;
    let pp = srv
        .post(
            "/api/dcim/power-ports/",
            json!({"device": d2["id"], "name": "psu0"}),
        )
        .await;
    let got = refused(
        &srv,
        "/api/dcim/power-outlets/",
        json!({"device": d1["id"], "name": "o1", "power_port": pp["id"]}),
    )
    .await;
    assert_eq!(
        got,
        json!({"__all__": ["Parent power port (psu0) must belong to the same device"]})
    );

    // Inventory items: a component of another device is refused on create and dropped on
    // a move; an item with children does not move.
    let port = srv
        .post(
            "/api/dcim/console-ports/",
            json!({"device": d1["id"], "name": "con0"}),
        )
        .await;
    let got = refused(
        &srv,
        "/api/dcim/inventory-items/",
        json!({"device": d2["id"], "name": "x", "component_type": "dcim.consoleport", "component_id": port["id"]}),
    )
    .await;
    assert_eq!(
        got,
        json!({"device": ["Cannot assign inventory item to component on another device"]})
    );
    let item = srv
        .post(
            "/api/dcim/inventory-items/",
            json!({"device": d1["id"], "name": "x", "component_type": "dcim.consoleport", "component_id": port["id"]}),
        )
        .await;
    let url = format!("/api/dcim/inventory-items/{}/", item["id"]);
    let moved = srv.patch(&url, json!({"device": d2["id"]})).await;
    assert_eq!(moved["component"], Value::Null, "{moved}");
    srv.post(
        "/api/dcim/inventory-items/",
        json!({"device": d2["id"], "name": "child", "parent": item["id"]}),
    )
    .await;
    let (st, got) = srv
        .call("PATCH", &url, Some(json!({"device": d1["id"]})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"__all__": ["Cannot move an inventory item with dependent children"]})
    );
});

on_each_backend!(module_bays_show_and_nest_their_modules, |srv| {
    let (d, _) = device_with_interface(&srv, "d1", "v0").await;
    let maker = srv.get("/api/dcim/manufacturers/").await["results"][0].clone();
    let mt = srv
        .post(
            "/api/dcim/module-types/",
            json!({"manufacturer": maker["id"], "model": "lc"}),
        )
        .await;
    let outer = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": d["id"], "name": "slot0"}),
        )
        .await;
    let module = srv
        .post(
            "/api/dcim/modules/",
            json!({"device": d["id"], "module_bay": outer["id"], "module_type": mt["id"], "serial": "SN1"}),
        )
        .await;
    let outer = srv
        .get(&format!("/api/dcim/module-bays/{}/", outer["id"]))
        .await;
    let shown = &outer["installed_module"];
    assert_eq!(shown["id"], module["id"]);
    assert_eq!(shown["serial"], "SN1");
    let keys: Vec<&String> = shown.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["description", "display", "id", "serial", "url"]);
    let brief = srv
        .get(&format!("/api/dcim/module-bays/{}/?brief=1", outer["id"]))
        .await;
    assert_eq!(brief["installed_module"]["id"], module["id"]);

    // A bay on the module nests under the bay holding the module, and never holds it.
    let inner = srv
        .post(
            "/api/dcim/module-bays/",
            json!({"device": d["id"], "name": "sub0", "module": module["id"]}),
        )
        .await;
    let keys: Vec<&String> = inner["module"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["display", "id", "url"]);
    let under = format!("/api/dcim/module-bays/?parent_id={}", outer["id"]);
    assert_eq!(srv.count(&under).await, 1);
    let (st, got) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/module-bays/{}/", outer["id"]),
            Some(json!({"module": module["id"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"__all__": ["A module bay cannot belong to a module installed within it."]})
    );

    // A device is not installed into its own bay.
    let maker_dt = srv
        .post(
            "/api/dcim/device-types/",
            json!({"manufacturer": maker["id"], "model": "chassis", "slug": "chassis", "subdevice_role": "parent"}),
        )
        .await;
    let chassis = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "ch", "device_type": maker_dt["id"], "role": d["role"]["id"], "site": d["site"]["id"]}),
        )
        .await;
    let bay = srv
        .post(
            "/api/dcim/device-bays/",
            json!({"device": chassis["id"], "name": "b1"}),
        )
        .await;
    let (st, got) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/device-bays/{}/", bay["id"]),
            Some(json!({"installed_device": chassis["id"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        got,
        json!({"__all__": ["Cannot install a device into itself."]})
    );
});

on_each_backend!(instantiated_bridges_point_at_their_own_interfaces, |srv| {
    let (d, _) = device_with_interface(&srv, "d0", "v0").await;
    let dt = d["device_type"]["id"].clone();
    let path = "/api/dcim/interface-templates/";
    let vbr = srv
        .post(
            path,
            json!({"device_type": dt, "name": "vbr", "type": "bridge"}),
        )
        .await;
    srv.post(
        path,
        json!({"device_type": dt, "name": "eth0", "type": "1000base-t", "bridge": vbr["id"]}),
    )
    .await;
    let d2 = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "d2", "device_type": dt, "role": d["role"]["id"], "site": d["site"]["id"]}),
        )
        .await;
    let made = srv
        .get(&format!(
            "/api/dcim/interfaces/?device_id={}&name=eth0",
            d2["id"]
        ))
        .await;
    let bridge = &made["results"][0]["bridge"];
    assert_eq!(bridge["name"], "vbr", "{made}");
    let vbr_made = srv
        .get(&format!(
            "/api/dcim/interfaces/?device_id={}&name=vbr",
            d2["id"]
        ))
        .await;
    assert_eq!(bridge["id"], vbr_made["results"][0]["id"]);
});

on_each_backend!(marked_connections_occupy_their_port, |srv| {
    let (d, _) = device_with_interface(&srv, "d0", "v0").await;
    let e = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": "e1", "type": "1000base-t", "mark_connected": true}),
        )
        .await;
    assert_eq!(e["_occupied"], true);
    let brief = srv
        .get(&format!("/api/dcim/interfaces/{}/?brief=1", e["id"]))
        .await;
    assert_eq!(brief["_occupied"], true);
    let free = srv
        .get(&format!("/api/dcim/console-ports/?device_id={}", d["id"]))
        .await;
    assert_eq!(free["count"], 0);
    let port = srv
        .post(
            "/api/dcim/console-ports/",
            json!({"device": d["id"], "name": "con0"}),
        )
        .await;
    assert_eq!(port["_occupied"], false);
    let site = d["site"]["id"].clone();
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "P1", "site": site}),
        )
        .await;
    let feed = srv
        .post(
            "/api/dcim/power-feeds/",
            json!({"name": "F1", "power_panel": panel["id"], "mark_connected": true}),
        )
        .await;
    assert_eq!(feed["_occupied"], true);
});
