//! Recovery: the team's off-site backup job and its store, the freshness monitor, and the
//! recovery drill that restores every critical volume from the best surviving source.
//!
//! INVARIANT: the drill never changes the world it reports on; every restore runs on a clone of
//! the provider's state. Everything the store serves goes over real HTTP on loopback.

mod drill;
mod job;
mod monitor;
mod outcome;
mod store;

pub use drill::drill_all;
pub use job::{JobOutcome, OffsiteJob, OffsiteReport};
pub use monitor::{Alert, alerts, stale_checks};
pub use outcome::{BackupReport, InstanceReport, Recovery, RecoveryAttempt, VolumeReport};
pub use store::{Dump, OffsiteStore};
