//! `cairn`: serve the API, migrate the database, create users.

mod config;

use std::process::ExitCode;
use std::sync::Arc;

use cairn_domain::auth::new_token_key;
use cairn_domain::import::Outcome;
use cairn_domain::DomainHooks;
use cairn_schema::Registry;
use cairn_store::{read, Actor, Change, Filter, Store, StoreError, Value};

use config::{Command, Config};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match Config::from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cairn: {e}");
            return ExitCode::from(2);
        }
    };
    match run(cfg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cairn: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(cfg: &Config) -> Result<Arc<Store>, String> {
    let url = cairn_store::DbUrl::parse(&cfg.database).map_err(|e| e.to_string())?;
    let store = Store::open(&url, Arc::new(Registry::build()), Arc::new(DomainHooks))
        .map_err(|e| e.to_string())?;
    Ok(Arc::new(store))
}

fn run(cfg: Config) -> Result<(), String> {
    match &cfg.command {
        Command::Help => {
            println!("{}", config::USAGE);
            Ok(())
        }
        Command::Migrate => {
            open(&cfg)?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::ImportDeviceTypes { path } => {
            let store = open(&cfg)?;
            let actor = Actor {
                user_id: None,
                user_name: "cairn import".into(),
                request_id: uuid_like(),
            };
            let results =
                cairn_domain::import::import_tree(&store, &actor, std::path::Path::new(path))
                    .map_err(|e| format!("{path}: {e}"))?;
            let mut rejected = 0;
            for r in &results {
                match &r.outcome {
                    Outcome::Created(what) => println!("created  {} ({what})", r.path.display()),
                    Outcome::Present(what) => println!("present  {} ({what})", r.path.display()),
                    Outcome::Rejected(why) => {
                        rejected += 1;
                        println!("REJECTED {}: {why}", r.path.display());
                    }
                }
            }
            println!("{} files, {rejected} rejected", results.len());
            if rejected > 0 {
                return Err(format!("{rejected} of {} files rejected", results.len()));
            }
            Ok(())
        }
        Command::CreateSuperuser {
            username,
            password,
            email,
            token,
        } => {
            let store = open(&cfg)?;
            let key = create_user(&store, username, password, email, token.clone())
                .map_err(|e| describe(&e))?;
            println!("Created superuser '{username}'.");
            if token.is_some() {
                println!("API token: {key}");
            }
            Ok(())
        }
        Command::Serve { bind } => {
            let store = open(&cfg)?;
            first_start(&store).map_err(|e| describe(&e))?;
            let addr: std::net::SocketAddr = bind
                .parse()
                .map_err(|_| format!("CAIRN_BIND: not a socket address: '{bind}'"))?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            // The router holds a clone; the last reference (and with it any blocking
            // PostgreSQL client) is dropped here, outside the runtime.
            let router = cairn_api::router(store.clone());
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|e| format!("CAIRN_BIND: cannot listen on {addr}: {e}"))?;
                println!("Cairn listening on http://{addr}/api/");
                axum::serve(listener, router)
                    .with_graceful_shutdown(async {
                        let _ = tokio::signal::ctrl_c().await;
                    })
                    .await
                    .map_err(|e| e.to_string())
            })
        }
    }
}

fn describe(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.join(" ")))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Creates a superuser and a write-enabled token; returns the token key.
fn create_user(
    store: &Store,
    username: &str,
    password: &str,
    email: &str,
    token: Option<String>,
) -> Result<String, StoreError> {
    let actor = Actor {
        user_id: None,
        user_name: "cairn".into(),
        request_id: uuid_like(),
    };
    let key = token.unwrap_or_else(new_token_key);
    store.write(&actor, |w| {
        let reg = w.s.reg.clone();
        let user_t = reg.get("users.user").ok_or(StoreError::NotFound)?;
        let token_t = reg.get("users.token").ok_or(StoreError::NotFound)?;
        let idx = |t: &cairn_schema::ObjectType, n: &str| {
            t.field_index(n)
                .ok_or_else(|| StoreError::Db(format!("missing field {n}")))
        };
        let mut c = Change::default();
        c.set(idx(user_t, "username")?, Value::Text(username.into()));
        c.set(idx(user_t, "password")?, Value::Text(password.into()));
        c.set(idx(user_t, "email")?, Value::Text(email.into()));
        c.set(idx(user_t, "is_staff")?, Value::Bool(true));
        c.set(idx(user_t, "is_superuser")?, Value::Bool(true));
        let user = w.create(user_t, c)?;
        let mut t = Change::default();
        t.set(idx(token_t, "user")?, Value::Int(user.id));
        t.set(idx(token_t, "key")?, Value::Text(key.clone()));
        t.set(idx(token_t, "write_enabled")?, Value::Bool(true));
        t.set(
            idx(token_t, "description")?,
            Value::Text("created by cairn".into()),
        );
        w.create(token_t, t)?;
        Ok(key.clone())
    })
}

/// On the first start of an empty database, an `admin` user with a one-time password.
fn first_start(store: &Store) -> Result<(), StoreError> {
    let has_users = store.read(|conn, s| {
        let t = s.reg.get("users.user").ok_or(StoreError::NotFound)?;
        read::exists(conn, t, &Filter::True)
    })?;
    if has_users {
        return Ok(());
    }
    let password = new_token_key()[..16].to_string();
    let key = create_user(store, "admin", &password, "", None)?;
    println!("First start: created user 'admin' with password '{password}'.");
    println!("API token: {key}");
    println!("Try: curl -H 'Authorization: Token {key}' http://HOST:PORT/api/dcim/sites/");
    Ok(())
}

fn uuid_like() -> String {
    let k = new_token_key();
    format!(
        "{}-{}-{}-{}-{}",
        &k[0..8],
        &k[8..12],
        &k[12..16],
        &k[16..20],
        &k[20..32]
    )
}
