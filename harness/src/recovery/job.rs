//! `OffsiteJob`: the team's off-site backup job. It owns its schedule (when it runs next, when
//! it stopped), what it believes it stored, and its counters; the store only stores.
//!
//! The run owns the clock: it asks the job when it is due next, moves the provider there, and
//! lets the job run once. History before the run's start goes through the same schedule, written
//! into the store directly.

use mock_provider::time::{Duration, Instant};
use mock_provider::{Provider, State};
use serde::Serialize;

use super::store::{Dump, OffsiteStore};
use crate::scenario::{FaultKind, FaultSide, OffsiteBackup};

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

impl JobOutcome {
    /// The run as the timeline says it.
    pub fn describe(&self) -> String {
        match self {
            JobOutcome::Stored => "stored".into(),
            JobOutcome::Failed { reason, silent: true } => format!("failed ({reason}), reported as success"),
            JobOutcome::Failed { reason, silent: false } => format!("failed ({reason})"),
        }
    }
}

/// The off-site job's figures, as the report gives them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OffsiteReport {
    pub target: String,
    pub volume: String,
    pub every: Duration,
    pub runs: usize,
    pub failed_runs: usize,
    pub silent_failures: usize,
    pub objects: usize,
    pub newest: Option<Instant>,
    pub newest_age_at_end: Option<Duration>,
    /// When each dump the job believes it stored was taken, oldest first: for the HTML
    /// report's picture, not the serialized report (its counts above say the same in figures).
    #[serde(skip)]
    pub dumps: Vec<Instant>,
    /// When each run failed, and whether it reported success anyway; for the picture too.
    #[serde(skip)]
    pub failures: Vec<(Instant, bool)>,
}

/// The job, its schedule and its record.
pub struct OffsiteJob {
    config: OffsiteBackup,
    store: OffsiteStore,
    /// The drilled volume instance's volume and environment, by id.
    volume_id: String,
    environment_id: String,
    next_run: Option<Instant>,
    /// (taken_at, key) of every dump the job believes it stored, oldest first.
    stored: Vec<(Instant, String)>,
    runs: usize,
    failed_runs: usize,
    silent_failures: usize,
    /// Instants of failures the job reported, for the `offsite-failed` alert.
    failures_at: Vec<Instant>,
    /// Every failed run, silent ones included, for the report's picture.
    failed: Vec<(Instant, bool)>,
}

impl OffsiteJob {
    /// The job of `config` over `volume_id` in `environment_id`, its first run the first one of
    /// its schedule at or after `history_start` (a job cannot dump a volume before the simulated
    /// history begins: whole periods are skipped, keeping the job's time of day).
    pub async fn start(
        config: OffsiteBackup,
        volume_id: String,
        environment_id: String,
        history_start: Instant,
    ) -> Result<OffsiteJob, String> {
        let store = OffsiteStore::start(&config.target, config.faults.clone()).await?;
        let every = config.every.as_secs();
        let mut first = config.since.unwrap_or(history_start);
        if first < history_start && every > 0 {
            let periods = (history_start.0 - first.0 + every - 1) / every;
            first = first + Duration(periods * every);
        }
        let mut job = OffsiteJob {
            config,
            store,
            volume_id,
            environment_id,
            next_run: None,
            stored: Vec::new(),
            runs: 0,
            failed_runs: 0,
            silent_failures: 0,
            failures_at: Vec::new(),
            failed: Vec::new(),
        };
        job.next_run = job.scheduled(first);
        Ok(job)
    }

    /// A copy of the job (schedule, record, counters) over a fork of its store: what a fresh
    /// build of the same world would have at this point, without starting another server.
    pub fn fork(&self) -> OffsiteJob {
        OffsiteJob {
            config: self.config.clone(),
            store: self.store.fork(),
            volume_id: self.volume_id.clone(),
            environment_id: self.environment_id.clone(),
            next_run: self.next_run,
            stored: self.stored.clone(),
            runs: self.runs,
            failed_runs: self.failed_runs,
            silent_failures: self.silent_failures,
            failures_at: self.failures_at.clone(),
            failed: self.failed.clone(),
        }
    }

    pub fn config(&self) -> &OffsiteBackup {
        &self.config
    }

    pub fn store(&self) -> &OffsiteStore {
        &self.store
    }

