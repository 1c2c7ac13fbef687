//! The binary as a user runs it: set-up commands, configuration layering and errors, the
//! request log, and shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "0123456789abcdef0123456789abcdef01234567";

/// The binary with no `CAIRN_*` variables from the surrounding environment.
fn cairn(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cairn"));
    for (k, _) in std::env::vars() {
        if k.starts_with("CAIRN_") {
            c.env_remove(k);
        }
    }
    c.current_dir(dir);
    c
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cairn-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Runs the binary to completion: (success, stdout, stderr).
fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("run cairn");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One HTTP/1.1 request over a fresh connection: (status, headers, body).
fn http(port: u16, method: &str, path: &str, token: Option<&str>) -> (u16, String, String) {
    http_body(port, method, path, token, "")
}

fn http_body(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let auth = token
        .map(|t| format!("Authorization: Token {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: cairn.test\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    parse_response(&raw)
}

fn parse_response(raw: &str) -> (u16, String, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

struct Served {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Served {
    /// `cairn serve` on a fresh SQLite database with a known superuser token; waits
    /// until it answers.
    fn start(name: &str, env: &[(&str, &str)]) -> Served {
        let dir = temp_dir(name);
        let (ok, _, err) = run(cairn(&dir).args([
            "createsuperuser",
            "--username",
            "admin",
            "--password",
            "pw-12345",
            "--token",
            TOKEN,
        ]));
        assert!(ok, "{err}");
        Served::on(dir, env)
    }

    /// `cairn serve` in `dir` (its database as the environment says).
    fn on(dir: PathBuf, env: &[(&str, &str)]) -> Served {
        let port = free_port();
        let child = cairn(&dir)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let mut srv = Served { child, port, dir };
        wait_listening(&mut srv.child, port);
        srv
    }

    fn term(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok);
    }

    /// Stops the server (SIGTERM) and returns its exit success and log.
    fn stop(self) -> (bool, String) {
        self.term();
        self.stop_after_term()
    }
}

/// Waits until the server accepts connections; fails if it exits first.
fn wait_listening(child: &mut Child, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(st) = child.try_wait().expect("wait") {
            panic!("serve exited: {st}");
        }
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait(child: &mut Child, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(st) = child.try_wait().expect("wait") {
            return st.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("process did not exit in time");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn createsuperuser_then_migrate() {
    let dir = temp_dir("su");
    let (ok, out, err) = run(cairn(&dir).args([
        "createsuperuser",
        "--username",
        "ops",
        "--password",
        "pw-12345",
        "--token",
        TOKEN,
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("Created superuser 'ops'"), "{out}");
    assert!(out.contains(TOKEN));
    // The same username again is refused with the field's message.
    let (ok, _, err) =
        run(cairn(&dir).args(["createsuperuser", "--username", "ops", "--password", "x"]));
    assert!(!ok);
    assert!(err.contains("username"), "{err}");
    let (ok, _, err) = run(cairn(&dir).arg("migrate"));
    assert!(ok, "{err}");
    // The default database lives under the working directory.
    assert!(dir.join("cairn-data/cairn.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each bad setting stops the program with one line that names it.
#[test]
fn bad_configuration_is_one_line_naming_the_key() {
    let dir = temp_dir("bad");
    let file = dir.join("cairn.toml");
    // (file, environment, arguments, what the error must name)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [&'a str], &'a str);
    let cases: Vec<Case> = vec![
        (
            "",
            vec![],
            &["migrate", "--database", "mysql://localhost/x"],
            "DATABASE_URL",
        ),
        (
            "",
            vec![("CAIRN_BIND", "not-an-address")],
            &["migrate"],
            "BIND",
        ),
        (
            "LOGIN_REQUIRED = \"maybe\"\n",
            vec![],
            &["migrate"],
            "LOGIN_REQUIRED",
        ),
        (
            "LOGIN_REQUIRD = false\n",
            vec![],
            &["migrate"],
            "LOGIN_REQUIRD",
        ),
        (
            "login_required = false\n",
            vec![],
            &["migrate"],
            "did you mean LOGIN_REQUIRED",
        ),
        (
            "",
            vec![("CAIRN_PAGINATE_COUNT", "0")],
            &["migrate"],
            "PAGINATE_COUNT",
        ),
        (
            "",
            vec![("CAIRN_MAX_PAGE_SIZE", "-1")],
            &["migrate"],
            "MAX_PAGE_SIZE",
        ),
        (
            "TIME_ZONE = \"Mars/Olympus\"\n",
            vec![],
            &["migrate"],
            "TIME_ZONE",
        ),
        (
            "EXEMPT_VIEW_PERMISSIONS = [\"dcim.nothing\"]\n",
            vec![],
            &["migrate"],
            "EXEMPT_VIEW_PERMISSIONS",
        ),
        (
            "",
            vec![("CAIRN_LOG_LEVEL", "loud=[")],
            &["migrate"],
            "LOG_LEVEL",
        ),
        (
            "",
            vec![("CAIRN_DB_POOL_TIMEOUT", "0")],
            &["migrate"],
            "DB_POOL_TIMEOUT",
        ),
        (
            "POWERFEED_DEFAULT_MAX_UTILIZATION = 101\n",
            vec![],
            &["migrate"],
            "POWERFEED_DEFAULT_MAX_UTILIZATION",
        ),
        ("BIND = [\n", vec![], &["migrate"], "cairn.toml"),
    ];
    for (toml, env, args, key) in cases {
        std::fs::write(&file, toml).expect("write config");
        let (ok, _, err) = run(cairn(&dir).args(args).envs(env.clone()));
        assert!(!ok, "{toml} {env:?} {args:?} was accepted");
        assert_eq!(err.trim().lines().count(), 1, "not one line: {err}");
        assert!(err.contains(key), "{key} not named: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A file named explicitly must exist.
    let (ok, _, err) = run(cairn(&dir).args(["--config", "nope.toml", "migrate"]));
    assert!(!ok);
    assert!(err.contains("nope.toml"), "{err}");
    // Unknown flags are clap's business.
    let (ok, _, err) = run(cairn(&dir).args(["serve", "--frobnicate", "1"]));
    assert!(!ok);
    assert!(err.contains("--frobnicate"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Defaults < file < CAIRN_* variables < flags, shown by `config check`.
#[test]
fn configuration_layers_in_order() {
    let dir = temp_dir("layers");
    let (ok, out, err) = run(cairn(&dir).args(["config", "check"]));
    assert!(ok, "{err}");
    assert!(out.contains("PAGINATE_COUNT = 50"), "{out}");
    assert!(out.contains("LOGIN_REQUIRED = true"), "{out}");
    std::fs::write(
        dir.join("other.toml"),
        "PAGINATE_COUNT = 20\nMAX_PAGE_SIZE = 200\nDATABASE_URL = \"postgres://u:secret@db/x\"\n",
    )
    .expect("write");
    let (ok, out, err) = run(cairn(&dir)
        .args(["--config", "other.toml", "config", "check"])
        .env("CAIRN_MAX_PAGE_SIZE", "300")
        .env("CAIRN_EXEMPT_VIEW_PERMISSIONS", "dcim.site, dcim.device"));
    assert!(ok, "{err}");
    assert!(
        out.contains("PAGINATE_COUNT = 20"),
        "file over default: {out}"
    );
    assert!(
        out.contains("MAX_PAGE_SIZE = 300"),
        "environment over file: {out}"
    );
    assert!(
        out.contains(r#"EXEMPT_VIEW_PERMISSIONS = ["dcim.site", "dcim.device"]"#),
        "{out}"
    );
    assert!(!out.contains("secret"), "passwords are masked: {out}");
    // CAIRN_CONFIG names the file as --config does.
    let (ok, out, _) = run(cairn(&dir)
        .args(["config", "check"])
        .env("CAIRN_CONFIG", "other.toml"));
    assert!(ok);
    assert!(out.contains("PAGINATE_COUNT = 20"), "{out}");
    // A flag wins over the environment: a bad CAIRN_BIND is overridden by --bind.
    let port = free_port();
    let mut child = cairn(&dir)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("CAIRN_BIND", "not-an-address")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_listening(&mut child, port);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_lists_commands_and_settings() {
    let dir = temp_dir("help");
    let (ok, out, _) = run(cairn(&dir).arg("--help"));
    assert!(ok);
    for cmd in ["serve", "migrate", "createsuperuser", "import", "config"] {
        assert!(out.contains(cmd), "{cmd} missing: {out}");
    }
    let (ok, out, _) = run(cairn(&dir).args(["serve", "--help"]));
    assert!(ok);
    assert!(
        out.contains("--bind") && out.contains("--database"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// One line per request with method, path, status, duration, request id and user; JSON
/// when asked for.
#[test]
fn requests_are_logged_as_json_lines() {
    let srv = Served::start("log", &[("CAIRN_LOG_FORMAT", "json")]);
    let (status, head, _) = http(srv.port, "GET", "/api/dcim/sites/?limit=1", Some(TOKEN));
    assert_eq!(status, 200, "{head}");
    let rid = head
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("request id header")
        .trim()
        .to_string();
    let (status, _, _) = http(srv.port, "GET", "/api/status/", None);
    assert_eq!(
        status, 403,
        "status needs a token while LOGIN_REQUIRED is on"
    );
    let (ok, log) = srv.stop();
    assert!(ok, "{log}");
    let line = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["request_id"] == rid.as_str())
        .unwrap_or_else(|| panic!("no log line for {rid}: {log}"));
    assert_eq!(line["target"], "cairn::request");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["path"], "/api/dcim/sites/");
    assert_eq!(line["status"], 200);
    assert_eq!(line["user"], "admin");
    assert!(line["duration_ms"].as_f64().is_some(), "{line}");
}

/// SIGTERM stops accepting and lets a request already under way finish.
#[test]
fn sigterm_lets_requests_in_flight_finish() {
    let srv = Served::start("term", &[]);
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    // Half a request: the server is reading it when the signal arrives.
    write!(s, "GET /api/status/ HTTP/1.1\r\nHost: cairn.test\r\n").expect("send");
    std::thread::sleep(Duration::from_millis(300));
    srv.term();
    std::thread::sleep(Duration::from_millis(300));
    write!(
        s,
        "Authorization: Token {TOKEN}\r\nConnection: close\r\n\r\n"
    )
    .expect("send rest");
    let mut reader = BufReader::new(s);
    let mut first = String::new();
    reader.read_line(&mut first).expect("status line");
    assert!(first.contains(" 200 "), "{first}");
    let (ok, log) = srv.stop_after_term();
    assert!(ok, "{log}");
    assert!(log.contains("shutting down"), "{log}");
}

impl Served {
    fn stop_after_term(mut self) -> (bool, String) {
        let status = wait(&mut self.child, Duration::from_secs(15));
        let mut log = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut log);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        (status, log)
    }
}

/// Until `f` holds, for up to ten seconds.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A custom field defined through one server is seen, and enforced, by another server
/// process on the same database without a restart; its deletion too. On SQLite (two
/// processes, one file) and on PostgreSQL when configured.
#[test]
fn custom_fields_reach_other_processes_without_a_restart() {
    let mut databases: Vec<(String, Option<cairn_store::testing::TestDb>)> = Vec::new();
    let dir = temp_dir("shared");
    databases.push((dir.join("shared.db").display().to_string(), None));
    if let Ok(base) = std::env::var(cairn_store::testing::POSTGRES_ENV) {
        if !base.is_empty() {
            let db = cairn_store::testing::TestDb::postgres_schema(&base).expect("pg schema");
            let url = match &db.url {
                cairn_store::DbUrl::Postgres(u) => u.clone(),
                cairn_store::DbUrl::Sqlite(p) => p.display().to_string(),
            };
            databases.push((url, Some(db)));
        }
    }
    for (n, (url, _keep)) in databases.iter().enumerate() {
        let home = temp_dir(&format!("shared-{n}"));
        let (ok, _, err) = run(cairn(&home)
            .args([
                "createsuperuser",
                "--username",
                "admin",
                "--password",
                "pw-12345",
            ])
            .args(["--token", TOKEN, "--database", url]));
        assert!(ok, "{err}");
        let env = [("CAIRN_DATABASE_URL", url.as_str())];
        let a = Served::on(temp_dir(&format!("a-{n}")), &env);
        let b = Served::on(temp_dir(&format!("b-{n}")), &env);
        let (s, _, body) = http_body(
            b.port,
            "POST",
            "/api/dcim/sites/",
            Some(TOKEN),
            r#"{"name": "s0", "slug": "s0"}"#,
        );
        assert_eq!(s, 201, "{body}");
        let site: serde_json::Value = serde_json::from_str(&body).expect("json");
        let site_path = format!("/api/dcim/sites/{}/", site["id"]);
        let (s, _, body) = http_body(
            a.port,
            "POST",
            "/api/extras/custom-fields/",
            Some(TOKEN),
            r#"{"name": "asset", "type": "integer", "object_types": ["dcim.site"]}"#,
        );
        assert_eq!(s, 201, "{body}");
        let field: serde_json::Value = serde_json::from_str(&body).expect("json");
        let custom = |port: u16| -> serde_json::Value {
            let (_, _, body) = http(port, "GET", &site_path, Some(TOKEN));
            serde_json::from_str::<serde_json::Value>(&body).expect("json")["custom_fields"].clone()
        };
        eventually("the other process shows the field", || {
            custom(b.port) == serde_json::json!({"asset": null})
        });
        let (s, _, body) = http_body(
            b.port,
            "PATCH",
            &site_path,
            Some(TOKEN),
            r#"{"custom_fields": {"asset": "not a number"}}"#,
        );
        assert_eq!(s, 400, "the other process checks values: {body}");
        let (s, _, _) = http(
            a.port,
            "DELETE",
            &format!("/api/extras/custom-fields/{}/", field["id"]),
            Some(TOKEN),
        );
        assert_eq!(s, 204);
        eventually("the other process drops the field", || {
            custom(b.port) == serde_json::json!({})
        });
        // Both stop cleanly on SIGTERM (with PostgreSQL clients to close, too).
        for srv in [a, b] {
            let (ok, log) = srv.stop();
            assert!(ok, "{log}");
        }
        let _ = std::fs::remove_dir_all(&home);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
