//! Custom fields and choice sets defined at run time: the registry picks them up at once,
//! objects show and check their values, filters find them, and renames and deletions
//! carry through objects' data.

use axum::http::StatusCode;
use serde_json::{json, Value as Json};

use crate::harness::Server;
use crate::on_each_backend;

async fn site(srv: &Server, name: &str, custom: Option<Json>) -> (StatusCode, Json) {
    let mut body = json!({"name": name, "slug": name});
    if let Some(c) = custom {
        body["custom_fields"] = c;
    }
    srv.call("POST", "/api/dcim/sites/", Some(body)).await
}

async fn tiers(srv: &Server) -> Json {
    srv.post(
        "/api/extras/custom-field-choice-sets/",
        json!({"name": "tiers", "extra_choices": [["silver", "Silver"], ["gold", "Gold"]]}),
    )
    .await
}

on_each_backend!(custom_fields_apply_to_objects_at_once, |srv| {
    let (s, before) = site(&srv, "before", None).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(before["custom_fields"], json!({}));
    let set = tiers(&srv).await;
    assert_eq!(set["choices_count"], 2);
    let code = srv
        .post(
            "/api/extras/custom-fields/",
            json!({"name": "code", "type": "text", "object_types": ["dcim.site"],
                   "validation_regex": "[A-Z]{3}", "default": "XXX", "weight": 10}),
        )
        .await;
    assert_eq!(code["display"], "Code");
    assert_eq!(code["data_type"], "string");
    assert_eq!(code["object_types"], json!(["dcim.site"]));
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "tier", "type": "select", "object_types": ["dcim.site"],
               "choice_set": set["id"], "filter_logic": "exact"}),
    )
    .await;
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "racks", "type": "integer", "object_types": ["dcim.site"],
               "validation_minimum": 0, "validation_maximum": 100, "weight": 200}),
    )
    .await;
    // Objects that existed get the default; every field shows.
    let old = srv.get(&format!("/api/dcim/sites/{}/", before["id"])).await;
    assert_eq!(
        old["custom_fields"],
        json!({"code": "XXX", "tier": null, "racks": null})
    );
    let (s, new) = site(&srv, "new", Some(json!({"tier": "gold", "racks": 7}))).await;
    assert_eq!(s, StatusCode::CREATED, "{new}");
    assert_eq!(
        new["custom_fields"],
        json!({"code": "XXX", "tier": "gold", "racks": 7})
    );
    // Values are checked against their field.
    for (custom, msg) in [
        (
            json!({"racks": "many"}),
            "Invalid value for custom field 'racks': Value must be an integer.",
        ),
        (
            json!({"racks": 101}),
            "Invalid value for custom field 'racks': Value must not exceed 100.0000",
        ),
        (
            json!({"tier": "bronze"}),
            "Invalid value for custom field 'tier': Invalid choice (bronze) for choice set tiers.",
        ),
        (
            json!({"code": "abc"}),
            "Invalid value for custom field 'code': Value must match regex '[A-Z]{3}'",
        ),
    ] {
        let (s, body) = site(&srv, "bad", Some(custom.clone())).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{custom}: {body}");
        assert_eq!(body["__all__"][0], msg, "{custom}");
    }
    // Unknown keys are dropped, as NetBox 4.4 drops stale data.
    let (s, body) = site(&srv, "extra", Some(json!({"nope": 1}))).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert!(body["custom_fields"].get("nope").is_none());
    // Filters by custom field.
    assert_eq!(srv.count("/api/dcim/sites/?cf_tier=gold").await, 1);
    assert_eq!(srv.count("/api/dcim/sites/?cf_racks__gt=5").await, 1);
    assert_eq!(srv.count("/api/dcim/sites/?cf_racks__lt=5").await, 0);
    assert_eq!(
        srv.count("/api/dcim/sites/?cf_code=xx").await,
        3,
        "text matches loosely"
    );
    assert_eq!(srv.count("/api/dcim/sites/?cf_racks__empty=true").await, 2);
    let (s, body) = srv.call("GET", "/api/dcim/sites/?cf_racks=x", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
});

