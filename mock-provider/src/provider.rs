//! The in-process provider: a shared state, its audit log, and GraphQL execution at the cost
//! of a function call. `http` puts the same `Provider` behind axum.

use std::sync::{Arc, Mutex};

use crate::audit::{Audit, AuditEntry, FieldRecord};
use crate::auth::Principal;
use crate::error::ProviderError;
use crate::profile::Profile;
use crate::request::{ProviderRequest, RequestCtx};
use crate::state::State;
use crate::time::{Duration, Instant};
use crate::world::WorldSpec;

/// A handle to one provider world. Cheap to clone; clones share the world.
#[derive(Clone)]
pub struct Provider {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    audit: Mutex<Audit>,
    seed: u64,
}

/// A GraphQL response in Railway's envelope.
///
/// Why lazy: turning async-graphql's response into a `serde_json::Value` was a sixth of a
/// request's cost, and the HTTP server only needs bytes. `body()` builds the JSON on first use.
#[derive(Debug)]
pub struct ProviderResponse {
    raw: Option<async_graphql::Response>,
    body: std::sync::OnceLock<serde_json::Value>,
    pub trace_id: String,
}

impl ProviderResponse {
    fn from_json(body: serde_json::Value, trace_id: String) -> Self {
        ProviderResponse { raw: None, body: std::sync::OnceLock::from(body), trace_id }
    }

    /// The whole response as JSON, errors carrying Railway's `traceId`.
    pub fn body(&self) -> &serde_json::Value {
        self.body.get_or_init(|| {
            let Some(raw) = &self.raw else { return serde_json::json!({"data": null}) };
            let mut body = serde_json::to_value(raw).unwrap_or_else(|_| serde_json::json!({"data": null}));
            if let Some(errors) = body.get_mut("errors").and_then(|e| e.as_array_mut()) {
                for e in errors.iter_mut() {
                    if let Some(obj) = e.as_object_mut() {
                        obj.insert("traceId".into(), serde_json::Value::String(self.trace_id.clone()));
                        if !obj.contains_key("extensions") {
                            obj.insert("extensions".into(), serde_json::json!({"code": "GRAPHQL_VALIDATION_FAILED"}));
                        }
                    }
                }
            }
            body
        })
    }

    /// The response as the HTTP body Railway would send.
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.raw {
            Some(raw) if raw.errors.is_empty() => serde_json::to_vec(raw).unwrap_or_default(),
            // `data` straight from async-graphql keeps its keys in the document's order, as
            // Railway's do; only the errors go through `body()` for their traceId.
            Some(raw) => {
                #[derive(serde::Serialize)]
                struct Body<'a> {
                    data: &'a async_graphql::Value,
                    errors: &'a serde_json::Value,
                }
                serde_json::to_vec(&Body { data: &raw.data, errors: &self.body()["errors"] }).unwrap_or_default()
            }
            None => serde_json::to_vec(self.body()).unwrap_or_default(),
        }
    }

    pub fn data(&self) -> &serde_json::Value {
        &self.body()["data"]
    }
    /// The `errors` array, empty when there were none.
    pub fn errors(&self) -> Vec<&serde_json::Value> {
        self.body()["errors"].as_array().map(|a| a.iter().collect()).unwrap_or_default()
    }
    pub fn is_ok(&self) -> bool {
        match &self.raw {
            Some(raw) => raw.errors.is_empty(),
            None => self.errors().is_empty(),
        }
    }
}

/// Builds a `Provider`: `Provider::builder().profile(Profile::railway()).seed(7).world(spec).build()`.
#[must_use]
pub struct ProviderBuilder {
    profile: Profile,
    seed: u64,
    world: WorldSpec,
    start: Instant,
    history: Duration,
    audit_capacity: usize,
}

impl ProviderBuilder {
    pub fn profile(mut self, p: Profile) -> Self {
        self.profile = p;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    pub fn world(mut self, w: WorldSpec) -> Self {
        self.world = w;
        self
    }
    /// The instant the clock reads once the world is built.
    pub fn start(mut self, t: Instant) -> Self {
        self.start = t;
        self
    }
    /// How long before `start` the world was created; schedules run through it.
    pub fn history(mut self, d: Duration) -> Self {
        self.history = d;
        self
    }
    pub fn audit_capacity(mut self, n: usize) -> Self {
        self.audit_capacity = n;
        self
    }
    pub fn build(self) -> Result<Provider, ProviderError> {
        check_span("the history", self.history)?;
        let mut state = State::build(self.profile, self.seed, self.start - self.history, &self.world)?;
        state.advance_to(self.start);
        Ok(Provider::with_capacity(state, self.seed, self.audit_capacity))
    }
}

impl Provider {
    /// Defaults: today's `railway` profile, seed 0, an empty world, the demo start instant.
    pub fn builder() -> ProviderBuilder {
        ProviderBuilder {
            profile: Profile::railway(),
            seed: 0,
            world: WorldSpec::default(),
            start: crate::world::demo_start(),
            history: Duration::ZERO,
            audit_capacity: crate::limits::AUDIT_MAX_ENTRIES,
        }
    }

