//! The timeline picture of the HTML report: an inline SVG with one lane per thing a person asks
//! about (the writes, the provider's backups, the off-site dumps, the agent's steps, each
//! guardrail layer's verdicts, the effects, the recovery, the alerts), the loss window across
//! them all.
//!
//! Why two scales: a history is months long and a run is minutes, often one instant. The history
//! is drawn to scale on the left; the run's events each get a slot of their own on the right, in
//! timeline order, so nothing that happened at the same second is drawn on top of another, and
//! anything else in the run (an alert, a recovery point after the start) is placed at the slot
//! of the first event at or after it. Every marker is a link to its row in the timeline table
//! below (focusable from the keyboard) and carries a `<title>` that hovering shows; no script.

use std::fmt::Write as _;

use mock_provider::time::Instant;

use super::{IncidentReport, TimelineEvent};
use crate::guardrails::{Layer, Verdict};

const WIDTH: f64 = 1000.0;
/// Where lanes start, after their labels.
const LEFT: f64 = 150.0;
const RIGHT: f64 = 20.0;
/// The share of the drawing the history takes when there is a run after it.
const HISTORY_SHARE: f64 = 0.45;
const LANE: f64 = 26.0;
const TOP: f64 = 34.0;

/// The lanes, top to bottom.
const LANES: [&str; 12] = [
    "writes",
    "provider backups",
    "off-site dumps",
    "agent steps",
    "agent-runtime",
    "gateway",
    "provider-auth",
    "provider",
    "effects",
    "recovery",
    "alerts",
    "",
];

fn lane_y(lane: usize) -> f64 {
    TOP + lane as f64 * LANE + LANE / 2.0
}

fn layer_lane(layer: Layer) -> usize {
    match layer {
        Layer::AgentRuntime => 4,
        Layer::Gateway => 5,
        Layer::ProviderAuth => 6,
        Layer::Provider => 7,
    }
}

/// Where instants go on the x axis.
struct Scale {
    history_start: Instant,
    run_start: Instant,
    /// The run's events in timeline order: (instant, index in the timeline).
    slots: Vec<(Instant, usize)>,
    /// Where the run's slots begin.
    split: f64,
}

impl Scale {
    fn of(report: &IncidentReport) -> Scale {
        // Whatever the picture draws before the run widens the history to it.
        let before = report
            .timeline
            .first()
            .map(|e| e.at)
            .into_iter()
            .chain(report.volumes.iter().filter_map(|v| v.recovery.recovery_point))
            .chain(report.volumes.iter().flat_map(|v| v.provider_backups.iter().map(|b| b.created_at)))
            .chain(report.offsite.iter().flat_map(|o| o.dumps.iter().copied().chain(o.failures.iter().map(|(t, _)| *t))))
            .chain(report.alerts.iter().map(|a| a.first_at));
        let history_start = before.fold(report.start, Instant::min);
        let slots: Vec<(Instant, usize)> = report
            .timeline
            .iter()
            .enumerate()
            .filter(|(_, e)| e.at >= report.start && e.actor != "history")
            .map(|(i, e)| (e.at, i))
            .collect();
        let inner = WIDTH - LEFT - RIGHT;
        let split = if history_start >= report.start {
            LEFT
        } else if slots.is_empty() {
            LEFT + inner
        } else {
            LEFT + inner * HISTORY_SHARE
        };
        Scale { history_start, run_start: report.start, slots, split }
    }

    fn slot_width(&self) -> f64 {
        (WIDTH - RIGHT - self.split) / self.slots.len().max(1) as f64
    }

    /// The x of the `n`th run slot.
    fn slot(&self, n: usize) -> f64 {
        self.split + (n as f64 + 0.5) * self.slot_width()
    }

    /// The x of the timeline event `index`, if it is in the run.
    fn event(&self, index: usize) -> Option<f64> {
        self.slots.iter().position(|(_, i)| *i == index).map(|n| self.slot(n))
    }

