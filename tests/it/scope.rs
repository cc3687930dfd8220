//! `firedrill scope` as CI runs it: the committed baseline of the incident world holds, one more
//! token with workspace reach fails it with the new paths printed, and bad baseline files are
//! errors that point into the file, never overwritten.

use std::path::Path;
use std::process::{Command, Output};

const INCIDENT: &str = "scenarios/pocketos-2026-04.toml";
const BASELINE: &str = "scenarios/baselines/pocketos-2026-04.scope.json";

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// The incident with one more token: a workspace token the agent holds in its environment.
fn with_a_workspace_token(dir: &Path) -> String {
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(INCIDENT)).unwrap();
    let anchor = "[[file]]\npath = \"ops/domains.env\"";
    assert!(source.contains(anchor), "the incident scenario no longer declares its token file");
    let token = "[[token]]\nname = \"deploy-bot\"\nkind = \"workspace\"\nworkspace = \"pocketos\"\npurpose = [\"deployments\"]\nstored_in = { env = \"RAILWAY_TOKEN\" }\n\n";
    let path = dir.join("incident.toml");
    std::fs::write(&path, source.replace(anchor, &format!("{token}{anchor}"))).unwrap();
    path.display().to_string()
}

#[test]
fn the_committed_baseline_of_the_incident_world_holds() {
    let out = firedrill(&["scope", INCIDENT, "--baseline", BASELINE]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).starts_with("reach within the baseline"), "{}", text(&out.stdout));
}

#[test]
fn one_more_token_with_workspace_reach_fails_the_baseline_and_prints_the_new_paths() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_a_workspace_token(dir.path());
    let out = firedrill(&["scope", &file, "--baseline", BASELINE]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("reach grew since the baseline"), "{stdout}");
    assert!(stdout.contains("new token reach: deploy-bot: volumeDelete volume pocketos/pg-data"), "{stdout}");
}

#[test]
fn a_written_baseline_holds_for_its_own_world_and_is_never_written_over_a_file_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("b.json").display().to_string();
    let out = firedrill(&["scope", INCIDENT, "--write-baseline", &baseline]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), std::fs::read_to_string(BASELINE).unwrap());
    let out = firedrill(&["scope", INCIDENT, "--baseline", &baseline]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let notes = dir.path().join("notes.json");
    std::fs::write(&notes, "my notes, not a baseline\n").unwrap();
    let out = firedrill(&["scope", INCIDENT, "--write-baseline", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a scope baseline"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes, not a baseline\n");
}

#[test]
fn a_malformed_baseline_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"firedrill_scope_baseline\": 1,\n  \"scenario\": \"x\",\n  \"tokens\": [],\n  \"agent\": []\n}\n").unwrap();
    let out = firedrill(&["scope", INCIDENT, "--baseline", bad.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a scope baseline"), "{stderr}");
    assert!(stderr.contains("bad.json:4:"), "the diagnostic points at line 4: {stderr}");
}

#[test]
fn scope_prints_json_and_markdown() {
    let out = firedrill(&["scope", INCIDENT, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["agent"]["destructive"][0]["operation"], "volumeDelete", "{json:#}");
    let out = firedrill(&["scope", INCIDENT, "--format", "markdown"]);
    assert!(text(&out.stdout).starts_with("# Scope of `scenarios/pocketos-2026-04.toml`"), "{}", text(&out.stdout));
}
