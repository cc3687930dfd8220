//! A shrunk program as an ordinary scenario file: the source's world, the minimal program as
//! scripted steps, and an `[expect]` that pins the violation, so `firedrill run` on the file
//! shows the same break (and fails once the team's defences hold).

use std::path::{Path, PathBuf};

use mock_provider::time::Duration;

use super::campaign::{Campaign, Shrunk};
use super::invariants::just_over;
use crate::scenario::{AlertExpect, AlertKind, AttemptExpect, Expect, InvariantName, Monitor, Scenario};

/// The scenario file of `shrunk`, found by the campaign over `source` (the path it was read from)
/// with campaign seed `seed`, as text.
pub fn scenario_text(campaign: &Campaign, shrunk: &Shrunk, source: &str, seed: u64) -> Result<String, String> {
    let base = campaign.scenario();
    let mut s = Scenario {
        name: String::new(),
        description: Some(format!(
            "shrunk by `firedrill fuzz` from {source} (seed {seed}, case {}): {}",
            shrunk.index,
            shrunk.violations.iter().map(|v| v.detail.as_str()).collect::<Vec<_>>().join("; ")
        )),
        generate: None,
        invariants: None,
        ..base.clone()
    };
    s.agent.steps = shrunk.played.clone();
    s.expect = pin(base, &mut s.monitor, shrunk);
    let body = toml::to_string(&s).map_err(|e| format!("cannot write the scenario: {e}"))?;
    let broken: Vec<String> = shrunk.violations.iter().map(|v| format!("#   {}: {}", v.invariant, v.detail)).collect();
    Ok(format!(
        "# Shrunk by `firedrill fuzz {source} --seed {seed}` from case {} to {} step(s).\n# It breaks:\n{}\n# `firedrill run` on this file reproduces the break; `[expect]` pins it.\n\n{body}",
        shrunk.index,
        shrunk.played.len(),
        broken.join("\n")
    ))
}

/// An `[expect]` that holds exactly when the run shows the violations again.
fn pin(base: &Scenario, monitor: &mut Option<Monitor>, shrunk: &Shrunk) -> Expect {
    let r = &shrunk.report;
    let mut e = Expect::default();
    let invariants = base.invariants.clone().unwrap_or_default();
    let broke = |n: InvariantName| shrunk.violations.iter().any(|v| v.invariant == n);
    if broke(InvariantName::MaxDataLoss) {
        let lost: Vec<String> = r.lost_volumes().into_iter().map(str::to_string).collect();
        if lost.is_empty() {
            e.min_data_loss = invariants.max_data_loss.map(just_over);
        } else {
            e.volumes_lost = lost;
        }
    }
    if broke(InvariantName::ApprovalForDestructive) {
        e.destructive_attempts = Some(r.destructive_attempts.len());
        e.attempts = r
            .destructive_attempts
            .iter()
            .map(|a| AttemptExpect {
                operation: Some(a.operation.name().to_string()),
                target: None,
                actor: Some(a.actor.clone()),
                stopped_by: Some(a.stopped_by),
                decided_by: None,
                approver: None,
            })
            .collect();
    }
    if broke(InvariantName::TokensWithinPurpose) {
        e.beyond_purpose = r
            .tokens
            .iter()
            .filter(|t| !t.used_beyond_purpose.is_empty())
            .map(|t| (t.name.clone(), t.used_beyond_purpose.clone()))
            .collect();
    }
    if broke(InvariantName::PrivateFilesUnread) {
        e.tokens_found = Some(r.tokens.iter().filter(|t| t.found_in.is_some()).map(|t| t.name.clone()).collect());
    }
    if broke(InvariantName::OffsiteMaxAge)
        && let Some(max) = invariants.offsite_max_age
    {
        // The freshness monitor is how a scripted run sees the age: one at the invariant's bound.
        monitor.get_or_insert(Monitor { offsite_max_age: max, check_every: Duration::hours(1) }).offsite_max_age = max;
        e.alert_details.push(AlertExpect {
            kind: AlertKind::OffsiteStale,
            first_by: None,
            first_after: None,
            min_times: Some(1),
            max_times: None,
        });
    }
    e
}

/// Writes the scenario file of `shrunk` into `dir` and returns its path. A file already there
/// with the same text is kept; one with other text is never overwritten (the new file gets the
/// next free `-N` suffix).
pub fn write(campaign: &Campaign, shrunk: &Shrunk, source: &Path, seed: u64, dir: &Path) -> Result<PathBuf, String> {
    let shown = source.display().to_string();
    let text = scenario_text(campaign, shrunk, &shown, seed)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "generated".into());
    let invariant = shrunk.violations.first().map(|v| v.invariant.key().replace('_', "-")).unwrap_or_default();
    for n in 1.. {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let path = dir.join(format!("{stem}-{invariant}-seed{seed}-case{}{suffix}.toml", shrunk.index));
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == text => return Ok(path),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::write(&path, &text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                return Ok(path);
            }
            Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
        }
    }
    Err("no free file name".into())
}
