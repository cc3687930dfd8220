//! `validate`: the semantic checks of a parsed scenario, each error pointing at its text.
//!
//! Every check reads the typed [`Scenario`] and asks [`Spans`] where the value it is about is
//! written. The checks are grouped by the part of the file they are about.

mod agent;
mod backup;
mod expect;
mod generate;
mod limits;
mod tokens;
mod world;

use std::ops::Range;

use super::error::SourceFile;
use super::spans::{Seg, Spans};
use super::{ErrorKind, Placeholder, PlaceholderKind, Project, Scenario, ScenarioError, Volume};
use super::{placeholder::bad_placeholders, placeholders, suggest};

/// Finds every semantic problem in a parsed scenario: duplicate names, references to things
/// the scenario does not declare, misplaced placeholders, tokens the agent cannot have found,
/// and values that contradict each other.
///
/// `source` must be the text `scenario` was parsed from, so that errors can point into it.
/// The errors come in the order the checks run; [`load`](super::load) sorts them by position.
#[must_use]
pub fn validate(path: &str, source: &str, scenario: &Scenario) -> Vec<ScenarioError> {
    let mut check = Checker { file: SourceFile::new(path, source), spans: Spans::new(source), scenario, errors: Vec::new() };
    world::check(&mut check);
    tokens::check(&mut check);
    agent::check(&mut check);
    backup::check(&mut check);
    expect::check(&mut check);
    limits::check(&mut check);
    generate::check(&mut check);
    if let Some(gateway) = &scenario.gateway {
        let errors = super::gateway::check(&check.file, &check.spans, gateway);
        check.errors.extend(errors);
    }
    check.errors
}

/// The state shared by all checks: the scenario, where its text is, and the errors so far.
pub(super) struct Checker<'s> {
    file: SourceFile,
    spans: Spans<'s>,
    scenario: &'s Scenario,
    errors: Vec<ScenarioError>,
}

/// Where a string value is written, and which places it may use.
pub(super) struct Place<'p> {
    path: &'p [Seg<'p>],
    /// Placeholder kinds allowed here; the others are reported with a hint.
    allowed: &'p [PlaceholderKind],
}

impl<'s> Checker<'s> {
    /// A new error of `kind` at `span`.
    fn error(&self, kind: ErrorKind, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(kind, &self.file, span, message)
    }

    fn push(&mut self, error: ScenarioError) {
        self.errors.push(error);
    }

    /// The span of the value at `path`, or of the nearest written table around it.
    fn at(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.spans.at(path)
    }

