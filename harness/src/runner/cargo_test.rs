//! The `cargo test` entry point: every scenario file in a folder becomes a named test with its
//! own insta snapshot of the incident report.
//!
//! A team's `tests/drills.rs` (with `harness = false` in its `[[test]]` entry) is just:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     harness::runner::drills("scenarios")
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use libtest_mimic::{Arguments, Conclusion};
use libtest_mimic::{Failed, Trial};

use super::file::{Problem, run_file};
use super::files::{scenario_files, test_name};
use crate::report::expected_got;

/// Runs every scenario under `dir` as its own test. Snapshots live in `dir/snapshots/`, one
/// per scenario, reviewed with `cargo insta review`. Each scenario also gets a
/// `…::is_deterministic` test that runs it twice and compares the reports byte for byte.
pub fn drills(dir: impl AsRef<Path>) -> ExitCode {
    match run_drills(dir.as_ref(), &Arguments::from_args()) {
        Ok(conclusion) => conclusion.exit_code(),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `drills` with explicit test-runner arguments; the conclusion counts passed and failed tests.
pub fn run_drills(dir: &Path, args: &Arguments) -> Result<Conclusion, String> {
    let dir = absolute(dir);
    let files = scenario_files(std::slice::from_ref(&dir))?;
    // Reports name files relative to the folder's parent (`scenarios/x.toml`), so snapshots
    // match wherever the repository is checked out.
    let root = dir.parent().map(Path::to_path_buf).unwrap_or_else(|| dir.clone());
    let mut trials = Vec::new();
    for file in files {
        let name = test_name(&dir, &file);
        let snapshots = dir.join("snapshots");
        let shown = file.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| file.clone());
        let (f, n, s) = (file.clone(), name.clone(), shown.clone());
        trials.push(Trial::test(name.clone(), move || drill(&f, &s, &n, &snapshots)));
        trials.push(Trial::test(format!("{name}::is_deterministic"), move || deterministic(&file, &shown)));
    }
    Ok(libtest_mimic::run(args, trials))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    // `cargo test` runs test binaries from the package root, so relative folders mean that.
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(root) => PathBuf::from(root).join(p),
        None => p.to_path_buf(),
    }
}

fn problem(p: Problem) -> Failed {
    Failed::from(p.render())
}

fn drill(file: &Path, shown: &Path, name: &str, snapshots: &Path) -> Result<(), Failed> {
    let report = run_file(file, shown, None).map_err(problem)?;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshots);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(file);
    let snapshot_name = name.replace("::", "__");
    // Both checks run, so a failing expectation is reported in words even when the snapshot
    // changed too (insta prints the diff itself).
    let snapshot = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_yaml_snapshot!(snapshot_name, &report));
    }));
    let mut problems: Vec<String> = Vec::new();
    let failed: Vec<String> = report
        .expectations
        .iter()
        .filter(|e| !e.passed)
        .map(|e| format!("  ✗ {}: {}", e.name, expected_got(&e.expected, &e.actual)))
        .collect();
    if !failed.is_empty() {
        problems.push(format!("{} expectation(s) failed in {}:\n{}", failed.len(), shown.display(), failed.join("\n")));
    }
    if snapshot.is_err() {
        problems.push(format!(
            "the incident report of {} differs from its snapshot (diff above); if the change is intended, accept it with `cargo insta review`",
            shown.display()
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(Failed::from(problems.join("\n"))) }
}

fn deterministic(file: &Path, shown: &Path) -> Result<(), Failed> {
    let a = run_file(file, shown, None).map_err(problem)?;
    let b = run_file(file, shown, None).map_err(problem)?;
    let (ja, jb) = (a.to_json(), b.to_json());
    if ja == jb {
        return Ok(());
    }
    let line = ja.lines().zip(jb.lines()).position(|(x, y)| x != y).unwrap_or(0);
    Err(Failed::from(format!("two runs of {} differ from line {} of the JSON report", file.display(), line + 1)))
}
