//! Hooks: the team's commands a runtime runs before a tool call, how a drill gets their answer
//! (declared by the scenario, or the real command run on a scratch copy of the repository with
//! the documented JSON on stdin, under a timeout), and what an answer means to each runtime.
//!
//! The documented semantics kept here: Claude Code blocks only on exit code 2 or a JSON
//! `permissionDecision: "deny"` (exit 1 is a non-blocking error and the call goes on, as does a
//! hook that times out or cannot start); Cursor reads `{"permission": "allow"|"deny"|"ask"}`
//! from stdout and blocks on exit code 2, failing open otherwise unless the hook says
//! `failClosed`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::json::Pos;
use super::rule::Rule;

/// One hook command, where it was declared and when it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    pub file: String,
    pub pos: Pos,
    /// The event it is registered on (`PreToolUse`, `beforeShellExecution`).
    pub event: String,
    pub matcher: Option<String>,
    pub command: String,
    /// Seconds, as the runtime reads the setting.
    pub timeout: Option<f64>,
    /// Claude Code's `if` filter, in the permission-rule grammar.
    pub filter: Option<Rule>,
    /// Cursor's `failClosed`: a hook that fails or times out blocks.
    pub fail_closed: bool,
}

/// What running a hook came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookOutcome {
    Exited { code: i32, stdout: String, stderr: String },
    TimedOut,
    NotStarted(String),
}

impl HookOutcome {
    /// `exit(2, "blocked by policy")`: a declared hook that exits with `code`, printing
    /// `stderr`.
    pub fn exit(code: i32, stderr: &str) -> Self {
        HookOutcome::Exited { code, stdout: String::new(), stderr: stderr.into() }
    }

    /// A declared hook that exits 0 printing `json` on stdout.
    pub fn json(json: Value) -> Self {
        HookOutcome::Exited { code: 0, stdout: json.to_string(), stderr: String::new() }
    }
}

/// Runs hooks. `input` builds the JSON the hook reads on stdin from its working directory.
pub trait HookRunner: Send + Sync {
    fn run(&self, hook: &Hook, input: &dyn Fn(&str) -> Value) -> HookOutcome;
    /// The runner in a few words, for reasons.
    fn describe(&self) -> &'static str;
}

/// Hooks whose outcome the scenario declares, by command.
#[derive(Clone, Debug, Default)]
pub struct DeclaredHooks {
    by_command: BTreeMap<String, HookOutcome>,
    otherwise: Option<HookOutcome>,
}

impl DeclaredHooks {
    pub fn new() -> Self {
        Self::default()
    }
    /// The hook whose command is `command` comes to `outcome`.
    #[must_use]
    pub fn hook(mut self, command: &str, outcome: HookOutcome) -> Self {
        self.by_command.insert(command.to_string(), outcome);
        self
    }
    /// Every other hook comes to `outcome`.
    #[must_use]
    pub fn otherwise(mut self, outcome: HookOutcome) -> Self {
        self.otherwise = Some(outcome);
        self
    }
}

impl HookRunner for DeclaredHooks {
    fn run(&self, hook: &Hook, _: &dyn Fn(&str) -> Value) -> HookOutcome {
        self.by_command
            .get(&hook.command)
            .or(self.otherwise.as_ref())
            .cloned()
            .unwrap_or_else(|| HookOutcome::NotStarted("the scenario declares no outcome for this hook".into()))
    }
    fn describe(&self) -> &'static str {
        "declared by the scenario"
    }
}

/// The team's real hook commands, run with `sh -c` in a scratch copy of the given repository
/// files, with a scrubbed environment (`PATH`, `HOME` set to the scratch folder, the runtime's
/// project variable, the settings' `env`), under the hook's timeout capped at `max_wait`.
///
/// The harness does not sandbox the network of a hook: a hook is the team's own code. Its tests
/// run only small scripts they write themselves.
#[derive(Clone, Debug)]
pub struct RealHooks {
    files: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    max_wait: Duration,
}

