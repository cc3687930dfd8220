//! The audit log: every request, allowed or denied, with what each root field decided and did.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::auth::Authorization;
use crate::model::RequestId;
use crate::ops::OpClass;
use crate::state::Change;
use crate::time::Instant;

/// One request as the provider saw it. `Provider::execute` hands the caller this record of its
/// own request, so no caller needs to read the log back to learn what it just did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The request's id: provider events caused by it, now or later, carry it as their origin.
    pub seq: RequestId,
    pub at: Instant,
    pub trace_id: String,
    /// How the request arrived: `http`, `in-process`, or a caller-chosen label.
    pub channel: String,
    pub token: Option<String>,
    /// `account`, `workspace`, `project`, or `anonymous`.
    pub token_kind: String,
    /// The header that carried the credential, if any.
    pub header: Option<String>,
    pub user_agent: Option<String>,
    pub x_source: Option<String>,
    pub operation_name: Option<String>,
    /// How far the request got before the provider answered.
    pub stage: Stage,
    pub fields: Vec<FieldRecord>,
    /// Errors not tied to a root field: bad documents, unknown project tokens, a project token
    /// in the wrong header (`MISPLACED_PROJECT_TOKEN`).
    pub errors: Vec<String>,
}

/// How far a request got inside the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// A `Project-Access-Token` the provider does not know: refused before the document was read.
    /// (An unknown bearer token is no error: its request runs as anonymous.)
    Unauthenticated,
    /// The document was refused before any field ran: it does not parse, breaks a limit, or
    /// fails validation. No authorization decision was made.
    Malformed,
    /// The document's root fields ran, each with its own authorization decision.
    Executed,
}

/// What one root field asked for, what authorization decided (once, with the scope it decided
/// on) and what it changed at once. Later effects are provider events whose origin is the
/// request's `seq`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldRecord {
    pub field: String,
    pub arguments: serde_json::Value,
    /// The provider's class of this call: from its arguments where they decide (a
    /// `variableCollectionUpsert` with `replace: true` is destructive), the catalogue's otherwise
    /// (also for a field that never ran). A destructive attempt is a field classed `Destructive`.
    pub class: OpClass,
    /// `None` when the field never reached authorization (a malformed document).
    pub authorization: Option<Authorization>,
    /// The resource the field names, as the provider names it (`volume pocketos/pg-data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub error: Option<String>,
    pub effect: Vec<Change>,
}

/// A bounded log: long `serve` sessions under load keep the newest entries and count the rest.
/// Bounded by count and by bytes (`limits::AUDIT_MAX_BYTES`); each entry's strings and arguments
/// are kept as bounded copies (`audit_trim`).
#[derive(Clone, Debug)]
pub struct Audit {
    /// Shared with the response that answered each request (`ProviderResponse::record`).
    entries: VecDeque<Arc<AuditEntry>>,
    capacity: usize,
    dropped: u64,
    next_seq: u64,
    bytes: usize,
}

impl Audit {
    pub fn new(capacity: usize) -> Self {
        Audit { entries: VecDeque::new(), capacity: capacity.max(1), dropped: 0, next_seq: 1, bytes: 0 }
    }
    pub(crate) fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }
    /// Keeps `e` (already trimmed to bounded copies by `audit_trim::trim_entry`), evicting the
    /// oldest entries while the log is over its count or its byte budget.
    pub(crate) fn push(&mut self, e: Arc<AuditEntry>) {
        let size = crate::audit_trim::entry_bytes(&e);
        while !self.entries.is_empty() && (self.entries.len() >= self.capacity || self.bytes + size > crate::limits::AUDIT_MAX_BYTES) {
            if let Some(old) = self.entries.pop_front() {
                self.bytes = self.bytes.saturating_sub(crate::audit_trim::entry_bytes(&old));
                self.dropped += 1;
            }
        }
        self.bytes += size;
        self.entries.push_back(e);
    }
    /// The entry of request `seq`, if the log still holds it. Requests finish in any order, so
    /// this looks the number up rather than taking the newest entry.
    pub fn entry(&self, seq: RequestId) -> Option<Arc<AuditEntry>> {
        self.entries.iter().rev().find(|e| e.seq == seq).cloned()
    }
    pub fn iter(&self) -> impl Iterator<Item = &AuditEntry> {
        self.entries.iter().map(|e| &**e)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The estimated bytes the kept entries hold.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
    /// Entries evicted because the log was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}
