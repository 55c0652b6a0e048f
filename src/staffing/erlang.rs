//! The classic per-interval sizing a planner would otherwise use: for each
//! interval on its own, the fewest agents that meet a queue's target in
//! steady state, by Erlang A (exponential patience with the queue's mean
//! patience) or Erlang C (callers who never hang up). It ignores what the
//! simulation sees: backlog carried from one interval to the next,
//! callbacks taking agent time later, non-exponential handle times and
//! the queue's hours within an interval.

use crate::analytic::erlang_a::{Figures, required_agents};
use crate::analytic::{ErlangA, ErlangC};
use crate::model::{Horizon, Queue, Target};

/// The most agents the sizing considers.
const MAX_AGENTS: u32 = 100_000;

/// Queue `queue`'s agents for its target in interval `k` (0 without calls).
pub fn agents_for(queue: &Queue, target: &Target, h: &Horizon, k: usize) -> u32 {
    let open = queue.open_in(h, k);
    let calls = queue.expected_calls_in(h, k);
    if calls <= 0.0 || open <= 0.0 {
        return 0;
    }
    let rate = calls / open;
    let aht = queue.mean_agent_time_in(k);
    let figures = |n: u32| -> Figures {
        match queue.mean_patience_in(k) {
            Some(mean_patience) => ErlangA {
                agents: n,
                arrival_rate: rate,
                mean_handle: aht,
                mean_patience,
            }
            .figures(queue.service_level),
            None => ErlangC {
                agents: n,
                arrival_rate: rate,
                mean_handle: aht,
            }
            .figures(queue.service_level),
        }
    };
    // Service level and abandonment by bisection; the ASA target on top,
    // counting up from there (it falls with every agent).
    let sl = target.service_level.unwrap_or(0.0);
    let Some(mut n) = required_agents(figures, sl, target.abandon_rate) else {
        return MAX_AGENTS;
    };
    if let Some(asa) = target.asa {
        let above = |n: u32| {
            let got = figures(n).asa;
            got.is_nan() || got > asa
        };
        while n < MAX_AGENTS && above(n) {
            n += 1;
        }
    }
    n.max(1)
}
