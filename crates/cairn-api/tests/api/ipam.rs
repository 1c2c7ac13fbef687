//! IPAM rules: hierarchy, containment filters, unique space, aggregates, ranges, and
//! allocation (also under concurrent clients).

use axum::http::StatusCode;
use serde_json::{json, Value};

use cairn_store::testing::Rng;

use crate::harness::{device_with_interface, Server};

use crate::on_each_backend;

async fn prefixes(srv: &Server, q: &str) -> Vec<String> {
    srv.get(&format!("/api/ipam/prefixes/?limit=0&{q}")).await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["prefix"].as_str().unwrap().to_string())
        .collect()
}

on_each_backend!(prefix_hierarchy_and_filters, |srv| {
    for p in [
        "10.0.0.0/8",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "10.2.0.0/16",
        "2001:db8::/32",
        "192.0.2.0/24",
    ] {
        srv.post("/api/ipam/prefixes/", json!({"prefix": p})).await;
    }
    // Host bits are refused with the network meant (NetBox's prefix_validator).
    for ep in ["prefixes", "aggregates"] {
        let (s, e) = srv
            .call(
                "POST",
                &format!("/api/ipam/{ep}/"),
                Some(json!({"prefix": "172.16.5.9/16", "rir": null})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{ep}: {e}");
        assert_eq!(
            e["prefix"][0],
            "172.16.5.9/16 is not a valid prefix. Did you mean 172.16.0.0/16?"
        );
    }
    let v4 = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "172.16.0.0/16"}))
        .await;
    assert_eq!(v4["family"], json!({"value": 4, "label": "IPv4"}));
    let all = srv.get("/api/ipam/prefixes/?limit=0").await;
    let by = |p: &str| {
        all["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["prefix"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(by("10.0.0.0/8")["_depth"], 0);
    assert_eq!(by("10.0.0.0/8")["children"], 3);
    assert_eq!(by("10.1.0.0/16")["_depth"], 1);
    assert_eq!(by("10.1.2.0/24")["_depth"], 2);
    assert_eq!(
        prefixes(&srv, "").await[..5],
        [
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.2.0/24",
            "10.2.0.0/16",
            "172.16.0.0/16"
        ],
        "numeric order, parents before children"
    );
    assert_eq!(
        prefixes(&srv, "within=10.0.0.0/8").await,
        ["10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16"]
    );
    assert_eq!(
        prefixes(&srv, "within_include=10.1.0.0/16").await,
        ["10.1.0.0/16", "10.1.2.0/24"]
    );
    assert_eq!(
        prefixes(&srv, "contains=10.1.2.7").await,
        ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"]
    );
    assert_eq!(prefixes(&srv, "family=6").await, ["2001:db8::/32"]);
    assert_eq!(
        prefixes(&srv, "mask_length=16").await,
        ["10.1.0.0/16", "10.2.0.0/16", "172.16.0.0/16"]
    );
    assert_eq!(
        prefixes(&srv, "mask_length__gte=24").await,
        ["10.1.2.0/24", "192.0.2.0/24", "2001:db8::/32"]
    );
    assert_eq!(prefixes(&srv, "prefix=10.1.0.0/16").await, ["10.1.0.0/16"]);
    assert!(prefixes(&srv, "within=bogus").await.is_empty());
    assert_eq!(
        prefixes(&srv, "q=10.1.2.99").await,
        ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"],
        "q finds the prefixes holding an address"
    );
    // Deleting a middle prefix re-depths the one below it.
    let mid = by("10.1.0.0/16");
    srv.call(
        "DELETE",
        &format!("/api/ipam/prefixes/{}/", mid["id"]),
        None,
    )
    .await;
    let leaf = srv.get("/api/ipam/prefixes/?prefix=10.1.2.0/24").await["results"][0].clone();
    assert_eq!(leaf["_depth"], 1);
    assert_eq!(
        srv.get("/api/ipam/prefixes/?prefix=10.0.0.0/8").await["results"][0]["children"],
        2
    );
    // Unique space: the same prefix twice in the global table is refused.
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/prefixes/",
            Some(json!({"prefix": "10.2.0.0/16"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["prefix"][0],
        "Duplicate prefix found in global table: 10.2.0.0/16"
    );
    // In a VRF, the table is named as NetBox prints the VRF: with its RD.
    let red = srv
        .post(
            "/api/ipam/vrfs/",
            json!({"name": "red", "rd": "65000:1", "enforce_unique": true}),
        )
        .await;
    let in_red = json!({"prefix": "10.7.0.0/16", "vrf": red["id"]});
    srv.post("/api/ipam/prefixes/", in_red.clone()).await;
    let (_, e) = srv.call("POST", "/api/ipam/prefixes/", Some(in_red)).await;
    assert_eq!(
        e["prefix"][0],
        "Duplicate prefix found in VRF red (65000:1): 10.7.0.0/16"
    );
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/prefixes/",
            Some(json!({"prefix": "0.0.0.0/0"})),
        )
        .await;
    assert_eq!(
        (s, e["prefix"][0].clone()),
        (
            StatusCode::BAD_REQUEST,
            json!("Cannot create prefix with /0 mask.")
        )
    );
    // A VRF without enforce_unique allows duplicates; its prefixes nest apart.
    let vrf = srv
        .post(
            "/api/ipam/vrfs/",
            json!({"name": "blue", "enforce_unique": false}),
        )
        .await;
    srv.post(
        "/api/ipam/prefixes/",
        json!({"prefix": "10.0.0.0/8", "vrf": vrf["id"]}),
    )
    .await;
    srv.post(
        "/api/ipam/prefixes/",
        json!({"prefix": "10.0.0.0/8", "vrf": vrf["id"]}),
    )
    .await;
    assert_eq!(
        prefixes(&srv, &format!("vrf_id={}", vrf["id"])).await.len(),
        2
    );
    assert_eq!(
        srv.get("/api/ipam/prefixes/?prefix=10.1.2.0/24&vrf_id=null")
            .await["results"][0]["_depth"],
        1
    );
    // Duplicate parents count once towards a child's depth, twice towards children.
    for _ in 0..2 {
        srv.post(
            "/api/ipam/prefixes/",
            json!({"prefix": "172.16.0.0/12", "vrf": vrf["id"]}),
        )
        .await;
    }
    let child = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "172.16.1.0/24", "vrf": vrf["id"]}),
        )
        .await;
    let child = srv
        .get(&format!("/api/ipam/prefixes/{}/", child["id"]))
        .await;
    assert_eq!(child["_depth"], 1);
    let parents = srv
        .get(&format!(
            "/api/ipam/prefixes/?prefix=172.16.0.0/12&vrf_id={}",
            vrf["id"]
        ))
        .await;
    assert_eq!(parents["results"][0]["children"], 1);
});

