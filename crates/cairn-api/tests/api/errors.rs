use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::harness::{Server, TOKEN};
use crate::on_each_backend;

async fn rejected(srv: &Server, path: &str, body: Value) -> Value {
    let before = srv.count(path).await;
    let (s, resp) = srv.call("POST", path, Some(body.clone())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body} -> {resp}");
    assert_eq!(
        srv.count(path).await,
        before,
        "a rejected request writes nothing"
    );
    resp
}

on_each_backend!(bad_input_is_a_400_per_field, |srv| {
    srv.post("/api/dcim/sites/", json!({"name": "fra1", "slug": "fra1"}))
        .await;
    let p = "/api/dcim/sites/";
    let e = rejected(&srv, p, json!({"slug": "x"})).await;
    assert_eq!(e, json!({"name": ["This field is required."]}));
    let e = rejected(
        &srv,
        p,
        json!({"name": "x", "slug": "x", "status": "bogus"}),
    )
    .await;
    assert_eq!(e["status"][0], "bogus is not a valid choice.");
    let e = rejected(&srv, p, json!({"name": "x".repeat(101), "slug": "x"})).await;
    assert_eq!(
        e["name"][0],
        "Ensure this field has no more than 100 characters."
    );
    let e = rejected(&srv, p, json!({"name": "fra1", "slug": "fra1"})).await;
    assert_eq!(e["name"][0], "site with this name already exists.");
    assert_eq!(e["slug"][0], "site with this slug already exists.");
    let e = rejected(
        &srv,
        p,
        json!({"name": "x", "slug": "x", "region": 99999999}),
    )
    .await;
    assert_eq!(
        e["region"][0],
        "Related object not found using the provided numeric ID: 99999999"
    );
    let e = rejected(
        &srv,
        p,
        json!({"name": "x", "slug": "x", "region": {"slug": "nope"}}),
    )
    .await;
    assert_eq!(
        e["region"][0],
        "Related object not found using the provided attributes: {'slug': 'nope'}"
    );
    let e = rejected(&srv, p, json!({"name": "x", "slug": "x", "tenant": "acme"})).await;
    assert!(e["tenant"][0]
        .as_str()
        .unwrap()
        .contains("Received an unrecognized value: acme"));
    let e = rejected(
        &srv,
        p,
        json!({"name": "x", "slug": "x", "latitude": "north"}),
    )
    .await;
    assert_eq!(e["latitude"][0], "A valid number is required.");
    let e = rejected(&srv, p, json!({"name": "x", "slug": "x", "latitude": 91})).await;
    assert!(e["latitude"][0]
        .as_str()
        .unwrap()
        .contains("less than or equal to 90"));
    let e = rejected(&srv, p, json!({"name": "x", "slug": "not a slug"})).await;
    assert!(e["slug"][0].as_str().unwrap().contains("slug"));
    let e = rejected(
        &srv,
        "/api/extras/tags/",
        json!({"name": "t", "slug": "t", "color": "red"}),
    )
    .await;
    assert_eq!(e["color"][0], "Enter a valid hexadecimal RGB color code.");
    let e = rejected(
        &srv,
        "/api/tenancy/tenant-groups/",
        json!({"name": "g", "slug": "g", "parent": "x"}),
    )
    .await;
    assert!(e["parent"].is_array());
    // A blank choice clears an optional field and is refused for a required one.
    let e = rejected(
        &srv,
        "/api/dcim/sites/",
        json!({"name": "b", "slug": "b", "status": ""}),
    )
    .await;
    assert_eq!(e["status"][0], "This field may not be blank.");
    let ip = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.1/24", "role": ""}),
        )
        .await;
    assert!(ip["role"].is_null(), "{ip}");
    // Generic relations take only the models NetBox allows for them.
    let site = srv.get("/api/dcim/sites/?slug=fra1").await["results"][0].clone();
    let e = rejected(
        &srv,
        "/api/ipam/ip-addresses/",
        json!({"address": "192.0.2.2/24", "assigned_object_type": "dcim.site", "assigned_object_id": site["id"]}),
    )
    .await;
    assert_eq!(
        e["assigned_object_type"][0],
        "Invalid content type: dcim.site"
    );
    let e = rejected(
        &srv,
        "/api/ipam/ip-addresses/",
        json!({"address": "192.0.2.2/24", "assigned_object_type": "site", "assigned_object_id": 1}),
    )
    .await;
    assert_eq!(
        e["assigned_object_type"][0],
        "Invalid value. Specify a content type as '<app_label>.<model_name>'."
    );
    let group = srv
        .post(
            "/api/ipam/fhrp-groups/",
            json!({"protocol": "vrrp2", "group_id": 1}),
        )
        .await;
    let vip = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.3/24", "role": "vip", "assigned_object_type": "ipam.fhrpgroup", "assigned_object_id": group["id"]}),
        )
        .await;
    assert_eq!(vip["assigned_object"]["id"], group["id"]);
    let e = rejected(
        &srv,
        "/api/ipam/prefixes/",
        json!({"prefix": "192.0.2.0/24", "scope_type": "dcim.device", "scope_id": 1}),
    )
    .await;
    assert_eq!(e["scope_type"][0], "Invalid content type: dcim.device");
    // Contacts attach only to models that take them.
    let contact = srv
        .post("/api/tenancy/contacts/", json!({"name": "noc"}))
        .await;
    let tag = srv
        .post("/api/extras/tags/", json!({"name": "gold", "slug": "gold"}))
        .await;
    let e = rejected(
        &srv,
        "/api/tenancy/contact-assignments/",
        json!({"object_type": "extras.tag", "object_id": tag["id"], "contact": contact["id"]}),
    )
    .await;
    assert_eq!(e["object_type"][0], "Invalid content type: extras.tag");
    // The role may be left out of the request, but an assignment needs one.
    let e = rejected(
        &srv,
        "/api/tenancy/contact-assignments/",
        json!({"object_type": "dcim.site", "object_id": site["id"], "contact": contact["id"]}),
    )
    .await;
    assert_eq!(e["role"][0], "This field cannot be null.");
    let e = rejected(&srv, "/api/ipam/asns/", json!({"asn": 65010})).await;
    assert_eq!(e["rir"][0], "This field cannot be null.");
    let role = srv
        .post(
            "/api/tenancy/contact-roles/",
            json!({"name": "owner", "slug": "owner"}),
        )
        .await;
    srv.post(
        "/api/tenancy/contact-assignments/",
        json!({"object_type": "dcim.site", "object_id": site["id"], "contact": contact["id"], "role": role["id"]}),
    )
    .await;

    let (s, _, body) = srv
        .raw(
            "POST",
            p,
            Some(TOKEN),
            Some("{\"name\": \"x\", \"slug\": }".into()),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .starts_with("JSON parse error"));
});

