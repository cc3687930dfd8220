//! `User`: the account behind an account token, and the way clients find its workspaces.

use async_graphql::{Context, ID, Object};

use super::WorkspaceObj;
use crate::model::User;
use crate::schema::req;
use crate::schema::scalars::DateTime;

pub struct UserObj(pub User);

#[Object(name = "User")]
impl UserObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> Option<&str> {
        Some(&self.0.name)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    // The mock has no sessions: the last login is the account's creation.
    async fn last_login(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn is_verified(&self) -> bool {
        true
    }
    async fn workspaces(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WorkspaceObj>> {
        let ids = &self.0.workspaces;
        Ok(req(ctx)?.state(|s| ids.iter().filter_map(|id| s.workspaces().get(id)).cloned().map(WorkspaceObj).collect()))
    }
}