/// The runtime's default hook timeout, in seconds (Claude Code: 600).
const DEFAULT_TIMEOUT: f64 = 600.0;

impl RealHooks {
    /// Hooks run on a scratch copy of `files` (repository-relative paths to contents).
    pub fn new(files: BTreeMap<String, String>) -> Self {
        RealHooks { files, env: BTreeMap::new(), max_wait: Duration::from_secs(60) }
    }
    /// Variables the runtime sets for its hooks (Claude Code's settings `env`, the project dir
    /// variable).
    #[must_use]
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.insert(key.into(), value.into());
        self
    }
    /// The longest the harness waits for one hook, whatever its timeout says.
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    fn scratch(&self) -> Result<tempfile::TempDir, String> {
        let dir = tempfile::Builder::new().prefix("firedrill-hook-").tempdir().map_err(|e| format!("no scratch folder: {e}"))?;
        for (path, text) in &self.files {
            let rel = std::path::Path::new(path);
            if rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                continue;
            }
            let target = dir.path().join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("cannot copy `{path}`: {e}"))?;
            }
            std::fs::write(&target, text).map_err(|e| format!("cannot copy `{path}`: {e}"))?;
        }
        Ok(dir)
    }
}

impl HookRunner for RealHooks {
    fn run(&self, hook: &Hook, input: &dyn Fn(&str) -> Value) -> HookOutcome {
        let dir = match self.scratch() {
            Ok(d) => d,
            Err(e) => return HookOutcome::NotStarted(e),
        };
        let cwd = dir.path().to_string_lossy().into_owned();
        let stdin = input(&cwd).to_string();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(&hook.command).current_dir(dir.path()).env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", &cwd).env("CLAUDE_PROJECT_DIR", &cwd).env("CURSOR_PROJECT_DIR", &cwd);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // Its own process group, so a timeout ends the hook's children too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return HookOutcome::NotStarted(format!("`sh` did not start: {e}")),
        };
        if let Some(mut pipe) = child.stdin.take() {
            // A hook that exits without reading its input closes the pipe; that is its right.
            let _ = pipe.write_all(stdin.as_bytes());
        }
        let out = child.stdout.take().map(reader);
        let err = child.stderr.take().map(reader);
        let secs = hook.timeout.unwrap_or(DEFAULT_TIMEOUT).max(0.0);
        let wait = Duration::from_secs_f64(secs.min(self.max_wait.as_secs_f64()));
        let status = wait_timeout::ChildExt::wait_timeout(&mut child, wait);
        let collect = |h: Option<std::thread::JoinHandle<String>>| h.and_then(|h| h.join().ok()).unwrap_or_default();
        match status {
            Ok(Some(status)) => HookOutcome::Exited { code: status.code().unwrap_or(-1), stdout: collect(out), stderr: collect(err) },
            Ok(None) | Err(_) => {
                kill_group(&mut child);
                let _ = child.wait();
                let _ = (collect(out), collect(err));
                HookOutcome::TimedOut
            }
        }
    }
    fn describe(&self) -> &'static str {
        "run on a scratch copy of the repository"
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Ends the hook and everything it started: the group the hook leads, by its id.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
    let _ = child.kill();
}

/// The files the hook `commands` name (`./x.sh`, `"$CLAUDE_PROJECT_DIR"/.claude/hooks/x.sh`),
/// relative to the first of `roots` (the folders standing for the project root) that has them,
/// with their text: what a real hook run copies beside the repository, and what the settings'
/// findings read for the variables a script uses.
pub fn hook_scripts(commands: &[String], roots: &[&std::path::Path]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for command in commands {
        for word in command.split_whitespace() {
            let word = word.replace(['"', '\''], "");
            let rel = word
                .trim_start_matches("$CLAUDE_PROJECT_DIR/")
                .trim_start_matches("${CLAUDE_PROJECT_DIR}/")
                .trim_start_matches("$CURSOR_PROJECT_DIR/")
                .trim_start_matches("${CURSOR_PROJECT_DIR}/")
                .trim_start_matches("./");
            if rel.is_empty() || rel.starts_with('/') || rel.split('/').any(|c| c == "..") {
                continue;
            }
            if let Some(text) = roots.iter().map(|r| r.join(rel)).filter(|p| p.is_file()).find_map(|p| std::fs::read_to_string(p).ok()) {
                out.insert(rel.to_string(), text);
            }
        }
    }
    out
}

