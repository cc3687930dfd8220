//! `serve --scenario`: a scenario's world over HTTP, and the report of what people did to it.

use std::sync::Arc;

use harness::Run;
use harness::runner::{load, report_hook};
use mock_provider::http::{ServeOptions, Server};
use serde_json::{Value, json};

async fn served_incident() -> (String, Arc<Run>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pocketos-2026-04.toml");
    let scenario = load(&path).unwrap_or_else(|p| panic!("{}", p.render()));
    let run = Arc::new(Run::start(scenario, "scenarios/pocketos-2026-04.toml").await.unwrap());
    let options = ServeOptions { report: Some(report_hook(run.clone())), ..ServeOptions::default() };
    let server = Server::bind(run.provider().clone(), "127.0.0.1:0".parse().unwrap(), options).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    (base, run)
}

#[tokio::test]
async fn a_volume_deleted_over_http_shows_in_the_report_with_its_recovery() {
    let (base, run) = served_incident().await;
    let (secret, volume) = run.provider().with_state(|s| {
        let pid = s.project_id("pocketos").unwrap();
        (s.token_named("domains-cli").unwrap().secret.clone(), s.volume_id(&pid, "pg-data").unwrap())
    });
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let body = json!({"query": format!("mutation {{ volumeDelete(volumeId: \"{volume}\") }}")}).to_string();
    let resp: Value = client
        .post(format!("{base}/graphql/v2"))
        .header("Authorization", format!("Bearer {secret}"))
        .header("User-Agent", "curl/8.5.0")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resp, json!({"data": {"volumeDelete": true}}));

    let report: Value = client.get(format!("{base}/_firedrill/report")).send().await.unwrap().json().await.unwrap();
    let attempt = &report["destructive_attempts"][0];
    assert_eq!(attempt["operation"], "volumeDelete");
    assert_eq!(attempt["channel"], "http");
    assert_eq!(attempt["token"], "domains-cli");
    assert_eq!(attempt["stopped_by"], "none");
    let v = &report["volumes"][0];
    assert_eq!((v["name"].as_str(), v["lost"].as_bool()), (Some("pocketos/pg-data"), Some(true)));
    assert_eq!(v["recovery"]["source"], "offsite");
    let event = report["timeline"].as_array().unwrap().iter().find(|e| e["actor"] == "curl/8.5.0").unwrap();
    // The same layers a scripted run reports: authorization, then the provider applying it.
    let layers: Vec<(&str, &str)> =
        event["decisions"].as_array().unwrap().iter().map(|d| (d["layer"].as_str().unwrap(), d["decision"].as_str().unwrap())).collect();
    assert_eq!(layers, [("provider-auth", "allow"), ("provider", "allow")], "{event}");
}

#[tokio::test]
async fn the_report_of_an_untouched_world_has_nothing_lost() {
    let (base, _run) = served_incident().await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let report: Value = client.get(format!("{base}/_firedrill/report")).send().await.unwrap().json().await.unwrap();
    assert_eq!(report["summary"]["destructive_attempts"], 0);
    assert_eq!(report["volumes"][0]["lost"], false);
    assert_eq!(report["volumes"][0]["recovery"]["source"], "live");
}
