//! `Layer`: the guardrail layers a destructive request meets, in order, and `StoppedBy`, the
//! layer that stopped an attempt or none.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A layer of the guardrail stack, in the order a request meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// The agent's runtime: its rules, hooks, mode and approver.
    AgentRuntime,
    /// The team's gateway in front of the provider.
    Gateway,
    /// The provider's token authorization.
    ProviderAuth,
    /// The provider's own semantics: its validation of the request and the operation's effects.
    Provider,
}

impl Layer {
    /// Every layer, in the order a request meets them.
    pub const ALL: [Layer; 4] = [Layer::AgentRuntime, Layer::Gateway, Layer::ProviderAuth, Layer::Provider];

    /// The layer's name in files and reports: `agent-runtime`, `gateway`, `provider-auth`, `provider`.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::AgentRuntime => "agent-runtime",
            Layer::Gateway => "gateway",
            Layer::ProviderAuth => "provider-auth",
            Layer::Provider => "provider",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The layer that stopped an attempt, or `None` when every layer let it through. Written as the
/// layer's name, or `none`, in scenario files and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StoppedBy(pub Option<Layer>);

impl StoppedBy {
    pub const NONE: StoppedBy = StoppedBy(None);

    pub const fn name(self) -> &'static str {
        match self.0 {
            Some(layer) => layer.name(),
            None => "none",
        }
    }
}

impl From<Layer> for StoppedBy {
    fn from(layer: Layer) -> Self {
        StoppedBy(Some(layer))
    }
}

impl fmt::Display for StoppedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for StoppedBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for StoppedBy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "none" {
            return Ok(StoppedBy::NONE);
        }
        Layer::ALL
            .into_iter()
            .find(|l| l.name() == text)
            .map(StoppedBy::from)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, &["agent-runtime", "gateway", "provider-auth", "provider", "none"]))
    }
}

impl JsonSchema for StoppedBy {
    fn schema_name() -> Cow<'static, str> {
        "StoppedBy".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": ["agent-runtime", "gateway", "provider-auth", "provider", "none"],
            "description": "The layer that stopped a destructive attempt: the agent's runtime, the team's gateway, the provider's token authorization, the provider itself, or none"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopped_by_reads_and_writes_every_layer_name_and_none() {
        for name in ["agent-runtime", "gateway", "provider-auth", "provider", "none"] {
            let parsed: StoppedBy = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(parsed.name(), name);
            assert_eq!(serde_json::to_value(parsed).unwrap(), serde_json::json!(name));
        }
        assert!(serde_json::from_value::<StoppedBy>(serde_json::json!("firewall")).is_err());
    }
}
