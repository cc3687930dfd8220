//! `json_schema`: the JSON Schema of the scenario format, for editors and taplo.

use super::Scenario;

/// The JSON Schema (draft 2020-12) of a scenario file, with every key's documentation.
///
/// Editors that understand TOML schemas (taplo, Even Better TOML) use it for completion and
/// checking as you type; it cannot express cross-references, which [`validate`](super::validate)
/// checks.
#[must_use]
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Scenario);
    schema.to_value()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::json_schema;

    /// Every property of every object in `schema`, as `path: property`, that has no
    /// description.
    fn undocumented(schema: &Value, path: &str, out: &mut Vec<String>) {
        match schema {
            Value::Object(fields) => {
                // A one-key table such as a `stored_in` variant is documented as a whole.
                let documented_whole = fields.get("description").is_some();
                if let Some(Value::Object(properties)) =
                    fields.get("properties").filter(|p| !(documented_whole && p.as_object().is_some_and(|o| o.len() == 1)))
                {
                    for (name, property) in properties {
                        if property.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
                            out.push(format!("{path}.{name}"));
                        }
                    }
                }
                for (key, value) in fields {
                    undocumented(value, &format!("{path}/{key}"), out);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    undocumented(item, &format!("{path}/{index}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_key_of_the_format_is_documented_in_the_schema() {
        let mut missing = Vec::new();
        undocumented(&json_schema(), "", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn the_schema_rejects_unknown_keys_and_requires_one_action_per_step() {
        let schema = json_schema();
        assert_eq!(schema.pointer("/additionalProperties"), Some(&Value::Bool(false)));
        let step = schema.pointer("/$defs/Step/oneOf").and_then(Value::as_array).map(Vec::len);
        assert_eq!(step, Some(super::super::agent::ACTION_KEYS.len()));
        let profiles = schema
            .pointer("/$defs/Profile/oneOf")
            .and_then(Value::as_array)
            .map(|variants| variants.iter().filter_map(|v| v.get("const").and_then(Value::as_str)).collect::<Vec<_>>());
        assert_eq!(profiles, Some(mock_provider::PROFILE_NAMES.to_vec()), "the schema's profiles are the provider's");
        assert_eq!(schema.pointer("/required"), Some(&serde_json::json!(["start", "provider"])));
    }
}
