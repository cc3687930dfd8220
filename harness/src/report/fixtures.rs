//! Hand-built reports shared by the renderers' tests: the April 2026 incident as the harness
//! would report it, and a run in which nothing happened.

use std::collections::BTreeMap;

use mock_provider::VolumeState;
use mock_provider::ops::Op;
use mock_provider::time::{Duration, Instant};

use super::*;
use crate::guardrails::{Layer, StoppedBy, Verdict};
use crate::recovery::Alert;
use crate::scenario::{AlertKind, RecoverySource, TokenKind};

fn s(x: &str) -> String {
    x.to_string()
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| s(x)).collect()
}

fn at(text: &str) -> Instant {
    Instant::parse(text).unwrap_or_default()
}

fn decision(layer: Layer, verdict: Verdict, reason: &str) -> Decision {
    Decision::new(layer, verdict, reason)
}

fn event(t: &str, actor: &str, channel: Channel, action: &str, target: Option<&str>) -> TimelineEvent {
    TimelineEvent { target: target.map(s), ..TimelineEvent::new(at(t), actor, channel, action) }
}

fn expectation(name: &str, passed: bool, expected: &str, actual: &str) -> ExpectationResult {
    ExpectationResult { name: s(name), passed, expected: s(expected), actual: s(actual) }
}

