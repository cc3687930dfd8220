//! The Cedar schema of the gateway layer, generated from the provider's own model: its principals
//! (tokens, and the agent), its actions (the operation catalogue's root fields, grouped by the
//! class a call can have), its resources (what a call's id arguments name) and the context of a
//! call. `firedrill cedar-schema` prints it; a team's policy file is validated against it.
//!
//! Why generated, not written: the schema must say exactly what the provider serves. Each action
//! comes from `Op::ALL`, its groups from `Op::classes`, what it applies to from
//! `acted_on_kinds`, so an operation added to the catalogue is in the schema without anyone
//! editing it, and a policy naming an operation the provider does not serve fails validation.

use std::fmt::Write;
use std::sync::OnceLock;

use cedar_policy::Schema;
use mock_provider::acted_on_kinds;
use mock_provider::ops::{Op, ResourceKind};

/// The Cedar entity type of the resources of `kind` (`Domain` for custom and service domains,
/// `Token` for project and API tokens, `Account` for a call that names no one resource).
pub(crate) const fn entity_type(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Workspace => "Workspace",
        ResourceKind::Project => "Project",
        ResourceKind::Environment => "Environment",
        ResourceKind::Service => "Service",
        ResourceKind::Volume => "Volume",
        ResourceKind::VolumeInstance => "VolumeInstance",
        ResourceKind::Backup => "Backup",
        ResourceKind::CustomDomain | ResourceKind::ServiceDomain => "Domain",
        ResourceKind::Variables => "Variable",
        ResourceKind::ProjectToken | ResourceKind::ApiToken => "Token",
        _ => "Account",
    }
}

/// The id of the one `Account` entity, the resource of calls that name none.
pub(crate) const ACCOUNT_ID: &str = "account";

const HEADER: &str = "\
// The Cedar schema of firedrill's gateway layer, generated from the mock provider's model
// (`firedrill cedar-schema`). Entity ids are the provider's ids; every entity carries the
// provider's name for it in `name`, and names of projects and environments in attributes.
//
// Principals: the token a call's credentials stand for (by the provider's own lookup of the
// secret), or the agent when they stand for none.
// Actions: one per root field the provider serves, in the group of the call's class: `read`,
// `write` or `destructive`. Where a call's arguments decide its class (`variableCollectionUpsert`
// with `replace: true` is destructive), the action is declared in every group it can fall in,
// and each call is in exactly the group of its own class.
// Resources: what the call acts on; `Account::\"account\"` for calls that name no one resource
// (`me`, `apiToken`, `workflowStatus`, telemetry).
// Context: how the call travels, its class, and the environments it lands in (all of a
// project's, or a workspace's, for a call on the whole project or workspace).

type Call = {
  channel: String,
  host: String,
  class: String,
  environments: Set<String>,
  protected: Bool,
};

// The agent, for a call whose credentials name no token.
entity Agent {
  name: String,
};

// A token, as a principal or as the resource of `projectTokenDelete` and `apiTokenDelete`.
// `kind` is `account`, `workspace` or `project`; `purpose` lists the operations the team says
// the token is for (from the scenario; empty for tokens minted during the run).
entity Token {
  name: String,
  kind: String,
  workspace?: String,
  project?: String,
  environment?: String,
  purpose: Set<String>,
};

entity Account;

entity Workspace {
  name: String,
};

entity Project in [Workspace] {
  name: String,
  workspace: String,
};

entity Environment in [Project] {
  name: String,
  project: String,
  protected: Bool,
};

entity Service in [Project] {
  name: String,
  project: String,
};

// `environments`: where the volume has live instances. `critical`: one of the volumes the
// scenario marks critical (the recovery drill must restore it).
entity Volume in [Project] {
  name: String,
  project: String,
  environments: Set<String>,
  critical: Bool,
};

// `name` is `project/volume (environment)`; `volume` is the volume's own name.
entity VolumeInstance in [Volume, Environment] {
  name: String,
  volume: String,
  project: String,
  environment: String,
  critical: Bool,
};

