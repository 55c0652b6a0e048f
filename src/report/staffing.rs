//! What `ccsim staff` found, as a table, `staffing.csv`, the JSON of SPEC
//! §9 and the scenario file with the staffing found (`staffed.toml`).

use super::csv_out::{csv_string, text_cell};
use super::format::cell;
use super::json::json_number;
use super::num;
use super::table::align;
use crate::analytic::scheduled;
use crate::model::{Horizon, Model};
use crate::results::{Metric, Scope, Summary};
use crate::staffing::Found;
use crate::staffing::target::{TARGET_METRICS, bound, broken};
use serde_json::{Map, Value, json};
use std::fmt::Write;

/// Interval `k`'s length in hours.
fn hours(h: &Horizon, k: usize) -> f64 {
    (h.interval_end(k) - h.interval_start(k)) / 3600.0
}

/// A group's agent-hours, scheduled hours and cost under `staffing`.
pub struct GroupTotals {
    pub agent_hours: f64,
    pub scheduled_hours: f64,
    pub cost: f64,
}

/// Group `g`'s scheduled agents per interval (SPEC §9: ⌈staffing ÷ (1 − shrinkage)⌉).
pub fn scheduled_of(model: &Model, g: usize) -> Vec<u64> {
    let grp = &model.groups()[g];
    grp.staffing
        .iter()
        .zip(&grp.shrinkage)
        .map(|(&n, &s)| scheduled(n, s))
        .collect()
}

/// Group `g`'s totals.
pub fn totals(model: &Model, g: usize) -> GroupTotals {
    let h = model.horizon();
    let grp = &model.groups()[g];
    let sched = scheduled_of(model, g);
    let agent_hours: f64 = (0..h.intervals)
        .map(|k| f64::from(grp.staffing[k]) * hours(h, k))
        .sum();
    GroupTotals {
        agent_hours,
        scheduled_hours: (0..h.intervals)
            .map(|k| sched[k] as f64 * hours(h, k))
            .sum(),
        cost: agent_hours * grp.cost,
    }
}

/// The queues with a target.
fn targeted(model: &Model) -> Vec<usize> {
    (0..model.queues().len())
        .filter(|&q| model.queues()[q].target.is_some())
        .collect()
}

/// The staffing per interval in clock time, with each queue's target
/// figures, then the totals and the classic Erlang sizing beside it.
pub fn staffing_table(f: &Found) -> String {
    let m = &f.model;
    let s = &f.summary;
    let h = m.horizon();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: staffing found on {} replications, seed {} ({} staffings simulated)\n",
        m.name(),
        s.replications,
        s.seed,
        f.evaluations
    );
    let queues = targeted(m);
    let mut header = vec!["interval".to_string()];
    for g in m.groups() {
        header.push(format!("{} (sched.)", g.name));
    }
    for &q in &queues {
        for metric in TARGET_METRICS.iter().filter(|&&mt| wanted(m, q, mt)) {
            header.push(format!("{} {}", m.queues()[q].name, metric.name()));
        }
    }
    let mut rows = vec![header];
    let sched: Vec<Vec<u64>> = (0..m.groups().len()).map(|g| scheduled_of(m, g)).collect();
    #[allow(clippy::needless_range_loop)] // k indexes every group's lists
    for k in 0..h.intervals {
        let mut row = vec![h.interval_clock(k)];
        for (g, grp) in m.groups().iter().enumerate() {
            row.push(format!("{} ({})", grp.staffing[k], sched[g][k]));
        }
        for &q in &queues {
            for &metric in TARGET_METRICS.iter().filter(|&&mt| wanted(m, q, mt)) {
                row.push(cell(
                    s.interval(k, Scope::Queue(q), metric),
                    metric.unit(),
                    s.replications,
                ));
            }
        }
        rows.push(row);
    }
    out.push_str(&align(&rows));
    let _ = writeln!(out);
    let mut cost = 0.0;
    for (g, grp) in m.groups().iter().enumerate() {
        let t = totals(m, g);
        cost += t.cost;
        let _ = writeln!(
            out,
            "{}: {:.1} agent-hours on the phones, {:.1} scheduled, cost {:.1}",
            grp.name, t.agent_hours, t.scheduled_hours, t.cost
        );
    }
    let _ = writeln!(out, "total cost {cost:.1}");
    for &q in &queues {
        let day: Vec<String> = TARGET_METRICS
            .iter()
            .filter(|&&mt| wanted(m, q, mt))
            .map(|&mt| {
                format!(
                    "{} {}",
                    mt.name(),
                    cell(s.estimate(Scope::Queue(q), mt), mt.unit(), s.replications)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{} over the day: {}",
            m.queues()[q].name,
            day.join(", ")
        );
    }
    for e in &f.erlang {
        let queue = &m.queues()[e.queue];
        let group = &m.groups()[e.group];
        let erlang_hours: f64 = (0..h.intervals)
            .map(|k| f64::from(e.staffing[k]) * hours(h, k))
            .sum();
        let found_hours = totals(m, e.group).agent_hours;
        let target = queue.target.as_ref().expect("checked queues have targets");
        let model_e = m.with_staffing(&replace(m, e.group, &e.staffing)).ok();
        let missed = model_e.map_or(0, |me| count_missed(&me, &e.summary, e.queue, target));
        let _ = writeln!(
            out,
            "\nclassic per-interval Erlang {} for {:?} ({}): {:.1} agent-hours against {:.1} found ({:+.1}); \
             simulated, it misses the target in {} interval(s)",
            if queue.patience.is_some() { "A" } else { "C" },
            queue.name,
            group.name,
            erlang_hours,
            found_hours,
            erlang_hours - found_hours,
            missed
        );
        let line: Vec<String> = (0..h.intervals)
            .map(|k| {
                format!(
                    "{} {}→{}",
                    h.interval_clock(k),
                    e.staffing[k],
                    group.staffing[k]
                )
            })
            .collect();
        let _ = writeln!(out, "  Erlang → found: {}", line.join(", "));
    }
    out
}

/// Whether queue `q`'s target is about `metric`.
fn wanted(m: &Model, q: usize, metric: Metric) -> bool {
    m.queues()[q]
        .target
        .as_ref()
        .is_some_and(|t| bound(t, metric).is_some())
}

/// The model's staffing with group `g`'s replaced.
fn replace(m: &Model, g: usize, staffing: &[u32]) -> Vec<Vec<u32>> {
    m.groups()
        .iter()
        .enumerate()
        .map(|(i, grp)| {
            if i == g {
                staffing.to_vec()
            } else {
                grp.staffing.clone()
            }
        })
        .collect()
}

/// Intervals with calls where queue `q` misses `target` in `s`.
fn count_missed(m: &Model, s: &Summary, q: usize, target: &crate::model::Target) -> usize {
    let h = m.horizon();
    (0..h.intervals)
        .filter(|&k| {
            let get = |mt: Metric| s.interval(k, Scope::Queue(q), mt).map(|e| e.mean);
            get(Metric::Offered).unwrap_or(0.0) > 0.0 && broken(target, get).next().is_some()
        })
        .count()
}

/// `staffing.csv`: one row per interval and group.
pub fn staffing_csv(m: &Model) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "interval",
        "start",
        "start_s",
        "group",
        "staffing",
        "scheduled",
    ]);
    let h = m.horizon();
    let sched: Vec<Vec<u64>> = (0..m.groups().len()).map(|g| scheduled_of(m, g)).collect();
    #[allow(clippy::needless_range_loop)] // k indexes every group's lists
    for k in 0..h.intervals {
        for (g, grp) in m.groups().iter().enumerate() {
            let _ = w.write_record([
                k.to_string(),
                h.interval_clock(k),
                num(h.interval_start(k)),
                text_cell(&grp.name),
                grp.staffing[k].to_string(),
                sched[g][k].to_string(),
            ]);
        }
    }
    csv_string(w)
}

