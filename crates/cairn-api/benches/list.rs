//! List serialization, measured in-process (no network, no client): 1,000 sites with
//! nested region, group and tenant, read as pages of 50 and of 1,000.
//!
//! `cargo bench -p cairn-api --bench list` (set CAIRN_BENCH_POSTGRES_URL to a database
//! it may create a schema in to measure PostgreSQL as well).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use cairn_schema::Registry;
use cairn_store::testing::{Backend, TestDb};
use cairn_store::{Actor, Change, DbUrl, Store, Value};
use http_body_util::BodyExt;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef01234567";

fn seed(store: &Store) {
    store
        .write(&Actor::default(), |w| -> cairn_store::Result<()> {
            let reg = w.s.reg.clone();
            let t = |l: &str| reg.get(l).expect("type");
            let f = |l: &str, n: &str| t(l).field_index(n).expect("field");
            let mut c = Change::default();
            c.set(f("users.user", "username"), Value::Text("bench".into()));
            c.set(
                f("users.user", "password"),
                Value::Text("bench-pass".into()),
            );
            let user = w.create(t("users.user"), c)?;
            let mut c = Change::default();
            c.set(f("users.token", "user"), Value::Int(user.id));
            c.set(f("users.token", "key"), Value::Text(TOKEN.into()));
            w.create(t("users.token"), c)?;
            let mut named = |label: &str, name: String| {
                let mut c = Change::default();
                c.set(f(label, "name"), Value::Text(name.clone()));
                c.set(f(label, "slug"), Value::Text(name));
                w.create(t(label), c).map(|r| r.id)
            };
            let regions: Vec<i64> = (0..10)
                .map(|i| named("dcim.region", format!("region-{i}")))
                .collect::<Result<_, _>>()?;
            let groups: Vec<i64> = (0..10)
                .map(|i| named("dcim.sitegroup", format!("group-{i}")))
                .collect::<Result<_, _>>()?;
            let tenants: Vec<i64> = (0..10)
                .map(|i| named("tenancy.tenant", format!("tenant-{i}")))
                .collect::<Result<_, _>>()?;
            for i in 0..1000 {
                let mut c = Change::default();
                c.set(f("dcim.site", "name"), Value::Text(format!("site-{i:04}")));
                c.set(f("dcim.site", "slug"), Value::Text(format!("site-{i:04}")));
                c.set(f("dcim.site", "region"), Value::Int(regions[i % 10]));
                c.set(f("dcim.site", "group"), Value::Int(groups[i % 10]));
                c.set(f("dcim.site", "tenant"), Value::Int(tenants[i % 10]));
                c.set(f("dcim.site", "facility"), Value::Text(format!("DC {i}")));
                w.create(t("dcim.site"), c)?;
            }
            Ok(())
        })
        .expect("seed");
}

async fn get(router: &axum::Router, uri: &str) -> usize {
    let req = Request::builder()
        .uri(uri)
        .header("host", "bench")
        .header("authorization", format!("Token {TOKEN}"))
        .body(Body::empty())
        .expect("request");
    let resp = router.clone().oneshot(req).await.expect("response");
    assert!(resp.status().is_success());
    resp.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .len()
}

async fn measure(label: &str, router: &axum::Router, uri: &str) {
    let bytes = get(router, uri).await;
    let mut times: Vec<Duration> = Vec::new();
    let start = Instant::now();
    while times.len() < 20 || (start.elapsed() < Duration::from_secs(3) && times.len() < 2000) {
        let t = Instant::now();
        get(router, uri).await;
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{label:<10} {uri:<36} median {:>8.3} ms  p90 {:>8.3} ms  {:>7.0} req/s  {bytes} bytes  ({} runs)",
        median.as_secs_f64() * 1e3,
        times[times.len() * 9 / 10].as_secs_f64() * 1e3,
        1.0 / median.as_secs_f64(),
        times.len()
    );
}

fn open(url: &DbUrl) -> Arc<Store> {
    Arc::new(
        Store::open(
            url,
            Arc::new(Registry::build()),
            cairn_domain::hooks(&cairn_domain::Settings::default()),
        )
        .expect("store"),
    )
}

fn main() {
    let mut targets: Vec<(&str, TestDb)> =
        vec![("sqlite", TestDb::new(Backend::Sqlite).expect("sqlite"))];
    if let Ok(pg) = std::env::var("CAIRN_BENCH_POSTGRES_URL") {
        targets.push(("postgres", TestDb::postgres_schema(&pg).expect("postgres")));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for (label, db) in targets {
        let store = open(&db.url);
        seed(&store);
        let router = cairn_api::router(store.clone(), Default::default());
        rt.block_on(async {
            measure(label, &router, "/api/dcim/sites/?limit=50").await;
            measure(label, &router, "/api/dcim/sites/?limit=1000").await;
            measure(label, &router, "/api/dcim/sites/?brief=1&limit=1000").await;
            measure(label, &router, "/api/dcim/sites/?region=region-3").await;
        });
        drop(router);
        drop(store);
    }
}
