//! `cairn`: serve the API, migrate the database, create users, check the configuration.

mod config;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use cairn_domain::auth::new_token_key;
use cairn_schema::Registry;
use cairn_store::{read, Actor, Change, Filter, PoolOptions, Store, StoreError, Value};

use config::{Cli, Command, Config, ConfigAction, Flags, Import, LogFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let base = Registry::build();
    if let Command::Config {
        action: ConfigAction::Check { path },
    } = &cli.command
    {
        let file = path.as_deref().or(cli.config.as_deref());
        return match config::load(file, &Flags::default(), &base) {
            Ok(cfg) => {
                match &cfg.file {
                    Some(f) => println!("# {}: valid", f.display()),
                    None => println!("# no configuration file; defaults and environment are valid"),
                }
                print!("{}", cfg.render());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cairn: {e}");
                ExitCode::from(2)
            }
        };
    }
    let flags = flags_of(&cli.command);
    let cfg = match config::load(cli.config.as_deref(), &flags, &base) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cairn: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&cfg);
    match run(cli.command, cfg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cairn: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flags_of(cmd: &Command) -> Flags {
    match cmd {
        Command::Serve { bind, db } => Flags {
            database: db.database.clone(),
            bind: bind.clone(),
        },
        Command::Migrate { db }
        | Command::CreateSuperuser { db, .. }
        | Command::Import {
            what: Import::DeviceTypes { db, .. },
        } => Flags {
            database: db.database.clone(),
            bind: None,
        },
        Command::Config { .. } => Flags::default(),
    }
}

/// Logs go to standard error, one line per event: text, or JSON objects.
fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cfg.server.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cfg.server.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

fn open(cfg: &Config) -> Result<Arc<Store>, String> {
    let url = cairn_store::DbUrl::parse(&cfg.server.database_url).map_err(|e| e.to_string())?;
    let opts = PoolOptions {
        size: cfg.server.db_pool_size,
        timeout: cfg.pool_timeout(),
    };
    let store = Store::open_with(
        &url,
        Arc::new(cfg.settings.registry()),
        cairn_domain::hooks(&cfg.settings),
        opts,
    )
    .map_err(|e| e.to_string())?;
    Ok(Arc::new(store))
}

fn run(cmd: Command, cfg: Config) -> Result<(), String> {
    match cmd {
        Command::Config { .. } => Ok(()),
        Command::Migrate { .. } => {
            open(&cfg)?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Import {
            what: Import::DeviceTypes { path, .. },
        } => {
            let store = open(&cfg)?;
            let actor = Actor {
                user_id: None,
                user_name: "cairn import".into(),
                request_id: uuid_like(),
            };
            let results = cairn_api::import::import_tree(&store, &actor, &path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let mut rejected = 0;
            for r in &results {
                match &r.outcome {
                    cairn_api::import::Outcome::Created(what) => {
                        println!("created  {} ({what})", r.path.display())
                    }
                    cairn_api::import::Outcome::Present(what) => {
                        println!("present  {} ({what})", r.path.display())
                    }
                    cairn_api::import::Outcome::Rejected(why) => {
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
            ..
        } => {
            let store = open(&cfg)?;
            let key = create_user(&store, &username, &password, &email, token.clone())
                .map_err(|e| cairn_api::import::describe(&e))?;
            println!("Created superuser '{username}'.");
            if token.is_some() {
                println!("API token: {key}");
            }
            Ok(())
        }
        Command::Serve { .. } => serve(cfg),
    }
}

fn serve(cfg: Config) -> Result<(), String> {
    let addr: std::net::SocketAddr = cfg
        .server
        .bind
        .parse()
        .map_err(|_| format!("BIND: not a socket address: '{}'", cfg.server.bind))?;
    let store = open(&cfg)?;
    first_start(&store).map_err(|e| cairn_api::import::describe(&e))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // The router holds a clone; the last reference (and with it any blocking
    // PostgreSQL client) is dropped here, outside the runtime.
    let router = cairn_api::router(
        store.clone(),
        cairn_api::ApiOptions {
            settings: cfg.settings.clone(),
            metrics_enabled: cfg.server.metrics_enabled,
        },
    );
    let retention = cfg.settings.changelog_retention;
    // Tasks hold clones; `store` itself stays here, so the last reference (and with it any
    // blocking PostgreSQL client) is dropped outside the runtime.
    let pruner = store.clone();
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("BIND: cannot listen on {addr}: {e}"))?;
        println!("Cairn listening on http://{addr}/api/");
        tracing::info!(%addr, "listening");
        if retention > 0 {
            tokio::spawn(prune_changelog(pruner, retention));
        }
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    });
    rt.shutdown_timeout(Duration::from_secs(5));
    drop(store);
    tracing::info!("stopped");
    result
}

/// SIGTERM or Ctrl-C: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Deletes change records older than CHANGELOG_RETENTION days, at start and hourly.
async fn prune_changelog(store: Arc<Store>, days: u32) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        let s = store.clone();
        let done = tokio::task::spawn_blocking(move || {
            cairn_domain::housekeeping::prune_changelog(&s, days)
        })
        .await;
        match done {
            Ok(Ok(n)) if n > 0 => tracing::info!(deleted = n, days, "pruned the change log"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not prune the change log"),
            Err(e) => tracing::warn!(error = %e, "change log pruning stopped"),
        }
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
        read::exists(conn, s, t, &Filter::True)
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
