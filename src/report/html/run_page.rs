//! The run report's sections: the heading line, the key-figure and
//! occupancy tables, and per queue a sentence on its policy and its charts
//! by interval. The scenario supplies names, thresholds, skills and
//! staffing; the figures come from `figures.rs`.

use super::charts::{RatioChart, callbacks_chart, offered_chart, ratio_chart, time_grid};
use super::figures::{occupancy, queue_intervals, run_columns, run_key_figures};
use super::tables::{GroupRow, KeyRow, key_table, occupancy_table};
use super::{figure, plural};
use crate::Model;
use crate::model::{OfferTrigger, Queue, format_duration};
use crate::results::Summary;
use maud::{Markup, html};

/// The body of the run report.
pub fn body(sc: &Model, s: &Summary) -> Markup {
    let h = sc.horizon();
    let g = time_grid(h);
    html! {
        h1 { (s.scenario) }
        p.sub {
            (s.replications) " replication" (plural(s.replications))
            " · seed " (s.seed)
            " · calls arrive for " (format_duration(h.open))
            " in " (h.intervals) " interval" (plural(h.intervals))
            " of " (format_duration(h.interval))
            @if h.warmup > 0.0 {
                " · warm-up " (format_duration(h.warmup)) " not counted"
            }
            " · figures are means ± 95% confidence half-widths"
        }
        h2 { "Key figures" }
        (key_table(&run_columns(), &key_rows(sc, s)))
        h2 { "Agent occupancy" }
        (occupancy_table(&group_rows(sc, s)))
        @for (q, name) in s.queue_names.iter().enumerate() {
            @let queue = sc.queues().get(q);
            @let f = queue_intervals(s, h, q);
            h2 { "Queue “" (name) "” by interval" }
            @if let Some(queue) = queue {
                p.note {
                    (queue_policy(queue))
                    ". Figures are for calls by the interval in which they arrived; \
                     x axis: interval start (hh:mm from the start of the horizon)."
                }
            }
            (figure(
                "Offered calls and staffed agents",
                offered_chart(&g, &f.offered, &f.staffed, name),
            ))
            (figure(
                &format!(
                    "Service level (answered within {})",
                    queue.map_or(String::new(), |qu| format_duration(qu.service_level))
                ),
                ratio_chart(&g, &f.service_level, name, RatioChart::ServiceLevel),
            ))
            (figure(
                "Abandon rate",
                ratio_chart(&g, &f.abandon_rate, name, RatioChart::AbandonRate),
            ))
            @if queue.is_some_and(|qu| qu.callback.is_some()) {
                (figure(
                    "Callbacks offered and requested",
                    callbacks_chart(&g, &f.callbacks_offered, &f.callbacks_requested, name),
                ))
            }
        }
    }
}

/// A row per queue (with its service-level threshold), then all queues
/// together when there are several.
fn key_rows(sc: &Model, s: &Summary) -> Vec<KeyRow> {
    let mut rows: Vec<KeyRow> = s
        .queue_names
        .iter()
        .enumerate()
        .map(|(q, name)| KeyRow {
            label: name.clone(),
            threshold: sc
                .queues()
                .get(q)
                .map(|qu| format_duration(qu.service_level)),
            total: false,
            figures: run_key_figures(s, Some(q)),
        })
        .collect();
    if s.queue_names.len() > 1 {
        rows.push(KeyRow {
            label: "All queues".to_string(),
            threshold: None,
            total: true,
            figures: run_key_figures(s, None),
        });
    }
    rows
}

/// A row per agent group: its skills and staffing from the scenario.
fn group_rows(sc: &Model, s: &Summary) -> Vec<GroupRow> {
    s.group_names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let (skills, staffing) = sc.groups().get(g).map_or_else(
                || (String::new(), String::new()),
                |gr| (skill_names(sc, &gr.skills), staffing_range(&gr.staffing)),
            );
            GroupRow {
                name: name.clone(),
                skills,
                staffing,
                occupancy: occupancy(s, g),
            }
        })
        .collect()
}

/// The names of the queues `skills` (by index), comma-separated.
fn skill_names(sc: &Model, skills: &[usize]) -> String {
    let names: Vec<&str> = skills
        .iter()
        .filter_map(|&q| sc.queues().get(q).map(|qu| qu.name.as_str()))
        .collect();
    names.join(", ")
}

/// The staffing over the intervals: one number, or `lo–hi`.
fn staffing_range(staffing: &[u32]) -> String {
    let lo = staffing.iter().min().copied().unwrap_or(0);
    let hi = staffing.iter().max().copied().unwrap_or(0);
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// One sentence on a queue's threshold and callback policy.
fn queue_policy(q: &Queue) -> String {
    let sl = format!(
        "Service level threshold {}",
        format_duration(q.service_level)
    );
    match &q.callback {
        None => format!("{sl}; no callbacks offered"),
        Some(cb) => {
            let trigger = match cb.trigger {
                OfferTrigger::After(t) => format!("after {} on hold", format_duration(t)),
                OfferTrigger::EwtOver(t) => {
                    format!("when the estimated wait exceeds {}", format_duration(t))
                }
                OfferTrigger::CallersAhead(n) => format!("when {n} or more callers hold"),
            };
            format!(
                "{sl}; callbacks offered {trigger}, accepted with probability {}",
                cb.accept_probability
            )
        }
    }
}