    /// The demo world of `serve --demo`.
    pub fn demo(profile: Profile) -> Result<Provider, ProviderError> {
        Provider::builder().profile(profile).seed(7).world(WorldSpec::demo()).history(crate::world::DEMO_HISTORY).build()
    }

    /// Wraps an existing state; `seed` feeds trace ids.
    pub fn from_state(state: State, seed: u64) -> Provider {
        Provider::with_capacity(state, seed, crate::limits::AUDIT_MAX_ENTRIES)
    }

    fn with_capacity(state: State, seed: u64, capacity: usize) -> Provider {
        Provider { inner: Arc::new(Inner { state: Mutex::new(state), audit: Mutex::new(Audit::new(capacity)), seed }) }
    }

    /// Runs `f` on the state. The lock is held only for `f`.
    pub fn with_state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.inner.state.lock().unwrap_or_else(|p| p.into_inner()))
    }
    pub fn with_state_mut<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.inner.state.lock().unwrap_or_else(|p| p.into_inner()))
    }
    /// A copy of the whole state, for reports and forks.
    pub fn snapshot(&self) -> State {
        self.with_state(State::clone)
    }
    pub fn now(&self) -> Instant {
        self.with_state(State::now)
    }
    /// Moves the clock to `t`. Any span is cheap (`State::advance_to` is arithmetic over
    /// schedules); callers facing untrusted input use `try_advance_to`.
    pub fn advance_to(&self, t: Instant) {
        self.with_state_mut(|s| s.advance_to(t));
    }
    /// `advance_to`, refusing a span over `limits::MAX_SIMULATED_SPAN` without moving the clock.
    pub fn try_advance_to(&self, t: Instant) -> Result<(), ProviderError> {
        self.with_state_mut(|s| {
            check_span("an advance", t.since(s.now()))?;
            s.advance_to(t);
            Ok(())
        })
    }
    pub fn advance_by(&self, d: Duration) {
        self.with_state_mut(|s| {
            let t = s.now() + d;
            s.advance_to(t);
        });
    }

    /// Runs `f` on the audit log.
    pub fn with_audit<T>(&self, f: impl FnOnce(&Audit) -> T) -> T {
        f(&self.inner.audit.lock().unwrap_or_else(|p| p.into_inner()))
    }
    /// A copy of every audit entry still held, oldest first.
    pub fn audit(&self) -> Vec<AuditEntry> {
        self.with_audit(|a| a.iter().cloned().collect())
    }

    fn trace_id(&self, seq: u64) -> String {
        // SplitMix64 of (seed, seq): deterministic, and distinct across requests.
        let mut z = self.inner.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seq.wrapping_add(0x632B_E59B_D9B4_E019);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        format!("{:019}", z % 10_000_000_000_000_000_000)
    }

    /// Executes one GraphQL request the way Railway would answer it.
    pub async fn execute(&self, req: ProviderRequest) -> ProviderResponse {
        let (seq, at) = (self.with_audit_mut(|a| a.next_seq()), self.now());
        let trace_id = self.trace_id(seq);
        let creds = &req.credentials;
        let mut entry = AuditEntry {
            seq,
            at,
            trace_id: trace_id.clone(),
            channel: req.channel.clone(),
            token: None,
            token_kind: "anonymous".into(),
            header: None,
            user_agent: creds.user_agent.clone(),
            x_source: creds.x_source.clone(),
            operation_name: req.operation_name.clone(),
            fields: Vec::new(),
            errors: Vec::new(),
        };
        // Railway's CLI sends a project token as `project-access-token`; it wins over a bearer.
        let principal = if let Some(secret) = &creds.project_access_token {
            entry.header = Some("Project-Access-Token".into());
            match self.with_state(|s| s.principal_for_secret(secret.trim())) {
                Some(p) if p.kind_label() == "project" => p,
                _ => {
                    let e = ProviderError::ProjectTokenNotFound;
                    entry.errors.push(e.to_string());
                    let body = error_body(&e, &trace_id);
                    self.with_audit_mut(|a| a.push(entry));
                    return ProviderResponse::from_json(body, trace_id);
                }
            }
        } else if let Some((header, secret)) = creds.secret() {
            entry.header = Some(header.into());
            self.with_state(|s| s.principal_for_secret(secret)).unwrap_or_else(Principal::anonymous)
        } else {
            Principal::anonymous()
        };
        entry.token = principal.token_name.clone();
        entry.token_kind = principal.kind_label().to_string();

        // Every limit is checked before async-graphql parses or validates (`admission`).
        let admission = match crate::admission::admit(&req) {
            Ok(a) => a,
            Err(refusal) => {
                entry.errors.push(refusal.error.to_string());
                entry.fields = refusal.root_fields.into_iter().map(FieldRecord::not_executed).collect();
                let body = error_body(&refusal.error, &trace_id);
                self.with_audit_mut(|a| a.push(entry));
                return ProviderResponse::from_json(body, trace_id);
            }
        };
        let ctx = Arc::new(RequestCtx { provider: self.clone(), principal, fields: Mutex::new(Vec::new()) });
        let mut gql = async_graphql::Request::new(req.query.clone());
        if let Some(doc) = admission.parsed {
            gql.set_parsed_query(doc);
        }
        if let Some(v) = req.variables.clone() {
            gql = gql.variables(async_graphql::Variables::from_json(v));
        }
        if let Some(op) = req.operation_name.clone() {
            gql = gql.operation_name(op);
        }
        let key = admission.validation_key;
        let mut response = if key.as_deref().is_some_and(crate::admission::validated) {
            crate::schema::prevalidated_schema().execute(gql.data(ctx.clone())).await
        } else {
            let response = crate::schema::schema().execute(gql.data(ctx.clone())).await;
            // Validation errors carry no path; resolver errors always do.
            if let Some(key) = key
                && response.errors.iter().all(|e| !e.path.is_empty())
            {
                crate::admission::remember_validated(key);
            }
            response
        };
        // Resolver errors carry a path; only they leave holes in `data` to fill with nulls.
        if response.errors.iter().any(|e| !e.path.is_empty())
            && let Some(doc) = crate::admission::document(&req.query)
        {
            crate::schema::nulls::propagate(&mut response.data, &response.errors, &doc, req.operation_name.as_deref());
        }
        entry.fields = std::mem::take(&mut *ctx.fields.lock().unwrap_or_else(|p| p.into_inner()));
        if entry.fields.is_empty() && !response.errors.is_empty() {
            // The document never reached a resolver: log the root fields it named anyway, since
            // dispatch and audit go by the parsed root field, not by `operationName`.
            let doc = crate::admission::document(&req.query);
            entry.fields =
                doc.as_ref().map(crate::admission::root_fields_of).unwrap_or_default().into_iter().map(FieldRecord::not_executed).collect();
        }
        entry.errors = response.errors.iter().filter(|e| e.path.is_empty()).map(|e| e.message.clone()).collect();
        self.with_audit_mut(|a| a.push(entry));
        ProviderResponse { raw: Some(response), body: std::sync::OnceLock::new(), trace_id }
    }

    /// `execute`, blocking the current thread. The provider does no IO, so this never waits.
    pub fn execute_blocking(&self, req: ProviderRequest) -> ProviderResponse {
        futures::executor::block_on(self.execute(req))
    }

    fn with_audit_mut<T>(&self, f: impl FnOnce(&mut Audit) -> T) -> T {
        f(&mut self.inner.audit.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Refuses a simulated span over `limits::MAX_SIMULATED_SPAN`.
fn check_span(what: &str, span: Duration) -> Result<(), ProviderError> {
    let max = crate::limits::MAX_SIMULATED_SPAN;
    if span > max {
        return Err(ProviderError::LimitExceeded(format!("{what} covers {span}; the clock moves at most {max} at a time")));
    }
    Ok(())
}

/// Railway's envelope for an error outside any field.
pub(crate) fn error_body(e: &ProviderError, trace_id: &str) -> serde_json::Value {
    serde_json::json!({
        "data": null,
        "errors": [{ "message": e.to_string(), "extensions": { "code": e.code() }, "traceId": trace_id }],
    })
}

/// The root field names of every operation in a document, best effort; empty if it does not parse.
pub fn root_fields(query: &str) -> Vec<String> {
    if crate::document_limits::check_text(query).is_err() {
        return Vec::new();
    }
    let Ok(doc) = async_graphql_parser::parse_query(query) else { return Vec::new() };
    crate::admission::root_fields_of(&doc)
}
