//! Claude Code's decision on one tool call, as documented: `PreToolUse` hooks first (in every
//! mode), then the rules (deny, then ask, then allow: the first list with a match decides, and
//! specificity never matters), then the permission mode for a call no rule matched. A Bash
//! command is split into its subcommands first: a deny or ask rule matching any of them
//! applies, and an allow rule must cover every one.

use serde_json::json;

use super::call::ToolCall;
use super::claude_settings::{ClaudeMode, ClaudeSettings, List, PlacedRule};
use super::glob;
use super::hooks::{HookOutcome, HookRunner, HookVerdict, claude_verdict, matcher_selects};
use super::segments::segments;
use super::verdict::RuntimeVerdict;
use crate::guardrails::{DecidedBy, Leak, LeakKind, Verdict};

const RUNTIME: &str = "claude-code";

/// Claude Code with a team's settings, in one permission mode.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaudeCode {
    pub settings: ClaudeSettings,
    pub mode: ClaudeMode,
    /// Where the mode came from: a settings file, the command line, or the default.
    pub mode_source: String,
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
        ClaudeCode { settings, mode, mode_source }
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
        Ok(self)
    }

    /// The first rule of `list` that matches `call` (for Bash: any subcommand), with the
    /// subcommand it matched.
    pub fn first_match(&self, list: List, call: &ToolCall) -> Option<(&PlacedRule, String)> {
        let s = &self.settings;
        let rules = s.rules.iter().filter(|r| r.list == list);
        match call {
            ToolCall::Shell { command } => {
                let subs = segments(command);
                let rules: Vec<&PlacedRule> = rules.collect();
                subs.iter().find_map(|seg| {
                    let sub = ToolCall::Shell { command: seg.text.clone() };
                    rules.iter().find(|r| r.rule.matches(&sub, s.boundary, &s.cwd, &s.home)).map(|r| (*r, seg.text.clone()))
                })
            }
            other => rules.into_iter().find(|r| r.rule.matches(other, s.boundary, &s.cwd, &s.home)).map(|r| (r, String::new())),
        }
    }

    /// Whether allow rules cover the whole call (every subcommand of a Bash command); the rule
    /// that covered the first.
    pub fn allowed_by_rules(&self, call: &ToolCall) -> Option<&PlacedRule> {
        let s = &self.settings;
        let allow: Vec<&PlacedRule> = s.rules.iter().filter(|r| r.list == List::Allow).collect();
        let find = |c: &ToolCall| allow.iter().copied().find(|r| r.rule.matches(c, s.boundary, &s.cwd, &s.home));
        match call {
            ToolCall::Shell { command } => {
                let subs = segments(command);
                if subs.is_empty() {
                    return None;
                }
                let covered: Option<Vec<&PlacedRule>> =
                    subs.iter().map(|seg| find(&ToolCall::Shell { command: seg.text.clone() })).collect();
                covered.and_then(|c| c.first().copied())
            }
            other => find(other),
        }
    }

    /// The decision of the rules and the mode alone (no hooks).
    pub fn by_rules(&self, call: &ToolCall) -> RuntimeVerdict {
        let what = call.label();
        if let Some((r, sub)) = self.first_match(List::Deny, call) {
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
        if let Some((r, _)) = self.first_match(List::Ask, call) {
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
        if let Some(r) = self.allowed_by_rules(call) {
            let all = if matches!(call, ToolCall::Shell { command } if segments(command).len() > 1) {
                " (allow rules cover every subcommand)"
            } else {
                ""
            };
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Allow,
                DecidedBy::Rule,
                format!("`{}` in allow ({}) matches {what}{all}", r.rule.text, r.file),
            )
            .rule(&r.file, "allow", &r.rule.text);
        }
        self.by_mode(call)
    }

    fn by_mode(&self, call: &ToolCall) -> RuntimeVerdict {
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
                ToolCall::Shell { command } if self.file_commands_inside(command) => v(
                    Verdict::Allow,
                    "file commands in the working directory are approved (`rm` counted among them: the list ends in \"etc.\", the weaker protection)",
                ),
                _ => v(Verdict::Ask, "it prompts"),
            },
            ClaudeMode::Default => v(Verdict::Ask, "it prompts"),
        }
    }

    fn file_commands_inside(&self, command: &str) -> bool {
        let s = &self.settings;
        let subs = segments(command);
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
        let mut notes = Vec::new();
        let mut failed: Vec<Leak> = Vec::new();
        let mut asked: Option<(String, &super::hooks::Hook)> = None;
        let mut allowed: Option<(String, &super::hooks::Hook)> = None;
        if !self.settings.hooks_disabled {
            let tool = call.claude_tool();
            for hook in self.settings.hooks.iter().filter(|h| matcher_selects(h.matcher.as_deref(), &tool)) {
                if let Some(filter) = &hook.filter {
                    let s = &self.settings;
                    let hit = match call {
                        ToolCall::Shell { command } => segments(command)
                            .iter()
                            .any(|seg| filter.matches(&ToolCall::Shell { command: seg.text.clone() }, s.boundary, &s.cwd, &s.home)),
                        other => filter.matches(other, s.boundary, &s.cwd, &s.home),
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
        let mut v = self.after_hooks(call, notes, asked, allowed);
        v.leaks.extend(failed);
        v
    }

    fn after_hooks(
        &self,
        call: &ToolCall,
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
        let mut v = self.by_rules(call);
        if !note.is_empty() {
            let base = v.reason.trim_end_matches(&format!(" ({})", super::verdict::SIMULATED)).to_string();
            v.reason = format!("{base}{note} ({})", super::verdict::SIMULATED);
        }
        v
    }
}
