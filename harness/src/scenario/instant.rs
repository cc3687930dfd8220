//! `Instant`: a point in simulated time, written as an RFC 3339 timestamp.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Duration;

/// A point in time in whole seconds since the Unix epoch (UTC).
///
/// Written in scenario files as an RFC 3339 timestamp with an offset, either quoted
/// (`"2026-04-24T15:00:00Z"`) or as a bare TOML offset date-time (`2026-04-24T15:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_seconds: i64,
}

impl Instant {
    /// The instant `unix_seconds` seconds after the Unix epoch.
    #[must_use]
    pub const fn from_unix_seconds(unix_seconds: i64) -> Self {
        Self { unix_seconds }
    }

    /// This instant moved `by` earlier, saturating at the representable range.
    #[must_use]
    pub const fn minus(self, by: Duration) -> Self {
        Self { unix_seconds: self.unix_seconds.saturating_sub(by.seconds) }
    }

    /// This instant moved `by` later, saturating at the representable range.
    #[must_use]
    pub const fn plus(self, by: Duration) -> Self {
        Self { unix_seconds: self.unix_seconds.saturating_add(by.seconds) }
    }
}

/// Why an instant could not be read; the message is complete and shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InstantError(String);

impl FromStr for Instant {
    type Err = InstantError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let stamp = jiff::Timestamp::from_str(text).map_err(|_| {
            // jiff's own message names its internals; say what the file needs instead.
            let no_offset = !text.ends_with(['Z', 'z']) && text.get(19..).is_some_and(|tail| !tail.contains(['+', '-']));
            let why = if no_offset {
                "it has no UTC offset; add `Z` or an offset such as `+02:00`"
            } else {
                "expected an RFC 3339 timestamp such as `2026-04-24T15:00:00Z`"
            };
            InstantError(format!("invalid instant `{text}`: {why}"))
        })?;
        if stamp.subsec_nanosecond() != 0 {
            return Err(InstantError(format!("invalid instant `{text}`: fractions of a second are not supported")));
        }
        Ok(Self { unix_seconds: stamp.as_second() })
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::from_second(self.unix_seconds) {
            Ok(stamp) => write!(f, "{stamp}"),
            Err(_) => write!(f, "@{}", self.unix_seconds),
        }
    }
}

/// The key under which toml hands a native date-time to a deserializer.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Instant;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp such as \"2026-04-24T15:00:00Z\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Instant, E> {
                text.parse().map_err(E::custom)
            }
            // Bare TOML date-times arrive as a one-entry map; accept them like strings.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Instant, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(serde::de::Error::custom("expected a timestamp, found a table"));
                };
                if key != TOML_DATETIME_KEY {
                    return Err(serde::de::Error::custom("expected a timestamp, found a table"));
                }
                let text: String = map.next_value()?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Instant {
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

#[cfg(test)]
mod tests {
    use super::Instant;

    fn check(input: &str, expected: &str) {
        let got = match input.parse::<Instant>() {
            Ok(i) => format!("{} = {i}", i.unix_seconds),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn instants_parse_to_unix_seconds() {
        check("1970-01-01T00:00:00Z", "0 = 1970-01-01T00:00:00Z");
        check("2026-04-24T15:00:00Z", "1777042800 = 2026-04-24T15:00:00Z");
        check("2026-04-24T17:00:00+02:00", "1777042800 = 2026-04-24T15:00:00Z");
    }

    #[test]
    fn malformed_instants_say_what_is_wrong() {
        check("2026-04-24T15:00:00", "invalid instant `2026-04-24T15:00:00`: it has no UTC offset; add `Z` or an offset such as `+02:00`");
        check("yesterday", "invalid instant `yesterday`: expected an RFC 3339 timestamp such as `2026-04-24T15:00:00Z`");
        check("2026-04-24T15:00:00.5Z", "invalid instant `2026-04-24T15:00:00.5Z`: fractions of a second are not supported");
    }
}
