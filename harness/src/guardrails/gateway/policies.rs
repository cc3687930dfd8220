//! `Policies`: a team's Cedar policy file, parsed and validated against the gateway's schema,
//! with the id each policy is reported by; or every problem in it, each pointing into the file.
//!
//! Why strict: a policy Cedar only warns about (one that can never apply, a condition that is
//! always false) is a hole in a guardrail, which is what a fire drill exists to find, so
//! firedrill refuses it like an error. A policy is reported by its `@id("…")` annotation, or by
//! Cedar's own id (`policy0`, `policy1`, … in file order) when it has none.

use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;

use cedar_policy::{PolicyId, PolicySet, ValidationMode, Validator};
use miette::Diagnostic;

/// A problem in a policy file: where it is (a byte range of the file), what it is, and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyProblem {
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// A validated policy set and the id each policy is reported by.
#[derive(Clone, Debug)]
pub struct Policies {
    pub(crate) set: PolicySet,
    names: HashMap<PolicyId, String>,
}

impl Policies {
    /// Parses `text` (the policy file) and validates it against the gateway's schema.
    ///
    /// # Errors
    ///
    /// Every problem found: Cedar's parse errors, or its validation errors and warnings, templates
    /// (which need links the scenario format has no place for), and two policies sharing an id.
    pub fn parse(text: &str) -> Result<Policies, Vec<PolicyProblem>> {
        let set = PolicySet::from_str(text).map_err(|errors| errors.iter().map(|e| problem(text, e, None)).collect::<Vec<_>>())?;
        let schema =
            super::schema::schema().map_err(|e| vec![PolicyProblem::whole(text, format!("the gateway's schema does not parse: {e}"))])?;
        let mut names = HashMap::new();
        let mut problems = Vec::new();
        let mut seen: HashMap<String, PolicyId> = HashMap::new();
        let mut ids: Vec<&PolicyId> = set.policies().map(|p| p.id()).collect();
        // Cedar numbers policies in file order; sorting by that number keeps reports stable.
        ids.sort_by_key(|id| id.to_string().trim_start_matches("policy").parse::<usize>().unwrap_or(usize::MAX));
        for id in ids {
            let name = set.annotation(id, "id").map_or_else(|| id.to_string(), str::to_string);
            if seen.insert(name.clone(), id.clone()).is_some() {
                let needle = format!("\"{name}\"");
                let second = text.match_indices(&needle).nth(1).map(|(at, _)| at..at + needle.len());
                problems.push(PolicyProblem {
                    help: Some("give each policy its own `@id`, so a decision names the policy that made it".into()),
                    ..PolicyProblem::at(text, second, &format!("two policies have the id `{name}`"))
                });
            }
            names.insert(id.clone(), name);
        }
        if set.num_of_templates() > 0 {
            problems.push(PolicyProblem {
                help: Some("write the policy with the entities it is about instead of `?principal` or `?resource`".into()),
                ..PolicyProblem::at(text, find(text, "?principal").or_else(|| find(text, "?resource")), "templates are not supported")
            });
        }
        let result = Validator::new(schema.clone()).validate(&set, ValidationMode::Strict);
        let strict = "firedrill refuses what Cedar warns about: a policy that cannot apply as written is a hole in the gateway";
        let mut found: Vec<PolicyProblem> =
            result.validation_errors().map(|e| problem(text, e, Some("`firedrill cedar-schema` prints what policies can name"))).collect();
        // Cedar's warnings about a policy with an error are mostly that error's consequences.
        if found.is_empty() {
            found.extend(result.validation_warnings().map(|w| problem(text, w, Some(strict))));
        }
        // Cedar names a policy by its own id; the team knows it by its `@id`.
        for p in &mut found {
            for (id, name) in &names {
                p.message = p.message.replace(&format!("policy `{id}`"), &format!("policy `{name}`"));
            }
        }
        problems.extend(found);
        if problems.is_empty() { Ok(Policies { set, names }) } else { Err(problems) }
    }

    /// The id policy `id` is reported by: its `@id`, or Cedar's.
    pub fn name(&self, id: &PolicyId) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// The ids of every policy, in file order.
    pub fn names(&self) -> Vec<String> {
        let mut ids: Vec<&PolicyId> = self.names.keys().collect();
        ids.sort_by_key(|id| id.to_string().trim_start_matches("policy").parse::<usize>().unwrap_or(usize::MAX));
        ids.into_iter().map(|id| self.name(id)).collect()
    }
}

