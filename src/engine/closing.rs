//! A queue's close. From the time nobody who serves it is staffed to the
//! end of the run ([`Model::served_until`], at its close when its agents
//! go home with it), its waiting contacts could never be served: callers
//! still holding are ended as `timed_out` (sent to voicemail), callbacks
//! waiting or pending expire, and a callback whose attempt is under way
//! expires if that attempt fails. With `at_close = "expire"` the same
//! befalls its callbacks (not its callers) when it closes (its hours'
//! end, or the end of arrivals), staffed or not. Follow-ups of a queue
//! nobody serves any more are not made: `follow_ups_unreached`.
//!
//! [`Model::served_until`]: crate::model::Model::served_until

use super::contact::{Contact, Kind, State};
use super::event::EventKind;
use super::sim::Sim;
use crate::model::AtClose;
use crate::results::Recorder;
use crate::routing::Lane;

impl<R: Recorder> Sim<'_, R> {
    /// Schedules queue `q`'s end of service, if it has one, and the drop
    /// of its callbacks at its close, if its policy says so.
    pub(super) fn schedule_unserved(&mut self, q: usize) {
        let at = self.served_until[q];
        if at.is_finite() {
            self.events
                .schedule(at, EventKind::Unserved { queue: q as u16 });
        }
        if let Some(close) = self.drops_callbacks_at(q) {
            self.events
                .schedule(close, EventKind::CallbacksClose { queue: q as u16 });
        }
    }

    /// When queue `q` closes, if its callbacks expire then.
    fn drops_callbacks_at(&self, q: usize) -> Option<f64> {
        let queue = &self.model.queues()[q];
        let cb = queue.callback.as_ref()?;
        (cb.at_close == AtClose::Expire).then(|| queue.open_window(self.model.horizon()).1)
    }

    /// Whether a callback of queue `q` that would wait now can never be
    /// made: nobody serves the line it waits in any more, or the queue
    /// closed and drops them.
    pub(super) fn callback_dropped(&self, q: usize) -> bool {
        self.now >= self.served_until[self.model.callback_line(q)]
            || self
                .drops_callbacks_at(q)
                .is_some_and(|close| self.now >= close)
    }

    /// Nobody is left to serve queue `q`: the contacts waiting in its
    /// line (its callers, and callbacks of any queue routed to it) end.
    pub(super) fn on_unserved(&mut self, q: usize) {
        self.n_events += 1;
        self.end_waiting(|line, _| line == q);
    }

    /// Queue `q` closes and drops its pending callbacks, wherever they wait.
    pub(super) fn on_callbacks_close(&mut self, q: usize) {
        self.n_events += 1;
        self.end_waiting(|_, c| c.kind == Kind::Callback && c.queue as usize == q);
    }

    /// Ends the waiting contacts for which `which(line, contact)` holds,
    /// `line` being the queue whose line the contact waits in.
    pub(super) fn end_waiting(&mut self, which: impl Fn(usize, &Contact) -> bool) {
        for id in self.contacts.live_ids() {
            let c = *self.contacts.get(id);
            let q = c.queue as usize;
            let line = match c.kind {
                Kind::Callback => self.model.callback_line(q),
                Kind::Call | Kind::FollowUp => q,
            };
            if !which(line, &c) {
                continue;
            }
            match (c.kind, c.state) {
                // A redial not yet made: the caller finds the queue closed.
                (Kind::Call, State::Pending) => {}
                (Kind::Call, _) => {
                    self.lines[line].left(Lane::Inbound);
                    self.free_line(q);
                    self.rec.timed_out(c.call(), self.now - c.arrival);
                }
                (Kind::Callback, State::Waiting | State::OnHold) => {
                    self.lines[line].left(Lane::Callback);
                    self.rec.callback_expired(c.call());
                }
                (Kind::Callback, State::Pending | State::Reserved) => {
                    self.rec.callback_expired(c.call())
                }
                // Nobody is left to make it.
                (Kind::FollowUp, State::Waiting) => {
                    self.lines[line].left(Lane::Callback);
                    self.rec.follow_up_unreached(c.call());
                }
                (Kind::FollowUp, State::Pending | State::Reserved | State::OnHold) => {
                    self.rec.follow_up_unreached(c.call())
                }
                // The attempt under way decides (a failed one expires).
                (_, State::Dialing) => continue,
            }
            self.contacts.remove(id);
        }
    }
}