    /// The x of any instant.
    fn at(&self, t: Instant) -> f64 {
        if t < self.run_start {
            let span = (self.run_start.0 - self.history_start.0).max(1) as f64;
            let done = (t.0 - self.history_start.0).max(0) as f64;
            return LEFT + (self.split - LEFT) * (done / span);
        }
        match self.slots.iter().position(|(at, _)| *at >= t) {
            // An instant between two events sits at the start of the slot after it.
            Some(n) if self.slots[n].0 > t => self.slot(n) - self.slot_width() / 2.0,
            Some(n) => self.slot(n),
            None => WIDTH - RIGHT,
        }
    }
}

/// The x of instant `t`, at the first destructive call's own slot when that call is at `t`: the
/// moment writes stop is that call, not the first event of the same second.
fn stop_x(report: &IncidentReport, scale: &Scale, t: Instant) -> f64 {
    let call = report.destructive_attempts.iter().find(|a| !a.effect.is_empty() && a.at == t);
    call.and_then(|a| report.timeline.iter().position(|e| is_attempt(a, e))).and_then(|i| scale.event(i)).unwrap_or_else(|| scale.at(t))
}

/// The picture of `report`, as an `<svg>` element.
pub(super) fn picture(report: &IncidentReport) -> String {
    let scale = Scale::of(report);
    let height = TOP + LANE * (LANES.len() - 1) as f64 + 24.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="picture" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="picture-title" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(
        svg,
        r#"<title id="picture-title">Timeline of {}: history, the agent's steps, each layer's verdicts, the effects, the recovery point and the loss window</title>"#,
        esc(&report.scenario)
    );
    lanes(&mut svg, &scale, height);
    loss_window(&mut svg, report, &scale, height);
    writes(&mut svg, report, &scale);
    backups(&mut svg, report, &scale);
    offsite(&mut svg, report, &scale);
    events(&mut svg, report, &scale);
    recovery_points(&mut svg, report, &scale);
    alerts(&mut svg, report, &scale);
    svg.push_str("</svg>");
    svg
}

