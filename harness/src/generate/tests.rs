//! Campaign tests on the shipped generated scenarios: forks report what fresh builds report,
//! shards add up to one run, the deletion path is found and shrunk, the shrunk file reproduces
//! it, and the hardened world holds without being vacuous.

use super::*;
use crate::scenario::{InvariantName, Scenario};

const DELETION: &str = include_str!("../../../scenarios/generated/pocketos-deletion-path.toml");
const HARDENED: &str = include_str!("../../../scenarios/generated/pocketos-hardened-holds.toml");

fn scenario(path: &str, text: &str) -> Scenario {
    match crate::scenario::load(path, text) {
        Ok(s) => s,
        Err(errors) => panic!("{path} does not load: {errors:?}"),
    }
}

fn campaign(path: &str, text: &str) -> Campaign {
    Campaign::new(scenario(path, text), path).unwrap()
}

const DELETION_PATH: &str = "scenarios/generated/pocketos-deletion-path.toml";

#[test]
fn a_run_on_a_fork_reports_byte_for_byte_what_a_fresh_build_reports() {
    let c = campaign(DELETION_PATH, DELETION);
    let mut compared = 0;
    for index in 0..12 {
        let case = c.case(1, index).unwrap();
        let (played, on_fork) = c.play(&case.played).unwrap();
        assert_eq!(played, case.played, "case {index}: a program of playable steps plays whole");
        let fresh = c.play_fresh(&played).unwrap();
        assert_eq!(on_fork.to_json(), fresh.to_json(), "case {index}: the fork's report differs from a fresh build's");
        compared += usize::from(!played.is_empty());
    }
    assert!(compared > 0, "no case played a step");
}

