//! Cursor's settings as Cursor loads them: `.cursor/cli.json` (`permissions.allow`/`deny` with
//! `Shell(...)`, `Read(...)`, `Write(...)`, `WebFetch(...)`, `Mcp(...)`), `permissions.json`
//! (JSON with comments: `mcpAllowlist`, `terminalAllowlist`, `autoRun`; user and workspace
//! arrays concatenated; unknown keys ignored; non-string entries dropped), `.cursor/hooks.json`
//! and `.cursorignore`, with a finding for everything Cursor would ignore.

use super::claude_settings::nearest;
use super::command::CommandPattern;
use super::finding::{Finding, FindingKind};
use super::glob;
use super::hooks::{Hook, env_vars};
use super::json::{self, Node, Pos};

/// Which of Cursor's files a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CursorFileKind {
    Cli,
    Permissions,
    Hooks,
    Ignore,
}

impl CursorFileKind {
    pub fn name(self) -> &'static str {
        match self {
            CursorFileKind::Cli => "cli",
            CursorFileKind::Permissions => "permissions",
            CursorFileKind::Hooks => "hooks",
            CursorFileKind::Ignore => "ignore",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [CursorFileKind::Cli, CursorFileKind::Permissions, CursorFileKind::Hooks, CursorFileKind::Ignore]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// The kind a file's name says: `cli.json`, `permissions.json`, `hooks.json`, `.cursorignore`.
    pub fn of_path(path: &str) -> Option<Self> {
        match path.rsplit('/').next().unwrap_or(path) {
            "cli.json" | "cli-config.json" => Some(CursorFileKind::Cli),
            "permissions.json" => Some(CursorFileKind::Permissions),
            "hooks.json" => Some(CursorFileKind::Hooks),
            ".cursorignore" => Some(CursorFileKind::Ignore),
            _ => None,
        }
    }
}

/// One of the team's Cursor files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CursorFile {
    pub name: String,
    pub kind: CursorFileKind,
    pub text: String,
}

/// Cursor's run modes for agent tool calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RunMode {
    /// Allowlisted calls run; the rest goes to Cursor's classifier.
    AutoReview,
    /// Only allowlisted calls run unattended; the rest prompts.
    #[default]
    Allowlist,
    /// Nothing prompts.
    RunEverything,
}

impl RunMode {
    pub const ALL: [RunMode; 3] = [RunMode::AutoReview, RunMode::Allowlist, RunMode::RunEverything];

    pub fn name(self) -> &'static str {
        match self {
            RunMode::AutoReview => "auto-review",
            RunMode::Allowlist => "allowlist",
            RunMode::RunEverything => "run-everything",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        RunMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// A CLI permission rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CliRule {
    Shell(CommandPattern),
    Read(String),
    Write(String),
    WebFetch(String),
    Mcp { server: String, tool: String },
    Nothing,
}

/// A rule or allowlist entry and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CursorEntry<T> {
    pub file: String,
    /// `allow`, `deny`, `terminalAllowlist`, `mcpAllowlist`, `.cursorignore`.
    pub list: &'static str,
    pub pos: Pos,
    pub text: String,
    pub rule: T,
}

/// A `.cursorignore` line: the absolute pattern, and whether it is a `!` exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreLine {
    pub pattern: String,
    pub negated: bool,
}

/// Cursor's merged settings.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CursorSettings {
    pub cli: Vec<CursorEntry<CliRule>>,
    pub terminal: Vec<CursorEntry<CommandPattern>>,
    /// `server:tool` entries, `*` allowed on either side.
    pub mcp: Vec<CursorEntry<(String, String)>>,
    pub auto_run: Vec<String>,
    pub ignore: Vec<CursorEntry<IgnoreLine>>,
    pub hooks: Vec<Hook>,
    pub findings: Vec<Finding>,
    pub files: Vec<String>,
    pub cwd: String,
    pub home: String,
}

/// Cursor's hook events.
pub const HOOK_EVENTS: [&str; 20] = [
    "beforeShellExecution",
    "afterShellExecution",
    "beforeMCPExecution",
    "afterMCPExecution",
    "beforeReadFile",
    "afterFileEdit",
    "beforeSubmitPrompt",
    "stop",
    "afterAgentResponse",
    "afterAgentThought",
    "preToolUse",
    "postToolUse",
    "postToolUseFailure",
    "sessionStart",
    "sessionEnd",
    "subagentStart",
    "subagentStop",
    "preCompact",
    "beforeTabFileRead",
    "afterTabFileEdit",
];

