//! Closing a run: the provider's own events merged into the timeline, the recovery drill, the
//! monitor's alerts, and the expectations, assembled into an `IncidentReport`.

use std::collections::{BTreeMap, BTreeSet};

use mock_provider::time::Instant as PInstant;
use mock_provider::{Cause, Provider};

use crate::expect::evaluate;
use crate::offsite::OffsiteStore;
use crate::outcome::{Origin, field_outcome, target_id};
use crate::report::{DestructiveAttempt, IncidentReport, TimelineEvent};
use crate::run::{alerts, drill_all, offsite_report, profile_report, summary, token_reports};
use crate::scenario::Scenario;

pub(crate) struct Parts<'a> {
    pub scenario: &'a Scenario,
    pub path: &'a str,
    pub provider: &'a Provider,
    pub offsite: Option<&'a OffsiteStore>,
    pub timeline: &'a [TimelineEvent],
    pub attempts: &'a [DestructiveAttempt],
    pub found: BTreeMap<String, (Option<usize>, String)>,
    pub used_ops: &'a BTreeMap<String, BTreeSet<String>>,
    pub start: PInstant,
}

fn cause_channel(c: &Cause) -> &'static str {
    match c {
        Cause::Request(_) => "request",
        Cause::Schedule => "schedule",
        Cause::Expiry => "retention",
        Cause::Purge => "purge",
        Cause::Workflow => "workflow",
        Cause::Admin => "admin",
    }
}

pub(crate) async fn report(p: Parts<'_>) -> IncidentReport {
    let state = p.provider.snapshot();
    let end = state.now();
    // The provider's own events during the run (requests' effects are already on the agent's
    // lines), merged by time; agent events first at equal instants, as they caused the rest.
    let mut timeline: Vec<(i64, usize, TimelineEvent)> =
        p.timeline.iter().enumerate().map(|(i, e)| (PInstant::parse(&e.at).map(|t| t.0).unwrap_or(0), i, e.clone())).collect();
    let base = timeline.len();
    for (i, e) in state.events().iter().enumerate().filter(|(_, e)| e.at >= p.start && !matches!(e.cause, Cause::Request(_))) {
        let mut t = TimelineEvent {
            at: e.at.to_string(),
            actor: "provider".into(),
            channel: cause_channel(&e.cause).into(),
            action: e.change.to_string(),
            target: None,
            step: None,
            decisions: Vec::new(),
            effect: Vec::new(),
        };
        if let Some(d) = &e.change.detail {
            t.action = format!(
                "{} `{}` {}",
                serde_json::to_value(e.change.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                e.change.name,
                serde_json::to_value(e.change.action).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
            );
            t.effect.push(d.clone());
        }
        timeline.push((e.at.0, base + i, t));
    }
    // Requests that reached the provider over HTTP (`serve --scenario`: a person, the Railway
    // CLI or a real agent acting on the world) count like the scripted agent's.
    let (http_events, http_attempts) = http_requests(p.provider);
    let base = timeline.len();
    for (i, e) in http_events.into_iter().enumerate() {
        timeline.push((PInstant::parse(&e.at).map(|t| t.0).unwrap_or(0), base + i, e));
    }
    let mut attempts = p.attempts.to_vec();
    attempts.extend(http_attempts);
    timeline.sort_by_key(|(t, i, _)| (*t, *i));
    let timeline: Vec<TimelineEvent> = timeline.into_iter().map(|(_, _, e)| e).collect();

    let volumes = drill_all(p.scenario, &state, p.offsite).await;
    let alerts = alerts(p.scenario, p.offsite, end);
    let tokens = token_reports(p.scenario, &p.found, p.used_ops);
    let summary = summary(&attempts, &volumes, &alerts);
    let mut report = IncidentReport {
        scenario: p.scenario.name.clone(),
        path: p.path.to_string(),
        seed: p.scenario.seed,
        profile: profile_report(&state),
        start: p.start.to_string(),
        end: end.to_string(),
        summary,
        tokens,
        timeline,
        destructive_attempts: attempts,
        volumes,
        offsite: p.offsite.map(|s| offsite_report(s, end)),
        alerts,
        expectations: Vec::new(),
        passed: true,
    };
    report.expectations = evaluate(p.scenario, &report);
    report.passed = report.expectations.iter().all(|e| e.passed);
    report
}

/// Timeline events and destructive attempts for every request that came in over HTTP.
fn http_requests(provider: &Provider) -> (Vec<TimelineEvent>, Vec<DestructiveAttempt>) {
    let (mut events, mut attempts) = (Vec::new(), Vec::new());
    let profile = provider.with_state(|s| s.profile().name.clone());
    for entry in provider.audit().into_iter().filter(|e| e.channel == "http") {
        let who = entry.user_agent.clone().unwrap_or_else(|| "http client".into());
        let fields: Vec<&str> = entry.fields.iter().map(|f| f.field.as_str()).collect();
        let mut e = TimelineEvent {
            at: entry.at.to_string(),
            actor: who,
            channel: "http".into(),
            action: if fields.is_empty() { "GraphQL request".into() } else { fields.join(", ") },
            target: entry.token.as_ref().map(|t| format!("token `{t}` ({})", entry.token_kind)),
            step: None,
            decisions: Vec::new(),
            effect: entry.errors.clone(),
        };
        let origin = Origin { step: 0, at: entry.at.to_string(), token: entry.token.clone(), channel: "http" };
        for f in &entry.fields {
            let outcome = field_outcome(f, &profile);
            e.decisions.extend(outcome.decisions.iter().cloned());
            e.effect.extend(outcome.effect.iter().cloned());
            attempts.extend(outcome.attempt(f, &origin, target_id(f)));
        }
        events.push(e);
    }
    (events, attempts)
}
