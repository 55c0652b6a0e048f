//! One replication: the state of the contact center and the dispatch of
//! its events. Inbound calls (arrive, wait, abandon, get answered) and the
//! hand-offs between contacts and agents are here; the other parts each
//! own one idea: [`Arrivals`] where calls come from, [`Staffing`] the
//! agents, `callbacks.rs` the callback lifecycle, `customer_first.rs` the
//! callbacks the system dials, `scheduled.rs` callbacks for a time the
//! caller picked, `follow_ups.rs` the follow-ups agents create,
//! `closing.rs` a queue's close, and the
//! [`Recorder`] everything that is counted.

use super::Overloaded;
use super::arrivals::Arrivals;
use super::contact::{Contact, Contacts, Kind, State};
use super::event::{EventKind, EventQueue};
use super::staffing::Staffing;
use crate::model::{Arrivals as Process, CallbackPolicy, Dist, Model, OfferTrigger};
use crate::results::{EngineCounts, Recorder};
use crate::routing::{
    AgentId, ContactId, Lane, NO_AGENT, OrderKey, QueueRoute, Taker, WaitingLine, pick_queue,
};

pub(super) struct Sim<'a, R> {
    pub(super) model: &'a Model,
    pub(super) now: f64,
    pub(super) events: EventQueue,
    pub(super) contacts: Contacts,
    pub(super) lines: Vec<WaitingLine>,
    pub(super) staffing: Staffing,
    pub(super) arrivals: Arrivals,
    pub(super) rec: R,
    /// Groups serving each queue.
    pub(super) serving: Vec<Vec<u16>>,
    /// Queues each group serves.
    skills: Vec<Vec<u16>>,
    /// How each queue's contacts find an agent (order, delays, reserves).
    pub(super) routes: Vec<QueueRoute>,
    /// Per group, parallel to its skills: how long an inbound call of that
    /// skill must have waited before the group takes it.
    skill_after: Vec<Vec<f64>>,
    /// Per queue, what the path of every call must test, packed apart
    /// from the model's large `Queue` records (see [`Rules`]).
    pub(super) rules: Vec<Rules>,
    /// Per group, the agents it keeps idle for its first skill.
    reserve: Vec<u32>,
    /// Mean agent time per call (handle time plus wrap-up) by queue and
    /// interval of arrival, for the EWT.
    pub(super) mean_agent_time: Vec<Vec<f64>>,
    /// Per queue, the time from which nobody on shift serves it (absences
    /// taken out).
    pub(super) served_until: Vec<f64>,
    /// Per queue, the lines its calls hold (counted where it has `lines`).
    pub(super) lines_used: Vec<u32>,
    /// Per queue, scheduled callbacks booked in each capacity window.
    pub(super) windows: Vec<Vec<u32>>,
    /// Per agent id, the due follow-ups reserved for that agent (empty
    /// without agent-owned follow-ups; see `follow_ups.rs`).
    pub(super) reserved: Vec<Vec<(OrderKey, ContactId, u32)>>,
    /// This replication's index.
    rep: u32,
    /// Creation counter, the last tie-break of the line order.
    contact_seq: u64,
    /// Events that changed the state (stale timers are not counted).
    pub(super) n_events: u64,
    /// Heap size above which cancelled timers are swept out.
    compact_at: usize,
    /// Largest heap seen after an event.
    peak_events: usize,
    /// Told the share of the replication done, in thousandths.
    progress: &'a (dyn Fn(u32) + Sync),
    /// Thousandths of the replication reported to `progress`.
    reported: u32,
    /// Arrivals until the next checkpoint.
    until_check: u32,
    /// When the contacts in the system passed [`MAX_CONTACTS`].
    overloaded_at: Option<f64>,
}

/// Contacts in the system (holding, pending, dialing) at which a
/// replication stops as overloaded: a center that far behind is not a
/// plan worth simulating, and a queue that grows without bound would
/// otherwise take all memory (a contact's slot, place in line and timers
/// take about 130 bytes: a run stopped at the bound peaked at 0.54 GB).
pub const MAX_CONTACTS: usize = 4_000_000;

