//! The plain-text layout of an `IncidentReport`: the terminal report and its one-line summary.
//!
//! Why this shape: the text is for a person at a terminal, so it is laid out as aligned tables
//! whose widths are computed from the cells, never from a fixed layout. What it says comes from
//! the shared view model (`view`); this file only decides where it goes.

use std::fmt::Write as _;

use super::IncidentReport;
use super::view::{Table, View, expected_got};

/// One line per scenario for `firedrill run`'s terminal output, without colour codes.
///
/// The status is padded to a fixed width so that a column of summary lines aligns on the
/// scenario names; the caller may colour the first word.
pub fn summary_line(report: &IncidentReport) -> String {
    let v = View::of(report);
    let status = if v.passed { "ok" } else { "FAIL" };
    format!(
        "{status:<4} {}  {}; {}; {}/{} expectations",
        one_line(&v.scenario),
        one_line(&v.loss),
        one_line(&v.attempts_phrase),
        v.held,
        v.expectations_total,
    )
}

/// The full terminal report.
pub fn text(report: &IncidentReport) -> String {
    let v = View::of(report);
    let mut out = String::new();
    let verdict = if v.passed { "ok" } else { "FAIL" };
    let _ = writeln!(out, "{verdict} {}  ({} of {} expectations held)", one_line(&v.scenario), v.held, v.expectations_total);
    out.push('\n');
    pairs(&mut out, &v.facts);

    section(&mut out, "Summary");
    pairs(&mut out, &v.summary);
    if !v.volumes.rows.is_empty() {
        out.push('\n');
        table(&mut out, &v.volumes);
        // Every source tried, because "offsite" alone does not say why the provider's own
        // backups were no help.
        for (heading, tried, note) in &v.recoveries {
            let _ = writeln!(out, "\n  {}", one_line(heading));
            indented_table(&mut out, 4, &[], &tried.rows);
            if let Some(note) = note {
                let _ = writeln!(out, "    note: {}", one_line(note));
            }
        }
    }
    listed(&mut out, "Destructive attempts", &v.attempts);
    if let Some(r) = &v.runtime {
        section(&mut out, "Each layer's decision");
        if r.layers.is_empty() {
            out.push_str("  none\n");
        }
        for (label, lines) in &r.layers {
            let _ = writeln!(out, "  {}", one_line(label));
            for line in lines {
                let _ = writeln!(out, "    {}", one_line(line));
            }
        }
        section(&mut out, "Defence in depth");
        table(&mut out, &r.defence);
        let _ = writeln!(out, "  passed every layer: {}", one_line(&r.passed_every_layer));
        section(&mut out, "Agent runtime");
        pairs(&mut out, &r.facts);
        listed(&mut out, "Settings that look protective but protect nothing", &r.hollow);
    }
    listed(&mut out, "Tokens", &v.tokens);
    if let Some(rows) = &v.offsite {
        section(&mut out, "Off-site backup");
        pairs(&mut out, rows);
    }
    section(&mut out, "Timeline");
    if v.timeline.is_empty() {
        out.push_str("  none\n");
    } else {
        // The detail lines sit between rows, so the rows are laid out first and interleaved after.
        let rows: Vec<Vec<String>> = v.timeline.iter().map(|r| r.cells.clone()).collect();
        let mut laid = String::new();
        table(&mut laid, &Table { columns: super::view::TIMELINE_COLUMNS, rows });
        let mut lines = laid.lines();
        if let Some(head) = lines.next() {
            let _ = writeln!(out, "{head}");
        }
        for (line, row) in lines.zip(&v.timeline) {
            let _ = writeln!(out, "{line}");
            for detail in &row.details {
                let _ = writeln!(out, "      {}", one_line(detail));
            }
        }
    }
    listed(&mut out, "Alerts", &v.alerts);
    section(&mut out, "Expectations");
    if v.expectations.is_empty() {
        out.push_str("  none\n");
    } else {
        let rows: Vec<Vec<String>> = v
            .expectations
            .iter()
            .map(|e| {
                let mark = if e.passed { "✓" } else { "✗" };
                let detail = if e.passed { String::new() } else { expected_got(&e.expected, &e.actual) };
                vec![mark.into(), e.name.clone(), detail]
            })
            .collect();
        indented_table(&mut out, 2, &[], &rows);
    }
    // Last, because a person reads the verdict first and looks up the regime only to explain it.
    section(&mut out, "Profile");
    let mut knobs = vec![["name".to_string(), v.profile.clone()]];
    knobs.extend(v.knobs.iter().cloned());
    pairs(&mut out, &knobs);
    out
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

/// A section that is a table, or `none`.
fn listed(out: &mut String, title: &str, t: &Table) {
    section(out, title);
    if t.rows.is_empty() {
        out.push_str("  none\n");
    } else {
        table(out, t);
    }
}

fn pairs(out: &mut String, rows: &[[String; 2]]) {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.to_vec()).collect();
    indented_table(out, 2, &[], &rows);
}

fn table(out: &mut String, t: &Table) {
    indented_table(out, 2, t.columns, &t.rows);
}

