//! `ProjectToken` (a token bound to one environment of one project) and `ApiToken` (an account
//! or workspace token); listings show only `displayToken`, never the secret.

use async_graphql::{Context, ID, Object};

use super::{EnvironmentObj, ProjectObj, missing};
use crate::model::{Id, Token, TokenKind};
use crate::schema::req;
use crate::schema::scalars::DateTime;

// A project token with its binding unpacked.
#[derive(Clone)]
pub struct ProjectTokenObj {
    token: Token,
    project_id: Id,
    environment_id: Id,
}

impl ProjectTokenObj {
    // `None` for account and workspace tokens.
    pub fn new(token: Token) -> Option<Self> {
        match &token.kind {
            TokenKind::Project { project_id, environment_id } => {
                let (project_id, environment_id) = (project_id.clone(), environment_id.clone());
                Some(ProjectTokenObj { token, project_id, environment_id })
            }
            _ => None,
        }
    }
    pub fn cursor(&self) -> String {
        self.token.id.clone()
    }
}

#[Object(name = "ProjectToken")]
impl ProjectTokenObj {
    async fn id(&self) -> ID {
        ID(self.token.id.clone())
    }
    async fn name(&self) -> &str {
        &self.token.name
    }
    async fn display_token(&self) -> String {
        self.token.display_token()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.token.created_at)
    }
    async fn project_id(&self) -> &str {
        &self.project_id
    }
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<ProjectObj> {
        req(ctx)?.state(|s| s.projects().get(&self.project_id).cloned().map(ProjectObj)).ok_or_else(|| missing("Project", &self.project_id))
    }
    async fn environment_id(&self) -> &str {
        &self.environment_id
    }
    async fn environment(&self, ctx: &Context<'_>) -> async_graphql::Result<EnvironmentObj> {
        req(ctx)?
            .state(|s| s.environments().get(&self.environment_id).cloned().map(EnvironmentObj))
            .ok_or_else(|| missing("Environment", &self.environment_id))
    }
}

// An account token (no `workspaceId`) or a workspace token, as `apiTokens` lists it.
#[derive(Clone)]
pub struct ApiTokenObj(Token);

impl ApiTokenObj {
    // `None` for project tokens, which `projectTokens` lists.
    pub fn new(token: Token) -> Option<Self> {
        match &token.kind {
            TokenKind::Account { .. } | TokenKind::Workspace { .. } => Some(ApiTokenObj(token)),
            TokenKind::Project { .. } => None,
        }
    }
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "ApiToken")]
impl ApiTokenObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn display_token(&self) -> String {
        self.0.display_token()
    }
    // Mock tokens live until they are deleted.
    async fn expires_at(&self) -> Option<DateTime> {
        None
    }
    async fn workspace_id(&self) -> Option<&str> {
        match &self.0.kind {
            TokenKind::Workspace { workspace_id } => Some(workspace_id),
            _ => None,
        }
    }
}
