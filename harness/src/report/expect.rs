//! Expectations: what the scenario's `[expect]` asserts, judged against the report.

use super::{ExpectationResult, IncidentReport};
use crate::scenario::Scenario;

fn result(name: String, expected: String, actual: String, passed: bool) -> ExpectationResult {
    ExpectationResult { name, passed, expected, actual }
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn set(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// Every expectation of the scenario, in the order the file declares them.
pub fn evaluate(s: &Scenario, r: &IncidentReport) -> Vec<ExpectationResult> {
    let e = &s.expect;
    let mut out = Vec::new();
    let lost = |name: &str| r.volumes.iter().find(|v| v.name == name).map(|v| v.lost);
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
        let actual = r.volumes.iter().find(|x| x.name == name).map(|x| kebab(&x.recovery.source)).unwrap_or_else(|| "not drilled".into());
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
    if let Some(alerts) = &e.alerts {
        let mut expected: Vec<String> = alerts.iter().map(kebab).collect();
        expected.sort();
        expected.dedup();
        let mut actual: Vec<String> = r.alerts.iter().map(|a| kebab(&a.kind)).collect();
        actual.sort();
        actual.dedup();
        out.push(result("alerts raised".into(), set(&expected), set(&actual), expected == actual));
    }
    out
}
