//! Read helpers for the GraphQL layer: what a principal reaches, and the children of a
//! resource in a stable order. Pure reads; authorization of the root field happened already.

use std::collections::BTreeMap;

use super::{State, Target};
use crate::auth::{Principal, Reach};
use crate::model::*;

impl State {
    /// The workspaces a principal reaches: an account's memberships, a workspace token's
    /// workspace, a project token's project's workspace.
    pub(crate) fn reached_workspaces(&self, who: &Principal) -> Vec<&Workspace> {
        match &who.reach {
            Reach::Anonymous => Vec::new(),
            Reach::Account { workspaces, .. } => self.workspaces.values().filter(|w| workspaces.contains(&w.id)).collect(),
            Reach::Workspace { workspace_id } => self.workspaces.get(workspace_id).into_iter().collect(),
            Reach::Project { project_id, .. } => {
                self.projects.get(project_id).and_then(|p| self.workspaces.get(&p.workspace_id)).into_iter().collect()
            }
        }
    }

    /// The projects a principal reaches, optionally only those of one workspace.
    pub(crate) fn reached_projects(&self, who: &Principal, workspace_id: Option<&str>) -> Vec<&Project> {
        let in_workspace = |p: &&Project| workspace_id.is_none_or(|w| p.workspace_id == w);
        match &who.reach {
            Reach::Project { project_id, .. } => self.projects.get(project_id).into_iter().filter(in_workspace).collect(),
            _ => {
                let reached: Vec<&Id> = self.reached_workspaces(who).into_iter().map(|w| &w.id).collect();
                self.projects.values().filter(|p| reached.contains(&&p.workspace_id)).filter(in_workspace).collect()
            }
        }
    }

    /// What `projects(workspaceId:)` is aimed at. A project token lists its own project whatever
    /// it names, so its listing is a global read filtered afterwards.
    pub(crate) fn projects_target(who: &Principal, workspace_id: Option<&str>, user_id: Option<&str>) -> Target {
        let user = user_id.map(|id| Target::User { id: id.to_string() });
        let workspace = workspace_id.map(|id| Target::Workspace { id: id.to_string() });
        match (&who.reach, workspace) {
            // A project token lists its own project, wherever it says to look; what it names must
            // still exist.
            (Reach::Project { .. }, workspace) => Target::together(Target::Global, [workspace, user]),
            (_, None) => Target::together(Target::Global, [user]),
            (_, Some(w)) => Target::together(w, [user]),
        }
    }

    /// Whether nested fields may show what lives in `environment_id`: a project token sees only
    /// its own environment (Railway's `canAccess`); other tokens were checked at the root.
    pub(crate) fn can_access_environment(&self, who: &Principal, environment_id: &str) -> bool {
        match &who.reach {
            Reach::Project { environment_id: own, .. } => own == environment_id,
            Reach::Anonymous => false,
            _ => true,
        }
    }

    pub(crate) fn environments_of(&self, project_id: &str) -> Vec<&Environment> {
        self.environments.values().filter(|e| e.project_id == project_id).collect()
    }

    pub(crate) fn services_of(&self, project_id: &str) -> Vec<&Service> {
        self.services.values().filter(|s| s.project_id == project_id).collect()
    }

    /// Volumes not yet gone for good.
    pub(crate) fn volumes_of(&self, project_id: &str) -> Vec<&Volume> {
        self.volumes.values().filter(|v| v.project_id == project_id && v.deleted_at.is_none()).collect()
    }

    /// Instances of a volume that are not deleted (pending deletion and unmounted ones included,
    /// as Railway lists them).
    pub(crate) fn instances_of_volume(&self, volume_id: &str) -> Vec<&VolumeInstance> {
        self.instances.values().filter(|i| i.volume_id == volume_id && !i.is_deleted()).collect()
    }