on_each_backend!(addresses_aggregates_and_ranges, |srv| {
    let a = srv
        .post("/api/ipam/ip-addresses/", json!({"address": "192.0.2.77"}))
        .await;
    assert_eq!(a["address"], "192.0.2.77/32", "no mask means a host");
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "2001:DB8::1/64"}),
    )
    .await;
    srv.post("/api/ipam/ip-addresses/", json!({"address": "10.0.0.5/24"}))
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/ip-addresses/",
            Some(json!({"address": "10.0.0.5/16"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["address"][0]
        .as_str()
        .unwrap()
        .starts_with("Duplicate IP address found in global table"));
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.0.0.9/24", "role": "vip"}),
    )
    .await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.0.0.9/24", "role": "vip"}),
    )
    .await;
    for bad in ["999.1.1.1/24", "10.0.0.0/33", "nonsense", "192.0.2.1/0"] {
        let (s, _) = srv
            .call(
                "POST",
                "/api/ipam/ip-addresses/",
                Some(json!({"address": bad})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad} is refused (never a 500)");
    }
    let q = |p: &str| {
        let srv = &srv;
        let p = p.to_string();
        async move {
            srv.get(&format!("/api/ipam/ip-addresses/?{p}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(q("parent=10.0.0.0/16").await, 3);
    assert_eq!(
        q("address=10.0.0.5").await,
        1,
        "an address without a mask matches any mask"
    );
    assert_eq!(q("family=6").await, 1);
    assert_eq!(q("q=2001:DB8").await, 1, "search ignores case in IPv6 text");
    assert_eq!(q("mask_length=24").await, 3);

    srv.post(
        "/api/ipam/rirs/",
        json!({"name": "RFC1918", "slug": "rfc1918", "is_private": true}),
    )
    .await;
    srv.post(
        "/api/ipam/aggregates/",
        json!({"prefix": "10.0.0.0/8", "rir": {"slug": "rfc1918"}}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/aggregates/",
            Some(json!({"prefix": "10.20.0.0/16", "rir": {"slug": "rfc1918"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["prefix"][0]
        .as_str()
        .unwrap()
        .starts_with("Aggregates cannot overlap."));
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/aggregates/",
            Some(json!({"prefix": "0.0.0.0/1", "rir": {"slug": "rfc1918"}})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a covering aggregate overlaps too"
    );

    let r = srv
        .post(
            "/api/ipam/ip-ranges/",
            json!({"start_address": "192.0.2.10/24", "end_address": "192.0.2.20/24"}),
        )
        .await;
    assert_eq!(r["size"], 11);
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/ip-ranges/",
            Some(json!({"start_address": "192.0.2.30/24", "end_address": "192.0.2.20/24"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "the end comes after the start");
});

on_each_backend!(allocation_endpoints, |srv| {
    let p = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "192.0.2.0/29"}))
        .await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "192.0.2.2/29"}),
    )
    .await;
    let ips = srv
        .get(&format!("/api/ipam/prefixes/{}/available-ips/", p["id"]))
        .await;
    let got: Vec<&str> = ips
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            "192.0.2.1/29",
            "192.0.2.3/29",
            "192.0.2.4/29",
            "192.0.2.5/29",
            "192.0.2.6/29"
        ]
    );
    assert_eq!(ips[0]["family"], 4);
    assert!(ips[0]["vrf"].is_null());
    let limited = srv
        .get(&format!(
            "/api/ipam/prefixes/{}/available-ips/?limit=2",
            p["id"]
        ))
        .await;
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let one = srv
        .post(
            &format!("/api/ipam/prefixes/{}/available-ips/", p["id"]),
            json!({"description": "first", "status": "reserved"}),
        )
        .await;
    assert_eq!(one["address"], "192.0.2.1/29");
    assert_eq!(one["status"]["value"], "reserved");
    let two = srv
        .post(
            &format!("/api/ipam/prefixes/{}/available-ips/", p["id"]),
            json!([{}, {"dns_name": "b.example.net"}]),
        )
        .await;
    assert_eq!(two[0]["address"], "192.0.2.3/29");
    assert_eq!(two[1]["address"], "192.0.2.4/29");
    let (s, e) = srv
        .call(
            "POST",
            &format!("/api/ipam/prefixes/{}/available-ips/", p["id"]),
            Some(json!([{}, {}, {}])),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        srv.get("/api/ipam/ip-addresses/?parent=192.0.2.0/29").await["count"],
        4,
        "nothing of the refused request stays"
    );

    let big = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "10.9.0.0/24", "status": "container"}),
        )
        .await;
    srv.post("/api/ipam/prefixes/", json!({"prefix": "10.9.0.0/26"}))
        .await;
    let free = srv
        .get(&format!(
            "/api/ipam/prefixes/{}/available-prefixes/",
            big["id"]
        ))
        .await;
    let blocks: Vec<&str> = free
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["prefix"].as_str().unwrap())
        .collect();
    assert_eq!(blocks, ["10.9.0.64/26", "10.9.0.128/25"]);
    let made = srv
        .post(
            &format!("/api/ipam/prefixes/{}/available-prefixes/", big["id"]),
            json!({"prefix_length": 28, "description": "x"}),
        )
        .await;
    assert_eq!(made["prefix"], "10.9.0.64/28");
    assert_eq!(made["_depth"], 1);
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/ipam/prefixes/{}/available-prefixes/", big["id"]),
            Some(json!({"prefix_length": 23})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Lengths are checked first, and answered as a list even for one object.
    let url = format!("/api/ipam/prefixes/{}/available-prefixes/", big["id"]);
    let (s, e) = srv.call("POST", &url, Some(json!({}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!([{"prefix_length": ["this field can not be missing"]}])
    );
    let (_, e) = srv
        .call(
            "POST",
            &url,
            Some(json!([{"prefix_length": 28}, {"prefix_length": "28"}, {"prefix_length": 33}])),
        )
        .await;
    assert_eq!(
        e,
        json!([{}, {"prefix_length": ["this field must be int type"]}, {"prefix_length": ["Invalid prefix length (33) for IPv4"]}])
    );
    // Every free block is listed, whatever the limit.
    let free = srv.get(&format!("{url}?limit=1")).await;
    assert_eq!(free.as_array().map(Vec::len), Some(3), "{free}");

    let range = srv
        .post(
            "/api/ipam/ip-ranges/",
            json!({"start_address": "10.50.0.10/24", "end_address": "10.50.0.12/24"}),
        )
        .await;
    let r = srv
        .get(&format!(
            "/api/ipam/ip-ranges/{}/available-ips/",
            range["id"]
        ))
        .await;
    assert_eq!(r.as_array().unwrap().len(), 3);
});

/// Many clients allocating from one prefix at once never receive the same address.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_allocation_hands_out_distinct_addresses() {
    for backend in crate::harness::backends() {
        let srv = std::sync::Arc::new(
            tokio::task::spawn_blocking(move || Server::new(backend))
                .await
                .expect("server"),
        );
        let p = srv
            .post("/api/ipam/prefixes/", json!({"prefix": "10.77.0.0/24"}))
            .await;
        let path = format!("/api/ipam/prefixes/{}/available-ips/", p["id"]);
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (srv, path) = (srv.clone(), path.clone());
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                for _ in 0..5 {
                    let (s, body) = srv.call("POST", &path, Some(json!({}))).await;
                    assert_eq!(s, StatusCode::CREATED, "{body}");
                    got.push(body["address"].as_str().unwrap().to_string());
                }
                got
            }));
        }
        let mut all: Vec<String> = Vec::new();
        for t in tasks {
            all.extend(t.await.expect("client"));
        }
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "every address handed out once");
        assert_eq!(
            srv.get("/api/ipam/ip-addresses/?parent=10.77.0.0/24").await["count"],
            40
        );
        let srv = std::sync::Arc::try_unwrap(srv).ok().expect("sole owner");
        tokio::task::spawn_blocking(move || drop(srv))
            .await
            .unwrap();
    }
}

