//! How the provider's cost grows with the world: building a world of N projects (each with a
//! volume that has daily and weekly backups) and 1,000 tokens, then synthesizing 120 days of
//! history. A world twice as large should cost about twice as much.
//!
//! `cargo bench -p mock-provider --bench scaling`; each line is one world size.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mock_provider::time::Duration;
use mock_provider::{Profile, ProjectSpec, ScheduleKind, State, TokenKindSpec, TokenSpec, VolumeSpec, WorldSpec, demo_start};

const HISTORY: Duration = Duration::days(120);
const TOKENS: usize = 1000;

/// `projects` projects in one workspace, each with a production environment, one service and a
/// volume with daily and weekly schedules; tokens cycle through account, workspace and project.
fn world(projects: usize) -> WorldSpec {
    let projects_spec = (0..projects)
        .map(|n| ProjectSpec {
            name: format!("project-{n}"),
            workspace: "team".into(),
            environments: vec!["production".into()],
            services: vec!["app".into()],
            volumes: vec![VolumeSpec {
                name: "data".into(),
                service: "app".into(),
                mount_path: "/data".into(),
                environments: None,
                size_mb: 5000,
                used_mb: 100.0,
                writes_per_hour: 10,
                schedules: vec![ScheduleKind::Daily, ScheduleKind::Weekly],
            }],
            ..ProjectSpec::default()
        })
        .collect();
    let tokens = (0..TOKENS)
        .map(|n| {
            let (kind, workspace, project, environment) = match n % 3 {
                0 => (TokenKindSpec::Account, None, None, None),
                1 => (TokenKindSpec::Workspace, Some("team".to_string()), None, None),
                _ => (TokenKindSpec::Project, None, Some(format!("project-{}", n % projects)), Some("production".to_string())),
            };
            TokenSpec { name: format!("token-{n}"), kind, workspace, project, environment, scopes: None }
        })
        .collect();
    WorldSpec { owner: "owner".into(), workspaces: vec!["team".into()], projects: projects_spec, tokens }
}

fn build_with_history(spec: &WorldSpec) -> State {
    let mut s = match State::build(Profile::railway(), 7, demo_start() - HISTORY, spec) {
        Ok(s) => s,
        Err(e) => panic!("the benchmark world does not build: {e}"),
    };
    s.advance_to(demo_start());
    s
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("world build + 120 days of history");
    g.sample_size(10);
    for projects in [250, 500, 1000, 2000] {
        let spec = world(projects);
        g.throughput(Throughput::Elements(projects as u64));
        g.bench_with_input(BenchmarkId::from_parameter(projects), &spec, |b, spec| b.iter(|| build_with_history(spec)));
    }
    g.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