fn lanes(svg: &mut String, scale: &Scale, height: f64) {
    for (i, name) in LANES.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        let y = lane_y(i);
        let _ = write!(svg, r#"<text class="lane-label" x="{}" y="{:.1}">{name}</text>"#, LEFT - 8.0, y + 4.0);
        let _ = write!(svg, r#"<line class="lane" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/>"#, WIDTH - RIGHT);
    }
    let axis = height - 14.0;
    if scale.split > LEFT {
        let _ = write!(svg, r#"<text class="axis" x="{LEFT}" y="{axis:.1}">{}</text>"#, esc(&scale.history_start.to_string()));
        let _ = write!(
            svg,
            r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">history, to scale</text>"#,
            (LEFT + scale.split) / 2.0,
            TOP - 16.0
        );
    }
    if !scale.slots.is_empty() {
        let _ =
            write!(svg, r#"<line class="split" x1="{s:.1}" x2="{s:.1}" y1="{}" y2="{:.1}"/>"#, TOP - 10.0, height - 26.0, s = scale.split);
        let _ = write!(
            svg,
            r#"<text class="axis" x="{:.1}" y="{axis:.1}">{} (run: one slot per event)</text>"#,
            scale.split + 4.0,
            esc(&scale.run_start.to_string())
        );
    }
}

/// Writes stop at the first destructive effect; the window from the recovery point to then is
/// what was lost.
fn loss_window(svg: &mut String, report: &IncidentReport, scale: &Scale, height: f64) {
    for (n, v) in report.volumes.iter().filter(|v| v.recovery.data_loss_seconds > 0).enumerate() {
        let Some(point) = v.recovery.recovery_point else { continue };
        let stop = Instant(point.0 + v.recovery.data_loss_seconds);
        let (x1, x2) = (scale.at(point), stop_x(report, scale, stop).max(scale.at(point) + 2.0));
        let id = if n == 0 { r#" id="loss-window""# } else { "" };
        let _ = write!(
            svg,
            r#"<rect{id} class="loss-window" x="{x1:.1}" y="{}" width="{:.1}" height="{:.1}"><title>{} lost {} of data: from the recovery point {} to {}</title></rect>"#,
            TOP - 4.0,
            x2 - x1,
            height - TOP - 22.0,
            esc(&v.instance_name()),
            esc(&v.recovery.data_loss.to_string()),
            esc(&point.to_string()),
            esc(&stop.to_string())
        );
    }
}

fn writes(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    let y = lane_y(0);
    let stop = report.destructive_attempts.iter().find(|a| !a.effect.is_empty()).map(|a| a.at);
    let end = stop.map_or(WIDTH - RIGHT, |t| stop_x(report, scale, t));
    let what = match stop {
        Some(t) => format!("the service writes until the first destructive effect, {t}"),
        None => "the service writes throughout".into(),
    };
    let _ = write!(
        svg,
        r#"<rect class="writes" x="{LEFT}" y="{:.1}" width="{:.1}" height="8"><title>{}</title></rect>"#,
        y - 4.0,
        (end - LEFT).max(1.0),
        esc(&what)
    );
}

fn backups(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    let y = lane_y(1);
    for v in &report.volumes {
        for b in &v.provider_backups {
            let x = scale.at(b.created_at);
            let _ = write!(
                svg,
                r#"<line class="backup" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"><title>provider backup {} of {} ({}), taken {}</title></line>"#,
                y - 7.0,
                y + 7.0,
                esc(&b.name),
                esc(&v.name),
                esc(&b.environment),
                esc(&b.created_at.to_string())
            );
        }
    }
}

fn offsite(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    let Some(o) = &report.offsite else { return };
    let y = lane_y(2);
    for t in &o.dumps {
        let x = scale.at(*t);
        let _ = write!(
            svg,
            r#"<line class="dump" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"><title>off-site dump of {}, taken {}</title></line>"#,
            y - 7.0,
            y + 7.0,
            esc(&o.volume),
            esc(&t.to_string())
        );
    }
    for (t, silent) in &o.failures {
        let x = scale.at(*t);
        let (class, what) = if *silent { ("dump-failed silent", "failed, reported as success") } else { ("dump-failed", "failed") };
        let _ = write!(
            svg,
            r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="3.5"><title>off-site run at {} {what}</title></circle>"#,
            esc(&t.to_string())
        );
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
        Verdict::Ask => "ask",
        Verdict::Error => "error",
        Verdict::NotReached => "not-reached",
    }
}

/// The run's events: steps, each layer's verdict and the effects, each a link to its row.
fn events(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    for (i, e) in report.timeline.iter().enumerate() {
        let Some(x) = scale.event(i) else { continue };
        let destructive = report.destructive_attempts.iter().position(|a| is_attempt(a, e));
        let label = event_label(e);
        let _ = write!(svg, r##"<a class="ev" href="#event-{}" aria-label="{}">"##, i + 1, esc(&label));
        let _ = write!(svg, "<title>{}</title>", esc(&event_title(e)));
        let y = lane_y(3);
        match destructive {
            Some(n) => {
                let _ = write!(
                    svg,
                    r#"<path id="destructive-call-{}" class="destructive" d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z"/>"#,
                    n + 1,
                    y - 9.0,
                    x + 9.0,
                    y + 9.0,
                    x - 9.0
                );
            }
            None => {
                let _ = write!(svg, r#"<circle class="step" cx="{x:.1}" cy="{y:.1}" r="5"/>"#);
            }
        }
        for d in &e.decisions {
            let _ = write!(
                svg,
                r#"<rect class="verdict {}" x="{:.1}" y="{:.1}" width="10" height="10"/>"#,
                verdict_class(d.verdict),
                x - 5.0,
                lane_y(layer_lane(d.layer)) - 5.0
            );
        }
        if !e.effect.is_empty() {
            let _ = write!(svg, r#"<circle class="effect" cx="{x:.1}" cy="{:.1}" r="4"/>"#, lane_y(8));
        }
        svg.push_str("</a>");
    }
}

/// Whether timeline event `e` is the provider call of destructive attempt `a`.
fn is_attempt(a: &super::DestructiveAttempt, e: &TimelineEvent) -> bool {
    e.step == Some(a.step) && e.at == a.at && e.action == a.operation.to_string() && e.actor == a.actor
}

fn event_label(e: &TimelineEvent) -> String {
    match e.step {
        Some(step) => format!("step {step}: {}", e.action),
        None => e.action.clone(),
    }
}

/// What hovering an event shows: when, who, what, and each layer's decision.
fn event_title(e: &TimelineEvent) -> String {
    let mut lines = vec![format!("{} {} ({}): {}", e.at, e.actor, e.channel, e.action)];
    lines.extend(e.decisions.iter().map(|d| format!("{}: {} ({})", d.layer, verdict_class(d.verdict), d.reason)));
    lines.extend(e.effect.iter().take(6).map(|x| format!("→ {x}")));
    if e.effect.len() > 6 {
        lines.push(format!("→ … and {} more effects", e.effect.len() - 6));
    }
    lines.join("\n")
}

fn recovery_points(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    let y = lane_y(9);
    for (n, v) in report.volumes.iter().filter(|v| v.critical).enumerate() {
        let Some(point) = v.recovery.recovery_point else { continue };
        let x = scale.at(point);
        let id = if n == 0 { r#" id="recovery-point""# } else { "" };
        let _ = write!(
            svg,
            r#"<g{id} class="recovery-point"><title>{}: recovered from {} at {} ({} lost)</title><line x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{:.1}"/><circle cx="{x:.1}" cy="{y:.1}" r="6"/></g>"#,
            esc(&v.instance_name()),
            esc(&super::view::kebab(&v.recovery.source)),
            esc(&point.to_string()),
            esc(&v.recovery.data_loss.to_string()),
            TOP - 4.0,
            y
        );
    }
}

fn alerts(svg: &mut String, report: &IncidentReport, scale: &Scale) {
    let y = lane_y(10);
    for a in &report.alerts {
        let x = scale.at(a.first_at);
        let _ = write!(
            svg,
            r#"<path class="alert" d="M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z"><title>{} first at {}, {}: {}</title></path>"#,
            y - 7.0,
            x + 7.0,
            y + 6.0,
            x - 7.0,
            y + 6.0,
            esc(&super::view::kebab(&a.kind)),
            esc(&a.first_at.to_string()),
            esc(&super::view::times(a.times)),
            esc(&a.detail)
        );
    }
}

/// `s` safe as HTML or SVG text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML text; a report never needs them.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::sample;

    #[test]
    fn the_incident_picture_has_the_destructive_call_the_recovery_point_and_the_loss_window() {
        let svg = picture(&sample());
        for id in [r#"id="destructive-call-1""#, r#"id="recovery-point""#, r#"id="loss-window""#] {
            assert!(svg.contains(id), "{id} missing");
        }
        assert_eq!(svg.matches("<svg").count(), 1);
        assert_eq!(svg.matches("<a ").count(), svg.matches("</a>").count());
    }

    #[test]
    fn history_is_to_scale_and_run_events_each_get_their_own_slot() {
        let r = sample();
        let s = Scale::of(&r);
        assert!(s.at(s.history_start) <= LEFT + 0.01);
        assert!(s.at(s.history_start) < s.at(Instant(s.run_start.0 - 1)));
        let xs: Vec<f64> = (0..s.slots.len()).map(|n| s.slot(n)).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "slots strictly increase: {xs:?}");
        assert!(xs.iter().all(|x| *x >= s.split && *x <= WIDTH - RIGHT));
    }

    #[test]
    fn text_from_the_scenario_cannot_become_markup() {
        assert_eq!(esc(r#"<script>"a"&'b'</script>"#), "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;");
        assert_eq!(esc("a\u{0}b"), "a\u{FFFD}b");
    }
}
