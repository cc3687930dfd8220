//! `Channel`: how an action or a call travelled, as the timeline names it.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! channels {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, )*) => {
        /// How an action or a call travelled: through which of the agent's tools, or which of
        /// the world's own processes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Channel { $( $(#[$doc])* $variant, )* }

        impl Channel {
            /// The channel's name on the timeline and in the provider's audit log.
            pub const fn name(self) -> &'static str {
                match self { $( Channel::$variant => $name, )* }
            }
        }
    };
}

channels! {
    /// A `search` step: the agent's own file search tool.
    RepoSearch = "repo:search",
    /// A `read` step: the agent's own file read tool.
    RepoRead = "repo:read",
    /// A `shell` step as the agent's runtime sees it: one command line.
    Shell = "shell",
    /// `curl` inside a shell step.
    ShellCurl = "shell:curl",
    /// `cat`, `head`, `tail` inside a shell step.
    ShellRead = "shell:read",
    /// `grep`, `rg` inside a shell step.
    ShellSearch = "shell:search",
    /// `env`, `printenv`, `echo` inside a shell step.
    ShellEnv = "shell:env",
    /// `ls`, `find` inside a shell step.
    ShellList = "shell:list",
    /// The Railway CLI inside a shell step.
    ShellRailway = "shell:railway",
    /// A `graphql` step: the agent's own HTTP tool.
    Graphql = "graphql",
    /// A Railway MCP tool.
    McpRailway = "mcp:railway",
    /// A `wait` step.
    Clock = "clock",
    /// A request that reached the served mock over HTTP (`serve --scenario`).
    Http = "http",
    /// The off-site job's upload to its store.
    HttpS3 = "http:s3",
    /// History synthesized before the run's start.
    Simulated = "simulated",
    /// A provider backup schedule firing.
    Schedule = "schedule",
    /// Backup retention running out.
    Retention = "retention",
    /// A grace window closing.
    Purge = "purge",
    /// An asynchronous provider workflow completing.
    Workflow = "workflow",
    /// Railway's out-of-band surface (support's restore link).
    Admin = "admin",
    /// A provider change caused directly by a request.
    Request = "request",
    /// The agent runtime's approval prompt, answered by the person (or classifier) asked.
    Approval = "approval",
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
