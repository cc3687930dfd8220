//! The guardrail stack: every layer an agent's action meets, in the order a real request meets
//! it, each returning its own decision with its own reason.
//!
//! ```text
//! action ─▶ agent runtime ─▶ (each provider call) ─▶ gateway ─▶ provider auth ─▶ provider
//!           └──────────── Stack (Guardrail impls) ───────────┘   └─ ProviderLayer (the provider's record) ─┘
//! ```
//!
//! Why this shape: every destructive attempt must be attributed to the layer that stopped it,
//! or to none, and each verdict must come from the layer that made it. The layers before the
//! provider are `Guardrail`s the team configures (or writes in Rust) and the `Stack` asks them
//! in order; the provider's two layers are read from the provider's own record of the request
//! (`ProviderLayer`), never reconstructed from the audit log afterwards.

mod allow_all;
mod attribution;
mod closure;
mod decision;
pub mod gateway;
mod layer;
mod provider;
pub mod runtime;

pub use allow_all::{AllowAll, allow_all};
pub use attribution::{Answer, Approval, DecidedBy, Leak, LeakKind, MatchedRule};
pub use closure::{FnGuardrail, guardrail_fn};
pub use decision::{Decision, Verdict};
pub use layer::{Layer, StoppedBy};
pub use provider::{FieldVerdict, ProviderLayer};

use crate::agent::{Action, Channel};

/// A call about to reach the provider, as a gateway in front of it sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderCall {
    pub channel: Channel,
    /// The host the call was addressed to (`backboard.railway.com`, or the legacy `.app`).
    pub host: String,
    /// The root fields the document names, in order.
    pub root_fields: Vec<String>,
    /// Each root field's class as the provider would class the call (by its arguments), in the
    /// same order: what a gateway needs to know a destructive call when it sees one.
    pub classes: Vec<mock_provider::ops::OpClass>,
    /// The token the call's credentials stand for, by the provider's own lookup of the secret.
    pub token: Option<String>,
    pub query: String,
    pub variables: serde_json::Value,
}

