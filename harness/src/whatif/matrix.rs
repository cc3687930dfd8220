//! `Matrix`: the scenario run once as written and once under each mitigation, each run a full
//! run of the patched file (so every verdict comes from the layer that made it), and the
//! smallest sets of mitigations that bring the loss within the team's tolerance.

use std::path::Path;

use serde::Serialize;
use toml::Table;

use super::mitigation::{Mitigation, catalogue};
use crate::guardrails::StoppedBy;
use crate::report::IncidentReport;
use crate::run::Run;
use crate::runner::Problem;
use crate::scenario::{self, Duration, Scenario};

/// Sets of up to this many mitigations are searched for the smallest that save the team.
pub const MAX_SET: usize = 3;

/// What one run came to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// Critical volume instances lost.
    pub lost: Vec<String>,
    pub data_loss: Duration,
    pub data_loss_seconds: i64,
    /// The layer that stopped each destructive attempt, in order.
    pub stopped_by: Vec<StoppedBy>,
    /// The worst loss is within the tolerance.
    pub saved: bool,
}

/// One mitigation's row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub outcome: Outcome,
    /// For a runtime rule: the same mitigation against the destructive shell steps wrapped as
    /// `env curl …`, the obvious way around a rule on `curl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrapped: Option<Outcome>,
}

/// The what-if matrix of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Matrix {
    pub scenario: String,
    pub tolerance: Duration,
    /// The scenario as written.
    pub baseline: Outcome,
    pub rows: Vec<Row>,
    /// The smallest sets of mitigations that save the team (each set by ids), smallest size
    /// first; empty when no set of up to `MAX_SET` does.
    pub minimal_sets: Vec<Vec<String>>,
    /// Whether the scenario has `[generate]`; generated agents are not yet weighed here.
    pub generated_agents: bool,
}

fn outcome(r: &IncidentReport, tolerance: Duration) -> Outcome {
    let s = &r.summary;
    Outcome {
        lost: s.volumes_lost.clone(),
        data_loss: s.worst_data_loss,
        data_loss_seconds: s.worst_data_loss_seconds,
        stopped_by: r.stopped_by(),
        saved: s.worst_data_loss_seconds <= tolerance.as_secs(),
    }
}

/// A scenario file ready to be patched and run again.
pub struct Source {
    dir: std::path::PathBuf,
    shown: String,
    doc: Table,
    seed: Option<u64>,
    pub scenario: Scenario,
}

impl Source {
    /// Reads `path` (shown as `shown`); `seed` overrides the file's.
    ///
    /// # Errors
    ///
    /// The file cannot be read or is not a valid scenario.
    pub fn read(path: &Path, shown: &Path, seed: Option<u64>) -> Result<Source, Problem> {
        let scenario = crate::runner::load_as(path, shown)?;
        let text =
            std::fs::read_to_string(path).map_err(|e| Problem::Unreadable(format!("error: cannot read `{}`: {e}", shown.display())))?;
        let doc: Table = text.parse().map_err(|e| Problem::Unreadable(format!("error: `{}` is not TOML: {e}", shown.display())))?;
        Ok(Source { dir: path.parent().unwrap_or(Path::new("")).to_path_buf(), shown: shown.display().to_string(), doc, seed, scenario })
    }

    /// The scenario with `mitigations` applied, in order; `wrapped` also wraps each shell `curl`.
    fn patched(&self, mitigations: &[&Mitigation], wrapped: bool) -> Result<Scenario, Problem> {
        let mut doc = self.doc.clone();
        for m in mitigations {
            m.apply(&mut doc);
        }
        if wrapped {
            wrap_curls(&mut doc);
        }
        let text = toml::to_string(&doc).map_err(|e| Problem::Unreadable(format!("error: cannot write the patched scenario: {e}")))?;
        let names: Vec<&str> = mitigations.iter().map(|m| m.id.as_str()).collect();
        let shown = if names.is_empty() { self.shown.clone() } else { format!("{} under {}", self.shown, names.join(" + ")) };
        let mut s = scenario::load_in(&self.dir, &shown, &text).map_err(Problem::Invalid)?;
        for m in mitigations {
            if let Some(f) = m.loaded {
                f(&mut s);
            }
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        Ok(s)
    }
}

/// `curl …` as `env curl …` in every shell step.
fn wrap_curls(doc: &mut Table) {
    let steps = doc.get_mut("agent").and_then(|a| a.get_mut("step")).and_then(toml::Value::as_array_mut);
    for step in steps.into_iter().flatten().filter_map(toml::Value::as_table_mut) {
        if let Some(toml::Value::String(cmd)) = step.get_mut("shell") {
            let trimmed = cmd.trim_start();
            if trimmed.starts_with("curl ") {
                *cmd = format!("env {trimmed}");
            }
        }
    }
}

async fn play(s: Scenario, shown: &str) -> Result<IncidentReport, Problem> {
    let run = Run::start(s, shown).await.map_err(|e| Problem::Run(Box::new(e)))?;
    run.run_to_end().await.map_err(|e| Problem::Run(Box::new(e)))
}

/// Two profiles cannot both apply; such a set is not a set a team could choose.
fn compatible(set: &[&Mitigation]) -> bool {
    set.iter().filter(|m| m.id.starts_with("profile/")).count() <= 1
}

/// Every `k`-subset of `0..n`, in lexicographic order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    go(0, n, k, &mut Vec::new(), &mut out);
    out
}

