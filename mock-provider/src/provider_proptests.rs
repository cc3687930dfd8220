//! Fuzz-ish property tests of the provider's front door: random and mutated GraphQL documents,
//! random variables and credentials in-process, and random bodies over the HTTP router. Whatever
//! arrives, the provider answers in its envelope, never panics, and its state stays consistent.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::ops::Op;
use crate::profile::Profile;
use crate::provider::Provider;
use crate::request::ProviderRequest;
use crate::state::State;
use crate::world::{DEMO_HISTORY, WorldSpec, demo_start};

/// The demo world once per profile; every case runs on its own copy.
fn demo_state(profile: &Profile) -> State {
    let mut s = State::build(profile.clone(), 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()).unwrap();
    s.advance_to(demo_start());
    s
}

fn profile() -> impl Strategy<Value = Profile> {
    prop::sample::select(vec![Profile::railway_2026_04(), Profile::railway(), Profile::hardened()])
}

/// Ids that exist in the demo world (seed 7), so that some arguments reach real resources.
fn demo_ids() -> Vec<String> {
    let s = demo_state(&Profile::railway());
    let mut ids: Vec<String> = Vec::new();
    ids.extend(s.projects().keys().cloned());
    ids.extend(s.environments().keys().cloned());
    ids.extend(s.services().keys().cloned());
    ids.extend(s.volumes().keys().cloned());
    ids.extend(s.volume_instances().keys().cloned());
    ids.extend(s.backups().keys().take(4).cloned());
    ids.extend(s.workspaces().keys().cloned());
    ids.extend(s.tokens().keys().cloned());
    ids
}

fn demo_secrets() -> Vec<String> {
    demo_state(&Profile::railway()).tokens().values().map(|t| t.secret.clone()).collect()
}

const ARG_NAMES: &[&str] = &[
    "id",
    "volumeId",
    "projectId",
    "environmentId",
    "serviceId",
    "volumeInstanceId",
    "workspaceId",
    "backupId",
    "name",
    "input",
    "first",
    "after",
    "kinds",
    "domain",
    "workflowId",
    "unknownArg",
];

const SELECTIONS: &[&str] = &[
    "id",
    "name",
    "__typename",
    "createdAt",
    "deletedAt",
    "state",
    "isPendingDeletion",
    "environments",
    "edges",
    "node",
    "services",
    "volumes",
    "volumeInstances",
    "volume",
    "backups",
    "projects",
    "workspaces",
    "status",
    "expiresAt",
    "currentSizeMB",
    "projectId",
    "environmentId",
    "team",
    "nonexistentField",
];

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(ARG_NAMES).prop_map(str::to_string), "[A-Za-z_][A-Za-z0-9_]{0,12}",]
}

fn gql_value(ids: Vec<String>) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(ids).prop_map(|id| format!("\"{id}\"")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("null".to_string()),
        "[A-Z_]{1,10}",
        "\\$[a-z]{1,4}",
        "[^\"\\\\]{0,40}".prop_map(|s| format!("\"{s}\"")),
        (1usize..200_000).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        Just("\"\"\"block\nstring\"\"\"".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((ident(), inner), 0..4)
                .prop_map(|v| format!("{{{}}}", v.into_iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "))),
        ]
    })
}

fn selection_set() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(SELECTIONS).prop_map(str::to_string);
    leaf.prop_recursive(5, 40, 5, |inner| {
        (prop::sample::select(SELECTIONS), prop::collection::vec(inner, 1..5)).prop_map(|(f, sub)| format!("{f} {{ {} }}", sub.join(" ")))
    })
}

/// A document built from valid fragments: an operation over one or more root fields from the
/// catalogue, with random arguments and selections.
fn structured_document(ids: Vec<String>) -> impl Strategy<Value = String> {
    let root = prop_oneof![4 => prop::sample::select(Op::ALL).prop_map(|op| op.name().to_string()), 1 => ident()];
    let args = prop::collection::vec((prop::sample::select(ARG_NAMES), gql_value(ids)), 0..4);
    let field = (root, args, prop::option::of(selection_set())).prop_map(|(name, args, sel)| {
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.into_iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "))
        };
        let sel = sel.map(|s| format!(" {{ {s} }}")).unwrap_or_default();
        format!("{name}{args}{sel}")
    });
    let keyword =
        prop::sample::select(vec!["", "query ", "mutation ", "subscription ", "query Op($x: String, $y: Int) ", "fragment F on Query "]);
    (keyword, prop::collection::vec(field, 1..4), prop::option::weighted(0.1, "[a-zA-Z ]{0,20}")).prop_map(|(k, fields, tail)| {
        let body = format!("{k}{{ {} }}", fields.join(" "));
        match tail {
            Some(t) => format!("{body} {t}"),
            None => body,
        }
    })
}

