//! The comparison report's chart sections, for `compare` and `sweep`
//! alike: a dot chart per key figure, the callback trade-off, and per
//! queue and per agent group the figures by interval, a line per variant.
//! Variants are told apart by colour (listed once per section in an HTML
//! legend, which wraps at any width) and, in the trade-off, by number.

use super::charts::{LinesChart, Series, YKind, dot_chart, lines_chart, time_grid, tradeoff_chart};
use super::figures::{
    interval_differences, key_metrics_by_variant, occupancy_by_variant, offers_callbacks,
    tradeoff_points, variant_series,
};
use super::{figure, figure_sized, legend};
use crate::experiment::Comparison;
use crate::results::{Metric, Scope};
use maud::{Markup, html};

const SL_AXIS: &str = "service level (%)";

/// The legend of every variant: number, colour and full name.
pub fn variant_legend(c: &Comparison, pal: &[String]) -> Markup {
    let items: Vec<_> = c
        .variants
        .iter()
        .zip(pal)
        .enumerate()
        .map(|(i, (v, col))| (Some(i + 1), col.as_str(), v.name.as_str()))
        .collect();
    legend(&items)
}

/// One dot chart per key metric of `scope`, then occupancy per agent group
/// in `groups`, and a note naming those undefined in every variant.
pub fn key_figures(c: &Comparison, scope: Scope, groups: &[String], pal: &[String]) -> Markup {
    let mut charts = Vec::new();
    let mut empty = Vec::new();
    let occupancy = groups.iter().map(|g| occupancy_by_variant(c, g, pal));
    for m in key_metrics_by_variant(c, scope, pal)
        .into_iter()
        .chain(occupancy)
    {
        match dot_chart(&m.title, &m.axis, &m.rows, m.unit) {
            Some(svg) => charts.push(figure(&m.title, svg)),
            None => empty.push(m.title),
        }
    }
    html! {
        p.note {
            "Dot: mean over replications; whiskers: 95% confidence interval; \
             dashed line: the first variant."
        }
        div.grid2 { @for f in &charts { (f) } }
        @if !empty.is_empty() {
            p.note { "Not charted, undefined in every variant: " (empty.join(", ")) "." }
        }
    }
}

/// The callback delay against abandonment of `scope`, when any variant
/// has both, with the variants' numbers listed beside it.
pub fn tradeoff(c: &Comparison, scope: Scope, pal: &[String]) -> Markup {
    let (points, missing) = tradeoff_points(c, scope, pal);
    if points.is_empty() {
        return html! {};
    }
    let items: Vec<_> = points
        .iter()
        .map(|p| {
            let name = c.variants[p.number - 1].name.as_str();
            (Some(p.number), p.color.as_str(), name)
        })
        .collect();
    html! {
        h2 { "Trade-off: callback delay against abandonment" }
        p.note {
            "Lower left is better: fewer callers hang up, and callbacks reach customers sooner. \
             Whiskers are 95% confidence intervals in both directions; each point is marked \
             with its variant's number."
        }
        (figure_sized("Mean callback delay against abandon rate", |size| {
            tradeoff_chart(size, &points).unwrap_or_default()
        }))
        (legend(&items))
        @if !missing.is_empty() {
            p.note { "Not shown (no completed callback): " (missing.join(", ")) "." }
        }
    }
}

/// A chart of `series` by interval on the base's time axis, stretched to
/// the longest variant's.
fn by_interval(
    c: &Comparison,
    heading: &str,
    title: &str,
    y_title: &str,
    kind: YKind,
    series: &[Series],
) -> Markup {
    let base = c.base();
    let g = time_grid(base.model.horizon());
    let x_max = c
        .variants
        .iter()
        .map(|v| v.model.horizon().open)
        .fold(g.end, f64::max);
    // The service level's usual target.
    let reference = (y_title == SL_AXIS).then_some((80.0, "80% reference"));
    figure_sized(heading, |size| {
        lines_chart(
            size,
            &g,
            series,
            &LinesChart {
                title,
                y_title,
                kind,
                reference,
                legend: false,
                x_max,
            },
        )
    })
}

/// Queue `q` of the base by interval: service level per variant and its
/// difference to the first, abandon rate, and callbacks requested when any
/// variant offers them there.
pub fn queue_by_interval(c: &Comparison, q: usize, pal: &[String]) -> Markup {
    let base = c.base();
    let name = &base.summary.queue_names[q];
    let scope = Scope::Queue(q);
    let sl = variant_series(c, scope, Metric::ServiceLevel, pal);
    let diff = interval_differences(c, scope, Metric::ServiceLevel, pal);
    let abandon = variant_series(c, scope, Metric::AbandonRate, pal);
    let callbacks =
        offers_callbacks(c, q).then(|| variant_series(c, scope, Metric::CallbacksRequested, pal));
    let method = if c.paired {
        "paired over replications"
    } else {
        "independent seeds: the two half-widths combined, approximate"
    };
    html! {
        h2 { "Queue “" (name) "” by interval" }
        p.note {
            "By the interval in which calls arrived, in clock time; a line per variant, \
             shaded: 95% confidence intervals (up to four variants)."
        }
        (variant_legend(c, pal))
        (by_interval(c, "Service level per interval",
            &format!("Queue {name}: service level per interval by variant, %"),
            SL_AXIS, YKind::Percent100, &sl))
        @if !diff.is_empty() {
            p.note {
                "Difference to “" (base.name) "” in percentage points, with its 95% interval ("
                (method) "). Above zero: the variant answers more calls within the threshold \
                 in that interval."
            }
            (by_interval(c, "Service level: difference to the first variant",
                &format!("Queue {name}: service level difference to the first variant per interval, percentage points"),
                "difference (pp)", YKind::PointsDiff, &diff))
        }
        (by_interval(c, "Abandon rate per interval",
            &format!("Queue {name}: abandon rate per interval by variant, %"),
            "abandon rate (%)", YKind::Percent, &abandon))
        @if let Some(cb) = callbacks {
            (by_interval(c, "Callbacks requested per interval",
                &format!("Queue {name}: callbacks requested per interval by variant"),
                "callbacks (per interval)", YKind::Count, &cb))
        }
    }
}

/// The occupancy by interval of each of the base's agent groups `groups`
/// (by index), a line per variant.
pub fn groups_by_interval(c: &Comparison, groups: &[usize], pal: &[String]) -> Markup {
    let names = &c.base().summary.group_names;
    html! {
        @if !groups.is_empty() {
            h2 { "Agent groups by interval" }
            p.note {
                "Occupancy: busy time ÷ logged-in time of the group's agents in the interval; \
                 a line per variant."
            }
            (variant_legend(c, pal))
            @for &g in groups {
                (by_interval(c, &format!("Occupancy of “{}”", names[g]),
                    &format!("Group {}: occupancy per interval by variant, %", names[g]),
                    "occupancy (%)", YKind::Percent100,
                    &variant_series(c, Scope::Group(g), Metric::Occupancy, pal)))
            }
        }
    }
}
