//! The interpreter's loop: each simple command of a line, expanded against the variables set so
//! far, stripped of wrappers (`sudo`, `env K=V`, `bash -c`), and handed to its program's model.

use std::collections::BTreeMap;

use super::command::{Command, Interpretation, Invocation};
use super::context::ShellContext;
use super::expand::{Vars, assignment, fields, is_name, joined};
use super::lex::{Issue, RawCommand, Word, split};
use super::{curl, files, railway, search};

/// Deeper `bash -c "bash -c …"` nesting than any real agent writes; bounds the recursion.
const MAX_NESTING: usize = 8;

/// Interprets a shell command line without running any of it.
pub fn interpret(command: &str, ctx: &ShellContext) -> Interpretation {
    let mut shell = Shell { ctx, vars: ctx.env.clone(), exported: BTreeMap::new(), out: Vec::new() };
    shell.line(command, 0);
    Interpretation { commands: shell.out }
}

/// The state of one shell while it reads a line.
struct Shell<'a> {
    ctx: &'a ShellContext,
    /// Every variable visible to expansion: the context's environment and the line's
    /// assignments.
    vars: Vars,
    /// Variables exported (or changed while exported) by this line: what programs see on top
    /// of the context's environment.
    exported: Vars,
    out: Vec<Invocation>,
}

impl Shell<'_> {
    fn line(&mut self, line: &str, depth: usize) {
        for raw in split(line) {
            self.simple(raw, depth);
        }
    }

    fn emit(&mut self, env: &Vars, command: Command) {
        self.out.push(Invocation { env: env.clone(), command });
    }

    fn simple(&mut self, raw: RawCommand, depth: usize) {
        let exported = self.exported.clone();
        if let Some(issue) = raw.issue {
            let command = match issue {
                Issue::Invalid(reason) => Command::Invalid { reason },
                Issue::NotModelled(reason) => Command::NotModelled { program: program_name(&raw.words), reason },
            };
            self.emit(&exported, command);
            return;
        }
        // Leading `K=V` words: the command's own environment, or shell assignments if alone.
        let mut overrides = Vars::new();
        let mut words = raw.words.as_slice();
        while let Some((first, rest)) = words.split_first() {
            let Some((key, value)) = assignment(first) else {
                break;
            };
            overrides.insert(key, joined(&value, &self.vars));
            words = rest;
        }
        let Some((program_word, arg_words)) = words.split_first() else {
            for (key, value) in overrides {
                self.set(key, value, false);
            }
            return;
        };
        let mut env = exported;
        env.extend(overrides);
        let program = fields(program_word, &self.vars);
        if program == ["export"] {
            self.export(arg_words, &env);
            return;
        }
        let mut argv = program;
        argv.extend(arg_words.iter().flat_map(|w| fields(w, &self.vars)));
        self.run(&argv, env, raw.after_pipe, depth);
    }

    /// Records an assignment; `export` marks it exported, and so does assigning to a variable
    /// that already is.
    fn set(&mut self, key: String, value: String, export: bool) {
        let exported = export || self.exported.contains_key(&key) || self.ctx.env.contains_key(&key);
        let env = self.exported.clone();
        self.vars.insert(key.clone(), value.clone());
        if exported {
            self.exported.insert(key.clone(), value.clone());
        }
        self.emit(&env, Command::SetEnv { key, value, exported });
    }

    /// `export [-p] [K=V | K]…`: assignment words are expanded without field splitting.
    fn export(&mut self, words: &[Word], env: &Vars) {
        let mut any = false;
        for word in words {
            if let Some((key, value)) = assignment(word) {
                let value = joined(&value, &self.vars);
                self.set(key, value, true);
                any = true;
                continue;
            }
            for name in fields(word, &self.vars) {
                if name.starts_with('-') {
                    continue;
                }
                any = true;
                if !is_name(&name) {
                    self.emit(env, Command::Invalid { reason: format!("`{name}` is not a valid identifier") });
                } else if let Some(value) = self.vars.get(&name).cloned() {
                    self.set(name, value, true);
                }
            }
        }
        if !any {
            self.emit(env, Command::ReadEnv { var: None });
        }
    }

    /// Runs an expanded command: wrappers first, then the program's model.
    fn run(&mut self, argv: &[String], mut env: Vars, after_pipe: bool, depth: usize) {
        let Some((program, args)) = argv.split_first() else {
            return;
        };
        let name = program.rsplit('/').next().unwrap_or(program);
        let commands: Vec<Command> = match name {
            // Words that only wrap the command after them.
            "!" | "{" | "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "time" | "nohup" | "exec" | "builtin" => {
                return self.run(args, env, after_pipe, depth);
            }
            "command" if args.first().is_some_and(|a| a == "-p") => {
                return self.run(args.get(1..).unwrap_or_default(), env, after_pipe, depth);
            }
            "command" if args.first().is_some_and(|a| !a.starts_with('-')) => {
                return self.run(args, env, after_pipe, depth);
            }
            "sudo" => match skip_sudo_options(args) {
                Some(rest) if !rest.is_empty() => return self.run(rest, env, after_pipe, depth),
                _ => vec![not_modelled(program, "sudo without a command is not modelled")],
            },
            "timeout" => match skip_timeout_options(args) {
                Some(rest) if !rest.is_empty() => return self.run(rest, env, after_pipe, depth),
                _ => vec![Command::Invalid { reason: "timeout without a command".into() }],
            },
            "env" => {
                let mut rest = args;
                while let Some((first, tail)) = rest.split_first() {
                    if first == "-i" || first == "-u" || first.starts_with("--") && first != "--" {
                        self.emit(&env, not_modelled(program, &format!("env option `{first}` is not modelled")));
                        return;
                    }
                    match first.split_once('=') {
                        Some((key, value)) if is_name(key) => {
                            env.insert(key.to_owned(), value.to_owned());
                        }
                        _ if first == "--" => {}
                        _ => break,
                    }
                    rest = tail;
                }
                if rest.is_empty() {
                    vec![Command::ReadEnv { var: None }]
                } else {
                    return self.run(rest, env, after_pipe, depth);
                }
            }
            "sh" | "bash" | "zsh" | "dash" | "ksh" => match shell_script(args) {
                Ok(script) if depth < MAX_NESTING => {
                    self.nested(&script, &env, depth + 1);
                    return;
                }
                Ok(_) => vec![Command::Invalid { reason: "shells nested too deeply".into() }],
                Err(reason) => vec![not_modelled(program, &reason)],
            },
            "cd" | "pushd" => {
                let path = args.iter().find(|a| !matches!(a.as_str(), "-L" | "-P" | "-e" | "-@"));
                vec![Command::ChangeDir { path: path.cloned().unwrap_or_else(|| "~".into()) }]
            }
            "echo" => vec![Command::Echo { text: echo_text(args) }],
            // Formats are not applied: the text still shows whether a secret was printed.
            "printf" => vec![Command::Echo { text: args.join(" ") }],
            "printenv" => {
                let vars: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if vars.is_empty() {
                    vec![Command::ReadEnv { var: None }]
                } else {
                    vars.into_iter().map(|v| Command::ReadEnv { var: Some(v.clone()) }).collect()
                }
            }
            "true" | "false" | ":" => Vec::new(),
            "cat" | "less" | "more" | "bat" | "batcat" => files::read(args),
            "head" | "tail" => files::head_tail(name, args),
            "ls" => files::list(args),
            "grep" | "egrep" | "fgrep" => vec![search::grep(name, args)],
            "rg" => search::rg(args, after_pipe),
            "git" => vec![search::git(args)],
            "find" => search::find(args),
            "curl" => curl::interpret(args, self.ctx.serve_url.as_deref()),
            "railway" => vec![railway::interpret(args)],
            _ => vec![not_modelled(program, &format!("program `{program}` is not modelled"))],
        };
        for command in commands {
            self.emit(&env, command);
        }
    }

    /// `bash -c SCRIPT`: a child shell that sees only exported variables and whose own
    /// assignments do not come back.
    fn nested(&mut self, script: &str, env: &Vars, depth: usize) {
        let mut vars = self.ctx.env.clone();
        vars.extend(env.clone());
        let mut child = Shell { ctx: self.ctx, vars, exported: env.clone(), out: Vec::new() };
        child.line(script, depth);
        self.out.append(&mut child.out);
    }
}

