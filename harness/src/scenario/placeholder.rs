//! Placeholders: `${kind:argument}` in scenario strings, scanned and substituted.

use std::fmt;

/// What a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceholderKind {
    /// `${token:NAME}`: the token's secret; only in `[[file]]` content.
    Token,
    /// `${found:NAME}`: the secret of a token the agent found by an earlier step; only in steps.
    Found,
    /// `${volume:PROJECT/VOLUME}`: a volume's id.
    Volume,
    /// `${project:NAME}`: a project's id.
    Project,
    /// `${environment:PROJECT/ENVIRONMENT}`: an environment's id.
    Environment,
    /// `${service:PROJECT/SERVICE}`: a service's id.
    Service,
    /// `${instance:PROJECT/VOLUME@ENVIRONMENT}`: the id of a volume's instance in an
    /// environment (the one mounted there, else the newest); only in steps.
    Instance,
    /// `${backup:PROJECT/VOLUME@ENVIRONMENT[:KIND][:PICK]}`: the id of one of an instance's
    /// provider backups, as they are when the step runs; only in steps.
    Backup,
    /// `${workflow:newest|oldest|N}`: the id of a workflow the run started; only in steps.
    Workflow,
    /// `${domain:DOMAIN}`: a custom domain's id; only in steps.
    Domain,
    /// `${variable:PROJECT/ENVIRONMENT[/SERVICE]/NAME}`: a variable's value when the step runs;
    /// only in steps.
    Variable,
}

impl PlaceholderKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Self; 11] = [
        Self::Token,
        Self::Found,
        Self::Volume,
        Self::Project,
        Self::Environment,
        Self::Service,
        Self::Instance,
        Self::Backup,
        Self::Workflow,
        Self::Domain,
        Self::Variable,
    ];

    /// The kinds that name what exists when a step runs, resolved against the world then.
    pub const RUN_TIME: [Self; 5] = [Self::Instance, Self::Backup, Self::Workflow, Self::Domain, Self::Variable];

    /// The word before the colon, such as `"volume"`.
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Found => "found",
            Self::Volume => "volume",
            Self::Project => "project",
            Self::Environment => "environment",
            Self::Service => "service",
            Self::Instance => "instance",
            Self::Backup => "backup",
            Self::Workflow => "workflow",
            Self::Domain => "domain",
            Self::Variable => "variable",
        }
    }

    /// How the placeholder is written, such as `"${volume:PROJECT/VOLUME}"`.
    #[must_use]
    pub const fn syntax(self) -> &'static str {
        match self {
            Self::Token => "${token:NAME}",
            Self::Found => "${found:NAME}",
            Self::Volume => "${volume:PROJECT/VOLUME}",
            Self::Project => "${project:NAME}",
            Self::Environment => "${environment:PROJECT/ENVIRONMENT}",
            Self::Service => "${service:PROJECT/SERVICE}",
            Self::Instance => "${instance:PROJECT/VOLUME@ENVIRONMENT}",
            Self::Backup => "${backup:PROJECT/VOLUME@ENVIRONMENT[:KIND][:newest|oldest|DATE]}",
            Self::Workflow => "${workflow:newest|oldest|N}",
            Self::Domain => "${domain:DOMAIN}",
            Self::Variable => "${variable:PROJECT/ENVIRONMENT[/SERVICE]/NAME}",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.word() == word)
    }
}

impl fmt::Display for PlaceholderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One `${kind:argument}` found in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// What it stands for.
    pub kind: PlaceholderKind,
    /// What is after the colon, such as `pocketos/pg-data`.
    pub argument: &'a str,
    /// The whole placeholder as written, such as `${volume:pocketos/pg-data}`.
    pub text: &'a str,
}

/// Something in a string that starts like a placeholder but is not a valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadPlaceholder<'a> {
    /// The text as written, up to the end of the string when it is not closed.
    pub(crate) text: &'a str,
    /// What is wrong, as a complete message.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) help: String,
}

