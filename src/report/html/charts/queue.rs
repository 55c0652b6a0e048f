//! One queue's charts by interval: offered calls with staffed agents,
//! a ratio (service level or abandon rate) with its confidence band, and
//! callbacks offered and requested. Each takes the queue's per-interval
//! figures and the time axis.

use super::{DOTS_UP_TO, H, TIME_MARGINS, TIME_TITLE, Timed, W, interval_points};
use crate::report::html::svg::{
    Margins, Mark, Plot, REF, Scale, TimeGrid, color, nice_ticks, ticks_in_steps,
};
use crate::results::Estimate;
use maud::Markup;

/// Offered calls per interval (bars, left axis) and staffed agents (step
/// line, right axis).
pub fn offered_chart(
    g: &TimeGrid,
    offered: &[Timed<Estimate>],
    staffed: &[Timed<u32>],
    queue: &str,
) -> Markup {
    let offered_max = offered
        .iter()
        .map(|c| c.value.mean)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let staffed_max = staffed.iter().map(|c| c.value).max().unwrap_or(0);
    let yt = nice_ticks(0.0, offered_max, 5);
    let y2t = ticks_in_steps(f64::from(staffed_max), yt.values.len() - 1);
    let m = Margins {
        r: 66.0,
        ..TIME_MARGINS
    };
    let mut p = Plot::new(W, H, m, (0.0, g.end), (yt.lo, yt.hi));
    p.y2 = Some(Scale {
        d0: y2t.lo,
        d1: y2t.hi,
        r0: p.y.r0,
        r1: p.y.r1,
    });
    p.y_axis(&yt, "", "offered (calls per interval)");
    p.y2_axis(&y2t, "staffed (agents)", color(1));
    p.time_axis(g, TIME_TITLE);
    let bars: Vec<(f64, f64, f64)> = offered
        .iter()
        .map(|c| (c.start, c.end, c.value.mean))
        .collect();
    p.bars(&bars, color(0), 0.75, false);
    let steps: Vec<(f64, f64)> = staffed
        .iter()
        .flat_map(|c| [(c.start, f64::from(c.value)), (c.end, f64::from(c.value))])
        .collect();
    p.line(&steps, color(1), 2.2, false, true);
    p.legend(Mark::Bar(color(0)), "offered calls (mean per interval)");
    p.legend(Mark::Line(color(1), false), "staffed agents (right axis)");
    p.finish(&format!(
        "Queue {queue}: offered calls per interval and staffed agents"
    ))
}

/// Which ratio a [`ratio_chart`] shows.
#[derive(Clone, Copy)]
pub enum RatioChart {
    /// On a fixed 0–100% axis with an 80% reference line.
    ServiceLevel,
    /// On an axis up to the highest value.
    AbandonRate,
}

/// A ratio per interval as a line with its CI band, in percent.
pub fn ratio_chart(
    g: &TimeGrid,
    cells: &[Timed<Estimate>],
    queue: &str,
    which: RatioChart,
) -> Markup {
    let (name, col) = match which {
        RatioChart::ServiceLevel => ("service level", 0),
        RatioChart::AbandonRate => ("abandon rate", 3),
    };
    let (line, band) = interval_points(cells, 100.0);
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
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, g.end), (yt.lo, yt.hi));
    p.y_axis(&yt, "%", &format!("{name} (%)"));
    p.time_axis(g, TIME_TITLE);
    p.band(&band, color(col), 0.18);
    if matches!(which, RatioChart::ServiceLevel) {
        p.hline(80.0, REF, true);
    }
    p.line(&line, color(col), 2.0, false, false);
    if cells.len() <= DOTS_UP_TO {
        p.dots(&line, color(col), 2.6, false);
    }
    p.legend(Mark::Line(color(col), false), &format!("{name} (mean)"));
    p.legend(Mark::Band(color(col)), "95% confidence interval");
    if matches!(which, RatioChart::ServiceLevel) {
        p.legend(Mark::Line(REF, true), "80% reference");
    }
    p.finish(&format!("Queue {queue}: {name} per interval, %"))
}

/// Callbacks requested (bars with CI whiskers) and offered (line) per
/// interval.
pub fn callbacks_chart(
    g: &TimeGrid,
    offered: &[Timed<Estimate>],
    requested: &[Timed<Estimate>],
    queue: &str,
) -> Markup {
    let (offered_line, _) = interval_points(offered, 1.0);
    let (_, req_band) = interval_points(requested, 1.0);
    let hi = offered_line
        .iter()
        .map(|p| p.1)
        .chain(req_band.iter().map(|b| b.2))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let yt = nice_ticks(0.0, hi, 5);
    let mut p = Plot::new(W, H, TIME_MARGINS, (0.0, g.end), (yt.lo, yt.hi));
    p.y_axis(&yt, "", "callbacks (per interval)");
    p.time_axis(g, TIME_TITLE);
    let bars: Vec<(f64, f64, f64)> = requested
        .iter()
        .map(|c| (c.start, c.end, c.value.mean))
        .collect();
    p.bars(&bars, color(2), 0.7, false);
    for &(x, lo, hi) in &req_band {
        p.vwhisker(x, lo, hi, "#3d7a4d");
    }
    p.line(&offered_line, color(4), 2.0, false, false);
    if offered.len() <= DOTS_UP_TO {
        p.dots(&offered_line, color(4), 2.4, false);
    }
    p.legend(Mark::Bar(color(2)), "callbacks requested (mean, 95% CI)");
    p.legend(Mark::Line(color(4), false), "callbacks offered (mean)");
    p.finish(&format!(
        "Queue {queue}: callbacks offered and requested per interval"
    ))
}
