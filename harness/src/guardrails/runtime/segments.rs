//! A command line as the agent runtime's permission check reads it: split into subcommands at
//! the shell's operators (`&&`, `||`, `;`, `|`, `&`, newlines) outside quotes and outside
//! parentheses, output redirections dropped (Claude Code matches `python x.py > out.txt` as
//! `python x.py`), each subcommand judged as written.
//!
//! Why its own splitter: the runtime does not interpret what it splits. `{ curl x; }` is two
//! subcommands to it, `{ curl x` and `}`, neither of which starts with `curl`, and `(curl x)` or
//! `echo $(curl x)` is one subcommand that does not start with `curl`: that is how wrapped commands
//! slip past Bash deny rules. What really runs inside each subcommand is worked out separately
//! (`Segment::inner`), with the project's shell lexer (`agent::shell`), to report the leak.

/// One subcommand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The subcommand as the runtime matches it: trimmed, words separated by one space,
    /// output redirections dropped.
    pub text: String,
    /// Files its output redirections write to.
    pub writes: Vec<String>,
    /// Commands that run inside this one, and how.
    pub inner: Vec<Inner>,
}

/// How a command runs inside another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// `sh -c`, `bash -c`, `zsh -c`.
    ShellScript,
    /// `env`, `sudo`, `nohup`, `timeout`, `nice`, `time`, `command`, `exec`, `stdbuf`, `doas`.
    Prefix,
    /// `xargs CMD`.
    Xargs,
    /// `find … -exec CMD ;`.
    FindExec,
    /// `eval`.
    Eval,
    /// `{ …; }`.
    BraceGroup,
    /// `( … )`.
    Subshell,
    /// `$( … )` or backticks.
    CommandSubstitution,
    /// `<( … )` or `>( … )`.
    ProcessSubstitution,
    /// `node -e`, `python -c`, `perl -e`, `ruby -e`, `deno eval`, `php -r`: code, not a command.
    Interpreter,
}

impl Wrapper {
    pub fn describe(self) -> &'static str {
        match self {
            Wrapper::ShellScript => "a `sh -c` script",
            Wrapper::Prefix => "a wrapper command",
            Wrapper::Xargs => "`xargs`",
            Wrapper::FindExec => "`find -exec`",
            Wrapper::Eval => "`eval`",
            Wrapper::BraceGroup => "a brace group",
            Wrapper::Subshell => "a subshell",
            Wrapper::CommandSubstitution => "a command substitution",
            Wrapper::ProcessSubstitution => "a process substitution",
            Wrapper::Interpreter => "an interpreter's inline code",
        }
    }
}

/// A command running inside a subcommand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inner {
    pub how: Wrapper,
    /// The wrapping program (`sh`, `env`, `python3`), or the syntax (`{`, `$(`).
    pub via: String,
    /// The inner command line (for `Interpreter`, the code).
    pub command: String,
}

/// Deeper `sh -c "sh -c …"` nesting than any real command; bounds the recursion.
const MAX_DEPTH: usize = 8;

/// The subcommands of `line`, in order.
pub fn segments(line: &str) -> Vec<Segment> {
    segments_at(line, 0)
}

fn segments_at(line: &str, depth: usize) -> Vec<Segment> {
    split(line).into_iter().filter_map(|raw| segment(&raw, depth)).collect()
}

/// Every command that runs inside `segment`, however deep, with the wrapper of each.
pub fn nested(segment: &Segment) -> Vec<Inner> {
    let mut out = Vec::new();
    collect(segment, 0, &mut out);
    out
}

fn collect(segment: &Segment, depth: usize, out: &mut Vec<Inner>) {
    for inner in &segment.inner {
        out.push(inner.clone());
        if inner.how != Wrapper::Interpreter && depth < MAX_DEPTH {
            for s in segments_at(&inner.command, depth + 1) {
                collect(&s, depth + 1, out);
            }
        }
    }
}

