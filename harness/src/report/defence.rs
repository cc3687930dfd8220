//! Defence in depth: which layer stopped which destructive attempt and which attempts passed
//! every layer, and the team's agent runtime as the report states it (its facts, its settings'
//! findings, and the settings that look protective but protect nothing). Both are in a report
//! only when the scenario declares an agent runtime.

use serde::Serialize;

use super::{DestructiveAttempt, RuntimeReport, TimelineEvent};
use crate::guardrails::runtime::Finding;
use crate::guardrails::{Layer, StoppedBy, Verdict};

/// One layer's part in the defence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerDefence {
    pub layer: Layer,
    /// The attempts this layer stopped.
    pub stopped: Vec<String>,
    /// The attempts this layer saw and let through (allowed, or asked and approved).
    pub let_through: Vec<String>,
}

/// Which layers stopped which attempts, and which attempts passed every layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Defence {
    pub layers: Vec<LayerDefence>,
    pub passed_every_layer: Vec<String>,
}

/// A setting that looks protective but protects nothing: a finding in the team's files (with
/// its position), or a known leak an action the runtime let through went by in this run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hollow {
    /// `file:line:column`, or `step N` for a leak seen in the run.
    pub at: String,
    pub kind: String,
    pub message: String,
}

/// The team's agent runtime in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuntimeSection {
    /// `claude-code` or `cursor`.
    pub runtime: &'static str,
    pub mode: String,
    pub mode_source: String,
    pub files: Vec<String>,
    pub hooks: String,
    pub approver: String,
    pub classifier: String,
    /// Every verdict of the layer is simulated from the runtime's documented rules.
    pub simulated: &'static str,
    pub findings: Vec<Finding>,
    pub protects_nothing: Vec<Hollow>,
}

/// An attempt in a few words: `step 2: volumeDelete on volume app/pg-data (shell:curl)`.
pub fn label(a: &DestructiveAttempt) -> String {
    let on = a.target.as_ref().map(|t| format!(" on {t}")).unwrap_or_default();
    format!("step {}: {}{on} ({})", a.step, a.operation, a.channel)
}

pub(super) fn defence(attempts: &[DestructiveAttempt]) -> Defence {
    let layers = Layer::ALL
        .into_iter()
        .map(|layer| LayerDefence {
            layer,
            stopped: attempts.iter().filter(|a| a.stopped_by == StoppedBy::from(layer)).map(label).collect(),
            let_through: attempts
                .iter()
                .filter(|a| a.layers.iter().any(|d| d.layer == layer && d.passes() && d.verdict != Verdict::NotReached))
                .map(label)
                .collect(),
        })
        .collect();
    Defence { layers, passed_every_layer: attempts.iter().filter(|a| a.stopped_by == StoppedBy::NONE).map(label).collect() }
}

pub(super) fn runtime_section(r: &RuntimeReport, timeline: &[TimelineEvent]) -> RuntimeSection {
    let s = &r.summary;
    let mut hollow: Vec<Hollow> = r
        .findings
        .iter()
        .filter(|f| f.kind.protects_nothing())
        .map(|f| Hollow { at: format!("{}:{}:{}", f.file, f.line, f.column), kind: f.kind.name().into(), message: f.message.clone() })
        .collect();
    // A known leak on an action the runtime let through: the rule it leaks past protected
    // nothing that time.
    for e in timeline {
        let (Some(step), Some(d)) = (e.step, e.decisions.iter().find(|d| d.layer == Layer::AgentRuntime)) else { continue };
        if !d.passes() {
            continue;
        }
        for leak in &d.leaks {
            let h = Hollow { at: format!("step {step}"), kind: leak.kind_name().into(), message: leak.message.clone() };
            if !hollow.contains(&h) {
                hollow.push(h);
            }
        }
    }
    RuntimeSection {
        runtime: s.runtime,
        mode: s.mode.clone(),
        mode_source: s.mode_source.clone(),
        files: s.files.clone(),
        hooks: s.hooks.clone(),
        approver: s.approver.clone(),
        classifier: s.classifier.clone(),
        simulated: s.simulated,
        findings: r.findings.clone(),
        protects_nothing: hollow,
    }
}
