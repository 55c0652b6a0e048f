//! The event list: a binary heap ordered by time, ties broken by scheduling
//! order so that simultaneous events run first-scheduled-first.

use crate::routing::ContactId;
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
    /// A holding caller has waited `offer_after`: offer a callback.
    Offer { id: ContactId, generation: u32 },
    /// An agent finishes a contact (talk, dialing of a reached callback,
    /// wrap-up).
    AgentFree { group: u16 },
    /// An agent finishes an outbound attempt that did not reach the customer.
    AttemptFailed {
        group: u16,
        id: ContactId,
        generation: u32,
    },
    /// A callback becomes eligible for an agent (after its initial or retry delay).
    CallbackReady { id: ContactId, generation: u32 },
    /// A callback's `expire_after` has passed.
    CallbackExpire { id: ContactId, generation: u32 },
    /// Interval `k` starts and some group's staffing changes.
    Staffing { interval: u32 },
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

/// Pending events, earliest first.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: QuaternaryHeap<Event>,
    seq: u64,
}

impl EventQueue {
    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: QuaternaryHeap::with_capacity(n),
            seq: 0,
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

    /// Drops every event for which `keep` is false; the others keep their
    /// order. Lets the engine shed cancelled timers whose time is far off.
    pub fn retain(&mut self, mut keep: impl FnMut(&EventKind) -> bool) {
        self.heap.retain(|e| keep(&e.kind));
    }

    /// Pending events, cancelled timers included.
    pub fn len(&self) -> usize {
        self.heap.len()
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
}
