//! Estimates across replications: mean and 95% Student-t half-width.
//!
//! Values are combined in replication-index order, so the same replications
//! give bit-identical figures however they were scheduled.
//!
//! A run's [`Summary`] is folded one replication at a time
//! ([`SummaryBuilder`]), so its memory does not grow with the number of
//! replications: a mean is the plain sum over `n`, as
//! [`Estimate::from_values`] computes it, so means are the same bits; the
//! variance is Welford's one-pass update, so a standard deviation and a
//! half-width may differ in the last bits from builds that summed squared
//! deviations from the mean in a second pass.

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
        let mean = xs.iter().sum::<f64>() / n as f64;
        let squares = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>();
        Estimate::from_moments(n, mean, squares, level)
    }

    /// The estimate from `n` values with mean `mean` (`NaN` when `n` is 0)
    /// and sum of squared deviations from it `squares`, however they were
    /// summed (two passes here, one in [`SummaryBuilder`]).
    fn from_moments(n: usize, mean: f64, squares: f64, level: f64) -> Estimate {
        if n < 2 {
            return Estimate {
                mean: if n == 0 { f64::NAN } else { mean },
                half_width: f64::NAN,
                sd: f64::NAN,
                n,
            };
        }
        let sd = (squares / (n - 1) as f64).sqrt();
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

/// One figure folded replication by replication: the plain sum (the mean
/// is `sum / n`, the same bits as [`Estimate::from_values`]) and Welford's
/// running mean and sum of squared deviations for the variance.
#[derive(Clone, Copy, Debug)]
struct Running {
    n: usize,
    sum: f64,
    mean: f64,
    m2: f64,
}

impl Default for Running {
    fn default() -> Self {
        // `Iterator::sum` of `f64` starts from -0.0, so that a sum of
        // -0.0 alone stays -0.0; so does this one.
        Running {
            n: 0,
            sum: -0.0,
            mean: 0.0,
            m2: 0.0,
        }
    }
}

impl Running {
    /// Adds a value; an undefined one (`NaN`) is left out.
    fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        self.sum += x;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    fn estimate(&self, level: f64) -> Estimate {
        Estimate::from_moments(self.n, self.sum / self.n as f64, self.m2, level)
    }
}

/// Running estimates of every figure of one period (the day, or the
/// calls arriving in one interval): per queue, all queues, per group.
#[derive(Clone, Debug)]
struct Folding {
    queues: Vec<[Running; N_METRICS]>,
    total: [Running; N_METRICS],
    occupancy: Vec<Running>,
}

impl Folding {
    fn new(queues: usize, groups: usize) -> Folding {
        Folding {
            queues: vec![[Running::default(); N_METRICS]; queues],
            total: [Running::default(); N_METRICS],
            occupancy: vec![Running::default(); groups],
        }
    }

    /// Adds one replication's figures, `value(scope, metric)`.
    fn push(&mut self, value: impl Fn(Scope, Metric) -> Option<f64>) {
        let add = |run: &mut Running, scope: Scope, m: Metric| {
            if let Some(x) = value(scope, m) {
                run.push(x);
            }
        };
        for (q, runs) in self.queues.iter_mut().enumerate() {
            for (run, m) in runs.iter_mut().zip(Metric::QUEUE) {
                add(run, Scope::Queue(q), m);
            }
        }
        for (run, m) in self.total.iter_mut().zip(Metric::QUEUE) {
            add(run, Scope::Total, m);
        }
        for (g, run) in self.occupancy.iter_mut().enumerate() {
            add(run, Scope::Group(g), Metric::Occupancy);
        }
    }

    fn estimates(&self) -> Estimates {
        let level = 0.95;
        Estimates {
            queues: self
                .queues
                .iter()
                .map(|runs| runs.map(|r| r.estimate(level)))
                .collect(),
            total: self.total.map(|r| r.estimate(level)),
            occupancy: self.occupancy.iter().map(|r| r.estimate(level)).collect(),
        }
    }
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
    fn get(&self, scope: Scope, metric: Metric) -> Option<Estimate> {
        Figures {
            queues: &self.queues,
            total: &self.total,
            groups: &self.occupancy,
        }
        .get(scope, metric)
    }
}

/// A [`Summary`] folded one replication at a time, in index order: memory
/// in the size of the model, not the number of replications.
#[derive(Clone, Debug)]
pub struct SummaryBuilder {
    summary: Summary,
    day: Folding,
    intervals: Vec<Folding>,
}

impl SummaryBuilder {
    /// An empty summary of `model` run with `seed`.
    pub fn new(model: &Model, seed: u64) -> SummaryBuilder {
        let (nq, ng) = (model.queues().len(), model.groups().len());
        let h = model.horizon();
        let empty = Estimates {
            queues: Vec::new(),
            total: [Estimate::from_values([]); N_METRICS],
            occupancy: Vec::new(),
        };
        SummaryBuilder {
            summary: Summary {
                scenario: model.name().to_string(),
                replications: 0,
                seed,
                queue_names: model.queues().iter().map(|q| q.name.clone()).collect(),
                group_names: model.groups().iter().map(|g| g.name.clone()).collect(),
                horizon: h.clone(),
                serving: model.groups_serving(),
                day: empty,
                intervals: Vec::new(),
                staffing: Grid::from_fn(h.intervals, ng, |k, g| model.groups()[g].staffing[k]),
                events: 0,
            },
            day: Folding::new(nq, ng),
            intervals: vec![Folding::new(nq, ng); h.intervals],
        }
    }

    /// Adds the next replication (in index order: the sums, and so the
    /// figures' last bits, depend on the order).
    pub fn push(&mut self, r: &Replication) {
        self.day.push(|scope, m| r.value(scope, m));
        for (k, period) in self.intervals.iter_mut().enumerate() {
            period.push(|scope, m| r.interval_value(k, scope, m));
        }
        self.summary.replications += 1;
        self.summary.events += r.events;
    }

    /// The estimates of the replications pushed so far.
    pub fn finish(self) -> Summary {
        Summary {
            day: self.day.estimates(),
            intervals: self.intervals.iter().map(Folding::estimates).collect(),
            ..self.summary
        }
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
    /// `seed` into estimates, through a [`SummaryBuilder`].
    pub fn new(model: &Model, seed: u64, reps: &[Replication]) -> Summary {
        let mut b = SummaryBuilder::new(model, seed);
        reps.iter().for_each(|r| b.push(r));
        b.finish()
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

    /// The one-pass fold against the two-pass [`Estimate::from_values`]:
    /// the same mean bits, the same sd to rounding.
    #[test]
    fn running_matches_two_pass() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| {
                let i = f64::from(i);
                if i % 97.0 == 0.0 {
                    f64::NAN
                } else {
                    1e6 + (i * 0.618_033_988_7).fract() * 37.0 - i * 1e-3
                }
            })
            .collect();
        let mut run = Running::default();
        xs.iter().for_each(|&x| run.push(x));
        let (got, want) = (run.estimate(0.95), Estimate::from_values(xs));
        assert_eq!(got.mean.to_bits(), want.mean.to_bits());
        assert_eq!(got.n, want.n);
        assert!(
            ((got.sd - want.sd) / want.sd).abs() < 1e-12,
            "{got:?} {want:?}"
        );
        assert!(((got.half_width - want.half_width) / want.half_width).abs() < 1e-12);
        let mut zero = Running::default();
        zero.push(-0.0);
        assert_eq!(
            zero.estimate(0.95).mean.to_bits(),
            Estimate::from_values([-0.0]).mean.to_bits()
        );
    }

    #[test]
    fn constant_values_have_zero_width() {
        let e = Estimate::from_values([7.0; 5]);
        assert_eq!((e.mean, e.half_width), (7.0, 0.0));
    }
}
