//! The `firedrill` command as users run it: exit codes, diagnostics, output formats.

use std::path::Path;
use std::process::{Command, Output};

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn scratch_copy(replace: &str, with: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pocketos-2026-04.toml")).unwrap();
    assert!(source.contains(replace), "the incident scenario no longer contains {replace:?}");
    std::fs::write(dir.path().join("incident.toml"), source.replace(replace, with)).unwrap();
    dir
}

#[test]
fn running_the_shipped_scenarios_passes_with_a_line_each() {
    let out = firedrill(&["run", "scenarios"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    // One line per scenario: per row of a file's boundary table, else per file; every file under
    // the folder, `generated/` and `regressions/` included.
    let count: usize = harness::runner::scenario_files(&["scenarios".into()])
        .unwrap()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap().matches("\n[[case]]\n").count().max(1))
        .sum();
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok ")).count(), count);
    assert!(stdout.contains("ok   pocketos-team-restores-soft-delete@47h  no loss;"), "{stdout}");
    assert!(stdout.contains("ok   pocketos-team-restores-soft-delete@49h  pocketos/pg-data (production) lost (offsite, "), "{stdout}");
    assert!(stdout.contains(&format!("{count} scenario(s): {count} passed, 0 failed")));
}

#[test]
fn a_failing_expectation_exits_1_and_shows_expected_against_actual() {
    let dir = scratch_copy(r#"alerts = ["offsite-stale"]"#, "alerts = []");
    let out = firedrill(&["run", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("✗ alerts raised: expected none, got offsite-stale"), "{stdout}");
}

#[test]
fn a_misspelled_field_exits_2_pointing_at_file_line_and_column_with_a_hint() {
    let dir = scratch_copy("[offsite_backup]", "[offsite_backups]");
    for cmd in ["run", "check"] {
        let out = firedrill(&[cmd, dir.path().to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {stderr}");
        assert!(stderr.contains("incident.toml:"), "{cmd}: {stderr}");
        assert!(stderr.contains("did you mean `offsite_backup`?"), "{cmd}: {stderr}");
    }
}

#[test]
fn using_a_token_before_finding_it_is_bad_input() {
    let dir = scratch_copy(r#"search = "RAILWAY_API_TOKEN""#, r#"search = "nothing matches this""#);
    let out = firedrill(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("domains-cli"), "{}", text(&out.stderr));
}

#[test]
fn a_placeholder_that_names_nothing_when_its_step_runs_exits_2_at_the_step_s_line_and_column() {
    // `check` cannot know which workflows a run starts; the run says which step, where, and why.
    let dir = scratch_copy(
        "note = \"it believed the volume was scoped to staging\"\n",
        "note = \"it believed the volume was scoped to staging\"\n\n[[agent.step]]\nactor = \"team\"\ngraphql = 'query { workflowStatus(workflowId: \"${workflow:newest}\") { status } }'\ntoken = \"owner\"\n",
    );
    let path = dir.path().to_str().unwrap();
    assert_eq!(firedrill(&["check", path]).status.code(), Some(0));
    let out = firedrill(&["run", path]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("incident.toml:142:48: step 3: `${workflow:newest}` names no workflow: the run has started 0 so far"),
        "{stderr}"
    );
    assert!(stderr.contains("names nothing now"), "the placeholder is underlined: {stderr}");
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    let out = firedrill(&["run", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does not exist"));
}

#[test]
fn a_folder_without_scenarios_exits_2_for_check_and_run_alike() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["run", "check"] {
        let out = firedrill(&[cmd, dir.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(text(&out.stderr).contains("no scenario files"), "{cmd}: {}", text(&out.stderr));
    }
}

#[test]
fn a_folder_that_links_to_itself_is_walked_once_with_a_warning() {
    let dir = scratch_copy("seed = 7", "seed = 7");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop-again")).unwrap();
    let out = firedrill(&["run", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 scenario(s): 1 passed"), "{stdout}");
    assert_eq!(text(&out.stderr).matches("warning: ").count(), 2, "{}", text(&out.stderr));
}

#[test]
fn json_reports_carry_the_documented_keys() {
    let out = firedrill(&["run", "scenarios/pocketos-2026-04.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["scenario"], "pocketos-2026-04");
    assert_eq!(r["seed"], 7);
    assert_eq!(r["profile"]["name"], "railway-2026-04");
    let v = &r["volumes"][0];
    assert_eq!(v["name"], "pocketos/pg-data");
    assert_eq!(v["lost"], true);
    assert_eq!(v["recovery"]["source"], "offsite");
    assert_eq!(v["recovery"]["recovery_point"], "2026-01-23T03:00:00Z");
    assert!(v["recovery"]["data_loss_seconds"].as_i64().unwrap() > 80 * 86_400);
    assert!(v["recovery"]["records_lost"].as_u64().unwrap() > 0);
    assert!(r["expectations"].as_array().unwrap().iter().all(|e| e["passed"] == true && e["name"].is_string()));
}

#[test]
fn the_unknown_ids_knob_is_off_by_default_and_a_scenario_can_turn_it_on() {
    let knob = |out: &Output| {
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
        r["profile"]["knobs"]["unknown_ids_not_found"].clone()
    };
    assert_eq!(knob(&firedrill(&["run", "scenarios/pocketos-2026-04.toml", "--format", "json"])), "false");
    let dir = scratch_copy(
        "profile = \"railway-2026-04\"\n",
        "profile = \"railway-2026-04\"\n\n[provider.overrides]\nunknown_ids_not_found = true\n",
    );
    assert_eq!(knob(&firedrill(&["run", dir.path().join("incident.toml").to_str().unwrap(), "--format", "json"])), "true");
}

#[test]
fn every_format_renders_and_a_seed_override_shows_in_the_report() {
    for format in ["text", "yaml", "markdown", "junit"] {
        let out = firedrill(&["run", "scenarios/pocketos-2026-04.toml", "--format", format, "--seed", "99"]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(stdout.contains("pocketos-2026-04"), "{format}: {stdout}");
        if format == "junit" {
            assert!(stdout.trim_start().starts_with("<?xml"), "{stdout}");
            assert!(stdout.contains("<testsuites"));
        }
        if format == "yaml" {
            assert!(stdout.contains("seed: 99"), "{stdout}");
        }
    }
}

#[test]
fn the_same_scenario_and_seed_print_byte_identical_reports() {
    let a = firedrill(&["run", "scenarios", "--format", "json"]);
    let b = firedrill(&["run", "scenarios", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_schema_command_prints_a_json_schema_editors_can_use() {
    let out = firedrill(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["offsite_backup"].is_object(), "{schema}");
    assert!(schema["properties"]["agent"].is_object());
}

#[test]
fn serve_without_a_world_is_bad_input() {
    let out = firedrill(&["serve"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--demo"));
}

#[test]
fn a_closed_pipe_ends_the_program_quietly_with_the_conventional_status() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_firedrill"))
        .args(["run", "scenarios", "--format", "text"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reader goes away before the first report is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

#[test]
fn html_for_several_scenarios_needs_a_folder_and_writes_one_page_each() {
    let out = firedrill(&["run", "scenarios", "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--out DIR"), "{}", text(&out.stderr));
    let dir = tempfile::tempdir().unwrap();
    let out = firedrill(&["run", "scenarios", "--format", "html", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pages =
        std::fs::read_dir(dir.path()).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html")).count();
    // One page per report: a file with a boundary table has one per row.
    let reports = text(&firedrill(&["run", "scenarios"]).stdout).lines().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(pages, reports);
}
