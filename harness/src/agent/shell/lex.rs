//! Splitting a command line into simple commands and words, the way a POSIX shell reads it.
//!
//! Why this shape: expansion cannot happen here, because `export T=x; curl -H "$T" …` must see
//! the value the first command set. So a word keeps its parts (literal text, quoted or not, and
//! parameter references) and `expand` turns them into fields later, against the running
//! environment. Things the interpreter will not model (command substitution, here-documents)
//! are remembered as an issue on their command instead of failing the whole line.

/// One piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text; `quoted` text is never split into fields and always makes a field exist.
    Lit { text: String, quoted: bool },
    /// `$NAME` or `${NAME…}`; unquoted values are split on blanks, as bash does.
    Param { name: String, quoted: bool, fallback: Option<Fallback> },
}

/// The `${NAME:-word}` family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fallback {
    pub(crate) kind: FallbackKind,
    /// With a colon (`:-`, `:+`) an empty value counts as unset.
    pub(crate) if_empty: bool,
    pub(crate) parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FallbackKind {
    /// `${NAME-word}` and `${NAME=word}`: the word when the name is unset.
    Default,
    /// `${NAME+word}`: the word when the name is set.
    Alternate,
}

/// One shell word before expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) parts: Vec<Part>,
}

impl Word {
    /// The word's literal text with references left as written; used to name a program in a
    /// message when the command cannot be expanded.
    pub(crate) fn raw(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit { text, .. } => text.clone(),
                Part::Param { name, .. } => format!("${name}"),
            })
            .collect()
    }
}

/// Why a simple command cannot be interpreted as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Issue {
    /// The shell itself would reject it.
    Invalid(String),
    /// Valid shell the interpreter does not model.
    NotModelled(String),
}

/// One simple command: the words between operators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawCommand {
    pub(crate) words: Vec<Word>,
    pub(crate) issue: Option<Issue>,
    /// Whether its standard input is the previous command's output (`a | b`).
    pub(crate) after_pipe: bool,
}

/// Deeper `${a:-${b:-…}}` nesting than any real command line; bounds the recursion.
const MAX_DEPTH: usize = 16;

/// Splits `line` into simple commands, in order.
pub(crate) fn split(line: &str) -> Vec<RawCommand> {
    let mut lexer = Lexer { chars: line.chars().collect(), pos: 0, issue: None };
    lexer.commands()
}

/// A reason the rest of the line cannot be read at all (an unbalanced quote).
struct Fatal(String);

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    /// The first issue met in the current command.
    issue: Option<Issue>,
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r')
}

