//! The library entry point a team's own `tests/drills.rs` calls, exercised on a scratch folder
//! exactly as a team would use it.

use std::path::Path;

use harness::runner::{Arguments, Drills};

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
    let c = Drills::new(scratch.path().join("scenarios")).trials(&one_thread(&scratch)).unwrap();
    assert_eq!((c.num_passed, c.num_failed), (2, 0), "the drill and its determinism check");
}

#[test]
fn a_failing_expectation_fails_its_test_and_only_its_test() {
    let scratch = scratch_folder_with_the_incident();
    let file = scratch.path().join("scenarios/pocketos-2026-04.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(r#"alerts = ["offsite-stale"]"#, "alerts = []");
    std::fs::write(&file, text).unwrap();
    let c = Drills::new(scratch.path().join("scenarios")).trials(&one_thread(&scratch)).unwrap();
    assert_eq!((c.num_passed, c.num_failed), (1, 1), "the drill fails; its determinism check still passes");
}

#[test]
fn a_folder_that_does_not_exist_is_an_error_not_an_empty_pass() {
    let scratch = tempfile::tempdir().unwrap();
    assert!(Drills::new(scratch.path().join("nope")).trials(&one_thread(&scratch)).is_err());
}

/// A team's repository, played with nothing but firedrill's public API: its scenarios folder as
/// tests from an ordinary `#[test]`, and one drill with the team's proxy logic written in Rust.
mod public_api {
    use firedrill::{Decision, Drill, Drills, Error, Layer, StoppedBy, Subject, guardrail_fn};

    use super::scratch_folder_with_the_incident;

    fn teams_proxy() -> firedrill::unstable::harness::guardrails::FnGuardrail {
        guardrail_fn(Layer::Gateway, |subject| match subject {
            Subject::Call(call) if call.root_fields.iter().any(|f| f == "volumeDelete") => {
                Some(Decision::deny(Layer::Gateway, "our proxy only lets domain operations through"))
            }
            Subject::Call(_) => Some(Decision::allow(Layer::Gateway, "our proxy passes it on")),
            Subject::Action(_) => None,
        })
    }

    #[test]
    fn a_teams_folder_passes_from_an_ordinary_test_and_counts_its_drills() {
        let scratch = scratch_folder_with_the_incident();
        assert_eq!(Drills::new(scratch.path().join("scenarios")).check(), Ok(1));
    }

    #[test]
    fn the_filter_and_seed_settings_reach_every_drill() {
        let scratch = scratch_folder_with_the_incident();
        assert!(Drills::new(scratch.path().join("scenarios")).filter("no-such-drill").check().is_err(), "nothing to run is an error");
        // Another seed makes other ids and schedules: the committed snapshot no longer matches.
        let failure = Drills::new(scratch.path().join("scenarios")).seed(8).check().unwrap_err();
        assert!(failure.contains("differs from its snapshot"), "{failure}");
    }

    #[test]
    fn the_teams_rust_proxy_stops_the_incident_and_the_report_credits_the_gateway() {
        let scratch = scratch_folder_with_the_incident();
        let report =
            Drill::from_file(scratch.path().join("scenarios/pocketos-2026-04.toml")).unwrap().guardrail(teams_proxy()).run().unwrap();
        assert_eq!(report.stopped_by(), [StoppedBy::from(Layer::Gateway)]);
        assert!(report.lost_volumes().is_empty());
        assert_eq!(report.data_loss().as_secs(), 0);
        // The file's expectations were written for the incident as it happened: they now fail.
        assert!(report.failed_expectations().any(|e| e.name.contains("is lost")));
    }

    #[test]
    fn a_folders_drills_run_with_the_teams_guardrails_and_the_failure_says_why() {
        let scratch = scratch_folder_with_the_incident();
        let failure = Drills::new(scratch.path().join("scenarios")).guardrails(|| vec![Box::new(teams_proxy())]).check().unwrap_err();
        assert!(failure.contains("expectation(s) failed") && failure.contains("is lost: expected lost, got intact"), "{failure}");
    }

    #[tokio::test]
    async fn a_drill_runs_on_the_callers_runtime_too() {
        let scratch = scratch_folder_with_the_incident();
        let report = Drill::from_file(scratch.path().join("scenarios/pocketos-2026-04.toml")).unwrap().run_async().await.unwrap();
        assert_eq!(report.lost_volumes(), ["pocketos/pg-data"]);
        assert!(report.passed);
    }

    #[test]
    fn a_broken_scenario_is_one_error_listing_every_problem_with_its_position() {
        let text = "seed = 1\nstart = \"yesterday\"\n[provider]\nprofile = \"aws\"\n";
        let err = Drill::parse("broken.toml", text).err().unwrap();
        let Error::Invalid { problems, .. } = &err else { panic!("{err:?}") };
        assert!(!problems.is_empty());
        let shown = format!("{err:?}");
        assert!(shown.contains("broken.toml"), "{shown}");
        assert!(shown.contains(":2:") || shown.contains(":4:"), "positions are printed: {shown}");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let err = Drill::from_file("no/such/scenario.toml").err().unwrap();
        assert!(err.to_string().contains("no/such/scenario.toml"), "{err}");
    }
}
