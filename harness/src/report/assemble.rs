//! Assembling a finished run into an `IncidentReport`: the provider's own events merged into
//! the timeline (later effects linked to the attempt that caused them), requests that came in
//! over HTTP, the recovery drill, the monitor's alerts, the token table, and the expectations.

use std::collections::{BTreeMap, BTreeSet};

use mock_provider::time::Instant;
use mock_provider::{Cause, Provider, State};

use super::expect::evaluate;
use super::{DestructiveAttempt, IncidentReport, ProfileReport, Summary, TimelineEvent, TokenReport};
use crate::agent::Channel;
use crate::guardrails::ProviderLayer;
use crate::recovery::{OffsiteJob, VolumeReport, alerts, drill_all};
use crate::scenario::{Scenario, StoredIn, TokenKind};

/// Where and when the agent found a token, and the secret it saw there (a token rotated since
/// has another).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    /// The 1-based step that found it; `None` when the agent started with it (its environment).
    pub step: Option<usize>,
    pub place: String,
    pub secret: String,
}

/// A token a step minted through the API.
#[derive(Clone, Debug, PartialEq)]
pub struct Minted {
    pub name: String,
    pub kind: mock_provider::TokenKind,
    pub step: usize,
    pub actor: crate::agent::Actor,
    /// The token the minting call was made with.
    pub by: Option<String>,
    pub operation: String,
}

/// Everything a run recorded, as the report needs it.
pub struct RunRecord<'a> {
    pub scenario: &'a Scenario,
    pub path: &'a str,
    pub provider: &'a Provider,
    pub offsite: Option<&'a OffsiteJob>,
    pub timeline: &'a [TimelineEvent],
    pub attempts: &'a [DestructiveAttempt],
    pub found: &'a BTreeMap<String, Discovery>,
    /// Operations each token (by name) was used for.
    pub used_ops: &'a BTreeMap<String, BTreeSet<String>>,
    pub minted: &'a [Minted],
    /// The team's agent runtime, when the scenario declares one.
    pub runtime: Option<&'a super::RuntimeReport>,
    pub start: Instant,
    pub history_start: Instant,
    /// The scope expectations (`scope_*`), judged by the run on the world at its start.
    pub scope_expectations: &'a [super::ExpectationResult],
}

fn cause_channel(c: &Cause) -> Channel {
    match c {
        Cause::Request(_) => Channel::Request,
        Cause::Schedule => Channel::Schedule,
        Cause::Expiry => Channel::Retention,
        Cause::Purge => Channel::Purge,
        Cause::Workflow => Channel::Workflow,
        Cause::Admin => Channel::Admin,
    }
}

/// The report of `r`, with the recovery drill run on a snapshot of the provider's state now.
pub async fn assemble(r: RunRecord<'_>) -> IncidentReport {
    let state = r.provider.snapshot();
    let end = state.now();
    let mut attempts = r.attempts.to_vec();
    let mut used_ops = r.used_ops.clone();
    // Requests that reached the provider over HTTP (`serve --scenario`: a person, the Railway CLI
    // or a real agent acting on the world) count like the scripted agent's.
    let http = http_requests(r.provider, &state, &mut attempts, &mut used_ops);
    let mut timeline: Vec<(Instant, usize, TimelineEvent)> = r.timeline.iter().cloned().enumerate().map(|(i, e)| (e.at, i, e)).collect();
    let base = timeline.len();
    for (i, e) in provider_events(&state, r.start, &mut attempts).into_iter().chain(http).enumerate() {
        timeline.push((e.at, base + i, e));
    }
    // Agent events first at equal instants, as they caused the rest.
    timeline.sort_by_key(|(t, i, _)| (*t, *i));
    let timeline: Vec<TimelineEvent> = timeline.into_iter().map(|(_, _, e)| e).collect();

    let volumes = drill_all(r.scenario, &state, r.offsite).await;
    let alerts = alerts(r.scenario.monitor.as_ref(), r.offsite, r.history_start, end);
    let tokens = token_reports(r.scenario, r.found, &used_ops, r.minted);
    let summary = summary(&attempts, &volumes, alerts.len());
    let agent_runtime = r.runtime.map(|rt| super::defence::runtime_section(rt, r.timeline));
    let defence_in_depth = r.runtime.map(|_| super::defence::defence(&attempts));
    let mut report = IncidentReport {
        scenario: r.scenario.name.clone(),
        path: r.path.to_string(),
        seed: r.scenario.seed,
        profile: profile_report(&state),
        start: r.start,
        end,
        summary,
        tokens,
        timeline,
        destructive_attempts: attempts,
        agent_runtime,
        defence_in_depth,
        volumes,
        offsite: r.offsite.map(|j| j.report(end)),
        alerts,
        expectations: Vec::new(),
        passed: true,
    };
    report.expectations = evaluate(r.scenario, &report, &state);
    report.expectations.extend(r.scope_expectations.iter().cloned());
    report.passed = report.expectations.iter().all(|e| e.passed);
    report
}

