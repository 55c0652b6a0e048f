//! Warnings about a valid model, found before simulating: a callback offer
//! that would rarely or never fire at the scenario's load, and a queue
//! whose callers never hang up while its load exceeds its agents (it grows
//! until staffing catches up).
//!
//! The estimate is quick, not exact: per interval, the queue is taken as
//! an M/M/N queue (Erlang C) with its load (arrival rate times mean handle
//! time plus wrap-up) and N its share of the agents that serve it: each
//! group's agents are shared among the group's skills in proportion to
//! their loads (counting every agent in full for every skill would see a
//! multi-skill center as far roomier than it is). Abandonment and
//! callbacks are left out. An
//! arriving caller then waits with probability C = ErlangC(N, A), and
//! finds at least m callers ahead with probability C·ρ^m (ρ = A/N); it has
//! held t seconds with probability C·e^(−(N−A)t/AHT). A trigger fires for
//! a call with these probabilities: `offer_if_callers_ahead = k` needs k
//! ahead; `offer_if_ewt_over = X` needs ahead + 1 > X·N/AHT;
//! `offer_after = T` needs a wait beyond T. Summed over the intervals'
//! expected calls, that is the expected number of offers a day.

use crate::analytic::erlang_c;
use crate::model::{Model, OfferTrigger, format_duration};

/// Offers a day below which a trigger "rarely fires".
const RARE_OFFERS: f64 = 1.0;
/// Share of calls below which a trigger "rarely fires".
const RARE_SHARE: f64 = 0.001;

/// One thing a planner should look at, about one queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub queue: String,
    pub message: String,
}

/// Everything about `model` worth a warning.
pub fn warnings(model: &Model) -> Vec<Warning> {
    let h = model.horizon();
    let queues = model.queues();
    let mut days: Vec<Day> = vec![Day::default(); queues.len()];
    for_each_interval(model, |q, l| {
        let queue = &queues[q];
        let day = &mut days[q];
        day.calls += l.calls;
        if let Some(cb) = &queue.callback {
            let aht = queue.mean_agent_time_in(l.interval);
            day.offers += l.calls * p_offer(cb.trigger, l.agents, l.load, aht);
        }
        if queue.patience.is_none() && l.calls > 0.0 && l.load >= f64::from(l.agents) {
            let over = day
                .over
                .get_or_insert((l.interval, l.interval, 0.0, u32::MAX));
            over.1 = l.interval;
            over.2 = over.2.max(l.load);
            over.3 = over.3.min(l.agents);
        }
    });
    let mut out = Vec::new();
    for (queue, day) in queues.iter().zip(&days) {
        let (calls, offers) = (day.calls, day.offers);
        if calls == 0.0 {
            continue;
        }
        let warn = |message: String| Warning {
            queue: queue.name.clone(),
            message,
        };
        if let Some(cb) = &queue.callback
            && (offers < RARE_OFFERS || offers < RARE_SHARE * calls)
        {
            out.push(warn(format!(
                "the callback offer ({}) would be made to about {offers:.2} of {calls:.0} calls a \
                 day at this load (estimated with Erlang C per interval): it rarely or never fires",
                trigger_words(cb.trigger)
            )));
        }
        if let Some((first, last, load, agents)) = day.over {
            out.push(warn(format!(
                "offered load reaches {load:.1} Erlangs against {agents} agents between {} and {} \
                 while callers never hang up (patience \"none\"): the queue grows until staffing \
                 catches up",
                h.interval_clock(first),
                h.clock(h.interval_end(last)),
            )));
        }
    }
    out
}

/// What the warnings need of one queue's day.
#[derive(Clone, Debug, Default)]
struct Day {
    calls: f64,
    /// Expected callback offers.
    offers: f64,
    /// Where its load reaches its agents with no patience: first and last
    /// interval, largest load, fewest agents.
    over: Option<(usize, usize, f64, u32)>,
}

