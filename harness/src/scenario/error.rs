//! `ScenarioError`: one problem in a scenario file, as a diagnostic pointing into the file.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

/// What kind of problem a [`ScenarioError`] is; stable, so tests and tools can match on it
/// instead of on wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// The file is not valid TOML.
    Syntax,
    /// A key the format does not have.
    UnknownField,
    /// A value of the wrong type or form, or a required key left out.
    InvalidValue,
    /// Two things with the same name where names must be unique.
    Duplicate,
    /// A reference to a workspace, project, environment, service, volume, token or file that the
    /// scenario does not declare.
    UnknownReference,
    /// A `${kind:argument}` placeholder that is malformed, unknown or not allowed where it is.
    Placeholder,
    /// A step uses a token the agent cannot have found by then.
    TokenNotFound,
    /// Values that contradict each other, such as `used_mb` above `size_mb`.
    Inconsistent,
    /// A problem in the Cedar policy file `[gateway] cedar` names; the error points into it.
    Policy,
}

impl ErrorKind {
    /// The diagnostic code, such as `scenario::unknown_reference`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Syntax => "scenario::syntax",
            Self::UnknownField => "scenario::unknown_field",
            Self::InvalidValue => "scenario::invalid_value",
            Self::Duplicate => "scenario::duplicate",
            Self::UnknownReference => "scenario::unknown_reference",
            Self::Placeholder => "scenario::placeholder",
            Self::TokenNotFound => "scenario::token_not_found",
            Self::Inconsistent => "scenario::inconsistent",
            Self::Policy => "scenario::policy",
        }
    }
}

/// One problem in a scenario file: a message, the span it points at, a label there and a hint.
///
/// `Display` gives `path:line:column: message`; render it with miette for the annotated source.
#[derive(Debug, Clone)]
pub struct ScenarioError(Box<Inner>);

/// The parts of a [`ScenarioError`], boxed so that results carrying one stay small.
#[derive(Debug, Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    label: String,
    help: Option<String>,
    span: SourceSpan,
    /// Further places that explain the problem, such as the first of two duplicates.
    related: Vec<(SourceSpan, String)>,
    line: usize,
    column: usize,
    source: NamedSource<Arc<str>>,
}

impl ScenarioError {
    /// An error of `kind` at byte range `span` of `source`, the text of the file at `path`.
    pub(crate) fn new(kind: ErrorKind, file: &SourceFile, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let start = clamp_to_char(&file.text, span.start);
        let end = clamp_to_char(&file.text, span.end.max(start));
        let (line, column) = line_column(&file.text, start);
        Self(Box::new(Inner {
            kind,
            message: message.into(),
            label: String::from("here"),
            help: None,
            span: SourceSpan::from(start..end),
            related: Vec::new(),
            line,
            column,
            source: file.named(),
        }))
    }

    /// Replaces the message.
    #[must_use]
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.0.message = message.into();
        self
    }

    /// Sets the label shown at the span.
    #[must_use]
    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.0.label = label.into();
        self
    }

    /// Sets the hint saying how to fix the problem.
    #[must_use]
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// Adds another labelled place in the file.
    #[must_use]
    pub(crate) fn related(mut self, span: std::ops::Range<usize>, label: impl Into<String>) -> Self {
        self.0.related.push((SourceSpan::from(span), label.into()));
        self
    }

    /// What kind of problem this is.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without the location.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The hint saying how to fix the problem, if there is one.
    #[must_use]
    pub fn hint(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The label shown at the span.
    #[must_use]
    pub fn span_label(&self) -> &str {
        &self.0.label
    }

    /// The byte range of the file the error points at.
    #[must_use]
    pub const fn span(&self) -> SourceSpan {
        self.0.span
    }

    /// The 1-based line the span starts on.
    #[must_use]
    pub const fn line(&self) -> usize {
        self.0.line
    }

    /// The 1-based column, in characters, the span starts at.
    #[must_use]
    pub const fn column(&self) -> usize {
        self.0.column
    }

    /// The path of the file, as given to `parse`, `validate` or `load`.
    #[must_use]
    pub fn path(&self) -> &str {
        self.0.source.name()
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path(), self.0.line, self.0.column, self.0.message)
    }
}

impl std::error::Error for ScenarioError {}

impl Diagnostic for ScenarioError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.0.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(Some(self.0.label.clone()), self.0.span);
        let related = self.0.related.iter().map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// A scenario file's path and text, shared by all the errors found in it.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub(crate) path: String,
    pub(crate) text: Arc<str>,
}

impl SourceFile {
    pub(crate) fn new(path: &str, text: &str) -> Self {
        Self { path: path.to_owned(), text: Arc::from(text) }
    }

    fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.path.clone(), Arc::clone(&self.text)).with_language("toml")
    }
}

/// The largest char boundary of `text` at or before `offset`, so spans never split a character.
fn clamp_to_char(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The 1-based line and character column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::{ErrorKind, ScenarioError, SourceFile};

    fn check(text: &str, span: std::ops::Range<usize>, expected: &str) {
        let file = SourceFile::new("s.toml", text);
        let error = ScenarioError::new(ErrorKind::Syntax, &file, span, "bad");
        assert_eq!(error.to_string(), expected);
    }

    #[test]
    fn display_gives_path_line_and_character_column() {
        check("a = 1\n", 0..1, "s.toml:1:1: bad");
        check("a = 1\nbb = 2\n", 6..8, "s.toml:2:1: bad");
        check("a = 1\nbb = 2\n", 11..12, "s.toml:2:6: bad");
        check("é = 'ü'\nx", 8..9, "s.toml:1:7: bad");
        check("é = 1", 1..2, "s.toml:1:1: bad");
        check("a = 1", 99..120, "s.toml:1:6: bad");
        check("a\r\nb", 3..4, "s.toml:2:1: bad");
    }
}