    /// Reports names that occur twice in `items`, pointing at the second and the first.
    fn duplicates<'a>(&mut self, what: &str, items: impl IntoIterator<Item = (&'a str, Vec<Seg<'a>>)>) {
        // A map, not a list: a world of thousands of tokens must check in time proportional to it.
        let mut seen: std::collections::HashMap<&str, Vec<Seg<'a>>> = std::collections::HashMap::new();
        for (name, path) in items {
            if let Some(first) = seen.get(name) {
                let error = self
                    .error(ErrorKind::Duplicate, self.at(&path), format!("duplicate {what} `{name}`"))
                    .label("declared again here")
                    .related(self.at(first), "first declared here")
                    .help(format!("{what}s must be unique; rename or remove one of them"));
                self.push(error);
            } else {
                seen.insert(name, path);
            }
        }
    }

    /// Reports a name that is empty or, where names are joined with `/` in references,
    /// contains `/`.
    fn name(&mut self, what: &str, name: &str, path: &[Seg<'_>], slash_forbidden: bool) {
        if name.trim().is_empty() {
            let error = self
                .error(ErrorKind::InvalidValue, self.at(path), format!("{what} name is empty"))
                .label("empty name")
                .help(format!("give the {what} a name"));
            self.push(error);
        } else if slash_forbidden && name.contains('/') {
            let error = self
                .error(ErrorKind::InvalidValue, self.at(path), format!("{what} name `{name}` contains `/`"))
                .label("`/` not allowed")
                .help("`/` separates the project from the resource in references such as `project/volume`");
            self.push(error);
        }
    }

    /// Reports `name` unless it is one of `known`, with a did-you-mean and the known names.
    /// Returns whether it is known.
    fn reference<'a>(
        &mut self,
        what: &str,
        name: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
        span: Range<usize>,
        fix: &str,
    ) -> bool {
        if known.clone().into_iter().any(|k| k == name) {
            return true;
        }
        let error = self.unknown(what, name, known, span, fix);
        self.push(error);
        false
    }

    /// The error for a reference to an undeclared `what`.
    fn unknown<'a>(
        &self,
        what: &str,
        name: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
        span: Range<usize>,
        fix: &str,
    ) -> ScenarioError {
        let message = match suggest::closest(name, known.clone()) {
            Some(near) => format!("unknown {what} `{name}`, did you mean `{near}`?"),
            None => format!("unknown {what} `{name}`"),
        };
        // A short list helps; Railway's hundreds of operations would drown the hint.
        let help =
            if known.clone().into_iter().count() <= 24 { format!("{fix}; declared: {}", suggest::list(known)) } else { fix.to_string() };
        self.error(ErrorKind::UnknownReference, span, message).label(format!("no such {what}")).help(help)
    }

    /// Resolves a `project/volume` reference (or a volume name unique across projects),
    /// reporting it at `span` when it names no volume or more than one.
    fn volume(&mut self, reference: &str, span: Range<usize>) -> Option<(&'s Project, &'s Volume)> {
        let scenario = self.scenario;
        if let Some(found) = scenario.volume(reference) {
            return Some(found);
        }
        let all: Vec<String> =
            scenario.projects.iter().flat_map(|p| p.volumes.iter().map(move |v| format!("{}/{}", p.name, v.name))).collect();
        let owners: Vec<&str> =
            scenario.projects.iter().filter(|p| p.volumes.iter().any(|v| v.name == reference)).map(|p| p.name.as_str()).collect();
        let error = if owners.len() > 1 {
            self.error(ErrorKind::UnknownReference, span, format!("volume name `{reference}` is ambiguous"))
                .label("more than one project has it")
                .help(format!(
                    "name the project too: {}",
                    suggest::list(owners.iter().map(|p| format!("{p}/{reference}")).collect::<Vec<_>>().iter().map(String::as_str))
                ))
        } else {
            let mut error = self.unknown(
                "volume",
                reference,
                all.iter().map(String::as_str),
                span,
                "refer to volumes as `project/volume`, declared with `[[project.volume]]`",
            );
            // A bare name is compared with bare names, so `pg-dta` still finds `pg-data`.
            if !reference.contains('/') {
                let bare = scenario.projects.iter().flat_map(|p| p.volumes.iter().map(|v| v.name.as_str()));
                if let Some(near) = suggest::closest(reference, bare) {
                    error = error.with_message(format!("unknown volume `{reference}`, did you mean `{near}`?"));
                }
            }
            error
        };
        self.push(error);
        None
    }

    /// Resolves `project/name` (or a bare name unique across projects) against the projects'
    /// environments or services, reporting it when it resolves to none or several.
    fn project_member(&mut self, what: &str, reference: &str, span: Range<usize>) -> bool {
        let members = |p: &'s Project| -> &'s [String] { if what == "environment" { &p.environments } else { &p.services } };
        let scenario = self.scenario;
        let all: Vec<String> = scenario.projects.iter().flat_map(|p| members(p).iter().map(move |m| format!("{}/{m}", p.name))).collect();
        let matches = match reference.split_once('/') {
            Some(_) => all.iter().filter(|r| *r == reference).count(),
            None => scenario.projects.iter().filter(|p| members(p).iter().any(|m| m == reference)).count(),
        };
        if matches == 1 {
            return true;
        }
        let error = if matches > 1 {
            self.error(ErrorKind::UnknownReference, span, format!("{what} name `{reference}` is ambiguous"))
                .label("more than one project has it")
                .help(format!("name the project too, as `PROJECT/{reference}`"))
        } else {
            self.unknown(what, reference, all.iter().map(String::as_str), span, &format!("refer to it as `project/{what}`"))
        };
        self.push(error);
        false
    }

    /// Checks the placeholders of the string `text` written at `place`: malformed ones,
    /// kinds not allowed there, and id placeholders naming nothing. Returns the well-formed
    /// placeholders with their spans for checks that know more (token discovery).
    fn placeholders<'t>(&mut self, text: &'t str, place: &Place<'_>) -> Vec<(Placeholder<'t>, Range<usize>)> {
        for bad in bad_placeholders(text) {
            let span = self.spans.within(place.path, bad.text, 0);
            let error = self.error(ErrorKind::Placeholder, span, bad.message).label("malformed placeholder").help(bad.help);
            self.push(error);
        }
        let mut checked = Vec::new();
        let found = placeholders(text);
        for (index, placeholder) in found.iter().enumerate() {
            let nth = found[..index].iter().filter(|p| p.text == placeholder.text).count();
            let span = self.spans.within(place.path, placeholder.text, nth);
            if !place.allowed.contains(&placeholder.kind) {
                let help = match placeholder.kind {
                    PlaceholderKind::Token => {
                        "`${token:…}` is only allowed in `[[file]]` content; steps use a token the agent found with `${found:NAME}`"
                    }
                    PlaceholderKind::Found => "`${found:…}` is only allowed in steps; files hold a token's secret with `${token:NAME}`",
                    _ => "id placeholders are allowed in files, variables and steps",
                };
                let error = self
                    .error(ErrorKind::Placeholder, span, format!("placeholder `{}` is not allowed here", placeholder.text))
                    .label("not allowed here")
                    .help(help);
                self.push(error);
                continue;
            }
            let argument = placeholder.argument;
            match placeholder.kind {
                PlaceholderKind::Volume => {
                    self.volume(argument, span.clone());
                }
                PlaceholderKind::Project => {
                    let projects = self.scenario.projects.iter().map(|p| p.name.as_str());
                    self.reference("project", argument, projects, span.clone(), "declare it with `[[project]]`");
                }
                PlaceholderKind::Environment => {
                    self.project_member("environment", argument, span.clone());
                }
                PlaceholderKind::Service => {
                    self.project_member("service", argument, span.clone());
                }
                PlaceholderKind::Token | PlaceholderKind::Found => {}
            }
            checked.push((*placeholder, span));
        }
        checked
    }
}

#[cfg(test)]
pub(super) mod check;
