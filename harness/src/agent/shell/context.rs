//! What the interpreter knows about the agent's shell: its environment and where the local
//! mock provider is served.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The agent's shell before the command line runs:
/// `ShellContext::new().var("RAILWAY_API_TOKEN", "fake").serve_url("http://127.0.0.1:4000/graphql/v2")`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellContext {
    /// The agent's environment variables, all exported.
    pub env: BTreeMap<String, String>,
    /// The local mock's GraphQL URL, if it is served over HTTP; requests to its host and port
    /// count as requests to Railway.
    pub serve_url: Option<String>,
}

impl ShellContext {
    /// An empty environment and no local serve URL.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an environment variable.
    #[must_use]
    pub fn var(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(key.into(), value.into());
        self
    }

    /// Sets the local serve URL, e.g. `http://127.0.0.1:4000/graphql/v2`.
    #[must_use]
    pub fn serve_url(mut self, url: impl Into<String>) -> Self {
        self.serve_url = Some(url.into());
        self
    }
}