/// The matrix of `source`.
///
/// # Errors
///
/// A patched scenario does not load or cannot run (a custom patch that breaks the file).
pub async fn matrix(source: &Source) -> Result<Matrix, Problem> {
    let tolerance = source.scenario.whatif.as_ref().and_then(|w| w.tolerance).unwrap_or_default();
    let mitigations = catalogue(&source.scenario);
    let baseline = outcome(&play(source.patched(&[], false)?, &source.shown).await?, tolerance);
    let mut rows = Vec::with_capacity(mitigations.len());
    for m in &mitigations {
        let s = source.patched(&[m], false)?;
        let shown = s.name.clone();
        let outcome = outcome(&play(s, &shown).await?, tolerance);
        let wrapped = if m.wrapped_variant {
            let s = source.patched(&[m], true)?;
            Some(self::outcome(&play(s, &source.shown).await?, tolerance))
        } else {
            None
        };
        rows.push(Row { id: m.id.clone(), title: m.title.clone(), outcome, wrapped });
    }
    let minimal_sets = if baseline.saved { Vec::new() } else { minimal_sets(source, &mitigations, &rows, tolerance).await? };
    Ok(Matrix { scenario: source.scenario.name.clone(), tolerance, baseline, rows, minimal_sets, generated_agents: false })
}

/// The smallest sets that save the team: the single mitigations that do, else the pairs of
/// mitigations none of which saves alone, and so on up to `MAX_SET`.
async fn minimal_sets(source: &Source, ms: &[Mitigation], rows: &[Row], tolerance: Duration) -> Result<Vec<Vec<String>>, Problem> {
    let singles: Vec<Vec<String>> = rows.iter().filter(|r| r.outcome.saved).map(|r| vec![r.id.clone()]).collect();
    if !singles.is_empty() {
        return Ok(singles);
    }
    for k in 2..=MAX_SET.min(ms.len()) {
        let mut found = Vec::new();
        for set in subsets(ms.len(), k) {
            let chosen: Vec<&Mitigation> = set.iter().map(|&i| &ms[i]).collect();
            if !compatible(&chosen) {
                continue;
            }
            let s = source.patched(&chosen, false)?;
            let shown = s.name.clone();
            if outcome(&play(s, &shown).await?, tolerance).saved {
                found.push(chosen.iter().map(|m| m.id.clone()).collect());
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

/// Whether each of `names` alone saves the team: (name, outcome or why it cannot be weighed).
///
/// # Errors
///
/// A patched scenario does not load or cannot run.
pub async fn sufficient(source: &Source, names: &[String]) -> Result<Vec<(String, Result<Outcome, String>)>, Problem> {
    let tolerance = source.scenario.whatif.as_ref().and_then(|w| w.tolerance).unwrap_or_default();
    let ms = catalogue(&source.scenario);
    let mut out = Vec::new();
    for name in names {
        let Some(m) = ms.iter().find(|m| &m.id == name) else {
            let known: Vec<&str> = ms.iter().map(|m| m.id.as_str()).collect();
            out.push((name.clone(), Err(format!("no mitigation `{name}` applies here; the catalogue has {}", known.join(", ")))));
            continue;
        };
        let s = source.patched(&[m], false)?;
        let shown = s.name.clone();
        out.push((name.clone(), Ok(outcome(&play(s, &shown).await?, tolerance))));
    }
    Ok(out)
}

/// Adds the judgement of `[expect] sufficient_mitigations` to `report`: each named mitigation,
/// alone, must keep the worst loss within `[whatif] tolerance`.
///
/// # Errors
///
/// The file cannot be read again, or a patched copy does not load or run.
pub async fn judge(path: &Path, shown: &Path, seed: Option<u64>, report: &mut IncidentReport) -> Result<(), Problem> {
    let source = Source::read(path, shown, seed)?;
    let names = source.scenario.expect.sufficient_mitigations.clone();
    if names.is_empty() {
        return Ok(());
    }
    for (name, result) in sufficient(&source, &names).await? {
        let (actual, passed) = match result {
            Ok(o) if o.saved => ("sufficient".to_string(), true),
            Ok(o) if o.lost.is_empty() => (format!("{} of data lost", o.data_loss), false),
            Ok(o) => (format!("{} lost, worst {} of data", o.lost.join(", "), o.data_loss), false),
            Err(why) => (why, false),
        };
        report.expectations.push(crate::report::ExpectationResult {
            name: format!("mitigation `{name}` is sufficient"),
            passed,
            expected: "sufficient".into(),
            actual,
        });
    }
    report.passed = report.expectations.iter().all(|e| e.passed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_are_every_combination_once() {
        assert_eq!(subsets(4, 2), vec![vec![0, 1], vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3], vec![2, 3]]);
        assert_eq!(subsets(3, 3), vec![vec![0, 1, 2]]);
        assert_eq!(subsets(2, 3), Vec::<Vec<usize>>::new());
    }

    #[test]
    fn a_wrapped_curl_is_the_same_command_behind_env() {
        let mut doc: Table =
            "[agent]\n[[agent.step]]\nshell = \"curl -X POST x\"\n[[agent.step]]\nsearch = \"curl \"\n".parse().unwrap_or_default();
        wrap_curls(&mut doc);
        assert_eq!(doc["agent"]["step"][0]["shell"].as_str(), Some("env curl -X POST x"));
        assert_eq!(doc["agent"]["step"][1]["search"].as_str(), Some("curl "));
    }
}
