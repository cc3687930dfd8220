//! `ToolCall`: an agent action in the agent runtime's own vocabulary (a Bash command, a file
//! read or edit, a search, a web fetch, an MCP tool), what a person asked to approve it is
//! shown, and whether it names a destructive operation of the provider.

use std::collections::BTreeMap;

use mock_provider::ops::{Op, OpClass};

use crate::agent::{Action, RAILWAY_HOST, mcp_request};

/// The MCP server a drill's `mcp` steps call.
pub const RAILWAY_MCP_SERVER: &str = "railway";

/// One tool call, as the runtime's permission check sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolCall {
    Shell {
        command: String,
    },
    Read {
        path: String,
    },
    Edit {
        path: String,
    },
    Search {
        pattern: String,
    },
    /// The agent's own HTTP tool (Claude Code's WebFetch): a drill's `graphql` step.
    Fetch {
        url: String,
        body: Option<String>,
    },
    Mcp {
        server: String,
        tool: String,
        input: serde_json::Value,
    },
}

impl ToolCall {
    /// The call an action makes; `None` for waiting, which no runtime judges, and for the
    /// out-of-band actions only the team takes (they never reach an agent's runtime).
    pub fn from_action(action: &Action) -> Option<ToolCall> {
        Some(match action {
            Action::Search { pattern } => ToolCall::Search { pattern: pattern.clone() },
            Action::Read { path } => ToolCall::Read { path: path.clone() },
            Action::Shell { command } => ToolCall::Shell { command: command.clone() },
            Action::Graphql { query, .. } => {
                ToolCall::Fetch { url: format!("https://{RAILWAY_HOST}/graphql/v2"), body: Some(query.clone()) }
            }
            Action::Mcp { tool, args, .. } => ToolCall::Mcp {
                server: RAILWAY_MCP_SERVER.into(),
                tool: tool.clone(),
                input: serde_json::Value::Object(args.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            },
            Action::Wait(_) | Action::Restore { .. } | Action::RunOffsiteJob | Action::Revoke { .. } | Action::Rotate { .. } => {
                return None;
            }
        })
    }

    /// Claude Code's name for the tool: `Bash`, `Read`, `mcp__railway__volume_delete`.
    pub fn claude_tool(&self) -> String {
        match self {
            ToolCall::Shell { .. } => "Bash".into(),
            ToolCall::Read { .. } => "Read".into(),
            ToolCall::Edit { .. } => "Edit".into(),
            ToolCall::Search { .. } => "Grep".into(),
            ToolCall::Fetch { .. } => "WebFetch".into(),
            ToolCall::Mcp { server, tool, .. } => format!("mcp__{server}__{tool}"),
        }
    }

    /// Cursor's name for the tool, as its `preToolUse` matchers see it.
    pub fn cursor_tool(&self) -> String {
        match self {
            ToolCall::Shell { .. } => "Shell".into(),
            ToolCall::Read { .. } => "Read".into(),
            ToolCall::Edit { .. } => "Write".into(),
            ToolCall::Search { .. } => "Grep".into(),
            ToolCall::Fetch { .. } => "WebFetch".into(),
            ToolCall::Mcp { server, tool, .. } => format!("MCP:{server}:{tool}"),
        }
    }

    /// The call in a few words, for reasons: `` `curl …` ``, `` read `.env` ``.
    pub fn label(&self) -> String {
        match self {
            ToolCall::Shell { command } => format!("`{command}`"),
            ToolCall::Read { path } => format!("read `{path}`"),
            ToolCall::Edit { path } => format!("edit `{path}`"),
            ToolCall::Search { pattern } => format!("search `{pattern}`"),
            ToolCall::Fetch { url, .. } => format!("fetch `{url}`"),
            ToolCall::Mcp { server, tool, .. } => format!("MCP tool `{server}/{tool}`"),
        }
    }

    /// What the approval prompt shows: the tool and its input, as the runtime's dialog does.
    pub fn prompt_text(&self) -> String {
        match self {
            ToolCall::Shell { command } => format!("Bash command: {command}"),
            ToolCall::Read { path } => format!("Read file: {path}"),
            ToolCall::Edit { path } => format!("Edit file: {path}"),
            ToolCall::Search { pattern } => format!("Search: {pattern}"),
            ToolCall::Fetch { url, body } => match body {
                Some(b) => format!("Fetch {url}: {b}"),
                None => format!("Fetch {url}"),
            },
            ToolCall::Mcp { server, tool, input } => format!("{server} - {tool} (MCP) {input}"),
        }
    }

    /// The tool's input as the runtime hands it to a hook.
    pub fn hook_input(&self, cwd: &str) -> serde_json::Value {
        use serde_json::json;
        let abs = |p: &str| if p.starts_with('/') { p.to_string() } else { format!("{}/{p}", cwd.trim_end_matches('/')) };
        match self {
            ToolCall::Shell { command } => json!({"command": command, "description": ""}),
            ToolCall::Read { path } => json!({"file_path": abs(path)}),
            ToolCall::Edit { path } => json!({"file_path": abs(path), "old_string": "", "new_string": ""}),
            ToolCall::Search { pattern } => json!({"pattern": pattern, "path": cwd}),
            ToolCall::Fetch { url, .. } => json!({"url": url, "prompt": ""}),
            ToolCall::Mcp { input, .. } => input.clone(),
        }
    }

    /// Whether the call names an operation the provider's catalogue calls destructive (a
    /// `volumeDelete` in a curl's body, an MCP tool whose request deletes).
    pub fn destructive(&self) -> bool {
        match self {
            ToolCall::Shell { command } => names_destructive_op(command) || runs_destructive_cli(command),
            ToolCall::Fetch { body, .. } => body.as_deref().is_some_and(names_destructive_op),
            ToolCall::Mcp { tool, input, .. } => {
                let args: BTreeMap<String, serde_json::Value> =
                    input.as_object().map(|o| o.clone().into_iter().collect()).unwrap_or_default();
                match mcp_request(tool, &args) {
                    Ok(req) => names_destructive_op(&req.query),
                    Err(_) => tool.contains("delete"),
                }
            }
            ToolCall::Read { .. } | ToolCall::Edit { .. } | ToolCall::Search { .. } => false,
        }
    }
}

/// `command` with every `${name:word}` expansion the simulation cannot evaluate (a substring
/// offset that is not a number, as a drill's `${found:token}` placeholders are) written as a
/// plain word, so the shape of the command (a curl to Railway, a file read) is still seen. The
/// weaker protection: the leak is reported rather than hidden behind an expansion.
pub(crate) fn opaque_expansions(command: &str) -> String {
    let mut out = String::with_capacity(command.len());
    let mut rest = command;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let tail = &after[name_len..];
        match (tail.strip_prefix(':'), tail.find('}')) {
            (Some(word), Some(end)) if name_len > 0 && !word.starts_with(['-', '=', '+', '?']) && !word[..end - 1].contains('{') => {
                let arg: String = word[..end - 1].chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
                out.push_str(&after[..name_len]);
                out.push('-');
                out.push_str(&arg);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether the line runs a Railway CLI command that deletes (`railway volume delete`).
fn runs_destructive_cli(command: &str) -> bool {
    use crate::agent::shell::{Command, RailwayCli, ShellContext, interpret};
    interpret(&opaque_expansions(command), &ShellContext::new()).commands.iter().any(|inv| {
        matches!(
            inv.command,
            Command::Railway(RailwayCli::VolumeDelete { .. } | RailwayCli::EnvironmentDelete { .. } | RailwayCli::ProjectDelete { .. })
        )
    })
}

/// Whether `text` names a destructive operation of the provider's catalogue.
pub fn names_destructive_op(text: &str) -> bool {
    Op::ALL.iter().any(|op| op.class() == OpClass::Destructive && text.contains(op.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions_the_simulation_cannot_evaluate_become_plain_words() {
        assert_eq!(opaque_expansions("Bearer ${found:domains-cli} x"), "Bearer found-domains-cli x");
        assert_eq!(opaque_expansions("\"${volume:app/pg-data}\""), "\"volume-app-pg-data\"");
        assert_eq!(opaque_expansions("${HOME} ${X:-d} ${Y:=e}"), "${HOME} ${X:-d} ${Y:=e}");
        assert_eq!(opaque_expansions("${unclosed:x"), "${unclosed:x");
    }

    #[test]
    fn destructive_calls_are_those_naming_a_destructive_operation() {
        let shell = |c: &str| ToolCall::Shell { command: c.into() };
        assert!(
            shell(r#"curl -d '{"query":"mutation { volumeDelete(volumeId: \"v\") }"}' https://backboard.railway.app/graphql/v2"#)
                .destructive()
        );
        assert!(!shell("curl -d '{\"query\":\"{ me { id } }\"}' https://backboard.railway.app/graphql/v2").destructive());
        assert!(shell("railway volume delete --volume pg-data --yes").destructive());
        let mcp = |tool: &str, input| ToolCall::Mcp { server: "railway".into(), tool: tool.into(), input };
        assert!(mcp("volume_delete", serde_json::json!({"volumeId": "v"})).destructive());
        assert!(!mcp("project_list", serde_json::json!({})).destructive());
    }
}
