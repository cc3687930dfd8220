//! Which tokens the agent can get hold of: those it holds from the start, and those in files it
//! can read, where the run's own `Stack` says whether each way of reading (a search for the
//! file's variable, the read tool, `cat`) passes.

use crate::agent::{self, Action, Key, Keyring};
use crate::guardrails::Subject;
use crate::scenario::StoredIn;

use super::{Discovered, LayerVerdict, ScopeInput, Step, Undiscovered};

/// One action as a step of a path, with the stack's verdicts; `true` when it passes.
pub(crate) fn judged(input: &ScopeInput<'_>, action: &Action) -> (Step, bool) {
    let (decisions, stopped) = input.stack.check(Subject::Action(action));
    let layers = decisions.into_iter().map(|d| LayerVerdict { layer: d.layer, verdict: d.verdict, reason: d.reason }).collect();
    (
        Step { key: action.key().to_string(), text: step_text(action), channel: agent::describe(action).0.name().to_string(), layers },
        stopped.is_none(),
    )
}

/// The action's own words, as its scenario step holds them.
pub(crate) fn step_text(action: &Action) -> String {
    match action {
        Action::Search { pattern } => pattern.clone(),
        Action::Read { path } => path.clone(),
        Action::Shell { command } => command.clone(),
        Action::Graphql { query, .. } => query.clone(),
        Action::Mcp { tool, args, .. } => format!("{tool} {}", serde_json::to_string(args).unwrap_or_default()),
        other => other.key().to_string(),
    }
}

/// The variable a secret is assigned to on its line (`RAILWAY_API_TOKEN=…`), if any.
fn variable_of<'t>(text: &'t str, secret: &str) -> Option<&'t str> {
    let line = text.lines().find(|l| l.contains(secret))?;
    let (name, _) = line.split_once('=')?;
    let name = name.trim().trim_start_matches("export ").trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

/// The tokens the agent can get hold of, in scenario order, and those it cannot.
pub(crate) fn discover(input: &ScopeInput<'_>) -> (Vec<Discovered>, Vec<Undiscovered>) {
    let (mut found, mut missed) = (Vec::new(), Vec::new());
    for t in &input.scenario.tokens {
        if let Some(d) = input.held.get(&t.name) {
            found.push(Discovered { token: t.name.clone(), place: d.place.clone(), step: None, action: None });
            continue;
        }
        let Some(key) = input.keys.get(&t.name) else { continue };
        let files: Vec<&str> = input.repo.paths().filter(|p| input.repo.read(p).is_some_and(|c| c.contains(&key.secret))).collect();
        let mut stopped = Vec::new();
        let mut got = None;
        'files: for path in &files {
            let text = input.repo.read(path).unwrap_or_default();
            let mut ways = Vec::new();
            if let Some(var) = variable_of(text, &key.secret)
                && input.repo.search(var, false).contains(path)
            {
                ways.push(Action::Search { pattern: var.to_string() });
            }
            ways.push(Action::Read { path: path.to_string() });
            ways.push(Action::Shell { command: format!("cat {path}") });
            for way in ways {
                let (step, passes) = judged(input, &way);
                if passes {
                    got = Some(Discovered { token: t.name.clone(), place: format!("`{path}`"), step: Some(step), action: Some(way) });
                    break 'files;
                }
                let why = step.layers.last().map(|l| format!("{}: {}", l.layer, l.reason)).unwrap_or_default();
                stopped.push(format!("{} `{}` stopped by {why}", step.key, step.text));
            }
        }
        match got {
            Some(d) => found.push(d),
            None => {
                let why = if !stopped.is_empty() {
                    stopped.join("; ")
                } else {
                    match &t.stored_in {
                        StoredIn::SecretManager(m) => format!("kept in `{m}`, which the agent cannot read"),
                        StoredIn::File(f) => format!("no file the agent can see holds it (`{f}` does not)"),
                        StoredIn::Env(v) => format!("environment variable `{v}` is not set"),
                    }
                };
                missed.push(Undiscovered { token: t.name.clone(), why });
            }
        }
    }
    (found, missed)
}

/// The agent's keyring once it holds `found`.
pub(crate) fn keyring(input: &ScopeInput<'_>, found: &[Discovered]) -> Keyring {
    Keyring::new(
        found
            .iter()
            .filter_map(|d| input.keys.get(&d.token).map(|k| (d.token.clone(), Key { secret: k.secret.clone(), project: k.project })))
            .collect(),
    )
}
