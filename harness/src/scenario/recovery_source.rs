//! `RecoverySource`: where the recovery drill gets a volume's data back from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a volume's data comes back from after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RecoverySource {
    /// The volume was never lost.
    Live,
    /// A provider-native backup that survived.
    ProviderBackup,
    /// Undoing a soft delete within its grace period.
    SoftDeleteRestore,
    /// The team's off-site backup.
    Offsite,
    /// Nothing: the data is gone.
    None,
}