/// Arrivals between two checkpoints (progress report, overload test):
/// often enough for a bar to move within a long replication and for the
/// contacts to pass [`MAX_CONTACTS`] by little, rarely enough to cost
/// nothing.
const CHECK_EVERY: u32 = 4096;

/// Smallest heap worth sweeping for cancelled timers.
const MIN_COMPACT: usize = 4096;

impl<'a, R: Recorder> Sim<'a, R> {
    pub fn new(
        model: &'a Model,
        seed: u64,
        rep: u32,
        rec: R,
        progress: &'a (dyn Fn(u32) + Sync),
    ) -> Self {
        let nq = model.queues().len();
        let serving: Vec<Vec<u16>> = model
            .groups_serving()
            .into_iter()
            .map(|gs| gs.into_iter().map(|g| g as u16).collect())
            .collect();
        let skills = model
            .groups()
            .iter()
            .map(|g| g.skills.iter().map(|&q| q as u16).collect())
            .collect();
        let staffing = Staffing::new(model, seed, rep);
        let routes = routes(model);
        let rules = model
            .queues()
            .iter()
            .enumerate()
            .map(|(q, queue)| Rules {
                lines: queue.lines.is_some(),
                turns_away: queue.capacity.is_some() || queue.balk_probability > 0.0,
                max_wait: queue.max_wait.unwrap_or(f64::INFINITY),
                follow_up: queue.follow_up.is_some(),
                redial: queue.redial.is_some(),
                overflow: queue
                    .routing
                    .as_ref()
                    .is_some_and(|r| r.iter().any(|s| s.after > 0.0)),
                may_be_unserved: serving[q]
                    .iter()
                    .any(|&g| model.groups()[g as usize].absence > 0.0),
            })
            .collect();
        let skill_after = model
            .groups()
            .iter()
            .enumerate()
            .map(|(g, group)| group.skills.iter().map(|&q| routes[q].after(g)).collect())
            .collect();
        Sim {
            model,
            now: 0.0,
            events: EventQueue::new(slot_width(model)),
            contacts: Contacts::default(),
            lines: (0..nq).map(|_| WaitingLine::default()).collect(),
            reserved: vec![Vec::new(); staffing.identities()],
            served_until: staffing.served_until(model),
            staffing,
            arrivals: Arrivals::new(model, seed, rep),
            rec,
            serving,
            skills,
            routes,
            skill_after,
            reserve: model.groups().iter().map(|g| g.reserve).collect(),
            rules,
            mean_agent_time: (model.queues().iter())
                .map(|q| {
                    (0..model.horizon().intervals)
                        .map(|k| q.mean_agent_time_in(k))
                        .collect()
                })
                .collect(),
            windows: vec![Vec::new(); nq],
            lines_used: vec![0; nq],
            rep,
            contact_seq: 0,
            n_events: 0,
            compact_at: MIN_COMPACT,
            peak_events: 0,
            progress,
            reported: 0,
            until_check: CHECK_EVERY,
            overloaded_at: None,
        }
    }

