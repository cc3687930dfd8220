//! One GraphQL request inside the provider: its credential, the principal it resolves to, and
//! the per-request context resolvers use to authorize, act and be audited.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::audit::FieldRecord;
use crate::auth::Principal;
use crate::error::ProviderError;
use crate::model::RequestId;
use crate::ops::Op;
use crate::provider::Provider;
use crate::state::{Command, Outcome, State, Target};

/// The headers Railway reads, as the request carried them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    /// `Authorization` header value (`Bearer <token>`): account and workspace tokens.
    pub authorization: Option<String>,
    /// `Project-Access-Token` header value: project tokens. Wins over `Authorization`.
    pub project_access_token: Option<String>,
    pub user_agent: Option<String>,
    /// The Railway CLI's `x-source: CLI <version>`.
    pub x_source: Option<String>,
}

/// The header name a project token comes in.
pub(crate) const PROJECT_ACCESS_TOKEN: &str = "Project-Access-Token";

impl Credentials {
    /// The secret the provider looks up, with the header it came in: `Project-Access-Token` wins
    /// over `Authorization`, whose `Bearer` scheme is optional and read in any case and spacing.
    pub fn secret(&self) -> Option<(&'static str, &str)> {
        if let Some(secret) = &self.project_access_token {
            return Some((PROJECT_ACCESS_TOKEN, secret.trim()));
        }
        let auth = self.authorization.as_deref()?.trim();
        let secret = match auth.split_once(char::is_whitespace) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => auth,
        };
        Some(("Authorization", secret))
    }
}

/// A GraphQL request as the provider receives it, from HTTP or in-process.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderRequest {
    pub query: String,
    pub variables: Option<serde_json::Value>,
    pub operation_name: Option<String>,
    pub credentials: Credentials,
    pub channel: String,
}

impl ProviderRequest {
    pub fn new(query: impl Into<String>) -> Self {
        ProviderRequest { query: query.into(), channel: "in-process".into(), ..Default::default() }
    }
    /// Sends `secret` as `Authorization: Bearer <secret>` (account and workspace tokens).
    #[must_use]
    pub fn bearer(mut self, secret: impl AsRef<str>) -> Self {
        self.credentials.authorization = Some(format!("Bearer {}", secret.as_ref()));
        self
    }
    /// Sends `secret` as `Project-Access-Token` (project tokens).
    #[must_use]
    pub fn project_token(mut self, secret: impl Into<String>) -> Self {
        self.credentials.project_access_token = Some(secret.into());
        self
    }
    #[must_use]
    pub fn variables(mut self, v: serde_json::Value) -> Self {
        self.variables = Some(v);
        self
    }
    #[must_use]
    pub fn operation_name(mut self, name: impl Into<String>) -> Self {
        self.operation_name = Some(name.into());
        self
    }
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.credentials.user_agent = Some(ua.into());
        self
    }
    #[must_use]
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = channel.into();
        self
    }
}

/// Per-request data the resolvers reach through `ctx.data::<RequestCtx>()`.
pub struct RequestCtx {
    pub(crate) provider: Provider,
    pub(crate) principal: Principal,
    /// This request's id: every effect it causes is traced back to it.
    pub(crate) seq: RequestId,
    pub(crate) fields: Mutex<Vec<FieldRecord>>,
}

/// A provider error as a GraphQL error with its stable `extensions.code`.
pub(crate) fn graphql_error(e: &ProviderError) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    let code = e.code();
    async_graphql::Error::new(e.to_string()).extend_with(|_, ext| ext.set("code", code))
}

fn arguments(ctx: &async_graphql::Context<'_>) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    if let Ok(args) = ctx.field().arguments() {
        for (name, value) in args {
            map.insert(name.to_string(), value.into_json().unwrap_or(serde_json::Value::Null));
        }
    }
    serde_json::Value::Object(map)
}

impl RequestCtx {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    fn record(&self, r: FieldRecord) {
        self.fields.lock().unwrap_or_else(|p| p.into_inner()).push(r);
    }

    /// A root query field: authorizes `op` on `target` (once), then reads.
    pub fn read<T>(
        &self,
        ctx: &async_graphql::Context<'_>,
        op: Op,
        target: Target,
        f: impl FnOnce(&State) -> Result<T, ProviderError>,
    ) -> async_graphql::Result<T> {
        let (authorization, named, r) = self.provider.with_state(|s| {
            let authorization = s.authorize(&self.principal, op, &target);
            let r = authorization.permit(s.profile()).and_then(|()| f(s));
            (authorization, s.describe_target(&target), r)
        });
        self.record(FieldRecord {
            field: op.name().to_string(),
            arguments: arguments(ctx),
            class: op.class(),
            authorization: Some(authorization),
            target: named,
            error: r.as_ref().err().map(|e| format!("{e:?}")),
            effect: Vec::new(),
        });
        r.map_err(|e| graphql_error(&e))
    }

    /// A root mutation field: authorizes and applies `cmd`, recording decision and effect.
    pub fn mutate(&self, ctx: &async_graphql::Context<'_>, cmd: Command) -> async_graphql::Result<Outcome> {
        let op = cmd.op();
        let exec = self.provider.with_state_mut(|s| s.execute_request(self.seq, &self.principal, cmd));
        let (effect, result) = match exec.result {
            Ok((outcome, changes)) => (changes, Ok(outcome)),
            Err(e) => (Vec::new(), Err(e)),
        };
        self.record(FieldRecord {
            field: op.name().to_string(),
            arguments: arguments(ctx),
            class: exec.class,
            authorization: Some(exec.authorization),
            target: exec.target,
            error: result.as_ref().err().map(|e| format!("{e:?}")),
            effect,
        });
        result.map_err(|e| graphql_error(&e))
    }

    /// Reads state for a nested field; authorization happened at the root field.
    pub fn state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        self.provider.with_state(f)
    }
}
