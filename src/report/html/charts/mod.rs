//! The reports' eight charts, drawn with the `svg` kit from plain data:
//! per queue, offered calls and staffing, service level, abandon rate and
//! callbacks by interval (`queue.rs`); across variants, a dot chart per
//! figure, the callback-delay/abandonment trade-off, and service level by
//! interval and its difference to the first variant (`variants.rs`). Here:
//! the data they take and what they share.

mod queue;
mod variants;

pub use queue::{RatioChart, callbacks_chart, offered_chart, ratio_chart};
pub use variants::{
    SlSeries, TradeoffPoint, dot_chart, sl_difference_chart, sl_variants_chart, tradeoff_chart,
};

use super::svg::{Margins, TimeGrid};
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

/// The horizon's planning intervals as a time axis.
pub fn time_grid(h: &Horizon) -> TimeGrid {
    TimeGrid {
        end: h.open,
        step: h.interval,
        count: h.intervals,
    }
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
/// The title of every time axis.
const TIME_TITLE: &str = "interval start (hh:mm from the start of the horizon)";
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
