//! `IncidentReport`: the only serialized output of a drill, and its renderers.
//!
//! INVARIANT: everything here is ordered data (`Vec` in event order, `BTreeMap` by key) built
//! only from the scenario, its seed and the simulated clock, so the same scenario and seed give
//! a byte-identical report in every format.

mod junit;
mod markdown;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use junit::junit;
pub use markdown::markdown;
pub use text::{summary_line, text};

/// What happened in one drill, and whether the team's expectations held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentReport {
    pub scenario: String,
    /// The scenario file's path as given to the run.
    pub path: String,
    pub seed: u64,
    pub profile: ProfileReport,
    pub start: String,
    pub end: String,
    pub summary: Summary,
    pub tokens: Vec<TokenReport>,
    pub timeline: Vec<TimelineEvent>,
    pub destructive_attempts: Vec<DestructiveAttempt>,
    pub volumes: Vec<VolumeReport>,
    pub offsite: Option<OffsiteReport>,
    pub alerts: Vec<Alert>,
    pub expectations: Vec<ExpectationResult>,
    /// True when every expectation held.
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileReport {
    pub name: String,
    /// Every knob as the run used it, overrides applied.
    pub knobs: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub destructive_attempts: usize,
    pub stopped: usize,
    pub volumes_lost: Vec<String>,
    pub worst_data_loss_seconds: i64,
    pub worst_data_loss: String,
    pub alerts: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenReport {
    pub name: String,
    pub kind: String,
    pub stored_in: String,
    pub purpose: Vec<String>,
    /// The 1-based step that found it, if the agent found it.
    pub found_by_step: Option<usize>,
    pub found_in: Option<String>,
    /// Operations the token was used for that are outside its declared purpose.
    pub used_beyond_purpose: Vec<String>,
}

/// One layer's verdict on one action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerDecision {
    /// `agent-runtime`, `gateway`, `provider-auth` or `provider`.
    pub layer: String,
    /// `allow`, `deny`, `ask`, `error` or `not-reached`.
    pub decision: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at: String,
    /// `agent`, `provider`, `offsite-job`, `monitor`, `drill`.
    pub actor: String,
    /// How the action travelled: `repo:search`, `shell:curl`, `graphql`, `mcp:railway`, `schedule`…
    pub channel: String,
    pub action: String,
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub decisions: Vec<LayerDecision>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub effect: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DestructiveAttempt {
    pub step: usize,
    pub at: String,
    pub operation: String,
    pub target: Option<String>,
    pub token: Option<String>,
    pub channel: String,
    /// The layer that stopped it, or `none`.
    pub stopped_by: String,
    pub reason: String,
    pub effect: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolumeReport {
    /// `project/volume`.
    pub name: String,
    pub critical: bool,
    /// No live, mounted instance in the drilled environment after the agent's steps.
    pub lost: bool,
    pub environment: String,
    pub instances: Vec<InstanceReport>,
    pub provider_backups: Vec<BackupReport>,
    pub recovery: Recovery,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceReport {
    pub environment: String,
    pub state: String,
    pub mounted: bool,
    pub deleted_at: Option<String>,
    pub records: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupReport {
    pub environment: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// `live`, `provider-backup`, `soft-delete-restore`, `offsite` or `none`.
    pub source: String,
    pub recovery_point: Option<String>,
    /// Age of the recovery point at the moment of loss.
    pub recovery_point_age: Option<String>,
    pub data_loss_seconds: i64,
    pub data_loss: String,
    pub records_lost: u64,
    pub restore_time_seconds: Option<i64>,
    /// Every source tried, best first, and how it went.
    pub attempts: Vec<RecoveryAttempt>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryAttempt {
    pub source: String,
    pub recovery_point: Option<String>,
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffsiteReport {
    pub target: String,
    pub volume: String,
    pub every: String,
    pub runs: usize,
    pub failed_runs: usize,
    pub silent_failures: usize,
    pub objects: usize,
    pub newest: Option<String>,
    pub newest_age_at_end: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// `offsite-stale` or `offsite-failed`.
    pub kind: String,
    pub first_at: String,
    pub times: usize,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "yaml" => Format::Yaml,
            "markdown" | "md" => Format::Markdown,
            "junit" => Format::Junit,
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
        }
    }
}
