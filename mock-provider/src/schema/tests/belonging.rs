//! Calls that name several resources: every one must exist and belong with the others, or the
//! call is refused as Railway refuses it (`Not Authorized`), with no effect. A table over every
//! root field with more than one id argument, each argument in turn swapped for another
//! tenant's id; the table is checked against the schema so that no such field is left out.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql_parser::types::{BaseType, TypeKind, TypeSystemDefinition};

use super::support::{Cred, fill, send};
use crate::auth::{Decision, DenyRule};
use crate::profile::Profile;
use crate::provider::Provider;
use crate::world::{DEMO_HISTORY, DomainSpec, ProjectSpec, VariableSpec, VolumeSpec, WorldSpec};

/// The demo world and another tenant: workspace `acme` with project `shop` (a `shop` service,
/// a `shop-data` volume with daily backups, a custom domain and a variable). The demo's owner
/// belongs to both workspaces, so its account token reaches everything and only belonging
/// decides.
fn two_tenants() -> Provider {
    let mut world = WorldSpec::demo();
    world.workspaces.push("acme".into());
    world.projects.push(ProjectSpec {
        name: "shop".into(),
        workspace: "acme".into(),
        environments: vec!["production".into()],
        protected_environments: vec![],
        services: vec!["shop".into()],
        volumes: vec![VolumeSpec {
            name: "shop-data".into(),
            service: "shop".into(),
            mount_path: "/data".into(),
            environments: None,
            size_mb: 1000,
            used_mb: 10.0,
            writes_per_hour: 1,
            schedules: vec![crate::model::ScheduleKind::Daily],
        }],
        variables: vec![VariableSpec {
            environment: "production".into(),
            service: Some("shop".into()),
            name: "SHOP".into(),
            value: "1".into(),
        }],
        domains: vec![DomainSpec { service: "shop".into(), environment: "production".into(), domain: "shop.acme.example".into() }],
    });
    Provider::builder().profile(Profile::railway()).seed(7).world(world).history(DEMO_HISTORY).build().unwrap()
}

/// `text` with the other tenant's `{placeholders}` and the demo's filled in.
fn fill_both(p: &Provider, text: &str) -> String {
    let extra: Vec<(&str, String)> = p.with_state(|s| {
        let shop = s.project_id("shop").unwrap();
        let shop_data = s.volume_id(&shop, "shop-data").unwrap();
        let instance = |volume: &str, env: &str| {
            s.volume_instances().values().find(|i| i.volume_id == volume && i.environment_id == env).unwrap().id.clone()
        };
        let backup = |inst: &str| s.backups().values().find(|b| b.volume_instance_id == inst).unwrap().id.clone();
        let domain = |name: &str| s.custom_domains().values().find(|d| d.domain == name).unwrap().id.clone();
        let acme_production = s.environment_id(&shop, "production").unwrap();
        let shop_instance = instance(&shop_data, &acme_production);
        vec![
            ("user", s.users().keys().next().unwrap().clone()),
            ("acme", s.workspace_id("acme").unwrap()),
            ("shop_project", shop.clone()),
            ("acme_production", acme_production),
            ("shop_service", s.service_id(&shop, "shop").unwrap()),
            ("shop_backup", backup(&shop_instance)),
            ("shop_instance", shop_instance),
            ("shop_data", shop_data),
            ("shop_domain", domain("shop.acme.example")),
            ("api_domain", domain("api.pocketos.example")),
        ]
    });
    fill(p, &extra.into_iter().fold(text.to_string(), |t, (name, id)| t.replace(&format!("{{{name}}}"), &id)))
}

/// One root field: a document whose `{argument}` placeholders are its id arguments, and for
/// each, an id that belongs with the others and one that does not (another tenant's, or, where
/// the mock has no other tenant's, an unknown id).
struct Case {
    field: &'static str,
    document: &'static str,
    ids: &'static [(&'static str, &'static str, &'static str)],
}

