//! A state-machine property test: random sequences of `Command`s, clock advances and
//! out-of-band restores, executed by random principals of the demo world, checked step by step
//! against a small reference model of the resource graph under every profile.
//!
//! Why this shape: a hand-rolled model rather than `proptest-state-machine`. The provider mints
//! ids from its own seeded generator, so the model cannot invent them; it learns each new id from
//! the step that created it (the `Change`s a command returns, or what a clock advance left behind)
//! and predicts everything else: which steps succeed, which instances are live, pending or
//! deleted, which backups exist and when they expire, and how each workflow ends.
//!
//! The model deliberately knows less than the provider: it has no schedules (backups taken by a
//! schedule are accepted when they appear on an instance that was live and mounted at the time),
//! and no domains or variables.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::{Action, Command, Outcome, Placement, State};
use crate::auth::Principal;
use crate::model::*;
use crate::ops::{Op, OpClass, ResourceKind};
use crate::profile::Profile;
use crate::time::{Duration, Instant};
use crate::world::{DEMO_HISTORY, WorldSpec, demo_start};

const BOGUS: &str = "00000000-0000-4000-8000-00000000b0b0";

// ---------------------------------------------------------------------------------------------
// Steps: what the test does, with indices that are resolved against the model's ids when run.

#[derive(Clone, Debug)]
enum Step {
    ProjectCreate {
        who: u8,
    },
    ProjectDelete {
        who: u8,
        project: u16,
    },
    EnvironmentCreate {
        who: u8,
        project: u16,
        name: u8,
    },
    EnvironmentDelete {
        who: u8,
        env: u16,
    },
    ServiceCreate {
        who: u8,
        project: u16,
    },
    ServiceDelete {
        who: u8,
        service: u16,
    },
    /// `placement`: 0 every environment, 1 none, 2 one environment (`env`).
    VolumeCreate {
        who: u8,
        project: u16,
        placement: u8,
        env: u16,
        service: Option<u16>,
    },
    VolumeDelete {
        who: u8,
        volume: u16,
    },
    BackupCreate {
        who: u8,
        instance: u16,
    },
    /// `instance: None`: the backup's own instance.
    BackupDelete {
        who: u8,
        backup: u16,
        instance: Option<u16>,
    },
    BackupLock {
        who: u8,
        backup: u16,
        instance: Option<u16>,
    },
    BackupRestore {
        who: u8,
        backup: u16,
        instance: Option<u16>,
    },
    ScheduleUpdate {
        who: u8,
        instance: u16,
        kinds: u8,
    },
    ProjectTokenCreate {
        who: u8,
        env: u16,
        other_project: Option<u16>,
    },
    ProjectTokenDelete {
        who: u8,
        token: u16,
    },
    ApiTokenCreate {
        who: u8,
        in_workspace: bool,
    },
    ApiTokenDelete {
        who: u8,
        token: u16,
    },
    Advance {
        by: Duration,
    },
    AdminRestore {
        volume: u16,
    },
}

/// 0..100: the owner's account token; above: any token or nobody.
fn who() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(0u8), 7 => 100u8..=255]
}

fn step() -> impl Strategy<Value = Step> {
    let ix = any::<u16>;
    let opt_ix = || prop::option::weighted(0.15, any::<u16>());
    let by = prop::sample::select(vec![
        Duration::seconds(30),
        Duration::minutes(10),
        Duration::hours(1),
        Duration::days(1),
        Duration::hours(47),
        Duration::hours(49),
        Duration::days(7),
        Duration::days(31),
    ]);
    prop_oneof![
        2 => who().prop_map(|who| Step::ProjectCreate { who }),
        1 => (who(), ix()).prop_map(|(who, project)| Step::ProjectDelete { who, project }),
        2 => (who(), ix(), 0u8..4).prop_map(|(who, project, name)| Step::EnvironmentCreate { who, project, name }),
        1 => (who(), ix()).prop_map(|(who, env)| Step::EnvironmentDelete { who, env }),
        1 => (who(), ix()).prop_map(|(who, project)| Step::ServiceCreate { who, project }),
        1 => (who(), ix()).prop_map(|(who, service)| Step::ServiceDelete { who, service }),
        3 => (who(), ix(), 0u8..3, ix(), prop::option::of(any::<u16>()))
            .prop_map(|(who, project, placement, env, service)| Step::VolumeCreate { who, project, placement, env, service }),
        4 => (who(), ix()).prop_map(|(who, volume)| Step::VolumeDelete { who, volume }),
        3 => (who(), ix()).prop_map(|(who, instance)| Step::BackupCreate { who, instance }),
        2 => (who(), ix(), opt_ix()).prop_map(|(who, backup, instance)| Step::BackupDelete { who, backup, instance }),
        2 => (who(), ix(), opt_ix()).prop_map(|(who, backup, instance)| Step::BackupLock { who, backup, instance }),
        3 => (who(), ix(), opt_ix()).prop_map(|(who, backup, instance)| Step::BackupRestore { who, backup, instance }),
        1 => (who(), ix(), 0u8..8).prop_map(|(who, instance, kinds)| Step::ScheduleUpdate { who, instance, kinds }),
        1 => (who(), ix(), opt_ix()).prop_map(|(who, env, other_project)| Step::ProjectTokenCreate { who, env, other_project }),
        1 => (who(), ix()).prop_map(|(who, token)| Step::ProjectTokenDelete { who, token }),
        1 => (who(), any::<bool>()).prop_map(|(who, in_workspace)| Step::ApiTokenCreate { who, in_workspace }),
        1 => (who(), ix()).prop_map(|(who, token)| Step::ApiTokenDelete { who, token }),
        5 => by.prop_map(|by| Step::Advance { by }),
        2 => ix().prop_map(|volume| Step::AdminRestore { volume }),
    ]
}

