//! The agent's blast radius: for each token it can discover, each destructive call it could
//! make, sent through each channel (shell curl, its GraphQL tool, the Railway MCP server) as a
//! run would send it: the `Stack`'s verdict on the action, `agent::plan` for the calls it makes,
//! the `Stack`'s verdict on each call (the gateway), then provider auth's own decision
//! (`call_targets`, with the credentials resolved as the provider resolves them).
//!
//! Why the first open channel is the witness: one path proves the reach; a closed path is shown
//! for critical resources only, through the channel that got furthest, so a reviewer sees which
//! layer holds.

use std::collections::BTreeMap;

use mock_provider::ops::{Op, OpClass};
use mock_provider::{call_classes, call_targets, document};
use serde_json::{Map, Value};

use super::discovery::{discover, judged, keyring};
use super::reach::{Probes, WithProbes};
use super::{AgentReach, Discovered, Facts, LayerVerdict, ScopeInput, Step, Witness};
use crate::agent::{self, Action, Channel, Effect, Keyring, RAILWAY_HOST, Tools};
use crate::guardrails::{Layer, ProviderCall, Subject, Verdict};
use crate::world;

/// The channels tried, in order.
const CHANNELS: [Channel; 3] = [Channel::ShellCurl, Channel::Graphql, Channel::McpRailway];

/// The agent's reach, from every token's (`tokens`).
pub(crate) fn agent(input: &ScopeInput<'_>, facts: &Facts, probes: &Probes, tokens: &[WithProbes]) -> AgentReach {
    let (discovered, undiscovered) = discover(input);
    let keys = keyring(input, &discovered);
    let state = input.state;
    // (operation, probe) → the best path so far, and whether it is open.
    let mut paths: BTreeMap<(Op, usize), (Witness, bool)> = BTreeMap::new();
    for d in &discovered {
        let Some(token) = state.token_named(&d.token) else { continue };
        let who = state.principal_of(token);
        let direct: Vec<usize> = tokens
            .iter()
            .find(|(t, _)| t.token == d.token)
            .map(|(_, a)| a.iter().filter(|(_, via)| via.is_none()).map(|(a, _)| a.probe).collect())
            .unwrap_or_default();
        for (i, p) in probes.all.iter().enumerate() {
            let (target, class) = state.probe(&who, p.op, &p.arguments);
            if class != OpClass::Destructive || target.is_none() {
                continue;
            }
            let reached = direct.binary_search(&i).is_ok();
            let resource = facts.resource(state, p);
            if !reached && !resource.critical {
                continue;
            }
            if paths.get(&(p.op, i)).is_some_and(|(_, open)| *open) {
                continue;
            }
            let mut best: Option<Witness> = None;
            for channel in CHANNELS {
                let Some((call, action)) = attempt(input, &keys, d, p.op, &p.arguments, channel) else { continue };
                let w = Witness {
                    actions: d.action.iter().cloned().chain([action]).collect(),
                    operation: p.op,
                    resource: resource.clone(),
                    token: d.token.clone(),
                    found_in: d.place.clone(),
                    discovery: d.step.clone(),
                    stopped_by: stop_of(&call),
                    call,
                };
                let open = w.stopped_by.is_none();
                if open || best.as_ref().is_none_or(|b| depth(&w) > depth(b)) {
                    best = Some(w);
                }
                if open {
                    break;
                }
            }
            let Some(w) = best else { continue };
            let open = w.stopped_by.is_none();
            match paths.get(&(p.op, i)) {
                Some((old, _)) if !open && depth(old) >= depth(&w) => {}
                _ => {
                    paths.insert((p.op, i), (w, open));
                }
            }
        }
    }
    let (mut destructive, mut closed) = (Vec::new(), Vec::new());
    for ((_, _), (w, open)) in paths {
        if open {
            destructive.push(w);
        } else if w.resource.critical {
            closed.push(w);
        }
    }
    let order = |w: &Witness| (!w.resource.critical, w.operation, w.resource.label.clone(), w.resource.id.clone());
    destructive.sort_by_key(order);
    closed.sort_by_key(order);
    AgentReach { discovered, undiscovered, destructive, closed }
}

/// The layer that stopped a call's path: the first verdict that does not pass.
fn stop_of(call: &Step) -> Option<Layer> {
    call.layers.iter().find(|l| !matches!(l.verdict, Verdict::Allow)).map(|l| l.layer)
}

/// How far a path got: layers passed.
fn depth(w: &Witness) -> usize {
    w.call.layers.iter().take_while(|l| matches!(l.verdict, Verdict::Allow)).count()
}

/// The action that makes the call `op(arguments)` with `token` through `channel`, as a scenario
/// step would write it; `None` when the channel has no way to make it.
pub(crate) fn action(input: &ScopeInput<'_>, token: &str, op: Op, arguments: &Map<String, Value>, channel: Channel) -> Option<Action> {
    let query = document(op, arguments);
    match channel {
        Channel::ShellCurl => {
            let project = input.keys.get(token).is_some_and(|k| k.project);
            let header = if project {
                format!("Project-Access-Token: ${{found:{token}}}")
            } else {
                format!("Authorization: Bearer ${{found:{token}}}")
            };
            let body = serde_json::json!({ "query": query }).to_string();
            Some(Action::Shell { command: format!("curl -X POST https://{RAILWAY_HOST}/graphql/v2 -H \"{header}\" -d '{body}'") })
        }
        Channel::Graphql => Some(Action::Graphql { query, token: token.to_string() }),
        Channel::McpRailway => mcp(op, arguments).map(|(tool, args)| Action::Mcp { tool: tool.into(), args, token: token.to_string() }),
        _ => None,
    }
}

