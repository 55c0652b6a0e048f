//! Every figure the HTML reports show, looked up here and nowhere else:
//! which metrics the tables and charts show and under which headings, their
//! units, and the functions that read them out of a [`Summary`], a
//! [`Comparison`] or its replications. Everything else in the reports takes
//! the plain numbers, labels and [`Estimate`]s these functions return.

use super::charts::{SlSeries, Timed, TradeoffPoint};
use super::tables::{Column, DiffRow};
use crate::experiment::{Comparison, Difference};
use crate::model::Horizon;
use crate::results::{Estimate, Metric, Scope, Summary, Unit};

/// The run report's key figures, in table order: metric, heading and the
/// heading's second, dimmed line.
const RUN_COLUMNS: [(Metric, &str, Option<&str>); 7] = [
    (Metric::Offered, "Offered", Some("calls")),
    (Metric::ServiceLevel, "Service level", None),
    (Metric::AbandonRate, "Abandon rate", None),
    (Metric::Asa, "ASA", None),
    (Metric::WaitP90, "Wait p90", Some("answered")),
    (Metric::CallbacksRequested, "Callbacks", Some("requested")),
    (Metric::CallbackDelayMean, "Callback delay", Some("mean")),
];

/// The comparison's key metrics (all queues together) and their titles.
const KEY_METRICS: [(Metric, &str); 5] = [
    (Metric::ServiceLevel, "Service level"),
    (Metric::AbandonRate, "Abandon rate"),
    (Metric::Asa, "Average speed of answer"),
    (Metric::CallbacksRequested, "Callbacks requested"),
    (Metric::CallbackDelayMean, "Mean callback delay"),
];

/// The occupancy of the agent group named `group`.
fn occupancy_of(s: &Summary, group: &str) -> Option<Estimate> {
    let g = s.group_names.iter().position(|n| n == group)?;
    s.estimate(Scope::Group(g), Metric::Occupancy)
}

/// The run report's key-figure columns.
pub fn run_columns() -> Vec<Column> {
    RUN_COLUMNS
        .iter()
        .map(|&(metric, head, sub)| Column {
            head: head.to_string(),
            sub: sub.map(str::to_string),
            unit: metric.unit(),
        })
        .collect()
}

/// The run report's key figures of queue `q` or, with `None`, of all
/// queues together, in [`run_columns`] order.
pub fn run_key_figures(s: &Summary, queue: Option<usize>) -> Vec<Option<Estimate>> {
    let scope = queue.map_or(Scope::Total, Scope::Queue);
    RUN_COLUMNS
        .iter()
        .map(|&(metric, _, _)| s.estimate(scope, metric))
        .collect()
}

/// The occupancy of agent group `g` (by index).
pub fn occupancy(s: &Summary, g: usize) -> Option<Estimate> {
    s.estimate(Scope::Group(g), Metric::Occupancy)
}

/// One queue's per-interval figures, in interval order.
pub struct QueueIntervals {
    pub staffed: Vec<Timed<u32>>,
    pub offered: Vec<Timed<Estimate>>,
    pub service_level: Vec<Timed<Estimate>>,
    pub abandon_rate: Vec<Timed<Estimate>>,
    pub callbacks_offered: Vec<Timed<Estimate>>,
    pub callbacks_requested: Vec<Timed<Estimate>>,
}

/// `f` of every interval, placed on it.
fn timed<T>(h: &Horizon, f: impl Fn(usize) -> T) -> Vec<Timed<T>> {
    (0..h.intervals)
        .map(|k| Timed {
            start: h.interval_start(k),
            end: h.interval_end(k),
            value: f(k),
        })
        .collect()
}

/// Queue `q`'s estimate of `metric` in every interval.
fn per_interval(s: &Summary, h: &Horizon, q: usize, metric: Metric) -> Vec<Timed<Estimate>> {
    timed(h, |k| {
        s.interval(k, Scope::Queue(q), metric)
            .expect("charted metrics are reported per interval")
    })
}

/// The per-interval figures of queue `q` (by index).
pub fn queue_intervals(s: &Summary, h: &Horizon, q: usize) -> QueueIntervals {
    QueueIntervals {
        staffed: timed(h, |k| s.serving[q].iter().map(|&g| s.staffing(k, g)).sum()),
        offered: per_interval(s, h, q, Metric::Offered),
        service_level: per_interval(s, h, q, Metric::ServiceLevel),
        abandon_rate: per_interval(s, h, q, Metric::AbandonRate),
        callbacks_offered: per_interval(s, h, q, Metric::CallbacksOffered),
        callbacks_requested: per_interval(s, h, q, Metric::CallbacksRequested),
    }
}

