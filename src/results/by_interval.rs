//! The tallies of each queue's calls by interval of arrival, kept only
//! while they can still change. A cell (interval, queue) is open while
//! one of its calls (or the callback it turned into) is in the system;
//! once the arrivals have moved past an interval and its last call has
//! ended, the interval's figures are final: they are computed then and
//! the tallies are freed. Memory follows the intervals whose calls are
//! still in the system, not the horizon's length: a 1,000-hour
//! steady-state run holds a handful of cells. Their quantiles keep two
//! significant digits ([`QueueTally::coarse`]): a three-digit histogram
//! takes about 200,000 instructions to read and merge, which over a
//! 787-interval run cost more than the simulation saves.
//!
//! Callback work handled (`callbacks_handled`, `scheduled_handled`,
//! `follow_ups_handled`) is the exception: it is filed by the interval in
//! which the work is connected, which may be long after its caller's
//! interval is final. Those counts live in a small grid of their own
//! (intervals × queues × 3), never freed, and are written over the
//! figures when the run ends.

use super::recorder::Work;
use super::tally::QueueTally;
use super::{Grid, N_METRICS, Replication};

/// Per-interval tallies and the figures of the intervals that are done.
#[derive(Clone, Debug)]
pub struct ByInterval {
    /// Tallies of the cells still open or not yet final; `None` before the
    /// first record and after the interval is final.
    cells: Grid<Option<QueueTally>>,
    /// Counted calls and callbacks of each cell still in the system.
    open: Grid<u32>,
    /// Every metric of each cell, once final.
    values: Grid<[f64; N_METRICS]>,
    /// Every metric of all queues in each interval, once final.
    totals: Vec<[f64; N_METRICS]>,
    done: Vec<bool>,
    /// Work connected per (interval of connection, queue), by
    /// [`Work::ALL`] order.
    handled: Grid<[u32; 3]>,
    /// The interval of the latest arrival: earlier ones get no new calls.
    arriving: usize,
    /// The figures of a cell without calls.
    empty: [f64; N_METRICS],
}

impl ByInterval {
    pub fn new(intervals: usize, queues: usize) -> Self {
        let empty = Replication::values(&QueueTally::coarse());
        ByInterval {
            cells: Grid::from_fn(intervals, queues, |_, _| None),
            open: Grid::filled(intervals, queues, 0),
            values: Grid::filled(intervals, queues, empty),
            totals: vec![empty; intervals],
            done: vec![false; intervals],
            handled: Grid::filled(intervals, queues, [0; 3]),
            arriving: 0,
            empty,
        }
    }

    /// The tally of cell (`k`, `q`), made on first use.
    #[inline]
    pub fn cell(&mut self, k: usize, q: usize) -> &mut QueueTally {
        debug_assert!(!self.done[k], "a record for interval {k}, already final");
        self.cells
            .get_mut(k, q)
            .get_or_insert_with(QueueTally::coarse)
    }

    /// A call arrives in interval `k` (counted or not): intervals before
    /// it get no more calls.
    #[inline]
    pub fn arrival(&mut self, k: usize) {
        if k > self.arriving {
            let passed = self.arriving..k;
            self.arriving = k;
            for j in passed {
                self.close_if_done(j);
            }
        }
    }

    /// A counted call of cell (`k`, `q`) enters the system.
    #[inline]
    pub fn opened(&mut self, k: usize, q: usize) {
        *self.open.get_mut(k, q) += 1;
    }

    /// A counted call (or its callback) of cell (`k`, `q`) has ended.
    #[inline]
    pub fn closed(&mut self, k: usize, q: usize) {
        let n = self.open.get_mut(k, q);
        *n -= 1;
        if *n == 0 && k < self.arriving {
            self.close_if_done(k);
        }
    }

    /// Counted `work` of queue `q` was connected in interval `k`.
    #[inline]
    pub fn handled(&mut self, k: usize, q: usize, work: Work) {
        self.handled.get_mut(k, q)[work as usize] += 1;
    }

    /// Makes interval `k` final if none of its calls is left.
    fn close_if_done(&mut self, k: usize) {
        if !self.done[k] && self.open.row(k).iter().all(|&n| n == 0) {
            self.close(k);
        }
    }

    /// Computes interval `k`'s figures and frees its tallies.
    fn close(&mut self, k: usize) {
        self.done[k] = true;
        let queues = self.cells.columns();
        let mut total: Option<QueueTally> = None;
        for q in 0..queues {
            let Some(mut cell) = self.cells.get_mut(k, q).take() else {
                continue;
            };
            if queues > 1 {
                total.get_or_insert_with(QueueTally::coarse).add(&cell);
            }
            cell.settle();
            *self.values.get_mut(k, q) = Replication::values(&cell);
        }
        self.totals[k] = match total {
            Some(mut t) => {
                t.settle();
                Replication::values(&t)
            }
            // One queue: all queues are that queue.
            None if queues == 1 => *self.values.get(k, 0),
            None => self.empty,
        };
    }

    /// Every interval's figures: per cell and all queues together.
    pub fn finish(mut self) -> (Grid<[f64; N_METRICS]>, Vec<[f64; N_METRICS]>) {
        for k in 0..self.done.len() {
            if !self.done[k] {
                debug_assert!(self.open.row(k).iter().all(|&n| n == 0));
                self.close(k);
            }
        }
        // Work handled by the interval it is connected in, whatever the
        // arrival cells held.
        for k in 0..self.done.len() {
            let mut total = [0u32; 3];
            for (q, counts) in self.handled.row(k).iter().enumerate() {
                let cell = self.values.get_mut(k, q);
                for w in Work::ALL {
                    cell[w.metric().index()] = f64::from(counts[w as usize]);
                    total[w as usize] += counts[w as usize];
                }
            }
            for w in Work::ALL {
                self.totals[k][w.metric().index()] = f64::from(total[w as usize]);
            }
        }
        (self.values, self.totals)
    }
}
