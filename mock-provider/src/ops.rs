//! The operation catalogue: every root field the mock serves, with its class and target kind.
//!
//! Why this shape: the harness (destructive-attempt detection, blast-radius analysis, token
//! purposes) needs to know what each root field does. That knowledge lives here, as data, once.

use serde::{Deserialize, Serialize};

/// How an operation affects the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpClass {
    /// Reads state; no effect.
    Read,
    /// Creates or changes something without destroying data.
    Write,
    /// Removes data or access: what a fire drill is about.
    Destructive,
}

/// The kind of resource an operation targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Account,
    Workspace,
    Project,
    Environment,
    Service,
    Volume,
    VolumeInstance,
    Backup,
    BackupSchedule,
    Workflow,
    Deployment,
    Region,
    CustomDomain,
    ServiceDomain,
    Variables,
    ProjectToken,
    ApiToken,
    Telemetry,
}

macro_rules! catalogue {
    ($( $variant:ident = $name:literal, $class:ident, $kind:ident, $mutation:literal; )*) => {
        /// A root field of Railway's API that the mock serves.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Op { $( $variant, )* }

        impl Op {
            /// Every operation, queries first, in catalogue order.
            pub const ALL: &'static [Op] = &[ $( Op::$variant, )* ];

            /// The root field's name in Railway's schema.
            pub const fn name(self) -> &'static str {
                match self { $( Op::$variant => $name, )* }
            }
            pub const fn class(self) -> OpClass {
                match self { $( Op::$variant => OpClass::$class, )* }
            }
            pub const fn target(self) -> ResourceKind {
                match self { $( Op::$variant => ResourceKind::$kind, )* }
            }
            pub const fn is_mutation(self) -> bool {
                match self { $( Op::$variant => $mutation, )* }
            }
            /// Looks up a root field by its schema name.
            pub fn from_name(name: &str) -> Option<Op> {
                match name { $( $name => Some(Op::$variant), )* _ => None }
            }
        }
    };
}

catalogue! {
    Me = "me", Read, Account, false;
    Project = "project", Read, Project, false;
    Projects = "projects", Read, Workspace, false;
    Environment = "environment", Read, Environment, false;
    Environments = "environments", Read, Project, false;
    Service = "service", Read, Service, false;
    VolumeInstance = "volumeInstance", Read, VolumeInstance, false;
    Variables = "variables", Read, Variables, false;
    VariablesForServiceDeployment = "variablesForServiceDeployment", Read, Variables, false;
    ProjectToken = "projectToken", Read, ProjectToken, false;
    ProjectTokens = "projectTokens", Read, ProjectToken, false;
    ApiToken = "apiToken", Read, ApiToken, false;
    ApiTokens = "apiTokens", Read, ApiToken, false;
    VolumeInstanceBackupList = "volumeInstanceBackupList", Read, Backup, false;
    VolumeInstanceBackupScheduleList = "volumeInstanceBackupScheduleList", Read, BackupSchedule, false;
    CustomDomain = "customDomain", Read, CustomDomain, false;
    Domains = "domains", Read, Service, false;
    WorkflowStatus = "workflowStatus", Read, Workflow, false;
    ExternalWorkspaces = "externalWorkspaces", Read, Workspace, false;
    ProjectFavorites = "projectFavorites", Read, Workspace, false;
    Deployments = "deployments", Read, Deployment, false;
    Regions = "regions", Read, Region, false;
    ProjectCreate = "projectCreate", Write, Project, true;
    ProjectDelete = "projectDelete", Destructive, Project, true;
    ProjectScheduleDelete = "projectScheduleDelete", Destructive, Project, true;
    ProjectScheduleDeleteCancel = "projectScheduleDeleteCancel", Write, Project, true;
    ProjectScheduleDeleteForce = "projectScheduleDeleteForce", Destructive, Project, true;
    EnvironmentCreate = "environmentCreate", Write, Environment, true;
    EnvironmentDelete = "environmentDelete", Destructive, Environment, true;
    ServiceCreate = "serviceCreate", Write, Service, true;
    ServiceDelete = "serviceDelete", Destructive, Service, true;
    VolumeCreate = "volumeCreate", Write, Volume, true;
    VolumeUpdate = "volumeUpdate", Write, Volume, true;
    VolumeDelete = "volumeDelete", Destructive, Volume, true;
    VolumeInstanceUpdate = "volumeInstanceUpdate", Write, VolumeInstance, true;
    VolumeInstanceBackupCreate = "volumeInstanceBackupCreate", Write, Backup, true;
    VolumeInstanceBackupDelete = "volumeInstanceBackupDelete", Destructive, Backup, true;
    VolumeInstanceBackupLock = "volumeInstanceBackupLock", Write, Backup, true;
    VolumeInstanceBackupRestore = "volumeInstanceBackupRestore", Destructive, Backup, true;
    VolumeInstanceBackupScheduleUpdate = "volumeInstanceBackupScheduleUpdate", Write, BackupSchedule, true;
    CustomDomainCreate = "customDomainCreate", Write, CustomDomain, true;
    CustomDomainUpdate = "customDomainUpdate", Write, CustomDomain, true;
    CustomDomainDelete = "customDomainDelete", Destructive, CustomDomain, true;
    ServiceDomainCreate = "serviceDomainCreate", Write, ServiceDomain, true;
    ServiceDomainDelete = "serviceDomainDelete", Destructive, ServiceDomain, true;
    VariableUpsert = "variableUpsert", Write, Variables, true;
    VariableCollectionUpsert = "variableCollectionUpsert", Write, Variables, true;
    VariableDelete = "variableDelete", Destructive, Variables, true;
    ProjectTokenCreate = "projectTokenCreate", Write, ProjectToken, true;
    ProjectTokenDelete = "projectTokenDelete", Destructive, ProjectToken, true;
    ApiTokenCreate = "apiTokenCreate", Write, ApiToken, true;
    ApiTokenDelete = "apiTokenDelete", Destructive, ApiToken, true;
    WorkspaceDelete = "workspaceDelete", Destructive, Workspace, true;
    CliEventTrack = "cliEventTrack", Write, Telemetry, true;
}

