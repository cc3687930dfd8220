//! Relay connections: `PageInfo`, cursor pagination over an already ordered list, and a macro
//! that declares each connection and edge type under Railway's exact names.
//!
//! Why this shape: Railway names every connection after its parent and field
//! (`ProjectEnvironmentsConnection`, `ProjectEnvironmentsConnectionEdge`), so the mock needs one
//! pair of types per field, all alike. Cursors are node ids: opaque to clients, stable across
//! requests, and they survive inserts elsewhere in the list.

use async_graphql::SimpleObject;

use crate::error::ProviderError;
use crate::request::graphql_error;

#[derive(SimpleObject, Clone, Debug, Default, PartialEq)]
pub struct PageInfo {
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
}

// The four Relay arguments every Railway connection field takes.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub after: Option<String>,
    pub before: Option<String>,
    pub first: Option<i32>,
    pub last: Option<i32>,
}

impl PageArgs {
    // A negative `first` or `last` is refused with a GraphQL error rather than answered with
    // some page. Railway's connection types are named as Pothos's relay plugin names them, and
    // that plugin refuses in these words.
    pub fn new(after: Option<String>, before: Option<String>, first: Option<i32>, last: Option<i32>) -> async_graphql::Result<Self> {
        for (name, n) in [("first", first), ("last", last)] {
            if n.is_some_and(|n| n < 0) {
                let e = ProviderError::InvalidInput(format!("Argument \"{name}\" must be a non-negative integer"));
                return Err(graphql_error(&e));
            }
        }
        Ok(PageArgs { after, before, first, last })
    }

    // Relay's algorithm: cut at `after`/`before`, then keep the `first` or `last` n.
    pub fn apply<T>(&self, items: Vec<T>, cursor: impl Fn(&T) -> String) -> (Vec<(String, T)>, PageInfo) {
        let mut all: Vec<(String, T)> = items.into_iter().map(|t| (cursor(&t), t)).collect();
        let mut has_previous_page = false;
        let mut has_next_page = false;
        if let Some(a) = &self.after
            && let Some(i) = all.iter().position(|(c, _)| c == a)
        {
            all.drain(..=i);
            has_previous_page = true;
        }
        if let Some(b) = &self.before
            && let Some(i) = all.iter().position(|(c, _)| c == b)
        {
            all.truncate(i);
            has_next_page = true;
        }
        if let Some(n) = self.first {
            let n = n.max(0) as usize;
            if all.len() > n {
                all.truncate(n);
                has_next_page = true;
            }
        }
        if let Some(n) = self.last {
            let n = n.max(0) as usize;
            if all.len() > n {
                all.drain(..all.len() - n);
                has_previous_page = true;
            }
        }
        let info = PageInfo {
            start_cursor: all.first().map(|(c, _)| c.clone()),
            end_cursor: all.last().map(|(c, _)| c.clone()),
            has_next_page,
            has_previous_page,
        };
        (all, info)
    }
}

// Declares `$conn { edges: [$edge!]!, pageInfo: PageInfo! }` and `$edge { cursor, node }`,
// named exactly as the Rust identifiers, plus a constructor from a list and `PageArgs`.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $conn {
            pub edges: Vec<$edge>,
            pub page_info: $crate::schema::connection::PageInfo,
        }

        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        impl $conn {
            pub fn page(items: Vec<$node>, args: &$crate::schema::connection::PageArgs) -> Self {
                let (edges, page_info) = args.apply(items, |n| n.cursor());
                $conn { edges: edges.into_iter().map(|(cursor, node)| $edge { cursor, node }).collect(), page_info }
            }
        }
    };
}
pub(crate) use connection;

#[cfg(test)]
mod tests {
    use super::*;

    fn page(args: PageArgs) -> (Vec<String>, PageInfo) {
        let items = vec!["a", "b", "c", "d"];
        let (edges, info) = args.apply(items, |s| s.to_string());
        (edges.into_iter().map(|(c, _)| c).collect(), info)
    }

    #[test]
    fn pagination_follows_relay_cursors() {
        for (args, expected, next, prev) in [
            (PageArgs::default(), vec!["a", "b", "c", "d"], false, false),
            (PageArgs::new(None, None, Some(2), None).unwrap(), vec!["a", "b"], true, false),
            (PageArgs::new(Some("b".into()), None, Some(1), None).unwrap(), vec!["c"], true, true),
            (PageArgs::new(None, Some("d".into()), None, Some(2)).unwrap(), vec!["b", "c"], true, true),
            (PageArgs::new(Some("d".into()), None, None, None).unwrap(), vec![], false, true),
        ] {
            let (got, info) = page(args.clone());
            assert_eq!(got, expected, "{args:?}");
            assert_eq!((info.has_next_page, info.has_previous_page), (next, prev), "{args:?}");
        }
    }

    #[test]
    fn a_negative_first_or_last_is_refused_not_paged() {
        for (first, last, expected) in [
            (Some(-5), None, Some("Argument \"first\" must be a non-negative integer")),
            (None, Some(-1), Some("Argument \"last\" must be a non-negative integer")),
            (Some(0), None, None),
            (None, Some(0), None),
        ] {
            let got = PageArgs::new(None, None, first, last).err().map(|e| e.message);
            assert_eq!(got.as_deref(), expected, "first: {first:?}, last: {last:?}");
        }
    }
}
