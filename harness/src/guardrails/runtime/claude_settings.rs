//! Claude Code's settings as Claude Code loads them: the layers (managed policy, command-line
//! flags, `.claude/settings.local.json`, `.claude/settings.json`, the user's
//! `~/.claude/settings.json`), each read as strict JSON, merged (rule lists concatenate; a scalar
//! such as `defaultMode` comes from the highest layer that sets it; managed
//! `allowManagedPermissionRulesOnly` drops every other layer's rules), with a finding for each
//! thing the runtime would read differently from how it looks, or ignore.

use std::collections::BTreeMap;

use super::command::PrefixBoundary;
use super::finding::{Finding, FindingKind};
use super::hooks::{Hook, env_vars};
use super::json::{self, Node, Pos};
use super::rule::{Anchors, Rule};

/// A settings layer, highest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaudeLayer {
    Managed,
    /// Command-line flags (`--permission-mode`, `--allowedTools`), given as a settings file.
    Flags,
    Local,
    Project,
    User,
}

impl ClaudeLayer {
    pub fn name(self) -> &'static str {
        match self {
            ClaudeLayer::Managed => "managed",
            ClaudeLayer::Flags => "flags",
            ClaudeLayer::Local => "local",
            ClaudeLayer::Project => "project",
            ClaudeLayer::User => "user",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [ClaudeLayer::Managed, ClaudeLayer::Flags, ClaudeLayer::Local, ClaudeLayer::Project, ClaudeLayer::User]
            .into_iter()
            .find(|l| l.name() == name)
    }

    /// The layer a file's name says it is: `managed-settings.json`, `settings.local.json`, a
    /// `settings.json` under the home folder's `.claude`, or the project's `settings.json`.
    pub fn of_path(path: &str, home: &str) -> ClaudeLayer {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.starts_with("managed-settings") {
            ClaudeLayer::Managed
        } else if name == "settings.local.json" {
            ClaudeLayer::Local
        } else if !home.is_empty() && path.starts_with(&format!("{}/.claude/", home.trim_end_matches('/'))) {
            ClaudeLayer::User
        } else {
            ClaudeLayer::Project
        }
    }
}

/// A permission mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaudeMode {
    Default,
    AcceptEdits,
    Plan,
    Auto,
    DontAsk,
    BypassPermissions,
}

impl ClaudeMode {
    pub const ALL: [ClaudeMode; 6] = [
        ClaudeMode::Default,
        ClaudeMode::AcceptEdits,
        ClaudeMode::Plan,
        ClaudeMode::Auto,
        ClaudeMode::DontAsk,
        ClaudeMode::BypassPermissions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ClaudeMode::Default => "default",
            ClaudeMode::AcceptEdits => "acceptEdits",
            ClaudeMode::Plan => "plan",
            ClaudeMode::Auto => "auto",
            ClaudeMode::DontAsk => "dontAsk",
            ClaudeMode::BypassPermissions => "bypassPermissions",
        }
    }

    /// A mode by its settings name; `manual` is the documented alias of `default`.
    pub fn parse(name: &str) -> Option<Self> {
        if name == "manual" {
            return Some(ClaudeMode::Default);
        }
        ClaudeMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Which list a rule is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    Deny,
    Ask,
    Allow,
}

impl List {
    pub fn name(self) -> &'static str {
        match self {
            List::Deny => "deny",
            List::Ask => "ask",
            List::Allow => "allow",
        }
    }
}

/// A rule and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedRule {
    pub file: String,
    pub layer: ClaudeLayer,
    pub list: List,
    pub pos: Pos,
    pub rule: Rule,
}

/// One settings file as given: its name (for findings), layer and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsFile {
    pub name: String,
    pub layer: ClaudeLayer,
    pub text: String,
}

/// Claude Code's merged settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaudeSettings {
    pub rules: Vec<PlacedRule>,
    /// `defaultMode` from the highest layer that sets a mode Claude Code accepts, and its file.
    pub mode: Option<(ClaudeMode, String)>,
    pub bypass_disabled: bool,
    pub auto_disabled: bool,
    /// `PreToolUse` hooks (the only event that decides a tool call before it runs).
    pub hooks: Vec<Hook>,
    /// Hooks on other events: they decide no tool call, and are kept for their findings.
    pub other_hooks: Vec<Hook>,
    pub hooks_disabled: bool,
    /// The settings' `env`, which the runtime also sets for hooks.
    pub env: BTreeMap<String, String>,
    pub findings: Vec<Finding>,
    pub files: Vec<String>,
    pub boundary: PrefixBoundary,
    pub cwd: String,
    pub home: String,
}

