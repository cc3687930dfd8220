//! Every call an operation can make on the world as it is: for each operation, one set of
//! arguments per resource of the kinds it acts on (`acted_on_kinds`), as a document would carry
//! them. A static reach analysis asks the provider's own decision about each (`State::probe`,
//! then `State::authorize_call`), so it never keeps a second model of reach.
//!
//! Why arguments, not targets: the arguments are what a request sends, so the same call can be
//! judged statically, rendered as a document (`document`) and sent to the provider, and the two
//! cannot drift apart. The arguments are read back by `call_targets`, exactly as a document's are.

use serde_json::{Map, Value, json};

use crate::auth::Principal;
use crate::call_targets::{acted_on_kinds, command, query_target};
use crate::model::TokenKind;
use crate::ops::{Op, OpClass, ResourceKind};
use crate::state::{Command, State, Target};

/// One call of an operation on one resource, by the arguments a document would send.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub op: Op,
    /// The kind of resource the call acts on (`Account` for a call naming none).
    pub kind: ResourceKind,
    /// The id of that resource (`Variables`: the environment's id, then `/` and the service's).
    pub id: String,
    pub arguments: Map<String, Value>,
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

impl State {
    /// Every call `op` can make on this world: one per resource of each kind it acts on, live
    /// resources only, in the provider's id order.
    pub fn probes(&self, op: Op) -> Vec<Probe> {
        let mut out = Vec::new();
        for &kind in acted_on_kinds(op) {
            for (id, arguments) in self.arguments_on(op, kind) {
                out.push(Probe { op, kind, id, arguments });
            }
        }
        out
    }

    /// The target the provider would authorize a call of `op` with `args` on, and the call's
    /// class: what `call_targets` works out for a document naming the same arguments.
    pub fn probe(&self, who: &Principal, op: Op, args: &Map<String, Value>) -> (Option<Target>, OpClass) {
        if op.is_mutation() {
            match command(op, args) {
                Some(cmd) => (Some(self.target_of(who, &cmd)), cmd.class()),
                None => (None, op.class()),
            }
        } else {
            (query_target(op, who, args), op.class())
        }
    }

    /// The kind of token a call of `op` with `args` by `who` would mint, if it mints one
    /// (`projectTokenCreate`, `apiTokenCreate`): what the mutation creates when it runs.
    pub fn minted_kind(&self, who: &Principal, op: Op, args: &Map<String, Value>) -> Option<TokenKind> {
        self.minted_by(who, &command(op, args)?)
    }

    /// The kind of token `cmd` mints for `who`, the one reading of it (the mutation uses it).
    pub(crate) fn minted_by(&self, who: &Principal, cmd: &Command) -> Option<TokenKind> {
        use crate::auth::Reach;
        match cmd {
            Command::ProjectTokenCreate { project_id, environment_id, .. } => {
                Some(TokenKind::Project { project_id: project_id.clone(), environment_id: environment_id.clone() })
            }
            Command::ApiTokenCreate { workspace_id, .. } => match (workspace_id, &who.reach) {
                (Some(w), _) => Some(TokenKind::Workspace { workspace_id: w.clone() }),
                (None, Reach::Account { user_id, .. }) => Some(TokenKind::Account { user_id: user_id.clone() }),
                (None, Reach::Workspace { workspace_id }) => Some(TokenKind::Workspace { workspace_id: workspace_id.clone() }),
                (None, _) => None,
            },
            _ => None,
        }
    }

