//! `IncidentReport`: the only serialized output of a drill, how it is assembled from a finished
//! run, the expectations judged on it, and its renderers.
//!
//! INVARIANT: everything here is ordered data (`Vec` in event order, `BTreeMap` by key) built
//! only from the scenario, its seed and the simulated clock, so the same scenario and seed give
//! a byte-identical report in every format. Renderers read one view model (`view`), so text and
//! Markdown (and HTML) say the same things and differ only in layout.

mod assemble;
mod defence;
mod expect;
#[cfg(test)]
pub(crate) mod fixtures;
mod html;
mod junit;
mod markdown;
mod picture;
mod text;
mod view;

use std::collections::BTreeMap;

use mock_provider::RequestId;
use mock_provider::ops::Op;
use mock_provider::time::{Duration, Instant};
use serde::Serialize;

pub use crate::guardrails::Decision;
pub use crate::recovery::{Alert, BackupReport, InstanceReport, OffsiteReport, Recovery, RecoveryAttempt, VolumeReport};
pub use assemble::{Discovery, Minted, RunRecord, assemble};
pub use defence::{Defence, Hollow, LayerDefence, RuntimeSection};
pub use html::{html, html_with};
pub use junit::junit;
pub use markdown::{markdown, md as escape_markdown};
pub use picture::esc as escape_html;
pub use text::{summary_line, text};
pub use view::expected_got;

use crate::agent::Channel;
use crate::guardrails::StoppedBy;
use crate::scenario::TokenKind;

/// What happened in one drill, and whether the team's expectations held.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncidentReport {
    pub scenario: String,
    /// The scenario file's path as given to the run.
    pub path: String,
    pub seed: u64,
    pub profile: ProfileReport,
    pub start: Instant,
    pub end: Instant,
    pub summary: Summary,
    pub tokens: Vec<TokenReport>,
    pub timeline: Vec<TimelineEvent>,
    pub destructive_attempts: Vec<DestructiveAttempt>,
    /// The team's agent runtime, when the scenario declares one: its facts, its settings'
    /// findings, and those that look protective but protect nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_runtime: Option<RuntimeSection>,
    /// Which layers stopped which destructive attempts, and which attempts passed every layer;
    /// when the scenario declares an agent runtime.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defence_in_depth: Option<Defence>,
    pub volumes: Vec<VolumeReport>,
    pub offsite: Option<OffsiteReport>,
    pub alerts: Vec<Alert>,
    pub expectations: Vec<ExpectationResult>,
    /// True when every expectation held.
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileReport {
    pub name: String,
    /// Every knob as the run used it, overrides applied.
    pub knobs: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub destructive_attempts: usize,
    pub stopped: usize,
    pub volumes_lost: Vec<String>,
    pub worst_data_loss_seconds: i64,
    pub worst_data_loss: Duration,
    pub alerts: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenReport {
    pub name: String,
    pub kind: TokenKind,
    pub stored_in: String,
    pub purpose: Vec<String>,
    /// The 1-based step that found it, if the agent found it.
    pub found_by_step: Option<usize>,
    pub found_in: Option<String>,
    /// Operations the token was used for that are outside its declared purpose.
    pub used_beyond_purpose: Vec<String>,
    /// For a token minted during the run: the call that minted it, and with which token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minted_by: Option<String>,
    /// For a token minted during the run: the token the minting call used, or the actor who
    /// made it when it used none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minted_with: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEvent {
    pub at: Instant,
    /// `agent`, `provider`, `offsite-job`, `history`, or an HTTP client's user agent.
    pub actor: String,
    pub channel: Channel,
    pub action: String,
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effect: Vec<String>,
}

impl TimelineEvent {
    pub fn new(at: Instant, actor: &str, channel: Channel, action: impl Into<String>) -> Self {
        TimelineEvent {
            at,
            actor: actor.into(),
            channel,
            action: action.into(),
            target: None,
            step: None,
            decisions: Vec::new(),
            effect: Vec::new(),
        }
    }
}

/// The agent runtime of a run: its facts and its settings' findings, as the run built it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeReport {
    pub summary: crate::guardrails::runtime::RuntimeSummary,
    pub findings: Vec<crate::guardrails::runtime::Finding>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DestructiveAttempt {
    pub step: usize,
    pub at: Instant,
    /// Who made it: `agent`, `team`, `ci`, or an HTTP client's user agent.
    pub actor: String,
    pub operation: Op,
    pub target: Option<String>,
    pub token: Option<String>,
    pub channel: Channel,
    /// The layer that stopped it, or `none`.
    pub stopped_by: StoppedBy,
    pub reason: String,
    /// Every layer's decision on it, in the order it met them, each with its own reason (and
    /// the approver's answer where the runtime asked). Listed when the drill has the team's
    /// agent runtime in its stack.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Decision>,
    /// What it changed: at once, then (each with its instant) what the provider's clock did
    /// later because of it.
    pub effect: Vec<String>,
    /// The provider's id of the request, when the attempt reached the provider: later effects
    /// are linked to the attempt through it.
    #[serde(skip)]
    pub request: Option<RequestId>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectationResult {
    pub name: String,
    pub passed: bool,
    pub expected: String,
    pub actual: String,
}

/// The output formats of `firedrill run --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
    Markdown,
    Junit,
    /// One self-contained page with a timeline picture.
    Html,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            "markdown" | "md" => Format::Markdown,
            "junit" => Format::Junit,
            "html" => Format::Html,
            _ => return None,
        })
    }
}

impl IncidentReport {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(self).unwrap_or_default()
    }
    /// Renders one report; JUnit takes a list, see `junit`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text(self),
            Format::Json => self.to_json(),
            Format::Yaml => self.to_yaml(),
            Format::Markdown => markdown(self),
            Format::Junit => junit(std::slice::from_ref(self)),
            Format::Html => html(self),
        }
    }

    /// The critical volumes with an instance the drill found lost, as `project/volume`, once each.
    pub fn lost_volumes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.volumes.iter().filter(|v| v.lost).map(|v| v.name.as_str()).collect();
        names.dedup();
        names
    }

    /// The instances of critical volumes the drill found lost, as `project/volume (environment)`.
    pub fn lost_instances(&self) -> Vec<String> {
        self.volumes.iter().filter(|v| v.lost).map(VolumeReport::instance_name).collect()
    }

    /// The layer that stopped each destructive attempt, in order (`StoppedBy::NONE` where none did).
    pub fn stopped_by(&self) -> Vec<StoppedBy> {
        self.destructive_attempts.iter().map(|a| a.stopped_by).collect()
    }

    /// The worst data loss of any critical volume.
    pub fn data_loss(&self) -> Duration {
        self.summary.worst_data_loss
    }

    /// The recovery of one critical volume (`project/volume`), if it was drilled.
    pub fn recovery(&self, volume: &str) -> Option<&Recovery> {
        self.volumes.iter().find(|v| v.name == volume).map(|v| &v.recovery)
    }

    /// The expectations that failed.
    pub fn failed_expectations(&self) -> impl Iterator<Item = &ExpectationResult> {
        self.expectations.iter().filter(|e| !e.passed)
    }
}
