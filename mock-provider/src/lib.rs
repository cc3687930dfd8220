//! A mock of Railway's public GraphQL API, faithful where disasters are decided: token reach,
//! deletion regimes and backup lifetime.
//!
//! The state machine (`State`) is pure and synchronous; `auth::decide` is the one place that
//! authorizes; the GraphQL schema and HTTP server are thin layers over both.

pub mod auth;
mod error;
mod ids;
mod model;
pub mod ops;
mod profile;
mod state;
pub mod time;
mod world;

pub use error::ProviderError;
pub use ids::IdGen;
pub use model::*;
pub use profile::{PROFILE_NAMES, Profile, ProfileOverrides};
pub use state::{Action, Cause, Change, Command, Execution, Outcome, Placement, ProviderEvent, State, Target};
pub use world::{DEMO_HISTORY, DomainSpec, ProjectSpec, TokenKindSpec, TokenSpec, VariableSpec, VolumeSpec, WorldSpec, demo_start};
