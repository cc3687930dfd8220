//! `serve` over real HTTP on loopback: Railway's endpoint as curl and clients see it, the admin
//! surface, the rate limiter, and many clients at once.

use std::net::SocketAddr;

use mock_provider::http::{RateLimit, ServeOptions, Server};
use mock_provider::{Profile, Provider, State};
use serde_json::{Value, json};

/// A served demo world: its base URL and the provider behind it.
struct Served {
    base: String,
    provider: Provider,
    client: reqwest::Client,
}

async fn serve(profile: Profile, options: ServeOptions) -> Served {
    let provider = Provider::demo(profile).unwrap();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = Server::bind(provider.clone(), addr, options).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    // No proxy: a proxy from the environment must never see loopback traffic.
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    Served { base, provider, client }
}

impl Served {
    fn secret(&self, token: &str) -> String {
        self.provider.with_state(|s| s.token_named(token).unwrap().secret.clone())
    }
    fn volume(&self, project: &str, volume: &str) -> String {
        self.provider.with_state(|s| s.volume_id(&s.project_id(project).unwrap(), volume).unwrap())
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    /// POSTs JSON to an admin route, as curl with `-H 'content-type: application/json'` does.
    async fn admin_post(&self, url: &str, body: &'static str) -> reqwest::Response {
        self.client.post(url).header("content-type", "application/json").body(body).send().await.unwrap()
    }
    /// POSTs a GraphQL document with an account or workspace token; returns status and JSON.
    async fn graphql(&self, bearer: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut req = self.client.post(self.url("/graphql/v2")).json(&json!({"query": query, "variables": variables}));
        if let Some(secret) = bearer {
            req = req.bearer_auth(secret);
        }
        let resp = req.send().await.unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }
}

fn volume_delete(id: &str) -> String {
    format!("mutation {{ volumeDelete(volumeId: \"{id}\") }}")
}

/// Asserts Railway's envelope for a refusal and returns its message.
fn railway_error(status: u16, body: &Value) -> String {
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], Value::Null, "{body}");
    let e = &body["errors"][0];
    assert!(e["traceId"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    e["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_incidents_curl_request_deletes_the_volume() {
    let s = serve(Profile::railway_2026_04(), ServeOptions::default()).await;
    let id = s.volume("pocketos", "pg-data");
    // Exactly what `curl -X POST $URL -H "Authorization: Bearer <token>" -d '{"query":...}'` sends.
    let body = format!(r#"{{"query":"mutation {{ volumeDelete(volumeId: \"{id}\") }}"}}"#);
    let resp = s
        .client
        .post(s.url("/graphql/v2"))
        .header("authorization", format!("Bearer {}", s.secret("domains-cli")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "curl/8.5.0")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"data": {"volumeDelete": true}}));
    let live = s.provider.with_state(|st| st.volume_instances().values().filter(|i| i.volume_id == id && i.is_live()).count());
    assert_eq!(live, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_http_400() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    for body in ["query { me { id } }", "{\"query\": ", "{\"variables\": {}}", "[1, 2]"] {
        let resp = s.client.post(s.url("/graphql/v2")).body(body).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{body}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_http_413() {
    let s = serve(Profile::railway(), ServeOptions { body_limit: Some(1024), ..ServeOptions::default() }).await;
    let big = json!({"query": format!("{{ me {{ id }} }} # {}", "x".repeat(2048))});
    let resp = s.client.post(s.url("/graphql/v2")).json(&big).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    let small = json!({"query": "{ me { id } }"});
    let resp = s.client.post(s.url("/graphql/v2")).json(&small).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "a body under the limit is served");
}

#[tokio::test]
async fn a_refused_request_gets_railways_not_authorized_envelope() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let id = s.volume("marketing", "web-data");
    // The staging project token reaches pocketos/staging only.
    let resp = s
        .client
        .post(s.url("/graphql/v2"))
        .header("project-access-token", s.secret("staging-deploy"))
        .json(&json!({"query": volume_delete(&id)}))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(railway_error(status, &body), "Not Authorized");
    assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL_SERVER_ERROR");
    let live = s.provider.with_state(|st| st.volume_instances().values().filter(|i| i.volume_id == id && i.is_live()).count());
    assert_eq!(live, 1, "the refused delete changed nothing");
}

#[tokio::test]
async fn an_unknown_project_token_gets_project_token_not_found() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let resp = s
        .client
        .post(s.url("/graphql/v2"))
        .header("project-access-token", "not-a-token")
        .json(&json!({"query": "{ projectToken { projectId environmentId } }"}))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(railway_error(status, &body), "Project Token not found");
}

#[tokio::test]
async fn a_team_access_token_header_alone_is_ignored() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let id = s.volume("pocketos", "pg-data");
    let resp = s
        .client
        .post(s.url("/graphql/v2"))
        .header("team-access-token", s.secret("owner"))
        .json(&json!({"query": volume_delete(&id)}))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(railway_error(status, &body), "Not Authorized");
    let audit = s.provider.audit();
    assert_eq!(audit.last().unwrap().token_kind, "anonymous");
}

