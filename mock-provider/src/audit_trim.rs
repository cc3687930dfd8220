//! Bounded copies of what the audit keeps: long strings cut to a prefix that says how much was
//! dropped, argument objects cut to a byte budget, and an estimate of an entry's size so the log
//! can hold a byte budget as well as a count.
//!
//! Why: the audit is kept for a whole `serve` session, and an agent's request can carry ids and
//! values of any length. Keeping a prefix keeps the entry readable (which id was tried, which
//! error came back) without letting 2,000 requests with a 97 KB id hold 200 MB.

use serde_json::Value;

use crate::audit::{AuditEntry, FieldRecord};
use crate::limits::{AUDIT_MAX_ARGUMENTS_BYTES, AUDIT_MAX_STRING_BYTES};

/// `s` whole when short, else its first `AUDIT_MAX_STRING_BYTES` (on a character boundary) and a
/// note of how many bytes were dropped.
pub(crate) fn trim_string(s: String) -> String {
    if s.len() <= AUDIT_MAX_STRING_BYTES {
        return s;
    }
    let mut cut = AUDIT_MAX_STRING_BYTES;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes dropped)", &s[..cut], s.len() - cut)
}

/// `v` with every string trimmed, and everything past `AUDIT_MAX_ARGUMENTS_BYTES` (in document
/// order) replaced by one note saying how many values were dropped.
pub(crate) fn trim_arguments(v: Value) -> Value {
    let mut budget = AUDIT_MAX_ARGUMENTS_BYTES;
    let mut dropped = 0usize;
    let v = trim_value(v, &mut budget, &mut dropped);
    if dropped == 0 {
        return v;
    }
    let note = Value::String(format!("{dropped} values dropped: the arguments were over {AUDIT_MAX_ARGUMENTS_BYTES} bytes"));
    match v {
        Value::Object(mut map) => {
            map.insert("…".into(), note);
            Value::Object(map)
        }
        _ => note,
    }
}

fn trim_value(v: Value, budget: &mut usize, dropped: &mut usize) -> Value {
    match v {
        Value::String(s) => {
            let s = trim_string(s);
            *budget = budget.saturating_sub(s.len() + 2);
            Value::String(s)
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if *budget == 0 {
                    *dropped += 1;
                    continue;
                }
                out.push(trim_value(item, budget, dropped));
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, item) in map {
                if *budget == 0 {
                    *dropped += 1;
                    continue;
                }
                let k = trim_string(k);
                *budget = budget.saturating_sub(k.len() + 4);
                out.insert(k, trim_value(item, budget, dropped));
            }
            Value::Object(out)
        }
        other => {
            *budget = budget.saturating_sub(8);
            other
        }
    }
}

/// The entry as the audit keeps it: every caller-supplied string and value bounded.
pub(crate) fn trim_entry(mut e: AuditEntry) -> AuditEntry {
    e.user_agent = e.user_agent.map(trim_string);
    e.x_source = e.x_source.map(trim_string);
    e.operation_name = e.operation_name.map(trim_string);
    e.errors = e.errors.into_iter().map(trim_string).collect();
    e.fields = e.fields.into_iter().map(trim_field).collect();
    e
}

fn trim_field(mut f: FieldRecord) -> FieldRecord {
    f.arguments = trim_arguments(f.arguments);
    f.error = f.error.map(trim_string);
    f.target = f.target.map(trim_string);
    f
}

/// An estimate of the bytes an entry holds: its strings plus a fixed overhead per part. Used to
/// keep the log under `limits::AUDIT_MAX_BYTES`.
pub(crate) fn entry_bytes(e: &AuditEntry) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let mut n = 256 + e.trace_id.len() + e.channel.len() + e.token_kind.len();
    n += opt(&e.token) + opt(&e.header) + opt(&e.user_agent) + opt(&e.x_source) + opt(&e.operation_name);
    n += e.errors.iter().map(|s| s.len() + 24).sum::<usize>();
    for f in &e.fields {
        n += 128 + f.field.len() + opt(&f.error) + json_bytes(&f.arguments);
        n += f.effect.iter().map(|c| 128 + c.id.len() + c.name.len() + opt(&c.detail)).sum::<usize>();
        n += opt(&f.target);
        n += f.authorization.as_ref().map_or(0, |a| {
            let scope = a
                .scope
                .as_ref()
                .map_or(0, |s| 64 + s.describe.len() + s.environments.iter().chain(&s.protected).map(|e| 24 + e.len()).sum::<usize>());
            128 + a.decision.reason().len() + scope
        });
    }
    n
}

fn json_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => 24 + s.len(),
        Value::Array(items) => 24 + items.iter().map(json_bytes).sum::<usize>(),
        Value::Object(map) => 48 + map.iter().map(|(k, v)| 24 + k.len() + json_bytes(v)).sum::<usize>(),
        _ => 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_strings_are_kept_whole_and_long_ones_say_what_was_dropped() {
        assert_eq!(trim_string("abc".into()), "abc");
        let long = "é".repeat(AUDIT_MAX_STRING_BYTES); // two bytes each: the cut lands mid-character
        let t = trim_string(long.clone());
        assert!(t.len() < AUDIT_MAX_STRING_BYTES + 40, "{}", t.len());
        assert!(long.starts_with(t.split('…').next().unwrap()));
        assert!(t.ends_with(&format!("({} bytes dropped)", long.len() - AUDIT_MAX_STRING_BYTES)), "{}", &t[t.len() - 30..]);
    }

    #[test]
    fn arguments_over_the_budget_keep_a_prefix_and_a_note() {
        let small = serde_json::json!({"volumeId": "a-uuid", "input": {"name": "x"}});
        assert_eq!(trim_arguments(small.clone()), small);
        let huge = serde_json::json!({"volumeId": "x".repeat(97_000)});
        let t = trim_arguments(huge);
        assert!(t["volumeId"].as_str().unwrap().ends_with("bytes dropped)"));
        let many = serde_json::json!({"input": {"variables": (0..10_000).map(|n| (format!("K{n}"), serde_json::Value::String("v".repeat(100)))).collect::<serde_json::Map<_, _>>()}});
        let t = trim_arguments(many);
        assert!(t.to_string().len() < 2 * AUDIT_MAX_ARGUMENTS_BYTES, "{}", t.to_string().len());
        assert!(t["…"].as_str().unwrap().contains("values dropped"), "{t}");
    }
}
