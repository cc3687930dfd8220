//! Resolving what an operation lands on: targets, their scopes for authorization, and names.

use serde::{Deserialize, Serialize};

use super::State;
use crate::auth::Scope;
use crate::error::ProviderError;
use crate::model::*;

/// The resource an operation is aimed at, by id, before it is looked up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "target", rename_all = "kebab-case")]
pub enum Target {
    Global,
    Workspace {
        id: Id,
    },
    Project {
        id: Id,
    },
    Environment {
        id: Id,
    },
    /// `environment: None` with `everywhere` = the service in every environment (serviceDelete).
    Service {
        id: Id,
        environment: Option<Id>,
        everywhere: bool,
    },
    Volume {
        id: Id,
    },
    VolumeInstance {
        id: Id,
    },
    /// A volume's live instance in one environment, named by the volume and the environment
    /// (`volumeInstanceUpdate`): the environment must be of the volume's project and hold one.
    VolumeInEnvironment {
        volume: Id,
        environment: Id,
    },
    Backup {
        backup: Id,
        instance: Id,
    },
    /// With `environment`, the domain must be that environment's (`customDomainUpdate`).
    CustomDomain {
        id: Id,
        environment: Option<Id>,
    },
    ServiceDomain {
        id: Id,
    },
    Variables {
        project: Id,
        environment: Id,
        service: Option<Id>,
    },
    ProjectToken {
        id: Id,
    },
    ApiToken {
        id: Id,
    },
    /// A user, named only beside another target (`projects(userId)`).
    User {
        id: Id,
    },
    /// `primary`, and other resources the call names that must exist and belong with it: in its
    /// project, or for a target without one, its workspace. They are named, not acted on, so
    /// they do not widen the scope `primary` lands in.
    Together {
        primary: Box<Target>,
        with: Vec<Target>,
    },
}

impl Target {
    /// `target`, with the resources the call also names (`None`: an argument left out).
    pub fn together(target: Target, with: impl IntoIterator<Item = Option<Target>>) -> Target {
        let with: Vec<Target> = with.into_iter().flatten().collect();
        if with.is_empty() { target } else { Target::Together { primary: Box::new(target), with } }
    }

    /// The kind and id of what the target names, for the error a mismatch is told.
    fn named(&self) -> (&'static str, &str) {
        match self {
            Target::Global => ("Resource", ""),
            Target::Workspace { id } => ("Workspace", id),
            Target::Project { id } => ("Project", id),
            Target::Environment { id } | Target::VolumeInEnvironment { environment: id, .. } => ("Environment", id),
            Target::Service { id, .. } => ("Service", id),
            Target::Volume { id } => ("Volume", id),
            Target::VolumeInstance { id } => ("Volume instance", id),
            Target::Backup { backup, .. } => ("Backup", backup),
            Target::CustomDomain { id, .. } => ("Custom domain", id),
            Target::ServiceDomain { id } => ("Service domain", id),
            Target::Variables { environment, .. } => ("Environment", environment),
            Target::ProjectToken { id } => ("Project token", id),
            Target::ApiToken { id } => ("API token", id),
            Target::User { id } => ("User", id),
            Target::Together { primary, .. } => primary.named(),
        }
    }
}

