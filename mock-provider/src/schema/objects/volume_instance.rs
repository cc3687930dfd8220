//! `VolumeInstance`: a volume in one environment, where the data and its backups live.

use async_graphql::{Context, ID, Object};

use super::{EnvironmentObj, ServiceObj, VolumeObj, int, missing};
use crate::error::ProviderError;
use crate::model::VolumeInstance;
use crate::request::graphql_error;
use crate::schema::enums::VolumeState;
use crate::schema::req;
use crate::schema::scalars::DateTime;

#[derive(Clone)]
pub struct VolumeInstanceObj(pub VolumeInstance);

impl VolumeInstanceObj {
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "VolumeInstance")]
impl VolumeInstanceObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn volume_id(&self) -> &str {
        &self.0.volume_id
    }
    // The volume record outlives a soft delete, so this resolves while the instance is listed.
    async fn volume(&self, ctx: &Context<'_>) -> async_graphql::Result<VolumeObj> {
        req(ctx)?.state(|s| s.volumes().get(&self.0.volume_id).cloned().map(VolumeObj)).ok_or_else(|| missing("Volume", &self.0.volume_id))
    }
    async fn environment_id(&self) -> &str {
        &self.0.environment_id
    }
    async fn environment(&self, ctx: &Context<'_>) -> async_graphql::Result<EnvironmentObj> {
        req(ctx)?
            .state(|s| s.environments().get(&self.0.environment_id).cloned().map(EnvironmentObj))
            .ok_or_else(|| missing("Environment", &self.0.environment_id))
    }
    async fn service_id(&self) -> Option<&str> {
        self.0.service_id.as_deref()
    }
    // Railway declares `service: Service!`, yet a volume created with no `serviceId` is attached
    // to nothing. The mock will not invent a service, so for such an instance this field is a
    // `NOT_FOUND` error (nulling the nearest nullable parent, as GraphQL requires); `serviceId`
    // is the way to ask without failing.
    async fn service(&self, ctx: &Context<'_>) -> async_graphql::Result<ServiceObj> {
        let Some(id) = &self.0.service_id else {
            return Err(graphql_error(&ProviderError::not_found("Service", "(volume instance is not attached to a service)")));
        };
        req(ctx)?.state(|s| s.services().get(id).cloned().map(ServiceObj)).ok_or_else(|| missing("Service", id))
    }
    async fn mount_path(&self) -> &str {
        &self.0.mount_path
    }
    #[graphql(name = "sizeMB")]
    async fn size_mb(&self) -> i32 {
        int(self.0.size_mb)
    }
    #[graphql(name = "currentSizeMB")]
    async fn current_size_mb(&self) -> f64 {
        self.0.used_mb
    }
    async fn state(&self) -> Option<VolumeState> {
        Some(self.0.state.into())
    }
    async fn is_pending_deletion(&self) -> bool {
        self.0.pending_deletion
    }
    // Pending deletion: the instant it is purged. Deleted: when it was deleted.
    async fn deleted_at(&self) -> Option<DateTime> {
        self.0.deleted_at.map(DateTime)
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn region(&self) -> Option<String> {
        Some("us-west2".into())
    }
    async fn external_id(&self) -> Option<String> {
        None
    }
}
