//! Agent-created follow-ups (SPEC §10 `[queues.follow_up]`): an agent who
//! cannot finish an interaction (an answered call or a completed callback)
//! researches and calls the customer back. Whether a call needs one, the
//! research delay, the conversation and the attempts are the call's own
//! draws, so "no follow-ups" and "8% follow-ups" pair the same callers.
//!
//! A follow-up is due at the end of the interaction plus its delay.
//! Agent-owned (`owner = "agent"`), it is then reserved for the agent who
//! took the call: taken at once if that agent is idle, else kept on the
//! agent's own list, which the agent weighs against its queues' heads
//! (by priority and time, like any line) whenever it becomes free, until
//! `owner_timeout` after it was due; from then, and always with
//! `owner = "any"`, it waits in its queue's line for any agent who serves
//! the queue. An agent always dials it: an unanswered attempt retries after
//! `retry_delay`, and after `max_attempts` it is unreached. A follow-up of
//! a queue nobody serves any more is not made (unreached too), so
//! `follow_ups_created = follow_ups_completed + follow_ups_unreached`.

use super::arrivals::sample_in;
use super::callbacks::attempt_draws;
use super::contact::{Contact, Kind, State};
use super::event::EventKind;
use super::sim::Sim;
use crate::model::{FollowUpPolicy, Owner};
use crate::results::Recorder;
use crate::rng::callback_stream;
use crate::routing::{AgentId, ContactId, NO_AGENT, OrderKey};
use rand::Rng;
use std::cmp::Ordering;

/// Draw numbers of a call's follow-up (see [`callback_stream`]): whether it
/// needs one, then its delay, conversation and wrap-up, then its attempts,
/// past the callback's attempts, scheduling and answered patience.
const FOLLOW_UP: u32 = 3 << 29;
const DELAY: u32 = FOLLOW_UP + 1;
const HANDLE: u32 = FOLLOW_UP + 2;
const WRAP: u32 = FOLLOW_UP + 3;
/// Attempt `k` (from 1) draws number `ATTEMPTS + k`.
const ATTEMPTS: u32 = FOLLOW_UP + 3;

