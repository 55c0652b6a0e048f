//! The chart frame: [`Plot`] holds a plot box with linear x and y
//! [`Scale`]s (and an optional right-hand y scale), draws grid lines, axes,
//! tick labels and axis titles, collects the legend, and finishes into one
//! `<svg>` element with a `<title>`. The data marks are in `marks.rs`.

use super::palette::{AXIS, GRID, LABEL};
use super::text::{f1, text_w, wrap};
use super::ticks::{Ticks, TimeGrid, fmt_tick, time_ticks};
use maud::{Markup, html};

/// Lines of text starting at `(x, y)` (the first line's middle), `step`
/// apart, left-aligned.
pub fn lines_text(x: f64, y: f64, lines: &[String], step: f64) -> Markup {
    html! {
        text x=(f1(x)) y=(f1(y)) {
            @for (i, l) in lines.iter().enumerate() {
                tspan x=(f1(x)) dy=(if i == 0 { "0.32em".to_string() } else { format!("{step}") }) {
                    (l)
                }
            }
        }
    }
}

/// A font size below the usual 12 for `title` to fit in `room` along an
/// axis, if it needs one (never below 9: a title too long for that is a
/// caller's mistake, and shows whole, past the plot).
fn fit(title: &str, room: f64) -> Option<String> {
    let w = text_w(title, 12.0);
    (w > room).then(|| format!("{:.1}", (12.0 * room / w).max(9.0)))
}

/// Space around the plot box for axes, labels and the legend.
#[derive(Clone, Copy, Debug)]
pub struct Margins {
    pub l: f64,
    pub r: f64,
    pub t: f64,
    pub b: f64,
}

/// A linear map from data `[d0, d1]` to pixels `[r0, r1]`.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    /// The pixel position of `v`.
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// As [`at`](Self::at), with `v` first clamped into the domain.
    pub fn at_clamped(&self, v: f64) -> f64 {
        self.at(v.clamp(self.d0.min(self.d1), self.d0.max(self.d1)))
    }
}