    /// Runs until no event is left: arrivals stop at `open`, and every call
    /// is followed to its end. Returns the recorder and the engine's counts,
    /// or [`Overloaded`] when the contacts in the system pass [`MAX_CONTACTS`].
    pub fn run(mut self) -> Result<(R, EngineCounts), Overloaded> {
        for q in 0..self.model.queues().len() {
            self.schedule_arrival(q, 0.0);
            self.schedule_unserved(q);
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
        if let Some(at) = self.overloaded_at {
            return Err(Overloaded {
                replication: self.rep,
                at: self.model.horizon().clock(at),
                contacts: self.contacts.len(),
            });
        }
        (self.progress)(1000 - self.reported);
        if !self.contacts.is_empty() {
            // Nothing will happen any more, yet contacts wait: every agent
            // who could take them keeps itself for other work (`reserve`).
            // They end as if their queue closed.
            self.end_waiting(|_, _| true);
        }
        debug_assert!(self.contacts.is_empty(), "contacts left in the system");
        let end = self.now.max(self.model.horizon().open);
        self.staffing.close(end, &mut self.rec);
        let counts = EngineCounts {
            events: self.n_events,
            peak_contacts: self.contacts.capacity(),
            peak_events: self.peak_events,
        };
        Ok((self.rec, counts))
    }

    /// Every [`CHECK_EVERY`] arrivals: stops an overloaded replication
    /// (the event loop ends with no event left), and tells `progress` how
    /// far it has come: arrivals stop at `open`, and what follows is
    /// short, so the clock's share of `open` is the measure (the last
    /// thousandth waits for the end).
    #[cold]
    fn checkpoint(&mut self) {
        self.until_check = CHECK_EVERY;
        if self.contacts.capacity() >= MAX_CONTACTS {
            self.overloaded_at = Some(self.now);
            self.events.clear();
            return;
        }
        let open = self.model.horizon().open;
        let done = (self.now / open * 1000.0).clamp(0.0, 999.0) as u32;
        if done > self.reported {
            (self.progress)(done - self.reported);
            self.reported = done;
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

    #[inline(always)]
    fn handle(&mut self, kind: EventKind) {
        match kind {
            EventKind::Arrival { queue } => self.on_arrival(queue as usize),
            EventKind::Abandon { id, generation } => self.on_abandon(id, generation),
            EventKind::Offer { id, generation } => self.on_offer(id, generation),
            EventKind::AgentFree { group, line, agent } => {
                self.n_events += 1;
                if line > 0 {
                    self.free_line(line as usize - 1);
                }
                self.agent_finishes(group as usize, agent);
            }
            EventKind::MaxWait { id, generation } => self.on_max_wait(id, generation),
            EventKind::Overflow { id, generation } => self.on_overflow(id, generation),
            EventKind::Redial { id, generation } => self.on_redial(id, generation),
            EventKind::AttemptFailed {
                group,
                agent,
                id,
                generation,
            } => self.on_attempt_failed(group as usize, agent, id, generation),
            EventKind::FollowUpReady { id, generation } => self.on_follow_up_ready(id, generation),
            EventKind::FollowUpRelease { id, generation } => {
                self.on_follow_up_release(id, generation)
            }
            EventKind::CallbackReady { id, generation } => self.on_ready(id, generation),
            EventKind::CallbackExpire { id, generation } => self.on_expire(id, generation),
            EventKind::Staffing { interval } => self.on_staffing(interval as usize),
            EventKind::Unserved { queue } => self.on_unserved(queue as usize),
            EventKind::CallbacksClose { queue } => self.on_callbacks_close(queue as usize),
            EventKind::SystemDialed {
                id,
                generation,
                reached,
            } => self.on_system_dialed(id, generation, reached),
            EventKind::CallbackHangUp { id, generation } => {
                self.on_callback_hang_up(id, generation)
            }
            EventKind::Migrate { bucket } => {
                let contacts = &self.contacts;
                self.events.migrate(bucket, |kind| is_live(contacts, kind));
            }
        }
    }

    // ------------------------------------------------------------ arrivals

    /// Schedules queue `q`'s next arrival after `from`.
    #[inline]
    fn schedule_arrival(&mut self, q: usize, from: f64) {
        let (queue, h) = (&self.model.queues()[q], self.model.horizon());
        if let Some(at) = self.arrivals.next(q, queue, h, from) {
            self.events
                .schedule(at, EventKind::Arrival { queue: q as u16 });
        }
    }

    fn on_arrival(&mut self, q: usize) {
        self.until_check -= 1;
        if self.until_check == 0 {
            self.checkpoint();
            if self.overloaded_at.is_some() {
                return;
            }
        }
        self.n_events += 1;
        let now = self.now;
        let model = self.model;
        let queue = &model.queues()[q];
        let interval = self.arrivals.interval(q, queue, model.horizon(), now);
        let draws = self.arrivals.draw(q, queue, interval);
        self.schedule_arrival(q, now);

        let seq = self.next_seq();
        let key = OrderKey {
            priority: queue.priority,
            entry: now,
            seq,
        };
        let contact = Contact {
            generation: 0,
            queue: q as u16,
            kind: Kind::Call,
            state: State::Waiting,
            counted: now >= model.horizon().warmup,
            interval: interval as u32,
            attempts: 0,
            arrival: now,
            key,
            handle: draws.handle,
            wrap: draws.wrap,
            accept_u: draws.accept_u,
            callback_seed: draws.callback_seed,
            request: 0.0,
            due: f64::NAN,
            owner: NO_AGENT,
            owner_group: 0,
        };
        self.arrive(contact, draws.patience, draws.balk_u);
    }

    /// Call `contact`, a first attempt or a redial (`attempts > 0`), arrives
    /// now with `patience`; `balk_u` decides whether it balks.
    #[inline(always)]
    pub(super) fn arrive(&mut self, contact: Contact, patience: Option<f64>, balk_u: f64) {
        let (now, q, model) = (self.now, contact.queue as usize, self.model);
        let queue = &model.queues()[q];
        let rules = self.rules[q];
        self.rec.offered(contact.call());
        if contact.attempts > 0 {
            self.rec.redialed(contact.call());
        }
        if rules.lines && !self.take_line(q) {
            // Every line in use: its `p_wait` counts whether an agent was free.
            if self.staffing.idle_agent(&self.routes[q], 0.0).is_none() {
                self.rec.waited(contact.call());
            }
            self.blocked(&contact);
            return;
        }
        if let Some(g) = self.staffing.idle_agent(&self.routes[q], 0.0) {
            let agent = self.staffing.take_idle(g, now, &mut self.rec);
            self.answer(&contact, g, agent);
            return;
        }
        self.rec.waited(contact.call());
        if rules.turns_away && self.turned_away(&contact, balk_u) {
            return;
        }
        if rules.may_be_unserved && now >= self.served_until[q] {
            // Every agent who would serve it is absent today: voicemail.
            self.free_line(q);
            self.rec.timed_out(contact.call(), 0.0);
            return;
        }
        let key = contact.key;
        let trigger = queue.callback.as_ref().map(|cb| cb.trigger);
        let offer_now = match trigger {
            Some(OfferTrigger::EwtOver(limit)) => {
                self.estimated_wait(q, contact.interval as usize) > limit
            }
            Some(OfferTrigger::CallersAhead(n)) => self.lines[q].inbound_waiting() >= n,
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
        if rules.overflow {
            for d in self.routes[q].overflow_delays() {
                if patience.is_none_or(|p| d < p) {
                    self.events
                        .defer(now, now + d, EventKind::Overflow { id, generation });
                }
            }
        }
        let m = rules.max_wait;
        if m.is_finite() && patience.is_none_or(|p| m < p) {
            self.events
                .defer(now, now + m, EventKind::MaxWait { id, generation });
        }
        if let Some(OfferTrigger::After(after)) = trigger
            && patience.is_none_or(|p| after < p)
        {
            self.events
                .defer(now, now + after, EventKind::Offer { id, generation });
        }
    }

    // ------------------------------------------------------ holding callers

    /// A holding caller has waited long enough for another group of its
    /// queue's order: an idle agent there takes it.
    fn on_overflow(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        let c = *self.contacts.get(id);
        let q = c.queue as usize;
        let Some(g) = self
            .staffing
            .idle_agent(&self.routes[q], self.now - c.arrival)
        else {
            return;
        };
        self.n_events += 1;
        self.lines[q].left(Lane::Inbound);
        self.contacts.remove(id);
        let agent = self.staffing.take_idle(g, self.now, &mut self.rec);
        self.answer(&c, g, agent);
    }

    fn on_abandon(&mut self, id: ContactId, generation: u32) {
        if !self.contacts.is_current(id, generation) {
            return;
        }
        self.n_events += 1;
        let c = *self.contacts.get(id);
        debug_assert!(c.state == State::Waiting && c.kind == Kind::Call);
        self.lines[c.queue as usize].left(Lane::Inbound);
        self.free_line(c.queue as usize);
        self.rec.abandoned(c.call(), self.now - c.arrival);
        self.contacts.remove(id);
        if self.rules[c.queue as usize].redial {
            self.redial(&c);
        }
    }

    /// An inbound call is connected to agent `agent` of group `g` (already busy).
    fn answer(&mut self, c: &Contact, g: usize, agent: AgentId) {
        let (now, end) = (self.now, self.now + c.handle + c.wrap);
        // Before the call ends, so that its interval stays open for it.
        self.follow_up(c, g, agent, end);
        self.rec.answered(c.call(), now - c.arrival);
        // The call holds its line until it ends.
        let line = if self.rules[c.queue as usize].lines {
            c.queue + 1
        } else {
            0
        };
        self.events.schedule(
            end,
            EventKind::AgentFree {
                group: g as u16,
                line,
                agent,
            },
        );
    }

    // --------------------------------------------------------------- agents

    /// Agent `agent` of group `g` finishes: it leaves if staffing went
    /// down, else takes the next contact or goes idle.
    pub(super) fn agent_finishes(&mut self, g: usize, agent: AgentId) {
        if self.staffing.finish(g, agent, self.now, &mut self.rec) {
            self.next_contact(g, agent);
        }
    }

    /// Free agent `agent` of group `g` takes the first contact among its
    /// skills (and the follow-ups reserved for it), or goes idle.
    fn next_contact(&mut self, g: usize, agent: AgentId) {
        let contacts = &self.contacts;
        let live = |id, generation| contacts.is_current(id, generation);
        // A group with a reserve takes only its first skill's work while
        // fewer than that many of its other agents are idle.
        let skills = &self.skills[g];
        let reserve = self.reserve[g];
        let skills = if reserve > 0 && reserve > self.staffing.idle(g) {
            &skills[..1]
        } else {
            skills
        };
        let (now, after) = (self.now, &self.skill_after[g]);
        let head = pick_queue(&mut self.lines, skills, |i| now - after[i], live);
        if agent != NO_AGENT
            && let Some(id) = self.take_reserved(agent, head.map(|(_, _, key)| key))
        {
            self.staffing.start_busy(g, self.now, &mut self.rec);
            self.dial_follow_up(id, g, agent);
            return;
        }
        let Some((q, lane, _)) = head else {
            self.staffing.go_idle(g, agent, self.now);
            return;
        };
        let id = self.lines[q].pop(lane);
        self.staffing.start_busy(g, self.now, &mut self.rec);
        if lane == Lane::Inbound {
            let c = *self.contacts.get(id);
            self.contacts.remove(id);
            self.answer(&c, g, agent);
            return;
        }
        let c = self.contacts.get(id);
        match (c.kind, c.state) {
            (Kind::FollowUp, _) => self.dial_follow_up(id, g, agent),
            (_, State::OnHold) => self.connect(id, g, agent),
            _ => self.dial(id, g, agent),
        }
    }

    /// A contact of queue `q` is ready for an agent: an idle one takes it
    /// now (returning its group, already busy, and id), or it is left to
    /// wait.
    #[inline]
    pub(super) fn idle_agent_takes(&mut self, q: usize) -> Option<(usize, AgentId)> {
        // Not an inbound caller: every group of the queue may take it now.
        let g = self.staffing.idle_agent(&self.routes[q], f64::INFINITY)?;
        let agent = self.staffing.take_idle(g, self.now, &mut self.rec);
        Some((g, agent))
    }

    fn on_staffing(&mut self, k: usize) {
        self.n_events += 1;
        for g in 0..self.model.groups().len() {
            let target = self.staffing.staffing_at(self.model, g, k);
            let added = self.staffing.restaff(g, target, self.now, &mut self.rec);
            for _ in 0..added {
                let agent = self.staffing.log_in(g);
                self.next_contact(g, agent);
            }
        }
        self.schedule_next_staffing_change();
    }

    fn schedule_next_staffing_change(&mut self) {
        if let Some(k) = self.staffing.next_change() {
            let at = self.model.horizon().interval_start(k as usize);
            self.events
                .schedule(at, EventKind::Staffing { interval: k });
        }
    }

    /// Queue `q`'s callback policy; only called for queues that have one.
    pub(super) fn policy(&self, q: usize) -> &'a CallbackPolicy {
        self.model.queues()[q]
            .callback
            .as_ref()
            .expect("callbacks exist only in queues with a callback policy")
    }

    pub(super) fn next_seq(&mut self) -> u64 {
        self.contact_seq += 1;
        self.contact_seq
    }
}

/// Whether an event still matters: a timer whose contact has moved on does not.
fn is_live(contacts: &Contacts, kind: &EventKind) -> bool {
    match *kind {
        EventKind::Abandon { id, generation }
        | EventKind::Overflow { id, generation }
        | EventKind::MaxWait { id, generation }
        | EventKind::Redial { id, generation }
        | EventKind::Offer { id, generation }
        | EventKind::SystemDialed { id, generation, .. }
        | EventKind::CallbackHangUp { id, generation }
        | EventKind::CallbackReady { id, generation }
        | EventKind::FollowUpReady { id, generation }
        | EventKind::FollowUpRelease { id, generation }
        | EventKind::CallbackExpire { id, generation } => contacts.is_current(id, generation),
        EventKind::Arrival { .. }
        | EventKind::AgentFree { .. }
        | EventKind::AttemptFailed { .. }
        | EventKind::Staffing { .. }
        | EventKind::Unserved { .. }
        | EventKind::CallbacksClose { .. }
        | EventKind::Migrate { .. } => true,
    }
}

/// The rules of a queue that every call's path tests, in a few bytes: the
/// model's `Queue` spans many cache lines, and these tests run per call.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rules {
    /// It counts its lines.
    pub lines: bool,
    /// It has a capacity or balking callers.
    pub turns_away: bool,
    /// Voicemail after this long on hold; infinite: never.
    pub max_wait: f64,
    pub follow_up: bool,
    pub redial: bool,
    /// Some group takes its calls only after a delay.
    pub overflow: bool,
    /// Absences may leave it without agents before its last call.
    pub may_be_unserved: bool,
}

/// Each queue's route: its `groups` order, or every group with the skill;
/// with each group's reserve where the queue is not its first skill.
fn routes(model: &Model) -> Vec<QueueRoute> {
    let groups = model.groups();
    let keep_idle = |g: usize, q: usize| {
        let group = &groups[g];
        if group.skills[0] == q {
            0
        } else {
            group.reserve
        }
    };
    let taker = |g: usize, q: usize, after: f64| Taker {
        group: g as u16,
        after,
        keep_idle: keep_idle(g, q),
    };
    let serving = model.groups_serving();
    model
        .queues()
        .iter()
        .enumerate()
        .map(|(q, queue)| match &queue.routing {
            Some(order) => {
                QueueRoute::Ordered(order.iter().map(|r| taker(r.group, q, r.after)).collect())
            }
            None => QueueRoute::LongestIdle(serving[q].iter().map(|&g| taker(g, q, 0.0)).collect()),
        })
        .collect()
}

/// Slots of deferred timers per mean patience: a timer joins the heap a
/// fraction of a patience before it fires, and the ring covers many.
const SLOTS_PER_PATIENCE: f64 = 4.0;

/// The width of a slot of deferred timers, from the shortest mean patience
/// of any queue in any interval (or, without patience, the time in which
/// 64 calls arrive).
fn slot_width(model: &Model) -> f64 {
    let queues = model.queues();
    let patience = queues
        .iter()
        .filter_map(|q| q.patience.as_ref())
        .flat_map(|p| p.values().iter().map(Dist::mean))
        .fold(f64::INFINITY, f64::min);
    let rate: f64 = queues
        .iter()
        .map(|q| match &q.arrivals {
            Process::Poisson { rate } => rate.iter().sum::<f64>() / rate.len().max(1) as f64,
            Process::Trace { at } => at.len() as f64 / model.horizon().open,
        })
        .sum();
    [patience / SLOTS_PER_PATIENCE, 64.0 / rate]
        .into_iter()
        .find(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(1.0)
}
