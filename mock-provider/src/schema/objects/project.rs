//! `Project`: a workspace's project with its environments, services and volumes.

use async_graphql::{Context, ID, Object};

use super::{BucketObj, EnvironmentObj, ServiceObj, TeamObj, VolumeObj, WorkspaceObj};
use crate::model::Project;
use crate::schema::connection::{PageArgs, connection};
use crate::schema::enums::SortOrder;
use crate::schema::req;
use crate::schema::scalars::DateTime;

connection!(ProjectEnvironmentsConnection, ProjectEnvironmentsConnectionEdge, EnvironmentObj);
connection!(ProjectServicesConnection, ProjectServicesConnectionEdge, ServiceObj);
connection!(ProjectVolumesConnection, ProjectVolumesConnectionEdge, VolumeObj);
connection!(ProjectBucketsConnection, ProjectBucketsConnectionEdge, BucketObj);

#[derive(Clone)]
pub struct ProjectObj(pub Project);

impl ProjectObj {
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "Project")]
impl ProjectObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    // Set once `projectScheduleDelete` was called: the instant the project goes.
    async fn deleted_at(&self) -> Option<DateTime> {
        self.0.delete_scheduled_for.map(DateTime)
    }
    async fn expired_at(&self) -> Option<DateTime> {
        None
    }
    async fn workspace_id(&self) -> Option<&str> {
        Some(&self.0.workspace_id)
    }
    async fn workspace(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<WorkspaceObj>> {
        Ok(req(ctx)?.state(|s| s.workspaces().get(&self.0.workspace_id).cloned().map(WorkspaceObj)))
    }
    // Teams are gone from Railway; the field survives, always `null`.
    async fn team(&self) -> Option<TeamObj> {
        None
    }
    async fn team_id(&self) -> Option<String> {
        None
    }
    async fn base_environment_id(&self) -> Option<String> {
        None
    }
    async fn is_public(&self) -> bool {
        false
    }
    async fn is_temp_project(&self) -> bool {
        false
    }
    async fn pr_deploys(&self) -> bool {
        false
    }
    async fn bot_pr_environments(&self) -> bool {
        false
    }
    async fn focused_pr_environments(&self) -> bool {
        false
    }
    // Every environment, with `canAccess` saying which the caller may look into.
    #[allow(clippy::too_many_arguments)]
    async fn environments(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        is_ephemeral: Option<bool>,
        last: Option<i32>,
        sort: Option<SortOrder>,
    ) -> async_graphql::Result<ProjectEnvironmentsConnection> {
        let mut envs: Vec<EnvironmentObj> =
            req(ctx)?.state(|s| s.environments_of(&self.0.id).into_iter().cloned().map(EnvironmentObj).collect());
        // The mock has no ephemeral (PR) environments.
        if is_ephemeral == Some(true) {
            envs.clear();
        }
        envs.sort_by(|a, b| (a.0.created_at, &a.0.name).cmp(&(b.0.created_at, &b.0.name)));
        if sort == Some(SortOrder::Desc) {
            envs.reverse();
        }
        Ok(ProjectEnvironmentsConnection::page(envs, &PageArgs::new(after, before, first, last)?))
    }
    // The Railway CLI (5.71) selects `buckets` in its `Project` query; the mock holds none.
    async fn buckets(
        &self,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<ProjectBucketsConnection> {
        Ok(ProjectBucketsConnection::page(Vec::new(), &PageArgs::new(after, before, first, last)?))
    }
    async fn services(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<ProjectServicesConnection> {
        let services = req(ctx)?.state(|s| s.services_of(&self.0.id).into_iter().cloned().map(ServiceObj).collect());
        Ok(ProjectServicesConnection::page(services, &PageArgs::new(after, before, first, last)?))
    }
    async fn volumes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<ProjectVolumesConnection> {
        let volumes = req(ctx)?.state(|s| s.volumes_of(&self.0.id).into_iter().cloned().map(VolumeObj).collect());
        Ok(ProjectVolumesConnection::page(volumes, &PageArgs::new(after, before, first, last)?))
    }
}
