//! From a scenario to a provider world: the profile with its overrides, the `WorldSpec`, and
//! the resolution of names and placeholders into the ids the provider made.

use mock_provider::time::{Duration as PDuration, Instant as PInstant};
use mock_provider::{
    DomainSpec, Profile, ProfileOverrides, ProjectSpec, ScheduleKind, State, TokenKindSpec, TokenSpec, VariableSpec, VolumeSpec, WorldSpec,
};

use crate::scenario::{self, BackupSchedule, Placeholder, PlaceholderKind, Scenario};

pub(crate) fn instant(i: scenario::Instant) -> PInstant {
    PInstant(i.unix_seconds)
}
pub(crate) fn duration(d: scenario::Duration) -> PDuration {
    PDuration(d.seconds)
}

/// The scenario's provider profile with every override applied.
pub fn profile(s: &Scenario) -> Profile {
    let base = match s.provider.profile {
        scenario::Profile::Railway202604 => Profile::railway_2026_04(),
        scenario::Profile::Railway => Profile::railway(),
        scenario::Profile::Hardened => Profile::hardened(),
    };
    let o = &s.provider.overrides;
    base.with(&ProfileOverrides {
        delete_grace: o.delete_grace.map(duration),
        backups_die_with_volume: o.backups_die_with_volume,
        backups_outlive_volume: o.backups_outlive_volume.map(duration),
        token_scopes: o.token_scopes,
        deletion_protection: o.deletion_protection,
        project_token_cross_environment_volume_delete: o.project_token_cross_environment_volume_delete,
        manual_backup_limit: o.manual_backup_limit,
        workflow_duration: o.workflow_duration.map(duration),
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

/// Splits `project/name`, or finds the one project that has `name` among `items(project)`.
fn qualified<'a>(s: &'a Scenario, reference: &'a str, items: impl Fn(&'a scenario::Project) -> &'a [String]) -> Option<(&'a str, &'a str)> {
    if let Some((p, n)) = reference.split_once('/') {
        return Some((p, n));
    }
    let mut hits = s.projects.iter().filter(|p| items(p).iter().any(|x| x == reference));
    let first = hits.next()?;
    hits.next().is_none().then_some((first.name.as_str(), reference))
}

/// The id a placeholder names, looked up in the built state. Secrets (`token`, `found`) are
/// resolved by the caller, which knows what the agent found.
pub fn resolve_id(state: &State, s: &Scenario, p: &Placeholder<'_>) -> Option<String> {
    match p.kind {
        PlaceholderKind::Project => state.project_id(p.argument).ok(),
        PlaceholderKind::Volume => {
            let (project, volume) = s.volume(p.argument)?;
            let pid = state.project_id(&project.name).ok()?;
            state.volume_id(&pid, &volume.name).ok()
        }
        PlaceholderKind::Environment => {
            let (project, env) = qualified(s, p.argument, |p| &p.environments)?;
            let pid = state.project_id(project).ok()?;
            state.environment_id(&pid, env).ok()
        }
        PlaceholderKind::Service => {
            let (project, service) = qualified(s, p.argument, |p| &p.services)?;
            let pid = state.project_id(project).ok()?;
            state.service_id(&pid, service).ok()
        }
        PlaceholderKind::Token | PlaceholderKind::Found => None,
    }
}

/// Volume reference in its canonical `project/volume` form.
pub fn volume_ref(s: &Scenario, reference: &str) -> String {
    match s.volume(reference) {
        Some((p, v)) => format!("{}/{}", p.name, v.name),
        None => reference.to_string(),
    }
}
