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
    /// No live, mounted instance in the drilled environment after the agent's steps.
    pub lost: bool,
    pub environment: String,
    pub instances: Vec<InstanceReport>,
    pub provider_backups: Vec<BackupReport>,
    pub recovery: Recovery,
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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveryAttempt {
    pub source: RecoverySource,
    pub recovery_point: Option<Instant>,
    pub outcome: String,
}
