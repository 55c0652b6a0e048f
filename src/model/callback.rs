//! A queue's callback policy and its follow-ups, as validated: when a
//! caller is offered a callback, where the callback waits, how it is
//! dialed, scheduled and closed, and the follow-ups agents create.

use super::Dist;
use serde::Serialize;

/// When a waiting caller is offered a callback (exactly one per policy).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum OfferTrigger {
    /// Once the caller has held this many seconds.
    After(f64),
    /// On arrival, when the estimated wait exceeds this many seconds.
    EwtOver(f64),
    /// On arrival, when no agent is free and at least this many inbound
    /// callers already hold.
    CallersAhead(u32),
}

/// Where a callback stands in its queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Position {
    /// Ordered by the original call's queue-entry time.
    Keep,
    /// Ordered by the time the callback was requested.
    Back,
}

/// A queue's callback offer and how callbacks are worked.
#[derive(Clone, Debug, Serialize)]
pub struct CallbackPolicy {
    pub trigger: OfferTrigger,
    pub accept_probability: f64,
    pub position: Position,
    pub priority: i32,
    pub initial_delay: f64,
    pub reach_probability: f64,
    pub max_attempts: u32,
    pub retry_delay: f64,
    /// Agent time per outbound attempt; `None` is zero.
    pub dial_time: Option<Dist>,
    /// Conversation length of a reached callback; `None`: the original
    /// call's own handle time (the same conversation, drawn once).
    pub handle_time: Option<Dist>,
    pub expire_after: Option<f64>,
    /// No offer this long before the queue closes (its hours' end, or the
    /// end of arrivals); `None`: offers until the caller leaves.
    pub no_offer_before_close: Option<f64>,
    /// What becomes of callbacks still pending when the queue closes.
    pub at_close: AtClose,
    /// The queue whose line the callbacks wait in (served by its groups);
    /// `None`: the queue's own. Their figures stay with the queue.
    pub route_to: Option<usize>,
    /// Who dials: an agent, or the system before taking an agent.
    pub mode: CallbackMode,
    /// Customer-first: how long a reached customer holds for an agent;
    /// `None`: until one comes.
    pub answered_patience: Option<Dist>,
    /// Callers who pick a time instead of "as soon as possible".
    pub scheduled: Option<Scheduled>,
}

/// Scheduled callbacks (SPEC §10 `[queues.callback.scheduled]`).
#[derive(Clone, Debug, Serialize)]
pub struct Scheduled {
    /// Of accepted callbacks.
    pub share: f64,
    /// The requested time after the request.
    pub delay: Dist,
    /// Length of a capacity window, seconds.
    pub window: f64,
    /// Scheduled callbacks per window.
    pub capacity: u32,
}

/// Who places a callback's outbound call (SPEC §10 `mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CallbackMode {
    /// An agent takes the callback from the line and dials: ringing and
    /// unanswered attempts cost agent time.
    AgentFirst,
    /// The system dials as soon as the callback is eligible; a customer
    /// who answers holds in the callback's place in line until an agent
    /// takes them, and may hang up first (`callbacks_abandoned`).
    CustomerFirst,
}

/// Callbacks still pending when a queue closes (SPEC §10 `at_close`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AtClose {
    /// Served by whoever serves the queue then (the last staffing stays on).
    Serve,
    /// Dropped, counted as expired.
    Expire,
}
/// Agent-created follow-ups (SPEC §10 `[queues.follow_up]`): an agent who
/// cannot finish an interaction researches and calls the customer back.
#[derive(Clone, Debug, Serialize)]
pub struct FollowUpPolicy {
    /// Of answered calls and completed callbacks.
    pub probability: f64,
    /// Research time from the end of the interaction until it is due.
    pub delay: Dist,
    /// Conversation length; `None`: a new draw of the queue's handle time.
    pub handle_time: Option<Dist>,
    pub owner: Owner,
    /// Agent-owned: how long after it is due only its owner may take it.
    pub owner_timeout: f64,
    pub reach_probability: f64,
    pub max_attempts: u32,
    pub retry_delay: f64,
    /// Agent time per outbound attempt; `None` is zero.
    pub dial_time: Option<Dist>,
}

/// Who may make a follow-up (SPEC §10 `owner`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Owner {
    /// Reserved for the agent who took the call until `owner_timeout`,
    /// then any agent of the queue.
    Agent,
    /// Any agent of the queue.
    Any,
}