on_each_backend!(vlan_and_asn_allocation, |srv| {
    // Without ranges a group holds every VID, as NetBox's default says.
    let all = srv
        .post(
            "/api/ipam/vlan-groups/",
            json!({"name": "all", "slug": "all"}),
        )
        .await;
    assert_eq!(all["vid_ranges"], json!([[1, 4094]]));
    let free = srv
        .get(&format!(
            "/api/ipam/vlan-groups/{}/available-vlans/?limit=0",
            all["id"]
        ))
        .await;
    assert_eq!(free[0]["vid"], 1);
    let g = srv
        .post(
            "/api/ipam/vlan-groups/",
            json!({"name": "fra1", "slug": "fra1", "vid_ranges": [[100, 102], [200, 201]]}),
        )
        .await;
    srv.post(
        "/api/ipam/vlans/",
        json!({"vid": 101, "name": "used", "group": g["id"]}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/vlans/",
            Some(json!({"vid": 150, "name": "out", "group": g["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["vid"][0],
        "VID must be in ranges 100-102, 200-201 for VLANs in group fra1"
    );
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/vlans/",
            Some(json!({"vid": 101, "name": "again", "group": g["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a VID once per group");
    assert_eq!(
        e["__all__"][0],
        "VLAN with this Group and VLAN ID already exists."
    );
    srv.post("/api/ipam/vlans/", json!({"vid": 101, "name": "ungrouped"}))
        .await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/vlan-groups/",
            Some(json!({"name": "x", "slug": "x", "vid_ranges": [[1, 10], [5, 20]]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "ranges may not overlap");
    let free = srv
        .get(&format!(
            "/api/ipam/vlan-groups/{}/available-vlans/",
            g["id"]
        ))
        .await;
    let vids: Vec<i64> = free
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["vid"].as_i64().unwrap())
        .collect();
    assert_eq!(vids, [100, 102, 200, 201]);
    assert_eq!(free[0]["group"]["id"], g["id"]);
    let made = srv
        .post(
            &format!("/api/ipam/vlan-groups/{}/available-vlans/", g["id"]),
            json!([{"name": "a"}, {"name": "b"}]),
        )
        .await;
    assert_eq!(made[0]["vid"], 100);
    assert_eq!(made[1]["vid"], 102);
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/ipam/vlan-groups/{}/available-vlans/", g["id"]),
            Some(json!([{"name": "c"}, {"name": "d"}, {"name": "e"}])),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let group = srv
        .get(&format!("/api/ipam/vlan-groups/{}/", g["id"]))
        .await;
    assert_eq!(group["vlan_count"], 3);
    assert_eq!(group["utilization"], "60.0", "3 of 5 VIDs");

    let rir = srv
        .post(
            "/api/ipam/rirs/",
            json!({"name": "private", "slug": "private"}),
        )
        .await;
    let range = srv
        .post(
            "/api/ipam/asn-ranges/",
            json!({"name": "r", "slug": "r", "rir": rir["id"], "start": 64600, "end": 64602}),
        )
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/asn-ranges/",
            Some(json!({"name": "x", "slug": "x", "rir": rir["id"], "start": 65000, "end": 65000})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Starting ASN (65000) must be lower than ending ASN (65000)."
    );
    srv.post("/api/ipam/asns/", json!({"asn": 64600, "rir": rir["id"]}))
        .await;
    let free = srv
        .get(&format!(
            "/api/ipam/asn-ranges/{}/available-asns/",
            range["id"]
        ))
        .await;
    let asns: Vec<i64> = free
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["asn"].as_i64().unwrap())
        .collect();
    assert_eq!(asns, [64601, 64602]);
    assert_eq!(free[0]["rir"]["id"], rir["id"]);
    let asn = srv
        .post(
            &format!("/api/ipam/asn-ranges/{}/available-asns/", range["id"]),
            json!({"description": "auto"}),
        )
        .await;
    assert_eq!(asn["asn"], 64601);
    assert_eq!(asn["rir"]["id"], rir["id"]);
});

on_each_backend!(assignment_filters_and_range_overlap, |srv| {
    let (dev, iface) = device_with_interface(&srv, "d1", "eth0").await;
    let inside = srv
        .post("/api/ipam/ip-addresses/", json!({"address": "10.3.0.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}))
        .await;
    srv.post("/api/ipam/ip-addresses/", json!({"address": "10.3.0.2/24"}))
        .await;
    let outside = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "203.0.113.1/32", "nat_inside": inside["id"]}),
        )
        .await;
    let count = |q: String| {
        let srv = &srv;
        async move {
            srv.get(&format!("/api/ipam/ip-addresses/?{q}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count(format!("interface_id={}", iface["id"])).await, 1);
    assert_eq!(count("interface=eth0".into()).await, 1);
    assert_eq!(count(format!("device_id={}", dev["id"])).await, 1);
    assert_eq!(count("device=d1".into()).await, 1);
    let (s, _) = srv
        .call("GET", "/api/ipam/ip-addresses/?interface_id=999999", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "no such interface");
    assert_eq!(count("assigned=true".into()).await, 1);
    assert_eq!(count("assigned=false".into()).await, 2);
    assert_eq!(count("assigned_to_interface=true".into()).await, 1);
    assert_eq!(count("assigned_to_interface=false".into()).await, 2);
    let i = srv
        .get(&format!("/api/ipam/ip-addresses/{}/", inside["id"]))
        .await;
    assert_eq!(i["nat_outside"][0]["id"], outside["id"]);

    let svc = srv
        .post("/api/ipam/services/", json!({"parent_object_type": "dcim.device", "parent_object_id": dev["id"], "name": "ssh", "protocol": "tcp", "ports": [22, 830]}))
        .await;
    let q = |p: String| {
        let srv = &srv;
        async move {
            srv.get(&format!("/api/ipam/services/?{p}")).await["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(q(format!("device_id={}", dev["id"])).await, 1, "{svc}");
    assert_eq!(q("port=830".into()).await, 1);
    assert_eq!(q("port=80".into()).await, 0);
    // Ports are 1-65535, and a service has at least one.
    for (ports, message) in [
        (
            json!([0]),
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            json!([22, 70000]),
            "Ensure this value is less than or equal to 65535.",
        ),
        (json!([]), "This field cannot be blank."),
    ] {
        for path in ["/api/ipam/services/", "/api/ipam/service-templates/"] {
            let (s, e) = srv
                .call(
                    "POST",
                    path,
                    Some(json!({"parent_object_type": "dcim.device", "parent_object_id": dev["id"], "name": "bad", "protocol": "tcp", "ports": ports})),
                )
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path} {ports}: {e}");
            assert_eq!(e["ports"][0], message, "{path} {ports}");
        }
    }
    assert_eq!(q("name=bad".into()).await, 0);

    srv.post(
        "/api/ipam/ip-ranges/",
        json!({"start_address": "10.9.0.10/24", "end_address": "10.9.0.20/24"}),
    )
    .await;
    for (a, b) in [
        ("10.9.0.15/24", "10.9.0.30/24"),
        ("10.9.0.10/24", "10.9.0.20/24"),
        ("10.9.0.1/24", "10.9.0.10/24"),
    ] {
        let (s, e) = srv
            .call(
                "POST",
                "/api/ipam/ip-ranges/",
                Some(json!({"start_address": a, "end_address": b})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{a}-{b} overlaps: {e}");
    }
    srv.post(
        "/api/ipam/ip-ranges/",
        json!({"start_address": "10.9.0.21/24", "end_address": "10.9.0.30/24"}),
    )
    .await;
});

on_each_backend!(primary_ips_belong_to_their_device, |srv| {
    let Addressed {
        d1,
        i1,
        i2,
        v4,
        v6,
        other,
    } = addressed_devices(&srv).await;
    let on = |iface: &serde_json::Value, a: &str| json!({"address": a, "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]});
    let loose = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.3/24"}),
        )
        .await;
    let patch = |body: serde_json::Value| {
        let srv = &srv;
        let path = format!("/api/dcim/devices/{}/", d1["id"]);
        async move { srv.call("PATCH", &path, Some(body)).await }
    };
    let (s, e) = patch(json!({"primary_ip4": v6["id"]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["primary_ip4"][0],
        "2001:db8::1/64 is not an IPv4 address."
    );
    let (s, e) = patch(json!({"primary_ip4": other["id"]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["primary_ip4"][0],
        "The specified IP address (192.0.2.2/24) is not assigned to this device."
    );
    let (s, _) = patch(json!({"primary_ip4": loose["id"]})).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "unassigned addresses are nobody's primary"
    );
    let nat = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "203.0.113.9/32", "nat_inside": v4["id"]}),
        )
        .await;
    let (s, body) = patch(json!({"primary_ip4": nat["id"], "primary_ip6": v6["id"]})).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the NAT outside address of an own address counts: {body}"
    );
    let (s, body) = patch(json!({"primary_ip4": v4["id"]})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        srv.get("/api/dcim/devices/?has_primary_ip=true").await["count"],
        1
    );
    // A primary address may not move to another device.
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/ipam/ip-addresses/{}/", v4["id"]),
            Some(json!({"assigned_object_id": i2["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["__all__"][0]
        .as_str()
        .unwrap()
        .starts_with("Cannot reassign IP address"));
    // Deleting it clears the device's primary IP.
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/ipam/ip-addresses/{}/", v4["id"]),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let d = srv.get(&format!("/api/dcim/devices/{}/", d1["id"])).await;
    assert!(d["primary_ip4"].is_null());
    assert_eq!(d["primary_ip6"]["id"], v6["id"]);

    // The out-of-band address follows the same rule, in either family.
    let (s, e) = patch(json!({"oob_ip": other["id"]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["oob_ip"][0],
        "The specified IP address (192.0.2.2/24) is not assigned to this device."
    );
    let oob = srv
        .post("/api/ipam/ip-addresses/", on(&i1, "198.51.100.1/24"))
        .await;
    let (s, body) = patch(json!({"oob_ip": oob["id"]})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["oob_ip"]["id"], oob["id"]);
    srv.call(
        "DELETE",
        &format!("/api/ipam/ip-addresses/{}/", oob["id"]),
        None,
    )
    .await;
    let d = srv.get(&format!("/api/dcim/devices/{}/", d1["id"])).await;
    assert!(d["oob_ip"].is_null(), "deleting the address clears it");

    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/ip-addresses/",
            Some(json!({"address": "192.0.2.50/24", "status": "slaac"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["status"][0],
        "Only IPv6 addresses can be assigned SLAAC status"
    );
});

fn v4(n: u32) -> String {
    std::net::Ipv4Addr::from(n).to_string()
}

// Free addresses and free blocks of random prefixes with random contents agree with a
// bitmap model of the same space.
on_each_backend!(allocation_matches_a_reference_model, |srv| {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for case in 0..12u32 {
        let len = 26 + (rng.draw() % 4) as u32; // /26 … /29
        let size = 1u32 << (32 - len);
        let base = (10u32 << 24) | (case << 16);
        let pool = rng.draw().is_multiple_of(3);
        let p = srv
            .post(
                "/api/ipam/prefixes/",
                json!({"prefix": format!("{}/{len}", v4(base)), "is_pool": pool}),
            )
            .await;
        // Random used addresses.
        let mut used = vec![false; size as usize];
        for off in 0..size {
            if rng.draw().is_multiple_of(3) {
                used[off as usize] = true;
                srv.post(
                    "/api/ipam/ip-addresses/",
                    json!({"address": format!("{}/{len}", v4(base + off))}),
                )
                .await;
            }
        }
        let (first, last) = if pool { (0, size - 1) } else { (1, size - 2) };
        let expected: Vec<String> = (first..=last)
            .filter(|o| !used[*o as usize])
            .map(|o| format!("{}/{len}", v4(base + o)))
            .collect();
        let got = srv
            .get(&format!(
                "/api/ipam/prefixes/{}/available-ips/?limit=0",
                p["id"]
            ))
            .await;
        let got: Vec<String> = got
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["address"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, expected, "case {case}: /{len} pool={pool}");
        let usage = srv
            .get(&format!("/api/ipam/prefixes/{}/utilization/", p["id"]))
            .await;
        let used_count = used.iter().filter(|u| **u).count();
        assert_eq!(usage["used"], used_count, "case {case}: used addresses");
        assert_eq!(usage["size"], if pool { size } else { size - 2 });

        // Random child prefixes in a container, then the free blocks.
        let cbase = (172u32 << 24) | (16 << 16) | (case << 8);
        let container = srv
            .post(
                "/api/ipam/prefixes/",
                json!({"prefix": format!("{}/24", v4(cbase)), "status": "container"}),
            )
            .await;
        let mut taken = [false; 256];
        for _ in 0..4 {
            let clen = 26 + (rng.draw() % 5) as u32; // /26 … /30
            let csize = 1u32 << (32 - clen);
            let start = ((rng.draw() as u32) % 256) / csize * csize;
            if taken[start as usize..(start + csize) as usize]
                .iter()
                .any(|t| *t)
            {
                continue;
            }
            taken[start as usize..(start + csize) as usize]
                .iter_mut()
                .for_each(|t| *t = true);
            srv.post(
                "/api/ipam/prefixes/",
                json!({"prefix": format!("{}/{clen}", v4(cbase + start))}),
            )
            .await;
        }
        // The model: greedy largest aligned blocks over the free runs.
        let mut expected = Vec::new();
        let mut a = 0u32;
        while a < 256 {
            if taken[a as usize] {
                a += 1;
                continue;
            }
            let mut bits = if a == 0 { 8 } else { a.trailing_zeros().min(8) };
            while bits > 0
                && (a + (1 << bits) > 256
                    || taken[a as usize..(a + (1 << bits)) as usize]
                        .iter()
                        .any(|t| *t))
            {
                bits -= 1;
            }
            expected.push(format!("{}/{}", v4(cbase + a), 32 - bits));
            a += 1 << bits;
        }
        let got = srv
            .get(&format!(
                "/api/ipam/prefixes/{}/available-prefixes/",
                container["id"]
            ))
            .await;
        let got: Vec<String> = got
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["prefix"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, expected, "case {case}: blocks");
        let usage = srv
            .get(&format!(
                "/api/ipam/prefixes/{}/utilization/",
                container["id"]
            ))
            .await;
        let taken_count = taken.iter().filter(|t| **t).count();
        assert_eq!(usage["used"], taken_count, "case {case}: container usage");
        assert_eq!(usage["size"], 256);
    }
});

on_each_backend!(address_rules_and_vrf_presence, |srv| {
    let (_, i) = device_with_interface(&srv, "d", "e0").await;
    let on = |a: &str| json!({"address": a, "assigned_object_type": "dcim.interface", "assigned_object_id": i["id"]});
    let (s, e) = srv
        .call("POST", "/api/ipam/ip-addresses/", Some(on("10.5.0.0/24")))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"__all__": ["10.5.0.0 is a network ID, which may not be assigned to an interface."]})
    );
    let (s, e) = srv
        .call("POST", "/api/ipam/ip-addresses/", Some(on("10.5.0.255/24")))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["__all__"][0].as_str().unwrap().contains("broadcast"));
    srv.post("/api/ipam/ip-addresses/", on("10.6.0.0/31")).await;
    srv.post("/api/ipam/ip-addresses/", json!({"address": "10.5.0.0/24"}))
        .await;
    let named = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "10.5.0.7/24", "dns_name": "Host-7.Example.NET"}),
        )
        .await;
    assert_eq!(named["dns_name"], "host-7.example.net");
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/ip-addresses/",
            Some(json!({"address": "10.5.0.8/24", "dns_name": "bad name!"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    srv.post("/api/ipam/ip-ranges/", json!({"start_address": "10.7.0.10/24", "end_address": "10.7.0.20/24", "mark_populated": true}))
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/ip-addresses/",
            Some(json!({"address": "10.7.0.15/24"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["address"][0]
        .as_str()
        .unwrap()
        .starts_with("Cannot create IP address 10.7.0.15/24 inside range"));
    // Only creation is refused: an address that was there first stays editable.
    let before = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "10.8.0.15/24"}),
        )
        .await;
    srv.post("/api/ipam/ip-ranges/", json!({"start_address": "10.8.0.10/24", "end_address": "10.8.0.20/24", "mark_populated": true}))
        .await;
    let edited = srv
        .patch(
            &format!("/api/ipam/ip-addresses/{}/", before["id"]),
            json!({"description": "kept"}),
        )
        .await;
    assert_eq!(edited["description"], "kept");

    // VRF b imports what a exports: a's prefixes are present in b.
    let rt = srv
        .post("/api/ipam/route-targets/", json!({"name": "65000:1"}))
        .await;
    let a = srv
        .post(
            "/api/ipam/vrfs/",
            json!({"name": "a", "rd": "65000:100", "export_targets": [rt["id"]]}),
        )
        .await;
    let b = srv
        .post(
            "/api/ipam/vrfs/",
            json!({"name": "b", "rd": "65000:200", "import_targets": [rt["id"]]}),
        )
        .await;
    let c = srv
        .post("/api/ipam/vrfs/", json!({"name": "c", "rd": "65000:300"}))
        .await;
    for (p, v) in [
        ("192.168.1.0/24", &a),
        ("192.168.2.0/24", &b),
        ("192.168.3.0/24", &c),
    ] {
        srv.post("/api/ipam/prefixes/", json!({"prefix": p, "vrf": v["id"]}))
            .await;
    }
    let present = |q: String| {
        let srv = &srv;
        async move {
            let mut v: Vec<String> = srv.get(&format!("/api/ipam/prefixes/?{q}")).await["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["prefix"].as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(
        present(format!("present_in_vrf_id={}", b["id"])).await,
        ["192.168.1.0/24", "192.168.2.0/24"]
    );
    assert_eq!(
        present("present_in_vrf=65000:300".into()).await,
        ["192.168.3.0/24"]
    );
});

// A long fully used run at the start of a prefix is skipped window by window.
on_each_backend!(free_addresses_after_a_long_used_run, |srv| {
    let p = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "10.88.0.0/22"}))
        .await;
    let used: Vec<serde_json::Value> = (1..=700u32)
        .map(|n| json!({"address": format!("10.88.{}.{}/22", n / 256, n % 256)}))
        .collect();
    srv.post("/api/ipam/ip-addresses/", json!(used)).await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.88.2.190/22"}),
    )
    .await;
    let free = srv
        .get(&format!(
            "/api/ipam/prefixes/{}/available-ips/?limit=3",
            p["id"]
        ))
        .await;
    let got: Vec<&str> = free
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["address"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["10.88.2.189/22", "10.88.2.191/22", "10.88.2.192/22"]);

    // Repeated addresses (shared roles; any role in a VRF without enforce_unique) fill
    // one slot each: a window holding as many rows as slots may still have a gap.
    let loose = srv
        .post(
            "/api/ipam/vrfs/",
            json!({"name": "loose", "enforce_unique": false}),
        )
        .await;
    for (vrf, role) in [(Value::Null, "vrrp"), (loose["id"].clone(), "")] {
        let p = srv
            .post(
                "/api/ipam/prefixes/",
                json!({"prefix": "10.89.0.0/29", "vrf": vrf}),
            )
            .await;
        for host in [1, 2, 3, 3, 5, 6] {
            srv.post(
                "/api/ipam/ip-addresses/",
                json!({"address": format!("10.89.0.{host}/29"), "vrf": vrf, "role": role}),
            )
            .await;
        }
        let free = srv
            .get(&format!("/api/ipam/prefixes/{}/available-ips/", p["id"]))
            .await;
        assert_eq!(free.as_array().unwrap().len(), 1, "{role}: {free}");
        assert_eq!(free[0]["address"], "10.89.0.4/29");
        let made = srv
            .post(
                &format!("/api/ipam/prefixes/{}/available-ips/", p["id"]),
                json!({}),
            )
            .await;
        assert_eq!(made["address"], "10.89.0.4/29");
        assert_eq!(usage(&srv, "prefixes", &p["id"]).await.1, 6);
    }
});

async fn usage(srv: &Server, path: &str, id: &Value) -> (f64, u128, u128) {
    let u = srv
        .get(&format!("/api/ipam/{path}/{id}/utilization/"))
        .await;
    // Beyond 64 bits the harness's JSON holds a float; powers of two stay exact.
    let n = |k: &str| {
        u[k].as_u64()
            .map(u128::from)
            .unwrap_or_else(|| u[k].as_f64().unwrap() as u128)
    };
    (u["utilization"].as_f64().unwrap(), n("used"), n("size"))
}

// Utilization as NetBox computes it: containers by child prefixes of their VRF, others by
// distinct addresses plus ranges marked utilized, IPv4 network/broadcast excluded unless
// a pool or /31–/32; ranges by their addresses; aggregates by prefixes of any VRF.
on_each_backend!(utilization_of_prefixes_ranges_and_aggregates, |srv| {
    let vrf = srv.post("/api/ipam/vrfs/", json!({"name": "blue"})).await;
    let net = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "10.0.0.0/24"}))
        .await;
    for a in ["10.0.0.1/24", "10.0.0.2/24", "10.0.0.3/24"] {
        srv.post("/api/ipam/ip-addresses/", json!({"address": a}))
            .await;
    }
    // The same host twice (a shared role) counts once.
    for _ in 0..2 {
        srv.post(
            "/api/ipam/ip-addresses/",
            json!({"address": "10.0.0.4/24", "role": "vip"}),
        )
        .await;
    }
    // Another VRF's address is not this prefix's.
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "10.0.0.5/24", "vrf": vrf["id"]}),
    )
    .await;
    assert_eq!(usage(&srv, "prefixes", &net["id"]).await, (1.57, 4, 254));

    // A range marked utilized counts whole, its own addresses not twice.
    let range = srv
        .post(
            "/api/ipam/ip-ranges/",
            json!({"start_address": "10.0.0.3/24", "end_address": "10.0.0.12/24", "mark_utilized": true}),
        )
        .await;
    assert_eq!(usage(&srv, "prefixes", &net["id"]).await.1, 2 + 10);
    assert_eq!(
        usage(&srv, "ip-ranges", &range["id"]).await,
        (100.0, 10, 10)
    );
    srv.patch(
        &format!("/api/ipam/ip-ranges/{}/", range["id"]),
        json!({"mark_utilized": false}),
    )
    .await;
    assert_eq!(usage(&srv, "ip-ranges", &range["id"]).await, (20.0, 2, 10));
    assert_eq!(usage(&srv, "prefixes", &net["id"]).await.1, 4);

    // mark_utilized, pools and point-to-point sizes.
    srv.patch(
        &format!("/api/ipam/prefixes/{}/", net["id"]),
        json!({"mark_utilized": true}),
    )
    .await;
    assert_eq!(usage(&srv, "prefixes", &net["id"]).await.0, 100.0);
    let pool = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "10.9.0.0/30", "is_pool": true}),
        )
        .await;
    srv.post("/api/ipam/ip-addresses/", json!({"address": "10.9.0.0/30"}))
        .await;
    assert_eq!(usage(&srv, "prefixes", &pool["id"]).await, (25.0, 1, 4));
    let p2p = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "10.9.1.0/31"}))
        .await;
    assert_eq!(usage(&srv, "prefixes", &p2p["id"]).await.2, 2);
    let v6 = srv
        .post("/api/ipam/prefixes/", json!({"prefix": "2001:db8::/64"}))
        .await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "2001:db8::1/64"}),
    )
    .await;
    assert_eq!(
        usage(&srv, "prefixes", &v6["id"]).await,
        (0.0, 1, 1u128 << 64),
        "IPv6 has no network or broadcast exclusion"
    );

    // A global container: child prefixes of the global table only, nested ones once.
    let top = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "172.16.0.0/16", "status": "container"}),
        )
        .await;
    for (p, v) in [
        ("172.16.0.0/17", Value::Null),
        ("172.16.0.0/24", Value::Null),
        ("172.16.128.0/18", vrf["id"].clone()),
    ] {
        srv.post("/api/ipam/prefixes/", json!({"prefix": p, "vrf": v}))
            .await;
    }
    assert_eq!(
        usage(&srv, "prefixes", &top["id"]).await,
        (50.0, 32768, 65536)
    );

    // An aggregate: prefixes of every VRF, itself included when equal.
    let rir = srv
        .post(
            "/api/ipam/rirs/",
            json!({"name": "private", "slug": "private"}),
        )
        .await;
    let agg = srv
        .post(
            "/api/ipam/aggregates/",
            json!({"prefix": "172.16.0.0/12", "rir": rir["id"]}),
        )
        .await;
    assert_eq!(
        usage(&srv, "aggregates", &agg["id"]).await,
        (6.25, 65536, 1 << 20)
    );

    let (s, _) = srv
        .call("GET", "/api/ipam/prefixes/999999/utilization/", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/ipam/prefixes/{}/utilization/", net["id"]),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
});

