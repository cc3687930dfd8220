//! Object types: each wraps a clone of a model record under Railway's type name and resolves
//! nested fields by reading the state; authorization happened at the root field.

mod absent;
mod backup;
mod domain;
mod environment;
mod project;
mod service;
mod token;
mod user;
mod volume;
mod volume_instance;
mod workflow;
mod workspace;

pub use absent::{BucketObj, CertificatePublicDataObj, DeploymentObj, EnvironmentMetaObj, RegionObj, ServiceSourceObj, TeamObj};
pub use backup::{BackupObj, ScheduleObj};
pub use domain::{AllDomains, CustomDomainObj, ServiceDomainObj};
pub use environment::EnvironmentObj;
pub use project::ProjectObj;
pub use service::{ServiceInstanceObj, ServiceObj};
pub use token::{ApiTokenObj, ProjectTokenObj};
pub use user::UserObj;
pub use volume::VolumeObj;
pub use volume_instance::VolumeInstanceObj;
pub use workflow::{WorkflowId, WorkflowResult};
pub use workspace::{ApiTokenContext, ApiTokenWorkspace, ExternalWorkspaceObj, WorkspaceObj};

use crate::error::ProviderError;
use crate::request::graphql_error;

// A record a non-null field points at is gone (deleted by a concurrent request).
pub(crate) fn missing(kind: &str, id: &str) -> async_graphql::Error {
    graphql_error(&ProviderError::not_found(kind, id))
}

// Railway's `Int` is 32-bit; sizes in MB fit, and saturate rather than wrap if they ever do not.
pub(crate) fn int(x: i64) -> i32 {
    i32::try_from(x).unwrap_or(if x < 0 { i32::MIN } else { i32::MAX })
}

// Megabytes as Railway's `Int` fields report them.
pub(crate) fn int_mb(x: f64) -> i32 {
    int(x.round() as i64)
}
