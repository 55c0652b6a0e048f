//! The comparison report's figures: the key metrics of the chosen scope
//! (one queue, or all queues together) and each agent group's occupancy by
//! variant, the trade-off points, lines by interval per variant and their
//! differences to the first, and the differences as table rows. Variants
//! are matched to the first one's queues and groups by name.

use super::per_interval;
use crate::experiment::{Comparison, Difference};
use crate::report::html::charts::{DotRow, Series, Timed, TradeoffPoint};
use crate::report::html::tables::{Column, DiffRow, VariantRow};
use crate::results::{Estimate, Metric, Replication, Scope, Summary, Unit};

/// The comparison's key metrics, their titles and their axis titles
/// (short enough to run along a small chart's side).
const KEY_METRICS: [(Metric, &str, &str); 5] = [
    (Metric::ServiceLevel, "Service level", "service level (%)"),
    (Metric::AbandonRate, "Abandon rate", "abandon rate (%)"),
    (Metric::Asa, "Average speed of answer", "ASA (s)"),
    (
        Metric::CallbacksRequested,
        "Callbacks requested",
        "callbacks requested",
    ),
    (
        Metric::CallbackDelayMean,
        "Mean callback delay",
        "callback delay (s)",
    ),
];

/// The occupancy of the agent group named `group`.
fn occupancy_of(s: &Summary, group: &str) -> Option<Estimate> {
    let g = s.group_names.iter().position(|n| n == group)?;
    s.estimate(Scope::Group(g), Metric::Occupancy)
}

/// The variant table's columns: the key metrics, then the occupancy of each
/// of `groups`.
pub fn variant_columns(groups: &[String]) -> Vec<Column> {
    let key = KEY_METRICS.iter().map(|&(metric, label, _)| Column {
        head: label.to_string(),
        sub: None,
        unit: metric.unit(),
    });
    let occ = groups.iter().map(|g| Column {
        head: "Occupancy".to_string(),
        sub: Some(g.clone()),
        unit: Metric::Occupancy.unit(),
    });
    key.chain(occ).collect()
}

/// Variant `v`'s figures for the base's `scope`, in [`variant_columns`]
/// order.
pub fn variant_figures(
    c: &Comparison,
    v: usize,
    scope: Scope,
    groups: &[String],
) -> Vec<Option<Estimate>> {
    let key = KEY_METRICS
        .iter()
        .map(|&(metric, _, _)| c.estimate(v, scope, metric));
    let occ = groups
        .iter()
        .map(|g| occupancy_of(&c.variants[v].summary, g));
    key.chain(occ).collect()
}

/// One figure across the variants: its title, axis title, unit and a row
/// per variant.
pub struct ByVariant {
    pub title: String,
    pub axis: String,
    pub unit: Unit,
    pub rows: Vec<DotRow>,
}

/// The key metrics of the base's `scope` across the variants, coloured by
/// `pal`.
pub fn key_metrics_by_variant(c: &Comparison, scope: Scope, pal: &[String]) -> Vec<ByVariant> {
    KEY_METRICS
        .iter()
        .map(|&(metric, label, axis)| ByVariant {
            title: label.to_string(),
            axis: axis.to_string(),
            unit: metric.unit(),
            rows: (0..c.variants.len())
                .map(|v| DotRow {
                    label: c.variants[v].name.clone(),
                    color: pal[v].clone(),
                    value: c.estimate(v, scope, metric),
                })
                .collect(),
        })
        .collect()
}

/// The occupancy of `group` across the variants.
pub fn occupancy_by_variant(c: &Comparison, group: &str, pal: &[String]) -> ByVariant {
    ByVariant {
        title: format!("Occupancy of “{group}”"),
        axis: "occupancy (%)".to_string(),
        unit: Metric::Occupancy.unit(),
        rows: c
            .variants
            .iter()
            .zip(pal)
            .map(|(v, col)| DotRow {
                label: v.name.clone(),
                color: col.clone(),
                value: occupancy_of(&v.summary, group),
            })
            .collect(),
    }
}

/// Each variant's mean callback delay and abandon rate for the base's
/// `scope`, numbered from 1, and the names of variants where either is
/// undefined.
pub fn tradeoff_points(
    c: &Comparison,
    scope: Scope,
    pal: &[String],
) -> (Vec<TradeoffPoint>, Vec<String>) {
    let mut pts = Vec::new();
    let mut missing = Vec::new();
    for (v, variant) in c.variants.iter().enumerate() {
        let d = c.estimate(v, scope, Metric::CallbackDelayMean);
        let a = c.estimate(v, scope, Metric::AbandonRate);
        match (d, a) {
            (Some(delay), Some(abandon)) if delay.mean.is_finite() && abandon.mean.is_finite() => {
                pts.push(TradeoffPoint {
                    number: v + 1,
                    color: pal[v].clone(),
                    delay,
                    abandon,
                });
            }
            _ => missing.push(variant.name.clone()),
        }
    }
    (pts, missing)
}

