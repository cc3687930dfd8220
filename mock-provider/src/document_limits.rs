//! The limits a GraphQL request must pass before async-graphql parses or validates it: its size and
//! bracket depth from the text, then its fragment-expanded size, aliases, directives and value
//! sizes from the parsed document, then its variables.
//!
//! Why this shape: validation and execution walk the document with every fragment spread
//! expanded, so a chain of fragments each spreading the next twice costs 2^depth. Here the
//! expanded size is computed once per fragment (dynamic programming over the fragment graph,
//! with cycle detection), so the same document is refused in microseconds. Every bound lives in
//! `limits`; every refusal is a `ProviderError` with a stable code.

use std::collections::HashMap;

use async_graphql_parser::types::{Directive, ExecutableDocument, FragmentDefinition, Selection, SelectionSet};
use async_graphql_parser::{Positioned, types::OperationDefinition};
use async_graphql_value::{Name, Value};

use crate::error::ProviderError;
use crate::limits::*;

/// What a parsed document needs checked on every request: the variables used where an id goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Admitted {
    id_variables: Vec<(Name, String)>,
}

/// Size and nesting, from the text alone: the parser recurses per bracket, so this runs first.
pub(crate) fn check_text(query: &str) -> Result<(), ProviderError> {
    if query.len() > MAX_DOCUMENT_BYTES {
        return Err(ProviderError::LimitExceeded(format!(
            "the document is {} bytes; documents are at most {MAX_DOCUMENT_BYTES} bytes",
            query.len()
        )));
    }
    if bracket_depth(query) > MAX_BRACKET_DEPTH {
        return Err(ProviderError::TooDeep(format!("Query is nested too deep: more than {MAX_BRACKET_DEPTH} levels of brackets")));
    }
    Ok(())
}

/// The deepest nesting of `{`, `[` and `(` outside strings and comments, lexed as the GraphQL
/// spec does: `#` comments run to a line end; plain strings end at an unescaped `"` or a line
/// end, `\` escaping the next character; block strings (`"""…"""`) end at the first `"""` not
/// written `\"""`, and no other backslash escapes inside them.
pub(crate) fn bracket_depth(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                loop {
                    if i >= bytes.len() {
                        break;
                    }
                    if bytes[i..].starts_with(b"\\\"\"\"") {
                        i += 4;
                    } else if bytes[i..].starts_with(b"\"\"\"") {
                        i += 3;
                        break;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' | b'\r' => break,
                        _ => i += 1,
                    }
                }
                continue;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

/// What one selection set (or fragment) costs once its spreads are expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cost {
    fields: u64,
    aliases: u64,
    directives: u64,
    /// Longest chain of fragment spreads below this point.
    spread_depth: usize,
    /// Deepest field nesting below this point, through spreads.
    depth: usize,
}

impl Cost {
    fn add(&mut self, o: Cost) {
        self.fields = self.fields.saturating_add(o.fields);
        self.aliases = self.aliases.saturating_add(o.aliases);
        self.directives = self.directives.saturating_add(o.directives);
        self.spread_depth = self.spread_depth.max(o.spread_depth);
        self.depth = self.depth.max(o.depth);
    }
}

enum Visit {
    InProgress,
    Done(Cost),
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    fragments: HashMap<&'a str, Visit>,
    id_variables: Vec<(Name, String)>,
}

