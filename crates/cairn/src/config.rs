//! Command line and environment: flags win over `CAIRN_*` variables, which win over
//! defaults.

pub const USAGE: &str = "\
usage: cairn <command> [options]

commands:
  serve             run the HTTP server (--bind ADDR, --database URL)
  migrate           create or upgrade the database schema (--database URL)
  createsuperuser   --username U --password P [--email E] [--token KEY] [--database URL]
  import device-types PATH
                    device and module types from YAML files (the community
                    device-type library's format), a file or a directory tree

environment:
  CAIRN_DATABASE_URL  postgres://user@host/db, or a SQLite file path (default ./cairn-data/cairn.db)
  CAIRN_BIND          listen address (default 127.0.0.1:8000)";

pub const DEFAULT_DATABASE: &str = "cairn-data/cairn.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";

#[derive(Debug)]
pub enum Command {
    Serve {
        bind: String,
    },
    Migrate,
    CreateSuperuser {
        username: String,
        password: String,
        email: String,
        token: Option<String>,
    },
    ImportDeviceTypes {
        path: String,
    },
    Help,
}

#[derive(Debug)]
pub struct Config {
    pub command: Command,
    pub database: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_args(args: &[String]) -> Result<Config, String> {
        let Some((cmd, rest)) = args.split_first() else {
            return Ok(Config {
                command: Command::Help,
                database: String::new(),
            });
        };
        let mut flags: Vec<(String, String)> = Vec::new();
        let mut positional: Vec<String> = Vec::new();
        let mut it = rest.iter();
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                if cmd == "import" {
                    positional.push(a.clone());
                    continue;
                }
                return Err(format!("unexpected argument '{a}'\n{USAGE}"));
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                    (name.to_string(), v.clone())
                }
            };
            flags.push((name, value));
        }
        let flag = |n: &str| flags.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let allowed: &[&str] = match cmd.as_str() {
            "serve" => &["bind", "database"],
            "migrate" => &["database"],
            "createsuperuser" => &["username", "password", "email", "token", "database"],
            "import" => &["database"],
            "help" | "--help" | "-h" => &[],
            other => return Err(format!("unknown command '{other}'\n{USAGE}")),
        };
        if let Some((k, _)) = flags.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(format!("unknown option --{k} for '{cmd}'"));
        }
        let database = flag("database")
            .or_else(|| env("CAIRN_DATABASE_URL"))
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        let command = match cmd.as_str() {
            "serve" => Command::Serve {
                bind: flag("bind")
                    .or_else(|| env("CAIRN_BIND"))
                    .unwrap_or_else(|| DEFAULT_BIND.to_string()),
            },
            "migrate" => Command::Migrate,
            "import" => match positional.as_slice() {
                [what, path] if what == "device-types" => {
                    Command::ImportDeviceTypes { path: path.clone() }
                }
                _ => return Err(format!("usage: cairn import device-types PATH\n{USAGE}")),
            },
            "createsuperuser" => {
                let username = flag("username").ok_or("createsuperuser needs --username")?;
                let password = flag("password").ok_or("createsuperuser needs --password")?;
                if let Some(t) = flag("token") {
                    if t.len() != 40 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
                        return Err("--token must be 40 hexadecimal characters".into());
                    }
                }
                Command::CreateSuperuser {
                    username,
                    password,
                    email: flag("email").unwrap_or_default(),
                    token: flag("token"),
                }
            }
            _ => Command::Help,
        };
        Ok(Config { command, database })
    }
}