/// The variables Cursor sets for its hooks.
const HOOK_VARS: [&str; 5] = ["CURSOR_PROJECT_DIR", "CURSOR_VERSION", "CURSOR_USER_EMAIL", "CURSOR_TRANSCRIPT_PATH", "CLAUDE_PROJECT_DIR"];

const PERMISSION_KEYS: [&str; 3] = ["mcpAllowlist", "terminalAllowlist", "autoRun"];

/// The settings `files` make, with `cwd` the workspace root.
pub fn load(files: &[CursorFile], cwd: &str, home: &str) -> CursorSettings {
    let mut s = CursorSettings {
        files: files.iter().map(|f| f.name.clone()).collect(),
        cwd: cwd.into(),
        home: home.into(),
        ..CursorSettings::default()
    };
    for f in files {
        match f.kind {
            CursorFileKind::Ignore => ignore(&mut s, f),
            CursorFileKind::Permissions => {
                if let Some(root) = parse(&mut s, f, true) {
                    permissions(&mut s, f, &root);
                }
            }
            CursorFileKind::Cli => {
                if let Some(root) = parse(&mut s, f, false) {
                    cli(&mut s, f, &root);
                }
            }
            CursorFileKind::Hooks => {
                if let Some(root) = parse(&mut s, f, false) {
                    hooks(&mut s, f, &root);
                }
            }
        }
    }
    s.findings.sort();
    s
}

/// Parses a JSON file; `comments` says whether Cursor documents comments as allowed in it. For
/// `cli.json` and `hooks.json` it does not, so a file with comments is simulated as refused
/// (its deny rules and hooks do not apply): the weaker protection.
fn parse(s: &mut CursorSettings, f: &CursorFile, comments: bool) -> Option<Node> {
    match json::parse(&f.text) {
        Err(e) => {
            s.findings.push(Finding::new(
                &f.name,
                e.pos,
                FindingKind::FileRefused,
                format!("not valid JSON ({}): Cursor ignores this file", e.message),
            ));
            None
        }
        Ok(doc) => {
            if !comments && (!doc.comments.is_empty() || !doc.trailing_commas.is_empty()) {
                let first = doc.comments.iter().chain(&doc.trailing_commas).min().copied().unwrap_or_default();
                s.findings.push(Finding::new(
                    &f.name,
                    first,
                    FindingKind::FileRefused,
                    "Cursor documents comments only for permissions.json: this file is simulated as refused, so none of it applies (the weaker protection)",
                ));
                return None;
            }
            if doc.root.as_object().is_none() {
                s.findings.push(Finding::new(
                    &f.name,
                    doc.root.pos,
                    FindingKind::FileRefused,
                    "the file is a JSON object; Cursor ignores it",
                ));
                return None;
            }
            Some(doc.root)
        }
    }
}

fn strings<'a>(s: &mut CursorSettings, f: &CursorFile, key: &str, node: &'a Node) -> Vec<(&'a str, Pos)> {
    let Some(items) = node.as_array() else {
        s.findings.push(Finding::new(
            &f.name,
            node.pos,
            FindingKind::WrongType,
            format!("`{key}` is {}, not a list: ignored", node.kind()),
        ));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.as_str() {
            Some(t) => Some((t, item.pos)),
            None => {
                s.findings.push(Finding::new(
                    &f.name,
                    item.pos,
                    FindingKind::WrongType,
                    format!("{} in `{key}` is not a string: dropped", item.kind()),
                ));
                None
            }
        })
        .collect()
}

