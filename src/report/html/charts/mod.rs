//! The reports' charts, drawn with the `svg` kit from plain data: per
//! queue, offered calls with each serving group's staffing, callbacks by
//! interval and callback work by the interval it is handled in
//! (`queue.rs`); lines by interval with confidence bands, for a
//! queue's ratios, a group's occupancy or one line per variant
//! (`lines.rs`); across variants, a dot chart per figure (`dots.rs`), the
//! callback-delay/abandonment trade-off (`tradeoff.rs`) and, for a sweep,
//! a figure against the varied value (`sweep.rs`). Here: the data they
//! take, their sizes and what they share.
//!
//! Charts along a time axis come in two [`Size`]s, [`WIDE`] for screens
//! and [`NARROW`] for phones; the page shows one or the other, so that the
//! text, which scales with the chart, stays readable on both.

mod dots;
mod lines;
mod queue;
mod staffing;
mod sweep;
mod tradeoff;

pub use dots::{DotRow, dot_chart};
pub use lines::{LinesChart, Series, YKind, lines_chart};
pub use queue::{callbacks_chart, handled_chart, offered_chart};
pub use staffing::staffing_chart;
pub use sweep::{SweepLine, XValues, sweep_chart};
pub use tradeoff::{TradeoffPoint, tradeoff_chart};

use super::svg::{Margins, Plot, Ticks, TimeGrid};
use crate::model::Horizon;
use crate::results::Estimate;

/// A figure for the time interval `[start, end)`, in seconds from the start
/// of the horizon.
#[derive(Clone, Copy, Debug)]
pub struct Timed<T> {
    pub start: f64,
    pub end: f64,
    pub value: T,
}

impl<T> Timed<T> {
    /// The middle of the interval, where its point is drawn.
    fn mid(&self) -> f64 {
        (self.start + self.end) / 2.0
    }
}

/// A plot along the clock-time axis `g`, with a count axis `yt` titled
/// `title` on the left: the frame of the charts of counts by interval.
fn count_plot(size: Size, g: &TimeGrid, yt: &Ticks, title: &str) -> Plot {
    let mut p = Plot::new(
        size.w,
        size.h,
        size.time_margins(),
        (0.0, g.end),
        (yt.lo, yt.hi),
    );
    p.y_axis(yt, "", title);
    p.time_axis(g, TIME_TITLE);
    p
}

/// The horizon's planning intervals as a clock-time axis.
pub fn time_grid(h: &Horizon) -> TimeGrid {
    TimeGrid {
        origin: h.start,
        end: h.open,
        step: h.interval,
        count: h.intervals,
    }
}

/// A chart's size in SVG user units, which the page scales to its width:
/// about one CSS pixel per unit for [`WIDE`] on a screen and [`NARROW`] on
/// a phone, so that 12-unit text reads as about 12 px on both.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

/// A full-width chart on a screen.
pub const WIDE: Size = Size { w: 900.0, h: 300.0 };
/// A full-width chart on a phone.
pub const NARROW: Size = Size { w: 380.0, h: 260.0 };
/// A chart in a two-column grid on a screen, or full width on a phone.
pub const SMALL: Size = Size { w: 400.0, h: 250.0 };

impl Size {
    /// The margins of a chart along a time axis (room for the left axis'
    /// labels and title, the legend's first row and the time labels).
    fn time_margins(self) -> Margins {
        if self.w < 600.0 {
            Margins {
                l: 56.0,
                r: 22.0,
                t: 32.0,
                b: 46.0,
            }
        } else {
            Margins {
                l: 66.0,
                r: 24.0,
                t: 34.0,
                b: 48.0,
            }
        }
    }
}

/// The title of every time axis.
const TIME_TITLE: &str = "clock time";
/// Series with at most this many points also get a dot at each.
const DOTS_UP_TO: usize = 60;

/// A line's points `(x, y)` and a band's `(x, lo, hi)`.
type Line = Vec<(f64, f64)>;
type Band = Vec<(f64, f64, f64)>;

/// Per-interval points (x = interval middle): the mean and the CI band,
/// scaled; `NaN` where undefined.
fn interval_points(cells: &[Timed<Estimate>], scale: f64) -> (Line, Band) {
    let line = cells
        .iter()
        .map(|c| (c.mid(), c.value.mean * scale))
        .collect();
    let band = cells
        .iter()
        .map(|c| {
            let e = c.value;
            (
                c.mid(),
                (e.mean - e.half_width) * scale,
                (e.mean + e.half_width) * scale,
            )
        })
        .collect();
    (line, band)
}

/// The half-width, or 0 where undefined (drawn without whiskers).
fn half_width(e: &Estimate) -> f64 {
    if e.half_width.is_finite() {
        e.half_width
    } else {
        0.0
    }
}
