//! The GitHub-flavoured Markdown rendering of an `IncidentReport`, for PR comments and CI summaries.
//!
//! Why this shape: the content and wording are the text report's (the row builders live in
//! `text`), only the layout differs. Every piece of report text passes through `md`, which
//! escapes what Markdown would interpret, so no scenario name, agent note or provider message can
//! break a table, inject a link or HTML, or turn into emphasis. The long, rarely read parts
//! (timeline, profile knobs) are folded into `<details>` so a PR comment leads with the verdict.

use std::fmt::Write as _;

use super::IncidentReport;
use super::text::{self, ALERT_COLUMNS, ATTEMPT_COLUMNS, TIMELINE_COLUMNS, TOKEN_COLUMNS, VOLUME_COLUMNS};

/// The full report as Markdown, starting with a level-2 heading so several reports can be
/// concatenated into one CI summary.
pub fn markdown(report: &IncidentReport) -> String {
    let mut out = String::new();
    header(&mut out, report);
    volumes(&mut out, report);
    attempts(&mut out, report);
    tokens(&mut out, report);
    offsite(&mut out, report);
    timeline(&mut out, report);
    alerts(&mut out, report);
    expectations(&mut out, report);
    profile(&mut out, report);
    out
}

fn header(out: &mut String, report: &IncidentReport) {
    let (mark, verdict) = if report.passed { ("✅", "passed") } else { ("❌", "failed") };
    let held = report.expectations.iter().filter(|e| e.passed).count();
    let _ = writeln!(out, "## {mark} firedrill: {} {verdict}\n", md(&report.scenario));
    let _ = writeln!(
        out,
        "{} of {} expectations held; {}; {}.\n",
        held,
        report.expectations.len(),
        md(&text::loss_phrase(report)),
        md(&text::attempts_phrase(&report.destructive_attempts)),
    );
    let _ = writeln!(out, "- **Scenario:** {}", md(&report.path));
    let _ = writeln!(out, "- **Profile:** {}", md(&report.profile.name));
    let _ = writeln!(out, "- **Seed:** {}", report.seed);
    let _ = writeln!(out, "- **Time:** {} → {}", md(&report.start), md(&report.end));
}

fn volumes(out: &mut String, report: &IncidentReport) {
    section(out, "Volumes");
    if report.volumes.is_empty() {
        out.push_str("No volumes.\n");
        return;
    }
    let rows: Vec<Vec<String>> = report.volumes.iter().map(text::volume_row).collect();
    table(out, &VOLUME_COLUMNS, &rows);
    for v in &report.volumes {
        if v.recovery.attempts.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}:\n", md(&text::recovery_heading(v)));
        let rows: Vec<Vec<String>> =
            v.recovery.attempts.iter().map(|a| vec![a.source.clone(), text::opt(a.recovery_point.as_deref()), a.outcome.clone()]).collect();
        table(out, &["source", "recovery point", "outcome"], &rows);
    }
}

fn attempts(out: &mut String, report: &IncidentReport) {
    section(out, "Destructive attempts");
    if report.destructive_attempts.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let rows: Vec<Vec<String>> = report.destructive_attempts.iter().map(text::attempt_row).collect();
    table(out, &ATTEMPT_COLUMNS, &rows);
}

fn tokens(out: &mut String, report: &IncidentReport) {
    section(out, "Tokens");
    if report.tokens.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let rows: Vec<Vec<String>> = report.tokens.iter().map(text::token_row).collect();
    table(out, &TOKEN_COLUMNS, &rows);
}

fn offsite(out: &mut String, report: &IncidentReport) {
    let Some(rows) = text::offsite_rows(report) else {
        return;
    };
    section(out, "Off-site backup");
    for [label, value] in rows {
        let _ = writeln!(out, "- **{}:** {}", md(&label), md(&value));
    }
}

fn timeline(out: &mut String, report: &IncidentReport) {
    section(out, "Timeline");
    if report.timeline.is_empty() {
        out.push_str("No events.\n");
        return;
    }
    let n = report.timeline.len();
    let _ = writeln!(out, "<details><summary>{n} event{}</summary>\n", if n == 1 { "" } else { "s" });
    let mut header = TIMELINE_COLUMNS.to_vec();
    header.push("decisions and effects");
    // The details are escaped one by one and joined with a raw `<br>`, the one piece of HTML a
    // GitHub table cell needs to hold several lines.
    let rows: Vec<Vec<String>> = report
        .timeline
        .iter()
        .map(|e| {
            let mut row: Vec<String> = text::timeline_row(e).iter().map(|c| md(c)).collect();
            let details: Vec<String> = text::timeline_details(e).iter().map(|d| md(d)).collect();
            row.push(details.join("<br>"));
            row
        })
        .collect();
    raw_table(out, &header, &rows);
    out.push_str("\n</details>\n");
}

fn alerts(out: &mut String, report: &IncidentReport) {
    section(out, "Alerts");
    if report.alerts.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let rows: Vec<Vec<String>> =
        report.alerts.iter().map(|a| vec![a.kind.clone(), a.first_at.clone(), text::times(a.times), a.detail.clone()]).collect();
    table(out, &ALERT_COLUMNS, &rows);
}

fn expectations(out: &mut String, report: &IncidentReport) {
    section(out, "Expectations");
    if report.expectations.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let rows: Vec<Vec<String>> = report
        .expectations
        .iter()
        .map(|e| {
            let mark = if e.passed { "✅" } else { "❌" };
            vec![mark.into(), md(&e.name), md(&e.expected), md(&e.actual)]
        })
        .collect();
    raw_table(out, &["", "expectation", "expected", "got"], &rows);
}

fn profile(out: &mut String, report: &IncidentReport) {
    section(out, "Profile");
    let knobs = &report.profile.knobs;
    if knobs.is_empty() {
        let _ = writeln!(out, "{}, no knobs recorded.", md(&report.profile.name));
        return;
    }
    let _ = writeln!(
        out,
        "<details><summary>{}: {} knob{}</summary>\n",
        md(&report.profile.name),
        knobs.len(),
        if knobs.len() == 1 { "" } else { "s" }
    );
    let rows: Vec<Vec<String>> = knobs.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
    table(out, &["knob", "value"], &rows);
    out.push_str("\n</details>\n");
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n### {title}\n");
}

/// A table of plain-text cells, each escaped.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
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
fn md(s: &str) -> String {
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
    use super::super::text::fixtures::{minimal, sample};
    use super::*;

    #[test]
    fn markdown_report_of_the_april_incident() {
        insta::assert_snapshot!(markdown(&sample()));
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
