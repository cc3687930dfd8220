//! The root `Mutation`: each field translates its arguments into one `Command` and runs it
//! through `RequestCtx::mutate`, which authorizes, applies and audits.

use async_graphql::{Context, MaybeUndefined, Object};

use super::enums::ScheduleKind;
use super::inputs::*;
use super::objects::*;
use super::req;
use crate::model::Id;
use crate::state::{Command, Outcome, Placement, State};

pub struct Mutation;

// `Boolean!` results: a command either reports its flag or succeeded.
fn flag(o: Outcome) -> bool {
    match o {
        Outcome::Bool(b) => b,
        _ => true,
    }
}

fn unexpected(o: &Outcome) -> async_graphql::Error {
    async_graphql::Error::new(format!("the provider answered with an unexpected outcome: {o:?}"))
}

fn created_id(o: Outcome) -> async_graphql::Result<Id> {
    match o {
        Outcome::Created(_, id) => Ok(id),
        other => Err(unexpected(&other)),
    }
}

fn workflow(o: Outcome) -> async_graphql::Result<WorkflowId> {
    match o {
        Outcome::WorkflowId(id) => Ok(WorkflowId { workflow_id: Some(id) }),
        other => Err(unexpected(&other)),
    }
}

fn secret(o: Outcome) -> async_graphql::Result<String> {
    match o {
        Outcome::Secret(s) => Ok(s),
        other => Err(unexpected(&other)),
    }
}

// Runs `cmd` and reads back the record it created.
fn create<T>(ctx: &Context<'_>, cmd: Command, kind: &str, read: impl FnOnce(&State, &Id) -> Option<T>) -> async_graphql::Result<T> {
    let r = req(ctx)?;
    let id = created_id(r.mutate(ctx, cmd)?)?;
    r.state(|s| read(s, &id)).ok_or_else(|| missing(kind, &id))
}

fn run(ctx: &Context<'_>, cmd: Command) -> async_graphql::Result<bool> {
    Ok(flag(req(ctx)?.mutate(ctx, cmd)?))
}

#[Object]
impl Mutation {
    async fn project_create(&self, ctx: &Context<'_>, input: ProjectCreateInput) -> async_graphql::Result<ProjectObj> {
        let cmd = Command::ProjectCreate {
            name: input.name,
            description: input.description,
            workspace_id: input.workspace_id,
            default_environment_name: input.default_environment_name,
        };
        create(ctx, cmd, "Project", |s, id| s.projects().get(id).cloned().map(ProjectObj))
    }

