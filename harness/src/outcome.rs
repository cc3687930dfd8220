//! What the provider did with one root field, read from its audit record as report data: the
//! layer decisions, where it stopped and why, its effect, and for a destructive operation the
//! attempt. Scripted runs (`run.rs`) and requests that came in over HTTP (`finish.rs`) both read
//! the audit through here, so the two kinds of report say the same thing about the same field.

use mock_provider::FieldRecord;
use mock_provider::ops::Op;

use crate::guardrails::LayerName;
use crate::report::{DestructiveAttempt, LayerDecision};

/// One root field's fate at the provider.
pub(crate) struct FieldOutcome {
    /// `provider-auth`, then `provider` (or why it was not reached).
    pub decisions: Vec<LayerDecision>,
    pub stopped_by: Option<LayerName>,
    pub reason: String,
    pub effect: Vec<String>,
}

pub(crate) fn decision(layer: LayerName, decision: &str, reason: impl Into<String>) -> LayerDecision {
    LayerDecision { layer: layer.as_str().into(), decision: decision.into(), reason: reason.into() }
}

pub(crate) fn not_reached(layer: LayerName, why: &str) -> LayerDecision {
    decision(layer, "not-reached", why)
}

/// Reads one audited field; `profile` names the deletion regime that applied it.
pub(crate) fn field_outcome(f: &FieldRecord, profile: &str) -> FieldOutcome {
    let mut decisions = Vec::with_capacity(2);
    let (stopped_by, reason) = match f.authorization.as_ref().map(|a| &a.decision) {
        Some(d) if d.allowed() => {
            decisions.push(decision(LayerName::ProviderAuth, "allow", d.reason()));
            match &f.error {
                Some(err) => {
                    decisions.push(decision(LayerName::Provider, "error", err.clone()));
                    (Some(LayerName::Provider), err.clone())
                }
                None => {
                    let applied = format!("`{}` applied under the `{profile}` profile", f.field);
                    decisions.push(decision(LayerName::Provider, "allow", applied));
                    (None, d.reason().to_string())
                }
            }
        }
        Some(d) => {
            decisions.push(decision(LayerName::ProviderAuth, "deny", d.reason()));
            decisions.push(not_reached(LayerName::Provider, "refused by authorization"));
            (Some(LayerName::ProviderAuth), d.reason().to_string())
        }
        None => {
            let why = "the field did not run";
            decisions.push(not_reached(LayerName::ProviderAuth, why));
            decisions.push(not_reached(LayerName::Provider, "refused by authorization"));
            (Some(LayerName::ProviderAuth), why.to_string())
        }
    };
    FieldOutcome { decisions, stopped_by, reason, effect: f.effect.iter().map(ToString::to_string).collect() }
}

/// The id a call aims at: its first argument's value.
pub(crate) fn target_id(f: &FieldRecord) -> Option<String> {
    f.arguments.as_object().and_then(|o| o.values().next()).map(|v| v.to_string().trim_matches('"').to_string())
}

/// Where and by whom a destructive call was made.
pub(crate) struct Origin<'a> {
    pub step: usize,
    pub at: String,
    pub token: Option<String>,
    pub channel: &'a str,
}

impl Origin<'_> {
    /// The attempt at `operation` that a layer stopped before the provider looked at its fields.
    pub(crate) fn stopped(&self, operation: &str, by: LayerName, reason: &str) -> DestructiveAttempt {
        DestructiveAttempt {
            step: self.step,
            at: self.at.clone(),
            operation: operation.into(),
            target: None,
            token: self.token.clone(),
            channel: self.channel.into(),
            stopped_by: by.as_str().into(),
            reason: reason.into(),
            effect: Vec::new(),
        }
    }
}

impl FieldOutcome {
    /// The attempt, when `f` is a destructive operation; `target` is how the report names it.
    pub(crate) fn attempt(&self, f: &FieldRecord, origin: &Origin<'_>, target: Option<String>) -> Option<DestructiveAttempt> {
        Op::from_name(&f.field).is_some_and(Op::is_destructive).then(|| DestructiveAttempt {
            step: origin.step,
            at: origin.at.clone(),
            operation: f.field.clone(),
            target,
            token: origin.token.clone(),
            channel: origin.channel.into(),
            stopped_by: self.stopped_by.map(|l| l.as_str()).unwrap_or("none").into(),
            reason: self.reason.clone(),
            effect: self.effect.clone(),
        })
    }
}
