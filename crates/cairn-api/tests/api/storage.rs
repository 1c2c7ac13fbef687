use crate::harness::{backends, database, open_store};

/// Opening (and so migrating) an existing database again changes nothing and keeps data.
#[test]
fn migration_is_idempotent() {
    for backend in backends() {
        let (url, dir) = database(backend);
        let first = open_store(&url);
        let ids = |s: &cairn_store::Store| {
            s.read(|conn, sc| -> cairn_store::Result<Vec<i64>> {
                let t = sc.reg.get("core.objecttype").unwrap();
                cairn_store::read::ids(conn, t, &cairn_store::Filter::True)
            })
            .unwrap()
        };
        let before = ids(&first);
        drop(first);
        let second = open_store(&url);
        assert_eq!(ids(&second), before);
        assert!(before.len() >= 15);
        if let Some(d) = dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
