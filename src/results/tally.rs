//! Streaming tallies inside one replication: a queue's cohort
//! ([`QueueTally`]), a queue's calls arriving in one interval
//! ([`IntervalTally`]), and an agent group's busy and staffed time
//! ([`BusyTally`]). Only the [`Recorder`](super::Recorder) writes them.

use super::DurationHistogram;
use super::metric::{Count, Hist, N_COUNTS, N_SUMS, Sum, Tally};

/// Cohort tallies of one queue (or of all queues) in one replication.
#[derive(Clone, Debug, Default)]
pub struct QueueTally {
    counts: [u64; N_COUNTS],
    sums: [f64; N_SUMS],
    wait_hist: DurationHistogram,
    delay_hist: DurationHistogram,
}

impl QueueTally {
    #[inline]
    pub fn bump(&mut self, c: Count) {
        self.counts[c as usize] += 1;
    }

    #[inline]
    pub fn add_to(&mut self, s: Sum, x: f64) {
        self.sums[s as usize] += x;
    }

    #[inline]
    pub fn record(&mut self, h: Hist, secs: f64) {
        match h {
            Hist::Wait => self.wait_hist.record(secs),
            Hist::CallbackDelay => self.delay_hist.record(secs),
        }
    }

    /// Readies the histograms for quantiles (see [`DurationHistogram::settle`]).
    pub fn settle(&mut self) {
        self.wait_hist.settle();
        self.delay_hist.settle();
    }

    /// Adds another tally into this one (for the `total` scope).
    pub fn add(&mut self, o: &QueueTally) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&o.sums) {
            *a += b;
        }
        self.wait_hist.merge(&o.wait_hist);
        self.delay_hist.merge(&o.delay_hist);
    }
}

impl Tally for QueueTally {
    fn count(&self, c: Count) -> f64 {
        self.counts[c as usize] as f64
    }

    fn sum(&self, s: Sum) -> f64 {
        self.sums[s as usize]
    }

    fn quantile(&self, h: Hist, p: f64) -> f64 {
        match h {
            Hist::Wait => self.wait_hist.quantile(p),
            Hist::CallbackDelay => self.delay_hist.quantile(p),
        }
    }
}

/// Cohort tallies of one queue for calls arriving in one interval: what
/// the metrics reported per interval need (see
/// [`Metric::per_interval`](super::Metric::per_interval)). Its fields are
/// a shard file's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntervalTally {
    pub offered: u32,
    pub answered: u32,
    pub abandoned: u32,
    pub callbacks_offered: u32,
    pub callbacks_requested: u32,
    pub answered_within_sl: u32,
    #[serde(with = "crate::serde_f64")]
    pub wait_answered_sum: f64,
}

impl IntervalTally {
    /// The counter of `c`, if the interval keeps one.
    #[inline]
    fn counter(&mut self, c: Count) -> Option<&mut u32> {
        match c {
            Count::Offered => Some(&mut self.offered),
            Count::Answered => Some(&mut self.answered),
            Count::Abandoned => Some(&mut self.abandoned),
            Count::CallbacksOffered => Some(&mut self.callbacks_offered),
            Count::CallbacksRequested => Some(&mut self.callbacks_requested),
            Count::AnsweredWithinSl => Some(&mut self.answered_within_sl),
            _ => None,
        }
    }

    /// Counts `c` if the interval keeps it.
    #[inline]
    pub fn bump(&mut self, c: Count) {
        if let Some(n) = self.counter(c) {
            *n += 1;
        }
    }

    #[inline]
    pub fn add_to(&mut self, s: Sum, x: f64) {
        if s == Sum::WaitAnswered {
            self.wait_answered_sum += x;
        }
    }
}

impl Tally for IntervalTally {
    fn count(&self, c: Count) -> f64 {
        // A copy, so that reading and counting share one mapping.
        let mut copy = *self;
        copy.counter(c).map_or(f64::NAN, |n| f64::from(*n))
    }

