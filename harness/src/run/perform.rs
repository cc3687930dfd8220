//! Performing an agent's effects: one path per kind of effect, whichever tool caused it. Reads
//! and searches go to the repository, calls go through the gateway to the provider (and the
//! provider's own record of each request gives its two layers' verdicts), waits move the clock.

use mock_provider::auth::Principal;
use mock_provider::ops::{Op, OpClass};
use mock_provider::time::{Duration, Instant};
use mock_provider::{Credentials, ProviderRequest, TokenKind, call_classes, call_targets};

use super::Run;
use crate::agent::{Action, Actor, Call, Channel, Effect, Key, Planned, ToolRequest, Tools, Wait, WaitEvent, cli_requests};
use crate::guardrails::gateway::ProxyAnswer;
use crate::guardrails::{Decision, Layer, ProviderCall, ProviderLayer, StoppedBy, Subject};
use crate::report::{DestructiveAttempt, Discovery, Minted, TimelineEvent};
use mock_provider::Action as ChangeAction;
use mock_provider::ops::ResourceKind;

impl Run {
    /// Performs one planned effect of step `n` taken by `actor`, whose own event is at `own` on
    /// the timeline.
    pub(super) async fn perform(&mut self, n: usize, actor: Actor, own: usize, p: Planned) {
        let now = self.world.provider.now();
        // An effect with a label of its own (a command inside a shell line) gets its own event.
        let at = match &p.event {
            Some(label) => {
                let mut e = TimelineEvent::new(now, actor.name(), p.channel, label.clone());
                e.step = Some(n);
                self.timeline.push(e)
            }
            None => own,
        };
        let lines = match p.effect {
            Effect::Search { pattern, ignore_case } => self.search(n, &pattern, ignore_case),
            Effect::Read { path } => self.read(n, &path),
            Effect::Show { text } => self.timeline.discover(&self.world.repo, n, &text, "the agent's environment"),
            Effect::ListFiles => vec![self.world.repo.paths().collect::<Vec<_>>().join(", ")],
            Effect::Nothing { why } => vec![why],
            Effect::Wait(w) => self.wait(now, w).await,
            Effect::Call(call) => {
                self.call(n, actor, p.channel, call).await;
                Vec::new()
            }
            Effect::Restore { volume } => {
                let id = self.world.provider.with_state(|s| {
                    let (project, v) = self.scenario.volume(&volume)?;
                    s.volume_id(&s.project_id(&project.name).ok()?, &v.name).ok()
                });
                let result = match id {
                    Some(id) => self.world.provider.with_state_mut(|s| s.restore_deleted_volume(&id)),
                    None => Err(mock_provider::ProviderError::not_found("Volume", &volume)),
                };
                match result {
                    Ok(changes) => changes.iter().map(ToString::to_string).collect(),
                    Err(e) => vec![format!("support cannot restore it: {e}")],
                }
            }
            Effect::RunOffsiteJob => match self.world.offsite.as_mut() {
                Some(job) => vec![job.run_manually(&self.world.provider).await.describe()],
                None => vec!["there is no off-site job to run".into()],
            },
            Effect::Revoke { token } => match self.world.provider.with_state_mut(|s| s.revoke_token(&token)) {
                Ok(changes) => changes.iter().map(ToString::to_string).collect(),
                Err(e) => vec![format!("nothing to revoke: {e}")],
            },
            Effect::Rotate { token } => match self.world.provider.with_state_mut(|s| s.rotate_token(&token)) {
                Ok(secret) => {
                    let project = self.world.keys.get(&token).is_some_and(|k| k.project);
                    self.world.keys.insert(token.clone(), Key { secret, project });
                    vec![format!("token `{token}` rotated: the old secret no longer works")]
                }
                Err(e) => vec![format!("nothing to rotate: {e}")],
            },
            Effect::RailwayCli { cli, credentials } => {
                let requests = self.cli_requests(&cli, &credentials);
                match requests {
                    Ok(requests) => {
                        for request in requests {
                            let call = Call { host: agent_host(), request, credentials: credentials.clone() };
                            self.call(n, actor, p.channel, call).await;
                        }
                        Vec::new()
                    }
                    Err(why) => {
                        let mut e = TimelineEvent::new(now, actor.name(), p.channel, "railway CLI");
                        e.step = Some(n);
                        e.effect.push(format!("the CLI stopped before calling the API: {why}"));
                        self.timeline.push(e);
                        Vec::new()
                    }
                }
            }
        };
        self.timeline.note(at, lines);
    }

