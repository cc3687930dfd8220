//! Mutations as data: each `Command` names its operation and target, is authorized through
//! `auth::decide`, then applied. Resolvers only translate arguments into a `Command`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Action, Cause, Change, State, Target};
use crate::auth::{Authorization, Principal, Reach};
use crate::error::ProviderError;
use crate::model::*;
use crate::ops::{Op, OpClass, ResourceKind};

/// Where `volumeCreate` puts instances: Railway deploys to every environment when
/// `environmentId` is omitted and to none when it is `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    AllEnvironments,
    NoEnvironment,
    Environment(Id),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Command {
    ProjectCreate {
        name: Option<String>,
        description: Option<String>,
        workspace_id: Option<Id>,
        default_environment_name: Option<String>,
    },
    ProjectDelete {
        id: Id,
    },
    ProjectScheduleDelete {
        id: Id,
    },
    ProjectScheduleDeleteCancel {
        id: Id,
    },
    ProjectScheduleDeleteForce {
        id: Id,
    },
    EnvironmentCreate {
        project_id: Id,
        name: String,
        /// The environment Railway would fork the new one from. The mock copies nothing from it,
        /// but it must be one of the project's.
        #[serde(default)]
        source_environment_id: Option<Id>,
    },
    EnvironmentDelete {
        id: Id,
    },
    ServiceCreate {
        project_id: Id,
        name: Option<String>,
        /// The environment Railway deploys the new service in first. The mock deploys nothing,
        /// but it must be one of the project's, and within the caller's reach.
        #[serde(default)]
        environment_id: Option<Id>,
    },
    ServiceDelete {
        id: Id,
        environment_id: Option<Id>,
    },
    VolumeCreate {
        project_id: Id,
        placement: Placement,
        service_id: Option<Id>,
        mount_path: String,
    },
    VolumeUpdate {
        volume_id: Id,
        name: Option<String>,
    },
    VolumeDelete {
        volume_id: Id,
    },
    VolumeInstanceUpdate {
        volume_id: Id,
        environment_id: Option<Id>,
        mount_path: Option<String>,
        service_id: Option<Id>,
    },
    VolumeInstanceBackupCreate {
        volume_instance_id: Id,
        name: Option<String>,
    },
    VolumeInstanceBackupDelete {
        backup_id: Id,
        volume_instance_id: Id,
    },
    VolumeInstanceBackupLock {
        backup_id: Id,
        volume_instance_id: Id,
    },
    VolumeInstanceBackupRestore {
        backup_id: Id,
        volume_instance_id: Id,
    },
    VolumeInstanceBackupScheduleUpdate {
        volume_instance_id: Id,
        kinds: Vec<ScheduleKind>,
    },
    CustomDomainCreate {
        domain: String,
        project_id: Id,
        environment_id: Id,
        service_id: Id,
        target_port: Option<i32>,
    },
    CustomDomainUpdate {
        id: Id,
        environment_id: Id,
        target_port: Option<i32>,
    },
    CustomDomainDelete {
        id: Id,
    },
    ServiceDomainCreate {
        environment_id: Id,
        service_id: Id,
        target_port: Option<i32>,
    },
    ServiceDomainDelete {
        id: Id,
    },
    VariableUpsert {
        project_id: Id,
        environment_id: Id,
        service_id: Option<Id>,
        name: String,
        value: String,
    },
    VariableCollectionUpsert {
        project_id: Id,
        environment_id: Id,
        service_id: Option<Id>,
        variables: BTreeMap<String, String>,
        replace: bool,
    },
    VariableDelete {
        project_id: Id,
        environment_id: Id,
        service_id: Option<Id>,
        name: String,
    },
    ProjectTokenCreate {
        project_id: Id,
        environment_id: Id,
        name: String,
    },
    ProjectTokenDelete {
        id: Id,
    },
    ApiTokenCreate {
        name: String,
        workspace_id: Option<Id>,
    },
    ApiTokenDelete {
        id: Id,
    },
    WorkspaceDelete {
        id: Id,
    },
    CliEventTrack,
}

