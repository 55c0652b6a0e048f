//! How the engine reports outcomes. The engine decides what happens to
//! each call; a [`Recorder`] decides what is counted and where. The engine
//! never writes a tally itself (like ripgrep's `Searcher`, which finds
//! matches and hands each to a `Sink`). [`Tallies`] is the recorder every
//! run uses: the SPEC's cohort figures per queue, per interval of arrival,
//! and occupancy per group. The engine is generic over the recorder, so
//! the calls inline to plain counter updates.

use super::metric::{Count, Hist, Sum};
use super::tally::{BusyTally, IntervalTally, QueueTally};
use super::{Grid, Replication};
use crate::model::Model;

/// Which call an outcome concerns, as the recorder needs to file it.
#[derive(Clone, Copy, Debug)]
pub struct Call {
    pub queue: usize,
    /// Interval of the original call's arrival.
    pub interval: usize,
    /// Whether the call belongs to the measured cohort (arrived after the warm-up).
    pub counted: bool,
}

/// Every outcome the engine reports, as it happens. `wait` is the time
/// the caller held; `delay` a callback's request → connect time.
pub trait Recorder {
    /// An inbound call arrived.
    fn offered(&mut self, call: Call);
    /// It found no agent free.
    fn waited(&mut self, call: Call);
    /// It was connected to an agent.
    fn answered(&mut self, call: Call, wait: f64);
    /// It hung up while holding.
    fn abandoned(&mut self, call: Call, wait: f64);
    /// It was offered a callback.
    fn callback_offered(&mut self, call: Call);
    /// It accepted and became a callback.
    fn callback_requested(&mut self, call: Call, wait: f64);
    /// An agent dialed its callback.
    fn callback_attempt(&mut self, call: Call);
    /// Its callback reached the customer.
    fn callback_completed(&mut self, call: Call, delay: f64);
    /// Its callback used every attempt without reaching the customer.
    fn callback_unreached(&mut self, call: Call);
    /// Its callback expired.
    fn callback_expired(&mut self, call: Call);
    /// Agent group `group` had `busy` of `present` agents busy until `now`:
    /// reported before every change of either.
    fn agents(&mut self, group: usize, now: f64, busy: u32, present: u32);
}

/// The recorder of a run: SPEC §5 tallies per queue and per interval, and
/// busy time per agent group.
#[derive(Clone, Debug)]
pub struct Tallies {
    /// Service-level threshold per queue.
    thresholds: Vec<f64>,
    queues: Vec<QueueTally>,
    intervals: Grid<IntervalTally>,
    busy: Vec<BusyTally>,
}

impl Tallies {
    pub fn new(model: &Model) -> Self {
        let h = model.horizon();
        let nq = model.queues().len();
        Tallies {
            thresholds: model.queues().iter().map(|q| q.service_level).collect(),
            queues: vec![QueueTally::default(); nq],
            intervals: Grid::filled(h.intervals, nq, IntervalTally::default()),
            busy: model
                .groups()
                .iter()
                .map(|_| BusyTally::new(h.warmup, h.open))
                .collect(),
        }
    }

    /// Counts `c` for the call's queue and interval.
    #[inline]
    fn bump(&mut self, call: Call, c: Count) {
        self.queues[call.queue].bump(c);
        self.intervals.get_mut(call.interval, call.queue).bump(c);
    }

    /// The figures of replication `index`, with the engine's own counts.
    pub fn finish(mut self, index: u32, engine: EngineCounts) -> Replication {
        let mut total = QueueTally::default();
        for t in &self.queues {
            total.add(t);
        }
        for t in self.queues.iter_mut().chain([&mut total]) {
            t.settle();
        }
        Replication {
            index,
            queues: self.queues.iter().map(Replication::values).collect(),
            total: Replication::values(&total),
            occupancy: self.busy.iter().map(BusyTally::occupancy).collect(),
            intervals: self.intervals,
            events: engine.events,
            peak_contacts: engine.peak_contacts,
            peak_events: engine.peak_events,
        }
    }
}

/// What the engine counts of its own work.
#[derive(Clone, Copy, Debug, Default)]
pub struct EngineCounts {
    /// Events that changed the state.
    pub events: u64,
    /// Most contacts in the system at once.
    pub peak_contacts: usize,
    /// Most events pending at once, cancelled timers included.
    pub peak_events: usize,
}

impl Recorder for Tallies {
    #[inline]
    fn offered(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::Offered);
        }
    }

    #[inline]
    fn waited(&mut self, call: Call) {
        if call.counted {
            self.queues[call.queue].bump(Count::Waited);
        }
    }

    #[inline]
    fn answered(&mut self, call: Call, wait: f64) {
        if !call.counted {
            return;
        }
        let within = wait <= self.thresholds[call.queue];
        let t = &mut self.queues[call.queue];
        t.bump(Count::Answered);
        t.add_to(Sum::WaitAnswered, wait);
        t.add_to(Sum::WaitAll, wait);
        t.record(Hist::Wait, wait);
        let cell = self.intervals.get_mut(call.interval, call.queue);
        cell.bump(Count::Answered);
        cell.add_to(Sum::WaitAnswered, wait);
        if within {
            self.bump(call, Count::AnsweredWithinSl);
        }
    }

    #[inline]
    fn abandoned(&mut self, call: Call, wait: f64) {
        if call.counted {
            self.bump(call, Count::Abandoned);
            self.queues[call.queue].add_to(Sum::WaitAll, wait);
        }
    }

    #[inline]
    fn callback_offered(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbacksOffered);
        }
    }

    #[inline]
    fn callback_requested(&mut self, call: Call, wait: f64) {
        if call.counted {
            self.bump(call, Count::CallbacksRequested);
            self.queues[call.queue].add_to(Sum::WaitAll, wait);
        }
    }

    #[inline]
    fn callback_attempt(&mut self, call: Call) {
        if call.counted {
            self.queues[call.queue].bump(Count::CallbackAttempts);
        }
    }

    #[inline]
    fn callback_completed(&mut self, call: Call, delay: f64) {
        if call.counted {
            let t = &mut self.queues[call.queue];
            t.bump(Count::CallbacksCompleted);
            t.add_to(Sum::CallbackDelay, delay);
            t.record(Hist::CallbackDelay, delay);
        }
    }

    #[inline]
    fn callback_unreached(&mut self, call: Call) {
        if call.counted {
            self.queues[call.queue].bump(Count::CallbacksUnreached);
        }
    }

    #[inline]
    fn callback_expired(&mut self, call: Call) {
        if call.counted {
            self.queues[call.queue].bump(Count::CallbacksExpired);
        }
    }

    #[inline]
    fn agents(&mut self, group: usize, now: f64, busy: u32, present: u32) {
        self.busy[group].advance(now, busy, present);
    }
}