    /// `(id, arguments)` for each resource of `kind` a call of `op` can name.
    fn arguments_on(&self, op: Op, kind: ResourceKind) -> Vec<(String, Map<String, Value>)> {
        use ResourceKind as K;
        let mut out = Vec::new();
        let mut push = |id: &str, v: Value| out.push((id.to_string(), obj(v)));
        match kind {
            K::Account => {
                let v = match op {
                    Op::ProjectCreate => json!({"input": {"name": "x"}}),
                    Op::ApiTokenCreate => json!({"input": {"name": "x"}}),
                    _ => json!({}),
                };
                push("", v);
            }
            K::Workspace => {
                for id in self.workspaces.keys() {
                    let v = match op {
                        Op::Projects | Op::ProjectFavorites => json!({"workspaceId": id}),
                        Op::ProjectCreate | Op::ApiTokenCreate => json!({"input": {"name": "x", "workspaceId": id}}),
                        _ => json!({"id": id}),
                    };
                    push(id, v);
                }
            }
            K::Project => {
                for id in self.projects.keys() {
                    let v = match op {
                        Op::Environments | Op::ProjectTokens | Op::Regions => json!({"projectId": id}),
                        Op::EnvironmentCreate => json!({"input": {"projectId": id, "name": "x"}}),
                        Op::ServiceCreate | Op::VolumeCreate => json!({"input": {"projectId": id, "mountPath": "/x"}}),
                        Op::Deployments => json!({"input": {"projectId": id}}),
                        _ => json!({"id": id}),
                    };
                    push(id, v);
                }
            }
            K::Environment => {
                for (id, e) in &self.environments {
                    let p = &e.project_id;
                    let v = match op {
                        Op::Environment => json!({"id": id, "projectId": p}),
                        Op::ProjectTokenCreate => json!({"input": {"projectId": p, "environmentId": id, "name": "x"}}),
                        Op::ServiceCreate => json!({"input": {"projectId": p, "environmentId": id}}),
                        Op::VolumeCreate => json!({"input": {"projectId": p, "environmentId": id, "mountPath": "/x"}}),
                        Op::Deployments => json!({"input": {"projectId": p, "environmentId": id}}),
                        _ => json!({"id": id}),
                    };
                    push(id, v);
                }
            }
            K::Service => {
                for (id, s) in &self.services {
                    let p = &s.project_id;
                    let envs: Vec<&String> = self.environments.values().filter(|e| &e.project_id == p).map(|e| &e.id).collect();
                    match op {
                        Op::Service => push(id, json!({"id": id})),
                        // Without an environment the call deletes the service everywhere.
                        Op::ServiceDelete => {
                            push(id, json!({"id": id}));
                            for e in envs {
                                push(id, json!({"id": id, "environmentId": e}));
                            }
                        }
                        Op::Deployments => push(id, json!({"input": {"projectId": p, "serviceId": id}})),
                        Op::Domains => {
                            envs.into_iter().for_each(|e| push(id, json!({"projectId": p, "environmentId": e, "serviceId": id})))
                        }
                        Op::ServiceDomainCreate => {
                            envs.into_iter().for_each(|e| push(id, json!({"input": {"environmentId": e, "serviceId": id}})))
                        }
                        Op::CustomDomainCreate => envs.into_iter().for_each(|e| {
                            push(id, json!({"input": {"projectId": p, "environmentId": e, "serviceId": id, "domain": "x.example"}}))
                        }),
                        _ => {}
                    }
                }
            }
            K::Volume => {
                for (id, _) in self.volumes.iter().filter(|(_, v)| v.deleted_at.is_none()) {
                    let v = match op {
                        // Naming no environment, the call acts on the volume itself.
                        Op::VolumeInstanceUpdate => json!({"volumeId": id, "input": {}}),
                        Op::VolumeUpdate => json!({"volumeId": id, "input": {}}),
                        _ => json!({"volumeId": id}),
                    };
                    push(id, v);
                }
            }
            K::VolumeInstance => {
                for (id, i) in self.instances.iter().filter(|(_, i)| !i.is_deleted()) {
                    let v = match op {
                        Op::VolumeInstance => json!({"id": id}),
                        Op::VolumeInstanceUpdate => json!({"volumeId": i.volume_id, "environmentId": i.environment_id, "input": {}}),
                        Op::VolumeInstanceBackupScheduleUpdate => json!({"volumeInstanceId": id, "kinds": []}),
                        _ => json!({"volumeInstanceId": id}),
                    };
                    push(id, v);
                }
            }
            K::Backup => {
                for (id, b) in &self.backups {
                    push(id, json!({"volumeInstanceBackupId": id, "volumeInstanceId": b.volume_instance_id}));
                }
            }
            K::CustomDomain => {
                for (id, d) in &self.custom_domains {
                    let v = match op {
                        Op::CustomDomain => json!({"id": id, "projectId": d.project_id}),
                        Op::CustomDomainUpdate => json!({"id": id, "environmentId": d.environment_id, "targetPort": 80}),
                        _ => json!({"id": id}),
                    };
                    push(id, v);
                }
            }
            K::ServiceDomain => {
                for id in self.service_domains.keys() {
                    push(id, json!({"id": id}));
                }
            }
            K::Variables => {
                for (eid, e) in &self.environments {
                    let p = &e.project_id;
                    let services = self.services.values().filter(|s| &s.project_id == p).map(|s| Some(&s.id));
                    for service in std::iter::once(None).chain(services) {
                        if op == Op::VariablesForServiceDeployment && service.is_none() {
                            continue;
                        }
                        let vars = self.variables.get(&crate::model::VariableScope {
                            project_id: p.clone(),
                            environment_id: eid.clone(),
                            service_id: service.cloned(),
                        });
                        // A delete names a variable: where there is none, there is nothing to name.
                        let name = match vars.and_then(|vars| vars.keys().next().cloned()) {
                            Some(name) => name,
                            None if op == Op::VariableDelete => continue,
                            None => "X".into(),
                        };
                        let id = service.map_or_else(|| eid.clone(), |s| format!("{eid}/{s}"));
                        let mut ids = json!({"projectId": p, "environmentId": eid});
                        if let (Some(s), Some(m)) = (service, ids.as_object_mut()) {
                            m.insert("serviceId".into(), json!(s));
                        }
                        let v = match op {
                            Op::Variables | Op::VariablesForServiceDeployment => ids,
                            Op::VariableUpsert => with(ids, json!({"name": name, "value": "x"})),
                            // The destructive reading: every variable of the scope goes.
                            Op::VariableCollectionUpsert => with(ids, json!({"variables": {}, "replace": true})),
                            _ => with(ids, json!({"name": name})),
                        };
                        let v = if matches!(op, Op::Variables | Op::VariablesForServiceDeployment) { v } else { json!({"input": v}) };
                        push(&id, v);
                    }
                }
            }
            K::ProjectToken | K::ApiToken => {
                for (id, t) in &self.tokens {
                    let project = matches!(t.kind, TokenKind::Project { .. });
                    if project == (kind == K::ProjectToken) {
                        push(id, json!({"id": id}));
                    }
                }
            }
            _ => {}
        }
        out
    }
}

