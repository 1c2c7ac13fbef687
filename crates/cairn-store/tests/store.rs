//! The store on its own, with a registry of test models: field kinds, IP keys and
//! migrations, on SQLite and (when configured) PostgreSQL.

use std::sync::Arc;

use cairn_schema::field::{color, date, email, int, name, string, url};
use cairn_schema::{Field, FieldKind, ObjectType, Registry};
use cairn_store::ipkey::IpNet;
use cairn_store::testing::{backends, Rng, TestDb};
use cairn_store::{ddl, Actor, Change, Col, Hooks, Store, StoreError, Value};

fn thing(extra: bool) -> ObjectType {
    let mut fields = vec![
        name(50).unique(),
        Field::new("mac", FieldKind::Mac).null(),
        url("link", 200),
        Field::new("ip", FieldKind::IpAddress).null(),
        Field::new("net", FieldKind::IpPrefix).null(),
        date("day"),
        color("color"),
        int("count", Some(0), Some(10)).null(),
        email("mail", 254),
    ];
    if extra {
        fields.push(string("extra", 20).default_str("x"));
    }
    ObjectType::new("lab", "thing", "things")
        .fields(fields)
        .change_logged()
}

fn registry(v2: bool) -> Arc<Registry> {
    let mut types = cairn_schema::models::core::types();
    types.extend(cairn_schema::models::users::types());
    types.push(thing(v2));
    if v2 {
        types.push(ObjectType::new("lab", "other", "others").fields(vec![name(20)]));
    }
    Arc::new(Registry::from_types(types))
}

fn open(db: &TestDb, v2: bool) -> Store {
    Store::open(&db.url, registry(v2), Hooks::none()).expect("open store")
}

fn create(store: &Store, values: &[(&str, Value)]) -> Result<i64, StoreError> {
    store.write(&Actor::default(), |w| {
        let reg = w.s.reg.clone();
        let t = reg.get("lab.thing").expect("thing");
        let mut c = Change::default();
        for (n, v) in values {
            c.set(t.field_index(n).expect("field"), v.clone());
        }
        w.create(t, c).map(|r| r.id)
    })
}

fn row(store: &Store, id: i64, cols: &str, kinds: &[Col]) -> Vec<Value> {
    store
        .read(|conn, _| {
            conn.query_one(
                &format!("SELECT {cols} FROM lab_thing WHERE id = ?"),
                &[Value::Int(id)],
                kinds,
            )
        })
        .expect("query")
        .expect("row")
}

#[test]
fn ip_fields_store_canonical_text_and_range_keys() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let store = open(&db, false);
        let id = create(
            &store,
            &[
                ("name", "a".into()),
                ("ip", "10.0.0.5/24".into()),
                ("net", "2001:DB8::/32".into()),
            ],
        )
        .expect("create");
        let r = row(
            &store,
            id,
            "ip, ip_family, ip_start, ip_end, ip_len, net, net_family, net_start, net_end, net_len",
            &[
                Col::Text,
                Col::Int,
                Col::Bytes,
                Col::Bytes,
                Col::Int,
                Col::Text,
                Col::Int,
                Col::Bytes,
                Col::Bytes,
                Col::Int,
            ],
        );
        assert_eq!(r[0], Value::Text("10.0.0.5/24".into()));
        assert_eq!(r[1], Value::Int(4));
        assert_eq!(
            r[2],
            Value::Bytes(IpNet::key(0x0a00_0005)),
            "a host keys on itself"
        );
        assert_eq!(r[3], r[2]);
        assert_eq!(r[4], Value::Int(24));
        assert_eq!(r[5], Value::Text("2001:db8::/32".into()));
        assert_eq!(r[6], Value::Int(6));
        let net = IpNet::parse("2001:db8::/32").unwrap();
        assert_eq!(r[7], Value::Bytes(IpNet::key(net.network())));
        assert_eq!(r[8], Value::Bytes(IpNet::key(net.broadcast())));
        assert_eq!(r[9], Value::Int(32));
    }
}

