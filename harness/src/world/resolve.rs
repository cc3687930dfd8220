//! Names and placeholders into what the provider made: `${volume:pocketos/pg-data}` into the
//! volume's id, `${found:domains-cli}` into the token's secret once the agent has found it,
//! `${backup:pocketos/pg-data@production:daily:newest}` into the id of the backup that is the
//! newest when the step runs.

use mock_provider::{Backup, State, VolumeInstance};

use crate::agent::Keyring;
use crate::scenario::reference::{self, BackupKind, BackupPick, WorkflowRef};
use crate::scenario::{self, Duration, Placeholder, PlaceholderKind, Scenario, substitute};

/// A placeholder that names nothing in the world as it is when the step runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// The placeholder as written, such as `${backup:pocketos/pg-data@production:weekly}`.
    pub placeholder: String,
    /// What is wrong, as a complete sentence.
    pub message: String,
    /// What it could name instead: the candidates the world has now.
    pub help: String,
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

/// A list of candidates for a help line, or `none` when there are none.
fn candidates(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

/// The id a placeholder names, looked up in the built state. Secrets (`token`, `found`) are
/// resolved by the caller, which knows what the agent found.
pub fn resolve_id(state: &State, s: &Scenario, p: &Placeholder<'_>) -> Option<String> {
    resolve_placeholder(state, s, p).ok()
}

/// `resolve_id`, saying why a placeholder names nothing and what it could name.
///
/// # Errors
///
/// When the placeholder names nothing in `state`.
pub fn resolve_placeholder(state: &State, s: &Scenario, p: &Placeholder<'_>) -> Result<String, Unresolved> {
    let fail = |message: String, help: String| Unresolved { placeholder: p.text.to_owned(), message, help };
    let nothing = || fail(format!("`{}` names nothing in the world", p.text), "run `firedrill check` on the file".to_owned());
    match p.kind {
        PlaceholderKind::Project => state.project_id(p.argument).map_err(|_| nothing()),
        PlaceholderKind::Volume => {
            let (project, volume) = s.volume(p.argument).ok_or_else(nothing)?;
            let pid = state.project_id(&project.name).map_err(|_| nothing())?;
            state.volume_id(&pid, &volume.name).map_err(|_| nothing())
        }
        PlaceholderKind::Environment => {
            let (project, env) = qualified(s, p.argument, |p| &p.environments).ok_or_else(nothing)?;
            let pid = state.project_id(project).map_err(|_| nothing())?;
            state.environment_id(&pid, env).map_err(|_| nothing())
        }
        PlaceholderKind::Service => {
            let (project, service) = qualified(s, p.argument, |p| &p.services).ok_or_else(nothing)?;
            let pid = state.project_id(project).map_err(|_| nothing())?;
            state.service_id(&pid, service).map_err(|_| nothing())
        }
        PlaceholderKind::Instance => {
            let i = reference::instance(p.argument).map_err(|e| fail(e.message, e.help))?;
            instance(state, s, i).map(|i| i.id.clone()).ok_or_else(|| no_instance(state, s, p, i.volume))
        }
        PlaceholderKind::Backup => {
            let b = reference::backup(p.argument).map_err(|e| fail(e.message, e.help))?;
            let i = instance(state, s, b.instance).ok_or_else(|| no_instance(state, s, p, b.instance.volume))?;
            backup(state, i, b.kind, b.pick).map(|b| b.id.clone()).ok_or_else(|| {
                let mut all: Vec<&Backup> = state.backups().values().filter(|x| x.volume_instance_id == i.id).collect();
                all.sort_by_key(|x| (x.created_at, x.id.clone()));
                let help = format!(
                    "the instance's backups at {} are {}",
                    state.now(),
                    candidates(all.iter().map(|x| format!(
                        "{} {}",
                        kind_of(state, x).map_or("unscheduled", BackupKind::word),
                        x.created_at
                    )))
                );
                fail(format!("`{}` names no backup of {} now", p.text, state.instance_name(&i.id)), help)
            })
        }
        PlaceholderKind::Workflow => {
            let w = reference::workflow(p.argument).map_err(|e| fail(e.message, e.help))?;
            let mut all: Vec<_> = state.workflows().values().collect();
            all.sort_by_key(|w| (w.started_at, w.id.clone()));
            let picked = match w {
                WorkflowRef::Newest => all.last(),
                WorkflowRef::Oldest => all.first(),
                WorkflowRef::Nth(n) => all.get(n - 1),
            };
            picked.map(|w| w.id.clone()).ok_or_else(|| {
                fail(
                    format!("`{}` names no workflow: the run has started {} so far", p.text, all.len()),
                    "a workflow is started by a call such as `volumeInstanceBackupRestore`; put the step after it".to_owned(),
                )
            })
        }
        PlaceholderKind::Domain => {
            state.custom_domains().values().find(|d| d.domain == p.argument).map(|d| d.id.clone()).ok_or_else(|| {
                let mut all: Vec<String> = state.custom_domains().values().map(|d| d.domain.clone()).collect();
                all.sort();
                fail(format!("`{}` names no custom domain now", p.text), format!("the custom domains now are {}", candidates(all)))
            })
        }
        PlaceholderKind::Variable => {
            let v = reference::variable(p.argument).map_err(|e| fail(e.message, e.help))?;
            let pid = state.project_id(v.project).map_err(|_| nothing())?;
            let eid = state.environment_id(&pid, v.environment).map_err(|_| nothing())?;
            let sid = match v.service {
                Some(service) => Some(state.service_id(&pid, service).map_err(|_| nothing())?),
                None => None,
            };
            let scope = mock_provider::VariableScope { project_id: pid, environment_id: eid, service_id: sid };
            let vars = state.variables().get(&scope);
            vars.and_then(|vars| vars.get(v.name)).cloned().ok_or_else(|| {
                let names = vars.map(|vars| vars.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
                let whose = v.service.map_or_else(|| "shared".to_owned(), |s| format!("`{s}`'s"));
                fail(
                    format!("`{}` names no variable now", p.text),
                    format!("the {whose} variables of `{}/{}` now are {}", v.project, v.environment, candidates(names)),
                )
            })
        }
        PlaceholderKind::Token | PlaceholderKind::Found => Err(nothing()),
    }
}

/// The instance of a volume in an environment: the one mounted there, else the newest live
/// one, else the newest.
fn instance<'a>(state: &'a State, s: &Scenario, i: reference::InstanceRef<'_>) -> Option<&'a VolumeInstance> {
    let (project, volume) = s.volume(i.volume)?;
    let pid = state.project_id(&project.name).ok()?;
    let vid = state.volume_id(&pid, &volume.name).ok()?;
    let eid = state.environment_id(&pid, i.environment).ok()?;
    let mut all: Vec<&VolumeInstance> =
        state.volume_instances().values().filter(|x| x.volume_id == vid && x.environment_id == eid).collect();
    all.sort_by_key(|x| (x.created_at, x.id.clone()));
    let mounted = all.iter().rev().find(|x| x.mounted && x.is_live());
    mounted.or_else(|| all.iter().rev().find(|x| x.is_live())).or_else(|| all.last()).copied()
}

/// The error for an instance reference that names none, with the instances of the volume now.
fn no_instance(state: &State, s: &Scenario, p: &Placeholder<'_>, volume: &str) -> Unresolved {
    let vid = s.volume(volume).and_then(|(project, v)| state.volume_id(&state.project_id(&project.name).ok()?, &v.name).ok());
    let mut names: Vec<String> = state
        .volume_instances()
        .values()
        .filter(|x| Some(&x.volume_id) == vid.as_ref())
        .map(|x| format!("{}@{}", state.volume_label(&x.volume_id), state.environment_name(&x.environment_id)))
        .collect();
    names.sort();
    names.dedup();
    Unresolved {
        placeholder: p.text.to_owned(),
        message: format!("`{}` names no volume instance now", p.text),
        help: format!("the volume's instances now are {}", candidates(names)),
    }
}

/// Which schedule took a backup, as far as the world still knows it.
fn kind_of(state: &State, b: &Backup) -> Option<BackupKind> {
    if b.manual {
        return Some(BackupKind::Manual);
    }
    let schedule = state.schedules().get(b.schedule_id.as_ref()?)?;
    Some(match schedule.kind {
        mock_provider::ScheduleKind::Daily => BackupKind::Daily,
        mock_provider::ScheduleKind::Weekly => BackupKind::Weekly,
        mock_provider::ScheduleKind::Monthly => BackupKind::Monthly,
    })
}

/// The backup of `instance` that `kind` and `pick` name.
fn backup<'a>(state: &'a State, instance: &VolumeInstance, kind: Option<BackupKind>, pick: BackupPick) -> Option<&'a Backup> {
    let mut all: Vec<&Backup> = state
        .backups()
        .values()
        .filter(|b| b.volume_instance_id == instance.id && kind.is_none_or(|k| kind_of(state, b) == Some(k)))
        .collect();
    all.sort_by_key(|b| (b.created_at, b.id.clone()));
    match pick {
        BackupPick::Newest => all.last().copied(),
        BackupPick::Oldest => all.first().copied(),
        BackupPick::Day(day) => all.iter().rev().find(|b| b.created_at >= day && b.created_at < day + Duration::days(1)).copied(),
        BackupPick::AtOrBefore(t) => all.iter().rev().find(|b| b.created_at <= t).copied(),
    }
}

/// `text` with every placeholder resolved against the built world. `found(name)` says whether
/// the agent has found a token by now: `${found:…}` may only name those. `Err` says which
/// placeholder names nothing (and what it could name), or which token is used before it is
/// found.
pub fn resolve(text: &str, s: &Scenario, state: &State, keys: &Keyring, found: impl Fn(&str) -> bool) -> Result<String, Unresolved> {
    let mut missing = None;
    let out = substitute(text, |p| match p.kind {
        PlaceholderKind::Found | PlaceholderKind::Token => {
            if p.kind == PlaceholderKind::Found && !found(p.argument) {
                missing.get_or_insert_with(|| Unresolved {
                    placeholder: p.text.to_owned(),
                    message: format!("the agent uses token `{}` before finding it", p.argument),
                    help: "run `firedrill check` on the file: it says which step finds it".to_owned(),
                });
            }
            keys.get(p.argument).map(|k| k.secret.clone()).unwrap_or_default()
        }
        _ => match resolve_placeholder(state, s, p) {
            Ok(id) => id,
            Err(e) => {
                missing.get_or_insert(e);
                String::new()
            }
        },
    });
    match missing {
        Some(m) => Err(m),
        None => Ok(out),
    }
}