#[tokio::test]
async fn get_on_the_endpoint_serves_a_console_that_references_no_other_machine() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let resp = s.client.get(s.url("/graphql/v2")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), "{csp}");
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"fetch("/graphql/v2""#), "the page sends its requests to the endpoint");
    for needle in ["http:", "https:", "//", "src=", "href=", "url(", "@import"] {
        assert!(!html.to_lowercase().contains(needle), "the page contains `{needle}`: it must load nothing and link nowhere");
    }
}

#[tokio::test]
async fn the_admin_surface_lists_every_demo_token_with_name_kind_and_secret() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let tokens: Value = s.client.get(s.url("/_firedrill/tokens")).send().await.unwrap().json().await.unwrap();
    let mut seen: Vec<(String, String)> = Vec::new();
    for t in tokens.as_array().unwrap() {
        let mut keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["kind", "name", "secret"], "{t}");
        let name = t["name"].as_str().unwrap().to_string();
        assert_eq!(t["secret"].as_str().unwrap(), s.secret(&name));
        seen.push((name, t["kind"].as_str().unwrap().to_string()));
    }
    seen.sort();
    let expected = [("domains-cli", "workspace"), ("marketing-deploy", "project"), ("owner", "account"), ("staging-deploy", "project")];
    assert_eq!(seen, expected.map(|(n, k)| (n.to_string(), k.to_string())));
}

#[tokio::test]
async fn a_soft_deleted_volume_is_restorable_inside_the_window_and_purged_after_the_clock_passes_it() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let id = s.volume("pocketos", "pg-data");
    let owner = s.secret("owner");
    let restore = s.url(&format!("/_firedrill/volumes/{id}/restore"));

    let (_, body) = s.graphql(Some(&owner), &volume_delete(&id), Value::Null).await;
    assert_eq!(body, json!({"data": {"volumeDelete": true}}));
    let resp = s.admin_post(&restore, "{}").await;
    assert_eq!(resp.status().as_u16(), 200, "restorable at once");

    let (_, body) = s.graphql(Some(&owner), &volume_delete(&id), Value::Null).await;
    assert_eq!(body, json!({"data": {"volumeDelete": true}}));
    let advance = s.admin_post(&s.url("/_firedrill/clock/advance"), r#"{"by": "48h"}"#).await;
    assert_eq!(advance.status().as_u16(), 200);
    let purged = s.provider.with_state(|st| st.volume_instances().values().filter(|i| i.volume_id == id).all(|i| i.is_deleted()));
    assert!(purged, "every instance is gone once the clock passes deletedAt");
    let resp = s.admin_post(&restore, "{}").await;
    assert_eq!(resp.status().as_u16(), 409, "purged volumes cannot come back");
}

