//! `Finding`: something in a team's settings that the runtime would read differently from how it
//! looks, or ignore, with the file, line and column it is at.

use std::fmt;

use serde::Serialize;

use super::json::Pos;

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The runtime refuses (or ignores) the whole file: it is not what the runtime reads.
    FileRefused,
    /// `//` or `/* */` comments in a file read as strict JSON.
    CommentInStrictJson,
    /// A rule with spaces inside its parentheses.
    SpacesInRule,
    /// A string in a rule list that is not a rule at all (a section divider, a comment).
    NotARule,
    /// A tool name the runtime used to have, or an alias.
    LegacyToolName,
    /// A tool name the runtime does not have.
    UnknownTool,
    /// A rule the runtime accepts and never consults.
    NeverConsulted,
    /// A rule that matches nothing as written.
    MatchesNothing,
    /// A rule that pins a URL inside a command, which documentation says is easily bypassed.
    EasilyBypassed,
    /// A hook entry without its inner `hooks` array.
    MissingHooksArray,
    /// A matcher on a hook event that takes none.
    MatcherIgnored,
    /// A hook timeout that looks like milliseconds where the runtime reads seconds.
    TimeoutInMilliseconds,
    /// A hook reading an environment variable the runtime never sets.
    UnsetEnvVar,
    /// A hook registered on an event the runtime does not have.
    UnknownHookEvent,
    /// A hook entry the runtime cannot run (no command, an unknown type).
    HookIgnored,
    /// A value of the wrong type, dropped.
    WrongType,
    /// A key the runtime does not read.
    UnknownKey,
    /// A permission mode that is unknown, or disabled by another setting.
    ModeIgnored,
    /// Rules dropped because managed settings allow only their own.
    DroppedByManagedPolicy,
}

impl FindingKind {
    /// Whether a setting with this finding looks like protection but stops nothing: the file is
    /// not read, the rule never matches or is never consulted, the hook never runs or reads what
    /// is never set.
    pub fn protects_nothing(self) -> bool {
        use FindingKind::*;
        matches!(
            self,
            FileRefused
                | CommentInStrictJson
                | SpacesInRule
                | NotARule
                | UnknownTool
                | NeverConsulted
                | MatchesNothing
                | EasilyBypassed
                | MissingHooksArray
                | UnsetEnvVar
                | UnknownHookEvent
                | HookIgnored
                | WrongType
                | UnknownKey
                | ModeIgnored
                | DroppedByManagedPolicy
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            FindingKind::FileRefused => "file-refused",
            FindingKind::CommentInStrictJson => "comment-in-strict-json",
            FindingKind::SpacesInRule => "spaces-in-rule",
            FindingKind::NotARule => "not-a-rule",
            FindingKind::LegacyToolName => "legacy-tool-name",
            FindingKind::UnknownTool => "unknown-tool",
            FindingKind::NeverConsulted => "never-consulted",
            FindingKind::MatchesNothing => "matches-nothing",
            FindingKind::EasilyBypassed => "easily-bypassed",
            FindingKind::MissingHooksArray => "missing-hooks-array",
            FindingKind::MatcherIgnored => "matcher-ignored",
            FindingKind::TimeoutInMilliseconds => "timeout-in-milliseconds",
            FindingKind::UnsetEnvVar => "unset-env-var",
            FindingKind::UnknownHookEvent => "unknown-hook-event",
            FindingKind::HookIgnored => "hook-ignored",
            FindingKind::WrongType => "wrong-type",
            FindingKind::UnknownKey => "unknown-key",
            FindingKind::ModeIgnored => "mode-ignored",
            FindingKind::DroppedByManagedPolicy => "dropped-by-managed-policy",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One finding: where it is and what the runtime makes of it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub kind: FindingKind,
    pub message: String,
}

impl Finding {
    pub fn new(file: &str, pos: Pos, kind: FindingKind, message: impl Into<String>) -> Self {
        Finding { file: file.to_string(), line: pos.line, column: pos.column, kind, message: message.into() }
    }

    /// Whether the runtime itself refuses the file this finding is about.
    pub fn refuses_file(&self) -> bool {
        self.kind == FindingKind::FileRefused
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file, self.line, self.column, self.kind, self.message)
    }
}
