//! `firedrill explain` and `firedrill check` on agent runtime settings files, as users run them,
//! on settings shaped like real teams' files (`tests/it/testdata/runtime/`).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const DATA: &str = "tests/it/testdata/runtime";

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn explain_json(args: &[&str]) -> Value {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let out = firedrill(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn leak_kinds(v: &Value) -> Vec<String> {
    v["leaks"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap().to_string()).collect()
}

#[test]
fn each_messy_shape_is_a_finding_at_its_line_and_column_and_only_a_refused_file_exits_2() {
    for (file, kind, line, column, exit) in [
        ("spaces/settings.json", "spaces-in-rule", 3, 14, 0),
        ("dividers/settings.json", "not-a-rule", 4, 7, 0),
        ("legacy/settings.json", "legacy-tool-name", 3, 14, 0),
        ("legacy/settings.json", "unknown-tool", 3, 46, 0),
        ("missing-hooks/settings.json", "missing-hooks-array", 4, 7, 0),
        ("comments/settings.json", "comment-in-strict-json", 2, 3, 2),
        ("comments/settings.json", "file-refused", 2, 3, 2),
        ("matcher-on-stop/settings.json", "matcher-ignored", 4, 19, 0),
        ("timeout-ms/settings.json", "timeout-in-milliseconds", 4, 93, 0),
        ("unset-env/settings.json", "unset-env-var", 4, 68, 0),
        ("misspelled-event/settings.json", "unknown-hook-event", 3, 5, 0),
    ] {
        let path = format!("{DATA}/{file}");
        let out = firedrill(&["check", &path]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(exit), "{file}: {stdout}{}", text(&out.stderr));
        let expected = format!("{path}:{line}:{column}: {kind}: ");
        assert!(stdout.contains(&expected), "{file}: expected `{expected}` in\n{stdout}");
    }
}

#[test]
fn explain_json_has_exactly_the_documented_keys_and_labels_its_reason() {
    let v =
        explain_json(&["--settings", &format!("{DATA}/spaces/settings.json"), "--shell", "curl https://backboard.railway.app/graphql/v2"]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["by", "decision", "findings", "leaks", "matched", "reason", "runtime"]);
    assert_eq!((v["runtime"].as_str(), v["decision"].as_str(), v["by"].as_str()), (Some("claude-code"), Some("ask"), Some("mode")));
    assert!(v["matched"].is_null());
    assert!(v["reason"].as_str().unwrap().ends_with("(simulated from documented rules)"));
    let f = &v["findings"][0];
    let mut fkeys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    fkeys.sort_unstable();
    assert_eq!(fkeys, ["column", "file", "kind", "line", "message"]);
}

#[test]
fn a_whole_claude_code_project_merges_its_layers_and_its_hook_blocks_the_wrapped_curl() {
    let settings = [format!("{DATA}/acme/.claude/settings.json"), format!("{DATA}/acme/.claude/settings.local.json")];
    let args = |extra: &[&'static str]| {
        let mut a: Vec<String> = settings.iter().flat_map(|s| ["--settings".to_string(), s.clone()]).collect();
        a.extend(["--shell".to_string(), "sh -c 'curl -X POST https://backboard.railway.app/graphql/v2'".to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let without: Vec<String> = args(&[]);
    let v = explain_json(&without.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((v["decision"].as_str(), v["by"].as_str()), (Some("ask"), Some("mode")), "{v}");
    assert!(v["reason"].as_str().unwrap().contains("`acceptEdits` mode"), "the local file's defaultMode wins: {v}");
    assert!(v["reason"].as_str().unwrap().contains("--run-hooks"), "{v}");
    assert!(leak_kinds(&v).contains(&"wrapped-command".to_string()), "{v}");
    let with: Vec<String> = args(&["--run-hooks"]);
    let v = explain_json(&with.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((v["decision"].as_str(), v["by"].as_str()), (Some("deny"), Some("hook")), "{v}");
    assert!(v["reason"].as_str().unwrap().contains("the Railway API is off limits"), "{v}");
    assert_eq!(v["matched"]["list"].as_str(), Some("PreToolUse"));
}

#[test]
fn a_read_deny_is_reported_with_the_cat_that_walks_past_it() {
    let out = firedrill(&["explain", "--settings", &format!("{DATA}/acme/.claude/settings.json"), "--read", ".env"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("decision: deny"), "{stdout}");
    assert!(stdout.contains("by:       rule `Read(./.env)` in deny (tests/it/testdata/runtime/acme/.claude/settings.json)"), "{stdout}");
    assert!(stdout.contains("shell-read: a `Read` deny does not stop `cat .env` through Bash"), "{stdout}");
}

#[test]
fn managed_policy_can_drop_every_other_layers_rules() {
    let v = explain_json(&[
        "--settings",
        &format!("{DATA}/managed-only/managed-settings.json"),
        "--settings",
        &format!("{DATA}/managed-only/settings.json"),
        "--mcp",
        "railway/volume_delete",
    ]);
    assert_eq!((v["decision"].as_str(), v["matched"]["rule"].as_str()), (Some("deny"), Some("mcp__railway__volume_delete")));
    let v = explain_json(&[
        "--settings",
        &format!("{DATA}/managed-only/managed-settings.json"),
        "--settings",
        &format!("{DATA}/managed-only/settings.json"),
        "--mcp",
        "railway/volume_list",
    ]);
    assert_eq!((v["decision"].as_str(), v["by"].as_str()), (Some("ask"), Some("mode")), "the project's allow is dropped: {v}");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["kind"] == "dropped-by-managed-policy"));
}

#[test]
fn the_incident_cursor_setup_lets_the_curl_past_the_mcp_allowlist() {
    let files = ["permissions.json", "cli.json", "hooks.json"].map(|f| format!("{DATA}/pocketos/.cursor/{f}"));
    let mut args: Vec<&str> = files.iter().flat_map(|f| ["--settings", f.as_str()]).collect();
    let ignore = format!("{DATA}/pocketos/.cursorignore");
    args.extend([
        "--settings",
        &ignore,
        "--mode",
        "run-everything",
        "--shell",
        "curl -X POST https://backboard.railway.app/graphql/v2 -d @body.json",
    ]);
    let v = explain_json(&args);
    assert_eq!((v["runtime"].as_str(), v["decision"].as_str(), v["by"].as_str()), (Some("cursor"), Some("allow"), Some("mode")), "{v}");
    assert!(leak_kinds(&v).contains(&"mcp-never-consulted".to_string()), "{v}");
    let kinds: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["spaces-in-rule", "unknown-hook-event", "unset-env-var"],
        "permissions.json's comments and trailing comma are allowed: {v}"
    );
    let last = args.len() - 1;
    args[last] = "railway/volume_delete";
    args[last - 1] = "--mcp";
    let v = explain_json(&args);
    assert_eq!((v["decision"].as_str(), v["matched"]["list"].as_str()), (Some("allow"), Some("mcpAllowlist")), "{v}");
    let v = explain_json(&["--settings", &ignore, "--read", "secrets/prod.pem"]);
    assert_eq!((v["decision"].as_str(), v["matched"]["rule"].as_str()), (Some("deny"), Some("secrets/")), "{v}");
}

#[test]
fn the_legacy_prefix_behaviour_is_named_on_the_command_line() {
    let settings = format!("{DATA}/acme/.claude/settings.json");
    let decide = |extra: &[&str]| {
        let mut a = vec!["--settings", settings.as_str(), "--shell", "curlie https://example.com"];
        a.extend_from_slice(extra);
        explain_json(&a)["decision"].as_str().unwrap().to_string()
    };
    assert_eq!(decide(&[]), "ask");
    assert_eq!(decide(&["--prefix-boundary", "plain-prefix"]), "deny");
}

#[test]
fn bad_input_exits_2_with_a_clear_error_and_no_panic() {
    let settings = format!("{DATA}/acme/.claude/settings.json");
    for (args, says) in [
        (vec!["explain", "--settings", "no/such/settings.json", "--read", ".env"], "cannot read `no/such/settings.json`"),
        (vec!["explain", "--settings", settings.as_str(), "--mode", "yolo", "--read", ".env"], "unknown Claude Code mode `yolo`"),
        (vec!["explain", "--settings", settings.as_str()], "required arguments were not provided"),
        (vec!["explain", "--settings", settings.as_str(), "--mcp", "volume_delete"], "names `SERVER/TOOL`"),
        (vec!["explain", "--settings", settings.as_str(), "--read", ".env", "--format", "yaml"], "unknown format `yaml`"),
        (vec!["explain", "--settings", settings.as_str(), "--read", ".env", "--prefix-boundary", "loose"], "unknown prefix behaviour"),
    ] {
        let out = firedrill(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn check_still_checks_scenarios_beside_settings_files() {
    let out = firedrill(&["check", &format!("{DATA}/dividers/settings.json"), "scenarios/pocketos-2026-04.toml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("1 settings file(s) checked, 0 the runtime would refuse"), "{stdout}");
    assert!(stdout.contains("ok    scenarios/pocketos-2026-04.toml"), "{stdout}");
}

/// A copy of a shipped runtime scenario in a scratch folder, its settings file replaced by `settings`.
fn scenario_with_settings(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join("scenarios/pocketos-claude-read-env-cat.toml")).unwrap();
    std::fs::create_dir_all(dir.path().join("team/.claude")).unwrap();
    std::fs::write(dir.path().join("team/.claude/settings.json"), settings).unwrap();
    let source = source.replace("settings/claude-read-env/.claude/settings.json", "team/.claude/settings.json");
    std::fs::write(dir.path().join("drill.toml"), source).unwrap();
    dir
}

#[test]
fn check_on_a_scenario_prints_its_settings_findings_and_fails_only_on_a_file_the_runtime_refuses() {
    let messy = "{\n  \"permissions\": {\n    \"deny\": [\"Read( ./.env )\", \"Bash(curl:*)\"]\n  }\n}\n";
    let dir = scenario_with_settings(messy);
    let out = firedrill(&["check", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("(1 settings finding(s))"), "{stdout}");
    assert!(stdout.contains("team/.claude/settings.json:3:14: spaces-in-rule"), "{stdout}");

    let commented = "{\n  // no raw HTTP\n  \"permissions\": {\"deny\": [\"Bash(curl:*)\"]}\n}\n";
    let dir = scenario_with_settings(commented);
    let out = firedrill(&["check", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("the agent runtime would refuse"), "{stdout}");
    assert!(stdout.contains("team/.claude/settings.json:2:3: comment-in-strict-json"), "{stdout}");
}

#[test]
fn a_scenario_naming_a_settings_file_that_is_not_there_points_at_the_entry() {
    let dir = scenario_with_settings("{}");
    std::fs::remove_file(dir.path().join("team/.claude/settings.json")).unwrap();
    let out = firedrill(&["check", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("drill.toml:"), "{stderr}");
    assert!(stderr.contains("relative to the scenario file"), "{stderr}");
}
