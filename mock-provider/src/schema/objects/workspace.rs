//! Workspaces as Railway shows them: `Workspace` (through `me`), `ExternalWorkspace` (what the
//! CLI lists) and `ApiTokenContext` (what a token reaches).

use async_graphql::{Context, ID, Object, SimpleObject};

use super::{ProjectObj, TeamObj};
use crate::model::Workspace;
use crate::schema::connection::{PageArgs, connection};
use crate::schema::req;
use crate::schema::scalars::DateTime;

connection!(WorkspaceProjectsConnection, WorkspaceProjectsConnectionEdge, ProjectObj);

#[derive(Clone)]
pub struct WorkspaceObj(pub Workspace);

#[Object(name = "Workspace")]
impl WorkspaceObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn avatar(&self) -> Option<String> {
        None
    }
    async fn preferred_region(&self) -> Option<String> {
        None
    }
    // Teams are gone from Railway; the field survives, always `null`.
    async fn team(&self) -> Option<TeamObj> {
        None
    }
    async fn projects(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<WorkspaceProjectsConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let projects = r.state(|s| s.reached_projects(who, Some(&self.0.id)).into_iter().cloned().map(ProjectObj).collect::<Vec<_>>());
        Ok(WorkspaceProjectsConnection::page(projects, &PageArgs::new(after, before, first, last)?))
    }
}

// What `externalWorkspaces` returns: a workspace with the projects the caller reaches in it.
pub struct ExternalWorkspaceObj(pub Workspace);

#[Object(name = "ExternalWorkspace")]
impl ExternalWorkspaceObj {
    async fn id(&self) -> &str {
        &self.0.id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn avatar(&self) -> Option<String> {
        None
    }
    async fn preferred_region(&self) -> Option<String> {
        None
    }
    async fn team_id(&self) -> Option<String> {
        None
    }
    async fn current_session_has_access(&self) -> Option<bool> {
        Some(true)
    }
    async fn projects(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProjectObj>> {
        let r = req(ctx)?;
        let who = r.principal();
        Ok(r.state(|s| s.reached_projects(who, Some(&self.0.id)).into_iter().cloned().map(ProjectObj).collect()))
    }
}

#[derive(SimpleObject)]
pub struct ApiTokenContext {
    pub workspaces: Vec<ApiTokenWorkspace>,
}

#[derive(SimpleObject)]
pub struct ApiTokenWorkspace {
    pub id: String,
    pub name: String,
}
