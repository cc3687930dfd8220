//! firedrill as a library: the entry point a team's own `tests/drills.rs` calls, and the crates
//! behind the `firedrill` command.
//!
//! ```no_run
//! // tests/drills.rs, with `[[test]] name = "drills", harness = false` in Cargo.toml
//! fn main() -> std::process::ExitCode {
//!     firedrill::drills("scenarios")
//! }
//! ```

pub use harness;
pub use harness::runner::drills;
pub use mock_provider;
