//! The agent-runtime layer deciding one action against a 500-rule Claude Code settings stack
//! (three layers: managed, project, user), with the leaks worked out, as a drill does per step.
//!
//! `cargo bench -p harness --bench runtime`. Goal: microseconds per decision.

use criterion::{Criterion, criterion_group, criterion_main};
use harness::guardrails::runtime::{ToolCall, claude_code};

/// A settings file with `n` rules of each list, shaped like a big team's: prefixes, wildcards,
/// paths and MCP tools.
fn settings(n: usize, seed: &str) -> String {
    let rule = |i: usize| match i % 5 {
        0 => format!("\"Bash(tool{seed}{i}:*)\""),
        1 => format!("\"Bash(npm run task{seed}{i} *)\""),
        2 => format!("\"Read(./secrets/{seed}{i}/**)\""),
        3 => format!("\"mcp__server{seed}{i}__tool\""),
        _ => format!("\"Edit(/src/{seed}{i}/**/*.ts)\""),
    };
    let list = |from: usize| (from..from + n).map(rule).collect::<Vec<_>>().join(", ");
    format!(r#"{{"permissions": {{"deny": [{}], "ask": [{}], "allow": [{}]}}}}"#, list(0), list(n), list(2 * n))
}

fn decide(c: &mut Criterion) {
    // 3 files × 3 lists × 55 or 56 rules: 500 rules in all.
    let managed = settings(56, "m");
    let project = settings(55, "p");
    let user = settings(55, "u");
    let runtime = claude_code(&[("managed-settings.json", &managed), (".claude/settings.json", &project), ("user/settings.json", &user)]);
    let curl = ToolCall::Shell {
        command: r#"cd /repo && sh -c 'curl -X POST https://backboard.railway.app/graphql/v2 -H "Authorization: Bearer $T" -d @body.json' | jq ."#.into(),
    };
    let read = ToolCall::Read { path: "config/railway.json".into() };
    let mcp = ToolCall::Mcp { server: "railway".into(), tool: "volume_delete".into(), input: serde_json::json!({"volumeId": "v"}) };
    let mut group = c.benchmark_group("agent runtime, 500 rules");
    group.bench_function("a wrapped curl (3 subcommands)", |b| b.iter(|| runtime.decide(&curl)));
    group.bench_function("a file read", |b| b.iter(|| runtime.decide(&read)));
    group.bench_function("an MCP tool", |b| b.iter(|| runtime.decide(&mcp)));
    group.bench_function("loading the three files", |b| {
        b.iter(|| claude_code(&[("managed-settings.json", &managed), (".claude/settings.json", &project), ("user/settings.json", &user)]))
    });
    group.finish();
}

criterion_group!(benches, decide);
criterion_main!(benches);
