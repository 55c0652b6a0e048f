//! The comparison report's page (for `compare` and `sweep`): the heading
//! lines, the variant table, the key figures (a dot chart each, or for a
//! sweep each against the varied value), the callback trade-off, every
//! queue's figures by interval (or only the chosen queue's), the agent
//! groups' occupancy by interval, and the differences to the first
//! variant. The sections with charts are in `variant_sections.rs`; the
//! figures come from `figures/`.

use super::charts::sweep_chart;
use super::figures::{
    SweepAxis, difference_matrix, difference_rows, key_metrics_by_variant, occupancy_by_variant,
    sweep_axis, sweep_lines, variant_columns, variant_figures,
};
use super::svg::colors;
use super::tables::{VariantRow, difference_table, variant_table};
use super::variant_sections::{groups_by_interval, key_figures, queue_by_interval, tradeoff};
use super::{figure, legend, plural};
use crate::experiment::Comparison;
use crate::experiment::variants::{Point, Vary};
use crate::results::Scope;
use maud::{Markup, html};

/// What a sweep varied: the keys and their values, and each variant's
/// point, in the variants' order.
#[derive(Clone, Copy)]
pub struct Sweep<'a> {
    pub vary: &'a [Vary],
    pub points: &'a [Point],
}

/// How each varied key heads its column: its last part, or the whole key
/// when two keys end alike.
fn key_labels(vary: &[Vary]) -> Vec<String> {
    let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_string();
    vary.iter()
        .map(|v| {
            let l = last(&v.key);
            if vary.iter().filter(|w| last(&w.key) == l).count() > 1 {
                v.key.clone()
            } else {
                l
            }
        })
        .collect()
}

/// The body of the comparison report titled `title`: for the base's queue
/// `queue` if given, else all queues together; a sweep's if `sweep`.
pub fn body(c: &Comparison, title: &str, queue: Option<Scope>, sweep: Option<Sweep>) -> Markup {
    let Some(base) = c.variants.first() else {
        return html! {
            h1 { (title) }
            p.sub { "No variants to compare." }
        };
    };
    let pal = colors(c.variants.len());
    let s = &base.summary;
    let (scope, queues, groups): (Scope, Vec<usize>, Vec<usize>) = match queue {
        Some(Scope::Queue(q)) if q < s.queue_names.len() => {
            (Scope::Queue(q), vec![q], s.serving[q].clone())
        }
        _ => (
            Scope::Total,
            (0..s.queue_names.len()).collect(),
            (0..s.group_names.len()).collect(),
        ),
    };
    let scope_text = match scope {
        Scope::Queue(q) => format!("queue “{}”", s.queue_names[q]),
        _ => "all queues together".to_string(),
    };
    let group_names: Vec<String> = groups.iter().map(|&g| s.group_names[g].clone()).collect();
    let sweep = sweep.filter(|sw| sw.points.len() == c.variants.len());
    let axis = sweep.and_then(|sw| sweep_axis(sw.vary, sw.points));
    let method = if c.paired {
        "paired (common random numbers: every variant runs the same replications on the same seed)"
    } else {
        "independent seeds (Welch intervals)"
    };
    let (names, row_names): (Vec<String>, Vec<Vec<String>>) = match sweep {
        Some(sw) => (
            key_labels(sw.vary),
            sw.points
                .iter()
                .map(|p| p.iter().map(|(_, v)| v.clone()).collect())
                .collect(),
        ),
        None => (
            vec!["Variant".to_string()],
            c.variants.iter().map(|v| vec![v.name.clone()]).collect(),
        ),
    };
    let rows: Vec<VariantRow> = row_names
        .iter()
        .enumerate()
        .map(|(v, names)| VariantRow {
            number: v + 1,
            color: pal[v].clone(),
            names: names.clone(),
            figures: variant_figures(c, v, scope, &group_names),
        })
        .collect();
    let all = difference_rows(c, &pal);
    let mut key = difference_matrix(c, scope, &group_names, &pal);
    for r in &mut key {
        r.names.clone_from(&row_names[r.number - 1]);
    }
    html! {
        h1 { (title) }
        p.sub {
            (c.variants.len()) " variant" (plural(c.variants.len()))
            " · " (s.replications) " replication" (plural(s.replications))
            " each · seed " (s.seed)
            " · differences to the first variant, “" (base.name) "”: " (method)
            " · means ± 95% confidence half-widths"
        }
        @if let Some(sw) = sweep {
            p.sub {
                "Varied: "
                @for (i, v) in sw.vary.iter().enumerate() {
                    @if i > 0 { "; " }
                    code { (v.key) } " = " (v.values.join(", "))
                }
                " (every combination)."
            }
        }
        h2 { "Variants" }
        p.note { "Key figures for " (scope_text) "; occupancy of each agent group." }
        (variant_table(&names, &variant_columns(&group_names), &rows))
        @if let Some(axis) = &axis {
            (against_varied_value(c, axis, scope, &scope_text, &group_names))
        } @else {
            h2 { "Key figures by variant" }
            p.note { "For " (scope_text) "." }
            (key_figures(c, scope, &group_names, &pal))
        }
        (tradeoff(c, scope, &pal))
        @for &q in &queues {
            (queue_by_interval(c, q, &pal))
        }
        (groups_by_interval(c, &groups, &pal))
        h2 { "Differences to the first variant" }
        p.note {
            "Variant − “" (base.name) "”, "
            (if c.paired { "paired (common random numbers)" } else { "independent seeds" })
            ", for " (scope_text) " and each agent group's occupancy. "
            span.sig { "Red" } ": the 95% interval of the difference excludes zero. \
             Ratios differ in percentage points (pp)."
        }
        (difference_table(&base.name, &names, &variant_columns(&group_names), &key, &all))
    }
}

/// A sweep's key figures of `scope` and the groups' occupancy, each
/// against the varied value along `axis`, a line per combination of the
/// other keys' values.
fn against_varied_value(
    c: &Comparison,
    axis: &SweepAxis,
    scope: Scope,
    scope_text: &str,
    groups: &[String],
) -> Markup {
    let pal = colors(axis.lines.len());
    let variant_pal = colors(c.variants.len());
    let items: Vec<_> = axis
        .lines
        .iter()
        .zip(&pal)
        .map(|((label, _), col)| (None, col.as_str(), label.as_str()))
        .collect();
    let occupancy = groups
        .iter()
        .map(|g| occupancy_by_variant(c, g, &variant_pal));
    let mut charts = Vec::new();
    let mut empty = Vec::new();
    for by in key_metrics_by_variant(c, scope, &variant_pal)
        .into_iter()
        .chain(occupancy)
    {
        let lines = sweep_lines(axis, &by, &pal);
        let title = format!("{} against {}", by.title, axis.key);
        match sweep_chart(&title, &axis.x, &axis.key, &by.axis, &lines, by.unit) {
            Some(svg) => charts.push(figure(&by.title, svg)),
            None => empty.push(by.title),
        }
    }
    html! {
        h2 { "Key figures against " code { (axis.key) } }
        p.note {
            "For " (scope_text) ". Dot: mean over replications; whiskers: 95% confidence interval"
            @if axis.lines.len() > 1 { "; a line for each value of the other varied keys:" }
            @else { "." }
        }
        @if axis.lines.len() > 1 { (legend(&items)) }
        div.grid2 { @for f in &charts { (f) } }
        @if !empty.is_empty() {
            p.note { "Not charted, undefined at every point: " (empty.join(", ")) "." }
        }
    }
}
