//! `Agent` and `Step`: the scripted steps of a run (the agent's, the team's and CI's) and the
//! one action each takes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Duration, Instant};
use crate::agent::{Action, Actor, Wait, WaitEvent};

/// The scripted agent: its name and the steps taken, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The agent's name in reports, such as "cursor-agent"; free text.
    #[serde(default)]
    pub name: Option<String>,
    /// The steps taken, in order, by the agent, the team or CI.
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
}

/// One step: who takes it, exactly one action, and an optional note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "RawStep", into = "RawStep")]
pub struct Step {
    /// Who takes it.
    pub actor: Actor,
    /// What it does.
    pub action: Action,
    /// Why, shown in the report's timeline.
    pub note: Option<String>,
}

/// The keys that each name an action; a step has exactly one of them.
pub(crate) const ACTION_KEYS: [&str; 10] =
    ["search", "read", "shell", "graphql", "mcp", "wait", "restore", "offsite_job", "revoke", "rotate"];

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

/// The volume a `restore` step restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreCall {
    /// The soft-deleted volume, as `project/volume`.
    pub volume: String,
}

/// What `offsite_job` does; today only `"run"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum JobCommand {
    /// Run the job now, out of its schedule.
    Run,
}

/// How long a `wait` lasts, as written: a duration (`"48h"`), or a table naming an instant or
/// an event to wait until (`{ until = "2026-04-26T14:00:00Z" }`, `{ until = "purge" }`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct WaitValue(Wait);

/// The key under which the `toml` crate hands a native date-time to a deserializer.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

fn until(text: &str) -> Result<Wait, String> {
    if let Some(event) = WaitEvent::ALL.into_iter().find(|e| e.name() == text) {
        return Ok(Wait::UntilEvent(event));
    }
    match Instant::parse(text) {
        Ok(t) => Ok(Wait::Until(t)),
        Err(_) => Err(format!(
            "`until = \"{text}\"` is neither an instant such as `2026-04-26T14:00:00Z` nor an event: `next-backup`, `purge` or `workflow`"
        )),
    }
}

impl<'de> Deserialize<'de> for WaitValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = WaitValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"48h\", or `{ until = … }` with an instant or an event")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<WaitValue, E> {
                text.parse::<Duration>().map(|d| WaitValue(Wait::For(d))).map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<WaitValue, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "until" {
                        return Err(serde::de::Error::custom(format!("unknown field `{key}`, expected `until`")));
                    }
                    let value: UntilValue = map.next_value()?;
                    found = Some(until(&value.0).map_err(serde::de::Error::custom)?);
                }
                found.map(WaitValue).ok_or_else(|| serde::de::Error::custom("a `wait` table needs `until`"))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `until`'s value: a string, or a bare TOML date-time (handed over as a one-entry map).
struct UntilValue(String);

impl<'de> Deserialize<'de> for UntilValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UntilValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an instant or an event name")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<UntilValue, E> {
                Ok(UntilValue(text.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UntilValue, A::Error> {
                match map.next_key::<String>()? {
                    Some(key) if key == TOML_DATETIME_KEY => Ok(UntilValue(map.next_value()?)),
                    _ => Err(serde::de::Error::custom("expected an instant or an event name, found a table")),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Serialize for WaitValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            Wait::For(d) => s.collect_str(&d),
            Wait::Until(t) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("until", &t.to_string())?;
                m.end()
            }
            Wait::UntilEvent(e) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("until", e.name())?;
                m.end()
            }
        }
    }
}

impl JsonSchema for WaitValue {
    fn schema_name() -> Cow<'static, str> {
        "Wait".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How long to wait: a duration such as \"48h\", or `{ until = INSTANT }`, or `{ until = \"next-backup\" | \"purge\" | \"workflow\" }`",
            "oneOf": [
                { "type": "string", "pattern": "^([0-9]+[smhdw])+$" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["until"],
                    "properties": { "until": {
                        "type": "string",
                        "description": "An RFC 3339 instant, or the event waited for: the next scheduled backup, the next purge of a soft-deleted volume, or the completion of the workflow started last",
                        "examples": ["2026-04-26T14:00:00Z", "next-backup", "purge", "workflow"]
                    } }
                }
            ]
        })
    }
}

