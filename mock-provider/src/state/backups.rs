//! Backups: schedules, retention, manual backups, locks, restores, and their workflows; plus the
//! clock that drives them.
//!
//! Why this shape: create, delete and restore are asynchronous on Railway (`workflowId`, then
//! `workflowStatus`). Their effects are applied when the simulated clock reaches the workflow's
//! completion, so a caller polling `workflowStatus` sees `Running` and then `Complete` or `Error`
//! exactly as it would against the real API.

use super::{Action, Cause, Change, State};
use crate::error::ProviderError;
use crate::model::*;
use crate::ops::ResourceKind;
use crate::time::Instant;

impl State {
    pub(super) fn backup_label(&self, b: &Backup) -> String {
        match self.instances.get(&b.volume_instance_id) {
            Some(i) => {
                format!("{} ({}) {} {}", self.volume_label(&i.volume_id), self.environment_name(&i.environment_id), b.name, b.created_at)
            }
            None => b.name.clone(),
        }
    }

    /// Runs a schedule's runs due by now; returns the backups it took. Arithmetic over the runs
    /// it skips or counts, so a schedule far behind the clock costs no more than one on time.
    pub(super) fn run_schedule(&mut self, id: &str) -> Vec<Id> {
        let Some(s) = self.schedules.get(id).cloned() else { return Vec::new() };
        let every = s.kind.every().as_secs().max(1);
        if s.next_run_at > self.now {
            return Vec::new();
        }
        let runs = (self.now.0 - s.next_run_at.0) / every + 1;
        let next = Instant(s.next_run_at.0.saturating_add(runs.saturating_mul(every)));
        let live = self.instances.get(&s.volume_instance_id).is_some_and(|i| i.is_live() && i.mounted);
        let mut taken = Vec::new();
        // A schedule on an instance that is not serving (pending deletion, unmounted) skips its
        // runs; it does not catch up.
        if live {
            // Runs whose backup would have expired by the horizon are counted, not materialized.
            let counted = match self.horizon {
                Some(h) if s.next_run_at + s.kind.retention() <= h => {
                    ((h.0 - s.kind.retention().as_secs() - s.next_run_at.0) / every + 1).min(runs)
                }
                _ => 0,
            };
            self.stats.backups_taken += counted as u64;
            self.stats.backups_expired += counted as u64;
            for n in counted..runs {
                let at = Instant(s.next_run_at.0 + n * every);
                taken.extend(self.take_backup(&s.volume_instance_id, s.kind.label(), Some(&s), at));
            }
        }
        if let Some(s) = self.schedules.get_mut(id) {
            s.next_run_at = next;
        }
        taken
    }

    /// Records a backup of `instance_id` as of `at`.
    fn take_backup(&mut self, instance_id: &str, name: &str, schedule: Option<&Schedule>, at: Instant) -> Option<Id> {
        let i = self.instances.get(instance_id)?;
        let (records, used_mb, size) = (i.records_at(at), i.used_mb, i.size_mb);
        self.insert_backup(instance_id, name, schedule, at, records, used_mb, size)
    }

    #[expect(clippy::too_many_arguments, reason = "a backup is a record of all of these")]
    fn insert_backup(
        &mut self,
        instance_id: &str,
        name: &str,
        schedule: Option<&Schedule>,
        at: Instant,
        records: u64,
        used_mb: f64,
        size: i64,
    ) -> Option<Id> {
        let id = self.ids.uuid();
        let external_id = format!("bkp_{}", &id[..8]);
        let b = Backup {
            id: id.clone(),
            external_id,
            volume_instance_id: instance_id.to_string(),
            name: name.to_string(),
            created_at: at,
            expires_at: schedule.map(|s| at + s.kind.retention()),
            schedule_id: schedule.map(|s| s.id.clone()),
            manual: schedule.is_none(),
            used_mb,
            instance_size_mb: size,
            records,
            doomed_by: None,
        };
        let label = self.backup_label(&b);
        let cause = if schedule.is_some() { Cause::Schedule } else { Cause::Workflow };
        self.stats.backups_taken += 1;
        self.backups.insert(id.clone(), b);
        self.push(cause, Change::new(Action::Created, ResourceKind::Backup, &id, label));
        Some(id)
    }

