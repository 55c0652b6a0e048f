//! The event engine: simulates replications of a [`Scenario`].
//!
//! Each replication is an independent event-heap simulation seeded from
//! `(seed, replication index)`; replications run in parallel on the current
//! rayon pool and come back in index order, so results do not depend on the
//! number of threads.

mod contact;
mod event;
mod sim;

pub use event::EventKind;

use crate::scenario::Scenario;
use crate::stats::{IntervalTally, N_METRICS};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The figures of one replication. Serialized exactly (undefined figures
/// included, see [`serde_f64`](crate::serde_f64)) for shard files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    /// Replication index (its seed stream).
    pub index: u32,
    /// Per queue, every metric of [`METRICS`](crate::stats::METRICS).
    #[serde(with = "crate::serde_f64")]
    pub queues: Vec<[f64; N_METRICS]>,
    /// All queues together.
    #[serde(with = "crate::serde_f64")]
    pub total: [f64; N_METRICS],
    /// Per agent group.
    #[serde(with = "crate::serde_f64")]
    pub occupancy: Vec<f64>,
    /// Interval-major tallies: `intervals[k * queues + q]`.
    pub intervals: Vec<IntervalTally>,
    /// Events that changed the state.
    pub events: u64,
    /// Most contacts in the system at once (waiting, pending or dialing).
    pub peak_contacts: usize,
    /// Most events pending at once, cancelled timers included.
    pub peak_events: usize,
}

/// Simulates replication `index` of `sc`.
pub fn simulate(sc: &Scenario, index: u32) -> Replication {
    sim::Sim::new(sc, index).run(index)
}

/// Simulates replications `0..sc.replications` in parallel on the current
/// rayon pool, calling `done` after each one (for progress display).
pub fn run_replications(sc: &Scenario, done: &(dyn Fn() + Sync)) -> Vec<Replication> {
    run_range(sc, 0..sc.replications, done)
}

/// Simulates the replications with indices in `range`, in index order.
pub fn run_range(
    sc: &Scenario,
    range: std::ops::Range<u32>,
    done: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    range
        .into_par_iter()
        .map(|r| {
            let rep = simulate(sc, r);
            done();
            rep
        })
        .collect()
}