// A VLAN's site agrees with its group's site or site-group scope; Q-in-Q customer VLANs
// (and only they) sit in a service VLAN.
on_each_backend!(vlan_scope_and_qinq_rules, |srv| {
    let region_group = srv
        .post(
            "/api/dcim/site-groups/",
            json!({"name": "Metro", "slug": "metro"}),
        )
        .await;
    let fra = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "FRA", "slug": "fra", "group": region_group["id"]}),
        )
        .await;
    let ams = srv
        .post("/api/dcim/sites/", json!({"name": "AMS", "slug": "ams"}))
        .await;
    let by_site = srv
        .post(
            "/api/ipam/vlan-groups/",
            json!({"name": "fra-vlans", "slug": "fra-vlans", "scope_type": "dcim.site", "scope_id": fra["id"]}),
        )
        .await;
    let by_group = srv
        .post(
            "/api/ipam/vlan-groups/",
            json!({"name": "metro-vlans", "slug": "metro-vlans", "scope_type": "dcim.sitegroup", "scope_id": region_group["id"]}),
        )
        .await;
    let refused = |body: Value| {
        let srv = &srv;
        async move {
            let (s, e) = srv.call("POST", "/api/ipam/vlans/", Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
            e
        }
    };
    let e =
        refused(json!({"vid": 10, "name": "a", "group": by_site["id"], "site": ams["id"]})).await;
    assert_eq!(
        e["__all__"][0],
        "VLAN is assigned to group fra-vlans (scope: FRA); cannot also assign to site AMS."
    );
    let e =
        refused(json!({"vid": 10, "name": "a", "group": by_group["id"], "site": ams["id"]})).await;
    assert_eq!(
        e["__all__"][0],
        "The assigned site AMS is not a member of the assigned group metro-vlans (scope: Metro)."
    );
    for g in [&by_site, &by_group] {
        srv.post(
            "/api/ipam/vlans/",
            json!({"vid": 10, "name": "ok", "group": g["id"], "site": fra["id"]}),
        )
        .await;
    }

    let svlan = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 100, "name": "svc", "qinq_role": "svlan"}),
        )
        .await;
    let e = refused(json!({"vid": 11, "name": "c", "qinq_role": "cvlan"})).await;
    assert_eq!(
        e["qinq_role"][0],
        "A Q-in-Q customer VLAN must be assigned to a service VLAN."
    );
    let e = refused(json!({"vid": 11, "name": "c", "qinq_svlan": svlan["id"]})).await;
    assert_eq!(
        e["qinq_svlan"][0],
        "Only Q-in-Q customer VLANs maybe assigned to a service VLAN."
    );
    let cvlan = srv
        .post(
            "/api/ipam/vlans/",
            json!({"vid": 11, "name": "c", "qinq_role": "cvlan", "qinq_svlan": svlan["id"]}),
        )
        .await;
    assert_eq!(cvlan["qinq_svlan"]["id"], svlan["id"]);
    // VIDs repeat across service VLANs, not within one.
    let e =
        refused(json!({"vid": 11, "name": "c2", "qinq_role": "cvlan", "qinq_svlan": svlan["id"]}))
            .await;
    assert_eq!(
        e["__all__"][0],
        "VLAN with this Qinq svlan and VLAN ID already exists."
    );
    assert_eq!(
        srv.count(&format!("/api/ipam/vlans/?qinq_svlan_id={}", svlan["id"]))
            .await,
        1
    );
});

