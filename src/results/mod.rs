//! Results: what the engine reports and what a run's figures are.
//!
//! - [`Recorder`] is the one way the engine reports outcomes;
//!   [`Tallies`] is the recorder of a run, writing the streaming tallies
//!   of [`tally`] within a replication.
//! - [`Metric`] defines every figure once: name, unit, definition and
//!   value; [`Scope`] says whose figure it is (a queue, all queues, an
//!   agent group); [`Grid`] holds per-(interval, queue) figures.
//! - [`Replication`] is one replication's figures; [`Summary`] turns
//!   replications into estimates (mean and Student-t half-width).

mod by_interval;
mod grid;
mod histogram;
mod metric;
mod recorder;
pub mod summary;
mod tally;

pub use grid::Grid;
pub use histogram::DurationHistogram;
pub use metric::{Count, Hist, Metric, N_METRICS, Sum, Tally, Unit};
pub use recorder::{Call, EngineCounts, Recorder, Tallies, Work};
pub use summary::{Estimate, Summary, SummaryBuilder};
pub use tally::{BusyTally, QueueTally};

use serde::{Deserialize, Serialize};

/// Whose figure: one queue's, all queues' together, or one agent group's
/// (indices into the model's queues and groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Queue(usize),
    Total,
    Group(usize),
}

impl Scope {
    /// What kind of scope it is, for files: `queue`, `total` or `group`.
    pub fn kind(self) -> &'static str {
        match self {
            Scope::Queue(_) => "queue",
            Scope::Total => "total",
            Scope::Group(_) => "group",
        }
    }

    /// Whether `metric` is reported for this scope: occupancy for agent
    /// groups, every other metric for queues and the total.
    pub fn has(self, metric: Metric) -> bool {
        matches!(self, Scope::Group(_)) == (metric == Metric::Occupancy)
    }

    /// The metrics the scope reports, in file order.
    pub fn metrics(self) -> &'static [Metric] {
        const OCCUPANCY: [Metric; 1] = [Metric::Occupancy];
        match self {
            Scope::Group(_) => &OCCUPANCY,
            _ => &Metric::QUEUE,
        }
    }
}

/// The figures of one replication. Serialized exactly (undefined figures
/// included, see [`serde_f64`](crate::serde_f64)) for shard files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    /// Replication index (its seed stream).
    pub index: u32,
    /// Per queue, every metric of [`Metric::QUEUE`].
    #[serde(with = "crate::serde_f64")]
    pub queues: Vec<[f64; N_METRICS]>,
    /// All queues together.
    #[serde(with = "crate::serde_f64")]
    pub total: [f64; N_METRICS],
    /// Per agent group.
    #[serde(with = "crate::serde_f64")]
    pub occupancy: Vec<f64>,
    /// Per interval and queue, every metric of the calls arriving in it.
    #[serde(with = "crate::serde_f64")]
    pub intervals: Grid<[f64; N_METRICS]>,
    /// Per interval, every metric of all queues' calls arriving in it.
    #[serde(with = "crate::serde_f64")]
    pub interval_totals: Vec<[f64; N_METRICS]>,
    /// Per interval and agent group, occupancy.
    #[serde(with = "crate::serde_f64")]
    pub interval_occupancy: Grid<f64>,
    /// Events that changed the state.
    pub events: u64,
    /// Most contacts in the system at once (waiting, pending or dialing).
    pub peak_contacts: usize,
    /// Most events pending at once, cancelled timers included.
    pub peak_events: usize,
}

impl Replication {
    /// Every per-queue metric of a tally, in [`Metric::QUEUE`] order.
    pub fn values(t: &impl Tally) -> [f64; N_METRICS] {
        Metric::QUEUE.map(|m| m.value(t))
    }

    /// The value of `metric` for `scope`; `None` when the scope does not
    /// report it or does not exist.
    pub fn value(&self, scope: Scope, metric: Metric) -> Option<f64> {
        Figures {
            queues: &self.queues,
            total: &self.total,
            groups: &self.occupancy,
        }
        .get(scope, metric)
    }

    /// The value of `metric` for `scope` in interval `k` (of the calls
    /// arriving in it; for a group, its occupancy in it).
    pub fn interval_value(&self, k: usize, scope: Scope, metric: Metric) -> Option<f64> {
        if k >= self.interval_totals.len() {
            return None;
        }
        Figures {
            queues: self.intervals.row(k),
            total: &self.interval_totals[k],
            groups: self.interval_occupancy.row(k),
        }
        .get(scope, metric)
    }
}

/// Figures laid out as a run keeps them: every per-queue metric of each
/// queue and of the total, occupancy per group. The one place that finds
/// a (scope, metric) in them.
pub(crate) struct Figures<'a, T> {
    pub queues: &'a [[T; N_METRICS]],
    pub total: &'a [T; N_METRICS],
    pub groups: &'a [T],
}

impl<T: Copy> Figures<'_, T> {
    /// `metric` of `scope`; `None` when the scope does not report it or
    /// does not exist.
    pub fn get(&self, scope: Scope, metric: Metric) -> Option<T> {
        if !scope.has(metric) {
            return None;
        }
        match scope {
            Scope::Queue(q) => self.queues.get(q).map(|v| v[metric.index()]),
            Scope::Total => Some(self.total[metric.index()]),
            Scope::Group(g) => self.groups.get(g).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_table_is_consistent() {
        assert_eq!(Metric::QUEUE.len(), N_METRICS);
        for (i, m) in Metric::QUEUE.into_iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::Offered.unit(), Unit::Count);
        assert_eq!(Metric::ServiceLevel.unit(), Unit::Ratio);
        assert_eq!(Metric::WaitP90.unit(), Unit::Seconds);
        assert_eq!(Metric::from_name("occupancy"), Some(Metric::Occupancy));
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
        // SPEC §5's metrics first, in its order.
        let names: Vec<&str> = Metric::QUEUE.iter().map(|m| m.name()).collect();
        assert_eq!(&names[..spec.len()], spec);
    }

    #[test]
    fn scopes_report_their_metrics() {
        assert!(Scope::Group(0).has(Metric::Occupancy));
        assert!(!Scope::Group(0).has(Metric::Asa));
        assert!(!Scope::Total.has(Metric::Occupancy));
        assert!(Scope::Queue(1).has(Metric::Asa));
    }
}
