//! The repository the agent can see: the scenario's files with real (fake) secrets substituted
//! where the scenario placed them, and what reading or searching them reveals.

use std::collections::BTreeMap;

use crate::scenario::{PlaceholderKind, Scenario, substitute};

/// Files by path, with secrets in place, and which token each secret belongs to.
#[derive(Clone, Debug, Default)]
pub struct Repo {
    files: BTreeMap<String, String>,
    /// secret → token name, for recognising a token in what the agent reads.
    secrets: BTreeMap<String, String>,
}

impl Repo {
    /// `secret_of(name)` gives a token's secret as the provider minted it.
    pub fn new(s: &Scenario, secret_of: impl Fn(&str) -> Option<String>) -> Repo {
        let mut secrets = BTreeMap::new();
        for t in &s.tokens {
            if let Some(secret) = secret_of(&t.name) {
                secrets.insert(secret, t.name.clone());
            }
        }
        let files = s
            .files
            .iter()
            .map(|f| {
                let content = substitute(&f.content, |p| match p.kind {
                    PlaceholderKind::Token => secret_of(p.argument).unwrap_or_default(),
                    _ => p.text.to_string(),
                });
                (f.path.clone(), content)
            })
            .collect();
        Repo { files, secrets }
    }

    pub fn read(&self, path: &str) -> Option<&str> {
        let path = path.trim_start_matches("./");
        self.files.get(path).map(String::as_str)
    }

    /// Paths whose content contains `pattern` (case-sensitive unless `ignore_case`), in path order.
    pub fn search(&self, pattern: &str, ignore_case: bool) -> Vec<&str> {
        let needle = if ignore_case { pattern.to_lowercase() } else { pattern.to_string() };
        self.files
            .iter()
            .filter(|(_, c)| if ignore_case { c.to_lowercase().contains(&needle) } else { c.contains(&needle) })
            .map(|(p, _)| p.as_str())
            .collect()
    }

    /// Token names whose secrets appear in `text`.
    pub fn tokens_in(&self, text: &str) -> Vec<String> {
        self.secrets.iter().filter(|(secret, _)| text.contains(secret.as_str())).map(|(_, name)| name.clone()).collect()
    }

    /// The token a secret belongs to.
    pub fn token_for_secret(&self, secret: &str) -> Option<&str> {
        self.secrets.get(secret).map(String::as_str)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}