    // Immediate and permanent.
    async fn project_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ProjectDelete { id })
    }

    // Deletes the project after the profile's grace window (48 h on Railway).
    async fn project_schedule_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ProjectScheduleDelete { id })
    }

    async fn project_schedule_delete_cancel(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ProjectScheduleDeleteCancel { id })
    }

    async fn project_schedule_delete_force(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ProjectScheduleDeleteForce { id })
    }

    async fn environment_create(&self, ctx: &Context<'_>, input: EnvironmentCreateInput) -> async_graphql::Result<EnvironmentObj> {
        let cmd = Command::EnvironmentCreate {
            project_id: input.project_id,
            name: input.name,
            source_environment_id: input.source_environment_id,
        };
        create(ctx, cmd, "Environment", |s, id| s.environments().get(id).cloned().map(EnvironmentObj))
    }

    async fn environment_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::EnvironmentDelete { id })
    }

    async fn service_create(&self, ctx: &Context<'_>, input: ServiceCreateInput) -> async_graphql::Result<ServiceObj> {
        let cmd = Command::ServiceCreate { project_id: input.project_id, name: input.name, environment_id: input.environment_id };
        create(ctx, cmd, "Service", |s, id| s.services().get(id).cloned().map(ServiceObj))
    }

    // Without `environmentId`, the service goes from every environment.
    async fn service_delete(&self, ctx: &Context<'_>, environment_id: Option<String>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ServiceDelete { id, environment_id })
    }

    // `environmentId` omitted: an instance in every environment; explicit `null`: none.
    async fn volume_create(&self, ctx: &Context<'_>, input: VolumeCreateInput) -> async_graphql::Result<VolumeObj> {
        let placement = match input.environment_id {
            MaybeUndefined::Undefined => Placement::AllEnvironments,
            MaybeUndefined::Null => Placement::NoEnvironment,
            MaybeUndefined::Value(e) => Placement::Environment(e),
        };
        let cmd =
            Command::VolumeCreate { project_id: input.project_id, placement, service_id: input.service_id, mount_path: input.mount_path };
        create(ctx, cmd, "Volume", |s, id| s.volumes().get(id).cloned().map(VolumeObj))
    }

    async fn volume_update(&self, ctx: &Context<'_>, input: VolumeUpdateInput, volume_id: String) -> async_graphql::Result<VolumeObj> {
        let cmd = Command::VolumeUpdate { volume_id, name: input.name };
        create(ctx, cmd, "Volume", |s, id| s.volumes().get(id).cloned().map(VolumeObj))
    }

    // The incident's mutation: takes the project-level id, so it hits every environment.
    async fn volume_delete(&self, ctx: &Context<'_>, volume_id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::VolumeDelete { volume_id })
    }

    async fn volume_instance_update(
        &self,
        ctx: &Context<'_>,
        environment_id: Option<String>,
        input: VolumeInstanceUpdateInput,
        volume_id: String,
    ) -> async_graphql::Result<bool> {
        run(ctx, Command::VolumeInstanceUpdate { volume_id, environment_id, mount_path: input.mount_path, service_id: input.service_id })
    }

    async fn volume_instance_backup_create(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        volume_instance_id: String,
    ) -> async_graphql::Result<WorkflowId> {
        workflow(req(ctx)?.mutate(ctx, Command::VolumeInstanceBackupCreate { volume_instance_id, name })?)
    }

    async fn volume_instance_backup_delete(
        &self,
        ctx: &Context<'_>,
        volume_instance_backup_id: String,
        volume_instance_id: String,
    ) -> async_graphql::Result<WorkflowId> {
        workflow(req(ctx)?.mutate(ctx, Command::VolumeInstanceBackupDelete { backup_id: volume_instance_backup_id, volume_instance_id })?)
    }

    // Removes the backup's expiry; it still dies with its volume.
    async fn volume_instance_backup_lock(
        &self,
        ctx: &Context<'_>,
        volume_instance_backup_id: String,
        volume_instance_id: String,
    ) -> async_graphql::Result<bool> {
        run(ctx, Command::VolumeInstanceBackupLock { backup_id: volume_instance_backup_id, volume_instance_id })
    }

    // `replicaServiceIds` and `wipeServiceIds` concern HA clusters the mock does not model.
    async fn volume_instance_backup_restore(
        &self,
        ctx: &Context<'_>,
        replica_service_ids: Option<Vec<String>>,
        volume_instance_backup_id: String,
        volume_instance_id: String,
        wipe_service_ids: Option<Vec<String>>,
    ) -> async_graphql::Result<WorkflowId> {
        let _ = (replica_service_ids, wipe_service_ids);
        workflow(req(ctx)?.mutate(ctx, Command::VolumeInstanceBackupRestore { backup_id: volume_instance_backup_id, volume_instance_id })?)
    }

    // Replaces the instance's schedules; `[]` clears them and keeps existing backups.
    async fn volume_instance_backup_schedule_update(
        &self,
        ctx: &Context<'_>,
        kinds: Vec<ScheduleKind>,
        volume_instance_id: String,
    ) -> async_graphql::Result<bool> {
        run(ctx, Command::VolumeInstanceBackupScheduleUpdate { volume_instance_id, kinds: kinds.into_iter().map(Into::into).collect() })
    }

    async fn custom_domain_create(&self, ctx: &Context<'_>, input: CustomDomainCreateInput) -> async_graphql::Result<CustomDomainObj> {
        let cmd = Command::CustomDomainCreate {
            domain: input.domain,
            project_id: input.project_id,
            environment_id: input.environment_id,
            service_id: input.service_id,
            target_port: input.target_port,
        };
        create(ctx, cmd, "Custom domain", |s, id| s.custom_domains().get(id).cloned().map(CustomDomainObj))
    }

    async fn custom_domain_update(
        &self,
        ctx: &Context<'_>,
        environment_id: String,
        id: String,
        target_port: Option<i32>,
    ) -> async_graphql::Result<bool> {
        run(ctx, Command::CustomDomainUpdate { id, environment_id, target_port })
    }

    async fn custom_domain_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::CustomDomainDelete { id })
    }

    async fn service_domain_create(&self, ctx: &Context<'_>, input: ServiceDomainCreateInput) -> async_graphql::Result<ServiceDomainObj> {
        let cmd = Command::ServiceDomainCreate {
            environment_id: input.environment_id,
            service_id: input.service_id,
            target_port: input.target_port,
        };
        create(ctx, cmd, "Service domain", |s, id| s.service_domains().get(id).cloned().map(ServiceDomainObj))
    }

    async fn service_domain_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ServiceDomainDelete { id })
    }

    async fn variable_upsert(&self, ctx: &Context<'_>, input: VariableUpsertInput) -> async_graphql::Result<bool> {
        run(
            ctx,
            Command::VariableUpsert {
                project_id: input.project_id,
                environment_id: input.environment_id,
                service_id: input.service_id,
                name: input.name,
                value: input.value,
            },
        )
    }

    // With `replace: true`, every existing variable of the scope goes first.
    async fn variable_collection_upsert(&self, ctx: &Context<'_>, input: VariableCollectionUpsertInput) -> async_graphql::Result<bool> {
        run(
            ctx,
            Command::VariableCollectionUpsert {
                project_id: input.project_id,
                environment_id: input.environment_id,
                service_id: input.service_id,
                variables: input.variables.0,
                replace: input.replace.unwrap_or(false),
            },
        )
    }

    async fn variable_delete(&self, ctx: &Context<'_>, input: VariableDeleteInput) -> async_graphql::Result<bool> {
        run(
            ctx,
            Command::VariableDelete {
                project_id: input.project_id,
                environment_id: input.environment_id,
                service_id: input.service_id,
                name: input.name,
            },
        )
    }

    // Returns the new token's secret, once. Any token that reaches the environment may mint one.
    async fn project_token_create(&self, ctx: &Context<'_>, input: ProjectTokenCreateInput) -> async_graphql::Result<String> {
        let cmd = Command::ProjectTokenCreate { project_id: input.project_id, environment_id: input.environment_id, name: input.name };
        secret(req(ctx)?.mutate(ctx, cmd)?)
    }

    async fn project_token_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ProjectTokenDelete { id })
    }

    // Returns the new token's secret, once: a workspace token with `workspaceId`, otherwise a
    // token of the caller's own kind.
    async fn api_token_create(&self, ctx: &Context<'_>, input: ApiTokenCreateInput) -> async_graphql::Result<String> {
        secret(req(ctx)?.mutate(ctx, Command::ApiTokenCreate { name: input.name, workspace_id: input.workspace_id })?)
    }

    async fn api_token_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::ApiTokenDelete { id })
    }

    async fn workspace_delete(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<bool> {
        run(ctx, Command::WorkspaceDelete { id })
    }

    // The CLI's telemetry: accepted from anyone, recorded in the audit log, no effect.
    async fn cli_event_track(&self, ctx: &Context<'_>, input: CliEventTrackInput) -> async_graphql::Result<bool> {
        let _ = input;
        run(ctx, Command::CliEventTrack)
    }
}
