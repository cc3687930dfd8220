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
        "arch": "x86_64", "cliVersion": "5.71.0", "command": "status", "durationMs": 120,
        "isCi": false, "os": "linux", "success": true, "projectId": "{pocketos}"
    }});
    let project = json!({"id": "{pocketos}"});
    let variables = json!({"projectId": "{pocketos}", "environmentId": "{staging}", "serviceId": "{api}"});
    let domains = json!({"projectId": "{pocketos}", "environmentId": "{production}", "serviceId": "{api}"});
    let instances =
        |env: &str| json!({"projectId": "{pocketos}", "environmentId": env, "serviceInstancesFirst": 500, "volumeInstancesFirst": 500});
    let deployments = |env: &str| json!({"input": {"projectId": "{pocketos}", "environmentId": env, "serviceId": "{api}"}});
    let upsert =
        |env: &str| json!({"projectId": "{pocketos}", "environmentId": env, "serviceId": "{api}", "variables": {"FEATURE_FLAG": "on"}});
    let mount = |env: &str| json!({"volumeId": "{pg_data}", "environmentId": env, "serviceId": "{postgres}", "mountPath": "/data"});
    let rename = json!({"volumeId": "{pg_data}", "name": "pg-main"});
    vec![
        // whoami: `me` is for account tokens only.
        ("UserMeta.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        ("UserMeta.graphql", Cred::Token("domains-cli"), json!({}), Expect::Denied),
        ("UserMeta.graphql", Cred::Token("staging-deploy"), json!({}), Expect::Denied),
        // list and link select `me` too, so only an account token lists.
        ("UserProjects.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        ("UserProjects.graphql", Cred::Token("domains-cli"), json!({}), Expect::Denied),
        ("UserProjects.graphql", Cred::Token("staging-deploy"), json!({}), Expect::Denied),
        // list's stars are a user's; the CLI lists without them when refused.
        ("ProjectFavorites.graphql", Cred::Token("owner"), json!({"workspaceId": "{workspace}"}), Expect::Ok),
        ("ProjectFavorites.graphql", Cred::Token("domains-cli"), json!({"workspaceId": "{workspace}"}), Expect::Denied),
        ("ProjectFavorites.graphql", Cred::Token("staging-deploy"), json!({"workspaceId": "{workspace}"}), Expect::Denied),
        // A project token finds its project and environment.
        ("ProjectToken.graphql", Cred::Token("staging-deploy"), json!({}), Expect::Ok),
        ("ProjectToken.graphql", Cred::Token("marketing-deploy"), json!({}), Expect::Ok),
        // Every command in a linked folder reads the project, with each kind of token.
        ("Project.graphql", Cred::Token("owner"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("domains-cli"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("staging-deploy"), project.clone(), Expect::Ok),
        ("Project.graphql", Cred::Token("marketing-deploy"), project, Expect::Denied),
        // status, link and volume list: the environment's service and volume instances.
        ("EnvironmentInstances.graphql", Cred::Token("staging-deploy"), instances("{staging}"), Expect::Ok),
        ("EnvironmentInstances.graphql", Cred::Token("domains-cli"), instances("{production}"), Expect::Ok),
        ("EnvironmentInstances.graphql", Cred::Token("owner"), instances("{production}"), Expect::Ok),
        ("EnvironmentInstances.graphql", Cred::Token("staging-deploy"), instances("{production}"), Expect::Denied),
        ("EnvironmentInstances.graphql", Cred::Token("marketing-deploy"), instances("{staging}"), Expect::Denied),
        // status: the environment's config, for its volumes and buckets
        ("EnvironmentConfig.graphql", Cred::Token("staging-deploy"), json!({"id": "{staging}", "decryptVariables": false}), Expect::Ok),
        ("EnvironmentConfig.graphql", Cred::Token("owner"), json!({"id": "{production}"}), Expect::Ok),
        ("EnvironmentConfig.graphql", Cred::Token("marketing-deploy"), json!({"id": "{staging}"}), Expect::Denied),
        // status: region labels (there are none to give)
        ("Regions.graphql", Cred::Token("owner"), json!({}), Expect::Ok),
        ("Regions.graphql", Cred::Token("domains-cli"), json!({}), Expect::Ok),
        ("Regions.graphql", Cred::Token("staging-deploy"), json!({"projectId": "{pocketos}"}), Expect::Ok),
        ("Regions.graphql", Cred::Token("marketing-deploy"), json!({"projectId": "{pocketos}"}), Expect::Denied),
        // environment list
        ("Environments.graphql", Cred::Token("staging-deploy"), json!({"projectId": "{pocketos}", "first": 500}), Expect::Ok),
        ("Environments.graphql", Cred::Token("owner"), json!({"projectId": "{pocketos}"}), Expect::Ok),
        ("Environments.graphql", Cred::Token("marketing-deploy"), json!({"projectId": "{pocketos}"}), Expect::Denied),
        // environment delete: a workspace token may; a project token not outside its environment
        ("EnvironmentDelete.graphql", Cred::Token("domains-cli"), json!({"id": "{staging}"}), Expect::Ok),
        ("EnvironmentDelete.graphql", Cred::Token("staging-deploy"), json!({"id": "{production}"}), Expect::Denied),
        ("EnvironmentDelete.graphql", Cred::Token("marketing-deploy"), json!({"id": "{staging}"}), Expect::Denied),
        // variables, and variables --set
        ("VariablesForServiceDeployment.graphql", Cred::Token("staging-deploy"), variables.clone(), Expect::Ok),
        ("VariablesForServiceDeployment.graphql", Cred::Token("domains-cli"), variables.clone(), Expect::Ok),
        ("VariablesForServiceDeployment.graphql", Cred::Token("marketing-deploy"), variables, Expect::Denied),
        ("VariableCollectionUpsert.graphql", Cred::Token("staging-deploy"), upsert("{staging}"), Expect::Ok),
        ("VariableCollectionUpsert.graphql", Cred::Token("staging-deploy"), upsert("{production}"), Expect::Denied),
        ("VariableCollectionUpsert.graphql", Cred::Token("marketing-deploy"), upsert("{staging}"), Expect::Denied),
        // down and logs: a service's deployments (the mock runs none)
        ("Deployments.graphql", Cred::Token("staging-deploy"), deployments("{staging}"), Expect::Ok),
        ("Deployments.graphql", Cred::Token("domains-cli"), deployments("{production}"), Expect::Ok),
        ("Deployments.graphql", Cred::Token("staging-deploy"), deployments("{production}"), Expect::Denied),
        ("Deployments.graphql", Cred::Token("marketing-deploy"), deployments("{staging}"), Expect::Denied),
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
        // volume update: the mount path is the environment's, the name the whole volume's
        ("VolumeMountPathUpdate.graphql", Cred::Token("staging-deploy"), mount("{staging}"), Expect::Ok),
        ("VolumeMountPathUpdate.graphql", Cred::Token("staging-deploy"), mount("{production}"), Expect::Denied),
        ("VolumeNameUpdate.graphql", Cred::Token("domains-cli"), rename.clone(), Expect::Ok),
        ("VolumeNameUpdate.graphql", Cred::Token("staging-deploy"), rename.clone(), Expect::Denied),
        ("VolumeNameUpdate.graphql", Cred::Token("marketing-deploy"), rename, Expect::Denied),
        // volume delete: what the CLI sends for the incident's deletion
        ("VolumeDelete.graphql", Cred::Token("domains-cli"), json!({"id": "{pg_data}"}), Expect::Ok),
        ("VolumeDelete.graphql", Cred::Token("marketing-deploy"), json!({"id": "{pg_data}"}), Expect::Denied),
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
    assert!(files.len() >= 20, "{files:?}");
    for f in files {
        assert!(covered.contains(&f.as_str()), "{f} has no case");
        let first = document(&f).lines().next().unwrap_or_default().to_string();
        assert!(first.starts_with("# source: railwayapp 5.71.0 src/gql/"), "{f} does not name its source in the 5.71.0 CLI");
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

#[test]
fn what_the_mock_does_not_run_reads_as_off_none_or_empty() {
    let p = demo(Profile::railway());
    let run = |file: &str, cred: Cred<'_>, variables: serde_json::Value| {
        let r = send(&p, cred, &document(file), Some(variables));
        assert!(r.is_ok(), "{file}: {}", r.body());
        r.data().clone()
    };
    let data = run(
        "EnvironmentInstances.graphql",
        Cred::Token("staging-deploy"),
        json!({"projectId": "{pocketos}", "environmentId": "{staging}"}),
    );
    let services = data["environment"]["serviceInstances"]["edges"].as_array().unwrap();
    assert_eq!(services.len(), 2, "{data}");
    for s in services {
        let node = &s["node"];
        let off = json!({"tracingEnabled": false, "autoInstrumentationEnabled": false, "latestDeployment": null,
            "activeDeployments": [], "numReplicas": null, "source": null, "cronSchedule": null, "startCommand": null});
        for (field, value) in off.as_object().unwrap() {
            assert_eq!(&node[field], value, "{field} of {node}");
        }
    }
    let data = run("Environments.graphql", Cred::Token("owner"), json!({"projectId": "{pocketos}"}));
    for e in data["environments"]["edges"].as_array().unwrap() {
        assert_eq!((&e["node"]["meta"], &e["node"]["isEphemeral"]), (&json!(null), &json!(false)), "{e}");
    }
    let data =
        run("Deployments.graphql", Cred::Token("staging-deploy"), json!({"input": {"serviceId": "{api}", "environmentId": "{staging}"}}));
    assert_eq!(data["deployments"]["edges"], json!([]));
    assert_eq!(run("Regions.graphql", Cred::Token("owner"), json!({}))["regions"], json!([]));
    assert_eq!(run("ProjectFavorites.graphql", Cred::Token("owner"), json!({"workspaceId": "{workspace}"}))["projectFavorites"], json!([]));
}
