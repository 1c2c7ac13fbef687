//! The binary as a user runs it: set-up commands and configuration errors.

use std::process::Command;

fn cairn() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cairn"));
    c.env_remove("CAIRN_DATABASE_URL").env_remove("CAIRN_BIND");
    c
}

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cairn-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("cairn.db")
}

#[test]
fn createsuperuser_then_migrate() {
    let db = temp_db("su");
    let token = "0123456789abcdef0123456789abcdef01234567";
    let out = cairn()
        .args([
            "createsuperuser",
            "--username",
            "ops",
            "--password",
            "pw-12345",
            "--token",
            token,
        ])
        .arg("--database")
        .arg(&db)
        .output()
        .expect("run cairn");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Created superuser 'ops'"), "{stdout}");
    assert!(stdout.contains(token));
    // The same username again is refused with the field's message.
    let again = cairn()
        .args(["createsuperuser", "--username", "ops", "--password", "x"])
        .arg("--database")
        .arg(&db)
        .output()
        .expect("run cairn");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("username"));
    let migrate = cairn()
        .arg("migrate")
        .arg("--database")
        .arg(&db)
        .output()
        .expect("run");
    assert!(migrate.status.success());
    if let Some(dir) = db.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn bad_configuration_is_one_line_naming_the_setting() {
    let out = cairn()
        .args(["migrate", "--database", "mysql://localhost/x"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("CAIRN_DATABASE_URL"), "{err}");

    let db = temp_db("bind");
    let out = cairn()
        .args(["serve", "--bind", "not-an-address"])
        .arg("--database")
        .arg(&db)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CAIRN_BIND"), "{err}");
    assert!(!err.contains("panicked"));

    let out = cairn()
        .args(["serve", "--frobnicate", "1"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frobnicate"));
    if let Some(dir) = db.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}
