use cairn_store::testing::TestDb;

use crate::harness::{backends, open_store};

/// Opening (and so migrating) an existing database again changes nothing and keeps data.
#[test]
fn migration_is_idempotent() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("test database");
        let first = open_store(&db.url);
        let ids = |s: &cairn_store::Store| {
            s.read(|conn, sc| -> cairn_store::Result<Vec<i64>> {
                let t = sc.reg.get("core.objecttype").unwrap();
                cairn_store::read::ids(conn, sc, t, &cairn_store::Filter::True)
            })
            .unwrap()
        };
        let before = ids(&first);
        drop(first);
        let second = open_store(&db.url);
        assert_eq!(ids(&second), before);
        assert!(before.len() >= 15);
    }
}
