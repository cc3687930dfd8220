//! `Duration`: a length of simulated time written as `"90d"` or `"1h30m"`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative length of time in whole seconds.
///
/// Written in scenario files as a sequence of `<number><unit>` pairs with units `s`, `m`, `h`,
/// `d` (24 hours) and `w` (7 days), such as `"90d"`, `"1h30m"` or `"0s"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    /// The length in seconds.
    pub seconds: i64,
}

impl Duration {
    /// A duration of `seconds` seconds.
    #[must_use]
    pub const fn from_seconds(seconds: i64) -> Self {
        Self { seconds }
    }

    /// Whether this is the zero duration.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.seconds == 0
    }
}

/// Seconds per unit, largest first, so that `Display` writes the canonical form from the
/// largest unit down.
const UNITS: [(char, i64); 5] = [('w', 7 * 86_400), ('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

/// Why a duration could not be read; the message is complete and shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(String);

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |why: String| DurationError(format!("invalid duration `{text}`: {why}"));
        if text.is_empty() {
            return Err(fail("it is empty; write a number and a unit such as `24h`".into()));
        }
        let mut total: i64 = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let (number, after) = rest.split_at(digits);
            let letters = after.len() - after.trim_start_matches(|c: char| c.is_alphabetic()).len();
            let (unit, after) = after.split_at(letters);
            if number.is_empty() {
                let found = rest.chars().next().unwrap_or(' ');
                return Err(fail(format!("expected a number at `{found}`")));
            }
            if unit.is_empty() && after.starts_with('.') {
                return Err(fail("fractions are not supported; combine units such as `1h30m`".into()));
            }
            if unit.is_empty() {
                return Err(fail(format!("`{number}` needs a unit: one of `s`, `m`, `h`, `d`, `w`")));
            }
            let Some(&(_, per_unit)) = UNITS.iter().find(|(u, _)| unit.len() == 1 && unit.starts_with(*u)) else {
                return Err(fail(format!("unknown unit `{unit}`; units are `s`, `m`, `h`, `d`, `w`")));
            };
            let part = number.parse::<i64>().ok().and_then(|n| n.checked_mul(per_unit)).and_then(|s| total.checked_add(s));
            total = part.ok_or_else(|| fail("it is too long".into()))?;
            rest = after;
        }
        Ok(Self { seconds: total })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds <= 0 {
            return write!(f, "{}s", self.seconds.max(0));
        }
        let mut rest = self.seconds;
        // Weeks are accepted but not written: "100d" reads better than "14w2d".
        for (unit, per_unit) in UNITS.into_iter().skip(1) {
            if rest >= per_unit {
                write!(f, "{}{unit}", rest / per_unit)?;
                rest %= per_unit;
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"24h\" or \"1h30m\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Duration, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Duration {
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

#[cfg(test)]
mod tests {
    use super::Duration;

    fn check(input: &str, expected: &str) {
        let got = match input.parse::<Duration>() {
            Ok(d) => format!("{} = {d}", d.seconds),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn durations_parse_to_seconds_and_print_canonically() {
        check("0s", "0 = 0s");
        check("90s", "90 = 1m30s");
        check("1h30m", "5400 = 1h30m");
        check("30m1h", "5400 = 1h30m");
        check("100d", "8640000 = 100d");
        check("2w", "1209600 = 14d");
        check("48h", "172800 = 2d");
    }

    #[test]
    fn malformed_durations_say_what_is_wrong() {
        check("", "invalid duration ``: it is empty; write a number and a unit such as `24h`");
        check("90", "invalid duration `90`: `90` needs a unit: one of `s`, `m`, `h`, `d`, `w`");
        check("5x", "invalid duration `5x`: unknown unit `x`; units are `s`, `m`, `h`, `d`, `w`");
        check("5ms", "invalid duration `5ms`: unknown unit `ms`; units are `s`, `m`, `h`, `d`, `w`");
        check("h", "invalid duration `h`: expected a number at `h`");
        check("1h 30m", "invalid duration `1h 30m`: expected a number at ` `");
        check("-5s", "invalid duration `-5s`: expected a number at `-`");
        check("1.5h", "invalid duration `1.5h`: fractions are not supported; combine units such as `1h30m`");
        check("99999999999999999999d", "invalid duration `99999999999999999999d`: it is too long");
    }
}
