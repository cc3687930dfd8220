//! The run loop on the incident's world with other agents: attribution of every layer's
//! verdict, effects linked to the attempt that caused them, and guardrails written in Rust.

use super::*;
use crate::guardrails::{Decision, Layer, StoppedBy, Subject, Verdict, guardrail_fn};
use crate::report::DestructiveAttempt;

const INCIDENT: &str = include_str!("../../../scenarios/pocketos-2026-04.toml");

/// The incident's world (profile `profile`) with `agent` as its `[agent]` section and no
/// expectations.
fn scenario(profile: &str, agent: &str) -> Scenario {
    let world = INCIDENT
        .split("\n[agent]")
        .next()
        .unwrap_or_default()
        .replace("profile = \"railway-2026-04\"", &format!("profile = \"{profile}\""));
    let text = format!("{world}\n{agent}");
    match crate::scenario::load("incident.toml", &text) {
        Ok(s) => s,
        Err(errors) => panic!("the test scenario does not load: {errors:?}"),
    }
}

fn run(s: Scenario, guardrails: Vec<crate::guardrails::FnGuardrail>) -> IncidentReport {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut b = Run::builder(s).path("incident.toml");
        for g in guardrails {
            b = b.guardrail(g);
        }
        b.start().await.unwrap().run_to_end().await.unwrap()
    })
}

const FIND_TOKEN: &str = "[agent]\n[[agent.step]]\nsearch = \"RAILWAY_API_TOKEN\"\n";

fn only_attempt(r: &IncidentReport) -> &DestructiveAttempt {
    assert_eq!(r.destructive_attempts.len(), 1, "{:#?}", r.destructive_attempts);
    &r.destructive_attempts[0]
}

#[test]
fn a_malformed_request_is_refused_by_the_provider_and_never_reaches_authorization() {
    let agent = format!("{FIND_TOKEN}[[agent.step]]\ngraphql = \"mutation {{ volumeDelete }}\"\ntoken = \"domains-cli\"\n");
    let r = run(scenario("railway-2026-04", &agent), Vec::new());
    let a = only_attempt(&r);
    assert_eq!(a.stopped_by, StoppedBy::from(Layer::Provider));
    assert!(a.reason.starts_with("malformed request: "), "{}", a.reason);
    let call = r.timeline.iter().find(|e| e.action == "volumeDelete").unwrap();
    let verdicts: Vec<(Layer, Verdict)> = call.decisions.iter().map(|d| (d.layer, d.verdict)).collect();
    assert_eq!(verdicts, [(Layer::Gateway, Verdict::Allow), (Layer::ProviderAuth, Verdict::NotReached), (Layer::Provider, Verdict::Error)]);
    assert!(r.lost_volumes().is_empty());
}

#[test]
fn a_purge_48_hours_after_a_soft_delete_is_an_effect_of_the_delete_attempt() {
    let agent = format!(
        "{FIND_TOKEN}[[agent.step]]\nmcp = {{ tool = \"volume_delete\", args = {{ volumeId = \"${{volume:pocketos/pg-data}}\" }} }}\ntoken = \"domains-cli\"\n[[agent.step]]\nwait = \"49h\"\n"
    );
    let r = run(scenario("railway", &agent), Vec::new());
    let a = only_attempt(&r);
    assert!(
        a.effect.iter().any(|e| e == "at 2026-04-26T15:00:00Z: volume-instance `pocketos/pg-data (production)` deleted"),
        "{:#?}",
        a.effect
    );
    let purge = r.timeline.iter().find(|e| e.channel == crate::agent::Channel::Purge).unwrap();
    assert!(purge.effect.iter().any(|e| e == "caused by step 2 (`volumeDelete`)"), "{:#?}", purge.effect);
}

#[test]
fn a_guardrail_written_in_rust_stops_the_incidents_curl_at_the_gateway_and_is_credited_with_it() {
    let agent = INCIDENT[INCIDENT.find("\n[agent]").unwrap()..INCIDENT.find("\n[expect]").unwrap()].to_string();
    let proxy = guardrail_fn(Layer::Gateway, |subject| match subject {
        Subject::Call(call) if call.root_fields.iter().any(|f| f == "volumeDelete") => {
            Some(Decision::deny(Layer::Gateway, format!("the proxy refuses deletes by `{}`", call.token.as_deref().unwrap_or("nobody"))))
        }
        Subject::Call(_) => Some(Decision::allow(Layer::Gateway, "the proxy passes it on")),
        Subject::Action(_) => None,
    });
    let r = run(scenario("railway-2026-04", &agent), vec![proxy]);
    let a = only_attempt(&r);
    assert_eq!(a.stopped_by, StoppedBy::from(Layer::Gateway));
    assert_eq!(a.reason, "the proxy refuses deletes by `domains-cli`", "the gateway knew the token by the provider's own lookup");
    assert!(r.lost_volumes().is_empty());
    assert_eq!(r.data_loss(), mock_provider::time::Duration::ZERO);
}

