//! How the engine reports outcomes. The engine decides what happens to
//! each call; a [`Recorder`] decides what is counted and where. The engine
//! never writes a tally itself (like ripgrep's `Searcher`, which finds
//! matches and hands each to a `Sink`). [`Tallies`] is the recorder every
//! run uses: the SPEC's cohort figures per queue, per interval of arrival,
//! and occupancy per group. The engine is generic over the recorder, so
//! the calls inline to plain counter updates.

use super::by_interval::ByInterval;
use super::metric::{Count, Hist, Metric, Sum};
use super::tally::{BusyTally, QueueTally};
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
    /// Whether it is a caller's redial (not the first attempt).
    pub redial: bool,
}

/// What kind of work an agent connected to: a callback as soon as
/// possible, a callback for a time the caller picked, or a follow-up an
/// agent created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    Asap,
    Scheduled,
    FollowUp,
}

impl Work {
    /// Every kind, in the order of their metrics.
    pub const ALL: [Work; 3] = [Work::Asap, Work::Scheduled, Work::FollowUp];

    /// The count of this work connected, over the day.
    pub fn count(self) -> Count {
        match self {
            Work::Asap => Count::CallbacksHandled,
            Work::Scheduled => Count::ScheduledHandled,
            Work::FollowUp => Count::FollowUpsHandled,
        }
    }

    /// The metric of this work connected, by the interval it is connected in.
    pub fn metric(self) -> Metric {
        match self {
            Work::Asap => Metric::CallbacksHandled,
            Work::Scheduled => Metric::ScheduledHandled,
            Work::FollowUp => Metric::FollowUpsHandled,
        }
    }
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
    /// It was still holding when nobody was left to serve its queue, or
    /// after the queue's `max_wait`.
    fn timed_out(&mut self, call: Call, wait: f64);
    /// It got a busy signal.
    fn blocked(&mut self, call: Call);
    /// It hung up at once on finding no agent free (reported before it is
    /// reported abandoned).
    fn balked(&mut self, call: Call);
    /// It is a caller's redial (reported after `offered`).
    fn redialed(&mut self, call: Call);
    /// It was offered a callback.
    fn callback_offered(&mut self, call: Call);
    /// It accepted and became a callback.
    fn callback_requested(&mut self, call: Call, wait: f64);
    /// Its callback is for a time the caller picked.
    fn callback_scheduled(&mut self, call: Call);
    /// Its scheduled callback reached the customer `lateness` after the
    /// time picked.
    fn scheduled_connected(&mut self, call: Call, lateness: f64);
    /// An agent dialed its callback.
    fn callback_attempt(&mut self, call: Call);
    /// Its callback reached the customer (its last report: the call has
    /// ended, so what else its connection counts is reported before).
    fn callback_completed(&mut self, call: Call, delay: f64);
    /// Its callback used every attempt without reaching the customer.
    fn callback_unreached(&mut self, call: Call);
    /// Its callback expired.
    fn callback_expired(&mut self, call: Call);
    /// Its customer-first callback's customer answered, then hung up
    /// before an agent took the call.
    fn callback_abandoned(&mut self, call: Call);
    /// An agent created a follow-up of it (before the call or callback it
    /// follows up is reported ended).
    fn follow_up_created(&mut self, call: Call);
    /// Its follow-up reached the customer `delay` after it was due.
    fn follow_up_completed(&mut self, call: Call, delay: f64);
    /// Its follow-up was not completed.
    fn follow_up_unreached(&mut self, call: Call);
    /// Work of `call` reached its customer and an agent took it in
    /// interval `interval` (the interval of the moment of connection,
    /// clamped to the last interval, so after-hours work counts in the
    /// last one).
    fn connected(&mut self, call: Call, work: Work, interval: usize);
    /// Agent group `group` had `busy` of `present` agents busy until `now`:
    /// reported before every change of either.
    fn agents(&mut self, group: usize, now: f64, busy: u32, present: u32);
}

/// The recorder of a run: SPEC §5 and §12 tallies per queue, over the day
/// and for the calls arriving in each interval (callback work handled: by
/// the interval it is connected in), and busy time per agent group, over
/// the day and per interval.
#[derive(Clone, Debug)]
pub struct Tallies {
    /// Service-level threshold per queue.
    thresholds: Vec<f64>,
    /// `short_abandon` per queue.
    short: Vec<f64>,
    queues: Vec<QueueTally>,
    intervals: ByInterval,
    busy: Vec<BusyTally>,
}

impl Tallies {
    pub fn new(model: &Model) -> Self {
        let h = model.horizon();
        let (queues, groups) = (model.queues(), model.groups());
        Tallies {
            thresholds: queues.iter().map(|q| q.service_level).collect(),
            short: queues.iter().map(|q| q.short_abandon).collect(),
            queues: vec![QueueTally::default(); queues.len()],
            intervals: ByInterval::new(h.intervals, queues.len()),
            busy: groups
                .iter()
                .map(|_| BusyTally::new(h.warmup, h.open, h.interval, h.intervals))
                .collect(),
        }
    }

    /// The day's tally and the interval's of `call`.
    #[inline]
    fn both(&mut self, call: Call) -> [&mut QueueTally; 2] {
        [
            &mut self.queues[call.queue],
            self.intervals.cell(call.interval, call.queue),
        ]
    }

    /// A counted call (or its callback) has ended.
    #[inline]
    fn ended(&mut self, call: Call) {
        self.intervals.closed(call.interval, call.queue);
    }

    /// Counts `c` for the call's queue and interval.
    #[inline]
    fn bump(&mut self, call: Call, c: Count) {
        for t in self.both(call) {
            t.bump(c);
        }
    }

