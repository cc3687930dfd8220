//! `Error`: why a drill could not run. Outcomes (lost volumes, failed expectations) are never
//! errors; they are in the report.

use std::fmt;

use harness::RunError;
use harness::scenario::ScenarioError;
use miette::Diagnostic;

/// A scenario that cannot be read or understood, or a world the provider refuses.
///
/// Its `Debug` is the diagnostic as a terminal shows it, every problem with its file, line,
/// column and hint, because that is what `?` in a test prints.
#[derive(thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Unreadable {
        /// The file as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid scenario: every problem found, in file order.
    #[error("`{path}` is not a valid scenario: {} problem(s)", problems.len())]
    Invalid {
        /// The file as given.
        path: String,
        /// Each problem, pointing into the file.
        problems: Vec<ScenarioError>,
    },
    /// The run refused its input.
    #[error(transparent)]
    Run(#[from] RunError),
    /// No async runtime could be started for a blocking run.
    #[error("cannot start a runtime: {0}")]
    Runtime(std::io::Error),
}

impl Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            Error::Run(e) => e.code(),
            Error::Invalid { .. } => Some(Box::new("firedrill::scenario")),
            Error::Unreadable { .. } | Error::Runtime(_) => None,
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            Error::Run(e) => e.help(),
            _ => None,
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        match self {
            Error::Invalid { problems, .. } => Some(Box::new(problems.iter().map(|p| p as &dyn Diagnostic))),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        match handler.render_report(&mut out, self) {
            Ok(()) => f.write_str(&out),
            Err(_) => write!(f, "{self}"),
        }
    }
}
