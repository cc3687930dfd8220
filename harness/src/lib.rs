//! The firedrill harness: scenario files, scripted agents, the guardrail stack, backups, runs
//! and incident reports.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let text = std::fs::read_to_string("scenarios/pocketos-2026-04.toml")?;
//! let scenario = harness::scenario::load("scenarios/pocketos-2026-04.toml", &text).map_err(|e| format!("{} errors", e.len()))?;
//! let report = harness::Run::start(scenario, "scenarios/pocketos-2026-04.toml").await?.run_to_end().await?;
//! println!("{}", harness::report::text(&report));
//! # Ok(()) }
//! ```

mod calls;
mod drill;
pub mod drive;
mod expect;
pub mod files;
mod finish;
pub mod guardrails;
pub mod offsite;
mod outcome;
mod repo;
pub mod report;
mod run;
pub mod scenario;
pub mod shell;
pub mod testing;
pub mod world;

pub use report::{Format, IncidentReport};
pub use run::{Run, RunError};
