//! `Spans`: where each key and value of a scenario file is, looked up by path.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Parses a whole TOML document into its spanned tree.
pub(crate) fn parse_document(text: &str) -> Result<Spanned<DeValue<'_>>, toml::de::Error> {
    let table = DeTable::parse(text)?;
    let span = table.span();
    Ok(Spanned::new(span, DeValue::Table(table.into_inner())))
}

/// One step of a path into the document: a table key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Self::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(index: usize) -> Self {
        Self::Index(index)
    }
}

/// A path into the document, such as `doc_path!["project", 0, "volume", 1, "used_mb"]`.
macro_rules! doc_path {
    ($($seg:expr),* $(,)?) => {
        &[$($crate::scenario::spans::Seg::from($seg)),*][..]
    };
}
pub(crate) use doc_path;

/// The document parsed once more, keeping spans, so that semantic errors found on the typed
/// scenario can point at the text they are about.
// Why this shape: carrying `Spanned<T>` in every public field would burden every reader of the
// scenario for the sake of error reporting; a path lookup keeps the public types plain.
pub(crate) struct Spans<'t> {
    text: &'t str,
    root: Option<Spanned<DeValue<'t>>>,
}

impl<'t> Spans<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self { text, root: parse_document(text).ok() }
    }

    fn node(&self, path: &[Seg<'_>]) -> Option<&Spanned<DeValue<'t>>> {
        let mut node = self.root.as_ref()?;
        for seg in path {
            node = match seg {
                Seg::Key(key) => node.get_ref().get(*key)?,
                Seg::Index(index) => node.get_ref().get(*index)?,
            };
        }
        Some(node)
    }

    /// The span of the value at `path`; for a `[[table]]` element, its header.
    pub(crate) fn value(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        self.node(path).map(Spanned::span)
    }

    /// The span of the key that ends `path`, such as `used_mb` in `used_mb = 9000`.
    pub(crate) fn key(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        let (Seg::Key(last), parent) = path.split_last()? else {
            return self.value(path);
        };
        let table = self.node(parent)?.get_ref().as_table()?;
        table.iter().find(|(key, _)| key.get_ref() == last).map(|(key, _)| key.span())
    }

    /// The span of the value at `path`, or of the nearest enclosing value that is written, so
    /// that an error about a defaulted value points at the table that left it out.
    pub(crate) fn at(&self, path: &[Seg<'_>]) -> Range<usize> {
        // The root itself is never the answer: a label over the whole file says nothing.
        (1..=path.len()).rev().find_map(|len| path.get(..len).and_then(|prefix| self.value(prefix))).unwrap_or(0..0)
    }

    /// The span of the key that ends `path`, or as [`Spans::at`] when it is not written.
    pub(crate) fn key_at(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.key(path).unwrap_or_else(|| self.at(path))
    }

    /// Within the value at `path`, the span of the `nth` occurrence of `needle`, or the whole
    /// value when the text differs from the value (escapes) and it cannot be found.
    pub(crate) fn within(&self, path: &[Seg<'_>], needle: &str, nth: usize) -> Range<usize> {
        let whole = self.at(path);
        let Some(raw) = self.text.get(whole.clone()) else {
            return whole;
        };
        raw.match_indices(needle).nth(nth).map_or(whole.clone(), |(at, found)| whole.start + at..whole.start + at + found.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Spans;

    fn check(text: &str, got: Option<std::ops::Range<usize>>, expected: &str) {
        let shown = got.and_then(|span| text.get(span)).unwrap_or("<none>");
        assert_eq!(shown, expected);
    }

    #[test]
    fn paths_find_keys_values_and_array_table_headers() {
        let text = "a = 1\n[[p]]\nname = 'x'\n[[p]]\nname = 'y'\n[[p.v]]\nsize = 5\nlist = ['q', 'r']\n";
        let spans = Spans::new(text);
        check(text, spans.value(doc_path!["a"]), "1");
        check(text, spans.key(doc_path!["a"]), "a");
        check(text, spans.value(doc_path!["p", 1, "name"]), "'y'");
        check(text, spans.key(doc_path!["p", 1, "name"]), "name");
        check(text, spans.value(doc_path!["p", 1, "v", 0, "size"]), "5");
        check(text, spans.value(doc_path!["p", 1, "v", 0, "list", 1]), "'r'");
        check(text, spans.value(doc_path!["p", 1]), "[[p]]");
        check(text, spans.value(doc_path!["p", 2]), "<none>");
        check(text, Some(spans.at(doc_path!["p", 0, "missing"])), "[[p]]");
        check(text, Some(spans.within(doc_path!["p", 1, "v", 0, "list", 1], "r", 0)), "r");
    }
}
