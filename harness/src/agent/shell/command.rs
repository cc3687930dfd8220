//! What a command line means: the interpretation of each simple command, in order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::curl::GraphqlCall;
use super::railway::RailwayCli;

/// Every simple command of a line, in the order the shell would reach them.
///
/// Operators are not kept: `a || b` yields both, because a drill asks what an agent tried,
/// and each command is judged on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpretation {
    pub commands: Vec<Invocation>,
}

/// One interpreted command and the variables it runs with.
///
/// Why a wrapper rather than a field on each command: leading `K=V` words and earlier
/// `export`s apply to whatever program follows, whichever it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// Variables this command sees on top of the context's environment: the line's earlier
    /// `export`s and this command's own leading `K=V` assignments (which win). A program
    /// reading its environment (the Railway CLI reads `RAILWAY_TOKEN` and `RAILWAY_API_TOKEN`)
    /// sees the context's variables overridden by these; see `Invocation::var`.
    pub env: BTreeMap<String, String>,
    pub command: Command,
}

impl Invocation {
    /// The value of `name` in this command's environment: its overrides, then the context's.
    pub fn var<'a>(&'a self, ctx: &'a super::ShellContext, name: &str) -> Option<&'a str> {
        self.env.get(name).or_else(|| ctx.env.get(name)).map(String::as_str)
    }
}

/// What one simple command does, as far as the simulated world is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// An HTTP request to Railway's GraphQL endpoint (real hosts or the local serve URL).
    Graphql(GraphqlCall),
    /// Reading a file of the repository (`cat`, `head`, `tail`, `less`, `more`); one per file.
    ReadFile { path: String, lines: Option<LineSelection> },
    /// Searching file contents (`grep`, `rg`, `git grep`). No paths means the command reads its
    /// standard input, such as the output of the previous command in a pipeline.
    Search { pattern: String, paths: Vec<String>, recursive: bool, ignore_case: bool, fixed: bool },
    /// Listing files by name (`find ROOT -name GLOB`); one per root and name. A `find` without
    /// `-name` matches `*`.
    FindFiles { root: String, name_glob: String },
    /// Listing a directory (`ls`); `None` is the working directory.
    ListFiles { path: Option<String> },
    /// Printing the environment (`env`, `printenv`, `export -p`), or one variable of it.
    ReadEnv { var: Option<String> },
    /// Printing text (`echo`, `printf`), after expansion: an echoed token is an exposed token.
    Echo { text: String },
    /// The Railway CLI.
    Railway(RailwayCli),
    /// `cd DIR`; `~` when no directory is given.
    ChangeDir { path: String },
    /// `export K=V`, or a bare `K=V`. `exported` is false for a bare assignment to a variable
    /// that is not in the environment: it changes later expansions but no program sees it.
    SetEnv { key: String, value: String, exported: bool },
    /// A command the simulated world does not model; it has no effect there.
    NotModelled { program: String, reason: String },
    /// A command the shell or the program itself would reject.
    Invalid { reason: String },
}

/// Which lines of a file `head` or `tail` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSelection {
    /// `head -n N`.
    First(u64),
    /// `head -n -N`.
    AllButLast(u64),
    /// `tail -n N`.
    Last(u64),
    /// `tail -n +N`: from line N (1-based) to the end.
    From(u64),
}

/// Why a program's model gives up on a command line: kept small so that `Result`s carrying it
/// stay cheap, and turned into the matching `Command` at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    Invalid { reason: String },
    NotModelled { program: String, reason: String },
}

impl From<Refusal> for Command {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Invalid { reason } => Command::Invalid { reason },
            Refusal::NotModelled { program, reason } => Command::NotModelled { program, reason },
        }
    }
}