#[tokio::test]
async fn the_audit_lists_each_request_with_token_header_user_agent_fields_and_decision() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let id = s.volume("pocketos", "pg-data");
    let resp = s
        .client
        .post(s.url("/graphql/v2"))
        .bearer_auth(s.secret("domains-cli"))
        .header("user-agent", "agent/1.0")
        .json(&json!({"query": volume_delete(&id)}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (_, _) = s.graphql(None, "{ me { id } }", Value::Null).await;

    let audit: Value = s.client.get(s.url("/_firedrill/audit")).send().await.unwrap().json().await.unwrap();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{audit}");
    let e = &entries[0];
    assert_eq!(e["token"], "domains-cli");
    assert_eq!(e["token_kind"], "workspace");
    assert_eq!(e["header"], "Authorization");
    assert_eq!(e["user_agent"], "agent/1.0");
    assert_eq!(e["fields"][0]["field"], "volumeDelete");
    assert_eq!(e["fields"][0]["arguments"]["volumeId"], id.as_str());
    assert_eq!(e["fields"][0]["authorization"]["decision"]["decision"], "allow");
    assert_eq!(e["fields"][0]["target"], "volume pocketos/pg-data");
    assert_eq!(e["stage"], "executed");
    assert!(!e["fields"][0]["effect"].as_array().unwrap().is_empty(), "the effect is recorded");
    let denied = &entries[1];
    assert_eq!(denied["token_kind"], "anonymous");
    assert_eq!(denied["fields"][0]["field"], "me");
}

#[tokio::test]
async fn the_rate_limiter_counts_down_in_headers_then_answers_429() {
    let s = serve(Profile::railway(), ServeOptions { rate_limit: Some(RateLimit { per_hour: 3 }), ..ServeOptions::default() }).await;
    let owner = s.secret("owner");
    for remaining in ["2", "1", "0"] {
        let resp = s.client.post(s.url("/graphql/v2")).bearer_auth(&owner).json(&json!({"query": "{ me { id } }"})).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        assert_eq!(resp.headers()["x-ratelimit-limit"], "3");
        assert_eq!(resp.headers()["x-ratelimit-remaining"], remaining);
        assert!(resp.headers().contains_key("x-ratelimit-reset"));
    }
    let resp = s.client.post(s.url("/graphql/v2")).bearer_auth(&owner).json(&json!({"query": "{ me { id } }"})).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let retry: i64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    // The window is an hour of simulated time.
    s.admin_post(&s.url("/_firedrill/clock/advance"), r#"{"by": "1h"}"#).await;
    let resp = s.client.post(s.url("/graphql/v2")).bearer_auth(&owner).json(&json!({"query": "{ me { id } }"})).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn the_admin_surface_refuses_peers_that_are_not_loopback() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use tower::ServiceExt;

    let provider = Provider::demo(Profile::railway()).unwrap();
    let app = mock_provider::http::router(provider, ServeOptions::default());
    let status = |peer: &str| {
        let peer: SocketAddr = peer.parse().unwrap();
        let mut req = Request::get("/_firedrill/tokens").header("host", "127.0.0.1:4000").body(Body::empty()).unwrap();
        req.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move { app.oneshot(req).await.unwrap().status().as_u16() }
    };
    assert_eq!(status("203.0.113.7:40000").await, 403);
    assert_eq!(status("[2001:db8::1]:40000").await, 403);
    assert_eq!(status("127.0.0.1:40000").await, 200);
    assert_eq!(status("[::1]:40000").await, 200);
}

const CLIENTS: usize = 64;

/// One client's life: a project with two environments and a volume in both, the volume
/// deleted, and every other client deletes its project too.
async fn client_life(s: &Served, owner: &str, n: usize) -> Result<(), String> {
    let ok = |(status, body): (u16, Value)| {
        if status == 200 && body.get("errors").is_none() { Ok(body) } else { Err(format!("{status} {body}")) }
    };
    let body = ok(s
        .graphql(Some(owner), "mutation($n: String) { projectCreate(input: {name: $n}) { id } }", json!({"n": format!("load-{n}")}))
        .await)?;
    let project = body["data"]["projectCreate"]["id"].as_str().ok_or("no project id")?.to_string();
    ok(s.graphql(
        Some(owner),
        "mutation($p: String!) { environmentCreate(input: {projectId: $p, name: \"staging\"}) { id } }",
        json!({"p": project}),
    )
    .await)?;
    let body = ok(s
        .graphql(
            Some(owner),
            "mutation($p: String!) { volumeCreate(input: {projectId: $p, mountPath: \"/data\"}) { id } }",
            json!({"p": project}),
        )
        .await)?;
    let volume = body["data"]["volumeCreate"]["id"].as_str().ok_or("no volume id")?.to_string();
    let body = ok(s.graphql(Some(owner), "mutation($v: String!) { volumeDelete(volumeId: $v) }", json!({"v": volume})).await)?;
    if body["data"]["volumeDelete"] != true {
        return Err(format!("volumeDelete: {body}"));
    }
    if n.is_multiple_of(2) {
        ok(s.graphql(Some(owner), "mutation($p: String!) { projectDelete(id: $p) }", json!({"p": project})).await)?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_clients_creating_and_deleting_leave_a_consistent_state() {
    let s = std::sync::Arc::new(serve(Profile::railway_2026_04(), ServeOptions::default()).await);
    let owner = s.secret("owner");
    let before =
        s.provider.with_state(|st| (st.projects().len(), st.environments().len(), st.volumes().len(), st.volume_instances().len()));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (s, owner) = (s.clone(), owner.clone());
            tokio::spawn(async move { client_life(&s, &owner, n).await })
        })
        .collect();
    for (n, t) in tasks.into_iter().enumerate() {
        t.await.unwrap().unwrap_or_else(|e| panic!("client {n}: {e}"));
    }
    s.provider.with_state(|st: &State| {
        assert!(st.invariant_violations().is_empty(), "{:?}", st.invariant_violations());
        let kept = CLIENTS / 2;
        assert_eq!(st.projects().len(), before.0 + kept);
        assert_eq!(st.environments().len(), before.1 + 2 * kept);
        assert_eq!(st.volumes().len(), before.2 + CLIENTS, "volume records stay, deleted");
        assert_eq!(st.volume_instances().len(), before.3 + 2 * CLIENTS);
        let names: std::collections::BTreeSet<&str> = st.projects().values().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), st.projects().len(), "no project was created twice");
        let load: Vec<&mock_provider::Volume> =
            st.volumes().values().filter(|v| !["pg-data", "web-data"].contains(&v.name.as_str())).collect();
        assert!(load.iter().all(|v| v.deleted_at.is_some()), "every client's volume is deleted");
        let live = st.volume_instances().values().filter(|i| load.iter().any(|v| v.id == i.volume_id) && !i.is_deleted()).count();
        assert_eq!(live, 0, "the incident profile deletes at once");
    });
    let requests = CLIENTS * 4 + CLIENTS / 2;
    assert_eq!(s.provider.audit().len(), requests, "every request is audited once");
}