    fn search(&mut self, n: usize, pattern: &str, ignore_case: bool) -> Vec<String> {
        let hits: Vec<String> = self.world.repo.search(pattern, ignore_case).into_iter().map(str::to_string).collect();
        let mut lines = vec![if hits.is_empty() { "no match".to_string() } else { format!("matched {}", hits.join(", ")) }];
        for path in hits {
            let text = self.world.repo.read(&path).unwrap_or_default().to_string();
            lines.extend(self.timeline.discover(&self.world.repo, n, &text, &format!("`{path}`")));
        }
        lines
    }

    fn read(&mut self, n: usize, path: &str) -> Vec<String> {
        match self.world.repo.read(path).map(str::to_string) {
            Some(text) => {
                let mut lines = vec![format!("read {} bytes", text.len())];
                lines.extend(self.timeline.discover(&self.world.repo, n, &text, &format!("`{path}`")));
                lines
            }
            None => vec!["no such file".into()],
        }
    }

    /// A wait: until `now` plus a length, an instant, or the next event of a kind. What it
    /// waited for is said on the step's line.
    async fn wait(&mut self, now: Instant, w: Wait) -> Vec<String> {
        let target = match w {
            Wait::For(d) => Some(now + d),
            Wait::Until(t) if t < now => return vec![format!("already past {t}: no time passes")],
            Wait::Until(t) => Some(t),
            Wait::UntilEvent(e) => self.world.provider.with_state(|s| match e {
                WaitEvent::NextBackup => s.next_scheduled_backup(),
                WaitEvent::Purge => s.next_purge_at(),
                WaitEvent::Workflow => s.last_workflow_completion(),
            }),
        };
        match (target, w) {
            (Some(t), Wait::UntilEvent(e)) => {
                // Past the event's instant by a second, so what it does has happened.
                self.advance(t + Duration::seconds(1)).await;
                vec![format!("the {} came at {t}", e.name())]
            }
            (Some(t), _) => {
                self.advance(t).await;
                Vec::new()
            }
            (None, Wait::UntilEvent(e)) => vec![format!("no {} is pending: no time passes", e.name())],
            (None, _) => Vec::new(),
        }
    }

    /// Moves the clock to `target`, running the off-site job over HTTP whenever it is due on
    /// the way.
    async fn advance(&mut self, target: Instant) {
        while let Some(job) = self.world.offsite.as_mut()
            && let Some(t) = job.next_run()
            && t <= target
        {
            self.world.provider.advance_to(t);
            let outcome = job.run_once(&self.world.provider).await;
            let mut e = TimelineEvent::new(t, "offsite-job", Channel::HttpS3, format!("dump to {}", job.config().target));
            e.effect.push(outcome.describe());
            self.timeline.push(e);
        }
        self.world.provider.advance_to(target);
    }

