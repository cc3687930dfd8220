//! The JSON Schema of the time types a scenario file writes. The format reads
//! `mock_provider::time::{Duration, Instant}` themselves (one type per concept, one parser each);
//! these shapes exist only so `#[schemars(with = "…")]` can describe them to editors.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// The schema of a `Duration` field.
pub(crate) struct DurationSchema;

impl JsonSchema for DurationSchema {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([0-9]+[smhdw])+$",
            "description": "A length of time: `<number><unit>` pairs with units s, m, h, d, w, such as \"90d\" or \"1h30m\"",
            "examples": ["24h", "1h30m", "90d"]
        })
    }
}

/// The schema of an `Instant` field.
pub(crate) struct InstantSchema;

impl JsonSchema for InstantSchema {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "An RFC 3339 timestamp with an offset, such as \"2026-04-24T15:00:00Z\"",
            "examples": ["2026-04-24T15:00:00Z"]
        })
    }
}
