//! The runtime layer end to end on small settings written inline: layers and merging, modes,
//! hooks, leaks, Cursor's files, approvals, and the order-independence of rule lists.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::agent::Action;
use crate::guardrails::{Answer, DecidedBy, LeakKind, Verdict};

fn shell(c: &str) -> ToolCall {
    ToolCall::Shell { command: c.into() }
}
fn read(p: &str) -> ToolCall {
    ToolCall::Read { path: p.into() }
}
fn mcp(tool: &str) -> ToolCall {
    ToolCall::Mcp { server: "railway".into(), tool: tool.into(), input: serde_json::json!({"volumeId": "v"}) }
}

const CURL: &str = r#"curl -X POST https://backboard.railway.app/graphql/v2 -H "Authorization: Bearer $T" -d '{"query":"mutation { volumeDelete(volumeId: \"v\") }"}'"#;

fn project(json: &str) -> AgentRuntime {
    claude_code(&[(".claude/settings.json", json)])
}

fn in_mode(json: &str, mode: ClaudeMode) -> AgentRuntime {
    let s = load_claude(
        &[SettingsFile { name: ".claude/settings.json".into(), layer: ClaudeLayer::Project, text: json.into() }],
        DRILL_CWD,
        DRILL_HOME,
        &BTreeMap::new(),
    );
    let code = ClaudeCode::new(s).with_mode(mode).unwrap();
    AgentRuntime::new(Policy::ClaudeCode(code))
}

/// One row: what the runtime decides, by what, with which rule.
fn check(runtime: &AgentRuntime, call: ToolCall, decision: Verdict, by: DecidedBy, rule: Option<&str>) {
    let v = runtime.decide(&call);
    assert_eq!((v.decision, v.by, v.matched.as_ref().map(|m| m.rule.as_str())), (decision, by, rule), "{call:?}: {}", v.reason);
    assert!(v.reason.ends_with("(simulated from documented rules)"), "{}", v.reason);
}

