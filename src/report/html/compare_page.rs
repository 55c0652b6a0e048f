//! The comparison report's sections (for `compare` and `sweep`): the
//! heading line, the variant table, a dot chart per key figure and per
//! agent group's occupancy, the callback trade-off, service level by
//! interval, and the differences to the first variant. The figures come
//! from `figures.rs`.

use super::charts::{dot_chart, sl_difference_chart, sl_variants_chart, time_grid, tradeoff_chart};
use super::figures::{
    difference_rows, interval_service_level_differences, interval_service_levels,
    key_metrics_by_variant, occupancy_by_variant, tradeoff_points, variant_columns,
    variant_figures,
};
use super::tables::{difference_table, variant_table};
use super::{figure, plural};
use crate::experiment::{Comparison, Variant};
use maud::{Markup, html};

/// The body of the comparison report titled `title`.
pub fn body(c: &Comparison, title: &str) -> Markup {
    let Some(base) = c.variants.first() else {
        return html! {
            h1 { (title) }
            p.sub { "No variants to compare." }
        };
    };
    let method = if c.paired {
        "paired (common random numbers: every variant runs the same replications on the same seed)"
    } else {
        "independent seeds (Welch intervals)"
    };
    let groups = &base.summary.group_names;
    let rows: Vec<(String, _)> = c
        .variants
        .iter()
        .map(|v| (v.name.clone(), variant_figures(&v.summary, groups)))
        .collect();
    html! {
        h1 { (title) }
        p.sub {
            (c.variants.len()) " variant" (plural(c.variants.len()))
            " · " (base.summary.replications) " replication" (plural(base.summary.replications))
            " each · seed " (base.summary.seed)
            " · differences to the first variant, “" (base.name) "”: " (method)
            " · means ± 95% confidence half-widths"
        }
        h2 { "Variants" }
        (variant_table(&variant_columns(groups), &rows))
        (key_figures(c, base))
        (tradeoff(c))
        @if c.variants.len() > 1 {
            (service_level_by_interval(c, base))
        }
        h2 { "Differences to the first variant" }
        p.note {
            "Variant − “" (base.name) "”, "
            (if c.paired { "paired (common random numbers)" } else { "independent seeds" })
            ". " span.sig { "significant" }
            ": the 95% interval of the difference excludes zero. \
             Ratios differ in percentage points (pp)."
        }
        @let (key, all) = difference_rows(c);
        (difference_table(&base.name, &key, &all))
    }
}

/// One dot chart per key metric, then occupancy per agent group, and a note
/// naming those undefined in every variant.
fn key_figures(c: &Comparison, base: &Variant) -> Markup {
    let mut charts = Vec::new();
    let mut empty = Vec::new();
    for m in key_metrics_by_variant(c) {
        match dot_chart(&m.title, &m.rows, m.unit) {
            Some(svg) => charts.push(figure(&m.title, svg)),
            None => empty.push(m.title),
        }
    }
    for g in &base.summary.group_names {
        let m = occupancy_by_variant(c, g);
        match dot_chart(&m.title, &m.rows, m.unit) {
            Some(svg) => charts.push(figure(&m.title, svg)),
            None => empty.push("occupancy".to_string()),
        }
    }
    html! {
        h2 { "Key figures by variant" }
        p.note {
            "Dot: mean over replications; whiskers: 95% confidence interval; \
             dashed line: the first variant. All queues together."
        }
        div.grid2 { @for f in &charts { (f) } }
        @if !empty.is_empty() {
            p.note { "Not charted, undefined in every variant: " (empty.join(", ")) "." }
        }
    }
}

/// The callback delay against abandonment, when any variant has both.
fn tradeoff(c: &Comparison) -> Markup {
    let (points, missing) = tradeoff_points(c);
    let Some(svg) = tradeoff_chart(&points) else {
        return html! {};
    };
    html! {
        h2 { "Trade-off: callback delay against abandonment" }
        p.note {
            "Lower left is better: fewer callers hang up, and callbacks reach customers sooner. \
             Whiskers are 95% confidence intervals in both directions."
        }
        (figure("Mean callback delay against abandon rate", svg))
        @if !missing.is_empty() {
            p.note { "Not shown (no completed callback): " (missing.join(", ")) "." }
        }
    }
}

/// Service level by interval of the first queue: every variant, then each
/// one's difference to the first.
fn service_level_by_interval(c: &Comparison, base: &Variant) -> Markup {
    let series = interval_service_levels(c);
    let Some(q) = base
        .summary
        .queue_names
        .first()
        .filter(|_| !series.is_empty())
    else {
        return html! {};
    };
    let g = time_grid(base.model.horizon());
    let x_max = c
        .variants
        .iter()
        .map(|v| v.model.horizon().open)
        .fold(g.end, f64::max);
    let svg = sl_variants_chart(&g, x_max, &series, c.variants.len() <= 4, q);
    let diff = sl_difference_chart(&g, &interval_service_level_differences(c), q);
    html! {
        h2 { "Service level by interval, queue “" (q) "”" }
        p.note {
            "By the interval in which calls arrived; shaded: 95% confidence interval of each variant."
        }
        (figure("Service level per interval by variant", svg))
        @if let Some(svg) = diff {
            p.note {
                "Difference to “" (base.name) "” in percentage points, with its 95% interval ("
                (if c.paired {
                    "paired over replications"
                } else {
                    "independent seeds: the two half-widths combined, approximate"
                })
                "). Above zero: the variant answers more calls within the threshold in that interval."
            }
            (figure("Service level difference to the first variant per interval", svg))
        }
    }
}
