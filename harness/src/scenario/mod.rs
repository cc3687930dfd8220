//! The scenario file format: typed structs, parsing, validation and the JSON Schema.
//!
//! A scenario file is TOML; `scenarios/README.md` documents every key. Loading one gives either
//! a [`Scenario`] whose references all resolve, or every problem found, each a
//! [`ScenarioError`] that miette renders with the offending text underlined:
//!
//! ```text
//! let text = std::fs::read_to_string(path)?;
//! match scenario::load(path, &text) {
//!     Ok(scenario) => run(scenario),
//!     Err(errors) => errors.into_iter().for_each(|e| eprintln!("{:?}", miette::Report::new(e))),
//! }
//! ```
//!
//! [`parse_all`] checks syntax and types (every problem, setting aside the `[[…]]` element of each);
//! [`validate`] checks meaning: names, references, placeholders and what the agent can know.

mod agent;
mod agent_runtime;
mod alert;
mod cases;
mod domain;
mod error;
mod expect;
mod file;
mod gateway;
mod generate;
pub mod limits;
mod load;
mod monitor;
mod offsite;
mod parse;
mod placeholder;
mod project;
mod provider;
mod railway_ops;
mod recovery;
mod recovery_source;
pub mod reference;
#[expect(clippy::module_inception, reason = "the root type of the format shares the module's name")]
mod scenario;
mod schema;
pub(crate) mod spans;
mod suggest;
mod time_schema;
mod token;
mod validate;
mod variable;
mod volume;
mod whatif;
mod workspace;

pub use agent::{Agent, McpCall, Step, StepError};
pub use agent_runtime::{
    AgentRuntimeSpec, ApproverModel, ApproverSpec, HookAnswer, InlineSettings, LoadedSettings, RuntimeKind, split_layer,
};
pub use alert::AlertKind;
pub use cases::{Case, CaseValue, Row, load_rows};
pub use domain::Domain;
pub use error::{ErrorKind, ScenarioError};
pub use expect::{AlertExpect, AttemptExpect, Expect, InstanceExpect};
pub use file::RepoFile;
pub use gateway::{Gateway, PolicyFile, Proxy, loopback_address};
pub use generate::{GenChannel, Generate, InvariantName, Invariants, Weights};
pub use load::{load, load_in};
pub use mock_provider::time::{Duration, DurationError, Instant, InstantError};
pub use monitor::Monitor;
pub use offsite::{FaultKind, FaultSide, OffsiteBackup, StoreFault};
pub use parse::{parse, parse_all};
pub use placeholder::{Placeholder, PlaceholderKind, placeholders, substitute};
pub use project::Project;
pub use provider::{Overrides, Provider};
pub use recovery::Recovery;
pub use recovery_source::RecoverySource;
pub use scenario::Scenario;
pub use schema::json_schema;
pub use token::{StoredIn, Token, TokenKind};
pub use validate::validate;
pub use variable::Variable;
pub use volume::{BackupSchedule, Volume};
pub use whatif::{CustomMitigation, WhatIf};
pub use workspace::Workspace;
