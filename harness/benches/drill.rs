//! The incident scenario end to end, in-process: world, 120 days of history, the agent's steps,
//! the recovery drill over HTTP to the off-site store, and the report.
//!
//! `cargo bench -p harness --bench drill`. Goal: 1,000 runs/s on one core (median 1 ms or less).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use harness::Run;
use harness::runner::load;

fn incident(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/pocketos-2026-04.toml");
    let Ok(scenario) = load(&path) else { panic!("the incident scenario does not load") };
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { panic!("no runtime") };
    let mut group = c.benchmark_group("drill");
    group.bench_function("pocketos-2026-04 end to end", |b| {
        b.iter(|| {
            rt.block_on(async {
                let run = Run::start(scenario.clone(), "scenarios/pocketos-2026-04.toml").await.ok()?;
                run.run_to_end().await.ok()
            })
        })
    });
    group.bench_function("world and history only", |b| b.iter(|| rt.block_on(async { Run::start(scenario.clone(), "x").await.is_ok() })));
    let parsed = std::fs::read_to_string(&path).unwrap_or_default();
    group.bench_function("parse and validate the file", |b| b.iter(|| harness::scenario::load("x", &parsed).is_ok()));
    group.finish();
}

criterion_group!(benches, incident);
criterion_main!(benches);
