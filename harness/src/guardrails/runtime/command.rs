//! Claude Code's Bash rule specifiers: an exact command, the legacy `prefix:*`, and `*`
//! wildcards anywhere, with the word boundary a space before `*` demands.

use serde::{Deserialize, Serialize};

/// How the legacy `prefix:*` form treats the end of its prefix. Claude Code's behaviour changed
/// across versions; a drill names the one it simulates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrefixBoundary {
    /// Current documentation: `Bash(npm run test:*)` matches `npm run test` and
    /// `npm run test --watch`, not `npm run testing`.
    #[default]
    WordBoundary,
    /// Earlier releases: a plain string prefix, so `Bash(rm:*)` also matched `rmdir`.
    PlainPrefix,
}

impl PrefixBoundary {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "word-boundary" => Some(PrefixBoundary::WordBoundary),
            "plain-prefix" => Some(PrefixBoundary::PlainPrefix),
            _ => None,
        }
    }
}

/// A Bash specifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandPattern {
    /// Any command (`Bash`, `Bash(*)`).
    Any,
    /// The whole command, exactly.
    Exact(String),
    /// Legacy `prefix:*`.
    Prefix(String),
    /// `*` anywhere; literal pieces between the stars, and whether the pattern ends in ` *`
    /// (which also matches the bare command before it, `Bash(ls *)` matching `ls`).
    Wildcard { pieces: Vec<String>, leading_star: bool, trailing_star: bool },
}

impl CommandPattern {
    /// The pattern a specifier writes.
    pub fn parse(spec: &str) -> CommandPattern {
        if spec == "*" {
            return CommandPattern::Any;
        }
        if let Some(prefix) = spec.strip_suffix(":*")
            && !has_unescaped_star(prefix)
        {
            return CommandPattern::Prefix(unescape(prefix));
        }
        if !has_unescaped_star(spec) {
            return CommandPattern::Exact(unescape(spec));
        }
        let mut pieces = vec![String::new()];
        let mut chars = spec.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if matches!(chars.peek(), Some('*' | '\\')) => {
                    if let (Some(next), Some(last)) = (chars.next(), pieces.last_mut()) {
                        last.push(next);
                    }
                }
                '*' => pieces.push(String::new()),
                c => {
                    if let Some(last) = pieces.last_mut() {
                        last.push(c);
                    }
                }
            }
        }
        let leading_star = pieces.first().is_some_and(String::is_empty);
        let trailing_star = pieces.last().is_some_and(String::is_empty);
        CommandPattern::Wildcard { pieces: pieces.into_iter().filter(|p| !p.is_empty()).collect(), leading_star, trailing_star }
    }

    /// The first byte every command this pattern matches starts with, if there is one: an
    /// exact command's, a prefix's, a wildcard's first literal piece when no star leads (its
    /// trailing spaces aside, as the bare form of `ls *` drops them), under either boundary.
    pub fn lead(&self) -> Option<u8> {
        match self {
            CommandPattern::Any => None,
            CommandPattern::Exact(s) | CommandPattern::Prefix(s) => s.bytes().next(),
            CommandPattern::Wildcard { pieces, leading_star: false, .. } => pieces.first().and_then(|p| p.trim_end().bytes().next()),
            CommandPattern::Wildcard { .. } => None,
        }
    }

    /// Whether `command` (one subcommand, trimmed) matches.
    pub fn matches(&self, command: &str, boundary: PrefixBoundary) -> bool {
        match self {
            CommandPattern::Any => true,
            CommandPattern::Exact(exact) => command == exact,
            CommandPattern::Prefix(prefix) => match boundary {
                PrefixBoundary::PlainPrefix => command.starts_with(prefix.as_str()),
                // The boundary is a word's end: after `npm run test` a space must follow, after
                // `https://site.com/` anything may.
                PrefixBoundary::WordBoundary => {
                    let ends_in_word = prefix.chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
                    command == prefix
                        || command.strip_prefix(prefix.as_str()).is_some_and(|rest| !ends_in_word || rest.starts_with([' ', '\t']))
                }
            },
            CommandPattern::Wildcard { pieces, leading_star, trailing_star } => {
                // `ls *` also matches the bare `ls`: the space before a final star is the word
                // boundary, and no arguments is still the `ls` command (the last piece trimmed,
                // with no star after it).
                wildcard(pieces, *leading_star, *trailing_star, false, command)
                    || (*trailing_star
                        && pieces.last().is_some_and(|last| last.ends_with(' '))
                        && wildcard(pieces, *leading_star, false, true, command))
            }
        }
    }
}

fn has_unescaped_star(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '*') => return true,
            _ => escaped = false,
        }
    }
    false
}

fn unescape(s: &str) -> String {
    s.replace("\\*", "*").replace("\\\\", "\\")
}

/// Pieces in order, each found after the previous, anchored at both ends unless a star stands
/// there; with `trim_last`, the last piece without its trailing spaces.
fn wildcard(pieces: &[String], leading_star: bool, trailing_star: bool, trim_last: bool, text: &str) -> bool {
    let mut rest = text;
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        let piece = if last && trim_last { piece.trim_end() } else { piece.as_str() };
        if i == 0 && !leading_star {
            let Some(after) = rest.strip_prefix(piece) else { return false };
            rest = after;
            if last && !trailing_star {
                return rest.is_empty();
            }
            continue;
        }
        if last && !trailing_star {
            return rest.len() >= piece.len() && rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = rest.get(at + piece.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    pieces.is_empty() || trailing_star || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(spec: &str, command: &str, expected: bool) {
        let p = CommandPattern::parse(spec);
        assert_eq!(p.matches(command, PrefixBoundary::WordBoundary), expected, "Bash({spec}) vs `{command}`: {p:?}");
    }

    #[test]
    fn exact_prefix_and_wildcard_rules_match_as_documented() {
        for (spec, command, expected) in [
            ("npm run build", "npm run build", true),
            ("npm run build", "npm run build --prod", false),
            ("npm run test:*", "npm run test", true),
            ("npm run test:*", "npm run test --watch", true),
            ("npm run test:*", "npm run testing", false),
            ("curl:*", "curl -X POST https://backboard.railway.app/graphql/v2", true),
            ("curl:*", "curlie x", false),
            ("git * main", "git push origin main", true),
            ("git * main", "git push origin main2", false),
            ("git * main", "git main", false),
            ("ls *", "ls -la", true),
            ("ls *", "ls", true),
            ("ls *", "lsof -i", false),
            ("ls*", "lsof -i", true),
            ("ls*", "ls", true),
            ("*", "anything at all", true),
            ("* --version", "node --version", true),
            ("* --version", "node --help", false),
            ("rm -rf *", "rm -rf /", true),
            ("echo \\*", "echo *", true),
            ("echo \\*", "echo x", false),
            (" curl:*", "curl x", false),
            ("npm:* run", "npm:x run", true),
            ("npm:* run", "npm x run", false),
        ] {
            check(spec, command, expected);
        }
    }

    #[test]
    fn the_legacy_prefix_had_no_word_boundary_in_earlier_releases() {
        let p = CommandPattern::parse("rm:*");
        assert!(!p.matches("rmdir x", PrefixBoundary::WordBoundary));
        assert!(p.matches("rmdir x", PrefixBoundary::PlainPrefix));
        assert!(p.matches("rm -rf x", PrefixBoundary::PlainPrefix));
    }
}