impl PolicyProblem {
    fn at(text: &str, span: Option<Range<usize>>, message: &str) -> PolicyProblem {
        PolicyProblem { span: span.unwrap_or(0..text.len().min(1)), message: message.to_string(), label: "here".into(), help: None }
    }

    fn whole(text: &str, message: String) -> PolicyProblem {
        PolicyProblem { span: 0..text.len().min(1), message, label: "here".into(), help: None }
    }
}

fn find(text: &str, needle: &str) -> Option<Range<usize>> {
    text.find(needle).map(|at| at..at + needle.len())
}

/// One of Cedar's diagnostics as a problem: its first label's span (Cedar points at the
/// offending expression), its message, and its own help or `fallback`.
fn problem(text: &str, d: &(impl Diagnostic + ?Sized), fallback: Option<&str>) -> PolicyProblem {
    let label = d.labels().and_then(|mut labels| labels.next());
    let span = label.as_ref().map_or(0..text.len().min(1), |l| l.offset()..l.offset() + l.len());
    let mut message = d.to_string();
    // Cedar's messages often end with a period and start capitalised; diagnostics here do not.
    if message.ends_with('.') {
        message.pop();
    }
    let help = d.help().map(|h| h.to_string()).or_else(|| fallback.map(str::to_string));
    PolicyProblem { span, message, label: label.and_then(|l| l.label().map(str::to_string)).unwrap_or_else(|| "here".into()), help }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `needle` starts in `text`, as (line, column), both from 1.
    fn position(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// Parses `text` and returns, for each problem, its line and column and whether its message
    /// contains `expected`.
    fn check(text: &str, expected: &[(usize, usize, &str)]) {
        let problems = Policies::parse(text).err().unwrap_or_default();
        let got: Vec<(usize, usize, String)> = problems
            .iter()
            .map(|p| {
                let (line, column) = position(text, p.span.start);
                (line, column, p.message.clone())
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for ((line, column, message), (l, c, needle)) in got.iter().zip(expected) {
            assert_eq!((line, column), (l, c), "{message}");
            assert!(message.contains(needle), "`{message}` does not say `{needle}`");
        }
    }

    const GOOD: &str = r#"
@id("no-destructive-on-production-volumes")
forbid (principal, action in Action::"destructive", resource is Volume)
when { resource.environments.contains("production") };

permit (principal, action, resource);
"#;

    #[test]
    fn a_valid_file_parses_and_names_its_policies_by_annotation_or_cedar_id() {
        let p = Policies::parse(GOOD).unwrap();
        assert_eq!(p.names(), ["no-destructive-on-production-volumes", "policy1"]);
    }

    #[test]
    fn each_problem_points_at_its_line_and_column() {
        // A syntax error: the semicolon is missing at the end of line 2.
        // Cedar finds it at the next policy's `(`, where the first one could no longer go on.
        check("permit (principal, action, resource)\npermit (principal, action, resource);\n", &[(2, 8, "unexpected token `(`")]);
        // An operation the provider does not serve.
        check(
            "permit (principal, action == Action::\"volumeDestroy\", resource);\n",
            &[(1, 30, "unrecognized action `Action::\"volumeDestroy\"`")],
        );
        // An attribute a volume does not have, in a policy the message names by its `@id`.
        check(
            "@id(\"volumes\")\nforbid (principal, action, resource is Volume)\nwhen { resource.production };\npermit (principal, action, resource);\n",
            &[(3, 8, "for policy `volumes`, attribute `production`")],
        );
        // Two policies with one id.
        check(
            "@id(\"a\")\npermit (principal, action, resource);\n@id(\"a\")\nforbid (principal, action, resource);\n",
            &[(3, 5, "two policies have the id `a`")],
        );
    }

    #[test]
    fn a_policy_that_can_never_apply_is_refused_like_an_error() {
        // `volumeDelete` acts on volumes only: this policy can never match a call.
        let problems = Policies::parse("forbid (principal, action == Action::\"volumeDelete\", resource is Backup);\n").unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("unable to find an applicable action")), "{problems:?}");
        assert!(problems.iter().all(|p| p.span.start == 0 && p.help.as_deref().is_some_and(|h| h.contains("hole"))), "{problems:?}");
    }

    #[test]
    fn templates_are_refused_with_a_hint() {
        let problems = Policies::parse("permit (principal == ?principal, action, resource);\n").unwrap_err();
        assert!(problems.iter().any(|p| p.message == "templates are not supported" && p.help.is_some()), "{problems:?}");
    }
}
