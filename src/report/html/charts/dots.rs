//! A dot chart of one figure across variants: a row per variant with its
//! full name and value on a line of text, and below it the mean as a dot
//! with its 95% whiskers on a shared axis. Names wrap rather than being
//! cut, and nothing is written beside a whisker, so no label can run into
//! another.

use super::{SMALL, half_width};
use crate::report::html::format::fmt_value;
use crate::report::html::svg::{
    FAINT, LABEL, Margins, Plot, REF, f1, lines_text, nice_ticks, text_w, wrap,
};
use crate::results::{Estimate, Unit};
use maud::{Markup, html};

/// A variant's row: its name, colour and estimate.
pub struct DotRow {
    pub label: String,
    pub color: String,
    pub value: Option<Estimate>,
}

/// Line spacing of the names.
const LINE: f64 = 15.0;

/// `mean ± half-width` in the figure's unit (ratios in percent).
fn value_text(e: &Estimate, unit: Unit) -> String {
    let mean = fmt_value(e.mean, unit).unwrap_or_default();
    if !e.half_width.is_finite() {
        return mean;
    }
    let hw = if unit == Unit::Ratio {
        e.half_width * 100.0
    } else {
        e.half_width
    };
    format!("{mean} ± {hw:.1}")
}

/// One figure across variants, titled `title` with the x axis `axis`;
/// the first row's mean is marked by a dashed line. `None` when the figure
/// is undefined in every row.
pub fn dot_chart(title: &str, axis: &str, rows: &[DotRow], unit: Unit) -> Option<Markup> {
    let scale = if unit == Unit::Ratio { 100.0 } else { 1.0 };
    let vals: Vec<Option<(f64, f64)>> = rows
        .iter()
        .map(|r| {
            r.value
                .filter(|e| e.mean.is_finite())
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
    let m = Margins {
        l: 16.0,
        r: 16.0,
        t: 6.0,
        b: 44.0,
    };
    let w = SMALL.w;
    let inner = w - m.l - m.r;
    // Each row: the name (wrapped beside its value), then the whisker.
    let texts: Vec<(Vec<String>, String)> = rows
        .iter()
        .map(|r| {
            let v = r.value.filter(|e| e.mean.is_finite());
            let v = v.map_or_else(|| "undefined".to_string(), |e| value_text(&e, unit));
            let room = inner - text_w(&v, 12.0) - 14.0;
            (wrap(&r.label, room.max(inner * 0.4), 12.0), v)
        })
        .collect();
    let heights: Vec<f64> = texts
        .iter()
        .map(|(l, _)| LINE * l.len() as f64 + 20.0)
        .collect();
    let total: f64 = heights.iter().sum();
    let mut p = Plot::new(w, total + m.t + m.b, m, (xt.lo, xt.hi), (total, 0.0));
    let suffix = if unit == Unit::Ratio { "%" } else { "" };
    p.x_axis(&xt, suffix, axis);
    if let Some((m0, _)) = vals.first().copied().flatten() {
        p.vline(m0, REF, true);
    }
    let mut top = 0.0;
    for ((r, v), ((lines, value), h)) in rows.iter().zip(&vals).zip(texts.iter().zip(&heights)) {
        let y = p.y.at(top) + 8.0;
        p.mark(html! {
            g fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke" {
                (lines_text(m.l, y, lines, LINE))
            }
        });
        let fill = if v.is_some() { LABEL } else { FAINT };
        p.mark(html! {
            text x=(f1(w - m.r)) y=(f1(y)) dy="0.32em" text-anchor="end" fill=(fill)
                stroke="#fff" stroke-width="3" paint-order="stroke" { (value) }
        });
        if let Some((mean, hw)) = v {
            let yv = top + LINE * lines.len() as f64 + 6.0;
            p.hwhisker(yv, mean - hw, mean + hw, &r.color);
            p.dot(*mean, yv, 4.5, &r.color);
        }
        top += h;
    }
    Some(p.finish(&format!("{title} by variant, mean and 95% interval")))
}
