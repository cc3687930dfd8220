//! The bounds of a scenario file, so that no file a team writes can hang or exhaust a run. The
//! bounds on simulated time are the provider's own (`mock_provider::limits`); the rest are the
//! harness's. README's "Limits" section lists them all.

pub use mock_provider::limits::{MAX_OFFSITE_RUNS, MAX_SIMULATED_SPAN};

/// Largest scenario file read: far beyond any world a team describes by hand or generates.
pub const MAX_SCENARIO_BYTES: usize = 8 * 1024 * 1024;

/// Most agent steps in one scenario.
pub const MAX_STEPS: usize = 10_000;

/// Most checks the freshness monitor makes over a whole run (its span divided by `check_every`).
pub const MAX_MONITOR_CHECKS: u64 = 100_000;

/// Most scenario files one directory walk collects.
pub const MAX_SCENARIO_FILES: usize = 10_000;