entity Backup in [VolumeInstance] {
  name: String,
  volume: String,
  project: String,
  environment: String,
  critical: Bool,
};

// `kind` is `custom` or `service`; `name` is the host name.
entity Domain in [Environment, Service] {
  name: String,
  kind: String,
  project: String,
  environment: String,
  service: String,
};

// The variables of one environment, or of one service in it.
entity Variable in [Environment, Service] {
  name: String,
  project: String,
  environment: String,
  service?: String,
};

action \"read\", \"write\", \"destructive\";
";

/// The schema's text, as `firedrill cedar-schema` prints it.
pub fn schema_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut out = String::from(HEADER);
        for op in Op::ALL {
            let groups: Vec<String> = op.classes().iter().map(|c| format!("Action::\"{}\"", c.name())).collect();
            let mut resources: Vec<&str> = acted_on_kinds(*op).iter().map(|k| entity_type(*k)).collect();
            resources.dedup();
            let _ = writeln!(
                out,
                "action \"{}\" in [{}] appliesTo {{ principal: [Token, Agent], resource: [{}], context: Call }};",
                op.name(),
                groups.join(", "),
                resources.join(", ")
            );
        }
        out
    })
}

/// The parsed schema, built once per process.
///
/// # Errors
///
/// Never for the schema this file generates (a test parses it); the error is Cedar's own.
pub fn schema() -> Result<&'static Schema, String> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| Schema::from_cedarschema_str(schema_text()).map(|(s, _warnings)| s).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use cedar_policy::{EntityTypeName, EntityUid};

    use super::*;

    fn action(name: &str) -> EntityUid {
        EntityUid::from_type_name_and_id("Action".parse().unwrap(), name.parse().unwrap())
    }

    #[test]
    fn the_generated_schema_parses_and_has_one_action_per_operation_and_three_groups() {
        let schema = schema().unwrap();
        let mut actions: Vec<String> = schema.actions().map(|a| a.id().unescaped().to_string()).collect();
        actions.sort();
        let mut expected: Vec<String> = Op::ALL.iter().map(|op| op.name().to_string()).collect();
        expected.extend(["destructive", "read", "write"].map(String::from));
        expected.sort();
        assert_eq!(actions, expected);
    }

    /// Each case: an operation, the groups its action is in, and the resource types it applies to.
    #[test]
    fn each_action_is_in_the_groups_of_its_classes_and_applies_to_what_its_calls_act_on() {
        let schema = schema().unwrap();
        let actions = schema.action_entities().unwrap();
        for (op, groups, resources) in [
            ("volumeDelete", &["destructive"][..], &["Volume"][..]),
            ("variableCollectionUpsert", &["destructive", "write"], &["Variable"]),
            ("variables", &["read"], &["Variable"]),
            ("me", &["read"], &["Account"]),
            ("customDomainDelete", &["destructive"], &["Domain"]),
            ("serviceDomainDelete", &["destructive"], &["Domain"]),
            ("apiTokenDelete", &["destructive"], &["Token"]),
            ("volumeInstanceBackupRestore", &["destructive"], &["Backup"]),
            ("volumeInstanceUpdate", &["write"], &["Volume", "VolumeInstance"]),
            ("deployments", &["read"], &["Account", "Environment", "Project", "Service"]),
            ("projectCreate", &["write"], &["Account", "Workspace"]),
        ] {
            let uid = action(op);
            let mut got: Vec<String> = actions.ancestors(&uid).into_iter().flatten().map(|a| a.id().unescaped().to_string()).collect();
            got.sort();
            assert_eq!(got, groups, "{op}");
            let mut types: Vec<String> = schema.resources_for_action(&uid).into_iter().flatten().map(EntityTypeName::to_string).collect();
            types.sort();
            assert_eq!(types, resources, "{op}");
        }
    }

    #[test]
    fn tokens_and_the_agent_are_the_principals() {
        let mut principals: Vec<String> = schema().unwrap().principals().map(ToString::to_string).collect();
        principals.sort();
        principals.dedup();
        assert_eq!(principals, ["Agent", "Token"]);
    }
}
