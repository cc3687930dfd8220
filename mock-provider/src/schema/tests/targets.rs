//! `call_targets` agrees with the provider: for one document per operation of the catalogue, what
//! it works out before the call (target, class, the provider's decision) is what the provider's
//! own record of the call says once it ran.

use std::collections::BTreeSet;

use super::support::{demo, fill, ids, secret};
use crate::call_targets::{acted_on_kinds, call_targets};
use crate::ops::{Op, OpClass, ResourceKind};
use crate::profile::Profile;
use crate::provider::Provider;
use crate::request::ProviderRequest;

/// Every operation, as a document with the demo world's ids in `{placeholders}`.
const DOCUMENTS: &[&str] = &[
    r#"{ me { id } }"#,
    r#"{ project(id: "{pocketos}") { id } }"#,
    r#"{ projects(workspaceId: "{workspace}") { edges { node { id } } } }"#,
    r#"{ environment(id: "{production}", projectId: "{pocketos}") { id } }"#,
    r#"{ environments(projectId: "{pocketos}") { edges { node { id } } } }"#,
    r#"{ service(id: "{api}") { id } }"#,
    r#"{ volumeInstance(id: "{prod_instance}") { id } }"#,
    r#"{ variables(projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}") }"#,
    r#"{ variablesForServiceDeployment(projectId: "{pocketos}", environmentId: "{staging}", serviceId: "{api}") }"#,
    r#"{ projectToken { projectId } }"#,
    r#"{ projectTokens(projectId: "{pocketos}") { edges { node { id } } } }"#,
    r#"{ apiToken { workspaces { id } } }"#,
    r#"{ apiTokens { edges { node { id } } } }"#,
    r#"{ volumeInstanceBackupList(volumeInstanceId: "{prod_instance}") { id } }"#,
    r#"{ volumeInstanceBackupScheduleList(volumeInstanceId: "{staging_instance}") { id } }"#,
    r#"{ customDomain(id: "{custom_domain}", projectId: "{pocketos}") { id } }"#,
    r#"{ domains(projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}") { customDomains { id } } }"#,
    r#"{ workflowStatus(workflowId: "no-such-workflow") { status } }"#,
    r#"{ externalWorkspaces(projectId: "{pocketos}") { id } }"#,
    r#"{ projectFavorites(workspaceId: "{workspace}") }"#,
    r#"{ deployments(input: {projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}"}) { edges { node { id } } } }"#,
    r#"{ regions(projectId: "{pocketos}") { name } }"#,
    r#"mutation { projectCreate(input: {name: "new", workspaceId: "{workspace}"}) { id } }"#,
    r#"mutation { projectDelete(id: "{marketing}") }"#,
    r#"mutation { projectScheduleDelete(id: "{marketing}") }"#,
    r#"mutation { projectScheduleDeleteCancel(id: "{marketing}") }"#,
    r#"mutation { projectScheduleDeleteForce(id: "{marketing}") }"#,
    r#"mutation { environmentCreate(input: {projectId: "{pocketos}", name: "qa", sourceEnvironmentId: "{staging}"}) { id } }"#,
    r#"mutation { environmentDelete(id: "{staging}") }"#,
    r#"mutation { serviceCreate(input: {projectId: "{pocketos}", environmentId: "{staging}", name: "worker"}) { id } }"#,
    r#"mutation { serviceDelete(id: "{api}", environmentId: "{staging}") }"#,
    r#"mutation { volumeCreate(input: {projectId: "{pocketos}", mountPath: "/d", environmentId: "{staging}"}) { id } }"#,
    r#"mutation { volumeUpdate(volumeId: "{pg_data}", input: {name: "pg"}) { id } }"#,
    r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#,
    r#"mutation { volumeInstanceUpdate(volumeId: "{pg_data}", environmentId: "{staging}", input: {mountPath: "/x"}) }"#,
    r#"mutation { volumeInstanceBackupCreate(volumeInstanceId: "{prod_instance}") { workflowId } }"#,
    r#"mutation { volumeInstanceBackupDelete(volumeInstanceBackupId: "{prod_backup}", volumeInstanceId: "{prod_instance}") { workflowId } }"#,
    r#"mutation { volumeInstanceBackupLock(volumeInstanceBackupId: "{prod_backup}", volumeInstanceId: "{prod_instance}") }"#,
    r#"mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: "{prod_backup}", volumeInstanceId: "{prod_instance}") { workflowId } }"#,
    r#"mutation { volumeInstanceBackupScheduleUpdate(volumeInstanceId: "{prod_instance}", kinds: [DAILY]) }"#,
    r#"mutation { customDomainCreate(input: {domain: "new.example", projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}"}) { id } }"#,
    r#"mutation { customDomainUpdate(id: "{custom_domain}", environmentId: "{production}", targetPort: 8080) }"#,
    r#"mutation { customDomainDelete(id: "{custom_domain}") }"#,
    r#"mutation { serviceDomainCreate(input: {environmentId: "{production}", serviceId: "{api}"}) { id } }"#,
    r#"mutation { serviceDomainDelete(id: "no-such-domain") }"#,
    r#"mutation { variableUpsert(input: {projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}", name: "A", value: "1"}) }"#,
    r#"mutation { variableCollectionUpsert(input: {projectId: "{pocketos}", environmentId: "{production}", variables: {A: "1"}, replace: true}) }"#,
    r#"mutation { variableDelete(input: {projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}", name: "DATABASE_URL"}) }"#,
    r#"mutation { projectTokenCreate(input: {projectId: "{pocketos}", environmentId: "{staging}", name: "t"}) }"#,
    r#"mutation { projectTokenDelete(id: "{project_token}") }"#,
    r#"mutation { apiTokenCreate(input: {name: "t", workspaceId: "{workspace}"}) }"#,
    r#"mutation { apiTokenDelete(id: "{api_token}") }"#,
    r#"mutation { workspaceDelete(id: "{workspace}") }"#,
    r#"mutation { cliEventTrack(input: {arch: "x86_64", cliVersion: "5.71.0", command: "status", durationMs: 1, isCi: false, os: "linux", success: true}) }"#,
];

