//! Railway's input objects, every field included: a field the mock ignores must still be
//! accepted, or a real client's request fails validation before it reaches a resolver.

use async_graphql::{InputObject, MaybeUndefined};

use super::enums::{DeploymentStatus, PublicRuntime, VolumeState};
use super::scalars::EnvironmentVariables;

#[derive(InputObject, Debug)]
pub struct ProjectCreateRepo {
    pub branch: String,
    pub full_repo_name: String,
}

#[derive(InputObject, Debug)]
pub struct ProjectCreateInput {
    pub default_environment_name: Option<String>,
    pub description: Option<String>,
    pub is_monorepo: Option<bool>,
    pub is_public: Option<bool>,
    pub name: Option<String>,
    pub pr_deploys: Option<bool>,
    pub repo: Option<ProjectCreateRepo>,
    pub runtime: Option<PublicRuntime>,
    pub workspace_id: Option<String>,
}

#[derive(InputObject, Debug)]
pub struct EnvironmentCreateInput {
    pub apply_changes_in_background: Option<bool>,
    pub ephemeral: Option<bool>,
    pub name: String,
    pub project_id: String,
    pub skip_initial_deploys: Option<bool>,
    pub source_environment_id: Option<String>,
    pub stage_initial_changes: Option<bool>,
}

#[derive(InputObject, Debug)]
pub struct RegistryCredentialsInput {
    pub password: String,
    pub username: String,
}

#[derive(InputObject, Debug)]
pub struct ServiceSourceInput {
    pub image: Option<String>,
    pub repo: Option<String>,
}

#[derive(InputObject, Debug)]
pub struct ServiceCreateInput {
    pub branch: Option<String>,
    pub environment_id: Option<String>,
    pub icon: Option<String>,
    pub name: Option<String>,
    pub project_id: String,
    pub registry_credentials: Option<RegistryCredentialsInput>,
    pub source: Option<ServiceSourceInput>,
    pub template_id: Option<String>,
    pub template_service_id: Option<String>,
    pub variables: Option<EnvironmentVariables>,
}

#[derive(InputObject, Debug)]
pub struct VolumeCreateInput {
    // Omitted: every environment of the project; explicit `null`: none (Railway's rule).
    pub environment_id: MaybeUndefined<String>,
    pub mount_path: String,
    pub project_id: String,
    pub region: Option<String>,
    pub service_id: Option<String>,
}

#[derive(InputObject, Debug)]
pub struct VolumeUpdateInput {
    pub name: Option<String>,
}

#[derive(InputObject, Debug)]
pub struct VolumeInstanceUpdateInput {
    pub mount_path: Option<String>,
    pub service_id: Option<String>,
    // Accepted and ignored: state moves only through the provider's own regimes.
    pub state: Option<VolumeState>,
}

#[derive(InputObject, Debug)]
pub struct CustomDomainCreateInput {
    pub domain: String,
    pub environment_id: String,
    pub project_id: String,
    pub service_id: String,
    pub target_port: Option<i32>,
}

#[derive(InputObject, Debug)]
pub struct ServiceDomainCreateInput {
    pub environment_id: String,
    pub service_id: String,
    pub target_port: Option<i32>,
}

#[derive(InputObject, Debug)]
pub struct VariableUpsertInput {
    pub environment_id: String,
    pub name: String,
    pub project_id: String,
    pub service_id: Option<String>,
    #[graphql(default_with = "Some(false)")]
    pub skip_deploys: Option<bool>,
    pub value: String,
}

#[derive(InputObject, Debug)]
pub struct VariableCollectionUpsertInput {
    pub environment_id: String,
    pub project_id: String,
    // `true` removes every existing variable of the scope first.
    #[graphql(default_with = "Some(false)")]
    pub replace: Option<bool>,
    pub service_id: Option<String>,
    #[graphql(default_with = "Some(false)")]
    pub skip_deploys: Option<bool>,
    pub variables: EnvironmentVariables,
}

#[derive(InputObject, Debug)]
pub struct VariableDeleteInput {
    pub environment_id: String,
    pub name: String,
    pub project_id: String,
    pub service_id: Option<String>,
}

// Which deployments `deployments(input:)` lists; every field narrows the list.
#[derive(InputObject, Debug)]
pub struct DeploymentListInput {
    pub environment_id: Option<String>,
    pub include_deleted: Option<bool>,
    pub project_id: Option<String>,
    pub service_id: Option<String>,
    pub status: Option<DeploymentStatusInput>,
}

#[derive(InputObject, Debug)]
pub struct DeploymentStatusInput {
    #[graphql(name = "in")]
    pub any_of: Option<Vec<DeploymentStatus>>,
    pub not_in: Option<Vec<DeploymentStatus>>,
}

#[derive(InputObject, Debug)]
pub struct ProjectTokenCreateInput {
    pub environment_id: String,
    pub name: String,
    pub project_id: String,
}

#[derive(InputObject, Debug)]
pub struct ApiTokenCreateInput {
    pub name: String,
    pub workspace_id: Option<String>,
}

// The CLI's telemetry; accepted from anyone and dropped.
#[derive(InputObject, Debug)]
pub struct CliEventTrackInput {
    pub agent_session_id: Option<String>,
    pub arch: String,
    pub caller: Option<String>,
    pub cli_version: String,
    pub command: String,
    pub duration_ms: i32,
    pub environment_id: Option<String>,
    pub error_class: Option<String>,
    pub error_message: Option<String>,
    pub install_request_id: Option<String>,
    pub is_ci: bool,
    pub os: String,
    pub project_id: Option<String>,
    pub service_id: Option<String>,
    pub session_id: Option<String>,
    pub sub_command: Option<String>,
    pub success: bool,
    pub workspace_id: Option<String>,
}
