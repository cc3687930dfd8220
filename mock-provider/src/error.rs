//! Provider errors, each mapped to a stable `extensions.code` in one exhaustive match.

use serde::{Deserialize, Serialize};

/// Everything the provider can refuse. Messages are Railway's where Railway has one.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum ProviderError {
    /// Railway's answer to any authorization failure; the reason goes to the audit log only.
    #[error("Not Authorized")]
    NotAuthorized { reason: String },
    /// A `Project-Access-Token` the provider does not know.
    #[error("Project Token not found")]
    ProjectTokenNotFound,
    #[error("{kind} not found")]
    NotFound { kind: String, id: String },
    #[error("{0}")]
    InvalidInput(String),
    /// The request conflicts with the resource's state (already deleting, not pending, ...).
    #[error("{0}")]
    Conflict(String),
    /// A document nested deeper than the parser may recurse (`limits::MAX_BRACKET_DEPTH`).
    #[error("{0}")]
    TooDeep(String),
    /// A request over one of `limits`' bounds, refused before validation.
    #[error("{0}")]
    LimitExceeded(String),
}

impl ProviderError {
    pub fn not_found(kind: &str, id: &str) -> Self {
        ProviderError::NotFound { kind: kind.to_string(), id: id.to_string() }
    }

    /// The stable `extensions.code`. Authorization failures carry Railway's own code.
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::NotAuthorized { .. } => "INTERNAL_SERVER_ERROR",
            ProviderError::ProjectTokenNotFound => "UNAUTHENTICATED",
            ProviderError::NotFound { .. } => "NOT_FOUND",
            ProviderError::InvalidInput(_) => "BAD_USER_INPUT",
            ProviderError::Conflict(_) => "CONFLICT",
            ProviderError::TooDeep(_) => "GRAPHQL_PARSE_FAILED",
            ProviderError::LimitExceeded(_) => "GRAPHQL_VALIDATION_FAILED",
        }
    }
}
