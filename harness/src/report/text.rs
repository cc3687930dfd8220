//! The plain-text renderings of an `IncidentReport`: the terminal report and its one-line summary.
//!
//! Why this shape: the text is for a person at a terminal, so it is built from aligned tables
//! whose widths are computed from the cells, never from a fixed layout; the markdown and JUnit
//! renderers reuse the phrasing helpers here (`pub(super)`) so the three formats tell the same
//! story in the same words.

use std::fmt::Write as _;

use crate::scenario::Duration;

use super::{DestructiveAttempt, IncidentReport, Recovery, TimelineEvent, TokenReport, VolumeReport};

/// What a missing value looks like in every table.
pub(super) const NONE: &str = "-";

/// One line per scenario for `firedrill run`'s terminal output, without colour codes.
///
/// The status is padded to a fixed width so that a column of summary lines aligns on the
/// scenario names; the caller may colour the first word.
pub fn summary_line(report: &IncidentReport) -> String {
    let status = if report.passed { "ok" } else { "FAIL" };
    let held = report.expectations.iter().filter(|e| e.passed).count();
    format!(
        "{status:<4} {}  {}; {}; {held}/{} expectations",
        one_line(&report.scenario),
        loss_phrase(report),
        attempts_phrase(&report.destructive_attempts),
        report.expectations.len(),
    )
}

/// The full terminal report.
pub fn text(report: &IncidentReport) -> String {
    let mut out = String::new();
    header(&mut out, report);
    summary(&mut out, report);
    attempts(&mut out, &report.destructive_attempts);
    tokens(&mut out, &report.tokens);
    offsite(&mut out, report);
    timeline(&mut out, &report.timeline);
    alerts(&mut out, report);
    expectations(&mut out, report);
    knobs(&mut out, report);
    out
}

fn header(out: &mut String, report: &IncidentReport) {
    let held = report.expectations.iter().filter(|e| e.passed).count();
    let verdict = if report.passed { "ok" } else { "FAIL" };
    let _ = writeln!(out, "{verdict} {}  ({held} of {} expectations held)", one_line(&report.scenario), report.expectations.len());
    out.push('\n');
    let rows = vec![
        vec!["scenario".into(), one_line(&report.path)],
        vec!["profile".into(), one_line(&report.profile.name)],
        vec!["seed".into(), report.seed.to_string()],
        vec!["time".into(), format!("{} → {}", one_line(&report.start), one_line(&report.end))],
    ];
    table(out, &[], &rows);
}

fn summary(out: &mut String, report: &IncidentReport) {
    let s = &report.summary;
    section(out, "Summary");
    let lost = if s.volumes_lost.is_empty() {
        "none".to_string()
    } else {
        format!("{} ({})", s.volumes_lost.len(), join_one_line(&s.volumes_lost))
    };
    let rows = vec![
        vec!["volumes lost".into(), lost],
        vec!["worst data loss".into(), data_loss(s.worst_data_loss_seconds, &s.worst_data_loss)],
        vec!["destructive attempts".into(), format!("{}, {} stopped", s.destructive_attempts, s.stopped)],
        vec!["alerts".into(), s.alerts.to_string()],
    ];
    table(out, &[], &rows);
    if report.volumes.is_empty() {
        return;
    }
    out.push('\n');
    let rows: Vec<Vec<String>> = report.volumes.iter().map(volume_row).collect();
    table(out, &VOLUME_COLUMNS, &rows);
    for volume in &report.volumes {
        recovery_attempts(out, volume);
    }
}

/// The volume table's columns, shared with the markdown renderer.
///
/// The environment is left to the recovery lines below the table, so the table fits a terminal.
pub(super) const VOLUME_COLUMNS: [&str; 7] = ["volume", "lost", "recovery", "recovery point", "data loss", "records lost", "restore time"];

pub(super) fn volume_row(v: &VolumeReport) -> Vec<String> {
    let r = &v.recovery;
    let name = if v.critical { format!("{} (critical)", one_line(&v.name)) } else { one_line(&v.name) };
    vec![
        name,
        yes_no(v.lost).into(),
        one_line(&r.source),
        recovery_point(r),
        data_loss(r.data_loss_seconds, &r.data_loss),
        count(r.records_lost),
        r.restore_time_seconds.map_or_else(|| NONE.into(), seconds),
    ]
}

