//! One drill, start to finish: build the world and its history, play the agent's steps through
//! the guardrail stack, run the recovery drill, and write the incident report.
//!
//! Why this shape (after turmoil's `Sim`): `Run::start` owns the seed and the clock, `step`
//! plays one agent step, `finish` closes the run. Steps are finite, so a run always ends.

use std::collections::{BTreeMap, BTreeSet};

use mock_provider::ops::Op;
use mock_provider::time::{Duration as PDuration, Instant as PInstant};
use mock_provider::{Credentials, Provider, ProviderRequest, State, TokenKind, root_fields};

use crate::calls::{ToolRequest, cli_requests, mcp_request};
use crate::drill::{DrillTarget, drill};
use crate::guardrails::{AgentAction, Decision, LayerName, ProviderCall, Stack, Subject, Verdict};
use crate::offsite::{Dump, JobOutcome, OffsiteStore, stale_checks};
use crate::outcome::{self, Origin, field_outcome, not_reached, target_id};
use crate::repo::Repo;
use crate::report::{
    Alert, DestructiveAttempt, IncidentReport, LayerDecision, OffsiteReport, ProfileReport, Summary, TimelineEvent, TokenReport,
};
use crate::scenario::{Action, PlaceholderKind, Scenario, StoredIn, substitute};
use crate::shell::{self, Command as Sh, ShellContext};
use crate::world;

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

struct Found {
    step: Option<usize>,
    place: String,
}

pub struct Run {
    scenario: Scenario,
    path: String,
    provider: Provider,
    repo: Repo,
    stack: Stack,
    offsite: Option<OffsiteStore>,
    next_job: Option<PInstant>,
    found: BTreeMap<String, Found>,
    agent_env: BTreeMap<String, String>,
    timeline: Vec<TimelineEvent>,
    attempts: Vec<DestructiveAttempt>,
    used_ops: BTreeMap<String, BTreeSet<String>>,
    next_step: usize,
    start: PInstant,
}

fn ev(at: PInstant, actor: &str, channel: &str, action: String) -> TimelineEvent {
    TimelineEvent {
        at: at.to_string(),
        actor: actor.into(),
        channel: channel.into(),
        action,
        target: None,
        step: None,
        decisions: Vec::new(),
        effect: Vec::new(),
    }
}

fn layer(d: &Decision) -> LayerDecision {
    let verdict = match d.verdict {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
        Verdict::Ask => "ask",
    };
    outcome::decision(d.layer, verdict, d.reason.clone())
}

impl Run {
    /// Builds the world at the start of history, lets the provider's schedules and the team's
    /// off-site job run up to the scenario's start, and readies the agent.
    pub async fn start(scenario: Scenario, path: &str) -> Result<Run, RunError> {
        let err = |message: String, help: Option<&str>| RunError { path: path.to_string(), message, help: help.map(str::to_string) };
        let start = world::instant(scenario.start);
        let history_start = world::instant(scenario.history_start());
        let state = State::build(world::profile(&scenario), scenario.seed, history_start, &world::world_spec(&scenario))
            .map_err(|e| err(format!("the world cannot be built: {e}"), Some("run `firedrill check` on the file")))?;
        let provider = Provider::from_state(state, scenario.seed);
        let secret_of = |name: &str| provider.with_state(|s| s.token_named(name).map(|t| t.secret.clone()));
        let repo = Repo::new(&scenario, secret_of);
        let mut found = BTreeMap::new();
        let mut agent_env = BTreeMap::new();
        for t in &scenario.tokens {
            if let StoredIn::Env(var) = &t.stored_in
                && let Some(secret) = secret_of(&t.name)
            {
                agent_env.insert(var.clone(), secret);
                found.insert(t.name.clone(), Found { step: None, place: format!("environment variable `{var}` of the agent's shell") });
            }
        }
        let mut run = Run {
            path: path.to_string(),
            provider,
            repo,
            stack: Stack::default(),
            offsite: None,
            next_job: None,
            found,
            agent_env,
            timeline: Vec::new(),
            attempts: Vec::new(),
            used_ops: BTreeMap::new(),
            next_step: 0,
            start,
            scenario,
        };
        run.history(history_start, start).await.map_err(|m| err(m, None))?;
        Ok(run)
    }

