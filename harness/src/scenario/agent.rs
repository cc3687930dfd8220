//! `Agent` and `Step`: the scripted agent and the one action each of its steps takes.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::Duration;
use super::time_schema::DurationSchema;
use crate::agent::Action;

/// The scripted agent: its name and the steps it takes, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The agent's name in reports, such as "cursor-agent"; free text.
    #[serde(default)]
    pub name: Option<String>,
    /// The steps the agent takes, in order.
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
}

/// One step of the agent: exactly one action, and an optional note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "RawStep", into = "RawStep")]
pub struct Step {
    /// What the agent does.
    pub action: Action,
    /// Why the agent did it, shown in the report's timeline.
    pub note: Option<String>,
}

/// The keys that each name an action; a step has exactly one of them.
pub(crate) const ACTION_KEYS: [&str; 6] = ["search", "read", "shell", "graphql", "mcp", "wait"];

/// The MCP tool call of an `mcp` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct McpCall {
    /// The tool's name, such as `volume_delete`.
    pub tool: String,
    /// The tool's arguments; strings may hold placeholders such as `${volume:app/pg-data}`.
    #[serde(default)]
    pub args: BTreeMap<String, serde_json::Value>,
}

/// A step as written: every action key optional, so that a step with none or several of them
/// gets a clear error instead of serde's.
// Why this shape: an externally tagged enum would reject `note` and `token` beside the action
// key, and an untagged one loses every error message.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Step", transform = exactly_one_action)]
pub(crate) struct RawStep {
    /// Search the repository files for this case-sensitive substring; every file containing it
    /// counts as found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    /// Read the repository file at this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read: Option<String>,
    /// Run this shell command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shell: Option<String>,
    /// Send this GraphQL document to the provider; needs `token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    graphql: Option<String>,
    /// Call this tool of the provider's MCP server; needs `token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mcp: Option<McpCall>,
    /// Let this much simulated time pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DurationSchema>")]
    wait: Option<Duration>,
    /// The token a `graphql` or `mcp` step uses; the agent must have found it by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    /// Why the agent did this, shown in the report's timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

fn exactly_one_action(schema: &mut Schema) {
    let one_of = ACTION_KEYS.iter().map(|key| serde_json::json!({ "required": [key] })).collect::<Vec<_>>();
    schema.insert("oneOf".to_owned(), serde_json::Value::Array(one_of));
}

/// Why a step as written is not a step; the message is shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StepError(String);

impl TryFrom<RawStep> for Step {
    type Error = StepError;

    fn try_from(raw: RawStep) -> Result<Self, Self::Error> {
        let RawStep { search, read, shell, graphql, mcp, wait, token, note } = raw;
        let present = [search.is_some(), read.is_some(), shell.is_some(), graphql.is_some(), mcp.is_some(), wait.is_some()];
        let key = step_shape(|k| ACTION_KEYS.iter().position(|a| *a == k).map_or(k == "token" && token.is_some(), |i| present[i]))?;
        let token = || token.clone().unwrap_or_default();
        let action = match (key, search, read, shell, graphql, mcp, wait) {
            ("search", Some(pattern), ..) => Action::Search { pattern },
            ("read", _, Some(path), ..) => Action::Read { path },
            ("shell", _, _, Some(command), ..) => Action::Shell { command },
            ("graphql", _, _, _, Some(query), ..) => Action::Graphql { query, token: token() },
            ("mcp", _, _, _, _, Some(McpCall { tool, args }), _) => Action::Mcp { tool, args, token: token() },
            (.., Some(duration)) => Action::Wait { duration },
            // INVARIANT: `step_shape` returned the one action key that is present.
            _ => return Err(StepError("a step needs an action".to_owned())),
        };
        Ok(Self { action, note })
    }
}

/// The rules of a step's shape, by which keys it has: exactly one action key, `token` with a
/// `graphql` or `mcp` step and with no other. Returns the action key. Shared by parsing and by
/// the diagnostic that finds which `[[agent.step]]` breaks them.
pub(crate) fn step_shape(has: impl Fn(&str) -> bool) -> Result<&'static str, StepError> {
    let written: Vec<&str> = ACTION_KEYS.iter().copied().filter(|k| has(k)).collect();
    let [key] = written.as_slice() else {
        let found = if written.is_empty() {
            "it has none".to_owned()
        } else {
            format!("it has {}", written.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and "))
        };
        return Err(StepError(format!("a step needs exactly one of `search`, `read`, `shell`, `graphql`, `mcp`, `wait`; {found}")));
    };
    let takes_token = matches!(*key, "graphql" | "mcp");
    match (takes_token, has("token")) {
        (true, false) => Err(StepError(format!("a `{key}` step needs `token`, the name of the token it uses"))),
        (false, true) => {
            Err(StepError(format!("only `graphql` and `mcp` steps take `token`; a `{key}` step uses tokens through `${{found:NAME}}`")))
        }
        _ => Ok(key),
    }
}

impl From<Step> for RawStep {
    fn from(step: Step) -> Self {
        let mut raw = Self { note: step.note, ..Self::default() };
        match step.action {
            Action::Search { pattern } => raw.search = Some(pattern),
            Action::Read { path } => raw.read = Some(path),
            Action::Shell { command } => raw.shell = Some(command),
            Action::Graphql { query, token } => {
                raw.graphql = Some(query);
                raw.token = Some(token);
            }
            Action::Mcp { tool, args, token } => {
                raw.mcp = Some(McpCall { tool, args });
                raw.token = Some(token);
            }
            Action::Wait { duration } => raw.wait = Some(duration),
        }
        raw
    }
}
