//! `Volume`: the project-level volume; `volumeDelete` takes its id and so hits every instance.

use async_graphql::{Context, ID, Object};

use super::{ProjectObj, VolumeInstanceObj, missing};
use crate::model::Volume;
use crate::schema::connection::{PageArgs, connection};
use crate::schema::req;
use crate::schema::scalars::DateTime;

connection!(VolumeVolumeInstancesConnection, VolumeVolumeInstancesConnectionEdge, VolumeInstanceObj);

#[derive(Clone)]
pub struct VolumeObj(pub Volume);

impl VolumeObj {
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "Volume")]
impl VolumeObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn project_id(&self) -> &str {
        &self.0.project_id
    }
    async fn project(&self, ctx: &Context<'_>) -> async_graphql::Result<ProjectObj> {
        req(ctx)?
            .state(|s| s.projects().get(&self.0.project_id).cloned().map(ProjectObj))
            .ok_or_else(|| missing("Project", &self.0.project_id))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    // Instances in the environments the caller may access (Railway deprecates this field for
    // exactly that reason: scope it through `environment.volumeInstances`).
    async fn volume_instances(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<VolumeVolumeInstancesConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let items = r.state(|s| {
            s.instances_of_volume(&self.0.id)
                .into_iter()
                .filter(|i| s.can_access_environment(who, &i.environment_id))
                .cloned()
                .map(VolumeInstanceObj)
                .collect()
        });
        Ok(VolumeVolumeInstancesConnection::page(items, &PageArgs::new(after, before, first, last)?))
    }
}