/// `text` with the demo ids `fill` knows and a few more this file needs.
fn filled(p: &Provider, text: &str) -> String {
    let more = p.with_state(|s| {
        vec![
            ("custom_domain", s.custom_domains().keys().next().cloned().unwrap_or_default()),
            ("project_token", s.token_named("staging-deploy").unwrap().id.clone()),
            ("api_token", s.token_named("domains-cli").unwrap().id.clone()),
        ]
    });
    more.into_iter().fold(fill(p, text), |t, (name, id)| t.replace(&format!("{{{name}}}"), &id))
}

/// Works out `document` for `token`, runs it, and compares each root field with the record.
fn check(document: &str, variables: Option<serde_json::Value>, token: &str) -> Vec<Op> {
    let p = demo(Profile::railway());
    let query = filled(&p, document);
    let who = p.with_state(|s| s.principal_of(s.token_named(token).unwrap()));
    let before = p.with_state(|s| call_targets(s, &who, &query, variables.as_ref()));
    // Named before the call runs, as the provider names its target before any effect.
    let labels: Vec<Option<String>> =
        p.with_state(|s| before.iter().map(|ct| ct.target.as_ref().and_then(|t| s.describe_target(t))).collect());
    let secret = secret(&p, token);
    let mut request = ProviderRequest::new(query.clone());
    request = if who.kind_label() == "project" { request.project_token(secret) } else { request.bearer(secret) };
    if let Some(v) = variables {
        request = request.variables(v);
    }
    let response = p.execute_blocking(request);
    let record = response.record();
    assert_eq!(before.len(), record.fields.len(), "{query}: {:?}", record.errors);
    let mut ops = Vec::new();
    for ((ct, f), target) in before.iter().zip(&record.fields).zip(labels) {
        assert_eq!(ct.field, f.field, "{query}");
        assert_eq!(ct.class, f.class, "{query}");
        assert!(ct.op.is_some_and(|op| op.classes().contains(&ct.class)), "{query}: a class `Op::classes` does not list");
        assert_eq!(target, f.target, "{query}: the provider named another target");
        let decided = ct.authorization.as_ref().map(|a| &a.decision);
        assert_eq!(decided, f.authorization.as_ref().map(|a| &a.decision), "{query}: the provider decided otherwise");
        let op = ct.op.unwrap();
        let kind = ct.acted_on.as_ref().map_or(ResourceKind::Account, |r| r.kind);
        assert!(acted_on_kinds(op).contains(&kind), "{query}: acts on a {kind:?}, not in {:?}", acted_on_kinds(op));
        ops.push(op);
    }
    ops
}

