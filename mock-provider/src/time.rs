//! Simulated time: instants and durations as plain seconds, parsed and printed in RFC 3339.
//!
//! Why this shape: the provider never reads the wall clock. Every instant it sees comes from its
//! caller, so time is a value (`Instant`) and the clock is a field of the state, moved only by
//! `State::advance_to`.

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in simulated time, in whole seconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(pub i64);

/// A span of simulated time in whole seconds. Negative spans are allowed in arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub i64);

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn seconds(s: i64) -> Self {
        Duration(s)
    }
    pub const fn minutes(m: i64) -> Self {
        Duration(m * 60)
    }
    pub const fn hours(h: i64) -> Self {
        Duration(h * 3600)
    }
    pub const fn days(d: i64) -> Self {
        Duration(d * 86_400)
    }
    pub const fn as_secs(self) -> i64 {
        self.0
    }
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses `<number><unit>` pairs such as `48h`, `90d`, `1h30m`; units are `s`, `m`, `h`, `d`
    /// (24 hours) and `w` (7 days). The one parser of durations: scenario files, the admin
    /// surface and the CLI all read durations through it, so they accept and refuse the same text.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        text.parse()
    }
}

/// Why a duration could not be read; the message is complete and shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(String);

/// Seconds per unit, largest first.
const UNITS: [(char, i64); 5] = [('w', 7 * 86_400), ('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

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
                if found.is_whitespace() {
                    return Err(fail("spaces are not allowed; write `1h30m`, not `1h 30m`".into()));
                }
                return Err(fail(format!("expected a number at `{found}`")));
            }
            if unit.is_empty() && after.starts_with('.') {
                return Err(fail("fractions are not supported; combine units such as `1h30m`".into()));
            }
            if unit.is_empty() && after.starts_with(char::is_whitespace) {
                return Err(fail(format!(
                    "the space after `{number}` is not allowed; write the unit right after the number, as `{number}h`"
                )));
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
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    /// Prints the largest exact units: `48h` as `2d`, `5400s` as `1h30m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.0;
        if s == 0 {
            return f.write_str("0s");
        }
        if s < 0 {
            f.write_str("-")?;
            s = -s;
        }
        for (unit, name) in [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")] {
            if s >= unit {
                write!(f, "{}{}", s / unit, name)?;
                s %= unit;
            }
        }
        Ok(())
    }
}

impl Instant {
    /// Parses an RFC 3339 instant with an offset, such as `2026-04-24T15:00:00Z`; fractions of a
    /// second are refused. The one parser of instants, like `Duration::parse`.
    pub fn parse(text: &str) -> Result<Self, InstantError> {
        text.parse()
    }

    /// RFC 3339 with millisecond precision, the way Railway prints `DateTime`.
    pub fn to_rfc3339(self) -> String {
        let (y, mo, d, h, mi, se) = civil(self.0);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}.000Z")
    }

    pub fn since(self, earlier: Instant) -> Duration {
        Duration(self.0 - earlier.0)
    }
}

