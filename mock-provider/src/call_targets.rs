//! `call_targets`: what each root field of a document would act on, worked out from the document,
//! its variables and the state before anything runs: the operation, its class, the target the
//! provider would authorize, where that lands, the provider's decision, and every resource the
//! call's id arguments name, as the provider names it.
//!
//! Why here: a layer in front of the provider (a policy gateway) and a static reach analysis both
//! need to know what a call would touch, and must not keep a second model of the world to find
//! out. The world's facts come from the provider's own lookups (`State::target_of` for
//! mutations, `State::scope_of`, `State::describe_target`, `State::authorize_call`); this file
//! only reads a document's arguments the way the resolvers do. A test (`schema/tests/targets.rs`)
//! runs one document per operation through the provider and checks that the provider's record
//! names the same target, class and decision.

use async_graphql_parser::types::{DocumentOperations, OperationType};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{Authorization, Principal, Scope};
use crate::model::{Id, TokenKind};
use crate::ops::{Op, OpClass, ResourceKind};
use crate::state::{Command, Placement, State, Target};

/// One root field of a document, as the provider would see it before running it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallTarget {
    /// The root field as the document names it.
    pub field: String,
    /// `None` for a field the mock does not serve.
    pub op: Option<Op>,
    /// The call's class, from its arguments where they decide (`Command::class`).
    pub class: OpClass,
    /// The field's arguments with the request's variables substituted.
    pub arguments: Value,
    /// The target the provider would authorize the call on; `None` when the mock does not serve
    /// the field or a required argument is missing (the provider refuses such a document).
    pub target: Option<Target>,
    /// Where the target lands (`State::scope_of`); `None` when it names something that does not
    /// exist or does not belong with the rest, which the provider answers as an unknown id.
    pub scope: Option<Scope>,
    /// The provider's own decision for this caller (`State::authorize_call`).
    pub authorization: Option<Authorization>,
    /// The resource the call acts on; `None` for a call that acts on no one resource (`me`,
    /// `apiToken`, `workflowStatus`, a listing across workspaces).
    pub acted_on: Option<NamedResource>,
    /// Every resource the call's id arguments name, the one it acts on first.
    pub resources: Vec<NamedResource>,
}

/// A resource and its own facts, by the provider's lookups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedResource {
    /// `Workspace`, `Project`, `Environment`, `Service`, `Volume`, `VolumeInstance`, `Backup`,
    /// `CustomDomain`, `ServiceDomain`, `Variables`, `ProjectToken` or `ApiToken`.
    pub kind: ResourceKind,
    /// The provider's id; for `Variables`, the environment's id, then `/` and the service's id
    /// when the variables are a service's.
    pub id: Id,
    /// The provider's name for it (`State::describe_target`): `volume pocketos/pg-data`.
    pub label: String,
    /// Its own name: a volume's `pg-data`, an environment's `production`, a domain's host name,
    /// a token's name; the id when nothing by that id exists.
    pub name: String,
    pub exists: bool,
    pub workspace: Option<Named>,
    pub project: Option<Named>,
    /// The environments it lives in: an environment itself; a volume's live instances'; an
    /// instance's, a backup's, a domain's, a variable set's, a project token's own.
    pub environments: Vec<Named>,
    /// Whether any of `environments` is marked protected.
    pub protected: bool,
    /// The volume of a volume instance or of a backup.
    pub volume: Option<Named>,
    /// The volume instance of a backup.
    pub instance: Option<Id>,
    /// The service of a domain, of a service's variables, or of a volume instance.
    pub service: Option<Named>,
    /// A token's kind: `account`, `workspace` or `project`.
    pub token_kind: Option<String>,
}

/// An id with the name the provider knows it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: Id,
    pub name: String,
}

