//! One replication: the state of the contact center and the event handlers.

use super::Replication;
use super::contact::{Contact, Contacts, State};
use super::event::{EventKind, EventQueue};
use crate::dist::Dist;
use crate::rng::{QueueStreams, StreamRng, callback_stream};
use crate::routing::{AgentPool, ContactId, Lane, OrderKey, WaitingLine, pick_agent, pick_queue};
use crate::scenario::{Arrivals, CallbackPolicy, OfferTrigger, Position, Scenario};
use crate::stats::{BusyTally, IntervalTally, QueueTally};
use rand::{Rng, RngCore};
use rand_distr::{Distribution, Exp1};

pub(super) struct Sim<'a> {
    sc: &'a Scenario,
    now: f64,
    events: EventQueue,
    contacts: Contacts,
    lines: Vec<WaitingLine>,
    pools: Vec<AgentPool>,
    busy_tallies: Vec<BusyTally>,
    /// Groups serving each queue.
    serving: Vec<Vec<u16>>,
    /// Queues each group serves.
    skills: Vec<Vec<u16>>,
    rng: Vec<QueueStreams>,
    tallies: Vec<QueueTally>,
    /// Interval-major: `[k * queues + q]`.
    intervals: Vec<IntervalTally>,
    /// Intervals at whose start some group's staffing changes.
    staffing_changes: Vec<u32>,
    next_change: usize,
    /// Mean agent time per call (handle time plus wrap-up), for the EWT.
    mean_agent_time: Vec<f64>,
    /// Next index into each queue's arrival trace, if it has one.
    trace_pos: Vec<usize>,
    /// Where each queue's Poisson arrival stream stands.
    arrival_at: Vec<ArrivalCursor>,
    /// Creation counter, the last tie-break of the line order.
    contact_seq: u64,
    /// Events that changed the state (stale timers are not counted).
    n_events: u64,
    /// Heap size above which cancelled timers are swept out.
    compact_at: usize,
    /// Largest heap seen after an event.
    peak_events: usize,
}

/// Smallest heap worth sweeping for cancelled timers.
const MIN_COMPACT: usize = 4096;

impl<'a> Sim<'a> {
    pub fn new(sc: &'a Scenario, rep: u32) -> Self {
        let nq = sc.queues.len();
        let h = &sc.horizon;
        let serving = sc
            .groups_serving()
            .into_iter()
            .map(|gs| gs.into_iter().map(|g| g as u16).collect())
            .collect();
        let skills = sc
            .groups
            .iter()
            .map(|g| g.skills.iter().map(|&q| q as u16).collect())
            .collect();
        let staffing_changes = (1..h.intervals)
            .filter(|&k| sc.groups.iter().any(|g| g.staffing[k] != g.staffing[k - 1]))
            .map(|k| k as u32)
            .collect();
        Sim {
            sc,
            now: 0.0,
            events: EventQueue::new(slot_width(sc)),
            contacts: Contacts::default(),
            lines: (0..nq).map(|_| WaitingLine::default()).collect(),
            pools: sc
                .groups
                .iter()
                .map(|g| AgentPool::new(g.staffing[0]))
                .collect(),
            busy_tallies: sc
                .groups
                .iter()
                .map(|_| BusyTally::new(h.warmup, h.open))
                .collect(),
            serving,
            skills,
            rng: sc
                .queues
                .iter()
                .map(|q| QueueStreams::new(sc.seed, u64::from(rep), &q.name))
                .collect(),
            tallies: (0..nq).map(|_| QueueTally::default()).collect(),
            intervals: vec![IntervalTally::default(); h.intervals * nq],
            staffing_changes,
            next_change: 0,
            trace_pos: vec![0; nq],
            arrival_at: vec![
                ArrivalCursor {
                    interval: 0,
                    end: h.interval_end(0),
                };
                nq
            ],
            mean_agent_time: sc.queues.iter().map(|q| q.mean_agent_time()).collect(),
            contact_seq: 0,
            n_events: 0,
            compact_at: MIN_COMPACT,
            peak_events: 0,
        }
    }

    /// Runs until no event is left: arrivals stop at `open`, and every call
    /// is followed to its end.
    pub fn run(mut self, index: u32) -> Replication {
        for q in 0..self.sc.queues.len() {
            self.schedule_arrival(q, 0.0);
        }
        self.schedule_next_staffing_change();
        while let Some((t, kind)) = self.events.pop() {
            self.now = t;
            self.handle(kind);
            let pending = self.events.len();
            self.peak_events = self.peak_events.max(pending);
            if pending > self.compact_at {
                self.sweep_cancelled_timers();
            }
        }
        debug_assert!(self.contacts.is_empty(), "contacts left in the system");
        // Agents stay logged in until `open` even if the calls ran out earlier.
        let end = self.now.max(self.sc.horizon.open);
        for (g, pool) in self.pools.iter().enumerate() {
            self.busy_tallies[g].advance(end, pool.busy, pool.present);
        }
        self.finish(index)
    }

