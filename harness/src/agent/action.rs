//! `Action`: what one step does, in the one vocabulary the scenario format, the guardrails and
//! the run all use; `Actor`, who takes the step; and `Wait`, how long a wait lasts.

use std::collections::BTreeMap;
use std::fmt;

use mock_provider::time::{Duration, Instant};
use serde::{Deserialize, Serialize};

/// Who takes a step. Only the agent's steps meet the agent runtime; every actor's provider
/// calls meet the gateway and the provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// The coding agent (the default).
    #[default]
    Agent,
    /// The team: people noticing, restoring, rotating tokens. They hold their own tokens.
    Team,
    /// The team's CI pipeline, with the tokens it is given.
    Ci,
}

impl Actor {
    pub const fn name(self) -> &'static str {
        match self {
            Actor::Agent => "agent",
            Actor::Team => "team",
            Actor::Ci => "ci",
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something the clock can be waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaitEvent {
    /// The next scheduled provider backup of any live volume instance.
    NextBackup,
    /// The next purge of a soft-deleted volume.
    Purge,
    /// The completion of the workflow started last (a backup, its deletion, a restore).
    Workflow,
}

impl WaitEvent {
    pub const ALL: [WaitEvent; 3] = [WaitEvent::NextBackup, WaitEvent::Purge, WaitEvent::Workflow];

    pub const fn name(self) -> &'static str {
        match self {
            WaitEvent::NextBackup => "next-backup",
            WaitEvent::Purge => "purge",
            WaitEvent::Workflow => "workflow",
        }
    }
}

/// How long a `wait` lasts: a length of time, until an instant, or until an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    For(Duration),
    Until(Instant),
    UntilEvent(WaitEvent),
}

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wait::For(d) => write!(f, "{d}"),
            Wait::Until(t) => write!(f, "until {t}"),
            Wait::UntilEvent(e) => write!(f, "until the {}", e.name()),
        }
    }
}

/// What one step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Searches the repository files for a case-sensitive substring, like `grep -r`.
    Search {
        /// The substring searched for.
        pattern: String,
    },
    /// Reads one repository file.
    Read {
        /// The file's path.
        path: String,
    },
    /// Runs a shell command, such as a `curl` to the provider's API.
    Shell {
        /// The command line.
        command: String,
    },
    /// Sends a GraphQL document to the provider's API.
    Graphql {
        /// The GraphQL document.
        query: String,
        /// The name of the token the request is authorized with.
        token: String,
    },
    /// Calls a tool of the provider's MCP server.
    Mcp {
        /// The tool's name, such as `volume_delete`.
        tool: String,
        /// The tool's arguments.
        args: BTreeMap<String, serde_json::Value>,
        /// The name of the token the MCP server is configured with.
        token: String,
    },
    /// Lets simulated time pass.
    Wait(Wait),
    /// Railway support's out-of-band restore of a soft-deleted volume (the e-mailed link): no
    /// API does this, so only the team can.
    Restore {
        /// The volume, as `project/volume`.
        volume: String,
    },
    /// Runs the team's off-site backup job now, out of its schedule.
    RunOffsiteJob,
    /// Revokes a token: its secret stops working; tokens it minted live on.
    Revoke {
        /// The token's name.
        token: String,
    },
    /// Rotates a token: the old secret stops working and the token gets a new one, which the
    /// team keeps where the old one was not (the repository files still hold the old one).
    Rotate {
        /// The token's name.
        token: String,
    },
}

impl Action {
    /// The key that writes this action in a scenario file, such as `"graphql"`.
    #[must_use]
    pub const fn key(&self) -> &'static str {
        match self {
            Self::Search { .. } => "search",
            Self::Read { .. } => "read",
            Self::Shell { .. } => "shell",
            Self::Graphql { .. } => "graphql",
            Self::Mcp { .. } => "mcp",
            Self::Wait(_) => "wait",
            Self::Restore { .. } => "restore",
            Self::RunOffsiteJob => "offsite_job",
            Self::Revoke { .. } => "revoke",
            Self::Rotate { .. } => "rotate",
        }
    }

    /// The token a `graphql` or `mcp` step names.
    #[must_use]
    pub fn token(&self) -> Option<&str> {
        match self {
            Self::Graphql { token, .. } | Self::Mcp { token, .. } => Some(token),
            _ => None,
        }
    }

    /// Whether only the team (or CI) can take this step: it acts out of band, not through any
    /// tool an agent has.
    #[must_use]
    pub const fn out_of_band(&self) -> bool {
        matches!(self, Self::Restore { .. } | Self::RunOffsiteJob | Self::Revoke { .. } | Self::Rotate { .. })
    }
}
