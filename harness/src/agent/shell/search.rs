//! Searching the repository: `grep`, `rg`, `git grep` and `find`.
//!
//! `--include`, `--glob`, `-t` and the like narrow a search; they are accepted and dropped, so
//! the harness searches at least the files the real command would.

use super::command::{Command, Refusal};
use super::opts::{Arity, Grammar, OptError, Parsed, spec};

use Arity::{Flag, Optional, Value};

const GREP: Grammar = Grammar {
    long_equals: true,
    specs: &[
        spec("recursive", &["-r", "-R", "--recursive", "--dereference-recursive"], Flag),
        spec("ignore-case", &["-i", "-y", "--ignore-case"], Flag),
        spec("case", &["--no-ignore-case"], Flag),
        spec("fixed", &["-F", "--fixed-strings"], Flag),
        spec("regex", &["-E", "-G", "-P", "--extended-regexp", "--basic-regexp", "--perl-regexp"], Flag),
        spec("pattern", &["-e", "--regexp"], Value),
        spec("pattern-file", &["-f", "--file"], Value),
        spec(
            "ignored-flag",
            &[
                "-n",
                "--line-number",
                "-l",
                "--files-with-matches",
                "-L",
                "--files-without-match",
                "-c",
                "--count",
                "-o",
                "--only-matching",
                "-v",
                "--invert-match",
                "-w",
                "--word-regexp",
                "-x",
                "--line-regexp",
                "-h",
                "--no-filename",
                "-H",
                "--with-filename",
                "-s",
                "--no-messages",
                "-q",
                "--quiet",
                "--silent",
                "-I",
                "-a",
                "--text",
                "-z",
                "--null-data",
                "-Z",
                "--null",
                "-b",
                "--byte-offset",
                "-U",
                "--binary",
                "-T",
                "--initial-tab",
                "--line-buffered",
            ],
            Flag,
        ),
        spec(
            "ignored-value",
            &[
                "-A",
                "--after-context",
                "-B",
                "--before-context",
                "-C",
                "--context",
                "-m",
                "--max-count",
                "--include",
                "--exclude",
                "--exclude-dir",
                "--exclude-from",
                "-d",
                "--directories",
                "-D",
                "--devices",
                "--label",
                "--binary-files",
            ],
            Value,
        ),
        spec("color", &["--color", "--colour"], Optional),
    ],
};

const RG: Grammar = Grammar {
    long_equals: true,
    specs: &[
        spec("ignore-case", &["-i", "--ignore-case"], Flag),
        spec("case", &["-s", "--case-sensitive"], Flag),
        spec("smart-case", &["-S", "--smart-case"], Flag),
        spec("fixed", &["-F", "--fixed-strings"], Flag),
        spec("regex", &["--no-fixed-strings"], Flag),
        spec("pattern", &["-e", "--regexp"], Value),
        spec("pattern-file", &["-f", "--file"], Value),
        spec("files", &["--files"], Flag),
        spec(
            "ignored-flag",
            &[
                "-n",
                "--line-number",
                "-N",
                "--no-line-number",
                "-l",
                "--files-with-matches",
                "--files-without-match",
                "-c",
                "--count",
                "--count-matches",
                "-o",
                "--only-matching",
                "-v",
                "--invert-match",
                "-w",
                "--word-regexp",
                "-x",
                "--line-regexp",
                "--hidden",
                "-.",
                "-u",
                "--unrestricted",
                "--no-ignore",
                "--no-ignore-vcs",
                "-L",
                "--follow",
                "-H",
                "--with-filename",
                "-I",
                "--no-filename",
                "--no-heading",
                "--heading",
                "-a",
                "--text",
                "-z",
                "--search-zip",
                "--json",
                "-U",
                "--multiline",
                "-P",
                "--pcre2",
                "--vimgrep",
                "-q",
                "--quiet",
                "-p",
                "--pretty",
                "--trim",
                "--column",
                "-0",
                "--null",
                "-b",
                "--byte-offset",
                "--no-messages",
                "--stats",
                "--sort-files",
                "-uu",
                "-uuu",
            ],
            Flag,
        ),
        spec(
            "ignored-value",
            &[
                "-g",
                "--glob",
                "--iglob",
                "-t",
                "--type",
                "-T",
                "--type-not",
                "-A",
                "--after-context",
                "-B",
                "--before-context",
                "-C",
                "--context",
                "-m",
                "--max-count",
                "-M",
                "--max-columns",
                "-d",
                "--max-depth",
                "-j",
                "--threads",
                "-E",
                "--encoding",
                "-r",
                "--replace",
                "--colors",
                "--sort",
                "--sortr",
                "--type-add",
                "--pre",
                "--max-filesize",
                "--ignore-file",
            ],
            Value,
        ),
        spec("color", &["--color", "--colour"], Value),
    ],
};