#[test]
fn field_kinds_validate_and_normalize() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let store = open(&db, false);
        let id = create(
            &store,
            &[
                ("name", "ok".into()),
                ("mac", "001a.2b3c.4d5e".into()),
                ("link", "https://example.com/x".into()),
                ("day", "2024-02-29".into()),
                ("color", "AABBCC".into()),
                ("mail", "noc@example.com".into()),
            ],
        )
        .expect("valid values");
        let r = row(&store, id, "mac, color", &[Col::Text, Col::Text]);
        assert_eq!(r[0], Value::Text("00:1A:2B:3C:4D:5E".into()));
        assert_eq!(r[1], Value::Text("aabbcc".into()));
        let err = create(
            &store,
            &[
                ("name", "bad".into()),
                ("mac", "00:1a:2b".into()),
                ("link", "example dot com".into()),
                ("ip", "999.1.1.1/24".into()),
                ("net", "10.0.0.0/33".into()),
                ("day", "2024-13-01".into()),
                ("count", Value::Int(11)),
                ("mail", "noc at example".into()),
            ],
        );
        let Err(StoreError::Invalid(fields)) = err else {
            panic!("expected field errors, got {err:?}");
        };
        let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
        names.sort();
        assert_eq!(names, ["count", "day", "ip", "link", "mac", "mail", "net"]);
        let dup = create(&store, &[("name", "ok".into())]);
        assert!(matches!(dup, Err(StoreError::Invalid(f)) if f.contains_key("name")));
        let count = store
            .read(|conn, _| conn.query_i64("SELECT COUNT(*) FROM lab_thing", &[]))
            .expect("count");
        assert_eq!(count, 1, "rejected writes leave nothing");
    }
}

#[test]
fn an_upgraded_database_ends_identical_to_a_fresh_one() {
    for backend in backends() {
        let old = TestDb::new(backend).expect("db");
        let id = create(&open(&old, false), &[("name", "kept".into())]).expect("create");
        let upgraded = open(&old, true);
        let r = row(&upgraded, id, "name, extra", &[Col::Text, Col::Text]);
        assert_eq!(r, vec![Value::Text("kept".into()), Value::Text("x".into())]);

        let fresh_db = TestDb::new(backend).expect("db");
        let fresh = open(&fresh_db, true);
        let describe = |s: &Store| s.read(|conn, _| ddl::describe(conn)).expect("describe");
        let (a, b) = (describe(&upgraded), describe(&fresh));
        assert!(a.iter().any(|l| l.contains("lab_thing.extra")));
        assert!(a.iter().any(|l| l.contains("lab_other")));
        assert_eq!(a, b);
        // The upgrade is also a no-op the second time.
        drop(upgraded);
        assert_eq!(describe(&open(&old, true)), b);
    }
}

#[test]
fn writes_are_change_logged_in_the_same_transaction() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let store = open(&db, false);
        create(&store, &[("name", "logged".into())]).expect("create");
        let failed = store.write(&Actor::default(), |w| -> Result<(), StoreError> {
            let reg = w.s.reg.clone();
            let t = reg.get("lab.thing").expect("thing");
            let mut c = Change::default();
            c.set(t.field_index("name").expect("name"), "second".into());
            w.create(t, c)?;
            Err(StoreError::Conflict("abort".into()))
        });
        assert!(failed.is_err());
        let (things, changes) = store
            .read(|conn, _| -> Result<_, StoreError> {
                Ok((
                    conn.query_i64("SELECT COUNT(*) FROM lab_thing", &[])?,
                    conn.query_i64("SELECT COUNT(*) FROM core_objectchange", &[])?,
                ))
            })
            .expect("counts");
        assert_eq!(
            (things, changes),
            (1, 1),
            "the aborted write left no row and no change"
        );
    }
}

fn address_registry() -> Arc<Registry> {
    use cairn_schema::field::fk;
    use cairn_schema::OnDelete;
    let mut types = cairn_schema::models::core::types();
    types.extend(cairn_schema::models::users::types());
    types.push(ObjectType::new("lab", "vrf", "vrfs").fields(vec![name(20)]));
    types.push(
        ObjectType::new("lab", "addr", "addrs")
            .fields(vec![
                Field::new("address", FieldKind::IpAddress).counted_in_blocks(),
                fk("vrf", "lab.vrf", OnDelete::Protect),
            ])
            .ordering(&["id"]),
    );
    Arc::new(Registry::from_types(types))
}

fn v4(n: u128) -> String {
    format!("{}/16", std::net::Ipv4Addr::from(n as u32))
}

fn block_rows(store: &Store) -> Vec<Vec<Value>> {
    store
        .read(|conn, _| {
            conn.query(
                "SELECT scope, family, level, block, used FROM lab_addr_address_blocks \
                 WHERE used > 0 ORDER BY scope, family, level, block",
                &[],
                &[Col::Int, Col::Int, Col::Int, Col::Bytes, Col::Int],
            )
        })
        .expect("blocks")
}

