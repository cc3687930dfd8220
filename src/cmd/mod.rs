//! The subcommands of `firedrill`.

mod cedar_schema;
pub mod explain;
pub mod fuzz;
pub mod out;
pub mod run;
pub mod scope;
pub mod serve;
pub mod whatif;

use std::path::PathBuf;
use std::process::ExitCode;

pub use cedar_schema::cedar_schema;
use harness::runner::load;
use out::{say, tell, tell_raw};

/// The scenario files under `paths`, with a warning for each link the walk did not follow
/// again; `Err` is the exit code, after saying why (bad paths, or no scenario file at all).
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ExitCode> {
    let walk = match harness::runner::walk(paths) {
        Ok(w) => w,
        Err(e) => {
            tell!("error: {e}\n  help: give scenario files or folders, e.g. `firedrill run scenarios`");
            return Err(ExitCode::from(2));
        }
    };
    for s in &walk.skipped {
        tell!("warning: {s}");
    }
    if walk.files.is_empty() {
        tell!(
            "error: no scenario files (*.toml) under {}",
            paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
        );
        return Err(ExitCode::from(2));
    }
    Ok(walk.files)
}

/// `firedrill check`: every file validated, every problem shown; exit 2 if any, or if there is
/// nothing to check. A path that is an agent runtime's settings file is checked as one
/// (`explain::check`): its findings, and exit 2 only if the runtime would refuse it.
pub fn check(paths: &[PathBuf]) -> ExitCode {
    let (settings, scenarios): (Vec<PathBuf>, Vec<PathBuf>) = paths.iter().cloned().partition(|p| explain::is_settings_file(p));
    if !settings.is_empty() {
        let code = explain::check(&settings);
        if scenarios.is_empty() || code != ExitCode::SUCCESS {
            return code;
        }
    }
    let paths = &scenarios;
    let files = match find(paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let mut bad = 0;
    for f in &files {
        match load(f) {
            // The team's settings files, as the runtime loads them: what it would ignore or read
            // differently, with positions; only a file the runtime itself refuses fails the check.
            Ok(s) if s.agent_runtime.is_some() => match harness::world::settings_findings(&s) {
                Ok(findings) => {
                    let refused: std::collections::BTreeSet<&str> =
                        findings.iter().filter(|x| x.refuses_file()).map(|x| x.file.as_str()).collect();
                    if refused.is_empty() {
                        say!("ok    {} ({} settings finding(s))", f.display(), findings.len());
                    } else {
                        bad += 1;
                        say!(
                            "error {}: the agent runtime would refuse {}",
                            f.display(),
                            refused.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
                        );
                    }
                    for x in &findings {
                        say!("  {x}");
                    }
                }
                Err(e) => {
                    bad += 1;
                    say!("error {}", f.display());
                    tell!("error: {e}");
                }
            },
            Ok(_) => say!("ok    {}", f.display()),
            Err(p) => {
                bad += 1;
                say!("error {}", f.display());
                tell_raw!("{}", p.render());
            }
        }
    }
    say!("{} file(s) checked, {} with errors", files.len(), bad);
    if bad > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS }
}
