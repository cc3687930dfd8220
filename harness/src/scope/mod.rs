//! `firedrill scope`: the static blast radius of every token and of the agent, without running
//! anything.
//!
//! ```text
//! tokens ─reach─▶ every (operation, resource) the provider's own decision allows, minted tokens'
//!        │        reach included ─purpose─▶ least-privilege findings, destructive first
//!        ▼
//! files the agent can read (the run's Stack judges each read) ─▶ tokens it can discover
//!        ─▶ each channel (shell curl, graphql, MCP) ─▶ the Stack's verdicts on the action and the
//!        call (agent runtime, gateway) ─▶ provider auth ─▶ witness paths, open and closed
//! ```
//!
//! Why this shape: nothing here decides reach or judges an action itself. Reach is the
//! provider's decision (`State::probes`, `State::probe`, `State::authorize_call`) over every
//! resource; what the agent may read or send is the run's own guardrail `Stack`, the layers a
//! run would meet (so the agent-runtime layer shows up here as soon as a scenario configures
//! it); the actions are planned by `agent::plan`, as a run plans them. So an analysis and a run
//! cannot disagree, and a test (`tests/it/scope.rs`) runs every witness as a scenario to check it.

mod baseline;
mod discovery;
mod expect;
mod purpose;
mod reach;
mod render;
mod witness;

use std::collections::{BTreeMap, BTreeSet};

use mock_provider::ops::{Op, OpClass, ResourceKind};
use mock_provider::{Probe, State};
use serde::Serialize;

pub use baseline::{Baseline, BaselineError, Growth};
pub use expect::expectations;
pub use render::{markdown, text};

use crate::agent::{Action, Keyring, Repo};
use crate::guardrails::{Layer, Stack, Verdict};
use crate::report::Discovery;
use crate::scenario::Scenario;

/// What the analysis reads: the world as a run builds it, and the run's guardrail stack.
pub struct ScopeInput<'a> {
    pub scenario: &'a Scenario,
    /// The path the scenario is named by.
    pub path: &'a str,
    pub state: &'a State,
    pub repo: &'a Repo,
    /// The agent's shell environment.
    pub env: &'a BTreeMap<String, String>,
    /// The tokens the agent holds from the start.
    pub held: &'a BTreeMap<String, Discovery>,
    /// Every token's secret (the agent's keyring is built from what it discovers).
    pub keys: &'a Keyring,
    pub stack: &'a Stack,
}

/// The analysis: every token's reach, and the agent's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScopeReport {
    pub scenario: String,
    pub profile: String,
    /// What the gateway is, and whether the analysis could judge it.
    pub gateway: String,
    pub tokens: Vec<TokenReach>,
    pub agent: AgentReach,
}

/// One token's reach under the profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenReach {
    pub token: String,
    pub kind: String,
    pub purpose: Vec<String>,
    /// Every operation it reaches on some resource, in catalogue order.
    pub operations: Vec<Op>,
    pub reach: Vec<Reached>,
    /// Reach beyond its purpose, destructive first.
    pub beyond_purpose: Vec<Finding>,
}

/// One (operation, resource) a token reaches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reached {
    pub operation: Op,
    pub class: OpClass,
    pub resource: Resource,
    /// How, when not directly: the token it can mint that reaches it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A resource, by the provider's names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Resource {
    pub kind: ResourceKind,
    pub id: String,
    /// The provider's label: `volume pocketos/pg-data`; `the account` for calls naming none.
    pub label: String,
    /// Its own name: `pg-data`.
    pub name: String,
    /// The environments it lives in, by name.
    pub environments: Vec<String>,
    /// A critical volume, or an instance or backup of one.
    pub critical: bool,
}

/// A least-privilege finding: an operation a token reaches that its purpose does not name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub operation: Op,
    pub class: OpClass,
    /// The resources it reaches with it, by label.
    pub resources: Vec<String>,
    pub message: String,
}

/// The agent's blast radius.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentReach {
    /// The tokens the agent can get hold of, and how.
    pub discovered: Vec<Discovered>,
    /// The tokens it cannot, and why.
    pub undiscovered: Vec<Undiscovered>,
    /// Every destructive (operation, resource) the agent can reach, each with its witness.
    pub destructive: Vec<Witness>,
    /// Destructive paths to critical resources that a layer stops, with the layer.
    pub closed: Vec<Witness>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Discovered {
    pub token: String,
    /// Where it is: a file, or the agent's environment.
    pub place: String,
    /// The step that reveals it (as a scenario would write it); none for a token held from the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
    /// That step's action.
    #[serde(skip)]
    pub action: Option<Action>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Undiscovered {
    pub token: String,
    pub why: String,
}

/// One action of a path, as a scenario step (`key` = its step key), with each layer's verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub key: String,
    pub text: String,
    pub channel: String,
    pub layers: Vec<LayerVerdict>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerVerdict {
    pub layer: Layer,
    pub verdict: Verdict,
    pub reason: String,
}

/// A witness path: file → token → channel → each layer's verdict → operation → resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Witness {
    pub operation: Op,
    pub resource: Resource,
    pub token: String,
    pub found_in: String,
    /// How the agent gets the token (none when it holds it from the start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Step>,
    /// The call, through the channel tried; every layer's verdict, the provider's auth last.
    pub call: Step,
    /// The layer that stops it; none on an open path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<Layer>,
    /// The path as an agent's actions, as a scenario's steps would hold them: the discovery (if
    /// any), then the call.
    #[serde(skip)]
    pub actions: Vec<Action>,
}