/// The hook events Claude Code has (SchemaStore's schema of its settings).
pub const HOOK_EVENTS: [&str; 31] = [
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PermissionRequest",
    "Notification",
    "UserPromptSubmit",
    "Stop",
    "StopFailure",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "Elicitation",
    "ElicitationResult",
    "TeammateIdle",
    "TaskCompleted",
    "Setup",
    "InstructionsLoaded",
    "CwdChanged",
    "FileChanged",
    "ConfigChange",
    "WorktreeCreate",
    "WorktreeRemove",
    "SessionStart",
    "SessionEnd",
    "PostToolBatch",
    "TaskCreated",
    "PermissionDenied",
    "UserPromptExpansion",
    "MessageDisplay",
    "DirectoryAdded",
];

/// Events whose matcher the runtime ignores (the hook runs on every occurrence).
const NO_MATCHER: [&str; 10] = [
    "UserPromptSubmit",
    "Stop",
    "TeammateIdle",
    "TaskCompleted",
    "InstructionsLoaded",
    "CwdChanged",
    "WorktreeCreate",
    "WorktreeRemove",
    "PostToolBatch",
    "TaskCreated",
];

/// The variables Claude Code sets for its command hooks, besides the settings' `env`.
const HOOK_VARS: [&str; 4] = ["CLAUDE_PROJECT_DIR", "CLAUDE_PLUGIN_ROOT", "CLAUDE_ENV_FILE", "CLAUDE_CODE_REMOTE"];

/// Names of the `permissions` object Claude Code reads.
const PERMISSION_KEYS: [&str; 7] =
    ["allow", "ask", "deny", "defaultMode", "disableBypassPermissionsMode", "disableAutoMode", "additionalDirectories"];

