//! Workspaces, projects, environments, services, domains, variables and tokens: creation and
//! the cascades of their deletion.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, Change, State};
use crate::model::*;
use crate::ops::ResourceKind;
use crate::time::Instant;

impl State {
    pub(crate) fn insert_user(&mut self, name: &str, email: &str) -> Id {
        let id = self.ids.uuid();
        let now = self.now;
        self.users
            .insert(id.clone(), User { id: id.clone(), name: name.into(), email: email.into(), workspaces: Vec::new(), created_at: now });
        id
    }

    pub(crate) fn insert_workspace(&mut self, name: &str, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.workspaces.insert(id.clone(), Workspace { id: id.clone(), name: name.into(), created_at });
        id
    }

    pub(crate) fn insert_project(&mut self, workspace_id: &str, name: &str, description: Option<String>, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.projects.insert(
            id.clone(),
            Project {
                id: id.clone(),
                name: name.into(),
                description,
                workspace_id: workspace_id.into(),
                created_at,
                updated_at: created_at,
                delete_scheduled_for: None,
                delete_scheduled_by: None,
            },
        );
        id
    }

    pub(crate) fn insert_environment(&mut self, project_id: &str, name: &str, protected: bool, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.environments
            .insert(id.clone(), Environment { id: id.clone(), project_id: project_id.into(), name: name.into(), created_at, protected });
        id
    }

    pub(crate) fn insert_service(&mut self, project_id: &str, name: &str, created_at: Instant) -> Id {
        let id = self.ids.uuid();
        self.services.insert(id.clone(), Service { id: id.clone(), project_id: project_id.into(), name: name.into(), created_at });
        id
    }

    pub(crate) fn insert_token(&mut self, name: &str, kind: TokenKind, scopes: Option<BTreeSet<String>>, created_by: Option<Id>) -> Token {
        let id = self.ids.uuid();
        let secret = self.ids.secret();
        let token = Token { id: id.clone(), name: name.into(), kind, secret: secret.clone(), created_at: self.now, scopes, created_by };
        self.token_by_secret.insert(secret, id.clone());
        self.tokens.insert(id, token.clone());
        token
    }

    pub(crate) fn insert_custom_domain(
        &mut self,
        domain: &str,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
        target_port: Option<i32>,
    ) -> Id {
        let id = self.ids.uuid();
        let now = self.now;
        let verification_token = format!("railway-verify={}", &self.ids.uuid()[..18]);
        self.custom_domains.insert(
            id.clone(),
            CustomDomain {
                id: id.clone(),
                domain: domain.into(),
                project_id: project_id.into(),
                environment_id: environment_id.into(),
                service_id: service_id.into(),
                target_port,
                created_at: now,
                updated_at: now,
                verification_token,
            },
        );
        id
    }

    pub(crate) fn insert_service_domain(
        &mut self,
        project_id: &str,
        environment_id: &str,
        service_id: &str,
        target_port: Option<i32>,
    ) -> Id {
        let id = self.ids.uuid();
        let service = self.services.get(service_id).map(|s| s.name.clone()).unwrap_or_default();
        let env = self.environment_name(environment_id);
        let domain = format!("{service}-{env}-{}.up.railway.app", &id[..4]);
        let now = self.now;
        self.service_domains.insert(
            id.clone(),
            ServiceDomain {
                id: id.clone(),
                domain,
                project_id: project_id.into(),
                environment_id: environment_id.into(),
                service_id: service_id.into(),
                target_port,
                created_at: now,
            },
        );
        id
    }

    pub(crate) fn set_variables(&mut self, scope: VariableScope, vars: BTreeMap<String, String>, replace: bool) -> Vec<String> {
        let entry = self.variables.entry(scope).or_default();
        let removed: Vec<String> = if replace { entry.keys().filter(|k| !vars.contains_key(*k)).cloned().collect() } else { Vec::new() };
        if replace {
            entry.clear();
        }
        entry.extend(vars);
        removed
    }

