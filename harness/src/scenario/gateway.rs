//! `Gateway`: the team's gateway in front of the provider, the `[gateway]` table: a Cedar policy
//! file every provider call is evaluated against, and/or the team's own proxy, which the run
//! sends the agent's provider traffic through over HTTP on loopback.
//!
//! The policy file is read when the scenario is loaded (`load_files`), relative to the scenario
//! file, and validated against the gateway's Cedar schema; its problems point into it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::SourceFile;
use super::spans::{Spans, doc_path};
use super::{ErrorKind, ScenarioError};
use crate::guardrails::gateway::Policies;

/// The gateway layer: what stands between the agent and the provider.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// A Cedar policy file, relative to the scenario file, such as
    /// `"policies/no-destructive-on-production.cedar"`. Every provider call is evaluated against
    /// it; the report quotes the `@id` of the policy that decided. `firedrill cedar-schema`
    /// prints the schema it is validated against.
    #[serde(default)]
    pub cedar: Option<String>,
    /// The team's own proxy, started by the run (`command`) or already listening (`url`); the
    /// agent's provider calls go through it over HTTP, and what it answers is the gateway's
    /// decision.
    #[serde(default)]
    pub proxy: Option<Proxy>,
    /// The policy file's text, read by `load_files`.
    #[serde(skip)]
    pub policies: Option<PolicyFile>,
    /// The folder of the scenario file: where the policy file is read from and the proxy's
    /// command runs.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// A policy file as read: the path diagnostics name it by, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyFile {
    pub path: String,
    pub text: Arc<str>,
}

/// The team's reverse proxy in front of the provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proxy {
    /// The command that starts the proxy in the foreground, as a list of arguments, run in the
    /// scenario file's folder, such as `["haproxy", "-db", "-f", "haproxy.cfg"]`. `{mock}` in an
    /// argument is replaced by the mock's address (`127.0.0.1:PORT`), `{mock_url}` by its URL
    /// and `{port}` by the port the proxy must listen on; the same values are in the
    /// environment variables `FIREDRILL_MOCK_ADDR`, `FIREDRILL_MOCK_URL` and
    /// `FIREDRILL_PROXY_PORT`. The run stops it at the end.
    #[serde(default)]
    pub command: Vec<String>,
    /// Where the proxy listens, `http://127.0.0.1:PORT` (loopback only). Without `command`, a
    /// proxy you started yourself; with it, the port the command listens on instead of one the
    /// run picks.
    #[serde(default)]
    pub url: Option<String>,
    /// The port the mock listens on, on 127.0.0.1, for a proxy that must be configured with it
    /// in advance; required with `url` alone. Defaults to a free port.
    #[serde(default)]
    pub mock_port: Option<u16>,
}

/// The `host:port` of a loopback `http://` URL, or why it is not one.
pub fn loopback_address(url: &str) -> Result<(String, u16), String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| "the proxy's URL must start with `http://`".to_string())?;
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = authority.rsplit_once(':').ok_or_else(|| "the proxy's URL must name its port".to_string())?;
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Err(format!("`{host}` is not loopback: firedrill sends nothing beyond 127.0.0.1"));
    }
    let port: u16 = port.parse().map_err(|_| format!("`{port}` is not a port"))?;
    if port == 0 {
        return Err("port 0 is not a port a proxy listens on".into());
    }
    Ok((host.to_string(), port))
}

