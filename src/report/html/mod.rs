//! Self-contained HTML reports with inline SVG charts.
//!
//! Each report is one HTML document: inline CSS, inline SVG, no script, no
//! external resource, so it can be mailed or archived and opened anywhere.
//! This file holds the entry points and the page around them (head, CSS,
//! footer, the frame of a chart and of a legend); `run_page.rs` and
//! `compare_page.rs` (with `variant_sections.rs`) lay out the sections,
//! `tables.rs` and `charts/` draw them from plain data, `figures/` looks
//! every figure up, and `svg/` is the plotting kit the charts share. All
//! markup is written with `maud`, which escapes text and attribute values
//! by default. Undefined figures (`NaN`) are left out: a line has a gap
//! there, a table cell shows a dash.
//!
//! The pages work from phone to desktop width: charts along a time axis
//! are drawn twice, wide and narrow, and the CSS shows the one that fits;
//! two-column grids become one column; tables scroll sideways inside their
//! own box rather than being cut; names are never shortened.

mod charts;
mod compare_page;
mod figures;
mod format;
mod run_page;
mod staff_page;
mod svg;
mod tables;
mod variant_sections;

use super::plural;
use crate::Model;
use crate::experiment::Comparison;
use crate::experiment::variants::{Point, Vary};
use crate::results::Scope;
use crate::results::Summary;
use charts::{NARROW, Size, WIDE};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The report of one run.
pub fn run_report(sc: &Model, s: &Summary) -> String {
    page(
        &format!("{} · ccsim run report", s.scenario),
        run_page::body(sc, s),
    )
}

/// The report of `ccsim staff`: the staffing found against per-interval
/// Erlang, then the found day's report.
pub fn staffing_report(f: &crate::staffing::Found) -> String {
    page(
        &format!("{} · ccsim staffing report", f.model.name()),
        staff_page::body(f),
    )
}

/// The report of a comparison; `title` names it. With `queue` (a queue of
/// the first variant), the key figures and charts are that queue's;
/// without, the key figures are all queues' together and every queue gets
/// its charts by interval.
pub fn comparison_report(c: &Comparison, title: &str, queue: Option<Scope>) -> String {
    page(title, compare_page::body(c, title, queue, None))
}

