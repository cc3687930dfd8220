//! The view model every renderer lays out: the report's content already in words (its phrases,
//! table columns and rows), so the text and Markdown reports tell the same story in the same
//! words and differ only in layout.
//!
//! Cells are plain text as the report holds it; each renderer makes them safe for its medium
//! (`text::one_line` for a terminal, `markdown::md` for GitHub).

use super::{DestructiveAttempt, IncidentReport, Recovery, TimelineEvent, TokenReport, VolumeReport};
use crate::recovery::RecoveryAttempt;
use crate::scenario::RecoverySource;

/// What a missing value looks like in every table.
pub(super) const NONE: &str = "-";

/// A table: its column headings (empty for a label/value list) and rows.
pub(super) struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

/// One timeline event: its row, then what each layer decided and what it did, one line each.
pub(super) struct TimelineRow {
    pub cells: Vec<String>,
    pub details: Vec<String>,
}

/// One expectation as a person reads it.
pub(super) struct ExpectationRow {
    pub passed: bool,
    pub name: String,
    pub expected: String,
    pub actual: String,
}

/// Everything a renderer shows, in the order the reports read.
pub(super) struct View {
    pub passed: bool,
    pub scenario: String,
    pub held: usize,
    pub expectations_total: usize,
    /// Which volumes are gone and how much data with them.
    pub loss: String,
    /// How many destructive attempts, and which layers stopped them.
    pub attempts_phrase: String,
    /// Scenario path, profile, seed, time span.
    pub facts: Vec<[String; 2]>,
    pub summary: Vec<[String; 2]>,
    pub volumes: Table,
    /// Per volume instance with recovery attempts or a note: a heading, every source tried
    /// (best first), and what the figures mean when they need words.
    pub recoveries: Vec<(String, Table, Option<String>)>,
    pub attempts: Table,
    /// The team's agent runtime, each layer's decision on each attempt, defence in depth and
    /// the settings that protect nothing; when the scenario declares a runtime.
    pub runtime: Option<RuntimeView>,
    pub tokens: Table,
    pub offsite: Option<Vec<[String; 2]>>,
    pub timeline: Vec<TimelineRow>,
    pub alerts: Table,
    pub expectations: Vec<ExpectationRow>,
    pub profile: String,
    pub knobs: Vec<[String; 2]>,
}

/// The agent-runtime part of a report.
pub(super) struct RuntimeView {
    /// Which runtime, mode, files, hooks, approver, classifier, and that it is simulated.
    pub facts: Vec<[String; 2]>,
    /// Per destructive attempt: its label, then each layer's decision and reason, one line each
    /// (with the approver's answer where the runtime asked).
    pub layers: Vec<(String, Vec<String>)>,
    pub defence: Table,
    pub passed_every_layer: String,
    pub hollow: Table,
}

pub(super) const DEFENCE_COLUMNS: &[&str] = &["layer", "stopped", "let through"];
pub(super) const HOLLOW_COLUMNS: &[&str] = &["where", "kind", "what the runtime makes of it"];

pub(super) const VOLUME_COLUMNS: &[&str] = &["volume", "lost", "recovery", "recovery point", "data loss", "records lost", "restore time"];
pub(super) const RECOVERY_COLUMNS: &[&str] = &["source", "recovery point", "outcome"];
pub(super) const ATTEMPT_COLUMNS: &[&str] = &["step", "actor", "time", "operation", "target", "token", "channel", "stopped by", "reason"];
pub(super) const TOKEN_COLUMNS: &[&str] = &["token", "kind", "stored in", "purpose", "found", "used beyond purpose"];
pub(super) const TIMELINE_COLUMNS: &[&str] = &["time", "step", "actor", "channel", "action", "target"];
pub(super) const ALERT_COLUMNS: &[&str] = &["alert", "first at", "times", "detail"];

