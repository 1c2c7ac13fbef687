//! NetBox's configuration parameters, each changing what the API does.

use axum::http::StatusCode;
use serde_json::json;

use crate::harness::{device_with_interface, Options, TOKEN};
use crate::{on_each_backend, on_each_backend_with};
use cairn_domain::Settings;

fn with(f: impl FnOnce(&mut Settings)) -> Options {
    let mut settings = Settings::default();
    f(&mut settings);
    Options {
        settings,
        ..Options::default()
    }
}

// LOGIN_REQUIRED is on by default: even the status needs a token.
on_each_backend!(login_is_required_by_default, |srv| {
    for path in ["/api/status/", "/api/", "/api/dcim/", "/api/dcim/sites/"] {
        let (s, _, body) = srv.raw("GET", path, None, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            body["detail"],
            "Authentication credentials were not provided."
        );
    }
    let (s, _, body) = srv.raw("GET", "/api/status/", Some(TOKEN), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["netbox-version"], "4.4.10");
    // What Cairn is built from, with versions, where NetBox lists its Django apps.
    let apps = body["installed_apps"].as_object().expect("apps");
    for app in ["cairn", "axum", "tokio", "rusqlite", "postgres"] {
        assert!(
            apps.get(app)
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.contains('.')),
            "{app} missing: {body}"
        );
    }
    // The schema is public, as drf-spectacular serves it.
    let (s, _, _) = srv.raw("GET", "/api/schema/", None, None).await;
    assert_eq!(s, StatusCode::OK);
});