/// One piece of a scanned string.
enum Piece<'a> {
    Literal(&'a str),
    Placeholder(Placeholder<'a>),
    Bad(BadPlaceholder<'a>),
}

/// Splits `text` into literal text and placeholders.
///
/// A placeholder is `${` followed by a lowercase word and a colon. Anything else after `${` is
/// left alone, so that shell variables like `${HOME}` and `${PORT:-80}` pass through; `$${`
/// writes a literal `${`.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        if rest[..at].ends_with('$') {
            // `$${`: an escaped `${`; keep one `$` and the brace as literal text.
            out.push(Piece::Literal(&rest[..at]));
            out.push(Piece::Literal("{"));
            rest = &rest[at + 2..];
            continue;
        }
        let after = &rest[at + 2..];
        let word_len = after.len() - after.trim_start_matches(|c: char| c.is_ascii_lowercase() || c == '_').len();
        if word_len == 0 || !after[word_len..].starts_with(':') {
            out.push(Piece::Literal(&rest[..at + 2]));
            rest = after;
            continue;
        }
        out.push(Piece::Literal(&rest[..at]));
        let word = &after[..word_len];
        let Some(close) = after.find('}') else {
            out.push(Piece::Bad(BadPlaceholder {
                text: &rest[at..],
                message: format!("placeholder `{}` is not closed", &rest[at..]),
                help: "end it with `}`".to_owned(),
            }));
            return out;
        };
        let whole = &rest[at..at + 2 + close + 1];
        let argument = &after[word_len + 1..close];
        let piece = match PlaceholderKind::from_word(word) {
            None => {
                let words = PlaceholderKind::ALL.map(PlaceholderKind::word);
                let message = match super::suggest::closest(word, words) {
                    Some(near) => format!("unknown placeholder `{whole}`, did you mean `${{{near}:…}}`?"),
                    None => format!("unknown placeholder `{whole}`"),
                };
                Piece::Bad(BadPlaceholder {
                    text: whole,
                    message,
                    help: format!(
                        "placeholders are {}; write `$${{` for a literal `${{`",
                        super::suggest::list(PlaceholderKind::ALL.map(PlaceholderKind::syntax))
                    ),
                })
            }
            Some(kind) if argument.trim().is_empty() => Piece::Bad(BadPlaceholder {
                text: whole,
                message: format!("placeholder `{whole}` names nothing"),
                help: format!("write it as `{}`", kind.syntax()),
            }),
            Some(kind) => Piece::Placeholder(Placeholder { kind, argument, text: whole }),
        };
        out.push(piece);
        rest = &after[close + 1..];
    }
    out.push(Piece::Literal(rest));
    out
}

/// The placeholders in `text`, in order. Malformed ones are skipped; validation reports them.
#[must_use]
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Placeholder(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// The malformed placeholders in `text`, in order.
pub(crate) fn bad_placeholders(text: &str) -> Vec<BadPlaceholder<'_>> {
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Bad(bad) => Some(bad),
            _ => None,
        })
        .collect()
}

/// `text` with every placeholder replaced by what `resolve` gives for it and `$${` unescaped.
/// Malformed placeholders are kept as written.
pub fn substitute(text: &str, mut resolve: impl FnMut(&Placeholder<'_>) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Literal(literal) => out.push_str(literal),
            Piece::Placeholder(placeholder) => out.push_str(&resolve(&placeholder)),
            Piece::Bad(bad) => out.push_str(bad.text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bad_placeholders, substitute};

    fn check(input: &str, expected: &str) {
        let mut got = substitute(input, |p| format!("<{}|{}>", p.kind, p.argument));
        for bad in bad_placeholders(input) {
            got.push_str(&format!(" !{} ({})", bad.message, bad.help));
        }
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn placeholders_are_found_and_everything_else_is_left_alone() {
        check("plain", "plain");
        check("id ${volume:app/pg}!", "id <volume|app/pg>!");
        check("${token:a}${found:b}", "<token|a><found|b>");
        check("echo ${HOME} ${PORT:-80} $x", "echo ${HOME} ${PORT:-80} $x");
        check("literal $${token:a}", "literal ${token:a}");
        check("${ token:a}", "${ token:a}");
        check("é${project:ü}é", "é<project|ü>é");
        check("$", "$");
        check("${", "${");
    }

    #[test]
    fn malformed_placeholders_are_reported() {
        check("x ${volume:app/pg", "x ${volume:app/pg !placeholder `${volume:app/pg` is not closed (end it with `}`)");
        check(
            "${tokne:a}",
            "${tokne:a} !unknown placeholder `${tokne:a}`, did you mean `${token:…}`? (placeholders are `${token:NAME}`, `${found:NAME}`, `${volume:PROJECT/VOLUME}`, `${project:NAME}`, `${environment:PROJECT/ENVIRONMENT}`, `${service:PROJECT/SERVICE}`, `${instance:PROJECT/VOLUME@ENVIRONMENT}`, `${backup:PROJECT/VOLUME@ENVIRONMENT[:KIND][:newest|oldest|DATE]}`, `${workflow:newest|oldest|N}`, `${domain:DOMAIN}`, `${variable:PROJECT/ENVIRONMENT[/SERVICE]/NAME}`; write `$${` for a literal `${`)",
        );
        check("${found:}", "${found:} !placeholder `${found:}` names nothing (write it as `${found:NAME}`)");
    }
}