impl View {
    pub fn of(report: &IncidentReport) -> View {
        let s = &report.summary;
        let lost = if s.volumes_lost.is_empty() {
            "none".to_string()
        } else {
            format!("{} ({})", s.volumes_lost.len(), s.volumes_lost.join(", "))
        };
        View {
            passed: report.passed,
            scenario: report.scenario.clone(),
            held: report.expectations.iter().filter(|e| e.passed).count(),
            expectations_total: report.expectations.len(),
            loss: loss_phrase(report),
            attempts_phrase: attempts_phrase(&report.destructive_attempts),
            facts: vec![
                ["scenario".into(), report.path.clone()],
                ["profile".into(), report.profile.name.clone()],
                ["seed".into(), report.seed.to_string()],
                ["time".into(), format!("{} → {}", report.start, report.end)],
            ],
            summary: vec![
                ["volumes lost".into(), lost],
                ["worst data loss".into(), data_loss(s.worst_data_loss_seconds, &s.worst_data_loss.to_string())],
                ["destructive attempts".into(), format!("{}, {} stopped", s.destructive_attempts, s.stopped)],
                ["alerts".into(), s.alerts.to_string()],
            ],
            volumes: Table { columns: VOLUME_COLUMNS, rows: report.volumes.iter().map(volume_row).collect() },
            recoveries: report
                .volumes
                .iter()
                .filter(|v| !v.recovery.attempts.is_empty() || v.recovery.note.is_some())
                .map(|v| {
                    let tried = Table { columns: RECOVERY_COLUMNS, rows: v.recovery.attempts.iter().map(recovery_row).collect() };
                    (recovery_heading(v), tried, v.recovery.note.clone())
                })
                .collect(),
            attempts: Table { columns: ATTEMPT_COLUMNS, rows: report.destructive_attempts.iter().map(attempt_row).collect() },
            runtime: runtime_view(report),
            tokens: Table { columns: TOKEN_COLUMNS, rows: report.tokens.iter().map(token_row).collect() },
            offsite: offsite_rows(report),
            timeline: report.timeline.iter().map(|e| TimelineRow { cells: timeline_row(e), details: timeline_details(e) }).collect(),
            alerts: Table {
                columns: ALERT_COLUMNS,
                rows: report
                    .alerts
                    .iter()
                    .map(|a| vec![kebab(&a.kind), a.first_at.to_string(), times(a.times), a.detail.clone()])
                    .collect(),
            },
            expectations: report
                .expectations
                .iter()
                .map(|e| ExpectationRow { passed: e.passed, name: e.name.clone(), expected: e.expected.clone(), actual: e.actual.clone() })
                .collect(),
            profile: report.profile.name.clone(),
            knobs: report.profile.knobs.iter().map(|(k, v)| [k.clone(), v.clone()]).collect(),
        }
    }
}

pub(super) fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn source(s: RecoverySource) -> String {
    kebab(&s)
}

fn volume_row(v: &VolumeReport) -> Vec<String> {
    let r = &v.recovery;
    let name = if v.critical { format!("{} (critical)", v.instance_name()) } else { v.instance_name() };
    vec![
        name,
        yes_no(v.lost).into(),
        source(r.source),
        recovery_point(r),
        data_loss(r.data_loss_seconds, &r.data_loss.to_string()),
        count(r.records_lost),
        r.restore_time_seconds.map_or_else(|| NONE.into(), |s| mock_provider::time::Duration(s).to_string()),
    ]
}

fn recovery_row(a: &RecoveryAttempt) -> Vec<String> {
    vec![source(a.source), a.recovery_point.map_or_else(|| NONE.into(), |t| t.to_string()), a.outcome.clone()]
}

fn recovery_heading(volume: &VolumeReport) -> String {
    format!("{} in {}: recovery sources tried, best first", volume.name, volume.environment)
}

fn attempt_row(a: &DestructiveAttempt) -> Vec<String> {
    vec![
        a.step.to_string(),
        a.actor.clone(),
        a.at.to_string(),
        a.operation.to_string(),
        opt(a.target.as_deref()),
        opt(a.token.as_deref()),
        a.channel.to_string(),
        a.stopped_by.to_string(),
        a.reason.clone(),
    ]
}

fn runtime_view(report: &IncidentReport) -> Option<RuntimeView> {
    let r = report.agent_runtime.as_ref()?;
    let d = report.defence_in_depth.as_ref()?;
    let facts = vec![
        ["runtime".into(), r.runtime.to_string()],
        ["mode".into(), format!("{} ({})", r.mode, r.mode_source)],
        ["settings".into(), list(&r.files)],
        ["hooks".into(), r.hooks.clone()],
        ["approver".into(), r.approver.clone()],
        ["classifier".into(), r.classifier.clone()],
        ["findings".into(), r.findings.len().to_string()],
        ["verdicts".into(), r.simulated.to_string()],
    ];
    let layers = report
        .destructive_attempts
        .iter()
        .filter(|a| !a.layers.is_empty())
        .map(|a| {
            let lines = a
                .layers
                .iter()
                .flat_map(|d| {
                    let mut lines = vec![format!("{}: {} ({})", d.layer, kebab(&d.verdict), d.reason)];
                    if let Some(ap) = &d.approval {
                        let read = ap.read.as_ref().map(|r| format!(" after reading only `{r}`")).unwrap_or_default();
                        lines.push(format!("  approver ({}): {}{read}", ap.approver, kebab(&ap.answer)));
                    }
                    lines.extend(d.leaks.iter().map(|l| format!("  leak {}: {}", l.kind_name(), l.message)));
                    lines
                })
                .collect();
            (super::defence::label(a), lines)
        })
        .collect();
    let joined = |items: &[String]| if items.is_empty() { NONE.to_string() } else { items.join("; ") };
    Some(RuntimeView {
        facts,
        layers,
        defence: Table {
            columns: DEFENCE_COLUMNS,
            rows: d.layers.iter().map(|l| vec![l.layer.to_string(), joined(&l.stopped), joined(&l.let_through)]).collect(),
        },
        passed_every_layer: joined(&d.passed_every_layer),
        hollow: Table {
            columns: HOLLOW_COLUMNS,
            rows: r.protects_nothing.iter().map(|h| vec![h.at.clone(), h.kind.clone(), h.message.clone()]).collect(),
        },
    })
}

