//! Routing (SPEC §4): who waits in what order, and which agent takes what.
//!
//! - A [`WaitingLine`] holds one queue's waiting contacts, ordered by
//!   priority (higher first), then queue-entry time, then creation order.
//! - An [`AgentPool`] holds one agent group: its idle agents, longest idle
//!   first, and its staffing.
//! - [`QueueRoute::pick`] chooses, for a contact, the group whose agent
//!   takes it: the longest-idle agent among the groups that serve its
//!   queue, or the first group of the queue's `groups` order with one
//!   (`order.rs`, with delays and reserves); [`pick_queue`] chooses, for a
//!   free agent, the queue whose head contact is first by (priority, entry
//!   time).
//!
//! Both choices look only at the groups of one queue or the skills of one
//! group, never at every queue or group.

mod order;

pub use order::{QueueRoute, Taker};

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Index of a contact in the engine's contact table.
pub type ContactId = u32;

/// Where a contact stands in line: higher `priority` first, then earlier
/// `entry`, then lower `seq` (creation order, for deterministic ties).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderKey {
    pub priority: i32,
    pub entry: f64,
    pub seq: u64,
}

impl OrderKey {
    /// `Greater` when `self` is served before `other`.
    #[inline]
    pub fn precedence(&self, other: &OrderKey) -> Ordering {
        self.priority
            .cmp(&other.priority)
            .then_with(|| other.entry.total_cmp(&self.entry))
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A contact in line. `generation` is the contact's generation when it
/// joined: the engine bumps a contact's generation whenever it leaves the
/// line by other means (abandonment, conversion, expiry), which makes this
/// entry stale without searching for it.
#[derive(Clone, Copy, Debug)]
struct Entry {
    key: OrderKey,
    id: ContactId,
    generation: u32,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.precedence(&o.key)
    }
}

/// Which lane a line's head is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Inbound,
    Callback,
}

/// One queue's waiting contacts, in two lanes. Inbound calls share the
/// queue's priority and join in entry order, so their lane is a FIFO.
/// Callbacks may carry another priority and, keeping their original
/// position or returning after a failed attempt, join out of entry order,
/// so their lane is a heap.
#[derive(Debug, Default)]
pub struct WaitingLine {
    inbound: VecDeque<Entry>,
    callbacks: BinaryHeap<Entry>,
    /// Inbound calls holding (stale entries excluded).
    inbound_live: u32,
    /// Callbacks eligible for an agent (stale entries excluded).
    callbacks_live: u32,
}

impl WaitingLine {
    /// Adds an inbound call; `key.entry` must not precede earlier joiners'.
    #[inline]
    pub fn push_inbound(&mut self, key: OrderKey, id: ContactId, generation: u32) {
        debug_assert!(self.inbound.back().is_none_or(|b| b.key.entry <= key.entry));
        self.inbound.push_back(Entry {
            key,
            id,
            generation,
        });
        self.inbound_live += 1;
    }

    /// Adds an eligible callback.
    #[inline]
    pub fn push_callback(&mut self, key: OrderKey, id: ContactId, generation: u32) {
        self.callbacks.push(Entry {
            key,
            id,
            generation,
        });
        self.callbacks_live += 1;
    }

    /// The key and lane of the first live contact, dropping stale entries
    /// on the way; `live(id, generation)` says whether an entry is current.
    /// Inbound calls that joined after `inbound_until` are not eligible
    /// (a group that takes them only after a delay).
    #[inline]
    pub fn head(
        &mut self,
        live: impl Fn(ContactId, u32) -> bool,
        inbound_until: f64,
    ) -> Option<(OrderKey, Lane)> {
        let inbound = if self.inbound_live > 0 {
            while let Some(e) = self.inbound.front() {
                if live(e.id, e.generation) {
                    break;
                }
                self.inbound.pop_front();
            }
            self.inbound
                .front()
                .filter(|e| e.key.entry <= inbound_until)
        } else {
            // Every entry left is stale: drop them all at once.
            self.inbound.clear();
            None
        };
        let callback = if self.callbacks_live > 0 {
            while let Some(e) = self.callbacks.peek() {
                if live(e.id, e.generation) {
                    break;
                }
                self.callbacks.pop();
            }
            self.callbacks.peek()
        } else {
            self.callbacks.clear();
            None
        };
        match (inbound, callback) {
            (Some(i), Some(c)) if c.key.precedence(&i.key) == Ordering::Greater => {
                Some((c.key, Lane::Callback))
            }
            (Some(i), _) => Some((i.key, Lane::Inbound)),
            (None, Some(c)) => Some((c.key, Lane::Callback)),
            (None, None) => None,
        }
    }

