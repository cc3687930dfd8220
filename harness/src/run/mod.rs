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

use crate::agent::{self, Action, Actor, Channel, Key, Keyring, Tools};
use crate::guardrails::gateway::ProxyGateway;
use crate::guardrails::{Answer, Decision, Guardrail, Layer, Stack, Subject};
use crate::report::{IncidentReport, RunRecord, RuntimeReport, TimelineEvent, assemble};
use crate::scenario::Scenario;
use crate::scope::{ScopeInput, ScopeReport, analyze};
use crate::world::{self, World};
use timeline::Timeline;

/// Input the run cannot understand: a world the provider refuses, a placeholder that names
/// nothing. Outcomes (lost volumes, failed expectations) are never errors. When the run was
/// given the file's text, an error about a step points into it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}{}: {message}", location(.code.as_deref(), .span.as_ref()))]
#[diagnostic(code(firedrill::run))]
pub struct RunError {
    pub path: String,
    pub message: String,
    #[help]
    pub help: Option<String>,
    /// The file's text, when the run was given it.
    #[source_code]
    pub code: Option<std::sync::Arc<miette::NamedSource<std::sync::Arc<str>>>>,
    /// What in the file the error is about.
    #[label("names nothing now")]
    pub span: Option<miette::SourceSpan>,
}

/// `:line:column` (from 1) of `span` in `code`, when both are known.
fn location(code: Option<&miette::NamedSource<std::sync::Arc<str>>>, span: Option<&miette::SourceSpan>) -> String {
    let (Some(code), Some(span)) = (code, span) else { return String::new() };
    let before = code.inner().get(..span.offset()).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(":{line}:{column}")
}

impl RunError {
    /// An error with no place in the file to point at.
    pub fn plain(path: &str, message: String, help: Option<String>) -> Self {
        RunError { path: path.to_owned(), message, help, code: None, span: None }
    }
}

/// Builds a `Run`: `Run::builder(scenario).path("scenarios/x.toml").guardrail(g).start().await?`.
#[must_use]
pub struct RunBuilder {
    scenario: Scenario,
    path: String,
    source: Option<std::sync::Arc<str>>,
    guardrails: Vec<Box<dyn Guardrail>>,
    world: Option<World>,
}

impl RunBuilder {
    /// The path reports and errors name the scenario by.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The text the scenario was loaded from, so that an error about a step (a placeholder that
    /// names nothing when the step runs) points at the step's line and column.
    pub fn source(mut self, text: impl Into<std::sync::Arc<str>>) -> Self {
        self.source = Some(text.into());
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
        let err = |message: String, help: Option<&str>| RunError::plain(&self.path, message, help.map(str::to_string));
        let world = match given {
            Some(world) => world,
            None => World::build(&self.scenario).await.map_err(|m| err(m, Some("run `firedrill check` on the file")))?,
        };
        // The one place the stack is built: the scenario's own agent runtime and gateway first,
        // then the guardrails given in Rust (the stack orders them by layer).
        let runtime = world::agent_runtime(&self.scenario, &world.repo).map_err(|m| err(m, Some("run `firedrill check` on the file")))?;
        let gateway = world::gateway(&self.scenario, &world.provider).await.map_err(|m| err(m, None))?;
        let summary = runtime.as_ref().map(|r| RuntimeReport { summary: r.summary(), findings: r.findings().to_vec() });
        let mut guardrails: Vec<Box<dyn Guardrail>> = Vec::new();
        if let Some(r) = runtime {
            guardrails.push(Box::new(r));
        }
        guardrails.extend(gateway.layers);
        guardrails.extend(self.guardrails);
        // Each attempt lists every layer's decision when the team's runtime is part of the drill.
        let attribute = guardrails.iter().any(|g| g.layer() == Layer::AgentRuntime);
        let stack = Stack::new(guardrails).map_err(|e| err(e.to_string(), None))?;
        let mut timeline = Timeline { found: world.held.clone(), ..Timeline::default() };
        timeline.push(world.history.clone());
        let mut run = Run {
            scenario: self.scenario,
            path: self.path,
            world,
            stack,
            proxy: gateway.proxy,
            timeline,
            next_step: 0,
            scope: Vec::new(),
            source: self.source,
            runtime: summary,
            attribute,
            action_decisions: Vec::new(),
        };
        // The scope expectations judge the world before the agent acts.
        if run.scenario.expect.asks_scope() {
            run.scope = crate::scope::expectations(&run.scenario, &run.scope());
        }
        Ok(run)
    }
}

