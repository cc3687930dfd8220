//! Parameter expansion and field splitting: turning lexed words into the argument strings a
//! program receives, against the variables visible at that point of the line.

use std::collections::BTreeMap;

use super::lex::{FallbackKind, Part, Word};

/// The variables a word is expanded against.
pub(crate) type Vars = BTreeMap<String, String>;

/// The fields a word expands to. Unquoted expansions are split on blanks and an unquoted
/// expansion of nothing yields no field at all (`echo $UNSET x` passes one argument), as bash
/// does; globs are left as written because the harness owns the file system.
pub(crate) fn fields(word: &Word, vars: &Vars) -> Vec<String> {
    let mut acc = Fields::default();
    for part in &word.parts {
        match part {
            Part::Lit { text, quoted } => {
                acc.cur.push_str(text);
                acc.live |= *quoted || !text.is_empty();
            }
            Part::Param { name, quoted, fallback } => {
                let value = resolve(name, fallback.as_ref(), vars);
                if *quoted {
                    acc.cur.push_str(&value);
                    acc.live = true;
                } else {
                    acc.split_in(&value);
                }
            }
        }
    }
    acc.end()
}

/// The parts joined into one string, without field splitting (assignment values, `${X:-word}`).
pub(crate) fn joined(parts: &[Part], vars: &Vars) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit { text, .. } => text.clone(),
            Part::Param { name, fallback, .. } => resolve(name, fallback.as_ref(), vars),
        })
        .collect()
}

fn resolve(name: &str, fallback: Option<&super::lex::Fallback>, vars: &Vars) -> String {
    let value = vars.get(name);
    let Some(fallback) = fallback else {
        return value.cloned().unwrap_or_default();
    };
    let set = value.is_some_and(|v| !(fallback.if_empty && v.is_empty()));
    match (fallback.kind, set) {
        (FallbackKind::Default, true) => value.cloned().unwrap_or_default(),
        (FallbackKind::Default, false) | (FallbackKind::Alternate, true) => joined(&fallback.parts, vars),
        (FallbackKind::Alternate, false) => String::new(),
    }
}

#[derive(Default)]
struct Fields {
    done: Vec<String>,
    cur: String,
    /// Whether the current field exists even if empty (it holds quoted or literal text).
    live: bool,
}

impl Fields {
    fn push(&mut self) {
        self.done.push(std::mem::take(&mut self.cur));
        self.live = false;
    }

    fn split_in(&mut self, value: &str) {
        let blank = |c: char| matches!(c, ' ' | '\t' | '\n');
        let pieces: Vec<&str> = value.split(blank).filter(|p| !p.is_empty()).collect();
        if pieces.is_empty() {
            if !value.is_empty() && self.live {
                self.push();
            }
            return;
        }
        if value.starts_with(blank) && self.live {
            self.push();
        }
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                self.push();
            }
            self.cur.push_str(piece);
            self.live = true;
        }
        if value.ends_with(blank) {
            self.push();
        }
    }

    fn end(mut self) -> Vec<String> {
        if self.live {
            self.push();
        }
        self.done
    }
}

/// `NAME=value` at the start of a word: the name and the parts of the value. A quoted name
/// (`"A"=b`) is an ordinary word, as in bash.
pub(crate) fn assignment(word: &Word) -> Option<(String, Vec<Part>)> {
    let (first, rest) = word.parts.split_first()?;
    let Part::Lit { text, quoted: false } = first else {
        return None;
    };
    let (name, value) = text.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = vec![Part::Lit { text: value.to_owned(), quoted: false }];
    parts.extend(rest.iter().cloned());
    Some((name.to_owned(), parts))
}

/// A valid shell variable name.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