/// Each root field of `query` (every operation in it, in document order, through fragments, in
/// the order `call_classes` gives), as `who` would call it now: see `CallTarget`. Meta fields
/// (`__typename`) are there too, with no operation. Empty if the document does not parse.
pub fn call_targets(state: &State, who: &Principal, query: &str, variables: Option<&Value>) -> Vec<CallTarget> {
    let Some(doc) = crate::provider::parse_safely(query) else { return Vec::new() };
    let mut ops: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(map) => map.values().collect(),
    };
    ops.sort_by_key(|op| (op.pos.line, op.pos.column));
    let var = |name: &str| variables.and_then(|v| v.get(name)).cloned().unwrap_or(Value::Null);
    let mut out = Vec::new();
    for op in ops {
        let mutation = op.node.ty == OperationType::Mutation;
        let mut fields = Vec::new();
        crate::provider::collect_field_nodes(&doc, &op.node.selection_set.node, &mut std::collections::HashSet::new(), &mut fields);
        for f in fields {
            let field = f.name.node.to_string();
            let mut args = Map::new();
            for (name, value) in &f.arguments {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|v| async_graphql::Value::from_json(var(v.as_str())).map_err(|_| ()))
                    .ok()
                    .and_then(|v| v.into_json().ok())
                    .unwrap_or(Value::Null);
                args.insert(name.node.to_string(), value);
            }
            out.push(state.call_target(who, field, mutation, args));
        }
    }
    out
}

impl State {
    fn call_target(&self, who: &Principal, field: String, mutation: bool, args: Map<String, Value>) -> CallTarget {
        let op = Op::from_name(&field).filter(|op| op.is_mutation() == mutation);
        let (target, class) = match op {
            Some(op) if mutation => match command(op, &args) {
                Some(cmd) => (Some(self.target_of(who, &cmd)), cmd.class()),
                None => (None, op.class()),
            },
            Some(op) => (query_target(op, who, &args), op.class()),
            None => (None, if mutation { OpClass::Write } else { OpClass::Read }),
        };
        let scope = target.as_ref().and_then(|t| self.scope_of(t).ok());
        let authorization = op.zip(target.as_ref()).map(|(op, t)| self.authorize_call(who, op, class, t));
        let mut resources = Vec::new();
        if let Some(t) = &target {
            self.named_in(t, &mut resources);
        }
        let primary = match &target {
            Some(Target::Together { primary, .. }) => Some(&**primary),
            other => other.as_ref(),
        };
        let acted_on = match primary {
            None | Some(Target::Global | Target::User { .. }) => None,
            Some(_) => resources.first().cloned(),
        };
        CallTarget { field, op, class, arguments: Value::Object(args), target, scope, authorization, acted_on, resources }
    }

    /// The resources `target` names, the one it acts on first.
    fn named_in(&self, target: &Target, out: &mut Vec<NamedResource>) {
        let mut one = |kind: ResourceKind, id: &str| out.push(self.named_resource(kind, id));
        match target {
            Target::Global | Target::User { .. } => {}
            Target::Workspace { id } => one(ResourceKind::Workspace, id),
            Target::Project { id } => one(ResourceKind::Project, id),
            Target::Environment { id } => one(ResourceKind::Environment, id),
            Target::Service { id, environment, .. } => {
                one(ResourceKind::Service, id);
                if let Some(e) = environment {
                    one(ResourceKind::Environment, e);
                }
            }
            Target::Volume { id } => one(ResourceKind::Volume, id),
            Target::VolumeInstance { id } => one(ResourceKind::VolumeInstance, id),
            Target::VolumeInEnvironment { volume, environment } => {
                match self.instances.values().find(|i| &i.volume_id == volume && &i.environment_id == environment && !i.is_deleted()) {
                    Some(i) => one(ResourceKind::VolumeInstance, &i.id),
                    None => {
                        one(ResourceKind::Volume, volume);
                        one(ResourceKind::Environment, environment);
                    }
                }
            }
            Target::Backup { backup, instance } => {
                one(ResourceKind::Backup, backup);
                one(ResourceKind::VolumeInstance, instance);
            }
            Target::CustomDomain { id, environment } => {
                one(ResourceKind::CustomDomain, id);
                if let Some(e) = environment {
                    one(ResourceKind::Environment, e);
                }
            }
            Target::ServiceDomain { id } => one(ResourceKind::ServiceDomain, id),
            Target::Variables { project, environment, service } => out.push(self.named_variables(project, environment, service.as_deref())),
            Target::ProjectToken { id } => one(ResourceKind::ProjectToken, id),
            Target::ApiToken { id } => one(ResourceKind::ApiToken, id),
            Target::Together { primary, with } => {
                self.named_in(primary, out);
                for t in with {
                    self.named_in(t, out);
                }
            }
        }
    }

