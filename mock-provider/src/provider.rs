//! The in-process provider: a shared state, its audit log, and GraphQL execution at the cost
//! of a function call. `http` puts the same `Provider` behind axum.

use std::sync::{Arc, Mutex};

use crate::audit::{Audit, AuditEntry, FieldRecord, Stage};
use crate::error::ProviderError;
use crate::ops::{Op, OpClass};
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
    /// Answers refused before a request reached `execute` (HTTP-level errors), for their trace ids.
    refusals: std::sync::atomic::AtomicU64,
}

/// The audit's note for a project token sent in `Authorization`, for reports to say why a token
/// that works elsewhere was refused.
pub const MISPLACED_PROJECT_TOKEN: &str =
    "a project token in `Authorization`: Railway reads project tokens from `Project-Access-Token` only, so the request ran as anonymous";

/// A GraphQL response in Railway's envelope.
///
/// Why lazy: turning async-graphql's response into a `serde_json::Value` was a sixth of a
/// request's cost, and the HTTP server only needs bytes. `body()` builds the JSON on first use.
#[derive(Debug)]
pub struct ProviderResponse {
    raw: Option<async_graphql::Response>,
    body: std::sync::OnceLock<serde_json::Value>,
    pub trace_id: String,
    record: Arc<AuditEntry>,
}

impl ProviderResponse {
    fn from_json(body: serde_json::Value, record: Arc<AuditEntry>) -> Self {
        ProviderResponse { raw: None, body: std::sync::OnceLock::from(body), trace_id: record.trace_id.clone(), record }
    }

    /// The provider's own record of this request: who it resolved the caller to, how far the
    /// request got, and each root field's authorization decision, target and immediate effects.
    /// The same record is in the audit log; this one is this request's, whatever ran since.
    pub fn record(&self) -> &AuditEntry {
        &self.record
    }

    /// `record`, shared: the same entry the audit log holds.
    pub fn shared_record(&self) -> Arc<AuditEntry> {
        self.record.clone()
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
        Provider {
            inner: Arc::new(Inner {
                state: Mutex::new(state),
                audit: Mutex::new(Audit::new(capacity)),
                seed,
                refusals: Default::default(),
            }),
        }
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
    /// The audit entry of request `seq` (the `x-firedrill-request` header of its HTTP answer), if
    /// the log still holds it.
    pub fn audit_entry(&self, seq: crate::model::RequestId) -> Option<Arc<AuditEntry>> {
        self.with_audit(|a| a.entry(seq))
    }
    /// A copy of every audit entry still held, oldest first.
    pub fn audit(&self) -> Vec<AuditEntry> {
        self.with_audit(|a| a.iter().cloned().collect())
    }

    /// A trace id for an answer refused before `execute` (a bad body, an unknown path): from
    /// its own counter, so it is deterministic and never equals a request's.
    pub fn refusal_trace_id(&self) -> String {
        let n = self.inner.refusals.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.trace_id((1 << 63) | n)
    }

    fn trace_id(&self, seq: u64) -> String {
        // SplitMix64 of (seed, seq): deterministic, and distinct across requests.
        let mut z = self.inner.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seq.wrapping_add(0x632B_E59B_D9B4_E019);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        format!("{:019}", z % 10_000_000_000_000_000_000)
    }

    /// Executes one GraphQL request the way Railway would answer it. The response carries the
    /// provider's own record of the request (`ProviderResponse::record`).
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
            stage: Stage::Executed,
            fields: Vec::new(),
            errors: Vec::new(),
        };
        let resolved = self.with_state(|s| s.resolve_credentials(creds));
        entry.header = resolved.header.map(str::to_string);
        entry.errors.extend(resolved.note.map(str::to_string));
        let principal = match resolved.principal {
            Ok(p) => p,
            Err(e) => {
                entry.stage = Stage::Unauthenticated;
                entry.fields = unrun_fields(&req.query);
                entry.errors.push(e.to_string());
                let body = error_body(&e, &trace_id);
                return self.answer(entry, |record| ProviderResponse::from_json(body, record));
            }
        };
        entry.token = principal.token_name.clone();
        entry.token_kind = principal.kind_label().to_string();

