//! A `{ dist = "...", ... }` table into a [`Dist`]: the family named, and
//! exactly that family's parameters.

use super::super::duration::Duration;
use super::super::error::{Check, KeyPath, Problem};
use super::super::raw::{RawByInterval, RawDist};
use crate::model::dist::MAX_WEIGHT;
use crate::model::{ByInterval, Dist, Horizon, format_number};

const FAMILIES: &str =
    "exponential, lognormal, gamma, weibull, uniform, constant, erlang, empirical, mixture";

/// A queue's `handle_time`, `patience` or `wrap_up`: one distribution for
/// the day, or a list with exactly one per interval.
pub(super) fn by_interval(
    raw: RawByInterval,
    path: &KeyPath,
    h: &Horizon,
) -> Check<ByInterval<Dist>> {
    match raw {
        RawByInterval::Day(d) => dist(d, path).map(ByInterval::Day),
        RawByInterval::PerInterval(list) => {
            if list.len() != h.intervals {
                return Err(Problem::new(
                    path.clone(),
                    format!(
                        "has {} distributions but the horizon has {} intervals: give one table \
                         for the day or one per interval",
                        list.len(),
                        h.intervals
                    ),
                ));
            }
            list.into_iter()
                .enumerate()
                .map(|(k, d)| dist(d, &path.index(k)))
                .collect::<Check<Vec<Dist>>>()
                .map(ByInterval::PerInterval)
        }
    }
}

/// A distribution table where a list, one per interval, is not allowed.
pub(super) fn day_only(raw: RawByInterval, path: &KeyPath) -> Check<Dist> {
    match raw {
        RawByInterval::Day(d) => dist(d, path),
        RawByInterval::PerInterval(_) => Err(Problem::new(
            path.clone(),
            "takes one distribution table; a list, one per interval, is only for a queue's \
             handle_time, patience and wrap_up",
        )),
    }
}

/// Converts a distribution table, checking that it names a known family and
/// gives exactly that family's parameters.
pub(super) fn dist(raw: RawDist, path: &KeyPath) -> Check<Dist> {
    let family = raw
        .dist
        .clone()
        .ok_or_else(|| Problem::new(path.key("dist"), format!("missing: one of {FAMILIES}")))?;
    let given: Vec<(&str, bool)> = vec![
        ("mean", raw.mean.is_some()),
        ("sd", raw.sd.is_some()),
        ("shape", raw.shape.is_some()),
        ("scale", raw.scale.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
        ("value", raw.value.is_some()),
        ("k", raw.k.is_some()),
        ("values", raw.values.is_some()),
        ("parts", raw.parts.is_some()),
        // Only a mixture's parts take a weight (`part` removes it).
        ("weight", raw.weight.is_some()),
    ];
    let params: &[&str] = match family.as_str() {
        "exponential" => &["mean"],
        "lognormal" | "gamma" => &["mean", "sd"],
        "weibull" => &["shape", "scale"],
        "uniform" => &["min", "max"],
        "constant" => &["value"],
        "erlang" => &["k", "mean"],
        "empirical" => &["values"],
        "mixture" => &["parts"],
        other => {
            return Err(Problem::new(
                path.key("dist"),
                format!("unknown distribution {other:?}: use one of {FAMILIES}"),
            ));
        }
    };
    for (key, present) in &given {
        if *present && *key == "weight" {
            return Err(Problem::new(
                path.key(key),
                "only a part of a mixture takes a weight",
            ));
        }
        if *present && !params.contains(key) {
            return Err(Problem::new(
                path.key(key),
                format!(
                    "is not a parameter of {family} (it takes {})",
                    params.join(", ")
                ),
            ));
        }
        if !*present && params.contains(key) {
            return Err(Problem::new(
                path.key(key),
                format!("missing: {family} takes {}", params.join(", ")),
            ));
        }
    }
    let secs = |d: Option<Duration>| d.map(|d| d.0).unwrap_or(f64::NAN);
    let built = match family.as_str() {
        "exponential" => Dist::exponential(secs(raw.mean)),
        "lognormal" => Dist::lognormal(secs(raw.mean), secs(raw.sd)),
        "gamma" => Dist::gamma(secs(raw.mean), secs(raw.sd)),
        "weibull" => Dist::weibull(raw.shape.unwrap_or(f64::NAN), secs(raw.scale)),
        "uniform" => Dist::uniform(secs(raw.min), secs(raw.max)),
        "constant" => Dist::constant(secs(raw.value)),
        "erlang" => {
            let k = raw.k.unwrap_or(0);
            let k = u32::try_from(k)
                .ok()
                .filter(|&k| (1..=1000).contains(&k))
                .ok_or_else(|| {
                    Problem::new(
                        path.key("k"),
                        format!("must be a whole number from 1 to 1000, got {k}"),
                    )
                })?;
            Dist::erlang(k, secs(raw.mean))
        }
        "empirical" => {
            Dist::empirical(raw.values.unwrap_or_default().iter().map(|d| d.0).collect())
        }
        "mixture" => {
            let parts_path = path.key("parts");
            let raw_parts = raw.parts.unwrap_or_default();
            if raw_parts.is_empty() {
                return Err(Problem::new(
                    parts_path,
                    "must hold at least one part, e.g. [{ weight = 1, dist = \"exponential\", \
                     mean = \"5m\" }]",
                ));
            }
            let parts = raw_parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| part(p, &parts_path.index(i)))
                .collect::<Check<Vec<_>>>()?;
            Dist::mixture(parts)
        }
        _ => unreachable!("family checked above"),
    };
    built.map_err(|msg| {
        // Point at the parameter the message starts with, when there is one.
        let key = params
            .iter()
            .find(|p| msg.starts_with(*p))
            .map_or(path.clone(), |p| path.key(p));
        Problem::new(key, msg)
    })
}

/// One part of a mixture: a positive `weight` and a distribution table
/// that is not itself a mixture.
fn part(mut raw: RawDist, path: &KeyPath) -> Check<(f64, Dist)> {
    let weight = raw.weight.take().ok_or_else(|| {
        Problem::new(
            path.key("weight"),
            "missing: each part of a mixture takes a weight (its share of the calls)",
        )
    })?;
    if !(weight > 0.0 && weight <= MAX_WEIGHT) {
        return Err(Problem::new(
            path.key("weight"),
            format!(
                "must be a number above 0 and at most {}, got {}",
                format_number(MAX_WEIGHT),
                format_number(weight)
            ),
        ));
    }
    if raw.dist.as_deref() == Some("mixture") {
        return Err(Problem::new(
            path.key("dist"),
            "a part of a mixture cannot itself be a mixture: list its parts in the outer one",
        ));
    }
    Ok((weight, dist(raw, path)?))
}
