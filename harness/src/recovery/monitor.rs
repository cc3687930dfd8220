//! The team's freshness monitor: it checks the off-site store on its own schedule and alerts
//! when the newest dump is too old, or when the job reports a failed run.

use mock_provider::time::{Duration, Instant};
use serde::Serialize;

use super::job::OffsiteJob;
use crate::scenario::{AlertKind, Monitor};

/// One kind of alert the monitor raised, when first, and how often.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub first_at: Instant,
    pub times: usize,
    pub detail: String,
}

/// When the freshness monitor first found the newest off-site dump too old, and how often, for
/// checks every `every` from `since` to `until`. Linear in checks plus dumps: the newest dump
/// at each check is found by walking the sorted dumps once.
pub fn stale_checks(dumps: &[Instant], since: Instant, until: Instant, every: Duration, max_age: Duration) -> (Option<Instant>, usize) {
    if every.as_secs() <= 0 {
        return (None, 0);
    }
    let mut sorted = dumps.to_vec();
    sorted.sort();
    let mut next = 0;
    let mut newest = None;
    let mut first = None;
    let mut times = 0;
    let mut t = since + every;
    while t <= until {
        while let Some(d) = sorted.get(next).filter(|d| **d <= t) {
            newest = Some(*d);
            next += 1;
        }
        let stale = match newest {
            Some(n) => t.since(n) > max_age,
            // Nothing stored yet: stale once a whole `max_age` has passed with nothing.
            None => t.since(since) > max_age,
        };
        if stale {
            first.get_or_insert(t);
            times += 1;
        }
        t = t + every;
    }
    (first, times)
}

/// Every alert the monitor raised between `since` (the start of history) and `end`.
pub fn alerts(monitor: Option<&Monitor>, job: Option<&OffsiteJob>, since: Instant, end: Instant) -> Vec<Alert> {
    let mut out = Vec::new();
    let (Some(job), Some(monitor)) = (job, monitor) else { return out };
    let dumps: Vec<Instant> = job.stored().iter().map(|(t, _)| *t).collect();
    let (first, times) = stale_checks(&dumps, since, end, monitor.check_every, monitor.offsite_max_age);
    if let Some(first) = first {
        out.push(Alert {
            kind: AlertKind::OffsiteStale,
            first_at: first,
            times,
            detail: format!("newest off-site dump older than {}", monitor.offsite_max_age),
        });
    }
    if let Some(first) = job.failures_at().first() {
        out.push(Alert {
            kind: AlertKind::OffsiteFailed,
            first_at: *first,
            times: job.failures_at().len(),
            detail: "the off-site job reported a failed run".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_monitor_alerts_once_the_newest_dump_is_older_than_allowed() {
        let day = Duration::days(1);
        // Dumps daily until day 10, then nothing: with a 36 h limit the check on day 12 alerts.
        let dumps: Vec<Instant> = (0..=10).map(|d| Instant(d * day.as_secs())).collect();
        let (first, times) = stale_checks(&dumps, Instant(0), Instant(20 * day.as_secs()), day, Duration::hours(36));
        assert_eq!(first, Some(Instant(12 * day.as_secs())));
        assert_eq!(times, 9);
        let (first, _) = stale_checks(&dumps, Instant(0), Instant(10 * day.as_secs()), day, Duration::hours(36));
        assert_eq!(first, None);
    }
}
