//! The scope analysis for people: text for a terminal, Markdown for a pull request. JSON is the
//! report's own serialization.
//!
//! Witness paths to critical resources are shown in full (every step and every layer's verdict);
//! other destructive paths one line each, since a workspace token reaches hundreds.

use std::fmt::Write;

use mock_provider::ops::OpClass;

use super::purpose::and;
use super::{ScopeReport, Step, TokenReach, Witness};

/// The report as text.
pub fn text(r: &ScopeReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "scope of {} (profile {})", r.scenario, r.profile);
    let _ = writeln!(o, "gateway: {}", r.gateway);
    let _ = writeln!(o, "\ntokens");
    for t in &r.tokens {
        let _ = writeln!(o, "  {}", headline(t));
        for f in t.beyond_purpose.iter().filter(|f| f.class == OpClass::Destructive) {
            let _ = writeln!(o, "    ! {}", f.message);
        }
        if let Some(rest) = others(t) {
            let _ = writeln!(o, "    also beyond its purpose: {rest}");
        }
    }
    let a = &r.agent;
    let _ = writeln!(o, "\nagent");
    for d in &a.discovered {
        let how = d.step.as_ref().map(|s| format!(" ({} `{}`)", s.key, s.text)).unwrap_or_default();
        let _ = writeln!(o, "  can discover `{}` in {}{how}", d.token, d.place);
    }
    for u in &a.undiscovered {
        let _ = writeln!(o, "  cannot discover `{}`: {}", u.token, u.why);
    }
    let critical = a.destructive.iter().filter(|w| w.resource.critical).count();
    let _ = writeln!(o, "\n  destructive reach: {} path{} ({critical} on critical resources)", a.destructive.len(), s(a.destructive.len()));
    for (i, w) in a.destructive.iter().filter(|w| w.resource.critical).enumerate() {
        path(&mut o, i + 1, w);
    }
    for w in a.destructive.iter().filter(|w| !w.resource.critical) {
        let _ = writeln!(o, "  - {}", w.key());
    }
    if !a.closed.is_empty() {
        let _ = writeln!(o, "\n  closed paths to critical resources: {}", a.closed.len());
        for (i, w) in a.closed.iter().enumerate() {
            path(&mut o, i + 1, w);
        }
    }
    o
}

fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn headline(t: &TokenReach) -> String {
    let beyond = t.beyond_purpose.len();
    format!(
        "`{}` ({}): its purpose needs {} operation{}, it reaches {}; {beyond} beyond its purpose",
        t.token,
        t.kind,
        t.purpose.len(),
        s(t.purpose.len()),
        t.operations.len()
    )
}

/// The write and read operations beyond the purpose, in one line.
fn others(t: &TokenReach) -> Option<String> {
    let rest: Vec<String> =
        t.beyond_purpose.iter().filter(|f| f.class != OpClass::Destructive).map(|f| format!("`{}`", f.operation)).collect();
    (!rest.is_empty()).then(|| rest.join(", "))
}

fn where_(w: &Witness) -> String {
    let envs = if w.resource.environments.is_empty() { String::new() } else { format!(" in {}", and(&w.resource.environments)) };
    let critical = if w.resource.critical { " (critical)" } else { "" };
    format!("{}{critical}{envs}", w.resource.label)
}

fn step(o: &mut String, indent: &str, s: &Step) {
    let _ = writeln!(o, "{indent}{} `{}`", s.channel, s.text);
    for l in &s.layers {
        let _ = writeln!(o, "{indent}  {}: {} — {}", l.layer, verdict(l.verdict), l.reason);
    }
}

fn verdict(v: crate::guardrails::Verdict) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// One witness path, every step.
fn path(o: &mut String, n: usize, w: &Witness) {
    let _ = writeln!(o, "  {n}. `{}` on {}", w.operation, where_(w));
    match &w.discovery {
        Some(d) => {
            let _ = writeln!(o, "     finds `{}` in {}:", w.token, w.found_in);
            step(o, "       ", d);
        }
        None => {
            let _ = writeln!(o, "     holds `{}` from the start ({})", w.token, w.found_in);
        }
    }
    let _ = writeln!(o, "     uses it:");
    step(o, "       ", &w.call);
    match w.stopped_by {
        None => {
            let _ = writeln!(o, "     → `{}` on {}", w.operation, w.resource.label);
        }
        Some(layer) => {
            let _ = writeln!(o, "     ✗ stopped by {layer}");
        }
    }
}

/// The report as Markdown.
pub fn markdown(r: &ScopeReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Scope of `{}`\n", r.scenario);
    let _ = writeln!(o, "Profile `{}`. Gateway: {}.\n", r.profile, r.gateway);
    let _ = writeln!(o, "## Tokens\n");
    let _ = writeln!(o, "| token | kind | purpose | reaches | beyond purpose |");
    let _ = writeln!(o, "|---|---|---|---|---|");
    for t in &r.tokens {
        let _ = writeln!(o, "| `{}` | {} | {} | {} | {} |", t.token, t.kind, t.purpose.len(), t.operations.len(), t.beyond_purpose.len());
    }
    let findings: Vec<&str> = r
        .tokens
        .iter()
        .flat_map(|t| t.beyond_purpose.iter().filter(|f| f.class == OpClass::Destructive))
        .map(|f| f.message.as_str())
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(o, "\n### Destructive reach beyond purpose\n");
        for f in findings {
            let _ = writeln!(o, "- {}", f.replace('|', "\\|"));
        }
    }
    let a = &r.agent;
    let _ = writeln!(o, "\n## The agent\n");
    for d in &a.discovered {
        let how = d.step.as_ref().map(|s| format!(" ({} `{}`)", s.key, s.text)).unwrap_or_default();
        let _ = writeln!(o, "- can discover `{}` in {}{how}", d.token, d.place);
    }
    for u in &a.undiscovered {
        let _ = writeln!(o, "- cannot discover `{}`: {}", u.token, u.why);
    }
    let _ = writeln!(o, "\n### Destructive reach: {} path{}\n", a.destructive.len(), s(a.destructive.len()));
    for w in &a.destructive {
        md_path(&mut o, w);
    }
    if !a.closed.is_empty() {
        let _ = writeln!(o, "\n### Closed paths to critical resources\n");
        for w in &a.closed {
            md_path(&mut o, w);
        }
    }
    o
}

fn md_path(o: &mut String, w: &Witness) {
    let end = match w.stopped_by {
        None => "reached".to_string(),
        Some(l) => format!("stopped by {l}"),
    };
    let _ = writeln!(o, "- **`{}` on {}** with `{}` over {}: {end}", w.operation, where_(w), w.token, w.call.channel);
    if w.resource.critical {
        let mut lines = Vec::new();
        if let Some(d) = &w.discovery {
            lines.push(format!("{} `{}` → `{}` in {}", d.key, d.text, w.token, w.found_in));
            lines.extend(d.layers.iter().map(|l| format!("  {}: {} — {}", l.layer, verdict(l.verdict), l.reason)));
        }
        lines.push(format!("{} `{}`", w.call.channel, w.call.text));
        lines.extend(w.call.layers.iter().map(|l| format!("  {}: {} — {}", l.layer, verdict(l.verdict), l.reason)));
        let _ = writeln!(o, "\n  ```text");
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
        let _ = writeln!(o, "  ```\n");
    }
}
