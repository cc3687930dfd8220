//! Simulated time: instants and durations as plain seconds, parsed and printed in RFC 3339.
//!
//! Why this shape: the provider never reads the wall clock. Every instant it sees comes from its
//! caller, so time is a value (`Instant`) and the clock is a field of the state, moved only by
//! `State::advance_to`.

use std::fmt;
use std::ops::{Add, Sub};

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

    /// Parses `<number><unit>` sequences such as `48h`, `90d`, `1h30m`; units are s, m, h, d, w.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty duration, expected something like `48h` or `90d`".into());
        }
        let mut total: i64 = 0;
        let mut number = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            if c == ' ' {
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 7 * 86_400,
                other => {
                    return Err(format!("unknown unit `{other}` in duration `{text}`, expected s, m, h, d or w"));
                }
            };
            if number.is_empty() {
                return Err(format!("missing number before `{c}` in duration `{text}`"));
            }
            let n: i64 = number.parse().map_err(|_| format!("number too large in duration `{text}`"))?;
            total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(|| format!("duration `{text}` is too large"))?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(format!("missing unit after `{number}` in duration `{text}`, e.g. `{number}h`"));
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
    /// Parses an RFC 3339 instant such as `2026-04-24T15:00:00Z`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let ts: jiff::Timestamp =
            text.trim().parse().map_err(|e| format!("`{text}` is not an RFC 3339 instant ({e}), e.g. `2026-04-24T15:00:00Z`"))?;
        Ok(Instant(ts.as_second()))
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

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Instant::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_in_their_largest_units() {
        for (text, secs, printed) in
            [("48h", 172_800, "2d"), ("90d", 7_776_000, "90d"), ("1h30m", 5400, "1h30m"), ("1w", 604_800, "7d"), ("0s", 0, "0s")]
        {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.as_secs(), secs, "{text}");
            assert_eq!(d.to_string(), printed, "{text}");
        }
    }

    #[test]
    fn bad_durations_say_what_is_wrong() {
        for (text, needle) in [("48", "missing unit"), ("h", "missing number"), ("3y", "unknown unit `y`"), ("", "empty")] {
            let err = Duration::parse(text).unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
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
