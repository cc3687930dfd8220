//! `Volume`: a service's persistent disk, with one instance per environment.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A volume attached to a service, with an instance in each of its environments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// The volume's name, unique in its project; it must not contain `/`.
    pub name: String,
    /// The service the volume is mounted in; one of the project's `services`.
    pub service: String,
    /// Where the volume is mounted in the service's container. Defaults to "/data".
    #[serde(default = "default_mount_path")]
    pub mount_path: String,
    /// The environments the volume has instances in. Defaults to all of the project's.
    #[serde(default)]
    pub environments: Option<Vec<String>>,
    /// The volume's size in megabytes. Defaults to 5000.
    #[serde(default = "default_size_mb")]
    pub size_mb: u64,
    /// The megabytes in use at the start of history. Defaults to 500; at most `size_mb`.
    #[serde(default = "default_used_mb")]
    pub used_mb: u64,
    /// Whether the recovery drill must restore this volume. Defaults to false.
    #[serde(default)]
    pub critical: bool,
    /// Records written per hour while the volume lives; data loss is counted in them. Defaults
    /// to 0.
    #[serde(default)]
    pub writes_per_hour: u64,
    /// The provider's native backup schedules enabled on the volume.
    #[serde(default)]
    pub native_backups: Vec<BackupSchedule>,
}

/// A provider-native backup schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BackupSchedule {
    /// A backup every day, kept for 6 days.
    Daily,
    /// A backup every week, kept for a month.
    Weekly,
    /// A backup every month, kept for 3 months.
    Monthly,
}

fn default_mount_path() -> String {
    "/data".to_owned()
}

const fn default_size_mb() -> u64 {
    5000
}

const fn default_used_mb() -> u64 {
    500
}
