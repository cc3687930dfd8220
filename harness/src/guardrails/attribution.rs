//! How a layer reached its decision, for the report: the rule that matched (and its file), what
//! decided (a rule, the mode, a hook), the known ways around it, and the approval when the layer
//! asked someone. All optional: a layer that only allows or denies says none of it.

use serde::{Deserialize, Serialize};

/// The rule that decided, as the team wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MatchedRule {
    /// The settings file the rule is in, as it was named to the harness.
    pub file: String,
    /// The list it is in: `deny`, `ask`, `allow` (Claude Code, Cursor's CLI), `terminalAllowlist`,
    /// `mcpAllowlist`, `.cursorignore`.
    pub list: String,
    /// The rule as written.
    pub rule: String,
}

/// What decided: a permission rule, the permission mode (no rule matched), or a hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecidedBy {
    /// A permission rule (or allowlist entry, or `.cursorignore` line).
    Rule,
    /// The permission mode: no rule matched.
    Mode,
    /// A hook.
    Hook,
}

impl DecidedBy {
    pub const fn name(self) -> &'static str {
        match self {
            DecidedBy::Rule => "rule",
            DecidedBy::Mode => "mode",
            DecidedBy::Hook => "hook",
        }
    }
}

/// The kinds of known ways around a runtime's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeakKind {
    /// A `Read` deny (or `.cursorignore`) does not cover reading the file through the shell.
    ShellRead,
    /// An `Edit`/`Write` deny does not cover writing the file through the shell.
    ShellWrite,
    /// Read rules apply to searches best effort only: a search can show a denied file.
    SearchReadsDenied,
    /// The command runs inside another (`sh -c`, `env`, `xargs`, `find -exec`, an interpreter,
    /// a brace group, a substitution); the rules saw only the outer command.
    WrappedCommand,
    /// An allowed interpreter or shell runs anything, past every deny rule.
    AllowedInterpreter,
    /// Commands chained after an allowed one ride along (the runtime judged only the first).
    ChainedCommand,
    /// A rule that pins a URL inside a command line, bypassed by writing the URL differently.
    UrlPinned,
    /// The call reaches the provider through the terminal, so no MCP rule is consulted.
    McpNeverConsulted,
    /// A hook meant to block failed (a non-blocking exit code, a timeout, not started) and the
    /// runtime went on as if it had not been there.
    HookFailedOpen,
}

impl LeakKind {
    pub const fn name(self) -> &'static str {
        match self {
            LeakKind::ShellRead => "shell-read",
            LeakKind::ShellWrite => "shell-write",
            LeakKind::SearchReadsDenied => "search-reads-denied",
            LeakKind::WrappedCommand => "wrapped-command",
            LeakKind::AllowedInterpreter => "allowed-interpreter",
            LeakKind::ChainedCommand => "chained-command",
            LeakKind::UrlPinned => "url-pinned",
            LeakKind::McpNeverConsulted => "mcp-never-consulted",
            LeakKind::HookFailedOpen => "hook-failed-open",
        }
    }
}

/// A known way around the decision, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Leak {
    pub kind: LeakKind,
    pub message: String,
}

impl Leak {
    pub const fn kind_name(&self) -> &'static str {
        self.kind.name()
    }
}

/// What the person (or classifier) asked said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// Said yes.
    Approved,
    /// Said no.
    Refused,
}

/// One approval prompt and its answer: who was asked, what they were shown, what they said.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Approval {
    /// The approver model, such as `reads the first 40 characters`.
    pub approver: String,
    /// The text the prompt showed.
    pub shown: String,
    /// The part of it the approver read, when they did not read it all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
    pub answer: Answer,
    /// Which prompt of the run this was for this approver, from 1.
    pub prompt: u32,
    /// Whether the runtime's classifier answered rather than a person.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub classifier: bool,
}