    pub(crate) fn instances_in_environment(&self, environment_id: &str) -> Vec<&VolumeInstance> {
        self.instances.values().filter(|i| i.environment_id == environment_id && !i.is_deleted()).collect()
    }

    /// Backups of an instance, newest first, as Railway's dashboard lists them.
    pub(crate) fn backups_of(&self, instance_id: &str) -> Vec<&Backup> {
        let mut v: Vec<&Backup> = self.backups.values().filter(|b| b.volume_instance_id == instance_id).collect();
        v.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| a.id.cmp(&b.id)));
        v
    }

    pub(crate) fn schedules_of(&self, instance_id: &str) -> Vec<&Schedule> {
        self.schedules.values().filter(|s| s.volume_instance_id == instance_id).collect()
    }

    pub(crate) fn custom_domains_of(&self, service_id: &str, environment_id: &str) -> Vec<&CustomDomain> {
        self.custom_domains.values().filter(|d| d.service_id == service_id && d.environment_id == environment_id).collect()
    }

    pub(crate) fn service_domains_of(&self, service_id: &str, environment_id: &str) -> Vec<&ServiceDomain> {
        self.service_domains.values().filter(|d| d.service_id == service_id && d.environment_id == environment_id).collect()
    }

    pub(crate) fn project_tokens_of(&self, project_id: &str) -> Vec<&Token> {
        self.tokens.values().filter(|t| matches!(&t.kind, TokenKind::Project { project_id: p, .. } if p == project_id)).collect()
    }

    /// The API tokens of an account, oldest first: its own account tokens and the workspace
    /// tokens of its workspaces (the mock records no creator for a workspace token, and a
    /// workspace token is its workspace's, whoever made it).
    pub(crate) fn api_tokens_of(&self, user_id: &str, workspaces: &[Id]) -> Vec<&Token> {
        let mut tokens: Vec<&Token> = self
            .tokens
            .values()
            .filter(|t| match &t.kind {
                TokenKind::Account { user_id: u } => u == user_id,
                TokenKind::Workspace { workspace_id } => workspaces.contains(workspace_id),
                TokenKind::Project { .. } => false,
            })
            .collect();
        tokens.sort_by(|a, b| (a.created_at, &a.name).cmp(&(b.created_at, &b.name)));
        tokens
    }

    /// Variables as a service sees them: the environment's shared variables, overridden by the
    /// service's own when `service_id` is given.
    pub(crate) fn merged_variables(&self, project_id: &str, environment_id: &str, service_id: Option<&str>) -> BTreeMap<String, String> {
        let scope = |service: Option<&str>| VariableScope {
            project_id: project_id.to_string(),
            environment_id: environment_id.to_string(),
            service_id: service.map(str::to_string),
        };
        let mut vars = self.variables.get(&scope(None)).cloned().unwrap_or_default();
        if let Some(s) = service_id
            && let Some(own) = self.variables.get(&scope(Some(s)))
        {
            vars.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        vars
    }

    /// When the next scheduled provider backup of a live, mounted instance runs, if any.
    pub fn next_scheduled_backup(&self) -> Option<crate::time::Instant> {
        self.schedules
            .values()
            .filter(|s| self.instances.get(&s.volume_instance_id).is_some_and(|i| i.is_live() && i.mounted))
            .map(|s| s.next_run_at)
            .min()
    }

    /// When the next soft-deleted volume instance is purged, if any is pending.
    pub fn next_purge_at(&self) -> Option<crate::time::Instant> {
        self.instances.values().filter(|i| i.pending_deletion).filter_map(|i| i.deleted_at).min()
    }

    /// When the workflow started last completes, if it is still running.
    pub fn last_workflow_completion(&self) -> Option<crate::time::Instant> {
        self.workflows
            .values()
            .filter(|w| w.status == crate::model::WorkflowStatus::Running)
            .max_by_key(|w| (w.started_at, w.id.clone()))
            .map(|w| w.completes_at)
    }
}
