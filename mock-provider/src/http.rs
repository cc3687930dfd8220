//! The HTTP face of the provider (axum): Railway's endpoint, a GraphQL console page, and the
//! loopback-only admin surface under `/_firedrill/`.
//!
//! INVARIANT: this is the only module that knows axum. Everything it serves goes through
//! `Provider`, so HTTP and in-process callers see the same answers.

mod console;
mod envelope;
mod guard;
mod rate;
mod server;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::provider::Provider;
use crate::request::{Credentials, ProviderRequest};
use crate::time::{Duration, Instant};

/// Produces the incident report of what happened so far; supplied by the harness, which
/// needs to await its off-site store.
pub type ReportHook = Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Value> + Send>> + Send + Sync>;

/// The response header carrying the request's audit number (`AuditEntry::seq`) on every answer
/// of `POST /graphql/v2`. Railway sends no such header; the mock adds it so that a request sent
/// through a team's proxy can be matched with the provider's record of it.
pub const REQUEST_HEADER: &str = "x-firedrill-request";

/// Railway's published API limits, for the optional rate limiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub per_hour: u32,
}

impl RateLimit {
    pub const HOBBY: RateLimit = RateLimit { per_hour: 1000 };
    pub const PRO: RateLimit = RateLimit { per_hour: 10_000 };
}

/// What `serve` adds around the provider.
#[derive(Clone, Default)]
pub struct ServeOptions {
    /// Largest accepted request body; larger ones get 413.
    pub body_limit: Option<usize>,
    /// Off by default: the simulated clock does not move on its own, so an hourly window
    /// would otherwise cap load tests.
    pub rate_limit: Option<RateLimit>,
    pub report: Option<ReportHook>,
    /// How long a connection may take to send its headers before it is closed;
    /// `limits::HEADER_READ_TIMEOUT` when unset.
    pub header_read_timeout: Option<std::time::Duration>,
}

#[derive(Clone)]
struct App {
    provider: Provider,
    options: ServeOptions,
    rate: Option<Arc<rate::RateLimiter>>,
}

/// The router, for embedding or for tests with `tower::ServiceExt::oneshot`.
pub fn router(provider: Provider, options: ServeOptions) -> Router {
    let limit = options.body_limit.unwrap_or(crate::limits::MAX_BODY_BYTES);
    let rate = options.rate_limit.map(|l| Arc::new(rate::RateLimiter::new(l)));
    let app = App { provider: provider.clone(), options, rate };
    let admin = Router::new()
        .route("/tokens", get(admin_tokens))
        .route("/clock", get(admin_clock))
        .route("/clock/advance", post(admin_advance))
        .route("/audit", get(admin_audit))
        .route("/state", get(admin_state))
        .route("/report", get(admin_report))
        .route("/volumes/{id}/restore", post(admin_restore))
        .route("/environments/{id}/protection", post(admin_protect))
        .route("/tokens/{name}/scopes", post(admin_scopes))
        .layer(middleware::from_fn(guard::admin_only));
    Router::new()
        .route("/graphql/v2", post(graphql).get(console::console))
        .nest("/_firedrill", admin)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        // Outermost, so that axum's own refusals (404, 405, 413) get the envelope too.
        .layer(middleware::from_fn_with_state(provider, envelope::envelope))
        .with_state(app)
}

/// A bound server: `Server::bind(provider, "127.0.0.1:0".parse()?, opts).await?`, then
/// `local_addr()` and `run()`.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    header_read_timeout: std::time::Duration,
}

impl Server {
    pub async fn bind(provider: Provider, addr: SocketAddr, options: ServeOptions) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let header_read_timeout = options.header_read_timeout.unwrap_or(crate::limits::HEADER_READ_TIMEOUT);
        Ok(Server { listener, router: router(provider, options), header_read_timeout })
    }
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
    pub async fn run(self) -> std::io::Result<()> {
        server::serve(self.listener, self.router, self.header_read_timeout).await
    }
}

async fn not_found(uri: axum::http::Uri) -> Response {
    let path: String = uri.path().chars().take(200).collect();
    envelope::refuse(StatusCode::NOT_FOUND, "NOT_FOUND", format!("no route `{path}`: Railway's API is `POST /graphql/v2`"))
}

