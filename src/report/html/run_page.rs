//! The run report's sections: the heading line, the key-figure and
//! occupancy tables; per queue a sentence on its policy, its charts by
//! interval (offered calls beside each serving group's staffing, service
//! level, abandon rate, callbacks, callback work by the interval it is
//! handled in) and its table by interval; then each
//! agent group's staffing and occupancy by interval. The scenario supplies
//! names, thresholds, skills and staffing; the figures come from
//! `figures/`. Every time is a clock time.

use super::charts::{
    LinesChart, Series, YKind, callbacks_chart, handled_chart, lines_chart, offered_chart,
    time_grid,
};
use super::figures::{
    any_handled, group_colors, group_interval_rows, group_occupancy_series, handled_work,
    interval_table, occupancy, queue_intervals, run_columns, run_key_figures,
};
use super::tables::{self, GroupRow, KeyRow, group_interval_table, key_table, occupancy_table};
use super::{figure_sized, plural};
use crate::Model;
use crate::model::{OfferTrigger, Queue, format_duration};
use crate::results::Summary;
use maud::{Markup, html};

/// The body of the run report.
pub fn body(sc: &Model, s: &Summary) -> Markup {
    let h = sc.horizon();
    html! {
        h1 { (s.scenario) }
        p.sub {
            (s.replications) " replication" (plural(s.replications))
            " · seed " (s.seed)
            " · calls arrive " (h.clock(0.0)) "–" (h.clock(h.open))
            " in " (h.intervals) " interval" (plural(h.intervals))
            " of " (format_duration(h.interval))
            @if h.warmup > 0.0 {
                " · calls before " (h.clock(h.warmup)) " (warm-up) not counted"
            }
            " · figures are means ± 95% confidence half-widths"
        }
        h2 { "Key figures" }
        (key_table(&run_columns(), &key_rows(sc, s)))
        h2 { "Agent occupancy" }
        (occupancy_table(&group_rows(sc, s)))
        @for q in 0..s.queue_names.len() {
            (queue_section(sc, s, q))
        }
        (groups_section(s))
    }
}

/// Queue `q`'s charts and table by interval.
fn queue_section(sc: &Model, s: &Summary, q: usize) -> Markup {
    let h = sc.horizon();
    let g = time_grid(h);
    let name = &s.queue_names[q];
    let queue = sc.queues().get(q);
    let callbacks = queue.is_some_and(|qu| qu.callback.is_some());
    let f = queue_intervals(s, h, q);
    let one = |label: &str, color: &str, points| {
        vec![Series {
            label: label.to_string(),
            color: color.to_string(),
            points,
        }]
    };
    let sl = one(
        "service level (mean)",
        super::svg::color(0),
        f.service_level,
    );
    let abandon = one("abandon rate (mean)", super::svg::color(3), f.abandon_rate);
    let threshold = queue.map_or(String::new(), |qu| {
        format!(" (answered within {})", format_duration(qu.service_level))
    });
    let (columns, rows) = interval_table(s, h, q, callbacks);
    // Callback work by the interval it is handled in: for a queue with a
    // callback policy or follow-ups (their kinds), or any work handled.
    let policy = queue.and_then(|qu| qu.callback.as_ref());
    let scheduled = policy.is_some_and(|cb| cb.scheduled.as_ref().is_some_and(|s| s.share > 0.0));
    let follow_ups = queue.is_some_and(|qu| qu.follow_up.is_some());
    let handled = (policy.is_some() || follow_ups || any_handled(s, q))
        .then(|| handled_work(s, h, q, [policy.is_some(), scheduled, follow_ups]));
    html! {
        h2 { "Queue “" (name) "” by interval" }
        p.note {
            @if let Some(queue) = queue { (queue_policy(queue)) ". " }
            "Figures are for calls by the interval in which they arrived; times are clock times. "
            "Staffing is shown for each agent group serving the queue: a group with several skills \
             also serves other queues."
        }
        (figure_sized("Offered calls and agents staffed per group", |size| {
            offered_chart(size, &g, &f.offered, &f.staffed, name)
        }))
        (figure_sized(&format!("Service level{threshold}"), |size| {
            lines_chart(size, &g, &sl, &LinesChart {
                title: &format!("Queue {name}: service level per interval, %"),
                y_title: "service level (%)",
                kind: YKind::Percent100,
                reference: Some((80.0, "80% reference")),
                legend: true,
                x_max: g.end,
            })
        }))
        (figure_sized("Abandon rate", |size| {
            lines_chart(size, &g, &abandon, &LinesChart {
                title: &format!("Queue {name}: abandon rate per interval, %"),
                y_title: "abandon rate (%)",
                kind: YKind::Percent,
                reference: None,
                legend: true,
                x_max: g.end,
            })
        }))
        @if callbacks {
            (figure_sized("Callbacks offered and requested", |size| {
                callbacks_chart(size, &g, &f.callbacks_offered, &f.callbacks_requested, name)
            }))
        }
        @if let Some(kinds) = &handled {
            (figure_sized("Callback workload by the interval it is handled in", |size| {
                let kinds: Vec<_> = kinds
                    .iter()
                    .map(|k| (k.label, k.color, k.per_interval.as_slice()))
                    .collect();
                handled_chart(size, &g, &kinds, name)
            }))
            p.note {
                "Unlike the other figures, callback work is counted in the interval in which the \
                 customer is connected to an agent (means across replications); work connected \
                 after calls stop counts in the last interval."
            }
        }
        h3 { "Queue “" (name) "”: figures by interval" }
        (tables::interval_table(&columns, &rows))
    }
}

/// Each agent group's occupancy by interval (chart) and its staffing and
/// occupancy by interval (table).
fn groups_section(s: &Summary) -> Markup {
    let h = &s.horizon;
    let g = time_grid(h);
    let series = group_occupancy_series(s, h);
    let groups: Vec<(String, String)> =
        s.group_names.iter().cloned().zip(group_colors(s)).collect();
    html! {
        h2 { "Agent groups by interval" }
        p.note {
            "Occupancy: busy time (talking, dialing, wrap-up) ÷ logged-in time of the group's agents \
             in the interval. Staffed: the group's agents on shift."
        }
        (figure_sized("Occupancy by interval", |size| {
            lines_chart(size, &g, &series, &LinesChart {
                title: "Occupancy per interval by agent group, %",
                y_title: "occupancy (%)",
                kind: YKind::Percent100,
                reference: None,
                legend: true,
                x_max: g.end,
            })
        }))
        (group_interval_table(&groups, &group_interval_rows(s, h)))
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