/// What a mutation returns to its caller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Outcome {
    Bool(bool),
    /// A freshly minted token secret: shown once.
    Secret(String),
    WorkflowId(Id),
    Created(ResourceKind, Id),
}

/// One mutation's full result: the authorization, decided once, and either the outcome with its
/// immediate changes or the error.
#[derive(Clone, Debug, PartialEq)]
pub struct Execution {
    /// The call's class, from its arguments where they decide (`Command::class`).
    pub class: OpClass,
    pub authorization: Authorization,
    /// The resource the command names, as the provider names it (before any effect).
    pub target: Option<String>,
    pub result: Result<(Outcome, Vec<Change>), ProviderError>,
}

impl Command {
    pub fn op(&self) -> Op {
        match self {
            Command::ProjectCreate { .. } => Op::ProjectCreate,
            Command::ProjectDelete { .. } => Op::ProjectDelete,
            Command::ProjectScheduleDelete { .. } => Op::ProjectScheduleDelete,
            Command::ProjectScheduleDeleteCancel { .. } => Op::ProjectScheduleDeleteCancel,
            Command::ProjectScheduleDeleteForce { .. } => Op::ProjectScheduleDeleteForce,
            Command::EnvironmentCreate { .. } => Op::EnvironmentCreate,
            Command::EnvironmentDelete { .. } => Op::EnvironmentDelete,
            Command::ServiceCreate { .. } => Op::ServiceCreate,
            Command::ServiceDelete { .. } => Op::ServiceDelete,
            Command::VolumeCreate { .. } => Op::VolumeCreate,
            Command::VolumeUpdate { .. } => Op::VolumeUpdate,
            Command::VolumeDelete { .. } => Op::VolumeDelete,
            Command::VolumeInstanceUpdate { .. } => Op::VolumeInstanceUpdate,
            Command::VolumeInstanceBackupCreate { .. } => Op::VolumeInstanceBackupCreate,
            Command::VolumeInstanceBackupDelete { .. } => Op::VolumeInstanceBackupDelete,
            Command::VolumeInstanceBackupLock { .. } => Op::VolumeInstanceBackupLock,
            Command::VolumeInstanceBackupRestore { .. } => Op::VolumeInstanceBackupRestore,
            Command::VolumeInstanceBackupScheduleUpdate { .. } => Op::VolumeInstanceBackupScheduleUpdate,
            Command::CustomDomainCreate { .. } => Op::CustomDomainCreate,
            Command::CustomDomainUpdate { .. } => Op::CustomDomainUpdate,
            Command::CustomDomainDelete { .. } => Op::CustomDomainDelete,
            Command::ServiceDomainCreate { .. } => Op::ServiceDomainCreate,
            Command::ServiceDomainDelete { .. } => Op::ServiceDomainDelete,
            Command::VariableUpsert { .. } => Op::VariableUpsert,
            Command::VariableCollectionUpsert { .. } => Op::VariableCollectionUpsert,
            Command::VariableDelete { .. } => Op::VariableDelete,
            Command::ProjectTokenCreate { .. } => Op::ProjectTokenCreate,
            Command::ProjectTokenDelete { .. } => Op::ProjectTokenDelete,
            Command::ApiTokenCreate { .. } => Op::ApiTokenCreate,
            Command::ApiTokenDelete { .. } => Op::ApiTokenDelete,
            Command::WorkspaceDelete { .. } => Op::WorkspaceDelete,
            Command::CliEventTrack => Op::CliEventTrack,
        }
    }
}

impl State {
    /// The workspace a create lands in when the caller did not name one.
    fn default_workspace(&self, who: &Principal) -> Option<Id> {
        match &who.reach {
            Reach::Workspace { workspace_id } => Some(workspace_id.clone()),
            Reach::Project { workspace_id, .. } => Some(workspace_id.clone()),
            Reach::Account { workspaces, .. } => workspaces.first().cloned(),
            Reach::Anonymous => None,
        }
    }

