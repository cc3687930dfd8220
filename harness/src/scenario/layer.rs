//! `Layer`: the guardrail layers a destructive request meets, in order.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A layer of the guardrail stack, or none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// The agent's runtime: its rules, hooks, mode and approver.
    AgentRuntime,
    /// The team's gateway in front of the provider.
    Gateway,
    /// The provider's token authorization.
    ProviderAuth,
    /// The provider's own semantics, such as deletion protection.
    Provider,
    /// Nothing stopped it.
    None,
}