const GIT_GREP: Grammar = Grammar {
    long_equals: true,
    specs: &[
        spec("ignore-case", &["-i", "-y", "--ignore-case"], Flag),
        spec("fixed", &["-F", "--fixed-strings"], Flag),
        spec("regex", &["-E", "-G", "-P", "--extended-regexp", "--basic-regexp", "--perl-regexp"], Flag),
        spec("pattern", &["-e"], Value),
        spec("pattern-file", &["-f"], Value),
        spec(
            "ignored-flag",
            &[
                "-n",
                "--line-number",
                "-l",
                "--files-with-matches",
                "--name-only",
                "-L",
                "--files-without-match",
                "-c",
                "--count",
                "-o",
                "--only-matching",
                "-v",
                "--invert-match",
                "-w",
                "--word-regexp",
                "-h",
                "-H",
                "-I",
                "-a",
                "--text",
                "--cached",
                "--untracked",
                "--no-index",
                "--no-exclude-standard",
                "--exclude-standard",
                "--recurse-submodules",
                "--full-name",
                "-W",
                "--function-context",
                "-p",
                "--show-function",
                "--break",
                "--heading",
                "-q",
                "--quiet",
                "-z",
                "--null",
                "--column",
                "--all-match",
                "--and",
                "--or",
                "--not",
                "-r",
                "--recursive",
                "--no-recursive",
            ],
            Flag,
        ),
        spec(
            "ignored-value",
            &["-A", "--after-context", "-B", "--before-context", "-C", "--context", "-m", "--max-count", "--max-depth", "--threads"],
            Value,
        ),
        spec("open-files", &["-O", "--open-files-in-pager"], Optional),
        spec("color", &["--color"], Optional),
    ],
};

fn invalid(reason: String) -> Refusal {
    Refusal::Invalid { reason }
}

fn read(grammar: &Grammar, args: &[String], program: &str) -> Result<Parsed, Refusal> {
    grammar.parse(args).map_err(|e| {
        invalid(match e {
            OptError::Unknown(opt) => format!("unknown option `{opt}` for `{program}`"),
            OptError::MissingValue(opt) => format!("option `{opt}` of `{program}` needs a value"),
        })
    })
}

/// The last of two opposite switches wins, as in getopt-based tools.
fn last_of(parsed: &Parsed, on: &[&str], off: &[&str]) -> Option<bool> {
    parsed.opts.iter().rev().find_map(|(id, _)| {
        if on.contains(id) {
            Some(true)
        } else if off.contains(id) {
            Some(false)
        } else {
            None
        }
    })
}

