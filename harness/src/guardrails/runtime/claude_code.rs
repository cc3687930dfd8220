//! Claude Code's decision on one tool call, as documented: `PreToolUse` hooks first (in every
//! mode), then the rules (deny, then ask, then allow: the first list with a match decides, and
//! specificity never matters), then the permission mode for a call no rule matched. A Bash
//! command is split into its subcommands first: a deny or ask rule matching any of them
//! applies, and an allow rule must cover every one.
//!
//! Why the index and the `Prepared` call: a team's stack holds hundreds of rules, and a drill
//! decides every step against all of them, leaks included. The rules are indexed by list and by
//! the kind of call they can match when the settings are read (`ClaudeCode::new`), and a call is
//! worked out once per decision (its subcommands split, its path normalized), so a decision
//! reads only the rules of its own tool and allocates nothing per rule. The index only narrows
//! which rules are read, in their order: the first match, and so every decision, is the same.

use serde_json::json;

use super::call::ToolCall;
use super::claude_settings::{ClaudeMode, ClaudeSettings, List, PlacedRule};
use super::glob;
use super::hooks::{HookOutcome, HookRunner, HookVerdict, claude_verdict, matcher_selects};
use super::leaks::{self, ClaudeFacts};
use super::rule::{Kind, Subject};
use super::segments::{Segment, segments};
use super::verdict::RuntimeVerdict;
use crate::guardrails::{DecidedBy, Leak, LeakKind, Verdict};

const RUNTIME: &str = "claude-code";

/// Claude Code with a team's settings, in one permission mode.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaudeCode {
    settings: ClaudeSettings,
    mode: ClaudeMode,
    /// Where the mode came from: a settings file, the command line, or the default.
    mode_source: String,
    // INVARIANT: `index` and `facts` are worked out from `settings` and `mode` by `new` and
    // `with_mode`, the only places either changes.
    /// For each list (deny, ask, allow) and kind of call (`slot`), the positions in
    /// `settings.rules` of the rules that can match it, in order, each with the first byte a
    /// Bash subcommand must start with to match it (`CommandPattern::lead`), if any.
    index: Vec<Vec<(usize, Option<u8>)>>,
    /// What the leak search needs that depends on the settings and the mode only.
    facts: ClaudeFacts,
}

/// A call worked out once for a decision: its kind, a Bash command's subcommands, a path made
/// absolute and normalized, a URL's host.
pub(crate) struct Prepared<'a> {
    pub call: &'a ToolCall,
    kind: Kind,
    /// A Bash command's subcommands (empty for other calls).
    pub segments: Vec<Segment>,
    /// The normalized path of a read or an edit, the host of a fetch.
    text: Option<String>,
}

impl Prepared<'_> {
    /// What rules match for a call other than a Bash command (for one, each subcommand is).
    fn whole(&self) -> Subject<'_> {
        let text = self.text.as_deref();
        match self.call {
            ToolCall::Shell { command } => Subject::Command(command),
            ToolCall::Read { .. } => Subject::Read(text.unwrap_or_default()),
            ToolCall::Edit { .. } => Subject::Edit(text.unwrap_or_default()),
            ToolCall::Search { .. } => Subject::Search,
            ToolCall::Fetch { .. } => Subject::Url(text),
            ToolCall::Mcp { server, tool, .. } => Subject::Mcp { server, tool },
        }
    }
}

/// Where the rules of `list` for a call of `kind` are in the index.
fn slot(list: List, kind: Kind) -> usize {
    let list = match list {
        List::Deny => 0,
        List::Ask => 1,
        List::Allow => 2,
    };
    let kind = match kind {
        Kind::Bash => 0,
        Kind::Read => 1,
        Kind::Edit => 2,
        Kind::Search => 3,
        Kind::Fetch => 4,
        Kind::Mcp => 5,
    };
    list * Kind::ALL.len() + kind
}

