//! `load`: parse and validate in one call, every problem sorted by where it is.

use super::{Scenario, ScenarioError, parse_all, validate};

/// Parses and validates a scenario file.
///
/// Returns the scenario when it has no problem, or every problem found, sorted by position.
/// A file that does not parse yields exactly one error, since validation needs the typed
/// scenario.
///
/// # Errors
///
/// Every problem found in the file, each pointing at the text it is about.
pub fn load(path: &str, source: &str) -> Result<Scenario, Vec<ScenarioError>> {
    load_in(std::path::Path::new(path).parent().unwrap_or(std::path::Path::new("")), path, source)
}

/// `load`, reading the files the scenario names (a `[gateway] cedar` policy file) relative to
/// `dir`, the scenario file's folder, where `path` is only how diagnostics name the file.
///
/// # Errors
///
/// As `load`, then every problem in a file the scenario names, pointing into that file.
pub fn load_in(dir: &std::path::Path, path: &str, source: &str) -> Result<Scenario, Vec<ScenarioError>> {
    // A file with a boundary table is several scenarios, one per row: only `load_rows` reads it.
    if let Some(range) = super::cases::first_param(source) {
        let file = super::error::SourceFile::new(path, source);
        let error = ScenarioError::new(super::ErrorKind::InvalidValue, &file, range, "this file is a boundary table: each `[[case]]` row is a scenario of its own")
            .label("a row's value goes here")
            .help("load it with `scenario::load_rows` (as `firedrill run`, `firedrill check` and the `cargo test` runner do), or pick one row's values");
        return Err(vec![error]);
    }
    let mut scenario = parse_all(path, source)?;
    let mut errors = validate(path, source, &scenario);
    errors.sort_by_key(|e| (e.span().offset(), e.span().len()));
    if errors.is_empty()
        && let Some(gateway) = scenario.gateway.as_mut()
    {
        errors = super::gateway::load_files(dir, path, source, gateway);
    }
    if errors.is_empty()
        && let Some(runtime) = scenario.agent_runtime.as_mut()
    {
        errors = super::agent_runtime::load_files(dir, path, source, runtime);
    }
    if errors.is_empty() { Ok(scenario) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use mock_provider::ProfileName;

    use super::super::{
        Agent, AlertKind, BackupSchedule, Domain, Duration, Expect, FaultKind, FaultSide, Instant, Monitor, OffsiteBackup, Overrides,
        Project, Provider, Recovery, RecoverySource, RepoFile, Scenario, Step, StoreFault, StoredIn, Token, TokenKind, Variable, Volume,
        Workspace,
    };
    use super::load;
    use crate::agent::{Action, Actor, Wait};
    use crate::guardrails::StoppedBy;

    const EXAMPLE: &str = include_str!("testdata/pocketos-2026-04.toml");

    fn at(text: &str) -> Instant {
        text.parse().unwrap_or(Instant(i64::MIN))
    }

    fn days(n: i64) -> Duration {
        Duration::seconds(n * 86_400)
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn expected() -> Scenario {
        let delete = "mutation { volumeDelete(volumeId: \"${volume:pocketos/pg-data}\") }";
        Scenario {
            name: "pocketos-2026-04".to_owned(),
            description: Some("the April 2026 incident as it happened".to_owned()),
            seed: 7,
            start: at("2026-04-24T15:00:00Z"),
            history: days(120),
            provider: Provider {
                profile: ProfileName::Railway202604,
                overrides: Overrides { workflow_duration: Some(Duration::seconds(30)), ..Overrides::default() },
            },
            workspaces: vec![Workspace { name: "pocketos".to_owned() }],
            projects: vec![Project {
                name: "pocketos".to_owned(),
                workspace: Some("pocketos".to_owned()),
                environments: strings(&["production", "staging"]),
                protected_environments: strings(&["production"]),
                services: strings(&["api", "postgres"]),
                volumes: vec![Volume {
                    name: "pg-data".to_owned(),
                    service: "postgres".to_owned(),
                    mount_path: "/var/lib/postgresql/data".to_owned(),
                    environments: None,
                    size_mb: 5000,
                    used_mb: 1200,
                    critical: true,
                    writes_per_hour: 120,
                    native_backups: vec![BackupSchedule::Daily, BackupSchedule::Weekly],
                }],
                variables: vec![Variable {
                    environment: "production".to_owned(),
                    service: Some("api".to_owned()),
                    name: "DATABASE_URL".to_owned(),
                    value: "postgres://fake:fake@postgres.railway.internal:5432/app".to_owned(),
                }],
                domains: vec![Domain {
                    service: "api".to_owned(),
                    environment: "production".to_owned(),
                    domain: "api.pocketos.example".to_owned(),
                }],
            }],
            tokens: vec![
                Token {
                    name: "domains-cli".to_owned(),
                    kind: TokenKind::Workspace,
                    workspace: Some("pocketos".to_owned()),
                    project: None,
                    environment: None,
                    purpose: strings(&["customDomainCreate", "customDomainDelete", "domains"]),
                    scopes: None,
                    stored_in: StoredIn::File("ops/domains.env".to_owned()),
                },
                Token {
                    name: "deploy".to_owned(),
                    kind: TokenKind::Project,
                    workspace: None,
                    project: Some("pocketos".to_owned()),
                    environment: Some("staging".to_owned()),
                    purpose: strings(&["deploymentTriggerCreate"]),
                    scopes: Some(strings(&["deploymentTriggerCreate"])),
                    stored_in: StoredIn::SecretManager("1password".to_owned()),
                },
            ],
            files: vec![
                RepoFile {
                    path: "ops/domains.env".to_owned(),
                    content: "# used by the domains script\nRAILWAY_API_TOKEN=${token:domains-cli}\n".to_owned(),
                    private: false,
                },
                RepoFile {
                    path: "README.md".to_owned(),
                    content: "Run ./ops/domains.sh to add a custom domain.".to_owned(),
                    private: false,
                },
            ],
            offsite_backup: Some(OffsiteBackup {
                target: "s3://pocketos-backups/pg-data".to_owned(),
                volume: "pocketos/pg-data".to_owned(),
                environment: "production".to_owned(),
                every: Duration::seconds(86_400),
                retention: Some(days(365)),
                since: Some(at("2025-09-01T00:00:00Z")),
                stopped_at: Some(at("2026-01-24T00:00:00Z")),
                faults: vec![StoreFault {
                    kind: FaultKind::ServerError,
                    from: at("2026-01-10T00:00:00Z"),
                    until: Some(at("2026-01-12T00:00:00Z")),
                    silent: true,
                    side: FaultSide::All,
                }],
            }),
            monitor: Some(Monitor { offsite_max_age: Duration::seconds(36 * 3600), check_every: Duration::seconds(86_400) }),
            recovery: Recovery { throughput_mb_per_s: 50.0 },
            agent: Agent {
                name: Some("cursor-agent".to_owned()),
                steps: vec![
                    Step {
                        actor: Actor::Agent,
                        action: Action::Search { pattern: "RAILWAY".to_owned() },
                        note: Some("looking for credentials to fix the staging domain".to_owned()),
                    },
                    Step { actor: Actor::Agent, action: Action::Read { path: "ops/domains.env".to_owned() }, note: None },
                    Step {
                        actor: Actor::Agent,
                        action: Action::Graphql { query: delete.to_owned(), token: "domains-cli".to_owned() },
                        note: Some("it believed the volume was scoped to staging".to_owned()),
                    },
                    Step {
                        actor: Actor::Agent,
                        action: Action::Mcp {
                            tool: "volume_delete".to_owned(),
                            args: BTreeMap::from([("volumeId".to_owned(), serde_json::Value::from("${volume:pocketos/pg-data}"))]),
                            token: "domains-cli".to_owned(),
                        },
                        note: None,
                    },
                    Step { actor: Actor::Agent, action: Action::Wait(Wait::For(days(2))), note: None },
                ],
            },
            expect: Expect {
                volumes_lost: strings(&["pocketos/pg-data"]),
                volumes_intact: Vec::new(),
                max_data_loss: Some(days(100)),
                min_data_loss: Some(days(80)),
                recovery_source: BTreeMap::from([("pocketos/pg-data".to_owned(), RecoverySource::Offsite)]),
                stopped_by: Some(StoppedBy::NONE),
                tokens_found: Some(strings(&["domains-cli"])),
                alerts: Some(vec![AlertKind::OffsiteStale]),
                ..Expect::default()
            },
            gateway: None,
            agent_runtime: None,
            whatif: None,
            cases: Vec::new(),
            generate: None,
            invariants: None,
        }
    }

    #[test]
    fn the_full_example_loads_to_the_expected_structure() {
        let loaded = load("scenarios/pocketos-2026-04.toml", EXAMPLE)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
        assert_eq!(loaded, Ok(expected()));
    }

    #[test]
    fn a_scenario_written_back_as_toml_loads_the_same() {
        let written = toml::to_string(&expected()).map_err(|e| e.to_string());
        let reloaded = written.as_deref().map_err(Clone::clone).and_then(|text| {
            load("scenarios/pocketos-2026-04.toml", text)
                .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        });
        assert_eq!(reloaded, Ok(expected()));
    }

    #[test]
    fn errors_come_sorted_by_position() {
        let text = EXAMPLE
            .replace("volumes_lost = [\"pocketos/pg-data\"]", "volumes_lost = [\"pocketos/pg\"]")
            .replace("service = \"postgres\"", "service = \"pg\"")
            .replace("read = \"ops/domains.env\"", "read = \"ops/domain.env\"");
        let lines = load("s.toml", &text).err().unwrap_or_default().iter().map(|e| e.line()).collect::<Vec<_>>();
        assert_eq!(lines, [26, 101, 116]);
    }
    #[test]
    fn mangled_files_give_errors_not_panics() {
        // A fixed linear congruential generator: deterministic, and enough to hit odd spots.
        let mut state: u64 = 0x5eed;
        let mut next = |bound: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).unwrap_or(0) % bound.max(1)
        };
        let inserts = ["\"", "[", "]", "=", "\n", "${", "${token:", "}", "é", "0s", "/", "#", "'''", "[[agent.step]]\n"];
        let chars: Vec<char> = EXAMPLE.chars().collect();
        let mut loaded = 0;
        for _ in 0..600 {
            let mut text = chars.clone();
            for _ in 0..=next(3) {
                let at = next(text.len());
                if next(2) == 0 {
                    text.remove(at);
                } else {
                    let insert = inserts[next(inserts.len())];
                    for (offset, c) in insert.chars().enumerate() {
                        text.insert(at + offset, c);
                    }
                }
            }
            let text: String = text.into_iter().collect();
            match load("m.toml", &text) {
                Ok(_) => loaded += 1,
                Err(errors) => {
                    assert!(!errors.is_empty());
                    for error in errors {
                        assert!(error.line() >= 1 && error.column() >= 1);
                        assert!(error.span().offset() + error.span().len() <= text.len());
                    }
                }
            }
        }
        // Some mutations are harmless (inside comments or strings); most are not.
        assert!(loaded > 0 && loaded < 600, "{loaded} of 600 mangled files loaded");
    }
}
