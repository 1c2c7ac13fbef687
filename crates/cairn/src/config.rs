//! The command line (clap) and the configuration: defaults, then a TOML file, then
//! `CAIRN_<KEY>` environment variables, then flags (figment layers them). Keys are
//! written as NetBox writes its settings: `LOGIN_REQUIRED = false`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use cairn_domain::Settings;
use cairn_schema::Registry;

#[derive(Debug, Parser)]
#[command(
    name = "cairn",
    version,
    about = "A network source of truth that speaks NetBox's REST API",
    after_help = "Configuration: cairn.toml in the working directory (or --config / CAIRN_CONFIG), \
                  every key overridable by a CAIRN_<KEY> environment variable; flags win over both."
)]
pub struct Cli {
    /// Configuration file (TOML); ./cairn.toml is read when present.
    #[arg(long, global = true, env = "CAIRN_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args, Default)]
pub struct DatabaseArg {
    /// Database: postgres://user@host:port/db, or a SQLite file path [DATABASE_URL].
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API.
    Serve {
        /// Address to listen on [BIND].
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Create or upgrade the database schema and exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Create a superuser with a write-enabled API token.
    #[command(name = "createsuperuser")]
    CreateSuperuser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "")]
        email: String,
        /// The token's key: 40 hexadecimal characters (generated when omitted).
        #[arg(long, value_parser = token_key)]
        token: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Import objects from files.
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Check the configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum Import {
    /// Device and module types from YAML files in the community device-type library's
    /// format (a file or a directory tree).
    DeviceTypes {
        path: PathBuf,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate a configuration file (with the environment applied) and print the result.
    Check {
        /// The file to check (default: --config, CAIRN_CONFIG or ./cairn.toml).
        path: Option<PathBuf>,
    },
}

fn token_key(s: &str) -> Result<String, String> {
    if s.len() == 40 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(s.to_string())
    } else {
        Err("must be 40 hexadecimal characters".into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Cairn's own keys (NetBox's settings are `cairn_domain::Settings`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", default)]
pub struct Server {
    pub database_url: String,
    pub bind: String,
    /// `trace`, `debug`, `info`, `warn`, `error`, or per-module directives
    /// (`info,cairn::request=warn`).
    pub log_level: String,
    pub log_format: LogFormat,
    /// Connections per pool (SQLite readers; all of PostgreSQL's); default 4 / 16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_pool_size: Option<u32>,
    /// Seconds a request waits for a connection before it is answered 503.
    pub db_pool_timeout: f64,
    /// Serve `/metrics` (NetBox's name for it).
    pub metrics_enabled: bool,
}

impl Default for Server {
    fn default() -> Server {
        Server {
            database_url: "cairn-data/cairn.db".into(),
            bind: "127.0.0.1:8000".into(),
            log_level: "info".into(),
            log_format: LogFormat::Text,
            db_pool_size: None,
            db_pool_timeout: 30.0,
            metrics_enabled: true,
        }
    }
}

/// Every key a file may hold.
pub fn known_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for v in [
        keys_of(&Server {
            db_pool_size: Some(1),
            ..Server::default()
        }),
        keys_of(&Settings::default()),
    ] {
        keys.extend(v);
    }
    keys
}

fn keys_of<T: Serialize>(v: &T) -> Vec<String> {
    match figment::value::Value::serialize(v) {
        Ok(figment::value::Value::Dict(_, d)) => d.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The configuration in effect, and where the file came from.
#[derive(Debug, Clone)]
pub struct Config {
    pub server: Server,
    pub settings: Settings,
    pub file: Option<PathBuf>,
}

impl Config {
    pub fn pool_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.server.db_pool_timeout)
    }

    /// The configuration in effect as TOML, with a database password masked.
    pub fn render(&self) -> String {
        let mut server = self.server.clone();
        server.database_url = mask_password(&server.database_url);
        let mut out = toml::to_string(&server).unwrap_or_default();
        out.push_str(&toml::to_string(&self.settings).unwrap_or_default());
        out
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// Values given on the command line, winning over everything else.
#[derive(Debug, Default)]
pub struct Flags {
    pub database: Option<String>,
    pub bind: Option<String>,
}

/// Loads the layered configuration; an error is one line naming the key.
pub fn load(file: Option<&Path>, flags: &Flags, reg: &Registry) -> Result<Config, String> {
    let (path, explicit) = match file {
        Some(p) => (Some(p.to_path_buf()), true),
        None => {
            let default = PathBuf::from("cairn.toml");
            (default.exists().then_some(default), false)
        }
    };
    let mut fig = Figment::new()
        .merge(Serialized::defaults(Server::default()))
        .merge(Serialized::defaults(Settings::default()));
    let known = known_keys();
    if let Some(p) = &path {
        if explicit && !p.exists() {
            return Err(format!("config file {}: not found", p.display()));
        }
        check_file_keys(p, &known)?;
        fig = fig.merge(Toml::file_exact(p));
    }
    let env_keys: Vec<&str> = known.iter().map(String::as_str).collect();
    // `only` builds a new provider, so keys keep their case only when asked after it.
    fig = fig.merge(Env::prefixed("CAIRN_").only(&env_keys).lowercase(false));
    if let Some(d) = &flags.database {
        fig = fig.merge(("DATABASE_URL", d));
    }
    if let Some(b) = &flags.bind {
        fig = fig.merge(("BIND", b));
    }
    let server: Server = fig.extract().map_err(describe)?;
    let settings: Settings = fig.extract().map_err(describe)?;
    check_server(&server)?;
    settings
        .check(reg)
        .map_err(|(key, why)| format!("{key}: {why}"))?;
    Ok(Config {
        server,
        settings,
        file: path,
    })
}

/// A file key that is no setting stops the program (a misspelt key would otherwise be
/// silently ignored).
fn check_file_keys(path: &Path, known: &[String]) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("config file {}: {e}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let msg = e.message().replace('\n', " ");
        format!("config file {}: {}", path.display(), msg.trim())
    })?;
    for key in table.keys() {
        if !known.iter().any(|k| k == key) {
            let hint = known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(key))
                .map(|k| format!(" (did you mean {k}?)"))
                .unwrap_or_default();
            return Err(format!(
                "config file {}: unknown key {key}{hint}",
                path.display()
            ));
        }
    }
    Ok(())
}

fn check_server(s: &Server) -> Result<(), String> {
    cairn_store::DbUrl::parse(&s.database_url).map_err(|e| match e {
        cairn_store::StoreError::Config(m) => m,
        other => format!("DATABASE_URL: {other}"),
    })?;
    s.bind
        .parse::<std::net::SocketAddr>()
        .map_err(|_| format!("BIND: not a socket address: '{}'", s.bind))?;
    tracing_subscriber::EnvFilter::try_new(&s.log_level)
        .map_err(|e| format!("LOG_LEVEL: '{}': {e}", s.log_level))?;
    if s.db_pool_size == Some(0) {
        return Err("DB_POOL_SIZE: must be at least 1".into());
    }
    if !(s.db_pool_timeout > 0.0 && s.db_pool_timeout.is_finite()) {
        return Err("DB_POOL_TIMEOUT: must be a positive number of seconds".into());
    }
    Ok(())
}

/// figment's error as one line: the key as its source names it, and what is wrong.
fn describe(e: figment::Error) -> String {
    let Some(first) = e.into_iter().next() else {
        return "configuration: invalid".into();
    };
    let key = match (&first.metadata, &first.profile) {
        (Some(m), Some(p)) if !first.path.is_empty() => m.interpolate(p, &first.path),
        _ => first.path.join("."),
    };
    let source = first
        .metadata
        .as_ref()
        .map(|m| match &m.source {
            Some(src) => format!(" (from {src})"),
            None => format!(" (from {})", m.name),
        })
        .unwrap_or_default();
    format!("{key}: {}{source}", first.kind).replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_password("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_password("cairn-data/cairn.db"), "cairn-data/cairn.db");
    }

    #[test]
    fn known_keys_hold_both_halves() {
        let keys = known_keys();
        for k in [
            "DATABASE_URL",
            "BIND",
            "DB_POOL_SIZE",
            "LOGIN_REQUIRED",
            "TIME_ZONE",
        ] {
            assert!(keys.iter().any(|x| x == k), "{k} missing from {keys:?}");
        }
    }
}
