//! `Timeline`: what a run records as it goes: every event in order, every destructive attempt
//! with the layer that stopped it, the tokens the agent found and where, and what each token was
//! used for.

use std::collections::{BTreeMap, BTreeSet};

use crate::agent::Repo;
use crate::report::{DestructiveAttempt, Discovery, Minted, TimelineEvent};

#[derive(Default)]
pub(crate) struct Timeline {
    pub events: Vec<TimelineEvent>,
    pub attempts: Vec<DestructiveAttempt>,
    pub found: BTreeMap<String, Discovery>,
    pub used_ops: BTreeMap<String, BTreeSet<String>>,
    pub minted: Vec<Minted>,
}

impl Timeline {
    /// Records `event`; the index lets effects found later land on it.
    pub fn push(&mut self, event: TimelineEvent) -> usize {
        self.events.push(event);
        self.events.len() - 1
    }

    /// Adds effect lines to the event at `index`.
    pub fn note(&mut self, index: usize, lines: impl IntoIterator<Item = String>) {
        if let Some(e) = self.events.get_mut(index) {
            e.effect.extend(lines);
        }
    }

    /// The tokens whose secrets `text` (seen at `place` by `step`) reveals for the first time,
    /// as effect lines.
    pub fn discover(&mut self, repo: &Repo, step: usize, text: &str, place: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, secret) in repo.tokens_in(text) {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.found.entry(name) {
                lines.push(format!("found token `{}` in {place}", slot.key()));
                slot.insert(Discovery { step: Some(step), place: place.to_string(), secret });
            }
        }
        lines
    }

    /// Records that `token` was used for `ops`.
    pub fn used(&mut self, token: Option<&str>, ops: impl IntoIterator<Item = String>) {
        if let Some(t) = token {
            self.used_ops.entry(t.to_string()).or_default().extend(ops);
        }
    }
}
