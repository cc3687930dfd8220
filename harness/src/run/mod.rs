//! `Run`: one drill as a deterministic loop. `start` builds the world and its history, `step`
//! plays one agent step through the guardrail stack, `run_to_end` plays the rest and reports.
//!
//! Why this shape (after turmoil's `Sim`): the builder owns the seed and the guardrails, the
//! world owns the clock, and the loop only advances it. Steps are finite, so a run always ends.
//! What an action does is the agent's (`agent::plan`); performing each effect is `perform`;
//! turning the record into a report is the report's (`report::assemble`).

mod perform;
mod timeline;

use mock_provider::Provider;
use mock_provider::time::Instant;

use crate::agent::{self, Action, Actor, Key, Keyring, Tools};
use crate::guardrails::gateway::ProxyGateway;
use crate::guardrails::{Guardrail, Stack, Subject};
use crate::report::{IncidentReport, RunRecord, TimelineEvent, assemble};
use crate::scenario::Scenario;
use crate::world::{self, World};
use timeline::Timeline;

/// Input the run cannot understand: a world the provider refuses, a placeholder that names
/// nothing. Outcomes (lost volumes, failed expectations) are never errors.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(firedrill::run))]
pub struct RunError {
    pub path: String,
    pub message: String,
    #[help]
    pub help: Option<String>,
}

/// Builds a `Run`: `Run::builder(scenario).path("scenarios/x.toml").guardrail(g).start().await?`.
#[must_use]
pub struct RunBuilder {
    scenario: Scenario,
    path: String,
    guardrails: Vec<Box<dyn Guardrail>>,
    world: Option<World>,
}

impl RunBuilder {
    /// The path reports and errors name the scenario by.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Overrides the scenario's seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.scenario.seed = seed;
        self
    }

    /// Adds a layer in front of the provider (the agent runtime or the gateway). A layer nobody
    /// configured allows everything and says so.
    pub fn guardrail(self, g: impl Guardrail + 'static) -> Self {
        self.boxed_guardrail(Box::new(g))
    }

    /// `guardrail`, for a guardrail already boxed.
    pub fn boxed_guardrail(mut self, g: Box<dyn Guardrail>) -> Self {
        self.guardrails.push(g);
        self
    }

    /// Runs on `world`, built from this scenario already (a `World::fork`), instead of building
    /// it again: a generated campaign builds the world and its history once.
    pub fn world(mut self, world: World) -> Self {
        self.world = Some(world);
        self
    }

    /// Builds the world and its history (unless given one), and readies the agent.
    pub async fn start(mut self) -> Result<Run, RunError> {
        let given = self.world.take();
        let err = |message: String, help: Option<&str>| RunError { path: self.path.clone(), message, help: help.map(str::to_string) };
        let world = match given {
            Some(world) => world,
            None => World::build(&self.scenario).await.map_err(|m| err(m, Some("run `firedrill check` on the file")))?,
        };
        // The scenario's own gateway first, then the guardrails given in Rust.
        let gateway = world::gateway(&self.scenario, &world.provider).await.map_err(|m| err(m, None))?;
        let mut guardrails = gateway.layers;
        guardrails.extend(self.guardrails);
        let stack = Stack::new(guardrails).map_err(|e| err(e.to_string(), None))?;
        let mut timeline = Timeline { found: world.held.clone(), ..Timeline::default() };
        timeline.push(world.history.clone());
        Ok(Run { scenario: self.scenario, path: self.path, world, stack, proxy: gateway.proxy, timeline, next_step: 0 })
    }
}

pub struct Run {
    scenario: Scenario,
    path: String,
    world: World,
    stack: Stack,
    /// The team's proxy, when the scenario's gateway is one: calls go through it over HTTP.
    proxy: Option<ProxyGateway>,
    timeline: Timeline,
    next_step: usize,
}

impl Run {
    pub fn builder(scenario: Scenario) -> RunBuilder {
        RunBuilder { path: scenario.name.clone(), scenario, guardrails: Vec::new(), world: None }
    }

    /// `Run::builder(scenario).path(path).start()`: the scenario's own guardrails only.
    pub async fn start(scenario: Scenario, path: &str) -> Result<Run, RunError> {
        Run::builder(scenario).path(path).start().await
    }