// Without LOGIN_REQUIRED, anonymous callers read what EXEMPT_VIEW_PERMISSIONS names and
// nothing else, and never write.
on_each_backend_with!(
    anonymous_reads_of_exempt_models,
    with(|s| {
        s.login_required = false;
        s.exempt_view_permissions = vec!["dcim.site".into()];
    }),
    |srv| {
        srv.post("/api/dcim/sites/", json!({"name": "a", "slug": "a"}))
            .await;
        let (s, _, body) = srv.raw("GET", "/api/dcim/sites/", None, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(body["count"], 1);
        let (s, _, _) = srv.raw("GET", "/api/status/", None, None).await;
        assert_eq!(s, StatusCode::OK, "status is open without LOGIN_REQUIRED");
        let (s, _, _) = srv.raw("GET", "/api/dcim/devices/", None, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "not exempt");
        let (s, _, _) = srv
            .raw(
                "POST",
                "/api/dcim/sites/",
                None,
                Some(json!({"name": "b", "slug": "b"}).to_string()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "anonymous callers never write");
    }
);

// `*` exempts every model but the accounts.
on_each_backend_with!(
    exempting_everything_keeps_accounts_private,
    with(|s| {
        s.login_required = false;
        s.exempt_view_permissions = vec!["*".into()];
    }),
    |srv| {
        let (s, _, _) = srv.raw("GET", "/api/dcim/devices/", None, None).await;
        assert_eq!(s, StatusCode::OK);
        for path in [
            "/api/users/users/",
            "/api/users/tokens/",
            "/api/users/config/",
        ] {
            let (s, _, _) = srv.raw("GET", path, None, None).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
        }
    }
);

on_each_backend_with!(
    page_sizes_follow_paginate_count_and_max_page_size,
    with(|s| {
        s.paginate_count = 3;
        s.max_page_size = 5;
    }),
    |srv| {
        let sites: Vec<_> = (0..7)
            .map(|i| json!({"name": format!("s{i}"), "slug": format!("s{i}")}))
            .collect();
        srv.post("/api/dcim/sites/", json!(sites)).await;
        let len = |v: &serde_json::Value| v["results"].as_array().map(Vec::len).unwrap_or(0);
        let page = srv.get("/api/dcim/sites/").await;
        assert_eq!(len(&page), 3, "PAGINATE_COUNT is the default page");
        assert!(page["next"].as_str().unwrap_or("").contains("limit=3"));
        assert_eq!(len(&srv.get("/api/dcim/sites/?limit=100").await), 5);
        assert_eq!(len(&srv.get("/api/dcim/sites/?limit=0").await), 5);
        assert_eq!(len(&srv.get("/api/dcim/sites/?limit=4").await), 4);
    }
);

on_each_backend_with!(
    no_max_page_size_lets_limit_0_return_everything,
    with(|s| s.max_page_size = 0),
    |srv| {
        let sites: Vec<_> = (0..60)
            .map(|i| json!({"name": format!("s{i}"), "slug": format!("s{i}")}))
            .collect();
        srv.post("/api/dcim/sites/", json!(sites)).await;
        let all = srv.get("/api/dcim/sites/?limit=0").await;
        assert_eq!(all["results"].as_array().map(Vec::len), Some(60));
        assert_eq!(all["count"], 60);
        assert!(all["next"].is_null());
        assert_eq!(
            srv.get("/api/dcim/sites/").await["results"]
                .as_array()
                .map(Vec::len),
            Some(50)
        );
    }
);

// ENFORCE_GLOBAL_UNIQUE off lets the global table hold a prefix twice.
on_each_backend_with!(
    global_uniqueness_can_be_turned_off,
    with(|s| s.enforce_global_unique = false),
    |srv| {
        srv.post("/api/ipam/prefixes/", json!({"prefix": "10.1.0.0/16"}))
            .await;
        srv.post("/api/ipam/prefixes/", json!({"prefix": "10.1.0.0/16"}))
            .await;
        srv.post("/api/ipam/ip-addresses/", json!({"address": "10.1.0.1/16"}))
            .await;
        srv.post("/api/ipam/ip-addresses/", json!({"address": "10.1.0.1/16"}))
            .await;
    }
);

on_each_backend!(global_uniqueness_is_on_by_default, |srv| {
    srv.post("/api/ipam/prefixes/", json!({"prefix": "10.1.0.0/16"}))
        .await;
    let (s, body) = srv
        .call(
            "POST",
            "/api/ipam/prefixes/",
            Some(json!({"prefix": "10.1.0.0/16"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["prefix"][0],
        "Duplicate prefix found in global table: 10.1.0.0/16"
    );
});

/// A device's `primary_ip` is its IPv6 address unless PREFER_IPV4 says otherwise.
async fn primary_of(srv: &crate::harness::Server) -> serde_json::Value {
    let (d, i) = device_with_interface(srv, "d1", "e0").await;
    let on = |a: &str| json!({"address": a, "assigned_object_type": "dcim.interface", "assigned_object_id": i["id"]});
    let v4 = srv
        .post("/api/ipam/ip-addresses/", on("192.0.2.1/24"))
        .await;
    let v6 = srv
        .post("/api/ipam/ip-addresses/", on("2001:db8::1/64"))
        .await;
    let path = format!("/api/dcim/devices/{}/", d["id"]);
    srv.patch(&path, json!({"primary_ip4": v4["id"]})).await;
    let only_v4 = srv.get(&path).await;
    assert_eq!(only_v4["primary_ip"]["address"], "192.0.2.1/24");
    srv.patch(&path, json!({"primary_ip6": v6["id"]})).await;
    srv.get(&path).await["primary_ip"]["address"].clone()
}

on_each_backend!(primary_ip_prefers_ipv6, |srv| {
    assert_eq!(primary_of(&srv).await, "2001:db8::1/64");
});

on_each_backend_with!(
    primary_ip_prefers_ipv4_when_configured,
    with(|s| s.prefer_ipv4 = true),
    |srv| {
        assert_eq!(primary_of(&srv).await, "192.0.2.1/24");
    }
);

/// A power feed given only its name and panel.
async fn new_power_feed(srv: &crate::harness::Server) -> serde_json::Value {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
        .await;
    let panel = srv
        .post(
            "/api/dcim/power-panels/",
            json!({"name": "P", "site": site["id"]}),
        )
        .await;
    srv.post(
        "/api/dcim/power-feeds/",
        json!({"name": "F", "power_panel": panel["id"]}),
    )
    .await
}

on_each_backend_with!(
    power_feed_defaults_come_from_the_configuration,
    with(|s| {
        s.powerfeed_default_voltage = 230;
        s.powerfeed_default_amperage = 32;
        s.powerfeed_default_max_utilization = 90;
    }),
    |srv| {
        let feed = new_power_feed(&srv).await;
        assert_eq!(feed["voltage"], 230);
        assert_eq!(feed["amperage"], 32);
        assert_eq!(feed["max_utilization"], 90);
    }
);

on_each_backend!(power_feed_defaults_are_netboxs, |srv| {
    let feed = new_power_feed(&srv).await;
    assert_eq!(feed["voltage"], 120);
    assert_eq!(feed["amperage"], 15);
    assert_eq!(feed["max_utilization"], 80);
});

// Timestamps are written in TIME_ZONE, with its offset.
on_each_backend_with!(
    timestamps_follow_time_zone,
    with(|s| s.time_zone = "Asia/Kolkata".into()),
    |srv| {
        let site = srv
            .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
            .await;
        let created = site["created"].as_str().expect("created");
        assert!(created.ends_with("+05:30"), "{created}");
        let read = srv.get(&format!("/api/dcim/sites/{}/", site["id"])).await;
        assert!(read["last_updated"]
            .as_str()
            .unwrap_or_default()
            .ends_with("+05:30"));
    }
);

on_each_backend!(timestamps_are_utc_by_default, |srv| {
    let site = srv
        .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
        .await;
    assert!(site["created"].as_str().unwrap_or_default().ends_with('Z'));
});

// The elevation drawing's unit size: the configured default, or the request's own.
on_each_backend_with!(
    rack_elevation_unit_size,
    with(|s| {
        s.rack_elevation_default_unit_width = 300;
        s.rack_elevation_default_unit_height = 30;
    }),
    |srv| {
        let site = srv
            .post("/api/dcim/sites/", json!({"name": "s", "slug": "s"}))
            .await;
        let rack = srv
            .post(
                "/api/dcim/racks/",
                json!({"name": "R", "site": site["id"], "u_height": 4}),
            )
            .await;
        let svg = |q: &'static str| {
            let path = format!("/api/dcim/racks/{}/elevation/?render=svg{q}", rack["id"]);
            let srv = &srv;
            async move {
                let (s, _, body) = srv.raw("GET", &path, Some(TOKEN), None).await;
                assert_eq!(s, StatusCode::OK);
                body.as_str().expect("svg").to_string()
            }
        };
        let drawing = svg("").await;
        assert!(drawing.contains(r#"width="300" height="15""#), "{drawing}");
        let drawing = svg("&unit_width=100&unit_height=20").await;
        assert!(drawing.contains(r#"width="100" height="10""#), "{drawing}");
    }
);

// CHANGELOG_RETENTION: records older than the retention go; newer ones stay.
on_each_backend!(old_change_records_are_pruned, |srv| {
    srv.post("/api/dcim/sites/", json!({"name": "old", "slug": "old"}))
        .await;
    srv.post("/api/dcim/sites/", json!({"name": "new", "slug": "new"}))
        .await;
    let changes = srv.get("/api/core/object-changes/?ordering=time").await;
    assert_eq!(changes["count"], 2);
    let old_id = changes["results"][0]["id"].as_i64().expect("id");
    let store = srv.store.clone();
    let pruned = tokio::task::spawn_blocking(move || {
        let reg = store.registry();
        let t = reg.get("core.objectchange").expect("change type");
        let long_ago = chrono::Utc::now() - chrono::Duration::days(100);
        store
            .update_quietly(t, old_id, &[("time", cairn_store::Value::Time(long_ago))])
            .expect("backdate");
        cairn_domain::housekeeping::prune_changelog(&store, 90).expect("prune")
    })
    .await
    .expect("join");
    assert_eq!(pruned, 1);
    let left = srv.get("/api/core/object-changes/").await;
    assert_eq!(left["count"], 1);
    assert_eq!(
        left["results"][0]["changed_object"]["name"], "new",
        "{left}"
    );
});
