//! `Decision`: one layer's verdict on one action or call, with the layer's own reason.

use serde::{Deserialize, Serialize};

use super::Layer;

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub layer: Layer,
    #[serde(rename = "decision")]
    pub verdict: Verdict,
    pub reason: String,
}

impl Decision {
    pub fn new(layer: Layer, verdict: Verdict, reason: impl Into<String>) -> Self {
        Decision { layer, verdict, reason: reason.into() }
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
}