fn header_str(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphqlBody {
    query: String,
    #[serde(default)]
    variables: Option<Value>,
    #[serde(default)]
    operation_name: Option<String>,
}

fn bad_request(msg: String) -> Response {
    envelope::refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", msg)
}

async fn graphql(AxState(app): AxState<App>, headers: HeaderMap, body: Bytes) -> Response {
    // Any content type is accepted: curl's `-d` sends form-encoded headers with a JSON body.
    let parsed: GraphqlBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(format!("body is not a GraphQL request: {e}; expected JSON like {{\"query\": \"...\"}}")),
    };
    let variables = match parsed.variables {
        Some(Value::Null) | None => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return bad_request("`variables` must be a JSON object".into()),
    };
    // `Team-Access-Token` is deliberately not read: Railway removed it.
    let credentials = Credentials {
        authorization: header_str(&headers, "authorization"),
        project_access_token: header_str(&headers, "project-access-token"),
        user_agent: header_str(&headers, "user-agent"),
        x_source: header_str(&headers, "x-source"),
    };
    let allowed = match &app.rate {
        Some(limiter) => match limiter.check(&app.provider, &credentials) {
            Ok(allowed) => Some(allowed),
            Err(limited) => return limited.response(),
        },
        None => None,
    };
    let req =
        ProviderRequest { query: parsed.query, variables, operation_name: parsed.operation_name, credentials, channel: "http".into() };
    let out = app.provider.execute(req).await;
    let bytes = out.to_bytes();
    // The request's number in the audit, so whoever sent it through a proxy can read the
    // provider's own record of exactly this request (`Audit::entry`).
    let mut resp = ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
    resp.headers_mut().insert(header::HeaderName::from_static(REQUEST_HEADER), header::HeaderValue::from(out.record().seq));
    if let Some(allowed) = allowed {
        allowed.apply(&mut resp);
    }
    resp
}

async fn admin_tokens(AxState(app): AxState<App>) -> Response {
    let tokens: Vec<Value> = app
        .provider
        .with_state(|s| s.tokens().values().map(|t| json!({"name": t.name, "kind": t.kind.label(), "secret": t.secret})).collect());
    axum::Json(Value::Array(tokens)).into_response()
}

async fn admin_clock(AxState(app): AxState<App>) -> Response {
    axum::Json(json!({"now": app.provider.now()})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    by: Option<String>,
    to: Option<String>,
}

async fn admin_advance(AxState(app): AxState<App>, body: Bytes) -> Response {
    let adv: Advance = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return bad_request(format!("expected {{\"by\": \"48h\"}} or {{\"to\": \"2026-04-26T15:00:00Z\"}}: {e}")),
    };
    let target = match (adv.by, adv.to) {
        (Some(by), None) => match Duration::parse(&by) {
            Ok(d) if d.as_secs() >= 0 => app.provider.now() + d,
            Ok(_) => return bad_request("the clock only moves forward".into()),
            Err(e) => return bad_request(e.to_string()),
        },
        (None, Some(to)) => match Instant::parse(&to) {
            Ok(t) if t >= app.provider.now() => t,
            Ok(_) => return bad_request("the clock only moves forward".into()),
            Err(e) => return bad_request(e.to_string()),
        },
        _ => return bad_request("give exactly one of `by` or `to`".into()),
    };
    if let Err(e) = app.provider.try_advance_to(target) {
        return bad_request(e.to_string());
    }
    axum::Json(json!({"now": app.provider.now()})).into_response()
}

async fn admin_audit(AxState(app): AxState<App>) -> Response {
    let (entries, dropped) = app.provider.with_audit(|a| (a.iter().cloned().collect::<Vec<_>>(), a.dropped()));
    axum::Json(json!({"entries": entries, "dropped": dropped})).into_response()
}

async fn admin_state(AxState(app): AxState<App>) -> Response {
    axum::Json(app.provider.with_state(|s| s.dump())).into_response()
}

async fn admin_report(AxState(app): AxState<App>) -> Response {
    match &app.options.report {
        Some(hook) => axum::Json(hook().await).into_response(),
        None => envelope::refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "reports need a scenario: serve --scenario FILE"),
    }
}

async fn admin_restore(AxState(app): AxState<App>, Path(id): Path<String>) -> Response {
    match app.provider.with_state_mut(|s| s.restore_deleted_volume(&id)) {
        Ok(changes) => axum::Json(json!({"restored": changes})).into_response(),
        Err(e) => envelope::refuse(StatusCode::CONFLICT, e.code(), e.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Protection {
    protected: bool,
}

async fn admin_protect(AxState(app): AxState<App>, Path(id): Path<String>, body: Bytes) -> Response {
    let p: Protection = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return bad_request(format!("expected {{\"protected\": true}}: {e}")),
    };
    match app.provider.with_state_mut(|s| s.set_environment_protected(&id, p.protected)) {
        Ok(()) => axum::Json(json!({"environment": id, "protected": p.protected})).into_response(),
        Err(e) => envelope::refuse(StatusCode::NOT_FOUND, e.code(), e.to_string()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scopes {
    scopes: Option<Vec<String>>,
}

async fn admin_scopes(AxState(app): AxState<App>, Path(name): Path<String>, body: Bytes) -> Response {
    let s: Scopes = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return bad_request(format!("expected {{\"scopes\": [\"customDomainCreate\"]}} or {{\"scopes\": null}}: {e}")),
    };
    if let Some(unknown) = s.scopes.iter().flatten().find(|op| crate::ops::Op::from_name(op).is_none()) {
        return bad_request(format!("unknown operation `{unknown}` in scopes"));
    }
    match app.provider.with_state_mut(|st| st.set_token_scopes(&name, s.scopes.clone())) {
        Ok(()) => axum::Json(json!({"token": name, "scopes": s.scopes})).into_response(),
        Err(e) => envelope::refuse(StatusCode::NOT_FOUND, e.code(), e.to_string()),
    }
}
