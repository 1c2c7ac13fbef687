use axum::http::StatusCode;
use serde_json::json;

use crate::harness::{RO_TOKEN, TOKEN};
use crate::on_each_backend;

on_each_backend!(tokens_are_required_and_checked, |srv| {
    let (s, _, body) = srv.raw("GET", "/api/dcim/sites/", None, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        body["detail"],
        "Authentication credentials were not provided."
    );
    let (s, _, body) = srv
        .raw(
            "GET",
            "/api/dcim/sites/",
            Some("f".repeat(40).as_str()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["detail"], "Invalid token");
    let (s, _, _) = srv
        .raw("GET", "/api/dcim/sites/", Some(RO_TOKEN), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = srv
        .raw(
            "POST",
            "/api/dcim/sites/",
            Some(RO_TOKEN),
            Some(json!({"name": "a", "slug": "a"}).to_string()),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "write-disabled tokens cannot write"
    );
    assert_eq!(srv.count("/api/dcim/sites/").await, 0);
});

on_each_backend!(expired_tokens_and_v2_bearer, |srv| {
    let admin = srv.get("/api/users/users/?username=admin").await["results"][0]["id"].clone();
    // A token may not be created expired, but may expire later.
    let (s, e) = srv
        .call(
            "POST",
            "/api/users/tokens/",
            Some(json!({"user": admin, "expires": "2001-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["expires"][0].as_str().is_some_and(|m| m
        .starts_with("Expiration time must be in the future. Current server time is ")
        && m.ends_with(" (UTC).")));
    let t = srv.post("/api/users/tokens/", json!({"user": admin})).await;
    srv.patch(
        &format!("/api/users/tokens/{}/", t["id"]),
        json!({"expires": "2001-01-01T00:00:00Z"}),
    )
    .await;
    let key = t["key"].as_str().expect("key shown on create").to_string();
    assert_eq!(key.len(), 40);
    let (s, _, body) = srv.raw("GET", "/api/dcim/sites/", Some(&key), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let listed = srv.get(&format!("/api/users/tokens/{}/", t["id"])).await;
    assert!(
        listed.get("key").is_none(),
        "keys are not shown after creation"
    );
    assert!(listed["display"].as_str().unwrap().ends_with(&key[34..]));

    let req = axum::http::Request::builder()
        .uri("/api/dcim/sites/")
        .header("authorization", format!("Bearer nbt_{TOKEN}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(srv.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
});

on_each_backend!(provision_and_config, |srv| {
    let body =
        json!({"username": "admin", "password": "secret-pass", "description": "ci"}).to_string();
    let (s, _, tok) = srv
        .raw("POST", "/api/users/tokens/provision/", None, Some(body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{tok}");
    let key = tok["key"].as_str().unwrap().to_string();
    assert_eq!(tok["user"]["username"], "admin");
    let (s, _, _) = srv.raw("GET", "/api/dcim/sites/", Some(&key), None).await;
    assert_eq!(s, StatusCode::OK);
    let bad = json!({"username": "admin", "password": "wrong"}).to_string();
    let (s, _, body) = srv
        .raw("POST", "/api/users/tokens/provision/", None, Some(bad))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["detail"], "Invalid username/password");
    let config = srv.get("/api/users/config/").await;
    assert!(config.is_object());
    let user = srv
        .post(
            "/api/users/users/",
            json!({"username": "bob", "password": "Secret-pass-123"}),
        )
        .await;
    assert!(
        user.get("password").is_none(),
        "passwords are never returned"
    );
});

on_each_backend!(usernames_and_passwords_follow_netboxs_validators, |srv| {
    let user = |name: &str, password: &str| json!({"username": name, "password": password});
    let cases = [
        (
            user("bad name!", "Secret-pass-123"),
            json!({"username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]}),
        ),
        (
            user("admin", "Secret-pass-123"),
            json!({"username": ["A user with that username already exists."]}),
        ),
        (
            user("ADMIN", "Secret-pass-123"),
            json!({"__all__": ["A user with this username already exists."]}),
        ),
        (
            user("jo", "short"),
            json!({"non_field_errors": ["This password is too short. It must contain at least 12 characters.", "Password must have at least one numeral."]}),
        ),
        (
            user("jo", "no-upper-case-123"),
            json!({"non_field_errors": ["Password must have at least one uppercase letter."]}),
        ),
    ];
    for (body, want) in cases {
        let (s, e) = srv
            .call("POST", "/api/users/users/", Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(e, want, "{body}");
    }
    let (s, e) = srv
        .call(
            "POST",
            "/api/users/users/",
            Some(user("jo.smith+ops", "Secret-pass-123")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
});
