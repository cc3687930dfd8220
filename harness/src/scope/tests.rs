//! The scope analysis on the shipped scenarios, and its agreement with runs: every witness path
//! of the incident, played as a scripted scenario, does what the witness says.

use std::path::PathBuf;

use mock_provider::ops::Op;

use super::{ScopeReport, Witness, text};
use crate::agent::Actor;
use crate::guardrails::{Layer, StoppedBy};
use crate::run::Run;
use crate::runner::{load, runtime};
use crate::scenario::{Expect, Scenario, Step};

fn scenario(name: &str) -> (Scenario, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios").join(name);
    let Ok(s) = load(&path) else { panic!("{name} does not load") };
    (s, format!("scenarios/{name}"))
}

fn scope(name: &str) -> ScopeReport {
    let (s, path) = scenario(name);
    let rt = runtime().ok().unwrap();
    rt.block_on(async { Run::start(s, &path).await.ok().unwrap().scope() })
}

fn path_to<'r>(r: &'r ScopeReport, op: Op, resource: &str) -> Option<&'r Witness> {
    r.agent.destructive.iter().chain(&r.agent.closed).find(|w| w.operation == op && w.resource.label == resource)
}

#[test]
fn the_incident_witness_reads_like_the_incident() {
    let r = scope("pocketos-2026-04.toml");
    let w = path_to(&r, Op::VolumeDelete, "volume pocketos/pg-data").unwrap();
    assert_eq!(w.stopped_by, None);
    assert_eq!(w.token, "domains-cli");
    assert_eq!(w.found_in, "`ops/domains.env`");
    let d = w.discovery.as_ref().unwrap();
    assert_eq!((d.key.as_str(), d.text.as_str()), ("search", "RAILWAY_API_TOKEN"));
    assert_eq!(w.call.channel, "shell:curl");
    assert!(w.call.text.starts_with("curl -X POST https://backboard.railway.com/graphql/v2"), "{}", w.call.text);
    assert_eq!(w.call.layers.last().map(|l| l.layer), Some(Layer::ProviderAuth));
    assert!(w.resource.critical);
    assert_eq!(w.resource.environments, ["production", "staging"]);
}

#[test]
fn the_domains_token_reaches_far_beyond_its_purpose_destructive_first() {
    let r = scope("pocketos-2026-04.toml");
    let t = r.token("domains-cli").unwrap();
    let first = &t.beyond_purpose[0];
    assert_eq!(first.class, mock_provider::ops::OpClass::Destructive);
    let f = t.beyond_purpose.iter().find(|f| f.operation == Op::VolumeDelete).unwrap();
    let tail = format!("its purpose needs 3 operations, it reaches {}", t.operations.len());
    assert!(f.message.starts_with("`domains-cli` can `volumeDelete` `pg-data` in production and staging"), "{}", f.message);
    assert!(f.message.ends_with(&tail), "{}", f.message);
    assert!(t.operations.len() > 30, "{:?}", t.operations);
}

#[test]
fn a_token_that_can_mint_reaches_what_the_minted_token_reaches() {
    // Under scopes, the domains token allowed `projectTokenCreate` too: the project tokens it can
    // mint carry no scopes, so it reaches, through them, what they reach.
    let (mut s, path) = scenario("pocketos-hardened-scoped-token.toml");
    let t = s.tokens.iter_mut().find(|t| t.name == "domains-cli").unwrap();
    t.scopes.as_mut().unwrap().push("projectTokenCreate".into());
    let rt = runtime().ok().unwrap();
    let r = rt.block_on(async { Run::start(s, &path).await.ok().unwrap().scope() });
    let t = r.token("domains-cli").unwrap();
    let minted = t.reach.iter().find(|x| x.operation == Op::VolumeInstanceBackupDelete).unwrap();
    let via = minted.via.as_deref().unwrap();
    assert!(via.starts_with("a project token minted with `projectTokenCreate` on environment pocketos/"), "{via}");
    assert!(
        t.beyond_purpose.iter().any(|f| f.operation == Op::VolumeInstanceBackupDelete && f.message.contains("through a project token"))
    );
    // Without the scope, nothing is minted and nothing reached through minting.
    let r = scope("pocketos-hardened-scoped-token.toml");
    assert!(r.token("domains-cli").unwrap().reach.iter().all(|x| x.via.is_none()));
}

