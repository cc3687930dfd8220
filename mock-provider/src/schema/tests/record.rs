//! The provider's own record of each request (`ProviderResponse::record`): how far the request
//! got, each field's one authorization decision with its scope and target, and effects traced
//! back to the request that caused them, including those the clock applies later.

use super::support::{Cred, demo, fill, send};
use crate::audit::Stage;
use crate::auth::DenyRule;
use crate::ops::OpClass;
use crate::profile::Profile;
use crate::state::{Action, Cause};
use crate::time::Duration;

/// Each case: a credential and a document, and the stage the record says the request reached.
#[test]
fn the_record_says_how_far_a_request_got() {
    let p = demo(Profile::railway());
    for (cred, document, stage) in [
        (Cred::Token("domains-cli"), "{ projects { edges { node { id } } } }", Stage::Executed),
        (Cred::Anonymous, r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, Stage::Executed),
        (Cred::Token("domains-cli"), "{ projects { edges { node { nope } } } }", Stage::Malformed),
        (Cred::Token("domains-cli"), "mutation { volumeDelete }", Stage::Malformed),
        (Cred::Token("domains-cli"), "{ projects ", Stage::Malformed),
        (Cred::Token("domains-cli"), &format!("{{ a{}1{} }}", "(x: [".repeat(80), "]".repeat(80)), Stage::Malformed),
        (Cred::ProjectSecret("firedrill-fake-not-a-token"), "{ projectToken { projectId } }", Stage::Unauthenticated),
    ] {
        let r = send(&p, cred, document, None);
        assert_eq!(r.record().stage, stage, "{document} with {cred:?}: {}", r.body());
        assert_eq!(r.record().trace_id, r.trace_id);
    }
}

#[test]
fn a_malformed_document_names_its_root_fields_but_no_authorization_decision() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: 7) }"#, None);
    let record = r.record();
    assert_eq!(record.stage, Stage::Malformed);
    assert_eq!(record.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["volumeDelete"]);
    assert!(record.fields.iter().all(|f| f.authorization.is_none()), "{record:?}");
}

#[test]
fn each_field_carries_its_one_decision_its_scope_and_its_target_by_name() {
    let p = demo(Profile::railway_2026_04());
    let r = send(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, None);
    let f = &r.record().fields[0];
    let auth = f.authorization.as_ref().unwrap();
    assert!(auth.allowed());
    assert_eq!(auth.scope.as_ref().map(|s| s.environments.len()), Some(2), "the volume has an instance in two environments");
    assert_eq!(f.target.as_deref(), Some("volume pocketos/pg-data"));
    assert_eq!(r.record().token.as_deref(), Some("domains-cli"));
    assert!(!f.effect.is_empty());
}

#[test]
fn an_unknown_id_is_refused_by_authorization_and_an_anonymous_caller_is_refused_before_it() {
    let p = demo(Profile::railway());
    let rule = |cred| {
        let r = send(&p, cred, r#"mutation { volumeDelete(volumeId: "no-such-volume") }"#, None);
        match &r.record().fields[0].authorization.as_ref().unwrap().decision {
            crate::auth::Decision::Deny { rule, .. } => Some(*rule),
            crate::auth::Decision::Allow { .. } => None,
        }
    };
    assert_eq!(rule(Cred::Token("domains-cli")), Some(DenyRule::UnknownTarget));
    assert_eq!(rule(Cred::Anonymous), Some(DenyRule::NoCredential));
}

#[test]
fn an_unknown_id_answered_not_authorized_keeps_its_true_reason_in_the_record() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("owner"), r#"mutation { volumeDelete(volumeId: "no-such-volume") }"#, None);
    assert_eq!(r.errors()[0]["message"], "Not Authorized", "{}", r.body());
    let auth = r.record().fields[0].authorization.clone().unwrap();
    assert!(matches!(auth.decision, crate::auth::Decision::Deny { rule: DenyRule::UnknownTarget, .. }), "{auth:?}");
    assert!(matches!(auth.unresolved, Some(crate::error::ProviderError::NotFound { .. })), "{auth:?}");
}

#[test]
fn a_records_identity_is_its_own_even_when_other_requests_land_after_it() {
    let p = demo(Profile::railway());
    let first = send(&p, Cred::Token("domains-cli"), "{ projects { edges { node { id } } } }", None);
    let _second = send(&p, Cred::Token("staging-deploy"), "{ projectToken { projectId } }", None);
    assert_eq!(first.record().token.as_deref(), Some("domains-cli"));
    assert_eq!(p.with_audit(|a| a.iter().last().map(|e| e.token.clone())), Some(Some("staging-deploy".to_string())));
}

#[test]
fn a_purge_48_hours_later_is_traced_back_to_the_soft_delete_that_caused_it() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("domains-cli"), r#"mutation { volumeDelete(volumeId: "{pg_data}") }"#, None);
    let seq = r.record().seq;
    p.advance_by(Duration::hours(49));
    let purged: Vec<_> = p.with_state(|s| {
        s.events().iter().filter(|e| e.cause == Cause::Purge && e.change.action == Action::Deleted).map(|e| e.origin).collect()
    });
    assert!(!purged.is_empty(), "the soft-deleted volume was purged");
    assert!(purged.iter().all(|o| *o == Some(seq)), "{purged:?} should all be request {seq}");
}