    /// What a command is aimed at, for authorization: the resource it acts on, with every other
    /// resource it names (`Target::together`), which must exist and belong with it.
    pub fn target_of(&self, who: &Principal, cmd: &Command) -> Target {
        let id = |s: &Id| s.clone();
        let project = |p: &Id| Some(Target::Project { id: p.clone() });
        let service = |s: &Option<Id>| s.as_ref().map(|s| Target::Service { id: s.clone(), environment: None, everywhere: false });
        match cmd {
            Command::ProjectCreate { workspace_id, .. } => match workspace_id.clone().or_else(|| self.default_workspace(who)) {
                Some(w) => Target::Workspace { id: w },
                None => Target::Global,
            },
            Command::ProjectDelete { id: p }
            | Command::ProjectScheduleDelete { id: p }
            | Command::ProjectScheduleDeleteCancel { id: p }
            | Command::ProjectScheduleDeleteForce { id: p } => Target::Project { id: id(p) },
            Command::EnvironmentCreate { project_id, source_environment_id, .. } => Target::together(
                Target::Project { id: id(project_id) },
                [source_environment_id.as_ref().map(|e| Target::Environment { id: id(e) })],
            ),
            Command::ServiceCreate { project_id, environment_id, .. } => match environment_id {
                Some(e) => Target::together(Target::Environment { id: id(e) }, [project(project_id)]),
                None => Target::Project { id: id(project_id) },
            },
            Command::EnvironmentDelete { id: e } => Target::Environment { id: id(e) },
            Command::ServiceDelete { id: s, environment_id } => {
                Target::Service { id: id(s), environment: environment_id.clone(), everywhere: environment_id.is_none() }
            }
            Command::VolumeCreate { project_id, placement, service_id, .. } => match placement {
                Placement::Environment(e) => {
                    Target::together(Target::Environment { id: id(e) }, [project(project_id), service(service_id)])
                }
                _ => Target::together(Target::Project { id: id(project_id) }, [service(service_id)]),
            },
            Command::VolumeUpdate { volume_id, .. } | Command::VolumeDelete { volume_id } => Target::Volume { id: id(volume_id) },
            Command::VolumeInstanceUpdate { volume_id, environment_id, service_id, .. } => {
                let instance = match environment_id {
                    Some(e) => Target::VolumeInEnvironment { volume: id(volume_id), environment: id(e) },
                    None => Target::Volume { id: id(volume_id) },
                };
                Target::together(instance, [service(service_id)])
            }
            Command::VolumeInstanceBackupCreate { volume_instance_id, .. }
            | Command::VolumeInstanceBackupScheduleUpdate { volume_instance_id, .. } => {
                Target::VolumeInstance { id: id(volume_instance_id) }
            }
            Command::VolumeInstanceBackupDelete { backup_id, volume_instance_id }
            | Command::VolumeInstanceBackupLock { backup_id, volume_instance_id }
            | Command::VolumeInstanceBackupRestore { backup_id, volume_instance_id } => {
                Target::Backup { backup: id(backup_id), instance: id(volume_instance_id) }
            }
            Command::CustomDomainCreate { project_id, environment_id, service_id, .. } => Target::together(
                Target::Service { id: id(service_id), environment: Some(id(environment_id)), everywhere: false },
                [project(project_id)],
            ),
            Command::ServiceDomainCreate { environment_id, service_id, .. } => {
                Target::Service { id: id(service_id), environment: Some(id(environment_id)), everywhere: false }
            }
            Command::CustomDomainUpdate { id: d, environment_id, .. } => {
                Target::CustomDomain { id: id(d), environment: Some(id(environment_id)) }
            }
            Command::CustomDomainDelete { id: d } => Target::CustomDomain { id: id(d), environment: None },
            Command::ServiceDomainDelete { id: d } => Target::ServiceDomain { id: id(d) },
            Command::VariableUpsert { project_id, environment_id, service_id, .. }
            | Command::VariableCollectionUpsert { project_id, environment_id, service_id, .. }
            | Command::VariableDelete { project_id, environment_id, service_id, .. } => {
                Target::Variables { project: id(project_id), environment: id(environment_id), service: service_id.clone() }
            }
            Command::ProjectTokenCreate { project_id, environment_id, .. } => {
                Target::together(Target::Environment { id: id(environment_id) }, [project(project_id)])
            }
            Command::ProjectTokenDelete { id: t } => Target::ProjectToken { id: id(t) },
            Command::ApiTokenCreate { workspace_id, .. } => match workspace_id {
                Some(w) => Target::Workspace { id: id(w) },
                None => Target::Global,
            },
            Command::ApiTokenDelete { id: t } => Target::ApiToken { id: id(t) },
            Command::WorkspaceDelete { id: w } => Target::Workspace { id: id(w) },
            Command::CliEventTrack => Target::Global,
        }
    }

