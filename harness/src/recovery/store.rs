//! The team's off-site store: an S3-like bucket served over real HTTP on loopback by a wiremock
//! `MockServer`, whose responder applies the scenario's fault windows on the simulated clock.
//!
//! The store only stores: what the team's job believes it uploaded, and its run counters, are
//! the job's (`OffsiteJob`). History before the run's start is written into the bucket directly
//! (it already happened); every upload and every restore inside the run goes over HTTP.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

use mock_provider::time::Instant;

use crate::scenario::{FaultKind, FaultSide, StoreFault};

/// One dump in the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub volume: String,
    pub environment: String,
    pub taken_at: Instant,
    pub records: u64,
    pub used_mb: f64,
}

type Objects = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// The objects the server answers from: the store's own, or those of the fork made last.
type Slot = Arc<Mutex<Objects>>;

/// The store's host name inside a run; the client pins it to the mock server's loopback address
/// (`.invalid` can never resolve anywhere else).
const STORE_HOST: &str = "offsite-store.firedrill.invalid";

/// The store's answers, with the scenario's faults applied on the simulated clock.
struct StoreResponder {
    slot: Slot,
    clock: Arc<AtomicI64>,
    faults: Vec<StoreFault>,
}

/// The fault in force at `t` for a request of `side`, if any.
pub(crate) fn active_fault(faults: &[StoreFault], t: Instant, side: FaultSide) -> Option<&StoreFault> {
    faults.iter().find(|f| f.side.hits(side) && f.from <= t && f.until.is_none_or(|u| t < u))
}

/// Which side a request is on: the job writes and deletes, a restore lists and downloads.
fn side_of(req: &Request) -> FaultSide {
    match req.method.as_str() {
        "PUT" | "DELETE" => FaultSide::Upload,
        _ if req.url.query_pairs().any(|(k, _)| k == "list-type") => FaultSide::Listing,
        _ => FaultSide::Restore,
    }
}

impl Respond for StoreResponder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let now = Instant(self.clock.load(Ordering::SeqCst));
        if let Some(f) = active_fault(&self.faults, now, side_of(req)) {
            return match f.kind {
                FaultKind::ServerError => ResponseTemplate::new(500).set_body_string("<Error><Code>InternalError</Code></Error>"),
                FaultKind::Forbidden => ResponseTemplate::new(403).set_body_string("<Error><Code>ExpiredToken</Code></Error>"),
                // Held well past the client's deadline, so the client times out for real.
                FaultKind::Timeout => ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(3)),
            };
        }
        let key = req.url.path().trim_start_matches('/').to_string();
        let objects = self.slot.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut objects = objects.lock().unwrap_or_else(|p| p.into_inner());
        if side_of(req) == FaultSide::Listing {
            // S3's ListObjectsV2, as much of it as a restore reads: the keys under a prefix.
            let prefix = req.url.query_pairs().find(|(k, _)| k == "prefix").map(|(_, v)| v.into_owned()).unwrap_or_default();
            let under = format!("{}{prefix}", if key.is_empty() { String::new() } else { format!("{}/", key.trim_end_matches('/')) });
            let contents: String =
                objects.keys().filter(|k| k.starts_with(&under)).map(|k| format!("<Contents><Key>{k}</Key></Contents>")).collect();
            return ResponseTemplate::new(200).set_body_string(format!("<ListBucketResult>{contents}</ListBucketResult>"));
        }
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

/// The bucket and its HTTP client.
pub struct OffsiteStore {
    /// Shared with the store's forks: one server answers for the fork made last.
    server: Arc<MockServer>,
    slot: Slot,
    objects: Objects,
    clock: Arc<AtomicI64>,
    client: reqwest::Client,
    faults: Vec<StoreFault>,
    bucket: String,
    prefix: String,
}

