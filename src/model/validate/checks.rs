//! The checks every key's value goes through: names, durations,
//! probabilities, integer ranges, one number per interval.

use super::super::duration::Duration;
use super::super::error::{Check, KeyPath, Problem};
use crate::model::{Horizon, MAX_DURATION_TEXT, format_duration, format_number, within_limit};

/// A per-interval list must have one number per planning interval.
pub(super) fn one_per_interval(len: usize, path: &KeyPath, h: &Horizon) -> Check<()> {
    if len == h.intervals {
        return Ok(());
    }
    Err(Problem::new(
        path.clone(),
        format!(
            "has {len} numbers but the horizon has {} intervals ({} of {})",
            h.intervals,
            format_duration(h.open),
            format_duration(h.interval)
        ),
    ))
}

pub(super) fn name(raw: Option<String>, path: &KeyPath, what: &str) -> Check<String> {
    match raw {
        None => Err(Problem::new(
            path.key("name"),
            format!("missing: every {what} needs a name"),
        )),
        Some(n) if n.trim().is_empty() || n.contains('/') || n.chars().any(char::is_control) => {
            Err(Problem::new(
                path.key("name"),
                format!(
                    "{n:?} is not a usable name: it must be non-empty, without '/' or control characters"
                ),
            ))
        }
        Some(n) => Ok(n),
    }
}

pub(super) fn positive(d: Duration, path: &KeyPath) -> Check<f64> {
    if within_limit(d.0) && d.0 > 0.0 {
        Ok(d.0)
    } else {
        Err(Problem::new(
            path.clone(),
            format!(
                "must be a duration above 0 and at most {MAX_DURATION_TEXT}, got {} s",
                format_number(d.0)
            ),
        ))
    }
}

pub(super) fn non_negative(d: Duration, path: &KeyPath) -> Check<f64> {
    if within_limit(d.0) && d.0 >= 0.0 {
        Ok(d.0)
    } else {
        Err(Problem::new(
            path.clone(),
            format!(
                "must be a duration from 0 to {MAX_DURATION_TEXT}, got {} s",
                format_number(d.0)
            ),
        ))
    }
}

pub(super) fn opt_non_negative(d: Option<Duration>, path: &KeyPath) -> Check<f64> {
    d.map_or(Ok(0.0), |d| non_negative(d, path))
}

pub(super) fn probability(p: Option<f64>, path: &KeyPath) -> Check<f64> {
    match p {
        None => Ok(1.0),
        Some(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Some(v) => Err(Problem::new(
            path.clone(),
            format!(
                "must be a probability between 0 and 1, got {}",
                format_number(v)
            ),
        )),
    }
}

pub(super) fn int32(v: i64, path: &KeyPath) -> Check<i32> {
    i32::try_from(v).map_err(|_| {
        Problem::new(
            path.clone(),
            format!(
                "must be a whole number from {} to {}, got {v}",
                i32::MIN,
                i32::MAX
            ),
        )
    })
}
