//! The Railway CLI's own documents (saved under `testdata/cli/`) validate and execute against
//! the demo world with the token kinds the CLI would send, failing only where Railway refuses.

use serde_json::json;

use super::support::{Cred, codes, demo, send};
use crate::profile::Profile;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/testdata/cli");

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Data and no errors.
    Ok,
    /// Railway's authorization envelope: `Not Authorized`, `INTERNAL_SERVER_ERROR`, no data.
    Denied,
}

fn document(file: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{file}")).unwrap()
}

/// Runs one CLI document on a fresh demo world and checks the outcome.
fn check(file: &str, cred: Cred<'_>, variables: serde_json::Value, expected: Expect) {
    let p = demo(Profile::railway());
    let r = send(&p, cred, &document(file), Some(variables));
    let context = format!("{file} with {cred:?}: {}", r.body());
    match expected {
        Expect::Ok => {
            assert!(r.is_ok(), "{context}");
            assert!(r.data().as_object().is_some_and(|d| !d.is_empty()), "{context}");
        }
        Expect::Denied => {
            assert!(!r.is_ok(), "{context}");
            assert!(codes(&r).iter().all(|c| c == "INTERNAL_SERVER_ERROR"), "{context}");
            assert!(r.errors().iter().all(|e| e["message"] == "Not Authorized"), "{context}");
            // Every root field the CLI asks for is non-null, so the spec nulls all of `data`;
            // the CLI reads `errors` only when `data` decodes.
            assert!(r.data().is_null(), "{context}");
        }
    }
}

/// Every case: document, credential, variables (with `{demo ids}`), expected outcome.
fn cases() -> Vec<(&'static str, Cred<'static>, serde_json::Value, Expect)> {
    let telemetry = json!({"input": {
        "arch": "x86_64", "cliVersion": "4.10.0", "command": "status", "durationMs": 120,
        "isCi": false, "os": "linux", "success": true, "projectId": "{pocketos}"
    }});
    let project = json!({"id": "{pocketos}"});
    let variables = json!({"projectId": "{pocketos}", "environmentId": "{staging}", "serviceId": "{api}"});
    let domains = json!({"projectId": "{pocketos}", "environmentId": "{production}", "serviceId": "{api}"});
    vec![
        // whoami: `me` is for account tokens; an API token falls back to `apiToken`.
        ("UserMeta.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        ("UserMeta.graphql", Cred::Token("domains-cli"), json!({}), Expect::Denied),
        ("UserMeta.graphql", Cred::Token("staging-deploy"), json!({}), Expect::Denied),
        ("ApiToken.graphql", Cred::Token("domains-cli"), json!({}), Expect::Ok),
        ("ApiToken.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        // list
        ("UserProjects.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        ("UserProjects.graphql", Cred::Token("domains-cli"), json!({}), Expect::Denied),
        // status and volume list, with each kind of token
        ("Project.graphql", Cred::Token("owner"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("domains-cli"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("staging-deploy"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("marketing-deploy"), project, Expect::Denied),
        ("ProjectToken.graphql", Cred::Token("staging-deploy"), json!({}), Expect::Ok),
        // variables
        ("VariablesForServiceDeployment.graphql", Cred::Token("staging-deploy"), variables.clone(), Expect::Ok),
        ("VariablesForServiceDeployment.graphql", Cred::Token("domains-cli"), variables.clone(), Expect::Ok),
        ("VariablesForServiceDeployment.graphql", Cred::Token("marketing-deploy"), variables, Expect::Denied),
        // domain: the incident token's legitimate job
        ("Domains.graphql", Cred::Token("domains-cli"), domains.clone(), Expect::Ok),
        ("ServiceDomainCreate.graphql", Cred::Token("domains-cli"), domains.clone(), Expect::Ok),
        (
            "CustomDomainCreate.graphql",
            Cred::Token("domains-cli"),
            json!({"input": {"domain": "www.pocketos.example", "projectId": "{pocketos}", "environmentId": "{production}", "serviceId": "{api}", "targetPort": 8080}}),
            Expect::Ok,
        ),
        ("Domains.graphql", Cred::Token("staging-deploy"), domains, Expect::Denied),
        // volume delete: what the CLI sends for the incident's deletion
        ("VolumeDelete.graphql", Cred::Token("domains-cli"), json!({"id": "{pg_data}"}), Expect::Ok),
        ("VolumeDelete.graphql", Cred::Token("marketing-deploy"), json!({"id": "{pg_data}"}), Expect::Denied),
        // status: the environment's config, for its volumes and buckets
        ("EnvironmentConfig.graphql", Cred::Token("staging-deploy"), json!({"id": "{staging}", "decryptVariables": false}), Expect::Ok),
        ("EnvironmentConfig.graphql", Cred::Token("owner"), json!({"id": "{production}"}), Expect::Ok),
        ("EnvironmentConfig.graphql", Cred::Token("marketing-deploy"), json!({"id": "{staging}"}), Expect::Denied),
        // telemetry is accepted from anyone, even without a token
        ("CliEventTrack.graphql", Cred::Token("owner"), telemetry.clone(), Expect::Ok),
        ("CliEventTrack.graphql", Cred::Anonymous, telemetry, Expect::Ok),
    ]
}

#[test]
fn the_railway_clis_documents_execute_with_the_tokens_the_cli_would_send() {
    for (file, cred, variables, expected) in cases() {
        check(file, cred, variables, expected);
    }
}

#[test]
fn every_saved_cli_document_names_its_source_and_has_a_case() {
    let covered: Vec<&str> = cases().iter().map(|c| c.0).collect();
    let mut files: Vec<String> = std::fs::read_dir(DIR).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for f in files {
        assert!(covered.contains(&f.as_str()), "{f} has no case");
        let first = document(&f).lines().next().unwrap_or_default().to_string();
        assert!(first.starts_with("# source: railwayapp") && first.contains(" src/gql/"), "{f} does not name its source");
    }
}

#[test]
fn the_status_document_lets_a_project_token_into_its_own_environment_only() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("staging-deploy"), &document("Project.graphql"), Some(json!({"id": "{pocketos}"})));
    assert!(r.is_ok(), "{}", r.body());
    let accessible: Vec<(&str, bool)> = r.data()["project"]["environments"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["node"]["name"].as_str().unwrap_or_default(), e["node"]["canAccess"].as_bool().unwrap_or_default()))
        .collect();
    assert_eq!(accessible, vec![("production", false), ("staging", true)]);
}

#[test]
fn the_environment_config_shows_the_shared_volume_mounted_in_each_environment() {
    let p = demo(Profile::railway());
    let pg_data = super::support::fill(&p, "{pg_data}");
    for env in ["{staging}", "{production}"] {
        let r = send(&p, Cred::Token("owner"), &document("EnvironmentConfig.graphql"), Some(json!({"id": env, "decryptVariables": false})));
        assert!(r.is_ok(), "{}", r.body());
        let volumes = &r.data()["environment"]["config"]["volumes"];
        assert!(volumes.get(&pg_data).is_some(), "{env}: {volumes}");
    }
    // A project token for staging gets nothing out of production's config.
    let r = send(&p, Cred::Token("staging-deploy"), &document("EnvironmentConfig.graphql"), Some(json!({"id": "{production}"})));
    assert!(!r.is_ok(), "{}", r.body());
}