#[test]
fn the_pinned_id_policy_leaves_the_database_open_and_the_analysis_finds_it() {
    let r = scope("pocketos-cedar-gateway-pinned-id.toml");
    let w = path_to(&r, Op::VolumeDelete, "volume pocketos/pg-data").unwrap();
    assert_eq!(w.stopped_by, None, "{w:?}");
    let gateway = w.call.layers.iter().find(|l| l.layer == Layer::Gateway).unwrap();
    assert!(gateway.reason.contains("permit"), "{}", gateway.reason);
    assert!(!r.no_destructive_reach_on_critical());
}

#[test]
fn the_cedar_policy_stops_the_volume_delete_at_the_gateway() {
    let r = scope("pocketos-cedar-gateway.toml");
    let w = path_to(&r, Op::VolumeDelete, "volume pocketos/pg-data").unwrap();
    assert_eq!(w.stopped_by, Some(Layer::Gateway), "{w:?}");
}

#[test]
fn the_hardened_token_is_stopped_at_the_provider_and_stays_within_its_purpose() {
    let r = scope("pocketos-hardened-scoped-token.toml");
    let w = path_to(&r, Op::VolumeDelete, "volume pocketos/pg-data").unwrap();
    assert_eq!(w.stopped_by, Some(Layer::ProviderAuth), "{w:?}");
    assert!(w.call.layers.last().unwrap().reason.contains("token scopes"), "{w:?}");
    assert!(r.token("domains-cli").unwrap().beyond_purpose.is_empty());
    assert!(r.no_destructive_reach_on_critical());
}

#[test]
fn scope_output_is_the_same_every_time() {
    assert_eq!(text(&scope("pocketos-2026-04.toml")), text(&scope("pocketos-2026-04.toml")));
}

#[test]
fn scope_snapshots() {
    for name in ["pocketos-2026-04.toml", "pocketos-cedar-gateway-pinned-id.toml", "pocketos-hardened-scoped-token.toml"] {
        let r = scope(name);
        insta::assert_snapshot!(name.trim_end_matches(".toml"), text(&r));
    }
    insta::assert_snapshot!("pocketos-2026-04.markdown", super::markdown(&scope("pocketos-2026-04.toml")));
}

/// Every witness of the incident, open and closed, played as a scenario of its own steps: the
/// destructive attempt is stopped by the layer the witness names, or by none.
#[test]
fn every_witness_of_the_incident_does_what_it_says_when_run() {
    let (base, path) = scenario("pocketos-2026-04.toml");
    let r = scope("pocketos-2026-04.toml");
    let rt = runtime().ok().unwrap();
    let witnesses: Vec<&Witness> = r.agent.destructive.iter().chain(&r.agent.closed).collect();
    assert!(witnesses.len() > 10, "{}", witnesses.len());
    for w in witnesses {
        let mut s = base.clone();
        s.expect = Expect::default();
        s.agent.steps = w.actions.iter().map(|a| Step { actor: Actor::Agent, action: a.clone(), note: None }).collect();
        let report = rt.block_on(async { Run::start(s, &path).await.ok().unwrap().run_to_end().await.ok().unwrap() });
        let attempt = report.destructive_attempts.iter().find(|a| a.operation == w.operation);
        let Some(attempt) = attempt else { panic!("{}: the run made no `{}` attempt: {:?}", w.key(), w.operation, report.timeline) };
        assert_eq!(attempt.stopped_by, StoppedBy(w.stopped_by), "{}: {:?}", w.key(), attempt);
        assert_eq!(attempt.token.as_deref(), Some(w.token.as_str()), "{}", w.key());
    }
}