/// The report of a sweep: a comparison whose variants are the points of a
/// grid of values (`vary`, `points`, in the variants' order), with the key
/// figures plotted against the varied value, and one queue's charts if
/// `queue` (as [`comparison_report`]).
pub fn sweep_report(
    c: &Comparison,
    vary: &[Vary],
    points: &[Point],
    queue: Option<Scope>,
) -> String {
    let sweep = compare_page::Sweep { vary, points };
    page("Sweep", compare_page::body(c, "Sweep", queue, Some(sweep)))
}

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #222; background: #fff; max-width: 1080px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.55em; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 1.15em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; font-weight: 600; }
h3 { font-size: 0.95em; margin: 14px 0 2px; font-weight: 600; color: #333; }
.sub { color: #555; margin: 0 0 12px; }
.note { color: #666; font-size: 13px; margin: 4px 0 8px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: #444; border-bottom: 1px solid #bbb; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
td.l, th.l { text-align: left; }
th.group { text-align: center; border-bottom: 1px solid #ddd; }
td { white-space: nowrap; }
td.name { white-space: normal; min-width: 10em; max-width: 24em; }
.wide { overflow-x: auto; margin: 4px 0 8px;
  background: linear-gradient(to right, #fff 40%, rgba(255,255,255,0)) left / 28px 100% no-repeat local,
    linear-gradient(to left, #fff 40%, rgba(255,255,255,0)) right / 28px 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.2), rgba(0,0,0,0)) left / 10px 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.2), rgba(0,0,0,0)) right / 10px 100% no-repeat scroll; }
table.intervals td:first-child, table.intervals th:first-child { position: sticky; left: 0; background: #fff; }
tr.total td { border-top: 1px solid #bbb; font-weight: 600; }
.ci { color: #777; font-size: 0.92em; }
.dim { color: #888; font-weight: normal; }
.sig { color: #a03a2c; font-weight: 600; }
.ns { color: #999; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.bar { display: inline-block; width: 120px; height: 8px; background: #eee; border-radius: 4px; vertical-align: middle; margin-left: 8px; }
.bar span { display: block; height: 8px; background: #4c72b0; border-radius: 4px; }
figure { margin: 6px 0 18px; min-width: 0; }
svg { display: block; width: 100%; height: auto; font-size: 12px; fill: #444; }
.cn { display: none; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
.grid2 svg { max-width: 560px; }
ul.legend { list-style: none; padding: 0; margin: 4px 0 10px; font-size: 13px; display: flex; flex-wrap: wrap; gap: 2px 18px; }
ul.legend li { margin: 0; }
ul.legend b { display: inline-block; min-width: 1.4em; text-align: right; margin-right: 4px; }
details { margin: 8px 0; font-size: 13px; }
summary { cursor: pointer; color: #444; }
footer { margin: 36px 0 16px; color: #999; font-size: 12px; }
@media (max-width: 700px) {
  body { margin: 12px auto; padding: 0 12px; }
  .cw { display: none; }
  .cn { display: block; }
  .grid2 { grid-template-columns: 1fr; }
  table.intervals td .ci { display: block; }
  th, td { padding: 4px 7px; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; }
  table.stack tr.head { display: none; }
  table.stack tr { padding: 6px 0; border-bottom: 1px solid #ccc; }
  table.stack td { border: none; padding: 1px 2px; white-space: normal; max-width: none;
    min-width: 0; text-align: right; }
  table.stack td::before { content: attr(data-label); float: left; margin-right: 12px;
    color: #666; font-weight: normal; text-align: left; }
  table.stack td.key { font-weight: 600; text-align: left; }
  table.stack td.key::before { content: none; }
  table.stack td.nolabel { display: none; }
  table.stack tr.total td { border: none; }
}
"#;

/// The whole document: head with `title` and the CSS, then `body` and the
/// footer.
fn page(title: &str, body: Markup) -> String {
    let mut out = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                // A constant without `<`: nothing in it can end the element.
                style { (PreEscaped(CSS)) }
            }
            body {
                (body)
                footer {
                    "Generated by ccsim. Self-contained: inline CSS and SVG, nothing loaded from elsewhere."
                }
            }
        }
    }
    .into_string();
    out.push('\n');
    out
}

/// A chart under a small heading.
fn figure(heading: &str, svg: Markup) -> Markup {
    html! {
        figure {
            h3 { (heading) }
            (svg)
        }
    }
}

/// A full-width chart under a small heading, drawn wide for screens and
/// narrow for phones (the page shows one of them).
fn figure_sized(heading: &str, chart: impl Fn(Size) -> Markup) -> Markup {
    html! {
        figure {
            h3 { (heading) }
            div.cw { (chart(WIDE)) }
            div.cn { (chart(NARROW)) }
        }
    }
}

/// A legend in HTML, which wraps at any width: a colour swatch and a full
/// label per entry, after its number when it has one.
fn legend(items: &[(Option<usize>, &str, &str)]) -> Markup {
    html! {
        ul.legend {
            @for (number, color, label) in items {
                li {
                    @if let Some(n) = number { b { (n) } }
                    (tables::swatch(color)) (label)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::svg::{Margins, Mark, Plot};

    #[test]
    fn markup_escapes_text_and_attributes() {
        let html = super::figure(
            "a <b> & \"c\"",
            maud::html! { p title=("x\"><y") { "1 < 2" } },
        );
        assert_eq!(
            html.into_string(),
            "<figure><h3>a &lt;b&gt; &amp; &quot;c&quot;</h3>\
             <p title=\"x&quot;&gt;&lt;y\">1 &lt; 2</p></figure>"
        );
        let m = Margins {
            l: 10.0,
            r: 10.0,
            t: 10.0,
            b: 10.0,
        };
        let mut p = Plot::new(100.0, 50.0, m, (0.0, 1.0), (0.0, 1.0));
        p.legend(Mark::Bar("#000"), "<&>");
        let svg = p.finish("t <&>").into_string();
        assert!(svg.contains("<title>t &lt;&amp;&gt;</title>"), "{svg}");
        assert!(svg.contains(">&lt;&amp;&gt;</tspan>"), "{svg}");
        assert!(!svg.contains("<&>"), "{svg}");
    }
}
