//! `RuntimeVerdict`: what the agent runtime decides about one tool call, before anyone is asked:
//! allow, ask or deny, the rule and file that decided it (or the mode, or the hook), every known
//! leak that applies and the settings' findings. It is what `firedrill explain` prints.

use serde::Serialize;

use super::finding::Finding;
use crate::guardrails::{DecidedBy, Leak, MatchedRule, Verdict};

/// Every reason the layer gives ends with this: the harness simulates the runtime from its
/// documentation; it is not the client.
pub const SIMULATED: &str = "simulated from documented rules";

/// Who answers an `ask`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Asker {
    /// The person at the keyboard.
    #[default]
    Person,
    /// The runtime's classifier (Claude Code's `auto`, Cursor's Auto-review).
    Classifier,
}

/// The runtime's decision on one call. Serialized with exactly the keys `firedrill explain
/// --format json` documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuntimeVerdict {
    /// `claude-code` or `cursor`.
    pub runtime: &'static str,
    pub decision: Verdict,
    pub matched: Option<MatchedRule>,
    pub by: DecidedBy,
    pub reason: String,
    pub leaks: Vec<Leak>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub asker: Asker,
}

impl RuntimeVerdict {
    pub(crate) fn new(runtime: &'static str, decision: Verdict, by: DecidedBy, reason: String) -> Self {
        RuntimeVerdict {
            runtime,
            decision,
            matched: None,
            by,
            reason: format!("{reason} ({SIMULATED})"),
            leaks: Vec::new(),
            findings: Vec::new(),
            asker: Asker::Person,
        }
    }

    pub(crate) fn rule(mut self, file: &str, list: &str, rule: &str) -> Self {
        self.matched = Some(MatchedRule { file: file.into(), list: list.into(), rule: rule.into() });
        self
    }

    /// `allow`, `ask` or `deny`.
    pub fn decision_name(&self) -> &'static str {
        match self.decision {
            Verdict::Allow => "allow",
            Verdict::Ask => "ask",
            Verdict::Deny => "deny",
            Verdict::Error => "error",
            Verdict::NotReached => "not-reached",
        }
    }

    pub(crate) fn classifier(mut self) -> Self {
        self.asker = Asker::Classifier;
        self
    }
}