    /// Sends one provider call through the gateway and the provider, recording every layer's
    /// decision and, for each destructive root field, the attempt.
    async fn call(&mut self, n: usize, actor: Actor, channel: Channel, call: Call) {
        let now = self.world.provider.now();
        let Call { host, request: ToolRequest { query, variables }, credentials } = call;
        let (fields, classes): (Vec<String>, Vec<OpClass>) =
            call_classes(&query, variables.is_object().then_some(&variables)).into_iter().unzip();
        // The gateway sees the call as it travels: the provider's own lookup says whose token it is.
        let token = self.world.provider.with_state(|s| s.resolve_credentials(&credentials).principal.ok().and_then(|p| p.token_name));
        let subject =
            ProviderCall { channel, host: host.clone(), root_fields: fields.clone(), classes: classes.clone(), token, query, variables };
        let mut e =
            TimelineEvent::new(now, actor.name(), channel, if fields.is_empty() { "GraphQL request".into() } else { fields.join(", ") });
        e.step = Some(n);
        e.target = Some(host);
        let (decisions, stopped) = self.stack.check(Subject::Call(&subject));
        e.decisions = decisions;
        if let Some(layer) = stopped {
            self.stopped_before_provider(n, actor, e, &subject, &credentials, layer);
            return;
        }
        let record = match &self.proxy {
            // The team's proxy is the gateway: the call goes to it over HTTP, and what came out
            // the other side is the provider's record of that very request.
            Some(proxy) => match proxy.send(&subject, &credentials).await {
                ProxyAnswer::Passed { decision, record } => {
                    e.decisions.push(decision);
                    record
                }
                ProxyAnswer::Stopped { decision } => {
                    e.decisions.push(decision);
                    self.stopped_before_provider(n, actor, e, &subject, &credentials, Layer::Gateway);
                    return;
                }
            },
            None => {
                let ProviderCall { query, variables, .. } = subject;
                let request = ProviderRequest {
                    query,
                    variables: variables.is_object().then_some(variables),
                    operation_name: None,
                    credentials,
                    channel: channel.name().into(),
                };
                self.world.provider.execute(request).await.shared_record()
            }
        };
        self.timeline.used(record.token.as_deref(), record.fields.iter().map(|f| f.field.clone()));
        let profile = self.world.provider.with_state(|s| s.profile().name.clone());
        // The gateway's decisions (the stack's and the team's proxy's), before the provider's.
        let gateway: Vec<Decision> = e.decisions.clone();
        for v in (ProviderLayer { profile: &profile }).judge(&record) {
            e.decisions.extend(v.decisions.iter().cloned());
            e.effect.extend(v.effect.iter().cloned());
            if let (true, Some(op)) = (v.destructive, v.op) {
                let layers = self.layers(gateway.iter().chain(&v.decisions).cloned().collect());
                self.timeline.attempts.push(DestructiveAttempt {
                    step: n,
                    at: now,
                    actor: actor.name().into(),
                    operation: op,
                    target: v.target,
                    token: record.token.clone(),
                    channel,
                    stopped_by: v.stopped_by,
                    reason: v.reason,
                    layers,
                    effect: v.effect,
                    request: Some(record.seq),
                });
            }
        }
        // A token minted by the call is the caller's now: its answer carries the secret once.
        for f in &record.fields {
            for c in f
                .effect
                .iter()
                .filter(|c| c.action == ChangeAction::Created && matches!(c.kind, ResourceKind::ApiToken | ResourceKind::ProjectToken))
            {
                let minted = self.world.provider.with_state(|s| s.tokens().get(&c.id).cloned());
                if let Some(t) = minted {
                    let project = matches!(t.kind, mock_provider::TokenKind::Project { .. });
                    self.world.keys.insert(t.name.clone(), Key { secret: t.secret.clone(), project });
                    let place = format!(
                        "the answer to `{}`{}",
                        f.field,
                        record.token.as_ref().map(|by| format!(" made with `{by}`")).unwrap_or_default()
                    );
                    if actor == Actor::Agent && !self.timeline.found.contains_key(&t.name) {
                        e.effect.push(format!("found token `{}` in {place}", t.name));
                        self.timeline.found.insert(t.name.clone(), Discovery { step: Some(n), place, secret: t.secret.clone() });
                    }
                    self.timeline.minted.push(Minted {
                        name: t.name,
                        kind: t.kind,
                        step: n,
                        actor,
                        by: record.token.clone(),
                        operation: f.field.clone(),
                    });
                }
            }
        }
        self.timeline.push(e);
    }

    /// Records a call that `layer` stopped before the provider saw it: the event, the token's
    /// use, and an attempt for each destructive root field, naming what it would have acted on
    /// as the provider names it.
    fn stopped_before_provider(
        &mut self,
        n: usize,
        actor: Actor,
        mut e: TimelineEvent,
        call: &ProviderCall,
        credentials: &Credentials,
        layer: Layer,
    ) {
        let reason = e.decisions.last().map(|d| d.reason.clone()).unwrap_or_default();
        e.decisions.push(Decision::not_reached(Layer::ProviderAuth, "stopped before the provider"));
        self.timeline.used(call.token.as_deref(), call.root_fields.iter().cloned());
        let layers = self.layers(e.decisions.clone());
        self.attempts_not_sent(n, actor, e.at, call, credentials, StoppedBy::from(layer), &reason, layers);
        self.timeline.push(e);
    }

