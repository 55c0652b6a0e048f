//! A queue left without agents: from the time nobody who serves it is
//! staffed to the end of the run ([`Model::served_until`], at its close
//! when its agents go home with it), its waiting contacts could never be
//! served. Callers still holding are ended as `timed_out` (sent to
//! voicemail); callbacks waiting or pending are ended as expired, and a
//! callback whose attempt is under way expires if that attempt fails.
//!
//! [`Model::served_until`]: crate::model::Model::served_until

use super::contact::State;
use super::event::EventKind;
use super::sim::Sim;
use crate::results::Recorder;
use crate::routing::Lane;

impl<R: Recorder> Sim<'_, R> {
    /// Schedules queue `q`'s end of service, if it has one.
    pub(super) fn schedule_unserved(&mut self, q: usize) {
        let at = self.model.served_until(q);
        if at.is_finite() {
            self.events
                .schedule(at, EventKind::Unserved { queue: q as u16 });
        }
    }

    /// Nobody is left to serve queue `q`: its waiting contacts are ended.
    pub(super) fn on_unserved(&mut self, q: usize) {
        self.n_events += 1;
        for id in self.contacts.live_ids() {
            let c = *self.contacts.get(id);
            if c.queue as usize != q {
                continue;
            }
            match (c.is_callback, c.state) {
                (false, _) => {
                    self.lines[q].left(Lane::Inbound);
                    self.rec.timed_out(c.call(), self.now - c.arrival);
                }
                (true, State::Waiting) => {
                    self.lines[q].left(Lane::Callback);
                    self.rec.callback_expired(c.call());
                }
                (true, State::Pending) => self.rec.callback_expired(c.call()),
                // The attempt under way decides (a failed one expires).
                (true, State::Dialing) => continue,
            }
            self.contacts.remove(id);
        }
    }
}