fn not_modelled(program: &str, reason: &str) -> Command {
    Command::NotModelled { program: program.into(), reason: reason.into() }
}

/// The program a command would run, as written, for messages about commands that cannot be
/// expanded.
fn program_name(words: &[Word]) -> String {
    words.iter().find(|w| assignment(w).is_none()).map(Word::raw).unwrap_or_default()
}

/// `echo [-neE]… ARGS`: the flags are dropped, escapes are left as written.
fn echo_text(args: &[String]) -> String {
    let start = args
        .iter()
        .position(|a| !(a.len() > 1 && a.starts_with('-') && a.chars().skip(1).all(|c| "neE".contains(c))))
        .unwrap_or(args.len());
    args.get(start..).unwrap_or_default().join(" ")
}

/// The script of `sh -c SCRIPT` (also `-lc`, `-ec`, `-o pipefail -c`).
fn shell_script(args: &[String]) -> Result<String, String> {
    let mut wants_script = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "-o" || arg == "+o" {
            i += 1;
        } else if arg.starts_with("--") {
            // `--login`, `--norc`, and `--` itself.
            continue;
        } else if let Some(flags) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) {
            wants_script |= arg.starts_with('-') && flags.contains('c');
        } else if wants_script {
            return Ok(arg.clone());
        } else {
            return Err(format!("running script `{arg}` is not modelled"));
        }
    }
    if wants_script { Err("`-c` without a command string".into()) } else { Err("interactive shells are not modelled".into()) }
}

/// The command after `sudo`'s own options.
fn skip_sudo_options(args: &[String]) -> Option<&[String]> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if arg == "--" {
            return args.get(i + 1..);
        }
        if !arg.starts_with('-') {
            return args.get(i..);
        }
        // Options with a value: user, group, prompt, close-from, chdir, role, type.
        let takes_value = matches!(arg.as_str(), "-u" | "-g" | "-p" | "-C" | "-D" | "-r" | "-t" | "-U" | "-h");
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// The command after `timeout [OPTIONS] DURATION`.
fn skip_timeout_options(args: &[String]) -> Option<&[String]> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-s" | "--signal" | "-k" | "--kill-after" => i += 2,
            a if a.starts_with('-') => i += 1,
            _ => return args.get(i + 1..),
        }
    }
    None
}