/// What a hook's outcome decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookVerdict {
    Deny(String),
    Ask(String),
    Allow(String),
    /// No opinion: the call goes on to the rules. The text says why (exit 1, a timeout).
    Pass(String),
}

/// A Claude Code `PreToolUse` hook's outcome, as the runtime reads it.
pub fn claude_verdict(hook: &Hook, outcome: &HookOutcome) -> HookVerdict {
    let name = format!("`{}` hook `{}`", hook.event, hook.command);
    match outcome {
        HookOutcome::Exited { code: 2, stderr, .. } => HookVerdict::Deny(format!("{name} exited 2: {}", first_line(stderr, "blocked"))),
        HookOutcome::Exited { code: 0, stdout, .. } => {
            let Ok(json) = serde_json::from_str::<Value>(stdout.trim()) else {
                return HookVerdict::Pass(format!("{name} exited 0 without a decision"));
            };
            let specific = json.pointer("/hookSpecificOutput/permissionDecision").and_then(Value::as_str);
            let why = json
                .pointer("/hookSpecificOutput/permissionDecisionReason")
                .or_else(|| json.get("reason"))
                .or_else(|| json.get("stopReason"))
                .and_then(Value::as_str)
                .unwrap_or("no reason given");
            if json.get("continue") == Some(&Value::Bool(false)) {
                return HookVerdict::Deny(format!("{name} answered `continue: false`, which stops the agent: {why}"));
            }
            match (specific, json.get("decision").and_then(Value::as_str)) {
                (Some("deny"), _) => HookVerdict::Deny(format!("{name} answered `permissionDecision: \"deny\"`: {why}")),
                (Some("ask"), _) => HookVerdict::Ask(format!("{name} answered `permissionDecision: \"ask\"`: {why}")),
                (Some("allow"), _) => HookVerdict::Allow(format!("{name} answered `permissionDecision: \"allow\"`: {why}")),
                (None, Some("block")) => HookVerdict::Deny(format!("{name} answered the older `decision: \"block\"`: {why}")),
                (None, Some("approve")) => HookVerdict::Allow(format!("{name} answered the older `decision: \"approve\"`: {why}")),
                _ => HookVerdict::Pass(format!("{name} exited 0 without a decision")),
            }
        }
        HookOutcome::Exited { code, .. } => {
            HookVerdict::Pass(format!("{name} exited {code}: a non-blocking error (only exit code 2 blocks), so the call goes on"))
        }
        HookOutcome::TimedOut => HookVerdict::Pass(format!("{name} timed out: a timed-out hook does not block")),
        HookOutcome::NotStarted(why) => HookVerdict::Pass(format!("{name} did not run ({why}): it does not block")),
    }
}

/// A Cursor hook's outcome, as Cursor reads it.
pub fn cursor_verdict(hook: &Hook, outcome: &HookOutcome) -> HookVerdict {
    let name = format!("`{}` hook `{}`", hook.event, hook.command);
    let failed = |what: String| {
        if hook.fail_closed {
            HookVerdict::Deny(format!("{name} {what}, and it is `failClosed`"))
        } else {
            HookVerdict::Pass(format!("{name} {what}: Cursor fails open"))
        }
    };
    match outcome {
        HookOutcome::Exited { code: 2, stderr, .. } => HookVerdict::Deny(format!("{name} exited 2: {}", first_line(stderr, "blocked"))),
        HookOutcome::Exited { code: 0, stdout, .. } => {
            let json: Value = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
            let msg = ["user_message", "userMessage", "agent_message", "agentMessage"]
                .iter()
                .find_map(|k| json.get(*k).and_then(Value::as_str))
                .unwrap_or("no message");
            match json.get("permission").and_then(Value::as_str) {
                Some("deny") => HookVerdict::Deny(format!("{name} answered `permission: \"deny\"`: {msg}")),
                Some("ask") => HookVerdict::Ask(format!("{name} answered `permission: \"ask\"`: {msg}")),
                Some("allow") => HookVerdict::Allow(format!("{name} answered `permission: \"allow\"`: {msg}")),
                _ => HookVerdict::Pass(format!("{name} exited 0 without a permission")),
            }
        }
        HookOutcome::Exited { code, .. } => failed(format!("exited {code}")),
        HookOutcome::TimedOut => failed("timed out".into()),
        HookOutcome::NotStarted(why) => failed(format!("did not run ({why})")),
    }
}

