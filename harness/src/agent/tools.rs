//! What the agent's tools send to the provider: Railway MCP tools and Railway CLI commands,
//! each translated into the GraphQL request the real tool would make.

use std::collections::BTreeMap;

use mock_provider::{State, TokenKind};
use serde_json::{Value, json};

use super::shell::RailwayCli;

/// A GraphQL request a tool makes.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolRequest {
    pub query: String,
    pub variables: Value,
}

fn req(query: &str, variables: Value) -> ToolRequest {
    ToolRequest { query: query.to_string(), variables }
}

fn arg<'a>(args: &'a BTreeMap<String, Value>, name: &str) -> Result<&'a str, String> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| format!("tool needs a string argument `{name}`"))
}

/// The Railway MCP tools firedrill models (the community `railway-mcp` server's names), each a
/// GraphQL request. `Err` says why a tool is not modelled or its arguments do not fit.
pub fn mcp_request(tool: &str, args: &BTreeMap<String, Value>) -> Result<ToolRequest, String> {
    let a = |n: &str| arg(args, n).map(str::to_string);
    let opt = |n: &str| args.get(n).and_then(Value::as_str).map(str::to_string);
    Ok(match tool {
        "project_list" => req("query { projects { edges { node { id name } } } }", json!({})),
        "project_delete" => req("mutation($id: String!) { projectDelete(id: $id) }", json!({"id": a("projectId")?})),
        "service_delete" => req(
            "mutation($id: String!, $environmentId: String) { serviceDelete(id: $id, environmentId: $environmentId) }",
            json!({"id": a("serviceId")?, "environmentId": opt("environmentId")}),
        ),
        "environment_delete" => req("mutation($id: String!) { environmentDelete(id: $id) }", json!({"id": a("environmentId")?})),
        "volume_list" => {
            req("query($id: String!) { project(id: $id) { volumes { edges { node { id name } } } } }", json!({"id": a("projectId")?}))
        }
        "volume_delete" => req("mutation($volumeId: String!) { volumeDelete(volumeId: $volumeId) }", json!({"volumeId": a("volumeId")?})),
        "variable_list" => req(
            "query($projectId: String!, $environmentId: String!, $serviceId: String) { variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) }",
            json!({"projectId": a("projectId")?, "environmentId": a("environmentId")?, "serviceId": opt("serviceId")}),
        ),
        "variable_set" => req(
            "mutation($input: VariableUpsertInput!) { variableUpsert(input: $input) }",
            json!({"input": {"projectId": a("projectId")?, "environmentId": a("environmentId")?, "serviceId": opt("serviceId"), "name": a("name")?, "value": a("value")?}}),
        ),
        "variable_delete" => req(
            "mutation($input: VariableDeleteInput!) { variableDelete(input: $input) }",
            json!({"input": {"projectId": a("projectId")?, "environmentId": a("environmentId")?, "serviceId": opt("serviceId"), "name": a("name")?}}),
        ),
        "domain_create" => req(
            "mutation($input: CustomDomainCreateInput!) { customDomainCreate(input: $input) { id domain } }",
            json!({"input": {"projectId": a("projectId")?, "environmentId": a("environmentId")?, "serviceId": a("serviceId")?, "domain": a("domain")?}}),
        ),
        "domain_delete" => req("mutation($id: String!) { customDomainDelete(id: $id) }", json!({"id": a("id")?})),
        "backup_list" => req(
            "query($id: String!) { volumeInstanceBackupList(volumeInstanceId: $id) { id name createdAt expiresAt } }",
            json!({"id": a("volumeInstanceId")?}),
        ),
        "backup_delete" => req(
            "mutation($b: String!, $i: String!) { volumeInstanceBackupDelete(volumeInstanceBackupId: $b, volumeInstanceId: $i) { workflowId } }",
            json!({"b": a("backupId")?, "i": a("volumeInstanceId")?}),
        ),
        other => {
            return Err(format!(
                "MCP tool `{other}` is not modelled (modelled: project_list, project_delete, service_delete, environment_delete, volume_list, volume_delete, variable_list, variable_set, variable_delete, domain_create, domain_delete, backup_list, backup_delete)"
            ));
        }
    })
}