impl Witness {
    /// The path in one line, for baselines and diffs.
    pub fn key(&self) -> String {
        format!("{} {} with `{}` over {}", self.operation, self.resource.label, self.token, self.call.channel)
    }
}

impl ScopeReport {
    /// Whether no destructive path of the agent reaches a critical resource.
    pub fn no_destructive_reach_on_critical(&self) -> bool {
        !self.agent.destructive.iter().any(|w| w.resource.critical)
    }

    pub fn token(&self, name: &str) -> Option<&TokenReach> {
        self.tokens.iter().find(|t| t.token == name)
    }
}

/// Analyses `input`: every token's reach, then the agent's.
pub fn analyze(input: &ScopeInput<'_>) -> ScopeReport {
    let facts = Facts::of(input);
    let probes = reach::Probes::of(input.state);
    let tokens = reach::all(input, &facts, &probes);
    let agent = witness::agent(input, &facts, &probes, &tokens);
    ScopeReport {
        scenario: input.path.to_string(),
        profile: input.scenario.provider.profile.to_string(),
        gateway: gateway_note(input.scenario),
        tokens: tokens.into_iter().map(|(t, _)| t).collect(),
        agent,
    }
}

/// What the gateway is, in the analysis's words.
fn gateway_note(s: &Scenario) -> String {
    match &s.gateway {
        None => "none configured".into(),
        Some(g) => {
            let mut parts = Vec::new();
            if let Some(cedar) = &g.cedar {
                parts.push(format!("Cedar policies `{cedar}`, judged statically on every call"));
            }
            if let Some(p) = &g.proxy {
                let what = if p.command.is_empty() { p.url.clone().unwrap_or_default() } else { p.command.join(" ") };
                parts.push(format!(
                    "the team's proxy `{what}`, which cannot be judged statically: the paths below assume it passes every call"
                ));
            }
            parts.join("; ")
        }
    }
}

/// Scenario facts the provider does not hold: which volumes are critical.
pub(crate) struct Facts {
    pub critical_volumes: BTreeSet<String>,
    pub critical_instances: BTreeSet<String>,
}

impl Facts {
    fn of(input: &ScopeInput<'_>) -> Facts {
        let s = input.state;
        let critical_volumes: BTreeSet<String> = input
            .scenario
            .projects
            .iter()
            .flat_map(|p| p.volumes.iter().filter(|v| v.critical).map(move |v| (p, v)))
            .filter_map(|(p, v)| s.project_id(&p.name).ok().and_then(|pid| s.volume_id(&pid, &v.name).ok()))
            .collect();
        let critical_instances =
            s.volume_instances().values().filter(|i| critical_volumes.contains(&i.volume_id)).map(|i| i.id.clone()).collect();
        Facts { critical_volumes, critical_instances }
    }

    /// The resource a probe acts on, by the provider's names; a service named with one of its
    /// environments (`serviceDelete(environmentId:)`) is the service there.
    pub fn resource(&self, state: &State, p: &Probe) -> Resource {
        let mut r = self.resource_of(state, p.kind, &p.id);
        let input = p.arguments.get("input").and_then(|v| v.as_object());
        let env = p.arguments.get("environmentId").or_else(|| input.and_then(|i| i.get("environmentId"))).and_then(|v| v.as_str());
        if p.kind == ResourceKind::Service
            && let Some(e) = env.and_then(|e| state.environments().get(e))
        {
            r.label = format!("{} in {}", r.label, e.name);
            r.environments = vec![e.name.clone()];
        }
        r
    }

    /// The resource `kind` `id`, by the provider's names, environments and services qualified
    /// by their project (two projects both have a `production`).
    pub fn resource_of(&self, state: &State, kind: ResourceKind, id: &str) -> Resource {
        if kind == ResourceKind::Account {
            return Resource {
                kind,
                id: String::new(),
                label: "the account".into(),
                name: "the account".into(),
                environments: Vec::new(),
                critical: false,
            };
        }
        let named = state.named_resource(kind, id);
        let critical = match kind {
            ResourceKind::Volume => self.critical_volumes.contains(id),
            ResourceKind::VolumeInstance => self.critical_instances.contains(id),
            ResourceKind::Backup => named.instance.as_ref().is_some_and(|i| self.critical_instances.contains(i)),
            _ => false,
        };
        let label = match (kind, &named.project) {
            (ResourceKind::Environment, Some(p)) => format!("environment {}/{}", p.name, named.name),
            (ResourceKind::Service, Some(p)) => format!("service {}/{}", p.name, named.name),
            _ => named.label,
        };
        Resource {
            kind,
            id: id.to_string(),
            label,
            name: named.name,
            environments: named.environments.into_iter().map(|e| e.name).collect(),
            critical,
        }
    }
}

#[cfg(test)]
mod tests;
