//! The HTTP face of the provider (axum): Railway's endpoint, a GraphiQL page, and the
//! loopback-only admin surface under `/_firedrill/`.
//!
//! INVARIANT: this is the only module that knows axum. Everything it serves goes through
//! `Provider`, so HTTP and in-process callers see the same answers.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::provider::Provider;
use crate::request::{Credentials, ProviderRequest};
use crate::time::{Duration, Instant};

/// Produces the incident report of what happened so far; supplied by the harness, which
/// needs to await its off-site store.
pub type ReportHook = Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Value> + Send>> + Send + Sync>;

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
}

const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
struct App {
    provider: Provider,
    options: ServeOptions,
    /// (credential, hour window) → requests counted, on the simulated clock.
    rate: Arc<Mutex<HashMap<String, (i64, u32)>>>,
}

/// The router, for embedding or for tests with `tower::ServiceExt::oneshot`.
pub fn router(provider: Provider, options: ServeOptions) -> Router {
    let limit = options.body_limit.unwrap_or(DEFAULT_BODY_LIMIT);
    let app = App { provider, options, rate: Arc::new(Mutex::new(HashMap::new())) };
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
        .layer(middleware::from_fn(loopback_only));
    Router::new()
        .route("/graphql/v2", post(graphql).get(graphiql))
        .nest("/_firedrill", admin)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

/// A bound server: `Server::bind(provider, "127.0.0.1:0".parse()?, opts).await?`, then
/// `local_addr()` and `run()`.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Server {
    pub async fn bind(provider: Provider, addr: SocketAddr, options: ServeOptions) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        Ok(Server { listener, router: router(provider, options) })
    }
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>()).await
    }
}

async fn loopback_only(ConnectInfo(peer): ConnectInfo<SocketAddr>, req: axum::extract::Request, next: Next) -> Response {
    if !peer.ip().is_loopback() {
        return (StatusCode::FORBIDDEN, axum::Json(json!({"error": "the admin surface answers on loopback only"}))).into_response();
    }
    next.run(req).await
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
    (StatusCode::BAD_REQUEST, axum::Json(json!({"errors": [{"message": msg}]}))).into_response()
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
    let mut rate_headers = None;
    if let Some(limit) = app.options.rate_limit {
        let key = credentials.project_access_token.clone().or_else(|| credentials.authorization.clone()).unwrap_or_default();
        let window = app.provider.now().0.div_euclid(3600);
        let count = {
            let mut rate = app.rate.lock().unwrap_or_else(|p| p.into_inner());
            let slot = rate.entry(key).or_insert((window, 0));
            if slot.0 != window {
                *slot = (window, 0);
            }
            slot.1 += 1;
            slot.1
        };
        let reset = (window + 1) * 3600;
        if count > limit.per_hour {
            let retry = reset - app.provider.now().0;
            let mut resp =
                (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({"errors": [{"message": "Rate limit exceeded"}]}))).into_response();
            let h = resp.headers_mut();
            h.insert("retry-after", HeaderValue::from(retry));
            h.insert("x-ratelimit-limit", HeaderValue::from(limit.per_hour));
            h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
            h.insert("x-ratelimit-reset", HeaderValue::from(reset));
            return resp;
        }
        rate_headers = Some((limit.per_hour, limit.per_hour - count, reset));
    }
    let req =
        ProviderRequest { query: parsed.query, variables, operation_name: parsed.operation_name, credentials, channel: "http".into() };
    let out = app.provider.execute(req).await;
    let bytes = out.to_bytes();
    let mut resp = ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
    if let Some((limit, remaining, reset)) = rate_headers {
        let h = resp.headers_mut();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        h.insert("x-ratelimit-reset", HeaderValue::from(reset));
    }
    resp
}

async fn graphiql() -> Html<String> {
    Html(async_graphql::http::GraphiQLSource::build().endpoint("/graphql/v2").title("firedrill: mock Railway API").finish())
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
    app.provider.advance_to(target);
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
        None => (StatusCode::NOT_FOUND, axum::Json(json!({"error": "reports need a scenario: serve --scenario FILE"}))).into_response(),
    }
}

async fn admin_restore(AxState(app): AxState<App>, Path(id): Path<String>) -> Response {
    match app.provider.with_state_mut(|s| s.restore_deleted_volume(&id)) {
        Ok(changes) => axum::Json(json!({"restored": changes})).into_response(),
        Err(e) => (StatusCode::CONFLICT, axum::Json(json!({"error": e.to_string(), "code": e.code()}))).into_response(),
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
        Err(e) => (StatusCode::NOT_FOUND, axum::Json(json!({"error": e.to_string()}))).into_response(),
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
        Err(e) => (StatusCode::NOT_FOUND, axum::Json(json!({"error": e.to_string()}))).into_response(),
    }
}