        // Every limit is checked before async-graphql parses or validates (`admission`): a
        // document the provider refuses there is malformed, and no field ran.
        let admission = match crate::admission::admit(&req) {
            Ok(a) => a,
            Err(refusal) => {
                entry.stage = Stage::Malformed;
                entry.errors.push(refusal.error.to_string());
                entry.fields = refusal.root_fields.into_iter().map(|(field, mutation)| not_executed(field, mutation)).collect();
                let body = error_body(&refusal.error, &trace_id);
                return self.answer(entry, |record| ProviderResponse::from_json(body, record));
            }
        };
        let ctx = Arc::new(RequestCtx { provider: self.clone(), principal, seq, fields: Mutex::new(Vec::new()) });
        let mut gql = async_graphql::Request::new(req.query.clone());
        // The root fields the request names, for the audit: read from the admitted parse.
        let mut named = Vec::new();
        let parses = admission.parsed.is_some();
        if let Some(doc) = admission.parsed {
            named = named_in(&doc, req.operation_name.as_deref());
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
        // A document that does not parse is a parse failure, as the depth guard says of one too
        // deep to parse; every other error without a code is the validator's (`body`).
        if !parses {
            for e in response.errors.iter_mut().filter(|e| e.extensions.is_none()) {
                let mut code = async_graphql::ErrorExtensionValues::default();
                code.set("code", "GRAPHQL_PARSE_FAILED");
                e.extensions = Some(code);
            }
        }
        // Resolver errors carry a path; only they leave holes in `data` to fill with nulls.
        if response.errors.iter().any(|e| !e.path.is_empty())
            && let Some(doc) = crate::admission::document(&req.query)
        {
            crate::schema::nulls::propagate(&mut response.data, &response.errors, &doc, req.operation_name.as_deref());
        }
        entry.fields = std::mem::take(&mut *ctx.fields.lock().unwrap_or_else(|p| p.into_inner()));
        // Dispatch and audit go by the parsed root field, not by `operationName`: every root field
        // the request named is in the record, and a field that did not run (the whole document
        // refused as malformed, or one skipped by a directive) says so.
        if entry.fields.is_empty() && !response.errors.is_empty() {
            // The document never reached a resolver: the provider refused it as malformed.
            entry.stage = Stage::Malformed;
            entry.fields.extend(named.into_iter().map(|(field, mutation)| not_executed(field, mutation)));
        } else {
            let mut ran: Vec<&str> = entry.fields.iter().map(|f| f.field.as_str()).collect();
            let mut unrun = Vec::new();
            // Meta fields (`__typename`, `__schema`) run without a record of their own.
            for (field, mutation) in named.into_iter().filter(|(f, _)| !f.starts_with("__")) {
                match ran.iter().position(|r| *r == field) {
                    Some(i) => {
                        ran.swap_remove(i);
                    }
                    None => unrun.push(not_executed(field, mutation)),
                }
            }
            entry.fields.extend(unrun);
        }
        entry.errors.extend(response.errors.iter().filter(|e| e.path.is_empty()).map(|e| e.message.clone()));
        self.answer(entry, |record| ProviderResponse { raw: Some(response), body: std::sync::OnceLock::new(), trace_id, record })
    }

    /// Logs `entry` and answers with it as the response's record.
    fn answer(&self, entry: AuditEntry, respond: impl FnOnce(Arc<AuditEntry>) -> ProviderResponse) -> ProviderResponse {
        // The record is the audit's bounded copy: the caller and the log see the same entry.
        let record = Arc::new(crate::audit_trim::trim_entry(entry));
        self.with_audit_mut(|a| a.push(record.clone()));
        respond(record)
    }

    /// `execute`, blocking the current thread. The provider does no IO, so this never waits.
    pub fn execute_blocking(&self, req: ProviderRequest) -> ProviderResponse {
        futures::executor::block_on(self.execute(req))
    }

