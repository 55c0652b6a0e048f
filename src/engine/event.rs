//! The event list: a binary heap ordered by time, ties broken by scheduling
//! order so that simultaneous events run first-scheduled-first.

use crate::routing::{AgentId, ContactId};
use dary_heap::QuaternaryHeap;
use std::cmp::Ordering;

/// What happens. Timers that concern a contact carry its generation; the
/// engine ignores a timer whose contact has moved on (lazy cancellation, so
/// cancelling never searches the heap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The next inbound call of a queue.
    Arrival { queue: u16 },
    /// A holding caller's patience runs out.
    Abandon { id: ContactId, generation: u32 },
    /// A holding caller has waited long enough for more groups to take it
    /// (`groups` with `after`).
    Overflow { id: ContactId, generation: u32 },
    /// A holding caller reaches the queue's `max_wait`: voicemail.
    MaxWait { id: ContactId, generation: u32 },
    /// A caller who abandoned or got a busy signal calls again.
    Redial { id: ContactId, generation: u32 },
    /// A holding caller has waited `offer_after`: offer a callback.
    Offer { id: ContactId, generation: u32 },
    /// An agent finishes a contact (talk, dialing of a reached callback,
    /// wrap-up). `agent` is its id where its group keeps identities;
    /// `line` is 1 + the queue whose line (trunk) the call held, where the
    /// queue counts them (`lines`), else 0.
    AgentFree {
        group: u16,
        line: u16,
        agent: AgentId,
    },
    /// An agent finishes an outbound attempt that did not reach the customer.
    AttemptFailed {
        group: u16,
        agent: AgentId,
        id: ContactId,
        generation: u32,
    },
    /// A follow-up is due (after its research delay or a retry delay).
    FollowUpReady { id: ContactId, generation: u32 },
    /// An agent-owned follow-up's `owner_timeout` has passed: any agent of
    /// its queue may take it.
    FollowUpRelease { id: ContactId, generation: u32 },
    /// A callback becomes eligible for an agent (after its initial or retry delay).
    CallbackReady { id: ContactId, generation: u32 },
    /// A callback's `expire_after` has passed.
    CallbackExpire { id: ContactId, generation: u32 },
    /// Interval `k` starts and some group's staffing changes.
    Staffing { interval: u32 },
    /// From now on nobody who serves the queue is staffed: its waiting
    /// contacts are ended.
    Unserved { queue: u16 },
    /// The queue closes and drops its pending callbacks (`at_close = "expire"`).
    CallbacksClose { queue: u16 },
    /// A customer-first callback's attempt ends (the system dialed), with
    /// whether the customer answered (drawn when the dial began).
    SystemDialed {
        id: ContactId,
        generation: u32,
        reached: bool,
    },
    /// A customer-first callback's customer, on hold, hangs up.
    CallbackHangUp { id: ContactId, generation: u32 },
    /// The deferred timers of a ring bucket fall due soon: the live ones
    /// move into the heap (see [`EventQueue::defer`]).
    Migrate { bucket: u16 },
}

#[derive(Clone, Copy, Debug)]
struct Event {
    /// Bits of a finite, non-negative `f64`: ordered like the value.
    time: u64,
    seq: u64,
    kind: EventKind,
}

impl Event {
    /// (time, seq) as one integer: a single wide comparison, no branches.
    #[inline(always)]
    fn key(&self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.seq)
    }
}

impl PartialEq for Event {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Event {
    /// Reversed, so that the max-heap pops the earliest (time, seq).
    #[inline(always)]
    fn cmp(&self, o: &Self) -> Ordering {
        o.key().cmp(&self.key())
    }
}

/// Buckets of deferred timers (see [`EventQueue::defer`]).
const BUCKETS: usize = 64;

/// Deferred timers of one time slot.
#[derive(Debug, Default)]
struct Bucket {
    slot: u64,
    timers: Vec<Event>,
}

/// Pending events, earliest first.
///
/// Timers that are usually cancelled (a holding caller's patience, most
/// often answered long before it runs out) can be deferred: they wait,
/// unordered, in a bucket of their time slot and join the heap only when
/// the slot is about to start, if still current. The heap then holds few
/// cancelled timers, which in a big center would make up a third of it and
/// a fifth of its pops. The order is unchanged: a deferred timer keeps the
/// sequence number it got when deferred.
#[derive(Debug)]
pub struct EventQueue {
    heap: QuaternaryHeap<Event>,
    seq: u64,
    ring: Vec<Bucket>,
    /// Timers in `ring`.
    deferred: usize,
    /// Slot width in seconds, and its inverse.
    width: f64,
    per_second: f64,
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue::new(1.0)
    }
}

impl EventQueue {
    /// An empty queue deferring timers in slots `width` seconds wide
    /// (positive, finite): the width changes the speed, never the order.
    pub fn new(width: f64) -> Self {
        assert!(width.is_finite() && width > 0.0, "bad slot width {width}");
        EventQueue {
            heap: QuaternaryHeap::with_capacity(1024),
            seq: 0,
            ring: (0..BUCKETS).map(|_| Bucket::default()).collect(),
            deferred: 0,
            width,
            per_second: 1.0 / width,
        }
    }