    /// The drilled volume instance's data as the off-site job would dump it at `t`.
    fn dump_at(&self, cfg: &crate::scenario::OffsiteBackup, t: PInstant) -> Option<Dump> {
        let (project, volume) = self.scenario.volume(&cfg.volume)?;
        self.provider.with_state(|s| {
            let pid = s.project_id(&project.name).ok()?;
            let vid = s.volume_id(&pid, &volume.name).ok()?;
            let eid = s.environment_id(&pid, &cfg.environment).ok()?;
            let i = s.volume_instances().values().find(|i| i.volume_id == vid && i.environment_id == eid && i.is_live() && i.mounted)?;
            Some(Dump {
                volume: format!("{}/{}", project.name, volume.name),
                environment: cfg.environment.clone(),
                taken_at: t.0,
                records: i.records_at(t),
                used_mb: i.used_mb,
            })
        })
    }

    async fn history(&mut self, history_start: PInstant, start: PInstant) -> Result<(), String> {
        // Provider schedules run first: nothing in history changes a volume's write model, so the
        // off-site job can read any past instant's records from the state at `start`.
        self.provider.advance_to(start);
        let mut event = ev(history_start, "history", "simulated", format!("history synthesized from {history_start} to {start}"));
        let (taken, expired) = self.provider.with_state(|s| (s.stats().backups_taken, s.stats().backups_expired));
        event.effect.push(format!("provider took {taken} scheduled backups and expired {expired}"));
        if let Some(cfg) = self.scenario.offsite_backup.clone() {
            let mut store = OffsiteStore::start(cfg.clone()).await?;
            let every = world::duration(cfg.every);
            // A job cannot dump a volume before the simulated history begins: skip whole
            // periods, keeping the job's time of day.
            let mut since = cfg.since.map(world::instant).unwrap_or(history_start);
            if since < history_start && every.as_secs() > 0 {
                let periods = (history_start.0 - since.0 + every.as_secs() - 1) / every.as_secs();
                since = since + PDuration(periods * every.as_secs());
            }
            let stop = cfg.stopped_at.map(world::instant);
            let mut t = since;
            if every.as_secs() > 0 {
                while t < start && stop.is_none_or(|s| t < s) {
                    if let Some(dump) = self.dump_at(&cfg, t) {
                        store.run_in_history(&dump);
                    }
                    t = t + every;
                }
            }
            self.next_job = if every.as_secs() > 0 && stop.is_none_or(|s| t < s) { Some(t) } else { None };
            event.effect.push(format!(
                "off-site job ran {} times ({} failed, {} silently); {} dumps kept{}",
                store.runs,
                store.failed_runs,
                store.silent_failures,
                store.stored.len(),
                match stop {
                    Some(s) => format!("; it stopped silently at {s}"),
                    None => String::new(),
                }
            ));
            store.set_clock(start.0);
            self.offsite = Some(store);
        }
        self.timeline.push(event);
        Ok(())
    }

    /// Advances the clock to `target`, running the off-site job over HTTP on the way.
    async fn advance(&mut self, target: PInstant) {
        while let Some(t) = self.next_job
            && t <= target
        {
            self.provider.advance_to(t);
            let every = self.offsite.as_ref().map(|s| world::duration(s.config.every)).unwrap_or(PDuration::ZERO);
            let stop = self.offsite.as_ref().and_then(|s| s.config.stopped_at.map(world::instant));
            let dump = match self.offsite.as_ref().map(|s| s.config.clone()) {
                Some(cfg) => self.dump_at(&cfg, t),
                None => None,
            };
            if let Some(store) = self.offsite.as_mut() {
                let mut e = ev(t, "offsite-job", "http:s3", format!("dump to {}", store.config.target));
                let outcome = match &dump {
                    Some(d) => store.run_over_http(d).await,
                    None => {
                        store.runs += 1;
                        store.failed_runs += 1;
                        store.failures_at.push(t.0);
                        JobOutcome::Failed { reason: "nothing to dump: the volume is gone".into(), silent: false }
                    }
                };
                e.effect.push(match outcome {
                    JobOutcome::Stored => "stored".into(),
                    JobOutcome::Failed { reason, silent: true } => format!("failed ({reason}), reported as success"),
                    JobOutcome::Failed { reason, silent: false } => format!("failed ({reason})"),
                });
                self.timeline.push(e);
            }
            let next = t + every;
            self.next_job = if every.as_secs() > 0 && stop.is_none_or(|s| next < s) { Some(next) } else { None };
        }
        self.provider.advance_to(target);
    }

