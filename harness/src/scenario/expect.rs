//! `Expect`: what the team expects a run to show, checked after the run.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::time_schema::DurationSchema;
use super::{AlertKind, Duration, RecoverySource};
use crate::guardrails::StoppedBy;

/// Expectations about the run's outcome; each one left out is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
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
    /// Exactly the kinds of alert raised during the run; `[]` expects none.
    #[serde(default)]
    pub alerts: Option<Vec<AlertKind>>,
}