    fn sum(&self, s: Sum) -> f64 {
        match s {
            Sum::WaitAnswered => self.wait_answered_sum,
            _ => f64::NAN,
        }
    }

    fn quantile(&self, _: Hist, _: f64) -> f64 {
        f64::NAN
    }
}

/// Time integrals of one agent group's busy and logged-in agents over
/// `[from, to)` (the measured window), for occupancy.
#[derive(Clone, Debug)]
pub struct BusyTally {
    from: f64,
    to: f64,
    last: f64,
    busy_time: f64,
    staffed_time: f64,
}

impl BusyTally {
    pub fn new(from: f64, to: f64) -> Self {
        BusyTally {
            from,
            to,
            last: 0.0,
            busy_time: 0.0,
            staffed_time: 0.0,
        }
    }

    /// Accounts for `[last, now)` with `busy` of `present` agents busy.
    #[inline]
    pub fn advance(&mut self, now: f64, busy: u32, present: u32) {
        let a = self.last.max(self.from);
        let b = now.min(self.to);
        if b > a {
            self.busy_time += (b - a) * f64::from(busy);
            self.staffed_time += (b - a) * f64::from(present);
        }
        self.last = now;
    }

    /// Busy time ÷ logged-in time (`NaN` when nobody was logged in).
    pub fn occupancy(&self) -> f64 {
        if self.staffed_time > 0.0 {
            self.busy_time / self.staffed_time
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Metric;
    use super::*;

    #[test]
    fn ratios_follow_spec_definitions() {
        let mut t = QueueTally::default();
        let times = [
            (Count::Offered, 10),
            (Count::Answered, 6),
            (Count::Abandoned, 2),
            (Count::CallbacksRequested, 2),
            (Count::AnsweredWithinSl, 3),
        ];
        for (c, n) in times {
            (0..n).for_each(|_| t.bump(c));
        }
        t.add_to(Sum::WaitAnswered, 60.0);
        assert_eq!(Metric::AbandonRate.value(&t), 0.2);
        assert_eq!(Metric::ServiceLevel.value(&t), 3.0 / 8.0);
        assert_eq!(Metric::Asa.value(&t), 10.0);
        assert!(Metric::CallbackDelayMean.value(&t).is_nan());
    }

    /// Every metric reported per interval comes out of an interval's
    /// tally exactly as out of a queue's: a per-interval metric that needs
    /// a count the interval does not keep would be `NaN` here.
    #[test]
    fn interval_tallies_keep_what_per_interval_metrics_need() {
        let mut q = QueueTally::default();
        let mut k = IntervalTally::default();
        let all = [
            Count::Offered,
            Count::Answered,
            Count::Abandoned,
            Count::CallbacksOffered,
            Count::CallbacksRequested,
            Count::AnsweredWithinSl,
        ];
        for (i, c) in all.into_iter().enumerate() {
            for _ in 0..=i {
                q.bump(c);
                k.bump(c);
            }
        }
        q.add_to(Sum::WaitAnswered, 12.5);
        k.add_to(Sum::WaitAnswered, 12.5);
        for m in Metric::QUEUE.into_iter().filter(|m| m.per_interval()) {
            let (a, b) = (m.value(&q), m.value(&k));
            assert!(a.is_finite() && a == b, "{}: {a} vs {b}", m.name());
        }
    }

    #[test]
    fn busy_tally_clips_to_window() {
        let mut b = BusyTally::new(10.0, 20.0);
        b.advance(5.0, 1, 2); // before the window
        b.advance(15.0, 1, 2); // [5,15) → counts [10,15)
        b.advance(30.0, 2, 2); // [15,30) → counts [15,20)
        assert_eq!(b.busy_time, 5.0 + 10.0);
        assert_eq!(b.staffed_time, 10.0 + 10.0);
        assert_eq!(b.occupancy(), 0.75);
    }
}