/// `base` with the fields of `more` added.
fn with(mut base: Value, more: Value) -> Value {
    if let (Some(b), Value::Object(m)) = (base.as_object_mut(), more) {
        b.extend(m);
    }
    base
}

/// The GraphQL document that makes the call `op(arguments)`, as a client would write it, with
/// the arguments inline and the selection the field's type needs.
pub fn document(op: Op, arguments: &Map<String, Value>) -> String {
    let args: Vec<String> = arguments.iter().map(|(k, v)| format!("{k}: {}", literal(v))).collect();
    let args = if args.is_empty() { String::new() } else { format!("({})", args.join(", ")) };
    let selection = match op {
        Op::VolumeInstanceBackupDelete | Op::VolumeInstanceBackupRestore => " { workflowId }",
        _ => "",
    };
    let kind = if op.is_mutation() { "mutation" } else { "query" };
    format!("{kind} {{ {}{args}{selection} }}", op.name())
}

/// A JSON value as a GraphQL input literal.
fn literal(v: &Value) -> String {
    match v {
        Value::Object(m) => format!("{{{}}}", m.iter().map(|(k, v)| format!("{k}: {}", literal(v))).collect::<Vec<_>>().join(", ")),
        Value::Array(a) => format!("[{}]", a.iter().map(literal).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_targets::call_targets;
    use crate::{Profile, Provider};

    /// Each probe, rendered as a document, is read back by `call_targets` as the same call: the
    /// same operation, target and class, so a static answer and a sent request agree.
    #[test]
    fn every_probe_reads_back_as_the_call_it_describes() {
        let provider = Provider::demo(Profile::railway_2026_04()).unwrap();
        provider.with_state(|s| {
            let owner = s.tokens().values().find(|t| matches!(t.kind, TokenKind::Workspace { .. })).unwrap();
            let who = s.principal_of(owner);
            let mut seen = 0;
            for op in Op::ALL {
                for p in s.probes(*op) {
                    let doc = document(*op, &p.arguments);
                    let cts = call_targets(s, &who, &doc, None);
                    assert_eq!(cts.len(), 1, "{doc}");
                    let (target, class) = s.probe(&who, *op, &p.arguments);
                    assert_eq!(cts[0].op, Some(*op), "{doc}");
                    assert_eq!(cts[0].target, target, "{doc}");
                    assert_eq!(cts[0].class, class, "{doc}");
                    seen += 1;
                }
            }
            assert!(seen > 50, "{seen}");
        });
    }

    #[test]
    fn the_volume_delete_document_is_the_incident_call() {
        let args = obj(json!({"volumeId": "v1"}));
        assert_eq!(document(Op::VolumeDelete, &args), r#"mutation { volumeDelete(volumeId: "v1") }"#);
    }
}
