//! The GitHub-flavoured Markdown layout of an `IncidentReport`, for PR comments and CI summaries.
//!
//! Why this shape: what it says comes from the shared view model (`view`); only the layout
//! differs from the text report. Every piece of report text passes through `md`, which escapes
//! what Markdown would interpret, so no scenario name, agent note or provider message can break
//! a table, inject a link or HTML, or turn into emphasis. The long, rarely read parts (timeline,
//! profile knobs) are folded into `<details>` so a PR comment leads with the verdict.

use std::fmt::Write as _;

use super::IncidentReport;
use super::text;
use super::view::{TIMELINE_COLUMNS, Table, View};

/// The full report as Markdown, starting with a level-2 heading so several reports can be
/// concatenated into one CI summary.
pub fn markdown(report: &IncidentReport) -> String {
    let v = View::of(report);
    let mut out = String::new();
    let (mark, verdict) = if v.passed { ("✅", "passed") } else { ("❌", "failed") };
    let _ = writeln!(out, "## {mark} firedrill: {} {verdict}\n", md(&v.scenario));
    let _ = writeln!(out, "{} of {} expectations held; {}; {}.\n", v.held, v.expectations_total, md(&v.loss), md(&v.attempts_phrase));
    for [label, value] in &v.facts {
        let _ = writeln!(out, "- **{}:** {}", md(&capitalized(label)), md(value));
    }

    section(&mut out, "Volumes");
    if v.volumes.rows.is_empty() {
        out.push_str("No volumes.\n");
    } else {
        table(&mut out, &v.volumes);
        for (heading, tried, note) in &v.recoveries {
            let _ = writeln!(out, "\n{}:\n", md(heading));
            if !tried.rows.is_empty() {
                table(&mut out, tried);
            }
            if let Some(note) = note {
                let _ = writeln!(out, "\n_{}_", md(note));
            }
        }
    }
    listed(&mut out, "Destructive attempts", &v.attempts);
    if let Some(r) = &v.runtime {
        section(&mut out, "Each layer's decision");
        if r.layers.is_empty() {
            out.push_str("None.\n");
        }
        for (label, lines) in &r.layers {
            let _ = writeln!(out, "- **{}**", md(label));
            for line in lines {
                // A line under a decision (the approver's answer, a leak) nests under it.
                let indent = if line.starts_with(' ') { "    " } else { "  " };
                let _ = writeln!(out, "{indent}- {}", md(line.trim_start()));
            }
        }
        section(&mut out, "Defence in depth");
        table(&mut out, &r.defence);
        let _ = writeln!(out, "\n**Passed every layer:** {}", md(&r.passed_every_layer));
        section(&mut out, "Agent runtime");
        for [label, value] in &r.facts {
            let _ = writeln!(out, "- **{}:** {}", md(&capitalized(label)), md(value));
        }
        listed(&mut out, "Settings that look protective but protect nothing", &r.hollow);
    }
    listed(&mut out, "Tokens", &v.tokens);
    if let Some(rows) = &v.offsite {
        section(&mut out, "Off-site backup");
        for [label, value] in rows {
            let _ = writeln!(out, "- **{}:** {}", md(label), md(value));
        }
    }
    section(&mut out, "Timeline");
    if v.timeline.is_empty() {
        out.push_str("No events.\n");
    } else {
        let n = v.timeline.len();
        let _ = writeln!(out, "<details><summary>{n} event{}</summary>\n", if n == 1 { "" } else { "s" });
        let mut header = TIMELINE_COLUMNS.to_vec();
        header.push("decisions and effects");
        // The details are escaped one by one and joined with a raw `<br>`, the one piece of HTML
        // a GitHub table cell needs to hold several lines.
        let rows: Vec<Vec<String>> = v
            .timeline
            .iter()
            .map(|r| {
                let mut row: Vec<String> = r.cells.iter().map(|c| md(c)).collect();
                row.push(r.details.iter().map(|d| md(d)).collect::<Vec<_>>().join("<br>"));
                row
            })
            .collect();
        raw_table(&mut out, &header, &rows);
        out.push_str("\n</details>\n");
    }
    listed(&mut out, "Alerts", &v.alerts);
    section(&mut out, "Expectations");
    if v.expectations.is_empty() {
        out.push_str("None.\n");
    } else {
        let rows: Vec<Vec<String>> = v
            .expectations
            .iter()
            .map(|e| vec![(if e.passed { "✅" } else { "❌" }).into(), md(&e.name), md(&e.expected), md(&e.actual)])
            .collect();
        raw_table(&mut out, &["", "expectation", "expected", "got"], &rows);
    }
    section(&mut out, "Profile");
    if v.knobs.is_empty() {
        let _ = writeln!(out, "{}, no knobs recorded.", md(&v.profile));
    } else {
        let n = v.knobs.len();
        let _ = writeln!(out, "<details><summary>{}: {n} knob{}</summary>\n", md(&v.profile), if n == 1 { "" } else { "s" });
        let rows: Vec<Vec<String>> = v.knobs.iter().map(|r| r.to_vec()).collect();
        escaped_table(&mut out, &["knob", "value"], &rows);
        out.push_str("\n</details>\n");
    }
    out
}