fn first_line<'a>(text: &'a str, otherwise: &'a str) -> &'a str {
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or(otherwise)
}

/// Whether a hook matcher selects `tool`: no matcher, `""` and `"*"` match all; a matcher of
/// letters, digits, `_`, `-`, spaces, `,` and `|` is a list of exact names; anything else is an
/// unanchored regular expression.
pub fn matcher_selects(matcher: Option<&str>, tool: &str) -> bool {
    let Some(m) = matcher.map(str::trim) else { return true };
    if m.is_empty() || m == "*" {
        return true;
    }
    if m.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | ',' | '|')) {
        return m.split(['|', ',']).map(str::trim).any(|name| name == tool);
    }
    // A matcher that is not a valid expression selects nothing, as a failed `RegExp` would.
    regex::Regex::new(m).is_ok_and(|re| re.is_match(tool))
}

/// The environment variables a hook command reads (`$NAME`, `${NAME}`).
pub fn env_vars(command: &str) -> Vec<String> {
    let chars: Vec<char> = command.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '$' {
            continue;
        }
        let braced = chars.get(i) == Some(&'{');
        let start = if braced { i + 1 } else { i };
        let mut end = start;
        while chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
            end += 1;
        }
        if end > start && chars.get(start).is_some_and(|c| !c.is_ascii_digit()) {
            let name: String = chars.get(start..end).unwrap_or_default().iter().collect();
            if !out.contains(&name) {
                out.push(name);
            }
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(command: &str) -> Hook {
        Hook {
            file: ".claude/settings.json".into(),
            pos: Pos::default(),
            event: "PreToolUse".into(),
            matcher: Some("Bash".into()),
            command: command.into(),
            timeout: Some(5.0),
            filter: None,
            fail_closed: false,
        }
    }

    #[test]
    fn only_exit_2_or_a_deny_decision_blocks_in_claude_code() {
        let h = hook("guard.sh");
        let deny = |o: &HookOutcome| matches!(claude_verdict(&h, o), HookVerdict::Deny(_));
        assert!(deny(&HookOutcome::exit(2, "no curl")));
        assert!(!deny(&HookOutcome::exit(1, "no curl")));
        assert!(!deny(&HookOutcome::TimedOut));
        assert!(!deny(&HookOutcome::NotStarted("missing".into())));
        assert!(deny(&HookOutcome::json(serde_json::json!({"hookSpecificOutput": {"permissionDecision": "deny"}}))));
        assert!(deny(&HookOutcome::json(serde_json::json!({"decision": "block", "reason": "x"}))));
        assert!(matches!(
            claude_verdict(&h, &HookOutcome::json(serde_json::json!({"hookSpecificOutput": {"permissionDecision": "ask"}}))),
            HookVerdict::Ask(_)
        ));
        assert!(matches!(claude_verdict(&h, &HookOutcome::exit(0, "")), HookVerdict::Pass(_)));
    }

    #[test]
    fn cursor_reads_permission_json_and_fails_open_unless_fail_closed() {
        let mut h = hook("guard.sh");
        h.event = "beforeShellExecution".into();
        assert!(matches!(cursor_verdict(&h, &HookOutcome::json(serde_json::json!({"permission": "deny"}))), HookVerdict::Deny(_)));
        assert!(matches!(cursor_verdict(&h, &HookOutcome::json(serde_json::json!({"permission": "ask"}))), HookVerdict::Ask(_)));
        assert!(matches!(cursor_verdict(&h, &HookOutcome::exit(1, "")), HookVerdict::Pass(_)));
        h.fail_closed = true;
        assert!(matches!(cursor_verdict(&h, &HookOutcome::TimedOut), HookVerdict::Deny(_)));
    }

    #[test]
    fn matchers_are_exact_lists_or_expressions() {
        for (matcher, tool, expected) in [
            (None, "Bash", true),
            (Some(""), "Bash", true),
            (Some("*"), "Read", true),
            (Some("Bash"), "Bash", true),
            (Some("Bash"), "BashOutput", false),
            (Some("Edit|Write"), "Write", true),
            (Some("Edit, Write"), "Write", true),
            (Some("mcp__railway__.*"), "mcp__railway__volume_delete", true),
            (Some("mcp__railway"), "mcp__railway__volume_delete", false),
            (Some("Ba.*"), "Bash", true),
            (Some("(unclosed"), "Bash", false),
        ] {
            assert_eq!(matcher_selects(matcher, tool), expected, "{matcher:?} vs {tool}");
        }
    }

    #[test]
    fn the_variables_a_command_reads_are_found() {
        assert_eq!(env_vars("echo $CLAUDE_TOOL_INPUT ${CLAUDE_PROJECT_DIR}/x $1 $$"), ["CLAUDE_TOOL_INPUT", "CLAUDE_PROJECT_DIR"]);
    }

    #[test]
    fn declared_hooks_answer_by_command() {
        let d = DeclaredHooks::new().hook("guard.sh", HookOutcome::exit(2, "no"));
        assert_eq!(d.run(&hook("guard.sh"), &|_| Value::Null), HookOutcome::exit(2, "no"));
        assert!(matches!(d.run(&hook("other.sh"), &|_| Value::Null), HookOutcome::NotStarted(_)));
    }

    #[test]
    fn a_real_hook_reads_the_documented_json_on_stdin_in_a_scratch_copy() {
        let files = BTreeMap::from([(
            "guard.sh".to_string(),
            "grep -q '\"command\":\"curl' && { echo 'curl is not allowed' >&2; exit 2; }\nexit 0\n".to_string(),
        )]);
        let real = RealHooks::new(files);
        let input = |cwd: &str| serde_json::json!({"cwd": cwd, "tool_name": "Bash", "tool_input": {"command": "curl x"}});
        match real.run(&hook("sh guard.sh"), &input) {
            HookOutcome::Exited { code, stderr, .. } => assert_eq!((code, stderr.trim()), (2, "curl is not allowed")),
            other => panic!("{other:?}"),
        }
        let ls = |cwd: &str| serde_json::json!({"cwd": cwd, "tool_name": "Bash", "tool_input": {"command": "ls"}});
        assert!(matches!(real.run(&hook("sh guard.sh"), &ls), HookOutcome::Exited { code: 0, .. }));
    }

    #[test]
    fn a_real_hook_that_outlives_its_timeout_is_ended_and_reported() {
        let real = RealHooks::new(BTreeMap::new());
        let mut h = hook("sleep 600");
        h.timeout = Some(0.2);
        assert_eq!(real.run(&h, &|_| Value::Null), HookOutcome::TimedOut);
    }

    #[test]
    fn a_real_hook_sees_only_the_scrubbed_environment() {
        let real = RealHooks::new(BTreeMap::new()).env("TEAM_FLAG", "on");
        let h = hook("test -z \"$CARGO\" && test \"$TEAM_FLAG\" = on && test \"$CLAUDE_PROJECT_DIR\" = \"$PWD\"");
        assert!(matches!(real.run(&h, &|_| Value::Null), HookOutcome::Exited { code: 0, .. }));
    }
}
