//! Conformance: every type, field, argument, input field and enum value the mock exposes exists
//! in Railway's public schema with a compatible type, and the mock asks for nothing Railway
//! does not require.

use std::collections::BTreeMap;

use async_graphql_parser::parse_schema;
use async_graphql_parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

use crate::schema::schema;

const RAILWAY_SDL: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/railway/schema.graphql"));

/// Arguments or input fields: name → (type, has default).
type Inputs = BTreeMap<String, (Type, bool)>;

/// A type definition reduced to what conformance compares.
#[derive(Debug)]
struct Def {
    kind: &'static str,
    /// Output fields: name → (type, arguments).
    fields: BTreeMap<String, (Type, Inputs)>,
    /// Input fields.
    inputs: Inputs,
    values: Vec<String>,
}

fn defs(sdl: &str) -> BTreeMap<String, Def> {
    let doc = parse_schema(sdl).unwrap();
    let mut out = BTreeMap::new();
    for d in doc.definitions {
        let TypeSystemDefinition::Type(t) = d else { continue };
        let t = t.node;
        let mut def = Def { kind: "", fields: BTreeMap::new(), inputs: BTreeMap::new(), values: Vec::new() };
        let field_map = |fields: &Vec<async_graphql_parser::Positioned<async_graphql_parser::types::FieldDefinition>>| {
            fields
                .iter()
                .map(|f| {
                    let args = f
                        .node
                        .arguments
                        .iter()
                        .map(|a| (a.node.name.node.to_string(), (a.node.ty.node.clone(), a.node.default_value.is_some())))
                        .collect();
                    (f.node.name.node.to_string(), (f.node.ty.node.clone(), args))
                })
                .collect()
        };
        match &t.kind {
            TypeKind::Scalar => def.kind = "scalar",
            TypeKind::Object(o) => {
                def.kind = "object";
                def.fields = field_map(&o.fields);
            }
            TypeKind::Interface(i) => {
                def.kind = "interface";
                def.fields = field_map(&i.fields);
            }
            TypeKind::Union(_) => def.kind = "union",
            TypeKind::Enum(e) => {
                def.kind = "enum";
                def.values = e.values.iter().map(|v| v.node.value.node.to_string()).collect();
            }
            TypeKind::InputObject(i) => {
                def.kind = "input";
                def.inputs = i
                    .fields
                    .iter()
                    .map(|f| (f.node.name.node.to_string(), (f.node.ty.node.clone(), f.node.default_value.is_some())))
                    .collect();
            }
        }
        out.insert(t.name.node.to_string(), def);
    }
    out
}

/// An output type is compatible when it names the same type with the same list structure and is
/// nowhere nullable where Railway's is not.
fn output_compatible(mock: &Type, railway: &Type) -> bool {
    if mock.nullable && !railway.nullable {
        return false;
    }
    match (&mock.base, &railway.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => output_compatible(a, b),
        _ => false,
    }
}

/// Every way `mock_sdl` departs from `railway_sdl`, as readable lines.
fn mismatches(mock_sdl: &str, railway_sdl: &str) -> Vec<String> {
    let (mock, railway) = (defs(mock_sdl), defs(railway_sdl));
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    let mut out = Vec::new();
    for (name, m) in &mock {
        if name.starts_with("__") || builtin.contains(&name.as_str()) {
            continue;
        }
        let Some(r) = railway.get(name) else {
            out.push(format!("type `{name}` does not exist in Railway's schema"));
            continue;
        };
        if m.kind != r.kind {
            out.push(format!("type `{name}` is a {} in the mock but a {} in Railway's schema", m.kind, r.kind));
            continue;
        }
        for (field, (mty, margs)) in &m.fields {
            let Some((rty, rargs)) = r.fields.get(field) else {
                out.push(format!("field `{name}.{field}` does not exist in Railway's schema"));
                continue;
            };
            if !output_compatible(mty, rty) {
                out.push(format!("field `{name}.{field}` is `{mty}` in the mock but `{rty}` in Railway's schema"));
            }
            for (arg, (maty, _)) in margs {
                match rargs.get(arg) {
                    None => out.push(format!("argument `{name}.{field}({arg}:)` does not exist in Railway's schema")),
                    Some((raty, _)) if raty.to_string() != maty.to_string() => {
                        out.push(format!("argument `{name}.{field}({arg}:)` is `{maty}` in the mock but `{raty}` in Railway's schema"))
                    }
                    Some(_) => {}
                }
            }
            for (arg, (raty, rdefault)) in rargs {
                if !raty.nullable && !rdefault && !margs.contains_key(arg) {
                    out.push(format!("argument `{name}.{field}({arg}:)` is required by Railway but missing from the mock"));
                }
            }
        }
        for (field, (mty, mdefault)) in &m.inputs {
            match r.inputs.get(field) {
                None => out.push(format!("input field `{name}.{field}` does not exist in Railway's schema")),
                Some((rty, _)) if rty.to_string() != mty.to_string() => {
                    out.push(format!("input field `{name}.{field}` is `{mty}` in the mock but `{rty}` in Railway's schema"))
                }
                Some((rty, rdefault)) if !mty.nullable && !mdefault && (rty.nullable || *rdefault) => {
                    out.push(format!("input field `{name}.{field}` is required by the mock but optional in Railway's schema"))
                }
                Some(_) => {}
            }
        }
        for field in r.inputs.keys() {
            if !m.inputs.contains_key(field) {
                out.push(format!("input field `{name}.{field}` exists in Railway's schema but the mock rejects it"));
            }
        }
        for v in &m.values {
            if !r.values.contains(v) {
                out.push(format!("enum value `{name}.{v}` does not exist in Railway's schema"));
            }
        }
    }
    out
}