fn permissions(s: &mut CursorSettings, f: &CursorFile, root: &Node) {
    for (key, value) in root.as_object().unwrap_or_default() {
        match key.name.as_str() {
            "terminalAllowlist" => {
                for (text, pos) in strings(s, f, "terminalAllowlist", value) {
                    let rule = command_base(text);
                    s.terminal.push(CursorEntry { file: f.name.clone(), list: "terminalAllowlist", pos, text: text.into(), rule });
                }
            }
            "mcpAllowlist" => {
                for (text, pos) in strings(s, f, "mcpAllowlist", value) {
                    let (server, tool) = text.split_once(':').unwrap_or((text, "*"));
                    s.mcp.push(CursorEntry {
                        file: f.name.clone(),
                        list: "mcpAllowlist",
                        pos,
                        text: text.into(),
                        rule: (server.into(), tool.into()),
                    });
                }
            }
            "autoRun" => match &value.value {
                json::Value::String(t) => s.auto_run.push(t.clone()),
                json::Value::Array(_) => {
                    let texts: Vec<String> = strings(s, f, "autoRun", value).into_iter().map(|(t, _)| t.to_string()).collect();
                    s.auto_run.extend(texts);
                }
                _ => s.findings.push(Finding::new(&f.name, value.pos, FindingKind::WrongType, "`autoRun` is guidance text: ignored")),
            },
            other => {
                let hint = nearest(other, &PERMISSION_KEYS).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
                s.findings.push(Finding::new(
                    &f.name,
                    key.pos,
                    FindingKind::UnknownKey,
                    format!("`{other}` is not a key Cursor reads: ignored{hint}"),
                ));
            }
        }
    }
}

/// An allowlisted command base: any arguments after it are allowed (Cursor does not specify
/// how entries match arguments; the weaker protection is taken).
fn command_base(text: &str) -> CommandPattern {
    let text = text.trim();
    if text.contains('*') { CommandPattern::parse(text) } else { CommandPattern::Prefix(text.to_string()) }
}

fn cli(s: &mut CursorSettings, f: &CursorFile, root: &Node) {
    let Some(perms) = root.get("permissions") else { return };
    if perms.as_object().is_none() {
        s.findings.push(Finding::new(
            &f.name,
            perms.pos,
            FindingKind::WrongType,
            "`permissions` is an object with `allow` and `deny`: ignored",
        ));
        return;
    }
    for (key, value) in perms.as_object().unwrap_or_default() {
        let list = match key.name.as_str() {
            "allow" => "allow",
            "deny" => "deny",
            other => {
                s.findings.push(Finding::new(
                    &f.name,
                    key.pos,
                    FindingKind::UnknownKey,
                    format!("`permissions.{other}` is not a key Cursor reads: ignored"),
                ));
                continue;
            }
        };
        for (text, pos) in strings(s, f, list, value) {
            let rule = cli_rule(s, f, text, pos);
            s.cli.push(CursorEntry { file: f.name.clone(), list, pos, text: text.into(), rule });
        }
    }
}

fn cli_rule(s: &mut CursorSettings, f: &CursorFile, text: &str, pos: Pos) -> CliRule {
    let mut problem = |kind, message: String| s.findings.push(Finding::new(&f.name, pos, kind, message));
    let Some((name, rest)) = text.split_once('(') else {
        problem(
            FindingKind::NotARule,
            format!("`{text}` is not a rule (Cursor's are `Shell(…)`, `Read(…)`, `Write(…)`, `WebFetch(…)`, `Mcp(…)`): ignored"),
        );
        return CliRule::Nothing;
    };
    let Some(spec) = rest.strip_suffix(')') else {
        problem(FindingKind::NotARule, format!("`{text}` has no closing parenthesis: ignored"));
        return CliRule::Nothing;
    };
    if spec.trim() != spec {
        problem(
            FindingKind::SpacesInRule,
            format!("spaces inside the parentheses of `{text}`: read literally, it matches nothing; write `{name}({})`", spec.trim()),
        );
        return CliRule::Nothing;
    }
    let (cwd, home) = (s.cwd.clone(), s.home.clone());
    let path = |p: &str| if p.starts_with('/') || p.starts_with("~/") { glob::normalize(&cwd, &home, p) } else { glob::anchored(&cwd, p) };
    match name {
        "Shell" => CliRule::Shell(match spec.strip_suffix(":*") {
            Some(base) => CommandPattern::Prefix(base.to_string()),
            None => command_base(spec),
        }),
        "Read" => CliRule::Read(path(spec)),
        "Write" => CliRule::Write(path(spec)),
        "WebFetch" => CliRule::WebFetch(spec.trim_start_matches("domain:").to_ascii_lowercase()),
        "Mcp" => {
            let (server, tool) = spec.split_once(':').unwrap_or((spec, "*"));
            CliRule::Mcp { server: server.into(), tool: tool.into() }
        }
        "Bash" => {
            problem(
                FindingKind::LegacyToolName,
                format!("`{text}` is Claude Code's name: Cursor's is `Shell({spec})`, and it ignores this rule"),
            );
            CliRule::Nothing
        }
        other => {
            problem(FindingKind::UnknownTool, format!("`{other}` is not a Cursor permission type: ignored"));
            CliRule::Nothing
        }
    }
}

