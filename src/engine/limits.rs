//! A queue's limits and its callers' impatience at once (SPEC §11): the
//! lines (trunks) its calls hold while holding or talking (`lines`), the
//! callers it lets hold (`capacity`), a busy signal for a call that finds
//! either full (`blocked`), voicemail after `max_wait` (`timed_out`),
//! callers who hang up as soon as they hear they must wait
//! (`balk_probability`, counted in `abandoned` and `balked`), and the
//! redials of callers who abandoned or got a busy signal (`[redial]`).
//!
//! A redial is a new arrival of the same caller: its draws (whether to
//! call again, when, and the new call's patience, handle time, wrap-up and
//! acceptance) come from streams keyed by the caller's own seed, never
//! from the queue's, so a queue's first attempts arrive at the same times
//! with the same draws whatever the redials do.

use super::arrivals::sample_in;
use super::contact::{Contact, State};
use super::event::EventKind;
use super::sim::Sim;
use crate::results::Recorder;
use crate::rng::callback_stream;
use crate::routing::{ContactId, Lane, OrderKey};
use rand::{Rng, RngCore};

/// Draw numbers of a call's redial (see [`callback_stream`]): whether the
/// caller calls again, when, and the seed of the new call's own draws;
/// past the callback's, scheduling, answered patience and follow-up draws.
const REDIAL: u32 = 7 << 28;
const REDIAL_DELAY: u32 = REDIAL + 1;
const REDIAL_SEED: u32 = REDIAL + 2;
/// The new call's draws, from its own seed: patience, handle time,
/// wrap-up, acceptance, balking.
const DRAWS: u32 = REDIAL + 3;

impl<R: Recorder> Sim<'_, R> {
    /// Takes one of queue `q`'s lines for an arriving call: `false` when
    /// all are in use. Always `true` for a queue that does not count them.
    #[inline(always)]
    pub(super) fn take_line(&mut self, q: usize) -> bool {
        let Some(lines) = self.model.queues()[q].lines else {
            return true;
        };
        let used = &mut self.lines_used[q];
        if *used >= lines {
            return false;
        }
        *used += 1;
        true
    }

    /// A call of queue `q` ends (hangs up, is converted or its talk ends):
    /// its line is free.
    #[inline(always)]
    pub(super) fn free_line(&mut self, q: usize) {
        if self.rules[q].lines {
            self.lines_used[q] -= 1;
        }
    }

    /// Call `c`, holding a line and finding no agent free, is turned away
    /// (a busy signal if the queue's holding callers fill its capacity, or
    /// it balks on `balk_u`); returns whether it was.
    #[inline]
    pub(super) fn turned_away(&mut self, c: &Contact, balk_u: f64) -> bool {
        let q = c.queue as usize;
        let queue = &self.model.queues()[q];
        if queue
            .capacity
            .is_some_and(|k| self.lines[q].inbound_waiting() >= k)
        {
            self.free_line(q);
            self.blocked(c);
            return true;
        }
        if balk_u < queue.balk_probability {
            self.free_line(q);
            self.rec.balked(c.call());
            self.rec.abandoned(c.call(), 0.0);
            self.redial(c);
            return true;
        }
        false
    }

    /// Call `c` gets a busy signal.
    pub(super) fn blocked(&mut self, c: &Contact) {
        self.rec.blocked(c.call());
        self.redial(c);
    }

    /// A holding caller reaches the queue's `max_wait`: voicemail.
    pub(super) fn on_max_wait(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        self.lines[q].left(Lane::Inbound);
        self.free_line(q);
        self.rec.timed_out(c.call(), self.now - c.arrival);
        self.contacts.remove(id);
    }

    /// Caller `c` abandoned or got a busy signal: it may call again, while
    /// the queue still takes calls.
    pub(super) fn redial(&mut self, c: &Contact) {
        let q = c.queue as usize;
        let queue = &self.model.queues()[q];
        let Some(r) = &queue.redial else {
            return;
        };
        let seed = c.callback_seed;
        if c.attempts >= r.max || callback_stream(seed, REDIAL).random::<f64>() >= r.probability {
            return;
        }
        let at = self.now + r.delay.sample(&mut callback_stream(seed, REDIAL_DELAY));
        let close = queue
            .open_window(self.model.horizon())
            .1
            .min(self.model.horizon().open);
        if at >= close {
            return;
        }
        let (id, generation) = self.contacts.insert(Contact {
            state: State::Pending,
            attempts: c.attempts + 1,
            callback_seed: callback_stream(seed, REDIAL_SEED).next_u64(),
            ..*c
        });
        self.events
            .schedule(at, EventKind::Redial { id, generation });
    }

    /// A caller calls again: a new call of the queue, with its own draws.
    #[inline(never)]
    pub(super) fn on_redial(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let c = *self.contacts.get(id);
        self.contacts.remove(id);
        let (now, q, model) = (self.now, c.queue as usize, self.model);
        let queue = &model.queues()[q];
        let mut rng = callback_stream(c.callback_seed, DRAWS);
        // The distributions of the interval the redial arrives in.
        let k = model.horizon().interval_of(now);
        let patience = queue.patience.as_ref().map(|d| d.at(k).sample(&mut rng));
        let handle = queue.handle_time.at(k).sample(&mut rng);
        let wrap = sample_in(&queue.wrap_up, k, &mut rng);
        let accept_u = rng.random::<f64>();
        let balk_u = rng.random::<f64>();
        let seq = self.next_seq();
        let call = Contact {
            state: State::Waiting,
            counted: now >= model.horizon().warmup,
            interval: k as u32,
            arrival: now,
            key: OrderKey {
                priority: queue.priority,
                entry: now,
                seq,
            },
            handle,
            wrap,
            accept_u,
            ..c
        };
        self.arrive(call, patience, balk_u);
    }
}
