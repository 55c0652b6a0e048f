//! A queue's `[queues.callback]` table: the offer trigger, how callbacks
//! are worked, and SPEC §10's platform keys (mode, closing rules, route,
//! scheduled callbacks), and the `[queues.follow_up]` table, whose
//! attempts read like a callback's.

use super::super::duration::Duration;
use super::super::error::{Check, KeyPath, Problem};
use super::super::raw::{RawCallback, RawDist, RawFollowUp, RawPatience, RawScheduled};
use super::Lines;
use super::checks::{int32, non_negative, opt_non_negative, positive, probability};
use super::dist::{day_only, dist};
use crate::model::{
    AtClose, CallbackMode, CallbackPolicy, Dist, FollowUpPolicy, OfferTrigger, Owner, Position,
    Scheduled, format_duration,
};

pub(super) fn callback(
    raw: RawCallback,
    path: &KeyPath,
    queue_priority: i32,
    (own, lines): (&str, &Lines),
) -> Check<CallbackPolicy> {
    // A callback routed to another queue waits there, by default at that
    // queue's priority.
    let route_to = match &raw.route_to {
        None => None,
        Some(to) => {
            let p = path.key("route_to");
            let i = lines
                .iter()
                .position(|(n, _)| n.as_deref() == Some(to.as_str()))
                .ok_or_else(|| Problem::new(p.clone(), format!("names no queue: {to:?}")))?;
            if to == own {
                return Err(Problem::new(p, "names the queue itself: leave it out"));
            }
            Some(i)
        }
    };
    let queue_priority = match route_to.and_then(|i| lines[i].1) {
        Some(p) => int32(p, &path.key("route_to"))?,
        None if route_to.is_some() => 0,
        None => queue_priority,
    };
    let mut triggers = Vec::new();
    if let Some(d) = raw.offer_after {
        triggers.push(OfferTrigger::After(non_negative(
            d,
            &path.key("offer_after"),
        )?));
    }
    if let Some(d) = raw.offer_if_ewt_over {
        triggers.push(OfferTrigger::EwtOver(non_negative(
            d,
            &path.key("offer_if_ewt_over"),
        )?));
    }
    if let Some(n) = raw.offer_if_callers_ahead {
        let p = path.key("offer_if_callers_ahead");
        let n = u32::try_from(n).map_err(|_| {
            Problem::new(p, format!("must be a whole number of at least 0, got {n}"))
        })?;
        triggers.push(OfferTrigger::CallersAhead(n));
    }
    let trigger = match triggers.as_slice() {
        [t] => *t,
        [] => {
            return Err(Problem::new(
                path.clone(),
                "names no offer trigger: set one of offer_after, offer_if_ewt_over, offer_if_callers_ahead",
            ));
        }
        _ => {
            return Err(Problem::new(
                path.clone(),
                "names more than one offer trigger: keep exactly one of offer_after, offer_if_ewt_over, offer_if_callers_ahead",
            ));
        }
    };
    let accept_probability = probability(raw.accept_probability, &path.key("accept_probability"))?;
    let position = match raw.position.as_deref() {
        None | Some("keep") => Position::Keep,
        Some("back") => Position::Back,
        Some(other) => {
            return Err(Problem::new(
                path.key("position"),
                format!("must be \"keep\" or \"back\", got {other:?}"),
            ));
        }
    };
    let priority = match raw.priority {
        Some(p) => int32(p, &path.key("priority"))?,
        None => queue_priority,
    };
    let initial_delay = opt_non_negative(raw.initial_delay, &path.key("initial_delay"))?;
    let Attempts {
        reach_probability,
        max_attempts,
        retry_delay,
        dial_time,
    } = attempts(
        (
            raw.reach_probability,
            raw.max_attempts,
            raw.retry_delay,
            raw.dial_time,
        ),
        path,
    )?;
    let handle_time = raw
        .handle_time
        .map(|d| dist(d, &path.key("handle_time")))
        .transpose()?;
    let expire_after = raw
        .expire_after
        .map(|d| positive(d, &path.key("expire_after")))
        .transpose()?;
    if let Some(e) = expire_after
        && e <= initial_delay
    {
        return Err(Problem::new(
            path.key("expire_after"),
            format!(
                "({}) must be longer than initial_delay ({}), or every callback expires before it can be made",
                format_duration(e),
                format_duration(initial_delay)
            ),
        ));
    }
    let no_offer_before_close = raw
        .no_offer_before_close
        .map(|d| non_negative(d, &path.key("no_offer_before_close")))
        .transpose()?;
    let at_close = match raw.at_close.as_deref() {
        None | Some("serve") => AtClose::Serve,
        Some("expire") => AtClose::Expire,
        Some(other) => {
            return Err(Problem::new(
                path.key("at_close"),
                format!("must be \"serve\" or \"expire\", got {other:?}"),
            ));
        }
    };
    let mode = match raw.mode.as_deref() {
        None | Some("agent_first") => CallbackMode::AgentFirst,
        Some("customer_first") => CallbackMode::CustomerFirst,
        Some(other) => {
            return Err(Problem::new(
                path.key("mode"),
                format!("must be \"agent_first\" or \"customer_first\", got {other:?}"),
            ));
        }
    };
    let answered_patience = match raw.answered_patience {
        None | Some(RawPatience::None) => None,
        Some(RawPatience::Dist(d)) => Some(day_only(d, &path.key("answered_patience"))?),
    };
    let scheduled = raw
        .scheduled
        .map(|r| scheduled(r, &path.key("scheduled")))
        .transpose()?;
    Ok(CallbackPolicy {
        trigger,
        accept_probability,
        position,
        priority,
        initial_delay,
        reach_probability,
        max_attempts,
        retry_delay,
        dial_time,
        handle_time,
        expire_after,
        no_offer_before_close,
        at_close,
        route_to,
        mode,
        answered_patience,
        scheduled,
    })
}