impl<'a, R: Recorder> Sim<'a, R> {
    /// Queue `q`'s follow-up policy; only called for queues that have one.
    fn follow_up_policy(&self, q: usize) -> &'a FollowUpPolicy {
        self.model.queues()[q]
            .follow_up
            .as_ref()
            .expect("follow-ups exist only in queues with a follow-up policy")
    }

    /// Agent `agent` of group `g` takes call (or callback) `c`, and is free
    /// at `end`: the call may need a follow-up, due `delay` after `end`.
    #[inline(always)]
    pub(super) fn follow_up(&mut self, c: &Contact, g: usize, agent: AgentId, end: f64) {
        // Every answered call passes here: queues without follow-ups pay
        // one test.
        if self.rules[c.queue as usize].follow_up {
            self.create_follow_up(c, g, agent, end);
        }
    }

    fn create_follow_up(&mut self, c: &Contact, g: usize, agent: AgentId, end: f64) {
        let model = self.model;
        let queue = &model.queues()[c.queue as usize];
        let f = self.follow_up_policy(c.queue as usize);
        let seed = c.callback_seed;
        if callback_stream(seed, FOLLOW_UP).random::<f64>() >= f.probability {
            return;
        }
        let due = end + f.delay.sample(&mut callback_stream(seed, DELAY));
        let handle = f
            .handle_time
            .as_ref()
            .unwrap_or(queue.handle_time.at(c.interval as usize))
            .sample(&mut callback_stream(seed, HANDLE));
        let wrap = sample_in(
            &queue.wrap_up,
            c.interval as usize,
            &mut callback_stream(seed, WRAP),
        );
        let owner = match f.owner {
            Owner::Agent => agent,
            Owner::Any => NO_AGENT,
        };
        self.rec.follow_up_created(c.call());
        let seq = self.next_seq();
        let (id, generation) = self.contacts.insert(Contact {
            kind: Kind::FollowUp,
            state: State::Pending,
            attempts: 0,
            key: OrderKey {
                priority: queue.priority,
                entry: due,
                seq,
            },
            handle,
            wrap,
            request: end,
            due,
            owner,
            owner_group: g as u16,
            ..*c
        });
        self.events
            .schedule(due, EventKind::FollowUpReady { id, generation });
    }

    /// A follow-up's research or retry delay is over.
    pub(super) fn on_follow_up_ready(&mut self, id: ContactId, generation: u32) {
        if self.contacts.is_current(id, generation) {
            self.n_events += 1;
            self.follow_up_ready(id);
        }
    }

    /// Follow-up `id` is due: its owner takes it or keeps it, or it goes
    /// to its queue's line.
    fn follow_up_ready(&mut self, id: ContactId) {
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        if self.now >= self.served_until[q] {
            self.rec.follow_up_unreached(c.call());
            self.contacts.remove(id);
            return;
        }
        let timeout = self.follow_up_policy(q).owner_timeout;
        if c.owner == NO_AGENT || self.now >= c.due + timeout {
            self.for_anyone(id);
            return;
        }
        let (g, agent) = (c.owner_group as usize, c.owner);
        if self
            .staffing
            .take_idle_agent(g, agent, self.now, &mut self.rec)
        {
            self.dial_follow_up(id, g, agent);
            return;
        }
        self.contacts.get_mut(id).state = State::Reserved;
        self.reserved[agent as usize].push((c.key, id, c.generation));
        self.events.schedule(
            c.due + timeout,
            EventKind::FollowUpRelease {
                id,
                generation: c.generation,
            },
        );
    }

    /// An agent-owned follow-up's reservation ends: anyone may take it.
    pub(super) fn on_follow_up_release(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        debug_assert_eq!(self.contacts.get(id).state, State::Reserved);
        // Its entry on the owner's list goes stale.
        self.contacts.bump(id);
        self.for_anyone(id);
    }

    /// Follow-up `id` is for any agent of its queue: an idle one takes it,
    /// or it waits in the queue's line.
    fn for_anyone(&mut self, id: ContactId) {
        let q = self.contacts.get(id).queue as usize;
        if let Some((g, agent)) = self.idle_agent_takes(q) {
            self.dial_follow_up(id, g, agent);
            return;
        }
        let c = self.contacts.get_mut(id);
        c.state = State::Waiting;
        let (key, generation) = (c.key, c.generation);
        self.lines[q].push_callback(key, id, generation);
    }

    /// Free agent `agent` takes the first follow-up reserved for it, if that
    /// comes before `head`, the first contact of its queues; returns it.
    pub(super) fn take_reserved(
        &mut self,
        agent: AgentId,
        head: Option<OrderKey>,
    ) -> Option<ContactId> {
        let list = &mut self.reserved[agent as usize];
        if list.is_empty() {
            return None;
        }
        let contacts = &self.contacts;
        list.retain(|&(_, id, generation)| contacts.is_current(id, generation));
        let (i, &(key, id, _)) = list
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| a.0.precedence(&b.0))?;
        if head.is_some_and(|h| key.precedence(&h) != Ordering::Greater) {
            return None;
        }
        list.swap_remove(i);
        Some(id)
    }

    /// Agent `agent` of group `g` (already busy) dials follow-up `id`.
    pub(super) fn dial_follow_up(&mut self, id: ContactId, g: usize, agent: AgentId) {
        // Its release timer, if any, goes stale.
        self.contacts.bump(id);
        let now = self.now;
        let c = *self.contacts.get(id);
        let f = self.follow_up_policy(c.queue as usize);
        let (dial, reached) = attempt_draws(
            (&f.dial_time, f.reach_probability),
            c.callback_seed,
            ATTEMPTS + c.attempts + 1,
        );
        if !reached {
            self.attempt_fails(id, g, agent, now + dial);
            return;
        }
        self.rec.follow_up_completed(c.call(), now + dial - c.due);
        let k = self.model.horizon().interval_of(now + dial);
        self.rec.connected(c.call(), c.work(), k);
        self.contacts.remove(id);
        self.events.schedule(
            now + dial + c.handle + c.wrap,
            EventKind::AgentFree {
                group: g as u16,
                line: 0,
                agent,
            },
        );
    }

    /// An attempt of follow-up `id` (its count already raised) went
    /// unanswered: unreached after the last attempt, else due again after
    /// `retry_delay`.
    pub(super) fn follow_up_unanswered(&mut self, id: ContactId, generation: u32) {
        let c = *self.contacts.get(id);
        let f = self.follow_up_policy(c.queue as usize);
        if c.attempts >= f.max_attempts {
            self.rec.follow_up_unreached(c.call());
            self.contacts.remove(id);
        } else if f.retry_delay > 0.0 {
            self.contacts.get_mut(id).state = State::Pending;
            self.events.schedule(
                self.now + f.retry_delay,
                EventKind::FollowUpReady { id, generation },
            );
        } else {
            self.follow_up_ready(id);
        }
    }
}