    fn discover(&mut self, step: usize, text: &str, place: &str) -> Vec<String> {
        let mut effect = Vec::new();
        for name in self.repo.tokens_in(text) {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.found.entry(name) {
                effect.push(format!("found token `{}` in {place}", slot.key()));
                slot.insert(Found { step: Some(step), place: place.to_string() });
            }
        }
        effect
    }

    fn resolve(&self, text: &str) -> Result<String, String> {
        let mut missing = None;
        let out = substitute(text, |p| match p.kind {
            PlaceholderKind::Found | PlaceholderKind::Token => {
                if p.kind == PlaceholderKind::Found && !self.found.contains_key(p.argument) {
                    missing.get_or_insert_with(|| format!("the agent uses token `{}` before finding it", p.argument));
                }
                self.provider.with_state(|s| s.token_named(p.argument).map(|t| t.secret.clone())).unwrap_or_default()
            }
            _ => match self.provider.with_state(|s| world::resolve_id(s, &self.scenario, p)) {
                Some(id) => id,
                None => {
                    missing.get_or_insert_with(|| format!("`{}` names nothing in the world", p.text));
                    String::new()
                }
            },
        });
        match missing {
            Some(m) => Err(m),
            None => Ok(out),
        }
    }

    /// Plays the next agent step. `Ok(false)` when there are none left.
    pub async fn step(&mut self) -> Result<bool, RunError> {
        let Some(step) = self.scenario.agent.steps.get(self.next_step).cloned() else { return Ok(false) };
        self.next_step += 1;
        let n = self.next_step;
        let path = self.path.clone();
        let err = move |message: String| RunError {
            path: path.clone(),
            message: format!("step {n}: {message}"),
            help: Some("run `firedrill check` on the file: it finds most of these before a run".into()),
        };
        let now = self.provider.now();
        let (action, channel, label) = match &step.action {
            Action::Search { pattern } => (AgentAction::Search { pattern: pattern.clone() }, "repo:search", format!("search `{pattern}`")),
            Action::Read { path } => (AgentAction::Read { path: path.clone() }, "repo:read", format!("read `{path}`")),
            Action::Shell { command } => (AgentAction::Shell { command: command.clone() }, "shell", format!("run `{command}`")),
            Action::Graphql { query, .. } => (AgentAction::Graphql { query: query.clone() }, "graphql", "call the GraphQL API".into()),
            Action::Mcp { tool, .. } => {
                (AgentAction::Mcp { server: "railway".into(), tool: tool.clone() }, "mcp:railway", format!("call MCP tool `{tool}`"))
            }
            Action::Wait { duration } => (AgentAction::Wait, "clock", format!("wait {duration}")),
        };
        let mut event = ev(now, "agent", channel, label);
        event.step = Some(n);
        if let Some(note) = &step.note {
            event.effect.push(format!("note: {note}"));
        }
        let (decisions, stopped) = self.stack.check(Subject::Action(&action));
        event.decisions = decisions.iter().map(layer).collect();
        if let Some(layer_name) = stopped {
            event.effect.push(format!("stopped by {}", layer_name.as_str()));
            self.timeline.push(event);
            return Ok(true);
        }
        match &step.action {
            Action::Search { pattern } => {
                let hits: Vec<String> = self.repo.search(pattern, false).into_iter().map(str::to_string).collect();
                event.effect.push(if hits.is_empty() { "no match".into() } else { format!("matched {}", hits.join(", ")) });
                for path in hits {
                    let text = self.repo.read(&path).unwrap_or_default().to_string();
                    let found = self.discover(n, &text, &format!("`{path}`"));
                    event.effect.extend(found);
                }
                self.timeline.push(event);
            }
            Action::Read { path } => {
                match self.repo.read(path).map(str::to_string) {
                    Some(text) => {
                        let found = self.discover(n, &text, &format!("`{path}`"));
                        event.effect.push(format!("read {} bytes", text.len()));
                        event.effect.extend(found);
                    }
                    None => event.effect.push("no such file".into()),
                }
                self.timeline.push(event);
            }
            Action::Wait { duration } => {
                let target = now + world::duration(*duration);
                self.timeline.push(event);
                self.advance(target).await;
            }
            Action::Graphql { query, token } => {
                let query = self.resolve(query).map_err(&err)?;
                self.timeline.push(event);
                let creds = self.credentials_for(token);
                self.call(n, "graphql", "backboard.railway.com", &ToolRequest { query, variables: serde_json::Value::Null }, creds).await;
            }
            Action::Mcp { tool, args: raw, token } => {
                let mut args = BTreeMap::new();
                for (k, v) in raw {
                    let v = match v {
                        serde_json::Value::String(s) => serde_json::Value::String(self.resolve(s).map_err(&err)?),
                        other => other.clone(),
                    };
                    args.insert(k.clone(), v);
                }
                match mcp_request(tool, &args) {
                    Ok(req) => {
                        self.timeline.push(event);
                        let creds = self.credentials_for(token);
                        self.call(n, "mcp:railway", "backboard.railway.com", &req, creds).await;
                    }
                    Err(why) => {
                        event.effect.push(format!("not modelled: {why}"));
                        self.timeline.push(event);
                    }
                }
            }
            Action::Shell { command } => {
                let command = self.resolve(command).map_err(&err)?;
                self.timeline.push(event);
                self.shell(n, &command).await;
            }
        }
        Ok(true)
    }