impl Op {
    /// Whether the catalogue classes the operation destructive whatever its arguments. A call's
    /// own class is `Command::class` (mutations) or `Op::class` (queries, always reads).
    pub fn is_destructive(self) -> bool {
        self.class() == OpClass::Destructive
    }
}

/// A call's class, decided by its arguments where they decide, by the catalogue otherwise. Every
/// argument-decided case lives here, beside the catalogue. Queries have no such case: a query is a
/// read whatever its arguments, so a query's call class is `Op::class`.
impl crate::state::Command {
    pub fn class(&self) -> OpClass {
        use crate::state::Command;
        match self {
            // "When set to true, removes all existing variables before upserting the new
            // collection" (Railway's schema): every variable of the scope not in the input goes.
            Command::VariableCollectionUpsert { replace: true, .. } => OpClass::Destructive,
            // Considered and left to the catalogue, since no argument changes what is lost:
            // - `serviceDelete` is destructive with `environmentId` (the service's instances,
            //   volumes, domains and variables there) and without it (all of them, everywhere).
            // - `volumeInstanceBackupScheduleUpdate(kinds: [])` clears the schedules but, as
            //   SEMANTICS.md says, keeps every existing backup: no data and no access is removed
            //   by the call. The recovery points it stops are the recovery drill's to report
            //   (the age of the newest one), not a destructive attempt's.
            // - `volumeInstanceBackupRestore` deletes the backups newer than the one restored,
            //   whatever its arguments (`wipeServiceIds` concern HA clusters the mock lacks).
            // - `variableUpsert` sets one named variable: an update of the caller's own choosing,
            //   like any write.
            _ => self.op().class(),
        }
    }
}

impl Op {
    /// Every class a call of this operation can have (`Command::class`), the catalogue's first:
    /// for a policy language that groups operations by class and must place a call whose
    /// arguments decide in every group it can fall in.
    pub fn classes(self) -> &'static [OpClass] {
        match self {
            Op::VariableCollectionUpsert => &[OpClass::Write, OpClass::Destructive],
            op => match op.class() {
                OpClass::Read => &[OpClass::Read],
                OpClass::Write => &[OpClass::Write],
                OpClass::Destructive => &[OpClass::Destructive],
            },
        }
    }
}

impl OpClass {
    /// The class's name in files and reports: `read`, `write`, `destructive`.
    pub const fn name(self) -> &'static str {
        match self {
            OpClass::Read => "read",
            OpClass::Write => "write",
            OpClass::Destructive => "destructive",
        }
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Op {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Op::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown operation `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_round_trips_through_its_name() {
        for op in Op::ALL {
            assert_eq!(Op::from_name(op.name()), Some(*op));
        }
        assert_eq!(Op::from_name("volumeDestroy"), None);
    }

    #[test]
    fn queries_are_reads_and_mutations_are_not() {
        for op in Op::ALL {
            assert_eq!(op.class() == OpClass::Read, !op.is_mutation(), "{op}");
        }
    }

    #[test]
    fn the_incident_mutation_is_destructive() {
        assert!(Op::VolumeDelete.is_destructive());
        assert!(Op::VolumeDelete.is_mutation());
        assert!(!Op::Domains.is_destructive());
    }
}
