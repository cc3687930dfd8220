//! What the recovery drill found for one critical volume: its instances, its surviving provider
//! backups, and the recovery (source, recovery point, loss, restore time) with every source tried.

use mock_provider::VolumeState;
use mock_provider::time::{Duration, Instant};
use serde::Serialize;

use crate::scenario::RecoverySource;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VolumeReport {
    /// `project/volume`.
    pub name: String,
    pub critical: bool,
    /// The service does not hold what it held before the first destructive effect: no live,
    /// mounted instance serves in the environment, or the one that does was rolled back.
    pub lost: bool,
    pub environment: String,
    pub instances: Vec<InstanceReport>,
    pub provider_backups: Vec<BackupReport>,
    pub recovery: Recovery,
}

impl VolumeReport {
    /// `project/volume (environment)`: which instance of the volume this finding is about.
    pub fn instance_name(&self) -> String {
        format!("{} ({})", self.name, self.environment)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InstanceReport {
    pub environment: String,
    pub state: VolumeState,
    pub mounted: bool,
    pub deleted_at: Option<Instant>,
    pub records: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BackupReport {
    pub environment: String,
    pub name: String,
    pub created_at: Instant,
    pub expires_at: Option<Instant>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recovery {
    pub source: RecoverySource,
    pub recovery_point: Option<Instant>,
    /// Age of the recovery point at the moment of loss.
    pub recovery_point_age: Option<Duration>,
    pub data_loss_seconds: i64,
    pub data_loss: Duration,
    pub records_lost: u64,
    pub restore_time_seconds: Option<i64>,
    /// Every source tried, best first, and how it went.
    pub attempts: Vec<RecoveryAttempt>,
    /// What the figures mean when they need words: a rollback, or nothing surviving.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveryAttempt {
    pub source: RecoverySource,
    pub recovery_point: Option<Instant>,
    pub outcome: String,
}