    /// Removes the head of `lane`, as found by [`head`](Self::head).
    #[inline]
    pub fn pop(&mut self, lane: Lane) -> ContactId {
        match lane {
            Lane::Inbound => {
                self.inbound_live -= 1;
                self.inbound
                    .pop_front()
                    .expect("head() found an inbound entry")
                    .id
            }
            Lane::Callback => {
                self.callbacks_live -= 1;
                self.callbacks
                    .pop()
                    .expect("head() found a callback entry")
                    .id
            }
        }
    }

    /// A contact of `lane` left the line by other means (abandoned,
    /// converted, expired): its entry is stale from now on.
    #[inline]
    pub fn left(&mut self, lane: Lane) {
        match lane {
            Lane::Inbound => self.inbound_live -= 1,
            Lane::Callback => self.callbacks_live -= 1,
        }
    }

    /// Inbound callers holding.
    #[inline]
    pub fn inbound_waiting(&self) -> u32 {
        self.inbound_live
    }

    /// Callbacks eligible for an agent.
    #[inline]
    pub fn callbacks_waiting(&self) -> u32 {
        self.callbacks_live
    }

    /// Live contacts waiting.
    pub fn len(&self) -> u32 {
        self.inbound_live + self.callbacks_live
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An agent's identity, for work reserved to the agent who created it
/// (agent-owned follow-ups). Only groups that need identities keep them;
/// elsewhere agents are interchangeable and every agent is [`NO_AGENT`].
pub type AgentId = u32;

/// The identity of an agent whose group keeps none.
pub const NO_AGENT: AgentId = u32::MAX;

/// The identities of a group's agents: ids `first..first + n` for a group
/// that has at most `n` agents at once, reused as agents log out and in.
#[derive(Debug)]
struct Identities {
    /// Idle agents' ids, in step with [`AgentPool::idle`].
    idle: VecDeque<AgentId>,
    /// Ids of agents logged out.
    spare: Vec<AgentId>,
    /// The next id never used.
    fresh: AgentId,
}

/// One agent group's agents. Agents are interchangeable, so an idle agent is
/// just the time it became idle (and, if the group keeps identities, its id).
#[derive(Debug)]
pub struct AgentPool {
    /// Idle agents' idle-since times, longest idle at the front.
    idle: VecDeque<f64>,
    /// Agents logged in: idle, busy, or finishing before they leave.
    present: u32,
    /// Agents working on a contact (talking, dialing or in wrap-up).
    busy: u32,
    /// Busy agents who leave when they finish (staffing went down).
    leaving: u32,
    /// The current interval's staffing.
    target: u32,
    /// `None` for a group whose agents need no identity; boxed, so that a
    /// pool without stays within one cache line for the routing scans.
    ids: Option<Box<Identities>>,
}

impl AgentPool {
    /// A pool with `staffed` agents, all idle since time 0.
    pub fn new(staffed: u32) -> Self {
        AgentPool {
            idle: std::iter::repeat_n(0.0, staffed as usize).collect(),
            present: staffed,
            busy: 0,
            leaving: 0,
            target: staffed,
            ids: None,
        }
    }

    /// Like [`new`](Self::new), with identities numbered from `first`.
    pub fn with_identities(staffed: u32, first: AgentId) -> Self {
        AgentPool {
            ids: Some(Box::new(Identities {
                idle: (first..first + staffed).collect(),
                spare: Vec::new(),
                fresh: first + staffed,
            })),
            ..AgentPool::new(staffed)
        }
    }

    /// Idle since when, for the longest-idle agent.
    #[inline]
    pub fn longest_idle(&self) -> Option<f64> {
        self.idle.front().copied()
    }

    /// Takes the longest-idle agent for a contact; returns its id.
    #[inline]
    pub fn take_idle(&mut self) -> AgentId {
        self.idle.pop_front().expect("an idle agent");
        self.busy += 1;
        match &mut self.ids {
            None => NO_AGENT,
            Some(ids) => ids.idle.pop_front().expect("an idle agent's id"),
        }
    }

    /// Where agent `agent` stands among the idle (never, in a group
    /// without identities).
    pub fn idle_position(&self, agent: AgentId) -> Option<usize> {
        self.ids.as_ref()?.idle.iter().position(|&a| a == agent)
    }

    /// Takes the idle agent at `i` (from [`idle_position`](Self::idle_position))
    /// for a contact.
    pub fn take_idle_at(&mut self, i: usize) {
        let ids = self.ids.as_mut().expect("a group with identities");
        ids.idle.remove(i);
        self.idle.remove(i);
        self.busy += 1;
    }

    /// An agent takes work without having been idle (finished and went on,
    /// or just logged in).
    #[inline]
    pub fn start_busy(&mut self) {
        self.busy += 1;
    }

    /// Agent `agent` finishes a contact. Returns `false` when the agent
    /// leaves (staffing went down while it was busy), `true` when it stays.
    #[inline]
    pub fn finish(&mut self, agent: AgentId) -> bool {
        self.busy -= 1;
        if self.leaving > 0 {
            self.leaving -= 1;
            self.present -= 1;
            if let Some(ids) = &mut self.ids {
                ids.spare.push(agent);
            }
            false
        } else {
            true
        }
    }

    /// A staying agent found no work: it goes idle.
    #[inline]
    pub fn go_idle(&mut self, now: f64, agent: AgentId) {
        self.idle.push_back(now);
        if let Some(ids) = &mut self.ids {
            ids.idle.push_back(agent);
        }
    }

    /// Changes staffing to `target`. Cancels pending departures first, then
    /// logs new agents in; or logs idle agents out (the most recently idle
    /// first, so the longest-idle keep their turn), and marks busy agents to
    /// leave when they finish. Returns how many new agents logged in: the
    /// caller takes each one's id with [`log_in`](Self::log_in), gives it a
    /// chance to take waiting work, then idles it.
    pub fn restaff(&mut self, target: u32) -> u32 {
        self.target = target;
        let effective = self.present - self.leaving;
        if target >= effective {
            let mut add = target - effective;
            let back = add.min(self.leaving);
            self.leaving -= back;
            add -= back;
            self.present += add;
            add
        } else {
            let remove = effective - target;
            let idle_out = remove.min(self.idle.len() as u32);
            let keep = self.idle.len() - idle_out as usize;
            self.idle.truncate(keep);
            if let Some(ids) = &mut self.ids {
                ids.spare.extend(ids.idle.drain(keep..));
            }
            self.present -= idle_out;
            self.leaving += remove - idle_out;
            0
        }
    }

    /// The id of an agent [`restaff`](Self::restaff) logged in.
    pub fn log_in(&mut self) -> AgentId {
        match &mut self.ids {
            None => NO_AGENT,
            Some(ids) => ids.spare.pop().unwrap_or_else(|| {
                ids.fresh += 1;
                ids.fresh - 1
            }),
        }
    }

    /// Idle agents.
    pub fn idle(&self) -> u32 {
        self.idle.len() as u32
    }

    /// Agents logged in.
    #[inline]
    pub fn present(&self) -> u32 {
        self.present
    }

    /// Agents working on a contact.
    #[inline]
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// The current interval's staffing.
    #[inline]
    pub fn target(&self) -> u32 {
        self.target
    }
}

/// The queue among `skills` whose head contact is first by (priority, entry
/// time, creation order), that head's lane and its key; `None` when all are
/// empty. `until[i]`: the latest entry time of an inbound call of
/// `skills[i]` the agent may take (now, less the group's delay for it).
#[inline]
pub fn pick_queue(
    lines: &mut [WaitingLine],
    skills: &[u16],
    until: impl Fn(usize) -> f64,
    live: impl Fn(ContactId, u32) -> bool + Copy,
) -> Option<(usize, Lane, OrderKey)> {
    let mut best: Option<(OrderKey, usize, Lane)> = None;
    for (i, &q) in skills.iter().enumerate() {
        let q = q as usize;
        if lines[q].is_empty() {
            continue;
        }
        if let Some((key, lane)) = lines[q].head(live, until(i))
            && best.is_none_or(|(b, _, _)| key.precedence(&b) == Ordering::Greater)
        {
            best = Some((key, q, lane));
        }
    }
    best.map(|(key, q, lane)| (q, lane, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(priority: i32, entry: f64, seq: u64) -> OrderKey {
        OrderKey {
            priority,
            entry,
            seq,
        }
    }

    #[test]
    fn priority_then_entry_then_seq() {
        let a = key(1, 10.0, 5);
        assert_eq!(a.precedence(&key(0, 0.0, 0)), Ordering::Greater);
        assert_eq!(a.precedence(&key(1, 11.0, 0)), Ordering::Greater);
        assert_eq!(a.precedence(&key(1, 10.0, 6)), Ordering::Greater);
        assert_eq!(a.precedence(&key(1, 9.0, 9)), Ordering::Less);
    }

    #[test]
    fn kept_callback_goes_before_later_callers() {
        let mut line = WaitingLine::default();
        line.push_inbound(key(0, 5.0, 2), 2, 0);
        line.push_inbound(key(0, 7.0, 3), 3, 0);
        line.push_callback(key(0, 1.0, 1), 1, 0); // kept position: entered at 1.0
        let live = |_, _| true;
        assert_eq!(
            line.head(live, f64::INFINITY),
            Some((key(0, 1.0, 1), Lane::Callback))
        );
        assert_eq!(line.pop(Lane::Callback), 1);
        assert_eq!(line.head(live, f64::INFINITY).unwrap().1, Lane::Inbound);
        line.push_callback(key(0, 9.0, 4), 4, 0); // sent to the back
        for want in [2, 3, 4] {
            let (_, lane) = line.head(live, f64::INFINITY).unwrap();
            assert_eq!(line.pop(lane), want);
        }
        assert!(line.is_empty());
    }

    #[test]
    fn stale_entries_are_skipped() {
        let mut line = WaitingLine::default();
        line.push_inbound(key(0, 1.0, 1), 1, 0);
        line.push_inbound(key(0, 2.0, 2), 2, 0);
        line.left(Lane::Inbound); // contact 1 abandoned: its generation moved on
        let live = |id, generation| !(id == 1 && generation == 0);
        assert_eq!(line.head(live, f64::INFINITY).unwrap().0.seq, 2);
    }

    #[test]
    fn longest_idle_agent_wins() {
        let mut pools = vec![AgentPool::new(0), AgentPool::new(0)];
        pools[0].restaff(1);
        pools[0].go_idle(5.0, NO_AGENT);
        pools[1].restaff(1);
        pools[1].go_idle(3.0, NO_AGENT);
        let taker = |group| Taker {
            group,
            after: 0.0,
            keep_idle: 0,
        };
        let route =
            |groups: &[u16]| QueueRoute::LongestIdle(groups.iter().map(|&g| taker(g)).collect());
        assert_eq!(route(&[0, 1]).pick(&pools, 0.0), Some(1));
        assert_eq!(route(&[0]).pick(&pools, 0.0), Some(0));
        pools[1].take_idle();
        assert_eq!(route(&[1]).pick(&pools, 0.0), None);
    }

    #[test]
    fn restaff_never_interrupts() {
        let mut p = AgentPool::new(3);
        p.take_idle();
        p.take_idle(); // 2 busy, 1 idle
        assert_eq!(p.restaff(1), 0); // remove 2: the idle one now, one busy later
        assert_eq!((p.present, p.idle(), p.leaving), (2, 0, 1));
        assert!(!p.finish(NO_AGENT)); // that busy agent leaves
        assert_eq!(p.present, 1);
        assert_eq!(p.restaff(4), 3);
        for _ in 0..3 {
            p.go_idle(1.0, NO_AGENT);
        }
        assert_eq!((p.present, p.idle(), p.busy), (4, 3, 1));
        // Down by 3 removes the 3 idle; down further marks the busy one.
        assert_eq!(p.restaff(0), 0);
        assert_eq!((p.present, p.idle(), p.leaving), (1, 0, 1));
        // Back up before it finished: the departure is cancelled first.
        assert_eq!(p.restaff(2), 1);
        assert_eq!((p.present, p.leaving), (2, 0));
        assert!(p.finish(NO_AGENT));
    }

    /// Identities follow the agents: the longest idle is taken first, a
    /// named idle agent can be taken, and ids are reused after logging out.
    #[test]
    fn a_pool_fits_a_cache_line() {
        assert!(std::mem::size_of::<AgentPool>() <= 64);
    }

    #[test]
    fn identities_follow_agents() {
        let mut p = AgentPool::with_identities(3, 10); // ids 10, 11, 12, idle
        assert_eq!(p.take_idle(), 10);
        p.take_idle_at(p.idle_position(12).unwrap());
        assert_eq!(p.idle_position(12), None); // busy now
        assert_eq!(p.idle_position(10), None);
        assert_eq!((p.busy(), p.idle()), (2, 1));
        p.go_idle(5.0, 12);
        // Staffing to 0: the idle 11 and 12 log out, 10 leaves when done.
        assert_eq!(p.restaff(0), 0);
        assert_eq!((p.idle(), p.leaving), (0, 1));
        assert!(!p.finish(10));
        // Logged-out ids come back before fresh ones.
        assert_eq!(p.restaff(3), 3);
        let mut back = [p.log_in(), p.log_in(), p.log_in()];
        back.sort();
        assert_eq!(back, [10, 11, 12]);
        assert_eq!(p.restaff(4), 1);
        assert_eq!(p.log_in(), 13);
        // A group without identities names nobody.
        let mut plain = AgentPool::new(1);
        assert_eq!(plain.take_idle(), NO_AGENT);
        assert_eq!(plain.idle_position(0), None);
    }
}
