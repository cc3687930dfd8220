//! How the agent's tools send a token: the keys the agent holds (by name, as its tools are
//! configured with them) and the headers each tool puts them in.

use std::collections::BTreeMap;

use mock_provider::Credentials;

/// One token as the agent's tools hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub secret: String,
    /// Project tokens go in `Project-Access-Token`, every other kind in `Authorization: Bearer`.
    pub project: bool,
}

/// The secrets the world's tokens have, by token name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keyring {
    keys: BTreeMap<String, Key>,
}

impl Keyring {
    pub fn new(keys: BTreeMap<String, Key>) -> Keyring {
        Keyring { keys }
    }

    pub fn get(&self, name: &str) -> Option<&Key> {
        self.keys.get(name)
    }

    /// Adds a token minted during the run.
    pub fn insert(&mut self, name: String, key: Key) {
        self.keys.insert(name, key);
    }

    /// The headers the agent's own HTTP and MCP tools send a named token in.
    pub fn tool_credentials(&self, name: &str) -> Credentials {
        let mut c = Credentials { user_agent: Some("firedrill-agent".into()), ..Credentials::default() };
        match self.keys.get(name) {
            Some(Key { secret, project: true }) => c.project_access_token = Some(secret.clone()),
            Some(Key { secret, project: false }) => c.authorization = Some(format!("Bearer {secret}")),
            None => {}
        }
        c
    }
}

/// The headers the Railway CLI sends, from its environment: it prefers `RAILWAY_TOKEN` (a
/// project token, as `Project-Access-Token`) over `RAILWAY_API_TOKEN` (as a bearer).
pub fn cli_credentials(project_token: Option<&str>, api_token: Option<&str>) -> Credentials {
    let mut c = Credentials { user_agent: Some("railwayapp".into()), x_source: Some("CLI 4.0.0".into()), ..Credentials::default() };
    match (project_token, api_token) {
        (Some(t), _) => c.project_access_token = Some(t.to_string()),
        (None, Some(t)) => c.authorization = Some(format!("Bearer {t}")),
        (None, None) => {}
    }
    c
}