/// The April 2026 incident: a domains token found in the repository deletes the production
/// database volume over curl, its backups go with it, and the off-site copy stopped in January.
pub(crate) fn sample() -> IncidentReport {
    let knobs: BTreeMap<String, String> = [
        ("backups_die_with_volume", "true"),
        ("backups_outlive_volume", "0s"),
        ("delete_grace", "0s"),
        ("deletion_protection", "false"),
        ("manual_backup_limit", "0.5"),
        ("project_delete_grace", "2d"),
        ("project_token_cross_environment_volume_delete", "true"),
        ("token_scopes", "false"),
        ("workflow_duration", "30s"),
    ]
    .into_iter()
    .map(|(k, v)| (s(k), s(v)))
    .collect();
    let loss = Duration::days(91) + Duration::hours(15);
    let delete_effect =
        strings(&["volume pocketos/pg-data deleted in production and staging", "2 provider backups deleted with the volume"]);
    let timeline = vec![
        TimelineEvent {
            step: Some(1),
            effect: strings(&["found RAILWAY_API_TOKEN in ops/domains.env (token domains-cli)"]),
            ..event("2026-04-24T15:00:00Z", "agent", Channel::RepoSearch, "search RAILWAY", None)
        },
        TimelineEvent { step: Some(2), ..event("2026-04-24T15:00:05Z", "agent", Channel::RepoRead, "read", Some("ops/domains.env")) },
        TimelineEvent {
            step: Some(3),
            decisions: vec![
                decision(Layer::AgentRuntime, Verdict::Allow, "shell commands run without approval"),
                decision(Layer::Gateway, Verdict::NotReached, "curl does not go through the MCP gateway"),
                decision(Layer::ProviderAuth, Verdict::Allow, "workspace token; Railway tokens have no scopes"),
                decision(Layer::Provider, Verdict::Allow, "volumeDelete is an immediate hard delete"),
            ],
            effect: delete_effect.clone(),
            ..event("2026-04-24T15:00:10Z", "agent", Channel::ShellCurl, "volumeDelete", Some("pocketos/pg-data"))
        },
        TimelineEvent { step: Some(4), ..event("2026-04-24T15:00:15Z", "agent", Channel::Clock, "wait 2d", None) },
        TimelineEvent {
            effect: strings(&["volume-instance `pocketos/pg-data (production)` purged"]),
            ..event("2026-04-26T15:00:15Z", "provider", Channel::Purge, "volume-instance `pocketos/pg-data (production)` purged", None)
        },
    ];
    IncidentReport {
        scenario: s("pocketos-2026-04"),
        path: s("scenarios/pocketos-2026-04.toml"),
        seed: 7,
        profile: ProfileReport { name: s("railway-2026-04"), knobs },
        start: at("2026-04-24T15:00:00Z"),
        end: at("2026-04-26T15:00:39Z"),
        summary: Summary {
            destructive_attempts: 1,
            stopped: 0,
            volumes_lost: strings(&["pocketos/pg-data (production)"]),
            worst_data_loss_seconds: loss.as_secs(),
            worst_data_loss: loss,
            alerts: 1,
        },
        tokens: vec![
            TokenReport {
                name: s("domains-cli"),
                kind: TokenKind::Workspace,
                stored_in: s("file ops/domains.env"),
                purpose: strings(&["customDomainCreate", "customDomainDelete", "domains"]),
                found_by_step: Some(1),
                found_in: Some(s("ops/domains.env")),
                used_beyond_purpose: strings(&["volumeDelete"]),
                minted_by: None,
                minted_with: None,
            },
            TokenReport {
                name: s("deploy"),
                kind: TokenKind::Project,
                stored_in: s("secret manager 1password"),
                purpose: strings(&["deploymentTrigger"]),
                found_by_step: None,
                found_in: None,
                used_beyond_purpose: Vec::new(),
                minted_by: None,
                minted_with: None,
            },
        ],
        timeline,
        destructive_attempts: vec![DestructiveAttempt {
            step: 3,
            at: at("2026-04-24T15:00:10Z"),
            actor: s("agent"),
            operation: Op::VolumeDelete,
            target: Some(s("volume pocketos/pg-data")),
            token: Some(s("domains-cli")),
            channel: Channel::ShellCurl,
            stopped_by: StoppedBy::NONE,
            reason: s("no layer refused it"),
            layers: Vec::new(),
            effect: delete_effect,
            request: Some(1),
        }],
        agent_runtime: None,
        defence_in_depth: None,
        volumes: vec![VolumeReport {
            name: s("pocketos/pg-data"),
            critical: true,
            lost: true,
            environment: s("production"),
            instances: vec![
                InstanceReport {
                    environment: s("production"),
                    state: VolumeState::Deleted,
                    mounted: false,
                    deleted_at: Some(at("2026-04-24T15:00:10Z")),
                    records: 0,
                },
                InstanceReport {
                    environment: s("staging"),
                    state: VolumeState::Deleted,
                    mounted: false,
                    deleted_at: Some(at("2026-04-24T15:00:10Z")),
                    records: 0,
                },
            ],
            provider_backups: Vec::new(),
            recovery: Recovery {
                source: RecoverySource::Offsite,
                recovery_point: Some(at("2026-01-23T00:00:00Z")),
                recovery_point_age: Some(loss),
                data_loss_seconds: loss.as_secs(),
                data_loss: loss,
                records_lost: 263_880,
                restore_time_seconds: Some(24),
                attempts: vec![
                    RecoveryAttempt {
                        source: RecoverySource::SoftDeleteRestore,
                        recovery_point: None,
                        outcome: s("unavailable: deletes are immediate (delete_grace 0s)"),
                    },
                    RecoveryAttempt {
                        source: RecoverySource::ProviderBackup,
                        recovery_point: None,
                        outcome: s("unavailable: backups were deleted with the volume"),
                    },
                    RecoveryAttempt {
                        source: RecoverySource::Offsite,
                        recovery_point: Some(at("2026-01-23T00:00:00Z")),
                        outcome: s("restored"),
                    },
                ],
                note: None,
            },
        }],
        offsite: Some(OffsiteReport {
            target: s("s3://pocketos-backups/pg-data"),
            volume: s("pocketos/pg-data"),
            every: Duration::hours(24),
            runs: 145,
            failed_runs: 2,
            silent_failures: 2,
            objects: 143,
            newest: Some(at("2026-01-23T00:00:00Z")),
            newest_age_at_end: Some(Duration::days(93) + Duration::hours(15)),
            dumps: vec![at("2026-01-21T00:00:00Z"), at("2026-01-22T00:00:00Z"), at("2026-01-23T00:00:00Z")],
            failures: vec![(at("2026-01-24T00:00:00Z"), true), (at("2026-01-25T00:00:00Z"), true)],
        }),
        alerts: vec![Alert {
            kind: AlertKind::OffsiteStale,
            first_at: at("2026-01-24T12:00:00Z"),
            times: 93,
            detail: s("newest off-site object older than 36h"),
        }],
        expectations: vec![
            expectation("volumes_lost", true, "pocketos/pg-data", "pocketos/pg-data"),
            expectation("max_data_loss", false, "at most 24h", "91d15h"),
            expectation("alerts", true, "offsite-stale", "offsite-stale"),
        ],
        passed: false,
    }
}