    /// Deletes a service in one environment, or in all of them: its volume instances (under
    /// the volume regime), domains and variables there; the service itself when it is gone
    /// everywhere.
    pub(crate) fn delete_service(&mut self, id: &str, environment: Option<&str>) -> Vec<Change> {
        let mut changes = Vec::new();
        let in_env = |env: &str| environment.is_none_or(|e| e == env);
        let instances: Vec<Id> = self
            .instances
            .values()
            .filter(|i| i.service_id.as_deref() == Some(id) && i.is_live() && in_env(&i.environment_id))
            .map(|i| i.id.clone())
            .collect();
        for i in instances {
            changes.extend(self.delete_instance(&i, false));
        }
        self.custom_domains.retain(|_, d| !(d.service_id == id && in_env(&d.environment_id)));
        self.service_domains.retain(|_, d| !(d.service_id == id && in_env(&d.environment_id)));
        self.variables.retain(|k, _| !(k.service_id.as_deref() == Some(id) && in_env(&k.environment_id)));
        if environment.is_none()
            && let Some(s) = self.services.remove(id)
        {
            changes.push(Change::new(Action::Deleted, ResourceKind::Service, id, s.name));
        }
        changes
    }

    /// Deletes an environment and everything in it. Volume instances follow the volume regime;
    /// when a soft-deleted instance is purged later its environment is already gone.
    pub(crate) fn delete_environment(&mut self, id: &str, force: bool) -> Vec<Change> {
        let mut changes = Vec::new();
        let instances: Vec<Id> = self.instances.values().filter(|i| i.environment_id == id && i.is_live()).map(|i| i.id.clone()).collect();
        for i in instances {
            changes.extend(self.delete_instance(&i, force));
        }
        self.custom_domains.retain(|_, d| d.environment_id != id);
        self.service_domains.retain(|_, d| d.environment_id != id);
        self.variables.retain(|k, _| k.environment_id != id);
        let tokens: Vec<Id> = self
            .tokens
            .values()
            .filter(|t| matches!(&t.kind, TokenKind::Project { environment_id, .. } if environment_id == id))
            .map(|t| t.id.clone())
            .collect();
        for t in tokens {
            changes.extend(self.delete_token(&t));
        }
        if let Some(e) = self.environments.remove(id) {
            changes.push(Change::new(Action::Deleted, ResourceKind::Environment, id, e.name));
        }
        changes
    }

    /// Deletes a project at once: every environment (volumes hard-deleted, backups per the
    /// profile), service and volume record.
    pub(crate) fn delete_project_now(&mut self, id: &str) -> Vec<Change> {
        let mut changes = Vec::new();
        let envs: Vec<Id> = self.environments.values().filter(|e| e.project_id == id).map(|e| e.id.clone()).collect();
        for e in envs {
            changes.extend(self.delete_environment(&e, true));
        }
        let services: Vec<Id> = self.services.values().filter(|s| s.project_id == id).map(|s| s.id.clone()).collect();
        for s in services {
            changes.extend(self.delete_service(&s, None));
        }
        let now = self.now;
        for v in self.volumes.values_mut().filter(|v| v.project_id == id) {
            v.deleted_at.get_or_insert(now);
        }
        if let Some(p) = self.projects.remove(id) {
            changes.push(Change::new(Action::Deleted, ResourceKind::Project, id, p.name));
        }
        changes
    }

    pub(crate) fn delete_workspace(&mut self, id: &str) -> Vec<Change> {
        let mut changes = Vec::new();
        let projects: Vec<Id> = self.projects.values().filter(|p| p.workspace_id == id).map(|p| p.id.clone()).collect();
        for p in projects {
            changes.extend(self.delete_project_now(&p));
        }
        let tokens: Vec<Id> = self
            .tokens
            .values()
            .filter(|t| matches!(&t.kind, TokenKind::Workspace { workspace_id } if workspace_id == id))
            .map(|t| t.id.clone())
            .collect();
        for t in tokens {
            changes.extend(self.delete_token(&t));
        }
        for u in self.users.values_mut() {
            u.workspaces.retain(|w| w != id);
        }
        if let Some(w) = self.workspaces.remove(id) {
            changes.push(Change::new(Action::Deleted, ResourceKind::Workspace, id, w.name));
        }
        changes
    }

    pub(crate) fn delete_token(&mut self, id: &str) -> Vec<Change> {
        match self.tokens.remove(id) {
            Some(t) => {
                self.token_by_secret.remove(&t.secret);
                let kind = if matches!(t.kind, TokenKind::Project { .. }) { ResourceKind::ProjectToken } else { ResourceKind::ApiToken };
                vec![Change::new(Action::Deleted, kind, id, t.name)]
            }
            None => Vec::new(),
        }
    }
}