    /// Authorizes and applies one mutation at the current instant, on behalf of no request (the
    /// harness's own out-of-band work, such as the recovery drill's restores).
    pub fn execute(&mut self, who: &Principal, cmd: Command) -> Execution {
        self.caused_by(None, |s| s.authorize_and_apply(who, cmd))
    }

    /// `execute` for the request `origin`: its effects, now and when the clock completes what it
    /// started, are traced back to it.
    pub fn execute_request(&mut self, origin: RequestId, who: &Principal, cmd: Command) -> Execution {
        self.caused_by(Some(origin), |s| s.authorize_and_apply(who, cmd))
    }

    fn authorize_and_apply(&mut self, who: &Principal, cmd: Command) -> Execution {
        let (op, class) = (cmd.op(), cmd.class());
        let target = self.target_of(who, &cmd);
        let authorization = self.authorize_call(who, op, class, &target);
        let target = self.describe_target(&target);
        if let Err(e) = authorization.permit(&self.profile) {
            return Execution { class, authorization, target, result: Err(e) };
        }
        let cause = Cause::Request(op.name().to_string());
        let result = self.apply(who, cmd);
        if let Ok((_, changes)) = &result {
            for c in changes {
                self.push(cause.clone(), c.clone());
            }
        }
        Execution { class, authorization, target, result }
    }

