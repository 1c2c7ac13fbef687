use axum::http::StatusCode;
use serde_json::json;

use crate::harness::Server;
use crate::on_each_backend;

async fn names(srv: &Server, query: &str) -> Vec<String> {
    let body = srv.get(&format!("/api/dcim/sites/?{query}")).await;
    let mut n: Vec<String> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

on_each_backend!(lookups_trees_tags_and_search, |srv| {
    let eu = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "Europe", "slug": "eu"}),
        )
        .await;
    let de = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "Germany", "slug": "de", "parent": eu["id"]}),
        )
        .await;
    let tg = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "Corp", "slug": "corp"}),
        )
        .await;
    let tenant = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "Acme", "slug": "acme", "group": tg["id"]}),
        )
        .await;
    srv.post("/api/extras/tags/", json!({"name": "Prod", "slug": "prod"}))
        .await;
    srv.post("/api/extras/tags/", json!({"name": "Edge", "slug": "edge"}))
        .await;
    srv.post(
        "/api/dcim/sites/",
        json!({"name": "fra1", "slug": "fra1", "region": de["id"], "tenant": tenant["id"], "tags": [{"slug": "prod"}, {"name": "Edge"}], "facility": "Equinix FR5"}),
    )
    .await;
    srv.post("/api/dcim/sites/", json!({"name": "ams1", "slug": "ams1", "region": eu["id"], "status": "planned", "tags": ["prod"]}))
        .await;
    srv.post(
        "/api/dcim/sites/",
        json!({"name": "nyc1", "slug": "nyc1", "description": "New York"}),
    )
    .await;

    assert_eq!(names(&srv, "name=fra1&name=ams1").await, ["ams1", "fra1"]);
    assert_eq!(names(&srv, "name__n=fra1").await, ["ams1", "nyc1"]);
    assert_eq!(names(&srv, "name__ic=A").await, ["ams1", "fra1"]);
    assert_eq!(names(&srv, "name__isw=FR").await, ["fra1"]);
    assert_eq!(
        names(&srv, "name__iew=1&name__nisw=n").await,
        ["ams1", "fra1"]
    );
    assert_eq!(names(&srv, "name__ie=FRA1").await, ["fra1"]);
    assert_eq!(names(&srv, "name__regex=^[af]").await, ["ams1", "fra1"]);
    assert_eq!(names(&srv, "name__iregex=^NY").await, ["nyc1"]);
    assert_eq!(names(&srv, "facility__empty=true").await, ["ams1", "nyc1"]);
    assert_eq!(names(&srv, "status=planned").await, ["ams1"]);
    assert_eq!(
        names(&srv, &format!("region_id={}", eu["id"])).await,
        ["ams1", "fra1"],
        "descendants included"
    );
    assert_eq!(names(&srv, "region=de").await, ["fra1"]);
    assert_eq!(names(&srv, "region_id=null").await, ["nyc1"]);
    assert_eq!(names(&srv, "tenant=acme").await, ["fra1"]);
    assert_eq!(
        names(&srv, &format!("tenant_group_id={}", tg["id"])).await,
        ["fra1"]
    );
    assert_eq!(names(&srv, "tenant_group=corp").await, ["fra1"]);
    assert_eq!(names(&srv, "tag=prod").await, ["ams1", "fra1"]);
    assert_eq!(
        names(&srv, "tag=prod&tag=edge").await,
        ["fra1"],
        "tags are conjoined"
    );
    assert_eq!(names(&srv, "tag__n=edge").await, ["ams1", "nyc1"]);
    assert_eq!(names(&srv, "q=york").await, ["nyc1"]);
    assert_eq!(names(&srv, "q=equinix").await, ["fra1"]);
    assert_eq!(
        names(&srv, "no_such_filter=x").await.len(),
        3,
        "unknown filters are ignored"
    );
    let fra = srv.get("/api/dcim/sites/?slug=fra1").await["results"][0].clone();
    assert_eq!(names(&srv, &format!("id={}", fra["id"])).await, ["fra1"]);
    assert_eq!(
        names(&srv, &format!("id__gt={}", fra["id"])).await,
        ["ams1", "nyc1"]
    );
    assert_eq!(
        names(&srv, "created__gte=2000-01-01T00:00:00Z").await.len(),
        3
    );
    assert_eq!(names(&srv, "created__lt=2000-01-01").await.len(), 0);
    assert_eq!(names(&srv, "last_updated__gte=2000-01-01").await.len(), 3);
    assert_eq!(
        srv.get("/api/dcim/regions/?ancestor=eu").await["count"],
        1,
        "ancestor covers the descendants of the node"
    );
    assert_eq!(
        srv.get(&format!("/api/dcim/regions/?parent_id={}", eu["id"]))
            .await["count"],
        1
    );

    let (s, body) = srv.call("GET", "/api/dcim/sites/?status=bogus", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["status"][0],
        "Select a valid choice. bogus is not one of the available choices."
    );
    let (s, body) = srv
        .call("GET", "/api/dcim/sites/?region=nowhere", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["region"][0],
        "Select a valid choice. nowhere is not one of the available choices."
    );
    // Every value must name an object, as Django's ModelMultipleChoiceField checks.
    let (s, body) = srv
        .call("GET", "/api/dcim/sites/?region=de&region=nowhere", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["region"][0],
        "Select a valid choice. nowhere is not one of the available choices."
    );
    let (s, body) = srv
        .call("GET", "/api/dcim/devices/?site_id=2147483000", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["site_id"][0],
        "Select a valid choice. 2147483000 is not one of the available choices."
    );
    let (s, body) = srv.call("GET", "/api/dcim/sites/?region_id=x", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body["region_id"][0]
        .as_str()
        .is_some_and(|m| m.contains(" x ")));
    let (s, _) = srv.call("GET", "/api/dcim/sites/?id=abc", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = srv
        .call("GET", "/api/dcim/sites/?name__regex=(", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let region = srv.get(&format!("/api/dcim/regions/{}/", eu["id"])).await;
    assert_eq!(region["site_count"], 2, "cumulative over child regions");
});

