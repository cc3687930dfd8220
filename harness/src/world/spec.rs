//! From a scenario to the provider's seeding format: the profile with its overrides, and the
//! `WorldSpec` of workspaces, projects, volumes, variables, domains and tokens.

use mock_provider::{
    DomainSpec, Profile, ProfileOverrides, ProjectSpec, ScheduleKind, TokenKindSpec, TokenSpec, VariableSpec, VolumeSpec, WorldSpec,
};

use crate::scenario::{self, BackupSchedule, Scenario};

/// The scenario's provider profile with every override applied.
pub fn profile(s: &Scenario) -> Profile {
    let o = &s.provider.overrides;
    s.provider.profile.profile().with(&ProfileOverrides {
        delete_grace: o.delete_grace,
        backups_die_with_volume: o.backups_die_with_volume,
        backups_outlive_volume: o.backups_outlive_volume,
        token_scopes: o.token_scopes,
        deletion_protection: o.deletion_protection,
        project_token_cross_environment_volume_delete: o.project_token_cross_environment_volume_delete,
        manual_backup_limit: o.manual_backup_limit,
        workflow_duration: o.workflow_duration,
        project_delete_grace: None,
        unknown_ids_not_found: o.unknown_ids_not_found,
    })
}

/// The scenario's world in the provider's seeding format.
pub fn world_spec(s: &Scenario) -> WorldSpec {
    let projects = s
        .projects
        .iter()
        .map(|p| ProjectSpec {
            name: p.name.clone(),
            workspace: s.project_workspace(p).unwrap_or_default().to_string(),
            environments: p.environments.clone(),
            protected_environments: p.protected_environments.clone(),
            services: p.services.clone(),
            volumes: p
                .volumes
                .iter()
                .map(|v| VolumeSpec {
                    name: v.name.clone(),
                    service: v.service.clone(),
                    mount_path: v.mount_path.clone(),
                    environments: v.environments.clone(),
                    size_mb: i64::try_from(v.size_mb).unwrap_or(i64::MAX),
                    used_mb: v.used_mb as f64,
                    writes_per_hour: v.writes_per_hour,
                    schedules: v
                        .native_backups
                        .iter()
                        .map(|b| match b {
                            BackupSchedule::Daily => ScheduleKind::Daily,
                            BackupSchedule::Weekly => ScheduleKind::Weekly,
                            BackupSchedule::Monthly => ScheduleKind::Monthly,
                        })
                        .collect(),
                })
                .collect(),
            variables: p
                .variables
                .iter()
                .map(|v| VariableSpec {
                    environment: v.environment.clone(),
                    service: v.service.clone(),
                    name: v.name.clone(),
                    value: v.value.clone(),
                })
                .collect(),
            domains: p
                .domains
                .iter()
                .map(|d| DomainSpec { service: d.service.clone(), environment: d.environment.clone(), domain: d.domain.clone() })
                .collect(),
        })
        .collect();
    let tokens = s
        .tokens
        .iter()
        .map(|t| TokenSpec {
            name: t.name.clone(),
            kind: match t.kind {
                scenario::TokenKind::Account => TokenKindSpec::Account,
                scenario::TokenKind::Workspace => TokenKindSpec::Workspace,
                scenario::TokenKind::Project => TokenKindSpec::Project,
            },
            workspace: t.workspace.clone(),
            project: t.project.clone(),
            environment: t.environment.clone(),
            scopes: t.scopes.clone(),
        })
        .collect();
    WorldSpec { owner: "owner".into(), workspaces: s.workspaces.iter().map(|w| w.name.clone()).collect(), projects, tokens }
}
