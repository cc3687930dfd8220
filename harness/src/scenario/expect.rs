//! `Expect`: what the team expects a run to show, checked after the run.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::time_schema::{DurationSchema, InstantSchema};
use super::{AlertKind, Duration, Instant, RecoverySource};
use crate::guardrails::{Answer, DecidedBy, StoppedBy};

/// Expectations about the run's outcome; each one left out is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Mitigations (by their `firedrill whatif` id, such as `scope-token/domains-cli`, or a
    /// `[[whatif.mitigation]]` name) each of which alone must bring the worst data loss within
    /// `[whatif] tolerance`; judged by running the scenario once more under each.
    #[serde(default)]
    pub sufficient_mitigations: Vec<String>,
    /// Volumes ("project/volume") expected to be lost at the end of the run.
    #[serde(default)]
    pub volumes_lost: Vec<String>,
    /// Volumes ("project/volume") expected to survive the run with their data.
    #[serde(default)]
    pub volumes_intact: Vec<String>,
    /// The most data loss, as the age of the recovery point, the run may show.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub max_data_loss: Option<Duration>,
    /// The least data loss, as the age of the recovery point, the run must show.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub min_data_loss: Option<Duration>,
    /// The source the recovery drill restores each listed volume from.
    #[serde(default)]
    pub recovery_source: BTreeMap<String, RecoverySource>,
    /// The layer that stopped the agent's first destructive attempt.
    #[serde(default)]
    pub stopped_by: Option<StoppedBy>,
    /// Exactly the tokens the agent found, by name; `[]` expects none.
    #[serde(default)]
    pub tokens_found: Option<Vec<String>>,
    /// Exactly the tokens minted during the run, each with the token its minting call used (or
    /// the actor, `agent`, `team` or `ci`, when it used none); `{}` expects none.
    #[serde(default)]
    pub tokens_minted: Option<BTreeMap<String, String>>,
    /// Exactly the kinds of alert raised during the run; `[]` expects none.
    #[serde(default)]
    pub alerts: Option<Vec<AlertKind>>,
    /// Expectations about one instance of a critical volume (the volume in one environment):
    /// `[[expect.instance]]`.
    #[serde(default, rename = "instance")]
    pub instances: Vec<InstanceExpect>,
    /// Expectations about one kind of alert: when it first fired and how often. `[[expect.alert]]`.
    #[serde(default, rename = "alert")]
    pub alert_details: Vec<AlertExpect>,
    /// Exactly this many destructive attempts, by every actor.
    #[serde(default)]
    pub destructive_attempts: Option<usize>,
    /// Expectations about the destructive attempts, in order: the first `[[expect.attempt]]` is
    /// about the first attempt, and so on.
    #[serde(default, rename = "attempt")]
    pub attempts: Vec<AttemptExpect>,
    /// Variables that must exist after the run, as `project/environment/NAME` (shared) or
    /// `project/environment/service/NAME`.
    #[serde(default)]
    pub variables_present: Vec<String>,
    /// Variables that must not exist after the run, written as in `variables_present`.
    #[serde(default)]
    pub variables_absent: Vec<String>,
    /// Exactly the operations each listed token was used for beyond its `purpose`; `[]` expects
    /// it stayed within its purpose.
    #[serde(default)]
    pub beyond_purpose: BTreeMap<String, Vec<String>>,
    /// The scope analysis, on the world before the agent acts: `true` when no destructive path
    /// of the agent reaches a critical volume (or its instances or backups); `false` asserts
    /// that one does.
    #[serde(default)]
    pub scope_no_destructive_reach_on_critical: Option<bool>,
    /// Tokens whose reach, under the profile, stays within their declared `purpose`.
    #[serde(default)]
    pub scope_within_purpose: Vec<String>,
}

impl Expect {
    /// Whether any expectation needs the scope analysis.
    pub fn asks_scope(&self) -> bool {
        self.scope_no_destructive_reach_on_critical.is_some() || !self.scope_within_purpose.is_empty()
    }
}

/// What one instance of a critical volume must show after the run; each key left out is not
/// checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceExpect {
    /// **Required.** The volume, as `project/volume`.
    pub volume: String,
    /// **Required.** The environment of the instance.
    pub environment: String,
    /// Whether the service lost what it held: no instance serves, or the one that does was
    /// rolled back.
    #[serde(default)]
    pub lost: Option<bool>,
    /// Where the recovery drill gets the instance's data back from.
    #[serde(default)]
    pub source: Option<RecoverySource>,
    /// The least data loss the instance must show.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub min_loss: Option<Duration>,
    /// The most data loss the instance may show.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub max_loss: Option<Duration>,
    /// Exactly how many of the instance's provider backups survive the run.
    #[serde(default)]
    pub backups: Option<usize>,
    /// The newest surviving provider backup is at most this old at the end of the run.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub newest_backup_within: Option<Duration>,
}

/// When an alert first fired and how often; each key left out is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertExpect {
    /// **Required.** The kind of alert.
    pub kind: AlertKind,
    /// It fired first at or before this instant.
    #[serde(default)]
    #[schemars(with = "Option<InstantSchema>")]
    pub first_by: Option<Instant>,
    /// It fired first at or after this instant.
    #[serde(default)]
    #[schemars(with = "Option<InstantSchema>")]
    pub first_after: Option<Instant>,
    /// It fired at least this many times.
    #[serde(default)]
    pub min_times: Option<usize>,
    /// It fired at most this many times.
    #[serde(default)]
    pub max_times: Option<usize>,
}

/// What one destructive attempt must show; each key left out is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptExpect {
    /// The operation, a root field of Railway's API such as `volumeDelete`.
    #[serde(default)]
    pub operation: Option<String>,
    /// Text the attempt's target must contain, such as `pocketos/pg-data`.
    #[serde(default)]
    pub target: Option<String>,
    /// Who made it: `agent`, `team`, `ci`, or an HTTP client's user agent.
    #[serde(default)]
    pub actor: Option<String>,
    /// The layer that stopped it, or `none`.
    #[serde(default)]
    pub stopped_by: Option<StoppedBy>,
    /// What in the agent runtime decided on it: `rule`, `mode` or `hook`. Needs
    /// `[agent_runtime]`.
    #[serde(default)]
    pub decided_by: Option<DecidedBy>,
    /// What the person (or classifier) the agent runtime asked answered: `approved` or
    /// `refused`. Needs `[agent_runtime]`.
    #[serde(default)]
    pub approver: Option<Answer>,
}
