//! A JSON dump of the whole state, for the admin surface and for debugging a drill.

use serde_json::{Value, json};

use super::State;

impl State {
    /// Every resource, deleted instances included, in id order. Token secrets are shown: this
    /// is a mock, and its secrets are fake by construction.
    pub fn dump(&self) -> Value {
        fn list<T: serde::Serialize>(m: &std::collections::BTreeMap<String, T>) -> Value {
            Value::Array(m.values().filter_map(|v| serde_json::to_value(v).ok()).collect())
        }
        let variables: Vec<Value> = self.variables.iter().map(|(k, v)| json!({ "scope": k, "variables": v })).collect();
        json!({
            "now": self.now,
            "profile": self.profile,
            "users": list(&self.users),
            "workspaces": list(&self.workspaces),
            "projects": list(&self.projects),
            "environments": list(&self.environments),
            "services": list(&self.services),
            "volumes": list(&self.volumes),
            "volume_instances": list(&self.instances),
            "backups": list(&self.backups),
            "schedules": list(&self.schedules),
            "workflows": list(&self.workflows),
            "custom_domains": list(&self.custom_domains),
            "service_domains": list(&self.service_domains),
            "tokens": list(&self.tokens),
            "variables": variables,
        })
    }

    /// Marks an environment protected (the `hardened` profile's deletion protection). Railway's
    /// API has no field for this, so it is set through the world or the admin surface.
    pub fn set_environment_protected(&mut self, id: &str, protected: bool) -> Result<(), crate::ProviderError> {
        let e = self.environments.get_mut(id).ok_or_else(|| crate::ProviderError::not_found("Environment", id))?;
        e.protected = protected;
        Ok(())
    }

    /// Sets a token's operation scopes (`None`: unrestricted); enforced under `token_scopes`.
    pub fn set_token_scopes(&mut self, name: &str, scopes: Option<Vec<String>>) -> Result<(), crate::ProviderError> {
        let t = self.tokens.values_mut().find(|t| t.name == name).ok_or_else(|| crate::ProviderError::not_found("Token", name))?;
        t.scopes = scopes.map(|s| s.into_iter().collect());
        Ok(())
    }
}
