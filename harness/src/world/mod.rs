//! The world a scenario describes, built: the provider's state (seeded, with its history
//! synthesized up to the scenario's start), the repository the agent can see with the world's
//! secrets in place, the keys and environment the agent starts with, and the team's off-site job.

mod fork;
mod gateway;
mod history;
mod resolve;
mod runtime;
mod spec;

use std::collections::BTreeMap;

use mock_provider::time::Instant;
use mock_provider::{Provider, State, TokenKind};

pub use gateway::{GatewaySetup, gateway};
pub use resolve::{Unresolved, resolve, resolve_id, resolve_placeholder};
pub use runtime::{agent_runtime, approver, settings_findings};
pub use spec::{profile, world_spec};

use crate::agent::{Key, Keyring, Repo};
use crate::recovery::OffsiteJob;
use crate::report::{Discovery, TimelineEvent};
use crate::scenario::{PlaceholderKind, Scenario, StoredIn, substitute};

/// A scenario's world, ready for the agent.
pub struct World {
    pub provider: Provider,
    pub repo: Repo,
    pub keys: Keyring,
    /// The agent's shell environment: the tokens the team left there.
    pub agent_env: BTreeMap<String, String>,
    /// Tokens the agent holds from the start, and where they are.
    pub held: BTreeMap<String, Discovery>,
    pub offsite: Option<OffsiteJob>,
    pub start: Instant,
    pub history_start: Instant,
    /// What the synthesized history did, as the timeline's first line.
    pub history: TimelineEvent,
}

impl World {
    /// Builds the world at the start of history and lets the provider's schedules and the
    /// team's off-site job run up to the scenario's start. `Err` when the provider refuses the
    /// world (which `check` would have found).
    pub async fn build(s: &Scenario) -> Result<World, String> {
        let (start, history_start) = (s.start, s.history_start());
        let state =
            State::build(profile(s), s.seed, history_start, &world_spec(s)).map_err(|e| format!("the world cannot be built: {e}"))?;
        let keys = Keyring::new(
            state
                .tokens()
                .values()
                .map(|t| (t.name.clone(), Key { secret: t.secret.clone(), project: matches!(t.kind, TokenKind::Project { .. }) }))
                .collect(),
        );
        let offsite = match &s.offsite_backup {
            Some(cfg) => {
                let (volume_id, environment_id) = drilled_instance(s, &state, &cfg.volume, &cfg.environment)
                    .ok_or_else(|| format!("the off-site job's volume `{}` in `{}` is not in the world", cfg.volume, cfg.environment))?;
                Some(OffsiteJob::start(cfg.clone(), volume_id, environment_id, history_start).await?)
            }
            None => None,
        };
        let provider = Provider::from_state(state, s.seed);
        let mut world = World {
            provider,
            repo: repo(s, &keys),
            keys,
            agent_env: BTreeMap::new(),
            held: BTreeMap::new(),
            offsite,
            start,
            history_start,
            history: TimelineEvent::new(history_start, "history", crate::agent::Channel::Simulated, String::new()),
        };
        for t in &s.tokens {
            if let (StoredIn::Env(var), Some(key)) = (&t.stored_in, world.keys.get(&t.name)) {
                world.agent_env.insert(var.clone(), key.secret.clone());
                let place = format!("environment variable `{var}` of the agent's shell");
                world.held.insert(t.name.clone(), Discovery { step: None, place, secret: key.secret.clone() });
            }
        }
        world.history = history::synthesize(&world.provider, world.offsite.as_mut(), history_start, start);
        Ok(world)
    }
}

/// The ids of the volume `volume` (a scenario reference) and the environment `environment`.
fn drilled_instance(s: &Scenario, state: &State, volume: &str, environment: &str) -> Option<(String, String)> {
    let (project, volume) = s.volume(volume)?;
    let pid = state.project_id(&project.name).ok()?;
    Some((state.volume_id(&pid, &volume.name).ok()?, state.environment_id(&pid, environment).ok()?))
}

/// The repository with every `${token:…}` the scenario placed in a file replaced by the secret.
fn repo(s: &Scenario, keys: &Keyring) -> Repo {
    let files = s.files.iter().map(|f| {
        let content = substitute(&f.content, |p| match p.kind {
            PlaceholderKind::Token => keys.get(p.argument).map(|k| k.secret.clone()).unwrap_or_default(),
            _ => p.text.to_string(),
        });
        (f.path.clone(), content)
    });
    let secrets = s.tokens.iter().filter_map(|t| keys.get(&t.name).map(|k| (k.secret.clone(), t.name.clone()))).collect();
    Repo::new(files, secrets)
}