/// Fragment-expanded size, aliases, directives and literal sizes, from the parsed document.
pub(crate) fn check_document(doc: &ExecutableDocument) -> Result<Admitted, ProviderError> {
    if doc.fragments.len() > MAX_FRAGMENTS {
        return Err(ProviderError::LimitExceeded(format!(
            "the document defines {} fragments; at most {MAX_FRAGMENTS} are allowed",
            doc.fragments.len()
        )));
    }
    let mut walk = Walk { doc, fragments: HashMap::new(), id_variables: Vec::new() };
    let mut total = Cost::default();
    for (_, op) in doc.operations.iter() {
        total.add(walk.operation(&op.node)?);
    }
    // Unused fragments are refused by validation, but validation walks them first.
    let unused: Vec<&str> = doc.fragments.keys().map(|n| n.as_str()).filter(|n| !walk.fragments.contains_key(n)).collect();
    for name in unused {
        total.add(walk.fragment(name)?);
    }
    // The first two read as async-graphql's own depth and complexity errors, which they replace.
    if total.fields > MAX_EXPANDED_FIELDS {
        return Err(ProviderError::LimitExceeded(format!(
            "Query is too complex. It selects {} fields once fragments are expanded; at most {MAX_EXPANDED_FIELDS} are allowed.",
            total.fields
        )));
    }
    if total.depth > MAX_SELECTION_DEPTH {
        return Err(ProviderError::LimitExceeded(format!(
            "Query is nested too deep. Its fields nest {} levels once fragments are expanded; at most {MAX_SELECTION_DEPTH} are allowed.",
            total.depth
        )));
    }
    let bound = |what: &str, n: u64, max: u64| {
        if n > max {
            Err(ProviderError::LimitExceeded(format!("the document has {n} {what} once fragments are expanded; at most {max} are allowed")))
        } else {
            Ok(())
        }
    };
    bound("aliases", total.aliases, MAX_ALIASES)?;
    bound("directives", total.directives, MAX_DIRECTIVES)?;
    if total.spread_depth > MAX_FRAGMENT_DEPTH {
        return Err(ProviderError::LimitExceeded(format!(
            "fragment spreads nest {} deep; at most {MAX_FRAGMENT_DEPTH} are allowed",
            total.spread_depth
        )));
    }
    Ok(Admitted { id_variables: walk.id_variables })
}

impl<'a> Walk<'a> {
    fn operation(&mut self, op: &'a OperationDefinition) -> Result<Cost, ProviderError> {
        let mut cost = Cost { directives: directives(&op.directives)?, ..Cost::default() };
        for v in &op.variable_definitions {
            cost.directives = cost.directives.saturating_add(directives(&v.node.directives)?);
            if let Some(d) = &v.node.default_value {
                check_const_value(v.node.name.node.as_str(), &d.node)?;
            }
        }
        cost.add(self.selection_set(&op.selection_set.node)?);
        Ok(cost)
    }

    /// A fragment's cost, computed once: the memo is what keeps a chain of doubling spreads
    /// linear, and the in-progress mark is what finds cycles.
    fn fragment(&mut self, name: &'a str) -> Result<Cost, ProviderError> {
        match self.fragments.get(name) {
            Some(Visit::Done(c)) => return Ok(*c),
            Some(Visit::InProgress) => {
                return Err(ProviderError::LimitExceeded(format!("fragment `{name}` spreads itself (a fragment cycle)")));
            }
            None => {}
        }
        let Some(def) = self.doc.fragments.get(name) else {
            // An unknown fragment is validation's to report; it costs nothing here.
            return Ok(Cost::default());
        };
        let def: &'a Positioned<FragmentDefinition> = def;
        self.fragments.insert(name, Visit::InProgress);
        let mut cost = Cost { directives: directives(&def.node.directives)?, ..Cost::default() };
        cost.add(self.selection_set(&def.node.selection_set.node)?);
        self.fragments.insert(name, Visit::Done(cost));
        Ok(cost)
    }

