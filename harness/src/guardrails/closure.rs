//! `guardrail_fn`: a guardrail written as a closure, so a team can test its own proxy or policy
//! logic against a drill without a type of its own.

use super::{Decision, Guardrail, Layer, Subject};

type Check = dyn Fn(Subject<'_>) -> Option<Decision> + Send + Sync;

/// A guardrail made of a closure; see `guardrail_fn`.
pub struct FnGuardrail {
    layer: Layer,
    check: Box<Check>,
}

/// A guardrail at `layer` that judges with `check`:
///
/// ```
/// use harness::guardrails::{Decision, Layer, Subject, guardrail_fn};
/// let no_deletes = guardrail_fn(Layer::Gateway, |subject| match subject {
///     Subject::Call(call) if call.root_fields.iter().any(|f| f.ends_with("Delete")) => {
///         Some(Decision::deny(Layer::Gateway, "the proxy refuses deletes"))
///     }
///     Subject::Call(_) => Some(Decision::allow(Layer::Gateway, "the proxy passes it on")),
///     Subject::Action(_) => None,
/// });
/// # let _ = no_deletes;
/// ```
pub fn guardrail_fn(layer: Layer, check: impl Fn(Subject<'_>) -> Option<Decision> + Send + Sync + 'static) -> FnGuardrail {
    FnGuardrail { layer, check: Box::new(check) }
}

impl Guardrail for FnGuardrail {
    fn layer(&self) -> Layer {
        self.layer
    }
    fn check(&self, subject: Subject<'_>) -> Option<Decision> {
        (self.check)(subject)
    }
}
