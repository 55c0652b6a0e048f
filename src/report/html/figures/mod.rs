//! Every figure the HTML reports show, looked up here and nowhere else:
//! which metrics the tables and charts show and under which headings, their
//! units, and the functions that read them out of a [`Summary`], a
//! [`Comparison`](crate::experiment::Comparison) or its replications. This
//! file holds the run report's; `compare.rs` the comparison's and
//! `sweep.rs` a sweep's. Everything else in the reports takes the plain
//! numbers, labels and [`Estimate`]s these functions return.

mod compare;
mod sweep;

pub use compare::{
    difference_matrix, difference_rows, interval_differences, key_metrics_by_variant,
    occupancy_by_variant, offers_callbacks, tradeoff_points, variant_columns, variant_figures,
    variant_series,
};
pub use sweep::{SweepAxis, sweep_axis, sweep_lines};

use super::charts::{Series, Timed};
use super::svg::{color, colors};
use super::tables::{Column, GroupCell, IntervalRow};
use crate::model::Horizon;
use crate::results::{Estimate, Metric, Scope, Summary};

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

/// A queue's figures per interval as its table shows them; callbacks only
/// for a queue that offers them, the end states and redials of SPEC §11
/// (timed out, blocked, redials) only when there are any (balked callers
/// are in the abandon rate; the table must fit a laptop's width).
const INTERVAL_COLUMNS: [(Metric, &str, Option<&str>); 10] = [
    (Metric::Offered, "Offered", Some("calls")),
    (Metric::Answered, "Answered", Some("calls")),
    (Metric::ServiceLevel, "Service level", None),
    (Metric::AbandonRate, "Abandon rate", None),
    (Metric::Asa, "ASA", None),
    (Metric::WaitP90, "Wait p90", Some("answered")),
    (Metric::CallbacksRequested, "Callbacks", Some("requested")),
    (Metric::TimedOut, "Timed out", Some("calls")),
    (Metric::Blocked, "Blocked", Some("busy signal")),
    (Metric::Redials, "Redials", Some("calls")),
];

/// Callback work by the interval it is connected in, one kind per metric,
/// in stacking order: its legend label and palette colour (the same kind
/// keeps its colour whichever others a queue has).
const HANDLED: [(Metric, &str, usize); 3] = [
    (Metric::CallbacksHandled, "callbacks as soon as possible", 9),
    (Metric::ScheduledHandled, "scheduled callbacks", 4),
    (Metric::FollowUpsHandled, "follow-ups", 1),
];

fn columns(spec: &[(Metric, &str, Option<&str>)]) -> Vec<Column> {
    spec.iter()
        .map(|&(metric, head, sub)| Column {
            head: head.to_string(),
            sub: sub.map(str::to_string),
            unit: metric.unit(),
        })
        .collect()
}