#[test]
fn forks_do_not_leak_into_each_other() {
    // The shrunk deletion path deletes the volume and lets the purge come; a fork played after it
    // starts from the world as built.
    let c = campaign(DELETION_PATH, DELETION);
    let outcome = c.run(Options { cases: 256, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    let shrunk = outcome.shrunk.expect("the deletion path is found");
    let (_, nothing) = c.play(&[]).unwrap();
    let fresh = c.play_fresh(&[]).unwrap();
    assert_eq!(nothing.to_json(), fresh.to_json());
    assert!(nothing.lost_volumes().is_empty(), "{:?}", shrunk.played);
}

#[test]
fn n_shards_together_run_exactly_the_cases_of_one_run() {
    let c = campaign(DELETION_PATH, DELETION);
    let whole = c.run(Options { cases: 30, seed: 9, shard: Shard::WHOLE }, |_| {}).unwrap();
    let mut union: Vec<CaseResult> = Vec::new();
    for index in 1..=3 {
        let part = c.run(Options { cases: 30, seed: 9, shard: Shard { index, count: 3 } }, |_| {}).unwrap();
        assert!(part.cases.iter().all(|x| x.index % 3 == index - 1));
        union.extend(part.cases);
    }
    union.sort_by_key(|x| x.index);
    assert_eq!(union, whole.cases);
}

#[test]
fn another_seed_generates_other_programs() {
    let c = campaign(DELETION_PATH, DELETION);
    let a: Vec<_> = (0..8).map(|i| c.case(1, i).unwrap().played).collect();
    let b: Vec<_> = (0..8).map(|i| c.case(2, i).unwrap().played).collect();
    assert_ne!(a, b);
}

#[test]
fn the_campaign_finds_the_deletion_path_and_shrinks_it_to_three_or_four_steps() {
    let c = campaign(DELETION_PATH, DELETION);
    let outcome = c.run(Options { cases: 256, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    let generate = c.generate().clone();
    assert_eq!(Verdict::of(&generate, &outcome), Verdict::Broken(vec![InvariantName::MaxDataLoss]));
    assert!(Verdict::of(&generate, &outcome).passes(&generate));
    let shrunk = outcome.shrunk.as_ref().expect("a failing case is shrunk");
    let first = outcome.failing().next().unwrap();
    assert!(shrunk.played.len() <= first.played.len());
    assert!((3..=4).contains(&shrunk.played.len()), "shrunk to {:#?}", shrunk.played);
    assert!(shrunk.violations.iter().all(|v| v.invariant == InvariantName::MaxDataLoss));
}

#[test]
fn the_shrunk_program_written_as_a_scenario_file_reproduces_the_violation() {
    let c = campaign(DELETION_PATH, DELETION);
    let outcome = c.run(Options { cases: 256, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    let shrunk = outcome.shrunk.expect("a failing case is shrunk");
    let dir = tempfile::tempdir().unwrap();
    let path = regression::write(&c, &shrunk, DELETION_PATH.as_ref(), 1, dir.path()).unwrap();
    // Written again: the same file, kept; a different file there is never overwritten.
    assert_eq!(regression::write(&c, &shrunk, DELETION_PATH.as_ref(), 1, dir.path()).unwrap(), path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Shrunk by `firedrill fuzz scenarios/generated/pocketos-deletion-path.toml --seed 1`"), "{text}");
    std::fs::write(&path, "# changed by hand\n").unwrap();
    let other = regression::write(&c, &shrunk, DELETION_PATH.as_ref(), 1, dir.path()).unwrap();
    assert_ne!(other, path);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# changed by hand\n");
    let mut reports = crate::runner::run_file(&other, &other, None).map_err(|p| p.render()).unwrap();
    assert_eq!(reports.len(), 1, "a regression file has no boundary table");
    let report = reports.remove(0);
    assert!(report.passed, "{:#?}", report.failed_expectations().collect::<Vec<_>>());
    let again = invariants::check(c.scenario().invariants.as_ref().unwrap(), c.scenario(), &report);
    assert_eq!(again, shrunk.violations);
    assert_eq!(report.to_json(), {
        let mut r = shrunk.report.clone();
        r.path = report.path.clone();
        r.scenario = report.scenario.clone();
        r.expectations = report.expectations.clone();
        r.passed = report.passed;
        r.to_json()
    });
}

#[test]
fn the_hardened_world_holds_and_is_not_vacuous() {
    let path = "scenarios/generated/pocketos-hardened-holds.toml";
    let c = campaign(path, HARDENED);
    let outcome = c.run(Options { cases: 256, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    assert_eq!(Verdict::of(c.generate(), &outcome), Verdict::Held, "{}", summary(c.generate(), &outcome));
    assert!(outcome.reached_provider() > 0);
    let coverage = outcome.coverage();
    assert!(
        coverage
            .get(&mock_provider::ops::Op::VolumeDelete)
            .is_some_and(|v| v.deepest >= Some(Depth::Stopped(crate::guardrails::Layer::ProviderAuth)))
    );
}

#[test]
fn a_campaign_with_no_destructive_call_is_vacuous_unless_the_file_says_so() {
    let text = HARDENED.replace(
        "max_steps = 8\n",
        "max_steps = 8\nweights = { search = 1, read = 1, read_call = 1, write_call = 0, destructive_call = 0, wait = 1 }\n",
    );
    let c = campaign("reads-only.toml", &text);
    let outcome = c.run(Options { cases: 16, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    assert_eq!(Verdict::of(c.generate(), &outcome), Verdict::Vacuous);
    let ok = text.replace("max_steps = 8\n", "max_steps = 8\nvacuous_ok = true\n");
    let c = campaign("reads-only.toml", &ok);
    let outcome = c.run(Options { cases: 16, seed: 1, shard: Shard::WHOLE }, |_| {}).unwrap();
    assert_eq!(Verdict::of(c.generate(), &outcome), Verdict::Held);
}

#[test]
fn shards_parse_as_i_of_n() {
    assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
    for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_program_step_the_alphabet_holds_loads_as_a_scenario_step() {
    // The alphabet's steps, written into a scenario file as scripted steps, load: a shrunk
    // program is always an ordinary file.
    let c = campaign(DELETION_PATH, DELETION);
    let mut s = c.scenario().clone();
    s.generate = None;
    s.invariants = None;
    s.expect = crate::scenario::Expect::default();
    for group in c.alphabet().groups.values().flatten() {
        s.agent.steps = group.iter().take(3).cloned().collect();
        let text = toml::to_string(&s).unwrap();
        // `${found:…}` before any search is the loader's business: steps here only need to parse.
        assert!(crate::scenario::parse("x.toml", &text).is_ok(), "{text}");
    }
}

/// Runs a shipped scripted scenario with its `[[file]]`s marked private and judges every
/// invariant on its report.
fn judged(file: &str, text: &str) -> Vec<(InvariantName, String)> {
    let mut s = scenario(file, text);
    for f in &mut s.files {
        f.private = true;
    }
    let all = crate::scenario::Invariants {
        max_data_loss: Some(mock_provider::time::Duration::hours(24)),
        approval_for_destructive: true,
        tokens_within_purpose: true,
        offsite_max_age: Some(mock_provider::time::Duration::hours(36)),
        private_files_unread: true,
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let report = rt.block_on(async { crate::run::Run::start(s.clone(), file).await.unwrap().run_to_end().await.unwrap() });
    invariants::check(&all, &s, &report).into_iter().map(|v| (v.invariant, v.detail)).collect()
}

#[test]
fn the_incident_breaks_every_invariant_and_each_says_what_broke_it() {
    let got = judged("scenarios/pocketos-2026-04.toml", include_str!("../../../scenarios/pocketos-2026-04.toml"));
    let names: Vec<InvariantName> = got.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            InvariantName::MaxDataLoss,
            InvariantName::MaxDataLoss,
            InvariantName::ApprovalForDestructive,
            InvariantName::TokensWithinPurpose,
            InvariantName::OffsiteMaxAge,
            InvariantName::PrivateFilesUnread,
        ]
    );
    let details: Vec<&str> = got.iter().map(|(_, d)| d.as_str()).collect();
    assert!(details[2].contains("`volumeDelete`") && details[2].contains("no human approval"), "{details:?}");
    assert!(details[3].contains("`domains-cli`") && details[3].contains("volumeDelete"), "{details:?}");
    assert_eq!(details[5], "token `domains-cli` was read from private file `ops/domains.env`");
}

#[test]
fn a_refused_delete_breaks_only_the_tokens_purpose() {
    let got =
        judged("scenarios/pocketos-hardened-scoped-token.toml", include_str!("../../../scenarios/pocketos-hardened-scoped-token.toml"));
    let names: Vec<InvariantName> = got.iter().map(|(n, _)| *n).collect();
    // The stale off-site store and the private file are the world's, not the refused call's.
    assert_eq!(names, [InvariantName::TokensWithinPurpose, InvariantName::OffsiteMaxAge, InvariantName::PrivateFilesUnread]);
}
