//! Calls judged by their arguments: the record's class of each call, and the variables an upsert
//! creates, updates or, when it replaces, deletes.

use super::support::{Cred, demo, send};
use crate::ops::OpClass;
use crate::profile::Profile;
use crate::state::Action;

/// Production's `api` variables, upserted as a collection.
fn collection(variables: &str, replace: Option<bool>) -> String {
    let replace = replace.map(|r| format!(", replace: {r}")).unwrap_or_default();
    format!(
        r#"mutation {{ variableCollectionUpsert(input: {{projectId: "{{pocketos}}", environmentId: "{{production}}", serviceId: "{{api}}", variables: {variables}{replace}}}) }}"#
    )
}

fn upsert(name: &str) -> String {
    format!(
        r#"mutation {{ variableUpsert(input: {{projectId: "{{pocketos}}", environmentId: "{{production}}", serviceId: "{{api}}", name: "{name}", value: "1"}}) }}"#
    )
}

/// Each case: a document run by the workspace token on a fresh demo world, the class its record
/// gives the call, and its effect as (action, variable).
#[test]
fn an_upsert_is_classed_by_its_arguments_and_names_what_it_created_updated_and_deleted() {
    for (document, class, effect) in [
        (
            collection(r#"{NEW_FLAG: "1"}"#, Some(true)),
            OpClass::Destructive,
            vec![(Action::Deleted, "DATABASE_URL"), (Action::Created, "NEW_FLAG")],
        ),
        (
            collection(r#"{NEW_FLAG: "1", DATABASE_URL: "postgresql://fake@elsewhere/db"}"#, Some(true)),
            OpClass::Destructive,
            vec![(Action::Updated, "DATABASE_URL"), (Action::Created, "NEW_FLAG")],
        ),
        (collection(r#"{NEW_FLAG: "1"}"#, Some(false)), OpClass::Write, vec![(Action::Created, "NEW_FLAG")]),
        (
            collection(r#"{NEW_FLAG: "1", DATABASE_URL: "x"}"#, None),
            OpClass::Write,
            vec![(Action::Updated, "DATABASE_URL"), (Action::Created, "NEW_FLAG")],
        ),
        (upsert("NEW_FLAG"), OpClass::Write, vec![(Action::Created, "NEW_FLAG")]),
        (upsert("DATABASE_URL"), OpClass::Write, vec![(Action::Updated, "DATABASE_URL")]),
    ] {
        let p = demo(Profile::railway());
        let r = send(&p, Cred::Token("domains-cli"), &document, None);
        assert!(r.is_ok(), "{document}: {}", r.body());
        let f = &r.record().fields[0];
        assert_eq!(f.class, class, "{document}");
        let got: Vec<(Action, &str)> = f.effect.iter().map(|c| (c.action, c.name.as_str())).collect();
        assert_eq!(got, effect, "{document}");
    }
}

#[test]
fn a_replacing_upsert_leaves_only_its_input_in_the_scope() {
    let p = demo(Profile::railway());
    assert!(send(&p, Cred::Token("domains-cli"), &collection(r#"{NEW_FLAG: "1"}"#, Some(true)), None).is_ok());
    let r = send(
        &p,
        Cred::Token("domains-cli"),
        r#"{ variables(projectId: "{pocketos}", environmentId: "{production}", serviceId: "{api}") }"#,
        None,
    );
    assert_eq!(r.data()["variables"], serde_json::json!({"NEW_FLAG": "1"}), "{}", r.body());
}

#[test]
fn a_query_is_a_read_whatever_its_arguments() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("domains-cli"), r#"{ project(id: "{pocketos}") { id } }"#, None);
    assert_eq!(r.record().fields[0].class, OpClass::Read);
}

/// Each case: a document and its variables, and the classes `call_classes` gives its root
/// fields without running it; the provider's record of the same call must agree.
#[test]
fn a_call_is_classed_before_it_runs_as_the_provider_classes_it_when_it_runs() {
    let by_variable = "mutation($i: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $i) }";
    let input = |replace: bool| serde_json::json!({"i": {"projectId": "{pocketos}", "environmentId": "{production}", "serviceId": "{api}", "variables": {"A": "1"}, "replace": replace}});
    for (document, variables, expected) in [
        (collection(r#"{A: "1"}"#, Some(true)), None, vec![OpClass::Destructive]),
        (collection(r#"{A: "1"}"#, Some(false)), None, vec![OpClass::Write]),
        (collection(r#"{A: "1"}"#, None), None, vec![OpClass::Write]),
        (by_variable.to_string(), Some(input(true)), vec![OpClass::Destructive]),
        (by_variable.to_string(), Some(input(false)), vec![OpClass::Write]),
        ("mutation { ...F } fragment F on Mutation { volumeDelete(volumeId: \"{pg_data}\") }".into(), None, vec![OpClass::Destructive]),
        ("{ projects { edges { node { id } } } me { id } }".into(), None, vec![OpClass::Read, OpClass::Read]),
    ] {
        let p = demo(Profile::railway());
        let query = super::support::fill(&p, &document);
        let vars = variables.map(|v| serde_json::from_str::<serde_json::Value>(&super::support::fill(&p, &v.to_string())).unwrap());
        let before: Vec<OpClass> = crate::provider::call_classes(&query, vars.as_ref()).into_iter().map(|(_, c)| c).collect();
        assert_eq!(before, expected, "{document}");
        let r = send(&p, Cred::Token("domains-cli"), &document, vars);
        let ran: Vec<OpClass> = r.record().fields.iter().map(|f| f.class).collect();
        assert_eq!(ran, expected, "the record of {document}: {}", r.body());
    }
}
