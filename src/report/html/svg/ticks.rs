//! Axis ticks: "nice" steps (1, 2 or 5 × 10ⁿ) covering a data range, a
//! right-hand axis that shares the left one's grid, tick labels with as many
//! decimals as the step needs, and clock-time ticks (`hh:mm`) along a run
//! of equal time intervals, as many as the axis has room for.

/// Tick positions on a "nice" step covering `[lo, hi]`.
pub struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// A step of 1, 2, 5 or 10 × 10ⁿ that cuts `span` into about `target` parts.
pub fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// About `target` intervals of a nice step, extended to whole steps.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let (mut min, mut max) = if min.is_finite() && max.is_finite() {
        (min.min(max), min.max(max))
    } else {
        (0.0, 1.0)
    };
    if max - min <= 1e-9 * max.abs().max(1.0) {
        if max == 0.0 {
            max = 1.0;
        } else {
            let pad = max.abs() * 0.1;
            min = (min - pad).max(if min >= 0.0 { 0.0 } else { f64::MIN });
            max += pad;
        }
    }
    let step = nice_step(max - min, target);
    let lo = (min / step + 1e-9).floor() * step;
    let hi = (max / step - 1e-9).ceil() * step;
    let n = ((hi - lo) / step).round() as usize;
    let values = (0..=n)
        .map(|i| {
            let v = lo + i as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// `steps` whole steps of a nice size from 0 covering `max`, so that a
/// right-hand axis shares the left one's grid lines.
pub fn ticks_in_steps(max: f64, steps: usize) -> Ticks {
    let steps = steps.max(1);
    let step = if max.is_finite() && max > 0.0 {
        nice_step(max, steps)
    } else {
        1.0
    };
    Ticks {
        lo: 0.0,
        hi: step * steps as f64,
        step,
        values: (0..=steps).map(|i| i as f64 * step).collect(),
    }
}

/// A tick label with as many decimals as the step needs.
pub fn fmt_tick(v: f64, step: f64) -> String {
    if step >= 1000.0 && (v / 1000.0).fract() == 0.0 && v != 0.0 {
        return format!("{}k", v / 1000.0);
    }
    let dec = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()).max(0.0) as usize
    };
    format!("{v:.dec$}")
}

/// `hh:mm` (or `hh:mm:ss`) of `t` seconds after midnight; hours go past 24.
pub fn hhmm(t: f64) -> String {
    let s = t.max(0.0).round() as u64;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    }
}

/// A run of `count` equal time intervals of `step` seconds from 0, the last
/// one cut short at `end`; the clock shows `origin` (seconds after
/// midnight) at 0.
#[derive(Clone, Copy, Debug)]
pub struct TimeGrid {
    pub origin: f64,
    pub end: f64,
    pub step: f64,
    pub count: usize,
}

impl TimeGrid {
    /// Start time of interval `k`.
    pub fn start(&self, k: usize) -> f64 {
        k as f64 * self.step
    }

    /// The clock time `t` seconds from 0, `hh:mm`.
    pub fn clock(&self, t: f64) -> String {
        hhmm(self.origin + t)
    }
}

/// Tick labels (clock times) at interval starts, every `stride` intervals
/// so that at most `max_labels` show, plus the end of the grid when it
/// falls on the stride.
pub fn time_ticks(g: &TimeGrid, max_labels: usize) -> Vec<(f64, String)> {
    let n = g.count.max(1);
    let max_labels = max_labels.max(2);
    let mut stride = 1;
    for s in [1, 2, 3, 4, 6, 8, 12, 16, 24] {
        stride = s;
        if (n + 1).div_ceil(s) <= max_labels {
            break;
        }
    }
    while (n + 1).div_ceil(stride) > max_labels {
        stride *= 2;
    }
    let mut out: Vec<(f64, String)> = (0..n)
        .step_by(stride)
        .map(|k| {
            let t = g.start(k);
            (t, g.clock(t))
        })
        .collect();
    let last = out.last().map_or(0.0, |l| l.0);
    if g.end - last >= 0.8 * stride as f64 * g.step {
        out.push((g.end, g.clock(g.end)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range_on_round_steps() {
        let t = nice_ticks(0.0, 87.0, 5);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 100.0, 20.0));
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(3.2, 3.9, 4);
        assert!(t.lo <= 3.2 && t.hi >= 3.9 && t.values.len() <= 9);
        assert_eq!(fmt_tick(0.30000000000000004, 0.1), "0.3");
        assert_eq!(fmt_tick(2000.0, 1000.0), "2k");
    }

    #[test]
    fn times() {
        assert_eq!(hhmm(0.0), "00:00");
        assert_eq!(hhmm(5400.0), "01:30");
        assert_eq!(hhmm(200.0 * 3600.0), "200:00");
        let g = TimeGrid {
            origin: 8.0 * 3600.0,
            end: 12.0 * 3600.0,
            step: 1800.0,
            count: 24,
        };
        let t = time_ticks(&g, 13);
        assert_eq!(t.first().unwrap().1, "08:00");
        assert_eq!(t[1].1, "09:00");
        assert_eq!(t.last().unwrap().1, "20:00");
        let t = time_ticks(&g, 7);
        assert!(t.len() <= 7, "{t:?}");
        assert_eq!(t[1].1, "10:00");
    }
}