fn ignore(s: &mut CursorSettings, f: &CursorFile) {
    for (i, line) in f.text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (negated, pat) = match trimmed.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, trimmed),
        };
        let pattern = match pat.strip_prefix('/') {
            Some(rest) => format!("{}/{rest}", s.cwd.trim_end_matches('/')),
            None => glob::anchored(&s.cwd, pat),
        };
        let pos = Pos { line: i + 1, column: 1 };
        s.ignore.push(CursorEntry {
            file: f.name.clone(),
            list: ".cursorignore",
            pos,
            text: trimmed.into(),
            rule: IgnoreLine { pattern, negated },
        });
    }
}

fn hooks(s: &mut CursorSettings, f: &CursorFile, root: &Node) {
    let Some(events) = root.get("hooks").and_then(Node::as_object) else {
        if let Some(h) = root.get("hooks") {
            s.findings.push(Finding::new(&f.name, h.pos, FindingKind::WrongType, "`hooks` is an object of events: ignored"));
        }
        return;
    };
    for (event, entries) in events {
        if !HOOK_EVENTS.contains(&event.name.as_str()) {
            let hint = nearest(&event.name, &HOOK_EVENTS).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default();
            s.findings.push(Finding::new(
                &f.name,
                event.pos,
                FindingKind::UnknownHookEvent,
                format!("`{}` is not a Cursor hook event: Cursor silently ignores it{hint}", event.name),
            ));
            continue;
        }
        for (command, pos) in hook_entries(s, f, &event.name, entries) {
            let entry = command.1;
            let hook = Hook {
                file: f.name.clone(),
                pos,
                event: event.name.clone(),
                matcher: entry.get("matcher").and_then(Node::as_str).map(str::to_string),
                command: command.0,
                timeout: entry.get("timeout").and_then(Node::as_f64),
                filter: None,
                fail_closed: entry.get("failClosed").and_then(Node::as_bool).unwrap_or(false),
            };
            for var in env_vars(&hook.command) {
                if (var.starts_with("CURSOR_") || var.starts_with("CLAUDE_")) && !HOOK_VARS.contains(&var.as_str()) {
                    s.findings.push(Finding::new(
                        &f.name,
                        pos,
                        FindingKind::UnsetEnvVar,
                        format!("the hook reads `${var}`, which Cursor never sets: hooks get the call as JSON on stdin"),
                    ));
                }
            }
            s.hooks.push(hook);
        }
    }
}

type Entry<'a> = ((String, &'a Node), Pos);

fn hook_entries<'a>(s: &mut CursorSettings, f: &CursorFile, event: &str, entries: &'a Node) -> Vec<Entry<'a>> {
    let Some(items) = entries.as_array() else {
        s.findings.push(Finding::new(&f.name, entries.pos, FindingKind::WrongType, format!("`{event}` is a list of hooks: ignored")));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let ty = item.get("type").and_then(Node::as_str).unwrap_or("command");
        match (ty, item.get("command").and_then(Node::as_str)) {
            ("command", Some(c)) => out.push(((c.to_string(), item), item.get("command").map_or(item.pos, |n| n.pos))),
            ("command", None) => {
                let nested = if item.get("hooks").is_some() {
                    ": Cursor's entries are flat, `{\"command\": …}`, not Claude Code's nested `hooks`"
                } else {
                    ""
                };
                s.findings.push(Finding::new(
                    &f.name,
                    item.pos,
                    FindingKind::HookIgnored,
                    format!("a `{event}` hook without a `command` runs nothing{nested}"),
                ));
            }
            (other, _) => s.findings.push(Finding::new(
                &f.name,
                item.pos,
                FindingKind::HookIgnored,
                format!("a `{other}` hook is not simulated: the harness takes it as never blocking, the weaker protection"),
            )),
        }
    }
    out
}