    /// When the job runs next, if it still runs.
    pub fn next_run(&self) -> Option<Instant> {
        self.next_run
    }

    /// `t` if the job still runs then: it has a period and has not stopped.
    fn scheduled(&self, t: Instant) -> Option<Instant> {
        let stopped = self.config.stopped_at.is_some_and(|s| t >= s);
        (self.config.every.as_secs() > 0 && !stopped).then_some(t)
    }

    fn advance_schedule(&mut self, ran_at: Instant) {
        self.next_run = self.scheduled(ran_at + self.config.every);
    }

    /// The dump the job would take at `t`: the drilled instance's data, if it is live and mounted.
    fn dump_at(&self, state: &State, t: Instant) -> Option<Dump> {
        let i = state
            .volume_instances()
            .values()
            .find(|i| i.volume_id == self.volume_id && i.environment_id == self.environment_id && i.is_live() && i.mounted)?;
        Some(Dump {
            volume: self.config.volume.clone(),
            environment: self.config.environment.clone(),
            taken_at: t,
            records: i.records_at(t),
            used_mb: i.used_mb,
        })
    }

    /// Runs every scheduled run before `until` as history: the dumps are written into the store
    /// directly, with the fault windows applied as data. Why the state at `until` serves for
    /// past instants: nothing in history changes a volume's write model.
    pub fn run_history(&mut self, state: &State, until: Instant) {
        while let Some(t) = self.next_run
            && t < until
        {
            // History skips instants where nothing exists to dump.
            if let Some(dump) = self.dump_at(state, t) {
                self.runs += 1;
                let key = self.store.key(t);
                let body = serde_json::to_vec(&dump).unwrap_or_default();
                if self.store.write_in_history(&key, body, t) {
                    for k in self.expired_keys(t) {
                        if self.store.delete_in_history(&k, t) {
                            self.stored.retain(|(_, x)| x != &k);
                        }
                    }
                    self.stored.push((t, key));
                } else {
                    self.record_failure(t, None);
                }
            }
            self.advance_schedule(t);
        }
    }

    /// Runs the job once, now (its scheduled instant): a real upload over HTTP, then retention
    /// as `DELETE`s.
    pub async fn run_once(&mut self, provider: &Provider) -> JobOutcome {
        let Some(t) = self.next_run else { return JobOutcome::Stored };
        self.advance_schedule(t);
        self.run_at(provider, t).await
    }

    /// Runs the job now (`provider`'s clock), out of its schedule, as a person re-running it
    /// would; the schedule is untouched.
    pub async fn run_manually(&mut self, provider: &Provider) -> JobOutcome {
        self.run_at(provider, provider.now()).await
    }

    async fn run_at(&mut self, provider: &Provider, t: Instant) -> JobOutcome {
        self.runs += 1;
        let Some(dump) = provider.with_state(|s| self.dump_at(s, t)) else {
            return self.record_failure(t, Some("nothing to dump: the volume is gone"));
        };
        let key = self.store.key(t);
        let body = serde_json::to_vec(&dump).unwrap_or_default();
        if !self.store.put(&key, body, t).await {
            return self.record_failure(t, None);
        }
        for k in self.expired_keys(t) {
            if self.store.delete(&k, t).await {
                self.stored.retain(|(_, x)| x != &k);
            }
        }
        // A manual run in the same second as a scheduled one overwrites its object.
        self.stored.retain(|(_, x)| x != &key);
        self.stored.push((t, key));
        JobOutcome::Stored
    }

    fn record_failure(&mut self, t: Instant, why: Option<&str>) -> JobOutcome {
        self.failed_runs += 1;
        let fault = if why.is_some() { None } else { self.store.fault_at(t, FaultSide::Upload) };
        let silent = fault.is_some_and(|f| f.silent);
        let reason = match (why, fault.map(|f| f.kind)) {
            (Some(why), _) => why,
            (None, Some(FaultKind::ServerError)) => "store answered 500",
            (None, Some(FaultKind::Forbidden)) => "store answered 403: credentials expired",
            (None, Some(FaultKind::Timeout)) => "store timed out",
            (None, None) => "store unreachable",
        };
        self.failed.push((t, silent));
        if silent {
            self.silent_failures += 1;
        } else {
            self.failures_at.push(t);
        }
        JobOutcome::Failed { reason: reason.to_string(), silent }
    }

