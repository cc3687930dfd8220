//! The gateway layer the scenario format configures (`[gateway]`): a Cedar policy set every
//! provider call is evaluated against (`CedarGateway`), and the team's own proxy the run sends
//! calls through over HTTP (`ProxyGateway`).
//!
//! ```text
//! call ─▶ CedarGateway (call_targets → Cedar request → policies) ─▶ ProxyGateway (HTTP) ─▶ mock
//! ```
//!
//! ```
//! use harness::guardrails::gateway::{Policies, cedar_gateway};
//! let policies = Policies::parse(r#"
//!     @id("no-destructive-on-production-volumes")
//!     forbid (principal, action in Action::"destructive", resource is Volume)
//!     when { resource.environments.contains("production") };
//!     @id("allow-the-rest")
//!     permit (principal, action, resource);
//! "#).map_err(|problems| format!("{problems:?}"))?;
//! let provider = mock_provider::Provider::demo(mock_provider::Profile::railway_2026_04()).map_err(|e| e.to_string())?;
//! let gateway = cedar_gateway(provider, policies).agent("cursor-agent");
//! # let _ = gateway;
//! # Ok::<(), String>(())
//! ```

mod cedar;
mod entities;
mod policies;
mod process;
mod proxy;
mod schema;

pub use cedar::{CedarGateway, FieldDecision, cedar_gateway};
pub use entities::Facts;
pub use policies::{Policies, PolicyProblem};
pub use process::{READY_TIMEOUT, free_port};
pub use proxy::{ProxyAnswer, ProxyConfig, ProxyGateway, ProxyLayer};
pub use schema::{schema, schema_text};
