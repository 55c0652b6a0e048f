//! The event engine: simulates replications of a [`Model`].
//!
//! Each replication is an independent event-heap simulation seeded from
//! `(seed, replication index)`; replications run in parallel on the current
//! rayon pool and come back in index order, so results do not depend on the
//! number of threads. The engine reports every outcome to a
//! [`Recorder`](crate::results::Recorder) and keeps no tally itself.

mod arrivals;
mod callbacks;
mod closing;
mod contact;
mod customer_first;
mod event;
mod follow_ups;
mod limits;
mod scheduled;
mod sim;
mod staffing;

pub use event::EventKind;

use crate::model::Model;
use crate::plan::RunPlan;
use crate::results::{Recorder, Replication, Tallies};
use rayon::prelude::*;
use std::ops::Range;

/// Simulates replication `index` of `model` with base seed `seed`.
pub fn simulate(model: &Model, seed: u64, index: u32) -> Replication {
    let (tallies, counts) = simulate_with(model, seed, index, Tallies::new(model));
    tallies.finish(index, counts)
}

/// Simulates replication `index`, reporting every outcome to `rec`;
/// returns the recorder and the engine's own counts.
pub fn simulate_with<R: Recorder>(
    model: &Model,
    seed: u64,
    index: u32,
    rec: R,
) -> (R, crate::results::EngineCounts) {
    sim::Sim::new(model, seed, index, rec).run()
}

/// Simulates every replication of `plan` in parallel on the current rayon
/// pool, calling `done` after each one (for progress display).
pub fn run_replications(
    model: &Model,
    plan: &RunPlan,
    done: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    run_range(model, plan.seed, plan.all(), done)
}

/// Simulates the replications with indices in `range`, in index order.
pub fn run_range(
    model: &Model,
    seed: u64,
    range: Range<u32>,
    done: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    range
        .into_par_iter()
        .map(|r| {
            let rep = simulate(model, seed, r);
            done();
            rep
        })
        .collect()
}
