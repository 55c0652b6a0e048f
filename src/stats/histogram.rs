//! Streaming quantiles of durations.

use hdrhistogram::Histogram;

/// A histogram of durations recorded in whole milliseconds with three
/// significant digits (HdrHistogram): quantiles below 2.048 s are exact to
/// the millisecond, larger ones to within 0.05%. Memory grows with the logarithm
/// of the largest value, never with the number of values.
#[derive(Clone, Debug)]
pub struct DurationHistogram(Histogram<u64>);

impl Default for DurationHistogram {
    fn default() -> Self {
        DurationHistogram(Histogram::new(3).expect("3 significant digits is a valid precision"))
    }
}

impl DurationHistogram {
    /// Records a duration in seconds (negative values, impossible in the
    /// engine, count as 0).
    #[inline]
    pub fn record(&mut self, secs: f64) {
        let ms = (secs * 1000.0).round().max(0.0) as u64;
        // `record` grows the histogram to fit; `saturating_record` would clamp
        // to the current range instead.
        if self.0.record(ms).is_err() {
            self.0.saturating_record(ms);
        }
    }

    /// The `q`-quantile in seconds (`NaN` when empty): the smallest recorded
    /// value with at least a fraction `q` of values at or below it, to the
    /// histogram's resolution.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        // The middle of the value's bucket, within the recorded range: exact
        // for values below 2.048 s, which have buckets of their own, and
        // within ±0.05% above rather than always rounded one way.
        let v = self.0.value_at_quantile(q);
        let mid = self
            .0
            .median_equivalent(v)
            .clamp(self.0.min(), self.0.max());
        mid as f64 / 1000.0
    }

    /// Number of recorded values.
    pub fn len(&self) -> u64 {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &DurationHistogram) {
        self.0
            .add(&other.0)
            .expect("auto-resizing histograms always merge");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_resolution() {
        let mut h = DurationHistogram::default();
        for i in (0..1000).rev() {
            h.record(i as f64); // 0..999 s, largest first: the range must grow
        }
        for (q, want) in [(0.5, 499.0), (0.9, 899.0), (0.99, 989.0)] {
            let got = h.quantile(q);
            assert!(
                (got - want).abs() <= want * 0.001 + 0.001,
                "q{q}: {got} vs {want}"
            );
        }
        assert_eq!(h.len(), 1000);
    }

    #[test]
    fn single_large_value_is_not_rounded_down() {
        let mut h = DurationHistogram::default();
        h.record(100.0);
        assert_eq!(h.quantile(0.9), 100.0);
        h.record(63.0);
        assert!((h.quantile(0.5) - 63.0).abs() <= 63.0 * 0.0005);
    }

    #[test]
    fn zeros_are_exact_and_empty_is_nan() {
        let mut h = DurationHistogram::default();
        assert!(h.quantile(0.5).is_nan());
        for _ in 0..60 {
            h.record(0.0);
        }
        for _ in 0..40 {
            h.record(12.3456);
        }
        assert_eq!(h.quantile(0.5), 0.0);
        assert!((h.quantile(0.9) - 12.346).abs() < 0.02);
    }
}
