//! Reading and listing repository files: `cat`, `head`, `tail`, `less`, `more`, `bat`, `ls`.
//!
//! A reader given no file reads its standard input (the previous command of a pipeline), which
//! reads nothing new from the repository, so it yields no command.

use super::command::{Command, LineSelection};
use super::opts::{Arity, Grammar, OptError, spec};

use Arity::{Flag, Optional, Value};

const HEAD_TAIL: Grammar = Grammar {
    long_equals: true,
    specs: &[
        spec("lines", &["-n", "--lines"], Value),
        spec("bytes", &["-c", "--bytes"], Value),
        spec("follow", &["-f", "-F", "--retry"], Flag),
        spec("follow-how", &["--follow"], Optional),
        spec("ignored-flag", &["-q", "--quiet", "--silent", "-v", "--verbose", "-z", "--zero-terminated"], Flag),
        spec("ignored-value", &["-s", "--sleep-interval", "--pid", "--max-unchanged-stats"], Value),
    ],
};

/// Files named after the options; for tools whose options never take a value.
fn operands(args: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    let mut only_files = false;
    for arg in args {
        if only_files || !arg.starts_with('-') {
            files.push(arg.clone());
        } else if arg == "--" {
            only_files = true;
        }
    }
    files
}

/// `cat`, `less`, `more`, `bat`: one read per file.
pub(crate) fn read(args: &[String]) -> Vec<Command> {
    operands(args).into_iter().filter(|f| !f.starts_with('+')).map(|path| Command::ReadFile { path, lines: None }).collect()
}

/// `ls [PATH…]`.
pub(crate) fn list(args: &[String]) -> Vec<Command> {
    let paths = operands(args);
    if paths.is_empty() {
        return vec![Command::ListFiles { path: None }];
    }
    paths.into_iter().map(|p| Command::ListFiles { path: Some(p) }).collect()
}

/// `head` and `tail`, with `-n N`, `-N` and tail's `-n +N`.
pub(crate) fn head_tail(program: &str, args: &[String]) -> Vec<Command> {
    let tail = program == "tail";
    // `head -5` is `head -n 5`; the option table cannot express a number as a flag.
    let mut rewritten: Vec<String> = Vec::new();
    for arg in args {
        let after_lines = rewritten.last().is_some_and(|p| p == "-n" || p == "--lines");
        match arg.strip_prefix('-') {
            Some(n) if !after_lines && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                rewritten.extend(["-n".to_owned(), n.to_owned()]);
            }
            _ => rewritten.push(arg.clone()),
        }
    }
    let args = rewritten;
    let parsed = match HEAD_TAIL.parse(&args) {
        Ok(p) => p,
        Err(OptError::Unknown(opt)) => {
            return vec![Command::Invalid { reason: format!("unknown option `{opt}` for `{program}`") }];
        }
        Err(OptError::MissingValue(opt)) => {
            return vec![Command::Invalid { reason: format!("option `{opt}` of `{program}` needs a value") }];
        }
    };
    if parsed.has("bytes") {
        return vec![Command::NotModelled { program: program.into(), reason: "byte counts (`-c`) are not modelled".into() }];
    }
    let lines = match parsed.last("lines") {
        None if tail => LineSelection::Last(10),
        None => LineSelection::First(10),
        Some(count) => match line_selection(count, tail) {
            Some(selection) => selection,
            None => {
                return vec![Command::Invalid { reason: format!("invalid number of lines `{count}` for `{program}`") }];
            }
        },
    };
    parsed.positionals.into_iter().filter(|p| p != "-").map(|path| Command::ReadFile { path, lines: Some(lines) }).collect()
}

fn line_selection(count: &str, tail: bool) -> Option<LineSelection> {
    let number = |s: &str| s.parse::<u64>().ok();
    Some(match (tail, count.chars().next()?) {
        (true, '+') => LineSelection::From(number(count.get(1..)?)?),
        (true, '-') => LineSelection::Last(number(count.get(1..)?)?),
        (true, _) => LineSelection::Last(number(count)?),
        (false, '-') => LineSelection::AllButLast(number(count.get(1..)?)?),
        (false, _) => LineSelection::First(number(count)?),
    })
}