    fn finish(self, index: u32) -> Replication {
        let mut total = QueueTally::default();
        for t in &self.tallies {
            total.add(t);
        }
        Replication {
            index,
            queues: self.tallies.iter().map(QueueTally::metrics).collect(),
            total: total.metrics(),
            occupancy: self.busy_tallies.iter().map(BusyTally::occupancy).collect(),
            intervals: self.intervals,
            events: self.n_events,
            peak_contacts: self.contacts.capacity(),
            peak_events: self.peak_events,
        }
    }

    /// Cancelled timers wait in the heap until their time; a long
    /// `expire_after` would let them pile up with the number of callbacks.
    /// Sweeping whenever the heap doubles keeps it proportional to the
    /// contacts in the system, at amortized constant cost per event.
    fn sweep_cancelled_timers(&mut self) {
        let contacts = &self.contacts;
        self.events.retain(|kind| is_live(contacts, kind));
        self.compact_at = (2 * self.events.len()).max(MIN_COMPACT);
    }

    #[inline]
    fn handle(&mut self, kind: EventKind) {
        match kind {
            EventKind::Arrival { queue } => self.on_arrival(queue as usize),
            EventKind::Abandon { id, generation } => self.on_abandon(id, generation),
            EventKind::Offer { id, generation } => self.on_offer(id, generation),
            EventKind::AgentFree { group } => {
                self.n_events += 1;
                self.agent_finishes(group as usize);
            }
            EventKind::AttemptFailed {
                group,
                id,
                generation,
            } => self.on_attempt_failed(group as usize, id, generation),
            EventKind::CallbackReady { id, generation } => {
                if self.contacts.is_current(id, generation) {
                    self.n_events += 1;
                    self.make_ready(id);
                }
            }
            EventKind::CallbackExpire { id, generation } => self.on_expire(id, generation),
            EventKind::Staffing { interval } => self.on_staffing(interval as usize),
            EventKind::Migrate { bucket } => {
                let contacts = &self.contacts;
                self.events.migrate(bucket, |kind| is_live(contacts, kind));
            }
        }
    }

    // ------------------------------------------------------------ arrivals

    /// Schedules queue `q`'s next arrival after `from`.
    ///
    /// Poisson arrivals with a piecewise-constant rate are generated by
    /// inverting the cumulative rate: one Exp(1) draw per arrival whatever
    /// the intervals, so the arrival stream is the same under any policy.
    fn schedule_arrival(&mut self, q: usize, from: f64) {
        let h = &self.sc.horizon;
        let at = match &self.sc.queues[q].arrivals {
            Arrivals::Trace { at } => {
                let next = at.get(self.trace_pos[q]).copied();
                self.trace_pos[q] += 1;
                next
            }
            Arrivals::Poisson { rate } => {
                let mut need: f64 = Exp1.sample(&mut self.rng[q].arrivals);
                // Arrivals come in time order, so the search for the
                // interval holding the next one starts where the last one
                // fell, with that interval's end at hand.
                let cur = &mut self.arrival_at[q];
                let mut t = from;
                loop {
                    let r = rate[cur.interval];
                    let mass = r * (cur.end - t);
                    if r > 0.0 && mass >= need {
                        break Some((t + need / r).min(cur.end));
                    }
                    need -= mass;
                    cur.interval += 1;
                    if cur.interval >= h.intervals {
                        break None;
                    }
                    t = cur.end;
                    cur.end = h.interval_end(cur.interval);
                }
            }
        };
        if let Some(at) = at.filter(|&t| t < h.open) {
            self.events
                .schedule(at, EventKind::Arrival { queue: q as u16 });
        }
    }

    /// The interval of queue `q`'s arrival now under way.
    #[inline]
    fn arrival_interval(&self, q: usize) -> usize {
        match self.sc.queues[q].arrivals {
            Arrivals::Poisson { .. } => self.arrival_at[q].interval,
            Arrivals::Trace { .. } => self.sc.horizon.interval_of(self.now),
        }
    }

