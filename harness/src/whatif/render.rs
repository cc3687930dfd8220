//! The what-if matrix laid out: text for a terminal, Markdown for a pull-request comment, an
//! HTML section for the incident page. JSON is the `Matrix`'s own serialization.

use std::fmt::Write as _;

use super::matrix::{Matrix, Outcome};
use crate::report::{escape_html as esc, escape_markdown as md};

const COLUMNS: [&str; 5] = ["mitigation", "outcome", "data loss", "stopped by", "against `env curl …`"];

fn outcome_words(o: &Outcome) -> String {
    match (o.saved, o.lost.is_empty()) {
        (true, true) => "saved: nothing lost".into(),
        // Deleted, but what the drill restored holds what the service held, or near enough.
        (true, false) => format!("saved: {} deleted, recovered within tolerance", o.lost.join(", ")),
        (false, _) => format!("lost {}", o.lost.join(", ")),
    }
}

fn loss(o: &Outcome) -> String {
    if o.data_loss_seconds > 0 { o.data_loss.to_string() } else { "none".into() }
}

fn stopped(o: &Outcome) -> String {
    if o.stopped_by.is_empty() {
        return "no destructive attempt".into();
    }
    o.stopped_by.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
}

fn wrapped(o: Option<&Outcome>) -> String {
    match o {
        None => "-".into(),
        Some(o) if o.saved => format!("holds ({})", stopped(o)),
        Some(o) => format!("does not hold: {}", outcome_words(o)),
    }
}

/// Each row's cells, the scenario as written first.
fn rows(m: &Matrix) -> Vec<[String; 5]> {
    let mut out = vec![["(as written)".into(), outcome_words(&m.baseline), loss(&m.baseline), stopped(&m.baseline), "-".into()]];
    for r in &m.rows {
        out.push([r.id.clone(), outcome_words(&r.outcome), loss(&r.outcome), stopped(&r.outcome), wrapped(r.wrapped.as_ref())]);
    }
    out
}

fn sets(m: &Matrix) -> String {
    if m.baseline.saved {
        return "the scenario as written already keeps the loss within the tolerance".into();
    }
    if m.minimal_sets.is_empty() {
        return format!("no set of up to {} mitigations keeps the loss within the tolerance", super::MAX_SET);
    }
    m.minimal_sets.iter().map(|s| s.join(" + ")).collect::<Vec<_>>().join("; ")
}

fn tolerance(m: &Matrix) -> String {
    if m.tolerance.as_secs() > 0 { m.tolerance.to_string() } else { "no data loss".into() }
}

/// The matrix for a terminal.
pub fn text(m: &Matrix) -> String {
    let rows = rows(m);
    let mut widths = COLUMNS.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "what if: {} (tolerance: {})\n", m.scenario, tolerance(m));
    let line =
        |cells: &[String]| cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string();
    let _ = writeln!(out, "{}", line(&COLUMNS.map(String::from)));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    let _ = writeln!(out, "\nsmallest sets that save the team: {}", sets(m));
    for r in &m.rows {
        let _ = writeln!(out, "  {}: {}", r.id, r.title);
    }
    out
}

/// The matrix for a pull-request comment.
pub fn markdown(m: &Matrix) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## firedrill what-if: {}\n", md(&m.scenario));
    let _ = writeln!(out, "Tolerance: {}. **Smallest sets that save the team:** {}.\n", md(&tolerance(m)), md(&sets(m)));
    let _ = writeln!(out, "| {} |", COLUMNS.map(md).join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(COLUMNS.len()));
    for r in rows(m) {
        let _ = writeln!(out, "| {} |", r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | "));
    }
    out.push_str("\n<details><summary>What each mitigation changes</summary>\n\n");
    for r in &m.rows {
        let _ = writeln!(out, "- **{}**: {}", md(&r.id), md(&r.title));
    }
    out.push_str("\n</details>\n");
    out
}

/// The matrix as a section of the incident page.
pub fn html_section(m: &Matrix) -> String {
    let mut out = String::new();
    out.push_str("<h2 id=\"what-if\">What if</h2>\n");
    let _ =
        writeln!(out, "<p>Tolerance: {}. <strong>Smallest sets that save the team:</strong> {}.</p>", esc(&tolerance(m)), esc(&sets(m)));
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for c in COLUMNS {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let titles: Vec<&str> = std::iter::once("the scenario as written").chain(m.rows.iter().map(|r| r.title.as_str())).collect();
    for (r, title) in rows(m).iter().zip(titles) {
        let class = if r[1].starts_with("saved") { "ok" } else { "fail" };
        let _ = write!(out, "<tr><td title=\"{}\">{}</td><td class=\"{class}\">{}</td>", esc(title), esc(&r[0]), esc(&r[1]));
        for c in &r[2..] {
            let _ = write!(out, "<td>{}</td>", esc(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}
