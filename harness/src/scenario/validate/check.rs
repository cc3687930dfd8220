//! The test driver of validation: a small valid world, a snippet appended to it, and the
//! expected errors, one per line.

use super::super::load;

/// A valid world that snippets extend. Snippets append tables, so they can add to it
/// (`[[token]]`, `[[project.volume]]` goes to the last project) but not set top-level keys.
pub(crate) const WORLD: &str = r#"start = "2026-04-24T15:00:00Z"
[provider]
profile = "railway-2026-04"
[[workspace]]
name = "pocketos"
[[project]]
name = "pocketos"
workspace = "pocketos"
environments = ["production", "staging"]
services = ["api", "postgres"]
[[project.volume]]
name = "pg-data"
service = "postgres"
[[token]]
name = "domains-cli"
kind = "workspace"
workspace = "pocketos"
stored_in = { file = "ops/domains.env" }
[[file]]
path = "ops/domains.env"
content = "RAILWAY_API_TOKEN=${token:domains-cli}"
"#;

/// Loads `WORLD` + `snippet` and compares every error, rendered as
/// `line:column: message (help)` with lines counted from the snippet's first line, to
/// `expected` (one error per line; empty for none).
#[track_caller]
pub(crate) fn check(snippet: &str, expected: &str) {
    let world_lines = WORLD.lines().count();
    let text = format!("{WORLD}{snippet}");
    let got = match load("s.toml", &text) {
        Ok(_) => String::new(),
        Err(errors) => errors
            .iter()
            .map(|e| {
                let line = e.line().checked_sub(world_lines).map_or_else(|| format!("world {}", e.line()), |l| l.to_string());
                format!("{line}:{}: {} ({})", e.column(), e.message(), e.hint().unwrap_or("no help"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    assert_eq!(got, expected.trim(), "snippet:\n{snippet}");
}

#[test]
fn the_world_alone_is_valid() {
    check("", "");
}
