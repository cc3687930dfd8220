//! The GraphQL spec's null propagation, which async-graphql 7 does not do.
//!
//! Why: async-graphql drops a field whose resolver failed from `data`, whatever its type. Railway
//! follows the spec: the failed field becomes `null`, and when its type is non-null the `null`
//! moves up to the nearest nullable ancestor, up to `data` itself. Clients depend on the
//! difference: the Railway CLI decodes `{"data": {"externalWorkspaces": […]}}` into a struct that
//! needs `me` and fails before it reads `errors`, while `{"data": null, "errors": [Not
//! Authorized]}` gets its "token invalid" message. This rewrites `data` after execution, from the
//! document's selections and the schema's field types.

use std::collections::HashMap;
use std::sync::OnceLock;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet, Type, TypeKind,
};
use async_graphql::{Name, PathSegment, ServerError, Value as ConstValue};

/// Rewrites `data` so that every field a resolver error removed is `null` where its type allows,
/// or nulls the nearest nullable ancestor, as the spec's "Handling Field Errors" says.
pub(crate) fn propagate(data: &mut ConstValue, errors: &[ServerError], doc: &ExecutableDocument, operation_name: Option<&str>) {
    let Some(op) = operation(doc, operation_name) else { return };
    let root = match op.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    for error in errors.iter().filter(|e| !e.path.is_empty()) {
        if matches!(data, ConstValue::Null) {
            return;
        }
        let Some(nullable) = nullability(doc, &op.selection_set.node, root, &error.path) else { continue };
        // The first position missing from `data` is the field async-graphql dropped; whatever
        // the error's path names below it went with it.
        let missing = first_missing(data, &error.path).unwrap_or(error.path.len() - 1);
        match (0..=missing).rev().find(|&i| nullable[i]) {
            Some(i) => set_null(data, &error.path[..=i], doc, &op.selection_set.node),
            None => *data = ConstValue::Null,
        }
    }
}

fn operation<'a>(doc: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    use async_graphql::parser::types::DocumentOperations;
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next().map(|op| &op.node),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// For each prefix of `path`, whether the value there may be null; `None` when the path does
/// not follow the document (then nothing is rewritten).
fn nullability<'a>(doc: &'a ExecutableDocument, mut selections: &'a SelectionSet, root: &str, path: &[PathSegment]) -> Option<Vec<bool>> {
    let types = field_types();
    let mut parent = root.to_string();
    let mut current: Option<&Type> = None;
    let mut out = Vec::with_capacity(path.len());
    for segment in path {
        let ty = match segment {
            PathSegment::Field(key) => {
                let field = find_field(doc, selections, key)?;
                let ty = types.get(&(parent.clone(), field.name.node.to_string()))?;
                selections = &field.selection_set.node;
                parent = named(ty).to_string();
                ty
            }
            PathSegment::Index(_) => match &current?.base {
                BaseType::List(item) => item,
                BaseType::Named(_) => return None,
            },
        };
        out.push(ty.nullable);
        current = Some(ty);
    }
    Some(out)
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// The field a response key names in a selection set, looking through fragments.
fn find_field<'a>(doc: &'a ExecutableDocument, selections: &'a SelectionSet, key: &str) -> Option<&'a async_graphql::parser::types::Field> {
    selections.items.iter().find_map(|s| match &s.node {
        Selection::Field(f) => (f.node.response_key().node.as_str() == key).then_some(&f.node),
        Selection::FragmentSpread(spread) => {
            doc.fragments.get(&spread.node.fragment_name.node).and_then(|f| find_field(doc, &f.node.selection_set.node, key))
        }
        Selection::InlineFragment(inline) => find_field(doc, &inline.node.selection_set.node, key),
    })
}

/// The response keys of a selection set in document order, through fragments.
fn response_keys(doc: &ExecutableDocument, selections: &SelectionSet, out: &mut Vec<Name>) {
    for s in &selections.items {
        match &s.node {
            Selection::Field(f) => out.push(f.node.response_key().node.clone()),
            Selection::FragmentSpread(spread) => {
                if let Some(f) = doc.fragments.get(&spread.node.fragment_name.node) {
                    response_keys(doc, &f.node.selection_set.node, out);
                }
            }
            Selection::InlineFragment(inline) => response_keys(doc, &inline.node.selection_set.node, out),
        }
    }
}

fn first_missing(data: &ConstValue, path: &[PathSegment]) -> Option<usize> {
    let mut value = data;
    for (i, segment) in path.iter().enumerate() {
        let next = match (segment, value) {
            (PathSegment::Field(key), ConstValue::Object(map)) => map.get(key.as_str()),
            (PathSegment::Index(n), ConstValue::List(items)) => items.get(*n),
            _ => None,
        };
        match next {
            Some(v) => value = v,
            None => return Some(i),
        }
    }
    None
}

