use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::Server;
use crate::on_each_backend;

/// Creates, reads, filters, patches and deletes one object of an endpoint.
async fn crud(srv: &Server, path: &str, body: Value, patch: Value) {
    let created = srv.post(path, body.clone()).await;
    let id = created["id"].as_i64().unwrap();
    let detail = format!("{path}{id}/");
    let got = srv.get(&detail).await;
    for (k, v) in body.as_object().unwrap() {
        if v.is_string() && k != "password" && k != "object_type" {
            assert_eq!(&got[k], v, "{path} {k}");
        }
    }
    assert_eq!(srv.get(&format!("{path}?id={id}")).await["count"], 1);
    let (s, patched) = srv.call("PATCH", &detail, Some(patch.clone())).await;
    assert_eq!(s, StatusCode::OK, "{path} {patched}");
    for (k, v) in patch.as_object().unwrap() {
        assert_eq!(&patched[k], v, "{path} patched {k}");
    }
    let brief = srv.get(&format!("{detail}?brief=1")).await;
    assert_eq!(brief["id"], id);
    assert!(brief["display"].is_string());
    let (s, body) = srv.call("DELETE", &detail, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{path} {body}");
}

on_each_backend!(every_model_round_trips, |srv| {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "hq", "slug": "hq"}))
        .await;
    let contact = srv
        .post("/api/tenancy/contacts/", json!({"name": "Bob"}))
        .await;
    let owner = srv
        .post(
            "/api/tenancy/contact-roles/",
            json!({"name": "owner", "slug": "owner"}),
        )
        .await;
    let user = srv.get("/api/users/users/?username=admin").await["results"][0]["id"].clone();
    crud(
        &srv,
        "/api/tenancy/tenant-groups/",
        json!({"name": "g", "slug": "g"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/tenancy/tenants/",
        json!({"name": "t", "slug": "t"}),
        json!({"comments": "c"}),
    )
    .await;
    crud(
        &srv,
        "/api/tenancy/contact-groups/",
        json!({"name": "cg", "slug": "cg"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/tenancy/contact-roles/",
        json!({"name": "r", "slug": "r"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/tenancy/contacts/",
        json!({"name": "c", "email": "c@example.com"}),
        json!({"phone": "123"}),
    )
    .await;
    crud(
        &srv,
        "/api/tenancy/contact-assignments/",
        json!({"object_type": "dcim.site", "object_id": site["id"], "contact": contact["id"], "role": owner["id"]}),
        json!({"priority": {"value": "secondary", "label": "Secondary"}}),
    )
    .await;
    crud(
        &srv,
        "/api/dcim/regions/",
        json!({"name": "r", "slug": "r"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/dcim/site-groups/",
        json!({"name": "sg", "slug": "sg"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/dcim/sites/",
        json!({"name": "s", "slug": "s"}),
        json!({"time_zone": "Europe/Berlin"}),
    )
    .await;
    crud(
        &srv,
        "/api/dcim/locations/",
        json!({"name": "floor1", "slug": "floor1", "site": site["id"]}),
        json!({"status": {"value": "planned", "label": "Planned"}}),
    )
    .await;
    crud(
        &srv,
        "/api/extras/tags/",
        json!({"name": "t", "slug": "t"}),
        json!({"color": "00ff00"}),
    )
    .await;
    crud(
        &srv,
        "/api/users/groups/",
        json!({"name": "ops"}),
        json!({"description": "x"}),
    )
    .await;
    crud(
        &srv,
        "/api/users/users/",
        json!({"username": "u1", "password": "Secret-pass-123"}),
        json!({"first_name": "U"}),
    )
    .await;
    crud(
        &srv,
        "/api/users/tokens/",
        json!({"user": user}),
        json!({"description": "d"}),
    )
    .await;
});

on_each_backend!(tree_rules_hold, |srv| {
    let a = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "a", "slug": "a"}),
        )
        .await;
    let b = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "b", "slug": "b", "parent": a["id"]}),
        )
        .await;
    let c = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "c", "slug": "c", "parent": b["id"]}),
        )
        .await;
    assert_eq!(c["_depth"], 2);
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/tenancy/tenant-groups/{}/", a["id"]),
            Some(json!({"parent": c["id"]})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a node cannot move below itself: {e}"
    );
    // Moving b to the top re-depths its subtree.
    srv.call(
        "PATCH",
        &format!("/api/tenancy/tenant-groups/{}/", b["id"]),
        Some(json!({"parent": null})),
    )
    .await;
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenant-groups/{}/", c["id"]))
            .await["_depth"],
        1
    );
    let names: Vec<String> = srv.get("/api/tenancy/tenant-groups/").await["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["a", "b", "c"], "depth-first by name");
    let t = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "t", "slug": "t", "group": c["id"]}),
        )
        .await;
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenants/?group_id={}", b["id"]))
            .await["count"],
        1
    );
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenant-groups/{}/", b["id"]))
            .await["tenant_count"],
        1
    );
    assert_eq!(t["group"]["_depth"], 1);
});

