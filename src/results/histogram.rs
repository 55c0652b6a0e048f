//! Streaming quantiles of durations.

use hdrhistogram::Histogram;

/// A histogram of durations recorded in whole milliseconds with three
/// significant digits (HdrHistogram): quantiles below 2.048 s are exact to
/// the millisecond, larger ones to within 0.05%. A [`coarse`](Self::coarse)
/// one keeps two digits (below 0.256 s exact, within 0.5% above) in a
/// seventh of the memory, and its quantiles take a seventh of the time: for
/// the figures of every queue in every interval. Memory grows with the logarithm
/// of the largest value, never with the number of values. Counts are 32-bit,
/// which halves the memory touched per record (40 queues' histograms must
/// stay in cache) and saturates only past four billion values in one bucket
/// of one replication.
#[derive(Clone, Debug)]
pub struct DurationHistogram {
    hist: Histogram<u32>,
    /// Values that round to 0 ms, counted apart: calls answered at once are
    /// common, and a counter is much cheaper than a histogram record.
    zeros: u64,
    /// Values in ms not yet in `hist`. The counts of 40 queues' histograms
    /// span megabytes, so a count is often a miss past the second-level
    /// cache: one at a time, each stalls the event loop; a batch of
    /// independent increments overlaps them. The counts, hence every
    /// quantile, do not depend on the order of records.
    pending: [u64; BATCH],
    n_pending: usize,
}

/// Values recorded together.
const BATCH: usize = 32;

impl Default for DurationHistogram {
    fn default() -> Self {
        DurationHistogram::with_digits(3)
    }
}

impl DurationHistogram {
    fn with_digits(digits: u8) -> Self {
        DurationHistogram {
            hist: Histogram::new(digits).expect("2 or 3 significant digits is a valid precision"),
            zeros: 0,
            pending: [0; BATCH],
            n_pending: 0,
        }
    }

    /// Two significant digits instead of three.
    pub fn coarse() -> Self {
        DurationHistogram::with_digits(2)
    }

    /// Records a duration in seconds (negative values, impossible in the
    /// engine, count as 0).
    #[inline]
    pub fn record(&mut self, secs: f64) {
        // Adding a half and truncating rounds to the nearest millisecond
        // without a call to libm's `round` (which the baseline x86-64
        // target has no instruction for); the cast saturates negatives to 0.
        let ms = (secs * 1000.0 + 0.5) as u64;
        if ms == 0 {
            self.zeros += 1;
        } else {
            self.push_ms(ms);
        }
    }

    /// Queues a non-zero value in ms, recording the batch when full.
    #[inline]
    fn push_ms(&mut self, ms: u64) {
        self.pending[self.n_pending] = ms;
        self.n_pending += 1;
        if self.n_pending == BATCH {
            for &ms in &self.pending {
                record_ms(&mut self.hist, ms);
            }
            self.n_pending = 0;
        }
    }

    /// The `q`-quantile in seconds (`NaN` when empty): the smallest recorded
    /// value with at least a fraction `q` of values at or below it, to the
    /// histogram's resolution.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles([q])[0]
    }

    /// Several quantiles at once (see [`quantile`](Self::quantile)).
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        if self.is_empty() {
            return [f64::NAN; N];
        }
        let complete;
        let h = if self.zeros == 0 && self.n_pending == 0 {
            &self.hist
        } else {
            let mut h = self.hist.clone();
            for &ms in &self.pending[..self.n_pending] {
                record_ms(&mut h, ms);
            }
            if self.zeros > 0 {
                h.record_n(0, u32::try_from(self.zeros).unwrap_or(u32::MAX))
                    .expect("0 is within every histogram's range");
            }
            complete = h;
            &complete
        };
        // The middle of the value's bucket, within the recorded range: exact
        // for values below 2.048 s, which have buckets of their own, and
        // within ±0.05% above rather than always rounded one way.
        qs.map(|q| {
            let v = h.value_at_quantile(q);
            h.median_equivalent(v).clamp(h.min(), h.max()) as f64 / 1000.0
        })
    }

    /// Moves the pending values and the zeros into the histogram, so that
    /// quantiles read it without a copy. Quantiles are unchanged.
    pub fn settle(&mut self) {
        for &ms in &self.pending[..self.n_pending] {
            record_ms(&mut self.hist, ms);
        }
        self.n_pending = 0;
        if self.zeros > 0 {
            self.hist
                .record_n(0, u32::try_from(self.zeros).unwrap_or(u32::MAX))
                .expect("0 is within every histogram's range");
            self.zeros = 0;
        }
    }

    /// Number of recorded values.
    pub fn len(&self) -> u64 {
        self.hist.len() + self.zeros + self.n_pending as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &DurationHistogram) {
        self.hist
            .add(&other.hist)
            .expect("auto-resizing histograms always merge");
        self.zeros += other.zeros;
        for &ms in &other.pending[..other.n_pending] {
            self.push_ms(ms);
        }
    }
}