    fn on_arrival(&mut self, q: usize) {
        self.n_events += 1;
        let now = self.now;
        let sc = self.sc;
        let queue = &sc.queues[q];
        let counted = now >= sc.horizon.warmup;
        let interval = self.arrival_interval(q);
        // The call's own attributes, drawn now whatever happens to it, so the
        // same call gets the same draws under every policy.
        let streams = &mut self.rng[q];
        let patience = queue
            .patience
            .as_ref()
            .map(|d| d.sample(&mut streams.patience));
        let handle = queue.handle_time.sample(&mut streams.handle);
        let wrap = sample_opt(&queue.wrap_up, &mut streams.wrap);
        let (accept_u, callback_seed) = match queue.callback {
            Some(_) => (
                streams.accept.random::<f64>(),
                streams.callback_seed.next_u64(),
            ),
            None => (1.0, 0),
        };
        self.schedule_arrival(q, now);

        let cell = interval * sc.queues.len() + q;
        if counted {
            self.tallies[q].offered += 1;
            self.intervals[cell].offered += 1;
        }
        let seq = self.next_seq();
        let key = OrderKey {
            priority: queue.priority,
            entry: now,
            seq,
        };
        let contact = Contact {
            generation: 0,
            queue: q as u16,
            is_callback: false,
            state: State::Waiting,
            counted,
            interval: interval as u32,
            attempts: 0,
            arrival: now,
            key,
            handle,
            wrap,
            accept_u,
            callback_seed,
            request: 0.0,
        };
        if let Some(g) = pick_agent(&self.pools, &self.serving[q]) {
            self.take_idle(g);
            self.answer(&contact, g);
            return;
        }
        if counted {
            self.tallies[q].waited += 1;
        }
        let trigger = queue.callback.as_ref().map(|cb| cb.trigger);
        let offer_now = match trigger {
            Some(OfferTrigger::EwtOver(limit)) => self.estimated_wait(q) > limit,
            Some(OfferTrigger::CallersAhead(n)) => self.lines[q].inbound_live >= n,
            _ => false,
        };
        let (id, generation) = self.contacts.insert(contact);
        if offer_now && self.offer(id) {
            return;
        }
        self.lines[q].push_inbound(key, id, generation);
        if let Some(p) = patience {
            // Most callers are answered long before their patience runs out.
            self.events
                .defer(now, now + p, EventKind::Abandon { id, generation });
        }
        if let Some(OfferTrigger::After(after)) = trigger
            && patience.is_none_or(|p| after < p)
        {
            self.events
                .defer(now, now + after, EventKind::Offer { id, generation });
        }
    }

    /// SPEC §4's estimated wait for a new caller in queue `q`: contacts
    /// ahead plus one, times the mean handle time, over the agents staffed
    /// for the queue (every group with the skill, in full). The handle time
    /// includes the mean wrap-up, which keeps agents from the next call just
    /// the same.
    fn estimated_wait(&self, q: usize) -> f64 {
        let queue = &self.sc.queues[q];
        let line = &self.lines[q];
        let callbacks_ahead = match &queue.callback {
            Some(cb) if cb.priority >= queue.priority => line.callbacks_live,
            _ => 0,
        };
        let ahead = f64::from(line.inbound_live + callbacks_ahead);
        let staffed: u32 = self.serving[q]
            .iter()
            .map(|&g| self.pools[g as usize].target)
            .sum();
        if staffed == 0 {
            return f64::INFINITY;
        }
        (ahead + 1.0) * self.mean_agent_time[q] / f64::from(staffed)
    }

    // ------------------------------------------------------ holding callers

    fn on_abandon(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let c = *self.contacts.get(id);
        debug_assert!(c.state == State::Waiting && !c.is_callback);
        let q = c.queue as usize;
        self.lines[q].inbound_live -= 1;
        if c.counted {
            let t = &mut self.tallies[q];
            t.abandoned += 1;
            t.wait_all_sum += self.now - c.arrival;
            self.intervals[c.interval as usize * self.sc.queues.len() + q].abandoned += 1;
        }
        self.contacts.remove(id);
    }

    fn on_offer(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let q = self.contacts.get(id).queue as usize;
        if self.offer(id) {
            self.lines[q].inbound_live -= 1;
        }
    }

