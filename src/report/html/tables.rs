//! The reports' HTML tables, from plain rows: the run's key figures per
//! queue, agent occupancy, a queue's figures and the agent groups' by
//! interval, the variants side by side, and the differences to the first
//! variant. Which figures fill them is decided in `figures/`; this file
//! only lays them out. Every table sits in a container that scrolls
//! sideways when the table is wider than the page; on a phone the tables
//! of a few rows (`table.stack`) show each row as a block of labelled
//! lines instead, each cell labelled by its `data-label`.

use super::format::{fmt_diff, fmt_est};
use crate::results::{Estimate, Unit};
use maud::{Markup, html};

/// A row of a table by interval: the interval in clock time (or "Day")
/// and a cell per column.
pub type IntervalRow<T> = (String, Vec<T>);

/// An agent group's cell in a table by interval: its agents on shift (none
/// for the day) and its occupancy.
pub type GroupCell = (Option<u32>, Option<Estimate>);

/// A column of figures: its heading, an optional dimmed second line, and
/// the unit its figures are printed in.
pub struct Column {
    pub head: String,
    pub sub: Option<String>,
    pub unit: Unit,
}

/// A column's label on a phone: its heading and second line.
fn label(c: &Column) -> String {
    match &c.sub {
        Some(sub) => format!("{} ({sub})", c.head),
        None => c.head.clone(),
    }
}

/// A column heading, with its second line.
fn heading(c: &Column) -> Markup {
    html! {
        th {
            (c.head)
            @if let Some(sub) = &c.sub { br; span.dim { (sub) } }
        }
    }
}

/// A small colour square identifying a series in the charts.
pub fn swatch(color: &str) -> Markup {
    html! { span.sw style=(format!("background:{color}")) {} }
}

/// One row of the run's key figures: a queue (with its service-level
/// threshold) or, with `total`, all queues together.
pub struct KeyRow {
    pub label: String,
    pub threshold: Option<String>,
    pub total: bool,
    pub figures: Vec<Option<Estimate>>,
}

/// The run's key figures, one row per queue, with a note on definitions.
pub fn key_table(columns: &[Column], rows: &[KeyRow]) -> Markup {
    html! {
        div.wide {
            table.stack {
                tr.head {
                    th { "Queue" }
                    @for c in columns { (heading(c)) }
                }
                @for r in rows {
                    tr class=[r.total.then_some("total")] {
                        td.key {
                            (r.label)
                            @if let Some(t) = &r.threshold {
                                " " span.dim { "(SL within " (t) ")" }
                            }
                        }
                        @for (c, e) in columns.iter().zip(&r.figures) {
                            td data-label=(label(c)) { (fmt_est(e.as_ref(), c.unit)) }
                        }
                    }
                }
            }
        }
        p.note {
            "Service level: answered within the queue's threshold ÷ (answered + abandoned). \
             Abandon rate: abandoned ÷ offered; calls converted to callbacks are not abandoned. \
             ASA and wait p90: waits of answered calls. Callback delay: request to customer connected."
        }
    }
}

/// One agent group: its skills, staffing range and occupancy.
pub struct GroupRow {
    pub name: String,
    pub skills: String,
    pub staffing: String,
    pub occupancy: Option<Estimate>,
}

/// Occupancy per agent group, with a bar for each.
pub fn occupancy_table(rows: &[GroupRow]) -> Markup {
    html! {
        div.wide {
            table.stack {
                tr.head {
                    th { "Agent group" }
                    th.l { "Skills" }
                    th { "Staffed agents" }
                    th { "Occupancy" }
                    th {}
                }
                @for r in rows {
                    tr {
                        td.key { (r.name) }
                        td.l data-label="Skills" { (r.skills) }
                        td data-label="Staffed agents" { (r.staffing) }
                        td data-label="Occupancy" { (fmt_est(r.occupancy.as_ref(), Unit::Ratio)) }
                        td.nolabel {
                            @if let Some(e) = r.occupancy.filter(|e| e.mean.is_finite()) {
                                span.bar {
                                    span style=(format!("width:{:.1}%", (e.mean * 100.0).clamp(0.0, 100.0))) {}
                                }
                            }
                        }
                    }
                }
            }
        }
        p.note { "Occupancy: busy time (talking, dialing, wrap-up) ÷ logged-in time while calls arrive." }
    }
}

/// One variant's row: its number and colour, what names it (its name, or
/// a sweep's values) and its figures (estimates, or differences with
/// whether they are significant).
pub struct VariantRow<T = Option<Estimate>> {
    pub number: usize,
    pub color: String,
    pub names: Vec<String>,
    pub figures: Vec<T>,
}

/// A variant's number, then its names (the first with its colour swatch)
/// under the headings `names`.
fn name_cells<T>(names: &[String], r: &VariantRow<T>) -> Markup {
    html! {
        td.key { (r.number) }
        @for (i, (n, head)) in r.names.iter().zip(names).enumerate() {
            // One name: a variant's, which may be long and wraps.
            td.l.name[names.len() == 1] data-label=(head) {
                @if i == 0 { (swatch(&r.color)) } (n)
            }
        }
    }
}

/// The heading row of a table of variants: number, the columns naming
/// them, then the figures.
fn variant_head(names: &[String], columns: &[Column]) -> Markup {
    html! {
        tr.head {
            th { "#" }
            @for n in names { th.l { (n) } }
            @for c in columns { (heading(c)) }
        }
    }
}