/// Every recovery source tried, because "offsite" alone does not say why the provider's own
/// backups were no help.
fn recovery_attempts(out: &mut String, volume: &VolumeReport) {
    if volume.recovery.attempts.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n  {}", recovery_heading(volume));
    let rows: Vec<Vec<String>> = volume
        .recovery
        .attempts
        .iter()
        .map(|a| vec![one_line(&a.source), opt(a.recovery_point.as_deref()), one_line(&a.outcome)])
        .collect();
    indented_table(out, 4, &[], &rows);
}

pub(super) fn recovery_heading(volume: &VolumeReport) -> String {
    format!("{} in {}: recovery sources tried, best first", one_line(&volume.name), one_line(&volume.environment))
}

/// The attempts table's columns, shared with the markdown renderer.
pub(super) const ATTEMPT_COLUMNS: [&str; 8] = ["step", "time", "operation", "target", "token", "channel", "stopped by", "reason"];

pub(super) fn attempt_row(a: &DestructiveAttempt) -> Vec<String> {
    vec![
        a.step.to_string(),
        one_line(&a.at),
        one_line(&a.operation),
        opt(a.target.as_deref()),
        opt(a.token.as_deref()),
        one_line(&a.channel),
        one_line(&a.stopped_by),
        one_line(&a.reason),
    ]
}

fn attempts(out: &mut String, attempts: &[DestructiveAttempt]) {
    section(out, "Destructive attempts");
    if attempts.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let rows: Vec<Vec<String>> = attempts.iter().map(attempt_row).collect();
    table(out, &ATTEMPT_COLUMNS, &rows);
}

/// The tokens table's columns, shared with the markdown renderer.
pub(super) const TOKEN_COLUMNS: [&str; 6] = ["token", "kind", "stored in", "purpose", "found", "used beyond purpose"];

pub(super) fn token_row(t: &TokenReport) -> Vec<String> {
    let found = match (t.found_by_step, &t.found_in) {
        (Some(step), Some(place)) => format!("step {step} in {}", one_line(place)),
        (Some(step), None) => format!("step {step}"),
        (None, Some(place)) => format!("in {}", one_line(place)),
        (None, None) => "no".into(),
    };
    vec![one_line(&t.name), one_line(&t.kind), one_line(&t.stored_in), list(&t.purpose), found, list(&t.used_beyond_purpose)]
}

fn tokens(out: &mut String, tokens: &[TokenReport]) {
    section(out, "Tokens");
    if tokens.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let rows: Vec<Vec<String>> = tokens.iter().map(token_row).collect();
    table(out, &TOKEN_COLUMNS, &rows);
}

/// The off-site backup's key figures as label and value pairs, shared with the markdown renderer.
pub(super) fn offsite_rows(report: &IncidentReport) -> Option<Vec<[String; 2]>> {
    let o = report.offsite.as_ref()?;
    let newest = match (&o.newest, &o.newest_age_at_end) {
        (Some(at), Some(age)) => format!("{} ({} old at the end)", one_line(at), one_line(age)),
        (Some(at), None) => one_line(at),
        (None, _) => "no object".into(),
    };
    Some(vec![
        ["target".into(), one_line(&o.target)],
        ["volume".into(), one_line(&o.volume)],
        ["every".into(), one_line(&o.every)],
        ["runs".into(), runs(o.runs, o.failed_runs, o.silent_failures)],
        ["objects".into(), o.objects.to_string()],
        ["newest".into(), newest],
    ])
}

fn offsite(out: &mut String, report: &IncidentReport) {
    let Some(rows) = offsite_rows(report) else {
        return;
    };
    section(out, "Off-site backup");
    let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    table(out, &[], &rows);
}

/// The timeline's columns, shared with the markdown renderer.
pub(super) const TIMELINE_COLUMNS: [&str; 6] = ["time", "step", "actor", "channel", "action", "target"];

pub(super) fn timeline_row(e: &TimelineEvent) -> Vec<String> {
    vec![
        one_line(&e.at),
        e.step.map_or_else(String::new, |s| s.to_string()),
        one_line(&e.actor),
        one_line(&e.channel),
        one_line(&e.action),
        opt(e.target.as_deref()),
    ]
}

/// What each layer decided and what the action did, one line each, in the order they happened.
pub(super) fn timeline_details(e: &TimelineEvent) -> Vec<String> {
    let decisions = e.decisions.iter().map(|d| {
        let reason = one_line(&d.reason);
        if reason.trim().is_empty() {
            format!("{}: {}", one_line(&d.layer), one_line(&d.decision))
        } else {
            format!("{}: {} ({reason})", one_line(&d.layer), one_line(&d.decision))
        }
    });
    let effects = e.effect.iter().map(|x| format!("→ {}", one_line(x)));
    decisions.chain(effects).collect()
}