/// Splits at top-level operators, keeping each piece's text.
fn split(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') | (Some('`'), '`') => quote = None,
            (Some('\''), _) => {}
            (_, '\\') => {
                cur.push(c);
                if let Some(n) = next {
                    cur.push(n);
                }
                i += 2;
                continue;
            }
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, '#') if depth == 0 && cur.chars().last().is_none_or(char::is_whitespace) => {
                while chars.get(i).is_some_and(|c| *c != '\n') {
                    i += 1;
                }
                continue;
            }
            (None, ';' | '\n') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                i += 1;
                continue;
            }
            (None, '&' | '|') if depth == 0 => {
                let prev = cur.chars().last();
                // `2>&1`, `>&2` and `&>file` are redirections, not operators.
                if c == '&' && (prev == Some('>') || prev == Some('<') || next == Some('>')) {
                    cur.push(c);
                    i += 1;
                    continue;
                }
                out.push(std::mem::take(&mut cur));
                i += if next == Some(c) || (c == '|' && next == Some('&')) { 2 } else { 1 };
                continue;
            }
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    out.push(cur);
    out
}

/// One word as written (`raw`) and with quotes removed (`value`).
#[derive(Clone, Debug)]
struct Word {
    raw: String,
    value: String,
}

fn words(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut raw = String::new();
        let mut value = String::new();
        let mut quote: Option<char> = None;
        let mut depth = 0usize;
        while let Some(&c) = chars.get(i) {
            if quote.is_none() && depth == 0 && c.is_whitespace() {
                break;
            }
            raw.push(c);
            i += 1;
            match (quote, c) {
                (Some('`'), '`') => {
                    quote = None;
                    value.push('`');
                }
                (Some(q), c) if c == q => quote = None,
                (Some('\''), c) => value.push(c),
                (_, '\\') => {
                    if let Some(&n) = chars.get(i) {
                        raw.push(n);
                        value.push(n);
                        i += 1;
                    }
                }
                (Some('`'), c) => value.push(c),
                (Some(_), c) => value.push(c),
                (None, '\'' | '"') => quote = Some(c),
                (None, '`') => {
                    quote = Some(c);
                    value.push(c);
                }
                (None, '(') => {
                    depth += 1;
                    value.push(c);
                }
                (None, ')') => {
                    depth = depth.saturating_sub(1);
                    value.push(c);
                }
                (None, c) => value.push(c),
            }
        }
        out.push(Word { raw, value });
    }
    out
}

/// An output redirection word (`>f`, `2>&1`, `>>`, `&>`), and whether its target is the next word.
fn redirection(word: &str) -> Option<(Option<String>, bool)> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix('&').unwrap_or(rest);
    let rest = rest.strip_prefix(">>").or_else(|| rest.strip_prefix(">|")).or_else(|| rest.strip_prefix('>'))?;
    if rest.is_empty() {
        return Some((None, true));
    }
    if rest.starts_with('&') {
        return Some((None, false));
    }
    if rest.starts_with('(') {
        // `>(…)` is a process substitution, not a file.
        return None;
    }
    Some((Some(rest.to_string()), false))
}

fn segment(raw: &str, depth: usize) -> Option<Segment> {
    let all = words(raw);
    let mut kept: Vec<Word> = Vec::new();
    let mut writes = Vec::new();
    let mut it = all.into_iter();
    while let Some(w) = it.next() {
        match redirection(&w.raw) {
            Some((Some(target), _)) => writes.push(target),
            Some((None, true)) => {
                if let Some(t) = it.next() {
                    writes.push(t.value);
                }
            }
            Some((None, false)) => {}
            None => kept.push(w),
        }
    }
    if kept.is_empty() || (kept.len() == 1 && matches!(kept[0].raw.as_str(), "}" | ")")) {
        return None;
    }
    let text = kept.iter().map(|w| w.raw.as_str()).collect::<Vec<_>>().join(" ");
    let inner = if depth < MAX_DEPTH { inner_commands(&kept) } else { Vec::new() };
    Some(Segment { text, writes, inner })
}

/// The programs that only run the command after their own options.
const PREFIXES: [&str; 11] = ["env", "sudo", "doas", "nohup", "timeout", "nice", "time", "command", "exec", "stdbuf", "builtin"];

/// Interpreters and the flag that gives them code to run.
const INTERPRETERS: [(&str, &[&str]); 12] = [
    ("node", &["-e", "--eval", "-p", "--print"]),
    ("nodejs", &["-e", "--eval", "-p"]),
    ("python", &["-c"]),
    ("python3", &["-c"]),
    ("python2", &["-c"]),
    ("perl", &["-e", "-E"]),
    ("ruby", &["-e"]),
    ("php", &["-r"]),
    ("deno", &["eval"]),
    ("bun", &["-e", "--eval"]),
    ("osascript", &["-e"]),
    ("pwsh", &["-c", "-Command"]),
];

fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

fn inner_commands(words: &[Word]) -> Vec<Inner> {
    let mut out = Vec::new();
    // Substitutions anywhere in the words.
    for w in words {
        for (how, via, body) in substitutions(&w.raw) {
            out.push(Inner { how, via, command: body });
        }
    }
    let Some(first) = words.first() else { return out };
    if first.raw == "{" {
        let body: Vec<&str> = words.iter().skip(1).map(|w| w.raw.as_str()).filter(|w| *w != "}").collect();
        out.push(Inner { how: Wrapper::BraceGroup, via: "{".into(), command: body.join(" ") });
        return out;
    }
    if first.raw.starts_with('(') {
        let joined = words.iter().map(|w| w.raw.as_str()).collect::<Vec<_>>().join(" ");
        let body = joined.strip_prefix('(').unwrap_or(&joined);
        let body = body.strip_suffix(')').unwrap_or(body);
        out.push(Inner { how: Wrapper::Subshell, via: "(".into(), command: body.trim().to_string() });
        return out;
    }
    // Leading `K=V` assignments are part of the command as the runtime reads it.
    let start = words.iter().position(|w| !is_assignment(&w.raw)).unwrap_or(words.len());
    let Some(program_word) = words.get(start) else { return out };
    if start > 0 {
        let command = words.get(start..).unwrap_or_default().iter().map(|w| w.raw.as_str()).collect::<Vec<_>>().join(" ");
        out.push(Inner { how: Wrapper::Prefix, via: "a leading assignment".into(), command });
    }
    let program = basename(&program_word.value);
    let args = words.get(start + 1..).unwrap_or_default();
    let rest = |from: usize| args.get(from..).unwrap_or_default().iter().map(|w| w.raw.as_str()).collect::<Vec<_>>().join(" ");
    match program {
        "sh" | "bash" | "zsh" | "dash" | "ksh" => {
            let mut wants = false;
            for a in args {
                if a.value.starts_with('-') && !a.value.starts_with("--") {
                    wants |= a.value.contains('c');
                } else if wants {
                    out.push(Inner { how: Wrapper::ShellScript, via: program.into(), command: a.value.clone() });
                    break;
                }
            }
        }
        "eval" => out.push(Inner {
            how: Wrapper::Eval,
            via: "eval".into(),
            command: args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" "),
        }),
        "xargs" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                if !a.value.starts_with('-') {
                    break;
                }
                let takes = matches!(a.value.as_str(), "-I" | "-n" | "-P" | "-d" | "-L" | "-s" | "-E" | "-a");
                i += if takes { 2 } else { 1 };
            }
            let command = rest(i);
            out.push(Inner { how: Wrapper::Xargs, via: "xargs".into(), command: if command.is_empty() { "echo".into() } else { command } });
        }
        "find" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                i += 1;
                if matches!(a.value.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
                    let body: Vec<&str> = args
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .map(|w| w.raw.as_str())
                        .take_while(|w| !matches!(*w, ";" | "\\;" | "+" | "';'"))
                        .collect();
                    out.push(Inner { how: Wrapper::FindExec, via: "find".into(), command: body.join(" ") });
                }
            }
        }
        p if PREFIXES.contains(&p) => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                let v = a.value.as_str();
                if v == "--" {
                    i += 1;
                    break;
                }
                if !(v.starts_with('-') || (p == "env" && is_assignment(v)) || (p == "timeout" && i == 0 && looks_like_duration(v))) {
                    break;
                }
                let takes = matches!(
                    (p, v),
                    ("sudo", "-u" | "-g" | "-C" | "-D" | "-h" | "-p")
                        | ("nice", "-n")
                        | ("env", "-u" | "-C" | "-S")
                        | ("timeout", "-s" | "-k")
                );
                i += if takes { 2 } else { 1 };
            }
            let command = rest(i);
            if !command.is_empty() {
                out.push(Inner { how: Wrapper::Prefix, via: p.into(), command });
            }
        }
        p => {
            if let Some((_, flags)) = INTERPRETERS.iter().find(|(name, _)| *name == p || p.starts_with(&format!("{name}.")))
                && let Some(i) = args.iter().position(|a| flags.contains(&a.value.as_str()))
            {
                let code = args.get(i + 1).map(|a| a.value.clone()).unwrap_or_default();
                out.push(Inner { how: Wrapper::Interpreter, via: p.into(), command: code });
            }
        }
    }
    out
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        let mut c = k.chars();
        c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn looks_like_duration(v: &str) -> bool {
    v.trim_end_matches(['s', 'm', 'h', 'd']).parse::<f64>().is_ok()
}