// ---------------------------------------------------------------------------------------------
// The reference model.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Life {
    Live,
    /// Soft-deleted; purged at this instant.
    Pending(Instant),
    Deleted,
}

#[derive(Clone, Debug)]
struct MInstance {
    volume: Id,
    env: Id,
    service: Option<Id>,
    life: Life,
    mounted: bool,
    size_mb: i64,
    used_mb: f64,
    /// Since when the instance has been live and mounted without a break: schedules may only
    /// have taken backups after this.
    live_since: Instant,
}

#[derive(Clone, Debug)]
struct MBackup {
    instance: Id,
    created_at: Instant,
    expires_at: Option<Instant>,
    manual: bool,
    used_mb: f64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum MToken {
    Account,
    Workspace,
    Project { project: Id, env: Id },
}

#[derive(Clone, Debug)]
enum Job {
    Create { instance: Id, taken_at: Instant, used_mb: f64 },
    Delete { backup: Id },
    Restore { backup: Id, instance: Id },
}

/// Where an operation lands, as the model resolves it.
#[derive(Clone, Debug)]
enum MScope {
    Global,
    Workspace,
    Project { project: Id, envs: Vec<Id> },
}

#[derive(Clone, Debug)]
struct Model {
    profile: Profile,
    now: Instant,
    workspace: Id,
    projects: BTreeSet<Id>,
    /// environment → (project, name)
    envs: BTreeMap<Id, (Id, String)>,
    services: BTreeMap<Id, Id>,
    /// volume → (project, deleted)
    volumes: BTreeMap<Id, (Id, bool)>,
    instances: BTreeMap<Id, MInstance>,
    backups: BTreeMap<Id, MBackup>,
    tokens: BTreeMap<Id, MToken>,
    running: BTreeMap<Id, (Instant, Job)>,
    finished: BTreeMap<Id, WorkflowStatus>,
    /// Placeholders for ids minted during a clock advance, resolved when it ends.
    next_placeholder: u32,
}

fn life_of(i: &VolumeInstance) -> Life {
    if i.is_deleted() {
        Life::Deleted
    } else if i.pending_deletion {
        Life::Pending(i.deleted_at.unwrap_or_default())
    } else {
        Life::Live
    }
}

fn retention_of(name: &str) -> Option<Duration> {
    match name {
        "Daily" => Some(ScheduleKind::Daily.retention()),
        "Weekly" => Some(ScheduleKind::Weekly.retention()),
        "Monthly" => Some(ScheduleKind::Monthly.retention()),
        _ => None,
    }
}

fn pick<'a>(ids: impl Iterator<Item = &'a Id>, ix: u16) -> Id {
    let mut all: Vec<&Id> = ids.collect();
    let bogus = BOGUS.to_string();
    all.push(&bogus);
    all[ix as usize % all.len()].clone()
}

/// What the model expects of one step.
type Expect = Result<(), String>;

impl Model {
    fn from_state(s: &State) -> Model {
        let tokens = s
            .tokens()
            .iter()
            .map(|(id, t)| {
                let k = match &t.kind {
                    TokenKind::Account { .. } => MToken::Account,
                    TokenKind::Workspace { .. } => MToken::Workspace,
                    TokenKind::Project { project_id, environment_id } => {
                        MToken::Project { project: project_id.clone(), env: environment_id.clone() }
                    }
                };
                (id.clone(), k)
            })
            .collect();
        assert!(s.workflows().is_empty(), "the demo world starts without workflows");
        assert_eq!(s.workspaces().len(), 1, "the model knows one workspace");
        Model {
            profile: s.profile().clone(),
            now: s.now(),
            workspace: s.workspaces().keys().next().cloned().unwrap_or_default(),
            projects: s.projects().keys().cloned().collect(),
            envs: s.environments().iter().map(|(id, e)| (id.clone(), (e.project_id.clone(), e.name.clone()))).collect(),
            services: s.services().iter().map(|(id, x)| (id.clone(), x.project_id.clone())).collect(),
            volumes: s.volumes().iter().map(|(id, v)| (id.clone(), (v.project_id.clone(), v.deleted_at.is_some()))).collect(),
            instances: s.volume_instances().iter().map(|(id, i)| (id.clone(), Self::learn_instance(i))).collect(),
            backups: s.backups().iter().map(|(id, b)| (id.clone(), Self::learn_backup(b))).collect(),
            tokens,
            running: BTreeMap::new(),
            finished: BTreeMap::new(),
            next_placeholder: 0,
        }
    }

    fn learn_instance(i: &VolumeInstance) -> MInstance {
        MInstance {
            volume: i.volume_id.clone(),
            env: i.environment_id.clone(),
            service: i.service_id.clone(),
            life: life_of(i),
            mounted: i.mounted,
            size_mb: i.size_mb,
            used_mb: i.used_mb,
            live_since: i.created_at,
        }
    }

    fn learn_backup(b: &Backup) -> MBackup {
        MBackup {
            instance: b.volume_instance_id.clone(),
            created_at: b.created_at,
            expires_at: b.expires_at,
            manual: b.manual,
            used_mb: b.used_mb,
        }
    }

    fn placeholder(&mut self, what: &str) -> Id {
        self.next_placeholder += 1;
        format!("placeholder-{what}-{}", self.next_placeholder)
    }

    // --- authorization, as Railway's reach rules say (demo tokens have no scopes, no
    // environment is protected, and there is one workspace) ---