// Per-block counts kept through random creates, moves and deletes (repeated addresses
// and full blocks included) answer like a brute-force model, and a database filled
// before the counts existed gets the same counts when it is migrated.
#[test]
fn address_blocks_count_like_a_brute_force_model() {
    use cairn_store::blocks::{first_free, used, Scope, Space};
    use std::collections::HashMap;
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let store = Store::open(&db.url, address_registry(), Hooks::none()).expect("open");
        let base: u128 = 0x0a00_0000;
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        let mut model: HashMap<i64, (Option<i64>, u128)> = HashMap::new();
        store
            .write(&Actor::default(), |w| -> Result<(), StoreError> {
                let reg = w.s.reg.clone();
                let vt = reg.get("lab.vrf").expect("vrf");
                for n in ["a", "b"] {
                    let mut c = Change::default();
                    c.set(vt.field_index("name").expect("name"), n.into());
                    w.create(vt, c)?;
                }
                Ok(())
            })
            .expect("vrfs");
        // A full 256-block, then random writes over four blocks, a few per transaction.
        // (pick: which existing row to move or delete, if any; vrf; address)
        let mut ops: Vec<(Option<u64>, Option<i64>, u128)> =
            (0..256).map(|i| (None, None, base + 256 + i)).collect();
        for _ in 0..400 {
            let vrf = [None, Some(1), Some(2)][(rng.draw() % 3) as usize];
            let pick = rng.draw().is_multiple_of(2).then(|| rng.draw());
            ops.push((pick, vrf, base + (rng.draw() % 1024) as u128));
        }
        let check = |store: &Store, rng: &mut Rng, model: &HashMap<i64, (Option<i64>, u128)>| {
            store
                .read(|conn, s| -> Result<(), StoreError> {
                    let t = s.reg.get("lab.addr").expect("addr");
                    for scope in [
                        Scope::Vrf(None),
                        Scope::Vrf(Some(1)),
                        Scope::Vrf(Some(2)),
                        Scope::All,
                    ] {
                        let mut taken: Vec<u128> = model
                            .values()
                            .filter(|(v, _)| scope == Scope::All || scope == Scope::Vrf(*v))
                            .map(|(_, a)| *a)
                            .collect();
                        taken.sort_unstable();
                        taken.dedup();
                        let sp = Space {
                            t,
                            field: "address",
                            scope,
                            family: 4,
                        };
                        let mut spans = vec![
                            (0, u32::MAX as u128),
                            (base, base + 1023),
                            (base + 256, base + 511),
                        ];
                        for _ in 0..6 {
                            let a = base + (rng.draw() % 1100) as u128;
                            spans.push((a, a + (rng.draw() % 700) as u128));
                        }
                        for (a, b) in spans {
                            let expect_used =
                                taken.iter().filter(|x| **x >= a && **x <= b).count() as u128;
                            assert_eq!(
                                used(conn, &sp, a, b)?,
                                expect_used,
                                "{scope:?} used in [{a:#x}, {b:#x}]"
                            );
                            let expect_free = (a..=b).find(|x| taken.binary_search(x).is_err());
                            assert_eq!(
                                first_free(conn, &sp, a, b)?,
                                expect_free,
                                "{scope:?} free in [{a:#x}, {b:#x}]"
                            );
                        }
                    }
                    Ok(())
                })
                .expect("checks");
        };
        for chunk in ops.chunks(16) {
            store
                .write(&Actor::default(), |w| -> Result<(), StoreError> {
                    let reg = w.s.reg.clone();
                    let t = reg.get("lab.addr").expect("addr");
                    let (fa, fv) = (
                        t.field_index("address").expect("address"),
                        t.field_index("vrf").expect("vrf"),
                    );
                    for &(pick, vrf, addr) in chunk {
                        let mut c = Change::default();
                        c.set(fa, v4(addr).into());
                        c.set(fv, vrf.map(Value::Int).unwrap_or(Value::Null));
                        let mut ids: Vec<i64> = model.keys().copied().collect();
                        ids.sort_unstable();
                        let target = pick
                            .filter(|_| !ids.is_empty())
                            .map(|p| ids[p as usize % ids.len()]);
                        match target {
                            Some(id) if addr.is_multiple_of(2) => {
                                w.delete(t, id)?;
                                model.remove(&id);
                            }
                            Some(id) => {
                                w.update(t, id, c, false)?;
                                model.insert(id, (vrf, addr));
                            }
                            _ => {
                                let id = w.create(t, c)?.id;
                                model.insert(id, (vrf, addr));
                            }
                        }
                    }
                    Ok(())
                })
                .expect("writes");
            check(&store, &mut rng, &model);
        }
        let kept = block_rows(&store);
        assert!(
            kept.len() > 12,
            "blocks at every level and scope: {}",
            kept.len()
        );
        store
            .write(&Actor::default(), |w| {
                w.conn.batch("DROP TABLE lab_addr_address_blocks")
            })
            .expect("drop");
        drop(store);
        let store = Store::open(&db.url, address_registry(), Hooks::none()).expect("reopen");
        assert_eq!(
            block_rows(&store),
            kept,
            "backfilled counts equal the kept ones"
        );
        check(&store, &mut rng, &model);
    }
}