    /// Adds a schedule of `kind` to an instance, first running at the next `hour:minute` after
    /// `created_at`.
    pub(crate) fn insert_schedule(&mut self, instance_id: &str, kind: ScheduleKind, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        let r = self.ids.next_u64();
        let (minute, hour) = ((r % 60) as i64, ((r / 60) % 24) as i64);
        let day = created_at.0.div_euclid(86_400) * 86_400;
        let mut first = Instant(day + hour * 3600 + minute * 60);
        if first <= created_at {
            first = first + crate::time::Duration::days(1);
        }
        let cron = match kind {
            ScheduleKind::Daily => format!("{minute} {hour} * * *"),
            ScheduleKind::Weekly => format!("{minute} {hour} * * {}", (first.0.div_euclid(86_400) + 4).rem_euclid(7)),
            ScheduleKind::Monthly => format!("{minute} {hour} */30 * *"),
        };
        self.schedules.insert(
            id.clone(),
            Schedule { id: id.clone(), volume_instance_id: instance_id.to_string(), kind, created_at, cron, next_run_at: first },
        );
        id
    }

    /// Replaces an instance's schedule set; `[]` clears it and keeps existing backups.
    pub(crate) fn set_schedules(&mut self, instance_id: &str, kinds: &[ScheduleKind]) -> Vec<Change> {
        let now = self.now;
        let mut changes = Vec::new();
        let existing: Vec<(Id, ScheduleKind)> =
            self.schedules.values().filter(|s| s.volume_instance_id == instance_id).map(|s| (s.id.clone(), s.kind)).collect();
        for (id, kind) in &existing {
            if !kinds.contains(kind) {
                self.schedules.remove(id);
                changes.push(Change::new(Action::Deleted, ResourceKind::BackupSchedule, id, kind.label()));
            }
        }
        let mut wanted = kinds.to_vec();
        wanted.sort();
        wanted.dedup();
        for kind in wanted {
            if !existing.iter().any(|(_, k)| *k == kind) {
                let id = self.insert_schedule(instance_id, kind, now);
                changes.push(Change::new(Action::Created, ResourceKind::BackupSchedule, &id, kind.label()));
            }
        }
        changes
    }

    fn start_workflow(&mut self, job: WorkflowJob) -> Id {
        let id = self.ids.uuid();
        let now = self.now;
        self.workflows.insert(
            id.clone(),
            Workflow {
                id: id.clone(),
                started_at: now,
                completes_at: now + self.profile.workflow_duration,
                status: WorkflowStatus::Running,
                error: None,
                job,
                origin: self.origin,
            },
        );
        if self.profile.workflow_duration.as_secs() <= 0 {
            self.complete_workflow(&id);
        }
        id
    }

    pub(crate) fn request_backup(&mut self, instance_id: &str, name: Option<String>) -> Result<Id, ProviderError> {
        let i = self.instance(instance_id)?;
        if !i.is_live() {
            return Err(ProviderError::Conflict("volume instance is being deleted".into()));
        }
        let (records, used_mb) = (i.records_at(self.now), i.used_mb);
        Ok(self.start_workflow(WorkflowJob::BackupCreate {
            volume_instance_id: instance_id.to_string(),
            name: name.unwrap_or_else(|| "Manual".into()),
            taken_at: self.now,
            records,
            used_mb,
        }))
    }

    pub(crate) fn request_backup_delete(&mut self, backup_id: &str) -> Id {
        self.start_workflow(WorkflowJob::BackupDelete { backup_id: backup_id.to_string() })
    }

    pub(crate) fn request_restore(&mut self, backup_id: &str, instance_id: &str) -> Result<Id, ProviderError> {
        let b = self.backups.get(backup_id).ok_or_else(|| ProviderError::not_found("Backup", backup_id))?;
        if b.volume_instance_id != instance_id {
            return Err(ProviderError::InvalidInput(
                "backups restore only into their own volume instance (same project and environment)".into(),
            ));
        }
        Ok(self
            .start_workflow(WorkflowJob::BackupRestore { backup_id: backup_id.to_string(), volume_instance_id: instance_id.to_string() }))
    }

    pub(crate) fn lock_backup(&mut self, backup_id: &str) -> Result<Change, ProviderError> {
        let b = self.backups.get_mut(backup_id).ok_or_else(|| ProviderError::not_found("Backup", backup_id))?;
        b.expires_at = None;
        let b = b.clone();
        Ok(Change::new(Action::Locked, ResourceKind::Backup, &b.id, self.backup_label(&b)).detail("expiry removed"))
    }

