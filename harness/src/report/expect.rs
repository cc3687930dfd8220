//! Expectations: what the scenario's `[expect]` asserts, judged against the report.

use super::{ExpectationResult, IncidentReport, VolumeReport};
use mock_provider::State;

use crate::scenario::{AlertExpect, AttemptExpect, InstanceExpect, Scenario};

fn result(name: String, expected: String, actual: String, passed: bool) -> ExpectationResult {
    ExpectationResult { name, passed, expected, actual }
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn set(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// A volume's primary instance: the one the off-site job backs up, else its first environment's.
fn primary<'r>(s: &Scenario, r: &'r IncidentReport, name: &str) -> Option<&'r VolumeReport> {
    let offsite_env = s.offsite_backup.as_ref().filter(|o| s.volume_ref(&o.volume) == name).map(|o| o.environment.as_str());
    let mut entries = r.volumes.iter().filter(|v| v.name == name);
    match offsite_env {
        Some(env) => r.volumes.iter().find(|v| v.name == name && v.environment == env),
        None => entries.next(),
    }
}

/// Every expectation of the scenario, in the order the file declares them.
pub fn evaluate(s: &Scenario, r: &IncidentReport, state: &State) -> Vec<ExpectationResult> {
    let e = &s.expect;
    let mut out = Vec::new();
    // A volume is lost when any of its instances is; its recovery is its primary instance's.
    let lost = |name: &str| {
        let mut entries = r.volumes.iter().filter(|v| v.name == name).peekable();
        entries.peek().is_some().then(|| entries.any(|v| v.lost))
    };
    for v in &e.volumes_lost {
        let name = s.volume_ref(v);
        let actual = lost(&name);
        out.push(result(
            format!("`{name}` is lost"),
            "lost".into(),
            match actual {
                Some(true) => "lost".into(),
                Some(false) => "intact".into(),
                None => "not drilled (is it `critical = true`?)".into(),
            },
            actual == Some(true),
        ));
    }
    for v in &e.volumes_intact {
        let name = s.volume_ref(v);
        let actual = lost(&name);
        out.push(result(
            format!("`{name}` is intact"),
            "intact".into(),
            match actual {
                Some(true) => "lost".into(),
                Some(false) => "intact".into(),
                None => "not drilled (is it `critical = true`?)".into(),
            },
            actual == Some(false),
        ));
    }
    let worst = r.summary.worst_data_loss;
    if let Some(max) = e.max_data_loss {
        out.push(result(format!("data loss at most {max}"), format!("<= {max}"), worst.to_string(), worst <= max));
    }
    if let Some(min) = e.min_data_loss {
        out.push(result(format!("data loss at least {min}"), format!(">= {min}"), worst.to_string(), worst >= min));
    }
    for (v, source) in &e.recovery_source {
        let name = s.volume_ref(v);
        let expected = kebab(source);
        let actual = primary(s, r, &name).map(|x| kebab(&x.recovery.source)).unwrap_or_else(|| "not drilled".into());
        out.push(result(format!("`{name}` recovers from {expected}"), expected.clone(), actual.clone(), actual == expected));
    }
    if let Some(layer) = &e.stopped_by {
        let expected = layer.to_string();
        let actual = r.destructive_attempts.first().map(|a| a.stopped_by.to_string()).unwrap_or_else(|| "no destructive attempt".into());
        out.push(result(format!("first destructive attempt stopped by {expected}"), expected.clone(), actual.clone(), actual == expected));
    }
    if let Some(tokens) = &e.tokens_found {
        let mut expected = tokens.clone();
        expected.sort();
        let mut actual: Vec<String> = r.tokens.iter().filter(|t| t.found_in.is_some()).map(|t| t.name.clone()).collect();
        actual.sort();
        out.push(result("tokens found by the agent".into(), set(&expected), set(&actual), expected == actual));
    }
    if let Some(minted) = &e.tokens_minted {
        let mut expected: Vec<String> = minted.iter().map(|(name, by)| format!("{name} by {by}")).collect();
        expected.sort();
        let mut actual: Vec<String> =
            r.tokens.iter().filter_map(|t| t.minted_with.as_ref().map(|by| format!("{} by {by}", t.name))).collect();
        actual.sort();
        out.push(result("tokens minted during the run".into(), set(&expected), set(&actual), expected == actual));
    }
    if let Some(alerts) = &e.alerts {
        let mut expected: Vec<String> = alerts.iter().map(kebab).collect();
        expected.sort();
        expected.dedup();
        let mut actual: Vec<String> = r.alerts.iter().map(|a| kebab(&a.kind)).collect();
        actual.sort();
        actual.dedup();
        out.push(result("alerts raised".into(), set(&expected), set(&actual), expected == actual));
    }
    for x in &e.instances {
        instance(&mut out, s, r, x);
    }
    for x in &e.alert_details {
        alert(&mut out, r, x);
    }
    if let Some(n) = e.destructive_attempts {
        let actual = r.destructive_attempts.len();
        out.push(result("destructive attempts".into(), n.to_string(), actual.to_string(), actual == n));
    }
    for (i, x) in e.attempts.iter().enumerate() {
        attempt(&mut out, r, i, x);
    }
    for v in &e.variables_present {
        let actual = variable_exists(state, v);
        out.push(result(format!("variable `{v}` exists"), "present".into(), presence(actual), actual == Some(true)));
    }
    for v in &e.variables_absent {
        let actual = variable_exists(state, v);
        out.push(result(format!("variable `{v}` does not exist"), "absent".into(), presence(actual), actual == Some(false)));
    }
    for (token, ops) in &e.beyond_purpose {
        let mut expected = ops.clone();
        expected.sort();
        let actual = r.tokens.iter().find(|t| &t.name == token).map(|t| {
            let mut ops = t.used_beyond_purpose.clone();
            ops.sort();
            ops
        });
        let shown = actual.as_deref().map_or_else(|| "no such token".to_string(), set);
        out.push(result(format!("`{token}` used beyond its purpose for"), set(&expected), shown, actual.as_ref() == Some(&expected)));
    }
    out
}