on_each_backend!(bulk_create_is_all_or_nothing, |srv| {
    let p = "/api/tenancy/tenants/";
    let e = rejected(
        &srv,
        p,
        json!([{"name": "a", "slug": "a"}, {"name": "b"}, {"name": "c", "slug": "c"}]),
    )
    .await;
    assert_eq!(e, json!([{}, {"slug": ["This field is required."]}, {}]));
    let e = rejected(
        &srv,
        p,
        json!([{"name": "d", "slug": "d"}, {"name": "d", "slug": "d"}]),
    )
    .await;
    assert_eq!(e[0], json!({}));
    // NetBox gives the top-level tenant constraint no message of its own.
    assert_eq!(
        e[1]["__all__"][0],
        "Constraint “tenancy_tenant_unique_name” is violated."
    );
});

on_each_backend!(protected_delete_is_a_409, |srv| {
    let tenant = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme"}),
        )
        .await;
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "s1", "slug": "s1", "tenant": tenant["id"]}),
        )
        .await;
    let (s, body) = srv
        .call(
            "DELETE",
            &format!("/api/tenancy/tenants/{}/", tenant["id"]),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("Unable to delete object. 1 dependent objects were found: s1 ("),
        "{detail}"
    );
    assert_eq!(srv.count("/api/tenancy/tenants/").await, 1);
    srv.call("DELETE", &format!("/api/dcim/sites/{}/", site["id"]), None)
        .await;
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/tenancy/tenants/{}/", tenant["id"]),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
});