/// Deeply nested selections and lists, the classic way to overflow a recursive parser. Kept
/// shallow enough not to abort the test process; deeper ones run in a child process below.
fn deep_document() -> impl Strategy<Value = String> {
    (prop::sample::select(Op::ALL), 1usize..800, 0u8..3).prop_map(|(op, depth, shape)| match shape {
        0 => format!("{{ {}{}{} }}", "project(id: \"x\") { ".repeat(depth), "id", " }".repeat(depth)),
        1 => format!("{{ {}(id: {}1{}) }}", op.name(), "[".repeat(depth), "]".repeat(depth)),
        _ => format!("{{ {} {}", op.name(), "{ a ".repeat(depth)),
    })
}

/// A valid-looking document, then cut, spliced and sprinkled with punctuation.
fn mutated_document(ids: Vec<String>) -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u8..5, "[{}()\\[\\]:$@!.\"#,=|&\n\\\\]{1,6}");
    (structured_document(ids), prop::collection::vec(edit, 1..6)).prop_map(|(doc, edits)| {
        let mut chars: Vec<char> = doc.chars().collect();
        for (a, b, kind, junk) in edits {
            if chars.is_empty() {
                chars.extend(junk.chars());
                continue;
            }
            let (i, j) = (a.index(chars.len()), b.index(chars.len()));
            let (lo, hi) = (i.min(j), i.max(j));
            match kind {
                0 => {
                    chars.drain(lo..hi);
                }
                1 => {
                    let piece: Vec<char> = chars[lo..hi].to_vec();
                    chars.splice(hi..hi, piece);
                }
                2 => {
                    chars.splice(i..i, junk.chars());
                }
                3 => chars.swap(i, j),
                _ => chars.truncate(i),
            }
        }
        chars.into_iter().collect()
    })
}

