//! The Cedar request for one root field of a call: its principal (the token, or the agent), its
//! action (in the group of the call's own class), the resource it acts on with every ancestor,
//! and the context, all read from the provider's state through `call_targets`.
//!
//! Why per call: the world changes while the agent acts (a volume deleted, a token minted), so
//! the entities are read at the moment of the call, and only those the request can reach: the
//! principal, the resource and its ancestors, a handful of entities. The action's group is the
//! call's class, which is why the entities are built without the schema's fixed action groups
//! (the schema places an argument-decided action in every group it can fall in).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use cedar_policy::{Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression};
use mock_provider::auth::Scope;
use mock_provider::ops::ResourceKind;
use mock_provider::{CallTarget, Id, NamedResource, State, TokenKind};

use super::schema::{ACCOUNT_ID, entity_type, schema};
use crate::guardrails::ProviderCall;

/// What the gateway knows beyond the provider's state: scenario facts.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Ids of the volumes the scenario marks critical.
    pub critical: BTreeSet<Id>,
    /// Each token's declared purpose (operation names), by token name.
    pub purposes: BTreeMap<String, BTreeSet<String>>,
    /// The agent's name, the principal of a call whose credentials name no token.
    pub agent: String,
}

fn uid(ty: &str, id: &str) -> Result<EntityUid, String> {
    let ty: EntityTypeName = ty.parse().map_err(|e| format!("entity type `{ty}`: {e}"))?;
    Ok(EntityUid::from_type_name_and_id(ty, EntityId::new(id)))
}

fn string(s: impl Into<String>) -> RestrictedExpression {
    RestrictedExpression::new_string(s.into())
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(items.into_iter().map(string))
}

/// The uid of the entity a resource is.
pub(crate) fn resource_uid(r: &NamedResource) -> Result<EntityUid, String> {
    uid(entity_type(r.kind), &r.id)
}

/// The principal of a call by `token` (a token's name, by the provider's lookup of the secret).
pub(crate) fn principal_uid(state: &State, token: Option<&str>, facts: &Facts) -> Result<EntityUid, String> {
    match token.and_then(|name| state.token_named(name)) {
        Some(t) => uid("Token", &t.id),
        None => uid("Agent", &facts.agent),
    }
}

/// The entities and request for the root field `ct` of `call`.
pub(crate) fn request(state: &State, facts: &Facts, call: &ProviderCall, ct: &CallTarget) -> Result<(Request, Entities), String> {
    let op = ct.op.ok_or_else(|| format!("`{}` is not an operation the provider serves", ct.field))?;
    let mut out = Built::default();
    let principal = principal_uid(state, call.token.as_deref(), facts)?;
    match call.token.as_deref().and_then(|name| state.token_named(name)) {
        Some(t) => out.token(state, facts, &t.id)?,
        None => out.push(Entity::new(principal.clone(), [("name".to_string(), string(facts.agent.clone()))].into(), HashSet::new())),
    }
    let resource = match &ct.acted_on {
        Some(r) => {
            out.resource(state, facts, r)?;
            resource_uid(r)?
        }
        None => {
            let account = uid("Account", ACCOUNT_ID)?;
            out.entities.push(Entity::new_no_attrs(account.clone(), HashSet::new()));
            account
        }
    };
    let action = uid("Action", op.name())?;
    let group = uid("Action", ct.class.name())?;
    out.entities.push(Entity::new_no_attrs(action.clone(), HashSet::from([group])));
    if let Some(e) = out.error {
        return Err(e);
    }
    let (environments, protected) = landing(state, ct.scope.as_ref());
    let context = Context::from_pairs([
        ("channel".to_string(), string(call.channel.name())),
        ("host".to_string(), string(call.host.clone())),
        ("class".to_string(), string(ct.class.name())),
        ("environments".to_string(), strings(environments.iter().map(String::as_str))),
        ("protected".to_string(), RestrictedExpression::new_bool(protected)),
    ])
    .map_err(|e| e.to_string())?;
    let schema = schema()?;
    let request = Request::new(principal, action, resource, context, Some(schema)).map_err(|e| e.to_string())?;
    let entities = Entities::from_entities(out.entities, None).map_err(|e| e.to_string())?;
    Ok((request, entities))
}