fn ends_word(c: char) -> bool {
    is_blank(c) || matches!(c, '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn note(&mut self, issue: Issue) {
        self.issue.get_or_insert(issue);
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    fn commands(&mut self) -> Vec<RawCommand> {
        let mut out = Vec::new();
        let mut cur = RawCommand::default();
        // The operator that still needs a command after it (`a &&` at the end is incomplete).
        let mut pending: Option<&'static str> = None;
        loop {
            self.skip_blanks();
            if let Some(issue) = self.issue.take() {
                cur.issue.get_or_insert(issue);
            }
            let Some(c) = self.peek() else { break };
            match c {
                '\n' | ';' | '(' | ')' => {
                    // Subshells and groups are flattened: their commands still run, in order.
                    self.pos += 1;
                    Self::finish(&mut out, &mut cur, false);
                    pending = None;
                }
                '&' if self.peek_at(1) == Some('&') => {
                    self.pos += 2;
                    pending = Some("&&");
                    Self::operator(&mut out, &mut cur, "&&", false);
                }
                '&' if self.peek_at(1) == Some('>') => self.redirect(),
                '&' => {
                    self.pos += 1;
                    Self::finish(&mut out, &mut cur, false);
                    pending = None;
                }
                '|' if self.peek_at(1) == Some('|') => {
                    self.pos += 2;
                    pending = Some("||");
                    Self::operator(&mut out, &mut cur, "||", false);
                }
                '|' => {
                    self.pos += 1;
                    if self.peek() == Some('&') {
                        self.pos += 1;
                    }
                    pending = Some("|");
                    Self::operator(&mut out, &mut cur, "|", true);
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '<' | '>' => self.redirect(),
                c if c.is_ascii_digit() && self.digits_then_redirect() => self.redirect(),
                _ => match self.word(&|c| ends_word(c), false, 0) {
                    Ok(parts) => {
                        cur.words.push(Word { parts });
                        pending = None;
                    }
                    Err(Fatal(reason)) => {
                        cur.issue = Some(Issue::Invalid(reason));
                        out.push(cur);
                        return out;
                    }
                },
            }
        }
        if let Some(issue) = self.issue.take() {
            cur.issue.get_or_insert(issue);
        }
        if !cur.words.is_empty() || cur.issue.is_some() {
            out.push(cur);
        } else if let Some(op) = pending {
            out.push(RawCommand { issue: Some(Issue::Invalid(format!("command line ends with `{op}`"))), ..RawCommand::default() });
        }
        out
    }

    fn finish(out: &mut Vec<RawCommand>, cur: &mut RawCommand, next_after_pipe: bool) {
        let done = std::mem::take(cur);
        cur.after_pipe = next_after_pipe;
        if !done.words.is_empty() || done.issue.is_some() {
            out.push(done);
        }
    }

    fn operator(out: &mut Vec<RawCommand>, cur: &mut RawCommand, op: &str, pipe: bool) {
        if cur.words.is_empty() && cur.issue.is_none() {
            cur.issue = Some(Issue::Invalid(format!("syntax error near `{op}`")));
        }
        Self::finish(out, cur, pipe);
    }

    /// `2>`, `10<`: a file descriptor number glued to a redirection.
    fn digits_then_redirect(&self) -> bool {
        let mut i = self.pos;
        while self.chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        matches!(self.chars.get(i), Some('<' | '>'))
    }

    /// Reads a redirection and its target and drops them: the interpreter does not model
    /// where output goes, only what each program does.
    fn redirect(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let mut needs_target = true;
        match self.bump() {
            Some('&') => {
                // `&>` and `&>>`.
                self.bump();
                if self.peek() == Some('>') {
                    self.pos += 1;
                }
            }
            Some('<') => match self.peek() {
                Some('<') if self.peek_at(1) == Some('<') => self.pos += 2,
                Some('<') => {
                    self.pos += 1;
                    self.note(Issue::NotModelled("here-documents are not modelled".into()));
                }
                Some('(') => {
                    if let Err(Fatal(reason)) = self.substitution(self.pos - 1, "process substitution `<(…)` is not modelled") {
                        self.note(Issue::Invalid(reason));
                    }
                    needs_target = false;
                }
                Some('&' | '>') => self.pos += 1,
                _ => {}
            },
            Some('>') => match self.peek() {
                Some('>' | '|') => self.pos += 1,
                Some('&') => {
                    self.pos += 1;
                    if self.peek().is_some_and(|c| c.is_ascii_digit() || c == '-') {
                        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '-') {
                            self.pos += 1;
                        }
                        needs_target = false;
                    }
                }
                Some('(') => {
                    if let Err(Fatal(reason)) = self.substitution(self.pos - 1, "process substitution `>(…)` is not modelled") {
                        self.note(Issue::Invalid(reason));
                    }
                    needs_target = false;
                }
                _ => {}
            },
            _ => {}
        }
        if !needs_target {
            return;
        }
        self.skip_blanks();
        if self.peek().is_none_or(ends_word) {
            self.note(Issue::Invalid("redirection without a target".into()));
            return;
        }
        if let Err(Fatal(reason)) = self.word(&|c| ends_word(c), false, 0) {
            self.note(Issue::Invalid(reason));
            self.pos = self.chars.len();
        }
    }

    /// Reads word parts until `stop` matches an unquoted character (not consumed).
    fn word(&mut self, stop: &dyn Fn(char) -> bool, quoted_ctx: bool, depth: usize) -> Result<Vec<Part>, Fatal> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            if stop(c) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut parts, &mut lit, quoted_ctx);
                    self.pos += 1;
                    let mut text = String::new();
                    loop {
                        match self.bump() {
                            None => return Err(Fatal("unbalanced single quote".into())),
                            Some('\'') => break,
                            Some(c) => text.push(c),
                        }
                    }
                    parts.push(Part::Lit { text, quoted: true });
                }
                '"' => {
                    flush(&mut parts, &mut lit, quoted_ctx);
                    self.pos += 1;
                    self.double_quoted(&mut parts, depth)?;
                }
                '\\' => {
                    self.pos += 1;
                    match self.bump() {
                        None => lit.push('\\'),
                        Some('\n') => {}
                        Some(c) => lit.push(c),
                    }
                }
                '$' => {
                    flush(&mut parts, &mut lit, quoted_ctx);
                    self.dollar(&mut parts, quoted_ctx, depth)?;
                }
                '`' => {
                    flush(&mut parts, &mut lit, quoted_ctx);
                    parts.push(self.backticks()?);
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut parts, &mut lit, quoted_ctx);
        Ok(parts)
    }

    /// After the opening `"`: reads to the closing one.
    fn double_quoted(&mut self, parts: &mut Vec<Part>, depth: usize) -> Result<(), Fatal> {
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(Fatal("unbalanced double quote".into())),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            self.pos += 1;
                            text.push(c);
                        }
                        Some('\n') => self.pos += 1,
                        _ => text.push('\\'),
                    }
                }
                Some('$') => {
                    flush_quoted(parts, &mut text);
                    self.dollar(parts, true, depth)?;
                }
                Some('`') => {
                    flush_quoted(parts, &mut text);
                    parts.push(self.backticks()?);
                }
                Some(c) => {
                    self.pos += 1;
                    text.push(c);
                }
            }
        }
        // `""` is an empty argument, so the quoted part is kept even when empty.
        parts.push(Part::Lit { text, quoted: true });
        Ok(())
    }

    /// At a `$`.
    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool, depth: usize) -> Result<(), Fatal> {
        self.pos += 1;
        match self.peek() {
            Some('\'') if !quoted => {
                self.pos += 1;
                let text = self.ansi_c()?;
                parts.push(Part::Lit { text, quoted: true });
            }
            // `$"…"` is bash's translated string: without a catalogue it is a plain `"…"`.
            Some('"') if !quoted => {}
            Some('{') => self.braced(parts, quoted, depth)?,
            Some('(') => {
                let what = if self.peek_at(1) == Some('(') {
                    "arithmetic expansion `$((…))` is not modelled"
                } else {
                    "command substitution `$(…)` is not modelled"
                };
                parts.push(self.substitution(self.pos - 1, what)?);
            }
            Some(c) if is_name_start(c) => {
                let name = self.name();
                parts.push(Part::Param { name, quoted, fallback: None });
            }
            Some(c) if c.is_ascii_digit() || "?$!#*@-".contains(c) => {
                // Positional and special parameters have no value in a one-line simulation.
                self.pos += 1;
                parts.push(Part::Param { name: c.to_string(), quoted, fallback: None });
            }
            _ => parts.push(Part::Lit { text: "$".into(), quoted }),
        }
        Ok(())
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
            name.push(c);
            self.pos += 1;
        }
        name
    }

    /// At the `{` of `${…}`.
    fn braced(&mut self, parts: &mut Vec<Part>, quoted: bool, depth: usize) -> Result<(), Fatal> {
        if depth >= MAX_DEPTH {
            return Err(Fatal("parameter expansion nested too deeply".into()));
        }
        let start = self.pos - 1;
        self.pos += 1;
        let special = matches!(self.peek(), Some('#' | '?' | '$' | '!' | '*' | '@' | '-'));
        let name = match self.peek() {
            Some(c) if is_name_start(c) => self.name(),
            Some(c) if c.is_ascii_digit() => {
                let mut digits = String::new();
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    digits.push(d);
                    self.pos += 1;
                }
                digits
            }
            _ => String::new(),
        };
        let op = (self.peek(), self.peek_at(1));
        let fallback = match op {
            (Some('}'), _) if !name.is_empty() => {
                self.pos += 1;
                None
            }
            (Some(':'), Some(k @ ('-' | '=' | '+'))) | (Some(k @ ('-' | '=' | '+')), _) if !name.is_empty() => {
                let if_empty = op.0 == Some(':');
                self.pos += if if_empty { 2 } else { 1 };
                let kind = if k == '+' { FallbackKind::Alternate } else { FallbackKind::Default };
                let inner = self.word(&|c| c == '}', quoted, depth + 1)?;
                if self.bump() != Some('}') {
                    return Err(Fatal("unbalanced `${`".into()));
                }
                Some(Fallback { kind, if_empty, parts: inner })
            }
            _ => {
                let raw = self.skip_braces(start)?;
                self.note(if name.is_empty() && !special {
                    Issue::Invalid(format!("bad substitution `{raw}`"))
                } else {
                    Issue::NotModelled(format!("parameter expansion `{raw}` is not modelled"))
                });
                parts.push(Part::Lit { text: raw, quoted });
                return Ok(());
            }
        };
        parts.push(Part::Param { name, quoted, fallback });
        Ok(())
    }

    /// Skips to the `}` closing the `${` at `start`; returns the text from `start`.
    fn skip_braces(&mut self, start: usize) -> Result<String, Fatal> {
        let mut open = 1usize;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '{' => open += 1,
                '}' => {
                    open -= 1;
                    if open == 0 {
                        return Ok(self.text_from(start));
                    }
                }
                _ => {}
            }
        }
        Err(Fatal("unbalanced `${`".into()))
    }

    fn text_from(&self, start: usize) -> String {
        self.chars.get(start..self.pos).unwrap_or_default().iter().collect()
    }

    /// At the `(` of `$(`, `<(` or `>(` (whose first character is at `start`): skips to the
    /// matching `)` and notes that it is not modelled. The text stays as a literal so a message
    /// can name it.
    fn substitution(&mut self, start: usize, what: &str) -> Result<Part, Fatal> {
        self.pos += 1;
        let mut open = 1usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.bump() {
            match (quote, c) {
                (Some('\''), '\'') | (Some('"'), '"') => quote = None,
                (Some('\''), _) => {}
                (_, '\\') => {
                    self.bump();
                }
                (None, '\'' | '"') => quote = Some(c),
                (None, '(') => open += 1,
                (None, ')') => {
                    open -= 1;
                    if open == 0 {
                        self.note(Issue::NotModelled(what.into()));
                        return Ok(Part::Lit { text: self.text_from(start), quoted: false });
                    }
                }
                _ => {}
            }
        }
        Err(Fatal("unbalanced `$(`".into()))
    }

    /// At a backtick: the old command substitution form.
    fn backticks(&mut self) -> Result<Part, Fatal> {
        let start = self.pos;
        self.pos += 1;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '`' => {
                    self.note(Issue::NotModelled("command substitution with backticks is not modelled".into()));
                    return Ok(Part::Lit { text: self.text_from(start), quoted: false });
                }
                _ => {}
            }
        }
        Err(Fatal("unbalanced backtick".into()))
    }

    /// After the `$'`: bash's ANSI-C quoting, with the common escapes.
    fn ansi_c(&mut self) -> Result<String, Fatal> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Fatal("unbalanced single quote".into())),
                Some('\'') => return Ok(text),
                Some('\\') => match self.bump() {
                    None => return Err(Fatal("unbalanced single quote".into())),
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some('r') => text.push('\r'),
                    Some('e' | 'E') => text.push('\u{1b}'),
                    Some('0') => text.push('\0'),
                    Some(c) if "\\'\"?".contains(c) => text.push(c),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                },
                Some(c) => text.push(c),
            }
        }
    }
}

fn flush(parts: &mut Vec<Part>, lit: &mut String, quoted: bool) {
    if !lit.is_empty() {
        parts.push(Part::Lit { text: std::mem::take(lit), quoted });
    }
}

fn flush_quoted(parts: &mut Vec<Part>, text: &mut String) {
    flush(parts, text, true);
}
