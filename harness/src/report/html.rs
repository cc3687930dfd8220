//! The HTML layout of an `IncidentReport`: one self-contained page that opens from disk. It
//! loads nothing (a Content-Security-Policy of `default-src 'none'` says so to the browser),
//! has no script, reads on a phone (tables scroll sideways inside their section, the picture
//! scales) and prints (the picture on its own page, links without their decoration).
//!
//! Why this shape: the picture (`picture`) is what a person looks at first; below it come the
//! same sections as the text report, in the same words, from the shared view model (`view`).
//! Every piece of report text passes through `esc`.

use std::fmt::Write as _;

use super::IncidentReport;
use super::picture::{esc, picture};
use super::view::{TIMELINE_COLUMNS, Table, View};

const STYLE: &str = r#"
:root { color-scheme: light; --allow: #2e7d32; --deny: #c62828; --ask: #ef8f00; --error: #6d4c41; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #202124; background: #fff; }
h1 { font-size: 1.4rem; margin: .2rem 0 .4rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #dadce0; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.verdict-line { font-size: 1.05rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .8rem; color: #fff; font-weight: 600; }
.badge.passed { background: var(--allow); } .badge.failed { background: var(--deny); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e8eaed; }
th { background: #f8f9fa; white-space: nowrap; }
td { overflow-wrap: break-word; }
tr:target { background: #fff8e1; outline: 2px solid var(--ask); }
ul.details { margin: .2rem 0 0; padding-left: 1.1rem; color: var(--muted); }
ul.decisions li.under { margin-left: 1.2rem; color: var(--muted); }
.ok { color: var(--allow); font-weight: 600; } .fail { color: var(--deny); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .85rem; }
.picture-frame { overflow-x: auto; border: 1px solid #dadce0; border-radius: .4rem; }
svg.picture { display: block; width: 100%; min-width: 44rem; height: auto; font: 11px system-ui, sans-serif; }
svg .lane { stroke: #e8eaed; stroke-width: 1; }
svg .split { stroke: #9aa0a6; stroke-dasharray: 4 3; }
svg .lane-label { text-anchor: end; fill: #3c4043; }
svg .axis { fill: var(--muted); }
svg .writes { fill: #90caf9; }
svg .backup { stroke: #1565c0; stroke-width: 1.2; }
svg .dump { stroke: #00897b; stroke-width: 1.2; }
svg .dump-failed { fill: var(--deny); } svg .dump-failed.silent { fill: #fff; stroke: var(--deny); stroke-width: 1.5; }
svg .step { fill: #5f6368; }
svg .destructive { fill: var(--deny); stroke: #000; stroke-width: 1; }
svg .verdict.allow { fill: var(--allow); } svg .verdict.deny { fill: var(--deny); }
svg .verdict.ask { fill: var(--ask); } svg .verdict.error { fill: var(--error); } svg .verdict.not-reached { fill: #dadce0; }
svg .effect { fill: #8e24aa; }
svg .recovery-point line { stroke: #1b5e20; stroke-width: 2; } svg .recovery-point circle { fill: #1b5e20; }
svg .loss-window { fill: rgba(198, 40, 40, .13); stroke: rgba(198, 40, 40, .5); stroke-dasharray: 3 2; }
svg .alert { fill: var(--ask); stroke: #000; stroke-width: .6; }
svg a.ev:hover rect, svg a.ev:focus rect, svg a.ev:hover circle, svg a.ev:focus circle, svg a.ev:hover path, svg a.ev:focus path { stroke: #000; stroke-width: 2.5; }
svg a.ev:focus { outline: none; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; color: var(--muted); list-style: none; padding: 0; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
@media (max-width: 40rem) { body { padding: .6rem; font-size: 14px; } dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .3rem; } }
@media print { body { max-width: none; } .picture-frame { overflow: visible; border: none; } svg.picture { min-width: 0; } figure { break-after: page; } a { color: inherit; text-decoration: none; } .scroll { overflow: visible; } tr { break-inside: avoid; } }
"#;

/// The full report as one HTML page.
pub fn html(report: &IncidentReport) -> String {
    html_with(report, "")
}

/// The page with `extra` (HTML, already escaped: the what-if matrix) after the picture.
pub fn html_with(report: &IncidentReport, extra: &str) -> String {
    let v = View::of(report);
    let mut out = String::new();
    let verdict = if v.passed { "passed" } else { "failed" };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    let _ = writeln!(out, "<title>firedrill: {} {verdict}</title>", esc(&v.scenario));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<header>\n<h1>firedrill: {}</h1>", esc(&v.scenario));
    let _ = writeln!(
        out,
        "<p class=\"verdict-line\"><span class=\"badge {verdict}\">{verdict}</span> {} of {} expectations held; {}; {}.</p>",
        v.held,
        v.expectations_total,
        esc(&v.loss),
        esc(&v.attempts_phrase)
    );
    facts(&mut out, &v.facts);
    out.push_str("</header>\n<main>\n");

    out.push_str("<figure>\n<div class=\"picture-frame\">");
    out.push_str(&picture(report));
    out.push_str("</div>\n");
    out.push_str(LEGEND);
    out.push_str(
        "<figcaption>Hover or focus a marker for its details; select it to jump to its row in the timeline.</figcaption>\n</figure>\n",
    );
    out.push_str(extra);

    section(&mut out, "Summary");
    facts(&mut out, &v.summary);
    section(&mut out, "Volumes");
    if v.volumes.rows.is_empty() {
        out.push_str("<p>No volumes.</p>\n");
    } else {
        table(&mut out, &v.volumes);
        for (heading, tried, note) in &v.recoveries {
            let _ = writeln!(out, "<h3>{}</h3>", esc(heading));
            if !tried.rows.is_empty() {
                table(&mut out, tried);
            }
            if let Some(note) = note {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
            }
        }
    }
    listed(&mut out, "Destructive attempts", &v.attempts);
    if let Some(r) = &v.runtime {
        section(&mut out, "Each layer's decision");
        if r.layers.is_empty() {
            out.push_str("<p>None.</p>\n");
        }
        for (label, lines) in &r.layers {
            let _ = write!(out, "<h3>{}</h3>\n<ul class=\"decisions\">", esc(label));
            for line in lines {
                // A line under a decision (the approver's answer, a leak) nests under it.
                let class = if line.starts_with(' ') { " class=\"under\"" } else { "" };
                let _ = write!(out, "<li{class}>{}</li>", esc(line.trim_start()));
            }
            out.push_str("</ul>\n");
        }
        section(&mut out, "Defence in depth");
        table(&mut out, &r.defence);
        let _ = writeln!(out, "<p><strong>Passed every layer:</strong> {}</p>", esc(&r.passed_every_layer));
        section(&mut out, "Agent runtime");
        facts(&mut out, &r.facts);
        listed(&mut out, "Settings that look protective but protect nothing", &r.hollow);
    }
    listed(&mut out, "Tokens", &v.tokens);
    if let Some(rows) = &v.offsite {
        section(&mut out, "Off-site backup");
        facts(&mut out, rows);
    }
    section(&mut out, "Timeline");
    if v.timeline.is_empty() {
        out.push_str("<p>No events.</p>\n");
    } else {
        out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
        for c in TIMELINE_COLUMNS {
            let _ = write!(out, "<th scope=\"col\">{}</th>", esc(c));
        }
        out.push_str("<th scope=\"col\">decisions and effects</th></tr></thead>\n<tbody>\n");
        for (i, row) in v.timeline.iter().enumerate() {
            let _ = write!(out, "<tr id=\"event-{}\">", i + 1);
            for c in &row.cells {
                let _ = write!(out, "<td>{}</td>", esc(c));
            }
            out.push_str("<td>");
            if !row.details.is_empty() {
                out.push_str("<ul class=\"details\">");
                for d in &row.details {
                    let _ = write!(out, "<li>{}</li>", esc(d));
                }
                out.push_str("</ul>");
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
    }
    listed(&mut out, "Alerts", &v.alerts);
    section(&mut out, "Expectations");
    if v.expectations.is_empty() {
        out.push_str("<p>None.</p>\n");
    } else {
        out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\">expectation</th><th scope=\"col\">expected</th><th scope=\"col\">got</th></tr></thead>\n<tbody>\n");
        for e in &v.expectations {
            let (class, mark) = if e.passed { ("ok", "✓ held") } else { ("fail", "✗ failed") };
            let _ = writeln!(
                out,
                "<tr><td class=\"{class}\">{mark}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&e.name),
                esc(&e.expected),
                esc(&e.actual)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    section(&mut out, "Profile");
    let _ = writeln!(out, "<p>{}</p>", esc(&v.profile));
    if !v.knobs.is_empty() {
        let rows: Vec<Vec<String>> = v.knobs.iter().map(|r| r.to_vec()).collect();
        raw(&mut out, &["knob", "value"], &rows);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const LEGEND: &str = concat!(
    "<ul class=\"legend\">",
    "<li><span style=\"background:#2e7d32\"></span>allow</li>",
    "<li><span style=\"background:#c62828\"></span>deny / destructive call / failed dump</li>",
    "<li><span style=\"background:#ef8f00\"></span>ask / alert</li>",
    "<li><span style=\"background:#6d4c41\"></span>error</li>",
    "<li><span style=\"background:#8e24aa\"></span>effects</li>",
    "<li><span style=\"background:#1b5e20\"></span>recovery point</li>",
    "<li><span style=\"background:rgba(198,40,40,.25)\"></span>loss window</li>",
    "</ul>\n"
);

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "<h2>{}</h2>", esc(title));
}

fn facts(out: &mut String, rows: &[[String; 2]]) {
    out.push_str("<dl class=\"facts\">");
    for [label, value] in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    out.push_str("</dl>\n");
}

fn listed(out: &mut String, title: &str, t: &Table) {
    section(out, title);
    if t.rows.is_empty() {
        out.push_str("<p>None.</p>\n");
    } else {
        table(out, t);
    }
}

fn table(out: &mut String, t: &Table) {
    raw(out, t.columns, &t.rows);
}

fn raw(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for c in row.iter().take(header.len()) {
            let _ = write!(out, "<td>{}</td>", esc(c));
        }
        for _ in row.len()..header.len() {
            out.push_str("<td></td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{minimal, sample};

    #[test]
    fn html_report_of_the_april_incident() {
        insta::assert_snapshot!(html(&sample()));
    }

    #[test]
    fn html_report_with_the_teams_agent_runtime_has_the_text_reports_runtime_sections() {
        let page = html(&crate::report::fixtures::with_runtime());
        for h in ["Each layer's decision", "Defence in depth", "Agent runtime", "Settings that look protective but protect nothing"] {
            assert!(page.contains(&format!("<h2>{}</h2>", esc(h))), "{h}");
        }
    }

    #[test]
    fn the_page_loads_nothing_and_runs_no_script() {
        let page = html(&sample());
        assert!(page.contains("default-src 'none'"));
        for forbidden in ["<script", "src=", "http://", "https://", "@import", "url("] {
            let hits: Vec<&str> =
                page.lines().filter(|l| l.contains(forbidden) && !l.contains("xmlns=\"http://www.w3.org/2000/svg\"")).collect();
            assert!(hits.is_empty(), "{forbidden}: {hits:?}");
        }
    }

    #[test]
    fn scenario_text_is_escaped_everywhere() {
        let mut r = sample();
        r.scenario = "<img src=x onerror=alert(1)>".into();
        if let Some(e) = r.timeline.first_mut() {
            e.action = "</td><script>alert(1)</script>".into();
        }
        let page = html(&r);
        assert!(!page.contains("<img"));
        assert!(!page.contains("<script"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn every_marker_links_to_a_timeline_row_that_exists() {
        let page = html(&sample());
        let links = page.matches("href=\"#event-").count();
        assert!(links > 0);
        for part in page.split("href=\"#event-").skip(1) {
            let n: String = part.chars().take_while(char::is_ascii_digit).collect();
            assert!(page.contains(&format!("<tr id=\"event-{n}\">")), "event-{n} has no row");
        }
    }

    #[test]
    fn a_run_where_nothing_happened_still_renders_every_section() {
        let page = html(&minimal());
        for h in ["Summary", "Volumes", "Destructive attempts", "Tokens", "Timeline", "Alerts", "Expectations", "Profile"] {
            assert!(page.contains(&format!("<h2>{h}</h2>")), "{h}");
        }
        assert!(page.ends_with("</html>\n"));
    }
}