#[test]
fn call_targets_names_what_the_provider_authorizes_for_every_operation() {
    let mut seen = BTreeSet::new();
    for document in DOCUMENTS {
        for token in ["owner", "domains-cli", "staging-deploy"] {
            seen.extend(check(document, None, token));
        }
    }
    let missing: Vec<&str> = Op::ALL.iter().filter(|op| !seen.contains(op)).map(|op| op.name()).collect();
    assert!(missing.is_empty(), "operations without a document: {missing:?}");
}

#[test]
fn variables_are_read_as_the_provider_reads_them() {
    let p = demo(Profile::railway());
    let pg_data = ids(&p).into_iter().find(|(n, _)| *n == "pg_data").map(|(_, id)| id).unwrap();
    let ops = check("mutation($v: String!) { volumeDelete(volumeId: $v) }", Some(serde_json::json!({"v": pg_data})), "domains-cli");
    assert_eq!(ops, [Op::VolumeDelete]);
}

/// Each case: a document, then for its one root field the class, what it acts on (kind and
/// name), and the names of the environments that resource lives in.
#[test]
fn each_call_names_the_resource_it_acts_on_with_its_own_facts() {
    for (document, class, kind, name, environments) in [
        (
            r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#,
            OpClass::Destructive,
            ResourceKind::Volume,
            "pg-data",
            &["production", "staging"][..],
        ),
        (
            r#"mutation { volumeInstanceBackupDelete(volumeInstanceBackupId: "{prod_backup}", volumeInstanceId: "{prod_instance}") { workflowId } }"#,
            OpClass::Destructive,
            ResourceKind::Backup,
            "Daily",
            &["production"],
        ),
        (
            r#"mutation { variableCollectionUpsert(input: {projectId: "{pocketos}", environmentId: "{staging}", variables: {A: "1"}, replace: true}) }"#,
            OpClass::Destructive,
            ResourceKind::Variables,
            "variables of pocketos/staging",
            &["staging"],
        ),
        (
            r#"mutation { variableCollectionUpsert(input: {projectId: "{pocketos}", environmentId: "{staging}", variables: {A: "1"}}) }"#,
            OpClass::Write,
            ResourceKind::Variables,
            "variables of pocketos/staging",
            &["staging"],
        ),
        (r#"{ environment(id: "{production}") { id } }"#, OpClass::Read, ResourceKind::Environment, "production", &["production"]),
        (r#"mutation { volumeDelete(volumeId: "no-such-volume") }"#, OpClass::Destructive, ResourceKind::Volume, "no-such-volume", &[]),
    ] {
        let p = demo(Profile::railway());
        let query = filled(&p, document);
        let who = p.with_state(|s| s.principal_of(s.token_named("owner").unwrap()));
        let targets = p.with_state(|s| call_targets(s, &who, &query, None));
        let [ct] = targets.as_slice() else { panic!("{query}: {targets:?}") };
        assert_eq!(ct.class, class, "{query}");
        let r = ct.acted_on.as_ref().unwrap();
        assert_eq!((r.kind, r.name.as_str()), (kind, name), "{query}");
        assert_eq!(r.environments.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), environments, "{query}");
        assert_eq!(r.exists, !name.starts_with("no-such"), "{query}");
    }
}

#[test]
fn a_document_that_does_not_parse_names_nothing() {
    let p = demo(Profile::railway());
    assert!(p.with_state(|s| call_targets(s, &crate::auth::Principal::anonymous(), "mutation { volumeDelete(", None)).is_empty());
}