#[test]
fn deny_then_ask_then_allow_the_first_list_with_a_match_decides() {
    let r =
        project(r#"{"permissions": {"allow": ["Bash(git:*)", "Bash(aws s3 ls)"], "ask": ["Bash(git push:*)"], "deny": ["Bash(aws *)"]}}"#);
    check(&r, shell("aws s3 ls"), Verdict::Deny, DecidedBy::Rule, Some("Bash(aws *)"));
    check(&r, shell("git push origin main"), Verdict::Ask, DecidedBy::Rule, Some("Bash(git push:*)"));
    check(&r, shell("git status"), Verdict::Allow, DecidedBy::Rule, Some("Bash(git:*)"));
    check(&r, shell("npm test"), Verdict::Ask, DecidedBy::Mode, None);
}

#[test]
fn compound_commands_are_split_an_allow_must_cover_every_part_a_deny_any() {
    let r = project(r#"{"permissions": {"allow": ["Bash(git status)", "Bash(ls *)"], "deny": ["Bash(curl:*)"]}}"#);
    check(&r, shell("git status && ls -la"), Verdict::Allow, DecidedBy::Rule, Some("Bash(git status)"));
    check(&r, shell("git status && rm -rf /"), Verdict::Ask, DecidedBy::Mode, None);
    check(&r, shell(&format!("git status; {CURL}")), Verdict::Deny, DecidedBy::Rule, Some("Bash(curl:*)"));
    check(&r, shell(&format!("ls | {CURL}")), Verdict::Deny, DecidedBy::Rule, Some("Bash(curl:*)"));
}

#[test]
fn each_mode_decides_what_no_rule_matched() {
    let settings = r#"{"permissions": {"allow": ["mcp__railway__volume_list"]}}"#;
    use ClaudeMode::*;
    use Verdict::*;
    for (mode, call, expected) in [
        (Default, read("src/main.rs"), Allow),
        (Default, shell("npm test"), Ask),
        (Default, ToolCall::Edit { path: "src/main.rs".into() }, Ask),
        (Default, read("/etc/passwd"), Ask),
        (AcceptEdits, ToolCall::Edit { path: "src/main.rs".into() }, Allow),
        (AcceptEdits, ToolCall::Edit { path: "/etc/hosts".into() }, Ask),
        (AcceptEdits, shell("mkdir -p build && touch build/x"), Allow),
        (AcceptEdits, shell("rm -rf /tmp/x"), Ask),
        (AcceptEdits, shell("npm test"), Ask),
        (Plan, read("src/main.rs"), Allow),
        (Plan, shell("npm test"), Deny),
        (Plan, mcp("volume_delete"), Deny),
        (Auto, shell("npm test"), Ask),
        (DontAsk, shell("npm test"), Deny),
        (DontAsk, mcp("volume_delete"), Deny),
        (DontAsk, mcp("volume_list"), Allow),
        (BypassPermissions, shell(CURL), Allow),
        (BypassPermissions, ToolCall::Edit { path: ".git/config".into() }, Ask),
        (BypassPermissions, ToolCall::Edit { path: ".claude/commands/x.md".into() }, Allow),
    ] {
        let v = in_mode(settings, mode).decide(&call);
        assert_eq!(v.decision, expected, "{} {call:?}: {}", mode.name(), v.reason);
    }
}

#[test]
fn auto_mode_asks_the_classifier_which_is_an_approver() {
    let r = in_mode("{}", ClaudeMode::Auto).classifier(classifier("Claude Code's auto-mode classifier", approves_all_but_destructive()));
    let d = r.judge(&Action::Shell { command: CURL.into() }).unwrap();
    let a = d.approval.unwrap();
    assert_eq!(a.answer, Answer::Refused);
    assert!(a.approver.contains("auto-mode classifier"), "{}", a.approver);
}

#[test]
fn a_disabled_mode_cannot_be_chosen_and_a_disabled_default_falls_back() {
    let s = r#"{"permissions": {"defaultMode": "bypassPermissions", "disableBypassPermissionsMode": "disable"}}"#;
    let settings =
        load_claude(&[SettingsFile { name: "s.json".into(), layer: ClaudeLayer::Project, text: s.into() }], "/r", "/h", &BTreeMap::new());
    assert_eq!(settings.mode, None);
    assert!(settings.findings.iter().any(|f| f.kind == FindingKind::ModeIgnored && f.line == 1), "{:?}", settings.findings);
    assert!(ClaudeCode::new(settings).with_mode(ClaudeMode::BypassPermissions).is_err());
}

#[test]
fn layers_merge_lists_take_scalars_from_the_highest_and_managed_can_drop_the_rest() {
    let files = |managed: &str| {
        vec![
            SettingsFile {
                name: "user.json".into(),
                layer: ClaudeLayer::User,
                text: r#"{"permissions": {"defaultMode": "plan", "deny": ["Bash(rm:*)"]}}"#.into(),
            },
            SettingsFile {
                name: "project.json".into(),
                layer: ClaudeLayer::Project,
                text: r#"{"permissions": {"defaultMode": "acceptEdits", "allow": ["Bash(curl:*)"]}}"#.into(),
            },
            SettingsFile { name: "managed.json".into(), layer: ClaudeLayer::Managed, text: managed.into() },
        ]
    };
    let merged = load_claude(&files(r#"{"permissions": {"deny": ["mcp__railway__volume_delete"]}}"#), "/r", "/h", &BTreeMap::new());
    assert_eq!(merged.rules.len(), 3);
    assert_eq!(merged.mode.as_ref().map(|(m, f)| (*m, f.as_str())), Some((ClaudeMode::AcceptEdits, "project.json")));
    let only = load_claude(
        &files(r#"{"allowManagedPermissionRulesOnly": true, "permissions": {"deny": ["mcp__railway"]}}"#),
        "/r",
        "/h",
        &BTreeMap::new(),
    );
    assert_eq!(only.rules.iter().map(|r| r.rule.text.as_str()).collect::<Vec<_>>(), ["mcp__railway"]);
    assert_eq!(only.findings.iter().filter(|f| f.kind == FindingKind::DroppedByManagedPolicy).count(), 2);
}

#[test]
fn comments_make_claude_code_refuse_the_whole_file_so_its_denies_do_not_apply() {
    let r = project("{\n  // no network\n  \"permissions\": {\"deny\": [\"Bash(curl:*)\"]}\n}");
    let v = r.decide(&shell(CURL));
    assert_eq!(v.decision, Verdict::Ask, "{}", v.reason);
    let refused: Vec<_> = v.findings.iter().filter(|f| f.refuses_file()).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!((refused[0].line, refused[0].column), (2, 3));
    assert!(v.findings.iter().any(|f| f.kind == FindingKind::CommentInStrictJson));
}

#[test]
fn a_read_deny_does_not_stop_cat_through_the_shell() {
    let r = project(r#"{"permissions": {"deny": ["Read(./.env)"], "allow": ["Bash(cat:*)"]}}"#);
    let v = r.decide(&read(".env"));
    assert_eq!(v.decision, Verdict::Deny);
    assert!(v.leaks.iter().any(|l| l.kind == LeakKind::ShellRead && l.message.contains("which these settings allow")), "{:?}", v.leaks);
    let v = r.decide(&shell("cat .env"));
    assert_eq!((v.decision, v.by), (Verdict::Allow, DecidedBy::Rule));
    assert!(v.leaks.iter().any(|l| l.kind == LeakKind::ShellRead && l.message.contains("`.env`")), "{:?}", v.leaks);
}

#[test]
fn wrapped_commands_slip_past_a_bash_deny_and_the_leak_says_how() {
    let r = project(r#"{"permissions": {"deny": ["Bash(curl:*)"]}}"#);
    for (line, via) in [
        (format!("sh -c '{}'", CURL.replace('\'', "")), "sh"),
        ("bash -c \"curl -s https://backboard.railway.app/graphql/v2\"".to_string(), "bash"),
        (format!("env T=1 {CURL}"), "env"),
        ("echo x | xargs curl https://backboard.railway.app/graphql/v2".to_string(), "xargs"),
        ("find . -name b.json -exec curl -d @{} https://backboard.railway.app/graphql/v2 \\;".to_string(), "find"),
        (format!("{{ {CURL}; }}"), "{"),
        ("cat <(curl -s https://backboard.railway.app/graphql/v2)".to_string(), "<("),
        ("echo $(curl -s https://backboard.railway.app/graphql/v2)".to_string(), "$("),
        ("T=1 curl -s https://backboard.railway.app/graphql/v2".to_string(), "a leading assignment"),
    ] {
        let v = r.decide(&shell(&line));
        assert_ne!(v.decision, Verdict::Deny, "{line}: {}", v.reason);
        assert!(
            v.leaks.iter().any(|l| l.kind == LeakKind::WrappedCommand && l.message.contains(&format!("(`{via}`)"))),
            "{line}: {:?}",
            v.leaks
        );
    }
    let v = r.decide(&shell("node -e 'require(\"child_process\").execSync(\"curl x\")'"));
    assert!(v.leaks.iter().any(|l| l.kind == LeakKind::WrappedCommand && l.message.contains("`node`")), "{:?}", v.leaks);
}

#[test]
fn an_allowed_interpreter_is_a_way_around_every_deny() {
    let r = project(r#"{"permissions": {"deny": ["Bash(curl:*)", "Read(./.env)"], "allow": ["Bash(python3:*)"]}}"#);
    for call in [shell(CURL), read(".env")] {
        let v = r.decide(&call);
        assert_eq!(v.decision, Verdict::Deny);
        assert!(v.leaks.iter().any(|l| l.kind == LeakKind::AllowedInterpreter && l.message.contains("Bash(python3:*)")), "{:?}", v.leaks);
    }
}

#[test]
fn the_legacy_prefix_boundary_is_a_setting_named_for_the_versions_behaviour() {
    let mut s = load_claude(
        &[SettingsFile { name: "s.json".into(), layer: ClaudeLayer::Project, text: r#"{"permissions": {"deny": ["Bash(rm:*)"]}}"#.into() }],
        "/r",
        "/h",
        &BTreeMap::new(),
    );
    let now = AgentRuntime::new(Policy::ClaudeCode(ClaudeCode::new(s.clone())));
    s.boundary = PrefixBoundary::PlainPrefix;
    let before = AgentRuntime::new(Policy::ClaudeCode(ClaudeCode::new(s)));
    assert_eq!(now.decide(&shell("rmdir build")).decision, Verdict::Ask);
    assert_eq!(before.decide(&shell("rmdir build")).decision, Verdict::Deny);
}

fn hooked(hook_json: &str, mode: ClaudeMode) -> AgentRuntime {
    in_mode(&format!(r#"{{"permissions": {{"allow": ["Bash"]}}, "hooks": {{"PreToolUse": [{hook_json}]}}}}"#), mode)
}

#[test]
fn a_pre_tool_use_hook_runs_before_the_rules_in_every_mode_and_only_exit_2_blocks() {
    let hook = r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh"}]}"#;
    for mode in ClaudeMode::ALL {
        let blocks = hooked(hook, mode).hooks(DeclaredHooks::new().hook("guard.sh", HookOutcome::exit(2, "no curl to Railway")));
        let v = blocks.decide(&shell(CURL));
        assert_eq!((v.decision, v.by), (Verdict::Deny, DecidedBy::Hook), "{}: {}", mode.name(), v.reason);
        assert!(v.reason.contains("no curl to Railway"));
    }
    let exits_1 = hooked(hook, ClaudeMode::Default).hooks(DeclaredHooks::new().hook("guard.sh", HookOutcome::exit(1, "no curl")));
    let v = exits_1.decide(&shell(CURL));
    assert_eq!((v.decision, v.by), (Verdict::Allow, DecidedBy::Rule));
    assert!(v.reason.contains("exited 1: a non-blocking error"), "{}", v.reason);
}

#[test]
fn a_hooks_if_filter_uses_the_permission_rule_grammar() {
    let hook = r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh", "if": "Bash(curl:*)"}]}"#;
    let r = hooked(hook, ClaudeMode::Default).hooks(DeclaredHooks::new().otherwise(HookOutcome::exit(2, "blocked")));
    assert_eq!(r.decide(&shell(CURL)).decision, Verdict::Deny);
    assert_eq!(r.decide(&shell("git status")).decision, Verdict::Allow);
}

#[test]
fn the_teams_real_hook_runs_on_a_scratch_copy_with_the_documented_json() {
    let script = "#!/bin/sh\ninput=$(cat)\ncase \"$input\" in *'\"tool_name\":\"Bash\"'*) case \"$input\" in *curl*) echo 'curl is blocked' >&2; exit 2;; esac;; esac\nexit 0\n";
    let hook = r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "sh .claude/hooks/guard.sh", "timeout": 10}]}"#;
    let files = BTreeMap::from([(".claude/hooks/guard.sh".to_string(), script.to_string())]);
    let r = hooked(hook, ClaudeMode::BypassPermissions).hooks(RealHooks::new(files));
    let v = r.decide(&shell(CURL));
    assert_eq!((v.decision, v.by), (Verdict::Deny, DecidedBy::Hook), "{}", v.reason);
    assert!(v.reason.contains("curl is blocked") && v.reason.contains("bypassPermissions"), "{}", v.reason);
    assert_eq!(r.decide(&shell("git status")).decision, Verdict::Allow);
}

#[test]
fn messy_hook_settings_are_findings_at_their_positions() {
    let text = r#"{
  "hooks": {
    "PreToolUSE": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "a.sh"}]}],
    "PreToolUse": [
      {"matcher": "Bash", "type": "command", "command": "guard.sh"},
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "echo $CLAUDE_TOOL_INPUT | guard", "timeout": 5000}]}
    ],
    "Stop": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "notify"}]}]
  }
}"#;
    let s = load_claude(
        &[SettingsFile { name: ".claude/settings.json".into(), layer: ClaudeLayer::Project, text: text.into() }],
        "/r",
        "/h",
        &BTreeMap::new(),
    );
    let at = |kind: FindingKind| s.findings.iter().find(|f| f.kind == kind).map(|f| (f.line, f.column));
    assert_eq!(at(FindingKind::UnknownHookEvent), Some((3, 5)));
    assert!(s.findings.iter().any(|f| f.message.contains("did you mean `PreToolUse`?")));
    assert_eq!(at(FindingKind::MissingHooksArray), Some((5, 7)));
    assert_eq!(at(FindingKind::TimeoutInMilliseconds), Some((6, 114)));
    assert_eq!(at(FindingKind::UnsetEnvVar), Some((6, 68)));
    assert_eq!(at(FindingKind::MatcherIgnored), Some((8, 26)));
    assert!(!s.findings.iter().any(|f| f.refuses_file()), "a messy file still loads");
    assert_eq!(s.hooks.len(), 1, "only the well-formed PreToolUse hook runs");
}

