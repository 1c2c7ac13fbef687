//! Periodic upkeep, as NetBox's housekeeping job does it.

use chrono::{Duration, Utc};

use cairn_store::{Filter, Op, Result, Store, Value};

/// Deletes change records older than `days` days; returns how many went.
pub fn prune_changelog(store: &Store, days: u32) -> Result<u64> {
    let reg = store.registry();
    let Some(t) = reg.get("core.objectchange") else {
        return Ok(0);
    };
    let cutoff = Utc::now() - Duration::days(i64::from(days));
    store.delete_quietly(t, &Filter::cmp("time", Op::Lt, Value::Time(cutoff)))
}
