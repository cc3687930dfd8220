//! `Recovery`: parameters of the recovery drill that follows the agent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the recovery drill estimates restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// Restore throughput in megabytes per second, for the restore-time estimate. Defaults to
    /// 100.
    #[serde(default = "default_throughput")]
    pub throughput_mb_per_s: f64,
}

impl Default for Recovery {
    fn default() -> Self {
        Self { throughput_mb_per_s: default_throughput() }
    }
}

const fn default_throughput() -> f64 {
    100.0
}