impl State {
    pub(crate) fn project(&self, id: &str) -> Result<&Project, ProviderError> {
        self.projects.get(id).ok_or_else(|| ProviderError::not_found("Project", id))
    }
    pub(crate) fn environment(&self, id: &str) -> Result<&Environment, ProviderError> {
        self.environments.get(id).ok_or_else(|| ProviderError::not_found("Environment", id))
    }
    pub(crate) fn service(&self, id: &str) -> Result<&Service, ProviderError> {
        self.services.get(id).ok_or_else(|| ProviderError::not_found("Service", id))
    }
    /// An environment that belongs to `project_id`; ids from another project are refused as
    /// input, so no command can wire resources across projects.
    pub(crate) fn environment_in(&self, id: &str, project_id: &str) -> Result<&Environment, ProviderError> {
        let e = self.environment(id)?;
        if e.project_id != project_id {
            return Err(ProviderError::InvalidInput(format!("environment `{id}` belongs to another project")));
        }
        Ok(e)
    }
    pub(crate) fn service_in(&self, id: &str, project_id: &str) -> Result<&Service, ProviderError> {
        let s = self.service(id)?;
        if s.project_id != project_id {
            return Err(ProviderError::InvalidInput(format!("service `{id}` belongs to another project")));
        }
        Ok(s)
    }
    pub(crate) fn volume(&self, id: &str) -> Result<&Volume, ProviderError> {
        match self.volumes.get(id) {
            Some(v) if v.deleted_at.is_none() => Ok(v),
            _ => Err(ProviderError::not_found("Volume", id)),
        }
    }
    /// A volume instance that is not deleted (pending deletion is still visible, as on Railway).
    pub(crate) fn instance(&self, id: &str) -> Result<&VolumeInstance, ProviderError> {
        match self.instances.get(id) {
            Some(i) if !i.is_deleted() => Ok(i),
            _ => Err(ProviderError::not_found("Volume instance", id)),
        }
    }