/// The settings a list of files make, with `cwd` (the project root) and `home` anchoring paths.
/// `project_files` are the repository's files (paths to contents), read to find what the hook
/// scripts they name read.
pub fn load(files: &[SettingsFile], cwd: &str, home: &str, project_files: &BTreeMap<String, String>) -> ClaudeSettings {
    let mut s = ClaudeSettings {
        rules: Vec::new(),
        mode: None,
        bypass_disabled: false,
        auto_disabled: false,
        hooks: Vec::new(),
        other_hooks: Vec::new(),
        hooks_disabled: false,
        env: BTreeMap::new(),
        findings: Vec::new(),
        files: files.iter().map(|f| f.name.clone()).collect(),
        boundary: PrefixBoundary::default(),
        cwd: cwd.to_string(),
        home: home.to_string(),
    };
    let mut ordered: Vec<&SettingsFile> = files.iter().collect();
    ordered.sort_by_key(|f| f.layer);
    let mut modes: Vec<(ClaudeLayer, ClaudeMode, String, Pos)> = Vec::new();
    let mut hooks_disabled: Option<(ClaudeLayer, bool)> = None;
    let mut managed_rules_only = false;
    let mut managed_hooks_only = false;
    let mut parsed: Vec<(&SettingsFile, Node)> = Vec::new();
    for f in &ordered {
        match json::parse(&f.text) {
            Err(e) => s.findings.push(Finding::new(
                &f.name,
                e.pos,
                FindingKind::FileRefused,
                format!("not valid JSON ({}): Claude Code ignores this whole file, so none of its settings apply", e.message),
            )),
            Ok(doc) => {
                let strict_breaks = !doc.comments.is_empty() || !doc.trailing_commas.is_empty();
                for c in &doc.comments {
                    s.findings.push(Finding::new(
                        &f.name,
                        *c,
                        FindingKind::CommentInStrictJson,
                        "a comment in a file Claude Code reads as strict JSON",
                    ));
                }
                for c in &doc.trailing_commas {
                    s.findings.push(Finding::new(
                        &f.name,
                        *c,
                        FindingKind::CommentInStrictJson,
                        "a trailing comma in a file Claude Code reads as strict JSON",
                    ));
                }
                if strict_breaks {
                    let first = doc.comments.iter().chain(&doc.trailing_commas).min().copied().unwrap_or_default();
                    s.findings.push(Finding::new(
                        &f.name,
                        first,
                        FindingKind::FileRefused,
                        "Claude Code reads settings as strict JSON: with comments or trailing commas it refuses this file, so none of its rules, modes or hooks apply",
                    ));
                    continue;
                }
                if doc.root.as_object().is_none() {
                    s.findings.push(Finding::new(
                        &f.name,
                        doc.root.pos,
                        FindingKind::FileRefused,
                        "settings are a JSON object; Claude Code ignores this file",
                    ));
                    continue;
                }
                if f.layer == ClaudeLayer::Managed {
                    managed_rules_only |= doc.root.get("allowManagedPermissionRulesOnly").and_then(Node::as_bool) == Some(true);
                    managed_hooks_only |= doc.root.get("allowManagedHooksOnly").and_then(Node::as_bool) == Some(true);
                }
                parsed.push((f, doc.root));
            }
        }
    }
    for (f, root) in &parsed {
        let anchors = Anchors {
            cwd: cwd.to_string(),
            home: home.to_string(),
            settings_root: if f.layer == ClaudeLayer::User { home.to_string() } else { cwd.to_string() },
        };
        if let Some(env) = root.get("env").and_then(Node::as_object) {
            for (k, v) in env {
                if let Some(v) = v.as_str() {
                    s.env.entry(k.name.clone()).or_insert_with(|| v.to_string());
                }
            }
        }
        if let Some(d) = root.get("disableAllHooks").and_then(Node::as_bool)
            && hooks_disabled.is_none()
        {
            hooks_disabled = Some((f.layer, d));
        }
        if let Some(perms) = root.get("permissions") {
            let dropped = managed_rules_only && f.layer != ClaudeLayer::Managed;
            permissions(&mut s, f, perms, &anchors, dropped, &mut modes);
        }
        if let Some(hooks) = root.get("hooks") {
            let dropped = managed_hooks_only && f.layer != ClaudeLayer::Managed;
            hook_settings(&mut s, f, hooks, &anchors, dropped);
        }
    }
    s.hooks_disabled = hooks_disabled.is_some_and(|(_, d)| d);
    modes.sort_by_key(|(layer, _, _, _)| *layer);
    for (_, mode, file, pos) in modes {
        match mode {
            ClaudeMode::BypassPermissions if s.bypass_disabled => {
                s.findings.push(Finding::new(
                    &file,
                    pos,
                    FindingKind::ModeIgnored,
                    "`bypassPermissions` is disabled by `disableBypassPermissionsMode`",
                ));
            }
            ClaudeMode::Auto if s.auto_disabled => {
                s.findings.push(Finding::new(&file, pos, FindingKind::ModeIgnored, "`auto` is disabled by `disableAutoMode`"));
            }
            m => {
                s.mode = Some((m, file));
                break;
            }
        }
    }
    let env_keys: Vec<String> = s.env.keys().cloned().collect();
    for h in s.hooks.iter().chain(&s.other_hooks) {
        unset_vars(&mut s.findings, h, &env_keys, project_files);
    }
    s.findings.sort();
    s
}

