//! A mock of Railway's public GraphQL API, faithful where disasters are decided: token reach,
//! deletion regimes and backup lifetime.
//!
//! The state machine (`State`) is pure and synchronous; `auth::decide` is the one place that
//! authorizes; the GraphQL schema and HTTP server are thin layers over both.

mod admission;
mod audit;
mod audit_trim;
pub mod auth;
mod call_targets;
mod calls;
mod document_limits;
mod error;
pub mod http;
mod ids;
pub mod limits;
mod model;
pub mod ops;
#[cfg(test)]
mod ops_semantics;
mod profile;
mod provider;
#[cfg(test)]
mod provider_hostile;
#[cfg(test)]
mod provider_proptests;
mod request;
mod schema;
mod state;
pub mod time;
mod world;

pub use audit::{Audit, AuditEntry, FieldRecord, Stage};
pub use call_targets::{CallTarget, Named, NamedResource, acted_on_kinds, call_targets};
pub use calls::{Probe, document};
pub use error::ProviderError;
pub use ids::IdGen;
pub use model::*;
pub use profile::{PROFILE_NAMES, Profile, ProfileName, ProfileOverrides};
pub use provider::{MISPLACED_PROJECT_TOKEN, Provider, ProviderBuilder, ProviderResponse, call_classes, minted_names, root_fields};
pub use request::{Credentials, ProviderRequest, RequestCtx};
pub use schema::{ProviderSchema, schema};
pub use state::{Action, Cause, Change, Command, Execution, Outcome, Placement, ProviderEvent, Resolved, State, Stats, Target};
pub use world::{DEMO_HISTORY, DomainSpec, ProjectSpec, TokenKindSpec, TokenSpec, VariableSpec, VolumeSpec, WorldSpec, demo_start};