    fn allowed(&self, who: Option<&MToken>, op: Op, scope: &MScope) -> bool {
        match who {
            None => false,
            Some(MToken::Account) => true,
            // An account token (a global target) is the user's: a workspace token cannot delete it.
            Some(MToken::Workspace) => !(op == Op::ApiTokenDelete && matches!(scope, MScope::Global)),
            Some(MToken::Project { project, env }) => match scope {
                MScope::Global | MScope::Workspace => false,
                MScope::Project { project: p, envs } => {
                    if p != project {
                        false
                    } else if envs.is_empty() {
                        op.class() == OpClass::Read || matches!(op, Op::ServiceCreate | Op::VolumeCreate)
                    } else if envs.iter().all(|e| e == env) {
                        true
                    } else {
                        op == Op::VolumeDelete && self.profile.project_token_cross_environment_volume_delete && envs.contains(env)
                    }
                }
            },
        }
    }

    fn project_scope(&self, project: &Id, envs: Vec<Id>) -> Option<MScope> {
        self.projects.contains(project).then(|| MScope::Project { project: project.clone(), envs })
    }

    fn env_scope(&self, env: &Id) -> Option<MScope> {
        let (p, _) = self.envs.get(env)?;
        self.project_scope(p, vec![env.clone()])
    }

    fn instance_scope(&self, id: &Id, deleted_ok: bool) -> Option<MScope> {
        let i = self.instances.get(id)?;
        if i.life == Life::Deleted && !deleted_ok {
            return None;
        }
        let (p, _) = self.volumes.get(&i.volume)?;
        self.project_scope(p, vec![i.env.clone()])
    }

    fn backup_scope(&self, backup: &Id, instance: &Id) -> Option<MScope> {
        let b = self.backups.get(backup)?;
        if &b.instance != instance {
            return None;
        }
        self.instance_scope(instance, true)
    }

    // --- effects ---

    fn hard_delete(&mut self, id: &Id) {
        let now = self.now;
        let Some(i) = self.instances.get_mut(id) else { return };
        if i.life == Life::Deleted {
            return;
        }
        i.life = Life::Deleted;
        i.mounted = false;
        let volume = i.volume.clone();
        if self.profile.backups_die_with_volume {
            self.backups.retain(|_, b| &b.instance != id);
        } else {
            let until = now + self.profile.backups_outlive_volume;
            for b in self.backups.values_mut().filter(|b| &b.instance == id) {
                b.expires_at = Some(until);
            }
        }
        if self.instances.values().filter(|i| i.volume == volume).all(|i| i.life == Life::Deleted)
            && let Some(v) = self.volumes.get_mut(&volume)
        {
            v.1 = true;
        }
    }

    fn delete_instance(&mut self, id: &Id, force: bool) {
        if force || self.profile.hard_delete() {
            self.hard_delete(id);
            return;
        }
        let purge_at = self.now + self.profile.delete_grace;
        if let Some(i) = self.instances.get_mut(id)
            && i.life == Life::Live
        {
            i.life = Life::Pending(purge_at);
        }
    }

    fn live_instances(&self, f: impl Fn(&MInstance) -> bool) -> Vec<Id> {
        self.instances.iter().filter(|(_, i)| i.life == Life::Live && f(i)).map(|(id, _)| id.clone()).collect()
    }

    fn delete_environment(&mut self, env: &Id, force: bool) {
        for i in self.live_instances(|i| &i.env == env) {
            self.delete_instance(&i, force);
        }
        self.tokens.retain(|_, t| !matches!(t, MToken::Project { env: e, .. } if e == env));
        self.envs.remove(env);
    }

    fn delete_service(&mut self, service: &Id) {
        for i in self.live_instances(|i| i.service.as_ref() == Some(service)) {
            self.delete_instance(&i, false);
        }
        self.services.remove(service);
    }

    fn delete_project(&mut self, project: &Id) {
        let envs: Vec<Id> = self.envs.iter().filter(|(_, (p, _))| p == project).map(|(id, _)| id.clone()).collect();
        for e in envs {
            self.delete_environment(&e, true);
        }
        let services: Vec<Id> = self.services.iter().filter(|(_, p)| *p == project).map(|(id, _)| id.clone()).collect();
        for s in services {
            self.delete_service(&s);
        }
        for v in self.volumes.values_mut().filter(|v| &v.0 == project) {
            v.1 = true;
        }
        self.projects.remove(project);
    }

    /// Moves the model's clock, completing workflows, expiring backups and purging instances in
    /// time order, the way the provider's clock does.
    fn advance_to(&mut self, to: Instant) {
        loop {
            let workflows = self.running.values().map(|(t, _)| *t).min();
            let expiries = self.backups.values().filter_map(|b| b.expires_at).min();
            let purges = self.instances.values().filter_map(|i| if let Life::Pending(t) = i.life { Some(t) } else { None }).min();
            let Some(next) = [workflows, expiries, purges].into_iter().flatten().min() else { break };
            if next > to {
                break;
            }
            self.now = self.now.max(next);
            let now = self.now;
            let due: Vec<Id> = self.running.iter().filter(|(_, (t, _))| *t <= now).map(|(id, _)| id.clone()).collect();
            for id in due {
                if let Some((_, job)) = self.running.remove(&id) {
                    let status = if self.complete(job) { WorkflowStatus::Complete } else { WorkflowStatus::Error };
                    self.finished.insert(id, status);
                }
            }
            self.backups.retain(|_, b| b.expires_at.is_none_or(|e| e > now));
            let due: Vec<Id> =
                self.instances.iter().filter(|(_, i)| matches!(i.life, Life::Pending(t) if t <= now)).map(|(id, _)| id.clone()).collect();
            for id in due {
                self.hard_delete(&id);
            }
        }
        self.now = self.now.max(to);
    }

