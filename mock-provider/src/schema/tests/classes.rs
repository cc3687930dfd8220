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