/// The commands `acceptEdits` approves in the working directory. The documentation lists
/// `mkdir`, `touch`, `mv`, `cp` and ends with "etc."; `rm` and `rmdir` are counted too, the
/// weaker protection.
const FILE_COMMANDS: [&str; 6] = ["mkdir", "touch", "mv", "cp", "rm", "rmdir"];

/// Folders `bypassPermissions` still prompts before writing to.
const PROTECTED: [&str; 4] = [".git", ".claude", ".vscode", ".idea"];

impl ClaudeCode {
    /// The settings' own `defaultMode`, or `default`.
    pub fn new(settings: ClaudeSettings) -> Self {
        let (mode, mode_source) = match &settings.mode {
            Some((m, file)) => (*m, format!("`defaultMode` in {file}")),
            None => (ClaudeMode::Default, "the default mode".into()),
        };
        let mut index = vec![Vec::new(); 3 * Kind::ALL.len()];
        for (i, r) in settings.rules.iter().enumerate() {
            if let Some(rules) = r.rule.kind().and_then(|kind| index.get_mut(slot(r.list, kind))) {
                rules.push((i, r.rule.lead()));
            }
        }
        let mut code = ClaudeCode { settings, mode, mode_source, index, facts: ClaudeFacts::default() };
        code.facts = leaks::claude_facts(&code);
        code
    }

    /// Runs in `mode`, as `--permission-mode` does; a mode the settings disable is refused.
    pub fn with_mode(mut self, mode: ClaudeMode) -> Result<Self, String> {
        if mode == ClaudeMode::BypassPermissions && self.settings.bypass_disabled {
            return Err("`bypassPermissions` is disabled by `disableBypassPermissionsMode` in these settings".into());
        }
        if mode == ClaudeMode::Auto && self.settings.auto_disabled {
            return Err("`auto` is disabled by `disableAutoMode` in these settings".into());
        }
        self.mode = mode;
        self.mode_source = "the command line".into();
        self.facts = leaks::claude_facts(&self);
        Ok(self)
    }

    /// The settings, as loaded.
    pub fn settings(&self) -> &ClaudeSettings {
        &self.settings
    }

    /// The permission mode it runs in.
    pub fn mode(&self) -> ClaudeMode {
        self.mode
    }

    /// Where the mode came from: a settings file, the command line, or the default.
    pub fn mode_source(&self) -> &str {
        &self.mode_source
    }

    pub(crate) fn facts(&self) -> &ClaudeFacts {
        &self.facts
    }