    /// Like [`schedule`](Self::schedule) for a timer that is likely to be
    /// cancelled before `time`; `now` is the current time. The caller must
    /// answer each [`EventKind::Migrate`] with [`migrate`](Self::migrate).
    #[inline]
    pub fn defer(&mut self, now: f64, time: f64, kind: EventKind) {
        debug_assert!(time.is_finite() && time >= now, "bad timer {time}");
        let time = time + 0.0;
        self.seq += 1;
        let e = Event {
            time: time.to_bits(),
            seq: self.seq,
            kind,
        };
        // The slot's `Migrate` comes at its start with sequence 0, before
        // any event of the slot. A slot that has started, a start that
        // rounding put after `time`, or a bucket still holding another
        // slot: the timer goes to the heap at once.
        let slot = (time * self.per_second) as u64;
        let start = slot as f64 * self.width;
        if start > now && start <= time {
            let bucket = slot as usize % BUCKETS;
            let b = &mut self.ring[bucket];
            if b.timers.is_empty() {
                b.slot = slot;
                self.heap.push(Event {
                    time: start.to_bits(),
                    seq: 0,
                    kind: EventKind::Migrate {
                        bucket: bucket as u16,
                    },
                });
            }
            if b.slot == slot {
                b.timers.push(e);
                self.deferred += 1;
                return;
            }
        }
        self.heap.push(e);
    }

    /// Moves bucket `bucket`'s timers into the heap, dropping those for
    /// which `live` is false.
    pub fn migrate(&mut self, bucket: u16, live: impl Fn(&EventKind) -> bool) {
        let b = &mut self.ring[bucket as usize];
        self.deferred -= b.timers.len();
        for e in b.timers.drain(..) {
            if live(&e.kind) {
                self.heap.push(e);
            }
        }
    }

    /// Schedules `kind` at `time` (finite, ≥ 0).
    #[inline]
    pub fn schedule(&mut self, time: f64, kind: EventKind) {
        debug_assert!(time.is_finite() && time >= 0.0, "bad event time {time}");
        // +0.0 so that a -0.0 cannot sort after every positive time.
        let time = (time + 0.0).to_bits();
        self.seq += 1;
        self.heap.push(Event {
            time,
            seq: self.seq,
            kind,
        });
    }

    /// Drops every event of the heap for which `keep` is false; the others
    /// keep their order. Lets the engine shed cancelled timers whose time is
    /// far off (deferred ones are near, and shed when they migrate).
    pub fn retain(&mut self, mut keep: impl FnMut(&EventKind) -> bool) {
        self.heap.retain(|e| keep(&e.kind));
    }

    /// Drops every pending event, deferred ones included.
    pub fn clear(&mut self) {
        self.heap.clear();
        for b in &mut self.ring {
            b.timers.clear();
        }
        self.deferred = 0;
    }

    /// Pending events, cancelled and deferred timers included.
    pub fn len(&self) -> usize {
        self.heap.len() + self.deferred
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, EventKind)> {
        self.heap.pop().map(|e| (f64::from_bits(e.time), e.kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event is two words and its kind: agent ids did not make it bigger.
    #[test]
    fn events_stay_small() {
        assert_eq!(std::mem::size_of::<Event>(), 32);
    }

    #[test]
    fn earliest_first_then_fifo() {
        let mut q = EventQueue::default();
        q.schedule(5.0, EventKind::Arrival { queue: 0 });
        q.schedule(1.0, EventKind::Arrival { queue: 1 });
        q.schedule(5.0, EventKind::Arrival { queue: 2 });
        q.schedule(0.0, EventKind::Arrival { queue: 3 });
        let order: Vec<u16> = std::iter::from_fn(|| q.pop())
            .map(|(_, k)| match k {
                EventKind::Arrival { queue } => queue,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(order, vec![3, 1, 0, 2]);
    }

    /// Deferring changes nothing in the order, ties included, and cancelled
    /// deferred timers never reach the heap.
    #[test]
    fn deferred_timers_keep_their_place() {
        let timer = |id| EventKind::Abandon { id, generation: 0 };
        let mut plain = EventQueue::new(10.0);
        let mut deferring = EventQueue::new(10.0);
        // Times in the current slot, in later slots, on a slot's start, and
        // far off (a slot of its own, as long as its bucket is free).
        let times = [3.0, 25.0, 20.0, 25.0, 40.0, 5.0, 1e6, 20.0, 33.3];
        for (i, &t) in times.iter().enumerate() {
            plain.schedule(t, timer(i as u32));
            deferring.defer(2.0, t, timer(i as u32));
        }
        assert_eq!(deferring.len(), times.len() + 4); // slots 2, 3, 4 and 100,000
        let mut popped = Vec::new();
        while let Some((t, kind)) = deferring.pop() {
            match kind {
                EventKind::Migrate { bucket } => deferring.migrate(bucket, |_| true),
                k => popped.push((t, k)),
            }
        }
        let want: Vec<_> = std::iter::from_fn(|| plain.pop()).collect();
        assert_eq!(popped, want);

        // A cancelled timer is dropped when its slot migrates.
        let mut q = EventQueue::new(10.0);
        q.defer(0.0, 15.0, timer(1));
        q.defer(0.0, 16.0, timer(2));
        let (t, kind) = q.pop().unwrap();
        assert_eq!((t, kind), (10.0, EventKind::Migrate { bucket: 1 }));
        q.migrate(1, |k| *k != timer(1));
        assert_eq!(q.pop(), Some((16.0, timer(2))));
        assert_eq!((q.pop(), q.len()), (None, 0));
    }
}
