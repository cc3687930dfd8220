//! `AllowAll`: the layer a scenario declares nothing for. Everything passes, and the report says
//! why, so "no layer stopped it" never reads as "a layer approved it".

use super::{Decision, Guardrail, Layer, Subject};

#[derive(Clone, Debug)]
pub struct AllowAll {
    layer: Layer,
}

/// `allow_all(Layer::Gateway)`: a layer that is not configured.
pub fn allow_all(layer: Layer) -> AllowAll {
    AllowAll { layer }
}

impl Guardrail for AllowAll {
    fn layer(&self) -> Layer {
        self.layer
    }
    fn check(&self, subject: Subject<'_>) -> Option<Decision> {
        let why = match (self.layer, subject) {
            (Layer::AgentRuntime, Subject::Action(_)) => "no agent-runtime permissions declared: the action runs unapproved",
            (Layer::Gateway, Subject::Call(_)) => "no gateway in front of the provider: the call passes through",
            _ => return None,
        };
        Some(Decision::allow(self.layer, why))
    }
}
