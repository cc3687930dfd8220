//! Shared test fixtures: the demo world, its ids by name, and one way to send a request.

use crate::model::Id;
use crate::profile::Profile;
use crate::provider::{Provider, ProviderResponse};
use crate::request::ProviderRequest;

/// How a test request carries its credential.
#[derive(Clone, Copy, Debug)]
pub enum Cred<'a> {
    /// No credential at all.
    Anonymous,
    /// A demo token by name, sent the way the CLI sends its kind: project tokens as
    /// `Project-Access-Token`, the others as `Authorization: Bearer`.
    Token(&'a str),
    /// A raw secret as `Authorization: Bearer`.
    Bearer(&'a str),
    /// A raw value as `Authorization`, without `Bearer`.
    Authorization(&'a str),
    /// A raw secret as `Project-Access-Token`.
    ProjectSecret(&'a str),
}

pub fn demo(profile: Profile) -> Provider {
    Provider::demo(profile).unwrap()
}

/// Ids of the demo world's resources, by the names tests use in `{placeholders}`.
pub fn ids(p: &Provider) -> Vec<(&'static str, Id)> {
    p.with_state(|s| {
        let pocketos = s.project_id("pocketos").unwrap();
        let marketing = s.project_id("marketing").unwrap();
        let production = s.environment_id(&pocketos, "production").unwrap();
        let staging = s.environment_id(&pocketos, "staging").unwrap();
        let pg_data = s.volume_id(&pocketos, "pg-data").unwrap();
        let instance =
            |env: &Id| s.volume_instances().values().find(|i| i.volume_id == pg_data && &i.environment_id == env).unwrap().id.clone();
        // Backups die with a hard-deleted volume; their placeholders then fill in as empty strings.
        let backup = |inst: &Id| {
            s.backups().values().filter(|b| &b.volume_instance_id == inst).map(|b| b.id.clone()).next_back().unwrap_or_default()
        };
        let (prod_instance, staging_instance) = (instance(&production), instance(&staging));
        vec![
            ("workspace", s.workspace_id("pocketos").unwrap()),
            ("marketing", marketing.clone()),
            ("marketing_production", s.environment_id(&marketing, "production").unwrap()),
            ("api", s.service_id(&pocketos, "api").unwrap()),
            ("postgres", s.service_id(&pocketos, "postgres").unwrap()),
            ("prod_backup", backup(&prod_instance)),
            ("staging_backup", backup(&staging_instance)),
            ("prod_instance", prod_instance),
            ("staging_instance", staging_instance),
            ("pocketos", pocketos),
            ("production", production),
            ("staging", staging),
            ("pg_data", pg_data),
        ]
    })
}

/// `text` with every `{name}` replaced by the demo id of that name.
pub fn fill(p: &Provider, text: &str) -> String {
    ids(p).into_iter().fold(text.to_string(), |t, (name, id)| t.replace(&format!("{{{name}}}"), &id))
}

pub fn secret(p: &Provider, token: &str) -> String {
    p.with_state(|s| s.token_named(token).unwrap().secret.clone())
}

pub fn send(p: &Provider, cred: Cred<'_>, query: &str, variables: Option<serde_json::Value>) -> ProviderResponse {
    let mut r = ProviderRequest::new(fill(p, query));
    if let Some(v) = variables {
        r = r.variables(serde_json::from_str(&fill(p, &v.to_string())).unwrap());
    }
    let r = match cred {
        Cred::Anonymous => r,
        Cred::Token(name) => {
            let kind = p.with_state(|s| s.token_named(name).unwrap().kind.label());
            let secret = secret(p, name);
            if kind == "project" { r.project_token(secret) } else { r.bearer(secret) }
        }
        Cred::Bearer(s) => r.bearer(s),
        Cred::Authorization(s) => {
            r.credentials.authorization = Some(s.to_string());
            r
        }
        Cred::ProjectSecret(s) => r.project_token(s),
    };
    p.execute_blocking(r)
}

/// The `extensions.code` of every error.
pub fn codes(r: &ProviderResponse) -> Vec<String> {
    r.errors().iter().map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_string()).collect()
}
