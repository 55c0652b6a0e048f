//! The reports' HTML tables, from plain rows: the run's key figures per
//! queue, agent occupancy, the variants side by side, and the differences
//! to the first variant. Which figures fill them is decided in
//! `figures.rs`; this file only lays them out.

use super::format::{fmt_diff, fmt_est};
use super::svg::{color, short};
use crate::results::{Estimate, Unit};
use maud::{Markup, html};

/// A column of figures: its heading, an optional dimmed second line, and
/// the unit its figures are printed in.
pub struct Column {
    pub head: String,
    pub sub: Option<String>,
    pub unit: Unit,
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

/// A small colour square identifying variant `i` in the charts.
fn swatch(i: usize) -> Markup {
    html! { span.sw style=(format!("background:{}", color(i))) {} }
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
            table {
                tr {
                    th { "Queue" }
                    @for c in columns { (heading(c)) }
                }
                @for r in rows {
                    tr class=[r.total.then_some("total")] {
                        td {
                            (r.label)
                            @if let Some(t) = &r.threshold {
                                " " span.dim { "(SL within " (t) ")" }
                            }
                        }
                        @for (c, e) in columns.iter().zip(&r.figures) {
                            td { (fmt_est(e.as_ref(), c.unit)) }
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
            table {
                tr {
                    th { "Agent group" }
                    th.l { "Skills" }
                    th { "Staffed agents" }
                    th { "Occupancy" }
                    th {}
                }
                @for r in rows {
                    tr {
                        td { (r.name) }
                        td.l { (r.skills) }
                        td { (r.staffing) }
                        td { (fmt_est(r.occupancy.as_ref(), Unit::Ratio)) }
                        td {
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

/// The variants side by side, each row with its colour swatch.
pub fn variant_table(columns: &[Column], rows: &[(String, Vec<Option<Estimate>>)]) -> Markup {
    html! {
        div.wide {
            table {
                tr {
                    th { "Variant" }
                    @for c in columns { (heading(c)) }
                }
                @for (i, (name, figures)) in rows.iter().enumerate() {
                    tr {
                        td { (swatch(i)) (name) }
                        @for (c, e) in columns.iter().zip(figures) {
                            td { (fmt_est(e.as_ref(), c.unit)) }
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
    pub color: Option<usize>,
    pub base: Option<Estimate>,
    pub this: Option<Estimate>,
    pub difference: Estimate,
    pub significant: bool,
    pub unit: Unit,
}

fn difference_rows(base: &str, rows: &[DiffRow]) -> Markup {
    html! {
        div.wide {
            table {
                tr {
                    th { "Metric" }
                    th.l { "Scope" }
                    th.l { "Variant" }
                    th { "First variant" br; span.dim { (short(base, 24)) } }
                    th { "This variant" }
                    th { "Difference" }
                    th.l { "At 95%" }
                }
                @for d in rows {
                    tr {
                        td { (d.metric) }
                        td.l { (d.scope) }
                        td.l { @if let Some(i) = d.color { (swatch(i)) } (d.variant) }
                        td { (fmt_est(d.base.as_ref(), d.unit)) }
                        td { (fmt_est(d.this.as_ref(), d.unit)) }
                        td { (fmt_diff(&d.difference, d.unit)) }
                        td.l {
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

/// The key differences to the first variant (named `base`), then every
/// difference folded away; a note when there is none.
pub fn difference_table(base: &str, key: &[DiffRow], all: &[DiffRow]) -> Markup {
    html! {
        @if all.is_empty() {
            p.note { "Only one variant: nothing to compare." }
        } @else {
            (difference_rows(base, key))
            details {
                summary { "Every metric and scope (" (all.len()) " differences)" }
                (difference_rows(base, all))
            }
        }
    }
}
