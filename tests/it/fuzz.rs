//! `firedrill fuzz` as users run it: the summary, the shrunk file it writes and `run` on it, exit
//! codes for a violation, a vacuous campaign and bad input, and shards.

use std::path::Path;
use std::process::{Command, Output};

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

const DELETION: &str = "scenarios/generated/pocketos-deletion-path.toml";
const HARDENED: &str = "scenarios/generated/pocketos-hardened-holds.toml";

#[test]
fn a_violation_exits_1_and_writes_a_scenario_file_that_run_reproduces() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = firedrill(&["fuzz", DELETION, "--out", out_dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("cases run: 256\n"), "{stdout}");
    assert!(stdout.contains("verdict: broken: max_data_loss"), "{stdout}");
    assert!(stdout.contains("shrunk case 207 to 3 step(s):"), "{stdout}");
    // Not a terminal: plain progress lines on stderr, no bar.
    assert!(text(&out.stderr).contains("256/256 cases, 1 violation(s)"), "{}", text(&out.stderr));
    let written: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let file = written[0].to_str().unwrap();
    assert!(file.ends_with("pocketos-deletion-path-max-data-loss-seed1-case207.toml"), "{file}");
    let run = firedrill(&["run", file]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    assert!(text(&run.stdout).contains("pocketos/pg-data (production) lost"), "{}", text(&run.stdout));
    // The same campaign again keeps the same file.
    let again = firedrill(&["fuzz", DELETION, "--out", out_dir.path().to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 1);
}

#[test]
fn a_campaign_that_holds_exits_0_and_lists_how_far_each_destructive_operation_got() {
    let out = firedrill(&["fuzz", HARDENED, "--cases", "64", "--out", "/nonexistent/never-written"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("cases run: 64\n") && stdout.contains("invariants checked: 64 (1 per case)"), "{stdout}");
    assert!(stdout.contains("  volumeDelete: ") && stdout.contains("provider-auth"), "{stdout}");
    assert!(stdout.contains("verdict: every invariant held"), "{stdout}");
}

#[test]
fn a_campaign_where_no_destructive_call_reaches_the_provider_is_vacuous_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HARDENED)).unwrap();
    let reads = source.replace("max_steps = 8\n", "max_steps = 8\nweights = { destructive_call = 0 }\n");
    let file = dir.path().join("reads.toml");
    std::fs::write(&file, reads).unwrap();
    let out = firedrill(&["fuzz", file.to_str().unwrap(), "--cases", "16"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("verdict: vacuous"), "{}", text(&out.stdout));
}

#[test]
fn shards_split_the_cases_and_name_theirs() {
    let out = firedrill(&["fuzz", HARDENED, "--cases", "10", "--shard", "2/3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("cases run: 3\n"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("3 case(s) of 10 (shard 2/3)"), "{}", text(&out.stderr));
    let bad = firedrill(&["fuzz", HARDENED, "--shard", "4/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("is not a shard"), "{}", text(&bad.stderr));
}

#[test]
fn a_file_without_generate_or_with_a_bad_one_exits_2_with_a_diagnostic() {
    let out = firedrill(&["fuzz", "scenarios/pocketos-2026-04.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("has no `[generate]`"), "{}", text(&out.stderr));
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(HARDENED)).unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, source.replace("max_steps = 8\n", "max_steps = 8\nmin_steps = 9\n")).unwrap();
    let out = firedrill(&["fuzz", file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`min_steps = 9` with `max_steps = 8`") && stderr.contains("bad.toml:"), "{stderr}");
}
