//! Generated agents on the incident's world: what one case costs (fork, play, report, judge),
//! and whole campaigns with and without shrinking.
//!
//! `cargo bench --profile perf -p harness --bench fuzz`. Goal (issue 14): 5,000 cases/s on one
//! core (200 µs a case, judging included), and 10,000 cases with shrinking in under 5 s.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use harness::generate::{Campaign, Options, Shard};
use harness::runner::load;

fn campaign(file: &str) -> Campaign {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/generated").join(file);
    let Ok(scenario) = load(&path) else { panic!("{file} does not load") };
    let Ok(c) = Campaign::new(scenario, file) else { panic!("{file}: the world does not build") };
    c
}

fn cases(c: &mut Criterion) {
    let deletion = campaign("pocketos-deletion-path.toml");
    let hardened = campaign("pocketos-hardened-holds.toml");
    let mut group = c.benchmark_group("fuzz");
    group.sample_size(20);
    // One case end to end: its program generated, played on a fork, reported, judged.
    group.bench_function("one case (hardened world, 64 cases per iteration)", |b| {
        b.iter(|| (0..64).filter_map(|i| hardened.case(1, i).ok()).count())
    });
    group.bench_function("one case (deletion world, 64 cases per iteration)", |b| {
        b.iter(|| (0..64).filter_map(|i| deletion.case(1, i).ok()).count())
    });
    // The parts: a fork alone, and the empty program (fork, start, report).
    let Ok((_, _)) = hardened.play(&[]) else { panic!("the empty program does not play") };
    group.bench_function("empty program: fork, start, report", |b| b.iter(|| hardened.play(&[]).is_ok()));
    group.finish();
    let mut whole = c.benchmark_group("fuzz campaign");
    whole.sample_size(10);
    whole.bench_function("10,000 cases with shrinking (deletion world)", |b| {
        b.iter(|| deletion.run(Options { cases: 10_000, seed: 1, shard: Shard::WHOLE }, |_| {}).map(|o| o.shrunk.is_some()))
    });
    whole.finish();
}

criterion_group!(benches, cases);
criterion_main!(benches);