#[test]
fn a_restore_workflow_deleting_newer_backups_is_traced_back_to_the_restore_request() {
    let p = demo(Profile::railway());
    let instance = fill(&p, "{prod_instance}");
    let oldest = p.with_state(|s| {
        s.backups().values().filter(|b| b.volume_instance_id == instance).min_by_key(|b| b.created_at).map(|b| b.id.clone()).unwrap()
    });
    let restore = format!(
        r#"mutation {{ volumeInstanceBackupRestore(volumeInstanceBackupId: "{oldest}", volumeInstanceId: "{{prod_instance}}") {{ workflowId }} }}"#
    );
    let r = send(&p, Cred::Token("domains-cli"), &restore, None);
    assert!(r.is_ok(), "{}", r.body());
    let seq = r.record().seq;
    assert!(
        r.record().fields[0].target.as_deref().is_some_and(|t| t.starts_with("backup ") && t.ends_with("of pocketos/pg-data (production)"))
    );
    p.advance_by(Duration::minutes(5));
    let later: Vec<_> =
        p.with_state(|s| s.events().iter().filter(|e| e.cause == Cause::Workflow).map(|e| (e.change.action, e.origin)).collect());
    assert!(later.iter().any(|(a, _)| *a == Action::Deleted), "newer backups were deleted: {later:?}");
    assert!(later.iter().all(|(_, o)| *o == Some(seq)), "{later:?} should all be request {seq}");
}

#[test]
fn clock_events_nobody_requested_have_no_origin() {
    let p = demo(Profile::railway());
    p.advance_by(Duration::days(2));
    p.with_state(|s| {
        let scheduled: Vec<_> = s.events().iter().filter(|e| matches!(e.cause, Cause::Schedule | Cause::Expiry)).collect();
        assert!(!scheduled.is_empty());
        assert!(scheduled.iter().all(|e| e.origin.is_none()));
    });
}

/// Each case: a document the provider refuses as malformed, and the root fields its record names,
/// whether they are selected directly, through a fragment spread or an inline fragment, or
/// through fragments that spread each other in a cycle.
#[test]
fn a_malformed_document_names_its_root_fields_whatever_its_shape() {
    let p = demo(Profile::railway());
    for (document, fields) in [
        ("mutation { volumeDelete(volumeId: 7) }", &["volumeDelete"][..]),
        ("mutation { ...Wipe } fragment Wipe on Mutation { volumeDelete(volumeId: 7) }", &["volumeDelete"]),
        ("mutation { ... on Mutation { volumeDelete(volumeId: 7) } }", &["volumeDelete"]),
        ("mutation { ... { projectDelete(id: 1) ... on Mutation { volumeDelete(volumeId: 7) } } }", &["projectDelete", "volumeDelete"]),
        (
            "mutation { ...A } fragment A on Mutation { volumeDelete(volumeId: 7) ...B } fragment B on Mutation { ...A projectDelete(id: 1) }",
            &["volumeDelete", "projectDelete"],
        ),
        ("mutation { ...A ...A } fragment A on Mutation { volumeDelete(volumeId: 7) }", &["volumeDelete"]),
        ("{ ...Q } fragment Q on Query { projects { nope } }", &["projects"]),
    ] {
        let r = send(&p, Cred::Token("domains-cli"), document, None);
        let record = r.record();
        assert_eq!(record.stage, Stage::Malformed, "{document}: {}", r.body());
        assert_eq!(record.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), fields, "{document}");
        assert!(record.fields.iter().all(|f| f.authorization.is_none() && f.error.as_deref() == Some("not executed")), "{record:?}");
    }
}

#[test]
fn a_malformed_destructive_field_is_classed_by_the_catalogue() {
    let p = demo(Profile::railway());
    let r = send(&p, Cred::Token("domains-cli"), "mutation { ...W } fragment W on Mutation { volumeDelete(volumeId: 7) }", None);
    assert_eq!(r.record().fields.iter().map(|f| f.class).collect::<Vec<_>>(), [OpClass::Destructive]);
}

/// A root field a directive skipped was named but never ran: the record says so, beside the
/// fields that ran.
#[test]
fn a_skipped_root_field_is_recorded_as_named_and_not_run() {
    let p = demo(Profile::railway());
    let r = send(
        &p,
        Cred::Token("domains-cli"),
        r#"mutation { volumeDelete(volumeId: "{pg_data}") @skip(if: true) cliEventTrack(input: {command: "x", cliVersion: "x", os: "x", arch: "x", success: true, durationMs: 1, isCi: false}) }"#,
        None,
    );
    assert!(r.is_ok(), "{}", r.body());
    let record = r.record();
    assert_eq!(record.stage, Stage::Executed);
    let fields: Vec<_> = record.fields.iter().map(|f| (f.field.as_str(), f.authorization.is_some(), f.error.as_deref())).collect();
    assert_eq!(fields, [("cliEventTrack", true, None), ("volumeDelete", false, Some("not executed"))]);
    assert!(p.with_state(|s| s.volumes().values().all(|v| v.deleted_at.is_none())), "the skipped delete ran");
}
