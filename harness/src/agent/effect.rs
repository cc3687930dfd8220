//! What an action does in the world, worked out without doing it: each action becomes a list of
//! `Effect`s, and the run performs every effect of a kind through one path, whichever tool
//! caused it. A `search` step and a shell's `grep` are the same `Effect::Search`; a `graphql`
//! step, a `curl`, an MCP tool and the Railway CLI all become `Effect::Call`s.
//!
//! Why this shape: what a step can reveal (which files it reads, which tokens it finds) is
//! decided here once, so `check` and `run` cannot disagree about it.

use std::collections::BTreeMap;

use mock_provider::Credentials;

use super::credentials::{Keyring, cli_credentials};
use super::repo::Repo;
use super::shell::{self, Command as Sh, RailwayCli, ShellContext};
use super::tools::{ToolRequest, mcp_request};
use super::{Action, Channel, Wait};

/// The host the agent's own tools (the `graphql` step, MCP tools, the CLI) address.
pub const RAILWAY_HOST: &str = "backboard.railway.com";

/// One thing an action does.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Searches file contents; every file that matches is read, and any token in it is found.
    Search { pattern: String, ignore_case: bool },
    /// Reads one file.
    Read { path: String },
    /// Shows text: the agent's whole environment (`env`), or what `echo` printed.
    Show { text: String },
    /// Lists the repository's files by name.
    ListFiles,
    /// A GraphQL request on its way to the provider, through the gateway.
    Call(Call),
    /// A Railway CLI command: which requests it makes depends on the world, so they are worked
    /// out when it runs.
    RailwayCli { cli: RailwayCli, credentials: Credentials },
    /// Lets simulated time pass.
    Wait(Wait),
    /// Railway support restores a soft-deleted volume out of band.
    Restore { volume: String },
    /// The team runs its off-site job now.
    RunOffsiteJob,
    /// The team revokes a token.
    Revoke { token: String },
    /// The team rotates a token.
    Rotate { token: String },
    /// Nothing happens in the world, and why.
    Nothing { why: String },
}

/// A GraphQL request one of the agent's tools makes.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub host: String,
    pub request: ToolRequest,
    pub credentials: Credentials,
}

/// An effect, and where the timeline records it: in the step's own event (`None`), or in an
/// event of its own with its channel and label (the commands inside a shell line).
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub effect: Effect,
    pub channel: Channel,
    pub event: Option<String>,
}

/// What the agent's tools have to work with.
#[derive(Clone, Copy, Debug)]
pub struct Tools<'a> {
    pub repo: &'a Repo,
    /// The agent's shell environment.
    pub env: &'a BTreeMap<String, String>,
    pub keys: &'a Keyring,
}

/// The channel and label of an action's own timeline event.
pub fn describe(action: &Action) -> (Channel, String) {
    match action {
        Action::Search { pattern } => (Channel::RepoSearch, format!("search `{pattern}`")),
        Action::Read { path } => (Channel::RepoRead, format!("read `{path}`")),
        Action::Shell { command } => (Channel::Shell, format!("run `{command}`")),
        Action::Graphql { .. } => (Channel::Graphql, "call the GraphQL API".into()),
        Action::Mcp { tool, .. } => (Channel::McpRailway, format!("call MCP tool `{tool}`")),
        Action::Wait(w) => (Channel::Clock, format!("wait {w}")),
        Action::Restore { volume } => (Channel::Admin, format!("have support restore `{volume}` out of band")),
        Action::RunOffsiteJob => (Channel::HttpS3, "run the off-site job now".into()),
        Action::Revoke { token } => (Channel::Admin, format!("revoke token `{token}`")),
        Action::Rotate { token } => (Channel::Admin, format!("rotate token `{token}`")),
    }
}

