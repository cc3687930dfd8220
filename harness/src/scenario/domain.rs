//! `Domain`: a custom domain routed to a service in one environment.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A custom domain of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The service the domain routes to; one of the project's `services`.
    pub service: String,
    /// The environment the domain belongs to; one of the project's `environments`.
    pub environment: String,
    /// The domain name, unique in the scenario, such as "api.example.com".
    pub domain: String,
}