/// SPEC §9's JSON: `{"scenario", "replications", "seed", "groups": {NAME:
/// {"staffing", "scheduled", "agent_hours", "cost"}}, "queues": {NAME:
/// {METRIC: [{"mean", "ci95"} per interval]}}}`.
pub fn staffing_json(f: &Found) -> Value {
    let m = &f.model;
    let s = &f.summary;
    let groups: Map<String, Value> = (0..m.groups().len())
        .map(|g| {
            let grp = &m.groups()[g];
            let t = totals(m, g);
            (
                grp.name.clone(),
                json!({
                    "staffing": grp.staffing,
                    "scheduled": scheduled_of(m, g),
                    "agent_hours": json_number(t.agent_hours),
                    "scheduled_hours": json_number(t.scheduled_hours),
                    "cost": json_number(t.cost),
                }),
            )
        })
        .collect();
    let queues: Map<String, Value> = (0..m.queues().len())
        .map(|q| {
            let metrics: Map<String, Value> = TARGET_METRICS
                .iter()
                .map(|&mt| {
                    let per: Vec<Value> = (0..s.intervals())
                        .map(|k| match s.interval(k, Scope::Queue(q), mt) {
                            Some(e) => json!({"mean": json_number(e.mean), "ci95": json_number(e.half_width)}),
                            None => Value::Null,
                        })
                        .collect();
                    (mt.name().to_string(), Value::Array(per))
                })
                .collect();
            (m.queues()[q].name.clone(), Value::Object(metrics))
        })
        .collect();
    json!({
        "scenario": m.name(),
        "replications": s.replications,
        "seed": s.seed,
        "groups": groups,
        "queues": queues,
        "intervals": (0..m.horizon().intervals).map(|k| m.horizon().interval_clock(k)).collect::<Vec<_>>(),
        "evaluations": f.evaluations,
    })
}

/// The scenario's TOML table (after `--set`) with each group's staffing
/// set to what was found: a file `ccsim run` runs as is.
pub fn staffed_toml(mut table: toml::Table, m: &Model) -> String {
    if let Some(toml::Value::Array(agents)) = table.get_mut("agents") {
        for (entry, grp) in agents.iter_mut().zip(m.groups()) {
            if let toml::Value::Table(t) = entry {
                let list = grp
                    .staffing
                    .iter()
                    .map(|&n| toml::Value::Integer(i64::from(n)))
                    .collect();
                t.insert("staffing".into(), toml::Value::Array(list));
            }
        }
    }
    let body = toml::to_string(&table).unwrap_or_default();
    format!(
        "# The staffing `ccsim staff` found for \"{}\"; `ccsim run` runs this file as is.\n{body}",
        m.name()
    )
}