    /// `call` worked out for a decision.
    pub(crate) fn prepare<'a>(&self, call: &'a ToolCall) -> Prepared<'a> {
        let s = &self.settings;
        let (segments, text) = match call {
            ToolCall::Shell { command } => (segments(command), None),
            ToolCall::Read { path } | ToolCall::Edit { path } => (Vec::new(), Some(glob::normalize(&s.cwd, &s.home, path))),
            ToolCall::Fetch { url, .. } => (Vec::new(), super::rule::host(url)),
            ToolCall::Search { .. } | ToolCall::Mcp { .. } => (Vec::new(), None),
        };
        Prepared { call, kind: Kind::of(call), segments, text }
    }

    /// The rules of `list` that can match a call of `kind`, in order.
    fn rules_of(&self, list: List, kind: Kind) -> impl Iterator<Item = &PlacedRule> {
        self.index.get(slot(list, kind)).into_iter().flatten().filter_map(|(i, _)| self.settings.rules.get(*i))
    }

    /// The Bash rules of `list` that can match the subcommand `sub`, in order: those whose
    /// command must start with another byte are skipped without being read.
    fn bash_rules_for(&self, list: List, sub: &str) -> impl Iterator<Item = &PlacedRule> + use<'_> {
        let first = sub.as_bytes().first().copied();
        self.index
            .get(slot(list, Kind::Bash))
            .into_iter()
            .flatten()
            .filter(move |(_, lead)| lead.is_none_or(|b| Some(b) == first))
            .filter_map(|(i, _)| self.settings.rules.get(*i))
    }

    /// The first rule of `list` that matches the call (for Bash: any subcommand), with the
    /// subcommand it matched (empty for other calls).
    pub(crate) fn first_match<'p>(&self, list: List, p: &'p Prepared<'_>) -> Option<(&PlacedRule, &'p str)> {
        let b = self.settings.boundary;
        match p.call {
            ToolCall::Shell { .. } => p.segments.iter().find_map(|seg| {
                let sub = Subject::Command(&seg.text);
                self.bash_rules_for(list, &seg.text).find(|r| r.rule.matches_subject(&sub, b)).map(|r| (r, seg.text.as_str()))
            }),
            _ => {
                let whole = p.whole();
                self.rules_of(list, p.kind).find(|r| r.rule.matches_subject(&whole, b)).map(|r| (r, ""))
            }
        }
    }

    /// Whether allow rules cover the whole call (every subcommand of a Bash command); the rule
    /// that covered the first.
    fn allowed_by_rules<'p>(&'p self, p: &'p Prepared<'_>) -> Option<&'p PlacedRule> {
        let b = self.settings.boundary;
        let command = |seg: &'p Segment| {
            self.bash_rules_for(List::Allow, &seg.text).find(|r| r.rule.matches_subject(&Subject::Command(&seg.text), b))
        };
        match p.call {
            ToolCall::Shell { .. } => {
                let (first, rest) = p.segments.split_first()?;
                let covered = command(first)?;
                rest.iter().all(|seg| command(seg).is_some()).then_some(covered)
            }
            _ => self.rules_of(List::Allow, p.kind).find(|r| r.rule.matches_subject(&p.whole(), b)),
        }
    }

    /// The decision of the rules and the mode alone (no hooks).
    pub fn by_rules(&self, call: &ToolCall) -> RuntimeVerdict {
        self.by_rules_prepared(&self.prepare(call))
    }

    fn by_rules_prepared(&self, p: &Prepared<'_>) -> RuntimeVerdict {
        let call = p.call;
        let what = call.label();
        if let Some((r, sub)) = self.first_match(List::Deny, p) {
            let on = if sub.is_empty() || matches!(call, ToolCall::Shell { command } if command.trim() == sub) {
                String::new()
            } else {
                format!(" (on the subcommand `{sub}`)")
            };
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Deny,
                DecidedBy::Rule,
                format!("`{}` in deny ({}) matches {what}{on}", r.rule.text, r.file),
            )
            .rule(&r.file, "deny", &r.rule.text);
        }
        if let Some((r, _)) = self.first_match(List::Ask, p) {
            let base = format!("`{}` in ask ({}) matches {what}", r.rule.text, r.file);
            let v = match self.mode {
                ClaudeMode::DontAsk => {
                    RuntimeVerdict::new(RUNTIME, Verdict::Deny, DecidedBy::Mode, format!("{base}; `dontAsk` denies what would prompt"))
                }
                ClaudeMode::BypassPermissions => {
                    RuntimeVerdict::new(RUNTIME, Verdict::Allow, DecidedBy::Mode, format!("{base}; `bypassPermissions` skips the prompt"))
                }
                _ => RuntimeVerdict::new(RUNTIME, Verdict::Ask, DecidedBy::Rule, base),
            };
            return v.rule(&r.file, "ask", &r.rule.text);
        }
        if let Some(r) = self.allowed_by_rules(p) {
            let all =
                if matches!(call, ToolCall::Shell { .. }) && p.segments.len() > 1 { " (allow rules cover every subcommand)" } else { "" };
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Allow,
                DecidedBy::Rule,
                format!("`{}` in allow ({}) matches {what}{all}", r.rule.text, r.file),
            )
            .rule(&r.file, "allow", &r.rule.text);
        }
        self.by_mode(p)
    }

    fn by_mode(&self, p: &Prepared<'_>) -> RuntimeVerdict {
        let call = p.call;
        let s = &self.settings;
        let mode = self.mode;
        let inside = |p: &str| {
            let abs = glob::normalize(&s.cwd, &s.home, p);
            abs == s.cwd || abs.starts_with(&format!("{}/", s.cwd.trim_end_matches('/')))
        };
        let no_rule = format!("no rule matches {}; in `{}` mode ({})", call.label(), mode.name(), self.mode_source);
        let v = |verdict: Verdict, why: &str| RuntimeVerdict::new(RUNTIME, verdict, DecidedBy::Mode, format!("{no_rule} {why}"));
        let read_only = match call {
            ToolCall::Read { path } => Some(inside(path)),
            ToolCall::Search { .. } => Some(true),
            _ => None,
        };
        if let Some(in_cwd) = read_only {
            return match (mode, in_cwd) {
                (_, true) => v(Verdict::Allow, "reads in the working directory need no approval"),
                (ClaudeMode::BypassPermissions, false) => v(Verdict::Allow, "everything runs"),
                (ClaudeMode::DontAsk, false) => {
                    v(Verdict::Deny, "a read outside the working directory would prompt, and `dontAsk` denies it")
                }
                (ClaudeMode::Auto, false) => v(Verdict::Ask, "the classifier decides").classifier(),
                (_, false) => v(Verdict::Ask, "a read outside the working directory prompts"),
            };
        }
        match mode {
            ClaudeMode::BypassPermissions => {
                if let ToolCall::Edit { path } = call {
                    let rel = glob::normalize(&s.cwd, &s.home, path);
                    let rel = rel.strip_prefix(&format!("{}/", s.cwd.trim_end_matches('/'))).unwrap_or(&rel).to_string();
                    let exempt = ["commands", "agents", "skills"].iter().any(|d| rel.starts_with(&format!(".claude/{d}/")));
                    if PROTECTED.iter().any(|d| rel == *d || rel.starts_with(&format!("{d}/"))) && !exempt {
                        return v(Verdict::Ask, "still prompts before writing to `.git`, `.claude`, `.vscode` or `.idea`");
                    }
                }
                v(Verdict::Allow, "everything runs without a prompt")
            }
            ClaudeMode::DontAsk => v(Verdict::Deny, "anything not allowed is denied"),
            ClaudeMode::Plan => v(Verdict::Deny, "plan mode is read only"),
            ClaudeMode::Auto => v(Verdict::Ask, "the classifier decides").classifier(),
            ClaudeMode::AcceptEdits => match call {
                ToolCall::Edit { path } if inside(path) => v(Verdict::Allow, "edits in the working directory are approved"),
                ToolCall::Shell { .. } if self.file_commands_inside(&p.segments) => v(
                    Verdict::Allow,
                    "file commands in the working directory are approved (`rm` counted among them: the list ends in \"etc.\", the weaker protection)",
                ),
                _ => v(Verdict::Ask, "it prompts"),
            },
            ClaudeMode::Default => v(Verdict::Ask, "it prompts"),
        }
    }

    fn file_commands_inside(&self, subs: &[Segment]) -> bool {
        let s = &self.settings;
        !subs.is_empty()
            && subs.iter().all(|seg| {
                let mut words = seg.text.split_whitespace();
                let program = words.next().unwrap_or_default();
                FILE_COMMANDS.contains(&program)
                    && seg.inner.is_empty()
                    && words.filter(|w| !w.starts_with('-')).all(|w| {
                        let abs = glob::normalize(&s.cwd, &s.home, w.trim_matches(['"', '\'']));
                        abs.starts_with(&format!("{}/", s.cwd.trim_end_matches('/')))
                    })
            })
    }

    /// The full decision: hooks, then rules, then the mode.
    pub fn decide(&self, call: &ToolCall, runner: &dyn HookRunner) -> RuntimeVerdict {
        self.decide_prepared(&self.prepare(call), runner)
    }

    /// The full decision with every known leak of it, the call worked out once for both.
    pub(crate) fn decide_with_leaks(&self, call: &ToolCall, runner: &dyn HookRunner) -> RuntimeVerdict {
        let p = self.prepare(call);
        let mut v = self.decide_prepared(&p, runner);
        let known = leaks::claude(self, &p, v.decision);
        // The hooks' own leaks (one that failed open) first, as they ran first.
        v.leaks.extend(known);
        v
    }

    fn decide_prepared(&self, p: &Prepared<'_>, runner: &dyn HookRunner) -> RuntimeVerdict {
        let call = p.call;
        let mut notes = Vec::new();
        let mut failed: Vec<Leak> = Vec::new();
        let mut asked: Option<(String, &super::hooks::Hook)> = None;
        let mut allowed: Option<(String, &super::hooks::Hook)> = None;
        if !self.settings.hooks_disabled {
            let tool = call.claude_tool();
            for hook in self.settings.hooks.iter().filter(|h| matcher_selects(h.matcher.as_deref(), &tool)) {
                if let Some(filter) = &hook.filter {
                    let b = self.settings.boundary;
                    let hit = match call {
                        ToolCall::Shell { .. } => p.segments.iter().any(|seg| filter.matches_subject(&Subject::Command(&seg.text), b)),
                        _ => filter.matches_subject(&p.whole(), b),
                    };
                    if !hit {
                        continue;
                    }
                }
                let input = |cwd: &str| {
                    json!({
                        "session_id": "firedrill",
                        "transcript_path": "",
                        "cwd": cwd,
                        "permission_mode": self.mode.name(),
                        "hook_event_name": "PreToolUse",
                        "tool_name": tool,
                        "tool_input": call.hook_input(cwd),
                    })
                };
                let outcome = runner.run(hook, &input);
                let ran_clean = matches!(outcome, HookOutcome::Exited { code: 0, .. });
                match claude_verdict(hook, &outcome) {
                    HookVerdict::Deny(why) => {
                        let mode = if self.mode == ClaudeMode::BypassPermissions {
                            "; a hook's deny holds even under `bypassPermissions`"
                        } else {
                            ""
                        };
                        return RuntimeVerdict::new(
                            RUNTIME,
                            Verdict::Deny,
                            DecidedBy::Hook,
                            format!("{why} ({}, {}){mode}", runner.describe(), hook.file),
                        )
                        .rule(&hook.file, "PreToolUse", &hook.command);
                    }
                    HookVerdict::Ask(why) => asked = asked.or(Some((why, hook))),
                    HookVerdict::Allow(why) => allowed = allowed.or(Some((why, hook))),
                    HookVerdict::Pass(why) => {
                        if !ran_clean {
                            failed.push(Leak {
                                kind: LeakKind::HookFailedOpen,
                                message: format!("{why}: it blocks nothing ({})", hook.file),
                            });
                        }
                        notes.push(why);
                    }
                }
            }
        }
        let mut v = self.after_hooks(p, notes, asked, allowed);
        v.leaks.extend(failed);
        v
    }

    fn after_hooks(
        &self,
        p: &Prepared<'_>,
        notes: Vec<String>,
        asked: Option<(String, &super::hooks::Hook)>,
        allowed: Option<(String, &super::hooks::Hook)>,
    ) -> RuntimeVerdict {
        let note = if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) };
        if let Some((why, hook)) = asked {
            return RuntimeVerdict::new(RUNTIME, Verdict::Ask, DecidedBy::Hook, format!("{why}{note}")).rule(
                &hook.file,
                "PreToolUse",
                &hook.command,
            );
        }
        if let Some((why, hook)) = allowed {
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Allow,
                DecidedBy::Hook,
                format!("{why}; documentation differs across versions on whether a hook's allow overrides deny rules, so the weaker protection is taken{note}"),
            )
            .rule(&hook.file, "PreToolUse", &hook.command);
        }
        let mut v = self.by_rules_prepared(p);
        if !note.is_empty() {
            let base = v.reason.trim_end_matches(&format!(" ({})", super::verdict::SIMULATED)).to_string();
            v.reason = format!("{base}{note} ({})", super::verdict::SIMULATED);
        }
        v
    }
}