pub struct Run {
    scenario: Scenario,
    path: String,
    source: Option<std::sync::Arc<str>>,
    world: World,
    stack: Stack,
    /// The team's proxy, when the scenario's gateway is one: calls go through it over HTTP.
    proxy: Option<ProxyGateway>,
    timeline: Timeline,
    next_step: usize,
    /// The scenario's agent runtime, as the report states it.
    runtime: Option<RuntimeReport>,
    /// Whether each destructive attempt lists every layer's decision (a runtime is in the stack).
    attribute: bool,
    /// The agent runtime's decisions on the current step's action, for its attempts.
    action_decisions: Vec<Decision>,
    /// The scope expectations, judged on the world at the start.
    scope: Vec<crate::report::ExpectationResult>,
}

impl Run {
    pub fn builder(scenario: Scenario) -> RunBuilder {
        RunBuilder { path: scenario.name.clone(), scenario, source: None, guardrails: Vec::new(), world: None }
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
        self.action_decisions.clear();
        if step.actor == Actor::Agent {
            let (decisions, stopped) = self.stack.check(Subject::Action(&step.action));
            event.decisions = decisions.clone();
            self.action_decisions = decisions;
            if let Some(layer) = stopped {
                event.effect.push(format!("stopped by {layer}"));
                self.timeline.push(event);
                self.approvals(n);
                self.unperformed(n, step.actor, &step.action, layer);
                return Ok(true);
            }
        }
        let action = self.resolve(step.actor, &step.action).map_err(|e| self.unresolved(n, &step.action, e))?;
        let own = self.timeline.push(event);
        self.approvals(n);
        let keys = self.keys_of(step.actor);
        let planned = agent::plan(&action, Tools { repo: &self.world.repo, env: &self.world.agent_env, keys: &keys });
        for p in planned {
            self.perform(n, step.actor, own, p).await;
        }
        Ok(true)
    }

    /// Each approval the runtime asked for on step `n`, as a timeline event of its own: who was
    /// asked, the text they were shown (and the part they read), and their answer.
    fn approvals(&mut self, n: usize) {
        let now = self.world.provider.now();
        for d in self.action_decisions.clone() {
            let Some(a) = &d.approval else { continue };
            let who = if a.classifier { "classifier" } else { "approver" };
            let mut e = TimelineEvent::new(now, who, Channel::Approval, format!("prompt {}: {}", a.prompt, a.shown));
            e.step = Some(n);
            e.effect.push(format!("asked: {}", a.approver));
            if let Some(read) = &a.read {
                e.effect.push(format!("read only `{read}`"));
            }
            e.effect.push(match a.answer {
                Answer::Approved => "approved".to_string(),
                Answer::Refused => "refused".to_string(),
            });
            self.timeline.push(e);
        }
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
    fn resolve(&self, actor: Actor, action: &Action) -> Result<Action, world::Unresolved> {
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

    /// The error for step `n`'s placeholder that names nothing now, pointing at the placeholder
    /// in the file when the run has its text.
    fn unresolved(&self, n: usize, action: &Action, e: world::Unresolved) -> RunError {
        let mut error = RunError::plain(&self.path, format!("step {n}: {}", e.message), Some(e.help));
        if let Some(text) = &self.source {
            let key = action.key();
            let path = crate::scenario::spans::doc_path!["agent", "step", n - 1, key];
            let span = crate::scenario::spans::Spans::new(text).within(path, &e.placeholder, 0);
            let code = miette::NamedSource::new(self.path.clone(), std::sync::Arc::clone(text)).with_language("toml");
            error.code = Some(std::sync::Arc::new(code));
            error.span = Some(span.into());
        }
        error
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
            runtime: self.runtime.as_ref(),
            start: self.world.start,
            history_start: self.world.history_start,
            scope_expectations: &self.scope,
        })
        .await
    }

    /// The scope analysis of the world as it is now, through this run's guardrail stack: what
    /// every token, and the agent, can reach (`firedrill scope`).
    pub fn scope(&self) -> ScopeReport {
        // A copy: the stack's gateway reads the provider's state itself while the analysis runs.
        let state = self.world.provider.snapshot();
        analyze(&ScopeInput {
            scenario: &self.scenario,
            path: &self.path,
            state: &state,
            repo: &self.world.repo,
            env: &self.world.agent_env,
            held: &self.world.held,
            keys: &self.world.keys,
            stack: &self.stack,
        })
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
