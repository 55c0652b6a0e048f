//! Estimates across replications: mean and 95% Student-t half-width.
//!
//! Values are combined in replication-index order, so the same replications
//! give bit-identical figures however they were scheduled.

use super::{Figures, Grid, Metric, N_METRICS, Replication, Scope};
use crate::model::{Horizon, Model};
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::cell::Cell;

/// Mean of a figure across replications with the half-width of its 95%
/// confidence interval. Replications where the figure is undefined (`NaN`,
/// e.g. ASA with no answered call) are left out; `n` counts the rest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// Half-width of the Student-t confidence interval (95% unless made
    /// with [`with_level`](Self::with_level)); `NaN` with fewer than 2 values.
    pub half_width: f64,
    /// Sample standard deviation across replications.
    pub sd: f64,
    /// Replications in which the figure is defined.
    pub n: usize,
}

impl Estimate {
    /// The estimate from per-replication values, in order.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Estimate {
        Estimate::with_level(values, 0.95)
    }

    /// As [`from_values`](Self::from_values) with another confidence level.
    pub fn with_level(values: impl IntoIterator<Item = f64>, level: f64) -> Estimate {
        let xs: Vec<f64> = values.into_iter().filter(|v| !v.is_nan()).collect();
        let n = xs.len();
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                half_width: f64::NAN,
                sd: f64::NAN,
                n,
            };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate {
                mean,
                half_width: f64::NAN,
                sd: f64::NAN,
                n,
            };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        Estimate {
            mean,
            half_width: t_quantile(1.0 - (1.0 - level) / 2.0, n - 1) * sd / (n as f64).sqrt(),
            sd,
            n,
        }
    }

    /// Whether `x` lies in `mean ± half_width`.
    pub fn covers(&self, x: f64) -> bool {
        (x - self.mean).abs() <= self.half_width
    }
}

/// The `p`-quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: usize) -> f64 {
    // The inverse CDF is an iterative search (tens of microseconds), and a
    // summary asks it the same question for nearly every figure: all
    // estimates of a study share the level and, mostly, the number of
    // replications. Remembering the last answer takes it off the serial
    // path between the simulation and the output.
    thread_local! {
        static LAST: Cell<(u64, usize, f64)> = const { Cell::new((0, 0, f64::NAN)) };
    }
    LAST.with(|last| {
        let (lp, ldf, lt) = last.get();
        if lp == p.to_bits() && ldf == df {
            return lt;
        }
        let t = StudentsT::new(0.0, 1.0, df as f64)
            .expect("df ≥ 1 is a valid Student t")
            .inverse_cdf(p);
        last.set((p.to_bits(), df, t));
        t
    })
}

/// Estimates of every figure of one period (the day, or the calls
/// arriving in one interval): per queue, all queues, per agent group.
#[derive(Clone, Debug)]
struct Estimates {
    queues: Vec<[Estimate; N_METRICS]>,
    total: [Estimate; N_METRICS],
    occupancy: Vec<Estimate>,
}

impl Estimates {
    /// The estimates across `reps` of the figures `value(rep, scope, metric)`.
    fn new(
        queues: usize,
        groups: usize,
        reps: &[Replication],
        value: impl Fn(&Replication, Scope, Metric) -> Option<f64>,
    ) -> Estimates {
        let across = |scope: Scope, m: Metric| {
            Estimate::from_values(reps.iter().filter_map(|r| value(r, scope, m)))
        };
        Estimates {
            queues: (0..queues)
                .map(|q| Metric::QUEUE.map(|m| across(Scope::Queue(q), m)))
                .collect(),
            total: Metric::QUEUE.map(|m| across(Scope::Total, m)),
            occupancy: (0..groups)
                .map(|g| across(Scope::Group(g), Metric::Occupancy))
                .collect(),
        }
    }

    fn get(&self, scope: Scope, metric: Metric) -> Option<Estimate> {
        Figures {
            queues: &self.queues,
            total: &self.total,
            groups: &self.occupancy,
        }
        .get(scope, metric)
    }
}

/// Every figure of a run: per queue, total and per agent group, over the
/// day and for each interval, with what a report needs to name them.
#[derive(Clone, Debug)]
pub struct Summary {
    pub scenario: String,
    pub replications: usize,
    pub seed: u64,
    pub queue_names: Vec<String>,
    pub group_names: Vec<String>,
    /// The horizon, to name intervals in clock time.
    pub horizon: Horizon,
    /// The agent groups serving each queue.
    pub serving: Vec<Vec<usize>>,
    day: Estimates,
    intervals: Vec<Estimates>,
    /// Agents on shift per interval and group.
    staffing: Grid<u32>,
    /// Events processed, summed over replications.
    pub events: u64,
}