    /// Offers a callback to holding caller `id`. On acceptance the call is
    /// converted (its line entry and timers go stale; the caller adjusts the
    /// line's count if the call was in line) and `true` is returned.
    fn offer(&mut self, id: ContactId) -> bool {
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let cb = self.policy(q);
        let cell = c.interval as usize * self.sc.queues.len() + q;
        if c.counted {
            self.tallies[q].callbacks_offered += 1;
            self.intervals[cell].callbacks_offered += 1;
        }
        if c.accept_u >= cb.accept_probability {
            return false;
        }
        let now = self.now;
        if c.counted {
            let t = &mut self.tallies[q];
            t.callbacks_requested += 1;
            t.wait_all_sum += now - c.arrival;
            self.intervals[cell].callbacks_requested += 1;
        }
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
            c.is_callback = true;
            c.key = key;
            c.handle = handle;
            c.request = now;
            c.state = State::Pending;
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

    // ------------------------------------------------------------ callbacks

    /// Callback `id` is eligible: an idle agent dials it now, or it joins
    /// its line.
    fn make_ready(&mut self, id: ContactId) {
        let q = self.contacts.get(id).queue as usize;
        if let Some(g) = pick_agent(&self.pools, &self.serving[q]) {
            self.take_idle(g);
            self.dial(id, g);
        } else {
            let c = self.contacts.get_mut(id);
            c.state = State::Waiting;
            let (key, generation) = (c.key, c.generation);
            self.lines[q].push_callback(key, id, generation);
        }
    }

    /// Agent of group `g` (already counted busy) makes an outbound attempt.
    fn dial(&mut self, id: ContactId, g: usize) {
        let now = self.now;
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let cb = self.policy(q);
        // Attempt k of this customer's callback draws the same numbers under
        // any policy.
        let mut rng = callback_stream(c.callback_seed, c.attempts + 1);
        let dial = sample_opt(&cb.dial_time, &mut rng);
        let reached = match cb.reach_probability {
            p if p >= 1.0 => true,
            p if p <= 0.0 => false,
            p => rng.random::<f64>() < p,
        };
        if c.counted {
            self.tallies[q].callback_attempts += 1;
        }
        if reached {
            if c.counted {
                let t = &mut self.tallies[q];
                let delay = now + dial - c.request;
                t.callbacks_completed += 1;
                t.callback_delay_sum += delay;
                t.delay_hist.record(delay);
            }
            self.contacts.remove(id);
            self.events.schedule(
                now + dial + c.handle + c.wrap,
                EventKind::AgentFree { group: g as u16 },
            );
        } else {
            let c = self.contacts.get_mut(id);
            c.attempts += 1;
            c.state = State::Dialing;
            let generation = c.generation;
            self.events.schedule(
                now + dial,
                EventKind::AttemptFailed {
                    group: g as u16,
                    id,
                    generation,
                },
            );
        }
    }

    fn on_attempt_failed(&mut self, g: usize, id: ContactId, generation: u32) {
        debug_assert!(
            self.contacts.is_current(id, generation),
            "a dialing callback cannot go stale"
        );
        self.n_events += 1;
        let now = self.now;
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let cb = self.policy(q);
        let t = &mut self.tallies[q];
        if c.attempts >= cb.max_attempts {
            if c.counted {
                t.callbacks_unreached += 1;
            }
            self.contacts.remove(id);
        } else if cb.expire_after.is_some_and(|e| now >= c.request + e) {
            // Its expiry timer fired while the attempt was under way.
            if c.counted {
                t.callbacks_expired += 1;
            }
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
        self.agent_finishes(g);
    }

    fn on_expire(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        match c.state {
            // The attempt under way decides; `on_attempt_failed` checks expiry.
            State::Dialing => return,
            State::Waiting => self.lines[q].callbacks_live -= 1,
            State::Pending => {}
        }
        self.n_events += 1;
        if c.counted {
            self.tallies[q].callbacks_expired += 1;
        }
        self.contacts.remove(id);
    }

    // --------------------------------------------------------------- agents

    /// An idle agent of group `g` is taken.
    #[inline]
    fn take_idle(&mut self, g: usize) {
        let p = &mut self.pools[g];
        self.busy_tallies[g].advance(self.now, p.busy, p.present);
        p.take_idle();
    }

    /// An inbound call is connected to an agent of group `g` (already busy).
    fn answer(&mut self, c: &Contact, g: usize) {
        let now = self.now;
        let q = c.queue as usize;
        if c.counted {
            let wait = now - c.arrival;
            let within = wait <= self.sc.queues[q].service_level;
            let t = &mut self.tallies[q];
            t.answered += 1;
            t.answered_within_sl += u64::from(within);
            t.wait_answered_sum += wait;
            t.wait_all_sum += wait;
            t.wait_hist.record(wait);
            let cell = &mut self.intervals[c.interval as usize * self.sc.queues.len() + q];
            cell.answered += 1;
            cell.answered_within_sl += u32::from(within);
            cell.wait_answered_sum += wait;
        }
        self.events.schedule(
            now + c.handle + c.wrap,
            EventKind::AgentFree { group: g as u16 },
        );
    }

    /// An agent of group `g` finishes: it leaves if staffing went down, else
    /// takes the next contact or goes idle.
    fn agent_finishes(&mut self, g: usize) {
        let p = &mut self.pools[g];
        self.busy_tallies[g].advance(self.now, p.busy, p.present);
        if p.finish() {
            self.next_contact(g);
        }
    }

    /// A free agent of group `g` takes the first contact among its skills,
    /// or goes idle.
    fn next_contact(&mut self, g: usize) {
        let contacts = &self.contacts;
        let live = |id, generation| contacts.is_current(id, generation);
        let Some((q, lane)) = pick_queue(&mut self.lines, &self.skills[g], live) else {
            self.pools[g].go_idle(self.now);
            return;
        };
        let id = self.lines[q].pop(lane);
        let p = &mut self.pools[g];
        self.busy_tallies[g].advance(self.now, p.busy, p.present);
        p.start_busy();
        match lane {
            Lane::Inbound => {
                let c = *self.contacts.get(id);
                self.contacts.remove(id);
                self.answer(&c, g);
            }
            Lane::Callback => self.dial(id, g),
        }
    }

    fn on_staffing(&mut self, k: usize) {
        self.n_events += 1;
        for g in 0..self.pools.len() {
            let target = self.sc.groups[g].staffing[k];
            if target == self.pools[g].target {
                continue;
            }
            let p = &mut self.pools[g];
            self.busy_tallies[g].advance(self.now, p.busy, p.present);
            let added = p.restaff(target);
            for _ in 0..added {
                self.next_contact(g);
            }
        }
        self.schedule_next_staffing_change();
    }

    fn schedule_next_staffing_change(&mut self) {
        if let Some(&k) = self.staffing_changes.get(self.next_change) {
            self.next_change += 1;
            let at = self.sc.horizon.interval_start(k as usize);
            self.events
                .schedule(at, EventKind::Staffing { interval: k });
        }
    }

    /// Queue `q`'s callback policy; only called for queues that have one.
    fn policy(&self, q: usize) -> &'a CallbackPolicy {
        self.sc.queues[q]
            .callback
            .as_ref()
            .expect("callbacks exist only in queues with a callback policy")
    }

    fn next_seq(&mut self) -> u64 {
        self.contact_seq += 1;
        self.contact_seq
    }
}

/// Whether an event still matters: a timer whose contact has moved on does not.
fn is_live(contacts: &Contacts, kind: &EventKind) -> bool {
    match *kind {
        EventKind::Abandon { id, generation }
        | EventKind::Offer { id, generation }
        | EventKind::CallbackReady { id, generation }
        | EventKind::CallbackExpire { id, generation } => contacts.is_current(id, generation),
        EventKind::Arrival { .. }
        | EventKind::AgentFree { .. }
        | EventKind::AttemptFailed { .. }
        | EventKind::Staffing { .. }
        | EventKind::Migrate { .. } => true,
    }
}

/// Slots of deferred timers per mean patience: a timer joins the heap a
/// fraction of a patience before it fires, and the ring covers many.
const SLOTS_PER_PATIENCE: f64 = 4.0;

/// The width of a slot of deferred timers, from the shortest mean patience
/// (or, without patience, the time in which 64 calls arrive).
fn slot_width(sc: &Scenario) -> f64 {
    let patience = sc
        .queues
        .iter()
        .filter_map(|q| q.patience.as_ref().map(Dist::mean))
        .fold(f64::INFINITY, f64::min);
    let rate: f64 = sc
        .queues
        .iter()
        .map(|q| match &q.arrivals {
            Arrivals::Poisson { rate } => rate.iter().sum::<f64>() / rate.len().max(1) as f64,
            Arrivals::Trace { at } => at.len() as f64 / sc.horizon.open,
        })
        .sum();
    [patience / SLOTS_PER_PATIENCE, 64.0 / rate]
        .into_iter()
        .find(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(1.0)
}

/// The interval in which a queue's next Poisson arrival is being sought.
#[derive(Clone, Copy, Debug)]
struct ArrivalCursor {
    interval: usize,
    /// End of `interval`.
    end: f64,
}

#[inline(always)]
fn sample_opt(d: &Option<Dist>, rng: &mut StreamRng) -> f64 {
    match d {
        Some(d) => d.sample(rng),
        None => 0.0,
    }
}
