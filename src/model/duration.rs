//! The duration syntax of scenario files: a number of seconds, or a string
//! with a unit, `"90s"`, `"15m"`, `"8h"` (SPEC §2).

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// A duration as written in a scenario file, in seconds. It may still be
/// negative or not finite: range checks belong to validation, which knows
/// what the key allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Duration(pub f64);

/// The longest duration a scenario key or a `ccsim erlang` argument may
/// give: 366 days (31,622,400 s). No contact center plans beyond a year,
/// and below it every sum of durations a run makes stays finite (1e308 s
/// would print `inf`). The one place the limit is set.
pub const MAX_DURATION: f64 = 366.0 * 86_400.0;

/// [`MAX_DURATION`] as messages and the README write it.
pub const MAX_DURATION_TEXT: &str = "366d";

/// Whether `secs` is a finite duration of at most [`MAX_DURATION`] (of
/// either sign: the sign is checked by what the key allows).
pub fn within_limit(secs: f64) -> bool {
    secs.is_finite() && secs.abs() <= MAX_DURATION
}

/// A number as messages show it: the shortest form that reads back the
/// same, in exponent form when very large or small, so that 1e308 is
/// not printed with 309 digits.
pub fn format_number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e16).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Parses the string form of a duration into seconds.
pub fn parse_duration(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 's')) => (&t[..i], 1.0),
        Some((i, 'm')) => (&t[..i], 60.0),
        Some((i, 'h')) => (&t[..i], 3600.0),
        Some((i, 'd')) => (&t[..i], 86400.0),
        _ => (t, 1.0),
    };
    let num = num.trim();
    let ok = !num.is_empty()
        && num
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e');
    match num.parse::<f64>() {
        Ok(v) if ok => Ok(v * mult),
        _ => Err(format!(
            "invalid duration {s:?}: expected a number of seconds or a number with a unit, like \"90s\", \"15m\", \"8h\""
        )),
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration: a number of seconds or a string like \"90s\", \"15m\", \"8h\"",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                Ok(Duration(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                Ok(Duration(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
                Ok(Duration(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                parse_duration(v).map(Duration).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Formats seconds the way a planner reads them: `45s`, `2.5m`, `8h`.
pub fn format_duration(secs: f64) -> String {
    // To the millisecond, so that 1.1h (3960.0000000000005 s) reads "66m".
    let secs = (secs * 1000.0).round() / 1000.0;
    if secs >= 3600.0 && (secs / 3600.0).fract() == 0.0 {
        format!("{}h", secs / 3600.0)
    } else if secs >= 60.0 && (secs / 60.0 * 10.0).fract() == 0.0 {
        format!("{}m", secs / 60.0)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_duration("90s"), Ok(90.0));
        assert_eq!(parse_duration("15m"), Ok(900.0));
        assert_eq!(parse_duration("8h"), Ok(28800.0));
        assert_eq!(parse_duration("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration(" 20 s "), Ok(20.0));
        assert_eq!(parse_duration("30"), Ok(30.0));
        assert_eq!(parse_duration("1d"), Ok(86400.0));
    }

    #[test]
    fn rejects_garbage() {
        for s in ["", "s", "ten s", "5x", "1h30m", "nan", "inf", "5 minutes"] {
            assert!(parse_duration(s).is_err(), "{s:?} accepted");
        }
    }

    #[test]
    fn the_limit_reads_as_its_text() {
        // Messages write the limit as text; the two must not drift apart.
        assert_eq!(parse_duration(MAX_DURATION_TEXT), Ok(MAX_DURATION));
    }

    #[test]
    fn numbers_read_compactly() {
        assert_eq!(format_number(1e308), "1e308");
        assert_eq!(format_number(-2.5e-9), "-2.5e-9");
        assert_eq!(format_number(100000000.0), "100000000");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(f64::INFINITY), "inf");
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(20.0), "20s");
        assert_eq!(format_duration(90.0), "1.5m");
        assert_eq!(format_duration(1800.0), "30m");
        assert_eq!(format_duration(43200.0), "12h");
        assert_eq!(format_duration(parse_duration("1.1h").unwrap()), "66m");
    }
}
