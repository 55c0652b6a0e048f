//! Statistics: streaming tallies inside a replication ([`QueueTally`],
//! [`IntervalTally`], [`BusyTally`]), the SPEC §5 metrics computed from them
//! ([`METRICS`]), and estimates across replications ([`summary`]).

mod histogram;
pub mod summary;

pub use histogram::DurationHistogram;
pub use summary::{Estimate, IntervalEstimate, Summary};

/// Cohort tallies of one queue (or of all queues) in one replication.
#[derive(Clone, Debug, Default)]
pub struct QueueTally {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub callbacks_offered: u64,
    pub callbacks_requested: u64,
    pub answered_within_sl: u64,
    /// Calls that found no agent free on arrival.
    pub waited: u64,
    pub callbacks_completed: u64,
    pub callbacks_unreached: u64,
    pub callbacks_expired: u64,
    pub callback_attempts: u64,
    /// Sum of the waits of answered calls.
    pub wait_answered_sum: f64,
    /// Sum of every offered call's time on hold (until answered, abandoned
    /// or converted).
    pub wait_all_sum: f64,
    /// Sum of request → connect delays of completed callbacks.
    pub callback_delay_sum: f64,
    pub wait_hist: DurationHistogram,
    pub delay_hist: DurationHistogram,
}

impl QueueTally {
    /// Adds another tally into this one (for the `total` scope).
    pub fn add(&mut self, o: &QueueTally) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.callbacks_offered += o.callbacks_offered;
        self.callbacks_requested += o.callbacks_requested;
        self.answered_within_sl += o.answered_within_sl;
        self.waited += o.waited;
        self.callbacks_completed += o.callbacks_completed;
        self.callbacks_unreached += o.callbacks_unreached;
        self.callbacks_expired += o.callbacks_expired;
        self.callback_attempts += o.callback_attempts;
        self.wait_answered_sum += o.wait_answered_sum;
        self.wait_all_sum += o.wait_all_sum;
        self.callback_delay_sum += o.callback_delay_sum;
        self.wait_hist.merge(&o.wait_hist);
        self.delay_hist.merge(&o.delay_hist);
    }

    /// The value of every metric of [`METRICS`], in that order. Ratios with
    /// a zero denominator are `NaN` (undefined), not 0.
    pub fn metrics(&self) -> [f64; N_METRICS] {
        let c = |n: u64| n as f64;
        let ratio = |a: f64, b: u64| if b == 0 { f64::NAN } else { a / b as f64 };
        let [p50, p90, p99] = self.wait_hist.quantiles([0.5, 0.9, 0.99]);
        [
            c(self.offered),
            c(self.answered),
            c(self.abandoned),
            c(self.callbacks_offered),
            c(self.callbacks_requested),
            ratio(c(self.abandoned), self.offered),
            ratio(c(self.answered_within_sl), self.answered + self.abandoned),
            ratio(self.wait_answered_sum, self.answered),
            p50,
            p90,
            p99,
            c(self.callbacks_completed),
            c(self.callbacks_unreached),
            c(self.callbacks_expired),
            c(self.callback_attempts),
            ratio(self.callback_delay_sum, self.callbacks_completed),
            self.delay_hist.quantile(0.9),
            c(self.answered_within_sl),
            ratio(c(self.waited), self.offered),
            ratio(self.wait_all_sum, self.offered),
        ]
    }
}

/// What a metric's values measure, for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A number of calls, callbacks or attempts.
    Count,
    /// A fraction between 0 and 1.
    Ratio,
    /// Seconds.
    Seconds,
}

/// A metric's name (as in files and JSON), unit and one-line definition.
#[derive(Clone, Copy, Debug)]
pub struct MetricDef {
    pub name: &'static str,
    pub unit: Unit,
    pub definition: &'static str,
}

const fn m(name: &'static str, unit: Unit, definition: &'static str) -> MetricDef {
    MetricDef {
        name,
        unit,
        definition,
    }
}

/// Number of per-queue metrics.
pub const N_METRICS: usize = 20;