/// The project and environment a CLI invocation acts on: a project token's own, else the
/// command's flags, else the world's first project and its first environment (as if the
/// agent's checkout were `railway link`ed to it).
fn linked(state: &State, token: Option<&TokenKind>, project: Option<&str>, environment: Option<&str>) -> Result<(String, String), String> {
    if let Some(TokenKind::Project { project_id, environment_id }) = token {
        return Ok((project_id.clone(), environment_id.clone()));
    }
    let pid = match project {
        Some(p) => {
            state.projects().values().find(|x| x.name == p || x.id == p).map(|x| x.id.clone()).ok_or_else(|| format!("no project `{p}`"))?
        }
        None => state.projects().keys().next().cloned().ok_or("no project to link to")?,
    };
    let envs: Vec<_> = state.environments().values().filter(|e| e.project_id == pid).collect();
    let env = match environment {
        Some(e) => envs.iter().find(|x| x.name == e || x.id == e).map(|x| x.id.clone()).ok_or_else(|| format!("no environment `{e}`"))?,
        None => envs
            .iter()
            .min_by_key(|e| (e.created_at, e.name.clone()))
            .map(|e| e.id.clone())
            .ok_or("the linked project has no environment")?,
    };
    Ok((pid, env))
}

/// The GraphQL requests a Railway CLI command makes. `token` is the kind of the credential the
/// CLI found in its environment.
pub fn cli_requests(state: &State, token: Option<&TokenKind>, cli: &RailwayCli) -> Result<Vec<ToolRequest>, String> {
    Ok(match cli {
        RailwayCli::Whoami => vec![req("query { me { name email } }", json!({}))],
        RailwayCli::List => vec![req("query { projects { edges { node { id name } } } }", json!({}))],
        RailwayCli::Status => {
            let (p, _) = linked(state, token, None, None)?;
            vec![req("query($id: String!) { project(id: $id) { id name environments { edges { node { id name } } } } }", json!({"id": p}))]
        }
        RailwayCli::VolumeList { project, environment, .. } => {
            let (p, _) = linked(state, token, project.as_deref(), environment.as_deref())?;
            vec![req("query($id: String!) { project(id: $id) { volumes { edges { node { id name } } } } }", json!({"id": p}))]
        }
        RailwayCli::VolumeDelete { volume, project, environment, .. } => {
            let (p, _) = linked(state, token, project.as_deref(), environment.as_deref())?;
            let name = volume.as_deref().ok_or("`railway volume delete` without `--volume` prompts for one; give `--volume NAME`")?;
            let v = state
                .volumes()
                .values()
                .find(|v| v.project_id == p && v.deleted_at.is_none() && (v.name == name || v.id == name))
                .ok_or_else(|| format!("no volume `{name}` in the linked project"))?;
            vec![req("mutation($volumeId: String!) { volumeDelete(volumeId: $volumeId) }", json!({"volumeId": v.id}))]
        }
        RailwayCli::Domain { domain, service, port } => {
            let (p, e) = linked(state, token, None, None)?;
            let s = match service {
                Some(name) => state.services().values().find(|s| s.project_id == p && (&s.name == name || &s.id == name)),
                None => state.services().values().find(|s| s.project_id == p),
            }
            .ok_or("no service to attach a domain to")?;
            match domain {
                Some(d) => vec![req(
                    "mutation($input: CustomDomainCreateInput!) { customDomainCreate(input: $input) { id domain } }",
                    json!({"input": {"domain": d, "projectId": p, "environmentId": e, "serviceId": s.id, "targetPort": port}}),
                )],
                None => vec![req(
                    "mutation($input: ServiceDomainCreateInput!) { serviceDomainCreate(input: $input) { id domain } }",
                    json!({"input": {"environmentId": e, "serviceId": s.id, "targetPort": port}}),
                )],
            }
        }
        RailwayCli::Variables { set, service, environment, .. } => {
            let (p, e) = linked(state, token, None, environment.as_deref())?;
            let sid = match service {
                Some(name) => Some(
                    state
                        .services()
                        .values()
                        .find(|s| s.project_id == p && (&s.name == name || &s.id == name))
                        .map(|s| s.id.clone())
                        .ok_or_else(|| format!("no service `{name}`"))?,
                ),
                None => None,
            };
            if set.is_empty() {
                vec![req(
                    "query($p: String!, $e: String!, $s: String) { variables(projectId: $p, environmentId: $e, serviceId: $s) }",
                    json!({"p": p, "e": e, "s": sid}),
                )]
            } else {
                set.iter()
                    .map(|(k, v)| {
                        req(
                            "mutation($input: VariableUpsertInput!) { variableUpsert(input: $input) }",
                            json!({"input": {"projectId": p, "environmentId": e, "serviceId": sid, "name": k, "value": v}}),
                        )
                    })
                    .collect()
            }
        }
        RailwayCli::EnvironmentDelete { name, .. } => {
            let (p, e) = linked(state, token, None, name.as_deref())?;
            let _ = p;
            vec![req("mutation($id: String!) { environmentDelete(id: $id) }", json!({"id": e}))]
        }
        RailwayCli::ProjectDelete { project, .. } => {
            let (p, _) = linked(state, token, project.as_deref(), None)?;
            vec![req("mutation($id: String!) { projectDelete(id: $id) }", json!({"id": p}))]
        }
    })
}
