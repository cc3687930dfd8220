//! `Token`: an API token, its reach, its purpose and where the team keeps it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An API token of the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// The token's name, unique in the scenario; placeholders and steps refer to it.
    pub name: String,
    /// What the token is bound to, which decides what it can reach.
    pub kind: TokenKind,
    /// The workspace of a `workspace` token; required for them and only for them.
    #[serde(default)]
    pub workspace: Option<String>,
    /// The project of a `project` token; required for them and only for them.
    #[serde(default)]
    pub project: Option<String>,
    /// The environment of a `project` token; required for them and only for them.
    #[serde(default)]
    pub environment: Option<String>,
    /// The operations the team made the token for, as Railway GraphQL root field names (such as
    /// "customDomainCreate"). The blast-radius analysis compares them with what it can reach.
    #[serde(default)]
    pub purpose: Vec<String>,
    /// The operations the provider lets the token perform when the profile enforces token
    /// scopes; all operations when left out.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Where the team keeps the token.
    pub stored_in: StoredIn,
}

/// What a token is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// A personal token reaching everything the account can.
    Account,
    /// A token reaching every project of one workspace.
    Workspace,
    /// A token reaching one environment of one project.
    Project,
}

/// Where a token is kept, written as a table with exactly one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum StoredIn {
    /// In a repository file; the file must be declared with `[[file]]` and its content should
    /// hold `${token:NAME}`.
    File(String),
    /// In an environment variable of the agent's shell, so the agent has it from the start.
    Env(String),
    /// In a secret manager the agent cannot read, such as "1password".
    SecretManager(String),
}
