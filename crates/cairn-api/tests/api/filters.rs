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
    let asn = srv.post("/api/ipam/asns/", json!({"asn": 65001})).await;
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
            json!({"username": "u", "password": "pw-123456"}),
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
