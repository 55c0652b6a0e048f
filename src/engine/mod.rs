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
pub use sim::MAX_CONTACTS;

use crate::model::Model;
use crate::plan::RunPlan;
use crate::results::{Recorder, Replication, Tallies};
use rayon::prelude::*;
use std::ops::Range;

/// A replication stopped because its contacts in the system passed
/// [`MAX_CONTACTS`]: the center is too far behind for its figures to mean
/// anything (typically a load above its agents with callers who never
/// hang up).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "replication {replication} stopped at {at}: {contacts} contacts were waiting or pending \
     (the limit is {MAX_CONTACTS}); the center is overloaded: add agents, give callers a \
     patience, or lower the volume"
)]
pub struct Overloaded {
    pub replication: u32,
    /// The clock time it stopped at.
    pub at: String,
    pub contacts: usize,
}

/// Simulates replication `index` of `model` with base seed `seed`.
pub fn simulate(model: &Model, seed: u64, index: u32) -> Result<Replication, Overloaded> {
    simulate_observed(model, seed, index, &|_| {})
}

/// As [`simulate`], telling `progress` the share of the replication done
/// as it goes, in thousandths (they add up to 1000 when it ends).
pub fn simulate_observed(
    model: &Model,
    seed: u64,
    index: u32,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Replication, Overloaded> {
    let (tallies, counts) =
        sim::Sim::new(model, seed, index, Tallies::new(model), progress).run()?;
    Ok(tallies.finish(index, counts))
}

/// Simulates replication `index`, reporting every outcome to `rec`;
/// returns the recorder and the engine's own counts.
pub fn simulate_with<R: Recorder>(
    model: &Model,
    seed: u64,
    index: u32,
    rec: R,
) -> Result<(R, crate::results::EngineCounts), Overloaded> {
    sim::Sim::new(model, seed, index, rec, &|_| {}).run()
}

/// Simulates every replication of `plan` in parallel on the current rayon
/// pool, calling `done` after each one (for progress display).
pub fn run_replications(
    model: &Model,
    plan: &RunPlan,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Replication>, Overloaded> {
    plan.all()
        .into_par_iter()
        .map(|r| {
            let rep = simulate(model, plan.seed, r);
            done();
            rep
        })
        .collect()
}

/// Simulates the replications with indices in `range`, in index order;
/// `progress` hears how far each has come, in thousandths of a
/// replication (see [`simulate_observed`]).
pub fn run_range(
    model: &Model,
    seed: u64,
    range: Range<u32>,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Vec<Replication>, Overloaded> {
    range
        .into_par_iter()
        .map(|r| simulate_observed(model, seed, r, progress))
        .collect()
}
