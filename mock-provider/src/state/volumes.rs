//! Volumes and their per-environment instances: creation, writes, and the deletion regimes.
//!
//! Why this shape: the incident is decided here. `delete_instance` is the only place that knows
//! whether a delete is hard or soft and what happens to the instance's backups; every cascade
//! (volume, service, environment, project, workspace) goes through it.

use super::{Action, Cause, Change, State};
use crate::error::ProviderError;
use crate::model::*;
use crate::ops::ResourceKind;
use crate::time::Instant;

/// What a new volume instance starts with.
#[derive(Clone, Debug)]
pub struct InstanceSeed {
    pub service_id: Option<Id>,
    pub mount_path: String,
    pub size_mb: i64,
    pub used_mb: f64,
    pub writes_per_hour: u64,
    pub records: u64,
}

impl State {
    pub(crate) fn insert_volume(&mut self, project_id: &str, name: &str, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.volumes.insert(
            id.clone(),
            Volume { id: id.clone(), project_id: project_id.to_string(), name: name.to_string(), created_at, deleted_at: None },
        );
        id
    }

    pub(crate) fn insert_instance(&mut self, volume_id: &str, environment_id: &str, seed: InstanceSeed, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.instances.insert(
            id.clone(),
            VolumeInstance {
                id: id.clone(),
                volume_id: volume_id.to_string(),
                environment_id: environment_id.to_string(),
                service_id: seed.service_id,
                mount_path: seed.mount_path,
                size_mb: seed.size_mb,
                used_mb: seed.used_mb,
                state: VolumeState::Ready,
                created_at,
                deleted_at: None,
                pending_deletion: false,
                mounted: true,
                writes_per_hour: seed.writes_per_hour,
                records_base: seed.records,
                records_since: created_at,
                writes_stopped_at: None,
                restored_from: None,
                restored_point: None,
                deleted_by: None,
            },
        );
        id
    }

    /// Deletes every live instance of a volume under the profile's regime.
    pub(crate) fn delete_volume(&mut self, volume_id: &str) -> Vec<Change> {
        let ids: Vec<Id> = self.instances.values().filter(|i| i.volume_id == volume_id && i.is_live()).map(|i| i.id.clone()).collect();
        let mut changes = Vec::new();
        for id in ids {
            changes.extend(self.delete_instance(&id, false));
        }
        changes
    }

    /// Deletes one instance: soft when the profile has a grace window (and `force` is off),
    /// hard otherwise.
    pub(crate) fn delete_instance(&mut self, id: &str, force: bool) -> Vec<Change> {
        let grace = self.profile.delete_grace;
        if force || self.profile.hard_delete() {
            return self.hard_delete_instance(id);
        }
        let now = self.now;
        let Some(i) = self.instances.get_mut(id) else { return Vec::new() };
        if !i.is_live() {
            return Vec::new();
        }
        i.pending_deletion = true;
        i.state = VolumeState::Deleting;
        i.deleted_at = Some(now + grace);
        i.deleted_by = self.origin;
        i.writes_stopped_at.get_or_insert(now);
        vec![
            Change::new(Action::SoftDeleted, ResourceKind::VolumeInstance, id, self.instance_name(id))
                .detail(format!("restorable out of band until {}", now + grace)),
        ]
    }

    fn hard_delete_instance(&mut self, id: &str) -> Vec<Change> {
        let now = self.now;
        let label = self.instance_name(id);
        let Some(i) = self.instances.get_mut(id) else { return Vec::new() };
        if i.is_deleted() {
            return Vec::new();
        }
        i.state = VolumeState::Deleted;
        i.pending_deletion = false;
        i.mounted = false;
        i.deleted_at = Some(now);
        i.deleted_by = i.deleted_by.or(self.origin);
        i.writes_stopped_at.get_or_insert(now);
        let volume_id = i.volume_id.clone();
        let mut changes = vec![Change::new(Action::Deleted, ResourceKind::VolumeInstance, id, label.clone())];
        self.schedules.retain(|_, s| s.volume_instance_id != id);
        let mut backups: Vec<(Instant, Id)> =
            self.backups.values().filter(|b| b.volume_instance_id == id).map(|b| (b.created_at, b.id.clone())).collect();
        backups.sort();
        let backup_ids: Vec<Id> = backups.into_iter().map(|(_, id)| id).collect();
        if self.profile.backups_die_with_volume {
            for b in backup_ids {
                if let Some(b) = self.backups.remove(&b) {
                    changes.push(
                        Change::new(Action::Deleted, ResourceKind::Backup, &b.id, format!("{} of {}", b.name, b.created_at))
                            .detail(format!("deleted with volume {label}")),
                    );
                }
            }
        } else {
            let until = now + self.profile.backups_outlive_volume;
            let origin = self.origin;
            for b in backup_ids {
                if let Some(b) = self.backups.get_mut(&b) {
                    b.expires_at = Some(until);
                    b.doomed_by = origin;
                    changes.push(
                        Change::new(Action::Updated, ResourceKind::Backup, &b.id, format!("{} of {}", b.name, b.created_at))
                            .detail(format!("outlives its volume until {until}")),
                    );
                }
            }
        }
        let all_gone = self.instances.values().filter(|i| i.volume_id == volume_id).all(|i| i.is_deleted());
        if all_gone && let Some(v) = self.volumes.get_mut(&volume_id) {
            v.deleted_at = Some(now);
        }
        changes
    }

