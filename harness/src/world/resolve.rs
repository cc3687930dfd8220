//! Names and placeholders into what the provider made: `${volume:pocketos/pg-data}` into the
//! volume's id, `${found:domains-cli}` into the token's secret once the agent has found it.

use mock_provider::State;

use crate::agent::Keyring;
use crate::scenario::{self, Placeholder, PlaceholderKind, Scenario, substitute};

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

/// `text` with every placeholder resolved against the built world. `found(name)` says whether
/// the agent has found a token by now: `${found:…}` may only name those. `Err` says which
/// placeholder names nothing, or which token is used before it is found.
pub fn resolve(text: &str, s: &Scenario, state: &State, keys: &Keyring, found: impl Fn(&str) -> bool) -> Result<String, String> {
    let mut missing = None;
    let out = substitute(text, |p| match p.kind {
        PlaceholderKind::Found | PlaceholderKind::Token => {
            if p.kind == PlaceholderKind::Found && !found(p.argument) {
                missing.get_or_insert_with(|| format!("the agent uses token `{}` before finding it", p.argument));
            }
            keys.get(p.argument).map(|k| k.secret.clone()).unwrap_or_default()
        }
        _ => match resolve_id(state, s, p) {
            Some(id) => id,
            None => {
                missing.get_or_insert_with(|| format!("`{}` names nothing in the world", p.text));
                String::new()
            }
        },
    });
    match missing {
        Some(m) => Err(m),
        None => Ok(out),
    }
}