    fn complete(&mut self, job: Job) -> bool {
        let now = self.now;
        match job {
            Job::Create { instance, taken_at, used_mb } => {
                let Some(i) = self.instances.get(&instance) else { return false };
                if i.life == Life::Deleted {
                    return false;
                }
                let manual: f64 = self.backups.values().filter(|b| b.instance == instance && b.manual).map(|b| b.used_mb).sum();
                if manual + used_mb > self.profile.manual_backup_limit * i.size_mb as f64 {
                    return false;
                }
                let id = self.placeholder("backup");
                self.backups.insert(id, MBackup { instance, created_at: taken_at, expires_at: None, manual: true, used_mb });
                true
            }
            Job::Delete { backup } => self.backups.remove(&backup).is_some(),
            Job::Restore { backup, instance } => {
                let Some(b) = self.backups.get(&backup).cloned() else { return false };
                let Some(old) = self.instances.get(&instance).cloned() else { return false };
                if !self.envs.contains_key(&old.env) {
                    return false;
                }
                self.backups.retain(|_, x| !(x.instance == instance && x.created_at > b.created_at));
                if let Some(o) = self.instances.get_mut(&instance) {
                    o.mounted = false;
                }
                let id = self.placeholder("instance");
                self.instances.insert(
                    id,
                    MInstance {
                        volume: old.volume.clone(),
                        env: old.env,
                        service: old.service,
                        life: Life::Live,
                        mounted: true,
                        size_mb: old.size_mb,
                        used_mb: b.used_mb,
                        live_since: now,
                    },
                );
                if let Some(v) = self.volumes.get_mut(&old.volume) {
                    v.1 = false;
                }
                true
            }
        }
    }

