//! The trade-off scatter: each variant's mean callback delay (x) against
//! its abandon rate (y), with 95% whiskers both ways. A point is labelled
//! with its variant's number, set where it overlaps no dot and no other
//! number (joined to its dot by a leader line when set further out); the
//! page lists the numbers with the full names beside the chart.

use super::{Size, half_width};
use crate::report::html::svg::{FAINT, Margins, Plot, f1, nice_ticks, text_w};
use crate::results::Estimate;
use maud::{Markup, html};

/// A variant's point: its number (as the page lists it), colour, mean
/// callback delay (seconds) and abandon rate (a ratio).
pub struct TradeoffPoint {
    pub number: usize,
    pub color: String,
    pub delay: Estimate,
    pub abandon: Estimate,
}

/// A box `(x, y, w, h)` in pixels.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    !(a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1)
}

/// Where a label of `tw` × `th` may go around a point at `(px, py)`, the
/// nearest first: rings of growing distance, eight places on each.
fn candidates(px: f64, py: f64, tw: f64, th: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for r in [9.0, 16.0, 26.0, 38.0, 52.0, 68.0, 86.0, 106.0, 128.0] {
        let d = r * 0.7;
        // Diagonals first: the point's own whiskers run straight out.
        out.extend([
            (px + d, py - d - th),
            (px - d - tw, py - d - th),
            (px + d, py + d),
            (px - d - tw, py + d),
            (px + r, py - th / 2.0),
            (px - r - tw, py - th / 2.0),
            (px - tw / 2.0, py - r - th),
            (px - tw / 2.0, py + r),
        ]);
    }
    out
}

/// The scatter, `None` without points.
pub fn tradeoff_chart(size: Size, points: &[TradeoffPoint]) -> Option<Markup> {
    struct Pt<'a> {
        t: &'a TradeoffPoint,
        x: f64,
        xh: f64,
        y: f64,
        yh: f64,
    }
    let pts: Vec<Pt> = points
        .iter()
        .map(|t| Pt {
            t,
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
    let narrow = size.w < 600.0;
    let xt = nice_ticks(x0, x1, if narrow { 4 } else { 6 });
    let yt = nice_ticks(y0, y1.min(100.0), 5);
    let m = Margins {
        l: if narrow { 56.0 } else { 66.0 },
        r: if narrow { 14.0 } else { 24.0 },
        t: 12.0,
        b: 48.0,
    };
    // Taller than a time chart: points spread in both directions.
    let mut p = Plot::new(size.w, size.h * 1.3, m, (xt.lo, xt.hi), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", "abandon rate (%)");
    let x_title = if narrow {
        "mean callback delay (s)"
    } else {
        "mean callback delay, request to customer connected (s)"
    };
    p.x_axis(&xt, "", x_title);
    for q in &pts {
        p.hwhisker(q.y, q.x - q.xh, q.x + q.xh, &q.t.color);
        p.vwhisker(q.x, q.y - q.yh, q.y + q.yh, &q.t.color);
    }
    for q in &pts {
        p.dot(q.x, q.y, 5.0, &q.t.color);
    }
    // Numbers: the nearest candidate place inside the plot that overlaps
    // no dot and no number placed before; a leader line joins a number
    // set beyond the first ring.
    let th = 14.0;
    let mut taken: Vec<Rect> = pts
        .iter()
        .map(|q| (p.x.at(q.x) - 5.5, p.y.at(q.y) - 5.5, 11.0, 11.0))
        .collect();
    for q in &pts {
        let label = q.t.number.to_string();
        let (px, py) = (p.x.at_clamped(q.x), p.y.at_clamped(q.y));
        let tw = text_w(&label, 12.0) + 4.0;
        let cands = candidates(px, py, tw, th);
        let inside = |&(x, y): &(f64, f64)| {
            x >= p.x.r0 + 1.0 && x + tw <= p.x.r1 - 1.0 && y >= p.y.r1 && y + th <= p.y.r0
        };
        let free = |&(x, y): &(f64, f64)| taken.iter().all(|&t| !overlaps((x, y, tw, th), t));
        let (n, (lx, ly)) = cands
            .iter()
            .copied()
            .enumerate()
            .find(|(_, c)| inside(c) && free(c))
            .or_else(|| cands.iter().copied().enumerate().find(|(_, c)| free(c)))
            .unwrap_or((0, cands[0]));
        taken.push((lx, ly, tw, th));
        if n >= 8 {
            let (ex, ey) = (px.clamp(lx, lx + tw), py.clamp(ly, ly + th));
            p.mark(html! {
                line x1=(f1(px)) y1=(f1(py)) x2=(f1(ex)) y2=(f1(ey)) stroke=(FAINT)
                    stroke-width="0.8" {}
            });
        }
        p.mark(html! {
            text x=(f1(lx + tw / 2.0)) y=(f1(ly + th / 2.0)) dy="0.35em" text-anchor="middle"
                fill=(q.t.color) font-weight="700" stroke="#fff" stroke-width="3"
                paint-order="stroke" { (label) }
        });
    }
    Some(p.finish("Trade-off: mean callback delay (s) against abandon rate (%), by variant number"))
}
