//! `ccsim staff` (SPEC §9): the fewest agents per group and interval that
//! meet every queue's target on the mean over the replications, found by
//! simulation.
//!
//! The search, on common random numbers throughout (every staffing tried
//! is simulated on the same replications, so a decision about one agent
//! compares the same days):
//!
//! 1. **Start** from the file's staffing when every group gives one, else
//!    from per-interval Erlang (A with the mean patience, C without; see
//!    [`erlang`]): each queue's agents, split evenly among the groups that
//!    serve it, within each group's bounds.
//! 2. **Add** (the iterative correction of Feldman, Mandelbaum, Massey and
//!    Whitt, 2008, one agent at a time): simulate; every interval where a
//!    queue misses its target gets one more agent in the cheapest group
//!    that serves it (fewest skills on a tie); a day-level target that is
//!    missed adds to every interval whose own figure misses it. Repeat
//!    until every target holds. A target that cannot be met within
//!    `max_staffing` is an error naming the queue and interval.
//! 3. **Remove** (greedy, to a local minimum of cost): try one agent less
//!    in each group-interval, the costliest groups first and the latest
//!    intervals first; keep the change when every target still holds.
//!    Repeat until a whole pass removes nothing: then no single
//!    group-interval can lose an agent without breaking a target.
//!
//! Backlog and callbacks carried into later intervals are part of every
//! evaluation: each simulates the whole day.

pub mod erlang;
pub mod target;

use crate::engine::{Overloaded, run_in_order};
use crate::model::{Model, ScenarioError, TargetScope};
use crate::plan::RunPlan;
use crate::results::{Metric, Scope, Summary, SummaryBuilder};

/// What the search found.
#[derive(Clone, Debug)]
pub struct Found {
    /// The model with the found staffing.
    pub model: Model,
    /// Its figures on the search's replications.
    pub summary: Summary,
    /// Per queue served by exactly one group: that group's per-interval
    /// Erlang staffing for the queue's target, and the figures when it is
    /// simulated (the other groups as found).
    pub erlang: Vec<ErlangCheck>,
    /// Staffings simulated, each on every replication.
    pub evaluations: usize,
}

/// The classic per-interval sizing of one queue, simulated.
#[derive(Clone, Debug)]
pub struct ErlangCheck {
    pub queue: usize,
    pub group: usize,
    pub staffing: Vec<u32>,
    pub summary: Summary,
}

/// Why no staffing was found.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no queue has a [queues.target]: nothing to staff for")]
    NoTarget,
    #[error(
        "queue {queue:?} misses its target ({what}) in the interval at {interval} even with every \
         group that serves it at max_staffing"
    )]
    Unmeetable {
        queue: String,
        interval: String,
        what: String,
    },
    #[error("{0}")]
    Invalid(#[from] ScenarioError),
    #[error("the staffing the search starts from: {0}; give a larger staffing to start from")]
    Overloaded(Overloaded),
}

/// A target missed: the queue, the interval (`None`: the day) and what.
#[derive(Clone, Debug)]
struct Miss {
    queue: usize,
    interval: Option<usize>,
    what: String,
}

/// The figure of `metric` for queue `q` over the day or in interval `k`.
fn figure(s: &Summary, q: usize, k: Option<usize>, metric: Metric) -> Option<f64> {
    let e = match k {
        Some(k) => s.interval(k, Scope::Queue(q), metric)?,
        None => s.estimate(Scope::Queue(q), metric)?,
    };
    (!e.mean.is_nan()).then_some(e.mean)
}

/// Every target `model`'s queues miss in `s` (interval-level ones only in
/// intervals where the queue had calls).
fn misses(model: &Model, s: &Summary) -> Vec<Miss> {
    let mut out = Vec::new();
    for (q, queue) in model.queues().iter().enumerate() {
        let Some(t) = &queue.target else { continue };
        let periods: Vec<Option<usize>> = match t.scope {
            TargetScope::Day => vec![None],
            TargetScope::Interval => (0..s.intervals())
                .filter(|&k| figure(s, q, Some(k), Metric::Offered).is_some_and(|n| n > 0.0))
                .map(Some)
                .collect(),
        };
        for k in periods {
            let what: Vec<String> = target::broken(t, |m| figure(s, q, k, m))
                .map(|(m, got, want)| target::describe(m, got, want))
                .collect();
            if !what.is_empty() {
                out.push(Miss {
                    queue: q,
                    interval: k,
                    what: what.join(", "),
                });
            }
        }
    }
    out
}

