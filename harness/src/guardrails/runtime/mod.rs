//! The team's agent runtime as a guardrail layer: Claude Code or Cursor, loaded from the team's
//! real settings files as the runtime parses them, deciding each action as the runtime's
//! documentation says, with every known leak reported and every verdict labelled "simulated
//! from documented rules".
//!
//! ```text
//! settings files ─load─▶ ClaudeSettings / CursorSettings (+ findings with file:line:column)
//! action ─▶ ToolCall ─▶ hooks ─▶ rules (deny → ask → allow) ─▶ mode ─▶ RuntimeVerdict (+ leaks)
//!                                                    ask ─▶ approver / classifier ─▶ Decision
//! ```
//!
//! ```
//! use harness::guardrails::runtime::{claude_code, approves_nothing, ToolCall};
//! use harness::guardrails::Verdict;
//! let settings = r#"{"permissions": {"deny": ["Bash(curl:*)"]}}"#;
//! let runtime = claude_code(&[(".claude/settings.json", settings)]).approver(approves_nothing());
//! let v = runtime.decide(&ToolCall::Shell { command: "sh -c 'curl -X POST https://backboard.railway.app/graphql/v2'".into() });
//! assert_eq!(v.decision, Verdict::Ask);
//! assert!(v.leaks.iter().any(|l| l.message.contains("sh -c")));
//! ```
//!
//! Why simulate rather than run the client: a drill must be deterministic and offline, and the
//! runtimes document their rules. Where the documentation is silent the weaker protection is
//! taken and the reason says so; where behaviour changed across versions a setting names the
//! version's behaviour (`PrefixBoundary`).

mod agent_runtime;
mod approver;
mod call;
mod claude_code;
mod claude_settings;
mod command;
mod cursor;
mod cursor_settings;
mod finding;
mod glob;
mod hooks;
pub mod json;
mod leaks;
mod rule;
mod segments;
mod verdict;

#[cfg(test)]
mod tests;

pub use agent_runtime::{AgentRuntime, Policy, RuntimeSummary};
pub use approver::{
    Approver, ApprovesAllButDestructive, ApprovesEverything, ApprovesNothing, ApprovesWhenTired, ApprovesWithProbability, Classifier,
    Prompt, ReadsFirst, Reply, approves_all_but_destructive, approves_everything, approves_nothing, approves_when_tired,
    approves_with_probability, classifier, looks_destructive, reads_first,
};
pub use call::{RAILWAY_MCP_SERVER, ToolCall};
pub use claude_code::ClaudeCode;
pub use claude_settings::{ClaudeLayer, ClaudeMode, ClaudeSettings, SettingsFile};
pub use command::{CommandPattern, PrefixBoundary};
pub use cursor::Cursor;
pub use cursor_settings::{CursorFile, CursorFileKind, CursorSettings, RunMode};
pub use finding::{Finding, FindingKind};
pub use hooks::{DeclaredHooks, Hook, HookOutcome, HookRunner, RealHooks, hook_scripts};
pub use rule::Rule;
pub use verdict::{Asker, RuntimeVerdict, SIMULATED};

use std::collections::BTreeMap;

/// Where a drill's agent works: paths in rules and actions are anchored here.
pub const DRILL_CWD: &str = "/repo";
/// The agent's home folder in a drill.
pub const DRILL_HOME: &str = "/home/agent";

/// Claude Code with the settings `files` (name, text), each file's layer read from its name
/// (`managed-settings.json`, `settings.local.json`, else the project's), in a drill's working
/// folder, in the settings' own mode.
pub fn claude_code(files: &[(&str, &str)]) -> AgentRuntime {
    let files: Vec<SettingsFile> = files
        .iter()
        .map(|(name, text)| SettingsFile { name: (*name).into(), layer: ClaudeLayer::of_path(name, ""), text: (*text).into() })
        .collect();
    let settings = claude_settings::load(&files, DRILL_CWD, DRILL_HOME, &BTreeMap::new());
    AgentRuntime::new(Policy::ClaudeCode(ClaudeCode::new(settings)))
}

/// Claude Code's settings from `files`, anchored at `cwd` and `home`; `project_files` are the
/// repository's files, read for what hook scripts read.
pub fn load_claude(files: &[SettingsFile], cwd: &str, home: &str, project_files: &BTreeMap<String, String>) -> ClaudeSettings {
    claude_settings::load(files, cwd, home, project_files)
}

/// Cursor's settings from `files`, anchored at `cwd` and `home`.
pub fn load_cursor(files: &[CursorFile], cwd: &str, home: &str) -> CursorSettings {
    cursor_settings::load(files, cwd, home)
}

/// Cursor with the files `files` (name, text), each file's kind read from its name, in a
/// drill's working folder, in `mode` (`allowlist` if `None`).
pub fn cursor(files: &[(&str, &str)], mode: Option<RunMode>) -> Result<AgentRuntime, String> {
    let mut out = Vec::new();
    for (name, text) in files {
        let kind = CursorFileKind::of_path(name)
            .ok_or_else(|| format!("`{name}` is not one of Cursor's files (cli.json, permissions.json, hooks.json, .cursorignore)"))?;
        out.push(CursorFile { name: (*name).into(), kind, text: (*text).into() });
    }
    Ok(AgentRuntime::new(Policy::Cursor(Cursor::new(cursor_settings::load(&out, DRILL_CWD, DRILL_HOME), mode))))
}
