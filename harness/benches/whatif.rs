//! The incident's full what-if matrix, in-process: the scenario as written, each of its nine
//! mitigations (and the wrapped variant of the runtime rule), each a full run of the patched
//! file, and the search for the smallest sets.
//!
//! `cargo bench --profile perf -p harness --bench whatif`. Goal: under 100 ms on one core.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use harness::whatif::{Source, matrix};

fn incident_matrix(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/pocketos-2026-04.toml");
    let Ok(source) = Source::read(&path, &path, None) else { panic!("the incident scenario does not load") };
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { panic!("no runtime") };
    let mut group = c.benchmark_group("whatif");
    group.sample_size(30);
    group.bench_function("pocketos-2026-04 full matrix", |b| b.iter(|| rt.block_on(matrix(&source)).is_ok()));
    group.finish();
}

criterion_group!(benches, incident_matrix);
criterion_main!(benches);