// An interface counts the addresses and FHRP groups assigned to it (NetBox's
// `count_ipaddresses` and `count_fhrp_groups` properties), on lists and details.
on_each_backend!(interfaces_count_their_addresses_and_fhrp_groups, |srv| {
    let (_, i) = device_with_interface(&srv, "d1", "e0").await;
    let (_, other) = device_with_interface(&srv, "d2", "e0").await;
    for (iface, a) in [
        (&i, "192.0.2.1/24"),
        (&i, "192.0.2.2/24"),
        (&other, "192.0.2.3/24"),
    ] {
        srv.post(
            "/api/ipam/ip-addresses/",
            json!({"address": a, "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}),
        )
        .await;
    }
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 1}),
        )
        .await;
    srv.post(
        "/api/ipam/fhrp-group-assignments/",
        json!({"group": group["id"], "interface_type": "dcim.interface", "interface_id": i["id"], "priority": 100}),
    )
    .await;
    let one = srv.get(&format!("/api/dcim/interfaces/{}/", i["id"])).await;
    assert_eq!(one["count_ipaddresses"], 2);
    assert_eq!(one["count_fhrp_groups"], 1);
    let listed = srv
        .get(&format!(
            "/api/dcim/interfaces/?id={}&id={}",
            i["id"], other["id"]
        ))
        .await;
    let counts: Vec<(i64, i64)> = listed["results"]
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (
                r["count_ipaddresses"].as_i64().unwrap_or(-1),
                r["count_fhrp_groups"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(counts, [(2, 1), (1, 0)]);
});

on_each_backend!(context_primary_ips_are_their_devices, |srv| {
    let Addressed {
        d1, v4, v6, other, ..
    } = addressed_devices(&srv).await;
    let vdc = |extra: serde_json::Value| {
        let mut b = json!({"name": "ctx", "device": d1["id"], "status": "active"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let path = "/api/dcim/virtual-device-contexts/";
    let (s, e) = srv
        .call("POST", path, Some(vdc(json!({"primary_ip4": v6["id"]}))))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"primary_ip4": ["2001:db8::1/64 is not an IPv4 address."]})
    );
    let (s, e) = srv
        .call("POST", path, Some(vdc(json!({"primary_ip4": other["id"]}))))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"primary_ip4": ["Primary IP address must belong to an interface on the assigned device."]})
    );
    let made = srv
        .post(
            path,
            vdc(json!({"primary_ip4": v4["id"], "primary_ip6": v6["id"]})),
        )
        .await;
    assert_eq!(made["primary_ip"]["id"], v6["id"]);
});

