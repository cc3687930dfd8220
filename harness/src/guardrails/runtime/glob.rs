//! Gitignore-style path globs, as Claude Code's `Read(...)`/`Edit(...)` rules, Cursor's CLI
//! `Read(...)`/`Write(...)` rules and `.cursorignore` use them: `*` within a path segment, `**`
//! across segments, `?` one character, `[abc]` a class; a pattern without a slash matches at any
//! depth; a pattern naming a directory covers everything under it.

/// Whether the absolute, normalized `path` matches the absolute `pattern`.
pub fn matches(pattern: &str, path: &str) -> bool {
    Glob::new(pattern).matches(path)
}

/// A pattern compiled once, when its rule is read: its segments, each a literal (compared as a
/// string) or a glob of characters, so matching a path allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    /// The absolute pattern.
    pub text: String,
    segs: Vec<Seg>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    /// `**`: any number of segments.
    AnyDepth,
    /// No `*`, `?`, `[` or `\`: matches itself only.
    Literal(String),
    Pattern(Vec<char>),
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let segs = pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s {
                "**" => Seg::AnyDepth,
                s if !s.contains(['*', '?', '[', '\\']) => Seg::Literal(s.to_string()),
                s => Seg::Pattern(s.chars().collect()),
            })
            .collect();
        Glob { text: pattern.to_string(), segs }
    }

    /// Whether the absolute, normalized `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        // `dir` and `dir/` cover what is under the directory, as in gitignore: the pattern
        // matches when it matches any leading run of the path's segments (the pattern with
        // `/**` appended).
        prefix(&self.segs, path)
    }
}

/// Whether `pat` matches a leading run of the segments of `path` (empty segments skipped).
fn prefix(pat: &[Seg], path: &str) -> bool {
    let path = path.trim_start_matches('/');
    match pat.split_first() {
        None => true,
        Some((Seg::AnyDepth, rest)) => {
            let mut p = path;
            loop {
                if prefix(rest, p) {
                    return true;
                }
                if p.is_empty() {
                    return false;
                }
                p = p.split_once('/').map_or("", |(_, tail)| tail).trim_start_matches('/');
            }
        }
        Some((seg, rest)) => {
            if path.is_empty() {
                return false;
            }
            let (head, tail) = path.split_once('/').unwrap_or((path, ""));
            let hit = match seg {
                Seg::Literal(l) => l == head,
                Seg::Pattern(p) => segment(p, head),
                // Taken by the arm above.
                Seg::AnyDepth => false,
            };
            hit && prefix(rest, tail)
        }
    }
}

