//! The team's off-site backups: an S3-like store served over real HTTP on loopback by a
//! wiremock `MockServer` (faults are its responders), the job that fills it, and the freshness
//! monitor that watches it.
//!
//! History before the run's start is written into the store directly (it already happened);
//! every job run and every restore inside the run goes over HTTP.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

use crate::scenario::{FaultKind, OffsiteBackup, StoreFault};

/// One dump in the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub volume: String,
    pub environment: String,
    /// Unix seconds of the dump.
    pub taken_at: i64,
    pub records: u64,
    pub used_mb: f64,
}

type Objects = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// The store's host name inside a run; the client pins it to the mock server's loopback address
/// (`.invalid` can never resolve anywhere else).
const STORE_HOST: &str = "offsite-store.firedrill.invalid";

/// The store's answers, with the scenario's faults applied on the simulated clock.
struct StoreResponder {
    objects: Objects,
    clock: Arc<AtomicI64>,
    faults: Vec<StoreFault>,
}

pub(crate) fn active_fault(faults: &[StoreFault], t: i64) -> Option<&StoreFault> {
    faults.iter().find(|f| f.from.unix_seconds <= t && f.until.is_none_or(|u| t < u.unix_seconds))
}

impl Respond for StoreResponder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let now = self.clock.load(Ordering::SeqCst);
        if let Some(f) = active_fault(&self.faults, now) {
            return match f.kind {
                FaultKind::ServerError => ResponseTemplate::new(500).set_body_string("<Error><Code>InternalError</Code></Error>"),
                FaultKind::Forbidden => ResponseTemplate::new(403).set_body_string("<Error><Code>ExpiredToken</Code></Error>"),
                // Held well past the client's deadline, so the client times out for real.
                FaultKind::Timeout => ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(3)),
            };
        }
        let key = req.url.path().trim_start_matches('/').to_string();
        let mut objects = self.objects.lock().unwrap_or_else(|p| p.into_inner());
        match req.method.as_str() {
            "PUT" => {
                objects.insert(key, req.body.clone());
                ResponseTemplate::new(200)
            }
            "GET" => match objects.get(&key) {
                Some(body) => ResponseTemplate::new(200).set_body_bytes(body.clone()),
                None => ResponseTemplate::new(404).set_body_string("<Error><Code>NoSuchKey</Code></Error>"),
            },
            "DELETE" => {
                objects.remove(&key);
                ResponseTemplate::new(204)
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

/// The outcome of one job run.
#[derive(Clone, Debug, PartialEq)]
pub enum JobOutcome {
    Stored,
    /// The store refused; `silent` when the job reported success anyway.
    Failed {
        reason: String,
        silent: bool,
    },
}

/// The store plus what the run knows about it.
pub struct OffsiteStore {
    server: MockServer,
    objects: Objects,
    clock: Arc<AtomicI64>,
    client: reqwest::Client,
    pub config: OffsiteBackup,
    bucket: String,
    prefix: String,
    /// (taken_at, key) of every dump the job believes it stored, oldest first.
    pub stored: Vec<(i64, String)>,
    pub runs: usize,
    pub failed_runs: usize,
    pub silent_failures: usize,
    /// Instants of non-silent failures, for the `offsite-failed` alert.
    pub failures_at: Vec<i64>,
}

impl OffsiteStore {
    pub async fn start(config: OffsiteBackup) -> Result<OffsiteStore, String> {
        let server = MockServer::start().await;
        let objects: Objects = Arc::new(Mutex::new(BTreeMap::new()));
        let clock = Arc::new(AtomicI64::new(0));
        let responder = StoreResponder { objects: objects.clone(), clock: clock.clone(), faults: config.faults.clone() };
        Mock::given(matchers::any()).respond_with(responder).mount(&server).await;
        // The store is reached by a name pinned to its loopback address: reqwest resolves even
        // IP literals on a blocking thread, which was a tenth of a drill's time.
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(500))
            .no_proxy()
            .resolve(STORE_HOST, *server.address())
            .build()
            .map_err(|e| format!("cannot build the store client: {e}"))?;
        let without_scheme = config.target.split_once("://").map(|(_, rest)| rest).unwrap_or(&config.target);
        let (bucket, prefix) = match without_scheme.split_once('/') {
            Some((b, p)) => (b.to_string(), p.trim_end_matches('/').to_string()),
            None => (without_scheme.to_string(), String::new()),
        };
        Ok(OffsiteStore {
            server,
            objects,
            clock,
            client,
            config,
            bucket,
            prefix,
            stored: Vec::new(),
            runs: 0,
            failed_runs: 0,
            silent_failures: 0,
            failures_at: Vec::new(),
        })
    }

    fn key(&self, taken_at: i64) -> String {
        let stamp = mock_provider::time::Instant(taken_at).to_string().replace(':', "-");
        if self.prefix.is_empty() {
            format!("{}/{stamp}.json", self.bucket)
        } else {
            format!("{}/{}/{stamp}.json", self.bucket, self.prefix)
        }
    }

    fn url(&self, key: &str) -> String {
        format!("http://{STORE_HOST}:{}/{key}", self.server.address().port())
    }

    /// Tells the store what time it is, so fault windows apply on the simulated clock.
    pub fn set_clock(&self, t: i64) {
        self.clock.store(t, Ordering::SeqCst);
    }

    fn record_failure(&mut self, t: i64) -> JobOutcome {
        self.failed_runs += 1;
        let fault = active_fault(&self.config.faults, t);
        let silent = fault.is_some_and(|f| f.silent);
        let reason = match fault.map(|f| f.kind) {
            Some(FaultKind::ServerError) => "store answered 500",
            Some(FaultKind::Forbidden) => "store answered 403: credentials expired",
            Some(FaultKind::Timeout) => "store timed out",
            None => "store unreachable",
        };
        if silent {
            self.silent_failures += 1;
        } else {
            self.failures_at.push(t);
        }
        JobOutcome::Failed { reason: reason.to_string(), silent }
    }

    fn expired_keys(&self, t: i64) -> Vec<String> {
        match self.config.retention {
            Some(r) => self.stored.iter().filter(|(at, _)| *at < t - r.seconds).map(|(_, k)| k.clone()).collect(),
            None => Vec::new(),
        }
    }

    /// A job run in the past: written into the store directly, faults applied as data.
    pub fn run_in_history(&mut self, dump: &Dump) -> JobOutcome {
        self.runs += 1;
        let t = dump.taken_at;
        if active_fault(&self.config.faults, t).is_some() {
            return self.record_failure(t);
        }
        let key = self.key(t);
        let body = serde_json::to_vec(dump).unwrap_or_default();
        let expired = self.expired_keys(t);
        let mut objects = self.objects.lock().unwrap_or_else(|p| p.into_inner());
        objects.insert(key.clone(), body);
        for k in &expired {
            objects.remove(k);
        }
        drop(objects);
        self.stored.retain(|(_, k)| !expired.contains(k));
        self.stored.push((t, key));
        JobOutcome::Stored
    }

    /// A job run inside the drill: a real `PUT` over HTTP, then retention as `DELETE`s.
    pub async fn run_over_http(&mut self, dump: &Dump) -> JobOutcome {
        self.runs += 1;
        let t = dump.taken_at;
        self.set_clock(t);
        let key = self.key(t);
        let body = serde_json::to_vec(dump).unwrap_or_default();
        let ok = match self.client.put(self.url(&key)).body(body).send().await {
            Ok(r) => r.status().is_success(),
            Err(_) => false,
        };
        if !ok {
            return self.record_failure(t);
        }
        for k in self.expired_keys(t) {
            if let Ok(r) = self.client.delete(self.url(&k)).send().await
                && r.status().is_success()
            {
                self.stored.retain(|(_, x)| x != &k);
            }
        }
        self.stored.push((t, key));
        JobOutcome::Stored
    }

    /// Fetches a dump back over HTTP, as a restore would.
    pub async fn fetch(&self, key: &str, at: i64) -> Result<Dump, String> {
        self.set_clock(at);
        let resp = self
            .client
            .get(self.url(key))
            .send()
            .await
            .map_err(|e| if e.is_timeout() { "the store timed out".to_string() } else { format!("the store is unreachable: {e}") })?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("the store answered {}", status.as_u16()));
        }
        let bytes = resp.bytes().await.map_err(|e| format!("the download broke off: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("the dump is unreadable: {e}"))
    }

    /// Instants of the dumps the job stored, oldest first.
    pub fn dump_times(&self) -> Vec<i64> {
        self.stored.iter().map(|(t, _)| *t).collect()
    }
}

/// When the freshness monitor first found the newest off-site dump too old, and how often.
pub fn stale_checks(dumps: &[i64], since: i64, until: i64, every: i64, max_age: i64) -> (Option<i64>, usize) {
    if every <= 0 {
        return (None, 0);
    }
    let mut first = None;
    let mut times = 0;
    let mut t = since + every;
    while t <= until {
        let newest = dumps.iter().copied().filter(|d| *d <= t).max();
        let stale = match newest {
            Some(n) => t - n > max_age,
            // Nothing stored yet: stale once a whole `max_age` has passed with nothing.
            None => t - since > max_age,
        };
        if stale {
            first.get_or_insert(t);
            times += 1;
        }
        t += every;
    }
    (first, times)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Duration, Instant};

    fn config(faults: Vec<StoreFault>) -> OffsiteBackup {
        OffsiteBackup {
            target: "s3://bucket/db".into(),
            volume: "p/v".into(),
            environment: "production".into(),
            every: Duration::from_seconds(86_400),
            retention: Some(Duration::from_seconds(3 * 86_400)),
            since: None,
            stopped_at: None,
            faults,
        }
    }

    fn fault(kind: FaultKind, from: i64, until: Option<i64>, silent: bool) -> StoreFault {
        StoreFault { kind, from: Instant::from_unix_seconds(from), until: until.map(Instant::from_unix_seconds), silent }
    }

    fn dump(t: i64) -> Dump {
        Dump { volume: "p/v".into(), environment: "production".into(), taken_at: t, records: t as u64, used_mb: 1.0 }
    }

    /// Each case: the store's fault, and what a run over HTTP at t = 100 reports.
    #[tokio::test]
    async fn store_faults_answer_over_http_on_the_simulated_clock() {
        for (kind, expected) in [
            (FaultKind::ServerError, "store answered 500"),
            (FaultKind::Forbidden, "store answered 403: credentials expired"),
            (FaultKind::Timeout, "store timed out"),
        ] {
            let mut store = OffsiteStore::start(config(vec![fault(kind, 50, Some(150), false)])).await.unwrap();
            let outcome = store.run_over_http(&dump(100)).await;
            assert_eq!(outcome, JobOutcome::Failed { reason: expected.into(), silent: false }, "{kind:?}");
            // Outside the window the same store works, and what it stored comes back intact.
            assert_eq!(store.run_over_http(&dump(200)).await, JobOutcome::Stored, "{kind:?}");
            let key = store.stored.last().unwrap().1.clone();
            assert_eq!(store.fetch(&key, 300).await.unwrap(), dump(200));
            assert!(store.fetch(&key, 120).await.is_err(), "{kind:?}: fetching inside the window fails");
            assert_eq!(store.failures_at, vec![100]);
        }
    }

    #[tokio::test]
    async fn retention_deletes_old_dumps_over_http_and_silent_faults_raise_nothing() {
        let day = 86_400;
        let mut store = OffsiteStore::start(config(vec![fault(FaultKind::ServerError, 4 * day, Some(5 * day), true)])).await.unwrap();
        for d in 0..7 {
            store.run_over_http(&dump(d * day)).await;
        }
        // Day 4 failed silently; retention keeps three days of dumps.
        assert_eq!(store.dump_times(), vec![3 * day, 5 * day, 6 * day]);
        assert_eq!((store.failed_runs, store.silent_failures, store.failures_at.len()), (1, 1, 0));
        let expired = format!("bucket/db/{}.json", mock_provider::time::Instant(0).to_string().replace(':', "-"));
        assert!(store.fetch(&expired, 7 * day).await.is_err(), "an expired dump is gone from the store");
    }

    #[test]
    fn the_monitor_alerts_once_the_newest_dump_is_older_than_allowed() {
        let day = 86_400;
        // Dumps daily until day 10, then nothing: with a 36 h limit the check on day 12 alerts.
        let dumps: Vec<i64> = (0..=10).map(|d| d * day).collect();
        let (first, times) = stale_checks(&dumps, 0, 20 * day, day, 36 * 3600);
        assert_eq!(first, Some(12 * day));
        assert_eq!(times, 9);
        let (first, _) = stale_checks(&dumps, 0, 10 * day, day, 36 * 3600);
        assert_eq!(first, None);
    }
}
