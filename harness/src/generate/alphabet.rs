//! The action alphabet a generated agent draws from, derived from the world: search and read
//! every file; every catalogued operation on every resource of its kind, with every token the
//! agent may find, through every channel `[generate]` lists; waits.
//!
//! Why this shape: the alphabet is concrete steps (scenario `Step`s with placeholders), grouped
//! by kind and, for calls, by operation, so a program is a list of ordinary steps and a shrunk
//! one is written back as a scenario file unchanged. Ids with a placeholder (`${volume:…}`) use
//! it; the others (instances, backups, domains, tokens, workspaces) are the ids the world's seed
//! gives, which the same file and seed give again.

use std::collections::BTreeMap;

use mock_provider::State;
use mock_provider::ops::{Op, OpClass};
use mock_provider::time::Duration;

use crate::agent::{Action, Actor, Wait, WaitEvent};
use crate::scenario::{GenChannel, Generate, PlaceholderKind, Scenario, Step, StoredIn, placeholders};

/// The kinds of action, in `Weights::all`'s order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Search,
    Read,
    ReadCall,
    WriteCall,
    DestructiveCall,
    Wait,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Search, Kind::Read, Kind::ReadCall, Kind::WriteCall, Kind::DestructiveCall, Kind::Wait];

    fn of_class(class: OpClass) -> Kind {
        match class {
            OpClass::Read => Kind::ReadCall,
            OpClass::Write => Kind::WriteCall,
            OpClass::Destructive => Kind::DestructiveCall,
        }
    }
}

/// The alphabet: for each kind, groups of steps (a call's group is one operation's forms; the
/// other kinds have one step per group).
#[derive(Clone, Debug, Default)]
pub struct Alphabet {
    pub groups: BTreeMap<Kind, Vec<Vec<Step>>>,
}

