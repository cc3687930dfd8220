//! Documents built to be expensive, in-process: nesting through every string and comment form,
//! fragment fan-out, alias and directive floods, huge ids. Each gets an answer in Railway's
//! envelope, and the next ordinary request is answered.
//!
//! Why a child process: a stack overflow aborts the whole process, so the cases run in a copy
//! of this test binary (selected by an environment variable) on a thread with the stack size of
//! a tokio worker; the test in the parent asserts the child finished cleanly.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::profile::Profile;
use crate::provider::Provider;
use crate::request::ProviderRequest;

const CHILD: &str = "FIREDRILL_HOSTILE_CHILD";
const TEST: &str = "provider_hostile::expensive_documents_are_answered_and_the_next_request_too";

/// The stack a tokio worker thread gets: what `serve` runs requests on.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// Brackets hidden from a naive guard by a string or a comment before them.
fn hiding_place() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        r#"x: "a \" [[[ \\", "#,
        r#"x: """ \""" [[[ """, "#,
        r#"x: """ \\""", "#,
        r#"x: """a\b""", "#,
        "# [[[ {{{ (((\n",
        "# \"\"\" [[[\r",
        "x: \"\"\"\n [[[ \n\"\"\", ",
        "x: \"unterminated [[[\n",
    ])
}

/// Nesting depths: within the guard, past it but within what the parser accepts (about 880
/// brackets, where validation and execution would recurse), and past the parser's own limit.
fn depth() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..=64, 65usize..880, 880usize..5000]
}

fn request() -> impl Strategy<Value = ProviderRequest> {
    let nest = (hiding_place(), depth(), 0u8..4).prop_map(|(pre, n, kind)| {
        ProviderRequest::new(match kind {
            0 => format!("{{ me({pre}y: {}1{}) {{ id }} }}", "[".repeat(n), "]".repeat(n)),
            1 => format!("{{ me({pre}y: {}1{}) {{ id }} }}", "{a: ".repeat(n), "}".repeat(n)),
            2 => format!("query($v: {}Int{}) {{ me {{ id }} }}", "[".repeat(n), "]".repeat(n)),
            _ => format!("{{ {pre}{}id{} }}", "me { ".repeat(n), " }".repeat(n)),
        })
    });
    let fragments = (1usize..40, 1usize..5, any::<bool>()).prop_map(|(depth, fan, cycle)| {
        let mut q = String::from("query { ...f0 }\n");
        for n in 0..depth {
            q.push_str(&format!("fragment f{n} on Query {{ {} }}\n", format!("...f{} ", n + 1).repeat(fan)));
        }
        let last = if cycle { "...f0".to_string() } else { "me { id }".to_string() };
        q.push_str(&format!("fragment f{depth} on Query {{ {last} }}\n"));
        ProviderRequest::new(q)
    });
    let aliases = (1usize..3000)
        .prop_map(|n| ProviderRequest::new(format!("{{ {} }}", (0..n).map(|i| format!("a{i}: me {{ id }}")).collect::<String>())));
    let directives = (1usize..3000, any::<bool>()).prop_map(|(n, one_location)| {
        ProviderRequest::new(if one_location {
            format!("{{ me {} {{ id }} }}", "@include(if: true) ".repeat(n))
        } else {
            format!("{{ me {{ {} }} }}", "id @skip(if: false) ".repeat(n))
        })
    });
    let huge_id = (1usize..200_000, any::<bool>()).prop_map(|(len, as_variable)| {
        let id = "x".repeat(len);
        if as_variable {
            ProviderRequest::new("mutation($v: String!) { volumeDelete(volumeId: $v) }").variables(json!({ "v": id }))
        } else {
            ProviderRequest::new(format!("mutation {{ volumeDelete(volumeId: \"{id}\") }}"))
        }
    });
    let soup = proptest::collection::vec(
        prop::sample::select(vec![
            "[", "]", "{", "}", "(", ")", "\"", "\"\"\"", "\\", "#", "\n", "\r", "me", " a:", "...", "@include", "$v",
        ]),
        1..3000,
    )
    .prop_map(|parts| ProviderRequest::new(format!("{{ {} }}", parts.concat())));
    prop_oneof![nest, fragments, aliases, directives, huge_id, soup]
}

fn answered(body: &Value) -> bool {
    body.get("data").is_some() && (body.get("errors").is_none() || body["errors"][0]["extensions"]["code"].is_string())
}

fn run_cases() {
    let provider = Provider::demo(Profile::railway()).unwrap();
    let owner = provider.with_state(|s| s.token_named("owner").unwrap().secret.clone());
    let config = ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(req in request())| {
        let out = provider.execute_blocking(req);
        prop_assert!(answered(out.body()), "{}", out.body());
        let next = provider.execute_blocking(ProviderRequest::new("{ me { id } }").bearer(&owner));
        prop_assert!(next.is_ok() && next.data()["me"]["id"].is_string(), "{}", next.body());
    });
}

#[test]
fn expensive_documents_are_answered_and_the_next_request_too() {
    if std::env::var_os(CHILD).is_some() {
        let worker = std::thread::Builder::new().stack_size(WORKER_STACK).spawn(run_cases).unwrap();
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out =
        std::process::Command::new(exe).args([TEST, "--exact", "--nocapture", "--test-threads", "1"]).env(CHILD, "1").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child running the documents failed ({}):\n{stdout}\n{stderr}", out.status);
    assert!(stdout.contains("1 passed"), "the child ran no case: {stdout}");
}
