//! The callback lifecycle (SPEC §1): the offer to a holding caller (on
//! arrival by the estimated wait or the callers ahead, or after a wait),
//! the conversion of an accepting caller into a callback that keeps or
//! loses its place, and the outbound attempts: dial, reach or retry,
//! unreached after the last attempt, expiry.

use super::arrivals::sample_opt;
use super::contact::{Kind, State};
use super::event::EventKind;
use super::sim::Sim;
use crate::model::{CallbackMode, Dist, Position};
use crate::results::Recorder;
use crate::rng::callback_stream;
use crate::routing::{AgentId, ContactId, Lane, OrderKey};
use rand::Rng;

impl<R: Recorder> Sim<'_, R> {
    /// SPEC §4's estimated wait for a new caller in queue `q` arriving in
    /// interval `interval`: contacts ahead plus one, times the mean handle
    /// time of that interval's calls, over the agents staffed
    /// for the queue (every group with the skill, in full). The handle time
    /// includes the mean wrap-up, which keeps agents from the next call just
    /// the same.
    pub(super) fn estimated_wait(&self, q: usize, interval: usize) -> f64 {
        let queue = &self.model.queues()[q];
        let line = &self.lines[q];
        let callbacks_ahead = match &queue.callback {
            Some(cb) if cb.priority >= queue.priority => line.callbacks_waiting(),
            _ => 0,
        };
        let ahead = f64::from(line.inbound_waiting() + callbacks_ahead);
        let staffed = self.staffing.staffed(&self.serving[q]);
        if staffed == 0 {
            return f64::INFINITY;
        }
        (ahead + 1.0) * self.mean_agent_time[q][interval] / f64::from(staffed)
    }

    /// The `offer_after` timer of a holding caller.
    pub(super) fn on_offer(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let q = self.contacts.get(id).queue as usize;
        if self.offer(id) {
            self.lines[q].left(Lane::Inbound);
        }
    }

    /// Offers a callback to holding caller `id`. On acceptance the call is
    /// converted (its line entry and timers go stale; the caller adjusts the
    /// line's count if the call was in line) and `true` is returned.
    pub(super) fn offer(&mut self, id: ContactId) -> bool {
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let cb = self.policy(q);
        if let Some(before) = cb.no_offer_before_close {
            let close = self.model.queues()[q].open_window(self.model.horizon()).1;
            if self.now >= close - before {
                return false;
            }
        }
        self.rec.callback_offered(c.call());
        if c.accept_u >= cb.accept_probability {
            return false;
        }
        let now = self.now;
        self.rec.callback_requested(c.call(), now - c.arrival);
        // The caller hangs up: the line is free.
        self.free_line(q);
        let key = match cb.position {
            Position::Keep => OrderKey {
                priority: cb.priority,
                ..c.key
            },
            Position::Back => OrderKey {
                priority: cb.priority,
                entry: now,
                seq: self.next_seq(),
            },
        };
        let handle = match &cb.handle_time {
            Some(d) => d.sample(&mut callback_stream(c.callback_seed, 0)),
            None => c.handle,
        };
        let generation = self.contacts.bump(id);
        {
            let c = self.contacts.get_mut(id);
            c.kind = Kind::Callback;
            // A redial's count of calls gives way to the callback's attempts.
            c.attempts = 0;
            c.key = key;
            c.handle = handle;
            c.request = now;
            c.state = State::Pending;
        }
        if let Some(due) = self.schedule(id) {
            // Not eligible before its time; it expires counting from then.
            if let Some(after) = cb.expire_after {
                self.events
                    .schedule(due + after, EventKind::CallbackExpire { id, generation });
            }
            self.events
                .schedule(due, EventKind::CallbackReady { id, generation });
            return true;
        }
        if let Some(after) = cb.expire_after {
            self.events
                .schedule(now + after, EventKind::CallbackExpire { id, generation });
        }
        if cb.initial_delay > 0.0 {
            self.events.schedule(
                now + cb.initial_delay,
                EventKind::CallbackReady { id, generation },
            );
        } else {
            self.make_ready(id);
        }
        true
    }

    /// A callback's initial or retry delay is over.
    pub(super) fn on_ready(&mut self, id: ContactId, generation: u32) {
        if self.contacts.is_current(id, generation) {
            self.n_events += 1;
            self.make_ready(id);
        }
    }

    /// Callback `id` is eligible: an idle agent dials it now, or it joins
    /// its line.
    pub(super) fn make_ready(&mut self, id: ContactId) {
        let q = self.contacts.get(id).queue as usize;
        // It waits in its queue's line, or the one it is routed to.
        let line = self.model.callback_line(q);
        if self.callback_dropped(q) {
            // Nobody is left to make it, or the queue closed (`closing.rs`).
            let c = *self.contacts.get(id);
            self.rec.callback_expired(c.call());
            self.contacts.remove(id);
        } else if self.policy(q).mode == CallbackMode::CustomerFirst {
            self.system_dials(id);
        } else if let Some((g, agent)) = self.idle_agent_takes(line) {
            self.dial(id, g, agent);
        } else {
            let c = self.contacts.get_mut(id);
            c.state = State::Waiting;
            let (key, generation) = (c.key, c.generation);
            self.lines[line].push_callback(key, id, generation);
        }
    }

    /// Agent `agent` of group `g` (already counted busy) makes an outbound
    /// attempt.
    pub(super) fn dial(&mut self, id: ContactId, g: usize, agent: AgentId) {
        let now = self.now;
        let c = *self.contacts.get(id);
        let cb = self.policy(c.queue as usize);
        let (dial, reached) = attempt_draws(
            (&cb.dial_time, cb.reach_probability),
            c.callback_seed,
            c.attempts + 1,
        );
        self.rec.callback_attempt(c.call());
        if reached {
            self.callback_connected(id, g, agent, now + dial);
        } else {
            self.attempt_fails(id, g, agent, now + dial);
        }
    }

    /// Callback `id` reaches its customer at `at` (now, or once the agent's
    /// dial ends), talking to agent `agent` of group `g`.
    pub(super) fn callback_connected(&mut self, id: ContactId, g: usize, agent: AgentId, at: f64) {
        let c = *self.contacts.get(id);
        let end = at + c.handle + c.wrap;
        // Before the callback ends, so that its interval stays open for it.
        self.follow_up(&c, g, agent, end);
        // Before the completion, which ends the call: a figure reported
        // after it would miss the call's interval if that was its last.
        if !c.due.is_nan() {
            self.rec.scheduled_connected(c.call(), at - c.due);
        }
        let k = self.model.horizon().interval_of(at);
        self.rec.connected(c.call(), c.work(), k);
        self.rec.callback_completed(c.call(), at - c.request);
        self.contacts.remove(id);
        self.events.schedule(
            end,
            EventKind::AgentFree {
                group: g as u16,
                line: 0,
                agent,
            },
        );
    }

    /// Agent `agent`'s attempt of callback or follow-up `id` goes unanswered
    /// and ends at `at`.
    pub(super) fn attempt_fails(&mut self, id: ContactId, g: usize, agent: AgentId, at: f64) {
        let c = self.contacts.get_mut(id);
        c.attempts += 1;
        c.state = State::Dialing;
        let generation = c.generation;
        self.events.schedule(
            at,
            EventKind::AttemptFailed {
                group: g as u16,
                agent,
                id,
                generation,
            },
        );
    }

    /// An attempt that did not reach the customer ends; the agent is free.
    pub(super) fn on_attempt_failed(
        &mut self,
        g: usize,
        agent: AgentId,
        id: ContactId,
        generation: u32,
    ) {
        debug_assert!(
            self.contacts.is_current(id, generation),
            "a dialing callback cannot go stale"
        );
        self.n_events += 1;
        if self.contacts.get(id).kind == Kind::FollowUp {
            self.follow_up_unanswered(id, generation);
        } else {
            self.unanswered(id, generation);
        }
        self.agent_finishes(g, agent);
    }

    /// An attempt of callback `id` (its count already raised) went
    /// unanswered: it is unreached after the last attempt, expired if its
    /// expiry passed during the attempt, else tried again after
    /// `retry_delay`.
    pub(super) fn unanswered(&mut self, id: ContactId, generation: u32) {
        let now = self.now;
        let c = *self.contacts.get(id);
        let cb = self.policy(c.queue as usize);
        if c.attempts >= cb.max_attempts {
            self.rec.callback_unreached(c.call());
            self.contacts.remove(id);
        } else if cb.expire_after.is_some_and(|e| now >= c.expiry_base() + e) {
            // Its expiry timer fired while the attempt was under way.
            self.rec.callback_expired(c.call());
            self.contacts.remove(id);
        } else if cb.retry_delay > 0.0 {
            self.contacts.get_mut(id).state = State::Pending;
            self.events.schedule(
                now + cb.retry_delay,
                EventKind::CallbackReady { id, generation },
            );
        } else {
            self.make_ready(id);
        }
    }

    /// A callback's `expire_after` has passed.
    pub(super) fn on_expire(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        let c = *self.contacts.get(id);
        match c.state {
            // The attempt under way decides; `on_attempt_failed` checks
            // expiry. A customer on the line is no longer waiting for one.
            State::Dialing | State::OnHold => return,
            State::Waiting => {
                let line = self.model.callback_line(c.queue as usize);
                self.lines[line].left(Lane::Callback);
            }
            State::Pending => {}
            State::Reserved => unreachable!("only follow-ups are reserved"),
        }
        self.n_events += 1;
        self.rec.callback_expired(c.call());
        self.contacts.remove(id);
    }
}

/// Attempt `attempt` (draw number, see [`callback_stream`]) of a callback
/// or follow-up with `(dial_time, reach_probability)`: how long the dial
/// takes and whether the customer answers. Agents' and the system's
/// attempts draw the same numbers from the same stream under any policy,
/// so comparisons stay paired.
pub(super) fn attempt_draws(
    (dial_time, reach_probability): (&Option<Dist>, f64),
    seed: u64,
    attempt: u32,
) -> (f64, bool) {
    let mut rng = callback_stream(seed, attempt);
    let dial = sample_opt(dial_time, &mut rng);
    let reached = match reach_probability {
        p if p >= 1.0 => true,
        p if p <= 0.0 => false,
        p => rng.random::<f64>() < p,
    };
    (dial, reached)
}