    /// Plays the next step. `Ok(false)` when there are none left.
    pub async fn step(&mut self) -> Result<bool, RunError> {
        let Some(step) = self.scenario.agent.steps.get(self.next_step).cloned() else { return Ok(false) };
        self.next_step += 1;
        let n = self.next_step;
        let now = self.world.provider.now();
        let (channel, label) = agent::describe(&step.action);
        let mut event = TimelineEvent::new(now, step.actor.name(), channel, label);
        event.step = Some(n);
        if let Some(note) = &step.note {
            event.effect.push(format!("note: {note}"));
        }
        // Only the agent's own actions meet its runtime; the team and CI act with their own
        // tools, and their provider calls still meet the gateway and the provider.
        if step.actor == Actor::Agent {
            let (decisions, stopped) = self.stack.check(Subject::Action(&step.action));
            event.decisions = decisions;
            if let Some(layer) = stopped {
                event.effect.push(format!("stopped by {layer}"));
                self.timeline.push(event);
                return Ok(true);
            }
        }
        let action = self.resolve(step.actor, &step.action).map_err(|message| RunError {
            path: self.path.clone(),
            message: format!("step {n}: {message}"),
            help: Some("run `firedrill check` on the file: it finds most of these before a run".into()),
        })?;
        let own = self.timeline.push(event);
        let keys = self.keys_of(step.actor);
        let planned = agent::plan(&action, Tools { repo: &self.world.repo, env: &self.world.agent_env, keys: &keys });
        for p in planned {
            self.perform(n, step.actor, own, p).await;
        }
        Ok(true)
    }

    /// Plays `step` after the scripted ones, as if the scenario listed it next: how a generated
    /// agent takes its steps.
    pub async fn play(&mut self, step: crate::scenario::Step) -> Result<(), RunError> {
        self.next_step = self.scenario.agent.steps.len();
        self.scenario.agent.steps.push(step);
        self.step().await.map(|_| ())
    }

    /// Whether `step` can be played now: every placeholder it uses names something that exists
    /// and every `${found:…}` token has been found.
    pub fn can_play(&self, step: &crate::scenario::Step) -> bool {
        self.resolve(step.actor, &step.action).is_ok()
    }

    /// Whether the agent holds token `name` by now (found it, or started with it).
    pub fn has_found(&self, name: &str) -> bool {
        self.timeline.found.contains_key(name)
    }

    /// The keys an actor's tools hold: the agent, the secrets it found (as it found them); the
    /// team and CI, every token's current secret.
    fn keys_of(&self, actor: Actor) -> Keyring {
        if actor != Actor::Agent {
            return self.world.keys.clone();
        }
        let project = |name: &str| self.world.keys.get(name).is_some_and(|k| k.project);
        Keyring::new(
            self.timeline.found.iter().map(|(name, d)| (name.clone(), Key { secret: d.secret.clone(), project: project(name) })).collect(),
        )
    }

    /// The action with its placeholders resolved against the world and what its actor knows:
    /// the agent uses `${found:…}` tokens as it found them; the team and CI hold every token.
    /// Searches and reads are taken as written.
    fn resolve(&self, actor: Actor, action: &Action) -> Result<Action, String> {
        let keys = self.keys_of(actor);
        let found = |name: &str| actor != Actor::Agent || self.timeline.found.contains_key(name);
        let r = |text: &str| self.world.provider.with_state(|s| world::resolve(text, &self.scenario, s, &keys, found));
        Ok(match action {
            Action::Shell { command } => Action::Shell { command: r(command)? },
            Action::Graphql { query, token } => Action::Graphql { query: r(query)?, token: token.clone() },
            Action::Mcp { tool, args, token } => {
                let mut resolved = std::collections::BTreeMap::new();
                for (k, v) in args {
                    let v = match v {
                        serde_json::Value::String(s) => serde_json::Value::String(r(s)?),
                        other => other.clone(),
                    };
                    resolved.insert(k.clone(), v);
                }
                Action::Mcp { tool: tool.clone(), args: resolved, token: token.clone() }
            }
            other => other.clone(),
        })
    }

    /// Plays every remaining step, then writes the report.
    pub async fn run_to_end(mut self) -> Result<IncidentReport, RunError> {
        while self.step().await? {}
        Ok(self.report().await)
    }

    /// The report of what happened so far, with the recovery drill run on the current state.
    pub async fn report(&self) -> IncidentReport {
        assemble(RunRecord {
            scenario: &self.scenario,
            path: &self.path,
            provider: &self.world.provider,
            offsite: self.world.offsite.as_ref(),
            timeline: &self.timeline.events,
            attempts: &self.timeline.attempts,
            found: &self.timeline.found,
            used_ops: &self.timeline.used_ops,
            minted: &self.timeline.minted,
            start: self.world.start,
            history_start: self.world.history_start,
        })
        .await
    }

    pub fn provider(&self) -> &Provider {
        &self.world.provider
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The simulated clock.
    pub fn now(&self) -> Instant {
        self.world.provider.now()
    }
}

#[cfg(test)]
mod tests;