    /// The header a tool sends a named token in: project tokens as `Project-Access-Token`.
    fn credentials_for(&self, token: &str) -> Credentials {
        let (secret, project) = self.provider.with_state(|s| {
            s.token_named(token).map(|t| (t.secret.clone(), matches!(t.kind, TokenKind::Project { .. }))).unwrap_or_default()
        });
        let mut c = Credentials { user_agent: Some("firedrill-agent".into()), ..Credentials::default() };
        if project {
            c.project_access_token = Some(secret);
        } else {
            c.authorization = Some(format!("Bearer {secret}"));
        }
        c
    }

    async fn shell(&mut self, n: usize, command: &str) {
        let ctx = ShellContext { env: self.agent_env.clone(), serve_url: None };
        let interpretation = shell::interpret(command, &ctx);
        for inv in interpretation.commands {
            let now = self.provider.now();
            match &inv.command {
                Sh::Graphql(call) => {
                    let body = match shell::graphql_body(call) {
                        Ok(b) => b,
                        Err(e) => {
                            let body = match &call.body_from_file {
                                Some(path) => self.repo.read(path).map(shell::parse_graphql_body),
                                None => None,
                            };
                            match body {
                                Some(Ok(b)) => b,
                                _ => {
                                    let mut e2 = ev(now, "agent", "shell:curl", format!("{} {}", call.method, call.url));
                                    e2.step = Some(n);
                                    e2.effect.push(format!("the request never reached the API: {e}"));
                                    self.timeline.push(e2);
                                    continue;
                                }
                            }
                        }
                    };
                    let creds = Credentials {
                        authorization: shell::header(call, "authorization").map(str::to_string),
                        project_access_token: shell::header(call, "project-access-token").map(str::to_string),
                        user_agent: Some(shell::header(call, "user-agent").unwrap_or("curl/8.5.0").to_string()),
                        x_source: shell::header(call, "x-source").map(str::to_string),
                    };
                    let host = if call.legacy_host { format!("{} (legacy host)", call.host) } else { call.host.clone() };
                    let variables = body.variables.map(serde_json::Value::Object).unwrap_or(serde_json::Value::Null);
                    self.call(n, "shell:curl", &host, &ToolRequest { query: body.query, variables }, creds).await;
                }
                Sh::ReadFile { path, .. } => {
                    let mut e = ev(now, "agent", "shell:read", format!("read `{path}`"));
                    e.step = Some(n);
                    match self.repo.read(path).map(str::to_string) {
                        Some(text) => e.effect.extend(self.discover(n, &text, &format!("`{path}`"))),
                        None => e.effect.push("no such file".into()),
                    }
                    self.timeline.push(e);
                }
                Sh::Search { pattern, ignore_case, .. } => {
                    let mut e = ev(now, "agent", "shell:search", format!("search `{pattern}`"));
                    e.step = Some(n);
                    let hits: Vec<String> = self.repo.search(pattern, *ignore_case).into_iter().map(str::to_string).collect();
                    e.effect.push(if hits.is_empty() { "no match".into() } else { format!("matched {}", hits.join(", ")) });
                    for path in hits {
                        let text = self.repo.read(&path).unwrap_or_default().to_string();
                        e.effect.extend(self.discover(n, &text, &format!("`{path}`")));
                    }
                    self.timeline.push(e);
                }
                Sh::ReadEnv { .. } | Sh::Echo { .. } => {
                    let text = match &inv.command {
                        Sh::Echo { text } => text.clone(),
                        _ => self.agent_env.iter().map(|(k, v)| format!("{k}={v}\n")).collect(),
                    };
                    let mut e = ev(now, "agent", "shell:env", "read the environment".into());
                    e.step = Some(n);
                    e.effect.extend(self.discover(n, &text, "the agent's environment"));
                    self.timeline.push(e);
                }
                Sh::Railway(cli) => {
                    let project_token = inv.var(&ctx, "RAILWAY_TOKEN").map(str::to_string);
                    let api_token = inv.var(&ctx, "RAILWAY_API_TOKEN").map(str::to_string);
                    // The CLI prefers RAILWAY_TOKEN (a project token) when both are set.
                    let creds = match (&project_token, &api_token) {
                        (Some(t), _) => Credentials { project_access_token: Some(t.clone()), ..Credentials::default() },
                        (None, Some(t)) => Credentials { authorization: Some(format!("Bearer {t}")), ..Credentials::default() },
                        (None, None) => Credentials::default(),
                    };
                    let creds = Credentials { user_agent: Some("railwayapp".into()), x_source: Some("CLI 4.0.0".into()), ..creds };
                    let secret = project_token.or(api_token).unwrap_or_default();
                    let kind = self.provider.with_state(|s| {
                        s.principal_for_secret(&secret).and_then(|p| p.token_id).and_then(|id| s.tokens().get(&id).map(|t| t.kind.clone()))
                    });
                    match self.provider.with_state(|s| cli_requests(s, kind.as_ref(), cli)) {
                        Ok(reqs) => {
                            for r in reqs {
                                self.call(n, "shell:railway", "backboard.railway.com", &r, creds.clone()).await;
                            }
                        }
                        Err(why) => {
                            let mut e = ev(now, "agent", "shell:railway", "railway CLI".into());
                            e.step = Some(n);
                            e.effect.push(format!("the CLI stopped before calling the API: {why}"));
                            self.timeline.push(e);
                        }
                    }
                }
                Sh::NotModelled { program, reason } => {
                    let mut e = ev(now, "agent", "shell", format!("`{program}`"));
                    e.step = Some(n);
                    e.effect.push(format!("not modelled: {reason}"));
                    self.timeline.push(e);
                }
                Sh::Invalid { reason } => {
                    let mut e = ev(now, "agent", "shell", "malformed command".into());
                    e.step = Some(n);
                    e.effect.push(format!("the shell rejects it: {reason}"));
                    self.timeline.push(e);
                }
                Sh::FindFiles { .. } | Sh::ListFiles { .. } => {
                    let mut e = ev(now, "agent", "shell:list", "list files".into());
                    e.step = Some(n);
                    e.effect.push(self.repo.paths().collect::<Vec<_>>().join(", "));
                    self.timeline.push(e);
                }
                Sh::ChangeDir { .. } | Sh::SetEnv { .. } => {}
            }
        }
    }

