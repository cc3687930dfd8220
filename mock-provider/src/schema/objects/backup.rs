//! `VolumeInstanceBackup` and `VolumeInstanceBackupSchedule`: a volume instance's recovery points
//! and the schedules that take them.

use async_graphql::{ID, Object};

use super::{int, int_mb};
use crate::model::{Backup, Schedule};
use crate::schema::enums::ScheduleKind;
use crate::schema::scalars::DateTime;

pub struct BackupObj(pub Backup);

#[Object(name = "VolumeInstanceBackup")]
impl BackupObj {
    async fn id(&self) -> &str {
        &self.0.id
    }
    async fn name(&self) -> Option<&str> {
        Some(&self.0.name)
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    // `null` once locked: a locked backup does not expire (it still dies with its volume).
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn schedule_id(&self) -> Option<&str> {
        self.0.schedule_id.as_deref()
    }
    #[graphql(name = "usedMB")]
    async fn used_mb(&self) -> Option<i32> {
        Some(int_mb(self.0.used_mb))
    }
    // Mock backups are full copies, so what they reference is what they use.
    #[graphql(name = "referencedMB")]
    async fn referenced_mb(&self) -> Option<i32> {
        Some(int_mb(self.0.used_mb))
    }
    #[graphql(name = "volumeInstanceSizeMB")]
    async fn volume_instance_size_mb(&self) -> Option<i32> {
        Some(int(self.0.instance_size_mb))
    }
    async fn creator_id(&self) -> Option<String> {
        None
    }
}

pub struct ScheduleObj(pub Schedule);

#[Object(name = "VolumeInstanceBackupSchedule")]
impl ScheduleObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn kind(&self) -> ScheduleKind {
        self.0.kind.into()
    }
    async fn cron(&self) -> &str {
        &self.0.cron
    }
    async fn name(&self) -> &str {
        self.0.kind.label()
    }
    async fn retention_seconds(&self) -> Option<i32> {
        Some(int(self.0.kind.retention().as_secs()))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
