//! `ProviderLayer`: the provider's two layers (provider auth, provider) as verdicts, read from the
//! provider's own record of the request (`ProviderResponse::record`), never from the audit log.
//!
//! Why here and not in the run: the provider decides (authorization in `auth::decide`, effects
//! in its state machine); this layer only translates each root field's record into the same
//! `Decision`s every other layer gives, so a report's provider verdicts say exactly what the
//! provider decided, for this request, whatever else reached the provider in between.

use mock_provider::ops::{Op, OpClass};
use mock_provider::{AuditEntry, FieldRecord, Stage};

use super::{Decision, Layer, StoppedBy, Verdict};

/// What the provider made of one root field of a request.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldVerdict {
    /// The root field as the document named it.
    pub field: String,
    pub op: Option<Op>,
    /// Whether this call removes data or access, as the provider classed it from its arguments
    /// (`variableCollectionUpsert` with `replace: true` is; without it, it is not).
    pub destructive: bool,
    /// The resource the call names, as the provider names it.
    pub target: Option<String>,
    /// Provider auth's decision, then the provider's (or why each was not reached).
    pub decisions: Vec<Decision>,
    pub stopped_by: StoppedBy,
    /// The stopping layer's reason, or provider auth's reason for letting it through.
    pub reason: String,
    /// What the call changed at once, in the provider's words.
    pub effect: Vec<String>,
}

/// The provider's layers for one request, under the profile named `profile`.
#[derive(Clone, Debug)]
pub struct ProviderLayer<'a> {
    pub profile: &'a str,
}

impl ProviderLayer<'_> {
    /// One verdict per root field the request named, in order. A request refused before any
    /// root field could be named (a document too deep to parse) still gets the provider's
    /// verdict, as one verdict for the request as a whole.
    pub fn judge(&self, record: &AuditEntry) -> Vec<FieldVerdict> {
        let refusal = record.errors.join("; ");
        let whole = FieldRecord {
            field: String::new(),
            arguments: serde_json::Value::Null,
            class: OpClass::Read,
            authorization: None,
            target: None,
            error: None,
            effect: Vec::new(),
        };
        let fields =
            if record.fields.is_empty() && record.stage != Stage::Executed { std::slice::from_ref(&whole) } else { &record.fields[..] };
        fields
            .iter()
            .map(|f| match record.stage {
                Stage::Unauthenticated => verdict(
                    f,
                    vec![
                        Decision::deny(Layer::ProviderAuth, refusal.clone()),
                        Decision::not_reached(Layer::Provider, "refused by authorization"),
                    ],
                    Layer::ProviderAuth,
                    refusal.clone(),
                ),
                // A document the provider cannot run never reaches authorization: it is the
                // provider refusing a malformed request, not a denial of the token.
                Stage::Malformed => {
                    let why = format!("malformed request: {refusal}");
                    verdict(
                        f,
                        vec![
                            Decision::not_reached(Layer::ProviderAuth, "the request never reached authorization"),
                            Decision::new(Layer::Provider, Verdict::Error, why.clone()),
                        ],
                        Layer::Provider,
                        why,
                    )
                }
                Stage::Executed => self.executed(f),
            })
            .collect()
    }

    fn executed(&self, f: &FieldRecord) -> FieldVerdict {
        let Some(auth) = &f.authorization else {
            let why = "the field did not run";
            return verdict(
                f,
                vec![Decision::not_reached(Layer::ProviderAuth, why), Decision::not_reached(Layer::Provider, why)],
                Layer::ProviderAuth,
                why.into(),
            );
        };
        let reason = auth.decision.reason().to_string();
        if !auth.allowed() {
            return verdict(
                f,
                vec![
                    Decision::deny(Layer::ProviderAuth, reason.clone()),
                    Decision::not_reached(Layer::Provider, "refused by authorization"),
                ],
                Layer::ProviderAuth,
                reason,
            );
        }
        let allowed = Decision::allow(Layer::ProviderAuth, reason.clone());
        match &f.error {
            Some(err) => {
                verdict(f, vec![allowed, Decision::new(Layer::Provider, Verdict::Error, err.clone())], Layer::Provider, err.clone())
            }
            None => {
                let applied = format!("`{}` applied under the `{}` profile", f.field, self.profile);
                FieldVerdict {
                    stopped_by: StoppedBy::NONE,
                    ..verdict(f, vec![allowed, Decision::allow(Layer::Provider, applied)], Layer::Provider, reason)
                }
            }
        }
    }
}

fn verdict(f: &FieldRecord, decisions: Vec<Decision>, stopped_by: Layer, reason: String) -> FieldVerdict {
    let op = Op::from_name(&f.field);
    FieldVerdict {
        field: f.field.clone(),
        op,
        destructive: f.class == OpClass::Destructive,
        target: f.target.clone(),
        decisions,
        stopped_by: stopped_by.into(),
        reason,
        effect: f.effect.iter().map(ToString::to_string).collect(),
    }
}