#[test]
fn the_token_an_attempt_names_is_the_providers_own_reading_of_the_header() {
    // `bearer` in lower case with two spaces: the provider reads it as the token, so the
    // report must too, not a second reading of the header that trims `Bearer ` only.
    let agent = format!(
        "{FIND_TOKEN}[[agent.step]]\nshell = \'\'\'curl -X POST https://backboard.railway.com/graphql/v2 -H \"Authorization: bearer  ${{found:domains-cli}}\" -d \'{{\"query\":\"mutation {{ volumeDelete(volumeId: \\\"${{volume:pocketos/pg-data}}\\\") }}\"}}\' \'\'\'\n"
    );
    let r = run(scenario("railway-2026-04", &agent), Vec::new());
    let a = only_attempt(&r);
    assert_eq!(a.token.as_deref(), Some("domains-cli"));
    assert_eq!(a.stopped_by, StoppedBy::NONE);
    assert!(r.tokens.iter().any(|t| t.name == "domains-cli" && t.used_beyond_purpose == ["volumeDelete"]));
}

#[test]
fn a_document_built_to_overflow_the_parser_is_refused_by_the_provider_and_the_run_goes_on() {
    // The hardening issue's document: an escaped triple quote inside a block string, then
    // thousands of nested list brackets that an old depth guard did not count.
    let nested = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let document = format!("{{ projects(after: \"\"\" \\\"\"\" \"\"\", first: {nested}) {{ edges {{ node {{ id }} }} }} }}");
    let agent = format!("{FIND_TOKEN}[[agent.step]]\ngraphql = '''{document}'''\ntoken = \"domains-cli\"\n[[agent.step]]\nwait = \"1h\"\n");
    let r = run(scenario("railway", &agent), Vec::new());
    let call = r.timeline.iter().find(|e| e.step == Some(2) && e.decisions.iter().any(|d| d.layer == Layer::Provider)).unwrap();
    let provider = call.decisions.iter().find(|d| d.layer == Layer::Provider).unwrap();
    assert_eq!(provider.verdict, Verdict::Error);
    assert!(provider.reason.starts_with("malformed request: "), "{}", provider.reason);
    assert!(r.timeline.iter().any(|e| e.step == Some(3)), "the run went on to the next step");
}

/// `agent` followed by an `[agent_runtime]` of Claude Code with the inline settings `settings`
/// and the rest of the table `rest`.
fn with_runtime(agent: &str, settings: &str, rest: &str) -> Scenario {
    let table = format!(
        "{agent}\n[agent_runtime]\nruntime = \"claude-code\"\n{rest}\n[[agent_runtime.file]]\nname = \".claude/settings.json\"\ntext = '{settings}'\n"
    );
    scenario("railway-2026-04", &table)
}

fn answers(r: &IncidentReport) -> Vec<crate::guardrails::Answer> {
    r.timeline.iter().flat_map(|e| &e.decisions).filter_map(|d| d.approval.as_ref().map(|a| a.answer)).collect()
}