    fn named(&self, kind: ResourceKind, id: &str) -> Option<Named> {
        let name = match kind {
            ResourceKind::Workspace => self.workspaces.get(id).map(|w| w.name.clone()),
            ResourceKind::Project => self.projects.get(id).map(|p| p.name.clone()),
            ResourceKind::Environment => self.environments.get(id).map(|e| e.name.clone()),
            ResourceKind::Service => self.services.get(id).map(|s| s.name.clone()),
            ResourceKind::Volume => self.volumes.get(id).map(|v| v.name.clone()),
            _ => None,
        }?;
        Some(Named { id: id.to_string(), name })
    }

    fn project_named(&self, project_id: &str) -> (Option<Named>, Option<Named>) {
        let project = self.named(ResourceKind::Project, project_id);
        let workspace = self.projects.get(project_id).and_then(|p| self.named(ResourceKind::Workspace, &p.workspace_id));
        (workspace, project)
    }

    /// One resource of `kind` by its id, with its own facts; `exists: false` (and only the id)
    /// when the provider has no live resource by that id.
    pub fn named_resource(&self, kind: ResourceKind, id: &str) -> NamedResource {
        if kind == ResourceKind::Variables {
            // A variable set's id: the environment's, then `/` and the service's.
            let (environment, service) = id.split_once('/').map_or((id, None), |(e, s)| (e, Some(s)));
            let project = self.environments.get(environment).map(|e| e.project_id.clone()).unwrap_or_default();
            return self.named_variables(&project, environment, service);
        }
        let mut r = NamedResource {
            kind,
            id: id.to_string(),
            label: String::new(),
            name: id.to_string(),
            exists: false,
            workspace: None,
            project: None,
            environments: Vec::new(),
            protected: false,
            volume: None,
            instance: None,
            service: None,
            token_kind: None,
        };
        let env = |e: &str| self.named(ResourceKind::Environment, e);
        match kind {
            ResourceKind::Workspace => {
                if let Some(w) = self.workspaces.get(id) {
                    (r.exists, r.name) = (true, w.name.clone());
                    r.workspace = self.named(kind, id);
                }
            }
            ResourceKind::Project => {
                if let Some(p) = self.projects.get(id) {
                    (r.exists, r.name) = (true, p.name.clone());
                    (r.workspace, r.project) = self.project_named(id);
                }
            }
            ResourceKind::Environment => {
                if let Some(e) = self.environments.get(id) {
                    (r.exists, r.name) = (true, e.name.clone());
                    (r.workspace, r.project) = self.project_named(&e.project_id);
                    r.environments = env(id).into_iter().collect();
                }
            }
            ResourceKind::Service => {
                if let Some(s) = self.services.get(id) {
                    (r.exists, r.name) = (true, s.name.clone());
                    (r.workspace, r.project) = self.project_named(&s.project_id);
                }
            }
            ResourceKind::Volume => {
                if let Ok(v) = self.volume(id) {
                    (r.exists, r.name) = (true, v.name.clone());
                    (r.workspace, r.project) = self.project_named(&v.project_id);
                    let mut envs: Vec<&str> = self
                        .instances
                        .values()
                        .filter(|i| i.volume_id == id && !i.is_deleted())
                        .map(|i| i.environment_id.as_str())
                        .collect();
                    envs.sort_unstable();
                    envs.dedup();
                    r.environments = envs.into_iter().filter_map(env).collect();
                }
            }
            ResourceKind::VolumeInstance => {
                if let Ok(i) = self.instance(id) {
                    r.exists = true;
                    r.name = self.instance_name(id);
                    r.volume = self.named(ResourceKind::Volume, &i.volume_id);
                    if let Some(v) = self.volumes.get(&i.volume_id) {
                        (r.workspace, r.project) = self.project_named(&v.project_id);
                    }
                    r.environments = env(&i.environment_id).into_iter().collect();
                    r.service = i.service_id.as_deref().and_then(|s| self.named(ResourceKind::Service, s));
                }
            }
            ResourceKind::Backup => {
                if let Some(b) = self.backups.get(id) {
                    (r.exists, r.name) = (true, b.name.clone());
                    r.instance = Some(b.volume_instance_id.clone());
                    if let Some(i) = self.instances.get(&b.volume_instance_id) {
                        r.volume = self.named(ResourceKind::Volume, &i.volume_id);
                        if let Some(v) = self.volumes.get(&i.volume_id) {
                            (r.workspace, r.project) = self.project_named(&v.project_id);
                        }
                        r.environments = env(&i.environment_id).into_iter().collect();
                    }
                }
            }
            ResourceKind::CustomDomain | ResourceKind::ServiceDomain => {
                let found = match kind {
                    ResourceKind::CustomDomain => {
                        self.custom_domains.get(id).map(|d| (&d.domain, &d.project_id, &d.environment_id, &d.service_id))
                    }
                    _ => self.service_domains.get(id).map(|d| (&d.domain, &d.project_id, &d.environment_id, &d.service_id)),
                };
                if let Some((domain, project, environment, service)) = found {
                    (r.exists, r.name) = (true, domain.clone());
                    (r.workspace, r.project) = self.project_named(project);
                    r.environments = env(environment).into_iter().collect();
                    r.service = self.named(ResourceKind::Service, service);
                }
            }
            ResourceKind::ProjectToken | ResourceKind::ApiToken => {
                if let Some(t) = self.tokens.get(id) {
                    (r.exists, r.name) = (true, t.name.clone());
                    r.token_kind = Some(t.kind.label().to_string());
                    match &t.kind {
                        TokenKind::Project { project_id, environment_id } => {
                            (r.workspace, r.project) = self.project_named(project_id);
                            r.environments = env(environment_id).into_iter().collect();
                        }
                        TokenKind::Workspace { workspace_id } => r.workspace = self.named(ResourceKind::Workspace, workspace_id),
                        TokenKind::Account { .. } => {}
                    }
                }
            }
            _ => {}
        }
        r.protected = r.environments.iter().any(|e| self.environments.get(&e.id).is_some_and(|e| e.protected));
        // A backup's label names its instance, which only `Target::Backup` carries.
        let target = match (kind, &r.instance) {
            (ResourceKind::Backup, Some(instance)) => Some(Target::Backup { backup: id.to_string(), instance: instance.clone() }),
            _ => single_target(kind, id),
        };
        r.label = target.and_then(|t| self.describe_target(&t)).unwrap_or_else(|| id.to_string());
        r
    }

