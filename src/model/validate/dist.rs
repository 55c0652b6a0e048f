//! A `{ dist = "...", ... }` table into a [`Dist`]: the family named, and
//! exactly that family's parameters.

use super::super::duration::Duration;
use super::super::error::{Check, KeyPath, Problem};
use super::super::raw::RawDist;
use crate::model::Dist;

/// Converts a distribution table, checking that it names a known family and
/// gives exactly that family's parameters.
pub(super) fn dist(raw: RawDist, path: &KeyPath) -> Check<Dist> {
    let family = raw.dist.clone().ok_or_else(|| {
        Problem::new(
            path.key("dist"),
            "missing: one of exponential, lognormal, gamma, weibull, uniform, constant, erlang, empirical",
        )
    })?;
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
    ];
    let params: &[&str] = match family.as_str() {
        "exponential" => &["mean"],
        "lognormal" | "gamma" => &["mean", "sd"],
        "weibull" => &["shape", "scale"],
        "uniform" => &["min", "max"],
        "constant" => &["value"],
        "erlang" => &["k", "mean"],
        "empirical" => &["values"],
        other => {
            return Err(Problem::new(
                path.key("dist"),
                format!(
                    "unknown distribution {other:?}: use one of exponential, lognormal, gamma, weibull, \
                     uniform, constant, erlang, empirical"
                ),
            ));
        }
    };
    for (key, present) in &given {
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
