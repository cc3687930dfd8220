//! A campaign's summary and verdict, as `firedrill fuzz` prints it and the `cargo test` runner
//! judges it: cases, invariant checks, how far destructive calls got, violations, vacuity.

use std::fmt::Write;

use super::campaign::Outcome;
use crate::scenario::{Generate, InvariantName};

/// What a campaign shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every invariant held after every case, and some destructive call reached the provider.
    Held,
    /// No generated run reached the provider with a destructive call: a green campaign that
    /// proves nothing.
    Vacuous,
    /// Some case broke an invariant.
    Broken(Vec<InvariantName>),
}

impl Verdict {
    pub fn of(generate: &Generate, outcome: &Outcome) -> Verdict {
        let mut broken: Vec<InvariantName> = outcome.failing().flat_map(|c| c.violations.iter().map(|v| v.invariant)).collect();
        broken.sort();
        broken.dedup();
        if !broken.is_empty() {
            Verdict::Broken(broken)
        } else if outcome.reached_provider() == 0 && !generate.vacuous_ok {
            Verdict::Vacuous
        } else {
            Verdict::Held
        }
    }

    /// Whether a file's campaign passes as a test: what it expects (`expect_violation`: each
    /// listed invariant broken; otherwise every invariant held, not vacuously).
    pub fn passes(&self, generate: &Generate) -> bool {
        match self {
            Verdict::Broken(broken) if !generate.expect_violation.is_empty() => {
                generate.expect_violation.iter().all(|n| broken.contains(n))
            }
            Verdict::Held => generate.expect_violation.is_empty(),
            _ => false,
        }
    }
}

/// The summary's lines.
pub fn text(generate: &Generate, outcome: &Outcome) -> String {
    let mut out = String::new();
    let cases = outcome.cases.len();
    let _ = writeln!(out, "cases run: {cases}");
    let _ = writeln!(out, "invariants checked: {} ({} per case)", outcome.checks(), outcome.invariants);
    let _ = writeln!(out, "cases that made a destructive call: {}", outcome.reached_destructive());
    let _ = writeln!(out, "cases whose destructive call reached the provider: {}", outcome.reached_provider());
    let coverage = outcome.coverage();
    if !coverage.is_empty() {
        let _ = writeln!(out, "destructive operations (attempts, deepest layer reached):");
        for (op, c) in &coverage {
            let deepest = c.deepest.map_or("none", |d| d.name());
            let _ = writeln!(out, "  {op}: {} attempt(s), {deepest}", c.attempts);
        }
    }
    let failing: Vec<_> = outcome.failing().collect();
    let _ = writeln!(out, "violations: {} case(s)", failing.len());
    if let Some(first) = failing.first() {
        let _ = writeln!(out, "first violation: case {} ({} step(s) played)", first.index, first.played.len());
        for v in &first.violations {
            let _ = writeln!(out, "  {}: {}", v.invariant, v.detail);
        }
    }
    if let Some(s) = &outcome.shrunk {
        let _ = writeln!(out, "shrunk case {} to {} step(s):", s.index, s.played.len());
        for (i, step) in s.played.iter().enumerate() {
            let (channel, label) = crate::agent::describe(&step.action);
            let _ = writeln!(out, "  {}. {} {channel}: {label}", i + 1, step.actor);
        }
    }
    let verdict = Verdict::of(generate, outcome);
    let _ = match &verdict {
        Verdict::Held => writeln!(out, "verdict: every invariant held"),
        Verdict::Vacuous => writeln!(
            out,
            "verdict: vacuous: no generated run reached the provider with a destructive call (set `[generate] vacuous_ok = true` if that is the point)"
        ),
        Verdict::Broken(names) => {
            writeln!(out, "verdict: broken: {}", names.iter().map(|n| n.key()).collect::<Vec<_>>().join(", "))
        }
    };
    out
}