/// What a layer is shown: the agent's own action (the agent runtime judges these), or a call
/// on its way to the provider (the gateway judges these).
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    Action(&'a Action),
    Call(&'a ProviderCall),
}

/// One layer of protection in front of the provider. A layer answers only the subjects it
/// judges (`None` otherwise). The stack records the decision under `layer()`, whatever layer
/// the returned `Decision` names, so a verdict is always attributed to the layer that made it.
pub trait Guardrail: Send + Sync {
    fn layer(&self) -> Layer;
    fn check(&self, subject: Subject<'_>) -> Option<Decision>;
}

/// The layers before the provider, applied in order; the first that does not let the action
/// pass stops it. An `ask` the layer's approver approved passes; one refused (or never
/// answered) stops; both are recorded with the approval.
pub struct Stack {
    layers: Vec<Box<dyn Guardrail>>,
}

/// A guardrail that claims to be one of the provider's own layers: those decide inside the
/// provider, from its record of the request, and cannot be replaced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a guardrail can sit in the agent runtime or the gateway; `{0}` is the provider's own layer")]
pub struct NotAGuardrailLayer(pub Layer);

impl Default for Stack {
    fn default() -> Self {
        Stack { layers: vec![Box::new(allow_all(Layer::AgentRuntime)), Box::new(allow_all(Layer::Gateway))] }
    }
}

impl Stack {
    /// The stack of `guardrails`, in the order requests meet their layers (the agent runtime,
    /// then the gateway; within a layer, as given). A layer nobody configured allows everything
    /// and says so.
    pub fn new(guardrails: Vec<Box<dyn Guardrail>>) -> Result<Self, NotAGuardrailLayer> {
        if let Some(g) = guardrails.iter().find(|g| !matches!(g.layer(), Layer::AgentRuntime | Layer::Gateway)) {
            return Err(NotAGuardrailLayer(g.layer()));
        }
        let mut layers: Vec<Box<dyn Guardrail>> = Vec::new();
        let mut guardrails = guardrails;
        for layer in [Layer::AgentRuntime, Layer::Gateway] {
            let (mine, rest): (Vec<_>, Vec<_>) = guardrails.into_iter().partition(|g| g.layer() == layer);
            guardrails = rest;
            if mine.is_empty() {
                layers.push(Box::new(allow_all(layer)));
            } else {
                layers.extend(mine);
            }
        }
        Ok(Stack { layers })
    }

    /// Every layer's decision on `subject`, in order, up to and including the first that does
    /// not allow. The second value is that layer, if one stopped it.
    pub fn check(&self, subject: Subject<'_>) -> (Vec<Decision>, Option<Layer>) {
        let mut out = Vec::new();
        for guardrail in &self.layers {
            if let Some(d) = guardrail.check(subject) {
                let d = Decision { layer: guardrail.layer(), ..d };
                let stop = !d.passes();
                let layer = d.layer;
                out.push(d);
                if stop {
                    return (out, Some(layer));
                }
            }
        }
        (out, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(command: &str) -> Action {
        Action::Shell { command: command.into() }
    }

    fn deny_shell() -> FnGuardrail {
        guardrail_fn(Layer::AgentRuntime, |subject| match subject {
            Subject::Action(Action::Shell { .. }) => Some(Decision::deny(Layer::AgentRuntime, "Bash denied")),
            _ => None,
        })
    }

    #[test]
    fn the_default_stack_allows_and_says_nothing_is_configured() {
        let (d, stopped) = Stack::default().check(Subject::Action(&shell("curl")));
        assert_eq!(stopped, None);
        assert_eq!(d.len(), 1);
        assert!(d[0].reason.contains("unapproved"));
    }

    #[test]
    fn the_first_layer_that_denies_stops_the_action_and_later_layers_are_not_asked() {
        let stack = Stack::new(vec![Box::new(deny_shell())]).unwrap();
        let (d, stopped) = stack.check(Subject::Action(&shell("curl")));
        assert_eq!(stopped, Some(Layer::AgentRuntime));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn a_configured_layer_replaces_the_allow_all_default_and_the_other_layer_keeps_it() {
        let stack = Stack::new(vec![Box::new(deny_shell())]).unwrap();
        let (d, _) = stack.check(Subject::Action(&Action::Search { pattern: "x".into() }));
        assert!(d.is_empty(), "the team's runtime layer does not judge searches, and no allow-all stands in for it: {d:?}");
    }

    #[test]
    fn a_decision_is_recorded_under_the_layer_that_made_it() {
        let liar = guardrail_fn(Layer::Gateway, |_| Some(Decision::deny(Layer::ProviderAuth, "pretends to be the provider")));
        let (d, stopped) = Stack::new(vec![Box::new(liar)]).unwrap().check(Subject::Action(&shell("x")));
        assert_eq!(stopped, Some(Layer::Gateway));
        assert_eq!(d.last().map(|d| d.layer), Some(Layer::Gateway));
    }

    #[test]
    fn an_approved_ask_passes_on_and_a_refused_one_stops_both_recorded() {
        let asking = |answer: Answer| {
            guardrail_fn(Layer::AgentRuntime, move |_| {
                let approval =
                    Approval { approver: "human".into(), shown: "curl".into(), read: None, answer, prompt: 1, classifier: false };
                Some(Decision { approval: Some(approval), ..Decision::new(Layer::AgentRuntime, Verdict::Ask, "Bash prompts") })
            })
        };
        let (d, stopped) = Stack::new(vec![Box::new(asking(Answer::Approved))]).unwrap().check(Subject::Action(&shell("curl")));
        assert_eq!((d.len(), stopped), (1, None), "an approved ask goes on to the gateway, which is not asked about actions: {d:?}");
        assert_eq!(d[0].approval.as_ref().map(|a| a.answer), Some(Answer::Approved));
        let (d, stopped) = Stack::new(vec![Box::new(asking(Answer::Refused))]).unwrap().check(Subject::Action(&shell("curl")));
        assert_eq!(stopped, Some(Layer::AgentRuntime));
        assert_eq!(d[0].approval.as_ref().map(|a| a.answer), Some(Answer::Refused));
    }

    #[test]
    fn the_providers_own_layers_cannot_be_replaced_by_a_guardrail() {
        let g = guardrail_fn(Layer::ProviderAuth, |_| None);
        assert_eq!(Stack::new(vec![Box::new(g)]).err(), Some(NotAGuardrailLayer(Layer::ProviderAuth)));
    }
}