/// `base` joined with a gitignore pattern: a pattern with no slash but a trailing one matches at
/// any depth under `base`.
pub fn anchored(base: &str, pattern: &str) -> String {
    let trimmed = pattern.trim_end_matches('/');
    let base = base.trim_end_matches('/');
    if let Some(rest) = trimmed.strip_prefix("./") {
        return format!("{base}/{rest}");
    }
    if trimmed.contains('/') { format!("{base}/{trimmed}") } else { format!("{base}/**/{trimmed}") }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved.
pub fn normalize(cwd: &str, home: &str, path: &str) -> String {
    let joined = if let Some(rest) = path.strip_prefix("~/") {
        format!("{home}/{rest}")
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut out: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// One segment against a glob of characters, walking `text` without copying it.
fn segment(pat: &[char], text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let tail = chars.as_str();
    match pat.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => {
            text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| segment(rest, text.get(i..).unwrap_or_default()))
        }
        Some(('?', rest)) => first.is_some() && segment(rest, tail),
        Some(('[', rest)) => match rest.iter().position(|c| *c == ']') {
            Some(end) if end > 0 => {
                let (class, after) = rest.split_at(end);
                let after = after.get(1..).unwrap_or_default();
                let (negate, class) = match class.split_first() {
                    Some(('!' | '^', c)) => (true, c),
                    _ => (false, class),
                };
                first.is_some_and(|c| in_class(class, c) != negate && segment(after, tail))
            }
            _ => first == Some('[') && segment(rest, tail),
        },
        Some(('\\', rest)) if !rest.is_empty() => {
            first.is_some() && first == rest.first().copied() && segment(rest.get(1..).unwrap_or_default(), tail)
        }
        Some((p, rest)) => first == Some(*p) && segment(rest, tail),
    }
}

fn in_class(class: &[char], c: char) -> bool {
    let mut i = 0;
    while let Some(&lo) = class.get(i) {
        if class.get(i + 1) == Some(&'-')
            && let Some(&hi) = class.get(i + 2)
        {
            if lo <= c && c <= hi {
                return true;
            }
            i += 3;
            continue;
        }
        if lo == c {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The matcher as first written (every call splitting and copying): compiled patterns must
    /// decide exactly as it does.
    fn reference(pattern: &str, path: &str) -> bool {
        fn segments(pat: &[&str], path: &[&str]) -> bool {
            match pat.split_first() {
                None => path.is_empty(),
                Some((&"**", rest)) => (0..=path.len()).any(|i| segments(rest, path.get(i..).unwrap_or_default())),
                Some((first, rest)) => match path.split_first() {
                    Some((seg, tail)) => {
                        chars(&first.chars().collect::<Vec<_>>(), &seg.chars().collect::<Vec<_>>()) && segments(rest, tail)
                    }
                    None => false,
                },
            }
        }
        fn chars(pat: &[char], text: &[char]) -> bool {
            match pat.split_first() {
                None => text.is_empty(),
                Some(('*', rest)) => (0..=text.len()).any(|i| chars(rest, text.get(i..).unwrap_or_default())),
                Some(('?', rest)) => text.split_first().is_some_and(|(_, t)| chars(rest, t)),
                Some(('[', rest)) => match rest.iter().position(|c| *c == ']') {
                    Some(end) if end > 0 => {
                        let (class, after) = rest.split_at(end);
                        let after = after.get(1..).unwrap_or_default();
                        let (negate, class) = match class.split_first() {
                            Some(('!' | '^', c)) => (true, c),
                            _ => (false, class),
                        };
                        text.split_first().is_some_and(|(c, t)| in_class(class, *c) != negate && chars(after, t))
                    }
                    _ => text.split_first().is_some_and(|(c, t)| *c == '[' && chars(rest, t)),
                },
                Some(('\\', rest)) if !rest.is_empty() => {
                    text.split_first().is_some_and(|(c, t)| Some(c) == rest.first() && chars(rest.get(1..).unwrap_or_default(), t))
                }
                Some((p, rest)) => text.split_first().is_some_and(|(c, t)| c == p && chars(rest, t)),
            }
        }
        let pat: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        segments(&pat, &segs) || {
            let mut under = pat.clone();
            under.push("**");
            segments(&under, &segs)
        }
    }

    proptest! {
        #[test]
        fn a_compiled_pattern_matches_as_the_first_matcher_did(
            pattern in "(/|/?(\\*\\*|[ab.*?é\\[\\]!\\\\-]{1,4})){1,5}/?",
            path in "(/|/?[ab.é\\[\\\\-]{1,3}){0,5}/?",
        ) {
            prop_assert_eq!(Glob::new(&pattern).matches(&path), reference(&pattern, &path), "{} vs {}", pattern, path);
        }
    }

    #[test]
    fn gitignore_globs_match_as_gitignore_does() {
        let check = |pattern: &str, path: &str, expected: bool| assert_eq!(matches(pattern, path), expected, "{pattern} vs {path}");
        check("/r/.env", "/r/.env", true);
        check("/r/.env", "/r/sub/.env", false);
        check("/r/**/.env", "/r/sub/.env", true);
        check("/r/**/.env", "/r/.env", true);
        check("/r/**/*.env", "/r/a/b/prod.env", true);
        check("/r/*.env", "/r/a/prod.env", false);
        check("/r/secrets", "/r/secrets/key.pem", true);
        check("/r/secrets/**", "/r/secrets/a/b", true);
        check("/r/.env.*", "/r/.env.local", true);
        check("/r/.env.*", "/r/.env", false);
        check("/r/file?.txt", "/r/file1.txt", true);
        check("/r/[ab].txt", "/r/b.txt", true);
        check("/r/[!ab].txt", "/r/b.txt", false);
        check("/r/[a-c].txt", "/r/c.txt", true);
    }

    #[test]
    fn patterns_without_a_slash_match_at_any_depth() {
        assert_eq!(anchored("/r", "*.env"), "/r/**/*.env");
        assert_eq!(anchored("/r", "./.env"), "/r/.env");
        assert_eq!(anchored("/r", "secrets/"), "/r/**/secrets");
        assert_eq!(anchored("/r", "config/db.yml"), "/r/config/db.yml");
    }

    #[test]
    fn paths_are_made_absolute_and_normalized() {
        assert_eq!(normalize("/r", "/home/a", "./.env"), "/r/.env");
        assert_eq!(normalize("/r", "/home/a", "sub/../.env"), "/r/.env");
        assert_eq!(normalize("/r", "/home/a", "~/.ssh/id"), "/home/a/.ssh/id");
        assert_eq!(normalize("/r", "/home/a", "/etc/passwd"), "/etc/passwd");
    }
}