    /// The figures of replication `index`, with the engine's own counts.
    pub fn finish(mut self, index: u32, engine: EngineCounts) -> Replication {
        let (values, interval_totals) = self.intervals.finish();
        let mut total = QueueTally::default();
        for t in &self.queues {
            total.add(t);
        }
        for t in self.queues.iter_mut().chain([&mut total]) {
            t.settle();
        }
        let intervals = interval_totals.len();
        let by_group: Vec<Vec<f64>> = self
            .busy
            .iter()
            .map(BusyTally::occupancy_by_interval)
            .collect();
        let occupancy = Grid::from_fn(intervals, by_group.len(), |k, g| by_group[g][k]);
        Replication {
            index,
            queues: self.queues.iter().map(Replication::values).collect(),
            total: Replication::values(&total),
            occupancy: self.busy.iter().map(BusyTally::occupancy).collect(),
            intervals: values,
            interval_totals,
            interval_occupancy: occupancy,
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
    #[inline(always)]
    fn offered(&mut self, call: Call) {
        self.intervals.arrival(call.interval);
        if call.counted {
            self.intervals.opened(call.interval, call.queue);
            self.bump(call, Count::Offered);
        }
    }

    #[inline]
    fn waited(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::Waited);
        }
    }

    #[inline]
    fn answered(&mut self, call: Call, wait: f64) {
        if !call.counted {
            return;
        }
        let within = wait <= self.thresholds[call.queue];
        for t in self.both(call) {
            t.bump(Count::Answered);
            t.add_to(Sum::WaitAnswered, wait);
            t.add_to(Sum::WaitAll, wait);
            t.record(Hist::Wait, wait);
            if within {
                t.bump(Count::AnsweredWithinSl);
            }
            // First attempts' figures are all calls' less the redials':
            // no work where nobody redials.
            if call.redial {
                t.bump(Count::RedialsAnswered);
                if within {
                    t.bump(Count::RedialsAnsweredWithinSl);
                }
            }
        }
        self.ended(call);
    }

    #[inline]
    fn abandoned(&mut self, call: Call, wait: f64) {
        if !call.counted {
            return;
        }
        let within = wait <= self.thresholds[call.queue];
        let short = wait <= self.short[call.queue];
        for t in self.both(call) {
            t.bump(Count::Abandoned);
            t.add_to(Sum::WaitAll, wait);
            if call.redial {
                t.bump(Count::RedialsAbandoned);
            }
            if within {
                t.bump(Count::AbandonedWithinSl);
            }
            if short {
                t.bump(Count::ShortAbandoned);
            }
        }
        self.ended(call);
    }

    #[inline]
    fn timed_out(&mut self, call: Call, wait: f64) {
        if call.counted {
            for t in self.both(call) {
                t.bump(Count::TimedOut);
                t.add_to(Sum::WaitAll, wait);
            }
            self.ended(call);
        }
    }

    #[inline]
    fn blocked(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::Blocked);
            self.ended(call);
        }
    }

    #[inline]
    fn balked(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::Balked);
        }
    }

    #[inline]
    fn redialed(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::Redials);
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
            for t in self.both(call) {
                t.bump(Count::CallbacksRequested);
                t.add_to(Sum::WaitAll, wait);
            }
        }
    }

    #[inline]
    fn callback_scheduled(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbacksScheduled);
        }
    }

    #[inline]
    fn scheduled_connected(&mut self, call: Call, lateness: f64) {
        if call.counted {
            for t in self.both(call) {
                t.bump(Count::ScheduledConnected);
                t.add_to(Sum::CallbackLateness, lateness);
            }
        }
    }

    #[inline]
    fn callback_attempt(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbackAttempts);
        }
    }

    #[inline]
    fn callback_completed(&mut self, call: Call, delay: f64) {
        if call.counted {
            for t in self.both(call) {
                t.bump(Count::CallbacksCompleted);
                t.add_to(Sum::CallbackDelay, delay);
                t.record(Hist::CallbackDelay, delay);
            }
            self.ended(call);
        }
    }

    #[inline]
    fn callback_unreached(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbacksUnreached);
            self.ended(call);
        }
    }

    #[inline]
    fn callback_abandoned(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbacksAbandoned);
            self.ended(call);
        }
    }

    #[inline]
    fn callback_expired(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::CallbacksExpired);
            self.ended(call);
        }
    }

    #[inline]
    fn follow_up_created(&mut self, call: Call) {
        if call.counted {
            self.intervals.opened(call.interval, call.queue);
            self.bump(call, Count::FollowUpsCreated);
        }
    }

    #[inline]
    fn follow_up_completed(&mut self, call: Call, delay: f64) {
        if call.counted {
            for t in self.both(call) {
                t.bump(Count::FollowUpsCompleted);
                t.add_to(Sum::FollowUpDelay, delay);
            }
            self.ended(call);
        }
    }

    #[inline]
    fn follow_up_unreached(&mut self, call: Call) {
        if call.counted {
            self.bump(call, Count::FollowUpsUnreached);
            self.ended(call);
        }
    }

    #[inline]
    fn connected(&mut self, call: Call, work: Work, interval: usize) {
        if call.counted {
            // Over the day, and by the interval of connection (not in the
            // call's arrival cell).
            self.queues[call.queue].bump(work.count());
            self.intervals.handled(interval, call.queue, work);
        }
    }

    #[inline]
    fn agents(&mut self, group: usize, now: f64, busy: u32, present: u32) {
        self.busy[group].advance(now, busy, present);
    }
}
