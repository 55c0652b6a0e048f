//! Experiments: variants of a model run side by side on common random
//! numbers, and their paired differences.
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
//!
//! [`variants`] builds the variants a command line asks for: named sets
//! of changes, or every point of a grid of values.

pub mod variants;

use crate::engine::{Overloaded, run_replications};
use crate::model::Model;
use crate::plan::RunPlan;
use crate::results::summary::t_quantile;
use crate::results::{Estimate, Metric, Replication, Scope, Summary};

/// One variant: its model, its replications and their summary.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub model: Model,
    pub replications: Vec<Replication>,
    pub summary: Summary,
}

/// The difference of one metric between a variant and the base.
#[derive(Clone, Debug)]
pub struct Difference {
    /// Index of the variant (never 0, the base).
    pub variant: usize,
    /// The scope, as the base names it.
    pub scope: Scope,
    pub metric: Metric,
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

impl Comparison {
    /// The base variant.
    pub fn base(&self) -> &Variant {
        &self.variants[0]
    }

    /// Every (scope, metric) of the base, queues first, then the total,
    /// then the agent groups.
    pub fn figures(&self) -> Vec<(Scope, Metric)> {
        figures(&self.base().summary)
    }

    /// Variant `v`'s own scope for the base's `scope` (matched by name),
    /// if it has one.
    pub fn scope_in(&self, v: usize, scope: Scope) -> Option<Scope> {
        same_scope(&self.base().summary, &self.variants[v].summary, scope)
    }

    /// The base's scope for variant `v`'s own `scope` (matched by name).
    pub fn base_scope(&self, v: usize, scope: Scope) -> Option<Scope> {
        same_scope(&self.variants[v].summary, &self.base().summary, scope)
    }

    /// The estimate of `metric` for the base's `scope` in variant `v`.
    pub fn estimate(&self, v: usize, scope: Scope, metric: Metric) -> Option<Estimate> {
        let scope = self.scope_in(v, scope)?;
        self.variants[v].summary.estimate(scope, metric)
    }

    /// The difference of `metric` for the base's `scope` between variant
    /// `v` and the base.
    pub fn difference(&self, v: usize, scope: Scope, metric: Metric) -> Option<&Difference> {
        self.differences
            .iter()
            .find(|d| d.variant == v && d.scope == scope && d.metric == metric)
    }

    /// The name of the base's `scope` in files and JSON.
    pub fn scope_name(&self, scope: Scope) -> &str {
        self.base().summary.scope_name(scope)
    }
}

/// Every (scope, metric) of a run, in file order.
pub fn figures(s: &Summary) -> Vec<(Scope, Metric)> {
    s.scopes()
        .flat_map(|scope| scope.metrics().iter().map(move |&m| (scope, m)))
        .collect()
}

/// `scope` of run `from` in run `to`: the queue or group of the same name.
fn same_scope(from: &Summary, to: &Summary, scope: Scope) -> Option<Scope> {
    let name = from.scope_name(scope);
    let find = |names: &[String]| names.iter().position(|m| m == name);
    match scope {
        Scope::Total => Some(Scope::Total),
        Scope::Queue(_) => find(&to.queue_names).map(Scope::Queue),
        Scope::Group(_) => find(&to.group_names).map(Scope::Group),
    }
}

/// The variant names and the plan all of them run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VariantError {
    #[error(
        "two variants are named {0:?}: give each a distinct name (rename a file, or use --variant)"
    )]
    SameName(String),
    #[error(
        "variant {variant:?} runs {runs} replications but {base:?} runs {base_runs}: variants are \
         paired replication by replication, so set one count for all with -r"
    )]
    Replications {
        variant: String,
        runs: u32,
        base: String,
        base_runs: u32,
    },
}

/// Checks that variants (each with the plan of its own file) have distinct
/// names and run the same replications, or they could not be paired
/// replication by replication; returns the plan they share, the first's.
pub fn common_plan(variants: &[(String, RunPlan)]) -> Result<RunPlan, VariantError> {
    let (first, base) = &variants[0];
    for (i, (n, plan)) in variants.iter().enumerate() {
        if variants[..i].iter().any(|(m, _)| m == n) {
            return Err(VariantError::SameName(n.clone()));
        }
        if plan.replications != base.replications {
            return Err(VariantError::Replications {
                variant: n.clone(),
                runs: plan.replications,
                base: first.clone(),
                base_runs: base.replications,
            });
        }
    }
    Ok(base.clone())
}

/// Runs every variant of `plan` (in the current rayon pool) and takes
/// differences to the first. Variants share the plan's seed unless
/// `independent`, in which case variant `i` uses seed `seed + i · 1 000 003`.
pub fn compare(
    variants: Vec<(String, Model)>,
    plan: &RunPlan,
    independent: bool,
    done: &(dyn Fn() + Sync),
) -> Result<Comparison, CompareError> {
    let variants: Vec<Variant> = variants
        .into_iter()
        .enumerate()
        .map(|(i, (name, model))| {
            let seed = if independent {
                plan.seed.wrapping_add(i as u64 * 1_000_003)
            } else {
                plan.seed
            };
            let plan = plan.with_seed(seed);
            let replications = run_replications(&model, &plan, done).map_err(|cause| {
                CompareError::Overloaded {
                    variant: name.clone(),
                    cause,
                }
            })?;
            let summary = Summary::new(&model, plan.seed, &replications);
            Ok(Variant {
                name,
                model,
                replications,
                summary,
            })
        })
        .collect::<Result<_, _>>()?;
    let differences = differences(&variants, !independent);
    Ok(Comparison {
        variants,
        differences,
        paired: !independent,
    })
}

/// Why a comparison has no figures.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("variant {variant:?}: {cause}")]
    Overloaded { variant: String, cause: Overloaded },
}

/// Differences of every variant after the first to the first, over the
/// scopes both have.
pub fn differences(variants: &[Variant], paired: bool) -> Vec<Difference> {
    let Some(base) = variants.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (v, variant) in variants.iter().enumerate().skip(1) {
        for (scope, metric) in figures(&base.summary) {
            let Some(theirs) = same_scope(&base.summary, &variant.summary, scope) else {
                continue; // the variant has no such scope
            };
            let a: Vec<Option<f64>> = base
                .replications
                .iter()
                .map(|r| r.value(scope, metric))
                .collect();
            let b: Vec<Option<f64>> = variant
                .replications
                .iter()
                .map(|r| r.value(theirs, metric))
                .collect();
            let estimate = if paired {
                Estimate::from_values(a.iter().zip(&b).map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => y - x,
                    _ => f64::NAN,
                }))
            } else {
                welch(&a, &b)
            };
            out.push(Difference {
                variant: v,
                scope,
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