fn cursor_runtime(files: &[(&str, &str)], mode: RunMode) -> AgentRuntime {
    cursor(files, Some(mode)).unwrap()
}

#[test]
fn cursor_allowlists_and_cli_rules_decide_and_deny_beats_allow() {
    let files = [
        (
            ".cursor/permissions.json",
            "{\n  // the team's allowlists\n  \"mcpAllowlist\": [\"railway:*\"],\n  \"terminalAllowlist\": [\"git\", \"npm test\"],\n}",
        ),
        (".cursor/cli.json", r#"{"permissions": {"allow": ["Shell(ls)", "Shell(rm)"], "deny": ["Shell(rm)", "Read(**/.env)"]}}"#),
        (".cursorignore", "# secrets\nsecrets/\n"),
    ];
    let r = cursor_runtime(&files, RunMode::Allowlist);
    check(&r, mcp("volume_delete"), Verdict::Allow, DecidedBy::Rule, Some("railway:*"));
    check(&r, shell("git push --force"), Verdict::Allow, DecidedBy::Rule, Some("git"));
    check(&r, shell("npm test -- --watch"), Verdict::Allow, DecidedBy::Rule, Some("npm test"));
    check(&r, shell("rm -rf /"), Verdict::Deny, DecidedBy::Rule, Some("Shell(rm)"));
    check(&r, shell(CURL), Verdict::Ask, DecidedBy::Mode, None);
    check(&r, read(".env"), Verdict::Deny, DecidedBy::Rule, Some("Read(**/.env)"));
    check(&r, read("secrets/key.pem"), Verdict::Deny, DecidedBy::Rule, Some("secrets/"));
    check(&r, read("src/main.rs"), Verdict::Allow, DecidedBy::Mode, None);
    assert!(r.findings().is_empty(), "permissions.json may have comments and trailing commas: {:?}", r.findings());
    for (mode, expected) in
        [(RunMode::RunEverything, Verdict::Allow), (RunMode::Allowlist, Verdict::Ask), (RunMode::AutoReview, Verdict::Ask)]
    {
        assert_eq!(cursor_runtime(&files, mode).decide(&shell(CURL)).decision, expected, "{}", mode.name());
    }
}

#[test]
fn the_incident_curl_never_meets_the_mcp_allowlist() {
    let r = cursor_runtime(&[(".cursor/permissions.json", r#"{"mcpAllowlist": ["railway:*"]}"#)], RunMode::RunEverything);
    let v = r.decide(&shell(CURL));
    assert_eq!((v.decision, v.by), (Verdict::Allow, DecidedBy::Mode));
    assert!(v.leaks.iter().any(|l| l.kind == LeakKind::McpNeverConsulted), "{:?}", v.leaks);
}

#[test]
fn cursor_judges_the_first_command_and_reports_what_rides_along() {
    let r = cursor_runtime(
        &[
            (".cursor/permissions.json", r#"{"terminalAllowlist": ["git"]}"#),
            (".cursor/cli.json", r#"{"permissions": {"deny": ["Shell(curl)"]}}"#),
        ],
        RunMode::Allowlist,
    );
    let v = r.decide(&shell(&format!("git status && {CURL}")));
    assert_eq!(v.decision, Verdict::Allow);
    assert!(v.leaks.iter().filter(|l| l.kind == LeakKind::ChainedCommand).count() == 2, "{:?}", v.leaks);
    let v = r.decide(&read(".env"));
    assert_eq!(v.decision, Verdict::Allow);
}

#[test]
fn cursorignore_hides_files_from_the_file_tools_not_the_terminal() {
    let r = cursor_runtime(&[(".cursorignore", ".env\n!.env.example\n")], RunMode::RunEverything);
    assert_eq!(r.decide(&read(".env")).decision, Verdict::Deny);
    assert_eq!(r.decide(&read(".env.example")).decision, Verdict::Allow);
    let v = r.decide(&shell("cat .env"));
    assert_eq!(v.decision, Verdict::Allow);
    assert!(v.leaks.iter().any(|l| l.kind == LeakKind::ShellRead), "{:?}", v.leaks);
}

#[test]
fn cursor_hooks_answer_with_permission_json_and_misspelled_events_are_findings() {
    let hooks = r#"{"version": 1, "hooks": {"beforeShellExecution": [{"command": "guard.sh"}], "beforeShellExec": [{"command": "x"}], "beforeMCPExecution": [{"command": "echo $CURSOR_TOOL_NAME"}]}}"#;
    let r = cursor(&[(".cursor/hooks.json", hooks)], Some(RunMode::RunEverything)).unwrap().hooks(
        DeclaredHooks::new().hook("guard.sh", HookOutcome::json(serde_json::json!({"permission": "deny", "user_message": "no curl"}))),
    );
    let v = r.decide(&shell(CURL));
    assert_eq!((v.decision, v.by), (Verdict::Deny, DecidedBy::Hook), "{}", v.reason);
    assert!(r.findings().iter().any(|f| f.kind == FindingKind::UnknownHookEvent && f.message.contains("beforeShellExecution")));
    assert!(r.findings().iter().any(|f| f.kind == FindingKind::UnsetEnvVar));
}

#[test]
fn an_ask_goes_to_the_approver_and_the_approval_records_what_was_shown() {
    let settings = r#"{"permissions": {"ask": ["Bash(curl:*)"]}}"#;
    let action = Action::Shell { command: CURL.into() };
    let d = project(settings).approver(reads_first(40)).judge(&action).unwrap();
    let a = d.approval.as_ref().unwrap();
    assert_eq!((d.verdict, a.answer), (Verdict::Ask, Answer::Approved));
    assert_eq!(a.read.as_deref(), Some("Bash command: curl -X POST https://backb"));
    assert!(a.shown.contains("volumeDelete"));
    assert!(d.passes());
    let d = project(settings).approver(approves_nothing()).judge(&action).unwrap();
    assert!(!d.passes());
    let tired = project(settings).approver(approves_when_tired(1));
    let answers: Vec<Answer> = (0..3).map(|_| tired.judge(&action).unwrap().approval.unwrap().answer).collect();
    assert_eq!(answers, [Answer::Refused, Answer::Approved, Answer::Approved]);
}

#[test]
fn a_graphql_step_is_the_agents_web_fetch_and_an_mcp_step_is_the_railway_server() {
    let r = project(r#"{"permissions": {"deny": ["WebFetch(domain:backboard.railway.com)", "mcp__railway__volume_delete"]}}"#);
    let graphql = Action::Graphql { query: "mutation { volumeDelete(volumeId: \"v\") }".into(), token: "t".into() };
    assert_eq!(r.judge(&graphql).unwrap().verdict, Verdict::Deny);
    let step = Action::Mcp { tool: "volume_delete".into(), args: BTreeMap::new(), token: "t".into() };
    assert_eq!(r.judge(&step).unwrap().verdict, Verdict::Deny);
    assert!(r.judge(&Action::Wait(crate::agent::Wait::For(mock_provider::time::Duration::seconds(60)))).is_none());
}

proptest! {
    #[test]
    fn the_decision_never_depends_on_rule_order_within_a_list(
        order in Just((0..12usize).collect::<Vec<_>>()).prop_shuffle(),
        command in prop::sample::select(vec!["curl -X POST x", "git push origin main", "git status", "rm -rf /", "ls -la", "npm run test", "cat .env"]),
    ) {
        let rules = ["Bash(curl:*)", "Bash(git push:*)", "Bash(git *)", "Bash(rm *)", "Bash(ls*)", "Bash(npm run test:*)", "Read(./.env)", "Bash(cat:*)", "Bash", "mcp__railway", "Bash(git status)", "Bash(* -rf *)"];
        let lists = |idx: &[usize]| {
            let pick = |range: std::ops::Range<usize>| idx.iter().filter(|i| range.contains(i)).map(|i| format!("\"{}\"", rules[*i])).collect::<Vec<_>>().join(", ");
            format!(r#"{{"permissions": {{"deny": [{}], "ask": [{}], "allow": [{}]}}}}"#, pick(0..4), pick(4..8), pick(8..12))
        };
        let sorted: Vec<usize> = (0..12).collect();
        let a = project(&lists(&sorted)).decide(&shell(command));
        let b = project(&lists(&order)).decide(&shell(command));
        prop_assert_eq!(a.decision, b.decision);
        prop_assert_eq!(a.by, b.by);
        prop_assert_eq!(a.matched.map(|m| m.list), b.matched.map(|m| m.list));
    }
}

proptest! {
    #[test]
    fn cursors_decision_never_depends_on_entry_order_within_a_list(
        order in Just((0..10usize).collect::<Vec<_>>()).prop_shuffle(),
        call in prop::sample::select(vec![
            shell("git push --force"), shell("rm -rf /"), shell("npm test"), shell("curl -X POST x"), shell("ls -la"),
            read(".env"), read("src/main.rs"), mcp("volume_delete"), mcp("project_list"),
        ]),
    ) {
        let cli = ["Shell(rm)", "Shell(ls)", "Read(**/.env)", "Shell(curl)", "Mcp(railway:volume_delete)"];
        let allow_lists = ["git", "npm test", "ls", "railway:*", "railway:project_list"];
        let files = |idx: &[usize]| {
            let pick = |range: std::ops::Range<usize>, from: &[&str], offset: usize| {
                idx.iter().filter(|i| range.contains(i)).map(|i| format!("\"{}\"", from[*i - offset])).collect::<Vec<_>>().join(", ")
            };
            let cli_json = format!(r#"{{"permissions": {{"deny": [{}], "allow": [{}]}}}}"#, pick(0..3, &cli, 0), pick(3..5, &cli, 0));
            let perms = format!(r#"{{"terminalAllowlist": [{}], "mcpAllowlist": [{}]}}"#, pick(5..8, &allow_lists, 5), pick(8..10, &allow_lists, 5));
            vec![(".cursor/cli.json", cli_json), (".cursor/permissions.json", perms)]
        };
        let decide = |idx: &[usize]| {
            let f = files(idx);
            let refs: Vec<(&str, &str)> = f.iter().map(|(n, t)| (*n, t.as_str())).collect();
            cursor_runtime(&refs, RunMode::Allowlist).decide(&call)
        };
        let sorted: Vec<usize> = (0..10).collect();
        let (a, b) = (decide(&sorted), decide(&order));
        prop_assert_eq!(a.decision, b.decision);
        prop_assert_eq!(a.by, b.by);
        prop_assert_eq!(a.matched.map(|m| m.list), b.matched.map(|m| m.list));
    }
}

proptest! {
    #[test]
    fn the_rule_index_finds_what_reading_every_rule_finds(
        picks in prop::collection::vec((0..24usize, 0..3usize), 0..30),
        call in prop::sample::select(vec![
            shell("cd /repo && curl -X POST x | jq ."), shell("git push origin main; ls -la"), shell("cat .env"), shell("sh -c 'curl x'"),
            read(".env"), read("config/prod.env"), read("~/.ssh/id"), read("../other/.env"),
            ToolCall::Edit { path: "src/a/b.ts".into() }, ToolCall::Edit { path: ".env".into() },
            ToolCall::Search { pattern: "TOKEN".into() }, ToolCall::Fetch { url: "https://backboard.railway.com/graphql/v2".into(), body: None },
            mcp("volume_delete"), mcp("project_list"),
        ]),
    ) {
        let pool = [
            "Bash(curl:*)", "Bash(git *)", "Bash(ls*)", "Bash", "Bash(cat:*)", "Read(./.env)", "Read(*.env)", "Read(~/.ssh/**)", "Read",
            "Edit(/src/**)", "Edit", "Write", "Write(./.env)", "Grep", "Glob", "WebFetch(domain:*.railway.com)", "WebFetch",
            "mcp__railway", "mcp__railway__volume_delete", "mcp__github", "// ---", "Task", "Bash( curl:* )", "Bash()",
        ];
        let pick = |list: usize| picks.iter().filter(|(_, l)| *l == list).map(|(r, _)| format!("\"{}\"", pool[*r])).collect::<Vec<_>>().join(", ");
        let json = format!(r#"{{"permissions": {{"deny": [{}], "ask": [{}], "allow": [{}]}}}}"#, pick(0), pick(1), pick(2));
        let runtime = project(&json);
        let Policy::ClaudeCode(code) = runtime.policy() else { unreachable!("a Claude Code runtime") };
        let s = code.settings();
        let p = code.prepare(&call);
        for list in [claude_settings::List::Deny, claude_settings::List::Ask, claude_settings::List::Allow] {
            let listed = || s.rules.iter().filter(|r| r.list == list);
            let plain = match &call {
                ToolCall::Shell { command } => segments::segments(command).into_iter().find_map(|seg| {
                    listed().find(|r| r.rule.matches(&shell(&seg.text), s.boundary, &s.cwd, &s.home)).map(|r| (r.rule.text.clone(), seg.text.clone()))
                }),
                other => listed().find(|r| r.rule.matches(other, s.boundary, &s.cwd, &s.home)).map(|r| (r.rule.text.clone(), String::new())),
            };
            let indexed = code.first_match(list, &p).map(|(r, sub)| (r.rule.text.clone(), sub.to_string()));
            prop_assert_eq!(indexed, plain, "{:?} in {}", list, json);
        }
    }
}