fn document(ids: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => structured_document(ids.clone()),
        4 => mutated_document(ids),
        1 => deep_document(),
        1 => any::<String>(),
        1 => "\\PC{0,300}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![Just("x".to_string()), Just("y".to_string()), Just("input".to_string()), "[a-z]{1,6}"],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
enum Cred {
    None,
    Bearer(String),
    ProjectHeader(String),
    Both(String, String),
}

fn cred(secrets: Vec<String>) -> impl Strategy<Value = Cred> {
    let secret = prop_oneof![3 => prop::sample::select(secrets), 1 => "\\PC{0,40}", 1 => Just(String::new())];
    prop_oneof![
        1 => Just(Cred::None),
        3 => secret.clone().prop_map(Cred::Bearer),
        2 => secret.clone().prop_map(Cred::ProjectHeader),
        1 => (secret.clone(), secret).prop_map(|(a, b)| Cred::Both(a, b)),
    ]
}

#[derive(Clone, Debug)]
struct Req {
    query: String,
    variables: Option<Value>,
    operation_name: Option<String>,
    cred: Cred,
}

fn request(ids: Vec<String>, secrets: Vec<String>) -> impl Strategy<Value = Req> {
    (document(ids), prop::option::of(json_value()), prop::option::weighted(0.2, "Op|[A-Za-z]{0,8}"), cred(secrets))
        .prop_map(|(query, variables, operation_name, cred)| Req { query, variables, operation_name, cred })
}

/// Railway's envelope: an object with `data` and/or an `errors` array of objects with a message.
fn check_envelope(body: &Value) -> Result<(), String> {
    let obj = body.as_object().ok_or_else(|| format!("not an object: {body}"))?;
    if !obj.contains_key("data") && !obj.contains_key("errors") {
        return Err(format!("neither data nor errors: {body}"));
    }
    if let Some(errors) = obj.get("errors") {
        let errors = errors.as_array().ok_or_else(|| format!("errors is not an array: {body}"))?;
        if errors.is_empty() {
            return Err("an empty errors array".into());
        }
        for e in errors {
            if !e.get("message").is_some_and(Value::is_string) {
                return Err(format!("an error without a message: {e}"));
            }
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 128, max_shrink_iters: 1000, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_document_with_any_credential_gets_an_envelope_and_leaves_the_state_consistent(
        profile in profile(),
        reqs in prop::collection::vec(request(demo_ids(), demo_secrets()), 1..6),
    ) {
        let provider = Provider::from_state(demo_state(&profile), 7);
        for (n, r) in reqs.iter().enumerate() {
            let mut req = ProviderRequest::new(r.query.clone());
            req.variables = r.variables.clone();
            req.operation_name = r.operation_name.clone();
            req = match &r.cred {
                Cred::None => req,
                Cred::Bearer(s) => req.bearer(s),
                Cred::ProjectHeader(s) => req.project_token(s.clone()),
                Cred::Both(a, b) => req.bearer(a).project_token(b.clone()),
            };
            let out = provider.execute_blocking(req);
            prop_assert!(check_envelope(out.body()).is_ok(), "request {n}: {:?}\n{}", check_envelope(out.body()), r.query.chars().take(300).collect::<String>());
            prop_assert_eq!(provider.audit().len(), n + 1, "every request is audited");
            let violations = provider.with_state(State::invariant_violations);
            prop_assert!(violations.is_empty(), "request {}: {:?}", n, violations);
        }
    }

    #[test]
    fn any_http_body_gets_a_json_answer_and_never_a_server_error(
        body in prop_oneof![
            any::<Vec<u8>>(),
            json_value().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
            (document(demo_ids()), prop::option::of(json_value()))
                .prop_map(|(q, v)| serde_json::to_vec(&json!({"query": q, "variables": v})).unwrap_or_default()),
        ],
        secret in prop::option::of(prop::sample::select(demo_secrets())),
    ) {
        use axum::body::Body;
        use axum::http::{Request, StatusCode};
        use tower::ServiceExt;

        let provider = Provider::from_state(demo_state(&Profile::railway()), 7);
        let app = crate::http::router(provider.clone(), crate::http::ServeOptions::default());
        let mut req = Request::post("/graphql/v2").header("content-type", "application/json");
        if let Some(s) = &secret {
            req = req.header("authorization", format!("Bearer {s}"));
        }
        let req = req.body(Body::from(body.clone())).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (status, bytes) = rt.block_on(async {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status();
            (status, axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap())
        });
        prop_assert!([StatusCode::OK, StatusCode::BAD_REQUEST, StatusCode::PAYLOAD_TOO_LARGE].contains(&status), "status {}", status);
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return Ok(());
        }
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        prop_assert!(check_envelope(&v).is_ok(), "{:?}", check_envelope(&v));
        let violations = provider.with_state(State::invariant_violations);
        prop_assert!(violations.is_empty(), "{:?}", violations);
    }
}

/// Runs `query` on a thread with a 2 MiB stack, the size of test threads and tokio's workers.
fn deep(query: String) -> Value {
    let provider = Provider::from_state(demo_state(&Profile::railway()), 7);
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || provider.execute_blocking(ProviderRequest::new(query).bearer("whatever")).body().clone())
        .unwrap();
    let body = handle.join().unwrap();
    assert!(check_envelope(&body).is_ok(), "{body}");
    assert!(!body["errors"].as_array().unwrap().is_empty());
    body
}

const DEPTH: usize = 10_000;

#[test]
fn selections_nested_ten_thousand_levels_deep_are_refused_without_overflowing_the_stack() {
    deep(format!("{{ {}id{} }}", "project(id: \"x\") { ".repeat(DEPTH), " }".repeat(DEPTH)));
}

#[test]
fn ten_thousand_unclosed_selections_are_refused_without_overflowing_the_stack() {
    deep(format!("{{ project {}", "{ a ".repeat(DEPTH)));
}

/// The deep argument documents, by name, so a child process can rebuild one.
fn deep_argument(shape: &str, depth: usize) -> String {
    match shape {
        "list" => format!("{{ me(id: {}1{}) {{ id }} }}", "[".repeat(depth), "]".repeat(depth)),
        _ => format!("{{ me(id: {}1{}) {{ id }} }}", "{a: ".repeat(depth), "}".repeat(depth)),
    }
}

/// A stack overflow aborts the whole process, so each document runs in a child process (this
/// test binary again, filtered to this test) and the parent reports how the child ended.
#[test]
fn argument_values_nested_thousands_of_levels_deep_are_refused_without_overflowing_the_stack() {
    const CHILD: &str = "FIREDRILL_DEEP_ARGUMENT_CHILD";
    if let Ok(case) = std::env::var(CHILD) {
        let (shape, depth) = case.split_once(':').unwrap();
        deep(deep_argument(shape, depth.parse().unwrap()));
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for shape in ["list", "object"] {
        // In a debug build, 2,000 to 6,000 levels overflowed a 2 MiB stack; 10,000 hit the parser's limit.
        for depth in [100, 1_000, 2_000, 4_000, DEPTH] {
            let out = std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "provider_proptests::argument_values_nested_thousands_of_levels_deep_are_refused_without_overflowing_the_stack",
                    "--test-threads=1",
                ])
                .env(CHILD, format!("{shape}:{depth}"))
                .output()
                .unwrap();
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let why = stderr.lines().find(|l| l.contains("overflow") || l.contains("panicked")).unwrap_or("").to_string();
                failures.push(format!("`{{ me(id: <{shape} nested {depth} deep>) }}`: {} {why}", out.status));
            }
        }
    }
    assert!(failures.is_empty(), "documents that crashed the provider:\n{}", failures.join("\n"));
}
