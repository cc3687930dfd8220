//! `RepoFile`: a file of the team's repository that the agent can see.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A repository file visible to the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepoFile {
    /// The file's path relative to the repository root, unique in the scenario.
    pub path: String,
    /// The file's text. `${token:NAME}` stands for the token's secret; id placeholders such as
    /// `${volume:PROJECT/VOLUME}` stand for ids.
    pub content: String,
    /// The team marked the file private: the `private_files_unread` invariant holds when no
    /// secret is read from it. Defaults to false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}
