//! `Action`: what one step of the agent does, in the one vocabulary the scenario format, the
//! guardrails and the run all use.

use std::collections::BTreeMap;

use mock_provider::time::Duration;

/// What one step of the agent does.
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
    Wait {
        /// How long to wait.
        duration: Duration,
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
            Self::Wait { .. } => "wait",
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
}