on_each_backend!(renames_and_deletions_carry_through_data, |srv| {
    let f = srv
        .post(
            "/api/extras/custom-fields/",
            json!({"name": "owner", "type": "text", "object_types": ["dcim.site"]}),
        )
        .await;
    let (_, s1) = site(&srv, "s1", Some(json!({"owner": "ops"}))).await;
    let path = format!("/api/extras/custom-fields/{}/", f["id"]);
    srv.patch(&path, json!({"name": "team"})).await;
    let s1 = srv.get(&format!("/api/dcim/sites/{}/", s1["id"])).await;
    assert_eq!(s1["custom_fields"], json!({"team": "ops"}));
    assert_eq!(srv.count("/api/dcim/sites/?cf_team=ops").await, 1);
    let (s, body) = srv
        .call("PATCH", &path, Some(json!({"type": "integer"})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["type"][0],
        "Changing the type of custom fields is not supported."
    );
    let (s, _) = srv.call("DELETE", &path, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let s1 = srv.get(&format!("/api/dcim/sites/{}/", s1["id"])).await;
    assert_eq!(s1["custom_fields"], json!({}));
    // A field that no longer applies to a model leaves its objects too.
    let g = srv
        .post(
            "/api/extras/custom-fields/",
            json!({"name": "g", "type": "text", "object_types": ["dcim.site", "tenancy.tenant"], "default": "d"}),
        )
        .await;
    srv.patch(
        &format!("/api/extras/custom-fields/{}/", g["id"]),
        json!({"object_types": ["tenancy.tenant"]}),
    )
    .await;
    let s1 = srv.get(&format!("/api/dcim/sites/{}/", s1["id"])).await;
    assert_eq!(s1["custom_fields"], json!({}));
});

on_each_backend!(definitions_follow_netbox_rules, |srv| {
    let post = |body: Json| {
        let srv = &srv;
        async move {
            srv.call("POST", "/api/extras/custom-fields/", Some(body))
                .await
        }
    };
    let set = tiers(&srv).await;
    for (body, key, msg) in [
        (
            json!({"name": "a b", "type": "text", "object_types": ["dcim.site"]}),
            "name",
            "Only alphanumeric characters and underscores are allowed.",
        ),
        (
            json!({"name": "a__b", "type": "text", "object_types": ["dcim.site"]}),
            "name",
            "Double underscores are not permitted in custom field names.",
        ),
        (
            json!({"name": "s", "type": "select", "object_types": ["dcim.site"]}),
            "choice_set",
            "Selection fields must specify a set of choices.",
        ),
        (
            json!({"name": "t", "type": "text", "object_types": ["dcim.site"], "choice_set": set["id"]}),
            "choice_set",
            "Choices may be set only on selection fields.",
        ),
        (
            json!({"name": "o", "type": "object", "object_types": ["dcim.site"]}),
            "related_object_type",
            "Object fields must define an object type.",
        ),
        (
            json!({"name": "b", "type": "boolean", "object_types": ["dcim.site"], "unique": true}),
            "unique",
            "Uniqueness cannot be enforced for boolean fields",
        ),
        (
            json!({"name": "m", "type": "text", "object_types": ["dcim.site"], "validation_minimum": 3}),
            "validation_minimum",
            "A minimum value may be set only for numeric fields",
        ),
        (
            json!({"name": "r", "type": "integer", "object_types": ["dcim.site"], "validation_regex": "x"}),
            "validation_regex",
            "Regular expression validation is supported only for text and URL fields",
        ),
        (
            json!({"name": "d", "type": "integer", "object_types": ["dcim.site"], "default": "x"}),
            "default",
            "Invalid default value \"x\": Value must be an integer.",
        ),
        (
            json!({"name": "x", "type": "text", "object_types": ["dcim.nothing"]}),
            "object_types",
            "Invalid content type: dcim.nothing",
        ),
    ] {
        let (s, e) = post(body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert_eq!(e[key][0], msg, "{body}: {e}");
    }
    assert_eq!(srv.count("/api/extras/custom-fields/").await, 0);
    // Choice sets: some choices, distinct values, and none removed while in use.
    let (s, e) = srv
        .call(
            "POST",
            "/api/extras/custom-field-choice-sets/",
            Some(json!({"name": "e"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["__all__"][0], "Must define base or extra choices.");
    let (s, e) = srv
        .call(
            "POST",
            "/api/extras/custom-field-choice-sets/",
            Some(json!({"name": "d", "extra_choices": [["a", "A"], ["a", "B"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Duplicate value 'a' found in extra choices."
    );
    let sorted = srv
        .post(
            "/api/extras/custom-field-choice-sets/",
            json!({"name": "z", "order_alphabetically": true, "extra_choices": [["b", "B"], ["a", "A"]]}),
        )
        .await;
    assert_eq!(sorted["extra_choices"], json!([["a", "A"], ["b", "B"]]));
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "tier", "type": "select", "object_types": ["dcim.site"], "choice_set": set["id"]}),
    )
    .await;
    let (_, s1) = site(&srv, "s1", Some(json!({"tier": "gold"}))).await;
    let (s, e) = srv
        .call(
            "PATCH",
            &format!("/api/extras/custom-field-choice-sets/{}/", set["id"]),
            Some(json!({"extra_choices": [["silver", "Silver"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Cannot remove choice gold as there are dcim.site objects which reference it."
    );
    // A new choice takes effect for the field at once.
    srv.patch(
        &format!("/api/extras/custom-field-choice-sets/{}/", set["id"]),
        json!({"extra_choices": [["silver", "Silver"], ["gold", "Gold"], ["bronze", "Bronze"]]}),
    )
    .await;
    srv.patch(
        &format!("/api/dcim/sites/{}/", s1["id"]),
        json!({"custom_fields": {"tier": "bronze"}}),
    )
    .await;
});

on_each_backend!(object_fields_point_at_objects, |srv| {
    let tenant = srv
        .post(
            "/api/tenancy/tenants/",
            json!({"name": "acme", "slug": "acme"}),
        )
        .await;
    let f = srv
        .post(
            "/api/extras/custom-fields/",
            json!({"name": "owner", "type": "object", "object_types": ["dcim.site"],
                   "related_object_type": "tenancy.tenant"}),
        )
        .await;
    assert_eq!(f["related_object_type"], "tenancy.tenant");
    assert_eq!(f["data_type"], "object");
    let (s, body) = site(&srv, "s1", Some(json!({"owner": tenant["id"]}))).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["custom_fields"]["owner"]["name"], "acme");
    assert_eq!(
        srv.count(&format!("/api/dcim/sites/?cf_owner={}", tenant["id"]))
            .await,
        1
    );
    let (s, body) = site(&srv, "s2", Some(json!({"owner": 999999}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["custom_fields"][0]
        .as_str()
        .unwrap_or_default()
        .starts_with("Unknown related object(s)"));
});

on_each_backend!(required_and_unique_values, |srv| {
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "needed", "type": "text", "object_types": ["tenancy.tenant"], "required": true}),
    )
    .await;
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "serial", "type": "integer", "object_types": ["tenancy.tenant"], "unique": true}),
    )
    .await;
    let tenant = |name: &str, custom: Option<Json>| {
        let mut body = json!({"name": name, "slug": name});
        if let Some(c) = custom {
            body["custom_fields"] = c;
        }
        let srv = &srv;
        async move { srv.call("POST", "/api/tenancy/tenants/", Some(body)).await }
    };
    let (s, e) = tenant("a", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Invalid value for custom field 'needed': Required field cannot be empty."
    );
    let (s, e) = tenant("a", Some(json!({"serial": 1}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["__all__"][0], "Missing required custom field 'needed'.");
    let (s, _) = tenant("a", Some(json!({"needed": "x", "serial": 1}))).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) = tenant("b", Some(json!({"needed": "y", "serial": 1}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        e["__all__"][0],
        "Custom field 'serial' must have a unique value."
    );
    assert_eq!(srv.count("/api/tenancy/tenants/").await, 1);
});

on_each_backend!(instantiated_components_start_at_defaults, |srv| {
    srv.post(
        "/api/extras/custom-fields/",
        json!({"name": "speed_class", "type": "text", "object_types": ["dcim.interface"], "default": "std"}),
    )
    .await;
    let (d, _) = crate::harness::device_with_interface(&srv, "d0", "v0").await;
    srv.post(
        "/api/dcim/interface-templates/",
        json!({"device_type": d["device_type"]["id"], "name": "eth0", "type": "1000base-t"}),
    )
    .await;
    let d2 = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": "d2", "device_type": d["device_type"]["id"], "role": d["role"]["id"], "site": d["site"]["id"]}),
        )
        .await;
    let made = srv
        .get(&format!("/api/dcim/interfaces/?device_id={}", d2["id"]))
        .await;
    assert_eq!(made["count"], 1);
    assert_eq!(
        made["results"][0]["custom_fields"],
        json!({"speed_class": "std"})
    );
});
