//! Running one scenario file end to end: load, run on a single-threaded runtime, report.
//!
//! Shared by `firedrill run`, `firedrill serve --scenario` and the `cargo test` runner, so all
//! three see a scenario the same way.

use std::path::Path;

use crate::report::IncidentReport;
use crate::run::Run;
use crate::scenario::{self, Row, Scenario, ScenarioError};

/// Why a file could not be run: it is not a valid scenario, or the run refused its input.
pub enum Problem {
    Unreadable(String),
    Invalid(Vec<ScenarioError>),
    Run(Box<crate::run::RunError>),
}

impl Problem {
    /// Every diagnostic, rendered for a terminal (miette's graphical form, no colour).
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        match self {
            Problem::Unreadable(e) => out.push_str(e),
            Problem::Invalid(errors) => {
                for e in errors {
                    if handler.render_report(&mut out, e).is_err() {
                        let _ = writeln!(out, "{e}");
                    }
                }
            }
            Problem::Run(e) => {
                if handler.render_report(&mut out, e.as_ref()).is_err() {
                    let _ = writeln!(out, "{e}");
                }
            }
        }
        out
    }
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, Problem> {
    load_as(path, path)
}

/// `load`, naming the file `shown` in diagnostics. A file with a boundary table gives its first
/// row, every row checked.
pub fn load_as(path: &Path, shown: &Path) -> Result<Scenario, Problem> {
    let rows = load_rows_as(path, shown)?;
    // INVARIANT: `load_rows` gives at least one row when it succeeds.
    rows.into_iter().next().map(|row| row.scenario).ok_or_else(|| Problem::Unreadable(format!("error: `{}` has no rows", shown.display())))
}

/// Every runnable form of the file (one per row of its boundary table, else the file), each
/// with its text, so that a run's errors can point into it.
pub fn load_rows_as(path: &Path, shown: &Path) -> Result<Vec<Row>, Problem> {
    let shown = shown.display().to_string();
    let max = crate::scenario::limits::MAX_SCENARIO_BYTES;
    let size = std::fs::metadata(path).map(|m| m.len()).map_err(|e| Problem::Unreadable(format!("error: cannot read `{shown}`: {e}")))?;
    if size > max as u64 {
        return Err(Problem::Unreadable(format!(
            "error: `{shown}` is {size} bytes; a scenario file is at most {max} bytes\n  help: is it a scenario? a generated world of thousands of projects still fits"
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Problem::Unreadable(format!("error: cannot read `{shown}`: {e}")))?;
    // Files the scenario names (a policy file) are found beside the real file, whatever it is shown as.
    let dir = path.parent().unwrap_or(Path::new(""));
    scenario::load_rows(dir, &shown, &text).map_err(Problem::Invalid)
}

/// A current-thread runtime: a drill is one deterministic loop, and the off-site store's
/// server runs on the same thread between the loop's awaits.
pub fn runtime() -> Result<tokio::runtime::Runtime, Problem> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Problem::Unreadable(format!("error: cannot start a runtime: {e}")))
}

/// Loads and runs one scenario file, every row of its boundary table in order; `shown` is the
/// path reports and diagnostics name, `seed` overrides the file's.
pub fn run_file(path: &Path, shown: &Path, seed: Option<u64>) -> Result<Vec<IncidentReport>, Problem> {
    let rows = load_rows_as(path, shown)?;
    let rt = runtime()?;
    let shown = shown.display().to_string();
    let mut reports = Vec::new();
    for row in rows {
        reports.push(run_row(&rt, row, path, &shown, seed)?);
    }
    Ok(reports)
}

/// Runs one row on `rt`.
fn run_row(rt: &tokio::runtime::Runtime, row: Row, path: &Path, shown: &str, seed: Option<u64>) -> Result<IncidentReport, Problem> {
    let Row { mut scenario, text, .. } = row;
    if let Some(s) = seed {
        scenario.seed = s;
    }
    let weigh_mitigations = !scenario.expect.sufficient_mitigations.is_empty();
    let mut report = rt
        .block_on(async move { Run::builder(scenario).path(shown).source(text).start().await?.run_to_end().await })
        .map_err(|e| Problem::Run(Box::new(e)))?;
    if weigh_mitigations {
        rt.block_on(crate::whatif::judge(path, Path::new(shown), seed, &mut report))?;
    }
    Ok(report)
}

/// Loads one scenario file, builds its world and guardrails as a run would, and analyses its
/// scope (`firedrill scope`) without playing any step.
pub fn scope_file(path: &Path, shown: &Path, seed: Option<u64>) -> Result<crate::scope::ScopeReport, Problem> {
    let mut scenario = load_as(path, shown)?;
    if let Some(s) = seed {
        scenario.seed = s;
    }
    let rt = runtime()?;
    let shown = shown.display().to_string();
    rt.block_on(async move { Ok::<_, crate::run::RunError>(Run::start(scenario, &shown).await?.scope()) })
        .map_err(|e| Problem::Run(Box::new(e)))
}

/// The `GET /_firedrill/report` hook of `serve --scenario`: the report of what happened so far,
/// with the recovery drill run on the current state.
pub fn report_hook(run: std::sync::Arc<Run>) -> mock_provider::http::ReportHook {
    std::sync::Arc::new(move || {
        let run = run.clone();
        Box::pin(async move { serde_json::to_value(run.report().await).unwrap_or_default() })
    })
}