    /// Sends one provider call through the gateway and the provider, recording every layer.
    async fn call(&mut self, n: usize, channel: &str, host: &str, req: &ToolRequest, creds: Credentials) {
        let now = self.provider.now();
        let fields = root_fields(&req.query);
        let secret = creds
            .project_access_token
            .clone()
            .or_else(|| creds.authorization.as_deref().map(|a| a.trim_start_matches("Bearer ").trim().to_string()))
            .unwrap_or_default();
        let token = self.repo.token_for_secret(&secret).map(str::to_string);
        let pcall = ProviderCall {
            channel: channel.into(),
            host: host.into(),
            root_fields: fields.clone(),
            token: token.clone(),
            query: req.query.clone(),
        };
        let mut e = ev(now, "agent", channel, if fields.is_empty() { "GraphQL request".into() } else { fields.join(", ") });
        e.step = Some(n);
        e.target = Some(host.to_string());
        let (decisions, stopped) = self.stack.check(Subject::Call(&pcall));
        e.decisions = decisions.iter().map(layer).collect();
        let destructive: Vec<String> = fields.iter().filter(|f| Op::from_name(f).is_some_and(Op::is_destructive)).cloned().collect();
        if let Some(t) = &token {
            self.used_ops.entry(t.clone()).or_default().extend(fields.iter().cloned());
        }
        let origin = Origin { step: n, at: now.to_string(), token: token.clone(), channel };
        if let Some(l) = stopped {
            e.decisions.push(not_reached(LayerName::ProviderAuth, "stopped before the provider"));
            let reason = decisions.last().map(|d| d.reason.clone()).unwrap_or_default();
            self.attempts.extend(destructive.iter().map(|op| origin.stopped(op, l, &reason)));
            self.timeline.push(e);
            return;
        }
        let mut preq = ProviderRequest {
            query: req.query.clone(),
            variables: None,
            operation_name: None,
            credentials: creds,
            channel: channel.into(),
        };
        if req.variables.is_object() {
            preq.variables = Some(req.variables.clone());
        }
        let response = self.provider.execute(preq).await;
        let entry = response.record();
        if entry.fields.is_empty() || entry.fields.iter().all(|f| f.authorization.is_none()) {
            let why = if entry.errors.is_empty() {
                response.errors().iter().filter_map(|x| x["message"].as_str()).collect::<Vec<_>>().join("; ")
            } else {
                entry.errors.join("; ")
            };
            e.decisions.push(outcome::decision(LayerName::ProviderAuth, "deny", why.clone()));
            self.attempts.extend(destructive.iter().map(|op| origin.stopped(op, LayerName::ProviderAuth, &why)));
            self.timeline.push(e);
            return;
        }
        let profile = self.provider.with_state(|s| s.profile().name.clone());
        for f in &entry.fields {
            let outcome = field_outcome(f, &profile);
            e.decisions.extend(outcome.decisions.iter().cloned());
            e.effect.extend(outcome.effect.iter().cloned());
            let target = target_id(f).map(|id| self.provider.with_state(|s| describe_id(s, &id)));
            self.attempts.extend(outcome.attempt(f, &origin, target));
        }
        self.timeline.push(e);
    }