fn token_row(t: &TokenReport) -> Vec<String> {
    let found = match (t.found_by_step, &t.found_in) {
        (Some(step), Some(place)) => format!("step {step} in {place}"),
        (Some(step), None) => format!("step {step}"),
        (None, Some(place)) => format!("in {place}"),
        (None, None) => "no".into(),
    };
    vec![t.name.clone(), kebab(&t.kind), t.stored_in.clone(), list(&t.purpose), found, list(&t.used_beyond_purpose)]
}

fn offsite_rows(report: &IncidentReport) -> Option<Vec<[String; 2]>> {
    let o = report.offsite.as_ref()?;
    let newest = match (&o.newest, &o.newest_age_at_end) {
        (Some(at), Some(age)) => format!("{at} ({age} old at the end)"),
        (Some(at), None) => at.to_string(),
        (None, _) => "no object".into(),
    };
    Some(vec![
        ["target".into(), o.target.clone()],
        ["volume".into(), o.volume.clone()],
        ["every".into(), o.every.to_string()],
        ["runs".into(), runs(o.runs, o.failed_runs, o.silent_failures)],
        ["objects".into(), o.objects.to_string()],
        ["newest".into(), newest],
    ])
}

fn timeline_row(e: &TimelineEvent) -> Vec<String> {
    vec![
        e.at.to_string(),
        e.step.map_or_else(String::new, |s| s.to_string()),
        e.actor.clone(),
        e.channel.to_string(),
        e.action.clone(),
        opt(e.target.as_deref()),
    ]
}

/// What each layer decided and what the action did, one line each, in the order they happened.
fn timeline_details(e: &TimelineEvent) -> Vec<String> {
    let decisions = e.decisions.iter().map(|d| {
        let verdict = kebab(&d.verdict);
        if d.reason.trim().is_empty() { format!("{}: {verdict}", d.layer) } else { format!("{}: {verdict} ({})", d.layer, d.reason) }
    });
    let effects = e.effect.iter().map(|x| format!("→ {x}"));
    decisions.chain(effects).collect()
}

/// The loss half of the summary line: which volumes are gone and how much data with them.
pub(super) fn loss_phrase(report: &IncidentReport) -> String {
    let s = &report.summary;
    if s.volumes_lost.is_empty() {
        return if s.worst_data_loss_seconds > 0 {
            format!("no volume lost, {} of data lost", s.worst_data_loss)
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
            loss_amount(s.worst_data_loss_seconds, &s.worst_data_loss.to_string(), "worst: ")
        );
    }
    let lost: Vec<String> = s
        .volumes_lost
        .iter()
        .map(|name| match report.volumes.iter().find(|v| &v.instance_name() == name) {
            Some(v) => {
                let r = &v.recovery;
                let source = if r.source == RecoverySource::None { "unrecoverable".into() } else { source(r.source) };
                format!("{name} lost ({source}, {})", loss_amount(r.data_loss_seconds, &r.data_loss.to_string(), ""))
            }
            None => format!("{name} lost"),
        })
        .collect();
    lost.join(", ")
}

fn loss_amount(seconds: i64, text: &str, prefix: &str) -> String {
    if seconds > 0 { format!("{prefix}{text} of data lost") } else { "no data lost".into() }
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
fn stopped_by(attempts: &[DestructiveAttempt]) -> String {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for a in attempts {
        let name = a.stopped_by.name();
        match counts.iter_mut().find(|(layer, _)| *layer == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    match counts.as_slice() {
        [] => NONE.into(),
        [(layer, _)] => (*layer).to_string(),
        _ => counts.iter().map(|(layer, count)| format!("{layer} ({count})")).collect::<Vec<_>>().join(", "),
    }
}

/// "expected X, got Y", the one phrasing of a failed expectation in every format and runner.
pub fn expected_got(expected: &str, actual: &str) -> String {
    format!("expected {expected}, got {actual}")
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
fn recovery_point(r: &Recovery) -> String {
    match (&r.recovery_point, &r.recovery_point_age) {
        (Some(at), Some(age)) if *age != r.data_loss => format!("{at} ({age} old)"),
        (Some(at), _) => at.to_string(),
        (None, _) => NONE.into(),
    }
}

fn data_loss(seconds: i64, text: &str) -> String {
    if seconds > 0 { text.to_string() } else { "none".into() }
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

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| NONE.into(), str::to_string)
}

fn list(items: &[String]) -> String {
    if items.is_empty() { NONE.into() } else { items.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_in_thousands() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (263_880, "263,880"), (u64::MAX, "18,446,744,073,709,551,615")];
        for (n, expected) in cases {
            assert_eq!(count(n), expected);
        }
    }

    #[test]
    fn run_counts_say_how_many_failed_and_how_many_of_those_silently() {
        for (r, f, s, expected) in [
            (10, 0, 0, "10, none failed"),
            (10, 2, 0, "10, 2 failed"),
            (10, 2, 2, "10, 2 failed, all silently"),
            (10, 3, 1, "10, 3 failed, 1 of them silently"),
        ] {
            assert_eq!(runs(r, f, s), expected);
        }
    }
}