/// Sets the value at `path` to null, keeping each object's keys in the document's order.
fn set_null(data: &mut ConstValue, path: &[PathSegment], doc: &ExecutableDocument, root: &SelectionSet) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut value = data;
    let mut selections = root;
    for segment in parents {
        let next = match (segment, value) {
            (PathSegment::Field(key), ConstValue::Object(map)) => {
                match find_field(doc, selections, key) {
                    Some(f) => selections = &f.selection_set.node,
                    None => return,
                }
                map.get_mut(key.as_str())
            }
            (PathSegment::Index(n), ConstValue::List(items)) => items.get_mut(*n),
            _ => None,
        };
        let Some(next) = next else { return };
        value = next;
    }
    match (last, value) {
        (PathSegment::Field(key), ConstValue::Object(map)) => {
            map.insert(Name::new(key), ConstValue::Null);
            let mut order = Vec::new();
            response_keys(doc, selections, &mut order);
            map.sort_by(|a, _, b, _| {
                let at = |k: &Name| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
                at(a).cmp(&at(b))
            });
        }
        (PathSegment::Index(n), ConstValue::List(items)) => {
            if let Some(item) = items.get_mut(*n) {
                *item = ConstValue::Null;
            }
        }
        _ => {}
    }
}

/// Every object field's declared type, read once from the mock's own SDL.
fn field_types() -> &'static HashMap<(String, String), Type> {
    static TYPES: OnceLock<HashMap<(String, String), Type>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let mut map = HashMap::new();
        let Ok(doc) = async_graphql::parser::parse_schema(super::schema().sdl()) else { return map };
        for def in doc.definitions {
            if let async_graphql::parser::types::TypeSystemDefinition::Type(t) = def
                && let TypeKind::Object(object) = &t.node.kind
            {
                for field in &object.fields {
                    map.insert((t.node.name.node.to_string(), field.node.name.node.to_string()), field.node.ty.node.clone());
                }
            }
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewritten `data` as Railway's JSON text (object keys in the document's order).
    fn run_text(query: &str, data: serde_json::Value, error_paths: &[&[PathSegment]]) -> String {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        let mut value = ConstValue::from_json(data).unwrap();
        let errors: Vec<ServerError> = error_paths
            .iter()
            .map(|p| {
                let mut e = ServerError::new("Not Authorized", None);
                e.path = p.to_vec();
                e
            })
            .collect();
        propagate(&mut value, &errors, &doc, None);
        serde_json::to_string(&value).unwrap()
    }

    fn run(query: &str, data: serde_json::Value, error_paths: &[&[PathSegment]]) -> serde_json::Value {
        serde_json::from_str(&run_text(query, data, error_paths)).unwrap()
    }

    fn field(s: &str) -> PathSegment {
        PathSegment::Field(s.into())
    }

    #[test]
    fn a_failed_non_null_root_field_nulls_all_of_data() {
        // `me: User!`: the CLI's UserProjects document with a workspace token.
        let out = run("{ me { name } externalWorkspaces { id } }", serde_json::json!({"externalWorkspaces": []}), &[&[field("me")]]);
        assert_eq!(out, serde_json::Value::Null);
    }

    #[test]
    fn a_failed_nullable_field_becomes_null_in_its_place() {
        // `Project.workspace: Workspace` is nullable in Railway's schema.
        let out = run_text(
            "{ project(id: \"p\") { id workspace { name } name } }",
            serde_json::json!({"project": {"id": "p", "name": "n"}}),
            &[&[field("project"), field("workspace")]],
        );
        assert_eq!(out, r#"{"project":{"id":"p","workspace":null,"name":"n"}}"#);
    }

    #[test]
    fn a_failed_non_null_nested_field_nulls_its_nearest_nullable_ancestor() {
        // `Project.workspace` is nullable, `Workspace.name: String!` is not.
        let out = run(
            "query { project(id: \"p\") { id workspace { id name } } }",
            serde_json::json!({"project": {"id": "p", "workspace": {"id": "w"}}}),
            &[&[field("project"), field("workspace"), field("name")]],
        );
        assert_eq!(out, serde_json::json!({"project": {"id": "p", "workspace": null}}));
    }

    #[test]
    fn aliases_and_fragments_are_followed_to_the_field_they_name() {
        let out = run(
            "query { p: project(id: \"p\") { ...F } } fragment F on Project { id ws: workspace { name } }",
            serde_json::json!({"p": {"id": "p"}}),
            &[&[field("p"), field("ws")]],
        );
        assert_eq!(out, serde_json::json!({"p": {"id": "p", "ws": null}}));
    }

    #[test]
    fn errors_without_a_path_leave_data_alone() {
        let out = run("{ me { name } }", serde_json::json!({"me": {"name": "x"}}), &[&[]]);
        assert_eq!(out, serde_json::json!({"me": {"name": "x"}}));
    }
}
