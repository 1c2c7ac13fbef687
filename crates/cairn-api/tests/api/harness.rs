//! A fresh database per test (a SQLite file; a PostgreSQL schema when
//! CAIRN_TEST_POSTGRES_URL is set) behind the real router, driven in-process.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cairn_domain::Settings;
use cairn_schema::Registry;
use cairn_store::testing::TestDb;
use cairn_store::{Actor, Change, DbUrl, PoolOptions, Store, Value};
use http_body_util::BodyExt;
use serde_json::{json, Value as Json};
use tower::ServiceExt;

pub const TOKEN: &str = "0123456789abcdef0123456789abcdef01234567";
pub const RO_TOKEN: &str = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";

pub use cairn_store::testing::{backends, Backend};

pub struct Server {
    pub router: axum::Router,
    pub store: Arc<Store>,
    // Dropped after the router, so the database goes last.
    _db: TestDb,
}

pub fn open_store(url: &DbUrl) -> Store {
    Store::open(
        url,
        Arc::new(Registry::build()),
        cairn_domain::hooks(&Settings::default()),
    )
    .expect("open store")
}

/// How a test server differs from the defaults.
#[derive(Default)]
pub struct Options {
    pub settings: Settings,
    pub pool: PoolOptions,
    pub metrics_disabled: bool,
}

impl Server {
    pub fn new(backend: Backend) -> Server {
        Server::with(backend, Options::default())
    }

    pub fn with(backend: Backend, opts: Options) -> Server {
        let db = TestDb::new(backend).expect("test database");
        let store = Arc::new(
            Store::open_with(
                &db.url,
                Arc::new(opts.settings.registry()),
                cairn_domain::hooks(&opts.settings),
                opts.pool,
            )
            .expect("open store"),
        );
        let actor = Actor::default();
        store
            .write(&actor, |w| -> cairn_store::Result<()> {
                let reg = w.s.reg.clone();
                let user_t = reg.get("users.user").expect("user type");
                let token_t = reg.get("users.token").expect("token type");
                let f = |t: &cairn_schema::ObjectType, n: &str| t.field_index(n).expect("field");
                let mut c = Change::default();
                c.set(f(user_t, "username"), Value::Text("admin".into()));
                c.set(f(user_t, "password"), Value::Text("secret-pass".into()));
                c.set(f(user_t, "is_superuser"), Value::Bool(true));
                let user = w.create(user_t, c)?;
                for (key, write) in [(TOKEN, true), (RO_TOKEN, false)] {
                    let mut t = Change::default();
                    t.set(f(token_t, "user"), Value::Int(user.id));
                    t.set(f(token_t, "key"), Value::Text(key.into()));
                    t.set(f(token_t, "write_enabled"), Value::Bool(write));
                    w.create(token_t, t)?;
                }
                Ok(())
            })
            .expect("seed admin");
        Server {
            router: cairn_api::router(
                store.clone(),
                cairn_api::ApiOptions {
                    settings: opts.settings,
                    metrics_enabled: !opts.metrics_disabled,
                },
            ),
            store,
            _db: db,
        }
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, axum::http::HeaderMap, Json) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "cairn.test")
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Token {t}"));
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let json = if bytes.is_empty() {
            Json::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Json::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, headers, json)
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Json>) -> (StatusCode, Json) {
        let (s, _, j) = self
            .raw(method, path, Some(TOKEN), body.map(|b| b.to_string()))
            .await;
        (s, j)
    }

    pub async fn get(&self, path: &str) -> Json {
        let (s, j) = self.call("GET", path, None).await;
        assert_eq!(s, StatusCode::OK, "GET {path}: {j}");
        j
    }

    pub async fn post(&self, path: &str, body: Json) -> Json {
        let (s, j) = self.call("POST", path, Some(body.clone())).await;
        assert_eq!(s, StatusCode::CREATED, "POST {path} {body}: {j}");
        j
    }

    pub async fn patch(&self, path: &str, body: Json) -> Json {
        let (s, j) = self.call("PATCH", path, Some(body.clone())).await;
        assert_eq!(s, StatusCode::OK, "PATCH {path} {body}: {j}");
        j
    }

    pub async fn count(&self, path: &str) -> i64 {
        self.get(path).await["count"].as_i64().expect("count")
    }
}

/// Runs a test body once per configured backend, on a server made with these options.
#[macro_export]
macro_rules! on_each_backend_with {
    ($name:ident, $opts:expr, |$srv:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in $crate::harness::backends() {
                // The blocking PostgreSQL client must be opened and closed off the runtime.
                let $srv = tokio::task::spawn_blocking(move || {
                    $crate::harness::Server::with(backend, $opts)
                })
                .await
                .expect("server");
                $body
                tokio::task::spawn_blocking(move || drop($srv))
                    .await
                    .expect("drop server");
            }
        }
    };
}

/// Runs a test body once per configured backend.
#[macro_export]
macro_rules! on_each_backend {
    ($name:ident, |$srv:ident| $body:block) => {
        $crate::on_each_backend_with!($name, $crate::harness::Options::default(), |$srv| $body);
    };
}

/// A device (with its site, role and type, made once) and one virtual interface on it.
pub async fn device_with_interface(srv: &Server, device: &str, iface: &str) -> (Json, Json) {
    let one = |path: &'static str, body: Json| async move {
        let found = srv.get(&format!("{path}?limit=1")).await;
        match found["results"].get(0) {
            Some(x) => x.clone(),
            None => srv.post(path, body).await,
        }
    };
    let site = one("/api/dcim/sites/", json!({"name": "s", "slug": "s"})).await;
    let role = one("/api/dcim/device-roles/", json!({"name": "r", "slug": "r"})).await;
    let maker = one(
        "/api/dcim/manufacturers/",
        json!({"name": "m", "slug": "m"}),
    )
    .await;
    let dt = one(
        "/api/dcim/device-types/",
        json!({"manufacturer": maker["id"], "model": "x", "slug": "x"}),
    )
    .await;
    let d = srv
        .post(
            "/api/dcim/devices/",
            json!({"name": device, "device_type": dt["id"], "role": role["id"], "site": site["id"]}),
        )
        .await;
    let i = srv
        .post(
            "/api/dcim/interfaces/",
            json!({"device": d["id"], "name": iface, "type": "virtual"}),
        )
        .await;
    (d, i)
}
