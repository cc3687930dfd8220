//! The repository the agent can see: files by path, with the world's (fake) secrets already in
//! place, and which token each secret belongs to, so reading or searching reveals tokens.

use std::collections::BTreeMap;

/// Files by path, with secrets in place, and which token each secret belongs to.
#[derive(Clone, Debug, Default)]
pub struct Repo {
    files: BTreeMap<String, String>,
    /// secret → token name, for recognising a token in what the agent reads.
    secrets: BTreeMap<String, String>,
}

impl Repo {
    /// `files` by path, with secrets in place; `secrets` maps each token's secret to its name.
    pub fn new(files: impl IntoIterator<Item = (String, String)>, secrets: BTreeMap<String, String>) -> Repo {
        Repo { files: files.into_iter().collect(), secrets }
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

    /// The tokens whose secrets appear in `text`: (name, the secret as it appears).
    pub fn tokens_in(&self, text: &str) -> Vec<(String, String)> {
        self.secrets.iter().filter(|(secret, _)| text.contains(secret.as_str())).map(|(s, name)| (name.clone(), s.clone())).collect()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}
