//! Scheduled callbacks (SPEC §10 `[queues.callback.scheduled]`): a share
//! of accepting callers pick a time instead of "as soon as possible". The
//! time is the request plus a draw of `delay`, booked in capacity windows
//! of `window` seconds: a window already holding `capacity` moves the
//! booking to the start of the next window with room. The callback is not
//! eligible before its time; from then it waits ordered by that time and
//! is taken by the next suitable agent. Whether a caller schedules and the
//! delay are the call's own draws, so the same callers schedule under any
//! other policy.

use super::sim::Sim;
use crate::results::Recorder;
use crate::rng::callback_stream;
use crate::routing::{ContactId, OrderKey};
use rand::Rng;

/// Draw numbers of a call's scheduling choice and delay (see
/// [`callback_stream`]), apart from its attempts' and answered patience's.
const SCHEDULE: u32 = 1 << 29;

impl<R: Recorder> Sim<'_, R> {
    /// Whether callback `id`, just requested, is for a time its caller
    /// picked; if so books it and returns the time.
    pub(super) fn schedule(&mut self, id: ContactId) -> Option<f64> {
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let sch = self.policy(q).scheduled.as_ref()?;
        let picks = callback_stream(c.callback_seed, SCHEDULE).random::<f64>() < sch.share;
        if !picks {
            return None;
        }
        let wanted = self.now
            + sch
                .delay
                .sample(&mut callback_stream(c.callback_seed, SCHEDULE + 1));
        let windows = &mut self.windows[q];
        let mut w = (wanted / sch.window) as usize;
        let mut due = wanted;
        loop {
            if windows.len() <= w {
                windows.resize(w + 1, 0);
            }
            if windows[w] < sch.capacity {
                windows[w] += 1;
                break;
            }
            w += 1;
            due = w as f64 * sch.window;
        }
        self.rec.callback_scheduled(c.call());
        let seq = self.next_seq();
        let priority = self.policy(q).priority;
        let contact = self.contacts.get_mut(id);
        contact.due = due;
        contact.key = OrderKey {
            priority,
            entry: due,
            seq,
        };
        Some(due)
    }
}
