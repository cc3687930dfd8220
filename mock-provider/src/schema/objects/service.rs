//! `Service` (project-level) and `ServiceInstance` (a service in one environment).
//!
//! The model has no service-instance record: a service exists in every environment of its
//! project, so instances are derived, with the id `<serviceId>:<environmentId>`.

use async_graphql::{Context, ID, Object};

use super::{AllDomains, CustomDomainObj, DeploymentObj, ProjectObj, ServiceDomainObj, ServiceSourceObj, missing};
use crate::model::{Environment, Id, Service};
use crate::schema::connection::{PageArgs, connection};
use crate::schema::req;
use crate::schema::scalars::DateTime;
use crate::time::Instant;

connection!(ServiceServiceInstancesConnection, ServiceServiceInstancesConnectionEdge, ServiceInstanceObj);

#[derive(Clone)]
pub struct ServiceObj(pub Service);

impl ServiceObj {
    pub fn cursor(&self) -> String {
        self.0.id.clone()
    }
}

#[Object(name = "Service")]
impl ServiceObj {
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
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn deleted_at(&self) -> Option<DateTime> {
        None
    }
    async fn icon(&self) -> Option<String> {
        None
    }
    // The service in each environment the caller may access.
    async fn service_instances(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<ServiceServiceInstancesConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let items = r.state(|s| {
            s.environments_of(&self.0.project_id)
                .into_iter()
                .filter(|e| s.can_access_environment(who, &e.id))
                .map(|e| ServiceInstanceObj::new(self.0.clone(), e))
                .collect()
        });
        Ok(ServiceServiceInstancesConnection::page(items, &PageArgs::new(after, before, first, last)?))
    }
}

#[derive(Clone)]
pub struct ServiceInstanceObj {
    service: Service,
    environment_id: Id,
    created_at: Instant,
}

impl ServiceInstanceObj {
    pub fn new(service: Service, environment: &Environment) -> Self {
        let created_at = service.created_at.max(environment.created_at);
        ServiceInstanceObj { service, environment_id: environment.id.clone(), created_at }
    }
    pub fn cursor(&self) -> String {
        format!("{}:{}", self.service.id, self.environment_id)
    }
}

#[Object(name = "ServiceInstance")]
impl ServiceInstanceObj {
    async fn id(&self) -> ID {
        ID(self.cursor())
    }
    async fn service_id(&self) -> &str {
        &self.service.id
    }
    async fn service_name(&self) -> &str {
        &self.service.name
    }
    async fn environment_id(&self) -> &str {
        &self.environment_id
    }
    async fn service(&self) -> ServiceObj {
        ServiceObj(self.service.clone())
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.created_at)
    }
    async fn deleted_at(&self) -> Option<DateTime> {
        None
    }
    async fn latest_deployment(&self) -> Option<DeploymentObj> {
        None
    }
    // The mock runs no code: no deployments, replicas, cron or start command. The Railway CLI's
    // `EnvironmentInstances` query (status, volume list) selects them.
    async fn active_deployments(&self) -> Vec<DeploymentObj> {
        Vec::new()
    }
    async fn num_replicas(&self) -> Option<i32> {
        None
    }
    async fn cron_schedule(&self) -> Option<String> {
        None
    }
    async fn next_cron_run_at(&self) -> Option<DateTime> {
        None
    }
    async fn start_command(&self) -> Option<String> {
        None
    }
    async fn source(&self) -> Option<ServiceSourceObj> {
        None
    }
    // Nothing runs, so nothing is traced: tracing is off for every service instance, and with
    // it the automatic instrumentation that only acts while tracing is on. The Railway CLI's
    // `EnvironmentInstances` query (5.71: status, link, volume list) selects both.
    async fn tracing_enabled(&self) -> bool {
        false
    }
    async fn auto_instrumentation_enabled(&self) -> bool {
        false
    }
    async fn domains(&self, ctx: &Context<'_>) -> async_graphql::Result<AllDomains> {
        Ok(req(ctx)?.state(|s| AllDomains {
            custom_domains: s.custom_domains_of(&self.service.id, &self.environment_id).into_iter().cloned().map(CustomDomainObj).collect(),
            service_domains: s
                .service_domains_of(&self.service.id, &self.environment_id)
                .into_iter()
                .cloned()
                .map(ServiceDomainObj)
                .collect(),
        }))
    }
}