/// The per-queue metrics, SPEC §5 first, then the extras analysts recompute from.
pub const METRICS: [MetricDef; N_METRICS] = [
    m("offered", Unit::Count, "inbound calls arrived"),
    m(
        "answered",
        Unit::Count,
        "inbound calls connected to an agent while holding",
    ),
    m(
        "abandoned",
        Unit::Count,
        "inbound calls that hung up while holding, callback not accepted",
    ),
    m(
        "callbacks_offered",
        Unit::Count,
        "inbound calls offered a callback",
    ),
    m(
        "callbacks_requested",
        Unit::Count,
        "calls converted to a callback (neither answered nor abandoned)",
    ),
    m("abandon_rate", Unit::Ratio, "abandoned / offered"),
    m(
        "service_level",
        Unit::Ratio,
        "answered within T / (answered + abandoned)",
    ),
    m("asa", Unit::Seconds, "mean wait of answered calls, seconds"),
    m(
        "wait_p50",
        Unit::Seconds,
        "median wait of answered calls, seconds",
    ),
    m(
        "wait_p90",
        Unit::Seconds,
        "90th percentile wait of answered calls, seconds",
    ),
    m(
        "wait_p99",
        Unit::Seconds,
        "99th percentile wait of answered calls, seconds",
    ),
    m(
        "callbacks_completed",
        Unit::Count,
        "callbacks whose customer was reached and served",
    ),
    m(
        "callbacks_unreached",
        Unit::Count,
        "callbacks that used all attempts without reaching the customer",
    ),
    m(
        "callbacks_expired",
        Unit::Count,
        "callbacks dropped by expire_after",
    ),
    m("callback_attempts", Unit::Count, "outbound dial attempts"),
    m(
        "callback_delay_mean",
        Unit::Seconds,
        "request to customer connected, completed callbacks, seconds",
    ),
    m(
        "callback_delay_p90",
        Unit::Seconds,
        "90th percentile of callback delay, seconds",
    ),
    m(
        "answered_within_sl",
        Unit::Count,
        "answered calls that waited at most T",
    ),
    m(
        "p_wait",
        Unit::Ratio,
        "share of offered calls that found no agent free on arrival",
    ),
    m(
        "mean_wait",
        Unit::Seconds,
        "mean time on hold of all offered calls (answered, abandoned or converted), seconds",
    ),
];

/// Index of a metric in [`METRICS`] by name.
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

/// Cohort tallies of one queue for calls arriving in one interval.
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

/// Time integrals of one agent group's busy and logged-in agents over
/// `[from, to)` (the measured window), for occupancy.
#[derive(Clone, Debug)]
pub struct BusyTally {
    from: f64,
    to: f64,
    last: f64,
    pub busy_time: f64,
    pub staffed_time: f64,
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

    /// Accounts for `[last, now)` with `busy` of `present` agents busy; call
    /// before every change of either count.
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
    use super::*;

    #[test]
    fn metric_table_is_consistent() {
        assert_eq!(METRICS.len(), N_METRICS);
        let unit = |n| METRICS[metric_index(n).unwrap()].unit;
        assert_eq!(unit("offered"), Unit::Count);
        assert_eq!(unit("service_level"), Unit::Ratio);
        assert_eq!(unit("abandon_rate"), Unit::Ratio);
        assert_eq!(unit("p_wait"), Unit::Ratio);
        assert_eq!(unit("wait_p90"), Unit::Seconds);
        assert_eq!(unit("callback_delay_p90"), Unit::Seconds);
        let spec = [
            "offered",
            "answered",
            "abandoned",
            "callbacks_offered",
            "callbacks_requested",
            "abandon_rate",
            "service_level",
            "asa",
            "wait_p50",
            "wait_p90",
            "wait_p99",
            "callbacks_completed",
            "callbacks_unreached",
            "callbacks_expired",
            "callback_attempts",
            "callback_delay_mean",
            "callback_delay_p90",
        ];
        for name in spec {
            assert!(metric_index(name).is_some(), "SPEC metric {name} missing");
        }
    }

    #[test]
    fn ratios_follow_spec_definitions() {
        let t = QueueTally {
            offered: 10,
            answered: 6,
            abandoned: 2,
            callbacks_requested: 2,
            answered_within_sl: 3,
            wait_answered_sum: 60.0,
            ..Default::default()
        };
        let v = t.metrics();
        let at = |n| v[metric_index(n).unwrap()];
        assert_eq!(at("abandon_rate"), 0.2);
        assert_eq!(at("service_level"), 3.0 / 8.0);
        assert_eq!(at("asa"), 10.0);
        assert!(at("callback_delay_mean").is_nan());
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