/// Checks the `[gateway]` table's values (not the files it names; `load_files` reads those).
pub(crate) fn check(file: &SourceFile, spans: &Spans<'_>, gateway: &Gateway) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    let error = |kind, at: &[super::spans::Seg<'_>], message: &str| ScenarioError::new(kind, file, spans.at(at), message);
    if gateway.cedar.is_none() && gateway.proxy.is_none() {
        errors.push(
            error(ErrorKind::InvalidValue, doc_path!["gateway"], "the `[gateway]` table names no gateway")
                .label("empty")
                .help("set `cedar = \"policies.cedar\"` or `proxy = { command = [...] }`, or remove the table"),
        );
    }
    if gateway.cedar.as_deref().is_some_and(|c| c.trim().is_empty()) {
        errors.push(
            error(ErrorKind::InvalidValue, doc_path!["gateway", "cedar"], "the policy file's path is empty")
                .label("empty path")
                .help("write the path of a Cedar policy file, relative to this file"),
        );
    }
    if let Some(proxy) = &gateway.proxy {
        if proxy.command.is_empty() && proxy.url.is_none() {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["gateway", "proxy"], "the proxy has neither a `command` nor a `url`")
                    .label("no proxy here")
                    .help("`command = [\"haproxy\", \"-db\", \"-f\", \"haproxy.cfg\"]` starts one; `url = \"http://127.0.0.1:8080\"` uses one already listening"),
            );
        }
        if proxy.command.first().is_some_and(|c| c.trim().is_empty()) {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["gateway", "proxy", "command", 0], "the proxy's command is empty")
                    .label("empty program")
                    .help("the first item is the program to run"),
            );
        }
        if let Some(url) = &proxy.url
            && let Err(why) = loopback_address(url)
        {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["gateway", "proxy", "url"], &why)
                    .label("not a loopback URL")
                    .help("write `http://127.0.0.1:PORT`"),
            );
        }
        if proxy.command.is_empty() && proxy.url.is_some() && proxy.mock_port.is_none() {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["gateway", "proxy"],
                    "a proxy started outside the run must know where the mock listens",
                )
                .label("no `mock_port`")
                .help("set `mock_port`, the port your proxy forwards to on 127.0.0.1"),
            );
        }
        if proxy.mock_port == Some(0) {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["gateway", "proxy", "mock_port"], "`mock_port` is 0")
                    .label("not a port")
                    .help("leave it out for a free port, or name the port your proxy forwards to"),
            );
        }
    }
    errors
}

/// Reads the policy file the gateway names, relative to `dir` (the scenario file's folder),
/// validates it, and keeps its text in the scenario. `path` and `source` are the scenario file's,
/// for errors about the `cedar` key; errors in the policy file point into the policy file.
pub(crate) fn load_files(dir: &Path, path: &str, source: &str, gateway: &mut Gateway) -> Vec<ScenarioError> {
    gateway.dir = Some(dir.to_path_buf());
    let Some(cedar) = gateway.cedar.clone().filter(|c| !c.trim().is_empty()) else { return Vec::new() };
    let scenario_file = SourceFile::new(path, source);
    let spans = Spans::new(source);
    let shown = Path::new(path).parent().unwrap_or(Path::new("")).join(&cedar).display().to_string();
    let at = spans.at(doc_path!["gateway", "cedar"]);
    let max = super::limits::MAX_SCENARIO_BYTES;
    let real = dir.join(&cedar);
    let text = match std::fs::metadata(&real) {
        Ok(m) if m.len() > max as u64 => Err(format!("`{shown}` is {} bytes; a policy file is at most {max} bytes", m.len())),
        Ok(_) => std::fs::read_to_string(&real).map_err(|e| format!("cannot read `{shown}`: {e}")),
        Err(e) => Err(format!("cannot read `{shown}`: {e}")),
    };
    let text = match text {
        Ok(text) => text,
        Err(message) => {
            let error = ScenarioError::new(ErrorKind::UnknownReference, &scenario_file, at, message)
                .label("no policy file here")
                .help("the path is relative to the scenario file's folder");
            return vec![error];
        }
    };
    match Policies::parse(&text) {
        Ok(_) => {
            gateway.policies = Some(PolicyFile { path: shown, text: Arc::from(text) });
            Vec::new()
        }
        Err(problems) => {
            let policy_file = SourceFile::new(&shown, &text);
            problems
                .into_iter()
                .map(|p| {
                    let e = ScenarioError::new(ErrorKind::Policy, &policy_file, p.span, p.message).label(p.label);
                    match p.help {
                        Some(h) => e.help(h),
                        None => e,
                    }
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_urls_with_a_port_are_proxies() {
        for (url, ok) in [
            ("http://127.0.0.1:8080", true),
            ("http://localhost:8080/graphql/v2", true),
            ("http://[::1]:9", true),
            ("https://127.0.0.1:8080", false),
            ("http://10.0.0.1:8080", false),
            ("http://backboard.railway.com:80", false),
            ("http://127.0.0.1", false),
            ("http://127.0.0.1:0", false),
            ("http://127.0.0.1:99999", false),
        ] {
            assert_eq!(loopback_address(url).is_ok(), ok, "{url}");
        }
    }
}
