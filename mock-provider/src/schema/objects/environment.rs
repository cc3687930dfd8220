//! `Environment`: production, staging…; where volume and service instances live.

use async_graphql::{Context, ID, Object};

use super::{EnvironmentMetaObj, ServiceInstanceObj, VolumeInstanceObj};
use crate::model::Environment;
use crate::schema::connection::{PageArgs, connection};
use crate::schema::req;
use crate::schema::scalars::{DateTime, EnvironmentConfig};

connection!(EnvironmentVolumeInstancesConnection, EnvironmentVolumeInstancesConnectionEdge, VolumeInstanceObj);
connection!(EnvironmentServiceInstancesConnection, EnvironmentServiceInstancesConnectionEdge, ServiceInstanceObj);

#[derive(Clone)]
pub struct EnvironmentObj(pub Environment);

impl EnvironmentObj {
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "Environment")]
impl EnvironmentObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn project_id(&self) -> &str {
        &self.0.project_id
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    // Deleted environments are removed from the state, so a listed one is never deleted.
    async fn deleted_at(&self) -> Option<DateTime> {
        None
    }
    async fn is_ephemeral(&self) -> bool {
        false
    }
    // Pull-request metadata, which only ephemeral environments carry; the Railway CLI's
    // `Environments` query (5.71: environment list) selects it.
    async fn meta(&self) -> Option<EnvironmentMetaObj> {
        None
    }
    // Whether the caller may look into this environment: a project token only into its own.
    async fn can_access(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let r = req(ctx)?;
        let who = r.principal();
        Ok(r.state(|s| s.can_access_environment(who, &self.0.id)))
    }
    // The mock has no staged changes; the Railway CLI (5.71) asks for the count.
    async fn unmerged_changes_count(&self) -> Option<i32> {
        Some(0)
    }
    async fn source_environment(&self) -> Option<EnvironmentObj> {
        None
    }
    // The environment's resource graph as Railway's config JSON; `railway status` reads it.
    async fn config(&self, ctx: &Context<'_>, decrypt_variables: Option<bool>) -> async_graphql::Result<EnvironmentConfig> {
        let r = req(ctx)?;
        let who = r.principal();
        let decrypt = decrypt_variables.unwrap_or(false);
        Ok(EnvironmentConfig(r.state(|s| {
            // Like `volumeInstances`: nothing of an environment the caller cannot access.
            if !s.can_access_environment(who, &self.0.id) {
                return serde_json::json!({});
            }
            s.environment_config(&self.0.id, decrypt)
        })))
    }
    // Volume instances here; empty for an environment the caller cannot access.
    async fn volume_instances(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<EnvironmentVolumeInstancesConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let items = r.state(|s| {
            if !s.can_access_environment(who, &self.0.id) {
                return Vec::new();
            }
            s.instances_in_environment(&self.0.id).into_iter().cloned().map(VolumeInstanceObj).collect()
        });
        Ok(EnvironmentVolumeInstancesConnection::page(items, &PageArgs::new(after, before, first, last)?))
    }
    // Every service of the project runs in every environment (the mock has no per-environment
    // service removal short of deleting the service).
    async fn service_instances(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<EnvironmentServiceInstancesConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let items = r.state(|s| {
            if !s.can_access_environment(who, &self.0.id) {
                return Vec::new();
            }
            s.services_of(&self.0.project_id).into_iter().map(|svc| ServiceInstanceObj::new(svc.clone(), &self.0)).collect()
        });
        Ok(EnvironmentServiceInstancesConnection::page(items, &PageArgs::new(after, before, first, last)?))
    }
}