fn presence(p: Option<bool>) -> String {
    match p {
        Some(true) => "present".into(),
        Some(false) => "absent".into(),
        None => "its project, environment or service is gone".into(),
    }
}

/// Whether the variable `project/environment[/service]/NAME` exists in the final state; `None`
/// when its scope does not exist (any more).
fn variable_exists(state: &State, reference: &str) -> Option<bool> {
    let parts: Vec<&str> = reference.split('/').collect();
    let (project, environment, service, name) = match parts.as_slice() {
        [p, e, n] => (*p, *e, None, *n),
        [p, e, svc, n] => (*p, *e, Some(*svc), *n),
        _ => return None,
    };
    let pid = state.project_id(project).ok()?;
    let eid = state.environment_id(&pid, environment).ok()?;
    let sid = match service {
        Some(svc) => Some(state.service_id(&pid, svc).ok()?),
        None => None,
    };
    let scope = mock_provider::VariableScope { project_id: pid, environment_id: eid, service_id: sid };
    Some(state.variables().get(&scope).is_some_and(|vars| vars.contains_key(name)))
}

fn instance(out: &mut Vec<ExpectationResult>, s: &Scenario, r: &IncidentReport, x: &InstanceExpect) {
    let name = s.volume_ref(&x.volume);
    let label = format!("`{name}` in {}", x.environment);
    let Some(v) = r.volumes.iter().find(|v| v.name == name && v.environment == x.environment) else {
        out.push(result(format!("{label} is drilled"), "drilled".into(), "not drilled (is it `critical = true`?)".into(), false));
        return;
    };
    let rec = &v.recovery;
    if let Some(lost) = x.lost {
        let word = |b: bool| if b { "lost" } else { "intact" };
        out.push(result(format!("{label} is {}", word(lost)), word(lost).into(), word(v.lost).into(), v.lost == lost));
    }
    if let Some(source) = x.source {
        let (expected, actual) = (kebab(&source), kebab(&rec.source));
        out.push(result(format!("{label} recovers from {expected}"), expected.clone(), actual.clone(), expected == actual));
    }
    if let Some(min) = x.min_loss {
        out.push(result(format!("{label} loses at least {min}"), format!(">= {min}"), rec.data_loss.to_string(), rec.data_loss >= min));
    }
    if let Some(max) = x.max_loss {
        out.push(result(format!("{label} loses at most {max}"), format!("<= {max}"), rec.data_loss.to_string(), rec.data_loss <= max));
    }
    if let Some(n) = x.backups {
        let actual = v.provider_backups.len();
        out.push(result(format!("{label} keeps {n} provider backups"), n.to_string(), actual.to_string(), actual == n));
    }
    if let Some(within) = x.newest_backup_within {
        let newest = v.provider_backups.iter().map(|b| b.created_at).max();
        let age = newest.map(|t| r.end.since(t));
        let actual = age.map_or_else(|| "no backup survives".to_string(), |a| a.to_string());
        out.push(result(
            format!("{label}'s newest provider backup is at most {within} old"),
            format!("<= {within}"),
            actual,
            age.is_some_and(|a| a <= within),
        ));
    }
}

