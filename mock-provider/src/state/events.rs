//! What changed and why: the provider's own record of effects, read by the harness's timeline.

use serde::{Deserialize, Serialize};

use crate::model::RequestId;
use crate::ops::ResourceKind;
use crate::time::Instant;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderEvent {
    pub at: Instant,
    pub cause: Cause,
    pub change: Change,
    /// The request whose effect this is, when one caused it (directly or through the clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<RequestId>,
}

/// Who or what caused a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// A request's root field, by operation name.
    Request(String),
    /// A backup schedule firing.
    Schedule,
    /// Retention running out.
    Expiry,
    /// A grace window closing.
    Purge,
    /// An asynchronous workflow completing.
    Workflow,
    /// The out-of-band admin surface (support's e-mailed restore link, the world's seeding).
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Created,
    Updated,
    Deleted,
    SoftDeleted,
    Purged,
    Restored,
    Expired,
    Locked,
    Unmounted,
    Failed,
}

/// One effect on one resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub action: Action,
    pub kind: ResourceKind,
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Change {
    pub fn new(action: Action, kind: ResourceKind, id: &str, name: impl Into<String>) -> Self {
        Change { action, kind, id: id.to_string(), name: name.into(), detail: None }
    }
    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = serde_json::to_value(self.action).ok();
        let kind = serde_json::to_value(self.kind).ok();
        let a = action.as_ref().and_then(|v| v.as_str()).unwrap_or("changed");
        let k = kind.as_ref().and_then(|v| v.as_str()).unwrap_or("resource");
        write!(f, "{k} `{}` {a}", self.name)?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}