/// The UTC calendar fields of a Unix time. Why hand-written: reports and events print tens of
/// thousands of instants per second, and this is a handful of integer operations (Howard
/// Hinnant's `civil_from_days`); parsing, where correctness is subtler, stays with jiff.
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, se) = civil(self.0);
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}Z")
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
            // jiff's own message names its internals; say what the text needs instead.
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
        Ok(Instant(stamp.as_second()))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(d.0))
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, d: Duration) -> Instant {
        Instant(self.0.saturating_sub(d.0))
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, d: Duration) -> Duration {
        Duration(self.0.saturating_add(d.0))
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The key under which the `toml` crate hands a native date-time to a deserializer.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Instant;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp such as \"2026-04-24T15:00:00Z\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Instant, E> {
                text.parse().map_err(E::custom)
            }
            // Bare TOML date-times arrive as a one-entry map under toml's private key; they are
            // accepted like strings, so a scenario may write `start = 2026-04-24T15:00:00Z`.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Instant, A::Error> {
                match map.next_key::<String>()? {
                    Some(key) if key == TOML_DATETIME_KEY => {
                        let text: String = map.next_value()?;
                        text.parse().map_err(serde::de::Error::custom)
                    }
                    _ => Err(serde::de::Error::custom("expected a timestamp, found a table")),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
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
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_duration(input: &str, expected: &str) {
        let got = match Duration::parse(input) {
            Ok(d) => format!("{} = {d}", d.as_secs()),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn durations_parse_to_seconds_and_print_in_their_largest_units() {
        check_duration("0s", "0 = 0s");
        check_duration("90s", "90 = 1m30s");
        check_duration("1h30m", "5400 = 1h30m");
        check_duration("30m1h", "5400 = 1h30m");
        check_duration("100d", "8640000 = 100d");
        check_duration("2w", "1209600 = 14d");
        check_duration("1w", "604800 = 7d");
        check_duration("48h", "172800 = 2d");
    }

    #[test]
    fn malformed_durations_say_what_is_wrong() {
        check_duration("", "invalid duration ``: it is empty; write a number and a unit such as `24h`");
        check_duration("90", "invalid duration `90`: `90` needs a unit: one of `s`, `m`, `h`, `d`, `w`");
        check_duration("5x", "invalid duration `5x`: unknown unit `x`; units are `s`, `m`, `h`, `d`, `w`");
        check_duration("5ms", "invalid duration `5ms`: unknown unit `ms`; units are `s`, `m`, `h`, `d`, `w`");
        check_duration("h", "invalid duration `h`: expected a number at `h`");
        check_duration(
            "13 h",
            "invalid duration `13 h`: the space after `13` is not allowed; write the unit right after the number, as `13h`",
        );
        check_duration("1h 30m", "invalid duration `1h 30m`: spaces are not allowed; write `1h30m`, not `1h 30m`");
        check_duration(" 1h", "invalid duration ` 1h`: spaces are not allowed; write `1h30m`, not `1h 30m`");
        check_duration("-5s", "invalid duration `-5s`: expected a number at `-`");
        check_duration("1.5h", "invalid duration `1.5h`: fractions are not supported; combine units such as `1h30m`");
        check_duration("99999999999999999999d", "invalid duration `99999999999999999999d`: it is too long");
    }

    fn check_instant(input: &str, expected: &str) {
        let got = match Instant::parse(input) {
            Ok(i) => format!("{} = {i}", i.0),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn instants_parse_to_unix_seconds() {
        check_instant("1970-01-01T00:00:00Z", "0 = 1970-01-01T00:00:00Z");
        check_instant("2026-04-24T15:00:00Z", "1777042800 = 2026-04-24T15:00:00Z");
        check_instant("2026-04-24T17:00:00+02:00", "1777042800 = 2026-04-24T15:00:00Z");
    }

    #[test]
    fn malformed_instants_say_what_is_wrong() {
        check_instant(
            "2026-04-24T15:00:00",
            "invalid instant `2026-04-24T15:00:00`: it has no UTC offset; add `Z` or an offset such as `+02:00`",
        );
        check_instant("yesterday", "invalid instant `yesterday`: expected an RFC 3339 timestamp such as `2026-04-24T15:00:00Z`");
        check_instant("2026-04-24T15:00:00.5Z", "invalid instant `2026-04-24T15:00:00.5Z`: fractions of a second are not supported");
    }

    #[test]
    fn the_fast_calendar_agrees_with_jiff_across_centuries() {
        let mut t = -2_208_988_800i64; // 1900-01-01
        while t < 4_102_444_800 {
            // 2100-01-01
            let ours = Instant(t).to_string();
            let theirs = jiff::Timestamp::from_second(t).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(ours, theirs, "{t}");
            t += 86_400 * 13 + 3_607;
        }
    }

    #[test]
    fn instants_round_trip_through_rfc3339() {
        let t = Instant::parse("2026-04-24T15:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-04-24T15:00:00Z");
        assert_eq!(t.to_rfc3339(), "2026-04-24T15:00:00.000Z");
        assert_eq!((t + Duration::hours(48)).to_string(), "2026-04-26T15:00:00Z");
    }
}