/// The provider's own events since `start` that no request caused directly (requests' effects
/// are on their own lines already). An event a request caused later on the clock (a purge, a
/// workflow completing) is also an effect of that request's attempt.
fn provider_events(state: &State, start: Instant, attempts: &mut [DestructiveAttempt]) -> Vec<TimelineEvent> {
    let mut out = Vec::new();
    for e in state.events().iter().filter(|e| e.at >= start && !matches!(e.cause, Cause::Request(_))) {
        let mut t = TimelineEvent::new(e.at, "provider", cause_channel(&e.cause), e.change.to_string());
        if let Some(d) = &e.change.detail {
            t.action = format!("{} `{}` {}", kebab(&e.change.kind), e.change.name, kebab(&e.change.action));
            t.effect.push(d.clone());
        }
        if let Some(attempt) = e.origin.and_then(|o| attempts.iter_mut().find(|a| a.request == Some(o))) {
            attempt.effect.push(format!("at {}: {}", e.at, e.change));
            t.effect.push(match attempt.step {
                0 => format!("caused by `{}` over HTTP", attempt.operation),
                step => format!("caused by step {step} (`{}`)", attempt.operation),
            });
        }
        out.push(t);
    }
    out
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Timeline events and destructive attempts for every request that came in over HTTP; the
/// tokens they used count toward "used beyond purpose" like the scripted agent's.
fn http_requests(
    provider: &Provider,
    state: &State,
    attempts: &mut Vec<DestructiveAttempt>,
    used_ops: &mut BTreeMap<String, BTreeSet<String>>,
) -> Vec<TimelineEvent> {
    let layer = ProviderLayer { profile: &state.profile().name };
    let mut events = Vec::new();
    for entry in provider.audit().into_iter().filter(|e| e.channel == Channel::Http.name()) {
        let who = entry.user_agent.clone().unwrap_or_else(|| "http client".into());
        let fields: Vec<&str> = entry.fields.iter().map(|f| f.field.as_str()).collect();
        let mut e =
            TimelineEvent::new(entry.at, &who, Channel::Http, if fields.is_empty() { "GraphQL request".into() } else { fields.join(", ") });
        e.target = entry.token.as_ref().map(|t| format!("token `{t}` ({})", entry.token_kind));
        e.effect = entry.errors.clone();
        if let Some(t) = &entry.token {
            used_ops.entry(t.clone()).or_default().extend(entry.fields.iter().map(|f| f.field.clone()));
        }
        for v in layer.judge(&entry) {
            e.decisions.extend(v.decisions.iter().cloned());
            e.effect.extend(v.effect.iter().cloned());
            if let (true, Some(op)) = (v.destructive, v.op) {
                attempts.push(DestructiveAttempt {
                    step: 0,
                    at: entry.at,
                    actor: who.clone(),
                    operation: op,
                    target: v.target.clone(),
                    token: entry.token.clone(),
                    channel: Channel::Http,
                    stopped_by: v.stopped_by,
                    reason: v.reason.clone(),
                    layers: Vec::new(),
                    effect: v.effect.clone(),
                    request: Some(entry.seq),
                });
            }
        }
        events.push(e);
    }
    events
}

fn profile_report(s: &State) -> ProfileReport {
    let p = s.profile();
    let knobs = match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .filter(|(k, _)| k != "name")
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    };
    ProfileReport { name: p.name.clone(), knobs }
}

fn token_reports(
    s: &Scenario,
    found: &BTreeMap<String, Discovery>,
    used: &BTreeMap<String, BTreeSet<String>>,
    minted: &[Minted],
) -> Vec<TokenReport> {
    let beyond = |name: &str, purpose: &[String]| -> Vec<String> {
        used.get(name).map(|ops| ops.iter().filter(|o| !purpose.contains(o)).cloned().collect()).unwrap_or_default()
    };
    let mut out: Vec<TokenReport> = s
        .tokens
        .iter()
        .map(|t| {
            let f = found.get(&t.name);
            TokenReport {
                name: t.name.clone(),
                kind: t.kind,
                stored_in: match &t.stored_in {
                    StoredIn::File(p) => format!("file `{p}`"),
                    StoredIn::Env(v) => format!("environment variable `{v}`"),
                    StoredIn::SecretManager(m) => format!("secret manager `{m}`"),
                },
                purpose: t.purpose.clone(),
                found_by_step: f.and_then(|d| d.step),
                found_in: f.map(|d| d.place.clone()),
                used_beyond_purpose: beyond(&t.name, &t.purpose),
                minted_by: None,
                minted_with: None,
            }
        })
        .collect();
    // Tokens minted during the run have no declared purpose: every use is beyond it.
    for m in minted {
        let f = found.get(&m.name);
        out.push(TokenReport {
            name: m.name.clone(),
            kind: match m.kind {
                mock_provider::TokenKind::Account { .. } => TokenKind::Account,
                mock_provider::TokenKind::Workspace { .. } => TokenKind::Workspace,
                mock_provider::TokenKind::Project { .. } => TokenKind::Project,
            },
            stored_in: format!("minted by step {} ({})", m.step, m.actor),
            purpose: Vec::new(),
            found_by_step: f.and_then(|d| d.step),
            found_in: f.map(|d| d.place.clone()),
            used_beyond_purpose: beyond(&m.name, &[]),
            minted_by: Some(match &m.by {
                Some(by) => format!("`{}` with `{by}` (step {}, {})", m.operation, m.step, m.actor),
                None => format!("`{}` (step {}, {})", m.operation, m.step, m.actor),
            }),
            minted_with: Some(m.by.clone().unwrap_or_else(|| m.actor.name().to_owned())),
        });
    }
    out
}

fn summary(attempts: &[DestructiveAttempt], volumes: &[VolumeReport], alerts: usize) -> Summary {
    let worst = volumes.iter().map(|v| v.recovery.data_loss).max().unwrap_or_default();
    Summary {
        destructive_attempts: attempts.len(),
        stopped: attempts.iter().filter(|a| a.stopped_by.0.is_some()).count(),
        volumes_lost: volumes.iter().filter(|v| v.lost).map(VolumeReport::instance_name).collect(),
        worst_data_loss_seconds: worst.as_secs(),
        worst_data_loss: worst,
        alerts,
    }
}
