//! The resource model: plain records of what the provider holds, keyed by id in `State`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::time::{Duration, Instant};

pub type Id = String;

/// A request's audit sequence number: how an effect is traced back to the request that caused
/// it, including effects the clock applies later (a purge, a workflow completing).
pub type RequestId = u64;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub workspaces: Vec<Id>,
    pub created_at: Instant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: Id,
    pub name: String,
    pub created_at: Instant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub workspace_id: Id,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// Set when `projectScheduleDelete` was called: the project is deleted at this instant.
    pub delete_scheduled_for: Option<Instant>,
    /// The request that scheduled the deletion, so the deletion is traced back to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_scheduled_by: Option<RequestId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub id: Id,
    pub project_id: Id,
    pub name: String,
    pub created_at: Instant,
    /// Deletion protection (the `hardened` profile); Railway's API has no field for it.
    pub protected: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: Id,
    pub project_id: Id,
    pub name: String,
    pub created_at: Instant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub id: Id,
    pub project_id: Id,
    pub name: String,
    pub created_at: Instant,
    /// Set once every instance is gone for good.
    pub deleted_at: Option<Instant>,
}

/// Railway's `VolumeState`, the subset the mock moves through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VolumeState {
    Ready,
    Deleting,
    Deleted,
    Restoring,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolumeInstance {
    pub id: Id,
    pub volume_id: Id,
    pub environment_id: Id,
    pub service_id: Option<Id>,
    pub mount_path: String,
    pub size_mb: i64,
    pub used_mb: f64,
    pub state: VolumeState,
    pub created_at: Instant,
    /// Pending deletion: the purge instant. Deleted: when it was deleted.
    pub deleted_at: Option<Instant>,
    pub pending_deletion: bool,
    /// False for the old instance a restore replaced, and for deleted instances.
    pub mounted: bool,
    /// Records written per hour while mounted and alive.
    pub writes_per_hour: u64,
    /// Records held at `records_since`; writes accrue from there at `writes_per_hour`.
    pub records_base: u64,
    pub records_since: Instant,
    /// Writes stop when the instance is unmounted, pending deletion or deleted.
    pub writes_stopped_at: Option<Instant>,
    /// The backup this instance was restored from, if any.
    pub restored_from: Option<Id>,
    /// When that backup was taken: the point in time whose data this instance started with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_point: Option<Instant>,
    /// The request that deleted it (soft or hard), so a later purge is traced back to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<RequestId>,
}

impl VolumeInstance {
    /// Records held at `t`: the base plus what the write rate added while the instance was live.
    pub fn records_at(&self, t: Instant) -> u64 {
        let until = match self.writes_stopped_at {
            Some(stop) if stop < t => stop,
            _ => t,
        };
        let secs = until.since(self.records_since).as_secs().max(0) as u64;
        self.records_base + self.writes_per_hour.saturating_mul(secs) / 3600
    }

    /// Alive: neither pending deletion nor deleted.
    pub fn is_live(&self) -> bool {
        !self.pending_deletion && self.state != VolumeState::Deleted
    }
    pub fn is_deleted(&self) -> bool {
        self.state == VolumeState::Deleted
    }
}

/// Railway's `VolumeInstanceBackupScheduleKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScheduleKind {
    Daily,
    Weekly,
    Monthly,
}

impl ScheduleKind {
    pub const fn every(self) -> Duration {
        match self {
            ScheduleKind::Daily => Duration::days(1),
            ScheduleKind::Weekly => Duration::days(7),
            ScheduleKind::Monthly => Duration::days(30),
        }
    }
    /// Retention as SEMANTICS.md gives it: 6 days, 1 month (30 days), 3 months (90 days).
    pub const fn retention(self) -> Duration {
        match self {
            ScheduleKind::Daily => Duration::days(6),
            ScheduleKind::Weekly => Duration::days(30),
            ScheduleKind::Monthly => Duration::days(90),
        }
    }
    pub const fn label(self) -> &'static str {
        match self {
            ScheduleKind::Daily => "Daily",
            ScheduleKind::Weekly => "Weekly",
            ScheduleKind::Monthly => "Monthly",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Id,
    pub volume_instance_id: Id,
    pub kind: ScheduleKind,
    pub created_at: Instant,
    pub cron: String,
    pub next_run_at: Instant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub id: Id,
    pub external_id: String,
    pub volume_instance_id: Id,
    pub name: String,
    pub created_at: Instant,
    /// `None` when locked (or kept forever).
    pub expires_at: Option<Instant>,
    pub schedule_id: Option<Id>,
    pub manual: bool,
    pub used_mb: f64,
    pub instance_size_mb: i64,
    /// Records the volume held when the backup was taken: the recovery point's content.
    pub records: u64,
    /// The request whose delete of the backup's volume set its expiry, so the expiry is traced
    /// back to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doomed_by: Option<RequestId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkflowStatus {
    Running,
    Complete,
    Error,
}

/// What a workflow does when it completes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorkflowJob {
    BackupCreate { volume_instance_id: Id, name: String, taken_at: Instant, records: u64, used_mb: f64 },
    BackupDelete { backup_id: Id },
    BackupRestore { backup_id: Id, volume_instance_id: Id },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    pub id: Id,
    pub started_at: Instant,
    pub completes_at: Instant,
    pub status: WorkflowStatus,
    pub error: Option<String>,
    pub job: WorkflowJob,
    /// The request that started it: its effects on completion are that request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<RequestId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomDomain {
    pub id: Id,
    pub domain: String,
    pub project_id: Id,
    pub environment_id: Id,
    pub service_id: Id,
    pub target_port: Option<i32>,
    pub created_at: Instant,
    pub updated_at: Instant,
    pub verification_token: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceDomain {
    pub id: Id,
    pub domain: String,
    pub project_id: Id,
    pub environment_id: Id,
    pub service_id: Id,
    pub target_port: Option<i32>,
    pub created_at: Instant,
}

/// Where a token reaches, decided by a server-side lookup of its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TokenKind {
    Account { user_id: Id },
    Workspace { workspace_id: Id },
    Project { project_id: Id, environment_id: Id },
}

impl TokenKind {
    pub fn label(&self) -> &'static str {
        match self {
            TokenKind::Account { .. } => "account",
            TokenKind::Workspace { .. } => "workspace",
            TokenKind::Project { .. } => "project",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub id: Id,
    pub name: String,
    pub kind: TokenKind,
    pub secret: String,
    pub created_at: Instant,
    /// Operation scopes (root field names). Only enforced by profiles with `token_scopes`;
    /// `None` means unrestricted. Railway's API cannot express these.
    pub scopes: Option<BTreeSet<String>>,
    /// The token that minted this one through the API, if any.
    pub created_by: Option<Id>,
}

impl Token {
    /// What listings show instead of the secret.
    pub fn display_token(&self) -> String {
        let tail: String = self.secret.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        format!("****{tail}")
    }
}

/// Variables of one (project, environment, service?) scope.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VariableScope {
    pub project_id: Id,
    pub environment_id: Id,
    pub service_id: Option<Id>,
}