on_each_backend!(contacts_are_generic_and_filterable, |srv| {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s1", "slug": "s1"}))
        .await;
    srv.post("/api/dcim/sites/", json!({"name": "s2", "slug": "s2"}))
        .await;
    let group = srv
        .post(
            "/api/tenancy/contact-groups/",
            json!({"name": "noc", "slug": "noc"}),
        )
        .await;
    let contact = srv
        .post(
            "/api/tenancy/contacts/",
            json!({"name": "Alice", "groups": [group["id"]]}),
        )
        .await;
    let child = srv
        .post(
            "/api/tenancy/contact-groups/",
            json!({"name": "noc-eu", "slug": "noc-eu", "parent": group["id"]}),
        )
        .await;
    srv.post(
        "/api/tenancy/contacts/",
        json!({"name": "Carol", "groups": [child["id"]]}),
    )
    .await;
    let g = srv
        .get(&format!("/api/tenancy/contact-groups/{}/", group["id"]))
        .await;
    assert_eq!(g["contact_count"], 2, "cumulative over child groups");
    let role = srv
        .post(
            "/api/tenancy/contact-roles/",
            json!({"name": "Tech", "slug": "tech"}),
        )
        .await;
    let a = srv
        .post(
            "/api/tenancy/contact-assignments/",
            json!({"object_type": "dcim.site", "object_id": site["id"], "contact": contact["id"], "role": role["id"], "priority": "primary"}),
        )
        .await;
    assert_eq!(a["object_type"], "dcim.site");
    assert_eq!(a["object"]["name"], "s1");
    assert_eq!(a["display"], "Alice (Primary) -> s1");
    assert_eq!(
        names(&srv, &format!("contact={}", contact["id"])).await,
        ["s1"]
    );
    assert_eq!(
        names(&srv, &format!("contact_role={}", role["id"])).await,
        ["s1"]
    );
    assert_eq!(
        names(&srv, &format!("contact_group={}", group["id"])).await,
        ["s1"]
    );
    let (s, e) = srv
        .call(
            "POST",
            "/api/tenancy/contact-assignments/",
            Some(json!({"object_type": "dcim.site", "object_id": 99999, "contact": contact["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    srv.call("DELETE", &format!("/api/dcim/sites/{}/", site["id"]), None)
        .await;
    assert_eq!(
        srv.count("/api/tenancy/contact-assignments/").await,
        0,
        "assignments go with their object"
    );
});

on_each_backend!(reverse_list_and_type_filters, |srv| {
    let count = |v: serde_json::Value| v["count"].as_i64().unwrap();
    // Tags by where they are used and where they may be used.
    srv.post("/api/extras/tags/", json!({"name": "any", "slug": "any"}))
        .await;
    srv.post(
        "/api/extras/tags/",
        json!({"name": "sites-only", "slug": "sites-only", "object_types": ["dcim.site"]}),
    )
    .await;
    srv.post(
        "/api/extras/tags/",
        json!({"name": "tenants-only", "slug": "tenants-only", "object_types": ["tenancy.tenant"]}),
    )
    .await;
    let sg = srv
        .post("/api/dcim/site-groups/", json!({"name": "g", "slug": "g"}))
        .await;
    let rir = srv
        .post("/api/ipam/rirs/", json!({"name": "rir", "slug": "rir"}))
        .await;
    let asn = srv
        .post("/api/ipam/asns/", json!({"asn": 65001, "rir": rir["id"]}))
        .await;
    srv.post(
        "/api/dcim/sites/",
        json!({"name": "s", "slug": "s", "tags": ["sites-only"], "group": sg["id"], "asns": [asn["id"]]}),
    )
    .await;
    assert_eq!(
        count(srv.get("/api/extras/tags/?content_type=dcim.site").await),
        1
    );
    assert_eq!(
        count(
            srv.get("/api/extras/tags/?content_type=tenancy.tenant")
                .await
        ),
        0
    );
    let site_type = srv
        .get("/api/core/object-types/?app_label=dcim&model=site")
        .await["results"][0]["id"]
        .clone();
    assert_eq!(
        count(
            srv.get(&format!("/api/extras/tags/?content_type_id={site_type}"))
                .await
        ),
        1
    );
    let usable = srv
        .get(&format!("/api/extras/tags/?for_object_type_id={site_type}"))
        .await;
    let mut names: Vec<&str> = usable["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["any", "sites-only"]);
    let tagged = srv
        .get("/api/extras/tagged-objects/?object_type=dcim.site")
        .await;
    assert_eq!(tagged["results"][0]["display"], "s tagged with sites-only");
    assert_eq!(
        srv.get("/api/extras/tags/?slug=sites-only").await["results"][0]["tagged_items"],
        1
    );
    // ASNs through their sites.
    assert_eq!(
        count(
            srv.get(&format!("/api/ipam/asns/?site_group_id={}", sg["id"]))
                .await
        ),
        1
    );
    let (status, _) = srv
        .call("GET", "/api/ipam/asns/?site_group=nope", None)
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unknown slug is a bad choice, as in NetBox"
    );
    // Object types by feature.
    let tagged_types = count(srv.get("/api/core/object-types/?features=tags").await);
    let all_types = count(srv.get("/api/core/object-types/").await);
    assert!(tagged_types > 5 && tagged_types < all_types);
    // Permissions by action; groups by member; contact groups by contact.
    let user = srv
        .post(
            "/api/users/users/",
            json!({"username": "u", "password": "Secret-pass-123"}),
        )
        .await;
    let group = srv.post("/api/users/groups/", json!({"name": "ops"})).await;
    srv.post("/api/users/groups/", json!({"name": "other"}))
        .await;
    srv.call(
        "PATCH",
        &format!("/api/users/users/{}/", user["id"]),
        Some(json!({"groups": [group["id"]]})),
    )
    .await;
    assert_eq!(
        count(
            srv.get(&format!("/api/users/groups/?user_id={}", user["id"]))
                .await
        ),
        1
    );
    srv.post(
        "/api/users/permissions/",
        json!({"name": "ro", "object_types": ["dcim.site"], "actions": ["view"]}),
    )
    .await;
    srv.post(
        "/api/users/permissions/",
        json!({"name": "rw", "object_types": ["dcim.site"], "actions": ["view", "change"]}),
    )
    .await;
    assert_eq!(
        count(srv.get("/api/users/permissions/?can_view=true").await),
        2
    );
    assert_eq!(
        count(srv.get("/api/users/permissions/?can_change=true").await),
        1
    );
    assert_eq!(
        count(srv.get("/api/users/permissions/?can_change=false").await),
        1
    );
    let cg = srv
        .post(
            "/api/tenancy/contact-groups/",
            json!({"name": "cg", "slug": "cg"}),
        )
        .await;
    srv.post(
        "/api/tenancy/contact-groups/",
        json!({"name": "cg2", "slug": "cg2"}),
    )
    .await;
    let c = srv
        .post(
            "/api/tenancy/contacts/",
            json!({"name": "c", "groups": [cg["id"]]}),
        )
        .await;
    assert_eq!(
        count(
            srv.get(&format!(
                "/api/tenancy/contact-groups/?contact_id={}",
                c["id"]
            ))
            .await
        ),
        1
    );
});

// Filters that reach a related object's field (`vlan_vid`, `device_status`), a generic
// relation's id, and reverse relations (MAC addresses, bays, templates), as NetBox's.
on_each_backend!(related_field_and_reverse_filters, |srv| {
    use crate::harness::device_with_interface;
    let count = |p: &str| {
        let srv = &srv;
        let p = p.to_string();
        async move { srv.count(&p).await }
    };
    let (d1, i1) = device_with_interface(&srv, "d1", "eth0").await;
    let (d2, i2) = device_with_interface(&srv, "d2", "eth0").await;
    srv.patch(
        &format!("/api/dcim/devices/{}/", d2["id"]),
        json!({"status": "planned"}),
    )
    .await;

    // device_status: the device's status under the choice field's lookups.
    assert_eq!(
        count("/api/dcim/interfaces/?device_status=planned").await,
        1
    );
    assert_eq!(
        count("/api/dcim/interfaces/?device_status__n=planned").await,
        1
    );
    assert_eq!(
        count("/api/dcim/interfaces/?device_status__ic=PLAN").await,
        1
    );
    let (s, body) = srv
        .call("GET", "/api/dcim/interfaces/?device_status=bogus", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["device_status"].is_array(), "{body}");

    // MAC addresses: any of an interface's, through its interfaces for a device.
    let mac = srv
        .post(
            "/api/dcim/mac-addresses/",
            json!({"mac_address": "00:11:22:33:44:55", "assigned_object_type": "dcim.interface", "assigned_object_id": i1["id"]}),
        )
        .await;
    srv.post(
        "/api/dcim/mac-addresses/",
        json!({"mac_address": "00:11:22:33:44:66"}),
    )
    .await;
    srv.patch(
        &format!("/api/dcim/interfaces/{}/", i1["id"]),
        json!({"primary_mac_address": mac["id"]}),
    )
    .await;
    assert_eq!(
        count("/api/dcim/interfaces/?mac_address=00:11:22:33:44:55").await,
        1
    );
    assert_eq!(count("/api/dcim/interfaces/?mac_address__ic=44:5").await, 1);
    assert_eq!(
        count("/api/dcim/interfaces/?mac_address__nic=44:5").await,
        1,
        "interfaces without a matching address"
    );
    let devices = srv.get("/api/dcim/devices/?mac_address__isw=00:11").await;
    assert_eq!(devices["count"], 1);
    assert_eq!(devices["results"][0]["id"], d1["id"]);
    assert_eq!(count("/api/dcim/mac-addresses/?assigned=true").await, 1);
    assert_eq!(count("/api/dcim/mac-addresses/?assigned=false").await, 1);
    assert_eq!(count("/api/dcim/mac-addresses/?primary=true").await, 1);
    assert_eq!(
        count(&format!("/api/dcim/mac-addresses/?device_id={}", d1["id"])).await,
        1
    );
    assert_eq!(count("/api/dcim/mac-addresses/?device=d2").await, 0);
    assert_eq!(
        count(&format!(
            "/api/dcim/mac-addresses/?interface_id={}",
            i1["id"]
        ))
        .await,
        1
    );

    // A generic relation's object id compares like any number.
    for (i, addr) in [(&i1, "10.0.0.1/24"), (&i2, "10.0.0.2/24")] {
        srv.post(
            "/api/ipam/ip-addresses/",
            json!({"address": addr, "assigned_object_type": "dcim.interface", "assigned_object_id": i["id"]}),
        )
        .await;
    }
    let low = i1["id"].as_i64().unwrap().min(i2["id"].as_i64().unwrap());
    assert_eq!(
        count(&format!(
            "/api/ipam/ip-addresses/?assigned_object_id__gt={low}"
        ))
        .await,
        1
    );
    assert_eq!(
        count("/api/ipam/ip-addresses/?assigned_object_id__empty=false").await,
        2
    );

    // Child devices by the parent's bay; device types by their templates.
    let dt = srv
        .get(&format!(
            "/api/dcim/device-types/{}/",
            d1["device_type"]["id"]
        ))
        .await;
    let mut kinds = Vec::new();
    for (model, role, height) in [("chassis", "parent", 1), ("blade", "child", 0)] {
        let t = srv
            .post(
                "/api/dcim/device-types/",
                json!({"manufacturer": dt["manufacturer"]["id"], "model": model, "slug": model, "subdevice_role": role, "u_height": height}),
            )
            .await;
        let d = srv
            .post(
                "/api/dcim/devices/",
                json!({"name": model, "device_type": t["id"], "role": d1["role"]["id"], "site": d1["site"]["id"]}),
            )
            .await;
        kinds.push(d);
    }
    let (chassis, blade) = (&kinds[0], &kinds[1]);
    let bay = srv
        .post(
            "/api/dcim/device-bays/",
            json!({"device": chassis["id"], "name": "bay1"}),
        )
        .await;
    let by_parent = format!("/api/dcim/devices/?parent_device_id={}", chassis["id"]);
    assert_eq!(count(&by_parent).await, 0);
    srv.patch(
        &format!("/api/dcim/device-bays/{}/", bay["id"]),
        json!({"installed_device": blade["id"]}),
    )
    .await;
    let kids = srv.get(&by_parent).await;
    assert_eq!(kids["count"], 1);
    assert_eq!(kids["results"][0]["id"], blade["id"]);
    assert_eq!(
        count(&format!("/api/dcim/devices/?parent_bay_id={}", bay["id"])).await,
        1
    );
    let (s, _) = srv
        .call("GET", "/api/dcim/devices/?parent_device_id=999999", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "an unknown device is refused");
    assert_eq!(count("/api/dcim/devices/?is_full_depth=true").await, 4);
    assert_eq!(count("/api/dcim/device-types/?interfaces=true").await, 0);
    srv.post(
        "/api/dcim/interface-templates/",
        json!({"device_type": d1["device_type"]["id"], "name": "e0", "type": "1000base-t"}),
    )
    .await;
    assert_eq!(count("/api/dcim/device-types/?interfaces=true").await, 1);
    assert_eq!(count("/api/dcim/device-types/?interfaces=false").await, 2);
    // Counter filters compare the related rows' count, zero included.
    assert_eq!(
        count("/api/dcim/device-types/?interface_template_count=1").await,
        1
    );
    assert_eq!(
        count("/api/dcim/device-types/?interface_template_count=0").await,
        2
    );
    assert_eq!(
        count("/api/dcim/device-types/?interface_template_count__lt=1").await,
        2
    );
    assert_eq!(count("/api/dcim/devices/?interface_count__gte=1").await, 2);
    assert_eq!(
        count("/api/dcim/virtual-chassis/?member_count__gt=0").await,
        0
    );

    // vlan_vid compares the VLAN's VID, and names no object: an unused VID finds nothing.
    let vlan = srv
        .post("/api/ipam/vlans/", json!({"vid": 100, "name": "v100"}))
        .await;
    srv.post(
        "/api/ipam/prefixes/",
        json!({"prefix": "10.9.0.0/16", "vlan": vlan["id"]}),
    )
    .await;
    srv.post("/api/ipam/prefixes/", json!({"prefix": "10.9.1.0/24"}))
        .await;
    assert_eq!(count("/api/ipam/prefixes/?vlan_vid=100").await, 1);
    assert_eq!(count("/api/ipam/prefixes/?vlan_vid=999").await, 0);
    assert_eq!(count("/api/ipam/prefixes/?vlan_vid__gte=50").await, 1);
    assert_eq!(count("/api/ipam/prefixes/?vlan_vid__lt=50").await, 0);
    assert_eq!(count("/api/ipam/prefixes/?depth=1").await, 1);
    assert_eq!(count("/api/ipam/prefixes/?depth__lt=1").await, 1);
});

on_each_backend!(interface_vlan_and_address_fhrp_filters, |srv| {
    use crate::harness::device_with_interface;
    let (_, i1) = device_with_interface(&srv, "d1", "eth0").await;
    let (_, i2) = device_with_interface(&srv, "d2", "eth0").await;
    let v10 = srv
        .post("/api/ipam/vlans/", json!({"vid": 10, "name": "ten"}))
        .await;
    let v20 = srv
        .post("/api/ipam/vlans/", json!({"vid": 20, "name": "twenty"}))
        .await;
    srv.patch(
        &format!("/api/dcim/interfaces/{}/", i1["id"]),
        json!({"mode": "tagged", "untagged_vlan": v10["id"], "tagged_vlans": [v20["id"]]}),
    )
    .await;
    srv.patch(
        &format!("/api/dcim/interfaces/{}/", i2["id"]),
        json!({"mode": "access", "untagged_vlan": v20["id"]}),
    )
    .await;
    let ids = |p: String| {
        let srv = &srv;
        async move {
            let page = srv.get(&p).await;
            let mut ids: Vec<i64> = page["results"]
                .as_array()
                .expect("results")
                .iter()
                .filter_map(|r| r["id"].as_i64())
                .collect();
            ids.sort();
            ids
        }
    };
    let (a, b) = (i1["id"].as_i64().unwrap(), i2["id"].as_i64().unwrap());
    // Untagged or tagged, by VLAN id or by VID.
    assert_eq!(
        ids(format!("/api/dcim/interfaces/?vlan_id={}", v20["id"])).await,
        vec![a, b]
    );
    assert_eq!(
        ids(format!("/api/dcim/interfaces/?vlan_id={}", v10["id"])).await,
        vec![a]
    );
    assert_eq!(
        ids("/api/dcim/interfaces/?vlan=20".into()).await,
        vec![a, b]
    );
    assert_eq!(ids("/api/dcim/interfaces/?vlan=10".into()).await, vec![a]);
    // A method filter in NetBox: an id naming no VLAN finds nothing, no 400.
    assert!(ids("/api/dcim/interfaces/?vlan_id=999999".into())
        .await
        .is_empty());
    let (s, body) = srv
        .call("GET", "/api/dcim/interfaces/?vlan=ten", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");

    // Addresses of an FHRP group (its virtual IPs).
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 5}),
        )
        .await;
    let vip = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.1/24", "assigned_object_type": "ipam.fhrpgroup", "assigned_object_id": group["id"]}),
        )
        .await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "192.0.2.2/24"}),
    )
    .await;
    assert_eq!(
        ids(format!(
            "/api/ipam/ip-addresses/?fhrpgroup_id={}",
            group["id"]
        ))
        .await,
        vec![vip["id"].as_i64().unwrap()]
    );
    assert_eq!(
        srv.count(&format!(
            "/api/ipam/ip-addresses/?fhrpgroup_id__n={}",
            group["id"]
        ))
        .await,
        1
    );
    let (s, body) = srv
        .call("GET", "/api/ipam/ip-addresses/?fhrpgroup_id=999999", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
});
