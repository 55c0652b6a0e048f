//! The charts that set variants side by side: a dot chart of one figure
//! per variant, the trade-off scatter of callback delay against abandon
//! rate, and service level by interval for every variant and as a
//! difference to the first one.

use super::{DOTS_UP_TO, H, TIME_MARGINS, TIME_TITLE, Timed, W, interval_points};
use crate::report::html::format::fmt_value;
use crate::report::html::svg::{
    FAINT, LABEL, Margins, Mark, Plot, REF, TimeGrid, color, f1, nice_ticks, short, text_w,
};
use crate::results::{Estimate, Unit};
use maud::{Markup, html};

/// The half-width, or 0 where undefined (drawn without whiskers).
fn half_width(e: &Estimate) -> f64 {
    if e.half_width.is_finite() {
        e.half_width
    } else {
        0.0
    }
}

/// One figure across variants: a row per variant, dot at the mean with 95%
/// whiskers; `None` when the figure is undefined in every variant.
pub fn dot_chart(title: &str, rows: &[(String, Option<Estimate>)], unit: Unit) -> Option<Markup> {
    let scale = if unit == Unit::Ratio { 100.0 } else { 1.0 };
    let vals: Vec<Option<(f64, f64)>> = rows
        .iter()
        .map(|(_, e)| {
            e.filter(|e| e.mean.is_finite())
                .map(|e| (e.mean * scale, half_width(&e) * scale))
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
    if let Some((m0, _)) = vals.first().copied().flatten() {
        p.vline(m0, REF, true);
    }
    for (i, (label, v)) in labels.iter().zip(&vals).enumerate() {
        let yv = rows.len() as f64 - i as f64 - 0.5;
        let y = p.y.at(yv);
        let full = &rows[i].0;
        let lx = p.x.r0 - 8.0;
        p.mark(html! {
            text x=(f1(lx)) y=(f1(y)) dy="0.32em" text-anchor="end" { title { (full) } (label) }
        });
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
                p.mark(html! {
                    text x=(f1(tx)) y=(f1(y + 4.0)) dy="-0.5em" text-anchor=(anchor)
                        font-size="11" fill=(LABEL) { (txt) }
                });
            }
            None => {
                let nx = p.x.r0 + 6.0;
                p.mark(html! {
                    text x=(f1(nx)) y=(f1(y)) dy="0.32em" font-size="11" fill=(FAINT) {
                        "undefined (n/a)"
                    }
                });
            }
        }
    }
    Some(p.finish(&format!("{title} by variant, mean and 95% interval")))
}

/// A variant's point in the trade-off chart: its colour index, name, mean
/// callback delay (seconds) and abandon rate (a ratio).
pub struct TradeoffPoint {
    pub index: usize,
    pub name: String,
    pub delay: Estimate,
    pub abandon: Estimate,
}

/// The trade-off scatter: callback delay (x) against abandon rate (y, in
/// percent), one labelled point per variant; `None` without points.
pub fn tradeoff_chart(points: &[TradeoffPoint]) -> Option<Markup> {
    struct Pt {
        i: usize,
        x: f64,
        xh: f64,
        y: f64,
        yh: f64,
    }
    let pts: Vec<Pt> = points
        .iter()
        .map(|t| Pt {
            i: t.index,
            x: t.delay.mean,
            xh: half_width(&t.delay),
            y: t.abandon.mean * 100.0,
            yh: half_width(&t.abandon) * 100.0,
        })
        .collect();
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
    for (q, t) in pts.iter().zip(points) {
        let label = short(&t.name, 32);
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
            p.mark(html! {
                line x1=(f1(px)) y1=(f1(py)) x2=(f1(ex)) y2=(f1(ey)) stroke=(FAINT)
                    stroke-width="0.8" {}
            });
        }
        p.mark(html! {
            text x=(f1(lx)) y=(f1(ly)) dy="0.8em" fill="#333" font-weight="600" stroke="#fff"
                stroke-width="3" paint-order="stroke" { (label) }
        });
    }
    Some(p.finish("Trade-off: mean callback delay (s) against abandon rate (%), by variant"))
}

/// A per-interval series of one variant: its colour index, legend label
/// and figures.
pub struct SlSeries {
    pub index: usize,
    pub label: String,
    pub points: Vec<Timed<Estimate>>,
}

/// Service level per interval of one queue, a line per variant (with its
/// confidence band when `bands`), on the axis `g` stretched to `x_max`.
pub fn sl_variants_chart(
    g: &TimeGrid,
    x_max: f64,
    series: &[SlSeries],
    bands: bool,
    queue: &str,
) -> Markup {
    let yt = nice_ticks(0.0, 100.0, 5);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, x_max), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", "service level (%)");
    p.time_axis(g, TIME_TITLE);
    p.hline(80.0, REF, true);
    let lines: Vec<_> = series
        .iter()
        .map(|s| {
            let (line, band) = interval_points(&s.points, 100.0);
            if bands {
                p.band(&band, color(s.index), 0.12);
            }
            line
        })
        .collect();
    for (s, line) in series.iter().zip(&lines) {
        p.line(line, color(s.index), 2.0, false, false);
        if s.points.len() <= DOTS_UP_TO {
            p.dots(line, color(s.index), 2.4, false);
        }
        p.legend(Mark::Line(color(s.index), false), &s.label);
    }
    p.legend(Mark::Line(REF, true), "80% reference");
    p.finish(&format!(
        "Queue {queue}: service level per interval by variant, %"
    ))
}

/// Per-interval differences of service level to the first variant, in
/// percentage points, with their 95% bands (up to four series); `None`
/// without series.
pub fn sl_difference_chart(g: &TimeGrid, series: &[SlSeries], queue: &str) -> Option<Markup> {
    if series.is_empty() {
        return None;
    }
    let pts: Vec<_> = series
        .iter()
        .map(|s| interval_points(&s.points, 100.0))
        .collect();
    let finite = || {
        pts.iter()
            .flat_map(|(l, b)| {
                l.iter()
                    .map(|p| p.1)
                    .chain(b.iter().flat_map(|p| [p.1, p.2]))
            })
            .filter(|v| v.is_finite())
    };
    let lo = finite().fold(0.0, f64::min);
    let hi = finite().fold(0.0, f64::max);
    let yt = nice_ticks(lo, hi, 6);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, g.end), (yt.lo, yt.hi));
    p.y_axis(&yt, "", "service level difference (pp)");
    p.time_axis(g, TIME_TITLE);
    p.hline(0.0, REF, false);
    let bands = series.len() <= 4;
    if bands {
        for (s, (_, band)) in series.iter().zip(&pts) {
            p.band(band, color(s.index), 0.16);
        }
    }
    for (s, (line, _)) in series.iter().zip(&pts) {
        p.line(line, color(s.index), 2.0, false, false);
        if g.count <= DOTS_UP_TO {
            p.dots(line, color(s.index), 2.4, false);
        }
        p.legend(Mark::Line(color(s.index), false), &s.label);
    }
    if bands {
        p.legend(Mark::Band(REF), "95% interval");
    }
    Some(p.finish(&format!(
        "Queue {queue}: service level difference to the first variant per interval, percentage points"
    )))
}
