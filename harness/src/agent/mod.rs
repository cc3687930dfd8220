//! The agent: what it can see and do. Its actions (`Action`), the repository files it can read
//! (`Repo`), the shell it types into (interpreted, never executed), the Railway tools it can
//! call (MCP tools and the CLI, as the GraphQL requests they make), and the keys its tools hold.
//! `plan` turns an action into the `Effect`s the run performs.
//!
//! INVARIANT: nothing here sends anything or reads the clock; the run performs every effect.

mod action;
mod channel;
mod credentials;
mod effect;
mod repo;
pub mod shell;
mod tools;

pub use action::{Action, Actor, Wait, WaitEvent};
pub use channel::Channel;
pub use credentials::{Key, Keyring, cli_credentials};
pub use effect::{Call, Effect, Planned, RAILWAY_HOST, Tools, describe, plan};
pub use repo::Repo;
pub use tools::{ToolRequest, cli_requests, mcp_request};
