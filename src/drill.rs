//! `Drill`: one scenario, from a file or a string, with guardrails written in Rust, run blocking
//! or async.

use std::path::Path;

use harness::guardrails::Guardrail;
use harness::scenario::Scenario;
use harness::{IncidentReport, Run};

use crate::Error;

/// One scenario, ready to run.
#[must_use]
pub struct Drill {
    scenario: Scenario,
    path: String,
    /// The scenario's text, so that a run's errors point into it.
    text: String,
    guardrails: Vec<Box<dyn Guardrail>>,
}

impl Drill {
    /// Reads and validates the scenario file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Drill, Error> {
        let shown = path.as_ref().display().to_string();
        let text = std::fs::read_to_string(path.as_ref()).map_err(|source| Error::Unreadable { path: shown.clone(), source })?;
        Drill::parse(&shown, &text)
    }

    /// Validates the scenario `text`; `name` is how reports and diagnostics name it.
    pub fn parse(name: &str, text: &str) -> Result<Drill, Error> {
        let scenario = harness::scenario::load(name, text).map_err(|problems| Error::Invalid { path: name.to_string(), problems })?;
        Ok(Drill { scenario, path: name.to_string(), text: text.to_string(), guardrails: Vec::new() })
    }

    /// Adds a guardrail in front of the provider, at the agent runtime or the gateway.
    pub fn guardrail(mut self, g: impl Guardrail + 'static) -> Self {
        self.guardrails.push(Box::new(g));
        self
    }

    /// Runs with this seed instead of the scenario's.
    pub fn seed(mut self, seed: u64) -> Self {
        self.scenario.seed = seed;
        self
    }

    /// Runs the drill on a runtime of its own. From inside an async runtime, use `run_async`.
    pub fn run(self) -> Result<IncidentReport, Error> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Error::Runtime)?;
        rt.block_on(self.run_async())
    }

    /// Runs the drill on the caller's runtime.
    pub async fn run_async(self) -> Result<IncidentReport, Error> {
        let mut b = Run::builder(self.scenario).path(self.path).source(self.text);
        for g in self.guardrails {
            b = b.boxed_guardrail(g);
        }
        Ok(b.start().await?.run_to_end().await?)
    }
}
