//! `Decision`: one layer's verdict on one action or call, with the layer's own reason.

use serde::{Deserialize, Serialize};

use super::Layer;
use super::attribution::{Answer, Approval, DecidedBy, Leak, MatchedRule};

/// What a layer made of what it was shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allow,
    Deny,
    /// The runtime would ask a person; an approver answers.
    Ask,
    /// The provider refused the request as it stood: a malformed document, an unknown id, a
    /// conflict with the resource's state.
    Error,
    /// An earlier layer stopped it, so this one never saw it.
    NotReached,
}

impl Verdict {
    /// Whether the action goes on past the layer.
    pub const fn passes(self) -> bool {
        matches!(self, Verdict::Allow)
    }
}

/// One layer's verdict and why. Every decision in a report is made by the layer it names, and
/// the reason is that layer's own words.
///
/// The attribution fields are written only when a layer gives them (the agent runtime does), so
/// a layer that just allows or denies serializes as `{layer, decision, reason}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub layer: Layer,
    #[serde(rename = "decision")]
    pub verdict: Verdict,
    pub reason: String,
    /// The rule that decided, with its file and list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchedRule>,
    /// What decided: a rule, the mode, or a hook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<DecidedBy>,
    /// Known ways around this decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaks: Vec<Leak>,
    /// For an `ask`: who was asked, what they were shown and what they answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
}

impl Decision {
    pub fn new(layer: Layer, verdict: Verdict, reason: impl Into<String>) -> Self {
        Decision { layer, verdict, reason: reason.into(), matched: None, by: None, leaks: Vec::new(), approval: None }
    }
    pub fn allow(layer: Layer, reason: impl Into<String>) -> Self {
        Decision::new(layer, Verdict::Allow, reason)
    }
    pub fn deny(layer: Layer, reason: impl Into<String>) -> Self {
        Decision::new(layer, Verdict::Deny, reason)
    }
    pub fn not_reached(layer: Layer, reason: impl Into<String>) -> Self {
        Decision::new(layer, Verdict::NotReached, reason)
    }

    /// Whether the action goes on past the layer: it allowed it, or it asked and the answer was
    /// yes. An `ask` nobody answered stops, as a prompt nobody approves does.
    pub fn passes(&self) -> bool {
        match self.verdict {
            Verdict::Ask => self.approval.as_ref().is_some_and(|a| a.answer == Answer::Approved),
            v => v.passes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(answer: Answer) -> Approval {
        Approval { approver: "a tired human".into(), shown: "curl …".into(), read: None, answer, prompt: 1, classifier: false }
    }

    #[test]
    fn an_ask_passes_only_when_the_approver_said_yes() {
        let ask = Decision::new(Layer::AgentRuntime, Verdict::Ask, "Bash prompts");
        assert!(!ask.passes());
        assert!(Decision { approval: Some(approval(Answer::Approved)), ..ask.clone() }.passes());
        assert!(!Decision { approval: Some(approval(Answer::Refused)), ..ask }.passes());
    }

    #[test]
    fn a_plain_decision_serializes_without_the_attribution_fields() {
        let d = Decision::allow(Layer::Gateway, "passes");
        assert_eq!(serde_json::to_value(&d).unwrap(), serde_json::json!({"layer": "gateway", "decision": "allow", "reason": "passes"}));
        let back: Decision = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