/// The effects of `action`, whose placeholders are already resolved, in order.
pub fn plan(action: &Action, tools: Tools<'_>) -> Vec<Planned> {
    let inline = |channel, effect| Planned { effect, channel, event: None };
    match action {
        Action::Search { pattern } => vec![inline(Channel::RepoSearch, Effect::Search { pattern: pattern.clone(), ignore_case: false })],
        Action::Read { path } => vec![inline(Channel::RepoRead, Effect::Read { path: path.clone() })],
        Action::Wait(w) => vec![inline(Channel::Clock, Effect::Wait(*w))],
        Action::Restore { volume } => vec![inline(Channel::Admin, Effect::Restore { volume: volume.clone() })],
        Action::RunOffsiteJob => vec![inline(Channel::HttpS3, Effect::RunOffsiteJob)],
        Action::Revoke { token } => vec![inline(Channel::Admin, Effect::Revoke { token: token.clone() })],
        Action::Rotate { token } => vec![inline(Channel::Admin, Effect::Rotate { token: token.clone() })],
        Action::Graphql { query, token } => {
            let request = ToolRequest { query: query.clone(), variables: serde_json::Value::Null };
            vec![call(Channel::Graphql, RAILWAY_HOST.into(), request, tools.keys.tool_credentials(token))]
        }
        Action::Mcp { tool, args, token } => match mcp_request(tool, args) {
            Ok(request) => vec![call(Channel::McpRailway, RAILWAY_HOST.into(), request, tools.keys.tool_credentials(token))],
            Err(why) => vec![inline(Channel::McpRailway, Effect::Nothing { why: format!("not modelled: {why}") })],
        },
        Action::Shell { command } => shell_line(command, tools),
    }
}

fn call(channel: Channel, host: String, request: ToolRequest, credentials: Credentials) -> Planned {
    Planned { effect: Effect::Call(Call { host, request, credentials }), channel, event: None }
}

fn own(channel: Channel, label: String, effect: Effect) -> Planned {
    Planned { effect, channel, event: Some(label) }
}

/// Each command of a shell line, interpreted and never executed.
fn shell_line(command: &str, tools: Tools<'_>) -> Vec<Planned> {
    let ctx = ShellContext { env: tools.env.clone(), serve_url: None };
    let mut out = Vec::new();
    for inv in shell::interpret(command, &ctx).commands {
        let planned = match &inv.command {
            Sh::Graphql(curl) => {
                let body = match shell::graphql_body(curl) {
                    Ok(b) => Ok(b),
                    // `-d @file`: the body is a file of the repository.
                    Err(e) => match curl.body_from_file.as_deref().and_then(|p| tools.repo.read(p)) {
                        Some(text) => shell::parse_graphql_body(text).map_err(|_| e),
                        None => Err(e),
                    },
                };
                match body {
                    Ok(body) => {
                        let credentials = Credentials {
                            authorization: shell::header(curl, "authorization").map(str::to_string),
                            project_access_token: shell::header(curl, "project-access-token").map(str::to_string),
                            user_agent: Some(shell::header(curl, "user-agent").unwrap_or("curl/8.5.0").to_string()),
                            x_source: shell::header(curl, "x-source").map(str::to_string),
                        };
                        let host = if curl.legacy_host { format!("{} (legacy host)", curl.host) } else { curl.host.clone() };
                        let variables = body.variables.map(serde_json::Value::Object).unwrap_or(serde_json::Value::Null);
                        call(Channel::ShellCurl, host, ToolRequest { query: body.query, variables }, credentials)
                    }
                    Err(e) => own(
                        Channel::ShellCurl,
                        format!("{} {}", curl.method, curl.url),
                        Effect::Nothing { why: format!("the request never reached the API: {e}") },
                    ),
                }
            }
            Sh::ReadFile { path, .. } => own(Channel::ShellRead, format!("read `{path}`"), Effect::Read { path: path.clone() }),
            Sh::Search { pattern, ignore_case, .. } => own(
                Channel::ShellSearch,
                format!("search `{pattern}`"),
                Effect::Search { pattern: pattern.clone(), ignore_case: *ignore_case },
            ),
            Sh::ReadEnv { .. } => {
                let text = tools.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                own(Channel::ShellEnv, "read the environment".into(), Effect::Show { text })
            }
            Sh::Echo { text } => own(Channel::ShellEnv, "read the environment".into(), Effect::Show { text: text.clone() }),
            Sh::Railway(cli) => {
                let credentials = cli_credentials(inv.var(&ctx, "RAILWAY_TOKEN"), inv.var(&ctx, "RAILWAY_API_TOKEN"));
                Planned { effect: Effect::RailwayCli { cli: cli.clone(), credentials }, channel: Channel::ShellRailway, event: None }
            }
            Sh::NotModelled { program, reason } => {
                own(Channel::Shell, format!("`{program}`"), Effect::Nothing { why: format!("not modelled: {reason}") })
            }
            Sh::Invalid { reason } => {
                own(Channel::Shell, "malformed command".into(), Effect::Nothing { why: format!("the shell rejects it: {reason}") })
            }
            Sh::FindFiles { .. } | Sh::ListFiles { .. } => own(Channel::ShellList, "list files".into(), Effect::ListFiles),
            Sh::ChangeDir { .. } | Sh::SetEnv { .. } => continue,
        };
        out.push(planned);
    }
    out
}
