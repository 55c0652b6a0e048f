//! Human-readable text: the summary table of `ccsim run` and the scenario
//! description of `ccsim check`.

use super::count;
use crate::model::{OfferTrigger, Position, Scenario, format_duration};
use crate::results::{Estimate, Metric, Scope, Summary, Unit};
use std::fmt::Write;

/// `mean ± ci95` in the metric's unit: counts with one decimal, ratios as
/// percentages, seconds with one decimal.
pub fn format_estimate(e: &Estimate, unit: Unit) -> String {
    if e.mean.is_nan() {
        return "-".to_string();
    }
    let (scale, decimals, suffix) = match unit {
        Unit::Count => (1.0, 1, ""),
        Unit::Ratio => (100.0, 2, "%"),
        Unit::Seconds => (1.0, 1, "s"),
    };
    // A mean that rounds to zero prints without a sign: "-0.00%" reads as news.
    let mut mean = format!("{:.decimals$}", e.mean * scale);
    if mean.starts_with('-') && mean.trim_start_matches(['-', '0', '.']).is_empty() {
        mean.remove(0);
    }
    if e.half_width.is_nan() {
        format!("{mean}{suffix}")
    } else {
        format!("{mean}{suffix} ± {:.decimals$}", e.half_width * scale)
    }
}

/// An estimate as a table cell: `-` when there is none.
pub fn cell(e: Option<Estimate>, unit: Unit) -> String {
    e.map_or_else(|| "-".to_string(), |e| format_estimate(&e, unit))
}

/// Rows of cells as aligned text: the first column left-aligned, the
/// others right-aligned, two spaces apart.
pub fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|j| {
            rows.iter()
                .filter_map(|r| r.get(j))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (j, c) in row.iter().enumerate() {
            let w = widths[j];
            if j == 0 {
                let _ = write!(out, "{c:<w$}");
            } else {
                let _ = write!(out, "  {c:>w$}");
            }
        }
        out.push('\n');
    }
    out
}

/// The summary as an aligned table: one row per metric, one column per
/// queue and the total, then occupancy per agent group.
pub fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}, seed {} (mean ± 95% CI half-width)\n",
        s.scenario,
        count(s.replications, "replication"),
        s.seed
    );
    // One column per queue, and the total when there are several.
    let columns: Vec<Scope> = s
        .scopes()
        .filter(|sc| match sc {
            Scope::Queue(_) => true,
            Scope::Total => s.queue_names.len() > 1,
            Scope::Group(_) => false,
        })
        .collect();
    let header = std::iter::once("metric".to_string())
        .chain(columns.iter().map(|&c| s.scope_name(c).to_string()))
        .collect();
    let mut rows = vec![header];
    rows.extend(Metric::QUEUE.iter().map(|&m| {
        std::iter::once(m.name().to_string())
            .chain(columns.iter().map(|&c| cell(s.estimate(c, m), m.unit())))
            .collect()
    }));
    out.push_str(&align(&rows));
    out.push('\n');
    let group_w = s
        .group_names
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0)
        .max("agent group".len());
    let _ = writeln!(out, "{:group_w$}  occupancy", "agent group");
    for scope in s.scopes().filter(|sc| matches!(sc, Scope::Group(_))) {
        let e = s.estimate(scope, Metric::Occupancy);
        let _ = writeln!(
            out,
            "{:group_w$}  {}",
            s.scope_name(scope),
            cell(e, Metric::Occupancy.unit())
        );
    }
    // The simulation's size, for judging run times and comparing machines.
    let _ = writeln!(out, "\n{} events simulated", s.events);
    out
}

/// What a scenario holds, for `ccsim check`.
pub fn describe_scenario(scenario: &Scenario) -> String {
    let sc = &scenario.model;
    let h = sc.horizon();
    let mut out = String::new();
    let _ = writeln!(out, "scenario \"{}\": valid", sc.name());
    let _ = writeln!(
        out,
        "  run: {}, seed {}",
        count(scenario.plan.replications as usize, "replication"),
        scenario.plan.seed
    );
    let _ = writeln!(
        out,
        "  horizon: calls arrive for {}, {} intervals of {}, warm-up {}",
        format_duration(h.open),
        h.intervals,
        format_duration(h.interval),
        format_duration(h.warmup)
    );
    for (q, queue) in sc.queues().iter().enumerate() {
        let calls = queue.expected_calls(h);
        let load = calls * queue.mean_agent_time() / h.open;
        let staffed: Vec<u32> = (0..h.intervals)
            .map(|k| sc.staffed_for_queue(q, k))
            .collect();
        let _ = writeln!(
            out,
            "  queue \"{}\" (priority {}):",
            queue.name, queue.priority
        );
        let _ = writeln!(
            out,
            "    arrivals: {calls:.0} calls expected ({:.1}/h on average), offered load {load:.1} Erlangs",
            calls / h.open * 3600.0
        );
        let _ = writeln!(out, "    handle time: {}", queue.handle_time.describe());
        let _ = writeln!(
            out,
            "    patience: {}",
            queue
                .patience
                .as_ref()
                .map_or("none (callers never abandon)".to_string(), |d| d.describe())
        );
        if let Some(w) = &queue.wrap_up {
            let _ = writeln!(out, "    wrap-up: {}", w.describe());
        }
        let _ = writeln!(
            out,
            "    service level threshold: {}",
            format_duration(queue.service_level)
        );
        let _ = writeln!(
            out,
            "    agents with this skill: {} to {}",
            staffed.iter().min().unwrap_or(&0),
            staffed.iter().max().unwrap_or(&0)
        );
        match &queue.callback {
            None => {
                let _ = writeln!(out, "    callbacks: not offered");
            }
            Some(cb) => {
                let trigger = match cb.trigger {
                    OfferTrigger::After(t) => format!("after {} on hold", format_duration(t)),
                    OfferTrigger::EwtOver(t) => format!(
                        "on arrival when the estimated wait exceeds {}",
                        format_duration(t)
                    ),
                    OfferTrigger::CallersAhead(n) => {
                        format!("on arrival when {n} or more callers hold")
                    }
                };
                let position = match cb.position {
                    Position::Keep => "keeps the caller's place",
                    Position::Back => "joins the back of the line",
                };
                let _ = writeln!(
                    out,
                    "    callbacks: offered {trigger}, accepted with p={}, {position}, priority {}",
                    cb.accept_probability, cb.priority
                );
                let _ = writeln!(
                    out,
                    "      {} attempt(s), reach p={}, retry after {}, first eligible after {}{}",
                    cb.max_attempts,
                    cb.reach_probability,
                    format_duration(cb.retry_delay),
                    format_duration(cb.initial_delay),
                    cb.expire_after.map_or(String::new(), |e| format!(
                        ", expire after {}",
                        format_duration(e)
                    ))
                );
            }
        }
    }
    for g in sc.groups() {
        let skills: Vec<&str> = g
            .skills
            .iter()
            .map(|&q| sc.queues()[q].name.as_str())
            .collect();
        let lo = g.staffing.iter().min().unwrap_or(&0);
        let hi = g.staffing.iter().max().unwrap_or(&0);
        let staffing = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo} to {hi}")
        };
        let _ = writeln!(
            out,
            "  agent group \"{}\": {staffing} agents, skills {skills:?}",
            g.name
        );
    }
    out
}