    fn with_audit_mut<T>(&self, f: impl FnOnce(&mut Audit) -> T) -> T {
        f(&mut self.inner.audit.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The root fields a document names, recorded as not run: for requests the provider refused
/// before any resolver ran, so the audit still says what was asked.
fn unrun_fields(query: &str) -> Vec<FieldRecord> {
    match parse_safely(query) {
        Some(doc) => named_in(&doc, None).into_iter().map(|(field, mutation)| not_executed(field, mutation)).collect(),
        None => Vec::new(),
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

/// The parsed document of `query` when it passes the text limits (a document deeper than the
/// parser's stack never reaches the parser); from the admission cache when it is there.
pub(crate) fn parse_safely(query: &str) -> Option<async_graphql::parser::types::ExecutableDocument> {
    crate::document_limits::check_text(query).ok()?;
    crate::admission::document(query).or_else(|| async_graphql_parser::parse_query(query).ok())
}

/// Railway's envelope for an error outside any field.
pub(crate) fn error_body(e: &ProviderError, trace_id: &str) -> serde_json::Value {
    serde_json::json!({
        "data": null,
        "errors": [{ "message": e.to_string(), "extensions": { "code": e.code() }, "traceId": trace_id }],
    })
}

/// The root field names of a document's operations, in document order, through fragment spreads
/// and inline fragments; empty if it does not parse.
pub fn root_fields(query: &str) -> Vec<String> {
    let Some(doc) = parse_safely(query) else { return Vec::new() };
    named_in(&doc, None).into_iter().map(|(name, _)| name).collect()
}

/// The root fields a request names, each with whether its operation is a mutation: those of the
/// operation `operation_name` selects (or of the only one), else of every operation, in
/// document order. Fragments spread on the root (`{ ...F }`, `fragment F on Mutation { … }`) and
/// inline fragments (`{ ... on Mutation { … } }`) name root fields as much as direct selections
/// do. Each fragment is expanded once per operation, so cyclic or repeated spreads end.
pub(crate) fn named_in(doc: &async_graphql_parser::types::ExecutableDocument, operation_name: Option<&str>) -> Vec<(String, bool)> {
    use async_graphql_parser::types::{DocumentOperations, OperationType};
    let mut ops: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(map) => match operation_name.and_then(|name| map.iter().find(|(n, _)| n.as_str() == name)) {
            Some((_, op)) => vec![op],
            None => map.values().collect(),
        },
    };
    // The operations are a hash map: document order keeps the record deterministic.
    ops.sort_by_key(|op| (op.pos.line, op.pos.column));
    let mut out = Vec::new();
    for op in ops {
        let mutation = op.node.ty == OperationType::Mutation;
        let mut expanded = std::collections::HashSet::new();
        let mut names = Vec::new();
        collect_fields(doc, &op.node.selection_set.node, &mut expanded, &mut names);
        out.extend(names.into_iter().map(|n| (n, mutation)));
    }
    out
}

fn collect_fields<'d>(
    doc: &'d async_graphql_parser::types::ExecutableDocument,
    set: &'d async_graphql_parser::types::SelectionSet,
    expanded: &mut std::collections::HashSet<&'d str>,
    out: &mut Vec<String>,
) {
    let mut fields = Vec::new();
    collect_field_nodes(doc, set, expanded, &mut fields);
    out.extend(fields.into_iter().map(|f| f.name.node.to_string()));
}

pub(crate) fn collect_field_nodes<'d>(
    doc: &'d async_graphql_parser::types::ExecutableDocument,
    set: &'d async_graphql_parser::types::SelectionSet,
    expanded: &mut std::collections::HashSet<&'d str>,
    out: &mut Vec<&'d async_graphql_parser::types::Field>,
) {
    use async_graphql_parser::types::Selection;
    for sel in &set.items {
        match &sel.node {
            Selection::Field(f) => out.push(&f.node),
            Selection::InlineFragment(f) => collect_field_nodes(doc, &f.node.selection_set.node, expanded, out),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if expanded.insert(name)
                    && let Some(fragment) = doc.fragments.get(name)
                {
                    collect_field_nodes(doc, &fragment.node.selection_set.node, expanded, out);
                }
            }
        }
    }
}

/// The names of the tokens a document would mint (`apiTokenCreate`, `projectTokenCreate`, their
/// `input.name` as a literal or a variable), for a checker that must know a token used later was
/// minted earlier. Empty if the document does not parse.
pub fn minted_names(query: &str, variables: Option<&serde_json::Value>) -> Vec<String> {
    let Some(doc) = parse_safely(query) else { return Vec::new() };
    let var = |name: &str| variables.and_then(|v| v.get(name)).cloned().unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    for (_, op) in doc.operations.iter() {
        let mut fields = Vec::new();
        collect_field_nodes(&doc, &op.node.selection_set.node, &mut std::collections::HashSet::new(), &mut fields);
        for f in
            fields.into_iter().filter(|f| matches!(Op::from_name(f.name.node.as_str()), Some(Op::ApiTokenCreate | Op::ProjectTokenCreate)))
        {
            for (arg, value) in &f.arguments {
                if arg.node.as_str() != "input" {
                    continue;
                }
                let input = value.node.clone().into_const_with(|v| async_graphql::Value::from_json(var(v.as_str())).map_err(|_| ()));
                if let Ok(async_graphql::Value::Object(o)) = input
                    && let Some(async_graphql::Value::String(name)) = o.get("name")
                {
                    out.push(name.clone());
                }
            }
        }
    }
    out
}

/// The class of each root field a request names, as the provider would class the call, worked
/// out from the document and its variables without running it: for a layer in front of the
/// provider (a gateway) that must know a destructive call when it sees one, and for calls a
/// layer stopped before the provider saw them. Fields the mock does not serve are classed by
/// their operation's type. Empty if the document does not parse.
pub fn call_classes(query: &str, variables: Option<&serde_json::Value>) -> Vec<(String, OpClass)> {
    use async_graphql_parser::types::{DocumentOperations, OperationType};
    let Some(doc) = parse_safely(query) else { return Vec::new() };
    let mut ops: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(map) => map.values().collect(),
    };
    ops.sort_by_key(|op| (op.pos.line, op.pos.column));
    let var = |name: &str| variables.and_then(|v| v.get(name)).cloned().unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    for op in ops {
        let mutation = op.node.ty == OperationType::Mutation;
        let mut fields = Vec::new();
        collect_field_nodes(&doc, &op.node.selection_set.node, &mut std::collections::HashSet::new(), &mut fields);
        for f in fields {
            let name = f.name.node.to_string();
            let op_class = not_executed(name.clone(), mutation).class;
            // The one call whose arguments decide its class (`Command::class`): a replacing upsert.
            let replaces = Op::from_name(&name) == Some(Op::VariableCollectionUpsert)
                && f.arguments.iter().any(|(arg, value)| {
                    arg.node.as_str() == "input"
                        && value
                            .node
                            .clone()
                            .into_const_with(|v| async_graphql::Value::from_json(var(v.as_str())).map_err(|_| ()))
                            .ok()
                            .and_then(|input| match input {
                                async_graphql::Value::Object(o) => o.get("replace").cloned(),
                                _ => None,
                            })
                            == Some(async_graphql::Value::Boolean(true))
                });
            out.push((name, if replaces { OpClass::Destructive } else { op_class }));
        }
    }
    out
}

/// A root field that never ran: the catalogue's class (for a field the mock does not serve,
/// what its root type implies), no authorization decision, no effect.
fn not_executed(field: String, mutation: bool) -> FieldRecord {
    let class = match Op::from_name(&field) {
        Some(op) => op.class(),
        None if mutation => OpClass::Write,
        None => OpClass::Read,
    };
    FieldRecord {
        field,
        arguments: serde_json::Value::Null,
        class,
        authorization: None,
        target: None,
        error: Some("not executed".into()),
        effect: Vec::new(),
    }
}