/// The pattern from `-e` options or the first positional, and the remaining positionals.
fn pattern_and_paths(parsed: &Parsed, fixed: bool, program: &str) -> Result<(String, bool, Vec<String>), Refusal> {
    if parsed.has("pattern-file") {
        return Err(Refusal::NotModelled { program: program.into(), reason: "patterns from a file (`-f`) are not modelled".into() });
    }
    let from_e = parsed.all("pattern");
    let mut positionals = parsed.positionals.clone();
    let (pattern, fixed) = match from_e.as_slice() {
        [] if positionals.is_empty() => {
            return Err(invalid(format!("`{program}` without a pattern")));
        }
        [] => (positionals.remove(0), fixed),
        [one] => (one.clone(), fixed),
        // Several patterns match any of them: one alternation, so no longer a fixed string.
        many => {
            let alternatives: Vec<String> = many.iter().map(|p| if fixed { regex_escape(p) } else { p.clone() }).collect();
            (alternatives.join("|"), false)
        }
    };
    Ok((pattern, fixed, positionals))
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Drops GNU grep's `-NUM` context shorthand (`-3`), which the option table cannot express.
fn without_numeric_context(args: &[String]) -> Vec<String> {
    args.iter().filter(|a| !(a.len() > 1 && a.starts_with('-') && a.chars().skip(1).all(|c| c.is_ascii_digit()))).cloned().collect()
}

/// `grep`, `egrep`, `fgrep`.
pub(crate) fn grep(program: &str, args: &[String]) -> Command {
    let run = || -> Result<Command, Refusal> {
        let parsed = read(&GREP, &without_numeric_context(args), program)?;
        let fixed_default = program == "fgrep";
        let fixed = last_of(&parsed, &["fixed"], &["regex"]).unwrap_or(fixed_default);
        let (pattern, fixed, mut paths) = pattern_and_paths(&parsed, fixed, program)?;
        let recursive = parsed.has("recursive");
        // GNU grep searches the working directory when recursive and given no file.
        if recursive && paths.is_empty() {
            paths.push(".".into());
        }
        Ok(Command::Search {
            pattern,
            paths,
            recursive,
            ignore_case: last_of(&parsed, &["ignore-case"], &["case"]).unwrap_or(false),
            fixed,
        })
    };
    run().unwrap_or_else(Command::from)
}

/// `rg`: recursive, and searching the working directory unless it reads a pipe.
pub(crate) fn rg(args: &[String], after_pipe: bool) -> Vec<Command> {
    let run = || -> Result<Vec<Command>, Refusal> {
        let parsed = read(&RG, args, "rg")?;
        if parsed.has("files") {
            // `rg --files [PATH…]` lists files, matching no pattern.
            let roots = if parsed.positionals.is_empty() { vec![".".to_owned()] } else { parsed.positionals.clone() };
            return Ok(roots.into_iter().map(|root| Command::FindFiles { root, name_glob: "*".into() }).collect());
        }
        let fixed = last_of(&parsed, &["fixed"], &["regex"]).unwrap_or(false);
        let (pattern, fixed, mut paths) = pattern_and_paths(&parsed, fixed, "rg")?;
        if paths.is_empty() && !after_pipe {
            paths.push(".".into());
        }
        let smart = !pattern.chars().any(char::is_uppercase);
        let ignore_case = parsed
            .opts
            .iter()
            .rev()
            .find_map(|(id, _)| match *id {
                "ignore-case" => Some(true),
                "case" => Some(false),
                "smart-case" => Some(smart),
                _ => None,
            })
            .unwrap_or(false);
        Ok(vec![Command::Search { pattern, paths, recursive: true, ignore_case, fixed }])
    };
    run().unwrap_or_else(|r| vec![r.into()])
}

/// `git [-C DIR] [--no-pager] grep …`; other git subcommands are not modelled.
pub(crate) fn git(args: &[String]) -> Command {
    let mut rest = args;
    loop {
        match rest {
            [flag, _, tail @ ..] if matches!(flag.as_str(), "-C" | "-c") => rest = tail,
            [flag, tail @ ..] if flag.starts_with('-') => rest = tail,
            _ => break,
        }
    }
    let Some((sub, args)) = rest.split_first() else {
        return Command::NotModelled { program: "git".into(), reason: "git without a subcommand is not modelled".into() };
    };
    if sub != "grep" {
        return Command::NotModelled { program: "git".into(), reason: format!("git subcommand `{sub}` is not modelled") };
    }
    let run = || -> Result<Command, Refusal> {
        let parsed = read(&GIT_GREP, &without_numeric_context(args), "git grep")?;
        let fixed = last_of(&parsed, &["fixed"], &["regex"]).unwrap_or(false);
        let (pattern, fixed, mut paths) = pattern_and_paths(&parsed, fixed, "git grep")?;
        if paths.is_empty() {
            paths.push(".".into());
        }
        Ok(Command::Search { pattern, paths, recursive: true, ignore_case: parsed.has("ignore-case"), fixed })
    };
    run().unwrap_or_else(Command::from)
}

/// `find [ROOT…] [EXPRESSION]`: one `FindFiles` per root and `-name`. Actions that change or
/// run anything (`-delete`, `-exec`) make the whole command not modelled.
pub(crate) fn find(args: &[String]) -> Vec<Command> {
    let split = args.iter().position(|a| a.starts_with('-') || a == "(" || a == "!").unwrap_or(args.len());
    let (roots, expression) = args.split_at(split);
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(arg) = expression.get(i) {
        i += 1;
        let takes_value = match arg.as_str() {
            "-name" | "-iname" => {
                match expression.get(i) {
                    Some(glob) => names.push(glob.clone()),
                    None => {
                        return vec![invalid(format!("find predicate `{arg}` needs a value")).into()];
                    }
                }
                i += 1;
                continue;
            }
            "-delete" | "-exec" | "-execdir" | "-ok" | "-okdir" | "-fprint" | "-fprint0" | "-fprintf" | "-fls" => {
                return vec![Command::NotModelled { program: "find".into(), reason: format!("find with `{arg}` is not modelled") }];
            }
            "(" | ")" | "!" | "-not" | "-o" | "-or" | "-a" | "-and" | "-print" | "-print0" | "-ls" | "-empty" | "-readable"
            | "-writable" | "-executable" | "-prune" | "-quit" | "-true" | "-false" | "-depth" | "-follow" | "-xdev" | "-mount" => false,
            "-type" | "-xtype" | "-maxdepth" | "-mindepth" | "-path" | "-ipath" | "-wholename" | "-iwholename" | "-regex" | "-iregex"
            | "-size" | "-mtime" | "-mmin" | "-atime" | "-amin" | "-ctime" | "-cmin" | "-newer" | "-user" | "-group" | "-perm"
            | "-printf" | "-links" | "-inum" | "-samefile" | "-regextype" | "-uid" | "-gid" => true,
            other => {
                return vec![Command::NotModelled { program: "find".into(), reason: format!("find predicate `{other}` is not modelled") }];
            }
        };
        if takes_value {
            if expression.get(i).is_none() {
                return vec![invalid(format!("find predicate `{arg}` needs a value")).into()];
            }
            i += 1;
        }
    }
    let roots = if roots.is_empty() { vec![".".to_owned()] } else { roots.to_vec() };
    if names.is_empty() {
        names.push("*".into());
    }
    roots.iter().flat_map(|root| names.iter().map(|name| Command::FindFiles { root: root.clone(), name_glob: name.clone() })).collect()
}