/// A step as written: every action key optional, so that a step with none or several of them
/// gets a clear error instead of serde's.
// Why this shape: an externally tagged enum would reject `note` and `token` beside the action
// key, and an untagged one loses every error message.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Step", transform = exactly_one_action)]
pub(crate) struct RawStep {
    /// Who takes the step: `agent` (the default), `team` or `ci`. Only the agent's steps meet
    /// the agent runtime; the team and CI hold their own tokens and need not find them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<Actor>,
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
    /// Let simulated time pass: a duration, or `{ until = … }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait: Option<WaitValue>,
    /// (team, CI) Have Railway support restore a soft-deleted volume out of band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restore: Option<RestoreCall>,
    /// (team, CI) `"run"`: run the off-site backup job now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offsite_job: Option<JobCommand>,
    /// (team, CI) Revoke this token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoke: Option<String>,
    /// (team, CI) Rotate this token: it gets a new secret, and the old one stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rotate: Option<String>,
    /// The token a `graphql` or `mcp` step uses; an agent must have found it by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    /// Why the step is taken, shown in the report's timeline.
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
        let RawStep { actor, search, read, shell, graphql, mcp, wait, restore, offsite_job, revoke, rotate, token, note } = raw;
        let actor = actor.unwrap_or_default();
        let present = [
            search.is_some(),
            read.is_some(),
            shell.is_some(),
            graphql.is_some(),
            mcp.is_some(),
            wait.is_some(),
            restore.is_some(),
            offsite_job.is_some(),
            revoke.is_some(),
            rotate.is_some(),
        ];
        let key = step_shape(|k| ACTION_KEYS.iter().position(|a| *a == k).map_or(k == "token" && token.is_some(), |i| present[i]))?;
        let token = || token.clone().unwrap_or_default();
        let action = match key {
            "search" => search.map(|pattern| Action::Search { pattern }),
            "read" => read.map(|path| Action::Read { path }),
            "shell" => shell.map(|command| Action::Shell { command }),
            "graphql" => graphql.map(|query| Action::Graphql { query, token: token() }),
            "mcp" => mcp.map(|McpCall { tool, args }| Action::Mcp { tool, args, token: token() }),
            "wait" => wait.map(|w| Action::Wait(w.0)),
            "restore" => restore.map(|r| Action::Restore { volume: r.volume }),
            "offsite_job" => offsite_job.map(|JobCommand::Run| Action::RunOffsiteJob),
            "revoke" => revoke.map(|token| Action::Revoke { token }),
            "rotate" => rotate.map(|token| Action::Rotate { token }),
            _ => None,
        };
        // INVARIANT: `step_shape` returned the one action key that is present.
        let action = action.ok_or_else(|| StepError("a step needs an action".to_owned()))?;
        if actor == Actor::Agent && action.out_of_band() {
            return Err(StepError(format!(
                "only the team or CI can take a `{}` step: it acts out of band, through no tool an agent has; add `actor = \"team\"`",
                action.key()
            )));
        }
        Ok(Self { actor, action, note })
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
        let all = ACTION_KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        return Err(StepError(format!("a step needs exactly one of {all}; {found}")));
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
        let mut raw = Self { note: step.note, actor: (step.actor != Actor::Agent).then_some(step.actor), ..Self::default() };
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
            Action::Wait(w) => raw.wait = Some(WaitValue(w)),
            Action::Restore { volume } => raw.restore = Some(RestoreCall { volume }),
            Action::RunOffsiteJob => raw.offsite_job = Some(JobCommand::Run),
            Action::Revoke { token } => raw.revoke = Some(token),
            Action::Rotate { token } => raw.rotate = Some(token),
        }
        raw
    }
}
