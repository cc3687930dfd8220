//! The gateway a scenario declares (`[gateway]`), built over the world's provider: the Cedar
//! policy set as a guardrail, given the scenario's facts it needs (which volumes are critical,
//! each token's purpose, the agent's name), and the team's proxy with the mock served behind it.

use mock_provider::Provider;

use crate::guardrails::Guardrail;
use crate::guardrails::gateway::{Policies, ProxyConfig, ProxyGateway, ProxyLayer, cedar_gateway};
use crate::scenario::{Scenario, loopback_address};

/// The gateway layer of a run: the guardrails for the stack, and the proxy calls travel through.
#[derive(Default)]
pub struct GatewaySetup {
    pub layers: Vec<Box<dyn Guardrail>>,
    pub proxy: Option<ProxyGateway>,
}

/// Builds the scenario's gateway over `provider`; nothing when it declares none.
///
/// # Errors
///
/// The policy file was not loaded with the scenario, or the proxy cannot be started or reached.
pub async fn gateway(s: &Scenario, provider: &Provider) -> Result<GatewaySetup, String> {
    let Some(g) = &s.gateway else { return Ok(GatewaySetup::default()) };
    let mut setup = GatewaySetup::default();
    if let Some(cedar) = &g.cedar {
        let file = g.policies.as_ref().ok_or_else(|| format!("the policy file `{cedar}` was not read: load the scenario from its file"))?;
        let policies = Policies::parse(&file.text).map_err(|problems| {
            let first = problems.first().map(|p| p.message.clone()).unwrap_or_default();
            format!("the policy file `{}` does not validate: {first}", file.path)
        })?;
        let critical = s.projects.iter().flat_map(|p| p.volumes.iter().filter(|v| v.critical).map(move |v| (p, v)));
        let critical: Vec<String> = provider.with_state(|state| {
            critical.filter_map(|(p, v)| state.project_id(&p.name).ok().and_then(|pid| state.volume_id(&pid, &v.name).ok())).collect()
        });
        let mut layer =
            cedar_gateway(provider.clone(), policies).critical(critical).agent(s.agent.name.clone().unwrap_or_else(|| "agent".into()));
        for t in &s.tokens {
            layer = layer.purpose(t.name.clone(), t.purpose.iter().cloned());
        }
        setup.layers.push(Box::new(layer));
    }
    if let Some(proxy) = &g.proxy {
        let listen = match &proxy.url {
            Some(url) => {
                let (_, port) = loopback_address(url)?;
                Some(([127, 0, 0, 1], port).into())
            }
            None => None,
        };
        let cfg =
            ProxyConfig { command: proxy.command.clone(), listen, mock_port: proxy.mock_port, dir: g.dir.clone().unwrap_or_default() };
        setup.proxy = Some(ProxyGateway::start(provider.clone(), cfg).await?);
        setup.layers.push(Box::new(ProxyLayer));
    }
    Ok(setup)
}
