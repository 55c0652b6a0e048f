//! One queue's charts by interval that are not plain lines: offered calls
//! with the staffing of each agent group serving the queue, callbacks
//! offered and requested, and callback work by the interval it is handled
//! in, stacked by kind.

use super::{DOTS_UP_TO, Size, TIME_TITLE, Timed, count_plot, interval_points};
use crate::report::html::svg::{Mark, Plot, Scale, TimeGrid, color, nice_ticks, ticks_in_steps};
use crate::results::Estimate;
use maud::Markup;

/// Offered calls per interval (bars, left axis) and the agents on shift in
/// each group serving the queue (a step line per group, right axis), each
/// group on its own: a cross-skilled group also serves other queues.
pub fn offered_chart(
    size: Size,
    g: &TimeGrid,
    offered: &[Timed<Estimate>],
    staffed: &[(String, String, Vec<Timed<u32>>)],
    queue: &str,
) -> Markup {
    let offered_max = offered
        .iter()
        .map(|c| c.value.mean)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let staffed_max = staffed
        .iter()
        .flat_map(|(_, _, s)| s.iter().map(|c| c.value))
        .max()
        .unwrap_or(0);
    let yt = nice_ticks(0.0, offered_max, 5);
    let y2t = ticks_in_steps(f64::from(staffed_max), yt.values.len() - 1);
    let mut m = size.time_margins();
    m.r = if size.w < 600.0 { 56.0 } else { 66.0 };
    let mut p = Plot::new(size.w, size.h, m, (0.0, g.end), (yt.lo, yt.hi));
    p.y2 = Some(Scale {
        d0: y2t.lo,
        d1: y2t.hi,
        r0: p.y.r0,
        r1: p.y.r1,
    });
    p.y_axis(&yt, "", "calls offered per interval");
    p.y2_axis(&y2t, "agents staffed", "#444");
    p.time_axis(g, TIME_TITLE);
    let bars: Vec<(f64, f64, f64)> = offered
        .iter()
        .map(|c| (c.start, c.end, c.value.mean))
        .collect();
    p.bars(&bars, color(0), 0.75, false);
    p.legend(Mark::Bar(color(0)), "offered calls (mean per interval)");
    for (i, (group, col, cells)) in staffed.iter().enumerate() {
        let steps: Vec<(f64, f64)> = cells
            .iter()
            .flat_map(|c| [(c.start, f64::from(c.value)), (c.end, f64::from(c.value))])
            .collect();
        p.line(&steps, col, 2.2, i > 0, true);
        p.legend(
            Mark::Line(col, i > 0),
            &format!("staffed: {group} (right axis)"),
        );
    }
    p.finish(&format!(
        "Queue {queue}: offered calls per interval and agents staffed in each serving group"
    ))
}

/// Callbacks requested (bars with CI whiskers) and offered (line) per
/// interval.
pub fn callbacks_chart(
    size: Size,
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
    let mut p = count_plot(size, g, &yt, "callbacks (per interval)");
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

/// Callback work connected per interval, stacked by kind: each kind's
/// label, colour and mean per interval, the first at the bottom.
pub fn handled_chart(
    size: Size,
    g: &TimeGrid,
    kinds: &[(&str, &str, &[Timed<Estimate>])],
    queue: &str,
) -> Markup {
    let spans: Vec<(f64, f64)> = kinds
        .first()
        .map(|(_, _, cells)| cells.iter().map(|c| (c.start, c.end)).collect())
        .unwrap_or_default();
    let means: Vec<Vec<f64>> = kinds
        .iter()
        .map(|(_, _, cells)| cells.iter().map(|c| c.value.mean).collect())
        .collect();
    let hi = (0..spans.len())
        .map(|i| {
            means
                .iter()
                .map(|m| m[i])
                .filter(|v| v.is_finite() && *v > 0.0)
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let yt = nice_ticks(0.0, hi, 5);
    let mut p = count_plot(size, g, &yt, "connected per interval");
    let layers: Vec<(&str, &[f64])> = kinds
        .iter()
        .zip(&means)
        .map(|((_, col, _), m)| (*col, m.as_slice()))
        .collect();
    p.stacked_bars(&spans, &layers, 0.8);
    for (label, col, _) in kinds {
        p.legend(Mark::Bar(col), label);
    }
    p.finish(&format!(
        "Queue {queue}: callback work connected per interval, by kind"
    ))
}