impl Summary {
    /// Combines the replications (sorted by index) of `model` run with
    /// `seed` into estimates.
    pub fn new(model: &Model, seed: u64, reps: &[Replication]) -> Summary {
        let (nq, ng) = (model.queues().len(), model.groups().len());
        let h = model.horizon();
        let day = Estimates::new(nq, ng, reps, |r, scope, m| r.value(scope, m));
        let intervals = (0..h.intervals)
            .map(|k| Estimates::new(nq, ng, reps, |r, scope, m| r.interval_value(k, scope, m)))
            .collect();
        Summary {
            scenario: model.name().to_string(),
            replications: reps.len(),
            seed,
            queue_names: model.queues().iter().map(|q| q.name.clone()).collect(),
            group_names: model.groups().iter().map(|g| g.name.clone()).collect(),
            horizon: h.clone(),
            serving: model.groups_serving(),
            day,
            intervals,
            staffing: Grid::from_fn(h.intervals, ng, |k, g| model.groups()[g].staffing[k]),
            events: reps.iter().map(|r| r.events).sum(),
        }
    }

    /// The estimate of `metric` for `scope` over the day; `None` when the
    /// scope does not report it or does not exist.
    pub fn estimate(&self, scope: Scope, metric: Metric) -> Option<Estimate> {
        self.day.get(scope, metric)
    }

    /// The estimate of `metric` for `scope` in interval `k`: of the calls
    /// arriving in it, or a group's occupancy in it.
    pub fn interval(&self, k: usize, scope: Scope, metric: Metric) -> Option<Estimate> {
        self.intervals.get(k)?.get(scope, metric)
    }

    /// Agents of group `g` on shift in interval `k`.
    pub fn staffing(&self, k: usize, g: usize) -> u32 {
        *self.staffing.get(k, g)
    }

    /// Number of intervals.
    pub fn intervals(&self) -> usize {
        self.intervals.len()
    }

    /// Every scope of the run: the queues, the total, then the agent groups.
    pub fn scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        (0..self.queue_names.len())
            .map(Scope::Queue)
            .chain([Scope::Total])
            .chain((0..self.group_names.len()).map(Scope::Group))
    }

    /// The name of a scope in files and JSON.
    pub fn scope_name(&self, scope: Scope) -> &str {
        match scope {
            Scope::Queue(q) => &self.queue_names[q],
            Scope::Total => "total",
            Scope::Group(g) => &self.group_names[g],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_memo_answers_each_question() {
        // Standard tables; each call changes p or df, so a memo that ignored
        // either would return the previous answer.
        for _ in 0..2 {
            assert!((t_quantile(0.975, 9) - 2.262157).abs() < 1e-5);
            assert!((t_quantile(0.975, 39) - 2.022691).abs() < 1e-5);
            assert!((t_quantile(0.95, 39) - 1.684875).abs() < 1e-5);
            assert!((t_quantile(0.95, 9) - 1.833113).abs() < 1e-5);
        }
    }

    #[test]
    fn student_t_half_width() {
        // t(0.975, 9) = 2.262157 (standard tables).
        assert!((t_quantile(0.975, 9) - 2.262157).abs() < 1e-5);
        let e = Estimate::from_values([1.0, 2.0, 3.0, 4.0]);
        assert_eq!(e.mean, 2.5);
        assert_eq!(e.n, 4);
        // sd = 1.290994, t(0.975,3) = 3.182446, hw = 3.182446 * 1.290994 / 2
        assert!((e.half_width - 2.054269).abs() < 1e-5, "{}", e.half_width);
    }

    #[test]
    fn undefined_values_are_left_out() {
        let e = Estimate::from_values([f64::NAN, 2.0, 4.0]);
        assert_eq!((e.mean, e.n), (3.0, 2));
        let none = Estimate::from_values([f64::NAN]);
        assert!(none.mean.is_nan() && none.n == 0);
        let one = Estimate::from_values([5.0]);
        assert_eq!(one.mean, 5.0);
        assert!(one.half_width.is_nan());
    }

    #[test]
    fn constant_values_have_zero_width() {
        let e = Estimate::from_values([7.0; 5]);
        assert_eq!((e.mean, e.half_width), (7.0, 0.0));
    }
}
