//! `AlertKind`: the alerts the team's monitoring can raise during a run.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A kind of alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// The newest off-site backup is older than the monitor's `offsite_max_age`.
    OffsiteStale,
    /// An off-site backup run reported a failure (a fault that is not `silent`).
    OffsiteFailed,
}