    /// Railway support's out-of-band restore of a volume pending deletion (the e-mailed link).
    /// No public mutation does this.
    pub fn restore_deleted_volume(&mut self, volume_id: &str) -> Result<Vec<Change>, ProviderError> {
        let now = self.now;
        let pending: Vec<Id> =
            self.instances.values().filter(|i| i.volume_id == volume_id && i.pending_deletion).map(|i| i.id.clone()).collect();
        if pending.is_empty() {
            let known = self.volumes.contains_key(volume_id);
            return Err(if known {
                ProviderError::Conflict("volume is not pending deletion: nothing to restore (purged volumes are gone)".into())
            } else {
                ProviderError::not_found("Volume", volume_id)
            });
        }
        // Check everything before changing anything: a refused restore leaves no trace.
        for id in &pending {
            if let Some(env) = self.instances.get(id).map(|i| i.environment_id.clone())
                && !self.environments.contains_key(&env)
            {
                return Err(ProviderError::Conflict("the volume's environment was deleted".into()));
            }
        }
        let mut changes = Vec::new();
        for id in pending {
            let label = self.instance_name(&id);
            if let Some(i) = self.instances.get_mut(&id) {
                let records = i.records_at(now);
                i.pending_deletion = false;
                i.state = VolumeState::Ready;
                i.deleted_at = None;
                i.records_base = records;
                i.records_since = now;
                i.writes_stopped_at = None;
                i.deleted_by = None;
                let c = Change::new(Action::Restored, ResourceKind::VolumeInstance, &id, label)
                    .detail("out-of-band restore inside the soft-delete window");
                self.push(Cause::Admin, c.clone());
                changes.push(c);
            }
            self.resume_schedules(&id);
        }
        Ok(changes)
    }

    /// Schedules skip their runs while their instance is not serving; when it serves again
    /// they resume from now, without backdated catch-up backups.
    pub(crate) fn resume_schedules(&mut self, instance_id: &str) {
        let now = self.now;
        for s in self.schedules.values_mut().filter(|s| s.volume_instance_id == instance_id) {
            let every = s.kind.every().as_secs().max(1);
            if s.next_run_at <= now {
                let runs = (now.0 - s.next_run_at.0) / every + 1;
                s.next_run_at = crate::time::Instant(s.next_run_at.0.saturating_add(runs.saturating_mul(every)));
            }
        }
    }

    /// Purges instances whose grace window closed at or before `now`.
    pub(crate) fn purge_due(&mut self) {
        let now = self.now;
        let due: Vec<Id> = self
            .instances
            .values()
            .filter(|i| i.pending_deletion && i.deleted_at.is_some_and(|t| t <= now))
            .map(|i| i.id.clone())
            .collect();
        for id in due {
            let origin = self.instances.get(&id).and_then(|i| i.deleted_by);
            self.caused_by(origin, |s| {
                for c in s.hard_delete_instance(&id) {
                    s.push(Cause::Purge, c);
                }
            });
        }
    }

    /// Adds `records` written at `now` to an instance (the harness's write model beyond the rate).
    pub fn write_records(&mut self, instance_id: &str, records: u64) -> Result<(), ProviderError> {
        let now = self.now;
        let i = self.instances.get_mut(instance_id).ok_or_else(|| ProviderError::not_found("Volume instance", instance_id))?;
        if !i.is_live() || !i.mounted {
            return Err(ProviderError::Conflict("volume instance is not mounted".into()));
        }
        i.records_base = i.records_at(now) + records;
        i.records_since = now;
        Ok(())
    }
}
