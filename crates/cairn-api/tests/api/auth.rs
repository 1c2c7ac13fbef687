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
    let t = srv
        .post(
            "/api/users/tokens/",
            json!({"user": admin, "expires": "2001-01-01T00:00:00Z"}),
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
            json!({"username": "bob", "password": "pw-bob-123"}),
        )
        .await;
    assert!(
        user.get("password").is_none(),
        "passwords are never returned"
    );
});
