//! The data marks a [`Plot`] draws, in data coordinates: lines broken at
//! undefined values, dots, shaded bands, bars, error whiskers and reference
//! lines. Values that are not finite are left out, so a series with gaps
//! draws as separate pieces.

use super::plot::{Plot, Scale};
use super::text::{f1, points};
use maud::html;

/// Splits `pts` into runs where `ok` holds, mapped by `f`.
fn runs<T: Copy, U>(pts: &[T], ok: impl Fn(&T) -> bool, f: impl Fn(&T) -> U) -> Vec<Vec<U>> {
    let mut out = vec![Vec::new()];
    for p in pts {
        if ok(p) {
            out.last_mut().expect("never empty").push(f(p));
        } else if !out.last().expect("never empty").is_empty() {
            out.push(Vec::new());
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

impl Plot {
    fn yscale(&self, right: bool) -> Scale {
        if right {
            self.y2.unwrap_or(self.y)
        } else {
            self.y
        }
    }

    /// A line through `pts`, broken where a value is not finite; isolated
    /// points are drawn as dots. `right` plots against the right axis.
    pub fn line(&mut self, pts: &[(f64, f64)], col: &str, width: f64, dash: bool, right: bool) {
        let ys = self.yscale(right);
        let (xs, dash) = (self.x, dash.then_some("6 4"));
        let segs = runs(
            pts,
            |(x, y)| x.is_finite() && y.is_finite(),
            |&(x, y)| (xs.at(x), ys.at_clamped(y)),
        );
        for seg in segs {
            self.mark(if let [(x, y)] = seg[..] {
                html! { circle cx=(f1(x)) cy=(f1(y)) r=(f1(width + 0.8)) fill=(col) {} }
            } else {
                html! {
                    polyline points=(points(&seg)) fill="none" stroke=(col) stroke-width=(width)
                        stroke-linejoin="round" stroke-dasharray=[dash] {}
                }
            });
        }
    }

    /// Small dots at every finite point.
    pub fn dots(&mut self, pts: &[(f64, f64)], col: &str, r: f64, right: bool) {
        let ys = self.yscale(right);
        for &(x, y) in pts {
            if x.is_finite() && y.is_finite() {
                let (cx, cy) = (self.x.at(x), ys.at_clamped(y));
                self.mark(html! { circle cx=(f1(cx)) cy=(f1(cy)) r=(r) fill=(col) {} });
            }
        }
    }

    /// A shaded band between `lo` and `hi` at each `x`, broken where a value
    /// is not finite; an isolated point is drawn as a short thick bar.
    pub fn band(&mut self, pts: &[(f64, f64, f64)], col: &str, opacity: f64) {
        let (xs, ys) = (self.x, self.y);
        let segs = runs(
            pts,
            |(x, lo, hi)| x.is_finite() && lo.is_finite() && hi.is_finite(),
            |&(x, lo, hi)| (xs.at(x), ys.at_clamped(lo), ys.at_clamped(hi)),
        );
        for seg in segs {
            self.mark(if let [(x, lo, hi)] = seg[..] {
                html! {
                    line x1=(f1(x)) y1=(f1(lo)) x2=(f1(x)) y2=(f1(hi)) stroke=(col)
                        stroke-opacity=((opacity * 1.5).min(1.0)) stroke-width="6" {}
                }
            } else {
                let outline: Vec<(f64, f64)> = seg
                    .iter()
                    .map(|&(x, _, hi)| (x, hi))
                    .chain(seg.iter().rev().map(|&(x, lo, _)| (x, lo)))
                    .collect();
                html! {
                    polygon points=(points(&outline)) fill=(col) fill-opacity=(opacity) stroke="none" {}
                }
            });
        }
    }

    /// Bars from `x0` to `x1` up to `v` (undefined or non-positive: none).
    pub fn bars(&mut self, bars: &[(f64, f64, f64)], col: &str, opacity: f64, right: bool) {
        let ys = self.yscale(right);
        let base = ys.at_clamped(ys.d0.max(0.0));
        for &(a, b, v) in bars {
            if !(v.is_finite() && v > 0.0) {
                continue;
            }
            let (xa, xb) = (self.x.at(a), self.x.at(b));
            let gap = ((xb - xa) * 0.12).min(2.0);
            let y = ys.at_clamped(v);
            self.mark(html! {
                rect x=(f1(xa + gap)) y=(f1(y)) width=(f1((xb - xa - 2.0 * gap).max(0.5)))
                    height=(f1((base - y).max(0.0))) fill=(col) fill-opacity=(opacity) {}
            });
        }
    }

    /// Stacked bars: over each span `(x0, x1)`, one piece per layer
    /// `(colour, values)`, the first at the bottom (undefined or
    /// non-positive values add nothing).
    pub fn stacked_bars(&mut self, spans: &[(f64, f64)], layers: &[(&str, &[f64])], opacity: f64) {
        for (i, &(a, b)) in spans.iter().enumerate() {
            let (xa, xb) = (self.x.at(a), self.x.at(b));
            let gap = ((xb - xa) * 0.12).min(2.0);
            let mut bottom = 0.0;
            for &(col, values) in layers {
                let v = values.get(i).copied().unwrap_or(f64::NAN);
                if !(v.is_finite() && v > 0.0) {
                    continue;
                }
                let (y0, y1) = (self.y.at_clamped(bottom), self.y.at_clamped(bottom + v));
                bottom += v;
                self.mark(html! {
                    rect x=(f1(xa + gap)) y=(f1(y1)) width=(f1((xb - xa - 2.0 * gap).max(0.5)))
                        height=(f1((y0 - y1).max(0.0))) fill=(col) fill-opacity=(opacity) {}
                });
            }
        }
    }

    /// A vertical error bar with caps at `x` from `lo` to `hi`.
    pub fn vwhisker(&mut self, x: f64, lo: f64, hi: f64, col: &str) {
        if !(x.is_finite() && lo.is_finite() && hi.is_finite()) {
            return;
        }
        let (px, a, b) = (self.x.at(x), self.y.at_clamped(lo), self.y.at_clamped(hi));
        let (c0, c1) = (f1(px - 3.5), f1(px + 3.5));
        let d = format!(
            "M{},{a}V{b}M{c0},{a}H{c1}M{c0},{b}H{c1}",
            f1(px),
            a = f1(a),
            b = f1(b)
        );
        self.whisker(d, col);
    }

    /// A horizontal error bar with caps at `y` from `lo` to `hi`.
    pub fn hwhisker(&mut self, y: f64, lo: f64, hi: f64, col: &str) {
        if !(y.is_finite() && lo.is_finite() && hi.is_finite()) {
            return;
        }
        let (py, a, b) = (self.y.at(y), self.x.at_clamped(lo), self.x.at_clamped(hi));
        let (c0, c1) = (f1(py - 4.0), f1(py + 4.0));
        let d = format!(
            "M{a},{}H{b}M{a},{c0}V{c1}M{b},{c0}V{c1}",
            f1(py),
            a = f1(a),
            b = f1(b)
        );
        self.whisker(d, col);
    }

    fn whisker(&mut self, d: String, col: &str) {
        self.mark(html! { path d=(d) stroke=(col) stroke-width="1.4" fill="none" {} });
    }

    /// A dot with a white rim at `(x, y)`, clamped into the plot.
    pub fn dot(&mut self, x: f64, y: f64, r: f64, col: &str) {
        if x.is_finite() && y.is_finite() {
            let (cx, cy) = (self.x.at_clamped(x), self.y.at_clamped(y));
            self.mark(html! {
                circle cx=(f1(cx)) cy=(f1(cy)) r=(r) fill=(col) stroke="#fff" stroke-width="1" {}
            });
        }
    }

    /// A reference line across the plot at `y` (left axis).
    pub fn hline(&mut self, y: f64, col: &str, dash: bool) {
        let (x0, x1) = (self.x.d0, self.x.d1);
        self.line(&[(x0, y), (x1, y)], col, 1.4, dash, false);
    }

    /// A reference line across the plot at `x`.
    pub fn vline(&mut self, x: f64, col: &str, dash: bool) {
        if !x.is_finite() {
            return;
        }
        let px = f1(self.x.at_clamped(x));
        let (y0, y1) = (f1(self.y.r0), f1(self.y.r1));
        self.mark(html! {
            line x1=(px) y1=(y0) x2=(px) y2=(y1) stroke=(col) stroke-width="1.2"
                stroke-dasharray=[dash.then_some("5 4")] {}
        });
    }
}