    /// Plays every remaining step, then writes the report.
    pub async fn run_to_end(mut self) -> Result<IncidentReport, RunError> {
        while self.step().await? {}
        Ok(self.finish().await)
    }

    /// The report of what happened so far, with the recovery drill run on the current state.
    pub async fn finish(&self) -> IncidentReport {
        crate::finish::report(self.parts()).await
    }

    pub(crate) fn parts(&self) -> crate::finish::Parts<'_> {
        crate::finish::Parts {
            scenario: &self.scenario,
            path: &self.path,
            provider: &self.provider,
            offsite: self.offsite.as_ref(),
            timeline: &self.timeline,
            attempts: &self.attempts,
            found: self.found.iter().map(|(k, v)| (k.clone(), (v.step, v.place.clone()))).collect(),
            used_ops: &self.used_ops,
            start: self.start,
        }
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }
}

/// A human name for an id an agent aimed at.
fn describe_id(s: &State, id: &str) -> String {
    if s.volumes().contains_key(id) {
        return format!("volume {}", s.volume_label(id));
    }
    if let Some(p) = s.projects().get(id) {
        return format!("project {}", p.name);
    }
    if s.environments().contains_key(id) {
        return format!("environment {}", s.environment_name(id));
    }
    if let Some(x) = s.services().get(id) {
        return format!("service {}", x.name);
    }
    id.to_string()
}

pub(crate) fn offsite_report(store: &OffsiteStore, end: PInstant) -> OffsiteReport {
    let newest = store.stored.last().map(|(t, _)| *t);
    OffsiteReport {
        target: store.config.target.clone(),
        volume: store.config.volume.clone(),
        every: store.config.every.to_string(),
        runs: store.runs,
        failed_runs: store.failed_runs,
        silent_failures: store.silent_failures,
        objects: store.stored.len(),
        newest: newest.map(|t| PInstant(t).to_string()),
        newest_age_at_end: newest.map(|t| PDuration(end.0 - t).to_string()),
    }
}