fn timeline(out: &mut String, events: &[TimelineEvent]) {
    section(out, "Timeline");
    if events.is_empty() {
        out.push_str("  none\n");
        return;
    }
    // The detail lines sit between rows, so the rows are laid out first and interleaved after.
    let rows: Vec<Vec<String>> = events.iter().map(timeline_row).collect();
    let mut lines = String::new();
    table(&mut lines, &TIMELINE_COLUMNS, &rows);
    let mut lines = lines.lines();
    if let Some(head) = lines.next() {
        let _ = writeln!(out, "{head}");
    }
    for (line, event) in lines.zip(events) {
        let _ = writeln!(out, "{line}");
        for detail in timeline_details(event) {
            let _ = writeln!(out, "      {detail}");
        }
    }
}

fn alerts(out: &mut String, report: &IncidentReport) {
    section(out, "Alerts");
    if report.alerts.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let rows: Vec<Vec<String>> =
        report.alerts.iter().map(|a| vec![one_line(&a.kind), one_line(&a.first_at), times(a.times), one_line(&a.detail)]).collect();
    table(out, &ALERT_COLUMNS, &rows);
}

/// The alerts table's columns, shared with the markdown renderer.
pub(super) const ALERT_COLUMNS: [&str; 4] = ["alert", "first at", "times", "detail"];

fn expectations(out: &mut String, report: &IncidentReport) {
    section(out, "Expectations");
    if report.expectations.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let rows: Vec<Vec<String>> = report
        .expectations
        .iter()
        .map(|e| {
            let mark = if e.passed { "✓" } else { "✗" };
            let detail = if e.passed { String::new() } else { expected_got(&e.expected, &e.actual) };
            vec![mark.into(), one_line(&e.name), detail]
        })
        .collect();
    table(out, &[], &rows);
}

/// Last, because a person reads the verdict first and looks up the regime only to explain it.
fn knobs(out: &mut String, report: &IncidentReport) {
    section(out, "Profile");
    let mut rows = vec![vec!["name".into(), one_line(&report.profile.name)]];
    rows.extend(report.profile.knobs.iter().map(|(k, v)| vec![one_line(k), one_line(v)]));
    table(out, &[], &rows);
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

/// Writes `rows` under `header` (omitted when empty) as columns two spaces apart, indented by
/// two spaces.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    indented_table(out, 2, header, rows);
}

