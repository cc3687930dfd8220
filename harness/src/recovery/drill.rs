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

/// Drills every critical volume of the scenario on the state `state`, in name order. The
/// off-site job's dumps count for the volume and environment it backs up.
pub async fn drill_all(s: &Scenario, state: &State, job: Option<&OffsiteJob>) -> Vec<VolumeReport> {
    let mut out = Vec::new();
    for p in &s.projects {
        for v in p.volumes.iter().filter(|v| v.critical) {
            let name = format!("{}/{}", p.name, v.name);
            let envs = p.volume_environments(v);
            let offsite_covers = s.offsite_backup.as_ref().is_some_and(|o| s.volume_ref(&o.volume) == name);
            let env_name = match (&s.offsite_backup, offsite_covers) {
                (Some(o), true) => o.environment.clone(),
                _ => envs.first().cloned().unwrap_or_default(),
            };
            let Ok(pid) = state.project_id(&p.name) else { continue };
            let (Ok(vid), Ok(eid)) = (state.volume_id(&pid, &v.name), state.environment_id(&pid, &env_name)) else { continue };
            let target = DrillTarget {
                name,
                volume_id: &vid,
                environment_id: &eid,
                environment: env_name.clone(),
                throughput_mb_per_s: s.recovery.throughput_mb_per_s,
            };
            out.push(drill(state, &target, job.filter(|_| offsite_covers)).await);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
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
            mounted: i.mounted,
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
    let live = in_env.iter().find(|i| i.is_live() && i.mounted);
    // The instance whose data is at stake: the live one, else the one that served last.
    let lost_instance =
        in_env.iter().filter(|i| i.mounted || i.is_deleted() || i.pending_deletion).max_by_key(|i| (i.writes_stopped_at, i.created_at));
    let throughput = target.throughput_mb_per_s.max(0.001);
    let restore_secs = |mb: f64| (mb / throughput).ceil() as i64;

    if let Some(i) = live {
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
            },
        );
    }
    let (loss_at, records_at_loss, used_mb) = match lost_instance {
        Some(i) => {
            let at = i.writes_stopped_at.unwrap_or(now);
            (at, i.records_at(at), i.used_mb)
        }
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
                    },
                );
            }
            Err(why) => {
                attempts.push(RecoveryAttempt { source: c.source(), recovery_point: Some(point), outcome: format!("failed: {why}") })
            }
        }
    }
    // Nothing survived: everything the volume ever held is gone.
    let born = state.volumes().get(target.volume_id).map(|v| v.created_at).unwrap_or(now);
    let loss = Duration(loss_at.since(born).as_secs().max(0));
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
        },
    )
}