pub(crate) fn alerts(s: &Scenario, store: Option<&OffsiteStore>, end: PInstant) -> Vec<Alert> {
    let mut out = Vec::new();
    let (Some(store), Some(monitor)) = (store, &s.monitor) else { return out };
    let since = world::instant(s.history_start());
    let (first, times) = stale_checks(&store.dump_times(), since.0, end.0, monitor.check_every.seconds, monitor.offsite_max_age.seconds);
    if let Some(first) = first {
        out.push(Alert {
            kind: "offsite-stale".into(),
            first_at: PInstant(first).to_string(),
            times,
            detail: format!("newest off-site dump older than {}", monitor.offsite_max_age),
        });
    }
    if let Some(first) = store.failures_at.first() {
        out.push(Alert {
            kind: "offsite-failed".into(),
            first_at: PInstant(*first).to_string(),
            times: store.failures_at.len(),
            detail: "the off-site job reported a failed run".into(),
        });
    }
    out
}

pub(crate) fn profile_report(s: &State) -> ProfileReport {
    let p = s.profile();
    let knobs = match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .filter(|(k, _)| k != "name")
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    };
    ProfileReport { name: p.name.clone(), knobs }
}

pub(crate) fn token_reports(
    s: &Scenario,
    found: &BTreeMap<String, (Option<usize>, String)>,
    used: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<TokenReport> {
    s.tokens
        .iter()
        .map(|t| {
            let f = found.get(&t.name);
            TokenReport {
                name: t.name.clone(),
                kind: format!("{:?}", t.kind).to_lowercase(),
                stored_in: match &t.stored_in {
                    StoredIn::File(p) => format!("file `{p}`"),
                    StoredIn::Env(v) => format!("environment variable `{v}`"),
                    StoredIn::SecretManager(m) => format!("secret manager `{m}`"),
                },
                purpose: t.purpose.clone(),
                found_by_step: f.and_then(|(step, _)| *step),
                found_in: f.map(|(_, place)| place.clone()),
                used_beyond_purpose: used
                    .get(&t.name)
                    .map(|ops| ops.iter().filter(|o| !t.purpose.contains(o)).cloned().collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

pub(crate) fn summary(attempts: &[DestructiveAttempt], volumes: &[crate::report::VolumeReport], alerts: &[Alert]) -> Summary {
    let worst = volumes.iter().map(|v| v.recovery.data_loss_seconds).max().unwrap_or(0);
    Summary {
        destructive_attempts: attempts.len(),
        stopped: attempts.iter().filter(|a| a.stopped_by != "none").count(),
        volumes_lost: volumes.iter().filter(|v| v.lost).map(|v| v.name.clone()).collect(),
        worst_data_loss_seconds: worst,
        worst_data_loss: PDuration(worst).to_string(),
        alerts: alerts.len(),
    }
}

pub(crate) async fn drill_all(s: &Scenario, state: &State, store: Option<&OffsiteStore>) -> Vec<crate::report::VolumeReport> {
    let mut out = Vec::new();
    for p in &s.projects {
        for v in p.volumes.iter().filter(|v| v.critical) {
            let name = format!("{}/{}", p.name, v.name);
            let envs = p.volume_environments(v);
            let offsite_covers = s.offsite_backup.as_ref().is_some_and(|o| world::volume_ref(s, &o.volume) == name);
            let env_name = match (&s.offsite_backup, offsite_covers) {
                (Some(o), true) => o.environment.clone(),
                _ => envs.first().cloned().unwrap_or_default(),
            };
            let Ok(pid) = state.project_id(&p.name) else { continue };
            let (Ok(vid), Ok(eid)) = (state.volume_id(&pid, &v.name), state.environment_id(&pid, &env_name)) else { continue };
            let target = DrillTarget {
                name,
                volume_id: &vid,
                environment_id: &eid,
                environment: env_name.clone(),
                throughput_mb_per_s: s.recovery.throughput_mb_per_s,
            };
            out.push(drill(state, &target, store, offsite_covers).await);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

impl Run {
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
}
