//! Self-contained HTML reports with inline SVG charts.
//!
//! Each report is one HTML document: inline CSS, inline SVG, no script, no
//! external resource, so it can be mailed or archived and opened anywhere.
//! Charts are drawn by a small set of private helpers ([`Plot`] for axes,
//! lines, bands, bars and whiskers; [`nice_ticks`] for tick steps) shared by
//! every chart. Undefined figures (`NaN`) are left out: a line has a gap
//! there, a table cell shows a dash.

use super::plural;
use crate::Scenario;
use crate::compare::{Comparison, Difference, Scope};
use crate::scenario::{Horizon, OfferTrigger, format_duration};
use crate::stats::{Estimate, IntervalEstimate, IntervalTally, Summary, Unit, metric_index};
use std::fmt::Write;

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

/// The report of one run.
pub fn run_report(sc: &Scenario, s: &Summary) -> String {
    let h = &sc.horizon;
    let mut out = page_start(&format!("{} · ccsim run report", s.scenario));
    let _ = write!(
        out,
        "<h1>{}</h1>\n<p class=\"sub\">{} replication{} · seed {} · calls arrive for {} in {} interval{} of {}{} · figures are means ± 95% confidence half-widths</p>\n",
        esc(&s.scenario),
        s.replications,
        plural(s.replications),
        s.seed,
        format_duration(h.open),
        h.intervals,
        plural(h.intervals),
        format_duration(h.interval),
        if h.warmup > 0.0 {
            format!(" · warm-up {} not counted", format_duration(h.warmup))
        } else {
            String::new()
        },
    );

    out.push_str("<h2>Key figures</h2>\n");
    out.push_str(&key_table(sc, s));
    out.push_str("<h2>Agent occupancy</h2>\n");
    out.push_str(&occupancy_table(sc, s));

    let nq = s.queue_names.len();
    for (q, name) in s.queue_names.iter().enumerate() {
        let cells: Vec<&IntervalEstimate> = (0..h.intervals)
            .filter_map(|k| s.intervals.get(k * nq + q))
            .collect();
        let queue = sc.queues.get(q);
        let _ = writeln!(out, "<h2>Queue “{}” by interval</h2>", esc(name));
        if let Some(queue) = queue {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}. Figures are for calls by the interval in which they arrived; x axis: interval start (hh:mm from the start of the horizon).</p>",
                queue_policy(queue)
            );
        }
        let sl = queue.map_or(String::new(), |qu| format_duration(qu.service_level));
        figure(
            &mut out,
            "Offered calls and staffed agents",
            &chart_offered(h, &cells, name),
        );
        figure(
            &mut out,
            &format!("Service level (answered within {sl})"),
            &chart_interval_ratio(h, &cells, name, RatioChart::ServiceLevel),
        );
        figure(
            &mut out,
            "Abandon rate",
            &chart_interval_ratio(h, &cells, name, RatioChart::AbandonRate),
        );
        if queue.is_some_and(|qu| qu.callback.is_some()) {
            figure(
                &mut out,
                "Callbacks offered and requested",
                &chart_callbacks(h, &cells, name),
            );
        }
    }
    page_end(out)
}

/// The report of a comparison or a sweep; `title` names it.
pub fn comparison_report(c: &Comparison, title: &str) -> String {
    let mut out = page_start(title);
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    let Some(base) = c.variants.first() else {
        out.push_str("<p class=\"sub\">No variants to compare.</p>\n");
        return page_end(out);
    };
    let method = if c.paired {
        "paired (common random numbers: every variant runs the same replications on the same seed)"
    } else {
        "independent seeds (Welch intervals)"
    };
    let _ = writeln!(
        out,
        "<p class=\"sub\">{} variant{} · {} replication{} each · seed {} · differences to the first variant, “{}”: {} · means ± 95% confidence half-widths</p>",
        c.variants.len(),
        plural(c.variants.len()),
        base.summary.replications,
        plural(base.summary.replications),
        base.scenario.seed,
        esc(&base.name),
        method,
    );

    out.push_str("<h2>Variants</h2>\n");
    out.push_str(&variant_table(c));

    // One dot chart per key metric, then occupancy per agent group.
    out.push_str("<h2>Key figures by variant</h2>\n<p class=\"note\">Dot: mean over replications; whiskers: 95% confidence interval; dashed line: the first variant. All queues together.</p>\n<div class=\"grid2\">\n");
    let mut empty = Vec::new();
    for (metric, label) in KEY_METRICS {
        let rows: Vec<(String, Option<Estimate>)> = c
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.summary.get("total", metric)))
            .collect();
        match dot_chart(label, &rows, unit_of(metric)) {
            Some(svg) => figure(&mut out, label, &svg),
            None => empty.push(label),
        }
    }
    for g in &base.summary.group_names {
        let rows: Vec<(String, Option<Estimate>)> = c
            .variants
            .iter()
            .map(|v| (v.name.clone(), occupancy_of(&v.summary, g)))
            .collect();
        let label = format!("Occupancy of “{g}”");
        match dot_chart(&label, &rows, Unit::Ratio) {
            Some(svg) => figure(&mut out, &label, &svg),
            None => empty.push("occupancy"),
        }
    }
    out.push_str("</div>\n");
    if !empty.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Not charted, undefined in every variant: {}.</p>",
            esc(&empty.join(", "))
        );
    }

    if let Some((svg, missing)) = tradeoff_chart(c) {
        out.push_str("<h2>Trade-off: callback delay against abandonment</h2>\n");
        out.push_str("<p class=\"note\">Lower left is better: fewer callers hang up, and callbacks reach customers sooner. Whiskers are 95% confidence intervals in both directions.</p>\n");
        figure(&mut out, "Mean callback delay against abandon rate", &svg);
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"note\">Not shown (no completed callback): {}.</p>",
                esc(&missing.join(", "))
            );
        }
    }

    if let Some(svg) = interval_sl_chart(c).filter(|_| c.variants.len() > 1) {
        let q = &base.summary.queue_names[0];
        let _ = writeln!(
            out,
            "<h2>Service level by interval, queue “{}”</h2>",
            esc(q)
        );
        out.push_str("<p class=\"note\">By the interval in which calls arrived; shaded: 95% confidence interval of each variant.</p>\n");
        figure(&mut out, "Service level per interval by variant", &svg);
        if let Some(svg) = interval_sl_diff_chart(c) {
            let _ = writeln!(
                out,
                "<p class=\"note\">Difference to “{}” in percentage points, with its 95% interval ({}). Above zero: the variant answers more calls within the threshold in that interval.</p>",
                esc(&base.name),
                if c.paired {
                    "paired over replications"
                } else {
                    "independent seeds: the two half-widths combined, approximate"
                }
            );
            figure(
                &mut out,
                "Service level difference to the first variant per interval",
                &svg,
            );
        }
    }

    out.push_str("<h2>Differences to the first variant</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">Variant − “{}”, {}. <span class=\"sig\">significant</span>: the 95% interval of the difference excludes zero. Ratios differ in percentage points (pp).</p>",
        esc(&base.name),
        if c.paired {
            "paired (common random numbers)"
        } else {
            "independent seeds"
        }
    );
    out.push_str(&difference_table(c));
    page_end(out)
}

