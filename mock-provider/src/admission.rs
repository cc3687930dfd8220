//! A request's way in, before async-graphql sees it: the text limits, the parse (cached), the
//! document limits, the variables, and whether full validation already passed for it (cached).
//!
//! Why this shape: parsing is over a third of a small request's cost and validation a fifth, and
//! drills, clients and benchmarks send the same few documents again and again, so both are
//! cached by text. Both caches are bounded in bytes (`limits::PARSED_CACHE_BYTES`,
//! `limits::VALIDATION_CACHE_BYTES`) and skip requests larger than
//! `limits::CACHED_REQUEST_MAX_BYTES`, so no request stream can grow them. No lock is held while
//! a document is parsed or checked.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use async_graphql::parser::types::ExecutableDocument;

use crate::document_limits::{self, Admitted};
use crate::error::ProviderError;
use crate::limits::{CACHED_REQUEST_MAX_BYTES, PARSED_CACHE_BYTES, VALIDATION_CACHE_BYTES};
use crate::request::ProviderRequest;

/// A request that passed every limit.
pub(crate) struct Admission {
    /// The parsed document; `None` when it does not parse (async-graphql then reports why).
    pub parsed: Option<ExecutableDocument>,
    /// The key under which the request's full validation is remembered; `None` when it is too
    /// large to cache.
    pub validation_key: Option<String>,
}

/// A request refused by a limit, with the root fields it named when it parsed (for the audit).
#[derive(Clone)]
pub(crate) struct Refusal {
    pub error: ProviderError,
    /// Each root field with whether its operation is a mutation.
    pub root_fields: Vec<(String, bool)>,
}

/// Checks `req` against every limit, cheapest first.
pub(crate) fn admit(req: &ProviderRequest) -> Result<Admission, Refusal> {
    document_limits::check_text(&req.query).map_err(|error| Refusal { error, root_fields: Vec::new() })?;
    let (doc, admitted) = match parsed(&req.query) {
        Some(Ok(hit)) => hit,
        Some(Err(refusal)) => return Err(refusal),
        None => return Ok(Admission { parsed: None, validation_key: None }),
    };
    let variables_size = document_limits::check_variables(&admitted, req.variables.as_ref())
        .map_err(|error| Refusal { error, root_fields: crate::provider::named_in(&doc, None) })?;
    let size = req.query.len() + req.operation_name.as_ref().map_or(0, String::len) + variables_size;
    let validation_key = (size <= CACHED_REQUEST_MAX_BYTES).then(|| {
        let vars = req.variables.as_ref().map(|v| v.to_string()).unwrap_or_default();
        format!("{}\u{0}{}\u{0}{}", req.query, req.operation_name.as_deref().unwrap_or(""), vars)
    });
    Ok(Admission { parsed: Some(doc), validation_key })
}

/// A byte-bounded set or map: cleared when the next entry would take it over its budget.
struct Bounded<V> {
    map: HashMap<String, V>,
    bytes: usize,
}

impl<V> Bounded<V> {
    fn new() -> Self {
        Bounded { map: HashMap::new(), bytes: 0 }
    }
    fn insert(&mut self, key: String, value: V, budget: usize) {
        if self.map.contains_key(&key) {
            return;
        }
        if self.bytes + key.len() > budget {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += key.len();
        self.map.insert(key, value);
    }
}

type Verdict = Result<(ExecutableDocument, Admitted), Refusal>;

/// The parsed document and its limits' verdict, from the cache or parsed now (outside the lock).
/// `None` when the text does not parse (async-graphql reports why). Refusals are cached too, so
/// a hostile document sent again is refused without being parsed again.
fn parsed(query: &str) -> Option<Verdict> {
    static CACHE: OnceLock<Mutex<Bounded<Verdict>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Bounded::new()));
    if let Some(hit) = cache.lock().unwrap_or_else(|p| p.into_inner()).map.get(query) {
        return Some(hit.clone());
    }
    let doc = async_graphql::parser::parse_query(query).ok()?;
    let verdict = match document_limits::check_document(&doc) {
        Ok(admitted) => Ok((doc, admitted)),
        Err(error) => Err(Refusal { error, root_fields: crate::provider::named_in(&doc, None) }),
    };
    if query.len() <= CACHED_REQUEST_MAX_BYTES {
        cache.lock().unwrap_or_else(|p| p.into_inner()).insert(query.to_string(), verdict.clone(), PARSED_CACHE_BYTES);
    }
    Some(verdict)
}

/// The parsed document of a request already admitted, for the rare paths that need it after
/// execution (null propagation, auditing a document that never reached a resolver).
pub(crate) fn document(query: &str) -> Option<ExecutableDocument> {
    match parsed(query)? {
        Ok((doc, _)) => Some(doc),
        Err(_) => None,
    }
}

fn validated_set() -> &'static Mutex<Bounded<()>> {
    static SET: OnceLock<Mutex<Bounded<()>>> = OnceLock::new();
    SET.get_or_init(|| Mutex::new(Bounded::new()))
}

/// True when the request under `key` already passed full validation.
pub(crate) fn validated(key: &str) -> bool {
    validated_set().lock().unwrap_or_else(|p| p.into_inner()).map.contains_key(key)
}

pub(crate) fn remember_validated(key: String) {
    validated_set().lock().unwrap_or_else(|p| p.into_inner()).insert(key, (), VALIDATION_CACHE_BYTES);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_cache_never_holds_more_than_its_budget() {
        let mut cache = Bounded::new();
        for n in 0..10_000 {
            cache.insert(format!("{n:0>100}"), (), 10_000);
            assert!(cache.bytes <= 10_000, "{}", cache.bytes);
            assert_eq!(cache.bytes, cache.map.keys().map(String::len).sum::<usize>());
        }
        assert!(!cache.map.is_empty(), "it keeps the newest entries");
    }

    #[test]
    fn a_request_too_large_to_cache_gets_no_validation_key() {
        let small = ProviderRequest::new("{ me { id } }");
        assert!(admit(&small).ok().and_then(|a| a.validation_key).is_some());
        let large = ProviderRequest::new(format!("{{ me {{ id }} }} #{}", "x".repeat(CACHED_REQUEST_MAX_BYTES)));
        let admission = admit(&large).ok().unwrap();
        assert!(admission.parsed.is_some() && admission.validation_key.is_none());
    }
}
