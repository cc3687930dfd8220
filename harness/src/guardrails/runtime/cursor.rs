//! Cursor's decision on one tool call, as documented: its hooks first (`beforeShellExecution`,
//! `beforeMCPExecution`, `beforeReadFile`, `preToolUse`), then the CLI's deny rules (deny beats
//! allow), `.cursorignore` for file reads, the allowlists (CLI allow, `terminalAllowlist`,
//! `mcpAllowlist`), and the run mode for the rest. Reads and searches are free; terminal
//! commands and MCP tools need approval unless allowlisted or the mode says otherwise.
//!
//! Where Cursor's documentation is silent the weaker protection is taken and said: an
//! allowlisted command base allows any arguments, and Cursor's rules are applied to the first
//! command of a line only (what is chained after it is reported as a leak).

use serde_json::json;

use super::call::ToolCall;
use super::cursor_settings::{CliRule, CursorSettings, RunMode};
use super::glob;
use super::hooks::{HookOutcome, HookRunner, HookVerdict, cursor_verdict, matcher_selects};
use super::rule::host;
use super::segments::segments;
use super::verdict::RuntimeVerdict;
use crate::guardrails::{DecidedBy, Leak, LeakKind, Verdict};

const RUNTIME: &str = "cursor";

/// Cursor with a team's settings, in one run mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    pub settings: CursorSettings,
    pub mode: RunMode,
    pub mode_source: String,
}

fn wild(pattern: &str, text: &str) -> bool {
    pattern == "*" || pattern == text || super::command::CommandPattern::parse(pattern).matches(text, Default::default())
}

impl Cursor {
    /// Cursor in `mode`; when the team names none, `allowlist`.
    pub fn new(settings: CursorSettings, mode: Option<RunMode>) -> Self {
        let (mode, mode_source) = match mode {
            Some(m) => (m, "the declared run mode".to_string()),
            None => (RunMode::default(), "no run mode declared: simulated as `allowlist`".to_string()),
        };
        Cursor { settings, mode, mode_source }
    }

    /// The first command of a shell line, as Cursor's rules see it.
    pub fn first_command(command: &str) -> String {
        segments(command).first().map(|s| s.text.clone()).unwrap_or_default()
    }

    /// The CLI rule of `list` that matches `call`, if any.
    pub fn cli_match(&self, list: &str, call: &ToolCall) -> Option<&super::cursor_settings::CursorEntry<CliRule>> {
        let s = &self.settings;
        s.cli.iter().filter(|e| e.list == list).find(|e| match (&e.rule, call) {
            (CliRule::Shell(p), ToolCall::Shell { command }) => p.matches(&Self::first_command(command), Default::default()),
            (CliRule::Read(g), ToolCall::Read { path }) => glob::matches(g, &glob::normalize(&s.cwd, &s.home, path)),
            (CliRule::Write(g), ToolCall::Edit { path }) => glob::matches(g, &glob::normalize(&s.cwd, &s.home, path)),
            (CliRule::WebFetch(d), ToolCall::Fetch { url, .. }) => {
                host(url).is_some_and(|h| d == "*" || h == *d || d.strip_prefix("*.").is_some_and(|p| h.ends_with(&format!(".{p}"))))
            }
            (CliRule::Mcp { server, tool }, ToolCall::Mcp { server: s2, tool: t2, .. }) => wild(server, s2) && wild(tool, t2),
            _ => false,
        })
    }

    /// The `.cursorignore` line that hides `path`, if any (the last matching line wins).
    pub fn ignored(&self, path: &str) -> Option<&super::cursor_settings::CursorEntry<super::cursor_settings::IgnoreLine>> {
        let s = &self.settings;
        let abs = glob::normalize(&s.cwd, &s.home, path);
        s.ignore.iter().rev().find(|e| glob::matches(&e.rule.pattern, &abs)).filter(|e| !e.rule.negated)
    }