    pub(super) fn complete_workflow(&mut self, id: &str) {
        let Some(w) = self.workflows.get(id).cloned() else { return };
        let result = match &w.job {
            WorkflowJob::BackupCreate { volume_instance_id, name, taken_at, records, used_mb } => {
                self.finish_backup(volume_instance_id, name, *taken_at, *records, *used_mb)
            }
            WorkflowJob::BackupDelete { backup_id } => match self.backups.remove(backup_id) {
                Some(b) => {
                    let label = self.backup_label(&b);
                    self.push(Cause::Workflow, Change::new(Action::Deleted, ResourceKind::Backup, &b.id, label));
                    Ok(())
                }
                None => Err("backup no longer exists".to_string()),
            },
            WorkflowJob::BackupRestore { backup_id, volume_instance_id } => self.finish_restore(backup_id, volume_instance_id),
        };
        if let Some(w) = self.workflows.get_mut(id) {
            match result {
                Ok(()) => w.status = WorkflowStatus::Complete,
                Err(e) => {
                    w.status = WorkflowStatus::Error;
                    w.error = Some(e);
                }
            }
        }
    }

    fn finish_backup(&mut self, instance_id: &str, name: &str, taken_at: Instant, records: u64, used_mb: f64) -> Result<(), String> {
        let Some(i) = self.instances.get(instance_id) else { return Err("volume instance no longer exists".into()) };
        if i.is_deleted() {
            return Err("volume instance was deleted".into());
        }
        let size = i.size_mb;
        let manual_used: f64 = self.backups.values().filter(|b| b.volume_instance_id == instance_id && b.manual).map(|b| b.used_mb).sum();
        let limit = self.profile.manual_backup_limit * size as f64;
        if manual_used + used_mb > limit {
            return Err(format!(
                "manual backups are limited to {}% of the volume's size ({limit:.0} MB); {manual_used:.0} MB used",
                (self.profile.manual_backup_limit * 100.0).round()
            ));
        }
        self.insert_backup(instance_id, name, None, taken_at, records, used_mb, size);
        Ok(())
    }

    fn finish_restore(&mut self, backup_id: &str, instance_id: &str) -> Result<(), String> {
        let now = self.now;
        let Some(b) = self.backups.get(backup_id).cloned() else { return Err("backup no longer exists".into()) };
        let Some(old) = self.instances.get(instance_id).cloned() else { return Err("volume instance no longer exists".into()) };
        if !self.environments.contains_key(&old.environment_id) {
            return Err("the volume's environment was deleted".into());
        }
        // Restoring deletes every backup of the instance newer than the one restored.
        let newer: Vec<Id> = self
            .backups
            .values()
            .filter(|x| x.volume_instance_id == instance_id && x.created_at > b.created_at)
            .map(|x| x.id.clone())
            .collect();
        for id in newer {
            if let Some(x) = self.backups.remove(&id) {
                let label = self.backup_label(&x);
                self.push(
                    Cause::Workflow,
                    Change::new(Action::Deleted, ResourceKind::Backup, &x.id, label).detail("newer than the restored backup"),
                );
            }
        }
        if let Some(o) = self.instances.get_mut(instance_id)
            && o.mounted
        {
            o.mounted = false;
            o.writes_stopped_at.get_or_insert(now);
            let label = format!("{} ({})", self.volume_label(&old.volume_id), self.environment_name(&old.environment_id));
            self.push(Cause::Workflow, Change::new(Action::Unmounted, ResourceKind::VolumeInstance, instance_id, label));
        }
        let seed = super::volumes::InstanceSeed {
            service_id: old.service_id.clone(),
            mount_path: old.mount_path.clone(),
            size_mb: old.size_mb,
            used_mb: b.used_mb,
            writes_per_hour: old.writes_per_hour,
            records: b.records,
        };
        let new_id = self.insert_instance(&old.volume_id, &old.environment_id, seed, now);
        if let Some(n) = self.instances.get_mut(&new_id) {
            n.restored_from = Some(b.id.clone());
            n.restored_point = Some(b.created_at);
        }
        if let Some(v) = self.volumes.get_mut(&old.volume_id) {
            v.deleted_at = None;
        }
        for s in self.schedules.values_mut().filter(|s| s.volume_instance_id == instance_id) {
            s.volume_instance_id = new_id.clone();
        }
        self.resume_schedules(&new_id);
        let label = format!("{} ({})", self.volume_label(&old.volume_id), self.environment_name(&old.environment_id));
        self.push(
            Cause::Workflow,
            Change::new(Action::Restored, ResourceKind::VolumeInstance, &new_id, label)
                .detail(format!("from backup {} taken {}", b.name, b.created_at)),
        );
        Ok(())
    }
}