/// Whether queue `q` of the base offers callbacks in any variant.
pub fn offers_callbacks(c: &Comparison, q: usize) -> bool {
    (0..c.variants.len()).any(|v| match c.scope_in(v, Scope::Queue(q)) {
        Some(Scope::Queue(qv)) => c.variants[v].model.queues()[qv].callback.is_some(),
        _ => false,
    })
}

/// `metric` of the base's `scope` per interval, a line per variant that has
/// the scope, each on its own horizon.
pub fn variant_series(c: &Comparison, scope: Scope, metric: Metric, pal: &[String]) -> Vec<Series> {
    (0..c.variants.len())
        .filter_map(|v| {
            let sv = c.scope_in(v, scope)?;
            let variant = &c.variants[v];
            Some(Series {
                label: variant.name.clone(),
                color: pal[v].clone(),
                points: per_interval(&variant.summary, variant.model.horizon(), sv, metric),
            })
        })
        .collect()
}

/// Per interval, `metric` of the base's `scope` in each variant minus the
/// base's; paired over replications when the comparison is. Variants on
/// another interval grid, or without the scope, are left out.
pub fn interval_differences(
    c: &Comparison,
    scope: Scope,
    metric: Metric,
    pal: &[String],
) -> Vec<Series> {
    let Some(base) = c.variants.first() else {
        return Vec::new();
    };
    let h0 = base.model.horizon();
    let mut series = Vec::new();
    for (v, variant) in c.variants.iter().enumerate().skip(1) {
        let h = variant.model.horizon();
        let Some(sv) = c.scope_in(v, scope) else {
            continue;
        };
        if h.intervals != h0.intervals || (h.interval - h0.interval).abs() > 1e-9 {
            continue;
        }
        let at = |r: &Replication, k, s| r.interval_value(k, s, metric).unwrap_or(f64::NAN);
        let points = (0..h0.intervals)
            .map(|k| {
                let value = if c.paired {
                    Estimate::from_values(
                        base.replications
                            .iter()
                            .zip(&variant.replications)
                            .map(|(a, b)| at(b, k, sv) - at(a, k, scope)),
                    )
                } else {
                    let a = base.summary.interval(k, scope, metric);
                    let b = variant.summary.interval(k, sv, metric);
                    match (a, b) {
                        (Some(a), Some(b)) => Estimate {
                            mean: b.mean - a.mean,
                            half_width: a.half_width.hypot(b.half_width),
                            sd: f64::NAN,
                            n: a.n.min(b.n),
                        },
                        _ => Estimate::from_values([]),
                    }
                };
                Timed {
                    start: h0.interval_start(k),
                    end: h0.interval_end(k),
                    value,
                }
            })
            .collect();
        series.push(Series {
            label: variant.name.clone(),
            color: pal[v].clone(),
            points,
        });
    }
    series
}

/// How a difference's scope reads in the table.
fn scope_label(c: &Comparison, s: Scope) -> String {
    let name = c.scope_name(s);
    match s {
        Scope::Total => "all queues".to_string(),
        Scope::Queue(_) => format!("queue {name}"),
        Scope::Group(_) => format!("group {name}"),
    }
}

/// A difference as a table row, with the base's and the variant's means.
fn difference_row(c: &Comparison, d: &Difference, pal: &[String]) -> DiffRow {
    DiffRow {
        metric: d.metric.name().to_string(),
        scope: scope_label(c, d.scope),
        variant: c.variants[d.variant].name.clone(),
        color: pal.get(d.variant).cloned(),
        base: c.estimate(0, d.scope, d.metric),
        this: c.estimate(d.variant, d.scope, d.metric),
        difference: d.estimate,
        significant: d.significant(),
        unit: d.metric.unit(),
    }
}

/// Every difference as a table row.
pub fn difference_rows(c: &Comparison, pal: &[String]) -> Vec<DiffRow> {
    c.differences
        .iter()
        .map(|d| difference_row(c, d, pal))
        .collect()
}

/// The key differences to the first variant: for each other variant, the
/// difference of each key metric of `scope` and of the occupancy of each
/// of `groups`, in [`variant_columns`] order.
pub fn difference_matrix(
    c: &Comparison,
    scope: Scope,
    groups: &[String],
    pal: &[String],
) -> Vec<VariantRow<Option<(Estimate, bool)>>> {
    let base = &c.base().summary;
    let cell = |v, scope, metric| {
        c.difference(v, scope, metric)
            .map(|d| (d.estimate, d.significant()))
    };
    (1..c.variants.len())
        .map(|v| {
            let key = KEY_METRICS.iter().map(|&(m, _, _)| cell(v, scope, m));
            let occ = groups.iter().map(|g| {
                let g = base.group_names.iter().position(|n| n == g)?;
                cell(v, Scope::Group(g), Metric::Occupancy)
            });
            VariantRow {
                number: v + 1,
                color: pal[v].clone(),
                names: vec![c.variants[v].name.clone()],
                figures: key.chain(occ).collect(),
            }
        })
        .collect()
}
