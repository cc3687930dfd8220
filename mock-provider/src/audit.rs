//! The audit log: every request, allowed or denied, with what each root field decided and did.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::auth::Decision;
use crate::state::Change;
use crate::time::Instant;

/// One request as the provider saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
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
    pub fields: Vec<FieldRecord>,
    /// Errors not tied to a root field: bad documents, unknown project tokens.
    pub errors: Vec<String>,
}

/// What one root field asked for, what authorization decided and what it changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldRecord {
    pub field: String,
    pub arguments: serde_json::Value,
    pub decision: Option<Decision>,
    pub error: Option<String>,
    pub effect: Vec<Change>,
}

impl FieldRecord {
    /// A root field of a document that never reached a resolver.
    pub(crate) fn not_executed(field: String) -> Self {
        FieldRecord { field, arguments: serde_json::Value::Null, decision: None, error: Some("not executed".into()), effect: Vec::new() }
    }
}

/// A bounded log: long `serve` sessions under load keep the newest entries and count the rest.
/// Bounded by count and by bytes (`limits::AUDIT_MAX_BYTES`); each entry's strings and arguments
/// are kept as bounded copies (`audit_trim`).
#[derive(Clone, Debug)]
pub struct Audit {
    entries: VecDeque<AuditEntry>,
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
    pub(crate) fn push(&mut self, e: AuditEntry) {
        let e = crate::audit_trim::trim_entry(e);
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
    pub fn iter(&self) -> impl Iterator<Item = &AuditEntry> {
        self.entries.iter()
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
