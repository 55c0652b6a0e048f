//! The event engine: simulates replications of a [`Model`].
//!
//! Each replication is an independent event-heap simulation seeded from
//! `(seed, replication index)`; replications run in parallel on the current
//! rayon pool and come back in index order, so results do not depend on the
//! number of threads. [`for_each_in_order`] hands them over one at a time
//! as they finish, so a caller that folds them keeps memory flat in their
//! number. The engine reports every outcome to a
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
use std::collections::BTreeMap;
use std::ops::{ControlFlow, Range};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

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
    let mut reps = Vec::with_capacity(plan.replications as usize);
    let work = |r| {
        let rep = simulate(model, plan.seed, r);
        done();
        rep
    };
    in_order(plan.all(), work, |rep| reps.push(rep))?;
    Ok(reps)
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
    let mut reps = Vec::with_capacity(range.len());
    run_in_order(model, seed, range, progress, |rep| reps.push(rep))?;
    Ok(reps)
}

/// Simulates the replications of `range` on the current rayon pool and
/// hands each to `sink` in index order as it finishes, so that a caller
/// folding them holds none (memory flat in the number of replications);
/// stops at the first, by index, that overloaded. `progress` as in
/// [`run_range`].
pub fn run_in_order(
    model: &Model,
    seed: u64,
    range: Range<u32>,
    progress: &(dyn Fn(u32) + Sync),
    sink: impl FnMut(Replication) + Send,
) -> Result<(), Overloaded> {
    in_order(range, |r| simulate_observed(model, seed, r, progress), sink)
}

/// [`for_each_in_order`] over replications that may overload.
fn in_order(
    range: Range<u32>,
    work: impl Fn(u32) -> Result<Replication, Overloaded> + Sync,
    mut sink: impl FnMut(Replication) + Send,
) -> Result<(), Overloaded> {
    let mut failed = None;
    for_each_in_order(range, work, |rep| match rep {
        Ok(rep) => {
            sink(rep);
            ControlFlow::Continue(())
        }
        Err(e) => {
            failed = Some(e);
            ControlFlow::Break(())
        }
    });
    failed.map_or(Ok(()), Err)
}

/// The most results [`for_each_in_order`] holds at once on `threads`
/// workers: each worker's own and those waiting for an earlier one.
pub fn held_at_once(threads: usize) -> usize {
    2 * threads.max(1)
}

/// Runs `work(i)` for every `i` in `range` on the current rayon pool and
/// hands each result to `sink` strictly in index order, as soon as every
/// earlier one has been handed over; `sink` returning `Break` stops the
/// run (indices not yet started are skipped; the rest are dropped).
///
/// Workers take the next index from a shared counter, so at any time the
/// indices in flight are about one per thread; a worker more than
/// [`held_at_once`] indices ahead of the oldest unfinished one waits, so
/// the reorder buffer never holds more than that many results however
/// long one replication takes. (Rayon's `par_iter` splits the
/// range into blocks instead, and its buffer would grow with the range.)
/// `sink` runs on whichever worker completes the oldest index, one call
/// at a time.
pub fn for_each_in_order<T: Send>(
    range: Range<u32>,
    work: impl Fn(u32) -> T + Sync,
    sink: impl FnMut(T) -> ControlFlow<()> + Send,
) {
    if range.is_empty() {
        return;
    }
    let window = held_at_once(rayon::current_num_threads()) as u32;
    let next = AtomicU32::new(range.start);
    let stop = AtomicBool::new(false);
    let state = Mutex::new(Order {
        due: range.start,
        waiting: BTreeMap::new(),
        sink,
    });
    let turn = Condvar::new();
    let worker = || {
        // A panicking worker stops the others, which would otherwise wait
        // for its index forever; rayon then re-raises the panic. The flag
        // is set under the lock, so no waiter misses the wake-up.
        let _guard = OnUnwind(|| {
            let st = state.lock().unwrap_or_else(PoisonError::into_inner);
            stop.store(true, Ordering::Relaxed);
            drop(st);
            turn.notify_all();
        });
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= range.end {
                return;
            }
            {
                let mut st = state.lock().unwrap_or_else(PoisonError::into_inner);
                while i >= st.due.saturating_add(window) && !stop.load(Ordering::Relaxed) {
                    st = turn.wait(st).unwrap_or_else(PoisonError::into_inner);
                }
            }
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let result = work(i);
            let mut guard = state.lock().unwrap_or_else(PoisonError::into_inner);
            let st = &mut *guard;
            st.waiting.insert(i, result);
            let mut advanced = false;
            while let Some(result) = st.waiting.remove(&st.due) {
                st.due += 1;
                advanced = true;
                if (st.sink)(result).is_break() {
                    stop.store(true, Ordering::Relaxed);
                    st.waiting.clear();
                    break;
                }
            }
            drop(guard);
            if advanced {
                turn.notify_all();
            }
        }
    };
    rayon::broadcast(|_| worker());
}

/// The reorder buffer of [`for_each_in_order`]: the next index the sink
/// takes and the results that finished before it.
struct Order<T, S> {
    due: u32,
    waiting: BTreeMap<u32, T>,
    sink: S,
}

/// Runs its closure if dropped while unwinding.
struct OnUnwind<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnUnwind<F> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            (self.0)();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results arrive in index order whatever the order of completion,
    /// and the buffer stays within the window.
    #[test]
    fn in_order_with_a_bounded_buffer() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let in_flight = AtomicU32::new(0);
        let most = AtomicU32::new(0);
        let mut seen = Vec::new();
        pool.install(|| {
            for_each_in_order(
                3..200,
                |i| {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    // Index 10 is slow: the others must wait for it, not
                    // pile up behind it.
                    let ms = if i == 10 { 50 } else { u64::from(i % 3) };
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                    i
                },
                |i| {
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    seen.push(i);
                    ControlFlow::Continue(())
                },
            );
        });
        assert_eq!(seen, (3..200).collect::<Vec<_>>());
        // Started but not yet handed over: at most the window (2 × 4
        // threads) at once.
        assert!(most.load(Ordering::SeqCst) <= 8, "{most:?}");
    }

    /// A panic in one worker ends the run with that panic instead of
    /// leaving the others waiting for its index.
    #[test]
    fn a_panicking_replication_does_not_hang_the_others() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| {
                for_each_in_order(
                    0..1000,
                    |i| {
                        assert!(i != 3, "replication 3 fails");
                        i
                    },
                    |_| ControlFlow::Continue(()),
                )
            })
        }));
        assert!(result.is_err());
    }

    #[test]
    fn break_stops_the_run() {
        let started = AtomicU32::new(0);
        let mut seen = Vec::new();
        for_each_in_order(
            0..10_000,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                seen.push(i);
                if i == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
        assert!(started.load(Ordering::SeqCst) < 100);
    }
}
