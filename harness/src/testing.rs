//! The `cargo test` entry point: every scenario file in a folder becomes a named test with its
//! own insta snapshot of the incident report.
//!
//! A team's `tests/drills.rs` (with `harness = false` in its `[[test]]` entry) is just:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     harness::testing::drills("scenarios")
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};

use crate::drive::{Problem, run_file};
use crate::files::{scenario_files, test_name};

/// Runs every scenario under `dir` as its own test. Snapshots live in `dir/snapshots/`, one
/// per scenario, reviewed with `cargo insta review`. Each scenario also gets a
/// `…::is_deterministic` test that runs it twice and compares the reports byte for byte.
pub fn drills(dir: impl AsRef<Path>) -> ExitCode {
    let args = Arguments::from_args();
    let dir = absolute(dir.as_ref());
    let files = match scenario_files(std::slice::from_ref(&dir)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut trials = Vec::new();
    for file in files {
        let name = test_name(&dir, &file);
        let snapshots = dir.join("snapshots");
        let (f, n) = (file.clone(), name.clone());
        trials.push(Trial::test(name.clone(), move || drill(&f, &n, &snapshots)));
        trials.push(Trial::test(format!("{name}::is_deterministic"), move || deterministic(&file)));
    }
    libtest_mimic::run(&args, trials).exit_code()
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

/// The path reports show: relative to the package root, so snapshots match on every machine.
fn shown(file: &Path) -> PathBuf {
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(root) => file.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| file.to_path_buf()),
        None => file.to_path_buf(),
    }
}

fn drill(file: &Path, name: &str, snapshots: &Path) -> Result<(), Failed> {
    let report = run_file(file, &shown(file), None).map_err(problem)?;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshots);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(file);
    let snapshot_name = name.replace("::", "__");
    settings.bind(|| insta::assert_yaml_snapshot!(snapshot_name, &report));
    if report.passed {
        return Ok(());
    }
    let failed: Vec<String> = report
        .expectations
        .iter()
        .filter(|e| !e.passed)
        .map(|e| format!("  ✗ {}: expected {}, got {}", e.name, e.expected, e.actual))
        .collect();
    Err(Failed::from(format!("{} expectation(s) failed in {}:\n{}", failed.len(), file.display(), failed.join("\n"))))
}

fn deterministic(file: &Path) -> Result<(), Failed> {
    let a = run_file(file, &shown(file), None).map_err(problem)?;
    let b = run_file(file, &shown(file), None).map_err(problem)?;
    let (ja, jb) = (a.to_json(), b.to_json());
    if ja == jb {
        return Ok(());
    }
    let line = ja.lines().zip(jb.lines()).position(|(x, y)| x != y).unwrap_or(0);
    Err(Failed::from(format!("two runs of {} differ from line {} of the JSON report", file.display(), line + 1)))
}
