//! Generated agents: a scenario's `[generate]` and `[invariants]` as a proptest campaign.
//!
//! `alphabet` derives the steps a generated agent draws from the built world; `campaign` runs
//! programs on forks of that world, judges each run with `invariants`, and shrinks the first
//! failing program; `regression` writes a shrunk program as an ordinary scenario file.
//!
//! ```text
//! let campaign = Campaign::new(scenario, "scenarios/generated/x.toml")?;
//! let outcome = campaign.run(Options { cases: 256, seed: 0, shard: Shard::WHOLE }, |_| {})?;
//! if let Some(shrunk) = &outcome.shrunk { regression::write(&campaign, shrunk, "scenarios/regressions".as_ref())?; }
//! ```

mod alphabet;
mod campaign;
mod invariants;
pub mod regression;
mod summary;

pub use alphabet::{Alphabet, Kind, tokens_needed};
pub use campaign::{Campaign, CaseResult, Depth, OpCoverage, Options, Outcome, Shard, Shrunk, cases_from_env};
pub use invariants::{Violation, check};
pub use summary::{Verdict, text as summary};

#[cfg(test)]
mod tests;