    fn protected_names<'a>(&self, envs: impl Iterator<Item = &'a Id>) -> Vec<String> {
        envs.filter_map(|e| self.environments.get(e)).filter(|e| e.protected).map(|e| e.name.clone()).collect()
    }

    fn project_scope(&self, project_id: &str, environments: Vec<Id>, describe: String) -> Result<Scope, ProviderError> {
        let p = self.project(project_id)?;
        let protected = if environments.is_empty() {
            self.protected_names(self.environments.values().filter(|e| e.project_id == p.id).map(|e| &e.id))
        } else {
            self.protected_names(environments.iter())
        };
        Ok(Scope {
            global: false,
            workspace_id: Some(p.workspace_id.clone()),
            project_id: Some(p.id.clone()),
            environments,
            protected,
            describe,
        })
    }

    /// Where `target` lands: workspace, project, environments touched, protected ones among them.
    pub fn scope_of(&self, target: &Target) -> Result<Scope, ProviderError> {
        match target {
            Target::Global => Ok(Scope { global: true, ..Scope::default() }),
            Target::Workspace { id } => {
                let ws = self.workspaces.get(id).ok_or_else(|| ProviderError::not_found("Workspace", id))?;
                let projects: Vec<&Id> = self.projects.values().filter(|p| &p.workspace_id == id).map(|p| &p.id).collect();
                let protected =
                    self.protected_names(self.environments.values().filter(|e| projects.contains(&&e.project_id)).map(|e| &e.id));
                Ok(Scope { workspace_id: Some(id.clone()), protected, describe: format!("workspace `{}`", ws.name), ..Scope::default() })
            }
            Target::Project { id } => {
                let name = self.project(id)?.name.clone();
                self.project_scope(id, Vec::new(), format!("project `{name}`"))
            }
            Target::Environment { id } => {
                let e = self.environment(id)?;
                self.project_scope(&e.project_id, vec![e.id.clone()], format!("environment `{}`", e.name))
            }
            Target::Service { id, environment, everywhere } => {
                let s = self.service(id)?;
                let envs = match environment {
                    Some(e) => vec![self.environment_of_project(e, &s.project_id)?.id.clone()],
                    None if *everywhere => {
                        self.environments.values().filter(|e| e.project_id == s.project_id).map(|e| e.id.clone()).collect()
                    }
                    None => Vec::new(),
                };
                self.project_scope(&s.project_id, envs, format!("service `{}`", s.name))
            }
            Target::Volume { id } => {
                let v = self.volume(id)?;
                let envs = self
                    .instances
                    .values()
                    .filter(|i| &i.volume_id == id && !i.is_deleted())
                    .map(|i| i.environment_id.clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                self.project_scope(&v.project_id, envs, format!("volume `{}`", v.name))
            }
            Target::VolumeInEnvironment { volume, environment } => {
                let v = self.volume(volume)?;
                self.environment_of_project(environment, &v.project_id)?;
                let i = self
                    .instances
                    .values()
                    .find(|i| &i.volume_id == volume && &i.environment_id == environment && !i.is_deleted())
                    .ok_or_else(|| ProviderError::not_found("Volume instance", &format!("{volume} in {environment}")))?;
                self.scope_of(&Target::VolumeInstance { id: i.id.clone() })
            }
            Target::VolumeInstance { id } => {
                let i = self.instance(id)?;
                let v = self.volumes.get(&i.volume_id).ok_or_else(|| ProviderError::not_found("Volume", &i.volume_id))?;
                let env = self.environments.get(&i.environment_id).map(|e| e.name.clone()).unwrap_or_default();
                self.project_scope(&v.project_id, vec![i.environment_id.clone()], format!("volume `{}` in `{env}`", v.name))
            }
            Target::Backup { backup, instance } => {
                let b = self.backups.get(backup).ok_or_else(|| ProviderError::not_found("Backup", backup))?;
                if &b.volume_instance_id != instance {
                    return Err(ProviderError::not_found("Backup", backup));
                }
                let i = self.instances.get(instance).ok_or_else(|| ProviderError::not_found("Volume instance", instance))?;
                let v = self.volumes.get(&i.volume_id).ok_or_else(|| ProviderError::not_found("Volume", &i.volume_id))?;
                self.project_scope(&v.project_id, vec![i.environment_id.clone()], format!("backup `{}` of volume `{}`", b.name, v.name))
            }
            Target::CustomDomain { id, environment } => {
                let d = self.custom_domains.get(id).ok_or_else(|| ProviderError::not_found("Custom domain", id))?;
                if environment.as_ref().is_some_and(|e| e != &d.environment_id) {
                    return Err(ProviderError::not_found("Custom domain", id));
                }
                self.project_scope(&d.project_id, vec![d.environment_id.clone()], format!("custom domain `{}`", d.domain))
            }
            Target::ServiceDomain { id } => {
                let d = self.service_domains.get(id).ok_or_else(|| ProviderError::not_found("Service domain", id))?;
                self.project_scope(&d.project_id, vec![d.environment_id.clone()], format!("service domain `{}`", d.domain))
            }
            Target::Variables { project, environment, service } => {
                let e = self.environment(environment)?;
                if &e.project_id != project {
                    return Err(ProviderError::not_found("Environment", environment));
                }
                if let Some(s) = service {
                    self.service_in(s, project)?;
                }
                self.project_scope(project, vec![environment.clone()], format!("variables of `{}`", e.name))
            }
            Target::ProjectToken { id } => {
                let t = self.tokens.get(id).ok_or_else(|| ProviderError::not_found("Project token", id))?;
                match &t.kind {
                    TokenKind::Project { project_id, environment_id } => {
                        self.project_scope(project_id, vec![environment_id.clone()], format!("project token `{}`", t.name))
                    }
                    _ => Err(ProviderError::not_found("Project token", id)),
                }
            }
            Target::ApiToken { id } => {
                let t = self.tokens.get(id).ok_or_else(|| ProviderError::not_found("API token", id))?;
                match &t.kind {
                    TokenKind::Workspace { workspace_id } => Ok(Scope {
                        workspace_id: Some(workspace_id.clone()),
                        describe: format!("api token `{}`", t.name),
                        ..Scope::default()
                    }),
                    TokenKind::Account { .. } => {
                        Ok(Scope { global: true, describe: format!("api token `{}`", t.name), ..Scope::default() })
                    }
                    TokenKind::Project { .. } => Err(ProviderError::not_found("API token", id)),
                }
            }
            Target::User { id } => {
                let u = self.users.get(id).ok_or_else(|| ProviderError::not_found("User", id))?;
                Ok(Scope { global: true, describe: format!("user `{}`", u.name), ..Scope::default() })
            }
            Target::Together { primary, with } => {
                let scope = self.scope_of(primary)?;
                for other in with {
                    let theirs = self.scope_of(other)?;
                    let apart = match (&scope.project_id, &theirs.project_id) {
                        (Some(a), Some(b)) => a != b,
                        _ => matches!((&scope.workspace_id, &theirs.workspace_id), (Some(a), Some(b)) if a != b),
                    };
                    if apart {
                        let (kind, id) = other.named();
                        return Err(ProviderError::not_found(kind, id));
                    }
                }
                Ok(scope)
            }
        }
    }

    /// An environment of `project_id`: one of another project is, for the call naming both, an
    /// environment that does not exist.
    fn environment_of_project(&self, id: &str, project_id: &str) -> Result<&Environment, ProviderError> {
        match self.environment(id)? {
            e if e.project_id == project_id => Ok(e),
            _ => Err(ProviderError::not_found("Environment", id)),
        }
    }

    /// The resource a target names, as a person would name it (`volume pocketos/pg-data`,
    /// `backup Daily of 2026-04-16T15:51:00Z of pocketos/pg-data (production)`), never a raw id
    /// when the resource exists. `None` for a global target.
    pub fn describe_target(&self, target: &Target) -> Option<String> {
        let project = |id: &str| self.projects.get(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string());
        Some(match target {
            Target::Global => return None,
            Target::Workspace { id } => format!("workspace {}", self.workspaces.get(id).map(|w| w.name.as_str()).unwrap_or(id)),
            Target::Project { id } => format!("project {}", project(id)),
            Target::Environment { id } => format!("environment {}", self.environment_name(id)),
            Target::Service { id, .. } => format!("service {}", self.services.get(id).map(|s| s.name.as_str()).unwrap_or(id)),
            Target::Volume { id } => format!("volume {}", self.volume_label(id)),
            Target::VolumeInstance { id } => format!("volume instance {}", self.instance_name(id)),
            Target::VolumeInEnvironment { volume, environment } => {
                match self.instances.values().find(|i| &i.volume_id == volume && &i.environment_id == environment && !i.is_deleted()) {
                    Some(i) => format!("volume instance {}", self.instance_name(&i.id)),
                    None => format!("volume {} in {}", self.volume_label(volume), self.environment_name(environment)),
                }
            }
            Target::Backup { backup, .. } => match self.backups.get(backup) {
                Some(b) => format!("backup {} of {} of {}", b.name, b.created_at, self.instance_name(&b.volume_instance_id)),
                None => format!("backup {backup}"),
            },
            Target::CustomDomain { id, .. } => {
                format!("custom domain {}", self.custom_domains.get(id).map(|d| d.domain.as_str()).unwrap_or(id))
            }
            Target::ServiceDomain { id } => {
                format!("service domain {}", self.service_domains.get(id).map(|d| d.domain.as_str()).unwrap_or(id))
            }
            Target::Variables { project: p, environment, service } => {
                let service = service.as_ref().and_then(|s| self.services.get(s)).map(|s| format!(" of service {}", s.name));
                format!("variables of {}/{}{}", project(p), self.environment_name(environment), service.unwrap_or_default())
            }
            Target::ProjectToken { id } | Target::ApiToken { id } => {
                format!("token `{}`", self.tokens.get(id).map(|t| t.name.as_str()).unwrap_or(id))
            }
            Target::User { id } => format!("user {}", self.users.get(id).map(|u| u.name.as_str()).unwrap_or(id)),
            Target::Together { primary, .. } => return self.describe_target(primary),
        })
    }

    /// A volume instance's human name: `project/volume (environment)`.
    pub fn instance_name(&self, id: &str) -> String {
        match self.instances.get(id) {
            Some(i) => format!("{} ({})", self.volume_label(&i.volume_id), self.environment_name(&i.environment_id)),
            None => id.to_string(),
        }
    }

    /// A volume's human name, for reports: `project/volume`.
    pub fn volume_label(&self, volume_id: &str) -> String {
        match self.volumes.get(volume_id) {
            Some(v) => {
                let p = self.projects.get(&v.project_id).map(|p| p.name.as_str()).unwrap_or("?");
                format!("{p}/{}", v.name)
            }
            None => volume_id.to_string(),
        }
    }

    pub fn environment_name(&self, id: &str) -> String {
        self.environments.get(id).map(|e| e.name.clone()).unwrap_or_else(|| id.to_string())
    }
}