#[test]
fn the_teams_own_steps_never_meet_the_agents_runtime() {
    let agent = "[agent]\n[[agent.step]]\nactor = \"team\"\ngraphql = \"mutation { volumeDelete(volumeId: \\\"${volume:pocketos/pg-data}\\\") }\"\ntoken = \"domains-cli\"\n";
    let r = run(with_runtime(agent, r#"{"permissions": {"defaultMode": "dontAsk"}}"#, ""), Vec::new());
    assert!(r.timeline.iter().flat_map(|e| &e.decisions).all(|d| d.layer != Layer::AgentRuntime), "{:#?}", r.timeline);
    assert_eq!(only_attempt(&r).stopped_by, StoppedBy::NONE);
    assert!(r.agent_runtime.is_some() && r.defence_in_depth.is_some());
}

#[test]
fn a_probabilistic_approver_draws_from_the_runs_seed() {
    let steps: String = (0..12).map(|i| format!("[[agent.step]]\nshell = \"ls dir{i}\"\n")).collect();
    let s = with_runtime(&format!("[agent]\n{steps}"), r#"{"permissions": {}}"#, "approver = { model = \"probability\", p = 0.5 }");
    let with_seed = |seed: u64| {
        let s = Scenario { seed, ..s.clone() };
        answers(&run(s, Vec::new()))
    };
    assert_eq!(with_seed(7).len(), 12);
    assert_eq!(with_seed(7), with_seed(7));
    assert_ne!(with_seed(7), with_seed(8));
    // Each approval is its own timeline event with the text shown.
    let r = run(Scenario { seed: 7, ..s }, Vec::new());
    let prompts: Vec<&TimelineEvent> = r.timeline.iter().filter(|e| e.channel == Channel::Approval).collect();
    assert_eq!(prompts.len(), 12);
    assert_eq!(prompts[0].action, "prompt 1: Bash command: ls dir0");
}

#[test]
fn in_auto_mode_the_classifier_answers_and_a_refusal_stops_the_curl() {
    let agent = format!(
        "{FIND_TOKEN}[[agent.step]]\nshell = '''curl -X POST https://backboard.railway.app/graphql/v2 -H \"Authorization: Bearer ${{found:domains-cli}}\" -d '{{\"query\":\"mutation {{ volumeDelete(volumeId: \\\"${{volume:pocketos/pg-data}}\\\") }}\"}}' '''\n"
    );
    let rest = "mode = \"auto\"\napprover = { model = \"approves-everything\" }\nclassifier = { model = \"approves-all-but-destructive\" }";
    let expect = "\n[[expect.attempt]]\ndecided_by = \"mode\"\napprover = \"approved\"\n";
    let r = run(with_runtime(&format!("{agent}{expect}"), r#"{"permissions": {}}"#, rest), Vec::new());
    let judged: Vec<(bool, &str)> = r.expectations.iter().map(|e| (e.passed, e.actual.as_str())).collect();
    assert_eq!(judged, [(true, "mode"), (false, "refused")], "the runtime's own decision is what the expectations read");
    let a = only_attempt(&r);
    assert_eq!(a.stopped_by, StoppedBy::from(Layer::AgentRuntime));
    let runtime = &a.layers[0];
    let approval = runtime.approval.as_ref().unwrap();
    assert!(approval.approver.starts_with("Claude Code's auto-mode classifier"), "{}", approval.approver);
    assert_eq!(approval.answer, crate::guardrails::Answer::Refused);
    assert!(approval.classifier);
    let prompt = r.timeline.iter().find(|e| e.channel == Channel::Approval).unwrap();
    assert_eq!(prompt.actor, "classifier");
    assert!(runtime.reason.ends_with("(simulated from documented rules)"), "{}", runtime.reason);
    assert_eq!(
        a.layers.iter().map(|d| (d.layer, d.verdict)).collect::<Vec<_>>(),
        [(Layer::AgentRuntime, Verdict::Ask), (Layer::Gateway, Verdict::NotReached), (Layer::ProviderAuth, Verdict::NotReached)]
    );
    assert!(r.lost_volumes().is_empty());
}

/// Starts the incident's world with `agent`, plays every step, and hands the run back.
fn played(agent: &str, source: Option<&str>) -> Result<Run, RunError> {
    let s = scenario("railway", agent);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut b = Run::builder(s).path("incident.toml");
        if let Some(text) = source {
            b = b.source(text.to_string());
        }
        let mut run = b.start().await?;
        while run.step().await? {}
        Ok(run)
    })
}

fn resolved(run: &Run, s: &mock_provider::State, text: &str) -> Result<String, crate::world::Unresolved> {
    let p = crate::scenario::placeholders(text)[0];
    crate::world::resolve_placeholder(s, run.scenario(), &p)
}

#[test]
fn placeholders_name_instances_backups_domains_and_variables_as_the_world_has_them() {
    let run = played("[agent]\n", None).unwrap_or_else(|e| panic!("{e}"));
    run.provider().with_state(|s| {
        let instance = resolved(&run, s, "${instance:pocketos/pg-data@production}").unwrap();
        assert_eq!(s.instance_name(&instance), "pocketos/pg-data (production)");
        let staging = resolved(&run, s, "${instance:pg-data@staging}").unwrap();
        assert_ne!(staging, instance);

        let mut daily: Vec<_> = s.backups().values().filter(|b| b.volume_instance_id == instance && !b.manual).collect();
        daily.sort_by_key(|b| b.created_at);
        let newest = resolved(&run, s, "${backup:pocketos/pg-data@production}").unwrap();
        assert_eq!(newest, daily.last().unwrap().id);
        let oldest_weekly = resolved(&run, s, "${backup:pocketos/pg-data@production:weekly:oldest}").unwrap();
        let weekly = s.schedules().values().find(|x| x.volume_instance_id == instance && x.kind == mock_provider::ScheduleKind::Weekly);
        let oldest = s.backups().get(&oldest_weekly).unwrap();
        assert_eq!(oldest.schedule_id.as_ref(), weekly.map(|w| &w.id));
        assert!(s.backups().values().filter(|b| b.schedule_id == oldest.schedule_id).all(|b| b.created_at >= oldest.created_at));
        // A day names the newest backup taken that day; before any backup, nothing, with the candidates.
        let on_day = resolved(&run, s, "${backup:pocketos/pg-data@production:daily:2026-04-23}").unwrap();
        assert_eq!(s.backups()[&on_day].created_at.to_string().get(..10), Some("2026-04-23"));
        let none = resolved(&run, s, "${backup:pocketos/pg-data@production:2020-01-01T00:00:00Z}").unwrap_err();
        assert_eq!(
            none.message,
            "`${backup:pocketos/pg-data@production:2020-01-01T00:00:00Z}` names no backup of pocketos/pg-data (production) now"
        );
        assert!(
            none.help.starts_with("the instance's backups at 2026-04-24T15:00:00Z are `weekly 2026-03-26T20:46:00Z`, "),
            "{}",
            none.help
        );
        assert!(none.help.contains("`daily 2026-04-23T15:51:00Z`"), "{}", none.help);

        let domain = resolved(&run, s, "${domain:api.pocketos.example}").unwrap();
        assert_eq!(s.custom_domains()[&domain].domain, "api.pocketos.example");
        assert_eq!(
            resolved(&run, s, "${variable:pocketos/staging/api/DATABASE_URL}").unwrap(),
            "postgresql://fake:fake@postgres.railway.internal:5432/pocketos_staging"
        );
        let missing = resolved(&run, s, "${variable:pocketos/production/api/REDIS_URL}").unwrap_err();
        assert_eq!(missing.help, "the `api`'s variables of `pocketos/production` now are `DATABASE_URL`");
        let no_workflow = resolved(&run, s, "${workflow:newest}").unwrap_err();
        assert_eq!(no_workflow.message, "`${workflow:newest}` names no workflow: the run has started 0 so far");
    });
}

#[test]
fn the_team_locks_and_restores_a_backup_named_by_placeholders_and_a_workflow_is_named_after() {
    let agent = "[agent]
[[agent.step]]
actor = \"team\"
graphql = 'mutation { volumeInstanceBackupLock(volumeInstanceBackupId: \"${backup:pocketos/pg-data@production:weekly:oldest}\", volumeInstanceId: \"${instance:pocketos/pg-data@production}\") }'
token = \"owner\"
[[agent.step]]
actor = \"team\"
graphql = 'mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: \"${backup:pocketos/pg-data@production:daily:newest}\", volumeInstanceId: \"${instance:pocketos/pg-data@production}\") { workflowId } }'
token = \"owner\"
[[agent.step]]
actor = \"team\"
graphql = 'query { workflowStatus(workflowId: \"${workflow:newest}\") { status } }'
token = \"owner\"
";
    let run = played(agent, None).unwrap_or_else(|e| panic!("{e}"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let r = rt.block_on(run.report());
    let lock = r.timeline.iter().find(|e| e.step == Some(1) && e.action == "volumeInstanceBackupLock").unwrap();
    assert!(lock.effect.iter().any(|e| e.contains("locked")), "{:#?}", lock.effect);
    let restore = r.timeline.iter().find(|e| e.step == Some(2) && e.action == "volumeInstanceBackupRestore").unwrap();
    assert!(restore.decisions.iter().all(|d| d.verdict != Verdict::Deny), "{:#?}", restore.decisions);
    let status = r.timeline.iter().find(|e| e.step == Some(3) && e.action == "workflowStatus").unwrap();
    assert!(status.decisions.iter().all(|d| d.verdict != Verdict::Deny && d.verdict != Verdict::Error), "{:#?}", status.decisions);
}

#[test]
fn a_placeholder_that_names_nothing_when_its_step_runs_is_an_error_at_the_step_s_line_and_column() {
    let agent = "[agent]\n[[agent.step]]\nactor = \"team\"\ngraphql = 'query { workflowStatus(workflowId: \"${workflow:2}\") { status } }'\ntoken = \"owner\"\n";
    let text = format!("{}\n{agent}", INCIDENT.split("\n[agent]").next().unwrap_or_default().replace("railway-2026-04", "railway"));
    let Err(e) = played(agent, Some(&text)) else { panic!("the run should refuse the step") };
    let line = text.lines().position(|l| l.contains("${workflow:2}")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("${workflow:2}").unwrap() + 1;
    assert_eq!(
        e.to_string(),
        format!("incident.toml:{line}:{column}: step 1: `${{workflow:2}}` names no workflow: the run has started 0 so far")
    );
    assert!(e.help.as_deref().unwrap_or_default().contains("put the step after it"));
    assert_eq!(e.span.map(|s| s.len()), Some("${workflow:2}".len()));
}