    /// What upserting `names` into `scope` does to each: creates it, or updates the value it has.
    fn upserted<'a>(&self, scope: &VariableScope, names: impl IntoIterator<Item = &'a String>) -> Vec<Change> {
        let existing = self.variables.get(scope);
        names
            .into_iter()
            .map(|n| {
                let action = if existing.is_some_and(|vars| vars.contains_key(n)) { Action::Updated } else { Action::Created };
                Change::new(action, ResourceKind::Variables, n, n.clone())
            })
            .collect()
    }

    fn apply(&mut self, who: &Principal, cmd: Command) -> Result<(Outcome, Vec<Change>), ProviderError> {
        let now = self.now;
        let ok = |changes: Vec<Change>| Ok((Outcome::Bool(true), changes));
        match cmd {
            Command::ProjectCreate { name, description, workspace_id, default_environment_name } => {
                let ws = workspace_id
                    .or_else(|| self.default_workspace(who))
                    .ok_or_else(|| ProviderError::InvalidInput("workspaceId is required".into()))?;
                if !self.workspaces.contains_key(&ws) {
                    return Err(ProviderError::not_found("Workspace", &ws));
                }
                let name = name.unwrap_or_else(|| format!("project-{}", self.projects.len() + 1));
                let id = self.insert_project(&ws, &name, description, now);
                let env_name = default_environment_name.unwrap_or_else(|| "production".into());
                let env = self.insert_environment(&id, &env_name, false, now);
                Ok((
                    Outcome::Created(ResourceKind::Project, id.clone()),
                    vec![
                        Change::new(Action::Created, ResourceKind::Project, &id, name),
                        Change::new(Action::Created, ResourceKind::Environment, &env, env_name),
                    ],
                ))
            }
            Command::ProjectDelete { id } | Command::ProjectScheduleDeleteForce { id } => {
                self.project(&id)?;
                ok(self.delete_project_now(&id))
            }
            Command::ProjectScheduleDelete { id } => {
                let grace = self.profile.project_delete_grace;
                let p = self.projects.get_mut(&id).ok_or_else(|| ProviderError::not_found("Project", &id))?;
                p.delete_scheduled_for = Some(now + grace);
                p.delete_scheduled_by = self.origin;
                let c = Change::new(Action::SoftDeleted, ResourceKind::Project, &id, p.name.clone())
                    .detail(format!("deleted at {}", now + grace));
                ok(vec![c])
            }
            Command::ProjectScheduleDeleteCancel { id } => {
                let p = self.projects.get_mut(&id).ok_or_else(|| ProviderError::not_found("Project", &id))?;
                p.delete_scheduled_by = None;
                if p.delete_scheduled_for.take().is_none() {
                    return Err(ProviderError::Conflict("project is not scheduled for deletion".into()));
                }
                ok(vec![Change::new(Action::Restored, ResourceKind::Project, &id, p.name.clone())])
            }
            Command::EnvironmentCreate { project_id, name, .. } => {
                self.project(&project_id)?;
                if self.environments.values().any(|e| e.project_id == project_id && e.name == name) {
                    return Err(ProviderError::Conflict(format!("environment `{name}` already exists")));
                }
                let id = self.insert_environment(&project_id, &name, false, now);
                Ok((
                    Outcome::Created(ResourceKind::Environment, id.clone()),
                    vec![Change::new(Action::Created, ResourceKind::Environment, &id, name)],
                ))
            }
            Command::EnvironmentDelete { id } => ok(self.delete_environment(&id, false)),
            Command::ServiceCreate { project_id, name, .. } => {
                self.project(&project_id)?;
                let name = name.unwrap_or_else(|| format!("service-{}", self.services.len() + 1));
                let id = self.insert_service(&project_id, &name, now);
                Ok((
                    Outcome::Created(ResourceKind::Service, id.clone()),
                    vec![Change::new(Action::Created, ResourceKind::Service, &id, name)],
                ))
            }
            Command::ServiceDelete { id, environment_id } => ok(self.delete_service(&id, environment_id.as_deref())),
            Command::VolumeCreate { project_id, placement, service_id, mount_path } => {
                self.project(&project_id)?;
                if let Some(s) = &service_id {
                    self.service_in(s, &project_id)?;
                }
                if let Placement::Environment(e) = &placement {
                    self.environment_in(e, &project_id)?;
                }
                let envs: Vec<Id> = match &placement {
                    Placement::AllEnvironments => {
                        self.environments.values().filter(|e| e.project_id == project_id).map(|e| e.id.clone()).collect()
                    }
                    Placement::NoEnvironment => Vec::new(),
                    Placement::Environment(e) => vec![self.environment(e)?.id.clone()],
                };
                let name = format!("volume-{}", self.volumes.len() + 1);
                let vid = self.insert_volume(&project_id, &name, now);
                let mut changes = vec![Change::new(Action::Created, ResourceKind::Volume, &vid, name.clone())];
                for e in envs {
                    let seed = super::volumes::InstanceSeed {
                        service_id: service_id.clone(),
                        mount_path: mount_path.clone(),
                        size_mb: 5000,
                        used_mb: 0.0,
                        writes_per_hour: 0,
                        records: 0,
                    };
                    let iid = self.insert_instance(&vid, &e, seed, now);
                    changes.push(Change::new(
                        Action::Created,
                        ResourceKind::VolumeInstance,
                        &iid,
                        format!("{name} ({})", self.environment_name(&e)),
                    ));
                }
                Ok((Outcome::Created(ResourceKind::Volume, vid), changes))
            }
            Command::VolumeUpdate { volume_id, name } => {
                self.volume(&volume_id)?;
                let v = self.volumes.get_mut(&volume_id).ok_or_else(|| ProviderError::not_found("Volume", &volume_id))?;
                if let Some(n) = name {
                    v.name = n;
                }
                let c = Change::new(Action::Updated, ResourceKind::Volume, &volume_id, v.name.clone());
                Ok((Outcome::Created(ResourceKind::Volume, volume_id), vec![c]))
            }
            Command::VolumeDelete { volume_id } => {
                self.volume(&volume_id)?;
                let changes = self.delete_volume(&volume_id);
                if changes.is_empty() {
                    return Err(ProviderError::Conflict("volume is already being deleted".into()));
                }
                ok(changes)
            }
            Command::VolumeInstanceUpdate { volume_id, environment_id, mount_path, service_id } => {
                let project_id = self.volume(&volume_id)?.project_id.clone();
                if let Some(s) = &service_id {
                    self.service_in(s, &project_id)?;
                }
                let mut changes = Vec::new();
                let label = self.volume_label(&volume_id);
                for i in self.instances.values_mut().filter(|i| {
                    i.volume_id == volume_id && !i.is_deleted() && environment_id.as_ref().is_none_or(|e| e == &i.environment_id)
                }) {
                    if let Some(m) = &mount_path {
                        i.mount_path = m.clone();
                    }
                    if let Some(s) = &service_id {
                        i.service_id = Some(s.clone());
                    }
                    changes.push(Change::new(Action::Updated, ResourceKind::VolumeInstance, &i.id, label.clone()));
                }
                ok(changes)
            }
            Command::VolumeInstanceBackupCreate { volume_instance_id, name } => {
                let w = self.request_backup(&volume_instance_id, name)?;
                Ok((Outcome::WorkflowId(w), Vec::new()))
            }
            Command::VolumeInstanceBackupDelete { backup_id, .. } => {
                Ok((Outcome::WorkflowId(self.request_backup_delete(&backup_id)), Vec::new()))
            }
            Command::VolumeInstanceBackupLock { backup_id, .. } => Ok((Outcome::Bool(true), vec![self.lock_backup(&backup_id)?])),
            Command::VolumeInstanceBackupRestore { backup_id, volume_instance_id } => {
                let w = self.request_restore(&backup_id, &volume_instance_id)?;
                Ok((Outcome::WorkflowId(w), Vec::new()))
            }
            Command::VolumeInstanceBackupScheduleUpdate { volume_instance_id, kinds } => {
                self.instance(&volume_instance_id)?;
                ok(self.set_schedules(&volume_instance_id, &kinds))
            }
            Command::CustomDomainCreate { domain, project_id, environment_id, service_id, target_port } => {
                if self.custom_domains.values().any(|d| d.domain == domain) {
                    return Err(ProviderError::Conflict(format!("domain `{domain}` is already in use")));
                }
                self.service_in(&service_id, &project_id)?;
                self.environment_in(&environment_id, &project_id)?;
                let id = self.insert_custom_domain(&domain, &project_id, &environment_id, &service_id, target_port);
                Ok((
                    Outcome::Created(ResourceKind::CustomDomain, id.clone()),
                    vec![Change::new(Action::Created, ResourceKind::CustomDomain, &id, domain)],
                ))
            }
            Command::CustomDomainUpdate { id, environment_id, target_port } => {
                let d = self.custom_domains.get_mut(&id).ok_or_else(|| ProviderError::not_found("Custom domain", &id))?;
                if d.environment_id != environment_id {
                    return Err(ProviderError::not_found("Custom domain", &id));
                }
                d.target_port = target_port;
                d.updated_at = now;
                ok(vec![Change::new(Action::Updated, ResourceKind::CustomDomain, &id, d.domain.clone())])
            }
            Command::CustomDomainDelete { id } => {
                let d = self.custom_domains.remove(&id).ok_or_else(|| ProviderError::not_found("Custom domain", &id))?;
                ok(vec![Change::new(Action::Deleted, ResourceKind::CustomDomain, &id, d.domain)])
            }
            Command::ServiceDomainCreate { environment_id, service_id, target_port } => {
                let project_id = self.service(&service_id)?.project_id.clone();
                self.environment_in(&environment_id, &project_id)?;
                let id = self.insert_service_domain(&project_id, &environment_id, &service_id, target_port);
                let name = self.service_domains.get(&id).map(|d| d.domain.clone()).unwrap_or_default();
                Ok((
                    Outcome::Created(ResourceKind::ServiceDomain, id.clone()),
                    vec![Change::new(Action::Created, ResourceKind::ServiceDomain, &id, name)],
                ))
            }
            Command::ServiceDomainDelete { id } => {
                let d = self.service_domains.remove(&id).ok_or_else(|| ProviderError::not_found("Service domain", &id))?;
                ok(vec![Change::new(Action::Deleted, ResourceKind::ServiceDomain, &id, d.domain)])
            }
            Command::VariableUpsert { project_id, environment_id, service_id, name, value } => {
                let scope = VariableScope { project_id, environment_id, service_id };
                let upserted = self.upserted(&scope, [&name]);
                self.set_variables(scope, BTreeMap::from([(name, value)]), false);
                ok(upserted)
            }
            Command::VariableCollectionUpsert { project_id, environment_id, service_id, variables, replace } => {
                let scope = VariableScope { project_id, environment_id: environment_id.clone(), service_id };
                let upserted = self.upserted(&scope, variables.keys());
                let removed = self.set_variables(scope, variables, replace);
                let mut changes: Vec<Change> = removed
                    .iter()
                    .map(|n| Change::new(Action::Deleted, ResourceKind::Variables, n, n.clone()).detail("removed by replace"))
                    .collect();
                changes.extend(upserted);
                ok(changes)
            }
            Command::VariableDelete { project_id, environment_id, service_id, name } => {
                let scope = VariableScope { project_id, environment_id, service_id };
                let removed = self.variables.get_mut(&scope).and_then(|m| m.remove(&name));
                if removed.is_none() {
                    return Err(ProviderError::not_found("Variable", &name));
                }
                ok(vec![Change::new(Action::Deleted, ResourceKind::Variables, &name, name.clone())])
            }
            Command::ProjectTokenCreate { project_id, environment_id, name } => {
                let e = self.environment(&environment_id)?;
                if e.project_id != project_id {
                    return Err(ProviderError::InvalidInput("environment does not belong to the project".into()));
                }
                let t = self.insert_token(&name, TokenKind::Project { project_id, environment_id }, None, who.token_id.clone());
                Ok((Outcome::Secret(t.secret), vec![Change::new(Action::Created, ResourceKind::ProjectToken, &t.id, name)]))
            }
            Command::ApiTokenCreate { ref name, ref workspace_id } => {
                if let Some(w) = workspace_id
                    && !self.workspaces.contains_key(w)
                {
                    return Err(ProviderError::not_found("Workspace", w));
                }
                let Some(kind) = self.minted_by(who, &cmd) else {
                    return Err(ProviderError::InvalidInput("workspaceId is required".into()));
                };
                let name = name.clone();
                let t = self.insert_token(&name, kind, None, who.token_id.clone());
                Ok((Outcome::Secret(t.secret), vec![Change::new(Action::Created, ResourceKind::ApiToken, &t.id, name)]))
            }
            Command::ProjectTokenDelete { id } | Command::ApiTokenDelete { id } => {
                let changes = self.delete_token(&id);
                if changes.is_empty() {
                    return Err(ProviderError::not_found("Token", &id));
                }
                ok(changes)
            }
            Command::WorkspaceDelete { id } => ok(self.delete_workspace(&id)),
            Command::CliEventTrack => Ok((Outcome::Bool(true), Vec::new())),
        }
    }
}