/// Writes `rows` under `header` (omitted when empty) as columns two spaces apart, indented by
/// `indent` spaces. Column widths count `char`s, which is right for the ASCII identifiers and
/// timestamps that fill these tables; wide CJK or emoji in free text only skew the columns
/// after them.
fn indented_table(out: &mut String, indent: usize, header: &[&str], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| one_line(c)).collect()).collect();
    let all = std::iter::once(&header).filter(|h| !h.is_empty()).chain(&rows);
    let mut widths: Vec<usize> = Vec::new();
    for row in all.clone() {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(width) => *width = (*width).max(w),
                None => widths.push(w),
            }
        }
    }
    for row in all {
        let mut line = " ".repeat(indent);
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            // The last column is not padded, so a long reason does not widen every other line.
            if i + 1 < row.len() {
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `s` made safe for one terminal line: control characters (newlines, escape sequences that
/// would recolour or move the cursor) and bidirectional overrides (which can make a command read
/// as something else) become spaces. Report text comes from scenario files and agent notes, so
/// it is not trusted to be printable.
pub(super) fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() || is_bidi_control(c) { ' ' } else { c }).collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{minimal, sample, with_runtime};
    use super::super::{DestructiveAttempt, IncidentReport};
    use super::*;
    use crate::guardrails::{Layer, StoppedBy};

    #[test]
    fn text_report_of_the_april_incident() {
        insta::assert_snapshot!(text(&sample()));
    }

    #[test]
    fn text_report_with_the_teams_agent_runtime() {
        insta::assert_snapshot!(text(&with_runtime()));
    }

    #[test]
    fn the_runtime_sections_appear_only_with_a_runtime() {
        assert!(!text(&sample()).contains("Defence in depth"));
        assert!(!super::super::markdown(&sample()).contains("Defence in depth"));
        assert!(text(&with_runtime()).contains("Defence in depth"));
    }

    #[test]
    fn text_report_of_an_empty_run() {
        insta::assert_snapshot!(text(&minimal()));
    }

    #[test]
    fn summary_line_of_the_april_incident() {
        insta::assert_snapshot!(
            summary_line(&sample()),
            @"FAIL pocketos-2026-04  pocketos/pg-data (production) lost (offsite, 91d15h of data lost); 1 destructive attempt, stopped by none; 2/3 expectations"
        );
    }

    #[test]
    fn summary_line_of_an_empty_run() {
        insta::assert_snapshot!(
            summary_line(&minimal()),
            @"ok   empty  no loss; 0 destructive attempts; 0/0 expectations"
        );
    }

    #[test]
    fn summary_line_says_fail_exactly_when_the_report_did_not_pass() {
        for passed in [true, false] {
            for report in [sample(), minimal()] {
                let line = summary_line(&IncidentReport { passed, ..report });
                assert_eq!(line.starts_with("FAIL "), !passed, "{line}");
                assert_eq!(line.starts_with("ok   "), passed, "{line}");
            }
        }
    }

    #[test]
    fn summary_line_stays_on_one_line_whatever_the_names() {
        let mut report = sample();
        report.scenario = "two\nlines\r\x1b[31mred\u{202E}".into();
        report.summary.volumes_lost = vec!["a\nb".into()];
        let line = summary_line(&report);
        assert!(!line.contains(['\n', '\r', '\x1b', '\u{202E}']), "{line:?}");
    }

    #[test]
    fn summary_line_counts_layers_when_attempts_were_stopped_by_different_ones() {
        let mut report = sample();
        let first = report.destructive_attempts[0].clone();
        report.destructive_attempts = vec![
            DestructiveAttempt { stopped_by: StoppedBy::from(Layer::Gateway), ..first.clone() },
            DestructiveAttempt { stopped_by: StoppedBy::from(Layer::Gateway), ..first.clone() },
            first,
        ];
        assert!(summary_line(&report).contains("3 destructive attempts, stopped by gateway (2), none (1);"));
    }

    #[test]
    fn summary_line_summarises_many_lost_volumes_by_the_worst_loss() {
        let mut report = sample();
        report.summary.volumes_lost = vec!["a/x".into(), "a/y".into(), "a/z".into()];
        assert!(summary_line(&report).contains(" 3 volumes lost (worst: 91d15h of data lost);"));
    }

    #[test]
    fn table_columns_align_on_the_widest_cell_and_the_last_is_not_padded() {
        let mut out = String::new();
        let rows = vec![vec!["a".into(), "long cell".into(), "x".into()], vec!["bbb".into(), "c".into(), "".into()]];
        table(&mut out, &Table { columns: &["h", "h2", "last"], rows });
        assert_eq!(out, "  h    h2         last\n  a    long cell  x\n  bbb  c\n");
    }

    #[test]
    fn text_survives_huge_and_hostile_content() {
        let mut report = sample();
        let huge = "x|<&>\"'`\n\t\u{0}".repeat(10_000);
        report.scenario.clone_from(&huge);
        report.timeline[0].action.clone_from(&huge);
        report.destructive_attempts[0].reason.clone_from(&huge);
        report.profile.knobs.insert(huge.clone(), huge);
        let out = text(&report);
        assert!(!out.contains(['\u{0}', '\t', '\r']));
    }
}
