//! A sweep's figure against the varied value: the values along x (on a
//! numeric axis when they are numbers or durations, as categories
//! otherwise), the figure's mean with 95% whiskers up, a line per
//! combination of the other varied keys' values, each a little apart from
//! the others so that their whiskers do not hide each other.

use super::{SMALL, half_width};
use crate::report::html::svg::{Margins, Plot, nice_ticks};
use crate::results::{Estimate, Unit};
use maud::Markup;

/// The varied values along the x axis.
pub enum XValues {
    /// Positions on a numeric axis (seconds for durations), with the values
    /// as written for the tick labels.
    Numeric { at: Vec<f64>, labels: Vec<String> },
    /// Evenly spaced categories.
    Categories(Vec<String>),
}

impl XValues {
    fn len(&self) -> usize {
        match self {
            XValues::Numeric { at, .. } => at.len(),
            XValues::Categories(c) => c.len(),
        }
    }

    /// The position of value `i` on the axis.
    fn at(&self, i: usize) -> f64 {
        match self {
            XValues::Numeric { at, .. } => at[i],
            XValues::Categories(_) => i as f64,
        }
    }

    fn label(&self, i: usize) -> &str {
        match self {
            XValues::Numeric { labels, .. } => &labels[i],
            XValues::Categories(c) => &c[i],
        }
    }

    /// The axis' domain, with room beside the first and last value.
    fn domain(&self) -> (f64, f64) {
        match self {
            XValues::Numeric { at, .. } => {
                let lo = at.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = at.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.05).max(1e-9);
                (lo - pad, hi + pad)
            }
            XValues::Categories(c) => (-0.5, c.len() as f64 - 0.5),
        }
    }
}

/// One line (the page names it): its colour and the estimate at each x
/// value it has, by index into the [`XValues`].
pub struct SweepLine {
    pub color: String,
    pub points: Vec<(usize, Option<Estimate>)>,
}

/// The figure of `unit` against the x values, titled `title`; `None` when
/// it is undefined at every point.
pub fn sweep_chart(
    title: &str,
    x: &XValues,
    x_title: &str,
    y_title: &str,
    lines: &[SweepLine],
    unit: Unit,
) -> Option<Markup> {
    let scale = if unit == Unit::Ratio { 100.0 } else { 1.0 };
    let value = |e: &Option<Estimate>| {
        e.filter(|e| e.mean.is_finite())
            .map(|e| (e.mean * scale, half_width(&e) * scale))
    };
    let all: Vec<(f64, f64)> = lines
        .iter()
        .flat_map(|l| l.points.iter().filter_map(|(_, e)| value(e)))
        .collect();
    if all.is_empty() || x.len() == 0 {
        return None;
    }
    let lo = all.iter().map(|(m, h)| m - h).fold(f64::INFINITY, f64::min);
    let hi = all
        .iter()
        .map(|(m, h)| m + h)
        .fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01);
    let (lo, mut hi) = ((lo - pad).max(0.0), hi + pad);
    if unit == Unit::Ratio {
        hi = hi.min(100.0);
    }
    let yt = nice_ticks(lo, hi.max(lo), 5);
    let m = Margins {
        l: 58.0,
        r: 16.0,
        t: 12.0,
        b: 48.0,
    };
    let mut p = Plot::new(SMALL.w, SMALL.h, m, x.domain(), (yt.lo, yt.hi));
    let suffix = if unit == Unit::Ratio { "%" } else { "" };
    p.y_axis(&yt, suffix, y_title);
    let ticks: Vec<(f64, String)> = (0..x.len())
        .map(|i| (x.at(i), x.label(i).to_string()))
        .collect();
    p.x_axis_labels(&ticks, x_title);
    // Lines side by side, a few pixels apart, centred on the value.
    let per_px = (p.x.d1 - p.x.d0) / (p.x.r1 - p.x.r0);
    let n = lines.len() as f64;
    for (i, l) in lines.iter().enumerate() {
        let dx = (i as f64 - (n - 1.0) / 2.0) * 5.0 * per_px;
        let mut pts: Vec<(f64, f64, f64)> = l
            .points
            .iter()
            .map(|(k, e)| {
                let (mean, hw) = value(e).unwrap_or((f64::NAN, f64::NAN));
                (x.at(*k) + dx, mean, hw)
            })
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let line: Vec<(f64, f64)> = pts.iter().map(|&(px, m, _)| (px, m)).collect();
        p.line(&line, &l.color, 1.8, false, false);
        for &(px, mean, hw) in &pts {
            p.vwhisker(px, mean - hw, mean + hw, &l.color);
            p.dot(px, mean, 3.5, &l.color);
        }
    }
    Some(p.finish(title))
}