on_each_backend!(delete_rules_cascade_and_set_null, |srv| {
    let eu = srv
        .post("/api/dcim/regions/", json!({"name": "eu", "slug": "eu"}))
        .await;
    let de = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "de", "slug": "de", "parent": eu["id"]}),
        )
        .await;
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "s", "slug": "s", "region": de["id"]}),
        )
        .await;
    let (s, _) = srv
        .call("DELETE", &format!("/api/dcim/regions/{}/", eu["id"]), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.count("/api/dcim/regions/").await,
        0,
        "child regions cascade"
    );
    let site = srv.get(&format!("/api/dcim/sites/{}/", site["id"])).await;
    assert!(site["region"].is_null(), "site.region is set null");
});

// NUL characters, which PostgreSQL cannot store, are refused per field as DRF refuses
// them, in bodies, nested references, custom fields and filter values; nothing is written.
on_each_backend!(null_characters_are_refused_per_field, |srv| {
    let (s, body) = srv
        .call(
            "POST",
            "/api/dcim/sites/",
            Some(json!({"name": "a\u{0}b", "slug": "ok", "custom_fields": {"x": "\u{0}"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["name"][0], "Null characters are not allowed.");
    assert_eq!(body["custom_fields"][0], "Null characters are not allowed.");
    let (s, body) = srv
        .call(
            "POST",
            "/api/dcim/sites/",
            Some(json!({"name": "n", "slug": "n", "region": {"slug": "x\u{0}"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["region"][0], "Null characters are not allowed.");
    let (s, body) = srv.call("GET", "/api/dcim/sites/?name=a%00b", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["name"][0], "Null characters are not allowed.");
    let (s, body) = srv.call("GET", "/api/dcim/sites/?q=%00", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(srv.count("/api/dcim/sites/").await, 0);
});

// Lookups a field's kind does not take name no filter (NetBox defines none), and values
// are checked against the kind before any SQL: never a 500.
on_each_backend!(filter_values_are_checked_against_the_field, |srv| {
    srv.post("/api/dcim/sites/", json!({"name": "a", "slug": "a"}))
        .await;
    for path in [
        "/api/dcim/racks/?width__nie=null",
        "/api/dcim/racks/?u_height__ic=4",
        "/api/dcim/sites/?id__regex=(",
        "/api/dcim/sites/?status__gt=active",
    ] {
        let (s, body) = srv.call("GET", path, None).await;
        assert_eq!(s, StatusCode::OK, "{path}: {body}");
    }
    for (path, key, msg) in [
        ("/api/dcim/sites/?id__gt=x", "id__gt", "Enter a number."),
        (
            "/api/dcim/sites/?created__gte=yesterday",
            "created__gte",
            "Enter a valid date/time.",
        ),
        (
            "/api/dcim/sites/?latitude=north",
            "latitude",
            "Enter a number.",
        ),
        (
            "/api/dcim/sites/?name__regex=(",
            "name__regex",
            "Invalid regular expression",
        ),
        (
            "/api/circuits/circuits/?install_date=soon",
            "install_date",
            "Enter a valid date.",
        ),
    ] {
        let (s, body) = srv.call("GET", path, None).await;
        if s == StatusCode::NOT_FOUND {
            continue; // a model not served yet
        }
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(
            body[key][0].as_str().unwrap_or_default().starts_with(msg),
            "{path}: {body}"
        );
    }
});
