//! What a queue's [`Target`] bounds and when a figure breaks it: one
//! reading shared by the search and by the report of what it found.

use crate::model::Target;
use crate::results::Metric;

/// The figures a target can bound, in table order.
pub const TARGET_METRICS: [Metric; 3] = [Metric::ServiceLevel, Metric::AbandonRate, Metric::Asa];

/// Target `t`'s bound on `metric`, if it sets one.
pub fn bound(t: &Target, metric: Metric) -> Option<f64> {
    match metric {
        Metric::ServiceLevel => t.service_level,
        Metric::AbandonRate => t.abandon_rate,
        Metric::Asa => t.asa,
        _ => None,
    }
}

/// Each bound of `t` that the figures `get` gives break, as
/// `(metric, got, wanted)`: service level is a floor, the others ceilings.
/// A figure `get` cannot give (or NaN) breaks nothing.
pub fn broken(
    t: &Target,
    get: impl Fn(Metric) -> Option<f64>,
) -> impl Iterator<Item = (Metric, f64, f64)> {
    TARGET_METRICS.into_iter().filter_map(move |m| {
        let want = bound(t, m)?;
        let got = get(m)?;
        let breaks = if m == Metric::ServiceLevel {
            got < want
        } else {
            got > want
        };
        breaks.then_some((m, got, want))
    })
}

/// One broken bound in words, for error messages.
pub fn describe(metric: Metric, got: f64, want: f64) -> String {
    match metric {
        Metric::ServiceLevel => format!("service level {:.1}% < {:.1}%", got * 100.0, want * 100.0),
        Metric::AbandonRate => format!("abandon rate {:.2}% > {:.2}%", got * 100.0, want * 100.0),
        _ => format!("ASA {got:.1}s > {want:.1}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TargetScope;

    #[test]
    fn service_level_is_a_floor_the_others_ceilings() {
        let t = Target {
            service_level: Some(0.8),
            abandon_rate: Some(0.05),
            asa: None,
            scope: TargetScope::Interval,
        };
        let figures = |sl: f64, ab: f64| {
            move |m: Metric| match m {
                Metric::ServiceLevel => Some(sl),
                Metric::AbandonRate => Some(ab),
                _ => Some(1e9),
            }
        };
        assert_eq!(broken(&t, figures(0.8, 0.05)).count(), 0);
        let found: Vec<_> = broken(&t, figures(0.79, 0.06)).collect();
        assert_eq!(
            found,
            [
                (Metric::ServiceLevel, 0.79, 0.8),
                (Metric::AbandonRate, 0.06, 0.05)
            ]
        );
        assert_eq!(broken(&t, |_| Some(f64::NAN)).count(), 0);
        assert_eq!(
            describe(found[0].0, found[0].1, found[0].2),
            "service level 79.0% < 80.0%"
        );
    }
}