on_each_backend!(scopes_given_by_half_answer_as_netbox, |srv| {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s1", "slug": "s1"}))
        .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/ipam/prefixes/",
            Some(json!({"prefix": "10.0.0.0/24", "scope_type": "dcim.site"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e, json!({"__all__": ["Please select a site."]}));
    let p = srv
        .post(
            "/api/ipam/prefixes/",
            json!({"prefix": "10.0.0.0/24", "scope_id": site["id"]}),
        )
        .await;
    assert_eq!(
        p["scope"],
        serde_json::Value::Null,
        "a bare scope_id is ignored"
    );
    for (body, msg) in [
        (
            json!({"scope_type": "dcim.site"}),
            "Cannot set scope_type without scope_id.",
        ),
        (
            json!({"scope_id": site["id"]}),
            "Cannot set scope_id without scope_type.",
        ),
    ] {
        let mut body = body;
        body["name"] = json!("g");
        body["slug"] = json!("g");
        let (s, e) = srv.call("POST", "/api/ipam/vlan-groups/", Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e, json!({"__all__": [msg]}));
    }
});

on_each_backend!(ranges_are_one_version_ascending_and_bounded, |srv| {
    let path = "/api/ipam/ip-ranges/";
    for (start, end, key, msg) in [
        (
            "10.0.0.1/24",
            "2001:db8::1/24",
            "end_address",
            "Starting and ending IP address versions must match",
        ),
        (
            "10.0.0.1/24",
            "10.0.0.9/25",
            "end_address",
            "Starting and ending IP address masks must match",
        ),
        (
            "10.0.0.9/24",
            "10.0.0.1/24",
            "end_address",
            "Ending address must be greater than the starting address (10.0.0.9/24)",
        ),
        (
            "2001:db8::/64",
            "2001:db8::1:0:0/64",
            "__all__",
            "Defined range exceeds maximum supported size (4294967295)",
        ),
    ] {
        let (s, e) = srv
            .call(
                "POST",
                path,
                Some(json!({"start_address": start, "end_address": end})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{start}-{end}: {e}");
        assert_eq!(e, json!({key: [msg]}), "{start}-{end}");
    }
    let r = srv
        .post(
            path,
            json!({"start_address": "2001:db8::/64", "end_address": "2001:db8::fffe:ffff/64"}),
        )
        .await;
    assert_eq!(r["size"], 4294901760_i64);
});

on_each_backend!(vid_ranges_are_pairs_of_integers, |srv| {
    for (ranges, msg) in [
        (
            json!("junk"),
            "Expected a list of items but got type \"str\".",
        ),
        (
            json!([[5]]),
            "Ranges must be specified in the form (lower, upper).",
        ),
        (
            json!([[1, "9"]]),
            "Range boundaries must be defined as integers.",
        ),
        (
            json!([[0, 9]]),
            "Starting VLAN ID in range (0) cannot be less than 1",
        ),
        (json!([]), "This field cannot be blank."),
    ] {
        let (s, e) = srv
            .call(
                "POST",
                "/api/ipam/vlan-groups/",
                Some(json!({"name": "g", "slug": "g", "vid_ranges": ranges})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{ranges}");
        assert_eq!(e, json!({"vid_ranges": [msg]}), "{ranges}");
    }
    let g = srv
        .post(
            "/api/ipam/vlan-groups/",
            json!({"name": "g", "slug": "g", "vid_ranges": [[100, 199]]}),
        )
        .await;
    assert_eq!(g["vid_ranges"], json!([[100, 199]]));
});

/// Two devices with an interface each: d1's holds 192.0.2.1/24 and 2001:db8::1/64, d2's
/// holds 192.0.2.2/24.
struct Addressed {
    d1: serde_json::Value,
    i1: serde_json::Value,
    i2: serde_json::Value,
    v4: serde_json::Value,
    v6: serde_json::Value,
    other: serde_json::Value,
}

async fn addressed_devices(srv: &crate::harness::Server) -> Addressed {
    let (d1, i1) = device_with_interface(srv, "d1", "e0").await;
    let (_, i2) = device_with_interface(srv, "d2", "e0").await;
    let on = |iface: &serde_json::Value, a: &str| json!({"address": a, "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]});
    let path = "/api/ipam/ip-addresses/";
    let v4 = srv.post(path, on(&i1, "192.0.2.1/24")).await;
    let v6 = srv.post(path, on(&i1, "2001:db8::1/64")).await;
    let other = srv.post(path, on(&i2, "192.0.2.2/24")).await;
    Addressed {
        d1,
        i1,
        i2,
        v4,
        v6,
        other,
    }
}