impl OffsiteStore {
    /// A store for `target` (`s3://bucket/prefix`) with `faults` applied on the simulated clock.
    pub async fn start(target: &str, faults: Vec<StoreFault>) -> Result<OffsiteStore, String> {
        let server = MockServer::start().await;
        let objects: Objects = Arc::new(Mutex::new(BTreeMap::new()));
        let clock = Arc::new(AtomicI64::new(0));
        let slot: Slot = Arc::new(Mutex::new(objects.clone()));
        let responder = StoreResponder { slot: slot.clone(), clock: clock.clone(), faults: faults.clone() };
        Mock::given(matchers::any()).respond_with(responder).mount(&server).await;
        // The store is reached by a name pinned to its loopback address: reqwest resolves even
        // IP literals on a blocking thread, which was a tenth of a drill's time.
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(500))
            .no_proxy()
            .resolve(STORE_HOST, *server.address())
            .build()
            .map_err(|e| format!("cannot build the store client: {e}"))?;
        let without_scheme = target.split_once("://").map(|(_, rest)| rest).unwrap_or(target);
        let (bucket, prefix) = match without_scheme.split_once('/') {
            Some((b, p)) => (b.to_string(), p.trim_end_matches('/').to_string()),
            None => (without_scheme.to_string(), String::new()),
        };
        Ok(OffsiteStore { server: Arc::new(server), slot, objects, clock, client, faults, bucket, prefix })
    }

    /// A copy of the store holding what this one holds now, served by the same server at no cost
    /// of a new one: from now on the server answers from the copy's objects.
    ///
    /// INVARIANT: forks are played one at a time (a campaign's cases run in turn); the store
    /// forked from is not used over HTTP again.
    pub fn fork(&self) -> OffsiteStore {
        let copy = self.objects.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let objects: Objects = Arc::new(Mutex::new(copy));
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = objects.clone();
        OffsiteStore {
            server: self.server.clone(),
            slot: self.slot.clone(),
            objects,
            clock: self.clock.clone(),
            client: self.client.clone(),
            faults: self.faults.clone(),
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
        }
    }

    /// The object key of a dump taken at `taken_at`.
    pub fn key(&self, taken_at: Instant) -> String {
        let stamp = taken_at.to_string().replace(':', "-");
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
    fn set_clock(&self, t: Instant) {
        self.clock.store(t.0, Ordering::SeqCst);
    }

    /// The fault in force at `t` on `side`, if any.
    pub fn fault_at(&self, t: Instant, side: FaultSide) -> Option<&StoreFault> {
        active_fault(&self.faults, t, side)
    }

    /// The instant a dump key names (the inverse of `key`).
    pub fn taken_at(key: &str) -> Option<Instant> {
        let stamp = key.rsplit('/').next()?.strip_suffix(".json")?;
        let (date, time) = stamp.split_once('T')?;
        Instant::parse(&format!("{date}T{}", time.replace('-', ":"))).ok()
    }

    /// Lists the dumps in the bucket over HTTP at `t`, as a restore starts by doing: the keys
    /// under the job's prefix, newest first.
    pub async fn list(&self, t: Instant) -> Result<Vec<(Instant, String)>, String> {
        self.set_clock(t);
        let prefix = if self.prefix.is_empty() { String::new() } else { format!("{}/", self.prefix) };
        let url = format!("http://{STORE_HOST}:{}/{}/?list-type=2&prefix={prefix}", self.server.address().port(), self.bucket);
        let resp = self.client.get(url).send().await.map_err(|e| {
            if e.is_timeout() { "listing the bucket timed out".to_string() } else { format!("the store is unreachable: {e}") }
        })?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("listing the bucket answered {}", status.as_u16()));
        }
        let body = resp.text().await.map_err(|e| format!("the listing broke off: {e}"))?;
        let mut keys: Vec<(Instant, String)> = body
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .filter_map(|k| Some((Self::taken_at(k)?, k.to_string())))
            .collect();
        keys.sort_by(|a, b| b.cmp(a));
        Ok(keys)
    }

    /// Writes an object as if uploaded in the past (history), honouring the faults at `t`:
    /// `false` when the store would have refused it.
    pub fn write_in_history(&self, key: &str, body: Vec<u8>, t: Instant) -> bool {
        if self.fault_at(t, FaultSide::Upload).is_some() {
            return false;
        }
        self.objects.lock().unwrap_or_else(|p| p.into_inner()).insert(key.to_string(), body);
        true
    }

    /// Deletes an object in history, honouring the faults at `t`.
    pub fn delete_in_history(&self, key: &str, t: Instant) -> bool {
        if self.fault_at(t, FaultSide::Upload).is_some() {
            return false;
        }
        self.objects.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        true
    }

    /// A real `PUT` over HTTP at `t`: whether the store accepted it.
    pub async fn put(&self, key: &str, body: Vec<u8>, t: Instant) -> bool {
        self.set_clock(t);
        matches!(self.client.put(self.url(key)).body(body).send().await, Ok(r) if r.status().is_success())
    }

    /// A real `DELETE` over HTTP at `t`: whether the store accepted it.
    pub async fn delete(&self, key: &str, t: Instant) -> bool {
        self.set_clock(t);
        matches!(self.client.delete(self.url(key)).send().await, Ok(r) if r.status().is_success())
    }

    /// Fetches a dump back over HTTP at `t`, as a restore would.
    pub async fn fetch(&self, key: &str, t: Instant) -> Result<Dump, String> {
        self.set_clock(t);
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::FaultKind;

    fn fault(kind: FaultKind, from: i64, until: Option<i64>) -> StoreFault {
        StoreFault { kind, from: Instant(from), until: until.map(Instant), silent: false, side: FaultSide::All }
    }

    fn dump(t: i64) -> Dump {
        Dump { volume: "p/v".into(), environment: "production".into(), taken_at: Instant(t), records: t as u64, used_mb: 1.0 }
    }

    /// Each case: the store's fault; inside its window (t = 100) the store refuses uploads and
    /// restores, outside it (t = 200, 300) what it stored comes back intact.
    #[tokio::test]
    async fn store_faults_answer_over_http_on_the_simulated_clock() {
        for kind in [FaultKind::ServerError, FaultKind::Forbidden, FaultKind::Timeout] {
            let store = OffsiteStore::start("s3://bucket/db", vec![fault(kind, 50, Some(150))]).await.unwrap();
            let body = serde_json::to_vec(&dump(200)).unwrap();
            assert!(!store.put(&store.key(Instant(100)), body.clone(), Instant(100)).await, "{kind:?}");
            let key = store.key(Instant(200));
            assert!(store.put(&key, body, Instant(200)).await, "{kind:?}");
            assert_eq!(store.fetch(&key, Instant(300)).await.unwrap(), dump(200));
            assert!(store.fetch(&key, Instant(120)).await.is_err(), "{kind:?}: fetching inside the window fails");
        }
    }

    /// Each case: the side a fault is on, and whether (upload, listing, download) then work.
    #[tokio::test]
    async fn a_fault_hits_only_its_side() {
        for (side, expected) in [
            (FaultSide::All, (false, false, false)),
            (FaultSide::Upload, (false, true, true)),
            (FaultSide::Listing, (true, false, true)),
            (FaultSide::Restore, (true, true, false)),
        ] {
            let forbidden = StoreFault { side, ..fault(FaultKind::Forbidden, 50, Some(150)) };
            let store = OffsiteStore::start("s3://bucket/db", vec![forbidden]).await.unwrap();
            let key = store.key(Instant(10));
            assert!(store.put(&key, serde_json::to_vec(&dump(10)).unwrap(), Instant(10)).await);
            let upload = store.put(&store.key(Instant(100)), serde_json::to_vec(&dump(100)).unwrap(), Instant(100)).await;
            let listing = store.list(Instant(100)).await.is_ok_and(|keys| keys.iter().any(|(t, _)| *t == Instant(10)));
            let download = store.fetch(&key, Instant(100)).await.is_ok();
            assert_eq!((upload, listing, download), expected, "{side:?}");
        }
    }

    #[test]
    fn a_keys_instant_reads_back() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let store = rt.block_on(OffsiteStore::start("s3://pocketos-backups/pg-data", Vec::new())).unwrap();
        let t = Instant::parse("2026-01-23T03:00:00Z").unwrap();
        assert_eq!(OffsiteStore::taken_at(&store.key(t)), Some(t));
    }

    #[test]
    fn keys_name_the_bucket_prefix_and_the_dumps_instant() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let store = rt.block_on(OffsiteStore::start("s3://pocketos-backups/pg-data", Vec::new())).unwrap();
        assert_eq!(store.key(Instant(0)), "pocketos-backups/pg-data/1970-01-01T00-00-00Z.json");
    }
}