    /// After an advance: swaps placeholders for the ids the provider minted, and learns the
    /// backups its schedules took.
    fn reconcile_advance(&mut self, s: &State, from: Instant) -> Result<(), String> {
        let placeholders: Vec<Id> = self.instances.keys().filter(|k| k.starts_with("placeholder-")).cloned().collect();
        for ph in placeholders {
            let Some(m) = self.instances.remove(&ph) else { continue };
            let found = s.volume_instances().iter().find(|(id, i)| {
                !self.instances.contains_key(*id) && i.volume_id == m.volume && i.environment_id == m.env && i.created_at == m.live_since
            });
            let Some((id, _)) = found else { return Err(format!("a restore should have mounted a new instance of volume {}", m.volume)) };
            let id = id.clone();
            for b in self.backups.values_mut().filter(|b| b.instance == ph) {
                b.instance = id.clone();
            }
            self.instances.insert(id, m);
        }
        let placeholders: Vec<Id> = self.backups.keys().filter(|k| k.starts_with("placeholder-")).cloned().collect();
        for ph in placeholders {
            let Some(m) = self.backups.remove(&ph) else { continue };
            let found = s.backups().iter().find(|(id, b)| {
                !self.backups.contains_key(*id) && b.manual && b.volume_instance_id == m.instance && b.created_at == m.created_at
            });
            let Some((id, _)) = found else {
                return Err(format!("a manual backup of {} taken at {} should exist", m.instance, m.created_at));
            };
            self.backups.insert(id.clone(), m);
        }
        let new: Vec<(Id, Backup)> =
            s.backups().iter().filter(|(id, _)| !self.backups.contains_key(*id)).map(|(id, b)| (id.clone(), b.clone())).collect();
        for (id, b) in new {
            let Some(i) = self.instances.get(&b.volume_instance_id) else {
                return Err(format!("new backup {id} is on an instance the model does not know"));
            };
            let ok = b.schedule_id.is_some()
                && !b.manual
                && b.created_at > from
                && b.created_at <= self.now
                && i.life == Life::Live
                && i.mounted
                && b.created_at >= i.live_since
                && retention_of(&b.name).map(|r| b.created_at + r) == b.expires_at;
            if !ok {
                return Err(format!(
                    "backup {id} ({}, taken {}, expires {:?}) appeared during an advance from {from} to {}, but its instance was not live and mounted then ({:?}, mounted {}, live since {})",
                    b.name, b.created_at, b.expires_at, self.now, i.life, i.mounted, i.live_since
                ));
            }
            self.backups.insert(id, Self::learn_backup(&b));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Running one step on both sides.

struct Run {
    state: State,
    model: Model,
}

fn created(changes: &[super::Change], kind: ResourceKind) -> Vec<Id> {
    changes.iter().filter(|c| c.action == Action::Created && c.kind == kind).map(|c| c.id.clone()).collect()
}

impl Run {
    fn principal(&self, who: u8) -> (Option<MToken>, Principal) {
        let id = if who < 100 {
            self.state.token_named("owner").map(|t| t.id.clone())
        } else {
            let ids: Vec<&Id> = self.model.tokens.keys().collect();
            ids.get((who as usize - 100) % (ids.len() + 1)).map(|id| (*id).clone())
        };
        match id.and_then(|id| self.state.tokens().get(&id)) {
            Some(t) => (self.model.tokens.get(&t.id).cloned(), self.state.principal_of(t)),
            None => (None, Principal::anonymous()),
        }
    }

    /// Runs one command on the provider and on the model; `expect` is the model's verdict before
    /// effects, `effect` applies the model's effects given the provider's changes.
    fn command(
        &mut self,
        who: u8,
        cmd: Command,
        scope: Option<MScope>,
        precondition: bool,
        effect: impl FnOnce(&mut Model, &Outcome, &[super::Change]) -> Expect,
    ) -> Expect {
        let (token, principal) = self.principal(who);
        let op = cmd.op();
        let allowed = scope.as_ref().is_some_and(|s| self.model.allowed(token.as_ref(), op, s));
        let expect_ok = allowed && precondition;
        let exec = self.state.execute(&principal, cmd.clone());
        match (&exec.result, expect_ok) {
            (Ok((outcome, changes)), true) => effect(&mut self.model, outcome, changes),
            (Err(_), false) => Ok(()),
            (Ok(_), false) => Err(format!(
                "{op} by {:?} succeeded; the model expected a refusal (target found: {}, allowed: {allowed}, precondition: {precondition})\n{cmd:?}",
                principal.token_name,
                scope.is_some()
            )),
            (Err(e), true) => Err(format!("{op} by {:?} failed with {e:?}; the model expected success\n{cmd:?}", principal.token_name)),
        }
    }

    fn step(&mut self, step: &Step) -> Expect {
        let m = &self.model;
        match *step {
            Step::ProjectCreate { who } => {
                let scope = Some(MScope::Workspace);
                self.command(
                    who,
                    Command::ProjectCreate { name: None, description: None, workspace_id: None, default_environment_name: None },
                    scope,
                    true,
                    |m, _, changes| {
                        let (p, e) = (created(changes, ResourceKind::Project), created(changes, ResourceKind::Environment));
                        let ([p], [e]) = (p.as_slice(), e.as_slice()) else { return Err(format!("projectCreate made {p:?} and {e:?}")) };
                        m.projects.insert(p.clone());
                        m.envs.insert(e.clone(), (p.clone(), "production".into()));
                        Ok(())
                    },
                )
            }
            Step::ProjectDelete { who, project } => {
                let id = pick(m.projects.iter(), project);
                let scope = m.project_scope(&id, vec![]);
                self.command(who, Command::ProjectDelete { id: id.clone() }, scope, true, move |m, _, _| {
                    m.delete_project(&id);
                    Ok(())
                })
            }
            Step::EnvironmentCreate { who, project, name } => {
                let id = pick(m.projects.iter(), project);
                let name = format!("env-{name}");
                let unique = !m.envs.values().any(|(p, n)| p == &id && n == &name);
                let scope = m.project_scope(&id, vec![]);
                self.command(
                    who,
                    Command::EnvironmentCreate { project_id: id.clone(), name: name.clone(), source_environment_id: None },
                    scope,
                    unique,
                    move |m, _, changes| {
                        let [e] =
                            created(changes, ResourceKind::Environment).try_into().map_err(|v| format!("environmentCreate made {v:?}"))?;
                        m.envs.insert(e, (id, name));
                        Ok(())
                    },
                )
            }
            Step::EnvironmentDelete { who, env } => {
                let id = pick(m.envs.keys(), env);
                let scope = m.env_scope(&id);
                self.command(who, Command::EnvironmentDelete { id: id.clone() }, scope, true, move |m, _, _| {
                    m.delete_environment(&id, false);
                    Ok(())
                })
            }
            Step::ServiceCreate { who, project } => {
                let id = pick(m.projects.iter(), project);
                let scope = m.project_scope(&id, vec![]);
                self.command(
                    who,
                    Command::ServiceCreate { project_id: id.clone(), name: None, environment_id: None },
                    scope,
                    true,
                    move |m, _, changes| {
                        let [s] = created(changes, ResourceKind::Service).try_into().map_err(|v| format!("serviceCreate made {v:?}"))?;
                        m.services.insert(s, id);
                        Ok(())
                    },
                )
            }
            Step::ServiceDelete { who, service } => {
                let id = pick(m.services.keys(), service);
                let scope = m.services.get(&id).and_then(|p| {
                    let envs = m.envs.iter().filter(|(_, (q, _))| q == p).map(|(e, _)| e.clone()).collect();
                    m.project_scope(p, envs)
                });
                self.command(who, Command::ServiceDelete { id: id.clone(), environment_id: None }, scope, true, move |m, _, _| {
                    m.delete_service(&id);
                    Ok(())
                })
            }
            Step::VolumeCreate { who, project, placement, env, service } => {
                let project_id = pick(m.projects.iter(), project);
                // Any environment, this project's or another's: the provider must refuse the latter.
                let env_id = pick(m.envs.keys(), env);
                let service_id = service.map(|s| pick(m.services.keys(), s));
                let (placement, scope, envs) = match placement {
                    0 => {
                        let envs: Vec<Id> = m.envs.iter().filter(|(_, (p, _))| p == &project_id).map(|(e, _)| e.clone()).collect();
                        (Placement::AllEnvironments, m.project_scope(&project_id, vec![]), envs)
                    }
                    1 => (Placement::NoEnvironment, m.project_scope(&project_id, vec![]), vec![]),
                    _ => (Placement::Environment(env_id.clone()), m.env_scope(&env_id), vec![env_id.clone()]),
                };
                // An instance lives in an environment of the volume's own project.
                let pre = m.projects.contains(&project_id)
                    && service_id.as_ref().is_none_or(|s| m.services.get(s) == Some(&project_id))
                    && envs.iter().all(|e| m.envs.get(e).is_some_and(|(p, _)| p == &project_id));
                let cmd = Command::VolumeCreate {
                    project_id: project_id.clone(),
                    placement,
                    service_id: service_id.clone(),
                    mount_path: "/data".into(),
                };
                self.command(who, cmd, scope, pre, move |m, _, changes| {
                    let [v] = created(changes, ResourceKind::Volume).try_into().map_err(|v| format!("volumeCreate made volumes {v:?}"))?;
                    let instances = created(changes, ResourceKind::VolumeInstance);
                    if instances.len() != envs.len() {
                        return Err(format!("volumeCreate made {} instances for {} environments", instances.len(), envs.len()));
                    }
                    m.volumes.insert(v.clone(), (project_id, false));
                    for (i, e) in instances.into_iter().zip(envs) {
                        let mi = MInstance {
                            volume: v.clone(),
                            env: e,
                            service: service_id.clone(),
                            life: Life::Live,
                            mounted: true,
                            size_mb: 5000,
                            used_mb: 0.0,
                            live_since: m.now,
                        };
                        m.instances.insert(i, mi);
                    }
                    Ok(())
                })
            }
            Step::VolumeDelete { who, volume } => {
                let id = pick(m.volumes.keys(), volume);
                let scope = m.volumes.get(&id).filter(|v| !v.1).and_then(|(p, _)| {
                    let envs: BTreeSet<Id> =
                        m.instances.values().filter(|i| i.volume == id && i.life != Life::Deleted).map(|i| i.env.clone()).collect();
                    m.project_scope(p, envs.into_iter().collect())
                });
                let live = m.live_instances(|i| i.volume == id);
                self.command(who, Command::VolumeDelete { volume_id: id.clone() }, scope, !live.is_empty(), move |m, _, _| {
                    for i in live {
                        m.delete_instance(&i, false);
                    }
                    Ok(())
                })
            }
            Step::BackupCreate { who, instance } => {
                let id = pick(m.instances.keys(), instance);
                let scope = m.instance_scope(&id, false);
                let live = m.instances.get(&id).is_some_and(|i| i.life == Life::Live);
                self.command(
                    who,
                    Command::VolumeInstanceBackupCreate { volume_instance_id: id.clone(), name: None },
                    scope,
                    live,
                    move |m, out, _| {
                        let Outcome::WorkflowId(w) = out else { return Err(format!("backup create answered {out:?}")) };
                        let used_mb = m.instances.get(&id).map(|i| i.used_mb).unwrap_or_default();
                        m.running.insert(
                            w.clone(),
                            (m.now + m.profile.workflow_duration, Job::Create { instance: id, taken_at: m.now, used_mb }),
                        );
                        Ok(())
                    },
                )
            }
            Step::BackupDelete { who, backup, instance }
            | Step::BackupLock { who, backup, instance }
            | Step::BackupRestore { who, backup, instance } => {
                let b = pick(m.backups.keys(), backup);
                let i = match instance {
                    Some(ix) => pick(m.instances.keys(), ix),
                    None => m.backups.get(&b).map(|x| x.instance.clone()).unwrap_or_else(|| BOGUS.to_string()),
                };
                let scope = m.backup_scope(&b, &i);
                let (backup_id, volume_instance_id) = (b.clone(), i.clone());
                match step {
                    Step::BackupDelete { .. } => self.command(
                        who,
                        Command::VolumeInstanceBackupDelete { backup_id, volume_instance_id },
                        scope,
                        true,
                        move |m, out, _| {
                            let Outcome::WorkflowId(w) = out else { return Err(format!("backup delete answered {out:?}")) };
                            m.running.insert(w.clone(), (m.now + m.profile.workflow_duration, Job::Delete { backup: b }));
                            Ok(())
                        },
                    ),
                    Step::BackupLock { .. } => self.command(
                        who,
                        Command::VolumeInstanceBackupLock { backup_id, volume_instance_id },
                        scope,
                        true,
                        move |m, _, _| {
                            if let Some(x) = m.backups.get_mut(&b) {
                                x.expires_at = None;
                            }
                            Ok(())
                        },
                    ),
                    _ => self.command(
                        who,
                        Command::VolumeInstanceBackupRestore { backup_id, volume_instance_id },
                        scope,
                        true,
                        move |m, out, _| {
                            let Outcome::WorkflowId(w) = out else { return Err(format!("backup restore answered {out:?}")) };
                            m.running.insert(w.clone(), (m.now + m.profile.workflow_duration, Job::Restore { backup: b, instance: i }));
                            Ok(())
                        },
                    ),
                }
            }
            Step::ScheduleUpdate { who, instance, kinds } => {
                let id = pick(m.instances.keys(), instance);
                let scope = m.instance_scope(&id, false);
                let kinds: Vec<ScheduleKind> = [ScheduleKind::Daily, ScheduleKind::Weekly, ScheduleKind::Monthly]
                    .into_iter()
                    .enumerate()
                    .filter(|(n, _)| kinds & (1 << n) != 0)
                    .map(|(_, k)| k)
                    .collect();
                self.command(who, Command::VolumeInstanceBackupScheduleUpdate { volume_instance_id: id, kinds }, scope, true, |_, _, _| {
                    Ok(())
                })
            }
            Step::ProjectTokenCreate { who, env, other_project } => {
                let env_id = pick(m.envs.keys(), env);
                let project_id = match other_project {
                    Some(p) => pick(m.projects.iter(), p),
                    None => m.envs.get(&env_id).map(|(p, _)| p.clone()).unwrap_or_else(|| BOGUS.to_string()),
                };
                let pre = m.envs.get(&env_id).is_some_and(|(p, _)| p == &project_id);
                let scope = m.env_scope(&env_id);
                let cmd =
                    Command::ProjectTokenCreate { project_id: project_id.clone(), environment_id: env_id.clone(), name: "minted".into() };
                self.command(who, cmd, scope, pre, move |m, _, changes| {
                    let [t] =
                        created(changes, ResourceKind::ProjectToken).try_into().map_err(|v| format!("projectTokenCreate made {v:?}"))?;
                    m.tokens.insert(t, MToken::Project { project: project_id, env: env_id });
                    Ok(())
                })
            }
            Step::ProjectTokenDelete { who, token } => {
                let id = pick(m.tokens.keys(), token);
                let scope = match m.tokens.get(&id) {
                    Some(MToken::Project { project, env }) => m.project_scope(project, vec![env.clone()]),
                    _ => None,
                };
                self.command(who, Command::ProjectTokenDelete { id: id.clone() }, scope, true, move |m, _, _| {
                    m.tokens.remove(&id);
                    Ok(())
                })
            }
            Step::ApiTokenCreate { who, in_workspace } => {
                let (token, _) = self.principal(who);
                let m = &self.model;
                let workspace_id = in_workspace.then(|| m.workspace.clone());
                let scope = Some(if in_workspace { MScope::Workspace } else { MScope::Global });
                let kind = match (in_workspace, &token) {
                    (true, _) | (false, Some(MToken::Workspace)) => MToken::Workspace,
                    _ => MToken::Account,
                };
                self.command(who, Command::ApiTokenCreate { name: "minted".into(), workspace_id }, scope, true, move |m, _, changes| {
                    let [t] = created(changes, ResourceKind::ApiToken).try_into().map_err(|v| format!("apiTokenCreate made {v:?}"))?;
                    m.tokens.insert(t, kind);
                    Ok(())
                })
            }
            Step::ApiTokenDelete { who, token } => {
                let id = pick(m.tokens.keys(), token);
                let scope = match m.tokens.get(&id) {
                    Some(MToken::Account) => Some(MScope::Global),
                    Some(MToken::Workspace) => Some(MScope::Workspace),
                    _ => None,
                };
                self.command(who, Command::ApiTokenDelete { id: id.clone() }, scope, true, move |m, _, _| {
                    m.tokens.remove(&id);
                    Ok(())
                })
            }
            Step::Advance { by } => {
                let from = self.state.now();
                let to = from + by;
                self.state.advance_to(to);
                self.model.advance_to(to);
                self.model.reconcile_advance(&self.state, from)
            }
            Step::AdminRestore { volume } => {
                let id = pick(m.volumes.keys(), volume);
                let pending: Vec<Id> = m
                    .instances
                    .iter()
                    .filter(|(_, i)| i.volume == id && matches!(i.life, Life::Pending(_)))
                    .map(|(k, _)| k.clone())
                    .collect();
                // All or nothing: a restore that cannot bring back every pending instance changes nothing.
                let expect_ok =
                    !pending.is_empty() && pending.iter().all(|i| m.instances.get(i).is_some_and(|i| m.envs.contains_key(&i.env)));
                match (self.state.restore_deleted_volume(&id), expect_ok) {
                    (Ok(_), true) => {
                        let now = self.model.now;
                        for i in pending {
                            if let Some(i) = self.model.instances.get_mut(&i) {
                                i.life = Life::Live;
                                if i.mounted {
                                    i.live_since = now;
                                }
                            }
                        }
                        Ok(())
                    }
                    (Err(_), false) => Ok(()),
                    (r, _) => Err(format!("out-of-band restore of volume {id} answered {r:?}; the model expected success: {expect_ok}")),
                }
            }
        }
    }

    /// The provider and the model agree on the whole resource graph, and the provider's own
    /// invariants hold.
    fn agree(&self) -> Result<(), String> {
        let (s, m) = (&self.state, &self.model);
        let v = s.invariant_violations();
        if !v.is_empty() {
            return Err(format!("invariant violations: {v:#?}"));
        }
        if s.now() != m.now {
            return Err(format!("clock: provider {} model {}", s.now(), m.now));
        }
        let same = |what: &str, a: Vec<String>, b: Vec<String>| {
            if a == b { Ok(()) } else { Err(format!("{what}: provider {a:#?}\nmodel {b:#?}")) }
        };
        same("projects", s.projects().keys().cloned().collect(), m.projects.iter().cloned().collect())?;
        same(
            "environments",
            s.environments().values().map(|e| format!("{} in {}", e.id, e.project_id)).collect(),
            m.envs.iter().map(|(id, (p, _))| format!("{id} in {p}")).collect(),
        )?;
        same(
            "services",
            s.services().values().map(|x| format!("{} in {}", x.id, x.project_id)).collect(),
            m.services.iter().map(|(id, p)| format!("{id} in {p}")).collect(),
        )?;
        same(
            "volumes",
            s.volumes().values().map(|v| format!("{} in {} deleted {}", v.id, v.project_id, v.deleted_at.is_some())).collect(),
            m.volumes.iter().map(|(id, (p, d))| format!("{id} in {p} deleted {d}")).collect(),
        )?;
        same(
            "volume instances",
            s.volume_instances()
                .values()
                .map(|i| format!("{} of {} in {} {:?} mounted {}", i.id, i.volume_id, i.environment_id, life_of(i), i.mounted))
                .collect(),
            m.instances.iter().map(|(id, i)| format!("{id} of {} in {} {:?} mounted {}", i.volume, i.env, i.life, i.mounted)).collect(),
        )?;
        same(
            "backups",
            s.backups()
                .values()
                .map(|b| format!("{} of {} at {} expires {:?}", b.id, b.volume_instance_id, b.created_at, b.expires_at))
                .collect(),
            m.backups.iter().map(|(id, b)| format!("{id} of {} at {} expires {:?}", b.instance, b.created_at, b.expires_at)).collect(),
        )?;
        same("tokens", s.tokens().keys().cloned().collect(), m.tokens.keys().cloned().collect())?;
        let statuses = |w: &BTreeMap<Id, WorkflowStatus>| w.iter().map(|(id, st)| format!("{id} {st:?}")).collect::<Vec<_>>();
        let mut expected: BTreeMap<Id, WorkflowStatus> = m.finished.clone();
        expected.extend(m.running.keys().map(|id| (id.clone(), WorkflowStatus::Running)));
        same("workflows", statuses(&s.workflows().iter().map(|(id, w)| (id.clone(), w.status)).collect()), statuses(&expected))?;
        for i in s.volume_instances().values().filter(|i| i.is_live()) {
            let project = s.volumes().get(&i.volume_id).map(|v| &v.project_id);
            let env_project = s.environments().get(&i.environment_id).map(|e| &e.project_id);
            if project != env_project {
                return Err(format!("live instance {} of a volume in {project:?} sits in an environment of {env_project:?}", i.id));
            }
        }
        if s.profile().backups_die_with_volume && s.profile().hard_delete() {
            for b in s.backups().values() {
                let i = s.volume_instances().get(&b.volume_instance_id);
                let volume_gone = i.and_then(|i| s.volumes().get(&i.volume_id)).is_none_or(|v| v.deleted_at.is_some());
                if i.is_none_or(VolumeInstance::is_deleted) || volume_gone {
                    return Err(format!("backup {} outlives its volume under {}", b.id, s.profile().name));
                }
            }
        }
        Ok(())
    }
}

fn run(profile: Profile, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut state =
        State::build(profile, 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    state.advance_to(demo_start());
    let model = Model::from_state(&state);
    let mut r = Run { state, model };
    r.agree().map_err(|e| TestCaseError::fail(format!("before any step: {e}")))?;
    for (n, step) in steps.iter().enumerate() {
        let checked = r.step(step).and_then(|()| r.agree());
        if let Err(e) = checked {
            return Err(TestCaseError::fail(format!("step {n} {step:?}: {e}")));
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 96, max_shrink_iters: 2000, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_operations_under_the_incident_profile_agree_with_the_model(steps in prop::collection::vec(step(), 1..48)) {
        run(Profile::railway_2026_04(), &steps)?;
    }

    #[test]
    fn random_operations_under_todays_railway_agree_with_the_model(steps in prop::collection::vec(step(), 1..48)) {
        run(Profile::railway(), &steps)?;
    }

    #[test]
    fn random_operations_under_the_hardened_profile_agree_with_the_model(steps in prop::collection::vec(step(), 1..48)) {
        run(Profile::hardened(), &steps)?;
    }
}

#[test]
fn a_volume_cannot_be_placed_in_another_projects_environment() {
    let mut s = State::build(Profile::railway(), 7, demo_start(), &WorldSpec::demo()).unwrap();
    let marketing = s.project_id("marketing").unwrap();
    let pocketos = s.project_id("pocketos").unwrap();
    let marketing_prod = s.environment_id(&marketing, "production").unwrap();
    // The marketing project token reaches only marketing/production, yet names pocketos.
    let who = s.principal_of(s.token_named("marketing-deploy").unwrap());
    let cmd = Command::VolumeCreate {
        project_id: pocketos.clone(),
        placement: Placement::Environment(marketing_prod),
        service_id: None,
        mount_path: "/x".into(),
    };
    let r = s.execute(&who, cmd);
    assert!(r.result.is_err(), "a volume of project pocketos was created with its instance in marketing's environment: {r:?}");
    assert!(s.volumes().values().all(|v| v.project_id != pocketos || v.name == "pg-data"));
}

fn demo_railway() -> (State, Principal, Id) {
    let mut s = State::build(Profile::railway(), 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).unwrap();
    s.advance_to(demo_start());
    let owner = s.principal_of(s.token_named("owner").unwrap());
    let pg = s.volume_id(&s.project_id("pocketos").unwrap(), "pg-data").unwrap();
    (s, owner, pg)
}

#[test]
fn a_schedule_takes_no_backups_for_the_time_its_volume_was_pending_deletion() {
    let (mut s, owner, pg) = demo_railway();
    // Locked backups never expire, so nothing else happens on the clock while the volume waits.
    let all: Vec<(Id, Id)> = s.backups().values().map(|b| (b.id.clone(), b.volume_instance_id.clone())).collect();
    for (backup_id, volume_instance_id) in all {
        assert!(s.execute(&owner, Command::VolumeInstanceBackupLock { backup_id, volume_instance_id }).result.is_ok());
    }
    assert!(s.execute(&owner, Command::VolumeDelete { volume_id: pg.clone() }).result.is_ok());
    let deleted_at = s.now();
    s.advance_to(deleted_at + Duration::hours(40));
    s.restore_deleted_volume(&pg).unwrap();
    let restored_at = s.now();
    s.advance_to(restored_at + Duration::minutes(1));
    let backdated: Vec<String> = s
        .backups()
        .values()
        .filter(|b| s.volume_instances()[&b.volume_instance_id].volume_id == pg && b.created_at > deleted_at && b.created_at < restored_at)
        .map(|b| format!("{} taken {}", b.name, b.created_at))
        .collect();
    assert!(backdated.is_empty(), "backups dated inside the pending window {deleted_at}..{restored_at}: {backdated:?}");
}

#[test]
fn an_out_of_band_restore_that_fails_changes_nothing() {
    let (mut s, owner, pg) = demo_railway();
    let staging = s.environment_id(&s.project_id("pocketos").unwrap(), "staging").unwrap();
    assert!(s.execute(&owner, Command::VolumeDelete { volume_id: pg.clone() }).result.is_ok());
    assert!(s.execute(&owner, Command::EnvironmentDelete { id: staging }).result.is_ok());
    let before: Vec<VolumeInstance> = s.volume_instances().values().cloned().collect();
    assert!(s.restore_deleted_volume(&pg).is_err(), "the staging instance cannot come back");
    let after: Vec<VolumeInstance> = s.volume_instances().values().cloned().collect();
    assert_eq!(before, after, "a refused restore brought some instances back anyway");
}