    fn selection_set(&mut self, set: &'a SelectionSet) -> Result<Cost, ProviderError> {
        let mut cost = Cost::default();
        for sel in &set.items {
            match &sel.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    let mut c = Cost {
                        fields: 1,
                        aliases: u64::from(f.alias.is_some()),
                        directives: directives(&f.directives)?,
                        spread_depth: 0,
                        depth: 0,
                    };
                    for (name, value) in &f.arguments {
                        self.value(name.node.as_str(), &value.node)?;
                    }
                    c.add(self.selection_set(&f.selection_set.node)?);
                    c.depth = c.depth.saturating_add(1);
                    cost.add(c);
                }
                Selection::FragmentSpread(s) => {
                    let mut c = self.fragment(s.node.fragment_name.node.as_str())?;
                    c.spread_depth = c.spread_depth.saturating_add(1);
                    c.directives = c.directives.saturating_add(directives(&s.node.directives)?);
                    cost.add(c);
                }
                Selection::InlineFragment(i) => {
                    cost.directives = cost.directives.saturating_add(directives(&i.node.directives)?);
                    cost.add(self.selection_set(&i.node.selection_set.node)?);
                }
            }
        }
        Ok(cost)
    }

    /// Checks literal sizes under argument or input field `key`, and notes the variables used
    /// where an id goes.
    fn value(&mut self, key: &str, v: &Value) -> Result<(), ProviderError> {
        match v {
            Value::String(s) => check_string(key, s.len()),
            Value::Variable(var) if is_id_name(key) => {
                self.id_variables.push((var.clone(), key.to_string()));
                Ok(())
            }
            Value::List(items) => items.iter().try_for_each(|item| self.value(key, item)),
            Value::Object(fields) => fields.iter().try_for_each(|(k, item)| self.value(k.as_str(), item)),
            _ => Ok(()),
        }
    }
}

/// Counts a location's directives, refusing a repeated one: the mock's schema declares no
/// `repeatable` directive (its SDL snapshot shows `@include` and `@skip` only).
fn directives(list: &[Positioned<Directive>]) -> Result<u64, ProviderError> {
    if list.len() > 1 {
        let mut seen: Vec<&str> = list.iter().map(|d| d.node.name.node.as_str()).collect();
        seen.sort_unstable();
        if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(ProviderError::LimitExceeded(format!(
                "the directive `@{}` is not repeatable, but appears twice on one location",
                w[0]
            )));
        }
    }
    for d in list {
        for (name, value) in &d.node.arguments {
            if let Value::String(s) = &value.node {
                check_string(name.node.as_str(), s.len())?;
            }
        }
    }
    Ok(list.len() as u64)
}

fn check_const_value(key: &str, v: &async_graphql_value::ConstValue) -> Result<(), ProviderError> {
    use async_graphql_value::ConstValue;
    match v {
        ConstValue::String(s) => check_string(key, s.len()),
        ConstValue::List(items) => items.iter().try_for_each(|item| check_const_value(key, item)),
        ConstValue::Object(fields) => fields.iter().try_for_each(|(k, item)| check_const_value(k.as_str(), item)),
        _ => Ok(()),
    }
}

/// Railway's id arguments and input fields: `id`, `volumeId`, `projectId`, ...
fn is_id_name(key: &str) -> bool {
    key == "id" || key.ends_with("Id")
}

fn check_string(key: &str, len: usize) -> Result<(), ProviderError> {
    if is_id_name(key) && len > MAX_ID_BYTES {
        return Err(ProviderError::LimitExceeded(format!("`{key}` is {len} bytes long; ids are at most {MAX_ID_BYTES} bytes")));
    }
    if len > MAX_STRING_BYTES {
        return Err(ProviderError::LimitExceeded(format!("`{key}` is {len} bytes long; strings are at most {MAX_STRING_BYTES} bytes")));
    }
    Ok(())
}

/// The request's variables against the same bounds: total size, every string, and the values of
/// variables the document uses where an id goes. Returns their approximate size in bytes.
pub(crate) fn check_variables(admitted: &Admitted, variables: Option<&serde_json::Value>) -> Result<usize, ProviderError> {
    let Some(vars) = variables else { return Ok(0) };
    let mut size = 0usize;
    json_value("variables", vars, &mut size)?;
    if size > MAX_VARIABLES_BYTES {
        return Err(ProviderError::LimitExceeded(format!(
            "the variables are about {size} bytes; at most {MAX_VARIABLES_BYTES} are allowed"
        )));
    }
    for (var, key) in &admitted.id_variables {
        let mut ids = Vec::new();
        strings(vars.get(var.as_str()), &mut ids);
        if let Some(len) = ids.into_iter().find(|len| *len > MAX_ID_BYTES) {
            return Err(ProviderError::LimitExceeded(format!(
                "`{key}` (from `${var}`) is {len} bytes long; ids are at most {MAX_ID_BYTES} bytes"
            )));
        }
    }
    Ok(size)
}