    /// The variables of one environment (and service), as one resource.
    fn named_variables(&self, project: &str, environment: &str, service: Option<&str>) -> NamedResource {
        let id = match service {
            Some(s) => format!("{environment}/{s}"),
            None => environment.to_string(),
        };
        let env = self.environments.get(environment).filter(|e| e.project_id == project);
        let service_named = service.and_then(|s| self.named(ResourceKind::Service, s));
        let exists = env.is_some() && service.is_none_or(|_| service_named.is_some());
        let (workspace, project_named) = if exists { self.project_named(project) } else { (None, None) };
        let target = Target::Variables { project: project.into(), environment: environment.into(), service: service.map(Into::into) };
        let label = self.describe_target(&target).unwrap_or_else(|| id.clone());
        NamedResource {
            kind: ResourceKind::Variables,
            name: label.clone(),
            label,
            id,
            exists,
            workspace,
            project: project_named,
            environments: env.filter(|_| exists).and_then(|e| self.named(ResourceKind::Environment, &e.id)).into_iter().collect(),
            protected: env.is_some_and(|e| e.protected),
            volume: None,
            instance: None,
            service: service_named,
            token_kind: None,
        }
    }
}

/// The target that names only the resource `kind` `id`, for its label.
fn single_target(kind: ResourceKind, id: &str) -> Option<Target> {
    let id = id.to_string();
    Some(match kind {
        ResourceKind::Workspace => Target::Workspace { id },
        ResourceKind::Project => Target::Project { id },
        ResourceKind::Environment => Target::Environment { id },
        ResourceKind::Service => Target::Service { id, environment: None, everywhere: false },
        ResourceKind::Volume => Target::Volume { id },
        ResourceKind::VolumeInstance => Target::VolumeInstance { id },
        ResourceKind::CustomDomain => Target::CustomDomain { id, environment: None },
        ResourceKind::ServiceDomain => Target::ServiceDomain { id },
        ResourceKind::ProjectToken => Target::ProjectToken { id },
        ResourceKind::ApiToken => Target::ApiToken { id },
        _ => return None,
    })
}