/// The outbound attempts of a callback or follow-up: `reach_probability`,
/// `max_attempts`, `retry_delay`, `dial_time`.
pub(super) struct Attempts {
    pub reach_probability: f64,
    pub max_attempts: u32,
    pub retry_delay: f64,
    pub dial_time: Option<Dist>,
}

/// Reads the attempt keys of a callback or follow-up table.
pub(super) fn attempts(
    (reach, max, retry, dial): (Option<f64>, Option<i64>, Option<Duration>, Option<RawDist>),
    path: &KeyPath,
) -> Check<Attempts> {
    let reach_probability = probability(reach, &path.key("reach_probability"))?;
    let max_attempts = match max {
        None => 1,
        Some(n) if (1..=1_000_000).contains(&n) => n as u32,
        Some(n) => {
            return Err(Problem::new(
                path.key("max_attempts"),
                format!("must be a whole number from 1 to 1000000, got {n}"),
            ));
        }
    };
    Ok(Attempts {
        reach_probability,
        max_attempts,
        retry_delay: opt_non_negative(retry, &path.key("retry_delay"))?,
        dial_time: dial.map(|d| dist(d, &path.key("dial_time"))).transpose()?,
    })
}

/// A queue's `[follow_up]` table.
pub(super) fn follow_up(raw: RawFollowUp, path: &KeyPath) -> Check<FollowUpPolicy> {
    let probability = probability(
        Some(raw.probability.ok_or_else(|| {
            Problem::new(
                path.key("probability"),
                "missing: the share of answered calls and completed callbacks that need a follow-up, e.g. 0.08",
            )
        })?),
        &path.key("probability"),
    )?;
    let delay = dist(
        raw.delay.ok_or_else(|| {
            Problem::new(
                path.key("delay"),
                "missing: the research time until the follow-up is due, e.g. { dist = \"lognormal\", mean = \"2h\", sd = \"1h\" }",
            )
        })?,
        &path.key("delay"),
    )?;
    let handle_time = raw
        .handle_time
        .map(|d| dist(d, &path.key("handle_time")))
        .transpose()?;
    let owner = match raw.owner.as_deref() {
        None | Some("any") => Owner::Any,
        Some("agent") => Owner::Agent,
        Some(other) => {
            return Err(Problem::new(
                path.key("owner"),
                format!("must be \"agent\" or \"any\", got {other:?}"),
            ));
        }
    };
    let owner_timeout = match (raw.owner_timeout, owner) {
        (None, _) => 3600.0,
        (Some(d), Owner::Agent) => non_negative(d, &path.key("owner_timeout"))?,
        (Some(_), Owner::Any) => {
            return Err(Problem::new(
                path.key("owner_timeout"),
                "applies only to owner = \"agent\": leave it out, or set owner = \"agent\"",
            ));
        }
    };
    let Attempts {
        reach_probability,
        max_attempts,
        retry_delay,
        dial_time,
    } = attempts(
        (
            raw.reach_probability,
            raw.max_attempts,
            raw.retry_delay,
            raw.dial_time,
        ),
        path,
    )?;
    Ok(FollowUpPolicy {
        probability,
        delay,
        handle_time,
        owner,
        owner_timeout,
        reach_probability,
        max_attempts,
        retry_delay,
        dial_time,
    })
}

/// A callback table's `[scheduled]`.
fn scheduled(raw: RawScheduled, path: &KeyPath) -> Check<Scheduled> {
    let share = raw.share.ok_or_else(|| {
        Problem::new(
            path.key("share"),
            "missing: the share of accepted callbacks scheduled, e.g. 0.3",
        )
    })?;
    let share = probability(Some(share), &path.key("share"))?;
    let delay = dist(
        raw.delay.ok_or_else(|| {
            Problem::new(
                path.key("delay"),
                "missing: the requested time after the request, e.g. { dist = \"uniform\", min = \"1h\", max = \"4h\" }",
            )
        })?,
        &path.key("delay"),
    )?;
    let window = match raw.window {
        Some(d) => positive(d, &path.key("window"))?,
        None => 1800.0,
    };
    let capacity = match raw.capacity {
        None => u32::MAX,
        Some(n) => u32::try_from(n).ok().filter(|&n| n >= 1).ok_or_else(|| {
            Problem::new(
                path.key("capacity"),
                format!("must be a whole number of callbacks per window, at least 1, got {n}"),
            )
        })?,
    };
    Ok(Scheduled {
        share,
        delay,
        window,
        capacity,
    })
}
