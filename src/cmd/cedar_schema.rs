//! `firedrill cedar-schema`: the Cedar schema a `[gateway] cedar` policy file is validated
//! against, generated from the mock provider's model, for the team writing its policies.

use std::process::ExitCode;

use super::out::say;

/// Prints the schema in Cedar's schema syntax (save it as `firedrill.cedarschema` for Cedar's
/// own tools and editors).
pub fn cedar_schema() -> ExitCode {
    say!("{}", harness::guardrails::gateway::schema_text().trim_end());
    ExitCode::SUCCESS
}