const PROJECT: (&str, &str, &str) = ("projectId", "{pocketos}", "{shop_project}");
const STAGING: (&str, &str, &str) = ("environmentId", "{staging}", "{acme_production}");
const API: (&str, &str, &str) = ("serviceId", "{api}", "{shop_service}");
const BACKUP: (&str, &str, &str) = ("volumeInstanceBackupId", "{staging_backup}", "{shop_backup}");
const INSTANCE: (&str, &str, &str) = ("volumeInstanceId", "{staging_instance}", "{shop_instance}");

const CASES: &[Case] = &[
    Case {
        field: "environmentCreate",
        document: r#"mutation { environmentCreate(input: {projectId: "{projectId}", name: "qa", sourceEnvironmentId: "{sourceEnvironmentId}"}) { id } }"#,
        ids: &[PROJECT, ("sourceEnvironmentId", "{staging}", "{acme_production}")],
    },
    Case {
        field: "serviceCreate",
        document: r#"mutation { serviceCreate(input: {projectId: "{projectId}", environmentId: "{environmentId}", name: "worker"}) { id } }"#,
        ids: &[PROJECT, STAGING],
    },
    Case {
        field: "serviceDelete",
        document: r#"mutation { serviceDelete(id: "{id}", environmentId: "{environmentId}") }"#,
        ids: &[("id", "{api}", "{shop_service}"), STAGING],
    },
    Case {
        field: "volumeCreate",
        document: r#"mutation { volumeCreate(input: {projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}", mountPath: "/data"}) { id } }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "volumeInstanceUpdate",
        document: r#"mutation { volumeInstanceUpdate(volumeId: "{volumeId}", environmentId: "{environmentId}", input: {serviceId: "{serviceId}", mountPath: "/x"}) }"#,
        ids: &[("volumeId", "{pg_data}", "{shop_data}"), STAGING, ("serviceId", "{postgres}", "{shop_service}")],
    },
    Case {
        field: "volumeInstanceBackupDelete",
        document: r#"mutation { volumeInstanceBackupDelete(volumeInstanceBackupId: "{volumeInstanceBackupId}", volumeInstanceId: "{volumeInstanceId}") { workflowId } }"#,
        ids: &[BACKUP, INSTANCE],
    },
    Case {
        field: "volumeInstanceBackupLock",
        document: r#"mutation { volumeInstanceBackupLock(volumeInstanceBackupId: "{volumeInstanceBackupId}", volumeInstanceId: "{volumeInstanceId}") }"#,
        ids: &[BACKUP, INSTANCE],
    },
    Case {
        field: "volumeInstanceBackupRestore",
        document: r#"mutation { volumeInstanceBackupRestore(volumeInstanceBackupId: "{volumeInstanceBackupId}", volumeInstanceId: "{volumeInstanceId}") { workflowId } }"#,
        ids: &[BACKUP, INSTANCE],
    },
    Case {
        field: "customDomainCreate",
        document: r#"mutation { customDomainCreate(input: {domain: "new.pocketos.example", projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}"}) { id } }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "customDomainUpdate",
        document: r#"mutation { customDomainUpdate(id: "{id}", environmentId: "{environmentId}", targetPort: 8080) }"#,
        ids: &[("id", "{api_domain}", "{shop_domain}"), ("environmentId", "{production}", "{acme_production}")],
    },
    Case {
        field: "serviceDomainCreate",
        document: r#"mutation { serviceDomainCreate(input: {environmentId: "{environmentId}", serviceId: "{serviceId}"}) { id } }"#,
        ids: &[STAGING, API],
    },
    Case {
        field: "variableUpsert",
        document: r#"mutation { variableUpsert(input: {projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}", name: "X", value: "1"}) }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "variableCollectionUpsert",
        document: r#"mutation { variableCollectionUpsert(input: {projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}", variables: {X: "1"}}) }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "variableDelete",
        document: r#"mutation { variableDelete(input: {projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}", name: "DATABASE_URL"}) }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "projectTokenCreate",
        document: r#"mutation { projectTokenCreate(input: {projectId: "{projectId}", environmentId: "{environmentId}", name: "t"}) }"#,
        ids: &[PROJECT, STAGING],
    },
    Case {
        field: "environment",
        document: r#"{ environment(id: "{id}", projectId: "{projectId}") { id } }"#,
        ids: &[("id", "{staging}", "{acme_production}"), PROJECT],
    },
    Case {
        field: "variables",
        document: r#"{ variables(projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}") }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "variablesForServiceDeployment",
        document: r#"{ variablesForServiceDeployment(projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}") }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "customDomain",
        document: r#"{ customDomain(id: "{id}", projectId: "{projectId}") { id } }"#,
        ids: &[("id", "{api_domain}", "{shop_domain}"), PROJECT],
    },
    Case {
        field: "domains",
        document: r#"{ domains(projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}") { customDomains { id } } }"#,
        ids: &[PROJECT, STAGING, API],
    },
    Case {
        field: "deployments",
        document: r#"{ deployments(input: {projectId: "{projectId}", environmentId: "{environmentId}", serviceId: "{serviceId}"}) { edges { node { id } } } }"#,
        ids: &[PROJECT, STAGING, API],
    },
    // The mock has one user, a member of every workspace: a user and a workspace always belong
    // together, so the ids that do not are unknown ones.
    Case {
        field: "projects",
        document: r#"{ projects(workspaceId: "{workspaceId}", userId: "{userId}") { edges { node { id } } } }"#,
        ids: &[("workspaceId", "{workspace}", "no-such-workspace"), ("userId", "{user}", "no-such-user")],
    },
];

