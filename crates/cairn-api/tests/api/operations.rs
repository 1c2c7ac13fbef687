//! Running the server: internal errors, pool exhaustion, `/metrics`, token use recorded
//! off the request path.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::json;

use crate::harness::{Options, TOKEN};
use crate::{on_each_backend, on_each_backend_with};
use cairn_store::PoolOptions;

// A 500 tells the client only that something failed and which request it was; the
// database's message stays in the log.
on_each_backend!(internal_errors_name_only_the_request, |srv| {
    srv.post("/api/dcim/regions/", json!({"name": "r", "slug": "r"}))
        .await;
    let store = srv.store.clone();
    tokio::task::spawn_blocking(move || {
        store.read(|conn, s| {
            let t = s.reg.get("dcim.region").expect("region type");
            conn.batch(&format!("DROP TABLE {} CASCADE", t.table))
                .or_else(|_| conn.batch(&format!("DROP TABLE {}", t.table)))
        })
    })
    .await
    .expect("join")
    .expect("drop table behind the server's back");
    let (status, headers, body) = srv
        .raw("GET", "/api/dcim/regions/", Some(TOKEN), None)
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let rid = headers["x-request-id"].to_str().expect("id");
    assert_eq!(body["error"], "internal error");
    assert_eq!(body["request_id"], rid);
    assert_eq!(body["netbox_version"], "4.4.10");
    let text = body.to_string().to_lowercase();
    for leak in ["region", "relation", "no such table", "sql"] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
});

// With every connection taken, a request waits the acquire timeout and is told to retry.
on_each_backend_with!(
    an_exhausted_pool_answers_503,
    Options {
        pool: PoolOptions {
            size: Some(1),
            timeout: Duration::from_millis(200),
        },
        ..Options::default()
    },
    |srv| {
        let (hold, held) = std::sync::mpsc::channel::<()>();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let store = srv.store.clone();
        let holder = std::thread::spawn(move || {
            store
                .read(|_, _| {
                    let _ = hold.send(());
                    let _ = released.recv_timeout(Duration::from_secs(30));
                    Ok::<_, cairn_store::StoreError>(())
                })
                .expect("hold a connection");
        });
        held.recv().expect("connection held");
        let (status, headers, body) = srv.raw("GET", "/api/dcim/sites/", Some(TOKEN), None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(headers["retry-after"], "1");
        assert!(body["detail"].as_str().is_some(), "{body}");
        release.send(()).expect("release");
        holder.join().expect("holder");
        let (status, _, _) = srv.raw("GET", "/api/dcim/sites/", Some(TOKEN), None).await;
        assert_eq!(status, StatusCode::OK, "the pool recovers");
        let (_, _, metrics) = srv.raw("GET", "/metrics", None, None).await;
        let metrics = metrics.as_str().unwrap_or_default().to_string();
        assert!(
            metrics.contains("cairn_db_unavailable_total 1"),
            "{metrics}"
        );
    }
);

on_each_backend!(metrics_count_requests_by_endpoint, |srv| {
    for _ in 0..3 {
        srv.get("/api/dcim/sites/").await;
    }
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "m", "slug": "m"}))
        .await;
    srv.get(&format!("/api/dcim/sites/{}/", site["id"])).await;
    let (status, headers, body) = srv.raw("GET", "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/plain"));
    let text = body.as_str().expect("text").to_string();
    let value = |line_start: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(line_start))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no line {line_start}: {text}"))
    };
    assert_eq!(
        value(
            r#"cairn_http_requests_total{method="GET",endpoint="/api/dcim/sites/",status="200"}"#
        ),
        3.0
    );
    assert_eq!(
        value(
            r#"cairn_http_requests_total{method="POST",endpoint="/api/dcim/sites/",status="201"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            r#"cairn_http_requests_total{method="GET",endpoint="/api/dcim/sites/{id}/",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        value(r#"cairn_http_request_duration_seconds_count{endpoint="/api/dcim/sites/"}"#),
        4.0
    );
    assert_eq!(
        value(
            r#"cairn_http_request_duration_seconds_bucket{endpoint="/api/dcim/sites/",le="+Inf"}"#
        ),
        4.0
    );
    assert!(value("cairn_database_size_bytes") > 0.0);
    assert!(value(r#"cairn_db_pool_max_connections{pool="read"}"#) >= 1.0);
    assert!(text.contains(r#"cairn_db_pool_connections{pool="read",state="idle"}"#));
});

on_each_backend_with!(
    metrics_can_be_turned_off,
    Options {
        metrics_disabled: true,
        ..Options::default()
    },
    |srv| {
        let (status, _, _) = srv.raw("GET", "/metrics", None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

// A token's use is recorded after the response, once, not on every request.
on_each_backend!(token_use_is_recorded_once_a_minute, |srv| {
    let token = || async {
        srv.get("/api/users/tokens/?limit=10").await["results"]
            .as_array()
            .expect("tokens")
            .iter()
            .find(|t| t["write_enabled"] == true)
            .map(|t| t["last_used"].clone())
            .expect("token")
    };
    // Listing the tokens is itself a use; wait for the background write.
    let mut first = serde_json::Value::Null;
    for _ in 0..100 {
        first = token().await;
        if !first.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(first.is_string(), "last_used was never recorded");
    for _ in 0..3 {
        srv.get("/api/dcim/sites/").await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(token().await, first, "written again within the minute");
});