/// The run report's key-figure columns.
pub fn run_columns() -> Vec<Column> {
    columns(&RUN_COLUMNS)
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

/// `scope`'s estimate of `metric` in every interval (undefined where it has
/// none).
fn per_interval(s: &Summary, h: &Horizon, scope: Scope, metric: Metric) -> Vec<Timed<Estimate>> {
    timed(h, |k| {
        s.interval(k, scope, metric)
            .unwrap_or_else(|| Estimate::from_values([]))
    })
}

/// Interval `k` in clock time, `08:00–08:30`.
pub fn interval_label(h: &Horizon, k: usize) -> String {
    format!("{}–{}", h.interval_clock(k), h.clock(h.interval_end(k)))
}

/// One queue's per-interval figures, in interval order.
pub struct QueueIntervals {
    /// Agents on shift in each group serving the queue: its name, colour
    /// and staffing.
    pub staffed: Vec<(String, String, Vec<Timed<u32>>)>,
    pub offered: Vec<Timed<Estimate>>,
    pub service_level: Vec<Timed<Estimate>>,
    pub abandon_rate: Vec<Timed<Estimate>>,
    pub callbacks_offered: Vec<Timed<Estimate>>,
    pub callbacks_requested: Vec<Timed<Estimate>>,
}

/// The colour of each agent group in the run report (the first colour is
/// the offered calls').
pub fn group_colors(s: &Summary) -> Vec<String> {
    colors(s.group_names.len() + 1).split_off(1)
}

/// The per-interval figures of queue `q` (by index).
pub fn queue_intervals(s: &Summary, h: &Horizon, q: usize) -> QueueIntervals {
    let at = |m| per_interval(s, h, Scope::Queue(q), m);
    let pal = group_colors(s);
    QueueIntervals {
        staffed: s.serving[q]
            .iter()
            .map(|&g| {
                let cells = timed(h, |k| s.staffing(k, g));
                (s.group_names[g].clone(), pal[g].clone(), cells)
            })
            .collect(),
        offered: at(Metric::Offered),
        service_level: at(Metric::ServiceLevel),
        abandon_rate: at(Metric::AbandonRate),
        callbacks_offered: at(Metric::CallbacksOffered),
        callbacks_requested: at(Metric::CallbacksRequested),
    }
}

/// One kind of callback work: its label and the mean connected in each
/// interval.
pub struct HandledKind {
    pub label: &'static str,
    pub color: &'static str,
    pub per_interval: Vec<Timed<Estimate>>,
}

/// Queue `q`'s callback work by the interval it is connected in, by kind
/// (as soon as possible, scheduled, follow-up): the kinds `possible` says
/// the scenario has (in that order), and any other that happened.
pub fn handled_work(s: &Summary, h: &Horizon, q: usize, possible: [bool; 3]) -> Vec<HandledKind> {
    let scope = Scope::Queue(q);
    HANDLED
        .iter()
        .zip(possible)
        .filter(|&(&(m, _, _), possible)| {
            possible || s.estimate(scope, m).is_some_and(|e| e.mean > 0.0)
        })
        .map(|(&(m, label, c), _)| HandledKind {
            label,
            color: color(c),
            per_interval: per_interval(s, h, scope, m),
        })
        .collect()
}

/// Whether queue `q` had any callback work handled (of any kind).
pub fn any_handled(s: &Summary, q: usize) -> bool {
    HANDLED
        .iter()
        .any(|&(m, _, _)| s.estimate(Scope::Queue(q), m).is_some_and(|e| e.mean > 0.0))
}

/// Queue `q`'s table by interval: its columns and a row per interval (in
/// clock time) with its figures, then the day.
pub fn interval_table(
    s: &Summary,
    h: &Horizon,
    q: usize,
    callbacks: bool,
) -> (Vec<Column>, Vec<IntervalRow<Option<Estimate>>>) {
    let scope = Scope::Queue(q);
    let any = |m| s.estimate(scope, m).is_some_and(|e| e.mean > 0.0);
    let spec: Vec<_> = INTERVAL_COLUMNS
        .iter()
        .copied()
        .filter(|&(m, _, _)| match m {
            Metric::CallbacksRequested => callbacks,
            Metric::TimedOut | Metric::Blocked | Metric::Redials => any(m),
            _ => true,
        })
        .collect();
    let mut rows: Vec<_> = (0..s.intervals())
        .map(|k| {
            let figures = spec.iter().map(|&(m, _, _)| s.interval(k, scope, m));
            (interval_label(h, k), figures.collect())
        })
        .collect();
    rows.push((
        "Day".to_string(),
        spec.iter().map(|&(m, _, _)| s.estimate(scope, m)).collect(),
    ));
    (columns(&spec), rows)
}

/// Each agent group's occupancy by interval, a line per group.
pub fn group_occupancy_series(s: &Summary, h: &Horizon) -> Vec<Series> {
    s.group_names
        .iter()
        .zip(group_colors(s))
        .enumerate()
        .map(|(g, (name, color))| Series {
            label: name.clone(),
            color,
            points: per_interval(s, h, Scope::Group(g), Metric::Occupancy),
        })
        .collect()
}

/// Per interval (in clock time) and agent group: agents on shift and
/// occupancy; then the day's occupancy.
pub fn group_interval_rows(s: &Summary, h: &Horizon) -> Vec<IntervalRow<GroupCell>> {
    let groups = 0..s.group_names.len();
    let mut rows: Vec<_> = (0..s.intervals())
        .map(|k| {
            let cells = groups
                .clone()
                .map(|g| {
                    (
                        Some(s.staffing(k, g)),
                        s.interval(k, Scope::Group(g), Metric::Occupancy),
                    )
                })
                .collect();
            (interval_label(h, k), cells)
        })
        .collect();
    rows.push((
        "Day".to_string(),
        groups.map(|g| (None, occupancy(s, g))).collect(),
    ));
    rows
}