fn text(args: &Map<String, Value>, name: &str) -> Option<String> {
    args.get(name).and_then(Value::as_str).map(str::to_string)
}

/// An argument of an input object (`input: { projectId: … }`).
fn input(args: &Map<String, Value>) -> Map<String, Value> {
    args.get("input").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// The target of a root query field, as its resolver builds it (`schema/query.rs`).
pub(crate) fn query_target(op: Op, who: &Principal, args: &Map<String, Value>) -> Option<Target> {
    let id = || text(args, "id");
    let project = || text(args, "projectId").map(|id| Target::Project { id });
    let variables = || {
        Some(Target::Variables {
            project: text(args, "projectId")?,
            environment: text(args, "environmentId")?,
            service: text(args, "serviceId"),
        })
    };
    Some(match op {
        Op::Me | Op::ProjectToken | Op::ApiTokens | Op::ApiToken | Op::WorkflowStatus => Target::Global,
        Op::Project => Target::Project { id: id()? },
        Op::Projects => State::projects_target(who, text(args, "workspaceId").as_deref(), text(args, "userId").as_deref()),
        Op::Environment => Target::together(Target::Environment { id: id()? }, [project()]),
        Op::Environments | Op::ProjectTokens => Target::Project { id: text(args, "projectId")? },
        Op::Service => Target::Service { id: id()?, environment: None, everywhere: false },
        Op::VolumeInstance => Target::VolumeInstance { id: id()? },
        Op::Variables => variables()?,
        Op::VariablesForServiceDeployment => {
            text(args, "serviceId")?;
            variables()?
        }
        Op::VolumeInstanceBackupList | Op::VolumeInstanceBackupScheduleList => {
            Target::VolumeInstance { id: text(args, "volumeInstanceId")? }
        }
        Op::CustomDomain => Target::together(Target::CustomDomain { id: id()?, environment: None }, [Some(project()?)]),
        Op::Domains => {
            let service =
                Target::Service { id: text(args, "serviceId")?, environment: Some(text(args, "environmentId")?), everywhere: false };
            Target::together(service, [Some(project()?)])
        }
        Op::Deployments => {
            let input = input(args);
            let project = text(&input, "projectId").map(|id| Target::Project { id });
            match (text(&input, "serviceId"), text(&input, "environmentId")) {
                (Some(s), e) => Target::together(Target::Service { id: s, everywhere: e.is_none(), environment: e }, [project]),
                (None, Some(e)) => Target::together(Target::Environment { id: e }, [project]),
                (None, None) => project.unwrap_or(Target::Global),
            }
        }
        Op::Regions => project().unwrap_or(Target::Global),
        Op::ProjectFavorites => Target::Workspace { id: text(args, "workspaceId")? },
        Op::ExternalWorkspaces => Target::together(Target::Global, [project()]),
        _ => return None,
    })
}

/// The mutation a root field asks for, as its resolver builds it (`schema/mutation.rs`), for its
/// target (`State::target_of`) and class (`Command::class`) only: values that decide neither
/// (a new name, a mount path, a port) are left empty.
pub(crate) fn command(op: Op, args: &Map<String, Value>) -> Option<Command> {
    let id = || text(args, "id");
    let input = input(args);
    let of = |name: &str| text(&input, name);
    Some(match op {
        Op::ProjectCreate => {
            Command::ProjectCreate { name: None, description: None, workspace_id: of("workspaceId"), default_environment_name: None }
        }
        Op::ProjectDelete => Command::ProjectDelete { id: id()? },
        Op::ProjectScheduleDelete => Command::ProjectScheduleDelete { id: id()? },
        Op::ProjectScheduleDeleteCancel => Command::ProjectScheduleDeleteCancel { id: id()? },
        Op::ProjectScheduleDeleteForce => Command::ProjectScheduleDeleteForce { id: id()? },
        Op::EnvironmentCreate => Command::EnvironmentCreate {
            project_id: of("projectId")?,
            name: String::new(),
            source_environment_id: of("sourceEnvironmentId"),
        },
        Op::EnvironmentDelete => Command::EnvironmentDelete { id: id()? },
        Op::ServiceCreate => Command::ServiceCreate { project_id: of("projectId")?, name: None, environment_id: of("environmentId") },
        Op::ServiceDelete => Command::ServiceDelete { id: id()?, environment_id: text(args, "environmentId") },
        Op::VolumeCreate => Command::VolumeCreate {
            project_id: of("projectId")?,
            placement: match input.get("environmentId") {
                None => Placement::AllEnvironments,
                Some(Value::String(e)) => Placement::Environment(e.clone()),
                Some(_) => Placement::NoEnvironment,
            },
            service_id: of("serviceId"),
            mount_path: String::new(),
        },
        Op::VolumeUpdate => Command::VolumeUpdate { volume_id: text(args, "volumeId")?, name: None },
        Op::VolumeDelete => Command::VolumeDelete { volume_id: text(args, "volumeId")? },
        Op::VolumeInstanceUpdate => Command::VolumeInstanceUpdate {
            volume_id: text(args, "volumeId")?,
            environment_id: text(args, "environmentId"),
            mount_path: None,
            service_id: of("serviceId"),
        },
        Op::VolumeInstanceBackupCreate => {
            Command::VolumeInstanceBackupCreate { volume_instance_id: text(args, "volumeInstanceId")?, name: None }
        }
        Op::VolumeInstanceBackupDelete => Command::VolumeInstanceBackupDelete {
            backup_id: text(args, "volumeInstanceBackupId")?,
            volume_instance_id: text(args, "volumeInstanceId")?,
        },
        Op::VolumeInstanceBackupLock => Command::VolumeInstanceBackupLock {
            backup_id: text(args, "volumeInstanceBackupId")?,
            volume_instance_id: text(args, "volumeInstanceId")?,
        },
        Op::VolumeInstanceBackupRestore => Command::VolumeInstanceBackupRestore {
            backup_id: text(args, "volumeInstanceBackupId")?,
            volume_instance_id: text(args, "volumeInstanceId")?,
        },
        Op::VolumeInstanceBackupScheduleUpdate => {
            Command::VolumeInstanceBackupScheduleUpdate { volume_instance_id: text(args, "volumeInstanceId")?, kinds: Vec::new() }
        }
        Op::CustomDomainCreate => Command::CustomDomainCreate {
            domain: String::new(),
            project_id: of("projectId")?,
            environment_id: of("environmentId")?,
            service_id: of("serviceId")?,
            target_port: None,
        },
        Op::CustomDomainUpdate => {
            Command::CustomDomainUpdate { id: id()?, environment_id: text(args, "environmentId")?, target_port: None }
        }
        Op::CustomDomainDelete => Command::CustomDomainDelete { id: id()? },
        Op::ServiceDomainCreate => {
            Command::ServiceDomainCreate { environment_id: of("environmentId")?, service_id: of("serviceId")?, target_port: None }
        }
        Op::ServiceDomainDelete => Command::ServiceDomainDelete { id: id()? },
        Op::VariableUpsert => Command::VariableUpsert {
            project_id: of("projectId")?,
            environment_id: of("environmentId")?,
            service_id: of("serviceId"),
            name: String::new(),
            value: String::new(),
        },
        Op::VariableCollectionUpsert => Command::VariableCollectionUpsert {
            project_id: of("projectId")?,
            environment_id: of("environmentId")?,
            service_id: of("serviceId"),
            variables: Default::default(),
            replace: input.get("replace").and_then(Value::as_bool).unwrap_or(false),
        },
        Op::VariableDelete => Command::VariableDelete {
            project_id: of("projectId")?,
            environment_id: of("environmentId")?,
            service_id: of("serviceId"),
            name: String::new(),
        },
        Op::ProjectTokenCreate => {
            Command::ProjectTokenCreate { project_id: of("projectId")?, environment_id: of("environmentId")?, name: String::new() }
        }
        Op::ProjectTokenDelete => Command::ProjectTokenDelete { id: id()? },
        Op::ApiTokenCreate => Command::ApiTokenCreate { name: String::new(), workspace_id: of("workspaceId") },
        Op::ApiTokenDelete => Command::ApiTokenDelete { id: id()? },
        Op::WorkspaceDelete => Command::WorkspaceDelete { id: id()? },
        Op::CliEventTrack => Command::CliEventTrack,
        _ => return None,
    })
}

/// The kinds of resource a call of `op` can act on (the first of `CallTarget::resources`), with
/// `Account` for a call that names none: for a policy language's schema, which must say what
/// each action applies to.
pub fn acted_on_kinds(op: Op) -> &'static [ResourceKind] {
    use ResourceKind as K;
    match op {
        Op::Me | Op::ProjectToken | Op::ApiTokens | Op::ApiToken | Op::WorkflowStatus | Op::ExternalWorkspaces | Op::CliEventTrack => {
            &[K::Account]
        }
        Op::Projects | Op::ProjectCreate | Op::ApiTokenCreate => &[K::Workspace, K::Account],
        Op::Project
        | Op::Environments
        | Op::ProjectTokens
        | Op::ProjectDelete
        | Op::ProjectScheduleDelete
        | Op::ProjectScheduleDeleteCancel
        | Op::ProjectScheduleDeleteForce
        | Op::EnvironmentCreate => &[K::Project],
        Op::Environment | Op::EnvironmentDelete | Op::ProjectTokenCreate => &[K::Environment],
        Op::Service | Op::ServiceDelete | Op::Domains | Op::ServiceDomainCreate | Op::CustomDomainCreate => &[K::Service],
        Op::ServiceCreate | Op::VolumeCreate => &[K::Environment, K::Project],
        Op::Deployments => &[K::Service, K::Environment, K::Project, K::Account],
        Op::Regions => &[K::Project, K::Account],
        Op::VolumeInstance
        | Op::VolumeInstanceBackupList
        | Op::VolumeInstanceBackupScheduleList
        | Op::VolumeInstanceBackupCreate
        | Op::VolumeInstanceBackupScheduleUpdate => &[K::VolumeInstance],
        // With an `environmentId` naming no live instance, the call names the volume.
        Op::VolumeInstanceUpdate => &[K::VolumeInstance, K::Volume],
        Op::VolumeUpdate | Op::VolumeDelete => &[K::Volume],
        Op::VolumeInstanceBackupDelete | Op::VolumeInstanceBackupLock | Op::VolumeInstanceBackupRestore => &[K::Backup],
        Op::CustomDomain | Op::CustomDomainUpdate | Op::CustomDomainDelete => &[K::CustomDomain],
        Op::ServiceDomainDelete => &[K::ServiceDomain],
        Op::Variables | Op::VariablesForServiceDeployment | Op::VariableUpsert | Op::VariableCollectionUpsert | Op::VariableDelete => {
            &[K::Variables]
        }
        Op::ProjectTokenDelete => &[K::ProjectToken],
        Op::ApiTokenDelete => &[K::ApiToken],
        Op::WorkspaceDelete | Op::ProjectFavorites => &[K::Workspace],
    }
}
