//! Every error answer of `serve`, whoever refused the request, is Railway's envelope with a code
//! and a trace id: a body that is not GraphQL, one over the limit, an unknown path, a wrong
//! method, a document that does not parse.

use std::net::SocketAddr;

use mock_provider::http::{ServeOptions, Server};
use mock_provider::{Profile, Provider};
use serde_json::Value;

/// Sends `method path body` to a served demo world with a 1 KiB body limit.
async fn answer(method: &str, path: &str, body: String) -> (u16, Value) {
    let provider = Provider::demo(Profile::railway()).unwrap();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = Server::bind(provider, addr, ServeOptions { body_limit: Some(1024), ..ServeOptions::default() }).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let resp = client.request(method, format!("{base}{path}")).header("content-type", "application/json").body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_error_answer_is_railways_envelope_with_a_code_and_a_trace_id() {
    let big = format!("{{\"query\": \"{{ me {{ id }} }} # {}\"}}", "x".repeat(2048));
    let cases: Vec<(&str, &str, String, u16, &str)> = vec![
        ("POST", "/graphql/v2", "query { me { id } }".into(), 400, "BAD_REQUEST"),
        ("POST", "/graphql/v2", r#"{"query": "{ me { id } }", "variables": [1]}"#.into(), 400, "BAD_REQUEST"),
        ("POST", "/graphql/v2", big, 413, "PAYLOAD_TOO_LARGE"),
        ("POST", "/graphql/v1", r#"{"query": "{ me { id } }"}"#.into(), 404, "NOT_FOUND"),
        ("PUT", "/graphql/v2", r#"{"query": "{ me { id } }"}"#.into(), 405, "METHOD_NOT_ALLOWED"),
        ("GET", "/_firedrill/report", String::new(), 404, "NOT_FOUND"),
        ("POST", "/_firedrill/clock/advance", r#"{"by": "-1h"}"#.into(), 400, "BAD_REQUEST"),
        ("POST", "/graphql/v2", r#"{"query": "{ me { id "}"#.into(), 200, "GRAPHQL_PARSE_FAILED"),
        ("POST", "/graphql/v2", r#"{"query": "{ me { blastRadius } }"}"#.into(), 200, "GRAPHQL_VALIDATION_FAILED"),
    ];
    for (method, path, body, status, code) in cases {
        let (got, answer) = answer(method, path, body).await;
        let case = format!("{method} {path}: {answer}");
        assert_eq!(got, status, "{case}");
        assert_eq!(answer["data"], Value::Null, "{case}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{case}");
        assert!(answer["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{case}");
        assert!(answer["errors"][0]["traceId"].as_str().is_some_and(|t| !t.is_empty()), "{case}");
    }
}