fn permissions(
    s: &mut ClaudeSettings,
    f: &SettingsFile,
    perms: &Node,
    anchors: &Anchors,
    dropped: bool,
    modes: &mut Vec<(ClaudeLayer, ClaudeMode, String, Pos)>,
) {
    let Some(members) = perms.as_object() else {
        s.findings.push(Finding::new(
            &f.name,
            perms.pos,
            FindingKind::WrongType,
            format!("`permissions` is {}, not an object: ignored", perms.kind()),
        ));
        return;
    };
    for (key, value) in members {
        if !PERMISSION_KEYS.contains(&key.name.as_str()) {
            let hint = PERMISSION_KEYS
                .iter()
                .find(|k| k.eq_ignore_ascii_case(&key.name))
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            s.findings.push(Finding::new(
                &f.name,
                key.pos,
                FindingKind::UnknownKey,
                format!("`permissions.{}` is not a setting Claude Code reads{hint}", key.name),
            ));
            continue;
        }
        let list = match key.name.as_str() {
            "allow" => List::Allow,
            "ask" => List::Ask,
            "deny" => List::Deny,
            "defaultMode" => {
                match value.as_str().map(|m| (m, ClaudeMode::parse(m))) {
                    Some((_, Some(mode))) => modes.push((f.layer, mode, f.name.clone(), value.pos)),
                    Some((m, None)) => s.findings.push(Finding::new(
                        &f.name,
                        value.pos,
                        FindingKind::ModeIgnored,
                        format!("`{m}` is not a permission mode Claude Code documents: simulated as not set"),
                    )),
                    None => s.findings.push(Finding::new(&f.name, value.pos, FindingKind::WrongType, "`defaultMode` is a string: ignored")),
                }
                continue;
            }
            "disableBypassPermissionsMode" => {
                s.bypass_disabled |= value.as_str() == Some("disable");
                continue;
            }
            "disableAutoMode" => {
                s.auto_disabled |= value.as_str() == Some("disable");
                continue;
            }
            _ => continue,
        };
        let Some(items) = value.as_array() else {
            s.findings.push(Finding::new(
                &f.name,
                value.pos,
                FindingKind::WrongType,
                format!("`{}` is {}, not a list of rules: ignored", key.name, value.kind()),
            ));
            continue;
        };
        if dropped && !items.is_empty() {
            s.findings.push(Finding::new(
                &f.name,
                value.pos,
                FindingKind::DroppedByManagedPolicy,
                format!("managed settings set `allowManagedPermissionRulesOnly`: these {} `{}` rules are dropped", items.len(), key.name),
            ));
            continue;
        }
        for item in items {
            let Some(text) = item.as_str() else {
                s.findings.push(Finding::new(
                    &f.name,
                    item.pos,
                    FindingKind::WrongType,
                    format!("{} in `{}` is not a rule: dropped", item.kind(), key.name),
                ));
                continue;
            };
            let rule = Rule::parse(text, list.name(), anchors);
            for (kind, message) in &rule.problems {
                s.findings.push(Finding::new(&f.name, item.pos, *kind, message.clone()));
            }
            s.rules.push(PlacedRule { file: f.name.clone(), layer: f.layer, list, pos: item.pos, rule });
        }
    }
}

/// The edit distance of two short names, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or_default();
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let old = row.get(j + 1).copied().unwrap_or_default();
            let left = row.get(j).copied().unwrap_or_default();
            let value = (old + 1).min(left + 1).min(prev + usize::from(ca != *cb));
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
            prev = old;
        }
    }
    row.last().copied().unwrap_or_default()
}

/// The nearest of `names` to `name`, if close.
pub fn nearest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    names
        .iter()
        .map(|n| {
            let other = n.to_ascii_lowercase();
            // A shortened name (`beforeShellExec`) is as near as a typo.
            let shortened = lower.len() >= 6 && (other.starts_with(&lower) || lower.starts_with(&other));
            (if shortened { 1 } else { distance(&lower, &other) }, *n)
        })
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

