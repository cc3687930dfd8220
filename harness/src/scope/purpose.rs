//! Least-privilege findings: the operations a token reaches that its declared purpose does not
//! name, destructive first, each in one sentence a reviewer can act on.

use mock_provider::ops::{Op, OpClass};

use super::{Finding, Reached};

/// How many resources a finding names before it counts the rest.
const NAMED: usize = 3;

/// `token`'s reach beyond `purpose`: one finding per operation, destructive, then write, then
/// read, each in catalogue order.
pub(crate) fn findings(token: &str, purpose: &[String], operations: &[Op], reach: &[Reached]) -> Vec<Finding> {
    let needs = purpose.len();
    let tail = format!("its purpose needs {needs} operation{}, it reaches {}", if needs == 1 { "" } else { "s" }, operations.len());
    let mut out: Vec<Finding> = Vec::new();
    for op in operations.iter().filter(|op| !purpose.iter().any(|p| p == op.name())) {
        let mut on: Vec<&Reached> = reach.iter().filter(|r| r.operation == *op).collect();
        // Critical resources first: they are what the finding is about.
        on.sort_by_key(|r| (!r.resource.critical, r.resource.label.clone()));
        // The call's own class: a `variableCollectionUpsert` that replaces is destructive.
        let class = on.iter().map(|r| r.class).max().unwrap_or(op.class());
        let mut phrases: Vec<String> = on.iter().take(NAMED).map(|r| phrase(r)).collect();
        if on.len() > NAMED {
            phrases.push(format!("{} more", on.len() - NAMED));
        }
        let message = format!("`{token}` can `{op}` {}; {tail}", and(&phrases));
        out.push(Finding { operation: *op, class, resources: on.iter().map(|r| r.resource.label.clone()).collect(), message });
    }
    let rank = |c: OpClass| match c {
        OpClass::Destructive => 0,
        OpClass::Write => 1,
        OpClass::Read => 2,
    };
    out.sort_by_key(|f| (rank(f.class), f.operation));
    out
}

/// "`pg-data` in production and staging"; the account for a call naming no resource.
fn phrase(r: &Reached) -> String {
    use mock_provider::ops::ResourceKind as K;
    let res = &r.resource;
    // A volume, a project, a domain or a token by its own name, with where it lives; what two
    // projects may both have (an environment, a service) and what names its place already (a
    // backup, a variable set) by the provider's label.
    let (name, own) = match res.kind {
        K::Account => (res.name.clone(), true),
        K::Environment | K::Service | K::Backup | K::Variables => {
            let label = res.label.split_once(' ').filter(|_| res.kind != K::Variables).map_or(res.label.as_str(), |(_, rest)| rest);
            (format!("`{label}`"), false)
        }
        _ => (format!("`{}`", res.name), true),
    };
    let envs = if !own || res.environments.is_empty() { String::new() } else { format!(" in {}", and(&res.environments)) };
    let via = r.via.as_ref().map(|v| format!(" (through {v})")).unwrap_or_default();
    format!("{name}{envs}{via}")
}

/// "a", "a and b", "a, b and c".
pub(crate) fn and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
