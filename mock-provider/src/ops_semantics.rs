//! SEMANTICS.md's destructive operations and the catalogue agree, read from the page itself: the
//! operations its "Deletion regimes" section names are destructive (with the arguments it gives,
//! per call), and every operation the catalogue classes destructive is one the page or the
//! operation's own name says deletes something.

use crate::ops::{Op, OpClass};
use crate::state::Command;

const SEMANTICS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/railway/SEMANTICS.md"));

/// Operations the section names that undo a deletion rather than make one: `projectScheduleDelete`
/// "with `projectScheduleDeleteCancel`", its way back.
const UNDOES_A_DELETION: &[&str] = &["projectScheduleDeleteCancel"];

/// One operation as the page writes it: `variableCollectionUpsert(replace: true)`.
#[derive(Debug)]
struct Named {
    op: Op,
    /// Arguments the page gives a value, as JSON (`replace` → `true`).
    given: Vec<(String, serde_json::Value)>,
}

/// The text of the `## {title}` section, up to the next `## ` heading.
fn section(title: &str) -> &'static str {
    let start = SEMANTICS.find(&format!("\n## {title}")).unwrap_or_else(|| panic!("SEMANTICS.md has no `## {title}` section"));
    let rest = &SEMANTICS[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

/// Every code span of `text` that names a catalogued operation, with the arguments it gives.
fn named_operations(text: &str) -> Vec<Named> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            let (name, args) = match span.split_once('(') {
                Some((name, args)) => (name, args.trim_end_matches(')')),
                None => (span, ""),
            };
            let op = Op::from_name(name.trim())?;
            let given = args
                .split(',')
                .filter_map(|a| a.split_once(':'))
                .map(|(k, v)| (camel_to_snake(k.trim()), serde_json::from_str(v.trim()).unwrap_or_else(|_| v.trim().into())))
                .collect();
            Some(Named { op, given })
        })
        .collect()
}

fn camel_to_snake(s: &str) -> String {
    s.chars().fold(String::new(), |mut out, c| {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        out
    })
}

/// A command of `op` with the page's arguments over neutral ones, for the per-call class.
fn command(named: &Named) -> Command {
    let mut json = match named.op {
        Op::VariableCollectionUpsert => {
            serde_json::json!({ "project_id": "p", "environment_id": "e", "service_id": null, "variables": {}, "replace": false })
        }
        other => panic!("SEMANTICS.md gives `{other}` arguments: add a neutral `{other}` command here to class it per call"),
    };
    json["op"] = named.op.name().into();
    for (k, v) in &named.given {
        json[k] = v.clone();
    }
    serde_json::from_value(json).unwrap_or_else(|e| panic!("SEMANTICS.md's `{}` {:?} is no command: {e}", named.op, named.given))
}

/// The page's bullets (`- …` and their continuation lines), one string each.
fn bullets() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in SEMANTICS.lines() {
        if let Some(b) = line.strip_prefix("- ") {
            out.push(b.to_string());
        } else if line.starts_with("  ")
            && let Some(last) = out.last_mut()
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    out
}

#[test]
fn every_operation_the_deletion_regimes_name_is_destructive_as_the_page_calls_it() {
    let named = named_operations(section("Deletion regimes"));
    assert!(named.len() >= 8, "the section should name the deletion operations: {named:?}");
    for n in &named {
        let class = if n.given.is_empty() { n.op.class() } else { command(n).class() };
        let expected = if UNDOES_A_DELETION.contains(&n.op.name()) { OpClass::Write } else { OpClass::Destructive };
        assert_eq!(class, expected, "SEMANTICS.md's `{}` {:?}", n.op, n.given);
    }
}

#[test]
fn the_arguments_the_page_gives_are_the_ones_that_make_the_call_destructive() {
    for n in named_operations(section("Deletion regimes")).iter().filter(|n| !n.given.is_empty()) {
        let without = Named { op: n.op, given: Vec::new() };
        assert_eq!(command(&without).class(), n.op.class(), "`{}` without {:?} is classed by the catalogue", n.op, n.given);
        assert_ne!(command(n).class(), command(&without).class(), "`{}` {:?} should change the call's class", n.op, n.given);
    }
}

#[test]
fn every_destructive_operation_of_the_catalogue_deletes_by_its_name_or_by_the_page() {
    let listed: Vec<Op> = named_operations(section("Deletion regimes")).iter().map(|n| n.op).collect();
    let bullets = bullets();
    for op in Op::ALL.iter().copied() {
        let by_name = op.name().ends_with("Delete");
        if by_name {
            assert_eq!(op.class(), OpClass::Destructive, "`{op}` deletes what it names");
        }
        if op.class() != OpClass::Destructive || by_name || listed.contains(&op) {
            continue;
        }
        let span = format!("`{op}");
        let says = bullets.iter().any(|b| b.contains(&span) && b.contains("delet"));
        assert!(says, "`{op}` is destructive in the catalogue, yet neither its name nor SEMANTICS.md says it deletes anything");
    }
}