fn hook_settings(s: &mut ClaudeSettings, f: &SettingsFile, hooks: &Node, anchors: &Anchors, dropped: bool) {
    let Some(events) = hooks.as_object() else {
        s.findings.push(Finding::new(
            &f.name,
            hooks.pos,
            FindingKind::WrongType,
            format!("`hooks` is {}, not an object: ignored", hooks.kind()),
        ));
        return;
    };
    for (event, entries) in events {
        if !HOOK_EVENTS.contains(&event.name.as_str()) {
            let hint = nearest(&event.name, &HOOK_EVENTS).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default();
            s.findings.push(Finding::new(
                &f.name,
                event.pos,
                FindingKind::UnknownHookEvent,
                format!("`{}` is not a Claude Code hook event: its hooks never run{hint}", event.name),
            ));
            continue;
        }
        let Some(entries) = entries.as_array() else {
            s.findings.push(Finding::new(
                &f.name,
                entries.pos,
                FindingKind::WrongType,
                format!("`{}` is {}, not a list of matchers: ignored", event.name, entries.kind()),
            ));
            continue;
        };
        for entry in entries {
            if entry.as_object().is_none() {
                s.findings.push(Finding::new(
                    &f.name,
                    entry.pos,
                    FindingKind::WrongType,
                    "a hook entry is an object `{\"matcher\": …, \"hooks\": […]}`: ignored",
                ));
                continue;
            }
            let matcher = entry.get("matcher").and_then(Node::as_str).map(str::to_string);
            if let (Some(m), true) = (&matcher, NO_MATCHER.contains(&event.name.as_str()))
                && let Some(node) = entry.get("matcher")
            {
                s.findings.push(Finding::new(
                    &f.name,
                    node.pos,
                    FindingKind::MatcherIgnored,
                    format!("`{}` takes no matcher: `{m}` is ignored and the hook runs on every `{}`", event.name, event.name),
                ));
            }
            let Some(inner) = entry.get("hooks").and_then(Node::as_array) else {
                let what = if entry.get("command").is_some() {
                    "has a `command` but no inner `hooks` array"
                } else {
                    "has no inner `hooks` array"
                };
                s.findings.push(Finding::new(
                    &f.name,
                    entry.pos,
                    FindingKind::MissingHooksArray,
                    format!("this `{}` entry {what}: Claude Code runs nothing for it; write `{{\"matcher\": …, \"hooks\": [{{\"type\": \"command\", \"command\": …}}]}}`", event.name),
                ));
                continue;
            };
            for h in inner {
                let ty = h.get("type").and_then(Node::as_str).unwrap_or("command");
                if let Some(t) = h.get("timeout").and_then(Node::as_f64)
                    && t >= 1000.0
                {
                    let pos = h.get("timeout").map_or(h.pos, |n| n.pos);
                    s.findings.push(Finding::new(
                        &f.name,
                        pos,
                        FindingKind::TimeoutInMilliseconds,
                        format!("`timeout` is in seconds: {t} is {:.0} minutes; did you mean {}?", t / 60.0, (t / 1000.0).max(1.0)),
                    ));
                }
                if ty != "command" {
                    s.findings.push(Finding::new(
                        &f.name,
                        h.pos,
                        FindingKind::HookIgnored,
                        format!("a `{ty}` hook is not simulated: the harness takes it as never blocking, the weaker protection"),
                    ));
                    continue;
                }
                let Some(command) = h.get("command").and_then(Node::as_str) else {
                    s.findings.push(Finding::new(
                        &f.name,
                        h.pos,
                        FindingKind::HookIgnored,
                        "a command hook without a `command`: nothing runs",
                    ));
                    continue;
                };
                if event.name == "PermissionRequest" {
                    s.findings.push(Finding::new(
                        &f.name,
                        h.pos,
                        FindingKind::HookIgnored,
                        "`PermissionRequest` hooks are not simulated: the declared approver answers every prompt",
                    ));
                }
                if event.name != "PreToolUse" {
                    // Other events do not decide a tool call before it runs; still checked for
                    // the variables they read.
                    s.other_hooks.push(placed(f, h, &event.name, matcher.clone(), command, None));
                    continue;
                }
                if dropped {
                    s.findings.push(Finding::new(
                        &f.name,
                        h.pos,
                        FindingKind::DroppedByManagedPolicy,
                        "managed settings set `allowManagedHooksOnly`: this hook never runs",
                    ));
                    continue;
                }
                let filter = h.get("if").and_then(Node::as_str).map(|text| {
                    let rule = Rule::parse(text, "if", anchors);
                    for (kind, message) in &rule.problems {
                        s.findings.push(Finding::new(
                            &f.name,
                            h.get("if").map_or(h.pos, |n| n.pos),
                            *kind,
                            format!("hook filter: {message}"),
                        ));
                    }
                    rule
                });
                s.hooks.push(placed(f, h, &event.name, matcher.clone(), command, filter));
            }
        }
    }
}

fn placed(f: &SettingsFile, h: &Node, event: &str, matcher: Option<String>, command: &str, filter: Option<Rule>) -> Hook {
    Hook {
        file: f.name.clone(),
        pos: h.get("command").map_or(h.pos, |n| n.pos),
        event: event.to_string(),
        matcher,
        command: command.to_string(),
        timeout: h.get("timeout").and_then(Node::as_f64),
        filter,
        fail_closed: false,
    }
}

/// Findings for the `CLAUDE_*` variables a hook (or the script it runs) reads that Claude Code
/// never sets.
fn unset_vars(findings: &mut Vec<Finding>, h: &Hook, env: &[String], files: &BTreeMap<String, String>) {
    let mut read = env_vars(&h.command);
    for word in h.command.split_whitespace() {
        let word = word.trim_matches(['"', '\'']).trim_start_matches("$CLAUDE_PROJECT_DIR/").trim_start_matches("${CLAUDE_PROJECT_DIR}/");
        if let Some(script) = files.get(word.trim_start_matches("./")) {
            read.extend(env_vars(script));
        }
    }
    for var in read {
        if var.starts_with("CLAUDE_") && !HOOK_VARS.contains(&var.as_str()) && !env.contains(&var) {
            findings.push(Finding::new(
                &h.file,
                h.pos,
                FindingKind::UnsetEnvVar,
                format!("the hook reads `${var}`, which Claude Code never sets: hooks get the tool call as JSON on stdin (`tool_input`)"),
            ));
        }
    }
}
