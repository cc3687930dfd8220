//! The recovery drill: for a critical volume, restore it from the best surviving source and
//! measure what was lost.
//!
//! Sources are tried newest recovery point first, each on a fork of the provider's state (the
//! drill must not change the world it reports on): a soft-deleted volume restored out of band
//! inside its window, a provider backup restored through the provider's own workflow, an
//! off-site dump fetched back over HTTP. An unreachable source fails over to the next.

use mock_provider::auth::{Principal, Reach};
use mock_provider::time::{Duration, Instant};
use mock_provider::{Command, Outcome, State, VolumeInstance, WorkflowStatus};

use super::job::OffsiteJob;
use super::outcome::{BackupReport, InstanceReport, Recovery, RecoveryAttempt, VolumeReport};
use crate::scenario::{RecoverySource, Scenario};

/// What the drill needs to know about one critical volume.
struct DrillTarget<'a> {
    name: String,
    volume_id: &'a str,
    environment_id: &'a str,
    environment: String,
    throughput_mb_per_s: f64,
}

/// Drills every instance of every critical volume of the scenario on the state `state`: one
/// finding per volume and environment, in the order the file declares them. The off-site job's
/// dumps count for the volume and environment it backs up.
pub async fn drill_all(s: &Scenario, state: &State, job: Option<&OffsiteJob>) -> Vec<VolumeReport> {
    let mut out = Vec::new();
    for p in &s.projects {
        for v in p.volumes.iter().filter(|v| v.critical) {
            let name = format!("{}/{}", p.name, v.name);
            let Ok(pid) = state.project_id(&p.name) else { continue };
            let Ok(vid) = state.volume_id(&pid, &v.name) else { continue };
            for env_name in p.volume_environments(v) {
                let Ok(eid) = state.environment_id(&pid, env_name) else { continue };
                let offsite_covers =
                    s.offsite_backup.as_ref().is_some_and(|o| s.volume_ref(&o.volume) == name && o.environment == *env_name);
                let target = DrillTarget {
                    name: name.clone(),
                    volume_id: &vid,
                    environment_id: &eid,
                    environment: env_name.clone(),
                    throughput_mb_per_s: s.recovery.throughput_mb_per_s,
                };
                out.push(drill(state, &target, job.filter(|_| offsite_covers)).await);
            }
        }
    }
    out
}

enum Candidate {
    SoftDelete { point: Instant },
    Backup { point: Instant, backup_id: String, instance_id: String, records: u64, used_mb: f64 },
    Offsite { point: Instant, key: String },
}

impl Candidate {
    fn point(&self) -> Instant {
        match self {
            Candidate::SoftDelete { point } | Candidate::Backup { point, .. } | Candidate::Offsite { point, .. } => *point,
        }
    }
    fn source(&self) -> RecoverySource {
        match self {
            Candidate::SoftDelete { .. } => RecoverySource::SoftDeleteRestore,
            Candidate::Backup { .. } => RecoverySource::ProviderBackup,
            Candidate::Offsite { .. } => RecoverySource::Offsite,
        }
    }
}

/// The principal the team restores with: the owner's account, outside any agent.
fn owner(state: &State) -> Principal {
    let user = state.users().values().next();
    Principal {
        token_id: None,
        token_name: Some("firedrill-drill".into()),
        reach: Reach::Account {
            user_id: user.map(|u| u.id.clone()).unwrap_or_default(),
            workspaces: user.map(|u| u.workspaces.clone()).unwrap_or_default(),
        },
        scopes: None,
    }
}

/// One volume's finding: `lost` when no live, mounted instance serves in the drilled environment.
fn finding(
    target: &DrillTarget<'_>,
    instances: Vec<InstanceReport>,
    provider_backups: Vec<BackupReport>,
    lost: bool,
    recovery: Recovery,
) -> VolumeReport {
    VolumeReport {
        name: target.name.clone(),
        critical: true,
        lost,
        environment: target.environment.clone(),
        instances,
        provider_backups,
        recovery,
    }
}

