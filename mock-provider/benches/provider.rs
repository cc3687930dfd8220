//! In-process benchmarks: one GraphQL request through authorization, resolution and audit, at
//! the cost of a function call. The goal is 20,000 operations/s on one core.
//!
//! `cargo bench -p mock-provider --bench provider`; criterion prints time per operation, and
//! the throughput line reads as operations per second.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mock_provider::{DEMO_HISTORY, Profile, Provider, ProviderRequest, State, WorldSpec, demo_start};

fn demo(profile: Profile) -> State {
    let mut s = match State::build(profile, 7, demo_start() - DEMO_HISTORY, &WorldSpec::demo()) {
        Ok(s) => s,
        Err(e) => panic!("the demo world does not build: {e}"),
    };
    s.advance_to(demo_start());
    s
}

fn ids(s: &State) -> (String, String, String) {
    let (Ok(pocketos), Some(owner)) = (s.project_id("pocketos"), s.token_named("owner")) else { panic!("no demo world") };
    let Ok(volume) = s.volume_id(&pocketos, "pg-data") else { panic!("no pg-data") };
    (pocketos, volume, owner.secret.clone())
}

fn volume_delete(c: &mut Criterion) {
    let mut g = c.benchmark_group("in-process");
    g.throughput(Throughput::Elements(1));
    for profile in [Profile::railway_2026_04(), Profile::railway()] {
        let base = demo(profile.clone());
        let (_, volume, owner) = ids(&base);
        let query = format!("mutation {{ volumeDelete(volumeId: \"{volume}\") }}");
        // A fresh world per operation: cloning the state is setup, not measured.
        g.bench_function(format!("volumeDelete on a fresh world ({})", profile.name), |b| {
            b.iter_batched(
                || Provider::from_state(base.clone(), 7),
                |p| {
                    let out = p.execute_blocking(ProviderRequest::new(query.as_str()).bearer(&owner));
                    assert!(out.is_ok(), "{}", out.body());
                    // Returned, so dropping the world is not measured either.
                    (p, out)
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn nested_project(c: &mut Criterion) {
    let mut g = c.benchmark_group("in-process");
    g.throughput(Throughput::Elements(1));
    let base = demo(Profile::railway());
    let (project, _, owner) = ids(&base);
    let p = Provider::from_state(base, 7);
    let query = format!(
        "{{ project(id: \"{project}\") {{ id name environments {{ edges {{ node {{ id name \
         volumeInstances {{ edges {{ node {{ id mountPath state isPendingDeletion currentSizeMB }} }} }} \
         serviceInstances {{ edges {{ node {{ id serviceName }} }} }} }} }} }} \
         services {{ edges {{ node {{ id name }} }} }} }} }}"
    );
    let first = p.execute_blocking(ProviderRequest::new(query.as_str()).bearer(&owner));
    assert!(first.is_ok(), "{}", first.body());
    let small = format!("{{ project(id: \"{project}\") {{ id name }} }}");
    g.bench_function("small project query", |b| b.iter(|| p.execute_blocking(ProviderRequest::new(small.as_str()).bearer(&owner))));
    g.bench_function("nested project query", |b| {
        b.iter(|| {
            let out = p.execute_blocking(ProviderRequest::new(query.as_str()).bearer(&owner));
            debug_assert!(out.is_ok());
            out
        })
    });
    g.finish();
}

/// The fragment bomb (each of 30 fragments spreads the next twice): refused from its
/// parsed shape, never expanded. Before the document limits it ran for minutes.
fn fragment_bomb(c: &mut Criterion) {
    let mut g = c.benchmark_group("in-process");
    g.throughput(Throughput::Elements(1));
    let p = Provider::from_state(demo(Profile::railway()), 7);
    let mut bomb = String::from("query { ...f0 }\n");
    for n in 0..30 {
        bomb.push_str(&format!("fragment f{n} on Query {{ ...f{m} ...f{m} }}\n", m = n + 1));
    }
    bomb.push_str("fragment f30 on Query { me { id } }\n");
    let first = p.execute_blocking(ProviderRequest::new(bomb.as_str()));
    assert_eq!(first.errors()[0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{}", first.body());
    // Each iteration sends a new text (a distinct comment), so the refusal is computed from a
    // fresh parse every time rather than remembered.
    let mut n = 0u64;
    g.bench_function("refusing a fragment chain doubling 30 times", |b| {
        b.iter(|| {
            n += 1;
            p.execute_blocking(ProviderRequest::new(format!("{bomb}# {n}")))
        })
    });
    g.bench_function("refusing it again (remembered)", |b| b.iter(|| p.execute_blocking(ProviderRequest::new(bomb.as_str()))));
    g.finish();
}

criterion_group!(benches, volume_delete, nested_project, fragment_bomb);
criterion_main!(benches);