/// Column widths count `char`s, which is right for the ASCII identifiers and timestamps that
/// fill these tables; wide CJK or emoji in free text only skew the columns after them.
fn indented_table(out: &mut String, indent: usize, header: &[&str], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    let all = std::iter::once(&header).filter(|h| !h.is_empty()).chain(rows);
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

/// The loss half of the summary line: which volumes are gone and how much data with them.
pub(super) fn loss_phrase(report: &IncidentReport) -> String {
    let s = &report.summary;
    if s.volumes_lost.is_empty() {
        return if s.worst_data_loss_seconds > 0 {
            format!("no volume lost, {} of data lost", one_line(&s.worst_data_loss))
        } else {
            "no loss".into()
        };
    }
    // More than two volumes would push the expectations off a terminal line; the text report
    // has them all.
    if s.volumes_lost.len() > 2 {
        return format!(
            "{} volumes lost ({})",
            s.volumes_lost.len(),
            loss_amount(s.worst_data_loss_seconds, &s.worst_data_loss, "worst: ")
        );
    }
    let lost: Vec<String> = s
        .volumes_lost
        .iter()
        .map(|name| {
            let name_text = one_line(name);
            match report.volumes.iter().find(|v| &v.name == name) {
                Some(v) => {
                    let r = &v.recovery;
                    let source = if r.source == "none" { "unrecoverable".into() } else { one_line(&r.source) };
                    format!("{name_text} lost ({source}, {})", loss_amount(r.data_loss_seconds, &r.data_loss, ""))
                }
                None => format!("{name_text} lost"),
            }
        })
        .collect();
    lost.join(", ")
}

fn loss_amount(seconds: i64, text: &str, prefix: &str) -> String {
    if seconds > 0 { format!("{prefix}{} of data lost", one_line(text)) } else { "no data lost".into() }
}

/// The attempts half of the summary line: how many, and which layers stopped them.
pub(super) fn attempts_phrase(attempts: &[DestructiveAttempt]) -> String {
    let n = attempts.len();
    let noun = if n == 1 { "attempt" } else { "attempts" };
    if n == 0 {
        return format!("0 destructive {noun}");
    }
    format!("{n} destructive {noun}, stopped by {}", stopped_by(attempts))
}

/// Which layers stopped the attempts: the layer's name when one answer (`none` included) covers
/// them all, else each answer with its count, in the order they first occurred.
pub(super) fn stopped_by(attempts: &[DestructiveAttempt]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in attempts {
        match counts.iter_mut().find(|(layer, _)| *layer == a.stopped_by) {
            Some((_, count)) => *count += 1,
            None => counts.push((&a.stopped_by, 1)),
        }
    }
    match counts.as_slice() {
        [] => NONE.into(),
        [(layer, _)] => one_line(layer),
        _ => counts.iter().map(|(layer, count)| format!("{} ({count})", one_line(layer))).collect::<Vec<_>>().join(", "),
    }
}

/// "expected X, got Y", the one phrasing of a failed expectation in every format.
pub(super) fn expected_got(expected: &str, actual: &str) -> String {
    format!("expected {}, got {}", one_line(expected), one_line(actual))
}

/// Read as silent failures being a subset of failed runs, which is what "silent" qualifies.
fn runs(runs: usize, failed: usize, silent: usize) -> String {
    match (failed, silent) {
        (0, _) => format!("{runs}, none failed"),
        (_, 0) => format!("{runs}, {failed} failed"),
        _ if silent == failed => format!("{runs}, {failed} failed, all silently"),
        _ => format!("{runs}, {failed} failed, {silent} of them silently"),
    }
}

/// The recovery point, with its age only when that says more than the data loss beside it
/// (they are usually the same length of time).
pub(super) fn recovery_point(r: &Recovery) -> String {
    match (&r.recovery_point, &r.recovery_point_age) {
        (Some(at), Some(age)) if *age != r.data_loss => {
            format!("{} ({} old)", one_line(at), one_line(age))
        }
        (Some(at), _) => one_line(at),
        (None, _) => NONE.into(),
    }
}

pub(super) fn data_loss(seconds: i64, text: &str) -> String {
    if seconds > 0 { one_line(text) } else { "none".into() }
}

/// A number of seconds the way scenario files write durations, such as `1h30m`.
pub(super) fn seconds(s: i64) -> String {
    Duration::from_seconds(s).to_string()
}

/// A count with thousands separated, as record counts run to millions.
pub(super) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn times(n: usize) -> String {
    if n == 1 { "once".into() } else { format!("{n} times") }
}

pub(super) fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub(super) fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| NONE.into(), one_line)
}

pub(super) fn list(items: &[String]) -> String {
    if items.is_empty() { NONE.into() } else { join_one_line(items) }
}

