//! The committed baseline of a world's reach, and the comparison CI runs: reach that grew (a
//! token reaching an (operation, resource) it did not, an agent path that was closed) fails.
//!
//! Why names, not ids: a baseline is reviewed like code, and names say what changed; they are
//! as stable as the scenario file.

use std::collections::{BTreeMap, BTreeSet};

use miette::{NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};

use super::ScopeReport;

/// The version this build writes and reads.
const VERSION: u32 = 1;

/// Every token's reach and every open agent path, as lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub firedrill_scope_baseline: u32,
    pub scenario: String,
    /// Each token's reach: `operation resource`.
    pub tokens: BTreeMap<String, BTreeSet<String>>,
    /// The agent's open destructive paths.
    pub agent: BTreeSet<String>,
}

/// A baseline file that cannot be understood.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(firedrill::scope::baseline))]
pub struct BaselineError {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

/// What grew since the baseline, and what shrank.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Growth {
    /// `token: operation resource`, new since the baseline.
    pub tokens: Vec<String>,
    /// Agent paths new since the baseline.
    pub agent: Vec<String>,
    /// Lines of the baseline no longer reached.
    pub shrank: usize,
}

impl Growth {
    pub fn grew(&self) -> bool {
        !self.tokens.is_empty() || !self.agent.is_empty()
    }
}

impl Baseline {
    /// The baseline of `report`.
    pub fn of(report: &ScopeReport) -> Baseline {
        Baseline {
            firedrill_scope_baseline: VERSION,
            scenario: report.scenario.clone(),
            tokens: report
                .tokens
                .iter()
                .map(|t| (t.token.clone(), t.reach.iter().map(|r| format!("{} {}", r.operation, r.resource.label)).collect()))
                .collect(),
            agent: report.agent.destructive.iter().map(|w| w.key()).collect(),
        }
    }

    /// The baseline as the file holds it: pretty JSON, one line per entry, a final newline.
    pub fn to_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a baseline file's `text`, named `path` in errors.
    pub fn parse(path: &str, text: &str) -> Result<Baseline, Box<BaselineError>> {
        let err = |message: String, span: Option<SourceSpan>, help: &str| {
            Box::new(BaselineError {
                path: path.to_string(),
                message,
                src: NamedSource::new(path, text.to_string()),
                span,
                help: Some(help.to_string()),
            })
        };
        let b: Baseline = serde_json::from_str(text).map_err(|e| {
            let at = offset(text, e.line(), e.column());
            err(
                format!("not a scope baseline: {e}"),
                Some(SourceSpan::from((at, 0))),
                "write one with `firedrill scope FILE --write-baseline BASELINE`",
            )
        })?;
        if b.firedrill_scope_baseline != VERSION {
            let at = text.find("firedrill_scope_baseline").unwrap_or(0);
            return Err(err(
                format!("baseline version {} is not {VERSION}, the one this firedrill reads", b.firedrill_scope_baseline),
                Some(SourceSpan::from((at, "firedrill_scope_baseline".len()))),
                "write it again with `--write-baseline`",
            ));
        }
        Ok(b)
    }

    /// What `current` reaches that this baseline does not, in order.
    pub fn compare(&self, current: &Baseline) -> Growth {
        let mut g = Growth::default();
        for (token, lines) in &current.tokens {
            let before = self.tokens.get(token);
            for l in lines {
                if !before.is_some_and(|b| b.contains(l)) {
                    g.tokens.push(format!("{token}: {l}"));
                }
            }
        }
        g.agent = current.agent.difference(&self.agent).cloned().collect();
        let kept = |token: &String, l: &String| current.tokens.get(token).is_some_and(|c| c.contains(l));
        g.shrank = self.tokens.iter().flat_map(|(t, ls)| ls.iter().map(move |l| (t, l))).filter(|(t, l)| !kept(t, l)).count()
            + self.agent.difference(&current.agent).count();
        g
    }
}

/// The byte offset of 1-based `line` and `column` in `text`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline(tokens: &[(&str, &[&str])], agent: &[&str]) -> Baseline {
        Baseline {
            firedrill_scope_baseline: VERSION,
            scenario: "s.toml".into(),
            tokens: tokens.iter().map(|(t, ls)| (t.to_string(), ls.iter().map(|l| l.to_string()).collect())).collect(),
            agent: agent.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn a_baseline_round_trips_through_its_text() {
        let b = baseline(&[("domains-cli", &["volumeDelete volume pocketos/pg-data"])], &["volumeDelete volume pocketos/pg-data"]);
        assert_eq!(Baseline::parse("b.json", &b.to_text()).unwrap(), b);
    }

    #[test]
    fn new_reach_grows_and_lost_reach_only_shrinks() {
        let old = baseline(&[("a", &["me the account", "projects the account"])], &[]);
        let new = baseline(
            &[("a", &["me the account"]), ("b", &["volumeDelete volume p/v"])],
            &["volumeDelete volume p/v with `b` over shell:curl"],
        );
        let g = old.compare(&new);
        assert_eq!(g.tokens, vec!["b: volumeDelete volume p/v".to_string()]);
        assert_eq!(g.agent.len(), 1);
        assert_eq!(g.shrank, 1);
        assert!(g.grew());
    }

    #[test]
    fn a_malformed_baseline_is_an_error_pointing_at_the_problem() {
        let text = "{\n  \"firedrill_scope_baseline\": 1,\n  \"scenario\": 3\n}\n";
        let e = Baseline::parse("b.json", text).unwrap_err();
        assert!(e.message.contains("not a scope baseline"), "{}", e.message);
        let at = e.span.unwrap().offset();
        assert_eq!(&text[..at].lines().count(), &3, "points into line 3: {at}");
        let e =
            Baseline::parse("b.json", "{\"firedrill_scope_baseline\": 2, \"scenario\": \"s\", \"tokens\": {}, \"agent\": []}").unwrap_err();
        assert!(e.message.contains("version 2"), "{}", e.message);
    }
}
