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

/// A bounded log: long `serve` sessions under load keep the newest entries and count the rest.
#[derive(Clone, Debug)]
pub struct Audit {
    entries: VecDeque<AuditEntry>,
    capacity: usize,
    dropped: u64,
    next_seq: u64,
}

impl Audit {
    pub fn new(capacity: usize) -> Self {
        Audit { entries: VecDeque::new(), capacity: capacity.max(1), dropped: 0, next_seq: 1 }
    }
    pub(crate) fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }
    pub(crate) fn push(&mut self, e: AuditEntry) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
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
    /// Entries evicted because the log was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}