// Writers adding addresses to the same blocks at once (each in its own transactions)
// leave counts equal to the rows.
#[test]
fn address_blocks_stay_exact_under_concurrent_writers() {
    use cairn_store::blocks::{used, Scope, Space};
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let store =
            Arc::new(Store::open(&db.url, address_registry(), Hooks::none()).expect("open"));
        let threads: Vec<_> = (0..6u128)
            .map(|w| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for i in 0..20u128 {
                        store
                            .write(&Actor::default(), |wr| {
                                let reg = wr.s.reg.clone();
                                let t = reg.get("lab.addr").expect("addr");
                                let n = 0x0a00_0000 + w * 40 + i * 2;
                                for a in [n, n + 1] {
                                    let mut c = Change::default();
                                    c.set(t.field_index("address").expect("address"), v4(a).into());
                                    wr.create(t, c)?;
                                }
                                Ok::<(), StoreError>(())
                            })
                            .expect("write");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("writer");
        }
        let counted = store
            .read(|conn, s| {
                let t = s.reg.get("lab.addr").expect("addr");
                let sp = Space {
                    t,
                    field: "address",
                    scope: Scope::Vrf(None),
                    family: 4,
                };
                used(conn, &sp, 0, u32::MAX as u128)
            })
            .expect("count");
        assert_eq!(counted, 240);
        assert_eq!(
            block_rows(&store)
                .iter()
                .map(|r| r[4].as_i64().unwrap_or(0))
                .collect::<Vec<_>>(),
            [240, 240, 240, 240, 240, 240],
            "both scopes, every level"
        );
        // The blocking PostgreSQL client must not be dropped inside a runtime; here there
        // is none, so dropping the store is fine.
        drop(store);
    }
}

/// Several processes starting at once on a new database: the migrations take turns, and
/// every one opens.
#[test]
fn simultaneous_opens_migrate_in_turn() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = db.url.clone();
                std::thread::spawn(move || {
                    Store::open(&url, registry(true), Hooks::none()).map(|_| ())
                })
            })
            .collect();
        for o in opens {
            o.join().expect("thread").expect("open while others open");
        }
    }
}

/// A model whose names were unique per group and become unique per group and kind.
fn pair_registry(per_kind: bool) -> Arc<Registry> {
    let mut types = cairn_schema::models::core::types();
    types.extend(cairn_schema::models::users::types());
    let t = ObjectType::new("lab", "pair", "pairs").fields(vec![
        string("name", 20),
        int("grp", None, None).null(),
        int("kind", None, None).null(),
    ]);
    types.push(if per_kind {
        t.unique_set(&["grp", "kind", "name"])
    } else {
        t.unique_set(&["grp", "name"])
    });
    Arc::new(Registry::from_types(types))
}

#[test]
fn upgrades_drop_unique_indexes_no_declaration_wants() {
    for backend in backends() {
        let db = TestDb::new(backend).expect("db");
        drop(Store::open(&db.url, pair_registry(false), Hooks::none()).expect("v1"));
        let store = Store::open(&db.url, pair_registry(true), Hooks::none()).expect("v2");
        for kind in [1, 2] {
            store
                .write(&Actor::default(), |w| {
                    let reg = w.s.reg.clone();
                    let t = reg.get("lab.pair").expect("pair");
                    let mut c = Change::default();
                    c.set(
                        t.field_index("name").expect("name"),
                        Value::Text("a".into()),
                    );
                    c.set(t.field_index("grp").expect("grp"), Value::Int(1));
                    c.set(t.field_index("kind").expect("kind"), Value::Int(kind));
                    w.create(t, c).map(|_| ())
                })
                .expect("the old per-group index is gone");
        }
        let clash = store.write(&Actor::default(), |w| {
            let reg = w.s.reg.clone();
            let t = reg.get("lab.pair").expect("pair");
            w.conn.execute(
                &format!(
                    "INSERT INTO {} (name, grp, kind) VALUES ('a', 1, 1)",
                    t.table
                ),
                &[],
            )
        });
        assert!(clash.is_err(), "the new index holds in the database too");
    }
}