    /// The decision of the rules and the mode alone (no hooks).
    pub fn by_rules(&self, call: &ToolCall) -> RuntimeVerdict {
        let s = &self.settings;
        let what = call.label();
        if let Some(e) = self.cli_match("deny", call) {
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Deny,
                DecidedBy::Rule,
                format!("`{}` in the CLI's deny ({}) matches {what}; deny beats allow", e.text, e.file),
            )
            .rule(&e.file, "deny", &e.text);
        }
        if let ToolCall::Read { path } = call
            && let Some(e) = self.ignored(path)
        {
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Deny,
                DecidedBy::Rule,
                format!("`{}` in {} hides `{path}` from the agent's file tools", e.text, e.file),
            )
            .rule(&e.file, ".cursorignore", &e.text);
        }
        if let Some(e) = self.cli_match("allow", call) {
            return RuntimeVerdict::new(
                RUNTIME,
                Verdict::Allow,
                DecidedBy::Rule,
                format!("`{}` in the CLI's allow ({}) matches {what}", e.text, e.file),
            )
            .rule(&e.file, "allow", &e.text);
        }
        match call {
            ToolCall::Shell { command } => {
                let first = Self::first_command(command);
                if let Some(e) = s.terminal.iter().find(|e| e.rule.matches(&first, Default::default())) {
                    return RuntimeVerdict::new(
                        RUNTIME,
                        Verdict::Allow,
                        DecidedBy::Rule,
                        format!("`{}` in terminalAllowlist ({}) allows `{first}` with any arguments (how entries match arguments is not specified; the weaker protection)", e.text, e.file),
                    )
                    .rule(&e.file, "terminalAllowlist", &e.text);
                }
            }
            ToolCall::Mcp { server, tool, .. } => {
                if let Some(e) = s.mcp.iter().find(|e| wild(&e.rule.0, server) && wild(&e.rule.1, tool)) {
                    return RuntimeVerdict::new(
                        RUNTIME,
                        Verdict::Allow,
                        DecidedBy::Rule,
                        format!("`{}` in mcpAllowlist ({}) allows {what}", e.text, e.file),
                    )
                    .rule(&e.file, "mcpAllowlist", &e.text);
                }
            }
            _ => {}
        }
        let no_rule = format!("no rule or allowlist entry matches {what}; in the `{}` run mode ({})", self.mode.name(), self.mode_source);
        let v = |verdict: Verdict, why: &str| RuntimeVerdict::new(RUNTIME, verdict, DecidedBy::Mode, format!("{no_rule} {why}"));
        match (call, self.mode) {
            (ToolCall::Read { .. } | ToolCall::Search { .. }, _) => v(Verdict::Allow, "reads and searches are free"),
            (ToolCall::Edit { .. }, _) => v(Verdict::Allow, "the agent's edits apply without approval"),
            (ToolCall::Fetch { .. }, _) => {
                v(Verdict::Allow, "Cursor documents no approval for web fetches, so none is simulated (the weaker protection)")
            }
            (_, RunMode::RunEverything) => v(Verdict::Allow, "nothing prompts"),
            (_, RunMode::Allowlist) => v(Verdict::Ask, "it prompts"),
            (ToolCall::Shell { .. }, RunMode::AutoReview) => v(
                Verdict::Ask,
                "it runs sandboxed where possible, and otherwise Cursor's classifier decides (simulated as the classifier deciding)",
            )
            .classifier(),
            (_, RunMode::AutoReview) => v(Verdict::Ask, "Cursor's classifier decides").classifier(),
        }
    }

    /// The full decision: hooks, then rules, then the mode.
    pub fn decide(&self, call: &ToolCall, runner: &dyn HookRunner) -> RuntimeVerdict {
        let event = match call {
            ToolCall::Shell { .. } => Some("beforeShellExecution"),
            ToolCall::Mcp { .. } => Some("beforeMCPExecution"),
            ToolCall::Read { .. } => Some("beforeReadFile"),
            _ => None,
        };
        let tool = call.cursor_tool();
        let mut notes = Vec::new();
        let mut failed: Vec<Leak> = Vec::new();
        let mut asked = None;
        let mut allowed = None;
        for hook in &self.settings.hooks {
            let runs =
                Some(hook.event.as_str()) == event || (hook.event == "preToolUse" && matcher_selects(hook.matcher.as_deref(), &tool));
            if !runs {
                continue;
            }
            let input = |cwd: &str| {
                let mut v = json!({
                    "conversation_id": "firedrill",
                    "generation_id": "firedrill",
                    "hook_event_name": hook.event,
                    "workspace_roots": [cwd],
                });
                let extra = match call {
                    _ if hook.event == "preToolUse" => json!({"tool_name": tool, "tool_input": call.hook_input(cwd)}),
                    ToolCall::Shell { command } => json!({"command": command, "cwd": cwd}),
                    ToolCall::Mcp { tool, input, .. } => json!({"tool_name": tool, "tool_input": input}),
                    ToolCall::Read { .. } => json!({"file_path": call.hook_input(cwd)["file_path"], "content": ""}),
                    _ => json!({}),
                };
                if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
                    o.extend(e.clone());
                }
                v
            };
            let outcome = runner.run(hook, &input);
            let ran_clean = matches!(outcome, HookOutcome::Exited { code: 0, .. });
            match cursor_verdict(hook, &outcome) {
                HookVerdict::Deny(why) => {
                    return RuntimeVerdict::new(
                        RUNTIME,
                        Verdict::Deny,
                        DecidedBy::Hook,
                        format!("{why} ({}, {})", runner.describe(), hook.file),
                    )
                    .rule(&hook.file, &hook.event, &hook.command);
                }
                HookVerdict::Ask(why) => asked = asked.or(Some((why, hook))),
                HookVerdict::Allow(why) => allowed = allowed.or(Some((why, hook))),
                HookVerdict::Pass(why) => {
                    if !ran_clean {
                        failed.push(Leak { kind: LeakKind::HookFailedOpen, message: format!("{why}: it blocks nothing ({})", hook.file) });
                    }
                    notes.push(why);
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
                &hook.event,
                &hook.command,
            );
        }
        // A hook's allow does not lift the CLI's deny rules: deny beats allow.
        if let Some((why, hook)) = allowed
            && self.cli_match("deny", call).is_none()
        {
            return RuntimeVerdict::new(RUNTIME, Verdict::Allow, DecidedBy::Hook, format!("{why}{note}")).rule(
                &hook.file,
                &hook.event,
                &hook.command,
            );
        }
        let mut v = self.by_rules(call);
        if !note.is_empty() {
            let base = v.reason.trim_end_matches(&format!(" ({})", super::verdict::SIMULATED)).to_string();
            v.reason = format!("{base}{note} ({})", super::verdict::SIMULATED);
        }
        v
    }
}