// ---------------------------------------------------------------------------
// Page, tables and text
// ---------------------------------------------------------------------------

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #222; background: #fff; max-width: 920px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.55em; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 1.15em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; font-weight: 600; }
h3 { font-size: 0.95em; margin: 14px 0 2px; font-weight: 600; color: #333; }
.sub { color: #555; margin: 0 0 12px; }
.note { color: #666; font-size: 13px; margin: 4px 0 8px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin: 4px 0 8px; }
th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: #444; border-bottom: 1px solid #bbb; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
td.l, th.l { text-align: left; }
td { white-space: nowrap; }
.wide { overflow-x: auto; }
tr.total td { border-top: 1px solid #bbb; font-weight: 600; }
.ci { color: #777; font-size: 0.92em; }
.dim { color: #888; font-weight: normal; }
.sig { color: #a03a2c; font-weight: 600; }
.ns { color: #999; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.bar { display: inline-block; width: 120px; height: 8px; background: #eee; border-radius: 4px; vertical-align: middle; margin-left: 8px; }
.bar span { display: block; height: 8px; background: #4c72b0; border-radius: 4px; }
figure { margin: 6px 0 18px; }
svg { display: block; width: 100%; height: auto; font-size: 12px; fill: #444; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
details { margin: 8px 0; font-size: 13px; }
summary { cursor: pointer; color: #444; }
footer { margin: 36px 0 16px; color: #999; font-size: 12px; }
"#;

fn page_start(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    )
}

fn page_end(mut out: String) -> String {
    out.push_str("<footer>Generated by ccsim. Self-contained: inline CSS and SVG, nothing loaded from elsewhere.</footer>\n</body>\n</html>\n");
    out
}

/// A chart under a small heading.
fn figure(out: &mut String, heading: &str, svg: &str) {
    let _ = write!(
        out,
        "<figure>\n<h3>{}</h3>\n{svg}\n</figure>\n",
        esc(heading)
    );
}

/// HTML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(ch),
        }
    }
    o
}

/// At most `n` characters, with an ellipsis when cut (before escaping).
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A figure's mean in its unit (ratios as percentages), `None` if undefined.
fn fmt_value(x: f64, unit: Unit) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    Some(match unit {
        Unit::Count => format!("{x:.1}"),
        Unit::Ratio => format!("{:.1}%", x * 100.0),
        Unit::Seconds => format!("{x:.1} s"),
    })
}

/// `mean ± half-width` as table-cell HTML; a dash when undefined.
fn fmt_est(e: Option<&Estimate>, unit: Unit) -> String {
    let Some(e) = e else {
        return "<span class=\"ns\">–</span>".to_string();
    };
    let Some(mean) = fmt_value(e.mean, unit) else {
        return "<span class=\"ns\">–</span>".to_string();
    };
    if !e.half_width.is_finite() {
        return mean;
    }
    let hw = match unit {
        Unit::Ratio => format!("{:.1}", e.half_width * 100.0),
        _ => format!("{:.1}", e.half_width),
    };
    format!("{mean} <span class=\"ci\">± {hw}</span>")
}

/// A difference `+x unit ± hw`; ratios in percentage points.
fn fmt_diff(e: &Estimate, unit: Unit) -> String {
    if !e.mean.is_finite() {
        return "<span class=\"ns\">–</span>".to_string();
    }
    let (scale, dec, suffix) = match unit {
        Unit::Count => (1.0, 1, ""),
        Unit::Ratio => (100.0, 2, " pp"),
        Unit::Seconds => (1.0, 1, " s"),
    };
    let m = e.mean * scale;
    let mut s = format!("{m:+.dec$}{suffix}");
    if e.half_width.is_finite() {
        let _ = write!(
            s,
            " <span class=\"ci\">± {:.dec$}</span>",
            e.half_width * scale
        );
    }
    s
}

fn unit_of(metric: &str) -> Unit {
    if metric == "occupancy" {
        return Unit::Ratio;
    }
    metric_index(metric).map_or(Unit::Count, |i| crate::stats::METRICS[i].unit)
}

/// The run report's key figures, in table order, with their headings.
const RUN_COLUMNS: [(&str, &str); 7] = [
    ("offered", "Offered<br><span class=\"dim\">calls</span>"),
    ("service_level", "Service level"),
    ("abandon_rate", "Abandon rate"),
    ("asa", "ASA"),
    (
        "wait_p90",
        "Wait p90<br><span class=\"dim\">answered</span>",
    ),
    (
        "callbacks_requested",
        "Callbacks<br><span class=\"dim\">requested</span>",
    ),
    (
        "callback_delay_mean",
        "Callback delay<br><span class=\"dim\">mean</span>",
    ),
];

/// The comparison's key metrics (total scope) and their chart titles.
const KEY_METRICS: [(&str, &str); 5] = [
    ("service_level", "Service level"),
    ("abandon_rate", "Abandon rate"),
    ("asa", "Average speed of answer"),
    ("callbacks_requested", "Callbacks requested"),
    ("callback_delay_mean", "Mean callback delay"),
];

fn key_table(sc: &Scenario, s: &Summary) -> String {
    let mut out = String::from("<div class=\"wide\"><table>\n<tr><th>Queue</th>");
    for (_, head) in RUN_COLUMNS {
        let _ = write!(out, "<th>{head}</th>");
    }
    out.push_str("</tr>\n");
    let row = |out: &mut String, label: String, class: &str, scope: &str| {
        let _ = write!(out, "<tr{class}><td>{label}</td>");
        for (metric, _) in RUN_COLUMNS {
            let _ = write!(
                out,
                "<td>{}</td>",
                fmt_est(s.get(scope, metric).as_ref(), unit_of(metric))
            );
        }
        out.push_str("</tr>\n");
    };
    for (q, name) in s.queue_names.iter().enumerate() {
        let sl = sc.queues.get(q).map_or(String::new(), |qu| {
            format!(
                " <span class=\"dim\">(SL within {})</span>",
                format_duration(qu.service_level)
            )
        });
        row(&mut out, format!("{}{sl}", esc(name)), "", name);
    }
    if s.queue_names.len() > 1 {
        row(
            &mut out,
            "All queues".to_string(),
            " class=\"total\"",
            "total",
        );
    }
    out.push_str("</table></div>\n<p class=\"note\">Service level: answered within the queue's threshold ÷ (answered + abandoned). Abandon rate: abandoned ÷ offered; calls converted to callbacks are not abandoned. ASA and wait p90: waits of answered calls. Callback delay: request to customer connected.</p>\n");
    out
}

fn occupancy_table(sc: &Scenario, s: &Summary) -> String {
    let mut out = String::from(
        "<div class=\"wide\"><table>\n<tr><th>Agent group</th><th class=\"l\">Skills</th><th>Staffed agents</th><th>Occupancy</th><th></th></tr>\n",
    );
    for (g, name) in s.group_names.iter().enumerate() {
        let e = s.occupancy.get(g);
        let (skills, staffing) = sc
            .groups
            .get(g)
            .map_or((String::new(), String::new()), |gr| {
                let skills: Vec<&str> = gr
                    .skills
                    .iter()
                    .filter_map(|&q| sc.queues.get(q).map(|qu| qu.name.as_str()))
                    .collect();
                let lo = gr.staffing.iter().min().copied().unwrap_or(0);
                let hi = gr.staffing.iter().max().copied().unwrap_or(0);
                let staffing = if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}–{hi}")
                };
                (skills.join(", "), staffing)
            });
        let bar = e.filter(|e| e.mean.is_finite()).map_or(String::new(), |e| {
            format!(
                "<span class=\"bar\"><span style=\"width:{:.1}%\"></span></span>",
                (e.mean * 100.0).clamp(0.0, 100.0)
            )
        });
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{staffing}</td><td>{}</td><td>{bar}</td></tr>",
            esc(name),
            esc(&skills),
            fmt_est(e, Unit::Ratio)
        );
    }
    out.push_str("</table></div>\n<p class=\"note\">Occupancy: busy time (talking, dialing, wrap-up) ÷ logged-in time while calls arrive.</p>\n");
    out
}

/// One sentence on a queue's threshold and callback policy.
fn queue_policy(q: &crate::scenario::Queue) -> String {
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

fn occupancy_of(s: &Summary, group: &str) -> Option<Estimate> {
    let g = s.group_names.iter().position(|n| n == group)?;
    s.occupancy.get(g).copied()
}

fn swatch(i: usize) -> String {
    format!(
        "<span class=\"sw\" style=\"background:{}\"></span>",
        color(i)
    )
}

fn variant_table(c: &Comparison) -> String {
    let groups = &c.variants[0].summary.group_names;
    let mut out = String::from("<div class=\"wide\"><table>\n<tr><th>Variant</th>");
    for (_, label) in KEY_METRICS {
        let _ = write!(out, "<th>{label}</th>");
    }
    for g in groups {
        let _ = write!(
            out,
            "<th>Occupancy<br><span class=\"dim\">{}</span></th>",
            esc(g)
        );
    }
    out.push_str("</tr>\n");
    for (i, v) in c.variants.iter().enumerate() {
        let _ = write!(out, "<tr><td>{}{}</td>", swatch(i), esc(&v.name));
        for (metric, _) in KEY_METRICS {
            let _ = write!(
                out,
                "<td>{}</td>",
                fmt_est(v.summary.get("total", metric).as_ref(), unit_of(metric))
            );
        }
        for g in groups {
            let _ = write!(
                out,
                "<td>{}</td>",
                fmt_est(occupancy_of(&v.summary, g).as_ref(), Unit::Ratio)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
    out
}

fn scope_label(s: &Scope) -> String {
    match s {
        Scope::Total => "all queues".to_string(),
        Scope::Queue(n) => format!("queue {}", esc(n)),
        Scope::Group(n) => format!("group {}", esc(n)),
    }
}

/// The variant's and the base's mean of a difference's figure.
fn means_of(c: &Comparison, d: &Difference) -> (Option<Estimate>, Option<Estimate>) {
    let get = |name: &str| -> Option<Estimate> {
        let v = c.variants.iter().find(|v| v.name == name)?;
        match &d.scope {
            Scope::Total => v.summary.get("total", d.metric),
            Scope::Queue(q) => v.summary.get(q, d.metric),
            Scope::Group(g) => occupancy_of(&v.summary, g),
        }
    };
    (get(&c.variants[0].name), get(&d.variant))
}

fn difference_rows(c: &Comparison, ds: &[&Difference]) -> String {
    let mut out = format!(
        "<div class=\"wide\"><table>\n<tr><th>Metric</th><th class=\"l\">Scope</th><th class=\"l\">Variant</th><th>First variant<br><span class=\"dim\">{}</span></th><th>This variant</th><th>Difference</th><th class=\"l\">At 95%</th></tr>\n",
        esc(&short(&c.variants[0].name, 24))
    );
    for d in ds {
        let unit = unit_of(d.metric);
        let (a, b) = means_of(c, d);
        let flag = if d.significant() {
            "<span class=\"sig\">significant</span>"
        } else if d.estimate.mean.is_finite() {
            "<span class=\"ns\">not significant</span>"
        } else {
            "<span class=\"ns\">–</span>"
        };
        let vi = c.variants.iter().position(|v| v.name == d.variant);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"l\">{}</td><td class=\"l\">{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{flag}</td></tr>",
            d.metric,
            scope_label(&d.scope),
            vi.map_or(String::new(), swatch),
            esc(&d.variant),
            fmt_est(a.as_ref(), unit),
            fmt_est(b.as_ref(), unit),
            fmt_diff(&d.estimate, unit),
        );
    }
    out.push_str("</table></div>\n");
    out
}

fn difference_table(c: &Comparison) -> String {
    if c.differences.is_empty() {
        return "<p class=\"note\">Only one variant: nothing to compare.</p>\n".to_string();
    }
    let key = |d: &Difference| match &d.scope {
        Scope::Total => KEY_METRICS.iter().position(|(m, _)| *m == d.metric),
        Scope::Group(_) => Some(KEY_METRICS.len()),
        Scope::Queue(_) => None,
    };
    let mut keyed: Vec<(usize, &Difference)> = c
        .differences
        .iter()
        .filter_map(|d| key(d).map(|k| (k, d)))
        .collect();
    keyed.sort_by_key(|(k, _)| *k); // stable: variants stay in order
    let keyed: Vec<&Difference> = keyed.into_iter().map(|(_, d)| d).collect();
    let all: Vec<&Difference> = c.differences.iter().collect();
    let mut out = difference_rows(c, &keyed);
    let _ = write!(
        out,
        "<details><summary>Every metric and scope ({} differences)</summary>\n{}</details>\n",
        all.len(),
        difference_rows(c, &all)
    );
    out
}

// ---------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------

/// A muted palette; series and variants cycle through it.
const PALETTE: [&str; 8] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
];
const GRID: &str = "#e8e8e8";
const AXIS: &str = "#999";
const REF: &str = "#888";
/// Axis titles and value labels.
const LABEL: &str = "#555";
/// Notes inside charts and leader lines.
const FAINT: &str = "#999";

fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Full-width chart size (SVG user units ≈ CSS pixels at 900 px).
const W: f64 = 900.0;
const H: f64 = 300.0;
const TIME_MARGINS: Margins = Margins {
    l: 66.0,
    r: 24.0,
    t: 34.0,
    b: 48.0,
};

#[derive(Clone, Copy)]
enum RatioChart {
    ServiceLevel,
    AbandonRate,
}

fn time_of(h: &Horizon, k: usize) -> (f64, f64) {
    (h.interval_start(k), h.interval_end(k))
}

/// A line's points `(x, y)` and a band's `(x, lo, hi)`.
type Line = Vec<(f64, f64)>;
type Band = Vec<(f64, f64, f64)>;

/// Per-interval points (x = interval middle): the mean and the CI band,
/// scaled; `NaN` where undefined.
fn interval_points(
    h: &Horizon,
    cells: &[&IntervalEstimate],
    f: impl Fn(&IntervalEstimate) -> Estimate,
    scale: f64,
) -> (Line, Band) {
    let mut line = Vec::with_capacity(cells.len());
    let mut band = Vec::with_capacity(cells.len());
    for c in cells {
        let (a, b) = time_of(h, c.interval);
        let x = (a + b) / 2.0;
        let e = f(c);
        line.push((x, e.mean * scale));
        band.push((
            x,
            (e.mean - e.half_width) * scale,
            (e.mean + e.half_width) * scale,
        ));
    }
    (line, band)
}

/// Chart (a): offered calls per interval (bars, left axis) and staffed agents
/// (step line, right axis).
fn chart_offered(h: &Horizon, cells: &[&IntervalEstimate], queue: &str) -> String {
    let offered_max = cells
        .iter()
        .map(|c| c.offered.mean)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let staffed_max = cells.iter().map(|c| c.staffed).max().unwrap_or(0);
    let yt = nice_ticks(0.0, offered_max, 5);
    let y2t = ticks_in_steps(f64::from(staffed_max), yt.values.len() - 1);
    let m = Margins {
        r: 66.0,
        ..TIME_MARGINS
    };
    let mut p = Plot::new(W, H, m, (0.0, h.open), (yt.lo, yt.hi));
    p.y2 = Some(Scale {
        d0: y2t.lo,
        d1: y2t.hi,
        r0: p.y.r0,
        r1: p.y.r1,
    });
    p.y_axis(&yt, "", "offered (calls per interval)");
    p.y2_axis(&y2t, "staffed (agents)", color(1));
    p.time_axis(h);
    let bars: Vec<(f64, f64, f64)> = cells
        .iter()
        .map(|c| {
            let (a, b) = time_of(h, c.interval);
            (a, b, c.offered.mean)
        })
        .collect();
    p.bars(&bars, color(0), 0.75, false);
    let mut steps = Vec::with_capacity(2 * cells.len());
    for c in cells {
        let (a, b) = time_of(h, c.interval);
        steps.push((a, f64::from(c.staffed)));
        steps.push((b, f64::from(c.staffed)));
    }
    p.line(&steps, color(1), 2.2, false, true);
    p.legend(Mark::Bar(color(0)), "offered calls (mean per interval)");
    p.legend(Mark::Line(color(1), false), "staffed agents (right axis)");
    p.finish(&format!(
        "Queue {queue}: offered calls per interval and staffed agents"
    ))
}

/// Charts (b) and (c): a ratio per interval as a line with its CI band.
fn chart_interval_ratio(
    h: &Horizon,
    cells: &[&IntervalEstimate],
    queue: &str,
    which: RatioChart,
) -> String {
    let (f, name, col): (fn(&IntervalEstimate) -> Estimate, &str, usize) = match which {
        RatioChart::ServiceLevel => (|c| c.service_level, "service level", 0),
        RatioChart::AbandonRate => (|c| c.abandon_rate, "abandon rate", 3),
    };
    let (line, band) = interval_points(h, cells, f, 100.0);
    let yt = match which {
        RatioChart::ServiceLevel => nice_ticks(0.0, 100.0, 5),
        RatioChart::AbandonRate => {
            let hi = band
                .iter()
                .map(|b| b.2)
                .chain(line.iter().map(|l| l.1))
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
                .min(100.0);
            nice_ticks(0.0, hi, 5)
        }
    };
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, h.open), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", &format!("{name} (%)"));
    p.time_axis(h);
    p.band(&band, color(col), 0.18);
    if matches!(which, RatioChart::ServiceLevel) {
        p.hline(80.0, REF, true);
    }
    p.line(&line, color(col), 2.0, false, false);
    if cells.len() <= 60 {
        p.dots(&line, color(col), 2.6, false);
    }
    p.legend(Mark::Line(color(col), false), &format!("{name} (mean)"));
    p.legend(Mark::Band(color(col)), "95% confidence interval");
    if matches!(which, RatioChart::ServiceLevel) {
        p.legend(Mark::Line(REF, true), "80% reference");
    }
    p.finish(&format!("Queue {queue}: {name} per interval, %"))
}

/// Chart (d): callbacks requested (bars with CI whiskers) and offered (line).
fn chart_callbacks(h: &Horizon, cells: &[&IntervalEstimate], queue: &str) -> String {
    let (offered, _) = interval_points(h, cells, |c| c.callbacks_offered, 1.0);
    let (requested, req_band) = interval_points(h, cells, |c| c.callbacks_requested, 1.0);
    let hi = offered
        .iter()
        .map(|p| p.1)
        .chain(req_band.iter().map(|b| b.2))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let yt = nice_ticks(0.0, hi, 5);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, h.open), (yt.lo, yt.hi));
    p.y_axis(&yt, "", "callbacks (per interval)");
    p.time_axis(h);
    let bars: Vec<(f64, f64, f64)> = cells
        .iter()
        .zip(&requested)
        .map(|(c, r)| {
            let (a, b) = time_of(h, c.interval);
            (a, b, r.1)
        })
        .collect();
    p.bars(&bars, color(2), 0.7, false);
    for &(x, lo, hi) in &req_band {
        p.vwhisker(x, lo, hi, "#3d7a4d");
    }
    p.line(&offered, color(4), 2.0, false, false);
    if cells.len() <= 60 {
        p.dots(&offered, color(4), 2.4, false);
    }
    p.legend(Mark::Bar(color(2)), "callbacks requested (mean, 95% CI)");
    p.legend(Mark::Line(color(4), false), "callbacks offered (mean)");
    p.finish(&format!(
        "Queue {queue}: callbacks offered and requested per interval"
    ))
}

/// One metric across variants: a row per variant, dot at the mean with 95%
/// whiskers; `None` when the metric is undefined in every variant.
fn dot_chart(title: &str, rows: &[(String, Option<Estimate>)], unit: Unit) -> Option<String> {
    let scale = if unit == Unit::Ratio { 100.0 } else { 1.0 };
    let vals: Vec<Option<(f64, f64)>> = rows
        .iter()
        .map(|(_, e)| {
            e.filter(|e| e.mean.is_finite()).map(|e| {
                let hw = if e.half_width.is_finite() {
                    e.half_width
                } else {
                    0.0
                };
                (e.mean * scale, hw * scale)
            })
        })
        .collect();
    let finite: Vec<(f64, f64)> = vals.iter().flatten().copied().collect();
    if finite.is_empty() {
        return None;
    }
    let lo = finite
        .iter()
        .map(|(m, h)| m - h)
        .fold(f64::INFINITY, f64::min);
    let hi = finite
        .iter()
        .map(|(m, h)| m + h)
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01);
    let (mut lo, mut hi) = ((lo - pad).max(0.0), hi + pad);
    if unit == Unit::Ratio {
        hi = hi.min(100.0);
        lo = lo.min(hi);
    }
    let xt = nice_ticks(lo, hi, 4);
    let labels: Vec<String> = rows.iter().map(|(n, _)| short(n, 24)).collect();
    let label_w = labels.iter().map(|l| text_w(l, 12.0)).fold(40.0, f64::max) + 14.0;
    let row_h = 26.0;
    let w = 440.0;
    let h = 16.0 + row_h * rows.len() as f64 + 44.0;
    let m = Margins {
        l: label_w,
        r: 24.0,
        t: 16.0,
        b: 44.0,
    };
    let mut p = Plot::new(w, h, m, (xt.lo, xt.hi), (0.0, rows.len() as f64));
    let (suffix, axis) = match unit {
        Unit::Ratio => ("%", format!("{} (%)", title.to_lowercase())),
        Unit::Seconds => ("", format!("{} (s)", title.to_lowercase())),
        Unit::Count => ("", format!("{} (calls)", title.to_lowercase())),
    };
    p.x_axis(&xt, suffix, &axis);
    let base = vals.first().copied().flatten();
    if let Some((m0, _)) = base {
        p.vline(m0, REF, true);
    }
    for (i, (label, v)) in labels.iter().zip(&vals).enumerate() {
        let yv = rows.len() as f64 - i as f64 - 0.5;
        let y = p.y.at(yv);
        let full = &rows[i].0;
        let _ = write!(
            p.data,
            r#"<text x="{}" y="{}" dy="0.32em" text-anchor="end"><title>{}</title>{}</text>"#,
            f1(p.x.r0 - 8.0),
            f1(y),
            esc(full),
            esc(label)
        );
        let col = color(i);
        match v {
            Some((mean, hw)) => {
                p.hwhisker(yv, mean - hw, mean + hw, col);
                p.dot(*mean, yv, 4.0, col);
                let txt = fmt_value(*mean / scale, unit).unwrap_or_default();
                let right_end = p.x.at((mean + hw).min(xt.hi)) + 6.0;
                let (tx, anchor) = if right_end + text_w(&txt, 11.0) < p.x.r1 {
                    (right_end, "start")
                } else {
                    (p.x.at((mean - hw).max(xt.lo)) - 6.0, "end")
                };
                let _ = write!(
                    p.data,
                    r#"<text x="{}" y="{}" dy="-0.5em" text-anchor="{anchor}" font-size="11" fill="{LABEL}">{}</text>"#,
                    f1(tx),
                    f1(y + 4.0),
                    esc(&txt)
                );
            }
            None => {
                let _ = write!(
                    p.data,
                    r#"<text x="{}" y="{}" dy="0.32em" font-size="11" fill="{FAINT}">undefined (n/a)</text>"#,
                    f1(p.x.r0 + 6.0),
                    f1(y),
                );
            }
        }
    }
    Some(p.finish(&format!("{title} by variant, mean and 95% interval")))
}

/// The trade-off scatter: callback delay (x) against abandon rate (y), one
/// labelled point per variant. Also returns variants left out.
fn tradeoff_chart(c: &Comparison) -> Option<(String, Vec<String>)> {
    struct Pt {
        i: usize,
        x: f64,
        xh: f64,
        y: f64,
        yh: f64,
    }
    let mut pts = Vec::new();
    let mut missing = Vec::new();
    let hw = |e: &Estimate| {
        if e.half_width.is_finite() {
            e.half_width
        } else {
            0.0
        }
    };
    for (i, v) in c.variants.iter().enumerate() {
        let d = v.summary.get("total", "callback_delay_mean");
        let a = v.summary.get("total", "abandon_rate");
        match (d, a) {
            (Some(d), Some(a)) if d.mean.is_finite() && a.mean.is_finite() => pts.push(Pt {
                i,
                x: d.mean,
                xh: hw(&d),
                y: a.mean * 100.0,
                yh: hw(&a) * 100.0,
            }),
            _ => missing.push(v.name.clone()),
        }
    }
    if pts.is_empty() {
        return None;
    }
    let range = |lo: f64, hi: f64| {
        let pad = ((hi - lo) * 0.12).max(hi.abs() * 0.05).max(1e-9);
        ((lo - pad).max(0.0), hi + pad)
    };
    let (x0, x1) = range(
        pts.iter().map(|p| p.x - p.xh).fold(f64::INFINITY, f64::min),
        pts.iter()
            .map(|p| p.x + p.xh)
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let (y0, y1) = range(
        pts.iter().map(|p| p.y - p.yh).fold(f64::INFINITY, f64::min),
        pts.iter()
            .map(|p| p.y + p.yh)
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let xt = nice_ticks(x0, x1, 6);
    let yt = nice_ticks(y0, y1.min(100.0), 5);
    let m = Margins {
        l: 66.0,
        r: 24.0,
        t: 16.0,
        b: 48.0,
    };
    let mut p = Plot::new(W, 380.0, m, (xt.lo, xt.hi), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", "abandon rate (%)");
    p.x_axis(
        &xt,
        "",
        "mean callback delay, request to customer connected (s)",
    );
    for q in &pts {
        let col = color(q.i);
        p.hwhisker(q.y, q.x - q.xh, q.x + q.xh, col);
        p.vwhisker(q.x, q.y - q.yh, q.y + q.yh, col);
        p.dot(q.x, q.y, 5.0, col);
    }
    // Labels: the nearest candidate position (rings of growing distance
    // around the point) that overlaps no dot and no earlier label and stays
    // inside the plot; a thin leader line joins a label set further out.
    let th = 14.0;
    let mut taken: Vec<(f64, f64, f64, f64)> = pts
        .iter()
        .map(|q| (p.x.at(q.x) - 6.0, p.y.at(q.y) - 6.0, 12.0, 12.0))
        .collect();
    for q in &pts {
        let label = short(&c.variants[q.i].name, 32);
        let (px, py) = (p.x.at(q.x), p.y.at(q.y));
        let tw = text_w(&label, 12.0) * 1.08;
        let mut cands = Vec::new();
        for r in [8.0, 20.0, 34.0, 52.0, 74.0] {
            let d = r * 0.7;
            cands.extend([
                (px + d, py - d - th),
                (px + d, py + d),
                (px - d - tw, py - d - th),
                (px - d - tw, py + d),
                (px + r, py - th / 2.0),
                (px - r - tw, py - th / 2.0),
                (px - tw / 2.0, py - r - th),
                (px - tw / 2.0, py + r),
            ]);
        }
        let inside = |&(x, y): &(f64, f64)| {
            x >= p.x.r0 + 2.0 && x + tw <= p.x.r1 - 2.0 && y >= p.y.r1 && y + th <= p.y.r0
        };
        let free = |&(x, y): &(f64, f64)| {
            taken
                .iter()
                .all(|&(a, b, w, h)| x + tw < a || a + w < x || y + th < b || b + h < y)
        };
        let (n, (lx, ly)) = cands
            .iter()
            .copied()
            .enumerate()
            .find(|(_, c)| inside(c) && free(c))
            .or_else(|| cands.iter().copied().enumerate().find(|(_, c)| inside(c)))
            .unwrap_or((0, cands[0]));
        taken.push((lx, ly, tw, th));
        if n >= 8 {
            // Leader from the dot to the nearest point of the label's box.
            let (ex, ey) = (px.clamp(lx, lx + tw), py.clamp(ly, ly + th));
            let _ = write!(
                p.data,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{FAINT}" stroke-width="0.8"/>"#,
                f1(px),
                f1(py),
                f1(ex),
                f1(ey),
            );
        }
        let _ = write!(
            p.data,
            r##"<text x="{}" y="{}" dy="0.8em" fill="#333" font-weight="600" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            f1(lx),
            f1(ly),
            esc(&label)
        );
    }
    let svg = p.finish("Trade-off: mean callback delay (s) against abandon rate (%), by variant");
    Some((svg, missing))
}

/// Service level per interval of the first queue, every variant.
fn interval_sl_chart(c: &Comparison) -> Option<String> {
    let base = c.variants.first()?;
    let qname = base.summary.queue_names.first()?;
    let h0 = &base.scenario.horizon;
    let x_max = c
        .variants
        .iter()
        .map(|v| v.scenario.horizon.open)
        .fold(h0.open, f64::max);
    let yt = nice_ticks(0.0, 100.0, 5);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, x_max), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", "service level (%)");
    p.time_axis(h0);
    p.hline(80.0, REF, true);
    let bands = c.variants.len() <= 4;
    let mut series = Vec::new();
    for (i, v) in c.variants.iter().enumerate() {
        let s = &v.summary;
        let Some(q) = s.queue_names.iter().position(|n| n == qname) else {
            continue;
        };
        let nq = s.queue_names.len();
        let h = &v.scenario.horizon;
        let cells: Vec<&IntervalEstimate> = (0..h.intervals)
            .filter_map(|k| s.intervals.get(k * nq + q))
            .collect();
        let (line, band) = interval_points(h, &cells, |c| c.service_level, 100.0);
        if bands {
            p.band(&band, color(i), 0.12);
        }
        series.push((i, line, cells.len()));
    }
    for (i, line, n) in &series {
        p.line(line, color(*i), 2.0, false, false);
        if *n <= 60 {
            p.dots(line, color(*i), 2.4, false);
        }
        p.legend(Mark::Line(color(*i), false), &c.variants[*i].name);
    }
    p.legend(Mark::Line(REF, true), "80% reference");
    Some(p.finish(&format!(
        "Queue {qname}: service level per interval by variant, %"
    )))
}

/// Per-interval service level of each variant minus the first's, first
/// queue, in percentage points; variants on another interval grid are left
/// out.
fn interval_sl_diff_chart(c: &Comparison) -> Option<String> {
    let base = c.variants.first()?;
    let qname = base.summary.queue_names.first()?;
    let h0 = &base.scenario.horizon;
    let nq0 = base.summary.queue_names.len();
    let sl = |t: &IntervalTally| {
        let d = t.answered + t.abandoned;
        if d == 0 {
            f64::NAN
        } else {
            f64::from(t.answered_within_sl) / f64::from(d)
        }
    };
    let mut series = Vec::new();
    for (i, v) in c.variants.iter().enumerate().skip(1) {
        let h = &v.scenario.horizon;
        let Some(q) = v.summary.queue_names.iter().position(|n| n == qname) else {
            continue;
        };
        if h.intervals != h0.intervals || (h.interval - h0.interval).abs() > 1e-9 {
            continue;
        }
        let nq = v.summary.queue_names.len();
        let mut line = Vec::with_capacity(h0.intervals);
        let mut band = Vec::with_capacity(h0.intervals);
        for k in 0..h0.intervals {
            let e = if c.paired {
                Estimate::from_values(base.replications.iter().zip(&v.replications).map(
                    |(a, b)| match (a.intervals.get(k * nq0), b.intervals.get(k * nq + q)) {
                        (Some(x), Some(y)) => sl(y) - sl(x),
                        _ => f64::NAN,
                    },
                ))
            } else {
                let a = base.summary.intervals.get(k * nq0).map(|c| c.service_level);
                let b = v.summary.intervals.get(k * nq + q).map(|c| c.service_level);
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
            let (a, b) = time_of(h0, k);
            let x = (a + b) / 2.0;
            line.push((x, e.mean * 100.0));
            band.push((
                x,
                (e.mean - e.half_width) * 100.0,
                (e.mean + e.half_width) * 100.0,
            ));
        }
        series.push((i, line, band));
    }
    if series.is_empty() {
        return None;
    }
    let finite = || {
        series
            .iter()
            .flat_map(|(_, l, b)| {
                l.iter()
                    .map(|p| p.1)
                    .chain(b.iter().flat_map(|p| [p.1, p.2]))
            })
            .filter(|v| v.is_finite())
    };
    let lo = finite().fold(0.0, f64::min);
    let hi = finite().fold(0.0, f64::max);
    let yt = nice_ticks(lo, hi, 6);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, h0.open), (yt.lo, yt.hi));
    p.y_axis(&yt, "", "service level difference (pp)");
    p.time_axis(h0);
    p.hline(0.0, REF, false);
    let bands = series.len() <= 4;
    if bands {
        for (i, _, band) in &series {
            p.band(band, color(*i), 0.16);
        }
    }
    for (i, line, _) in &series {
        p.line(line, color(*i), 2.0, false, false);
        if h0.intervals <= 60 {
            p.dots(line, color(*i), 2.4, false);
        }
        p.legend(
            Mark::Line(color(*i), false),
            &format!("{} − {}", c.variants[*i].name, base.name),
        );
    }
    if bands {
        p.legend(Mark::Band(REF), "95% interval");
    }
    Some(p.finish(&format!(
        "Queue {qname}: service level difference to the first variant per interval, percentage points"
    )))
}

// ---------------------------------------------------------------------------
// Drawing helpers
// ---------------------------------------------------------------------------

/// A coordinate with one decimal.
fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// Approximate rendered width of text in the system sans-serif font.
fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// Tick positions on a "nice" step (1, 2 or 5 × 10ⁿ) covering `[lo, hi]`.
struct Ticks {
    lo: f64,
    hi: f64,
    step: f64,
    values: Vec<f64>,
}

fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// About `target` intervals of a nice step, extended to whole steps.
fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let (mut min, mut max) = if min.is_finite() && max.is_finite() {
        (min.min(max), min.max(max))
    } else {
        (0.0, 1.0)
    };
    if max - min <= 1e-9 * max.abs().max(1.0) {
        if max == 0.0 {
            max = 1.0;
        } else {
            let pad = max.abs() * 0.1;
            min = (min - pad).max(if min >= 0.0 { 0.0 } else { f64::MIN });
            max += pad;
        }
    }
    let step = nice_step(max - min, target);
    let lo = (min / step + 1e-9).floor() * step;
    let hi = (max / step - 1e-9).ceil() * step;
    let n = ((hi - lo) / step).round() as usize;
    let values = (0..=n)
        .map(|i| {
            let v = lo + i as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// `steps` whole steps of a nice size from 0 covering `max`, so that a
/// right-hand axis shares the left one's grid lines.
fn ticks_in_steps(max: f64, steps: usize) -> Ticks {
    let steps = steps.max(1);
    let step = if max.is_finite() && max > 0.0 {
        nice_step(max, steps)
    } else {
        1.0
    };
    Ticks {
        lo: 0.0,
        hi: step * steps as f64,
        step,
        values: (0..=steps).map(|i| i as f64 * step).collect(),
    }
}

/// A tick label with as many decimals as the step needs.
fn fmt_tick(v: f64, step: f64) -> String {
    if step >= 1000.0 && (v / 1000.0).fract() == 0.0 && v != 0.0 {
        return format!("{}k", v / 1000.0);
    }
    let dec = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()).max(0.0) as usize
    };
    format!("{v:.dec$}")
}

/// `hh:mm` (or `hh:mm:ss`) from the start of the horizon; hours go past 24.
fn hhmm(t: f64) -> String {
    let s = t.max(0.0).round() as u64;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    }
}

/// Tick labels at interval starts, every `stride` intervals so that about a
/// dozen fit, plus the end of the horizon when it falls on the stride.
fn time_ticks(h: &Horizon) -> Vec<(f64, String)> {
    let n = h.intervals.max(1);
    let mut stride = 1;
    for s in [1, 2, 3, 4, 6, 8, 12] {
        stride = s;
        if n.div_ceil(s) <= 12 {
            break;
        }
    }
    while n.div_ceil(stride) > 12 {
        stride = if stride < 24 { 24 } else { stride * 2 };
    }
    let mut out: Vec<(f64, String)> = (0..n)
        .step_by(stride)
        .map(|k| {
            let t = h.interval_start(k);
            (t, hhmm(t))
        })
        .collect();
    let last = out.last().map_or(0.0, |l| l.0);
    if h.open - last >= 0.8 * stride as f64 * h.interval {
        out.push((h.open, hhmm(h.open)));
    }
    out
}

struct Margins {
    l: f64,
    r: f64,
    t: f64,
    b: f64,
}

/// A linear map from data `[d0, d1]` to pixels `[r0, r1]`.
#[derive(Clone, Copy)]
struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// As [`at`](Self::at), with `v` first clamped into the domain.
    fn at_clamped(&self, v: f64) -> f64 {
        self.at(v.clamp(self.d0.min(self.d1), self.d0.max(self.d1)))
    }
}

/// How a legend entry is drawn.
enum Mark<'a> {
    Line(&'a str, bool),
    Band(&'a str),
    Bar(&'a str),
}

/// One SVG chart: a plot box with x and y scales (and an optional right
/// axis), its grid and axes, data marks and a legend along the top.
struct Plot {
    w: f64,
    h: f64,
    x: Scale,
    y: Scale,
    y2: Option<Scale>,
    axes: String,
    data: String,
    legend: Vec<(String, String)>,
}

impl Plot {
    fn new(w: f64, h: f64, m: Margins, xd: (f64, f64), yd: (f64, f64)) -> Plot {
        Plot {
            w,
            h,
            x: Scale {
                d0: xd.0,
                d1: xd.1,
                r0: m.l,
                r1: w - m.r,
            },
            y: Scale {
                d0: yd.0,
                d1: yd.1,
                r0: h - m.b,
                r1: m.t,
            },
            y2: None,
            axes: String::new(),
            data: String::new(),
            legend: Vec::new(),
        }
    }

    fn yscale(&self, right: bool) -> Scale {
        if right {
            self.y2.unwrap_or(self.y)
        } else {
            self.y
        }
    }

    fn rule(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
        let _ = write!(
            self.axes,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"/>"#,
            f1(x1),
            f1(y1),
            f1(x2),
            f1(y2)
        );
    }

    /// Left axis: horizontal grid lines, tick labels and a rotated title.
    fn y_axis(&mut self, t: &Ticks, suffix: &str, title: &str) {
        let (x0, x1) = (self.x.r0, self.x.r1);
        for &v in &t.values {
            let y = self.y.at(v);
            self.rule((x0, y), (x1, y), GRID);
            let _ = write!(
                self.axes,
                r#"<text x="{}" y="{}" dy="0.32em" text-anchor="end">{}{suffix}</text>"#,
                f1(x0 - 7.0),
                f1(y),
                fmt_tick(v, t.step)
            );
        }
        self.rule((x0, self.y.r0), (x0, self.y.r1), AXIS);
        let ym = (self.y.r0 + self.y.r1) / 2.0;
        let _ = write!(
            self.axes,
            r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle" fill="{LABEL}">{}</text>"#,
            f1(ym),
            esc(title)
        );
    }

    /// Right axis (uses `y2`): tick labels in the series' colour and a title.
    fn y2_axis(&mut self, t: &Ticks, title: &str, col: &str) {
        let Some(s) = self.y2 else { return };
        let x1 = self.x.r1;
        for &v in &t.values {
            let y = s.at(v);
            self.rule((x1, y), (x1 + 4.0, y), AXIS);
            let _ = write!(
                self.axes,
                r#"<text x="{}" y="{}" dy="0.32em" fill="{col}">{}</text>"#,
                f1(x1 + 7.0),
                f1(y),
                fmt_tick(v, t.step)
            );
        }
        self.rule((x1, s.r0), (x1, s.r1), AXIS);
        let ym = (s.r0 + s.r1) / 2.0;
        let _ = write!(
            self.axes,
            r#"<text transform="translate({} {}) rotate(-90)" text-anchor="middle" fill="{col}">{}</text>"#,
            f1(self.w - 14.0),
            f1(ym),
            esc(title)
        );
    }

    /// Bottom axis for a numeric x: vertical grid lines, labels, title.
    fn x_axis(&mut self, t: &Ticks, suffix: &str, title: &str) {
        let (y0, y1) = (self.y.r0, self.y.r1);
        for &v in &t.values {
            let x = self.x.at(v);
            self.rule((x, y0), (x, y1), GRID);
            let _ = write!(
                self.axes,
                r#"<text x="{}" y="{}" text-anchor="middle">{}{suffix}</text>"#,
                f1(x),
                f1(y0 + 17.0),
                fmt_tick(v, t.step)
            );
        }
        self.x_title(title);
    }

    fn x_title(&mut self, title: &str) {
        let (x0, x1, y0) = (self.x.r0, self.x.r1, self.y.r0);
        self.rule((x0, y0), (x1, y0), AXIS);
        let _ = write!(
            self.axes,
            r#"<text x="{}" y="{}" text-anchor="middle" fill="{LABEL}">{}</text>"#,
            f1((x0 + x1) / 2.0),
            f1(self.h - 8.0),
            esc(title)
        );
    }

    /// Bottom axis in time of day: labelled ticks at interval starts and
    /// small marks at every interval boundary.
    fn time_axis(&mut self, h: &Horizon) {
        let y0 = self.y.r0;
        if h.intervals <= 120 {
            for k in 1..h.intervals {
                let x = self.x.at(h.interval_start(k));
                self.rule((x, y0), (x, y0 + 3.0), AXIS);
            }
        }
        for (t, label) in time_ticks(h) {
            let x = self.x.at(t);
            self.rule((x, y0), (x, y0 + 6.0), AXIS);
            let _ = write!(
                self.axes,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                f1(x),
                f1(y0 + 19.0),
                label
            );
        }
        self.x_title("interval start (hh:mm from the start of the horizon)");
    }

    /// A line through `pts`, broken where a value is not finite; isolated
    /// points are drawn as dots.
    fn line(&mut self, pts: &[(f64, f64)], col: &str, width: f64, dash: bool, right: bool) {
        let ys = self.yscale(right);
        let dash = if dash {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let mut seg: Vec<(f64, f64)> = Vec::new();
        let flush = |seg: &mut Vec<(f64, f64)>, data: &mut String| {
            if seg.len() == 1 {
                let _ = write!(
                    data,
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{col}"/>"#,
                    f1(seg[0].0),
                    f1(seg[0].1),
                    f1(width + 0.8)
                );
            } else if seg.len() > 1 {
                let pts: Vec<String> = seg
                    .iter()
                    .map(|(x, y)| format!("{},{}", f1(*x), f1(*y)))
                    .collect();
                let _ = write!(
                    data,
                    r#"<polyline points="{}" fill="none" stroke="{col}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#,
                    pts.join(" ")
                );
            }
            seg.clear();
        };
        for &(x, y) in pts {
            if x.is_finite() && y.is_finite() {
                seg.push((self.x.at(x), ys.at_clamped(y)));
            } else {
                flush(&mut seg, &mut self.data);
            }
        }
        flush(&mut seg, &mut self.data);
    }

    /// Small dots at every finite point.
    fn dots(&mut self, pts: &[(f64, f64)], col: &str, r: f64, right: bool) {
        let ys = self.yscale(right);
        for &(x, y) in pts {
            if x.is_finite() && y.is_finite() {
                let _ = write!(
                    self.data,
                    r#"<circle cx="{}" cy="{}" r="{r}" fill="{col}"/>"#,
                    f1(self.x.at(x)),
                    f1(ys.at_clamped(y))
                );
            }
        }
    }

    /// A shaded band between `lo` and `hi`, broken where either is not finite.
    fn band(&mut self, pts: &[(f64, f64, f64)], col: &str, opacity: f64) {
        let ys = self.y;
        let mut seg: Vec<(f64, f64, f64)> = Vec::new();
        let flush = |seg: &mut Vec<(f64, f64, f64)>, data: &mut String| {
            if seg.len() == 1 {
                let (x, lo, hi) = seg[0];
                let _ = write!(
                    data,
                    r#"<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{col}" stroke-opacity="{3}" stroke-width="6"/>"#,
                    f1(x),
                    f1(lo),
                    f1(hi),
                    (opacity * 1.5).min(1.0)
                );
            } else if seg.len() > 1 {
                let upper = seg
                    .iter()
                    .map(|(x, _, hi)| format!("{},{}", f1(*x), f1(*hi)));
                let lower = seg
                    .iter()
                    .rev()
                    .map(|(x, lo, _)| format!("{},{}", f1(*x), f1(*lo)));
                let pts: Vec<String> = upper.chain(lower).collect();
                let _ = write!(
                    data,
                    r#"<polygon points="{}" fill="{col}" fill-opacity="{opacity}" stroke="none"/>"#,
                    pts.join(" ")
                );
            }
            seg.clear();
        };
        for &(x, lo, hi) in pts {
            if x.is_finite() && lo.is_finite() && hi.is_finite() {
                seg.push((self.x.at(x), ys.at_clamped(lo), ys.at_clamped(hi)));
            } else {
                flush(&mut seg, &mut self.data);
            }
        }
        flush(&mut seg, &mut self.data);
    }

    /// Bars from `x0` to `x1` up to `v` (undefined or non-positive: none).
    fn bars(&mut self, bars: &[(f64, f64, f64)], col: &str, opacity: f64, right: bool) {
        let ys = self.yscale(right);
        let base = ys.at_clamped(ys.d0.max(0.0));
        for &(a, b, v) in bars {
            if !(v.is_finite() && v > 0.0) {
                continue;
            }
            let (xa, xb) = (self.x.at(a), self.x.at(b));
            let gap = ((xb - xa) * 0.12).min(2.0);
            let y = ys.at_clamped(v);
            let _ = write!(
                self.data,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{col}" fill-opacity="{opacity}"/>"#,
                f1(xa + gap),
                f1(y),
                f1((xb - xa - 2.0 * gap).max(0.5)),
                f1((base - y).max(0.0))
            );
        }
    }

    /// A vertical error bar with caps at `x` from `lo` to `hi`.
    fn vwhisker(&mut self, x: f64, lo: f64, hi: f64, col: &str) {
        if !(x.is_finite() && lo.is_finite() && hi.is_finite()) {
            return;
        }
        let (px, a, b) = (self.x.at(x), self.y.at_clamped(lo), self.y.at_clamped(hi));
        let _ = write!(
            self.data,
            r#"<path d="M{0},{1}V{2}M{3},{1}H{4}M{3},{2}H{4}" stroke="{col}" stroke-width="1.4" fill="none"/>"#,
            f1(px),
            f1(a),
            f1(b),
            f1(px - 3.5),
            f1(px + 3.5)
        );
    }

    /// A horizontal error bar with caps at `y` from `lo` to `hi`.
    fn hwhisker(&mut self, y: f64, lo: f64, hi: f64, col: &str) {
        if !(y.is_finite() && lo.is_finite() && hi.is_finite()) {
            return;
        }
        let (py, a, b) = (self.y.at(y), self.x.at_clamped(lo), self.x.at_clamped(hi));
        let _ = write!(
            self.data,
            r#"<path d="M{1},{0}H{2}M{1},{3}V{4}M{2},{3}V{4}" stroke="{col}" stroke-width="1.4" fill="none"/>"#,
            f1(py),
            f1(a),
            f1(b),
            f1(py - 4.0),
            f1(py + 4.0)
        );
    }

    fn dot(&mut self, x: f64, y: f64, r: f64, col: &str) {
        if x.is_finite() && y.is_finite() {
            let _ = write!(
                self.data,
                r##"<circle cx="{}" cy="{}" r="{r}" fill="{col}" stroke="#fff" stroke-width="1"/>"##,
                f1(self.x.at_clamped(x)),
                f1(self.y.at_clamped(y))
            );
        }
    }

    /// A reference line across the plot at `y` (left axis).
    fn hline(&mut self, y: f64, col: &str, dash: bool) {
        let (x0, x1) = (self.x.d0, self.x.d1);
        self.line(&[(x0, y), (x1, y)], col, 1.4, dash, false);
    }

    /// A reference line across the plot at `x`.
    fn vline(&mut self, x: f64, col: &str, dash: bool) {
        if !x.is_finite() {
            return;
        }
        let px = self.x.at_clamped(x);
        let dash = if dash {
            r#" stroke-dasharray="5 4""#
        } else {
            ""
        };
        let _ = write!(
            self.data,
            r#"<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{col}" stroke-width="1.2"{dash}/>"#,
            f1(px),
            f1(self.y.r0),
            f1(self.y.r1)
        );
    }

    /// Adds a legend entry (the label is escaped here).
    fn legend(&mut self, mark: Mark, label: &str) {
        let sym = match mark {
            Mark::Line(col, dash) => format!(
                r#"<line x1="0" y1="0" x2="18" y2="0" stroke="{col}" stroke-width="2.2"{}/>"#,
                if dash {
                    r#" stroke-dasharray="5 3""#
                } else {
                    ""
                }
            ),
            Mark::Band(col) => {
                format!(
                    r#"<rect x="0" y="-5" width="18" height="10" fill="{col}" fill-opacity="0.22"/>"#
                )
            }
            Mark::Bar(col) => {
                format!(
                    r#"<rect x="3" y="-6" width="12" height="12" fill="{col}" fill-opacity="0.75"/>"#
                )
            }
        };
        self.legend.push((sym, short(label, 40)));
    }

    /// The finished `<svg>` element.
    fn finish(self, title: &str) -> String {
        // A legend that wraps onto more rows pushes the plot down.
        let mut legend = String::new();
        let mut extra = 0.0;
        if !self.legend.is_empty() {
            let (mut x, mut y) = (self.x.r0, 13.0);
            for (sym, label) in &self.legend {
                let w = 24.0 + text_w(label, 12.0) + 18.0;
                if x + w > self.w && x > self.x.r0 {
                    x = self.x.r0;
                    y += 16.0;
                }
                let _ = write!(
                    legend,
                    r#"<g transform="translate({} {})">{sym}<text x="24" y="0" dy="0.32em">{}</text></g>"#,
                    f1(x),
                    f1(y),
                    esc(label)
                );
                x += w;
            }
            extra = y - 13.0;
        }
        format!(
            "<svg viewBox=\"0 0 {} {}\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>\n<g transform=\"translate(0 {extra})\">{}\n{}</g>\n<g>{}</g>\n</svg>",
            self.w,
            self.h + extra,
            esc(title),
            self.axes,
            self.data,
            legend
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range_on_round_steps() {
        let t = nice_ticks(0.0, 87.0, 5);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 100.0, 20.0));
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(3.2, 3.9, 4);
        assert!(t.lo <= 3.2 && t.hi >= 3.9 && t.values.len() <= 9);
        assert_eq!(fmt_tick(0.30000000000000004, 0.1), "0.3");
        assert_eq!(fmt_tick(2000.0, 1000.0), "2k");
    }

    #[test]
    fn times_and_escapes() {
        assert_eq!(hhmm(0.0), "00:00");
        assert_eq!(hhmm(5400.0), "01:30");
        assert_eq!(hhmm(200.0 * 3600.0), "200:00");
        assert_eq!(
            esc(r#"<a & 'b' "c">"#),
            "&lt;a &amp; &#39;b&#39; &quot;c&quot;&gt;"
        );
        assert_eq!(short("abcdef", 4), "abc…");
    }
}
