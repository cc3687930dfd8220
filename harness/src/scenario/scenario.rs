//! `Scenario`: the root of a scenario file, and lookups across its parts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::time_schema::{DurationSchema, InstantSchema};
use super::{
    Agent, AgentRuntimeSpec, Case, Duration, Expect, Gateway, Generate, Instant, Invariants, Monitor, OffsiteBackup, Project, Provider,
    Recovery, RepoFile, Token, Volume, WhatIf, Workspace,
};

/// One rehearsal: a team's world on a mock provider, an agent's steps against it, and what the
/// team expects to happen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The scenario's name, used in reports. Defaults to the file name without its extension.
    #[serde(default)]
    pub name: String,
    /// What the scenario rehearses, in a sentence.
    #[serde(default)]
    pub description: Option<String>,
    /// Seed of the run's random number generator (ids, synthesized history). Defaults to 0.
    #[serde(default)]
    pub seed: u64,
    /// The instant the run starts at, as an RFC 3339 timestamp.
    #[schemars(with = "InstantSchema")]
    pub start: Instant,
    /// How far before `start` history (writes, backups, off-site runs) is synthesized.
    /// Defaults to "100d".
    #[serde(default = "default_history")]
    #[schemars(with = "DurationSchema")]
    pub history: Duration,
    /// The mock provider's behaviour: a named profile and overrides of its knobs.
    pub provider: Provider,
    /// The workspaces of the team's account.
    #[serde(default, rename = "workspace")]
    pub workspaces: Vec<Workspace>,
    /// The projects, each with its environments, services, volumes, variables and domains.
    #[serde(default, rename = "project")]
    pub projects: Vec<Project>,
    /// The API tokens that exist, and where the team keeps each.
    #[serde(default, rename = "token")]
    pub tokens: Vec<Token>,
    /// The repository files the agent can see.
    #[serde(default, rename = "file")]
    pub files: Vec<RepoFile>,
    /// The team's own off-site backup job, if it has one.
    #[serde(default)]
    pub offsite_backup: Option<OffsiteBackup>,
    /// The freshness monitor over the off-site backups, if the team runs one.
    #[serde(default)]
    pub monitor: Option<Monitor>,
    /// The team's gateway in front of the provider: a Cedar policy file, its own proxy, or both.
    /// Without it, nothing stands between the agent's calls and the provider.
    #[serde(default)]
    pub gateway: Option<Gateway>,
    /// The team's agent runtime (Claude Code or Cursor) with its real settings files, hooks and
    /// approver: the `agent-runtime` layer. Without it, the layer allows every agent action and
    /// says so.
    #[serde(default)]
    pub agent_runtime: Option<AgentRuntimeSpec>,
    /// The loss the team tolerates and its own mitigations, for `firedrill whatif`.
    #[serde(default)]
    pub whatif: Option<WhatIf>,
    /// Parameters of the recovery drill run after the agent.
    #[serde(default)]
    pub recovery: Recovery,
    /// The scripted agent.
    #[serde(default)]
    pub agent: Agent,
    /// What the team expects the run to show; each expectation is checked after the run.
    #[serde(default)]
    pub expect: Expect,
    /// A boundary table: each `[[case]]` row gives a value to every `${param:NAME}` in the file,
    /// and runs as a test of its own, `<file>@<row>`.
    #[serde(default, rename = "case", skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<Case>,
    /// A generated agent: what `firedrill fuzz` and the `cargo test` runner draw programs from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<Generate>,
    /// What must hold after every generated run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariants: Option<Invariants>,
}

fn default_history() -> Duration {
    Duration::days(100)
}

impl Scenario {
    /// The instant synthesized history begins at: `start - history`.
    #[must_use]
    pub fn history_start(&self) -> Instant {
        self.start - self.history
    }

    /// The project named `name`.
    #[must_use]
    pub fn project(&self, name: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.name == name)
    }

    /// The token named `name`.
    #[must_use]
    pub fn token(&self, name: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.name == name)
    }

    /// The repository file at `path`.
    #[must_use]
    pub fn file(&self, path: &str) -> Option<&RepoFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The workspace a project belongs to: its `workspace`, or the scenario's only workspace.
    #[must_use]
    pub fn project_workspace<'a>(&'a self, project: &'a Project) -> Option<&'a str> {
        match (&project.workspace, self.workspaces.as_slice()) {
            (Some(name), _) => Some(name),
            (None, [only]) => Some(&only.name),
            (None, _) => None,
        }
    }

    /// Resolves a volume reference: `project/volume`, or a bare volume name that is unique
    /// across projects.
    /// A volume reference in its canonical `project/volume` form; as given when it names nothing.
    #[must_use]
    pub fn volume_ref(&self, reference: &str) -> String {
        match self.volume(reference) {
            Some((p, v)) => format!("{}/{}", p.name, v.name),
            None => reference.to_string(),
        }
    }

    #[must_use]
    pub fn volume(&self, reference: &str) -> Option<(&Project, &Volume)> {
        if let Some((project, volume)) = reference.split_once('/') {
            let project = self.project(project)?;
            let volume = project.volumes.iter().find(|v| v.name == volume)?;
            return Some((project, volume));
        }
        let mut matches = self.projects.iter().flat_map(|p| p.volumes.iter().map(move |v| (p, v))).filter(|(_, v)| v.name == reference);
        let first = matches.next()?;
        // A bare name that two projects use is ambiguous, so it resolves to nothing.
        matches.next().is_none().then_some(first)
    }
}
