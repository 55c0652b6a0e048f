//! Customer-first callbacks (SPEC §10 `mode = "customer_first"`): the
//! system dials as soon as a callback is eligible, without an agent; a
//! customer who answers holds in the callback's place in line until an
//! agent takes the call, and may hang up first (`answered_patience`,
//! counted as `callbacks_abandoned`). Unanswered attempts retry as
//! agent-first ones do. Ringing costs no agent time, so an agent is busy
//! only for the conversation and wrap-up.
//!
//! With every attempt answered and no dial time, the customer holds from
//! the moment the callback is eligible in the very place an agent-first
//! callback waits, and the agent connects at once where an agent-first
//! one would dial for no time: the same day, figure for figure.

use super::callbacks::attempt_draws;
use super::contact::State;
use super::event::EventKind;
use super::sim::Sim;
use crate::results::Recorder;
use crate::rng::callback_stream;
use crate::routing::{ContactId, Lane};

/// Draw number of a call's answered patience on attempt `k` (see
/// [`callback_stream`]): past any attempt number, so that no other draw
/// of the call changes with it.
const ANSWERED_PATIENCE: u32 = 1 << 30;

impl<R: Recorder> Sim<'_, R> {
    /// The system dials callback `id` now.
    pub(super) fn system_dials(&mut self, id: ContactId) {
        let now = self.now;
        let c = self.contacts.get_mut(id);
        c.state = State::Dialing;
        let (seed, attempt, q, generation) =
            (c.callback_seed, c.attempts + 1, c.queue, c.generation);
        let (dial, reached) = attempt_draws(self.policy(q as usize), seed, attempt);
        if dial > 0.0 {
            self.events.schedule(
                now + dial,
                EventKind::SystemDialed {
                    id,
                    generation,
                    reached,
                },
            );
        } else {
            // Nothing happens in between: the attempt ends now.
            self.attempt_ends(id, generation, reached);
        }
    }

    /// The system's attempt, under way, ends.
    pub(super) fn on_system_dialed(&mut self, id: ContactId, generation: u32, reached: bool) {
        debug_assert!(self.contacts.is_current(id, generation));
        self.n_events += 1;
        self.attempt_ends(id, generation, reached);
    }

    /// The customer answered (`reached`) and holds or is connected at once,
    /// or the callback retries, is unreached or expired.
    fn attempt_ends(&mut self, id: ContactId, generation: u32, reached: bool) {
        let now = self.now;
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let cb = self.policy(q);
        let attempt = c.attempts + 1;
        self.rec.callback_attempt(c.call());
        if reached {
            let line = self.model.callback_line(q);
            if let Some(g) = self.idle_agent_takes(line) {
                self.connect(id, g);
                return;
            }
            let c = self.contacts.get_mut(id);
            c.state = State::OnHold;
            let key = c.key;
            self.lines[line].push_callback(key, id, generation);
            if let Some(p) = &cb.answered_patience {
                let patience = p.sample(&mut callback_stream(
                    c.callback_seed,
                    ANSWERED_PATIENCE + attempt,
                ));
                self.events
                    .schedule(now + patience, EventKind::CallbackHangUp { id, generation });
            }
            return;
        }
        self.contacts.get_mut(id).attempts = attempt;
        self.unanswered(id, generation);
    }

    /// An agent of group `g` (already busy) takes the customer on the line.
    pub(super) fn connect(&mut self, id: ContactId, g: usize) {
        let now = self.now;
        let c = *self.contacts.get(id);
        self.rec.callback_completed(c.call(), now - c.request);
        let k = self.model.horizon().interval_of(now);
        self.rec.connected(c.call(), c.work(), k);
        if !c.due.is_nan() {
            self.rec.scheduled_connected(c.call(), now - c.due);
        }
        self.contacts.remove(id);
        self.events.schedule(
            now + c.handle + c.wrap,
            EventKind::AgentFree { group: g as u16 },
        );
    }

    /// A customer on hold for an agent hangs up.
    pub(super) fn on_callback_hang_up(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let c = *self.contacts.get(id);
        let line = self.model.callback_line(c.queue as usize);
        self.lines[line].left(Lane::Callback);
        self.rec.callback_abandoned(c.call());
        self.contacts.remove(id);
    }
}
