use serde_json::json;

use crate::harness::device_with_interface;
use crate::on_each_backend;

on_each_backend!(every_write_is_logged_with_snapshots, |srv| {
    let t = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme"}),
        )
        .await;
    let id = t["id"].clone();
    srv.call(
        "PATCH",
        &format!("/api/tenancy/tenants/{id}/"),
        Some(json!({"description": "d"})),
    )
    .await;
    srv.call("DELETE", &format!("/api/tenancy/tenants/{id}/"), None)
        .await;
    let changes = srv
        .get(&format!(
            "/api/core/object-changes/?changed_object_type=tenancy.tenant&changed_object_id={id}"
        ))
        .await;
    assert_eq!(changes["count"], 3);
    let r = changes["results"].as_array().unwrap();
    assert_eq!(r[0]["action"]["value"], "delete");
    assert_eq!(r[0]["postchange_data"], json!({}));
    assert_eq!(r[0]["prechange_data"]["description"], "d");
    assert_eq!(r[1]["action"]["value"], "update");
    assert_eq!(r[1]["prechange_data"]["description"], "");
    assert_eq!(r[1]["postchange_data"]["description"], "d");
    assert_eq!(r[2]["action"]["value"], "create");
    assert_eq!(r[2]["user_name"], "admin");
    assert_eq!(r[2]["display"], "Tenancy | tenant acme created by admin");
    let rid = r[1]["request_id"].as_str().unwrap();
    assert_eq!(
        srv.count(&format!("/api/core/object-changes/?request_id={rid}"))
            .await,
        1
    );
    assert_eq!(
        srv.count("/api/core/object-changes/?action=delete").await,
        1
    );
    assert_eq!(
        srv.count("/api/extras/object-changes/?user=admin&action=create")
            .await,
        1
    );
    assert_eq!(
        srv.count("/api/core/object-changes/?time_after=2000-01-01T00:00:00Z")
            .await,
        3
    );
    assert_eq!(
        srv.count("/api/core/object-changes/?time_before=2000-01-01T00:00:00Z")
            .await,
        0
    );
});

on_each_backend!(object_types_are_listed, |srv| {
    let body = srv
        .get("/api/core/object-types/?app_label=dcim&model=site")
        .await;
    assert_eq!(body["count"], 1);
    let site = &body["results"][0];
    assert_eq!(site["display"], "DCIM > Site");
    assert_eq!(site["rest_api_endpoint"], "/api/dcim/sites/");
    assert!(site["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "tags"));
    let legacy = srv
        .get("/api/extras/object-types/?app_label=dcim&model=site")
        .await;
    assert_eq!(legacy["results"][0]["id"], site["id"]);
    assert!(legacy["results"][0]["url"]
        .as_str()
        .unwrap()
        .contains("/api/core/object-types/"));
});

// Changes of a part are also filed under its whole, as NetBox files them: a component
// under its device, an IP address under what it is assigned to.
on_each_backend!(changes_are_filed_under_the_related_object, |srv| {
    let (d, iface) = device_with_interface(&srv, "d", "e0").await;
    let ip = srv
        .post(
            "/api/ipam/ip-addresses/",
            json!({"address": "192.0.2.1/24", "assigned_object_type": "dcim.interface", "assigned_object_id": iface["id"]}),
        )
        .await;
    srv.post(
        "/api/ipam/ip-addresses/",
        json!({"address": "192.0.2.2/24"}),
    )
    .await;
    let under = |kind: &'static str, id: serde_json::Value| {
        let srv = &srv;
        async move {
            let page = srv
                .get(&format!(
                    "/api/core/object-changes/?related_object_type={kind}&related_object_id={id}"
                ))
                .await;
            page["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["changed_object_type"].as_str().unwrap().to_string(),
                        c["changed_object_id"].clone(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        under("dcim.device", d["id"].clone()).await,
        [("dcim.interface".to_string(), iface["id"].clone())]
    );
    assert_eq!(
        under("dcim.interface", iface["id"].clone()).await,
        [("ipam.ipaddress".to_string(), ip["id"].clone())]
    );
});

on_each_backend!(changes_carry_messages_and_skip_empty_updates, |srv| {
    let t = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme", "changelog_message": "new customer"}),
        )
        .await;
    let id = t["id"].clone();
    let url = format!("/api/tenancy/tenants/{id}/");
    // Nothing changes: no record.
    srv.patch(&url, json!({"name": "acme"})).await;
    srv.patch(&url, json!({"description": "d", "changelog_message": 42}))
        .await;
    let (st, e) = srv
        .call("PATCH", &url, Some(json!({"changelog_message": ["x"]})))
        .await;
    assert_eq!(st, axum::http::StatusCode::BAD_REQUEST);
    assert_eq!(e, json!({"changelog_message": ["Not a valid string."]}));
    srv.call(
        "DELETE",
        &url,
        Some(json!({"changelog_message": "churned"})),
    )
    .await;
    let changes = srv
        .get(&format!(
            "/api/core/object-changes/?changed_object_type=tenancy.tenant&changed_object_id={id}"
        ))
        .await;
    let messages: Vec<&str> = changes["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["churned", "42", "new customer"]);
});

on_each_backend!(deletes_record_what_they_unlink, |srv| {
    let g = srv
        .post(
            "/api/tenancy/tenant-groups/",
            json!({"name": "g", "slug": "g"}),
        )
        .await;
    let t = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme", "group": g["id"]}),
        )
        .await;
    let cg = srv
        .post(
            "/api/tenancy/contact-groups/",
            json!({"name": "cg", "slug": "cg"}),
        )
        .await;
    let c = srv
        .post(
            "/api/tenancy/contacts/",
            json!({"name": "jo", "groups": [cg["id"]]}),
        )
        .await;
    srv.call(
        "DELETE",
        &format!("/api/tenancy/tenant-groups/{}/", g["id"]),
        None,
    )
    .await;
    srv.call(
        "DELETE",
        &format!("/api/tenancy/contact-groups/{}/", cg["id"]),
        None,
    )
    .await;
    for (kind, id, field, was) in [
        ("tenancy.tenant", &t["id"], "group", g["id"].clone()),
        ("tenancy.contact", &c["id"], "groups", json!([cg["id"]])),
    ] {
        let changes = srv
            .get(&format!(
                "/api/core/object-changes/?changed_object_type={kind}&changed_object_id={id}&action=update"
            ))
            .await;
        assert_eq!(changes["count"], 1, "{kind}: {changes}");
        let change = &changes["results"][0];
        assert_eq!(change["prechange_data"][field], was, "{kind}");
        assert!(
            matches!(&change["postchange_data"][field], serde_json::Value::Null)
                || change["postchange_data"][field] == json!([]),
            "{kind}: {change}"
        );
    }
});