/// Simulates staffings of one model on one plan, counting them.
struct Evaluator<'a> {
    model: &'a Model,
    plan: &'a RunPlan,
    evaluations: usize,
    progress: &'a dyn Fn(&str),
    /// Why the last staffing tried gave no figures, if it overloaded the
    /// center (a removal that does is simply not made).
    overloaded: Option<Overloaded>,
}

impl Evaluator<'_> {
    /// The model with `staffing` and its figures; `None` when the staffing
    /// leaves a queue unserved while it takes calls, or overloads the
    /// center (`overloaded` then says how).
    fn run(&mut self, staffing: &[Vec<u32>]) -> Option<(Model, Summary)> {
        self.overloaded = None;
        let model = self.model.with_staffing(staffing).ok()?;
        self.evaluations += 1;
        // Folded as they finish: a search holds no replication.
        let mut summary = SummaryBuilder::new(&model, self.plan.seed);
        run_in_order(&model, self.plan.seed, self.plan.all(), &|_| {}, |r| {
            summary.push(&r)
        })
        .map_err(|e| self.overloaded = Some(e))
        .ok()?;
        Some((model, summary.finish()))
    }
}

/// Searches the staffing of `model` on `plan`'s replications;
/// `progress` hears what the search is doing.
pub fn search(model: &Model, plan: &RunPlan, progress: &dyn Fn(&str)) -> Result<Found, StaffError> {
    if model.queues().iter().all(|q| q.target.is_none()) {
        return Err(StaffError::NoTarget);
    }
    let mut eval = Evaluator {
        model,
        plan,
        evaluations: 0,
        progress,
        overloaded: None,
    };
    let mut staffing = start(model);
    let h = model.horizon();

    // 2. Add until every target holds.
    let (mut found, mut summary) = loop {
        let Some((m, s)) = eval.run(&staffing) else {
            if let Some(e) = eval.overloaded.take() {
                return Err(StaffError::Overloaded(e));
            }
            // A queue left without agents while it takes calls.
            let e = model.with_staffing(&staffing).err();
            return Err(e.map_or(StaffError::NoTarget, StaffError::Invalid));
        };
        let missed = misses(&m, &s);
        (eval.progress)(&format!(
            "adding agents: {} target(s) missed, pass {}",
            missed.len(),
            eval.evaluations
        ));
        if missed.is_empty() {
            break (m, s);
        }
        let mut added = false;
        for miss in &missed {
            let intervals: Vec<usize> = match miss.interval {
                Some(k) => vec![k],
                None => (0..h.intervals)
                    .filter(|&k| misses_in(&m, &s, miss.queue, k))
                    .collect(),
            };
            for k in intervals {
                if let Some(g) = cheapest_with_room(model, &staffing, miss.queue, k) {
                    staffing[g][k] += 1;
                    added = true;
                } else if miss.interval.is_some() {
                    return Err(StaffError::Unmeetable {
                        queue: model.queues()[miss.queue].name.clone(),
                        interval: h.interval_clock(k),
                        what: miss.what.clone(),
                    });
                }
            }
        }
        if !added {
            let miss = &missed[0];
            return Err(StaffError::Unmeetable {
                queue: model.queues()[miss.queue].name.clone(),
                interval: miss
                    .interval
                    .map_or_else(|| "the whole day".to_string(), |k| h.interval_clock(k)),
                what: miss.what.clone(),
            });
        }
    };

    // 3. Remove to a local minimum.
    let mut order: Vec<(usize, usize)> = (0..model.groups().len())
        .flat_map(|g| (0..h.intervals).rev().map(move |k| (g, k)))
        .collect();
    // Costliest groups first; stable, so intervals stay latest first.
    order.sort_by(|a, b| {
        model.groups()[b.0]
            .cost
            .total_cmp(&model.groups()[a.0].cost)
    });
    let mut pass = 0;
    loop {
        pass += 1;
        let mut removed = 0;
        for (i, &(g, k)) in order.iter().enumerate() {
            if staffing[g][k] <= model.groups()[g].min_staffing[k] {
                continue;
            }
            (eval.progress)(&format!(
                "removing agents: pass {pass}, {}/{} ({} at {})",
                i + 1,
                order.len(),
                model.groups()[g].name,
                h.interval_clock(k)
            ));
            staffing[g][k] -= 1;
            match eval.run(&staffing) {
                Some((m, s)) if misses(&m, &s).is_empty() => {
                    (found, summary) = (m, s);
                    removed += 1;
                }
                _ => staffing[g][k] += 1,
            }
        }
        if removed == 0 {
            break;
        }
    }

    let erlang = erlang_checks(&mut eval, &found, &staffing);
    Ok(Found {
        model: found,
        summary,
        erlang,
        evaluations: eval.evaluations,
    })
}

