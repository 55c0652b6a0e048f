//! Estimates across replications: mean and 95% Student-t half-width.
//!
//! Values are combined in replication-index order, so the same replications
//! give bit-identical figures however they were scheduled.

use super::{IntervalTally, METRICS, N_METRICS};
use crate::engine::Replication;
use crate::scenario::Scenario;
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

/// One queue's figures for calls arriving in one interval.
#[derive(Clone, Debug)]
pub struct IntervalEstimate {
    pub interval: usize,
    pub queue: usize,
    /// Agents staffed for the queue (every group with the skill, in full).
    pub staffed: u32,
    pub offered: Estimate,
    pub answered: Estimate,
    pub abandoned: Estimate,
    pub callbacks_offered: Estimate,
    pub callbacks_requested: Estimate,
    pub abandon_rate: Estimate,
    pub service_level: Estimate,
    pub asa: Estimate,
}

/// Every figure of a run: per queue, total and per agent group, plus per
/// interval and queue.
#[derive(Clone, Debug)]
pub struct Summary {
    pub scenario: String,
    pub replications: usize,
    pub seed: u64,
    pub queue_names: Vec<String>,
    pub group_names: Vec<String>,
    /// `[queue][metric]`, metrics in [`METRICS`] order.
    pub queues: Vec<[Estimate; N_METRICS]>,
    pub total: [Estimate; N_METRICS],
    /// Occupancy per agent group.
    pub occupancy: Vec<Estimate>,
    /// Interval-major: `intervals[k * queues + q]`.
    pub intervals: Vec<IntervalEstimate>,
    /// Events processed, summed over replications.
    pub events: u64,
}

impl Summary {
    /// Combines replications (sorted by index) into estimates.
    pub fn new(sc: &Scenario, reps: &[Replication]) -> Summary {
        let scope = |f: &dyn Fn(&Replication) -> &[f64; N_METRICS]| -> [Estimate; N_METRICS] {
            std::array::from_fn(|m| Estimate::from_values(reps.iter().map(|r| f(r)[m])))
        };
        let nq = sc.queues.len();
        let queues = (0..nq).map(|q| scope(&|r| &r.queues[q])).collect();
        let total = scope(&|r| &r.total);
        let occupancy = (0..sc.groups.len())
            .map(|g| Estimate::from_values(reps.iter().map(|r| r.occupancy[g])))
            .collect();
        let mut intervals = Vec::with_capacity(sc.horizon.intervals * nq);
        for k in 0..sc.horizon.intervals {
            for q in 0..nq {
                let cell = |r: &Replication| r.intervals[k * nq + q];
                let est = |f: &dyn Fn(&IntervalTally) -> f64| {
                    Estimate::from_values(reps.iter().map(|r| f(&cell(r))))
                };
                let ratio = |a: f64, b: u32| if b == 0 { f64::NAN } else { a / f64::from(b) };
                intervals.push(IntervalEstimate {
                    interval: k,
                    queue: q,
                    staffed: sc.staffed_for_queue(q, k),
                    offered: est(&|t| f64::from(t.offered)),
                    answered: est(&|t| f64::from(t.answered)),
                    abandoned: est(&|t| f64::from(t.abandoned)),
                    callbacks_offered: est(&|t| f64::from(t.callbacks_offered)),
                    callbacks_requested: est(&|t| f64::from(t.callbacks_requested)),
                    abandon_rate: est(&|t| ratio(f64::from(t.abandoned), t.offered)),
                    service_level: est(&|t| {
                        ratio(f64::from(t.answered_within_sl), t.answered + t.abandoned)
                    }),
                    asa: est(&|t| ratio(t.wait_answered_sum, t.answered)),
                });
            }
        }
        Summary {
            scenario: sc.name.clone(),
            replications: reps.len(),
            seed: sc.seed,
            queue_names: sc.queues.iter().map(|q| q.name.clone()).collect(),
            group_names: sc.groups.iter().map(|g| g.name.clone()).collect(),
            queues,
            total,
            occupancy,
            intervals,
            events: reps.iter().map(|r| r.events).sum(),
        }
    }

    /// The estimate of `metric` for `scope` (a queue name or `total`).
    pub fn get(&self, scope: &str, metric: &str) -> Option<Estimate> {
        let m = METRICS.iter().position(|d| d.name == metric)?;
        if scope == "total" {
            return Some(self.total[m]);
        }
        let q = self.queue_names.iter().position(|n| n == scope)?;
        Some(self.queues[q][m])
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
