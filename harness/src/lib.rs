//! The firedrill harness: scenario files, the world they describe, the agent and what it can do,
//! the guardrail stack, the run loop, recovery (off-site backups and the drill), and incident
//! reports. The modules follow the data flow:
//!
//! ```text
//! scenario ─▶ world ─▶ agent (actions → effects) ─▶ guardrails (every layer) ─▶ run ─▶ recovery ─▶ report
//! ```
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let text = std::fs::read_to_string("scenarios/pocketos-2026-04.toml")?;
//! let scenario = harness::scenario::load("scenarios/pocketos-2026-04.toml", &text).map_err(|e| format!("{} errors", e.len()))?;
//! let report = harness::Run::start(scenario, "scenarios/pocketos-2026-04.toml").await?.run_to_end().await?;
//! println!("{}", harness::report::text(&report));
//! # Ok(()) }
//! ```

pub mod agent;
pub mod generate;
pub mod guardrails;
pub mod recovery;
pub mod report;
pub mod run;
pub mod runner;
pub mod scenario;
pub mod scope;
pub mod whatif;
pub mod world;

pub use report::{Format, IncidentReport};
pub use run::{Run, RunBuilder, RunError};
