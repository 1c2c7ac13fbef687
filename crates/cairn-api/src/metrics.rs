//! Request counts and latencies kept in memory, and `/metrics` in Prometheus' text format
//! (with the pools' use and the database's size read at scrape time).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use cairn_store::{PoolUse, Store};

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// One endpoint's figures.
#[derive(Default)]
struct Endpoint {
    /// (method, status) → requests
    requests: Vec<(String, u16, u64)>,
    latency: Histogram,
}

#[derive(Default)]
struct Counters {
    by_endpoint: BTreeMap<String, Endpoint>,
    unavailable: u64,
}

#[derive(Default)]
pub struct Metrics {
    c: Mutex<Counters>,
}

impl Metrics {
    pub fn observe(&self, method: &str, endpoint: &str, status: u16, took: Duration) {
        let Ok(mut c) = self.c.lock() else { return };
        if status == 503 {
            c.unavailable += 1;
        }
        // Looked up by reference: a request allocates only for a new endpoint.
        if !c.by_endpoint.contains_key(endpoint) {
            c.by_endpoint
                .insert(endpoint.to_string(), Endpoint::default());
        }
        let Some(e) = c.by_endpoint.get_mut(endpoint) else {
            return;
        };
        match e
            .requests
            .iter_mut()
            .find(|(m, s, _)| m == method && *s == status)
        {
            Some((_, _, n)) => *n += 1,
            None => e.requests.push((method.to_string(), status, 1)),
        }
        let secs = took.as_secs_f64();
        let h = &mut e.latency;
        h.count += 1;
        h.sum += secs;
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                h.counts[i] += 1;
            }
        }
    }

    pub fn render(&self, store: &Store) -> String {
        let mut out = String::new();
        if let Ok(c) = self.c.lock() {
            header(
                &mut out,
                "cairn_http_requests_total",
                "counter",
                "HTTP requests answered, by method, endpoint and status.",
            );
            for (endpoint, e) in &c.by_endpoint {
                let mut requests: Vec<&(String, u16, u64)> = e.requests.iter().collect();
                requests.sort();
                for (method, status, n) in requests {
                    let _ = writeln!(
                        out,
                        "cairn_http_requests_total{{method=\"{}\",endpoint=\"{}\",status=\"{status}\"}} {n}",
                        escape(method),
                        escape(endpoint)
                    );
                }
            }
            header(
                &mut out,
                "cairn_http_request_duration_seconds",
                "histogram",
                "Time from receiving a request to sending its response head, by endpoint.",
            );
            for (endpoint, ep) in &c.by_endpoint {
                let h = &ep.latency;
                let e = escape(endpoint);
                for (i, le) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "cairn_http_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"{le}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "cairn_http_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "cairn_http_request_duration_seconds_sum{{endpoint=\"{e}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "cairn_http_request_duration_seconds_count{{endpoint=\"{e}\"}} {}",
                    h.count
                );
            }
            header(
                &mut out,
                "cairn_db_unavailable_total",
                "counter",
                "Requests answered 503 because no database connection could be had in time.",
            );
            let _ = writeln!(out, "cairn_db_unavailable_total {}", c.unavailable);
        }
        let (readers, writers) = store.pool_usage();
        header(
            &mut out,
            "cairn_db_pool_connections",
            "gauge",
            "Database connections by pool and state.",
        );
        pool_lines(&mut out, "read", &readers);
        if let Some(w) = &writers {
            pool_lines(&mut out, "write", w);
        }
        header(
            &mut out,
            "cairn_db_pool_max_connections",
            "gauge",
            "Connections each pool may open.",
        );
        let _ = writeln!(
            out,
            "cairn_db_pool_max_connections{{pool=\"read\"}} {}",
            readers.max
        );
        if let Some(w) = &writers {
            let _ = writeln!(
                out,
                "cairn_db_pool_max_connections{{pool=\"write\"}} {}",
                w.max
            );
        }
        if let Ok(size) = store.database_size() {
            header(
                &mut out,
                "cairn_database_size_bytes",
                "gauge",
                "Size of the database on disk.",
            );
            let _ = writeln!(out, "cairn_database_size_bytes {size}");
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn pool_lines(out: &mut String, pool: &str, u: &PoolUse) {
    let in_use = u.open.saturating_sub(u.idle);
    let _ = writeln!(
        out,
        "cairn_db_pool_connections{{pool=\"{pool}\",state=\"idle\"}} {}",
        u.idle
    );
    let _ = writeln!(
        out,
        "cairn_db_pool_connections{{pool=\"{pool}\",state=\"in_use\"}} {in_use}"
    );
}

/// Label values escape backslashes, quotes and newlines.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The endpoint label of a request: its path with ids replaced, so that the label set
/// stays as small as the API. A request nothing answered is labelled by the route it
/// fell to.
pub fn endpoint_label(path: &str, route: Option<&str>, status: u16) -> String {
    if status == 404 {
        return route.unwrap_or("unmatched").to_string();
    }
    path.split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_replace_ids_and_fold_unknown_paths() {
        assert_eq!(
            endpoint_label(
                "/api/dcim/sites/12/",
                Some("/api/{app}/{endpoint}/{id}/"),
                200
            ),
            "/api/dcim/sites/{id}/"
        );
        assert_eq!(
            endpoint_label("/api/dcim/nope/", Some("/api/{app}/{endpoint}/"), 404),
            "/api/{app}/{endpoint}/"
        );
        assert_eq!(endpoint_label("/x/y", None, 404), "unmatched");
        assert_eq!(escape("a\"b\\c"), "a\\\"b\\\\c");
    }
}