    fn expired_keys(&self, t: Instant) -> Vec<String> {
        match self.config.retention {
            Some(r) => self.stored.iter().filter(|(at, _)| *at < t - r).map(|(_, k)| k.clone()).collect(),
            None => Vec::new(),
        }
    }

    /// (taken_at, key) of every dump the job believes it stored, oldest first.
    pub fn stored(&self) -> &[(Instant, String)] {
        &self.stored
    }

    /// Instants of the failures the job reported.
    pub fn failures_at(&self) -> &[Instant] {
        &self.failures_at
    }

    /// The history line: what the job did before the run's start.
    pub fn history_summary(&self) -> String {
        format!(
            "off-site job ran {} times ({} failed, {} silently); {} dumps kept{}",
            self.runs,
            self.failed_runs,
            self.silent_failures,
            self.stored.len(),
            match self.config.stopped_at {
                Some(s) => format!("; it stopped silently at {s}"),
                None => String::new(),
            }
        )
    }

    /// The job's figures at `end`.
    pub fn report(&self, end: Instant) -> OffsiteReport {
        let newest = self.stored.last().map(|(t, _)| *t);
        OffsiteReport {
            target: self.config.target.clone(),
            volume: self.config.volume.clone(),
            every: self.config.every,
            runs: self.runs,
            failed_runs: self.failed_runs,
            silent_failures: self.silent_failures,
            objects: self.stored.len(),
            newest,
            newest_age_at_end: newest.map(|t| end.since(t)),
            dumps: self.stored.iter().map(|(t, _)| *t).collect(),
            failures: self.failed.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use mock_provider::{Profile, Provider};

    use super::*;
    use crate::scenario::StoreFault;

    fn demo() -> (Provider, String, String) {
        let provider = Provider::demo(Profile::railway()).unwrap();
        let (v, e) = provider.with_state(|s| {
            let p = s.project_id("pocketos").unwrap();
            (s.volume_id(&p, "pg-data").unwrap(), s.environment_id(&p, "production").unwrap())
        });
        (provider, v, e)
    }

    fn config(start: Instant, faults: Vec<StoreFault>, stopped_at: Option<Instant>) -> OffsiteBackup {
        OffsiteBackup {
            target: "s3://bucket/db".into(),
            volume: "pocketos/pg-data".into(),
            environment: "production".into(),
            every: Duration::days(1),
            retention: Some(Duration::days(3)),
            since: Some(start),
            stopped_at,
            faults,
        }
    }

    #[tokio::test]
    async fn retention_deletes_old_dumps_over_http_and_silent_faults_raise_nothing() {
        let (provider, v, e) = demo();
        let start = provider.now();
        let day = |n: i64| start + Duration::days(n);
        let fault = StoreFault { kind: FaultKind::ServerError, from: day(4), until: Some(day(5)), silent: true, side: FaultSide::All };
        let mut job = OffsiteJob::start(config(start, vec![fault], None), v, e, start).await.unwrap();
        for _ in 0..7 {
            let t = job.next_run().unwrap();
            provider.advance_to(t);
            job.run_once(&provider).await;
        }
        // Day 4 failed silently; retention keeps three days of dumps.
        assert_eq!(job.stored().iter().map(|(t, _)| *t).collect::<Vec<_>>(), vec![day(3), day(5), day(6)]);
        let r = job.report(day(7));
        assert_eq!((r.runs, r.failed_runs, r.silent_failures, job.failures_at().len()), (7, 1, 1, 0));
        assert!(job.store().fetch(&job.store().key(day(0)), day(7)).await.is_err(), "an expired dump is gone from the store");
        assert!(job.store().fetch(&job.store().key(day(6)), day(7)).await.is_ok());
    }

    #[tokio::test]
    async fn history_follows_the_same_schedule_and_a_stopped_job_runs_no_more() {
        let (provider, v, e) = demo();
        let start = provider.now();
        let stop = start + Duration::days(2) + Duration::hours(1);
        let mut job = OffsiteJob::start(config(start, Vec::new(), Some(stop)), v, e, start).await.unwrap();
        provider.with_state(|s| job.run_history(s, start + Duration::days(10)));
        assert_eq!(job.stored().len(), 3, "runs at 0, 1 and 2 days, then it stopped");
        assert_eq!(job.next_run(), None);
        assert!(job.history_summary().contains("it stopped silently at"));
    }
}
