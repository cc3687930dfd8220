//! `CedarGateway`: the gateway layer as a Cedar policy set. Every root field of every provider
//! call is one Cedar request (principal, action, resource, context, from `entities`); the first
//! field denied stops the call, and the decision's reason names the policies that decided.
//!
//! Why a guardrail: it is shown each call as it travels (`Subject::Call`), like any gateway, and
//! reads the world through the provider handle it holds, at the moment of the call.

use std::collections::BTreeSet;
use std::sync::Arc;

use cedar_policy::{Authorizer, Decision as CedarDecision};
use mock_provider::auth::Principal;
use mock_provider::{CallTarget, Id, Provider, State, call_targets};

use super::Policies;
use super::entities::{Facts, request};
use crate::guardrails::{Decision, Guardrail, Layer, ProviderCall, Subject};

/// The gateway layer as a Cedar policy set over the provider's state.
#[derive(Clone)]
pub struct CedarGateway {
    provider: Provider,
    policies: Arc<Policies>,
    facts: Facts,
    authorizer: Arc<Authorizer>,
}

/// `cedar_gateway(provider, policies)`: every call `provider` is sent is judged by `policies`.
pub fn cedar_gateway(provider: Provider, policies: Policies) -> CedarGateway {
    CedarGateway {
        provider,
        policies: Arc::new(policies),
        facts: Facts { agent: "agent".into(), ..Facts::default() },
        authorizer: Arc::new(Authorizer::new()),
    }
}

impl CedarGateway {
    /// The volumes (by id) whose entities have `critical: true`.
    #[must_use]
    pub fn critical(mut self, volumes: impl IntoIterator<Item = Id>) -> Self {
        self.facts.critical = volumes.into_iter().collect();
        self
    }

    /// The declared purpose of token `token`: the `purpose` attribute of its entity.
    #[must_use]
    pub fn purpose(mut self, token: impl Into<String>, operations: impl IntoIterator<Item = String>) -> Self {
        self.facts.purposes.insert(token.into(), operations.into_iter().collect::<BTreeSet<_>>());
        self
    }

    /// The agent's name: the id of the `Agent` principal of calls without a token.
    #[must_use]
    pub fn agent(mut self, name: impl Into<String>) -> Self {
        self.facts.agent = name.into();
        self
    }

    /// Judges `call`: one verdict for the call, from each root field's Cedar decision.
    pub fn judge(&self, call: &ProviderCall) -> Decision {
        let fields = self.fields(call);
        if fields.is_empty() {
            return Decision::allow(Layer::Gateway, "no root field to judge: passed on to the provider");
        }
        match fields.iter().find(|f| !f.allowed) {
            Some(f) => Decision::deny(Layer::Gateway, f.reason.clone()),
            None => Decision::allow(Layer::Gateway, fields.into_iter().map(|f| f.reason).collect::<Vec<_>>().join("; ")),
        }
    }

    /// The decision on each root field of `call` (meta fields such as `__typename`, the
    /// provider's to answer, are not judged), with the world as it is now.
    pub fn fields(&self, call: &ProviderCall) -> Vec<FieldDecision> {
        let variables = call.variables.is_object().then_some(&call.variables);
        self.provider.with_state(|s| {
            let who = call.token.as_deref().and_then(|n| s.token_named(n)).map_or_else(Principal::anonymous, |t| s.principal_of(t));
            let targets = call_targets(s, &who, &call.query, variables);
            targets.iter().filter(|ct| !ct.field.starts_with("__")).map(|ct| self.decide(s, call, ct)).collect()
        })
    }

    /// The decision on the root field `ct` of `call` in `state`. `ct` need not come from a
    /// document: an analysis of reach can ask about any operation on any resource.
    pub fn decide(&self, state: &State, call: &ProviderCall, ct: &CallTarget) -> FieldDecision {
        let who = match call.token.as_deref() {
            Some(t) if state.token_named(t).is_some() => format!("token `{t}`"),
            _ => format!("the agent `{}` (no token)", self.facts.agent),
        };
        let on = ct.acted_on.as_ref().map_or_else(|| "the account".to_string(), |r| r.label.clone());
        let refuse = |reason: String| FieldDecision { field: ct.field.clone(), allowed: false, policies: Vec::new(), reason };
        let Some(op) = ct.op else {
            return refuse(format!("`{}` is not an operation the provider serves: the gateway's schema has no action for it", ct.field));
        };
        if ct.target.is_none() {
            return refuse(format!("the gateway cannot tell what `{op}` acts on (an argument it needs is missing)"));
        }
        let (req, entities) = match request(state, &self.facts, call, ct) {
            Ok(built) => built,
            Err(e) => return refuse(format!("the gateway could not evaluate `{op}`: {e}")),
        };
        let response = self.authorizer.is_authorized(&req, &self.policies.set, &entities);
        let mut ids: Vec<String> = response.diagnostics().reason().map(|id| self.policies.name(id)).collect();
        ids.sort();
        let mut errors: Vec<String> = response.diagnostics().errors().map(ToString::to_string).collect();
        errors.sort();
        let quoted = ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
        let policies = if ids.len() == 1 { "policy" } else { "policies" };
        let allowed = response.decision() == CedarDecision::Allow;
        let mut reason = match (allowed, ids.is_empty()) {
            (true, _) => format!("Cedar {policies} {quoted} permit{} `{op}` on {on} by {who}", plural(ids.len())),
            (false, false) => format!("Cedar {policies} {quoted} forbid{} `{op}` on {on} by {who}", plural(ids.len())),
            (false, true) => format!("no Cedar policy permits `{op}` on {on} by {who} (Cedar denies what no policy permits)"),
        };
        if !errors.is_empty() {
            reason.push_str(&format!("; not evaluated: {}", errors.join("; ")));
        }
        FieldDecision { field: ct.field.clone(), allowed, policies: ids, reason }
    }
}

/// The gateway's decision on one root field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDecision {
    pub field: String,
    pub allowed: bool,
    /// The ids of the policies that decided (their `@id`, or Cedar's): the forbids that denied,
    /// or the permits that allowed; none when nothing permitted it.
    pub policies: Vec<String>,
    /// The gateway's words, naming the policies, the operation, the resource and the caller.
    pub reason: String,
}

/// The verb's `s` for one policy, none for several.
fn plural(n: usize) -> &'static str {
    if n == 1 { "s" } else { "" }
}

impl Guardrail for CedarGateway {
    fn layer(&self) -> Layer {
        Layer::Gateway
    }
    fn check(&self, subject: Subject<'_>) -> Option<Decision> {
        match subject {
            Subject::Call(call) => Some(self.judge(call)),
            Subject::Action(_) => None,
        }
    }
}