/// Whether queue `q` misses its (day-level) target in interval `k` taken on its own.
fn misses_in(model: &Model, s: &Summary, q: usize, k: usize) -> bool {
    let Some(t) = &model.queues()[q].target else {
        return false;
    };
    target::broken(t, |m| figure(s, q, Some(k), m))
        .next()
        .is_some()
}

/// The group that serves queue `q` with room for one more agent in
/// interval `k`: the cheapest, then the one with the fewest skills.
fn cheapest_with_room(model: &Model, staffing: &[Vec<u32>], q: usize, k: usize) -> Option<usize> {
    model
        .groups()
        .iter()
        .enumerate()
        .filter(|(g, grp)| grp.skills.contains(&q) && staffing[*g][k] < grp.max_staffing[k])
        .min_by(|(_, a), (_, b)| {
            a.cost
                .total_cmp(&b.cost)
                .then(a.skills.len().cmp(&b.skills.len()))
        })
        .map(|(g, _)| g)
}

/// The search's start: the file's staffing if every group gives one, else
/// per-interval Erlang per queue, split among the groups that serve it.
fn start(model: &Model) -> Vec<Vec<u32>> {
    let groups = model.groups();
    let h = model.horizon();
    let clamp =
        |g: usize, k: usize, n: u32| n.clamp(groups[g].min_staffing[k], groups[g].max_staffing[k]);
    if groups.iter().all(|g| g.staffing_given) {
        return groups
            .iter()
            .enumerate()
            .map(|(g, grp)| {
                (0..h.intervals)
                    .map(|k| clamp(g, k, grp.staffing[k]))
                    .collect()
            })
            .collect();
    }
    let serving = model.groups_serving();
    let mut out = vec![vec![0u32; h.intervals]; groups.len()];
    for (q, queue) in model.queues().iter().enumerate() {
        let by = &serving[q];
        if by.is_empty() {
            continue;
        }
        #[allow(clippy::needless_range_loop)] // k indexes every serving group's list
        for k in 0..h.intervals {
            let need = match &queue.target {
                Some(t) => erlang::agents_for(queue, t, h, k),
                // Without a target: enough to keep up with the load.
                None => {
                    let open = queue.open_in(h, k);
                    if open > 0.0 {
                        let load =
                            queue.expected_calls_in(h, k) / open * queue.mean_agent_time_in(k);
                        load.ceil() as u32 + u32::from(load > 0.0)
                    } else {
                        0
                    }
                }
            };
            let share = need.div_ceil(by.len() as u32);
            for &g in by {
                out[g][k] += share;
            }
        }
    }
    for (g, row) in out.iter_mut().enumerate() {
        for (k, n) in row.iter_mut().enumerate() {
            *n = clamp(g, k, *n);
        }
    }
    // Keep every queue served while it takes calls: at least one agent in
    // the last interval of each group that serves a queue with calls.
    for (q, by) in serving.iter().enumerate() {
        if model.queues()[q].expected_calls(h) > 0.0
            && let Some(&g) = by.first()
            && by.iter().all(|&g| out[g][h.intervals - 1] == 0)
        {
            out[g][h.intervals - 1] = 1.max(groups[g].min_staffing[h.intervals - 1]);
        }
    }
    out
}

/// For every queue served by exactly one group, that group's Erlang
/// staffing for the queue's target, simulated with the other groups as found.
fn erlang_checks(eval: &mut Evaluator, found: &Model, staffing: &[Vec<u32>]) -> Vec<ErlangCheck> {
    let serving = found.groups_serving();
    let h = found.horizon();
    let mut out = Vec::new();
    for (q, queue) in found.queues().iter().enumerate() {
        let (Some(t), [g]) = (&queue.target, serving[q].as_slice()) else {
            continue;
        };
        (eval.progress)(&format!("simulating Erlang staffing for {}", queue.name));
        let per_interval: Vec<u32> = (0..h.intervals)
            .map(|k| erlang::agents_for(queue, t, h, k))
            .collect();
        let mut tried = staffing.to_vec();
        tried[*g] = per_interval.clone();
        if let Some((_, summary)) = eval.run(&tried) {
            out.push(ErlangCheck {
                queue: q,
                group: *g,
                staffing: per_interval,
                summary,
            });
        }
    }
    out
}
