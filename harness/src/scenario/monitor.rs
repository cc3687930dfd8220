//! `Monitor`: the team's freshness monitor over its off-site backups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Duration;
use super::time_schema::DurationSchema;

/// A periodic check that alerts when the newest off-site backup is too old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitor {
    /// The age of the newest off-site backup above which the monitor raises `offsite-stale`.
    #[schemars(with = "DurationSchema")]
    pub offsite_max_age: Duration,
    /// How often the monitor checks. Defaults to "24h".
    #[serde(default = "default_check_every")]
    #[schemars(with = "DurationSchema")]
    pub check_every: Duration,
}

fn default_check_every() -> Duration {
    Duration::days(1)
}