/// The variants side by side, each row with its number and colour swatch;
/// `names` heads the columns that name the variants.
pub fn variant_table(names: &[String], columns: &[Column], rows: &[VariantRow]) -> Markup {
    html! {
        div.wide {
            table.stack {
                (variant_head(names, columns))
                @for r in rows {
                    tr {
                        (name_cells(names, r))
                        @for (c, e) in columns.iter().zip(&r.figures) {
                            td data-label=(label(c)) { (fmt_est(e.as_ref(), c.unit)) }
                        }
                    }
                }
            }
        }
    }
}

/// A queue's figures by interval: a row per interval (in clock time),
/// the last one the day's.
pub fn interval_table(columns: &[Column], rows: &[IntervalRow<Option<Estimate>>]) -> Markup {
    let last = rows.len().saturating_sub(1);
    html! {
        div.wide {
            table.intervals {
                tr {
                    th { "Interval" }
                    @for c in columns { (heading(c)) }
                }
                @for (i, (label, figures)) in rows.iter().enumerate() {
                    tr class=[(i == last).then_some("total")] {
                        td { (label) }
                        @for (c, e) in columns.iter().zip(figures) {
                            td { (fmt_est(e.as_ref(), c.unit)) }
                        }
                    }
                }
            }
        }
    }
}

/// Agents on shift and occupancy per interval and agent group (`groups`:
/// each group's name and colour); the last row is the day's.
pub fn group_interval_table(
    groups: &[(String, String)],
    rows: &[IntervalRow<GroupCell>],
) -> Markup {
    let last = rows.len().saturating_sub(1);
    html! {
        div.wide {
            table.intervals {
                tr {
                    th rowspan="2" { "Interval" }
                    @for (name, col) in groups {
                        th.group colspan="2" { (swatch(col)) (name) }
                    }
                }
                tr {
                    @for _ in groups {
                        th { span.dim { "staffed" } }
                        th { span.dim { "occupancy" } }
                    }
                }
                @for (i, (label, cells)) in rows.iter().enumerate() {
                    tr class=[(i == last).then_some("total")] {
                        td { (label) }
                        @for (staffed, occ) in cells {
                            td { @if let Some(n) = staffed { (n) } }
                            td { (fmt_est(occ.as_ref(), Unit::Ratio)) }
                        }
                    }
                }
            }
        }
    }
}

/// One difference to the first variant: the metric, its scope, the
/// variant (and its colour), both means, the difference and whether its
/// 95% interval excludes zero.
pub struct DiffRow {
    pub metric: String,
    pub scope: String,
    pub variant: String,
    pub color: Option<String>,
    pub base: Option<Estimate>,
    pub this: Option<Estimate>,
    pub difference: Estimate,
    pub significant: bool,
    pub unit: Unit,
}

fn difference_rows(base: &str, rows: &[DiffRow]) -> Markup {
    html! {
        div.wide {
            table.stack {
                tr.head {
                    th { "Metric" }
                    th.l { "Scope" }
                    th.l { "Variant" }
                    th { "First variant" br; span.dim { (base) } }
                    th { "This variant" }
                    th { "Difference" }
                    th.l { "At 95%" }
                }
                @for d in rows {
                    tr {
                        td.key { (d.metric) }
                        td.l data-label="Scope" { (d.scope) }
                        td.l.name data-label="Variant" {
                            @if let Some(c) = &d.color { (swatch(c)) } (d.variant)
                        }
                        td data-label="First variant" { (fmt_est(d.base.as_ref(), d.unit)) }
                        td data-label="This variant" { (fmt_est(d.this.as_ref(), d.unit)) }
                        td data-label="Difference" { (fmt_diff(&d.difference, d.unit)) }
                        td.l data-label="At 95%" {
                            @if d.significant {
                                span.sig { "significant" }
                            } @else if d.difference.mean.is_finite() {
                                span.ns { "not significant" }
                            } @else {
                                span.ns { "–" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A difference for a table cell, flagged when its 95% interval excludes
/// zero; a dash when there is none.
fn diff_cell(d: Option<&(Estimate, bool)>, unit: Unit) -> Markup {
    match d {
        Some((e, true)) => html! { span.sig { (fmt_diff(e, unit)) } },
        Some((e, false)) => fmt_diff(e, unit),
        None => html! { span.ns { "–" } },
    }
}

/// The key differences to the first variant, a row per other variant
/// (named under the headings `names`, as in [`variant_table`]), then every
/// difference (its base and variant means too) folded away; a note when
/// there is none.
pub fn difference_table(
    base: &str,
    names: &[String],
    columns: &[Column],
    key: &[VariantRow<Option<(Estimate, bool)>>],
    all: &[DiffRow],
) -> Markup {
    html! {
        @if all.is_empty() {
            p.note { "Only one variant: nothing to compare." }
        } @else {
            div.wide {
                table.stack {
                    (variant_head(names, columns))
                    @for r in key {
                        tr {
                            (name_cells(names, r))
                            @for (c, d) in columns.iter().zip(&r.figures) {
                                td data-label=(label(c)) { (diff_cell(d.as_ref(), c.unit)) }
                            }
                        }
                    }
                }
            }
            details {
                summary { "Every metric and scope, with both means (" (all.len()) " differences)" }
                (difference_rows(base, all))
            }
        }
    }
}
