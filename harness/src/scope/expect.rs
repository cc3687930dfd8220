//! The scenario's scope expectations (`scope_*` in `[expect]`), judged on the analysis of the
//! world before the agent acts.

use super::ScopeReport;
use crate::report::ExpectationResult;
use crate::scenario::Scenario;

fn result(name: String, expected: String, actual: String, passed: bool) -> ExpectationResult {
    ExpectationResult { name, passed, expected, actual }
}

/// Every scope expectation of `s`, in the order the format declares them.
pub fn expectations(s: &Scenario, r: &ScopeReport) -> Vec<ExpectationResult> {
    let e = &s.expect;
    let mut out = Vec::new();
    if let Some(none) = e.scope_no_destructive_reach_on_critical {
        let on: Vec<String> = r.agent.destructive.iter().filter(|w| w.resource.critical).map(|w| w.key()).collect();
        let word = |none: bool| if none { "no destructive path" } else { "a destructive path" };
        let actual = if on.is_empty() { word(true).to_string() } else { format!("{}: {}", on.len(), on.join("; ")) };
        out.push(result(
            "scope: the agent's destructive reach on critical volumes".into(),
            word(none).into(),
            actual,
            on.is_empty() == none,
        ));
    }
    for token in &e.scope_within_purpose {
        let Some(t) = r.token(token) else {
            out.push(result(format!("scope: `{token}` stays within its purpose"), "within".into(), "no such token".into(), false));
            continue;
        };
        let beyond: Vec<String> = t.beyond_purpose.iter().map(|f| format!("`{}`", f.operation)).collect();
        let actual = if beyond.is_empty() { "within".to_string() } else { format!("beyond: {}", beyond.join(", ")) };
        out.push(result(format!("scope: `{token}` stays within its purpose"), "within".into(), actual, beyond.is_empty()));
    }
    out
}
