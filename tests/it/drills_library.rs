//! The library entry point a team's own `tests/drills.rs` calls, exercised on a scratch folder
//! exactly as a team would use it.

use std::path::Path;

use harness::runner::{Arguments, run_drills};

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

fn scratch_folder_with_the_incident() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("scenarios");
    copy(&repo.join("scenarios/pocketos-2026-04.toml"), &dir.join("pocketos-2026-04.toml"));
    copy(&repo.join("scenarios/snapshots/pocketos-2026-04.snap"), &dir.join("snapshots/pocketos-2026-04.snap"));
    scratch
}

/// One thread, and the inner runner's output in a log file: its own `test result: FAILED` line
/// (expected in the failing case) must not read like this binary's verdict.
fn one_thread(scratch: &tempfile::TempDir) -> Arguments {
    let log = scratch.path().join("drills.log").to_string_lossy().into_owned();
    Arguments { test_threads: Some(1), quiet: true, logfile: Some(log), ..Arguments::default() }
}

#[test]
fn a_teams_folder_of_scenarios_becomes_named_tests_that_pass_against_their_snapshots() {
    let scratch = scratch_folder_with_the_incident();
    let c = run_drills(&scratch.path().join("scenarios"), &one_thread(&scratch)).unwrap();
    assert_eq!((c.num_passed, c.num_failed), (2, 0), "the drill and its determinism check");
}

#[test]
fn a_failing_expectation_fails_its_test_and_only_its_test() {
    let scratch = scratch_folder_with_the_incident();
    let file = scratch.path().join("scenarios/pocketos-2026-04.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(r#"alerts = ["offsite-stale"]"#, "alerts = []");
    std::fs::write(&file, text).unwrap();
    let c = run_drills(&scratch.path().join("scenarios"), &one_thread(&scratch)).unwrap();
    assert_eq!((c.num_passed, c.num_failed), (1, 1), "the drill fails; its determinism check still passes");
}

#[test]
fn a_folder_that_does_not_exist_is_an_error_not_an_empty_pass() {
    let scratch = tempfile::tempdir().unwrap();
    assert!(run_drills(&scratch.path().join("nope"), &one_thread(&scratch)).is_err());
}