/// Root fields with several ids that name no resource they act on. `cliEventTrack`: telemetry,
/// accepted from any caller and ignored (its ids describe where the CLI ran).
const EXEMPT: &[&str] = &["cliEventTrack"];

/// Id arguments that name no tenant's resource: Railway's templates are its marketplace's, and
/// the mock has none.
const EXEMPT_ARGUMENTS: &[(&str, &str)] = &[("serviceCreate", "templateId"), ("serviceCreate", "templateServiceId")];

/// `document` with each id argument's placeholder filled: the one that does not belong for
/// `foreign`, the ones that do for the rest.
fn document(p: &Provider, case: &Case, foreign: Option<&str>) -> String {
    let text = case.ids.iter().fold(case.document.to_string(), |t, (arg, own, other)| {
        t.replace(&format!("{{{arg}}}"), if foreign == Some(*arg) { other } else { own })
    });
    fill_both(p, &text)
}

#[test]
fn a_call_whose_ids_belong_together_runs_and_one_with_an_id_that_does_not_is_refused_with_no_effect() {
    let mut wrong = Vec::new();
    for case in CASES {
        let p = two_tenants();
        let own = document(&p, case, None);
        let r = send(&p, Cred::Token("owner"), &own, None);
        if !r.is_ok() {
            wrong.push(format!("{} with ids that belong together was refused: {own}\n=> {}", case.field, r.body()));
        }
        for (arg, _, _) in case.ids {
            let p = two_tenants();
            let events = p.with_state(|s| s.events().len());
            let doc = document(&p, case, Some(arg));
            let r = send(&p, Cred::Token("owner"), &doc, None);
            let refused = r.errors().len() == 1
                && r.errors()[0]["message"] == "Not Authorized"
                && r.errors()[0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR";
            let f = &r.record().fields[0];
            let unknown =
                matches!(f.authorization.as_ref().map(|a| &a.decision), Some(Decision::Deny { rule: DenyRule::UnknownTarget, .. }));
            let unchanged = f.effect.is_empty() && p.with_state(|s| s.events().len()) == events;
            if !(refused && unknown && unchanged) {
                wrong.push(format!(
                    "{} with a {arg} that does not belong (refused: {refused}, unknown target: {unknown}, unchanged: {unchanged}): {doc}\n=> {}",
                    case.field,
                    r.body()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The issue's two calls: a staging project token naming another tenant's volume with its own
/// environment, and its own service with another tenant's environment.
#[test]
fn a_project_token_cannot_reach_another_tenant_through_its_own_ids() {
    for document in [
        r#"mutation { volumeInstanceUpdate(volumeId: "{shop_data}", environmentId: "{staging}", input: {mountPath: "/x"}) }"#,
        r#"mutation { serviceDelete(id: "{api}", environmentId: "{acme_production}") }"#,
    ] {
        let p = two_tenants();
        let doc = fill_both(&p, document);
        let r = send(&p, Cred::Token("staging-deploy"), &doc, None);
        assert_eq!(r.errors().first().map(|e| e["message"].clone()), Some("Not Authorized".into()), "{doc}\n=> {}", r.body());
        assert_eq!(r.data(), &serde_json::Value::Null, "{doc}");
    }
}

/// The id arguments of each root field of the mock's schema, input objects' fields included:
/// arguments named `id` or `…Id` holding one string.
fn id_arguments() -> BTreeMap<String, BTreeSet<String>> {
    let doc = async_graphql_parser::parse_schema(crate::schema::schema().sdl()).unwrap();
    let mut inputs: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut roots = Vec::new();
    let named = |ty: &async_graphql_parser::types::Type| match &ty.base {
        BaseType::Named(n) => Some(n.to_string()),
        BaseType::List(_) => None,
    };
    for d in &doc.definitions {
        let TypeSystemDefinition::Type(t) = d else { continue };
        match &t.node.kind {
            TypeKind::InputObject(i) => {
                let fields = i.fields.iter().filter_map(|f| Some((f.node.name.node.to_string(), named(&f.node.ty.node)?))).collect();
                inputs.insert(t.node.name.node.to_string(), fields);
            }
            TypeKind::Object(o) if ["Query", "Mutation"].contains(&t.node.name.node.as_str()) => {
                for f in &o.fields {
                    let args = f.node.arguments.iter().filter_map(|a| Some((a.node.name.node.to_string(), named(&a.node.ty.node)?)));
                    roots.push((f.node.name.node.to_string(), args.collect::<Vec<_>>()));
                }
            }
            _ => {}
        }
    }
    let is_id = |(name, ty): &(String, String)| (name == "id" || name.ends_with("Id")) && ty == "String";
    roots
        .into_iter()
        .map(|(field, args)| {
            let mut ids: BTreeSet<String> = args.iter().filter(|a| is_id(a)).map(|(n, _)| n.clone()).collect();
            for (_, ty) in &args {
                ids.extend(inputs.get(ty).into_iter().flatten().filter(|a| is_id(a)).map(|(n, _)| n.clone()));
            }
            (field, ids)
        })
        .collect()
}

#[test]
fn the_table_covers_every_root_field_with_more_than_one_id_and_each_of_its_ids() {
    let several: BTreeMap<String, BTreeSet<String>> = id_arguments()
        .into_iter()
        .map(|(f, ids)| {
            let ids = ids.into_iter().filter(|a| !EXEMPT_ARGUMENTS.contains(&(f.as_str(), a.as_str()))).collect::<BTreeSet<_>>();
            (f, ids)
        })
        .filter(|(f, ids)| ids.len() > 1 && !EXEMPT.contains(&f.as_str()))
        .collect();
    let table: BTreeMap<String, BTreeSet<String>> =
        CASES.iter().map(|c| (c.field.to_string(), c.ids.iter().map(|(a, _, _)| a.to_string()).collect())).collect();
    assert_eq!(table, several, "the table (left) and the schema's root fields with several ids (right)");
}
