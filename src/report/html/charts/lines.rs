//! Lines by interval with their 95% confidence bands: one queue's service
//! level or abandon rate, each agent group's occupancy, or a line per
//! variant of one of those, or of its difference to the first variant.

use super::{Band, DOTS_UP_TO, Line, Size, TIME_TITLE, Timed, interval_points};
use crate::report::html::svg::{Mark, Plot, REF, Ticks, TimeGrid, nice_ticks};
use crate::results::Estimate;
use maud::Markup;

/// A line by interval: its label, colour and figures.
pub struct Series {
    pub label: String,
    pub color: String,
    pub points: Vec<Timed<Estimate>>,
}

/// What the y axis shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum YKind {
    /// A ratio, in percent on a fixed 0–100% axis.
    Percent100,
    /// A ratio, in percent from 0 up to the highest value.
    Percent,
    /// A count, from 0 up to the highest value.
    Count,
    /// A difference of ratios in percentage points, around zero.
    PointsDiff,
}

/// How a [`lines_chart`] is labelled.
pub struct LinesChart<'a> {
    /// The chart's accessible name.
    pub title: &'a str,
    pub y_title: &'a str,
    pub kind: YKind,
    /// A dashed reference line at this value (in the axis' units) and its
    /// legend entry.
    pub reference: Option<(f64, &'a str)>,
    /// Name the series in the chart's legend; otherwise the page does.
    pub legend: bool,
    /// The right end of the time axis (at least the grid's end).
    pub x_max: f64,
}

/// Up to this many series get their confidence bands.
const BANDS_UP_TO: usize = 4;

/// The y ticks of `kind` covering the lines and bands.
fn y_ticks(kind: YKind, pts: &[(Line, Band)]) -> Ticks {
    let values = || {
        pts.iter()
            .flat_map(|(l, b)| {
                l.iter()
                    .map(|p| p.1)
                    .chain(b.iter().flat_map(|p| [p.1, p.2]))
            })
            .filter(|v| v.is_finite())
    };
    let hi = values().fold(0.0, f64::max);
    match kind {
        YKind::Percent100 => nice_ticks(0.0, 100.0, 5),
        YKind::Percent => nice_ticks(0.0, hi.min(100.0), 5),
        YKind::Count => nice_ticks(0.0, hi, 5),
        YKind::PointsDiff => nice_ticks(values().fold(0.0, f64::min), hi, 6),
    }
}

/// A line per series on the time axis `g`, with confidence bands when
/// there are few series.
pub fn lines_chart(size: Size, g: &TimeGrid, series: &[Series], spec: &LinesChart) -> Markup {
    let scale = if spec.kind == YKind::Count {
        1.0
    } else {
        100.0
    };
    let pts: Vec<_> = series
        .iter()
        .map(|s| interval_points(&s.points, scale))
        .collect();
    let yt = y_ticks(spec.kind, &pts);
    let x_max = spec.x_max.max(g.end);
    let mut p = Plot::new(
        size.w,
        size.h,
        size.time_margins(),
        (0.0, x_max),
        (yt.lo, yt.hi),
    );
    let suffix = match spec.kind {
        YKind::Percent100 | YKind::Percent => "%",
        YKind::Count | YKind::PointsDiff => "",
    };
    p.y_axis(&yt, suffix, spec.y_title);
    p.time_axis(g, TIME_TITLE);
    if spec.kind == YKind::PointsDiff {
        p.hline(0.0, REF, false);
    }
    if let Some((y, _)) = spec.reference {
        p.hline(y, REF, true);
    }
    let bands = series.len() <= BANDS_UP_TO;
    if bands {
        let opacity = if series.len() == 1 { 0.18 } else { 0.12 };
        for (s, (_, band)) in series.iter().zip(&pts) {
            p.band(band, &s.color, opacity);
        }
    }
    for (s, (line, _)) in series.iter().zip(&pts) {
        p.line(line, &s.color, 2.0, false, false);
        if s.points.len() <= DOTS_UP_TO {
            p.dots(line, &s.color, 2.4, false);
        }
        if spec.legend {
            p.legend(Mark::Line(&s.color, false), &s.label);
        }
    }
    if bands && !series.is_empty() {
        let col = match series {
            [one] => one.color.as_str(),
            _ => REF,
        };
        p.legend(Mark::Band(col), "95% confidence interval");
    }
    if let Some((_, label)) = spec.reference {
        p.legend(Mark::Line(REF, true), label);
    }
    p.finish(spec.title)
}
