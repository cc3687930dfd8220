//! Types Railway's schema reaches from fields the CLI asks for, but that the mock never holds:
//! buckets, teams (deprecated), deployments, service sources, TLS certificates, the
//! pull-request metadata of ephemeral environments, and regions.
//!
//! Why this shape: they are uninhabited enums, so the fields that return them can only ever
//! say `null` (or an empty list), and the type system proves the mock never invents one.

// The resolvers are `match *self {}`; async-graphql's generated code after them is unreachable
// by construction, which is the point.
#![expect(unreachable_code, reason = "resolvers of uninhabited types never return")]

use async_graphql::{ID, Object};

use crate::schema::enums::{DeploymentInstanceStatus, DeploymentStatus, KeyType};
use crate::schema::scalars::{DateTime, DeploymentMeta};

// A storage bucket; the mock holds none, so `buckets` is always an empty connection.
pub enum BucketObj {}

impl BucketObj {
    pub(crate) fn cursor(&self) -> String {
        match *self {}
    }
}

#[Object(name = "Bucket")]
impl BucketObj {
    async fn id(&self) -> ID {
        match *self {}
    }
    async fn name(&self) -> String {
        match *self {}
    }
}

// Railway's deprecated `Team`; every `team` field resolves to `null`.
pub enum TeamObj {}

#[Object(name = "Team")]
impl TeamObj {
    async fn id(&self) -> ID {
        match *self {}
    }
    async fn name(&self) -> String {
        match *self {}
    }
}

// An instance of a deployment; there are no deployments.
pub enum DeploymentInstanceObj {}

#[Object(name = "DeploymentDeploymentInstance")]
impl DeploymentInstanceObj {
    async fn id(&self) -> String {
        match *self {}
    }
    async fn status(&self) -> DeploymentInstanceStatus {
        match *self {}
    }
}

// A deployment; the mock runs no code, so `latestDeployment` is always `null` and
// `deployments` always an empty connection.
pub enum DeploymentObj {}

impl DeploymentObj {
    pub(crate) fn cursor(&self) -> String {
        match *self {}
    }
}

#[Object(name = "Deployment")]
impl DeploymentObj {
    async fn id(&self) -> ID {
        match *self {}
    }
    async fn can_redeploy(&self) -> bool {
        match *self {}
    }
    async fn created_at(&self) -> DateTime {
        match *self {}
    }
    async fn deployment_stopped(&self) -> bool {
        match *self {}
    }
    async fn instances(&self) -> Vec<DeploymentInstanceObj> {
        match *self {}
    }
    async fn meta(&self) -> Option<DeploymentMeta> {
        match *self {}
    }
    async fn status(&self) -> DeploymentStatus {
        match *self {}
    }
}

// Where a service's code comes from; mock services have none.
pub enum ServiceSourceObj {}

#[Object(name = "ServiceSource")]
impl ServiceSourceObj {
    async fn image(&self) -> Option<String> {
        match *self {}
    }
    async fn repo(&self) -> Option<String> {
        match *self {}
    }
}

// A TLS certificate; mock domains never get one issued.
pub enum CertificatePublicDataObj {}

#[Object(name = "CertificatePublicData")]
impl CertificatePublicDataObj {
    async fn domain_names(&self) -> Vec<String> {
        match *self {}
    }
    async fn expires_at(&self) -> Option<DateTime> {
        match *self {}
    }
    async fn fingerprint_sha256(&self) -> String {
        match *self {}
    }
    async fn issued_at(&self) -> Option<DateTime> {
        match *self {}
    }
    async fn key_type(&self) -> KeyType {
        match *self {}
    }
}

// What a PR (ephemeral) environment knows of its pull request; the mock has no PR
// environments, so every `Environment.meta` is `null`.
pub enum EnvironmentMetaObj {}

#[Object(name = "EnvironmentMeta")]
impl EnvironmentMetaObj {
    async fn base_branch(&self) -> Option<String> {
        match *self {}
    }
    async fn branch(&self) -> Option<String> {
        match *self {}
    }
    async fn pr_number(&self) -> Option<i32> {
        match *self {}
    }
    async fn pr_repo(&self) -> Option<String> {
        match *self {}
    }
    async fn pr_title(&self) -> Option<String> {
        match *self {}
    }
}

// A region services deploy to; the mock models none (nothing is deployed anywhere), so
// `regions` is an empty list.
pub enum RegionObj {}

#[Object(name = "Region")]
impl RegionObj {
    async fn country(&self) -> String {
        match *self {}
    }
    async fn deployment_constraints(&self) -> Option<RegionDeploymentConstraintsObj> {
        match *self {}
    }
    async fn id(&self) -> Option<String> {
        match *self {}
    }
    async fn location(&self) -> String {
        match *self {}
    }
    async fn name(&self) -> String {
        match *self {}
    }
    async fn region(&self) -> Option<String> {
        match *self {}
    }
    async fn workspace_id(&self) -> Option<String> {
        match *self {}
    }
}

pub enum RegionDeploymentConstraintsObj {}

#[Object(name = "RegionDeploymentConstraints")]
impl RegionDeploymentConstraintsObj {
    async fn deprecation_info(&self) -> Option<RegionDeprecationInfoObj> {
        match *self {}
    }
}

pub enum RegionDeprecationInfoObj {}

#[Object(name = "RegionDeprecationInfo")]
impl RegionDeprecationInfoObj {
    async fn is_deprecated(&self) -> bool {
        match *self {}
    }
    async fn replacement_region(&self) -> String {
        match *self {}
    }
}
