//! firedrill: fire drills for your cloud setup, in `cargo test`.
//!
//! A scenario file declares a team's world (projects, volumes, tokens, the files an agent can
//! read, the off-site backups) and what an agent does in it; a drill plays it against a mock of
//! Railway's API through the team's guardrails and answers with an [`IncidentReport`]: what each
//! layer did, what was lost, how old the newest restorable backup was.
//!
//! # A folder of drills as tests
//!
//! In a harness-less test target (`[[test]] name = "drills", harness = false`), every scenario
//! file becomes a named test with its own insta snapshot:
//!
//! ```no_run
//! // tests/drills.rs
//! fn main() -> std::process::ExitCode {
//!     firedrill::Drills::new("scenarios").main()
//! }
//! ```
//!
//! From an ordinary `#[test]`, with a seed override and a name filter:
//!
//! ```
//! firedrill::Drills::new("scenarios").filter("pocketos-2026-04").seed(7).check().unwrap();
//! ```
//!
//! # One drill, with your own guardrail
//!
//! A guardrail written in Rust sits in front of the provider like the team's proxy would, and is
//! credited in the report when it stops something:
//!
//! ```
//! use firedrill::{Decision, Drill, Layer, StoppedBy, Subject, guardrail_fn};
//!
//! let proxy = guardrail_fn(Layer::Gateway, |subject| match subject {
//!     Subject::Call(call) if call.root_fields.iter().any(|f| f.ends_with("Delete")) => {
//!         Some(Decision::deny(Layer::Gateway, "the proxy refuses deletes"))
//!     }
//!     _ => None,
//! });
//! let report = Drill::from_file("scenarios/pocketos-2026-04.toml")?.guardrail(proxy).run()?;
//! assert_eq!(report.stopped_by(), [StoppedBy::from(Layer::Gateway)]);
//! assert!(report.lost_volumes().is_empty());
//! # Ok::<(), firedrill::Error>(())
//! ```
//!
//! A scenario that does not load is an [`Error`] carrying every problem in the file, each with
//! its line and column, so `?` in a test prints them all.

#![deny(missing_docs)]

mod drill;
mod error;

pub use drill::Drill;
pub use error::Error;
pub use harness::IncidentReport;
pub use harness::agent::Action;
pub use harness::guardrails::{Decision, Guardrail, Layer, ProviderCall, StoppedBy, Subject, Verdict, guardrail_fn};
pub use harness::runner::Drills;

/// `Drills::new(dir).main()`: the one line a team's harness-less `tests/drills.rs` needs.
pub fn drills(dir: impl AsRef<std::path::Path>) -> std::process::ExitCode {
    Drills::new(dir).main()
}

/// The crates behind firedrill, for the `firedrill` command and for experiments. Not part of the
/// stable API: anything in here may change in any release.
pub mod unstable {
    pub use harness;
    pub use mock_provider;
}
