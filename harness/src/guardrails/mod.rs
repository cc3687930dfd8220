//! The guardrail stack: the layers an agent's action meets before it reaches the provider, in
//! the order a real request meets them, each returning a verdict with its reason.
//!
//! Why this shape: every destructive attempt must be attributed to the layer that stopped it,
//! or to none. The agent runtime (Claude Code, Cursor) judges the agent's own action (a shell
//! command, an MCP tool call); the team's gateway judges each provider call that results.
//! Provider authorization and effects are decided by `mock-provider` and appended by the run.
//! Today's layers allow everything; the next layers plug in through `Guardrail`.

use serde::{Deserialize, Serialize};

/// The layers, in the order a request meets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerName {
    AgentRuntime,
    Gateway,
    ProviderAuth,
    Provider,
}

impl LayerName {
    pub fn as_str(self) -> &'static str {
        match self {
            LayerName::AgentRuntime => "agent-runtime",
            LayerName::Gateway => "gateway",
            LayerName::ProviderAuth => "provider-auth",
            LayerName::Provider => "provider",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allow,
    Deny,
    /// The runtime would ask a person; an approver model answers (a later layer of work).
    Ask,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub layer: LayerName,
    pub verdict: Verdict,
    pub reason: String,
}

/// What the agent itself does, as its runtime sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgentAction {
    Search {
        pattern: String,
    },
    Read {
        path: String,
    },
    Shell {
        command: String,
    },
    /// A direct GraphQL call from the agent's own HTTP tool.
    Graphql {
        query: String,
    },
    Mcp {
        server: String,
        tool: String,
    },
    Wait,
}

/// A call about to reach the provider, as a gateway in front of it sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderCall {
    pub channel: String,
    pub host: String,
    pub root_fields: Vec<String>,
    pub token: Option<String>,
    pub query: String,
}

/// What a layer is shown.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    Action(&'a AgentAction),
    Call(&'a ProviderCall),
}

/// One layer of protection. A layer answers only the subjects it judges (`None` otherwise).
pub trait Guardrail: Send + Sync {
    fn layer(&self) -> LayerName;
    fn check(&self, subject: Subject<'_>) -> Option<Decision>;
}

/// A layer the scenario declares nothing for: everything passes, and the report says why.
#[derive(Clone, Debug)]
pub struct AllowAll {
    layer: LayerName,
}

/// `allow_all(LayerName::Gateway)`: a layer that is not configured.
pub fn allow_all(layer: LayerName) -> AllowAll {
    AllowAll { layer }
}

impl Guardrail for AllowAll {
    fn layer(&self) -> LayerName {
        self.layer
    }
    fn check(&self, subject: Subject<'_>) -> Option<Decision> {
        let judged = match (self.layer, subject) {
            (LayerName::AgentRuntime, Subject::Action(_)) => "no agent-runtime permissions declared: the action runs unapproved",
            (LayerName::Gateway, Subject::Call(_)) => "no gateway in front of the provider: the call passes through",
            _ => return None,
        };
        Some(Decision { layer: self.layer, verdict: Verdict::Allow, reason: judged.to_string() })
    }
}

/// The layers before the provider, applied in order; the first that does not allow stops.
pub struct Stack {
    layers: Vec<Box<dyn Guardrail>>,
}

impl Default for Stack {
    fn default() -> Self {
        Stack { layers: vec![Box::new(allow_all(LayerName::AgentRuntime)), Box::new(allow_all(LayerName::Gateway))] }
    }
}

impl Stack {
    pub fn new(layers: Vec<Box<dyn Guardrail>>) -> Self {
        Stack { layers }
    }

    /// Every layer's decision on `subject`, in order, up to and including the first that does
    /// not allow. The second value is that layer, if one stopped it.
    pub fn check(&self, subject: Subject<'_>) -> (Vec<Decision>, Option<LayerName>) {
        let mut out = Vec::new();
        for layer in &self.layers {
            if let Some(d) = layer.check(subject) {
                let stop = d.verdict != Verdict::Allow;
                let name = d.layer;
                out.push(d);
                if stop {
                    return (out, Some(name));
                }
            }
        }
        (out, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct DenyShell;
    impl Guardrail for DenyShell {
        fn layer(&self) -> LayerName {
            LayerName::AgentRuntime
        }
        fn check(&self, subject: Subject<'_>) -> Option<Decision> {
            match subject {
                Subject::Action(AgentAction::Shell { .. }) => {
                    Some(Decision { layer: LayerName::AgentRuntime, verdict: Verdict::Deny, reason: "Bash denied".into() })
                }
                _ => None,
            }
        }
    }

    #[test]
    fn the_default_stack_allows_and_says_nothing_is_configured() {
        let (d, stopped) = Stack::default().check(Subject::Action(&AgentAction::Shell { command: "curl".into() }));
        assert_eq!(stopped, None);
        assert_eq!(d.len(), 1);
        assert!(d[0].reason.contains("unapproved"));
    }

    #[test]
    fn the_first_layer_that_denies_stops_the_action_and_later_layers_are_not_asked() {
        let stack = Stack::new(vec![Box::new(DenyShell), Box::new(allow_all(LayerName::Gateway))]);
        let (d, stopped) = stack.check(Subject::Action(&AgentAction::Shell { command: "curl".into() }));
        assert_eq!(stopped, Some(LayerName::AgentRuntime));
        assert_eq!(d.len(), 1);
    }
}
