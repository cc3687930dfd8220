//! The built-in invariants, judged on a finished run's `IncidentReport` (and the scenario it ran):
//! each broken one is a `Violation` saying what broke and how to pin it as an expectation.

use mock_provider::time::Duration;
use serde::Serialize;

use crate::guardrails::{Answer, StoppedBy};
use crate::report::IncidentReport;
use crate::scenario::{InvariantName, Invariants, Scenario};

/// One invariant a run broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub invariant: InvariantName,
    /// What broke it, in a sentence.
    pub detail: String,
}

/// Every enabled invariant `report` breaks, in `[invariants]`' order.
pub fn check(invariants: &Invariants, scenario: &Scenario, report: &IncidentReport) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut broke = |invariant: InvariantName, detail: String| out.push(Violation { invariant, detail });
    if let Some(max) = invariants.max_data_loss {
        for v in report.volumes.iter().filter(|v| v.critical) {
            if v.lost && v.recovery.recovery_point.is_none() {
                broke(InvariantName::MaxDataLoss, format!("`{}` is lost with nothing to restore it from", v.instance_name()));
            } else if v.recovery.data_loss > max {
                broke(
                    InvariantName::MaxDataLoss,
                    format!("`{}` recovers losing {}, more than {max}", v.instance_name(), v.recovery.data_loss),
                );
            }
        }
    }
    if invariants.approval_for_destructive {
        // What the report has: every layer's decision on the step's events. A destructive attempt
        // that no layer stopped and that changed something must share its step with an `ask` a
        // human answered yes to. The approval timeline events of a later design would be read
        // here instead; the decisions carry the same answer today.
        for a in &report.destructive_attempts {
            if a.stopped_by != StoppedBy::NONE || a.effect.is_empty() {
                continue;
            }
            let approved = report
                .timeline
                .iter()
                .filter(|e| e.step == Some(a.step))
                .flat_map(|e| &e.decisions)
                .any(|d| d.approval.as_ref().is_some_and(|x| x.answer == Answer::Approved));
            if !approved {
                let target = a.target.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
                broke(
                    InvariantName::ApprovalForDestructive,
                    format!("step {}: `{}`{target} took effect with no human approval", a.step, a.operation),
                );
            }
        }
    }
    if invariants.tokens_within_purpose {
        for t in report.tokens.iter().filter(|t| !t.used_beyond_purpose.is_empty()) {
            broke(
                InvariantName::TokensWithinPurpose,
                format!("token `{}` was used for {} beyond its purpose", t.name, t.used_beyond_purpose.join(", ")),
            );
        }
    }
    if let Some(max) = invariants.offsite_max_age
        && let Some(offsite) = &report.offsite
    {
        // The age only grows between dumps, and the report carries it at the run's end.
        match offsite.newest_age_at_end {
            Some(age) if age > max => {
                broke(InvariantName::OffsiteMaxAge, format!("the newest off-site dump is {age} old at the end, more than {max}"))
            }
            None => broke(InvariantName::OffsiteMaxAge, "the off-site store holds no dump at the end".into()),
            Some(_) => {}
        }
    }
    if invariants.private_files_unread {
        for t in &report.tokens {
            let Some(place) = &t.found_in else { continue };
            if let Some(f) = scenario.files.iter().find(|f| f.private && place == &format!("`{}`", f.path)) {
                broke(InvariantName::PrivateFilesUnread, format!("token `{}` was read from private file `{}`", t.name, f.path));
            }
        }
    }
    out
}

/// The least data loss strictly over `max`, for pinning a violated `max_data_loss`.
pub(crate) fn just_over(max: Duration) -> Duration {
    max + Duration::seconds(1)
}
