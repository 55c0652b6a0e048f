//! The contacts in the system: a slab of reusable slots, so memory follows
//! the number of contacts waiting or pending, not the number of calls.

use crate::results::{Call, Work};
use crate::routing::{AgentId, ContactId, OrderKey};

/// What a contact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An inbound caller.
    Call,
    /// The callback a caller accepted.
    Callback,
    /// A follow-up an agent created after the call or callback.
    FollowUp,
}

/// What a contact is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// In its queue's waiting line (an inbound caller holding, or an
    /// eligible callback).
    Waiting,
    /// A callback waiting out its initial or retry delay.
    Pending,
    /// A callback whose outbound attempt is under way.
    Dialing,
    /// A customer-first callback whose customer answered: on the line,
    /// holding in the callback's place until an agent takes the call.
    OnHold,
    /// An agent-owned follow-up, due, waiting for its owner.
    Reserved,
}

/// An inbound call, the callback it turned into, or a follow-up of it.
#[derive(Clone, Copy, Debug)]
pub struct Contact {
    /// Bumped whenever the slot's contact leaves the line or is freed:
    /// timers and line entries holding an older value are stale.
    pub generation: u32,
    pub queue: u16,
    pub kind: Kind,
    pub state: State,
    /// Whether the original call belongs to the measured cohort.
    pub counted: bool,
    /// Interval of the original call's arrival.
    pub interval: u32,
    /// Outbound attempts made so far.
    pub attempts: u32,
    /// Arrival time of the original call.
    pub arrival: f64,
    /// Place in line.
    pub key: OrderKey,
    /// Conversation length, drawn on arrival (or on conversion when the
    /// callback has its own handle-time distribution).
    pub handle: f64,
    /// Wrap-up after the conversation, drawn on arrival.
    pub wrap: f64,
    /// Uniform draw deciding whether the caller accepts a callback offer.
    pub accept_u: f64,
    /// Seed of the draws of this call's callback (see [`crate::rng`]).
    pub callback_seed: u64,
    /// When the callback was requested (the follow-up created).
    pub request: f64,
    /// The time a scheduled callback is for, or a follow-up is due; `NaN`:
    /// as soon as possible.
    pub due: f64,
    /// The agent a follow-up is reserved for, and its group; [`crate::routing::NO_AGENT`]:
    /// anyone's.
    pub owner: AgentId,
    pub owner_group: u16,
}

impl Contact {
    /// Where a callback's `expire_after` counts from: its scheduled time,
    /// or its request.
    #[inline]
    pub fn expiry_base(&self) -> f64 {
        if self.due.is_nan() {
            self.request
        } else {
            self.due
        }
    }

    /// The kind of work a callback or follow-up is: a callback is
    /// scheduled when it has a time.
    #[inline]
    pub fn work(&self) -> Work {
        match self.kind {
            Kind::FollowUp => Work::FollowUp,
            _ if self.due.is_nan() => Work::Asap,
            _ => Work::Scheduled,
        }
    }

    /// The call as the recorder files it.
    #[inline]
    pub fn call(&self) -> Call {
        Call {
            queue: self.queue as usize,
            interval: self.interval as usize,
            counted: self.counted,
            // Attempts of an inbound call are its caller's calls so far.
            redial: self.kind == Kind::Call && self.attempts > 0,
        }
    }
}

/// Slots of contacts, reused through a free list.
#[derive(Debug, Default)]
pub struct Contacts {
    slots: Vec<Contact>,
    free: Vec<ContactId>,
}

impl Contacts {
    /// Stores `c` (its `generation` is overwritten) and returns its id and generation.
    #[inline]
    pub fn insert(&mut self, mut c: Contact) -> (ContactId, u32) {
        match self.free.pop() {
            Some(id) => {
                c.generation = self.slots[id as usize].generation;
                self.slots[id as usize] = c;
                (id, c.generation)
            }
            None => {
                c.generation = 0;
                self.slots.push(c);
                ((self.slots.len() - 1) as ContactId, 0)
            }
        }
    }

    /// Releases a slot; every timer and line entry for it becomes stale.
    #[inline]
    pub fn remove(&mut self, id: ContactId) {
        let s = &mut self.slots[id as usize];
        s.generation = s.generation.wrapping_add(1);
        self.free.push(id);
    }

    /// Makes the contact's current timers and line entry stale, keeping it.
    #[inline]
    pub fn bump(&mut self, id: ContactId) -> u32 {
        let s = &mut self.slots[id as usize];
        s.generation = s.generation.wrapping_add(1);
        s.generation
    }

    /// Whether `(id, generation)` still denotes the contact in the slot.
    #[inline]
    pub fn is_current(&self, id: ContactId, generation: u32) -> bool {
        self.slots[id as usize].generation == generation
    }

    #[inline]
    pub fn get(&self, id: ContactId) -> &Contact {
        &self.slots[id as usize]
    }

    #[inline]
    pub fn get_mut(&mut self, id: ContactId) -> &mut Contact {
        &mut self.slots[id as usize]
    }

    /// Contacts in the system.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The contacts in the system, by slot.
    pub fn live_ids(&self) -> Vec<ContactId> {
        let mut free = vec![false; self.slots.len()];
        for &id in &self.free {
            free[id as usize] = true;
        }
        (0..self.slots.len() as ContactId)
            .filter(|&id| !free[id as usize])
            .collect()
    }

    /// Slots allocated (the high-water mark of contacts in the system).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }
}
