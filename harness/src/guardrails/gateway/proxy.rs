//! `ProxyGateway`: the team's own proxy as the gateway layer. The run serves the mock on loopback,
//! starts the proxy (or finds it listening), and sends each of the agent's provider calls to it
//! over real HTTP, as the agent's tool would send it to Railway. What the proxy answers is the
//! gateway's decision: an answer that carries the mock's `x-firedrill-request` header came out
//! the other side (the provider's record of that very request is read by its number), any other
//! answer is the proxy's own.
//!
//! Why a marker guardrail (`ProxyLayer`): the proxy judges calls on the wire, after the stack's
//! layers, so in the stack it answers nothing; its presence keeps the stack from standing an
//! "allow all" in for a gateway that is there.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use mock_provider::http::{REQUEST_HEADER, ServeOptions, Server};
use mock_provider::{AuditEntry, Credentials, Provider};

use super::process::{Addresses, ProxyProcess, free_port, wait_for};
use crate::guardrails::{Decision, Guardrail, Layer, ProviderCall, Subject, Verdict};

/// How the run reaches the team's proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The command to start (empty: a proxy already listening at `url`).
    pub command: Vec<String>,
    /// Where it listens; `None`: a free port the run picks and tells the command.
    pub listen: Option<SocketAddr>,
    /// The port the mock listens on; `None`: a free one.
    pub mock_port: Option<u16>,
    /// Where the command runs: the scenario file's folder.
    pub dir: PathBuf,
}

/// The most of the proxy's own answer a decision quotes.
const EXCERPT_CHARS: usize = 160;

/// A running proxy with the mock behind it. Dropping it stops both.
pub struct ProxyGateway {
    provider: Provider,
    /// `http://127.0.0.1:PORT`, the proxy's address.
    base: String,
    client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    _process: Option<ProxyProcess>,
}

/// What became of a call sent through the proxy.
pub enum ProxyAnswer {
    /// It came out the other side: the gateway's decision, and the provider's record of it.
    Passed { decision: Decision, record: Arc<AuditEntry> },
    /// The proxy answered itself (or not at all): the gateway's decision.
    Stopped { decision: Decision },
}

impl ProxyGateway {
    /// Serves `provider` on 127.0.0.1 and starts (or finds) the proxy in front of it.
    ///
    /// # Errors
    ///
    /// The mock cannot be served, or the proxy cannot be started or reached.
    pub async fn start(provider: Provider, cfg: ProxyConfig) -> Result<ProxyGateway, String> {
        let mock: SocketAddr = ([127, 0, 0, 1], cfg.mock_port.unwrap_or(0)).into();
        let server = Server::bind(provider.clone(), mock, ServeOptions::default())
            .await
            .map_err(|e| format!("cannot serve the mock on {mock} for the proxy: {e}"))?;
        let mock = server.local_addr().map_err(|e| e.to_string())?;
        let server = tokio::spawn(async move {
            let _ = server.run().await;
        });
        let listen = match cfg.listen {
            Some(a) => a,
            None => ([127, 0, 0, 1], free_port()?).into(),
        };
        let process = if cfg.command.is_empty() {
            wait_for(listen).await?;
            None
        } else {
            match ProxyProcess::start(&cfg.command, &cfg.dir, &Addresses { mock, listen }).await {
                Ok(p) => Some(p),
                Err(e) => {
                    server.abort();
                    return Err(e);
                }
            }
        };
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(ProxyGateway { provider, base: format!("http://{listen}"), client, server, _process: process })
    }

    /// Sends `call` (with the agent's `credentials`) through the proxy.
    pub async fn send(&self, call: &ProviderCall, credentials: &Credentials) -> ProxyAnswer {
        let mut body = serde_json::json!({ "query": call.query });
        if call.variables.is_object() {
            body["variables"] = call.variables.clone();
        }
        // The agent addressed Railway's host; the proxy sees that host, as it would in front of it.
        let host = call.host.split_whitespace().next().unwrap_or_default();
        let mut request = self.client.post(format!("{}/graphql/v2", self.base)).header("content-type", "application/json").json(&body);
        if !host.is_empty() {
            request = request.header("host", host);
        }
        for (name, value) in [
            ("authorization", &credentials.authorization),
            ("project-access-token", &credentials.project_access_token),
            ("user-agent", &credentials.user_agent),
            ("x-source", &credentials.x_source),
        ] {
            if let Some(v) = value {
                request = request.header(name, v);
            }
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return stopped(Verdict::Error, format!("the proxy at {} did not answer: {e}", self.base)),
        };
        let status = response.status().as_u16();
        let seq = response.headers().get(REQUEST_HEADER).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let text = response.text().await.unwrap_or_default();
        let Some(seq) = seq else {
            return stopped(Verdict::Deny, format!("the proxy answered HTTP {status} itself: {}", excerpt(&text)));
        };
        let Some(record) = self.provider.audit_entry(seq) else {
            return stopped(Verdict::Error, format!("the provider answered request #{seq}, but its record is no longer in the audit"));
        };
        let sent = call.root_fields.join(", ");
        let received = record.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(", ");
        let by = |t: &Option<String>| t.as_ref().map_or_else(|| "no token".to_string(), |t| format!("token `{t}`"));
        let mut why = format!(
            "the proxy passed it on (HTTP {status}); the provider received request #{seq}: `{received}` with {}",
            by(&record.token)
        );
        if sent != received || call.token != record.token {
            why.push_str(&format!(" (the agent sent `{sent}` with {})", by(&call.token)));
        }
        ProxyAnswer::Passed { decision: Decision::allow(Layer::Gateway, why), record }
    }
}

impl Drop for ProxyGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn stopped(verdict: Verdict, reason: String) -> ProxyAnswer {
    ProxyAnswer::Stopped { decision: Decision::new(Layer::Gateway, verdict, reason) }
}

/// The start of `text` on one line, whitespace collapsed, for a decision to quote.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "(an empty body)".into();
    }
    let mut out: String = flat.chars().take(EXCERPT_CHARS).collect();
    if flat.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    format!("`{out}`")
}

/// The proxy's place in the stack: it answers nothing there (it judges calls on the wire), and
/// being there keeps the stack from standing an "allow all" in for the gateway.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProxyLayer;

impl Guardrail for ProxyLayer {
    fn layer(&self) -> Layer {
        Layer::Gateway
    }
    fn check(&self, _: Subject<'_>) -> Option<Decision> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn an_excerpt_is_one_short_line() {
        assert_eq!(excerpt("<html>\n  <body>403</body>\n</html>\n"), "`<html> <body>403</body> </html>`");
        assert_eq!(excerpt(""), "(an empty body)");
        assert!(excerpt(&"x".repeat(500)).ends_with("…`"));
    }
}