on_each_backend!(locations_are_unique_per_site_and_parent, |srv| {
    let s1 = srv
        .post("/api/dcim/sites/", json!({"name": "s1", "slug": "s1"}))
        .await;
    let s2 = srv
        .post("/api/dcim/sites/", json!({"name": "s2", "slug": "s2"}))
        .await;
    srv.post(
        "/api/dcim/locations/",
        json!({"name": "f1", "slug": "f1", "site": s1["id"]}),
    )
    .await;
    srv.post(
        "/api/dcim/locations/",
        json!({"name": "f1", "slug": "f1", "site": s2["id"]}),
    )
    .await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/dcim/locations/",
            Some(json!({"name": "f1", "slug": "f1x", "site": s1["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
});

on_each_backend!(asns_and_permissions_link_both_ways, |srv| {
    let rir = srv
        .post("/api/ipam/rirs/", json!({"name": "ripe", "slug": "ripe"}))
        .await;
    let asn = srv
        .post("/api/ipam/asns/", json!({"asn": 64512, "rir": rir["id"]}))
        .await;
    assert_eq!(asn["display"], "AS64512");
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "s", "slug": "s", "asns": [asn["id"]]}),
        )
        .await;
    assert_eq!(site["asns"][0]["asn"], 64512);
    srv.post("/api/dcim/sites/", json!({"name": "t", "slug": "t"}))
        .await;
    assert_eq!(srv.get("/api/dcim/sites/?asn=64512").await["count"], 1);
    assert_eq!(
        srv.get(&format!("/api/dcim/sites/?asn_id={}", asn["id"]))
            .await["count"],
        1
    );
    assert_eq!(
        srv.get(&format!("/api/ipam/asns/?site_id={}", site["id"]))
            .await["count"],
        1
    );
    assert_eq!(
        srv.get(&format!("/api/ipam/asns/{}/", asn["id"])).await["site_count"],
        1
    );
    let (s, _) = srv
        .call(
            "POST",
            "/api/ipam/asns/",
            Some(json!({"asn": 4_294_967_296_i64})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "32-bit bound");
    let (s, body) = srv
        .call("DELETE", &format!("/api/ipam/rirs/{}/", rir["id"]), None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");

    let user = srv
        .post(
            "/api/users/users/",
            json!({"username": "u", "password": "Secret-pass-123"}),
        )
        .await;
    let group = srv.post("/api/users/groups/", json!({"name": "g"})).await;
    let perm = srv
        .post(
            "/api/users/permissions/",
            json!({"name": "p", "object_types": ["dcim.site"], "actions": ["view"], "users": [user["id"]], "groups": [group["id"]]}),
        )
        .await;
    assert_eq!(perm["object_types"], json!(["dcim.site"]));
    let u = srv.get(&format!("/api/users/users/{}/", user["id"])).await;
    assert_eq!(
        u["permissions"][0]["id"], perm["id"],
        "the user's side shows the grant"
    );
    let g = srv
        .get(&format!("/api/users/groups/{}/", group["id"]))
        .await;
    assert_eq!(g["permissions"][0]["id"], perm["id"]);
    let (s, _) = srv
        .call(
            "PATCH",
            &format!("/api/users/users/{}/", user["id"]),
            Some(json!({"permissions": []})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let p = srv
        .get(&format!("/api/users/permissions/{}/", perm["id"]))
        .await;
    assert_eq!(
        p["users"],
        json!([]),
        "writing the user's side updates the permission"
    );
    assert_eq!(p["groups"][0]["id"], group["id"]);
});

on_each_backend!(names_are_unique_among_siblings, |srv| {
    let eu = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "Europe", "slug": "eu"}),
        )
        .await;
    let us = srv
        .post("/api/dcim/regions/", json!({"name": "US", "slug": "us"}))
        .await;
    srv.post(
        "/api/dcim/regions/",
        json!({"name": "North", "slug": "north", "parent": eu["id"]}),
    )
    .await;
    srv.post(
        "/api/dcim/regions/",
        json!({"name": "North", "slug": "north", "parent": us["id"]}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/regions/",
            Some(json!({"name": "North", "slug": "n2", "parent": eu["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Region with this Parent and Name already exists."
    );
    let (s, e) = srv
        .call(
            "POST",
            "/api/dcim/regions/",
            Some(json!({"name": "Europe", "slug": "eu2"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "A top-level region with this name already exists."
    );
    // A top-level name may repeat below a parent.
    srv.post(
        "/api/dcim/regions/",
        json!({"name": "US", "slug": "us-eu", "parent": eu["id"]}),
    )
    .await;
    let g = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "g", "slug": "g"}),
        )
        .await;
    srv.post("/api/tenancy/tenants/", json!({"name": "t", "slug": "t"}))
        .await;
    srv.post(
        "/api/tenancy/tenants/",
        json!({"name": "t", "slug": "t", "group": g["id"]}),
    )
    .await;
    let (s, e) = srv
        .call(
            "POST",
            "/api/tenancy/tenants/",
            Some(json!({"name": "t", "slug": "t2"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Constraint “tenancy_tenant_unique_name” is violated."
    );
});

on_each_backend!(objects_of_a_request_are_filterable, |srv| {
    let t = srv
        .post("/api/tenancy/tenants/", json!({"name": "a", "slug": "a"}))
        .await;
    srv.post("/api/tenancy/tenants/", json!({"name": "b", "slug": "b"}))
        .await;
    let changes = srv
        .get(&format!(
            "/api/core/object-changes/?changed_object_id={}&changed_object_type=tenancy.tenant",
            t["id"]
        ))
        .await;
    let rid = changes["results"][0]["request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let found = srv
        .get(&format!("/api/tenancy/tenants/?created_by_request={rid}"))
        .await;
    assert_eq!(found["count"], 1);
    assert_eq!(found["results"][0]["id"], t["id"]);
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenants/?updated_by_request={rid}"))
            .await["count"],
        0
    );
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenants/?modified_by_request={rid}"))
            .await["count"],
        1
    );
});

on_each_backend!(tags_limited_to_object_types_go_on_those_only, |srv| {
    let (st, e) = srv
        .call(
            "POST",
            "/api/extras/tags/",
            Some(json!({"name": "t0", "slug": "t0", "object_types": ["extras.tag"]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "tags take no tags: {e}");
    assert_eq!(
        e,
        json!({"object_types": ["Invalid content type: extras.tag"]})
    );
    let sites_only = srv
        .post(
            "/api/extras/tags/",
            json!({"name": "sites-only", "slug": "sites-only", "object_types": ["dcim.site"]}),
        )
        .await;
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "s1", "slug": "s1", "tags": [sites_only["id"]]}),
        )
        .await;
    assert_eq!(site["tags"][0]["id"], sites_only["id"]);
    let (st, e) = srv
        .call(
            "POST",
            "/api/tenancy/tenants/",
            Some(json!({"name": "acme", "slug": "acme", "tags": [{"name": "sites-only"}]})),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(
        e,
        json!({"detail": "Tag sites-only cannot be assigned to tenant objects."})
    );
    assert_eq!(srv.count("/api/tenancy/tenants/").await, 0);
    // A tag already on an object stays when the object is saved again.
    let url = format!("/api/dcim/sites/{}/", site["id"]);
    srv.patch(&url, json!({"description": "x"})).await;
    assert_eq!(srv.get(&url).await["tags"][0]["id"], sites_only["id"]);
});

/// Concurrent moves and renames in one tree leave it consistent: the list is depth-first
/// and every node's depth is its parent's plus one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_tree_writes_keep_the_tree_whole() {
    for backend in crate::harness::backends() {
        let srv = std::sync::Arc::new(
            tokio::task::spawn_blocking(move || Server::new(backend))
                .await
                .expect("server"),
        );
        let a = srv
            .post("/api/dcim/regions/", json!({"name": "a", "slug": "a"}))
            .await;
        let b = srv
            .post("/api/dcim/regions/", json!({"name": "b", "slug": "b"}))
            .await;
        let mut tasks = Vec::new();
        for n in 0..4 {
            let (srv, a, b) = (srv.clone(), a["id"].clone(), b["id"].clone());
            tasks.push(tokio::spawn(async move {
                let made = srv
                    .post(
                        "/api/dcim/regions/",
                        json!({"name": format!("c{n}"), "slug": format!("c{n}"), "parent": a}),
                    )
                    .await;
                let url = format!("/api/dcim/regions/{}/", made["id"]);
                for round in 0..4 {
                    let parent = if round % 2 == 0 { &b } else { &a };
                    let (s, e) = srv
                        .call("PATCH", &url, Some(json!({"parent": parent})))
                        .await;
                    assert_eq!(s, StatusCode::OK, "{e}");
                }
            }));
        }
        {
            let srv = srv.clone();
            let url = format!("/api/dcim/regions/{}/", a["id"]);
            tasks.push(tokio::spawn(async move {
                for round in 0..6 {
                    let name = format!("a{round}");
                    let (s, e) = srv.call("PATCH", &url, Some(json!({"name": name}))).await;
                    assert_eq!(s, StatusCode::OK, "{e}");
                }
            }));
        }
        for t in tasks {
            t.await.expect("client");
        }
        let all = srv.get("/api/dcim/regions/?limit=0").await;
        let mut path: Vec<Value> = Vec::new();
        for r in all["results"].as_array().unwrap() {
            let depth = r["_depth"].as_u64().unwrap() as usize;
            assert!(depth <= path.len(), "{r}");
            path.truncate(depth);
            let parent = r["parent"]["id"].clone();
            assert_eq!(
                path.last().cloned().unwrap_or(Value::Null),
                parent,
                "depth-first, under its parent: {all}"
            );
            path.push(r["id"].clone());
        }
        let srv = std::sync::Arc::try_unwrap(srv).ok().expect("sole owner");
        tokio::task::spawn_blocking(move || drop(srv))
            .await
            .unwrap();
    }
}
