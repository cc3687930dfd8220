//! Boundary tables: `[[case]]` rows giving values to `${param:NAME}` in the rest of the file, so
//! one file pins both sides of a boundary (the team notices after `47h`, and after `49h`). Each
//! row is the file with its values written in, loaded and run as a scenario of its own, named
//! `<file>@<row>`.
//!
//! Why text: a parameter may stand for a value of any type anywhere in the file (a duration in a
//! `wait`, a boolean in an `[expect]`), and a row is then exactly the file a user would have
//! written by hand, parsed and checked by the same code.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::SourceFile;
use super::spans::{Spans, doc_path};
use super::{ErrorKind, Scenario, ScenarioError, suggest};

/// One row of a boundary table: its name and a value for each parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Case {
    /// **Required.** The row's name: the test is `<file>@<name>`, with a snapshot of its own.
    pub name: String,
    /// A value for each parameter the file uses as `${param:NAME}`.
    #[serde(flatten)]
    pub values: BTreeMap<String, CaseValue>,
}

/// A parameter's value: written into the file in place of `${param:NAME}` (a string's text, or
/// the boolean or number as TOML writes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CaseValue {
    Text(String),
    Bool(bool),
    Number(i64),
}

impl CaseValue {
    fn written(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
        }
    }
}

/// One runnable form of a file: the whole file when it has no `[[case]]`, else one per row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The row's name, or `None` for a file without a table.
    pub name: Option<String>,
    pub scenario: Scenario,
    /// The text the scenario was loaded from: the file with the row's values written in.
    pub text: String,
}

/// `${param:NAME}` occurrences in `text`: each name with its byte range.
fn params(text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find("${param:")) {
        let start = from + at;
        let Some(close) = text.get(start..).and_then(|rest| rest.find('}')) else { break };
        let end = start + close + 1;
        out.push((text.get(start + 8..end - 1).unwrap_or(""), start..end));
        from = end;
    }
    out
}

/// Where the first `${param:…}` of `text` is, if it has one.
pub(crate) fn first_param(text: &str) -> Option<std::ops::Range<usize>> {
    params(text).into_iter().next().map(|(_, range)| range)
}