impl Alphabet {
    /// How many steps the alphabet holds.
    pub fn len(&self) -> usize {
        self.groups.values().flatten().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The destructive operations the alphabet can call.
    pub fn destructive_ops(&self) -> Vec<Op> {
        let mut ops: Vec<Op> =
            self.groups.get(&Kind::DestructiveCall).into_iter().flatten().filter_map(|g| g.first()).filter_map(op_of).collect();
        ops.dedup();
        ops
    }
}

/// The operation a generated call step names (its first root field).
fn op_of(step: &Step) -> Option<Op> {
    let text = match &step.action {
        Action::Graphql { query, .. } | Action::Shell { command: query } => query,
        Action::Mcp { tool, .. } => return MCP.iter().find(|(_, t, _)| t == tool).map(|(op, _, _)| *op),
        _ => return None,
    };
    Op::ALL
        .iter()
        .copied()
        .filter(|op| text.contains(&format!("{}(", op.name())) || text.contains(&format!("{{ {} ", op.name())))
        .max_by_key(|op| op.name().len())
}

/// The tokens a step needs the agent to have found: `${found:…}` in its text and the token a
/// `graphql` or `mcp` step is configured with.
pub fn tokens_needed(step: &Step) -> Vec<String> {
    let mut out: Vec<String> = step.action.token().map(str::to_string).into_iter().collect();
    if let Action::Shell { command } = &step.action {
        out.extend(placeholders(command).into_iter().filter(|p| p.kind == PlaceholderKind::Found).map(|p| p.argument.to_string()));
    }
    out
}

/// One binding: the values a template's `{names}` stand for.
type Binding = Vec<(&'static str, String)>;

/// Every operation as a document over `{names}`, and the resource families it binds.
const TEMPLATES: &[(Op, &str)] = &[
    (Op::Me, "{ me { id } }"),
    (Op::Project, "{ project(id: \"{project}\") { id } }"),
    (Op::Projects, "{ projects(workspaceId: \"{workspace}\") { edges { node { id } } } }"),
    (Op::Environment, "{ environment(id: \"{environment}\", projectId: \"{project}\") { id } }"),
    (Op::Environments, "{ environments(projectId: \"{project}\") { edges { node { id } } } }"),
    (Op::Service, "{ service(id: \"{service}\") { id } }"),
    (Op::VolumeInstance, "{ volumeInstance(id: \"{instance}\") { id } }"),
    (Op::Variables, "{ variables(projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\") }"),
    (
        Op::VariablesForServiceDeployment,
        "{ variablesForServiceDeployment(projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\") }",
    ),
    (Op::ProjectToken, "{ projectToken { projectId } }"),
    (Op::ProjectTokens, "{ projectTokens(projectId: \"{project}\") { edges { node { id } } } }"),
    (Op::ApiToken, "{ apiToken { workspaces { id } } }"),
    (Op::ApiTokens, "{ apiTokens { edges { node { id } } } }"),
    (Op::VolumeInstanceBackupList, "{ volumeInstanceBackupList(volumeInstanceId: \"{instance}\") { id } }"),
    (Op::VolumeInstanceBackupScheduleList, "{ volumeInstanceBackupScheduleList(volumeInstanceId: \"{instance}\") { id } }"),
    (Op::CustomDomain, "{ customDomain(id: \"{domain}\", projectId: \"{project}\") { id } }"),
    (
        Op::Domains,
        "{ domains(projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\") { customDomains { id } } }",
    ),
    (Op::WorkflowStatus, "{ workflowStatus(workflowId: \"{workflow}\") { status } }"),
    (Op::ExternalWorkspaces, "{ externalWorkspaces(projectId: \"{project}\") { id } }"),
    (Op::ProjectFavorites, "{ projectFavorites(workspaceId: \"{workspace}\") }"),
    (
        Op::Deployments,
        "{ deployments(input: {projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\"}) { edges { node { id } } } }",
    ),
    (Op::Regions, "{ regions(projectId: \"{project}\") { name } }"),
    (Op::ProjectCreate, "mutation { projectCreate(input: {name: \"generated\", workspaceId: \"{workspace}\"}) { id } }"),
    (Op::ProjectDelete, "mutation { projectDelete(id: \"{project}\") }"),
    (Op::ProjectScheduleDelete, "mutation { projectScheduleDelete(id: \"{project}\") }"),
    (Op::ProjectScheduleDeleteCancel, "mutation { projectScheduleDeleteCancel(id: \"{project}\") }"),
    (Op::ProjectScheduleDeleteForce, "mutation { projectScheduleDeleteForce(id: \"{project}\") }"),
    (
        Op::EnvironmentCreate,
        "mutation { environmentCreate(input: {projectId: \"{project}\", name: \"generated\", sourceEnvironmentId: \"{environment}\"}) { id } }",
    ),
    (Op::EnvironmentDelete, "mutation { environmentDelete(id: \"{environment}\") }"),
    (
        Op::ServiceCreate,
        "mutation { serviceCreate(input: {projectId: \"{project}\", environmentId: \"{environment}\", name: \"generated\"}) { id } }",
    ),
    (Op::ServiceDelete, "mutation { serviceDelete(id: \"{service}\", environmentId: \"{environment}\") }"),
    (
        Op::VolumeCreate,
        "mutation { volumeCreate(input: {projectId: \"{project}\", mountPath: \"/generated\", environmentId: \"{environment}\"}) { id } }",
    ),
    (Op::VolumeUpdate, "mutation { volumeUpdate(volumeId: \"{volume}\", input: {name: \"generated\"}) { id } }"),
    (Op::VolumeDelete, "mutation { volumeDelete(volumeId: \"{volume}\") }"),
    (
        Op::VolumeInstanceUpdate,
        "mutation { volumeInstanceUpdate(volumeId: \"{volume}\", environmentId: \"{environment}\", input: {mountPath: \"/generated\"}) }",
    ),
    (Op::VolumeInstanceBackupCreate, "mutation { volumeInstanceBackupCreate(volumeInstanceId: \"{instance}\") { workflowId } }"),
    (
        Op::VolumeInstanceBackupDelete,
        "mutation { volumeInstanceBackupDelete(volumeInstanceBackupId: \"{backup}\", volumeInstanceId: \"{instance}\") { workflowId } }",
    ),
    (
        Op::VolumeInstanceBackupLock,
        "mutation { volumeInstanceBackupLock(volumeInstanceBackupId: \"{backup}\", volumeInstanceId: \"{instance}\") }",
    ),
    (
        Op::VolumeInstanceBackupRestore,
        "mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: \"{backup}\", volumeInstanceId: \"{instance}\") { workflowId } }",
    ),
    (
        Op::VolumeInstanceBackupScheduleUpdate,
        "mutation { volumeInstanceBackupScheduleUpdate(volumeInstanceId: \"{instance}\", kinds: []) }",
    ),
    (
        Op::CustomDomainCreate,
        "mutation { customDomainCreate(input: {domain: \"generated.example\", projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\"}) { id } }",
    ),
    (Op::CustomDomainUpdate, "mutation { customDomainUpdate(id: \"{domain}\", environmentId: \"{environment}\", targetPort: 8080) }"),
    (Op::CustomDomainDelete, "mutation { customDomainDelete(id: \"{domain}\") }"),
    (
        Op::ServiceDomainCreate,
        "mutation { serviceDomainCreate(input: {environmentId: \"{environment}\", serviceId: \"{service}\"}) { id } }",
    ),
    (Op::ServiceDomainDelete, "mutation { serviceDomainDelete(id: \"{service_domain}\") }"),
    (
        Op::VariableUpsert,
        "mutation { variableUpsert(input: {projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\", name: \"GENERATED\", value: \"1\"}) }",
    ),
    (
        Op::VariableCollectionUpsert,
        "mutation { variableCollectionUpsert(input: {projectId: \"{project}\", environmentId: \"{environment}\", variables: {GENERATED: \"1\"}, replace: true}) }",
    ),
    (
        Op::VariableDelete,
        "mutation { variableDelete(input: {projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\", name: \"{variable}\"}) }",
    ),
    (
        Op::ProjectTokenCreate,
        "mutation { projectTokenCreate(input: {projectId: \"{project}\", environmentId: \"{environment}\", name: \"generated\"}) }",
    ),
    (Op::ProjectTokenDelete, "mutation { projectTokenDelete(id: \"{project_token}\") }"),
    (Op::ApiTokenCreate, "mutation { apiTokenCreate(input: {name: \"generated\", workspaceId: \"{workspace}\"}) }"),
    (Op::ApiTokenDelete, "mutation { apiTokenDelete(id: \"{api_token}\") }"),
    (Op::WorkspaceDelete, "mutation { workspaceDelete(id: \"{workspace}\") }"),
    (
        Op::CliEventTrack,
        "mutation { cliEventTrack(input: {arch: \"x86_64\", cliVersion: \"5.71.0\", command: \"status\", durationMs: 1, isCi: false, os: \"linux\", success: true}) }",
    ),
];

/// The MCP tools that make an operation's call: the operation, the tool, and its arguments as
/// (argument, template name) pairs.
/// An MCP tool: the operation it calls, its name, and its arguments as (argument, template name).
type McpTool = (Op, &'static str, &'static [(&'static str, &'static str)]);

const MCP: &[McpTool] = &[
    (Op::Projects, "project_list", &[]),
    (Op::ProjectDelete, "project_delete", &[("projectId", "project")]),
    (Op::ServiceDelete, "service_delete", &[("serviceId", "service"), ("environmentId", "environment")]),
    (Op::EnvironmentDelete, "environment_delete", &[("environmentId", "environment")]),
    (Op::VolumeDelete, "volume_delete", &[("volumeId", "volume")]),
    (Op::Variables, "variable_list", &[("projectId", "project"), ("environmentId", "environment"), ("serviceId", "service")]),
    (
        Op::VariableDelete,
        "variable_delete",
        &[("projectId", "project"), ("environmentId", "environment"), ("serviceId", "service"), ("name", "variable")],
    ),
    (Op::CustomDomainDelete, "domain_delete", &[("id", "domain")]),
    (Op::VolumeInstanceBackupList, "backup_list", &[("volumeInstanceId", "instance")]),
    (Op::VolumeInstanceBackupDelete, "backup_delete", &[("backupId", "backup"), ("volumeInstanceId", "instance")]),
];

/// The names a template uses, in order of first use.
fn names(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("\"{") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("}\"") else { break };
        let name = &after[..j];
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[j..];
    }
    out
}

/// The resources of the built world, as the bindings templates draw from.
struct Resources {
    /// One binding per resource, for each family of names (a family is the set of names a
    /// template uses, such as `{project, environment, service}`).
    rows: Vec<Binding>,
}

impl Resources {
    fn of(state: &State) -> Resources {
        let mut rows = Vec::new();
        let project_name = |id: &str| state.projects().get(id).map(|p| p.name.clone()).unwrap_or_default();
        let workspace = |project_id: &str| state.projects().get(project_id).map(|p| p.workspace_id.clone()).unwrap_or_default();
        for env in state.environments().values() {
            let p = project_name(&env.project_id);
            let base: Binding = vec![
                ("project", format!("${{project:{p}}}")),
                ("environment", format!("${{environment:{p}/{}}}", env.name)),
                ("workspace", workspace(&env.project_id)),
            ];
            rows.push(base.clone());
            for s in state.services().values().filter(|s| s.project_id == env.project_id) {
                let mut row = base.clone();
                row.push(("service", format!("${{service:{p}/{}}}", s.name)));
                rows.push(row.clone());
                let scope_vars = state
                    .variables()
                    .iter()
                    .filter(|(scope, _)| scope.environment_id == env.id && scope.service_id.as_deref() == Some(s.id.as_str()));
                for (_, vars) in scope_vars {
                    for name in vars.keys() {
                        let mut with = row.clone();
                        with.push(("variable", name.clone()));
                        rows.push(with);
                    }
                }
            }
            for v in state.volumes().values().filter(|v| v.project_id == env.project_id && v.deleted_at.is_none()) {
                let mut row = base.clone();
                row.push(("volume", format!("${{volume:{p}/{}}}", v.name)));
                rows.push(row);
            }
        }
        for i in state.volume_instances().values().filter(|i| i.is_live()) {
            rows.push(vec![("instance", i.id.clone())]);
            for b in state.backups().values().filter(|b| b.volume_instance_id == i.id) {
                rows.push(vec![("instance", i.id.clone()), ("backup", b.id.clone())]);
            }
        }
        for d in state.custom_domains().values() {
            let p = project_name(&d.project_id);
            rows.push(vec![("domain", d.id.clone()), ("project", format!("${{project:{p}}}")), ("environment", d.environment_id.clone())]);
        }
        for d in state.service_domains().keys() {
            rows.push(vec![("service_domain", d.clone())]);
        }
        for w in state.workspaces().keys() {
            rows.push(vec![("workspace", w.clone())]);
        }
        for p in state.projects().values() {
            rows.push(vec![("project", format!("${{project:{}}}", p.name)), ("workspace", p.workspace_id.clone())]);
        }
        for t in state.tokens().values() {
            let name = if matches!(t.kind, mock_provider::TokenKind::Project { .. }) { "project_token" } else { "api_token" };
            rows.push(vec![(name, t.id.clone())]);
        }
        for w in state.workflows().keys() {
            rows.push(vec![("workflow", w.clone())]);
        }
        Resources { rows }
    }