/// The Railway MCP tool that makes the call, with its arguments; checked against the tool's own
/// request (`agent::mcp_request`), so a tool that does not make this call is not offered.
fn mcp(op: Op, a: &Map<String, Value>) -> Option<(&'static str, BTreeMap<String, Value>)> {
    let input = a.get("input").and_then(Value::as_object);
    let get = |k: &str| a.get(k).or_else(|| input.and_then(|i| i.get(k))).cloned();
    let pick = |pairs: &[(&str, &str)]| -> BTreeMap<String, Value> {
        pairs.iter().filter_map(|(to, from)| get(from).map(|v| (to.to_string(), v))).collect()
    };
    let (tool, args) = match op {
        Op::ProjectDelete => ("project_delete", pick(&[("projectId", "id")])),
        Op::EnvironmentDelete => ("environment_delete", pick(&[("environmentId", "id")])),
        Op::ServiceDelete => ("service_delete", pick(&[("serviceId", "id"), ("environmentId", "environmentId")])),
        Op::VolumeDelete => ("volume_delete", pick(&[("volumeId", "volumeId")])),
        Op::VariableDelete => (
            "variable_delete",
            pick(&[("projectId", "projectId"), ("environmentId", "environmentId"), ("serviceId", "serviceId"), ("name", "name")]),
        ),
        Op::CustomDomainDelete => ("domain_delete", pick(&[("id", "id")])),
        Op::VolumeInstanceBackupDelete => {
            ("backup_delete", pick(&[("backupId", "volumeInstanceBackupId"), ("volumeInstanceId", "volumeInstanceId")]))
        }
        _ => return None,
    };
    let request = agent::mcp_request(tool, &args).ok()?;
    let named = call_classes(&request.query, Some(&request.variables)).into_iter().any(|(field, _)| field == op.name());
    named.then_some((tool, args))
}

/// One channel's path for `op(arguments)` with the discovered token `d`: the action's verdicts,
/// then each call's, then provider auth's. `None` when the channel cannot make the call.
fn attempt(
    input: &ScopeInput<'_>,
    keys: &Keyring,
    d: &Discovered,
    op: Op,
    arguments: &Map<String, Value>,
    channel: Channel,
) -> Option<(Step, Action)> {
    let action = action(input, &d.token, op, arguments, channel)?;
    let step = path(input, keys, op, channel, &action);
    Some((step, action))
}

/// `attempt`'s path for `action`.
fn path(input: &ScopeInput<'_>, keys: &Keyring, op: Op, channel: Channel, action: &Action) -> Step {
    let (mut step, passes) = judged(input, action);
    step.channel = channel.name().to_string();
    if !passes {
        return step;
    }
    let state = input.state;
    let resolved = match action {
        Action::Shell { command } => {
            let known = |name: &str| keys.get(name).is_some();
            match world::resolve(command, input.scenario, state, keys, known) {
                Ok(command) => Action::Shell { command },
                Err(e) => {
                    step.layers.push(LayerVerdict { layer: Layer::Provider, verdict: Verdict::NotReached, reason: e.message });
                    return step;
                }
            }
        }
        other => other.clone(),
    };
    let planned = agent::plan(&resolved, Tools { repo: input.repo, env: input.env, keys });
    let calls: Vec<agent::Call> = planned.into_iter().filter_map(|p| if let Effect::Call(c) = p.effect { Some(c) } else { None }).collect();
    let Some(call) = calls.into_iter().next() else {
        step.layers.push(LayerVerdict {
            layer: Layer::Provider,
            verdict: Verdict::NotReached,
            reason: "the action makes no provider call".into(),
        });
        return step;
    };
    let variables = call.request.variables.clone();
    let vars = variables.is_object().then_some(&variables);
    let (fields, classes): (Vec<String>, Vec<OpClass>) = call_classes(&call.request.query, vars).into_iter().unzip();
    let resolved_who = state.resolve_credentials(&call.credentials);
    let token = resolved_who.principal.as_ref().ok().and_then(|p| p.token_name.clone());
    let subject = ProviderCall {
        channel,
        host: call.host.clone(),
        root_fields: fields,
        classes,
        token,
        query: call.request.query.clone(),
        variables: variables.clone(),
    };
    let (decisions, stopped) = input.stack.check(Subject::Call(&subject));
    step.layers.extend(decisions.into_iter().map(|d| LayerVerdict { layer: d.layer, verdict: d.verdict, reason: d.reason }));
    if stopped.is_some() {
        return step;
    }
    if input.scenario.gateway.as_ref().is_some_and(|g| g.proxy.is_some()) {
        step.layers.push(LayerVerdict {
            layer: Layer::Gateway,
            verdict: Verdict::Allow,
            reason: "the team's proxy decides at run time and cannot be judged statically: this path assumes it passes the call".into(),
        });
    }
    let auth = match &resolved_who.principal {
        Ok(who) => call_targets(state, who, &call.request.query, vars)
            .into_iter()
            .find(|ct| ct.op == Some(op))
            .and_then(|ct| ct.authorization)
            .map(|a| (a.allowed(), a.decision.reason().to_string())),
        Err(e) => Some((false, e.to_string())),
    };
    let (allowed, reason) = auth.unwrap_or((false, format!("the call names no `{op}` the provider would authorize")));
    step.layers.push(LayerVerdict { layer: Layer::ProviderAuth, verdict: if allowed { Verdict::Allow } else { Verdict::Deny }, reason });
    step
}
