//! Side-by-side runs of scenario variants on common random numbers, and
//! their paired differences.
//!
//! Every variant runs replications `0..R` with the same seed, so
//! replication `r` of every variant draws the same arrivals, patience,
//! handle times and callback outcomes wherever the variants agree (see
//! [`crate::rng`]). The difference of a metric between a variant and the
//! base is then estimated from the per-replication differences (a paired
//! t interval), which cancels the noise the variants share. With
//! `independent`, each variant gets its own seed instead, and differences
//! use Welch's unpaired interval: the same question, answered the
//! expensive way, to show what common random numbers save.

use crate::Scenario;
use crate::engine::{Replication, run_replications};
use crate::stats::summary::t_quantile;
use crate::stats::{Estimate, METRICS, Summary, metric_index};

/// One variant: its scenario, its replications and their summary.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub scenario: Scenario,
    pub replications: Vec<Replication>,
    pub summary: Summary,
}

/// A scope: a queue name, `total`, or an agent group name (occupancy only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Queue(String),
    Total,
    Group(String),
}

impl Scope {
    /// The name used in files and JSON.
    pub fn name(&self) -> &str {
        match self {
            Scope::Queue(n) | Scope::Group(n) => n,
            Scope::Total => "total",
        }
    }
}

/// The difference of one metric between a variant and the base.
#[derive(Clone, Debug)]
pub struct Difference {
    pub variant: String,
    pub scope: Scope,
    pub metric: &'static str,
    /// Mean difference (variant − base) and its 95% half-width.
    pub estimate: Estimate,
}

impl Difference {
    /// Whether the 95% interval of the difference excludes 0.
    pub fn significant(&self) -> bool {
        self.estimate.half_width.is_finite() && self.estimate.mean.abs() > self.estimate.half_width
    }
}

/// Variants run side by side and their differences to the first.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub variants: Vec<Variant>,
    pub differences: Vec<Difference>,
    /// `false` when the variants ran on independent seeds.
    pub paired: bool,
}

/// The value of `metric` in `scope` for one replication of `sc`, if the
/// scenario has the scope.
pub fn value(sc: &Scenario, rep: &Replication, scope: &Scope, metric: &str) -> Option<f64> {
    match scope {
        Scope::Total => Some(rep.total[metric_index(metric)?]),
        Scope::Queue(name) => {
            let q = sc.queues.iter().position(|q| &q.name == name)?;
            Some(rep.queues[q][metric_index(metric)?])
        }
        Scope::Group(name) if metric == "occupancy" => {
            let g = sc.groups.iter().position(|g| &g.name == name)?;
            Some(rep.occupancy[g])
        }
        Scope::Group(_) => None,
    }
}

/// Every (scope, metric) pair of a scenario, queues first, then total, then
/// agent groups.
pub fn scopes(sc: &Scenario) -> Vec<(Scope, &'static str)> {
    let mut out = Vec::new();
    for q in &sc.queues {
        out.extend(
            METRICS
                .iter()
                .map(|m| (Scope::Queue(q.name.clone()), m.name)),
        );
    }
    out.extend(METRICS.iter().map(|m| (Scope::Total, m.name)));
    out.extend(
        sc.groups
            .iter()
            .map(|g| (Scope::Group(g.name.clone()), "occupancy")),
    );
    out
}

/// Runs every variant (in the current rayon pool) and takes differences to
/// the first. Variants share the first one's seed unless `independent`,
/// in which case variant `i` uses seed `seed + i · 1 000 003`.
pub fn compare(
    variants: Vec<(String, Scenario)>,
    independent: bool,
    done: &(dyn Fn() + Sync),
) -> Comparison {
    let base_seed = variants.first().map_or(1, |(_, sc)| sc.seed);
    let variants: Vec<Variant> = variants
        .into_iter()
        .enumerate()
        .map(|(i, (name, mut scenario))| {
            scenario.seed = if independent {
                base_seed.wrapping_add(i as u64 * 1_000_003)
            } else {
                base_seed
            };
            let replications = run_replications(&scenario, done);
            let summary = Summary::new(&scenario, &replications);
            Variant {
                name,
                scenario,
                replications,
                summary,
            }
        })
        .collect();
    let differences = differences(&variants, !independent);
    Comparison {
        variants,
        differences,
        paired: !independent,
    }
}

/// Differences of every variant after the first to the first, over the
/// scopes both have.
pub fn differences(variants: &[Variant], paired: bool) -> Vec<Difference> {
    let Some(base) = variants.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in &variants[1..] {
        for (scope, metric) in scopes(&base.scenario) {
            let a: Vec<Option<f64>> = base
                .replications
                .iter()
                .map(|r| value(&base.scenario, r, &scope, metric))
                .collect();
            let b: Vec<Option<f64>> = v
                .replications
                .iter()
                .map(|r| value(&v.scenario, r, &scope, metric))
                .collect();
            if b.iter().all(Option::is_none) {
                continue; // the variant has no such scope
            }
            let estimate = if paired {
                Estimate::from_values(a.iter().zip(&b).map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => y - x,
                    _ => f64::NAN,
                }))
            } else {
                welch(&a, &b)
            };
            out.push(Difference {
                variant: v.name.clone(),
                scope: scope.clone(),
                metric,
                estimate,
            });
        }
    }
    out
}

/// Welch's interval for the difference of two independent means.
fn welch(a: &[Option<f64>], b: &[Option<f64>]) -> Estimate {
    let ea = Estimate::from_values(a.iter().map(|x| x.unwrap_or(f64::NAN)));
    let eb = Estimate::from_values(b.iter().map(|x| x.unwrap_or(f64::NAN)));
    let (na, nb) = (ea.n as f64, eb.n as f64);
    let (va, vb) = (ea.sd * ea.sd / na, eb.sd * eb.sd / nb);
    let se = (va + vb).sqrt();
    let half_width = if se == 0.0 {
        0.0
    } else {
        let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
        t_quantile(0.975, df.floor().max(1.0) as usize) * se
    };
    Estimate {
        mean: eb.mean - ea.mean,
        half_width,
        sd: f64::NAN,
        n: ea.n.min(eb.n),
    }
}