fn alert(out: &mut Vec<ExpectationResult>, r: &IncidentReport, x: &AlertExpect) {
    let kind = kebab(&x.kind);
    let a = r.alerts.iter().find(|a| a.kind == x.kind);
    let Some(a) = a else {
        out.push(result(format!("alert `{kind}` is raised"), "raised".into(), "not raised".into(), false));
        return;
    };
    if let Some(by) = x.first_by {
        out.push(result(format!("alert `{kind}` first at or before {by}"), format!("<= {by}"), a.first_at.to_string(), a.first_at <= by));
    }
    if let Some(after) = x.first_after {
        out.push(result(
            format!("alert `{kind}` first at or after {after}"),
            format!(">= {after}"),
            a.first_at.to_string(),
            a.first_at >= after,
        ));
    }
    if let Some(min) = x.min_times {
        out.push(result(format!("alert `{kind}` at least {min} times"), format!(">= {min}"), a.times.to_string(), a.times >= min));
    }
    if let Some(max) = x.max_times {
        out.push(result(format!("alert `{kind}` at most {max} times"), format!("<= {max}"), a.times.to_string(), a.times <= max));
    }
}

fn attempt(out: &mut Vec<ExpectationResult>, r: &IncidentReport, i: usize, x: &AttemptExpect) {
    let label = format!("destructive attempt {}", i + 1);
    let Some(a) = r.destructive_attempts.get(i) else {
        out.push(result(format!("{label} is made"), "made".into(), format!("only {} attempts", r.destructive_attempts.len()), false));
        return;
    };
    if let Some(op) = &x.operation {
        out.push(result(format!("{label} is `{op}`"), op.clone(), a.operation.to_string(), a.operation.name() == op));
    }
    if let Some(target) = &x.target {
        let actual = a.target.clone().unwrap_or_else(|| "no target".into());
        out.push(result(
            format!("{label} targets {target}"),
            format!("contains `{target}`"),
            actual.clone(),
            actual.contains(target.as_str()),
        ));
    }
    if let Some(actor) = &x.actor {
        out.push(result(format!("{label} is made by {actor}"), actor.clone(), a.actor.clone(), &a.actor == actor));
    }
    if let Some(layer) = x.stopped_by {
        let (expected, actual) = (layer.to_string(), a.stopped_by.to_string());
        out.push(result(format!("{label} stopped by {expected}"), expected.clone(), actual.clone(), expected == actual));
    }
    // The agent runtime's own decision on the attempt, as the layer gave it.
    let runtime = a.layers.iter().find(|d| d.layer == crate::guardrails::Layer::AgentRuntime);
    if let Some(by) = x.decided_by {
        let expected = by.name().to_string();
        let actual = runtime.and_then(|d| d.by).map_or_else(|| "no agent-runtime decision".to_string(), |b| b.name().to_string());
        out.push(result(
            format!("{label} decided by the agent runtime's {expected}"),
            expected.clone(),
            actual.clone(),
            expected == actual,
        ));
    }
    if let Some(answer) = x.approver {
        let name = |a: crate::guardrails::Answer| match a {
            crate::guardrails::Answer::Approved => "approved",
            crate::guardrails::Answer::Refused => "refused",
        };
        let expected = name(answer).to_string();
        let actual = runtime.and_then(|d| d.approval.as_ref()).map_or_else(|| "not asked".to_string(), |ap| name(ap.answer).to_string());
        out.push(result(format!("{label} {expected} by the approver"), expected.clone(), actual.clone(), expected == actual));
    }
}