/// The variant table's columns: the key metrics, then the occupancy of each
/// of `groups`.
pub fn variant_columns(groups: &[String]) -> Vec<Column> {
    let key = KEY_METRICS.iter().map(|&(metric, label)| Column {
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

/// A variant's figures in [`variant_columns`] order.
pub fn variant_figures(s: &Summary, groups: &[String]) -> Vec<Option<Estimate>> {
    let key = KEY_METRICS
        .iter()
        .map(|&(metric, _)| s.estimate(Scope::Total, metric));
    let occ = groups.iter().map(|g| occupancy_of(s, g));
    key.chain(occ).collect()
}

/// One metric across the variants: a chart title, its unit and each
/// variant's name and estimate.
pub struct ByVariant {
    pub title: String,
    pub unit: Unit,
    pub rows: Vec<(String, Option<Estimate>)>,
}

/// The key metrics (all queues together) across the variants.
pub fn key_metrics_by_variant(c: &Comparison) -> Vec<ByVariant> {
    KEY_METRICS
        .iter()
        .map(|&(metric, label)| ByVariant {
            title: label.to_string(),
            unit: metric.unit(),
            rows: c
                .variants
                .iter()
                .map(|v| (v.name.clone(), v.summary.estimate(Scope::Total, metric)))
                .collect(),
        })
        .collect()
}

/// The occupancy of `group` across the variants.
pub fn occupancy_by_variant(c: &Comparison, group: &str) -> ByVariant {
    ByVariant {
        title: format!("Occupancy of “{group}”"),
        unit: Metric::Occupancy.unit(),
        rows: c
            .variants
            .iter()
            .map(|v| (v.name.clone(), occupancy_of(&v.summary, group)))
            .collect(),
    }
}

/// Each variant's mean callback delay and abandon rate (all queues), and
/// the names of variants where either is undefined.
pub fn tradeoff_points(c: &Comparison) -> (Vec<TradeoffPoint>, Vec<String>) {
    let mut pts = Vec::new();
    let mut missing = Vec::new();
    for (i, v) in c.variants.iter().enumerate() {
        let d = v.summary.estimate(Scope::Total, Metric::CallbackDelayMean);
        let a = v.summary.estimate(Scope::Total, Metric::AbandonRate);
        match (d, a) {
            (Some(delay), Some(abandon)) if delay.mean.is_finite() && abandon.mean.is_finite() => {
                pts.push(TradeoffPoint {
                    index: i,
                    name: v.name.clone(),
                    delay,
                    abandon,
                });
            }
            _ => missing.push(v.name.clone()),
        }
    }
    (pts, missing)
}

/// The service level per interval of the first variant's first queue in
/// every variant that has that queue, each on its own horizon.
pub fn interval_service_levels(c: &Comparison) -> Vec<SlSeries> {
    let Some(qname) = c
        .variants
        .first()
        .and_then(|b| b.summary.queue_names.first())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, v) in c.variants.iter().enumerate() {
        let s = &v.summary;
        let Some(q) = s.queue_names.iter().position(|n| n == qname) else {
            continue;
        };
        out.push(SlSeries {
            index: i,
            label: v.name.clone(),
            points: per_interval(s, v.model.horizon(), q, Metric::ServiceLevel),
        });
    }
    out
}

/// Per interval, the service level of each variant minus the first's, first
/// queue; paired over replications when the comparison is. Variants on
/// another interval grid, or without the queue, are left out.
pub fn interval_service_level_differences(c: &Comparison) -> Vec<SlSeries> {
    let Some(base) = c.variants.first() else {
        return Vec::new();
    };
    let Some(qname) = base.summary.queue_names.first() else {
        return Vec::new();
    };
    let h0 = base.model.horizon();
    let sl = Metric::ServiceLevel;
    let mut series = Vec::new();
    for (i, v) in c.variants.iter().enumerate().skip(1) {
        let h = v.model.horizon();
        let Some(q) = v.summary.queue_names.iter().position(|n| n == qname) else {
            continue;
        };
        if h.intervals != h0.intervals || (h.interval - h0.interval).abs() > 1e-9 {
            continue;
        }
        let points = (0..h0.intervals)
            .map(|k| {
                let value = if c.paired {
                    Estimate::from_values(base.replications.iter().zip(&v.replications).map(
                        |(a, b)| {
                            let at = |r: &crate::results::Replication, q| {
                                r.interval_value(k, Scope::Queue(q), sl).unwrap_or(f64::NAN)
                            };
                            at(b, q) - at(a, 0)
                        },
                    ))
                } else {
                    let a = base.summary.interval(k, Scope::Queue(0), sl);
                    let b = v.summary.interval(k, Scope::Queue(q), sl);
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
        series.push(SlSeries {
            index: i,
            label: format!("{} − {}", v.name, base.name),
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
fn difference_row(c: &Comparison, d: &Difference) -> DiffRow {
    DiffRow {
        metric: d.metric.name().to_string(),
        scope: scope_label(c, d.scope),
        variant: c.variants[d.variant].name.clone(),
        color: Some(d.variant),
        base: c.estimate(0, d.scope, d.metric),
        this: c.estimate(d.variant, d.scope, d.metric),
        difference: d.estimate,
        significant: d.significant(),
        unit: d.metric.unit(),
    }
}

/// The differences as table rows: first the key metrics (all queues) and
/// occupancy, in key-metric order, then every difference.
pub fn difference_rows(c: &Comparison) -> (Vec<DiffRow>, Vec<DiffRow>) {
    let key = |d: &Difference| match d.scope {
        Scope::Total => KEY_METRICS.iter().position(|&(m, _)| m == d.metric),
        Scope::Group(_) => Some(KEY_METRICS.len()),
        Scope::Queue(_) => None,
    };
    let mut keyed: Vec<(usize, &Difference)> = c
        .differences
        .iter()
        .filter_map(|d| key(d).map(|k| (k, d)))
        .collect();
    keyed.sort_by_key(|(k, _)| *k); // stable: variants stay in order
    let keyed = keyed
        .into_iter()
        .map(|(_, d)| difference_row(c, d))
        .collect();
    let all = c.differences.iter().map(|d| difference_row(c, d)).collect();
    (keyed, all)
}