    /// Every distinct binding of exactly `wanted`'s names.
    fn bindings(&self, wanted: &[&str]) -> Vec<Binding> {
        let mut out: Vec<Binding> = Vec::new();
        for row in &self.rows {
            let picked: Option<Binding> = wanted.iter().map(|w| row.iter().find(|(n, _)| n == w).map(|(n, v)| (*n, v.clone()))).collect();
            if let Some(b) = picked
                && !out.contains(&b)
            {
                out.push(b);
            }
        }
        out
    }
}

fn fill(template: &str, b: &Binding) -> String {
    b.iter().fold(template.to_string(), |t, (n, v)| t.replace(&format!("{{{n}}}"), v))
}

/// A `curl` of `document` to Railway's API with `token` (by name) in the header its kind uses.
fn curl(document: &str, token: Option<(&str, bool)>) -> String {
    let body = serde_json::json!({ "query": document }).to_string();
    let header = match token {
        Some((name, true)) => format!(" -H \"Project-Access-Token: ${{found:{name}}}\""),
        Some((name, false)) => format!(" -H \"Authorization: Bearer ${{found:{name}}}\""),
        None => String::new(),
    };
    format!("curl -X POST https://backboard.railway.app/graphql/v2 -H \"Content-Type: application/json\"{header} -d '{body}'")
}

fn agent(action: Action) -> Step {
    Step { actor: Actor::Agent, action, note: None }
}

/// Search patterns: every variable a file assigns (`NAME=`), and `token`.
fn search_patterns(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in &s.files {
        for line in f.content.lines() {
            let line = line.trim_start().trim_start_matches("export ");
            if let Some((name, _)) = line.split_once('=')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !out.iter().any(|o| o == name)
            {
                out.push(name.to_string());
            }
        }
    }
    out.push("token".into());
    out
}

/// The alphabet of `scenario`'s world as built (`state`, after its history).
pub fn derive(scenario: &Scenario, generate: &Generate, state: &State) -> Alphabet {
    let mut groups: BTreeMap<Kind, Vec<Vec<Step>>> = BTreeMap::new();
    groups.insert(Kind::Search, search_patterns(scenario).into_iter().map(|pattern| vec![agent(Action::Search { pattern })]).collect());
    groups.insert(Kind::Read, scenario.files.iter().map(|f| vec![agent(Action::Read { path: f.path.clone() })]).collect());
    let waits = [
        Wait::For(Duration::hours(1)),
        Wait::For(Duration::days(1)),
        Wait::For(Duration::days(7)),
        Wait::UntilEvent(WaitEvent::NextBackup),
        Wait::UntilEvent(WaitEvent::Purge),
        Wait::UntilEvent(WaitEvent::Workflow),
    ];
    groups.insert(Kind::Wait, waits.into_iter().map(|w| vec![agent(Action::Wait(w))]).collect());
    let resources = Resources::of(state);
    // Only tokens the agent can find: in its environment, or in a file. One kept in a secret
    // manager never reaches it, and a step naming it would never be played.
    let findable = |t: &crate::scenario::Token| {
        matches!(t.stored_in, StoredIn::File(_) | StoredIn::Env(_))
            || scenario
                .files
                .iter()
                .any(|f| placeholders(&f.content).iter().any(|p| p.kind == PlaceholderKind::Token && p.argument == t.name))
    };
    let tokens: Vec<(&str, bool)> = scenario
        .tokens
        .iter()
        .filter(|t| findable(t))
        .map(|t| (t.name.as_str(), matches!(t.kind, crate::scenario::TokenKind::Project)))
        .collect();
    for (op, template) in TEMPLATES {
        let wanted = names(template);
        let mut forms = Vec::new();
        for b in resources.bindings(&wanted) {
            let document = fill(template, &b);
            for channel in &generate.channels {
                match channel {
                    GenChannel::Shell => {
                        forms.push(agent(Action::Shell { command: curl(&document, None) }));
                        for &t in &tokens {
                            forms.push(agent(Action::Shell { command: curl(&document, Some(t)) }));
                        }
                    }
                    GenChannel::Graphql => {
                        for &(t, _) in &tokens {
                            forms.push(agent(Action::Graphql { query: document.clone(), token: t.to_string() }));
                        }
                    }
                    GenChannel::Mcp => {
                        let Some((_, tool, args)) = MCP.iter().find(|(o, _, _)| o == op) else { continue };
                        let args: Option<BTreeMap<String, serde_json::Value>> = args
                            .iter()
                            .map(|(a, n)| {
                                b.iter().find(|(bn, _)| bn == n).map(|(_, v)| ((*a).to_string(), serde_json::Value::from(v.clone())))
                            })
                            .collect();
                        // A tool whose arguments this binding does not give has no form here.
                        let Some(args) = args else { continue };
                        for &(t, _) in &tokens {
                            forms.push(agent(Action::Mcp { tool: (*tool).to_string(), args: args.clone(), token: t.to_string() }));
                        }
                    }
                }
            }
        }
        if !forms.is_empty() {
            groups.entry(Kind::of_class(op.class())).or_default().push(forms);
        }
    }
    let weights = generate.weights.all();
    groups.retain(|k, g| !g.is_empty() && weights[Kind::ALL.iter().position(|x| x == k).unwrap_or(0)].1 > 0);
    Alphabet { groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_are_read_in_order() {
        assert_eq!(
            names("{ variables(projectId: \"{project}\", environmentId: \"{environment}\", serviceId: \"{service}\") }"),
            ["project", "environment", "service"]
        );
        assert!(names("{ me { id } }").is_empty());
    }

    #[test]
    fn every_catalogued_operation_has_a_template() {
        let missing: Vec<&str> = Op::ALL.iter().filter(|op| !TEMPLATES.iter().any(|(o, _)| o == *op)).map(|op| op.name()).collect();
        assert!(missing.is_empty(), "operations the generator cannot call: {missing:?}");
    }

    #[test]
    fn a_curl_names_the_token_in_the_header_its_kind_uses() {
        assert!(curl("{ me { id } }", Some(("t", false))).contains("Authorization: Bearer ${found:t}"));
        assert!(curl("{ me { id } }", Some(("t", true))).contains("Project-Access-Token: ${found:t}"));
        assert!(!curl("{ me { id } }", None).contains("-H \"Auth"));
    }
}
