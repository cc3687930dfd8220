//! `Workspace`: a team workspace that owns projects and workspace tokens.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A workspace of the team's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// The workspace's name, unique in the scenario.
    pub name: String,
}