/// An admin request with the given headers; returns its status.
async fn admin_status(s: &Served, method: &str, path: &str, headers: &[(&str, &str)], body: &'static str) -> u16 {
    let mut req = match method {
        "GET" => s.client.get(s.url(path)),
        _ => s.client.post(s.url(path)).body(body),
    };
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn the_admin_surface_refuses_foreign_hosts_foreign_origins_and_bodies_that_are_not_json() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let json = ("content-type", "application/json");
    let advance = "/_firedrill/clock/advance";
    for (what, method, path, headers, body, expected) in [
        ("a loopback GET", "GET", "/_firedrill/tokens", vec![], "", 200),
        ("a loopback POST with JSON", "POST", advance, vec![json], r#"{"by": "1m"}"#, 200),
        ("a JSON POST with charset", "POST", advance, vec![("content-type", "application/json; charset=utf-8")], r#"{"by": "1m"}"#, 200),
        ("a page on this machine", "POST", advance, vec![json, ("origin", "http://localhost:3000")], r#"{"by": "1m"}"#, 200),
        ("localhost by name", "GET", "/_firedrill/clock", vec![("host", "localhost:4000")], "", 200),
        ("the IPv6 loopback", "GET", "/_firedrill/clock", vec![("host", "[::1]:4000")], "", 200),
        ("a rebound DNS name", "GET", "/_firedrill/tokens", vec![("host", "attacker.example")], "", 403),
        ("a rebound DNS name with a port", "POST", advance, vec![json, ("host", "attacker.example:4000")], r#"{"by": "1m"}"#, 403),
        ("a foreign origin", "GET", "/_firedrill/tokens", vec![("origin", "https://attacker.example")], "", 403),
        ("a foreign origin posting JSON", "POST", advance, vec![json, ("origin", "https://attacker.example")], r#"{"by": "1m"}"#, 403),
        ("an opaque origin", "GET", "/_firedrill/state", vec![("origin", "null")], "", 403),
        ("a form post", "POST", advance, vec![("content-type", "application/x-www-form-urlencoded")], r#"{"by": "1m"}"#, 415),
        ("a text/plain post", "POST", advance, vec![("content-type", "text/plain")], r#"{"by": "1m"}"#, 415),
        ("a post without a content type", "POST", advance, vec![], r#"{"by": "1m"}"#, 415),
    ] {
        assert_eq!(admin_status(&s, method, path, &headers, body).await, expected, "{what}");
    }
    let now = s.provider.now();
    assert_eq!(
        now,
        mock_provider::demo_start() + mock_provider::time::Duration::minutes(3),
        "only the three accepted advances moved the clock"
    );
}

#[tokio::test]
async fn the_clock_refuses_an_advance_longer_than_the_maximum_span_and_stays_put() {
    let s = serve(Profile::railway(), ServeOptions::default()).await;
    let before = s.provider.now();
    for body in [r#"{"by": "15250284452471w"}"#, r#"{"by": "800d"}"#, r#"{"to": "2999-01-01T00:00:00Z"}"#] {
        let resp = s.admin_post(&s.url("/_firedrill/clock/advance"), body).await;
        assert_eq!(resp.status().as_u16(), 400, "{body}");
        let msg = resp.json::<Value>().await.unwrap()["errors"][0]["message"].as_str().unwrap().to_string();
        assert!(msg.contains("at most"), "{body}: {msg}");
    }
    assert_eq!(s.provider.now(), before);
    let (status, _) = s.graphql(Some(&s.secret("owner")), "{ me { id } }", Value::Null).await;
    assert_eq!(status, 200, "the provider still answers");
    let resp = s.admin_post(&s.url("/_firedrill/clock/advance"), r#"{"by": "700d"}"#).await;
    assert_eq!(resp.status().as_u16(), 200, "an advance within the span is allowed");
}

#[tokio::test]
async fn every_spelling_of_a_token_shares_its_rate_limit() {
    let s = serve(Profile::railway(), ServeOptions { rate_limit: Some(RateLimit { per_hour: 3 }), ..ServeOptions::default() }).await;
    let owner = s.secret("owner");
    let mut statuses = Vec::new();
    for header in [format!("Bearer {owner}"), format!("bearer {owner}"), format!("Bearer  {owner}"), owner.clone()] {
        let resp = s
            .client
            .post(s.url("/graphql/v2"))
            .header("authorization", header)
            .json(&json!({"query": "{ me { id } }"}))
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429]);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let options = ServeOptions { header_read_timeout: Some(std::time::Duration::from_millis(200)), ..ServeOptions::default() };
    let s = serve(Profile::railway(), options).await;
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut half_open = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_open.write_all(b"POST /graphql/v2 HT").await.unwrap();
    // Reads until the server closes the connection; the guard only keeps a broken server from
    // hanging the suite, the assertion is that the connection ends.
    let mut rest = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(60), half_open.read_to_end(&mut rest)).await;
    assert!(matches!(read, Ok(Ok(_)) | Ok(Err(_))), "the server kept the half-open connection");
    let (status, _) = s.graphql(Some(&s.secret("owner")), "{ me { id } }", Value::Null).await;
    assert_eq!(status, 200, "other connections are served");
}
