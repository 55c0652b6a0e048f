//! A comparison's figures as text, CSV and JSON: `ccsim compare` (every
//! figure per variant, with its difference to the base) and `ccsim sweep`
//! (key figures per point of the grid).

use super::csv_out::{csv_string, estimate_fields, figure_fields, text_cell};
use super::format::{cell, difference_cell};
use super::json::{json_number, summary_json};
use super::num;
use super::table::align;
use crate::experiment::variants::{Point, Vary};
use crate::experiment::{Comparison, Difference};
use crate::model::parse_duration;
use crate::results::{Metric, Scope};
use serde_json::{Value, json};

/// A difference as a table cell, `*` when its interval excludes 0.
fn marked(d: Option<&Difference>, unit: crate::results::Unit, runs: usize) -> String {
    match d {
        Some(d) => format!(
            "{}{}",
            difference_cell(&d.estimate, unit, runs),
            if d.significant() { " *" } else { "" }
        ),
        None => "-".to_string(),
    }
}

/// Every figure per variant, with each variant's difference to the base;
/// with `queue` (a scope of the base), only that queue's figures and the
/// occupancy of the groups that serve it.
pub fn compare_table(c: &Comparison, queue: Option<Scope>) -> String {
    let base = c.base();
    let runs = base.summary.replications;
    let mut header = vec!["scope".to_string(), "metric".to_string(), base.name.clone()];
    for v in &c.variants[1..] {
        header.push(v.name.clone());
        header.push(format!("{} − {}", v.name, base.name));
    }
    let mut rows = vec![header];
    let shown = |scope: Scope| match (queue, scope) {
        (None, _) => true,
        (Some(q), Scope::Group(g)) => match q {
            Scope::Queue(q) => base.summary.serving[q].contains(&g),
            _ => true,
        },
        (Some(q), s) => q == s,
    };
    for (scope, metric) in c.figures().into_iter().filter(|&(s, _)| shown(s)) {
        let unit = metric.unit();
        let mut row = vec![
            c.scope_name(scope).to_string(),
            metric.name().to_string(),
            cell(c.estimate(0, scope, metric), unit, runs),
        ];
        for v in 1..c.variants.len() {
            row.push(cell(c.estimate(v, scope, metric), unit, runs));
            row.push(marked(c.difference(v, scope, metric), unit, runs));
        }
        rows.push(row);
    }
    let how = if c.paired {
        "paired over replications on common random numbers"
    } else {
        "independent seeds, Welch intervals"
    };
    format!(
        "{}\nmean ± 95% CI half-width; differences {how}; * = the difference's interval excludes 0\n",
        align(&rows)
    )
}

/// `compare.csv`: one row per variant × scope × metric, with the
/// difference to the base.
pub fn compare_csv(c: &Comparison) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "variant",
        "kind",
        "scope",
        "metric",
        "unit",
        "mean",
        "ci95",
        "diff",
        "diff_ci95",
        "significant",
    ]);
    for (v, variant) in c.variants.iter().enumerate() {
        for (scope, metric) in crate::experiment::figures(&variant.summary) {
            let Some(e) = variant.summary.estimate(scope, metric) else {
                continue;
            };
            // The difference is filed under the base's scope of that name.
            let d = c
                .base_scope(v, scope)
                .and_then(|b| c.difference(v, b, metric));
            let [kind, scope_name, metric_name, unit] =
                figure_fields(&variant.summary, scope, metric);
            let _ = w.write_record([
                text_cell(&variant.name),
                kind,
                scope_name,
                metric_name,
                unit,
                num(e.mean),
                num(e.half_width),
                d.map_or(String::new(), |d| num(d.estimate.mean)),
                d.map_or(String::new(), |d| num(d.estimate.half_width)),
                d.map_or(String::new(), |d| d.significant().to_string()),
            ]);
        }
    }
    csv_string(w)
}