/// The file with every `${param:…}` replaced by `value(name)`.
fn written(text: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (name, range) in params(text) {
        out.push_str(text.get(last..range.start).unwrap_or(""));
        out.push_str(&value(name));
        last = range.end;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

/// The rows of `source`'s boundary table, each loaded; the file itself when it has none.
///
/// # Errors
///
/// Every problem of the table (a parameter no row gives, a row that lacks one, a value that
/// cannot be written into the file), else every problem of every row, each saying which row.
pub fn load_rows(dir: &std::path::Path, path: &str, source: &str) -> Result<Vec<Row>, Vec<ScenarioError>> {
    let file = SourceFile::new(path, source);
    let used = params(source);
    // The table is read from the file with each parameter blanked to a same-length `0`, so the
    // file parses whatever type a parameter stands for, and offsets stay the file's own.
    let blank = written(source, |name| format!("{:<width$}", "0", width = name.len() + 9));
    #[derive(Deserialize)]
    struct Table {
        #[serde(default, rename = "case")]
        cases: Vec<Case>,
    }
    let table = match toml::from_str::<Table>(&blank) {
        Ok(table) => table,
        // Without parameters, the file's own parse reports what is wrong with it.
        Err(_) if used.is_empty() => {
            return super::load_in(dir, path, source).map(|scenario| vec![Row { name: None, scenario, text: source.to_owned() }]);
        }
        Err(e) => {
            let message = e.message().trim().to_owned();
            let error = ScenarioError::new(ErrorKind::Syntax, &file, e.span().unwrap_or(0..0), message)
                .label("here")
                .help("the file, with each `${param:…}` standing for a value, must be valid TOML, and each `[[case]]` needs a `name` and string, boolean or integer values");
            return Err(vec![error]);
        }
    };
    let spans = Spans::new(&blank);
    let mut errors = Vec::new();
    if table.cases.is_empty() {
        for (name, range) in &used {
            errors.push(
                ScenarioError::new(ErrorKind::UnknownReference, &file, range.clone(), format!("no `[[case]]` gives `{name}` a value"))
                    .label("no boundary table")
                    .help(format!("declare the rows with `[[case]]`, `name = \"…\"` and `{name} = …`")),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        return super::load_in(dir, path, source).map(|scenario| vec![Row { name: None, scenario, text: source.to_owned() }]);
    }
    let mut seen = BTreeMap::new();
    for (i, case) in table.cases.iter().enumerate() {
        let name_span = spans.at(doc_path!["case", i, "name"]);
        if case.name.is_empty() || case.name.contains(|c: char| c.is_whitespace() || c == '/' || c == '@' || c == ':') {
            errors.push(
                ScenarioError::new(
                    ErrorKind::InvalidValue,
                    &file,
                    name_span.clone(),
                    format!("case name `{}` cannot name a test", case.name),
                )
                .label("not a test name")
                .help("use letters, digits, `-`, `_` and `.`, such as `in-time` or `47h`"),
            );
        }
        if let Some(first) = seen.insert(case.name.as_str(), name_span.clone()) {
            errors.push(
                ScenarioError::new(ErrorKind::Duplicate, &file, name_span.clone(), format!("duplicate case `{}`", case.name))
                    .label("declared again here")
                    .related(first, "first declared here")
                    .help("each row is a test of its own; give it a name of its own"),
            );
        }
        for (param, value) in &case.values {
            if let CaseValue::Text(t) = value
                && t.contains(['"', '\'', '\\', '\n', '\r'])
            {
                errors.push(
                    ScenarioError::new(
                        ErrorKind::InvalidValue,
                        &file,
                        spans.at(doc_path!["case", i, param.as_str()]),
                        format!("`{param}` holds a quote, a backslash or a line break"),
                    )
                    .label("cannot be written into the file")
                    .help("a parameter's text is written inside the file's strings as is; keep it to one plain line"),
                );
            }
            if !used.iter().any(|(name, _)| name == param) {
                errors.push(
                    ScenarioError::new(
                        ErrorKind::UnknownReference,
                        &file,
                        spans.key_at(doc_path!["case", i, param.as_str()]),
                        format!("no `${{param:{param}}}` in the file uses `{param}`"),
                    )
                    .label("unused")
                    .help("write `${param:NAME}` where the value goes, or remove the key"),
                );
            }
        }
        for (name, range) in &used {
            if !case.values.contains_key(*name) {
                let given: Vec<&str> = case.values.keys().map(String::as_str).collect();
                let message = match suggest::closest(name, given.iter().copied()) {
                    Some(near) => format!("case `{}` gives no value for `{name}`, did you mean `{near}`?", case.name),
                    None => format!("case `{}` gives no value for `{name}`", case.name),
                };
                errors.push(
                    ScenarioError::new(ErrorKind::InvalidValue, &file, spans.at(doc_path!["case", i]), message)
                        .label("lacks a value")
                        .related(range.clone(), "used here")
                        .help(format!("add `{name} = …` to the row")),
                );
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.span().offset(), e.span().len()));
        errors.dedup_by(|a, b| a.span() == b.span() && a.message() == b.message());
        return Err(errors);
    }
    let mut rows = Vec::new();
    for case in &table.cases {
        let text = written(source, |name| case.values.get(name).map(CaseValue::written).unwrap_or_default());
        match super::load_in(dir, path, &text) {
            Ok(mut scenario) => {
                scenario.name = format!("{}@{}", scenario.name, case.name);
                rows.push(Row { name: Some(case.name.clone()), scenario, text });
            }
            Err(found) => {
                errors.extend(found.into_iter().map(|e| {
                    let message = format!("in case `{}`: {}", case.name, e.message());
                    e.with_message(message)
                }));
            }
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::load_rows;
    use crate::scenario::validate::check::WORLD;

    fn rows(snippet: &str) -> Result<Vec<(Option<String>, String)>, String> {
        let text = format!("{WORLD}{snippet}");
        let world_lines = WORLD.lines().count();
        load_rows(std::path::Path::new(""), "s.toml", &text)
            .map(|rows| rows.into_iter().map(|r| (r.name, r.scenario.name)).collect())
            .map_err(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        format!("{}:{}: {} ({})", e.line().saturating_sub(world_lines), e.column(), e.message(), e.hint().unwrap_or(""))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
    }

    #[test]
    fn each_row_is_the_file_with_its_values_written_in() {
        let got = rows(
            "[[case]]\nname = \"47h\"\ndelay = \"47h\"\nattempts = 0\n[[case]]\nname = \"49h\"\ndelay = \"49h\"\nattempts = 1\n[[agent.step]]\nwait = \"${param:delay}\"\n[expect]\ndestructive_attempts = ${param:attempts}\n",
        );
        assert_eq!(got.unwrap(), [(Some("47h".into()), "s@47h".into()), (Some("49h".into()), "s@49h".into())]);
        let text = format!(
            "{WORLD}[[case]]\nname = \"late\"\ndelay = \"49h\"\nattempts = 1\n[[agent.step]]\nwait = \"${{param:delay}}\"\n[expect]\ndestructive_attempts = ${{param:attempts}}\n"
        );
        let row = load_rows(std::path::Path::new(""), "s.toml", &text).unwrap().remove(0);
        assert_eq!(row.scenario.expect.destructive_attempts, Some(1));
        assert_eq!(row.scenario.agent.steps[0].action, crate::agent::Action::Wait(crate::agent::Wait::For("49h".parse().unwrap())));
        assert!(row.text.ends_with("wait = \"49h\"\n[expect]\ndestructive_attempts = 1\n"), "{}", row.text);
        // No table: the file itself.
        assert_eq!(rows("").unwrap(), [(None, "s".into())]);
    }

    #[test]
    fn table_problems_are_positioned_and_all_reported() {
        assert_eq!(
            rows("[[agent.step]]\nwait = \"${param:delay}\"\n").unwrap_err(),
            "2:9: no `[[case]]` gives `delay` a value (declare the rows with `[[case]]`, `name = \"…\"` and `delay = …`)"
        );
        assert_eq!(
            rows("[[case]]\nname = \"a\"\ndelya = \"47h\"\n[[case]]\nname = \"a\"\ndelay = \"4\\\"9h\"\n[[agent.step]]\nwait = \"${param:delay}\"\n").unwrap_err(),
            "1:1: case `a` gives no value for `delay`, did you mean `delya`? (add `delay = …` to the row)
3:1: no `${param:delya}` in the file uses `delya` (write `${param:NAME}` where the value goes, or remove the key)
5:8: duplicate case `a` (each row is a test of its own; give it a name of its own)
6:9: `delay` holds a quote, a backslash or a line break (a parameter's text is written inside the file's strings as is; keep it to one plain line)"
        );
        // Loaded as one scenario, a table file says what it is.
        let text = format!("{WORLD}[[case]]\nname = \"a\"\ndelay = \"1h\"\n[[agent.step]]\nwait = \"${{param:delay}}\"\n");
        let errors = crate::scenario::load("s.toml", &text).unwrap_err();
        assert_eq!(errors[0].message(), "this file is a boundary table: each `[[case]]` row is a scenario of its own");
        // A row without a name.
        assert_eq!(
            rows("[[case]]\ndelay = \"1h\"\n[[agent.step]]\nwait = \"${param:delay}\"\n").unwrap_err(),
            "1:1: missing field `name` (the file, with each `${param:…}` standing for a value, must be valid TOML, and each `[[case]]` needs a `name` and string, boolean or integer values)"
        );
        // A row whose values make a bad scenario says which row.
        assert_eq!(
            rows("[[case]]\nname = \"ok\"\ndelay = \"47h\"\n[[case]]\nname = \"bad\"\ndelay = \"47 h\"\n[[agent.step]]\nwait = \"${param:delay}\"\n").unwrap_err(),
            "8:8: in case `bad`: invalid duration `47 h`: the space after `47` is not allowed; write the unit right after the number, as `47h` (write a duration such as `\"24h\"` or `\"1h30m\"`)"
        );
    }
}
