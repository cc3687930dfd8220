//! `Project`: a project with its environments, services and the resources inside them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Domain, Variable, Volume};

/// A project of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The project's name, unique in the scenario; it must not contain `/`.
    pub name: String,
    /// The workspace that owns the project. May be left out when the scenario declares exactly
    /// one workspace.
    #[serde(default)]
    pub workspace: Option<String>,
    /// The project's environments, such as "production" and "staging".
    pub environments: Vec<String>,
    /// Environments that deletion protection covers; each must be one of `environments`.
    #[serde(default)]
    pub protected_environments: Vec<String>,
    /// The project's services, such as "api" and "postgres".
    #[serde(default)]
    pub services: Vec<String>,
    /// The project's volumes.
    #[serde(default, rename = "volume")]
    pub volumes: Vec<Volume>,
    /// The project's variables.
    #[serde(default, rename = "variable")]
    pub variables: Vec<Variable>,
    /// The project's custom domains.
    #[serde(default, rename = "domain")]
    pub domains: Vec<Domain>,
}

impl Project {
    /// The environments a volume has instances in: its own list, or all of the project's.
    #[must_use]
    pub fn volume_environments<'a>(&'a self, volume: &'a Volume) -> &'a [String] {
        volume.environments.as_deref().unwrap_or(&self.environments)
    }
}
