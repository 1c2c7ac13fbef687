use axum::http::StatusCode;
use serde_json::json;

use crate::harness::TOKEN;
use crate::on_each_backend;

on_each_backend!(root_status_and_headers, |srv| {
    let (status, headers, root) = srv.raw("GET", "/api/", Some(TOKEN), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(root["dcim"], "http://cairn.test/api/dcim/");
    assert_eq!(headers["api-version"], "4.4");
    assert_eq!(headers["x-request-id"].len(), 36);
    let status = srv.get("/api/status/").await;
    assert!(status["netbox-version"]
        .as_str()
        .unwrap()
        .starts_with("4.4"));
    let dcim = srv.get("/api/dcim/").await;
    assert_eq!(dcim["sites"], "http://cairn.test/api/dcim/sites/");
    let schema = srv.get("/api/schema/").await;
    assert!(schema["paths"]["/api/dcim/sites/"]["get"].is_object());
    assert!(schema["components"]["schemas"]["Site"]["properties"]["status"].is_object());
});

on_each_backend!(site_crud_round_trip, |srv| {
    let region = srv
        .post(
            "/api/dcim/regions/",
            json!({"name": "Europe", "slug": "europe"}),
        )
        .await;
    let site = srv
        .post(
            "/api/dcim/sites/",
            json!({"name": "fra1", "slug": "fra1", "region": {"slug": "europe"}, "latitude": 50.098765}),
        )
        .await;
    let id = site["id"].as_i64().unwrap();
    assert_eq!(
        site["url"],
        format!("http://cairn.test/api/dcim/sites/{id}/")
    );
    assert_eq!(
        site["display_url"],
        format!("http://cairn.test/dcim/sites/{id}/")
    );
    assert_eq!(site["display"], "fra1");
    assert_eq!(
        site["status"],
        json!({"value": "active", "label": "Active"})
    );
    assert_eq!(site["region"]["id"], region["id"]);
    assert_eq!(site["region"]["_depth"], 0);
    assert_eq!(site["latitude"], 50.098765);
    assert!(site["created"].as_str().unwrap().ends_with('Z'));
    assert_eq!(site["custom_fields"], json!({}));

    let (s, patched) = srv
        .call(
            "PATCH",
            &format!("/api/dcim/sites/{id}/"),
            Some(json!({"status": "planned", "facility": "FR5"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{patched}");
    assert_eq!(patched["status"]["value"], "planned");
    assert_eq!(
        patched["region"]["id"], region["id"],
        "PATCH keeps other fields"
    );

    let (s, put) = srv
        .call(
            "PUT",
            &format!("/api/dcim/sites/{id}/"),
            Some(json!({"name": "fra2", "slug": "fra2"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{put}");
    assert_eq!(put["name"], "fra2");
    let (s, bad_put) = srv
        .call(
            "PUT",
            &format!("/api/dcim/sites/{id}/"),
            Some(json!({"facility": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(bad_put["name"][0], "This field is required.");

    let got = srv.get(&format!("/api/dcim/sites/{id}/")).await;
    assert_eq!(got["facility"], "FR5");
    let (s, _) = srv
        .call("DELETE", &format!("/api/dcim/sites/{id}/"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = srv
        .call("GET", &format!("/api/dcim/sites/{id}/"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body["detail"], "No Site matches the given query.");
});

on_each_backend!(pagination_ordering_brief_fields, |srv| {
    let items: Vec<_> = (0..7)
        .map(|i| json!({"name": format!("tenant-{i}"), "slug": format!("tenant-{i}")}))
        .collect();
    let created = srv.post("/api/tenancy/tenants/", json!(items)).await;
    assert_eq!(created.as_array().unwrap().len(), 7);
    let page = srv.get("/api/tenancy/tenants/?limit=3&offset=3").await;
    assert_eq!(page["count"], 7);
    assert_eq!(page["results"].as_array().unwrap().len(), 3);
    assert_eq!(
        page["next"],
        "http://cairn.test/api/tenancy/tenants/?limit=3&offset=6"
    );
    assert_eq!(
        page["previous"],
        "http://cairn.test/api/tenancy/tenants/?limit=3"
    );
    assert_eq!(page["results"][0]["name"], "tenant-3");
    let last = srv.get("/api/tenancy/tenants/?limit=3&offset=6").await;
    assert!(last["next"].is_null());
    assert_eq!(
        last["count"], 7,
        "a short last page still counts everything"
    );
    let beyond = srv.get("/api/tenancy/tenants/?limit=3&offset=9").await;
    assert_eq!(beyond["count"], 7, "so does a page past the end");
    assert_eq!(beyond["results"], json!([]));
    let filtered = srv
        .get("/api/tenancy/tenants/?name__ic=TENANT-1&limit=3")
        .await;
    assert_eq!(filtered["count"], 1);
    let desc = srv
        .get("/api/tenancy/tenants/?ordering=-name&limit=1")
        .await;
    assert_eq!(desc["results"][0]["name"], "tenant-6");
    let all = srv.get("/api/tenancy/tenants/?limit=0").await;
    assert_eq!(all["results"].as_array().unwrap().len(), 7);
    let brief = srv.get("/api/tenancy/tenants/?brief=1&limit=1").await;
    let mut keys: Vec<&String> = brief["results"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["description", "display", "id", "name", "slug", "url"]
    );
    let fields = srv
        .get("/api/tenancy/tenants/?fields=id,name&limit=1")
        .await;
    assert_eq!(fields["results"][0].as_object().unwrap().len(), 2);
    let omit = srv
        .get("/api/tenancy/tenants/?omit=comments,tags&limit=1")
        .await;
    assert!(omit["results"][0].get("comments").is_none());
    assert!(omit["results"][0].get("name").is_some());
});

on_each_backend!(bulk_update_and_delete, |srv| {
    let created = srv
        .post(
            "/api/tenancy/tenants/",
            json!([{"name": "a", "slug": "a"}, {"name": "b", "slug": "b"}]),
        )
        .await;
    let (a, b) = (created[0]["id"].clone(), created[1]["id"].clone());
    let (s, body) = srv
        .call(
            "PATCH",
            "/api/tenancy/tenants/",
            Some(json!([{"id": a, "description": "x"}, {"id": b, "description": "y"}])),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body[1]["description"], "y");
    // One bad item: nothing changes.
    let (s, body) = srv
        .call(
            "PATCH",
            "/api/tenancy/tenants/",
            Some(json!([{"id": a, "description": "z"}, {"id": b, "slug": "bad slug!"}])),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body[0], json!({}));
    assert!(body[1]["slug"].is_array());
    assert_eq!(
        srv.get(&format!("/api/tenancy/tenants/{a}/")).await["description"],
        "x"
    );
    let (s, body) = srv
        .call("PATCH", "/api/tenancy/tenants/", Some(json!({"id": a})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["non_field_errors"][0],
        "Expected a list of items but got type \"dict\"."
    );
    let (s, body) = srv
        .call(
            "PATCH",
            "/api/tenancy/tenants/",
            Some(json!([{"name": "x"}])),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body, json!([{"id": ["This field is required."]}]));
    let (s, body) = srv
        .call(
            "PUT",
            "/api/tenancy/tenants/",
            Some(json!([{"id": 99999, "name": "x"}])),
        )
        .await;
    assert_eq!((s, body), (StatusCode::OK, json!([])));
    let (s, _) = srv
        .call(
            "DELETE",
            "/api/tenancy/tenants/",
            Some(json!([{"id": a}, {"id": b}])),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(srv.count("/api/tenancy/tenants/").await, 0);
});

on_each_backend!(options_lists_choices, |srv| {
    let (s, body) = srv.call("OPTIONS", "/api/dcim/sites/", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["name"], "Site List");
    let choices = body["actions"]["POST"]["status"]["choices"]
        .as_array()
        .unwrap();
    assert!(choices
        .iter()
        .any(|c| c["value"] == "active" && c["display_name"] == "Active"));
    assert_eq!(body["actions"]["POST"]["name"]["max_length"], 100);
    assert_eq!(body["actions"]["POST"]["name"]["required"], true);
});

on_each_backend!(method_not_allowed_and_unknown_paths, |srv| {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
        .await;
    let (s, body) = srv
        .call(
            "POST",
            &format!("/api/dcim/sites/{}/", site["id"]),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["detail"], "Method \"POST\" not allowed.");
    let changes = srv.get("/api/core/object-changes/").await;
    let cid = &changes["results"][0]["id"];
    let (s, _) = srv
        .call("DELETE", &format!("/api/core/object-changes/{cid}/"), None)
        .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    let (s, _) = srv.call("GET", "/api/dcim/no-such-endpoint/", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

on_each_backend!(names_sort_naturally_by_default, |srv| {
    for n in ["site10", "site9", "site1"] {
        srv.post("/api/dcim/sites/", json!({"name": n, "slug": n}))
            .await;
    }
    let body = srv.get("/api/dcim/sites/").await;
    let names: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["site1", "site9", "site10"]);
    let excluded = srv.get("/api/dcim/sites/?exclude=comments&limit=1").await;
    assert!(excluded["results"][0].get("comments").is_none());
    assert!(excluded["results"][0].get("name").is_some());
});
