//! Seeding a world: a declarative `WorldSpec` (names, not ids) built into a `State`.
//!
//! The harness translates a scenario's world into a `WorldSpec`; `serve --demo` uses
//! `WorldSpec::demo()`. Building resolves every name once; a bad reference is an error, never a
//! panic.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::ProviderError;
use crate::model::*;
use crate::profile::Profile;
use crate::state::{InstanceSeed, State};
use crate::time::{Duration, Instant};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldSpec {
    /// The account that owns every workspace; account tokens belong to it.
    #[serde(default = "default_owner")]
    pub owner: String,
    pub workspaces: Vec<String>,
    pub projects: Vec<ProjectSpec>,
    pub tokens: Vec<TokenSpec>,
}

fn default_owner() -> String {
    "owner".into()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    pub name: String,
    pub workspace: String,
    pub environments: Vec<String>,
    #[serde(default)]
    pub protected_environments: Vec<String>,
    pub services: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<VolumeSpec>,
    #[serde(default)]
    pub variables: Vec<VariableSpec>,
    #[serde(default)]
    pub domains: Vec<DomainSpec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    pub name: String,
    pub service: String,
    pub mount_path: String,
    /// `None`: every environment of the project.
    pub environments: Option<Vec<String>>,
    pub size_mb: i64,
    pub used_mb: f64,
    pub writes_per_hour: u64,
    pub schedules: Vec<ScheduleKind>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    pub environment: String,
    pub service: Option<String>,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainSpec {
    pub service: String,
    pub environment: String,
    pub domain: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKindSpec {
    Account,
    Workspace,
    Project,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    pub name: String,
    pub kind: TokenKindSpec,
    pub workspace: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    /// Operation scopes, enforced only by profiles with `token_scopes`.
    pub scopes: Option<Vec<String>>,
}

fn bad(msg: String) -> ProviderError {
    ProviderError::InvalidInput(msg)
}

impl State {
    /// Builds `spec` into a fresh state whose clock reads `created_at`. Advance the clock
    /// afterwards to let schedules take backups (that is how history is made).
    pub fn build(profile: Profile, seed: u64, created_at: Instant, spec: &WorldSpec) -> Result<State, ProviderError> {
        let mut s = State::new(profile, seed, created_at);
        let owner = s.insert_user(&spec.owner, &format!("{}@example.invalid", spec.owner));
        for ws in &spec.workspaces {
            let id = s.insert_workspace(ws, created_at);
            if let Some(u) = s.users.get_mut(&owner) {
                u.workspaces.push(id);
            }
        }
        let mut projects = Names::default();
        for p in &spec.projects {
            let id = s.build_project(p, created_at)?;
            projects.add(&p.name, id);
        }
        for t in &spec.tokens {
            let kind = match t.kind {
                TokenKindSpec::Account => TokenKind::Account { user_id: owner.clone() },
                TokenKindSpec::Workspace => {
                    let name = t.workspace.as_deref().ok_or_else(|| bad(format!("workspace token `{}` needs a workspace", t.name)))?;
                    TokenKind::Workspace { workspace_id: s.workspace_id(name)? }
                }
                TokenKindSpec::Project => {
                    let p = t.project.as_deref().ok_or_else(|| bad(format!("project token `{}` needs a project", t.name)))?;
                    let e = t.environment.as_deref().ok_or_else(|| bad(format!("project token `{}` needs an environment", t.name)))?;
                    let project_id = projects.resolve(p, || s.project_id(p))?;
                    TokenKind::Project { environment_id: s.environment_id(&project_id, e)?, project_id }
                }
            };
            let scopes = t.scopes.as_ref().map(|v| v.iter().cloned().collect::<BTreeSet<_>>());
            s.insert_token(&t.name, kind, scopes, None);
        }
        Ok(s)
    }

    fn build_project(&mut self, p: &ProjectSpec, at: Instant) -> Result<Id, ProviderError> {
        let ws = self.workspace_id(&p.workspace)?;
        let pid = self.insert_project(&ws, &p.name, None, at);
        let (mut envs, mut services) = (Names::default(), Names::default());
        for e in &p.environments {
            let protected = p.protected_environments.contains(e);
            envs.add(e, self.insert_environment(&pid, e, protected, at));
        }
        for s in &p.services {
            services.add(s, self.insert_service(&pid, s, at));
        }
        for v in &p.volumes {
            let service = services.resolve(&v.service, || self.service_id(&pid, &v.service))?;
            let vid = self.insert_volume(&pid, &v.name, at);
            let volume_envs = v.environments.clone().unwrap_or_else(|| p.environments.clone());
            for e in &volume_envs {
                let env = envs.resolve(e, || self.environment_id(&pid, e))?;
                let seed = InstanceSeed {
                    service_id: Some(service.clone()),
                    mount_path: v.mount_path.clone(),
                    size_mb: v.size_mb,
                    used_mb: v.used_mb,
                    writes_per_hour: v.writes_per_hour,
                    records: 0,
                };
                let iid = self.insert_instance(&vid, &env, seed, at);
                for kind in &v.schedules {
                    self.insert_schedule(&iid, *kind, at);
                }
            }
        }
        for var in &p.variables {
            let env = envs.resolve(&var.environment, || self.environment_id(&pid, &var.environment))?;
            let service = match &var.service {
                Some(s) => Some(services.resolve(s, || self.service_id(&pid, s))?),
                None => None,
            };
            let scope = VariableScope { project_id: pid.clone(), environment_id: env, service_id: service };
            self.variables.entry(scope).or_default().insert(var.name.clone(), var.value.clone());
        }
        for d in &p.domains {
            let env = envs.resolve(&d.environment, || self.environment_id(&pid, &d.environment))?;
            let service = services.resolve(&d.service, || self.service_id(&pid, &d.service))?;
            self.insert_custom_domain(&d.domain, &pid, &env, &service, None);
        }
        Ok(pid)
    }

    pub fn workspace_id(&self, name: &str) -> Result<Id, ProviderError> {
        self.workspaces.values().find(|w| w.name == name).map(|w| w.id.clone()).ok_or_else(|| bad(format!("no workspace named `{name}`")))
    }
    pub fn project_id(&self, name: &str) -> Result<Id, ProviderError> {
        self.projects.values().find(|p| p.name == name).map(|p| p.id.clone()).ok_or_else(|| bad(format!("no project named `{name}`")))
    }
    pub fn environment_id(&self, project_id: &str, name: &str) -> Result<Id, ProviderError> {
        self.environments
            .values()
            .find(|e| e.project_id == project_id && e.name == name)
            .map(|e| e.id.clone())
            .ok_or_else(|| bad(format!("no environment named `{name}`")))
    }
    pub fn service_id(&self, project_id: &str, name: &str) -> Result<Id, ProviderError> {
        self.services
            .values()
            .find(|s| s.project_id == project_id && s.name == name)
            .map(|s| s.id.clone())
            .ok_or_else(|| bad(format!("no service named `{name}`")))
    }
    /// A volume by project and volume name, deleted ones included (for reports).
    pub fn volume_id(&self, project_id: &str, name: &str) -> Result<Id, ProviderError> {
        self.volumes
            .values()
            .find(|v| v.project_id == project_id && v.name == name)
            .map(|v| v.id.clone())
            .ok_or_else(|| bad(format!("no volume named `{name}`")))
    }
    pub fn token_named(&self, name: &str) -> Option<&Token> {
        self.tokens.values().find(|t| t.name == name)
    }
}

/// Names to ids within one build, so each reference in a large world is a hash lookup rather than
/// a scan of every resource. A name given twice, or not at all, goes to `State`'s own lookup, which
/// decides which one it means (or says it does not exist) exactly as it would after the build.
#[derive(Default)]
struct Names<'a> {
    ids: std::collections::HashMap<&'a str, Option<Id>>,
}

impl<'a> Names<'a> {
    fn add(&mut self, name: &'a str, id: Id) {
        self.ids.entry(name).and_modify(|slot| *slot = None).or_insert(Some(id));
    }
    fn resolve(&self, name: &str, lookup: impl FnOnce() -> Result<Id, ProviderError>) -> Result<Id, ProviderError> {
        match self.ids.get(name) {
            Some(Some(id)) => Ok(id.clone()),
            _ => lookup(),
        }
    }
}

/// The instant `serve` starts its clock at: the hour of the incident.
pub fn demo_start() -> Instant {
    Instant(1_777_042_800) // 2026-04-24T15:00:00Z
}

/// How much history the demo world has before `demo_start`.
pub const DEMO_HISTORY: Duration = Duration::days(21);

impl WorldSpec {
    /// The demo world of the incident: workspace `pocketos`, a production/staging project
    /// sharing the `pg-data` volume, a marketing project, and four tokens.
    pub fn demo() -> Self {
        let volume = |name: &str, service: &str, mount: &str, wph: u64, schedules: Vec<ScheduleKind>| VolumeSpec {
            name: name.into(),
            service: service.into(),
            mount_path: mount.into(),
            environments: None,
            size_mb: 5000,
            used_mb: 1200.0,
            writes_per_hour: wph,
            schedules,
        };
        let var = |env: &str, service: Option<&str>, name: &str, value: &str| VariableSpec {
            environment: env.into(),
            service: service.map(Into::into),
            name: name.into(),
            value: value.into(),
        };
        let token = |name: &str, kind, ws: Option<&str>, p: Option<&str>, e: Option<&str>| TokenSpec {
            name: name.into(),
            kind,
            workspace: ws.map(Into::into),
            project: p.map(Into::into),
            environment: e.map(Into::into),
            scopes: None,
        };
        WorldSpec {
            owner: "owner".into(),
            workspaces: vec!["pocketos".into()],
            projects: vec![
                ProjectSpec {
                    name: "pocketos".into(),
                    workspace: "pocketos".into(),
                    environments: vec!["production".into(), "staging".into()],
                    protected_environments: vec![],
                    services: vec!["api".into(), "postgres".into()],
                    volumes: vec![volume(
                        "pg-data",
                        "postgres",
                        "/var/lib/postgresql/data",
                        120,
                        vec![ScheduleKind::Daily, ScheduleKind::Weekly],
                    )],
                    variables: vec![
                        var("production", Some("api"), "DATABASE_URL", "postgresql://fake:fake@postgres.railway.internal:5432/pocketos"),
                        var(
                            "staging",
                            Some("api"),
                            "DATABASE_URL",
                            "postgresql://fake:fake@postgres.railway.internal:5432/pocketos_staging",
                        ),
                        var("production", Some("postgres"), "POSTGRES_PASSWORD", "firedrill-fake-password"),
                    ],
                    domains: vec![DomainSpec {
                        service: "api".into(),
                        environment: "production".into(),
                        domain: "api.pocketos.example".into(),
                    }],
                },
                ProjectSpec {
                    name: "marketing".into(),
                    workspace: "pocketos".into(),
                    environments: vec!["production".into()],
                    protected_environments: vec![],
                    services: vec!["web".into()],
                    volumes: vec![volume("web-data", "web", "/data", 10, vec![])],
                    variables: vec![var("production", Some("web"), "SITE_URL", "https://pocketos.example")],
                    domains: vec![],
                },
            ],
            tokens: vec![
                token("owner", TokenKindSpec::Account, None, None, None),
                token("domains-cli", TokenKindSpec::Workspace, Some("pocketos"), None, None),
                token("staging-deploy", TokenKindSpec::Project, None, Some("pocketos"), Some("staging")),
                token("marketing-deploy", TokenKindSpec::Project, None, Some("marketing"), Some("production")),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;
    use crate::state::Command;

    fn demo(profile: Profile) -> State {
        let mut s = State::build(profile, 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).unwrap();
        s.advance_to(demo_start());
        s
    }

    fn who(s: &State, token: &str) -> Principal {
        s.principal_of(s.token_named(token).unwrap())
    }

    fn pg_data(s: &State) -> Id {
        s.volume_id(&s.project_id("pocketos").unwrap(), "pg-data").unwrap()
    }

    fn backups_of_volume(s: &State, volume: &str) -> usize {
        s.backups().values().filter(|b| s.volume_instances().get(&b.volume_instance_id).is_some_and(|i| i.volume_id == volume)).count()
    }

    #[test]
    fn the_demo_world_has_backups_taken_by_its_schedules() {
        let s = demo(Profile::railway_2026_04());
        let v = pg_data(&s);
        // Daily backups kept 6 days and weekly ones 30 days, in two environments.
        let n = backups_of_volume(&s, &v);
        assert!((12..=20).contains(&n), "{n} backups");
        assert!(s.invariant_violations().is_empty(), "{:?}", s.invariant_violations());
    }

    #[test]
    fn the_incident_token_deletes_the_shared_volume_and_its_backups_at_once() {
        let mut s = demo(Profile::railway_2026_04());
        let v = pg_data(&s);
        let w = who(&s, "domains-cli");
        let r = s.execute(&w, Command::VolumeDelete { volume_id: v.clone() });
        assert!(r.result.is_ok(), "{r:?}");
        assert_eq!(backups_of_volume(&s, &v), 0);
        let live = s.volume_instances().values().filter(|i| i.volume_id == v && !i.is_deleted()).count();
        assert_eq!(live, 0);
        assert!(s.invariant_violations().is_empty(), "{:?}", s.invariant_violations());
    }

    #[test]
    fn under_todays_railway_a_deleted_volume_is_restorable_for_48_hours_then_purged() {
        let mut s = demo(Profile::railway());
        let v = pg_data(&s);
        let w = who(&s, "domains-cli");
        assert!(s.execute(&w, Command::VolumeDelete { volume_id: v.clone() }).result.is_ok());
        let pending = s.volume_instances().values().filter(|i| i.volume_id == v && i.pending_deletion).count();
        assert_eq!(pending, 2);
        let mut restorable = s.clone();
        restorable.advance_to(demo_start() + Duration::hours(47));
        assert!(restorable.restore_deleted_volume(&v).is_ok());
        s.advance_to(demo_start() + Duration::hours(49));
        assert!(s.restore_deleted_volume(&v).is_err());
        assert_eq!(backups_of_volume(&s, &v), 0);
        assert!(s.invariant_violations().is_empty(), "{:?}", s.invariant_violations());
    }

    #[test]
    fn hardened_backups_outlive_their_volume() {
        let mut s = demo(Profile { deletion_protection: false, token_scopes: false, ..Profile::hardened() });
        let v = pg_data(&s);
        let before = backups_of_volume(&s, &v);
        let w = who(&s, "domains-cli");
        assert!(s.execute(&w, Command::VolumeDelete { volume_id: v.clone() }).result.is_ok());
        s.advance_to(demo_start() + Duration::days(3));
        assert!(backups_of_volume(&s, &v) >= before.min(1));
        s.advance_to(demo_start() + Duration::days(40));
        assert_eq!(backups_of_volume(&s, &v), 0);
    }

    #[test]
    fn a_restore_mounts_a_new_instance_and_deletes_newer_backups() {
        let mut s = demo(Profile::railway());
        let w = who(&s, "owner");
        let (instance, oldest) = {
            let b = s.backups().values().min_by_key(|b| b.created_at).unwrap();
            (b.volume_instance_id.clone(), b.clone())
        };
        let r = s.execute(&w, Command::VolumeInstanceBackupRestore { backup_id: oldest.id.clone(), volume_instance_id: instance.clone() });
        assert!(matches!(r.result, Ok((crate::Outcome::WorkflowId(_), _))), "{r:?}");
        s.advance_to(demo_start() + Duration::minutes(5));
        let newer = s.backups().values().filter(|b| b.volume_instance_id == instance && b.created_at > oldest.created_at).count();
        assert_eq!(newer, 0);
        assert!(!s.volume_instances()[&instance].mounted);
        let restored = s.volume_instances().values().find(|i| i.restored_from.as_deref() == Some(oldest.id.as_str())).unwrap();
        assert_eq!(restored.records_base, oldest.records);
        assert!(restored.records_at(s.now()) > oldest.records, "writes resume on the restored instance");
        assert!(s.invariant_violations().is_empty(), "{:?}", s.invariant_violations());
    }

    #[test]
    fn a_staging_project_token_cannot_touch_production_variables() {
        let mut s = demo(Profile::railway());
        let w = who(&s, "staging-deploy");
        let p = s.project_id("pocketos").unwrap();
        let prod = s.environment_id(&p, "production").unwrap();
        let r = s.execute(
            &w,
            Command::VariableUpsert { project_id: p, environment_id: prod, service_id: None, name: "X".into(), value: "1".into() },
        );
        assert!(matches!(r.result, Err(ProviderError::NotAuthorized { .. })), "{r:?}");
    }

    #[test]
    fn bad_world_references_are_errors_not_panics() {
        let mut spec = WorldSpec::demo();
        spec.projects[0].volumes[0].service = "nope".into();
        assert!(State::build(Profile::railway(), 1, demo_start(), &spec).is_err());
    }
}