/// SPEC-style JSON: every variant's run summary, and the differences to the first.
pub fn comparison_json(c: &Comparison) -> Value {
    json!({
        "paired": c.paired,
        "variants": c.variants.iter().map(|v| json!({"name": v.name, "summary": summary_json(&v.summary)})).collect::<Vec<_>>(),
        "differences": c.differences.iter().map(|d| json!({
            "variant": c.variants[d.variant].name,
            "scope": c.scope_name(d.scope),
            "metric": d.metric.name(),
            "mean": json_number(d.estimate.mean),
            "ci95": json_number(d.estimate.half_width),
            "significant": d.significant(),
        })).collect::<Vec<_>>(),
    })
}

/// The figures a sweep's table shows for every point.
pub const SWEEP_METRICS: [Metric; 6] = [
    Metric::ServiceLevel,
    Metric::AbandonRate,
    Metric::Asa,
    Metric::CallbacksRequested,
    Metric::CallbackDelayMean,
    Metric::WaitP90,
];

/// The sweep's key figures per point, of all queues together or of one
/// queue (a scope of the base).
pub fn sweep_table(c: &Comparison, scope: Scope) -> String {
    let mut rows = vec![
        std::iter::once(format!("point ({})", c.scope_name(scope)))
            .chain(SWEEP_METRICS.iter().map(|m| m.name().to_string()))
            .collect::<Vec<_>>(),
    ];
    for (v, variant) in c.variants.iter().enumerate() {
        let mut row = vec![variant.name.clone()];
        row.extend(SWEEP_METRICS.iter().map(|&m| {
            cell(
                c.estimate(v, scope, m),
                m.unit(),
                variant.summary.replications,
            )
        }));
        rows.push(row);
    }
    format!(
        "{}\nmean ± 95% CI half-width, all points on common random numbers\n",
        align(&rows)
    )
}

/// A varied key's values as numbers when they are durations: every value
/// parses as one and some carry a unit (`"30s"`, `"2m"`). Then the column
/// is named `KEY_s` and holds seconds, so that it sorts and plots.
fn seconds_of(v: &Vary) -> Option<Vec<f64>> {
    let has_unit = v
        .values
        .iter()
        .any(|x| x.trim_matches('"').ends_with(['s', 'm', 'h', 'd']));
    let secs: Option<Vec<f64>> = v
        .values
        .iter()
        .map(|x| parse_duration(x.trim_matches('"')).ok())
        .collect();
    secs.filter(|_| has_unit)
}

/// `sweep.csv`: one row per point × scope × metric, with the point's
/// values (durations in seconds, see [`seconds_of`]).
pub fn sweep_csv(c: &Comparison, vary: &[Vary], points: &[Point]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let as_seconds: Vec<bool> = vary.iter().map(|v| seconds_of(v).is_some()).collect();
    let header: Vec<String> = std::iter::once("point".to_string())
        .chain(vary.iter().zip(&as_seconds).map(|(v, &secs)| {
            if secs {
                format!("{}_s", v.key)
            } else {
                v.key.clone()
            }
        }))
        .chain(["kind", "scope", "metric", "unit", "mean", "ci95", "sd", "n"].map(String::from))
        .collect();
    let _ = w.write_record(&header);
    for (i, (v, point)) in c.variants.iter().zip(points).enumerate() {
        let values: Vec<String> = point
            .iter()
            .zip(&as_seconds)
            .map(
                |((_, val), &secs)| match parse_duration(val.trim_matches('"')) {
                    Ok(x) if secs => num(x),
                    _ => text_cell(val),
                },
            )
            .collect();
        for (scope, metric) in crate::experiment::figures(&v.summary) {
            let Some(e) = v.summary.estimate(scope, metric) else {
                continue;
            };
            let row: Vec<String> = std::iter::once(i.to_string())
                .chain(values.iter().cloned())
                .chain(figure_fields(&v.summary, scope, metric))
                .chain(estimate_fields(&e))
                .collect();
            let _ = w.write_record(&row);
        }
    }
    csv_string(w)
}
