//! Streaming tallies inside one replication: a queue's cohort, or its
//! calls arriving in one interval ([`QueueTally`]), and an agent group's
//! busy and staffed time over the day and per interval ([`BusyTally`]).
//! Only the [`Recorder`](super::Recorder) writes them.

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

    /// A tally whose quantiles keep two significant digits (see
    /// [`DurationHistogram::coarse`]): for the calls of one interval.
    pub fn coarse() -> Self {
        QueueTally {
            wait_hist: DurationHistogram::coarse(),
            delay_hist: DurationHistogram::coarse(),
            ..Default::default()
        }
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

/// Time integrals of one agent group's busy and logged-in agents over
/// `[from, to)` (the measured window), for occupancy: over the whole
/// window, and by interval. The integrals run on; at each interval's end
/// their value is noted, so an interval's share is the difference of two
/// notes and a span within one interval costs nothing more.
#[derive(Clone, Debug)]
pub struct BusyTally {
    from: f64,
    to: f64,
    /// Interval length; the last interval ends at `to` or later.
    width: f64,
    last: f64,
    busy_time: f64,
    staffed_time: f64,
    /// The end of the interval the clock is in (infinite for the last).
    end: f64,
    /// (busy, staffed) integrals at each interval's end, as reached.
    notes: Vec<(f64, f64)>,
    intervals: usize,
}

impl BusyTally {
    /// Over `intervals` intervals of `width` seconds, counted in `[from, to)`.
    pub fn new(from: f64, to: f64, width: f64, intervals: usize) -> Self {
        BusyTally {
            from,
            to,
            width,
            last: 0.0,
            busy_time: 0.0,
            staffed_time: 0.0,
            end: if intervals > 1 { width } else { f64::INFINITY },
            notes: Vec::with_capacity(intervals),
            intervals,
        }
    }

    /// Accounts for `[last, now)` with `busy` of `present` agents busy.
    #[inline]
    pub fn advance(&mut self, now: f64, busy: u32, present: u32) {
        let a = self.last.max(self.from);
        let b = now.min(self.to);
        self.last = now;
        if b <= a {
            return;
        }
        let (busy, present) = (f64::from(busy), f64::from(present));
        if b > self.end {
            self.note_ends(a, b, busy, present);
        }
        self.busy_time += (b - a) * busy;
        self.staffed_time += (b - a) * present;
    }

    /// Notes the integrals at the end of every interval that `[a, b)` (in
    /// the measured window) passes.
    #[cold]
    fn note_ends(&mut self, a: f64, b: f64, busy: f64, present: f64) {
        while b > self.end {
            let part = (self.end - a).max(0.0);
            self.notes.push((
                self.busy_time + part * busy,
                self.staffed_time + part * present,
            ));
            let k = self.notes.len();
            self.end = if k + 1 < self.intervals {
                (k + 1) as f64 * self.width
            } else {
                f64::INFINITY
            };
        }
    }

    /// Busy time ÷ logged-in time (`NaN` when nobody was logged in).
    pub fn occupancy(&self) -> f64 {
        ratio(self.busy_time, self.staffed_time)
    }

    /// The same in each interval.
    pub fn occupancy_by_interval(&self) -> Vec<f64> {
        let mut prev = (0.0, 0.0);
        (0..self.intervals)
            .map(|k| {
                let at = self
                    .notes
                    .get(k)
                    .copied()
                    .unwrap_or((self.busy_time, self.staffed_time));
                let occ = ratio(at.0 - prev.0, at.1 - prev.1);
                prev = at;
                occ
            })
            .collect()
    }
}

/// `busy / staffed`, `NaN` when nobody was logged in.
fn ratio(busy: f64, staffed: f64) -> f64 {
    if staffed > 0.0 {
        busy / staffed
    } else {
        f64::NAN
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

    #[test]
    fn busy_tally_clips_to_window() {
        let mut b = BusyTally::new(10.0, 20.0, 100.0, 1);
        b.advance(5.0, 1, 2); // before the window
        b.advance(15.0, 1, 2); // [5,15) → counts [10,15)
        b.advance(30.0, 2, 2); // [15,30) → counts [15,20)
        assert_eq!(b.busy_time, 5.0 + 10.0);
        assert_eq!(b.staffed_time, 10.0 + 10.0);
        assert_eq!(b.occupancy(), 0.75);
    }

    /// Split by interval, the same time adds up to the day's.
    #[test]
    fn interval_busy_splits_at_boundaries() {
        let mut k = BusyTally::new(10.0, 35.0, 10.0, 4);
        k.advance(5.0, 1, 2); // before the window
        k.advance(15.0, 1, 2); // [10,15) in interval 1
        k.advance(40.0, 2, 2); // [15,35): 5 s in 1, 10 s in 2, 5 s in 3
        // Busy 5 + 10 of 20 in interval 1, all 20 in 2, all 10 in 3.
        let occ = k.occupancy_by_interval();
        assert!(occ[0].is_nan());
        assert_eq!(occ[1..], [0.75, 1.0, 1.0]);
        assert_eq!(k.occupancy(), 45.0 / 50.0);
    }
}
