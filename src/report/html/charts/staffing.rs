//! A group's staffing by interval, as `ccsim staff` found it, with the
//! classic per-interval Erlang sizing beside it where there is one.

use super::{Size, Timed, count_plot};
use crate::report::html::svg::{Mark, TimeGrid, color, nice_ticks};
use maud::Markup;

/// Step lines of agents per interval: what was found (solid) and, if
/// given, the Erlang sizing (dashed).
pub fn staffing_chart(
    size: Size,
    g: &TimeGrid,
    group: &str,
    found: &[Timed<u32>],
    erlang: Option<(&str, &[Timed<u32>])>,
) -> Markup {
    let max = found
        .iter()
        .chain(erlang.map_or(&[][..], |(_, e)| e))
        .map(|c| c.value)
        .max()
        .unwrap_or(0);
    let yt = nice_ticks(0.0, f64::from(max), 5);
    let mut p = count_plot(size, g, &yt, "agents on the phones");
    let steps = |cells: &[Timed<u32>]| -> Vec<(f64, f64)> {
        cells
            .iter()
            .flat_map(|c| [(c.start, f64::from(c.value)), (c.end, f64::from(c.value))])
            .collect()
    };
    p.line(&steps(found), color(0), 2.4, false, false);
    p.legend(Mark::Line(color(0), false), "found by simulation");
    if let Some((label, cells)) = erlang {
        p.line(&steps(cells), color(1), 2.0, true, false);
        p.legend(Mark::Line(color(1), true), label);
    }
    p.finish(&format!("Agents of {group} by interval"))
}