async fn drill(state: &State, target: &DrillTarget<'_>, offsite: Option<&OffsiteJob>) -> VolumeReport {
    let now = state.now();
    let in_env: Vec<&VolumeInstance> = state
        .volume_instances()
        .values()
        .filter(|i| i.volume_id == target.volume_id && i.environment_id == target.environment_id)
        .collect();
    let instances = in_env
        .iter()
        .map(|i| InstanceReport {
            environment: target.environment.clone(),
            state: i.state,
            // A soft-deleted instance keeps its mount for a restore, but serves nothing.
            mounted: i.mounted && i.is_live(),
            deleted_at: i.deleted_at,
            records: i.records_at(now),
        })
        .collect();
    let instance_ids: Vec<&str> = in_env.iter().map(|i| i.id.as_str()).collect();
    let mut backups: Vec<_> = state.backups().values().filter(|b| instance_ids.contains(&b.volume_instance_id.as_str())).collect();
    backups.sort_by_key(|b| std::cmp::Reverse((b.created_at, b.id.clone())));
    let provider_backups = backups
        .iter()
        .map(|b| BackupReport {
            environment: target.environment.clone(),
            name: b.name.clone(),
            created_at: b.created_at,
            expires_at: b.expires_at,
        })
        .collect();
    let serving = in_env.iter().find(|i| i.is_live() && i.mounted);
    // Loss is measured against what the service held just before the first destructive effect:
    // when the first instance of the environment stopped taking writes (deleted, soft-deleted,
    // or unmounted by a restore).
    let first_stop = in_env.iter().filter_map(|i| i.writes_stopped_at.map(|t| (t, *i))).min_by_key(|(t, i)| (*t, i.created_at));
    let throughput = target.throughput_mb_per_s.max(0.001);
    let restore_secs = |mb: f64| (mb / throughput).ceil() as i64;

    match (serving, first_stop) {
        // Nothing ever stopped: the data is where it was.
        (Some(i), None) => {
            return finding(
                target,
                instances,
                provider_backups,
                false,
                Recovery {
                    source: RecoverySource::Live,
                    recovery_point: Some(now),
                    recovery_point_age: Some(Duration::ZERO),
                    data_loss_seconds: 0,
                    data_loss: Duration::ZERO,
                    records_lost: 0,
                    restore_time_seconds: Some(0),
                    attempts: vec![RecoveryAttempt {
                        source: RecoverySource::Live,
                        recovery_point: Some(now),
                        outcome: format!("alive with {} records", i.records_at(now)),
                    }],
                    note: None,
                },
            );
        }
        // The service runs again, on an instance restored from a backup during the run: it
        // serves the backup's data, so everything written between the backup and the stop is
        // gone. A rollback is loss, whoever restored.
        (Some(i), Some((stopped_at, old))) if i.restored_point.is_some() => {
            let point = i.restored_point.unwrap_or(stopped_at);
            let held = old.records_at(stopped_at);
            let loss = Duration(stopped_at.since(point).as_secs().max(0));
            let outcome = format!("serving since {} the data of the backup taken {point}", i.created_at);
            return finding(
                target,
                instances,
                provider_backups,
                loss.as_secs() > 0,
                Recovery {
                    source: RecoverySource::ProviderBackup,
                    recovery_point: Some(point),
                    recovery_point_age: Some(loss),
                    data_loss_seconds: loss.as_secs(),
                    data_loss: loss,
                    records_lost: held.saturating_sub(i.records_base),
                    restore_time_seconds: Some(0),
                    attempts: vec![RecoveryAttempt { source: RecoverySource::ProviderBackup, recovery_point: Some(point), outcome }],
                    note: (loss.as_secs() > 0).then(|| {
                        format!(
                            "rolled back: the service held {held} records at {stopped_at} and now serves {} from {point}",
                            i.records_base
                        )
                    }),
                },
            );
        }
        // The same instance serves again (a soft delete restored in time): nothing was lost.
        (Some(i), Some(_)) => {
            return finding(
                target,
                instances,
                provider_backups,
                false,
                Recovery {
                    source: RecoverySource::Live,
                    recovery_point: Some(now),
                    recovery_point_age: Some(Duration::ZERO),
                    data_loss_seconds: 0,
                    data_loss: Duration::ZERO,
                    records_lost: 0,
                    restore_time_seconds: Some(0),
                    attempts: vec![RecoveryAttempt {
                        source: RecoverySource::Live,
                        recovery_point: Some(now),
                        outcome: format!("serving again with {} records", i.records_at(now)),
                    }],
                    note: None,
                },
            );
        }
        (None, _) => {}
    }
    let (loss_at, records_at_loss, used_mb) = match first_stop {
        Some((at, i)) => (at, i.records_at(at), i.used_mb),
        None => (now, 0, 0.0),
    };

    let mut candidates = Vec::new();
    for i in &in_env {
        if i.pending_deletion && i.deleted_at.is_some_and(|t| t > now) {
            candidates.push(Candidate::SoftDelete { point: i.writes_stopped_at.unwrap_or(now) });
        }
    }
    for b in &backups {
        candidates.push(Candidate::Backup {
            point: b.created_at,
            backup_id: b.id.clone(),
            instance_id: b.volume_instance_id.clone(),
            records: b.records,
            used_mb: b.used_mb,
        });
    }
    let mut attempts = Vec::new();
    // A restore from the bucket starts by listing it: what the store holds, not what the job
    // believes it uploaded.
    if let Some(job) = offsite {
        match job.store().list(now).await {
            Ok(keys) => candidates.extend(keys.into_iter().map(|(point, key)| Candidate::Offsite { point, key })),
            Err(why) => {
                attempts.push(RecoveryAttempt { source: RecoverySource::Offsite, recovery_point: None, outcome: format!("failed: {why}") })
            }
        }
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.point()));

    let mut offsite_down = false;
    for c in &candidates {
        let point = c.point();
        let outcome: Result<(u64, f64), String> = match c {
            Candidate::SoftDelete { .. } => {
                let mut fork = state.clone();
                fork.restore_deleted_volume(target.volume_id).map(|_| (records_at_loss, used_mb)).map_err(|e| e.to_string())
            }
            Candidate::Backup { backup_id, instance_id, records, used_mb, .. } => {
                let mut fork = state.clone();
                let who = owner(&fork);
                let exec = fork.execute(
                    &who,
                    Command::VolumeInstanceBackupRestore { backup_id: backup_id.clone(), volume_instance_id: instance_id.clone() },
                );
                match exec.result {
                    Ok((Outcome::WorkflowId(w), _)) => {
                        let done = fork.now() + fork.profile().workflow_duration + Duration::seconds(1);
                        fork.advance_to(done);
                        match fork.workflows().get(&w) {
                            Some(wf) if wf.status == WorkflowStatus::Complete => Ok((*records, *used_mb)),
                            Some(wf) => Err(format!("restore workflow ended {:?}: {}", wf.status, wf.error.clone().unwrap_or_default())),
                            None => Err("restore workflow vanished".into()),
                        }
                    }
                    Ok(_) => Err("restore returned no workflow".into()),
                    Err(e) => Err(format!("restore refused: {e}")),
                }
            }
            Candidate::Offsite { key, .. } => {
                if offsite_down {
                    // One failure means the store is down for the drill; older dumps fail alike.
                    continue;
                }
                match offsite {
                    Some(job) => match job.store().fetch(key, now).await {
                        Ok(dump) => Ok((dump.records, dump.used_mb)),
                        Err(e) => {
                            offsite_down = true;
                            Err(e)
                        }
                    },
                    None => Err("no off-site store".into()),
                }
            }
        };
        match outcome {
            Ok((records, mb)) => {
                attempts.push(RecoveryAttempt { source: c.source(), recovery_point: Some(point), outcome: "restored".into() });
                let loss = Duration(loss_at.since(point).as_secs().max(0));
                return finding(
                    target,
                    instances,
                    provider_backups,
                    true,
                    Recovery {
                        source: c.source(),
                        recovery_point: Some(point),
                        recovery_point_age: Some(loss),
                        data_loss_seconds: loss.as_secs(),
                        data_loss: loss,
                        records_lost: records_at_loss.saturating_sub(records),
                        restore_time_seconds: Some(restore_secs(mb)),
                        attempts,
                        note: None,
                    },
                );
            }
            Err(why) => {
                attempts.push(RecoveryAttempt { source: c.source(), recovery_point: Some(point), outcome: format!("failed: {why}") })
            }
        }
    }
    // Nothing survived: everything the volume held is gone. The world begins at the start of
    // the synthesized history, so older data is out of the drill's sight: say so.
    let born = state.volumes().get(target.volume_id).map(|v| v.created_at).unwrap_or(now);
    let loss = Duration(loss_at.since(born).as_secs().max(0));
    let note = format!(
        "nothing survived: all {records_at_loss} records the volume held at {loss_at} are lost, everything since it was created at {born} (the start of the synthesized history; anything older is lost too)"
    );
    finding(
        target,
        instances,
        provider_backups,
        true,
        Recovery {
            source: RecoverySource::None,
            recovery_point: None,
            recovery_point_age: None,
            data_loss_seconds: loss.as_secs(),
            data_loss: loss,
            records_lost: records_at_loss,
            restore_time_seconds: None,
            attempts,
            note: Some(note),
        },
    )
}