fn join_one_line(items: &[String]) -> String {
    items.iter().map(|s| one_line(s)).collect::<Vec<_>>().join(", ")
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
    use super::fixtures::{minimal, sample};
    use super::*;

    #[test]
    fn text_report_of_the_april_incident() {
        insta::assert_snapshot!(text(&sample()));
    }

    #[test]
    fn text_report_of_an_empty_run() {
        insta::assert_snapshot!(text(&minimal()));
    }

    #[test]
    fn summary_line_of_the_april_incident() {
        insta::assert_snapshot!(
            summary_line(&sample()),
            @"FAIL pocketos-2026-04  pocketos/pg-data lost (offsite, 91d 15h of data lost); 1 destructive attempt, stopped by none; 2/3 expectations"
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
            DestructiveAttempt { stopped_by: "gateway".into(), ..first.clone() },
            DestructiveAttempt { stopped_by: "gateway".into(), ..first.clone() },
            first,
        ];
        assert!(summary_line(&report).contains("3 destructive attempts, stopped by gateway (2), none (1);"));
    }

    #[test]
    fn summary_line_summarises_many_lost_volumes_by_the_worst_loss() {
        let mut report = sample();
        report.summary.volumes_lost = vec!["a/x".into(), "a/y".into(), "a/z".into()];
        assert!(summary_line(&report).contains(" 3 volumes lost (worst: 91d 15h of data lost);"));
    }

    #[test]
    fn table_columns_align_on_the_widest_cell_and_the_last_is_not_padded() {
        let mut out = String::new();
        let rows = vec![vec!["a".into(), "long cell".into(), "x".into()], vec!["bbb".into(), "c".into(), "".into()]];
        table(&mut out, &["h", "h2", "last"], &rows);
        assert_eq!(out, "  h    h2         last\n  a    long cell  x\n  bbb  c\n");
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (263_880, "263,880"), (u64::MAX, "18,446,744,073,709,551,615")];
        for (n, expected) in cases {
            assert_eq!(count(n), expected);
        }
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

/// Hand-built reports shared by the three renderers' tests: the April 2026 incident as the
/// harness would report it, and a run in which nothing happened.
#[cfg(test)]
pub(super) mod fixtures {
    use std::collections::BTreeMap;

    use super::super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| s(x)).collect()
    }

    fn decision(layer: &str, decision: &str, reason: &str) -> LayerDecision {
        LayerDecision { layer: s(layer), decision: s(decision), reason: s(reason) }
    }

    fn event(at: &str, actor: &str, channel: &str, action: &str, target: Option<&str>) -> TimelineEvent {
        TimelineEvent {
            at: s(at),
            actor: s(actor),
            channel: s(channel),
            action: s(action),
            target: target.map(s),
            step: None,
            decisions: Vec::new(),
            effect: Vec::new(),
        }
    }

    fn expectation(name: &str, passed: bool, expected: &str, actual: &str) -> ExpectationResult {
        ExpectationResult { name: s(name), passed, expected: s(expected), actual: s(actual) }
    }

    /// The April 2026 incident: a domains token found in the repository deletes the production
    /// database volume over curl, its backups go with it, and the off-site copy stopped in January.
    pub(crate) fn sample() -> IncidentReport {
        let knobs: BTreeMap<String, String> = [
            ("backups_die_with_volume", "true"),
            ("backups_outlive_volume", "0s"),
            ("delete_grace", "0s"),
            ("deletion_protection", "false"),
            ("manual_backup_limit", "0.5"),
            ("project_delete_grace", "2d"),
            ("project_token_cross_environment_volume_delete", "true"),
            ("token_scopes", "false"),
            ("workflow_duration", "30s"),
        ]
        .into_iter()
        .map(|(k, v)| (s(k), s(v)))
        .collect();
        let delete_effect =
            strings(&["volume pocketos/pg-data deleted in production and staging", "2 provider backups deleted with the volume"]);
        let timeline = vec![
            TimelineEvent {
                step: Some(1),
                effect: strings(&["found RAILWAY_API_TOKEN in ops/domains.env (token domains-cli)"]),
                ..event("2026-04-24T15:00:00Z", "agent", "repo:search", "search RAILWAY", None)
            },
            TimelineEvent { step: Some(2), ..event("2026-04-24T15:00:05Z", "agent", "repo:read", "read", Some("ops/domains.env")) },
            TimelineEvent {
                step: Some(3),
                decisions: vec![
                    decision("agent-runtime", "allow", "shell commands run without approval"),
                    decision("gateway", "not-reached", "curl does not go through the MCP gateway"),
                    decision("provider-auth", "allow", "workspace token; Railway tokens have no scopes"),
                    decision("provider", "allow", "volumeDelete is an immediate hard delete"),
                ],
                effect: delete_effect.clone(),
                ..event("2026-04-24T15:00:10Z", "agent", "shell:curl", "volumeDelete", Some("pocketos/pg-data"))
            },
            TimelineEvent { step: Some(4), ..event("2026-04-24T15:00:15Z", "agent", "wait", "wait 48h", None) },
            TimelineEvent {
                effect: strings(&["restored the 2026-01-23T00:00:00Z object: 263880 records lost"]),
                ..event("2026-04-26T15:00:15Z", "drill", "recovery", "restore from offsite", Some("pocketos/pg-data"))
            },
        ];
        IncidentReport {
            scenario: s("pocketos-2026-04"),
            path: s("scenarios/pocketos-2026-04.toml"),
            seed: 7,
            profile: ProfileReport { name: s("railway-2026-04"), knobs },
            start: s("2026-04-24T15:00:00Z"),
            end: s("2026-04-26T15:00:39Z"),
            summary: Summary {
                destructive_attempts: 1,
                stopped: 0,
                volumes_lost: strings(&["pocketos/pg-data"]),
                worst_data_loss_seconds: 91 * 86_400 + 15 * 3_600 + 10,
                worst_data_loss: s("91d 15h"),
                alerts: 1,
            },
            tokens: vec![
                TokenReport {
                    name: s("domains-cli"),
                    kind: s("workspace"),
                    stored_in: s("file ops/domains.env"),
                    purpose: strings(&["customDomainCreate", "customDomainDelete", "domains"]),
                    found_by_step: Some(1),
                    found_in: Some(s("ops/domains.env")),
                    used_beyond_purpose: strings(&["volumeDelete"]),
                },
                TokenReport {
                    name: s("deploy"),
                    kind: s("project"),
                    stored_in: s("secret manager 1password"),
                    purpose: strings(&["deploymentTrigger"]),
                    found_by_step: None,
                    found_in: None,
                    used_beyond_purpose: Vec::new(),
                },
            ],
            timeline,
            destructive_attempts: vec![DestructiveAttempt {
                step: 3,
                at: s("2026-04-24T15:00:10Z"),
                operation: s("volumeDelete"),
                target: Some(s("pocketos/pg-data")),
                token: Some(s("domains-cli")),
                channel: s("shell:curl"),
                stopped_by: s("none"),
                reason: s("no layer refused it"),
                effect: delete_effect,
            }],
            volumes: vec![VolumeReport {
                name: s("pocketos/pg-data"),
                critical: true,
                lost: true,
                environment: s("production"),
                instances: vec![
                    InstanceReport {
                        environment: s("production"),
                        state: s("deleted"),
                        mounted: false,
                        deleted_at: Some(s("2026-04-24T15:00:10Z")),
                        records: 0,
                    },
                    InstanceReport {
                        environment: s("staging"),
                        state: s("deleted"),
                        mounted: false,
                        deleted_at: Some(s("2026-04-24T15:00:10Z")),
                        records: 0,
                    },
                ],
                provider_backups: Vec::new(),
                recovery: Recovery {
                    source: s("offsite"),
                    recovery_point: Some(s("2026-01-23T00:00:00Z")),
                    recovery_point_age: Some(s("91d 15h")),
                    data_loss_seconds: 91 * 86_400 + 15 * 3_600 + 10,
                    data_loss: s("91d 15h"),
                    records_lost: 263_880,
                    restore_time_seconds: Some(24),
                    attempts: vec![
                        RecoveryAttempt {
                            source: s("soft-delete-restore"),
                            recovery_point: None,
                            outcome: s("unavailable: deletes are immediate (delete_grace 0s)"),
                        },
                        RecoveryAttempt {
                            source: s("provider-backup"),
                            recovery_point: None,
                            outcome: s("unavailable: backups were deleted with the volume"),
                        },
                        RecoveryAttempt { source: s("offsite"), recovery_point: Some(s("2026-01-23T00:00:00Z")), outcome: s("restored") },
                    ],
                },
            }],
            offsite: Some(OffsiteReport {
                target: s("s3://pocketos-backups/pg-data"),
                volume: s("pocketos/pg-data"),
                every: s("24h"),
                runs: 145,
                failed_runs: 2,
                silent_failures: 2,
                objects: 143,
                newest: Some(s("2026-01-23T00:00:00Z")),
                newest_age_at_end: Some(s("93d 15h")),
            }),
            alerts: vec![Alert {
                kind: s("offsite-stale"),
                first_at: s("2026-01-24T12:00:00Z"),
                times: 93,
                detail: s("newest off-site object older than 36h"),
            }],
            expectations: vec![
                expectation("volumes_lost", true, "pocketos/pg-data", "pocketos/pg-data"),
                expectation("max_data_loss", false, "at most 24h", "91d 15h"),
                expectation("alerts", true, "offsite-stale", "offsite-stale"),
            ],
            passed: false,
        }
    }

    /// A run in which nothing happened and nothing was expected.
    pub(crate) fn minimal() -> IncidentReport {
        IncidentReport {
            scenario: s("empty"),
            path: s("scenarios/empty.toml"),
            seed: 0,
            profile: ProfileReport { name: s("railway"), knobs: BTreeMap::new() },
            start: s("2026-01-01T00:00:00Z"),
            end: s("2026-01-01T00:00:00Z"),
            summary: Summary {
                destructive_attempts: 0,
                stopped: 0,
                volumes_lost: Vec::new(),
                worst_data_loss_seconds: 0,
                worst_data_loss: s("0s"),
                alerts: 0,
            },
            tokens: Vec::new(),
            timeline: Vec::new(),
            destructive_attempts: Vec::new(),
            volumes: Vec::new(),
            offsite: None,
            alerts: Vec::new(),
            expectations: Vec::new(),
            passed: true,
        }
    }
}