/// The names of the environments a call lands in, and whether one of them is protected: the
/// scope's own, or for a call on a whole project (or workspace), all of its environments.
fn landing(state: &State, scope: Option<&Scope>) -> (BTreeSet<String>, bool) {
    let Some(scope) = scope else { return (BTreeSet::new(), false) };
    let envs = state.environments().values();
    let names: BTreeSet<String> = if !scope.environments.is_empty() {
        scope.environments.iter().map(|e| state.environment_name(e)).collect()
    } else if let Some(p) = &scope.project_id {
        envs.filter(|e| &e.project_id == p).map(|e| e.name.clone()).collect()
    } else if let (Some(w), false) = (&scope.workspace_id, scope.global) {
        let projects = state.projects();
        envs.filter(|e| projects.get(&e.project_id).is_some_and(|p| &p.workspace_id == w)).map(|e| e.name.clone()).collect()
    } else {
        BTreeSet::new()
    };
    (names, !scope.protected.is_empty())
}

/// The entities built so far, each once.
#[derive(Default)]
struct Built {
    entities: Vec<Entity>,
    seen: HashSet<EntityUid>,
    error: Option<String>,
}

impl Built {
    fn push(&mut self, entity: Result<Entity, impl std::fmt::Display>) {
        match entity {
            Ok(e) => {
                if self.seen.insert(e.uid()) {
                    self.entities.push(e);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn token(&mut self, state: &State, facts: &Facts, id: &str) -> Result<(), String> {
        let uid = uid("Token", id)?;
        if self.seen.contains(&uid) {
            return Ok(());
        }
        let Some(t) = state.tokens().get(id) else {
            let attrs = [("name", string(id)), ("kind", string("unknown")), ("purpose", strings([]))];
            self.push(Entity::new(uid, attrs.map(|(k, v)| (k.to_string(), v)).into(), HashSet::new()));
            return Ok(());
        };
        let mut attrs: Vec<(String, RestrictedExpression)> = vec![
            ("name".into(), string(t.name.clone())),
            ("kind".into(), string(t.kind.label())),
            ("purpose".into(), strings(facts.purposes.get(&t.name).into_iter().flatten().map(String::as_str))),
        ];
        let project_of = |p: &str| state.projects().get(p);
        match &t.kind {
            TokenKind::Account { .. } => {}
            TokenKind::Workspace { workspace_id } => {
                if let Some(w) = state.workspaces().get(workspace_id) {
                    attrs.push(("workspace".into(), string(w.name.clone())));
                }
            }
            TokenKind::Project { project_id, environment_id } => {
                if let Some(p) = project_of(project_id) {
                    attrs.push(("project".into(), string(p.name.clone())));
                    if let Some(w) = state.workspaces().get(&p.workspace_id) {
                        attrs.push(("workspace".into(), string(w.name.clone())));
                    }
                }
                attrs.push(("environment".into(), string(state.environment_name(environment_id))));
            }
        }
        self.push(Entity::new(uid, attrs.into_iter().collect(), HashSet::new()));
        Ok(())
    }

    /// The entity `r` is, and every ancestor it has, each from the provider's lookups.
    fn resource(&mut self, state: &State, facts: &Facts, r: &NamedResource) -> Result<(), String> {
        let me = resource_uid(r)?;
        if self.seen.contains(&me) {
            return Ok(());
        }
        if matches!(r.kind, ResourceKind::ProjectToken | ResourceKind::ApiToken) {
            return self.token(state, facts, &r.id);
        }
        let project = r.project.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        let environment = r.environments.first().map(|e| e.name.clone()).unwrap_or_default();
        let critical = |volume: Option<&str>| RestrictedExpression::new_bool(volume.is_some_and(|v| facts.critical.contains(v)));
        let volume_id = r.volume.as_ref().map(|v| v.id.as_str());
        let volume_name = r.volume.as_ref().map(|v| v.name.clone()).unwrap_or_default();
        let mut parents: Vec<(ResourceKind, &str)> = Vec::new();
        let env_parent = r.environments.first().map(|e| (ResourceKind::Environment, e.id.as_str()));
        let service_parent = r.service.as_ref().map(|s| (ResourceKind::Service, s.id.as_str()));
        let attrs: Vec<(&str, RestrictedExpression)> = match r.kind {
            ResourceKind::Workspace => vec![("name", string(r.name.clone()))],
            ResourceKind::Project => {
                parents.extend(r.workspace.as_ref().map(|w| (ResourceKind::Workspace, w.id.as_str())));
                vec![
                    ("name", string(r.name.clone())),
                    ("workspace", string(r.workspace.as_ref().map(|w| w.name.clone()).unwrap_or_default())),
                ]
            }
            ResourceKind::Environment | ResourceKind::Service | ResourceKind::Volume => {
                parents.extend(r.project.as_ref().map(|p| (ResourceKind::Project, p.id.as_str())));
                let mut attrs = vec![("name", string(r.name.clone())), ("project", string(project))];
                match r.kind {
                    ResourceKind::Environment => attrs.push(("protected", RestrictedExpression::new_bool(r.protected))),
                    ResourceKind::Volume => {
                        attrs.push(("environments", strings(r.environments.iter().map(|e| e.name.as_str()))));
                        attrs.push(("critical", critical(r.exists.then_some(r.id.as_str()))));
                    }
                    _ => {}
                }
                attrs
            }
            ResourceKind::VolumeInstance => {
                parents.extend(volume_id.map(|v| (ResourceKind::Volume, v)));
                parents.extend(env_parent);
                vec![
                    ("name", string(r.name.clone())),
                    ("volume", string(volume_name)),
                    ("project", string(project)),
                    ("environment", string(environment)),
                    ("critical", critical(volume_id)),
                ]
            }
            ResourceKind::Backup => {
                parents.extend(r.instance.as_deref().map(|i| (ResourceKind::VolumeInstance, i)));
                vec![
                    ("name", string(r.name.clone())),
                    ("volume", string(volume_name)),
                    ("project", string(project)),
                    ("environment", string(environment)),
                    ("critical", critical(volume_id)),
                ]
            }
            ResourceKind::CustomDomain | ResourceKind::ServiceDomain => {
                parents.extend(env_parent);
                parents.extend(service_parent);
                let kind = if r.kind == ResourceKind::CustomDomain { "custom" } else { "service" };
                vec![
                    ("name", string(r.name.clone())),
                    ("kind", string(kind)),
                    ("project", string(project)),
                    ("environment", string(environment)),
                    ("service", string(r.service.as_ref().map(|s| s.name.clone()).unwrap_or_default())),
                ]
            }
            ResourceKind::Variables => {
                parents.extend(env_parent);
                parents.extend(service_parent);
                let mut attrs = vec![("name", string(r.name.clone())), ("project", string(project)), ("environment", string(environment))];
                if let Some(s) = &r.service {
                    attrs.push(("service", string(s.name.clone())));
                }
                attrs
            }
            other => return Err(format!("a {other:?} is not a resource of the gateway's schema")),
        };
        let parent_uids = parents.iter().map(|(kind, id)| uid(entity_type(*kind), id)).collect::<Result<HashSet<_>, _>>()?;
        self.push(Entity::new(me, attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), parent_uids));
        for (kind, id) in parents {
            let parent = state.named_resource(kind, id);
            self.resource(state, facts, &parent)?;
        }
        Ok(())
    }
}
