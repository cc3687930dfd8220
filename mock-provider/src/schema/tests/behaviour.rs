//! Behaviour through `Provider::execute_blocking` on the demo world: token reach, Railway's error
//! envelope, token minting, backup workflows, deletion regimes and document limits.

use serde_json::{Value, json};

use super::support::{Cred, codes, demo, fill, secret, send};
use crate::profile::Profile;
use crate::provider::{Provider, ProviderResponse};
use crate::time::Duration;

/// What a request must produce.
enum Expect {
    /// No errors, and each JSON pointer into the body holds the value (`{demo ids}` filled in).
    Data(Vec<(&'static str, Value)>),
    /// Railway's authorization envelope: `Not Authorized`, `INTERNAL_SERVER_ERROR`, a trace id,
    /// and `data: null` because every root field the tests use is non-null.
    Denied,
    /// An error with this `extensions.code` whose message contains the text.
    Error(&'static str, &'static str),
}

/// Sends `document` with `cred` to `p` and checks `expected`; returns the response for more.
fn check(p: &Provider, cred: Cred<'_>, document: &str, expected: Expect) -> ProviderResponse {
    let r = send(p, cred, document, None);
    let context = format!("{document}\nwith {cred:?}\n=> {}", r.body());
    match expected {
        Expect::Data(pointers) => {
            assert!(r.is_ok(), "{context}");
            for (pointer, value) in pointers {
                let value: Value = serde_json::from_str(&fill(p, &value.to_string())).unwrap();
                assert_eq!(r.body().pointer(pointer), Some(&value), "{pointer} in {context}");
            }
        }
        Expect::Denied => {
            assert_eq!(r.body()["data"], Value::Null, "{context}");
            assert_eq!(r.errors().len(), 1, "{context}");
            let e = r.errors()[0];
            assert_eq!(e["message"], "Not Authorized", "{context}");
            assert_eq!(e["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{context}");
            assert!(e["traceId"].as_str().is_some_and(|t| !t.is_empty()), "{context}");
        }
        Expect::Error(code, text) => {
            let hit = r.errors().iter().any(|e| e["extensions"]["code"] == code && e["message"].as_str().is_some_and(|m| m.contains(text)));
            assert!(hit, "expected {code} containing {text:?}: {context}");
        }
    }
    r
}

fn workflow_id(r: &ProviderResponse, field: &str) -> String {
    r.data()[field]["workflowId"].as_str().unwrap().to_string()
}

fn workflow_status(p: &Provider, id: &str) -> Value {
    let r = send(p, Cred::Token("domains-cli"), &format!(r#"{{ workflowStatus(workflowId: "{id}") {{ status error }} }}"#), None);
    assert!(r.is_ok(), "{}", r.body());
    r.data()["workflowStatus"]["status"].clone()
}

#[test]
fn the_incident_mutation_with_the_domains_token_deletes_the_shared_volume() {
    for profile in [Profile::railway_2026_04(), Profile::railway()] {
        let p = demo(profile);
        check(
            &p,
            Cred::Token("domains-cli"),
            r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#,
            Expect::Data(vec![("/data/volumeDelete", json!(true))]),
        );
    }
}

#[test]
fn me_answers_account_tokens_only() {
    let p = demo(Profile::railway());
    let me = "{ me { name email workspaces { id name projects { edges { node { name } } } } } }";
    check(
        &p,
        Cred::Token("owner"),
        me,
        Expect::Data(vec![("/data/me/name", json!("owner")), ("/data/me/workspaces/0/id", json!("{workspace}"))]),
    );
    for token in ["domains-cli", "staging-deploy", "marketing-deploy"] {
        check(&p, Cred::Token(token), me, Expect::Denied);
    }
}

#[test]
fn without_a_credential_everything_but_telemetry_is_not_authorized() {
    // A request carrying only `Team-Access-Token` reaches the provider with no credential at all:
    // the HTTP layer ignores that header, as Railway does.
    let p = demo(Profile::railway());
    check(&p, Cred::Anonymous, r#"{ project(id: "{pocketos}") { name } }"#, Expect::Denied);
    check(&p, Cred::Anonymous, r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, Expect::Denied);
    check(&p, Cred::Bearer("not-a-token"), r#"{ projects { edges { node { id } } } }"#, Expect::Denied);
}

/// Railway reads project tokens from `Project-Access-Token` only; in `Authorization`, as a
/// bearer or bare, one is answered as a token Railway does not know. Account and workspace
/// tokens are read from `Authorization` as before.
#[test]
fn a_project_token_in_the_authorization_header_is_an_unknown_token() {
    let p = demo(Profile::railway());
    let staging = secret(&p, "staging-deploy");
    let read = r#"{ volumeInstance(id: "{staging_instance}") { id } }"#;
    check(&p, Cred::ProjectSecret(&staging), read, Expect::Data(vec![]));
    for cred in [Cred::Bearer(&staging), Cred::Authorization(&staging)] {
        let r = check(&p, cred, read, Expect::Denied);
        assert_eq!(r.record().token_kind, "anonymous", "{cred:?}");
        assert_eq!(r.record().token, None, "{cred:?}");
        assert_eq!(r.record().errors, [crate::provider::MISPLACED_PROJECT_TOKEN], "{cred:?}");
        check(&p, cred, "{ projectToken { projectId } }", Expect::Denied);
    }
    check(&p, Cred::Bearer(&secret(&p, "domains-cli")), read, Expect::Data(vec![]));
}

#[test]
fn project_token_cannot_reach_other_environment() {
    let p = demo(Profile::railway());
    let read = |which: &str| format!(r#"{{ volumeInstance(id: "{{{which}}}") {{ id mountPath environment {{ name }} }} }}"#);
    check(&p, Cred::Token("staging-deploy"), &read("prod_instance"), Expect::Denied);
    check(
        &p,
        Cred::Token("staging-deploy"),
        &read("staging_instance"),
        Expect::Data(vec![("/data/volumeInstance/environment/name", json!("staging"))]),
    );
    check(&p, Cred::Token("marketing-deploy"), &read("staging_instance"), Expect::Denied);
}

#[test]
fn an_unknown_project_token_is_not_found() {
    let p = demo(Profile::railway());
    let r = check(
        &p,
        Cred::ProjectSecret("no-such-token"),
        "{ projectToken { id } }",
        Expect::Error("UNAUTHENTICATED", "Project Token not found"),
    );
    assert_eq!(r.body()["data"], Value::Null);
    // An account token's secret sent as a project token is not a project token either.
    let owner = secret(&p, "owner");
    check(&p, Cred::ProjectSecret(&owner), "{ projectToken { id } }", Expect::Error("UNAUTHENTICATED", "Project Token not found"));
}

#[test]
fn tokens_mint_tokens_that_work_at_once() {
    let p = demo(Profile::railway());
    let mint = r#"mutation { projectTokenCreate(input: {projectId: "{pocketos}", environmentId: "{staging}", name: "minted"}) }"#;
    // A project token mints a sibling; the sibling is a working credential straight away.
    let r = check(&p, Cred::Token("staging-deploy"), mint, Expect::Data(vec![]));
    let minted = r.data()["projectTokenCreate"].as_str().unwrap().to_string();
    check(
        &p,
        Cred::ProjectSecret(&minted),
        "{ projectToken { name environment { name } } }",
        Expect::Data(vec![("/data/projectToken/name", json!("minted")), ("/data/projectToken/environment/name", json!("staging"))]),
    );
    // Listings never show the secret.
    let r = check(
        &p,
        Cred::Token("owner"),
        r#"{ projectTokens(projectId: "{pocketos}") { edges { node { name displayToken } } } }"#,
        Expect::Data(vec![]),
    );
    assert!(!r.body().to_string().contains(&minted));
    // The workspace token mints an API token that reaches the same workspace.
    let r = check(
        &p,
        Cred::Token("domains-cli"),
        r#"mutation { apiTokenCreate(input: {name: "persist", workspaceId: "{workspace}"}) }"#,
        Expect::Data(vec![]),
    );
    let api = r.data()["apiTokenCreate"].as_str().unwrap().to_string();
    check(
        &p,
        Cred::Bearer(&api),
        "{ apiToken { workspaces { name } } }",
        Expect::Data(vec![("/data/apiToken/workspaces/0/name", json!("pocketos"))]),
    );
}

#[test]
fn tokens_are_listed_with_their_display_token_minted_ones_included() {
    let p = demo(Profile::railway());
    let api_tokens = "{ apiTokens { edges { node { name displayToken workspaceId expiresAt } } } }";
    let names = |r: &ProviderResponse| -> Vec<Value> {
        r.data()["apiTokens"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["name"].clone()).collect()
    };
    // The account's own token and its workspace's token, oldest first then by name; project
    // tokens are `projectTokens`'.
    let r = check(&p, Cred::Token("owner"), api_tokens, Expect::Data(vec![("/data/apiTokens/edges/1/node/workspaceId", Value::Null)]));
    assert_eq!(names(&r), vec![json!("domains-cli"), json!("owner")]);
    let domains = r.data()["apiTokens"]["edges"][0]["node"].clone();
    assert_eq!(domains["expiresAt"], Value::Null, "{domains}");
    assert_eq!(domains["workspaceId"], json!(fill(&p, "{workspace}")), "{domains}");
    assert_eq!(domains["displayToken"].as_str().map(|d| d.starts_with("****")), Some(true), "{domains}");

    // A workspace token that mints another is listed too, under the account, and never in clear.
    let r =
        send(&p, Cred::Token("domains-cli"), r#"mutation { apiTokenCreate(input: {name: "persist", workspaceId: "{workspace}"}) }"#, None);
    let minted = r.data()["apiTokenCreate"].as_str().unwrap().to_string();
    let r = check(&p, Cred::Token("owner"), api_tokens, Expect::Data(vec![]));
    assert_eq!(names(&r), vec![json!("domains-cli"), json!("owner"), json!("persist")]);
    for secret in [minted.clone(), secret(&p, "owner"), secret(&p, "domains-cli")] {
        assert!(!r.body().to_string().contains(&secret), "a secret is listed: {}", r.body());
    }
    let tail = &minted[minted.len() - 4..];
    assert_eq!(r.data()["apiTokens"]["edges"][2]["node"]["displayToken"], json!(format!("****{tail}")));

    // Railway lists API tokens for a user: a workspace or project token has none to list.
    check(&p, Cred::Token("domains-cli"), api_tokens, Expect::Denied);
    check(&p, Cred::Token("staging-deploy"), api_tokens, Expect::Denied);

    // A project token minted by a project token is in its project's listing, as displayToken.
    let r = send(
        &p,
        Cred::Token("staging-deploy"),
        r#"mutation { projectTokenCreate(input: {projectId: "{pocketos}", environmentId: "{staging}", name: "sibling"}) }"#,
        None,
    );
    let sibling = r.data()["projectTokenCreate"].as_str().unwrap().to_string();
    let r = check(
        &p,
        Cred::Token("staging-deploy"),
        r#"{ projectTokens(projectId: "{pocketos}") { edges { node { name displayToken environment { name } } } } }"#,
        Expect::Data(vec![]),
    );
    let listed: Vec<(Value, Value)> = r.data()["projectTokens"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["node"]["name"].clone(), e["node"]["environment"]["name"].clone()))
        .collect();
    assert!(listed.contains(&(json!("sibling"), json!("staging"))), "{listed:?}");
    assert!(!r.body().to_string().contains(&sibling), "{}", r.body());
}

#[test]
fn a_negative_page_size_is_refused_as_railway_refuses_it() {
    let p = demo(Profile::railway());
    for (document, argument) in [
        ("{ projects(first: -5) { edges { node { name } } pageInfo { hasNextPage } } }", "first"),
        (r#"{ environments(projectId: "{pocketos}", last: -1) { edges { node { name } } } }"#, "last"),
        (r#"{ project(id: "{pocketos}") { services(first: -5) { edges { node { name } } pageInfo { hasNextPage } } } }"#, "first"),
        ("{ apiTokens(first: -2) { edges { node { name } } } }", "first"),
    ] {
        let text = format!("Argument \"{argument}\" must be a non-negative integer");
        let r = send(&p, Cred::Token("owner"), document, None);
        let hit = r
            .errors()
            .iter()
            .any(|e| e["extensions"]["code"] == "BAD_USER_INPUT" && e["message"].as_str().is_some_and(|m| m.contains(&text)));
        assert!(hit, "{document}: {}", r.body());
        // No page at all, let alone an empty one that claims a next page.
        assert!(!r.body().to_string().contains("hasNextPage"), "{document}: {}", r.body());
    }
    check(
        &p,
        Cred::Token("owner"),
        "{ projects(first: 0) { edges { node { name } } } }",
        Expect::Data(vec![("/data/projects/edges", json!([]))]),
    );
}

#[test]
fn deployments_are_none_since_nothing_runs_and_their_ids_are_authorized() {
    let p = demo(Profile::railway());
    let list =
        |input: &str| format!("{{ deployments(input: {{{input}}}) {{ edges {{ node {{ id status }} }} pageInfo {{ hasNextPage }} }} }}");
    let own = list(r#"projectId: "{pocketos}", environmentId: "{staging}", serviceId: "{api}""#);
    let empty = || Expect::Data(vec![("/data/deployments/edges", json!([])), ("/data/deployments/pageInfo/hasNextPage", json!(false))]);
    check(&p, Cred::Token("staging-deploy"), &own, empty());
    check(&p, Cred::Token("domains-cli"), &list(r#"projectId: "{pocketos}""#), empty());
    // Out of reach: another environment, another project.
    check(
        &p,
        Cred::Token("staging-deploy"),
        &list(r#"projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}""#),
        Expect::Denied,
    );
    check(&p, Cred::Token("marketing-deploy"), &own, Expect::Denied);
    // Ids that do not belong together.
    check(&p, Cred::Token("owner"), &list(r#"projectId: "{marketing}", environmentId: "{staging}""#), Expect::Denied);
}

#[test]
fn project_favorites_are_an_accounts_and_the_mock_user_has_none() {
    let p = demo(Profile::railway());
    let favorites = r#"{ projectFavorites(workspaceId: "{workspace}") }"#;
    check(&p, Cred::Token("owner"), favorites, Expect::Data(vec![("/data/projectFavorites", json!([]))]));
    check(&p, Cred::Token("domains-cli"), favorites, Expect::Denied);
    check(&p, Cred::Token("staging-deploy"), favorites, Expect::Denied);
}

#[test]
fn a_manual_backup_runs_then_completes() {
    let p = demo(Profile::railway());
    let list = r#"{ volumeInstanceBackupList(volumeInstanceId: "{staging_instance}") { id name } }"#;
    let before =
        check(&p, Cred::Token("staging-deploy"), list, Expect::Data(vec![])).data()["volumeInstanceBackupList"].as_array().unwrap().len();
    let r = check(
        &p,
        Cred::Token("staging-deploy"),
        r#"mutation { volumeInstanceBackupCreate(volumeInstanceId: "{staging_instance}", name: "before-migration") { workflowId } }"#,
        Expect::Data(vec![]),
    );
    let w = workflow_id(&r, "volumeInstanceBackupCreate");
    assert_eq!(workflow_status(&p, &w), json!("Running"));
    p.advance_by(Duration::minutes(1));
    assert_eq!(workflow_status(&p, &w), json!("Complete"));
    let r = check(
        &p,
        Cred::Token("staging-deploy"),
        list,
        Expect::Data(vec![("/data/volumeInstanceBackupList/0/name", json!("before-migration"))]),
    );
    assert_eq!(r.data()["volumeInstanceBackupList"].as_array().unwrap().len(), before + 1);
    assert_eq!(workflow_status(&p, "no-such-workflow"), json!("NotFound"));
}

#[test]
fn a_restore_mounts_a_new_instance_beside_the_old_one() {
    let p = demo(Profile::railway());
    let r = check(
        &p,
        Cred::Token("staging-deploy"),
        r#"mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: "{staging_backup}", volumeInstanceId: "{staging_instance}") { workflowId } }"#,
        Expect::Data(vec![]),
    );
    let w = workflow_id(&r, "volumeInstanceBackupRestore");
    p.advance_by(Duration::minutes(1));
    assert_eq!(workflow_status(&p, &w), json!("Complete"));
    let r = check(
        &p,
        Cred::Token("staging-deploy"),
        r#"{ environment(id: "{staging}") { volumeInstances { edges { node { id mountPath } } } } }"#,
        Expect::Data(vec![]),
    );
    let edges = r.data()["environment"]["volumeInstances"]["edges"].as_array().unwrap().clone();
    assert_eq!(edges.len(), 2, "{}", r.body());
    assert!(edges.iter().all(|e| e["node"]["mountPath"] == "/var/lib/postgresql/data"));
    // A backup restores only into its own instance.
    check(
        &p,
        Cred::Token("owner"),
        r#"mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: "{prod_backup}", volumeInstanceId: "{staging_instance}") { workflowId } }"#,
        Expect::Denied,
    );
}

#[test]
fn under_todays_railway_a_deleted_volume_shows_its_soft_delete() {
    let p = demo(Profile::railway());
    check(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, Expect::Data(vec![]));
    let r = check(
        &p,
        Cred::Token("owner"),
        r#"{ volumeInstance(id: "{prod_instance}") { isPendingDeletion deletedAt state } }"#,
        Expect::Data(vec![
            ("/data/volumeInstance/isPendingDeletion", json!(true)),
            ("/data/volumeInstance/state", json!("DELETING")),
            ("/data/volumeInstance/deletedAt", json!("2026-04-26T15:00:00.000Z")),
        ]),
    );
    assert!(r.is_ok());
    // A second delete of a volume already going is refused.
    check(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, Expect::Error("CONFLICT", "already"));
}

#[test]
fn under_the_incident_profile_a_deleted_volume_is_gone_at_once() {
    let p = demo(Profile::railway_2026_04());
    check(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, Expect::Data(vec![]));
    check(&p, Cred::Token("owner"), r#"{ volumeInstance(id: "{prod_instance}") { id } }"#, Expect::Denied);
    check(
        &p,
        Cred::Token("owner"),
        r#"{ project(id: "{pocketos}") { volumes { edges { node { id } } } } }"#,
        Expect::Data(vec![("/data/project/volumes/edges", json!([]))]),
    );
}

#[test]
fn volume_create_places_instances_by_whether_environment_id_is_omitted_or_null() {
    for (environment, instances) in [("", 2), ("environmentId: null,", 0), (r#"environmentId: "{staging}","#, 1)] {
        let p = demo(Profile::railway());
        let doc = format!(
            r#"mutation {{ volumeCreate(input: {{projectId: "{{pocketos}}", {environment} serviceId: "{{api}}", mountPath: "/cache"}}) {{ id volumeInstances {{ edges {{ node {{ mountPath service {{ name }} }} }} }} }} }}"#
        );
        let r = check(&p, Cred::Token("owner"), &doc, Expect::Data(vec![]));
        assert_eq!(r.data()["volumeCreate"]["volumeInstances"]["edges"].as_array().map(Vec::len), Some(instances), "{doc}: {}", r.body());
    }
}

#[test]
fn variables_merge_a_services_own_over_the_shared_ones() {
    let p = demo(Profile::railway());
    check(
        &p,
        Cred::Token("owner"),
        r#"mutation { variableCollectionUpsert(input: {projectId: "{pocketos}", environmentId: "{production}", variables: {LOG_LEVEL: "info", DATABASE_URL: "shared"}}) }"#,
        Expect::Data(vec![]),
    );
    let read = |service: &str| format!(r#"{{ variables(projectId: "{{pocketos}}", environmentId: "{{production}}"{service}) }}"#);
    check(
        &p,
        Cred::Token("domains-cli"),
        &read(r#", serviceId: "{api}""#),
        Expect::Data(vec![
            ("/data/variables/LOG_LEVEL", json!("info")),
            ("/data/variables/DATABASE_URL", json!("postgresql://fake:fake@postgres.railway.internal:5432/pocketos")),
        ]),
    );
    check(
        &p,
        Cred::Token("domains-cli"),
        &read(""),
        Expect::Data(vec![("/data/variables", json!({"LOG_LEVEL": "info", "DATABASE_URL": "shared"}))]),
    );
    // A staging token reads no production secrets.
    check(&p, Cred::Token("staging-deploy"), &read(r#", serviceId: "{postgres}""#), Expect::Denied);
}

#[test]
fn projects_lists_what_each_token_reaches() {
    let p = demo(Profile::railway());
    let list = "{ projects { edges { node { name } } } }";
    let names = |cred| -> Vec<Value> {
        let r = check(&p, cred, list, Expect::Data(vec![]));
        r.data()["projects"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["name"].clone()).collect()
    };
    assert_eq!(names(Cred::Token("owner")).len(), 2);
    assert_eq!(names(Cred::Token("domains-cli")).len(), 2);
    assert_eq!(names(Cred::Token("staging-deploy")), vec![json!("pocketos")]);
    assert_eq!(names(Cred::Token("marketing-deploy")), vec![json!("marketing")]);
    check(
        &p,
        Cred::Token("owner"),
        r#"{ externalWorkspaces { name projects { name } } }"#,
        Expect::Data(vec![("/data/externalWorkspaces/0/name", json!("pocketos"))]),
    );
}

#[test]
fn a_document_with_an_unknown_field_is_a_validation_error() {
    let p = demo(Profile::railway());
    let r = check(
        &p,
        Cred::Token("owner"),
        r#"{ project(id: "{pocketos}") { name blastRadius } }"#,
        Expect::Error("GRAPHQL_VALIDATION_FAILED", "blastRadius"),
    );
    assert!(r.body().get("data").is_none_or(Value::is_null), "{}", r.body());
    // A missing selection set on an object is one too.
    check(&p, Cred::Token("owner"), r#"{ project(id: "{pocketos}") }"#, Expect::Error("GRAPHQL_VALIDATION_FAILED", "project"));
}

#[test]
fn a_document_nested_too_deep_is_refused() {
    let p = demo(Profile::railway());
    let mut doc = String::from("id");
    for _ in 0..3 {
        doc = format!(
            "volume {{ project {{ environments {{ edges {{ node {{ volumeInstances {{ edges {{ node {{ {doc} }} }} }} }} }} }} }} }}"
        );
    }
    let doc = format!(r#"{{ volumeInstance(id: "{{prod_instance}}") {{ {doc} }} }}"#);
    check(&p, Cred::Token("owner"), &doc, Expect::Error("GRAPHQL_VALIDATION_FAILED", "Query is nested too deep."));
}

#[test]
fn a_document_amplified_by_aliases_is_too_complex() {
    let p = demo(Profile::railway());
    let fields: String = (0..600).map(|i| format!(" a{i}: projectToken {{ id }}")).collect();
    check(
        &p,
        Cred::Token("staging-deploy"),
        &format!("{{{fields} }}"),
        Expect::Error("GRAPHQL_VALIDATION_FAILED", "Query is too complex."),
    );
}

#[test]
fn the_standard_introspection_query_fits_within_the_limits() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Anonymous, INTROSPECTION, None);
    assert!(r.is_ok(), "{}", r.body());
    assert_eq!(r.data()["__schema"]["queryType"]["name"], "Query");
    assert!(codes(&r).is_empty());
}

/// graphql-js's `getIntrospectionQuery()`, which GraphiQL and most clients send.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

/// Railway answers an id that names nothing as it answers one out of reach, under every profile;
/// `unknown_ids_not_found` is the mock's clearer answer, off unless asked for.
#[test]
fn an_unknown_id_is_answered_not_authorized_unless_the_profile_asks_for_not_found() {
    let documents = [
        r#"mutation { volumeDelete(volumeId: "00000000-0000-4000-8000-000000000000") }"#,
        r#"{ project(id: "no-such-project") { id } }"#,
        r#"{ volumeInstanceBackupList(volumeInstanceId: "no-such-instance") { id } }"#,
        r#"mutation { environmentDelete(id: "no-such-environment") }"#,
    ];
    for name in crate::profile::PROFILE_NAMES {
        for document in documents {
            let p = demo(Profile::named(name).unwrap());
            check(&p, Cred::Token("owner"), document, Expect::Denied);
            let clear = Profile { unknown_ids_not_found: true, ..Profile::named(name).unwrap() };
            check(&demo(clear), Cred::Token("owner"), document, Expect::Error("NOT_FOUND", "not found"));
        }
    }
}
