//! The JUnit XML rendering of a set of `IncidentReport`s, for CI systems' test views.
//!
//! Why this shape: CI systems read JUnit to list tests and fail builds, so each expectation is a
//! test case and each scenario a suite. Nothing time- or host-dependent is written (no
//! `timestamp`, `time` or `hostname`), so the file is as reproducible as the reports. All report
//! text passes through `escape`, which also drops the characters XML 1.0 cannot hold at all,
//! because a single stray control character from an agent's note would make the whole file
//! unreadable to the CI.

use std::fmt::Write as _;

use super::IncidentReport;
use super::text::{one_line, summary_line};
use super::view::expected_got;

/// One `<testsuites>` with a `<testsuite>` per report and a `<testcase>` per expectation.
pub fn junit(reports: &[IncidentReport]) -> String {
    let suites: Vec<Vec<Case>> = reports.iter().map(cases).collect();
    let tests: usize = suites.iter().map(Vec::len).sum();
    let failures: usize = suites.iter().map(|s| failed(s)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"firedrill\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">");
    for (report, cases) in reports.iter().zip(&suites) {
        suite(&mut out, report, cases);
    }
    out.push_str("</testsuites>\n");
    out
}

/// A test case as JUnit sees it: a name and, when it failed, a message and a longer body.
struct Case {
    name: String,
    failure: Option<(String, String)>,
}

fn cases(report: &IncidentReport) -> Vec<Case> {
    let mut cases: Vec<Case> = report
        .expectations
        .iter()
        .map(|e| Case {
            name: e.name.clone(),
            failure: (!e.passed)
                .then(|| (one_line(&expected_got(&e.expected, &e.actual)), format!("expected: {}\ngot: {}", e.expected, e.actual))),
        })
        .collect();
    // A report that failed with every expectation held should not happen, but if it does the CI
    // must not go green on it: one extra case carries the failure.
    if !report.passed && cases.iter().all(|c| c.failure.is_none()) {
        let message = "the report did not pass although no expectation failed".to_string();
        cases.push(Case { name: "report".into(), failure: Some((message.clone(), message)) });
    }
    cases
}

fn failed(cases: &[Case]) -> usize {
    cases.iter().filter(|c| c.failure.is_some()).count()
}

fn suite(out: &mut String, report: &IncidentReport, cases: &[Case]) {
    let name = escape(&report.scenario);
    let _ =
        writeln!(out, "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">", cases.len(), failed(cases));
    // The path and seed are what it takes to rerun the drill from a CI page.
    out.push_str("    <properties>\n");
    let (seed, start, end) = (report.seed.to_string(), report.start.to_string(), report.end.to_string());
    let properties = [
        ("path", report.path.as_str()),
        ("seed", seed.as_str()),
        ("profile", report.profile.name.as_str()),
        ("start", start.as_str()),
        ("end", end.as_str()),
    ];
    for (key, value) in properties {
        let _ = writeln!(out, "      <property name=\"{key}\" value=\"{}\"/>", escape(value));
    }
    out.push_str("    </properties>\n");
    for case in cases {
        let open = format!("    <testcase classname=\"firedrill.{name}\" name=\"{}\"", escape(&case.name));
        match &case.failure {
            None => {
                let _ = writeln!(out, "{open}/>");
            }
            Some((message, body)) => {
                let _ = writeln!(out, "{open}>");
                let _ =
                    writeln!(out, "      <failure message=\"{}\" type=\"expectation\">{}</failure>", escape(message), escape_text(body));
                out.push_str("    </testcase>\n");
            }
        }
    }
    let _ = writeln!(out, "    <system-out>{}</system-out>", escape_text(&summary_line(report)));
    out.push_str("  </testsuite>\n");
}

/// `s` as an attribute value.
fn escape(s: &str) -> String {
    escape_as(s, true)
}

/// `s` as character data between tags, where line breaks and tabs may stay as they are.
fn escape_text(s: &str) -> String {
    escape_as(s, false)
}

/// The five special characters become entities. In attribute values tabs and line breaks become
/// character references, because a parser would otherwise turn them into spaces; a carriage
/// return becomes one everywhere, because a parser would otherwise turn it into a line feed.
/// Characters XML 1.0 forbids are dropped, as no escape can represent them.
fn escape_as(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0's `Char` production; surrogates cannot occur in a Rust `char`.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{minimal, sample};
    use super::*;

    #[test]
    fn junit_of_the_april_incident_and_an_empty_run() {
        let out = junit(&[sample(), minimal()]);
        well_formed(&out);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn junit_of_no_reports_is_an_empty_suite_list() {
        let out = junit(&[]);
        well_formed(&out);
        assert!(out.contains("<testsuites name=\"firedrill\" tests=\"0\" failures=\"0\" errors=\"0\">"));
    }

    #[test]
    fn failure_counts_match_the_failed_expectations() {
        let mut report = sample();
        report.expectations[0].passed = false;
        let out = junit(&[report, sample()]);
        well_formed(&out);
        assert!(out.contains("<testsuites name=\"firedrill\" tests=\"6\" failures=\"3\" errors=\"0\">"));
        assert!(out.contains("tests=\"3\" failures=\"2\""));
        assert!(out.contains("tests=\"3\" failures=\"1\""));
        assert_eq!(out.matches("<failure ").count(), 3);
    }

    #[test]
    fn a_failed_report_without_a_failed_expectation_still_fails_the_suite() {
        let out = junit(&[IncidentReport { passed: false, ..minimal() }]);
        well_formed(&out);
        assert!(out.contains("tests=\"1\" failures=\"1\""));
        assert_eq!(out.matches("<failure ").count(), 1);
    }

    #[test]
    fn special_and_invalid_characters_are_escaped_or_dropped() {
        let mut report = sample();
        report.scenario = "a<&\"'>b".into();
        report.expectations[1].name = "max <data> & \"loss\"".into();
        report.expectations[1].expected = "<= 24h\nor 'less'".into();
        report.expectations[1].actual = "\u{0}\u{1b}\u{FFFE}91d & more]]>".into();
        report.path = "scenarios/\u{7}x.toml".into();
        let out = junit(&[report]);
        well_formed(&out);
        assert!(out.contains("<testsuite name=\"a&lt;&amp;&quot;&apos;&gt;b\""), "{out}");
        assert!(out.contains("classname=\"firedrill.a&lt;&amp;&quot;&apos;&gt;b\""), "{out}");
        assert!(out.contains("name=\"max &lt;data&gt; &amp; &quot;loss&quot;\""), "{out}");
        assert!(out.contains("message=\"expected &lt;= 24h or &apos;less&apos;, got   91d &amp; more]]&gt;\""), "{out}");
        assert!(out.contains(">expected: &lt;= 24h\nor &apos;less&apos;\ngot: 91d &amp; more]]&gt;</failure>"), "{out}");
        assert!(out.contains("value=\"scenarios/x.toml\""), "{out}");
    }

    #[test]
    fn huge_reports_stay_well_formed() {
        let mut report = sample();
        let huge = "<&>\"'\u{0}".repeat(20_000);
        report.scenario.clone_from(&huge);
        report.expectations[0].name.clone_from(&huge);
        report.expectations[1].actual = huge;
        well_formed(&junit(&[report]));
    }

    #[test]
    fn the_checker_rejects_what_is_not_well_formed() {
        for bad in [
            "<a>",
            "<a></b>",
            "<a x=\"<\"/>",
            "<a>&</a>",
            "<a>&bogus;</a>",
            "<a/><b/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a>\u{1}</a>",
            "<a x=1/>",
            "text<a/>",
        ] {
            assert!(check(bad).is_err(), "accepted {bad:?}");
        }
        assert_eq!(check("<?xml version=\"1.0\"?>\n<a x=\"&amp;&#10;\"><b/>t&lt;</a>\n"), Ok(()));
    }

    #[track_caller]
    fn well_formed(xml: &str) {
        if let Err(why) = check(xml) {
            panic!("not well-formed: {why}\n{xml}");
        }
    }

    /// A small well-formedness check for the XML this module writes: an optional declaration,
    /// one root element, balanced and properly nested tags, quoted and unique attributes, only
    /// the predefined and numeric entities, no `<` in values, and only XML 1.0 characters.
    fn check(xml: &str) -> Result<(), String> {
        if let Some(c) = xml.chars().find(|c| !allowed_in_xml(*c)) {
            return Err(format!("invalid character {c:?}"));
        }
        let mut rest = xml;
        if let Some(after) = rest.strip_prefix("<?xml") {
            let end = after.find("?>").ok_or("unterminated declaration")?;
            rest = &after[end + 2..];
        }
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        while !rest.is_empty() {
            let lt = rest.find('<').unwrap_or(rest.len());
            let (text, after) = rest.split_at(lt);
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root: {text:?}"));
            }
            entities(text)?;
            if after.is_empty() {
                break;
            }
            let gt = after.find('>').ok_or("unterminated tag")?;
            let tag = &after[1..gt];
            rest = &after[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name.trim_end() => {}
                    other => return Err(format!("`</{name}>` closes {other:?}")),
                }
                continue;
            }
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let name = &tag[..name_end];
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c)) {
                return Err(format!("bad tag name {name:?}"));
            }
            attributes(&tag[name_end..])?;
            if stack.is_empty() {
                roots += 1;
                if roots > 1 {
                    return Err("more than one root element".into());
                }
            }
            if !empty {
                stack.push(name);
            }
        }
        match (stack.last(), roots) {
            (Some(open), _) => Err(format!("`<{open}>` is never closed")),
            (None, 0) => Err("no root element".into()),
            (None, _) => Ok(()),
        }
    }

    fn attributes(mut s: &str) -> Result<(), String> {
        let mut seen = Vec::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                return Ok(());
            }
            let eq = s.find('=').ok_or_else(|| format!("attribute without value: {s:?}"))?;
            let name = &s[..eq];
            if seen.contains(&name) {
                return Err(format!("duplicate attribute {name:?}"));
            }
            seen.push(name);
            let value = s[eq + 1..].strip_prefix('"').ok_or_else(|| format!("unquoted value of {name:?}"))?;
            let close = value.find('"').ok_or("unterminated value")?;
            if value[..close].contains('<') {
                return Err(format!("`<` in the value of {name:?}"));
            }
            entities(&value[..close])?;
            s = &value[close + 1..];
        }
    }

    fn entities(s: &str) -> Result<(), String> {
        let mut rest = s;
        while let Some(amp) = rest.find('&') {
            let after = &rest[amp + 1..];
            let semi = after.find(';').ok_or("`&` without `;`")?;
            let entity = &after[..semi];
            let numeric = entity.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numeric && !["amp", "lt", "gt", "quot", "apos"].contains(&entity) {
                return Err(format!("unknown entity `&{entity};`"));
            }
            rest = &after[semi + 1..];
        }
        Ok(())
    }
}