/// Walks a JSON value, adding its approximate serialized size to `size` and refusing long
/// strings. Iterative over lists and objects' depth would not matter: serde_json refuses input
/// nested deeper than 128 before it gets here, and in-process values are the caller's own.
fn json_value(key: &str, v: &serde_json::Value, size: &mut usize) -> Result<(), ProviderError> {
    use serde_json::Value as J;
    match v {
        J::String(s) => {
            *size = size.saturating_add(s.len() + 2);
            check_string(key, s.len())
        }
        J::Array(items) => {
            *size = size.saturating_add(2 + items.len());
            items.iter().try_for_each(|item| json_value(key, item, size))
        }
        J::Object(map) => {
            *size = size.saturating_add(2);
            map.iter().try_for_each(|(k, item)| {
                *size = size.saturating_add(k.len() + 4);
                json_value(k, item, size)
            })
        }
        _ => {
            *size = size.saturating_add(8);
            Ok(())
        }
    }
}

fn strings(v: Option<&serde_json::Value>, out: &mut Vec<usize>) {
    match v {
        Some(serde_json::Value::String(s)) => out.push(s.len()),
        Some(serde_json::Value::Array(items)) => items.iter().for_each(|item| strings(Some(item), out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str) -> Result<(), String> {
        check_text(query).map_err(|e| e.code().to_string())?;
        let doc = async_graphql_parser::parse_query(query).map_err(|e| format!("parse: {e}"))?;
        check_document(&doc).map(|_| ()).map_err(|e| e.code().to_string())
    }

    #[test]
    fn bracket_depth_ignores_brackets_in_strings_and_comments() {
        for (doc, depth) in [
            ("{ a }", 1),
            ("{ a(x: [[1]]) { b } }", 4),
            (r#"{ a(x: "{{{{[[[[") }"#, 2),
            ("{ a(x: \"\"\"{{{{\"\"\") }", 2),
            ("# {{{{{{\n{ a }", 1),
            ("# {{{{{{\r{ a }", 1),
            (r#"{ a(x: "\"{{{") }"#, 2),
            (r#"{ a(x: "\\", y: [1]) { b } }"#, 3),
            ("}}}{", 1),
            // An escaped triple quote does not end a block string: the brackets after it are
            // still inside it.
            (r#"{ a(x: """ \""" [[[[ """) }"#, 2),
            // ... and a real one after it does, so brackets after that count.
            (r#"{ a(x: """ \""" """, y: [[[1]]]) }"#, 5),
            // A backslash before anything but `"""` escapes nothing in a block string.
            (r#"{ a(x: """a\b""", y: [1]) }"#, 3),
            // `\"""` right after the opening quotes is an escaped triple quote, not the end.
            (r#"{ a(x: """\""", y: [1]) }"#, 2),
            // A plain string ends at a line end even unclosed; what follows is outside it.
            ("{ a(x: \"[[[\n [[1]]) }", 4),
            // A comment ends at a carriage return too.
            ("{ a # (((\r (b: [1]) }", 3),
        ] {
            assert_eq!(bracket_depth(doc), depth, "{doc}");
        }
    }

    #[test]
    fn the_issues_escaped_triple_quote_document_is_refused_before_parsing() {
        // The issue's 4 KB anonymous request: a block string whose escaped triple quote the old
        // guard took for its end, then a few thousand list brackets in an argument.
        let doc = format!(r#"{{ me(x: """ \""" """, y: {}1{}) {{ id }} }}"#, "[".repeat(3000), "]".repeat(3000));
        assert_eq!(check(&doc), Err("GRAPHQL_PARSE_FAILED".to_string()));
    }

    fn fragment_chain(depth: usize, fan_out: usize) -> String {
        let mut doc = String::from("query { ...f0 }\n");
        for n in 0..depth {
            let spreads = format!("...f{} ", n + 1).repeat(fan_out);
            doc.push_str(&format!("fragment f{n} on Query {{ {spreads} }}\n"));
        }
        doc.push_str(&format!("fragment f{depth} on Query {{ me {{ id }} }}\n"));
        doc
    }

    #[test]
    fn documents_within_every_limit_pass() {
        for doc in [
            "{ me { id } }".to_string(),
            fragment_chain(8, 2),
            format!("{{ {} }}", (0..100).map(|n| format!("a{n}: me {{ id }}")).collect::<Vec<_>>().join(" ")),
            "query($v: String!) { volume(id: $v) @include(if: true) @skip(if: false) { id } }".to_string(),
        ] {
            assert_eq!(check(&doc), Ok(()), "{doc}");
        }
    }

    #[test]
    fn documents_beyond_a_limit_are_refused_with_a_validation_code() {
        let aliases = format!("{{ {} }}", (0..300).map(|n| format!("a{n}: me {{ id }}")).collect::<Vec<_>>().join(" "));
        let directives = format!("{{ me {{ {} }} }}", "id @include(if: true) ".repeat(300));
        let repeated = format!("{{ me {} {{ id }} }}", "@include(if: true) ".repeat(2));
        let fields = format!("{{ {} }}", "me { id } ".repeat(600));
        let deep = format!("{{ {}id{} }}", "me { ".repeat(17), " }".repeat(17));
        let huge_id = format!("mutation {{ volumeDelete(volumeId: \"{}\") }}", "x".repeat(MAX_ID_BYTES + 1));
        let huge_nested_id = format!("mutation {{ x(input: {{ projectId: \"{}\" }}) }}", "x".repeat(MAX_ID_BYTES + 1));
        let huge_string = format!("mutation {{ x(name: \"{}\") }}", "x".repeat(MAX_STRING_BYTES + 1));
        let cycle = "query { ...a } fragment a on Query { ...b } fragment b on Query { ...a }".to_string();
        let too_many =
            format!("{{ me {{ id }} }} {}", (0..300).map(|n| format!("fragment g{n} on Query {{ me {{ id }} }}")).collect::<String>());
        for (what, doc) in [
            ("a doubling fragment chain 30 deep", fragment_chain(30, 2)),
            ("a fragment chain 20 deep", fragment_chain(20, 1)),
            ("too many aliases", aliases),
            ("too many directives", directives),
            ("a repeated @include", repeated),
            ("too many fields", fields),
            ("fields nested too deep", deep),
            ("a huge id", huge_id),
            ("a huge id in an input object", huge_nested_id),
            ("a huge string", huge_string),
            ("a fragment cycle", cycle),
            ("too many fragments", too_many),
        ] {
            assert_eq!(check(&doc), Err("GRAPHQL_VALIDATION_FAILED".to_string()), "{what}");
        }
    }

    #[test]
    fn a_document_over_the_size_limit_is_refused_from_its_length() {
        let doc = format!("{{ me {{ id }} }} #{}", "x".repeat(MAX_DOCUMENT_BYTES));
        assert_eq!(check(&doc), Err("GRAPHQL_VALIDATION_FAILED".to_string()));
    }

    #[test]
    fn variables_are_held_to_the_same_bounds() {
        let doc = async_graphql_parser::parse_query("query($v: String!, $i: X) { volume(id: $v) { id } x(input: $i) }").unwrap();
        let admitted = check_document(&doc).unwrap();
        let long = "x".repeat(MAX_ID_BYTES + 1);
        for (vars, ok) in [
            (serde_json::json!({"v": "a-short-id"}), true),
            (serde_json::json!({"v": long}), false),
            (serde_json::json!({"i": {"projectId": long}}), false),
            (serde_json::json!({"i": {"name": "x".repeat(MAX_STRING_BYTES + 1)}}), false),
            (serde_json::json!({"i": {"names": vec!["x".repeat(1000); 200]}}), false),
            (serde_json::json!({"i": {"names": vec!["x".repeat(1000); 20]}}), true),
        ] {
            let got = check_variables(&admitted, Some(&vars)).map_err(|e| e.code());
            assert_eq!(got.is_ok(), ok, "{got:?}");
            if let Err(code) = got {
                assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
            }
        }
    }
}