/// Records `ms` (> 0) into `hist`, which grows to fit.
fn record_ms(hist: &mut Histogram<u32>, ms: u64) {
    if hist.record(ms).is_err() {
        // `record` grows the histogram to fit; `saturating_record` would
        // clamp to the current range instead.
        hist.saturating_record(ms);
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

    #[test]
    fn quantiles_are_exact_below_two_seconds_whatever_is_pending() {
        // Below 2.048 s every millisecond has a bucket of its own, so the
        // quantiles must equal the sorted values' (the smallest value with
        // at least a fraction q at or below it), for every count of values:
        // full batches, some pending, zeros counted apart.
        let mut h = DurationHistogram::default();
        let mut sorted = Vec::new();
        for i in 0..150u32 {
            let ms = i * 7919 % 2000 / 3; // 0 ms included
            h.record(f64::from(ms) / 1000.0);
            sorted.push(ms);
            sorted.sort_unstable();
            let qs = [0.0, 0.25, 0.5, 0.9, 1.0];
            let want = qs.map(|q| {
                let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
                f64::from(sorted[rank - 1]) / 1000.0
            });
            assert_eq!(h.len(), sorted.len() as u64);
            assert_eq!(h.quantiles(qs), want, "after {} values", i + 1);
        }
    }

    #[test]
    fn batched_records_do_not_depend_on_order() {
        // 1000 values fill whole batches and leave some pending.
        let values: Vec<f64> = (0..1000)
            .map(|i| f64::from(i * 7919 % 1000) * 0.37)
            .collect();
        let (mut fwd, mut rev) = (DurationHistogram::default(), DurationHistogram::default());
        values.iter().for_each(|&v| fwd.record(v));
        values.iter().rev().for_each(|&v| rev.record(v));
        let qs = [0.001, 0.1, 0.5, 0.9, 0.99, 1.0];
        assert_eq!(fwd.len(), 1000);
        assert_eq!(fwd.quantiles(qs), rev.quantiles(qs));
        // Pending values survive a merge.
        let mut total = DurationHistogram::default();
        total.merge(&fwd);
        total.merge(&rev);
        assert_eq!(total.len(), 2000);
        assert_eq!(total.quantiles(qs), fwd.quantiles(qs));
    }

    #[test]
    fn zeros_counted_apart_merge_and_rank_like_any_value() {
        // Below half a millisecond rounds to 0 and is counted apart; the
        // quantiles must be those of one histogram holding every value.
        let mut a = DurationHistogram::default();
        let mut b = DurationHistogram::default();
        for _ in 0..30 {
            a.record(0.0004);
        }
        for _ in 0..20 {
            b.record(0.0);
            b.record(5.0);
        }
        a.merge(&b);
        assert_eq!(a.len(), 70);
        // 50 zeros of 70 values: the 0.7-quantile is 0, the 0.75 is 5 s.
        let [p70, p75] = a.quantiles([0.7, 0.75]);
        assert_eq!(p70, 0.0);
        assert!((p75 - 5.0).abs() <= 5.0 * 0.0005, "{p75}");
        assert_eq!(a.quantile(0.75), p75);
    }
}