#[test]
fn every_type_field_and_argument_the_mock_exposes_conforms_to_railways_schema() {
    let found = mismatches(&schema().sdl(), RAILWAY_SDL);
    assert!(found.is_empty(), "{} mismatch(es) with Railway's schema:\n{}", found.len(), found.join("\n"));
}

/// The checker itself: each deliberate departure from Railway's schema must be reported.
#[test]
fn conformance_reports_each_kind_of_departure() {
    let sdl = schema().sdl();
    for (from, to, expected) in [
        ("sizeMB: Int!", "sizeMB: String!", "field `VolumeInstance.sizeMB` is `String!`"),
        ("currentSizeMB: Float!", "currentSizeMB: Float", "field `VolumeInstance.currentSizeMB` is `Float`"),
        ("sizeMB: Int!", "sizeMB: Int!\n\tsizeGB: Int!", "field `VolumeInstance.sizeGB` does not exist"),
        (
            "volumeDelete(volumeId: String!)",
            "volumeDelete(volumeId: String!, force: Boolean)",
            "argument `Mutation.volumeDelete(force:)` does not exist",
        ),
        ("volumeDelete(volumeId: String!)", "volumeDelete(volumeId: String)", "argument `Mutation.volumeDelete(volumeId:)` is `String`"),
        ("volumeDelete(volumeId: String!)", "volumeDelete(id: String!)", "`Mutation.volumeDelete(volumeId:)` is required by Railway"),
        ("\tREADY\n", "\tREADY\n\tWIPED\n", "enum value `VolumeState.WIPED`"),
        ("type PageInfo {", "type PageInfoX {", "type `PageInfoX` does not exist"),
        ("\tisMonorepo: Boolean\n", "", "input field `ProjectCreateInput.isMonorepo` exists in Railway's schema but the mock rejects it"),
        (
            "\tregion: String\n\tserviceId: String\n}",
            "\tregion: String!\n\tserviceId: String\n}",
            "input field `VolumeCreateInput.region` is `String!`",
        ),
    ] {
        assert!(sdl.contains(from), "the SDL no longer contains {from:?}; update this case");
        let broken = sdl.replacen(from, to, 1);
        let found = mismatches(&broken, RAILWAY_SDL);
        assert!(
            found.iter().any(|m| m.contains(expected)),
            "replacing {from:?} by {to:?} was not reported as {expected:?}; got {found:#?}"
        );
    }
}

/// The operation catalogue (`ops.rs`) and the schema's root fields describe the same API.
#[test]
fn every_catalogued_operation_is_a_root_field_of_the_right_root_type() {
    let mock = defs(&schema().sdl());
    let (query, mutation) = (&mock["Query"].fields, &mock["Mutation"].fields);
    for op in crate::ops::Op::ALL {
        let root = if op.is_mutation() { mutation } else { query };
        assert!(root.contains_key(op.name()), "`{op}` is catalogued but not a root field of its root type");
    }
    for name in query.keys().chain(mutation.keys()) {
        assert!(crate::ops::Op::from_name(name).is_some(), "root field `{name}` is missing from the operation catalogue");
    }
}