/// How a legend entry is drawn: a line (dashed or not), a shaded band or a
/// bar, in a colour.
pub enum Mark<'a> {
    Line(&'a str, bool),
    Band(&'a str),
    Bar(&'a str),
}

impl Mark<'_> {
    fn symbol(&self) -> Markup {
        match *self {
            Mark::Line(col, dash) => html! {
                line x1="0" y1="0" x2="18" y2="0" stroke=(col) stroke-width="2.2"
                    stroke-dasharray=[dash.then_some("5 3")] {}
            },
            Mark::Band(col) => html! {
                rect x="0" y="-5" width="18" height="10" fill=(col) fill-opacity="0.22" {}
            },
            Mark::Bar(col) => html! {
                rect x="3" y="-6" width="12" height="12" fill=(col) fill-opacity="0.75" {}
            },
        }
    }
}

/// One SVG chart: a plot box with x and y scales (and an optional right
/// axis), its grid and axes, data marks and a legend along the top.
pub struct Plot {
    pub w: f64,
    pub h: f64,
    pub x: Scale,
    pub y: Scale,
    pub y2: Option<Scale>,
    axes: Vec<Markup>,
    data: Vec<Markup>,
    legend: Vec<(Markup, String)>,
}

impl Plot {
    /// A `w` × `h` chart whose plot box maps `xd` and `yd` inside `m`.
    pub fn new(w: f64, h: f64, m: Margins, xd: (f64, f64), yd: (f64, f64)) -> Plot {
        Plot {
            w,
            h,
            x: Scale {
                d0: xd.0,
                d1: xd.1,
                r0: m.l,
                r1: w - m.r,
            },
            y: Scale {
                d0: yd.0,
                d1: yd.1,
                r0: h - m.b,
                r1: m.t,
            },
            y2: None,
            axes: Vec::new(),
            data: Vec::new(),
            legend: Vec::new(),
        }
    }

    /// Adds a data mark drawn by the caller (in pixel coordinates).
    pub fn mark(&mut self, m: Markup) {
        self.data.push(m);
    }

    fn rule(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
        self.axes.push(html! {
            line x1=(f1(x1)) y1=(f1(y1)) x2=(f1(x2)) y2=(f1(y2)) stroke=(stroke) {}
        });
    }

    /// Left axis: horizontal grid lines, tick labels and a rotated title.
    pub fn y_axis(&mut self, t: &Ticks, suffix: &str, title: &str) {
        let (x0, x1) = (self.x.r0, self.x.r1);
        for &v in &t.values {
            let y = self.y.at(v);
            self.rule((x0, y), (x1, y), GRID);
            self.axes.push(html! {
                text x=(f1(x0 - 7.0)) y=(f1(y)) dy="0.32em" text-anchor="end" {
                    (fmt_tick(v, t.step)) (suffix)
                }
            });
        }
        self.rule((x0, self.y.r0), (x0, self.y.r1), AXIS);
        let ym = (self.y.r0 + self.y.r1) / 2.0;
        let size = fit(title, self.y.r0 - self.y.r1);
        self.axes.push(html! {
            text transform=(format!("translate(16 {}) rotate(-90)", f1(ym)))
                text-anchor="middle" fill=(LABEL) font-size=[size] { (title) }
        });
    }

    /// Right axis (uses `y2`): tick labels in the series' colour and a title.
    pub fn y2_axis(&mut self, t: &Ticks, title: &str, col: &str) {
        let Some(s) = self.y2 else { return };
        let x1 = self.x.r1;
        for &v in &t.values {
            let y = s.at(v);
            self.rule((x1, y), (x1 + 4.0, y), AXIS);
            self.axes.push(html! {
                text x=(f1(x1 + 7.0)) y=(f1(y)) dy="0.32em" fill=(col) { (fmt_tick(v, t.step)) }
            });
        }
        self.rule((x1, s.r0), (x1, s.r1), AXIS);
        let ym = (s.r0 + s.r1) / 2.0;
        self.axes.push(html! {
            text transform=(format!("translate({} {}) rotate(-90)", f1(self.w - 12.0), f1(ym)))
                text-anchor="middle" fill=(col) font-size=[fit(title, s.r0 - s.r1)] { (title) }
        });
    }

    /// Bottom axis for a numeric x: vertical grid lines, labels, title.
    pub fn x_axis(&mut self, t: &Ticks, suffix: &str, title: &str) {
        let (y0, y1) = (self.y.r0, self.y.r1);
        for &v in &t.values {
            let x = self.x.at(v);
            self.rule((x, y0), (x, y1), GRID);
            self.axes.push(html! {
                text x=(f1(x)) y=(f1(y0 + 17.0)) text-anchor="middle" {
                    (fmt_tick(v, t.step)) (suffix)
                }
            });
        }
        self.x_title(title);
    }

    /// Bottom axis with ticks at given positions, labelled as given; a
    /// label that would touch the one before it is left out (its tick
    /// stays).
    pub fn x_axis_labels(&mut self, ticks: &[(f64, String)], title: &str) {
        let (y0, y1) = (self.y.r0, self.y.r1);
        let mut right_of_last = f64::NEG_INFINITY;
        for (v, label) in ticks {
            let x = self.x.at(*v);
            self.rule((x, y0), (x, y1), GRID);
            self.rule((x, y0), (x, y0 + 5.0), AXIS);
            let half = text_w(label, 12.0) / 2.0;
            if x - half >= right_of_last + 6.0 {
                right_of_last = x + half;
                self.axes.push(html! {
                    text x=(f1(x)) y=(f1(y0 + 17.0)) text-anchor="middle" { (label) }
                });
            }
        }
        self.x_title(title);
    }

    fn x_title(&mut self, title: &str) {
        let (x0, x1, y0) = (self.x.r0, self.x.r1, self.y.r0);
        self.rule((x0, y0), (x1, y0), AXIS);
        self.axes.push(html! {
            text x=(f1((x0 + x1) / 2.0)) y=(f1(self.h - 8.0)) text-anchor="middle" fill=(LABEL) {
                (title)
            }
        });
    }

    /// Bottom axis in clock time: labelled ticks at interval starts, as
    /// many as fit (see [`time_ticks`]), and small marks at every interval
    /// boundary.
    pub fn time_axis(&mut self, g: &TimeGrid, title: &str) {
        let y0 = self.y.r0;
        let room = (self.x.r1 - self.x.r0) * g.end / (self.x.d1 - self.x.d0).max(1e-9);
        let max_labels = (room / (text_w("00:00", 12.0) + 18.0)) as usize + 1;
        if g.count <= 120 {
            for k in 1..g.count {
                let x = self.x.at(g.start(k));
                self.rule((x, y0), (x, y0 + 3.0), AXIS);
            }
        }
        for (t, label) in time_ticks(g, max_labels) {
            let x = self.x.at(t);
            self.rule((x, y0), (x, y0 + 6.0), AXIS);
            self.axes.push(html! {
                text x=(f1(x)) y=(f1(y0 + 19.0)) text-anchor="middle" { (label) }
            });
        }
        self.x_title(title);
    }

    /// Adds a legend entry; a label too long for the chart wraps.
    pub fn legend(&mut self, mark: Mark, label: &str) {
        self.legend.push((mark.symbol(), label.to_string()));
    }

    /// The finished `<svg>` element; `title` is its accessible name.
    pub fn finish(self, title: &str) -> Markup {
        // The legend runs along the top in rows, from the plot's left edge;
        // entries that do not fit start a new row, and rows beyond the
        // first push the plot down.
        const LINE: f64 = 16.0;
        let x0 = self.x.r0.min(self.w * 0.1);
        let room = self.w - x0 - 8.0;
        let mut entries = Vec::with_capacity(self.legend.len());
        let (mut x, mut y, mut row_lines) = (x0, 13.0, 1usize);
        for (sym, label) in &self.legend {
            let lines = wrap(label, room - 24.0, 12.0);
            let tw = lines.iter().map(|l| text_w(l, 12.0)).fold(0.0, f64::max);
            let w = 24.0 + tw + 18.0;
            if x + w > self.w && x > x0 {
                x = x0;
                y += LINE * row_lines as f64;
                row_lines = 1;
            }
            row_lines = row_lines.max(lines.len());
            entries.push((x, y, sym, lines));
            x += w;
        }
        let extra = if self.legend.is_empty() {
            // No legend: the room above the plot kept for one is dropped.
            -(self.y.r1.min(self.y2.map_or(f64::INFINITY, |s| s.r1)) - 14.0).max(0.0)
        } else {
            y + LINE * (row_lines - 1) as f64 - 13.0
        };
        html! {
            svg viewBox=(format!("0 0 {} {}", self.w, f1(self.h + extra))) role="img"
                preserveAspectRatio="xMidYMid meet" {
                title { (title) }
                g transform=(format!("translate(0 {})", f1(extra))) {
                    @for m in &self.axes { (m) }
                    @for m in &self.data { (m) }
                }
                g {
                    @for (x, y, sym, lines) in entries {
                        g transform=(format!("translate({} {})", f1(x), f1(y))) {
                            (sym)
                            (lines_text(24.0, 0.0, &lines, LINE))
                        }
                    }
                }
            }
        }
    }
}
