//! `OffsiteBackup`: the team's own backup job to an S3-like store, and the store's faults.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::time_schema::{DurationSchema, InstantSchema};
use super::{Duration, Instant};

/// A periodic job that dumps one volume instance to an off-site store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OffsiteBackup {
    /// The store location the job writes to, such as "s3://team-backups/pg-data".
    pub target: String,
    /// The volume the job dumps, as "project/volume" (or a volume name unique across projects).
    pub volume: String,
    /// The environment whose volume instance is dumped; one of the volume's environments.
    pub environment: String,
    /// How often the job runs.
    #[schemars(with = "DurationSchema")]
    pub every: Duration,
    /// How long the store keeps each backup. Backups are kept forever when left out.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub retention: Option<Duration>,
    /// When the job started running. Defaults to the start of history (`start - history`).
    #[serde(default)]
    #[schemars(with = "Option<InstantSchema>")]
    pub since: Option<Instant>,
    /// When the job stopped running, if it silently stopped.
    #[serde(default)]
    #[schemars(with = "Option<InstantSchema>")]
    pub stopped_at: Option<Instant>,
    /// Windows in which the store fails requests: the job's uploads, the listing or the
    /// downloads of a restore.
    #[serde(default, rename = "fault")]
    pub faults: Vec<StoreFault>,
}

/// A window during which the off-site store fails the requests of one side (or all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreFault {
    /// How the store fails.
    pub kind: FaultKind,
    /// When the fault begins.
    #[schemars(with = "InstantSchema")]
    pub from: Instant,
    /// When the fault ends; it lasts to the end of the run when left out.
    #[serde(default)]
    #[schemars(with = "Option<InstantSchema>")]
    pub until: Option<Instant>,
    /// Whether the job reports success anyway, so nothing notices the failure. Defaults to
    /// false.
    #[serde(default)]
    pub silent: bool,
    /// Which requests the fault hits: the job's `upload`s (and its retention deletes), the
    /// `listing` of the bucket a restore starts with, the `restore` downloads, or `all` of them
    /// (an outage). The job's upload credential can expire while the team's restore access still
    /// works: that is `side = "upload"`. Defaults to `all`.
    #[serde(default)]
    pub side: FaultSide,
}

/// Which of the store's clients a fault hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FaultSide {
    /// Every request: the store is down, or its one credential is gone.
    #[default]
    All,
    /// The job's uploads and its retention deletes.
    Upload,
    /// Listing the bucket, as a restore does to find the newest dump.
    Listing,
    /// Downloading a dump.
    Restore,
}

impl FaultSide {
    /// Whether a fault on this side hits a request of `kind`.
    #[must_use]
    pub fn hits(self, kind: FaultSide) -> bool {
        self == FaultSide::All || self == kind
    }
}

/// How the off-site store fails an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The store answers 500.
    ServerError,
    /// The store does not answer in time.
    Timeout,
    /// The store answers 403, as after a rotated credential.
    Forbidden,
}