/// `scenario` as `Scenario`, for the bold labels of the header list.
fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A section that is a table, or `None.`
fn listed(out: &mut String, title: &str, t: &Table) {
    section(out, title);
    if t.rows.is_empty() {
        out.push_str("None.\n");
    } else {
        table(out, t);
    }
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n### {title}\n");
}

/// A table of plain-text cells, each escaped.
fn table(out: &mut String, t: &Table) {
    escaped_table(out, t.columns, &t.rows);
}

fn escaped_table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| md(c)).collect()).collect();
    raw_table(out, header, &rows);
}

/// A table of cells that are already Markdown.
fn raw_table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| md(h)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        // A short row would shift cells under the wrong heading, a long one is cut by GitHub;
        // pad or trim to the header so neither happens silently.
        let mut cells: Vec<&str> = row.iter().map(String::as_str).take(header.len()).collect();
        cells.resize(header.len(), "");
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// `s` as literal Markdown text on one line: every ASCII character that Markdown, GitHub's
/// extensions (tables, strikethrough, math, mentions) or inline HTML would interpret is
/// backslash-escaped, which CommonMark allows for any ASCII punctuation.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text::one_line(s).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '&' | '@' | '#' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{minimal, sample};
    use super::*;

    #[test]
    fn markdown_report_of_the_april_incident() {
        insta::assert_snapshot!(markdown(&sample()));
    }

    #[test]
    fn markdown_report_with_the_teams_agent_runtime() {
        insta::assert_snapshot!(markdown(&super::super::fixtures::with_runtime()));
    }

    #[test]
    fn markdown_report_of_an_empty_run() {
        insta::assert_snapshot!(markdown(&minimal()));
    }

    /// The `|` that are not escaped by a backslash, which GitHub reads as cell borders.
    fn cell_borders(line: &str) -> usize {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '|' => count += 1,
                _ => {}
            }
        }
        count
    }

    #[test]
    fn pipes_in_report_text_do_not_split_table_cells() {
        let mut report = sample();
        report.destructive_attempts[0].reason = "a | b \\| c \\\\| d".into();
        report.volumes[0].name = "pocketos/pg|data".into();
        report.timeline[2].decisions[0].reason = "x|y".into();
        report.expectations[0].actual = "|".into();
        let out = markdown(&report);
        assert!(out.contains("a \\| b \\\\\\| c \\\\\\\\\\| d"), "{out}");
        // Every row of a table has as many borders as its header.
        let mut borders = None;
        for line in out.lines() {
            if !line.starts_with('|') {
                borders = None;
                continue;
            }
            let n = cell_borders(line);
            assert_eq!(*borders.get_or_insert(n), n, "{line}");
        }
    }

    #[test]
    fn report_text_cannot_inject_markdown_or_html() {
        let mut report = sample();
        report.scenario = "<script>*x* [l](http://e) `c` @team $m$\n# h".into();
        let out = markdown(&report);
        let heading = out.lines().next().unwrap_or_default();
        assert_eq!(heading, "## ❌ firedrill: \\<script\\>\\*x\\* \\[l\\](http://e) \\`c\\` \\@team \\$m\\$ \\# h failed");
    }
}