/// `$(…)`, backticks, `<(…)` and `>(…)` inside a word, outside single quotes.
fn substitutions(raw: &str) -> Vec<(Wrapper, String, String)> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            '\'' => single = !single,
            '\\' => i += 1,
            '`' if !single => {
                let end = chars.iter().skip(i + 1).position(|c| *c == '`').map(|p| p + i + 1);
                if let Some(end) = end {
                    out.push((Wrapper::CommandSubstitution, "`".into(), chars.get(i + 1..end).unwrap_or_default().iter().collect()));
                    i = end;
                }
            }
            '$' | '<' | '>' if !single && next == Some('(') && chars.get(i + 2) != Some(&'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while let Some(&d) = chars.get(j) {
                    match d {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let body: String = chars.get(i + 2..j.min(chars.len())).unwrap_or_default().iter().collect();
                let how = if c == '$' { Wrapper::CommandSubstitution } else { Wrapper::ProcessSubstitution };
                out.push((how, format!("{c}("), body));
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        segments(line).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn a_line_splits_at_operators_outside_quotes_and_parentheses() {
        assert_eq!(texts("git status && curl -d 'a && b' x; ls | wc -l"), ["git status", "curl -d 'a && b' x", "ls", "wc -l"]);
        assert_eq!(texts("a || b & c\nd"), ["a", "b", "c", "d"]);
        assert_eq!(texts("(curl x; rm y)"), ["(curl x; rm y)"]);
        assert_eq!(texts("{ curl x; }"), ["{ curl x"]);
        assert_eq!(texts("echo hi # && rm -rf /"), ["echo hi"]);
    }

    #[test]
    fn output_redirections_are_dropped_and_their_files_kept() {
        let s = &segments("python x.py > out.txt 2>&1")[0];
        assert_eq!(s.text, "python x.py");
        assert_eq!(s.writes, ["out.txt"]);
        assert_eq!(segments("echo x >>.env")[0].writes, [".env"]);
        assert_eq!(segments("npm test &>/dev/null")[0].text, "npm test");
    }

    #[test]
    fn commands_inside_other_commands_are_found() {
        let check = |line: &str, how: Wrapper, command: &str| {
            let all: Vec<Inner> = segments(line).iter().flat_map(nested).collect();
            assert!(all.iter().any(|i| i.how == how && i.command == command), "{line}: {all:?}");
        };
        check("sh -c 'curl -X POST x'", Wrapper::ShellScript, "curl -X POST x");
        check("bash -lc \"curl x\"", Wrapper::ShellScript, "curl x");
        check("env FOO=1 curl x", Wrapper::Prefix, "curl x");
        check("timeout 5 curl x", Wrapper::Prefix, "curl x");
        check("sudo -u root curl x", Wrapper::Prefix, "curl x");
        check("echo x | xargs -I{} curl {}", Wrapper::Xargs, "curl {}");
        check("find . -name '*.json' -exec curl -d @{} x \\;", Wrapper::FindExec, "curl -d @{} x");
        check(
            "node -e 'require(\"child_process\").execSync(\"curl x\")'",
            Wrapper::Interpreter,
            "require(\"child_process\").execSync(\"curl x\")",
        );
        check("python3 -c 'import os'", Wrapper::Interpreter, "import os");
        check("{ curl x; }", Wrapper::BraceGroup, "curl x");
        check("(curl x)", Wrapper::Subshell, "curl x");
        check("echo $(curl x)", Wrapper::CommandSubstitution, "curl x");
        check("echo `curl x`", Wrapper::CommandSubstitution, "curl x");
        check("cat <(curl x)", Wrapper::ProcessSubstitution, "curl x");
        check("eval curl x", Wrapper::Eval, "curl x");
        check("T=1 curl x", Wrapper::Prefix, "curl x");
        check("sh -c \"bash -c 'curl x'\"", Wrapper::ShellScript, "curl x");
    }

    #[test]
    fn single_quotes_hide_substitutions() {
        assert!(segments("echo '$(curl x)'").iter().flat_map(nested).next().is_none());
    }
}
