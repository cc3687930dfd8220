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
    if let Some(runtime) = &scenario.agent_runtime {
        let errors = super::agent_runtime::check(&check.file, &check.spans, runtime);
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

    /// The span of the key that ends `path`, or of the nearest written value around it.
    fn key_at(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.spans.key_at(path)
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
        let help = match known.clone().into_iter().count() {
            0 => format!("{fix}; none is declared"),
            1..=24 => format!("{fix}; declared: {}", suggest::list(known)),
            _ => fix.to_string(),
        };
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
                    kind if PlaceholderKind::RUN_TIME.contains(&kind) => {
                        "this placeholder names what exists when a step runs, so it is only allowed in steps"
                    }
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
                PlaceholderKind::Instance => {
                    if let Err(e) = super::reference::instance(argument).map(|i| self.instance(i, span.clone())) {
                        self.bad_argument(placeholder, e, span.clone());
                    }
                }
                PlaceholderKind::Backup => match super::reference::backup(argument) {
                    Ok(b) => self.backup(b, span.clone()),
                    Err(e) => self.bad_argument(placeholder, e, span.clone()),
                },
                PlaceholderKind::Workflow => {
                    if let Err(e) = super::reference::workflow(argument) {
                        self.bad_argument(placeholder, e, span.clone());
                    }
                }
                PlaceholderKind::Domain => {
                    let domains: Vec<&str> =
                        self.scenario.projects.iter().flat_map(|p| p.domains.iter().map(|d| d.domain.as_str())).collect();
                    self.reference("domain", argument, domains, span.clone(), "declare it with `[[project.domain]]`");
                }
                PlaceholderKind::Variable => match super::reference::variable(argument) {
                    Ok(v) => self.variable_scope(v, span.clone()),
                    Err(e) => self.bad_argument(placeholder, e, span.clone()),
                },
                PlaceholderKind::Token | PlaceholderKind::Found => {}
            }
            checked.push((*placeholder, span));
        }
        checked
    }

    /// Reports a placeholder whose argument does not parse.
    fn bad_argument(&mut self, placeholder: &Placeholder<'_>, e: super::reference::RefError, span: Range<usize>) {
        let error = self
            .error(ErrorKind::Placeholder, span, format!("placeholder `{}`: {}", placeholder.text, e.message))
            .label("malformed placeholder")
            .help(e.help);
        self.push(error);
    }

    /// Resolves a volume instance reference: the volume, then the environment among the volume's.
    fn instance(&mut self, i: super::reference::InstanceRef<'_>, span: Range<usize>) -> Option<(&'s Project, &'s Volume)> {
        let (project, volume) = self.volume(i.volume, span.clone())?;
        let environments = project.volume_environments(volume);
        if environments.iter().any(|e| e == i.environment) {
            return Some((project, volume));
        }
        let candidates: Vec<String> = environments.iter().map(|e| format!("{}/{}@{e}", project.name, volume.name)).collect();
        let error = self.unknown(
            "volume instance",
            &format!("{}/{}@{}", project.name, volume.name, i.environment),
            candidates.iter().map(String::as_str),
            span,
            "a volume has an instance in each of its `environments` (all of the project's when left out)",
        );
        self.push(error);
        None
    }

    /// Resolves a backup reference as far as the file decides it: the instance, and a
    /// schedule kind the volume has. Which backups exist is the world's, when the step runs.
    fn backup(&mut self, b: super::reference::BackupRef<'_>, span: Range<usize>) {
        use super::reference::BackupKind;
        let Some((_, volume)) = self.instance(b.instance, span.clone()) else { return };
        let schedule = match b.kind {
            Some(BackupKind::Daily) => super::BackupSchedule::Daily,
            Some(BackupKind::Weekly) => super::BackupSchedule::Weekly,
            Some(BackupKind::Monthly) => super::BackupSchedule::Monthly,
            Some(BackupKind::Manual) | None => return,
        };
        if volume.native_backups.contains(&schedule) {
            return;
        }
        let kinds: Vec<String> = volume
            .native_backups
            .iter()
            .map(|k| {
                let word = match k {
                    super::BackupSchedule::Daily => "daily",
                    super::BackupSchedule::Weekly => "weekly",
                    super::BackupSchedule::Monthly => "monthly",
                };
                format!("`{word}`")
            })
            .chain(std::iter::once("`manual`".to_owned()))
            .collect();
        let error = self
            .error(
                ErrorKind::UnknownReference,
                span,
                format!("volume `{}` has no {} backups", volume.name, b.kind.map_or("", |k| k.word())),
            )
            .label("no such schedule")
            .help(format!("its backups are {}; add the schedule to `native_backups`", kinds.join(", ")));
        self.push(error);
    }

    /// Checks a variable reference's project, environment and service; whether the variable
    /// exists is the world's, when the step runs (an earlier step may set it).
    fn variable_scope(&mut self, v: super::reference::VariableRef<'_>, span: Range<usize>) {
        let scenario = self.scenario;
        let projects = scenario.projects.iter().map(|p| p.name.as_str());
        if !self.reference("project", v.project, projects, span.clone(), "declare it with `[[project]]`") {
            return;
        }
        let qualified = format!("{}/{}", v.project, v.environment);
        if !self.project_member("environment", &qualified, span.clone()) {
            return;
        }
        if let Some(service) = v.service {
            self.project_member("service", &format!("{}/{service}", v.project), span);
        }
    }
}

#[cfg(test)]
pub(super) mod check;