    /// An attempt for each destructive root field of `call`, which never reached the provider.
    #[expect(clippy::too_many_arguments, reason = "one attempt's facts, each from a different place")]
    fn attempts_not_sent(
        &mut self,
        n: usize,
        actor: Actor,
        at: Instant,
        call: &ProviderCall,
        credentials: &Credentials,
        stopped_by: StoppedBy,
        reason: &str,
        layers: Vec<Decision>,
    ) {
        let variables = call.variables.is_object().then_some(&call.variables);
        let targets = self.world.provider.with_state(|s| {
            let who = s.resolve_credentials(credentials).principal.unwrap_or_else(|_| Principal::anonymous());
            call_targets(s, &who, &call.query, variables)
        });
        for (i, (field, class)) in call.root_fields.iter().zip(&call.classes).enumerate() {
            let Some(op) = Op::from_name(field).filter(|_| *class == OpClass::Destructive) else { continue };
            let target = targets.get(i).filter(|t| &t.field == field).and_then(|t| t.acted_on.as_ref()).map(|r| r.label.clone());
            self.timeline.attempts.push(DestructiveAttempt {
                step: n,
                at,
                actor: actor.name().into(),
                operation: op,
                target,
                token: call.token.clone(),
                channel: call.channel,
                stopped_by,
                reason: reason.to_string(),
                layers: layers.clone(),
                effect: Vec::new(),
                request: None,
            });
        }
    }

    /// The requests a Railway CLI command makes with `credentials`: a project token's command
    /// acts on its own project and environment.
    fn cli_requests(&self, cli: &crate::agent::shell::RailwayCli, credentials: &Credentials) -> Result<Vec<ToolRequest>, String> {
        self.world.provider.with_state(|s| {
            let kind = s
                .resolve_credentials(credentials)
                .principal
                .ok()
                .and_then(|who| who.token_id)
                .and_then(|id| s.tokens().get(&id).map(|t| t.kind.clone()));
            cli_requests(s, kind.as_ref().filter(|k| matches!(k, TokenKind::Project { .. })), cli)
        })
    }

    /// The layers' decisions on one attempt: the runtime's on the step's action, then the call's
    /// own; none when the drill has no agent runtime of the team's (the report then lists none).
    fn layers(&self, call: Vec<Decision>) -> Vec<Decision> {
        if !self.attribute {
            return Vec::new();
        }
        self.action_decisions.iter().cloned().chain(call).collect()
    }

    /// An action the agent runtime stopped: what it would have sent, as attempts stopped by
    /// `layer`, each later layer not reached. Nothing is performed.
    pub(super) fn unperformed(&mut self, n: usize, actor: Actor, action: &Action, layer: Layer) {
        // An action whose placeholders do not resolve sends nothing a report could name.
        let Ok(action) = self.resolve(actor, action) else { return };
        let keys = self.keys_of(actor);
        let planned = crate::agent::plan(&action, Tools { repo: &self.world.repo, env: &self.world.agent_env, keys: &keys });
        let reason = self.action_decisions.last().map(|d| d.reason.clone()).unwrap_or_default();
        let now = self.world.provider.now();
        for p in planned {
            let calls = match p.effect {
                Effect::Call(call) => vec![call],
                Effect::RailwayCli { cli, credentials } => self
                    .cli_requests(&cli, &credentials)
                    .map(|rs| {
                        rs.into_iter().map(|request| Call { host: agent_host(), request, credentials: credentials.clone() }).collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for Call { host, request: ToolRequest { query, variables }, credentials } in calls {
                let (fields, classes): (Vec<String>, Vec<OpClass>) =
                    call_classes(&query, variables.is_object().then_some(&variables)).into_iter().unzip();
                let token =
                    self.world.provider.with_state(|s| s.resolve_credentials(&credentials).principal.ok().and_then(|p| p.token_name));
                let subject = ProviderCall { channel: p.channel, host, root_fields: fields, classes, token, query, variables };
                let not_reached = format!("stopped by {layer} before the call was made");
                let layers = self.layers(vec![
                    Decision::not_reached(Layer::Gateway, not_reached.clone()),
                    Decision::not_reached(Layer::ProviderAuth, not_reached),
                ]);
                self.attempts_not_sent(n, actor, now, &subject, &credentials, StoppedBy::from(layer), &reason, layers);
            }
        }
    }
}

fn agent_host() -> String {
    crate::agent::RAILWAY_HOST.to_string()
}