/// A run in which nothing happened and nothing was expected.
pub(crate) fn minimal() -> IncidentReport {
    IncidentReport {
        scenario: s("empty"),
        path: s("scenarios/empty.toml"),
        seed: 0,
        profile: ProfileReport { name: s("railway"), knobs: BTreeMap::new() },
        start: at("2026-01-01T00:00:00Z"),
        end: at("2026-01-01T00:00:00Z"),
        summary: Summary {
            destructive_attempts: 0,
            stopped: 0,
            volumes_lost: Vec::new(),
            worst_data_loss_seconds: 0,
            worst_data_loss: Duration::ZERO,
            alerts: 0,
        },
        tokens: Vec::new(),
        timeline: Vec::new(),
        destructive_attempts: Vec::new(),
        agent_runtime: None,
        defence_in_depth: None,
        volumes: Vec::new(),
        offsite: None,
        alerts: Vec::new(),
        expectations: Vec::new(),
        passed: true,
    }
}

/// The April incident under the team's Claude Code: the curl asked, a person who read 40
/// characters approved it, and a settings finding that protects nothing.
pub fn with_runtime() -> IncidentReport {
    use crate::guardrails::runtime::{Finding, FindingKind, json::Pos};
    use crate::guardrails::{Answer, Approval, DecidedBy, Leak, LeakKind};
    let mut report = sample();
    let mut runtime =
        decision(Layer::AgentRuntime, Verdict::Ask, "`Bash(curl:*)` in ask matches `curl …` (simulated from documented rules)");
    runtime.by = Some(DecidedBy::Rule);
    runtime.approval = Some(Approval {
        approver: s("approves after reading the first 40 characters"),
        shown: s("Bash command: curl -X POST https://backboard.railway.app/graphql/v2 …"),
        read: Some(s("Bash command: curl -X POST https://backb")),
        answer: Answer::Approved,
        prompt: 1,
        classifier: false,
    });
    runtime.leaks = vec![Leak { kind: LeakKind::McpNeverConsulted, message: s("no MCP rule is consulted for a curl") }];
    let attempt = &mut report.destructive_attempts[0];
    attempt.layers = vec![
        runtime,
        decision(Layer::Gateway, Verdict::Allow, "no gateway in front of the provider: the call passes through"),
        decision(Layer::ProviderAuth, Verdict::Allow, "workspace token reaches everything in its workspace"),
    ];
    let finding = Finding::new(
        ".claude/settings.json",
        Pos { line: 4, column: 7 },
        FindingKind::SpacesInRule,
        "spaces inside the parentheses of `Bash( wget:* )`: it matches nothing",
    );
    report.agent_runtime = Some(RuntimeSection {
        runtime: "claude-code",
        mode: s("default"),
        mode_source: s("the default mode"),
        files: strings(&[".claude/settings.json"]),
        hooks: s("declared by the scenario"),
        approver: s("approves after reading the first 40 characters"),
        classifier: s("no classifier declared"),
        simulated: crate::guardrails::runtime::SIMULATED,
        findings: vec![finding],
        protects_nothing: vec![Hollow {
            at: s(".claude/settings.json:4:7"),
            kind: s("spaces-in-rule"),
            message: s("spaces inside the parentheses of `Bash( wget:* )`: it matches nothing"),
        }],
    });
    report.defence_in_depth = Some(defence::defence(&report.destructive_attempts));
    report
}