/// A queue's calls, offered load and agents in one interval.
struct Load {
    interval: usize,
    calls: f64,
    /// Erlangs: arrival rate × mean agent time.
    load: f64,
    agents: u32,
}

/// Calls `f(queue, load)` for every interval and queue, interval by
/// interval: each group's agents are shared among its skills in
/// proportion to their loads, so a pass costs the intervals times the
/// skills, not times the skills squared (a 200-queue center with a
/// million intervals is checked in seconds).
fn for_each_interval(model: &Model, mut f: impl FnMut(usize, Load)) {
    let h = model.horizon();
    let (queues, groups) = (model.queues(), model.groups());
    let mut load = vec![0.0; queues.len()];
    let mut agents = vec![0.0; queues.len()];
    for k in 0..h.intervals {
        let length = h.interval_end(k) - h.interval_start(k);
        for (q, queue) in queues.iter().enumerate() {
            load[q] = queue.expected_calls_in(h, k) / length * queue.mean_agent_time_in(k);
        }
        agents.fill(0.0);
        for g in groups {
            let all: f64 = g.skills.iter().map(|&s| load[s]).sum();
            for &s in &g.skills {
                let share = if all > 0.0 { load[s] / all } else { 0.0 };
                agents[s] += f64::from(g.staffing[k]) * share;
            }
        }
        for (q, queue) in queues.iter().enumerate() {
            f(
                q,
                Load {
                    interval: k,
                    calls: queue.expected_calls_in(h, k),
                    load: load[q],
                    agents: agents[q].floor() as u32,
                },
            );
        }
    }
}

/// The chance that an arriving call is offered a callback (see the module
/// docs); 1 when the load reaches the agents.
fn p_offer(trigger: OfferTrigger, agents: u32, load: f64, aht: f64) -> f64 {
    let n = f64::from(agents);
    if load >= n {
        return 1.0;
    }
    if load <= 0.0 {
        return 0.0;
    }
    let c = erlang_c(agents, load);
    let rho = load / n;
    match trigger {
        OfferTrigger::CallersAhead(k) => c * rho.powf(f64::from(k)),
        OfferTrigger::EwtOver(x) => {
            let m = (x * n / aht).floor().max(0.0);
            c * rho.powf(m)
        }
        OfferTrigger::After(t) => c * (-(n - load) * t / aht).exp(),
    }
}

/// A trigger in words.
pub fn trigger_words(t: OfferTrigger) -> String {
    match t {
        OfferTrigger::After(t) => format!("after {} on hold", format_duration(t)),
        OfferTrigger::EwtOver(t) => format!(
            "on arrival when the estimated wait exceeds {}",
            format_duration(t)
        ),
        OfferTrigger::CallersAhead(n) => format!("on arrival when {n} or more callers hold"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_chances_follow_erlang_c() {
        // 10 agents, 8 Erlangs: C(10, 8) = 0.409 (standard tables).
        let c = erlang_c(10, 8.0);
        assert!((c - 0.4092).abs() < 1e-3, "{c}");
        let p = p_offer(OfferTrigger::CallersAhead(0), 10, 8.0, 300.0);
        assert!((p - c).abs() < 1e-12);
        assert!((p_offer(OfferTrigger::CallersAhead(2), 10, 8.0, 300.0) - c * 0.64).abs() < 1e-12);
        // EWT over 60 s with 10 agents and 300 s AHT: (ahead + 1) · 30 > 60,
        // so two ahead are needed.
        let ewt = p_offer(OfferTrigger::EwtOver(60.0), 10, 8.0, 300.0);
        assert!((ewt - c * 0.64).abs() < 1e-12);
        let after = p_offer(OfferTrigger::After(150.0), 10, 8.0, 300.0);
        assert!((after - c * (-1.0f64).exp()).abs() < 1e-12);
        assert_eq!(p_offer(OfferTrigger::After(1e6), 10, 12.0, 300.0), 1.0);
    }
}
