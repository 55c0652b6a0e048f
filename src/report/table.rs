//! The summary table of `ccsim run`, and aligned text tables.

use super::count;
use super::format::cell;
use crate::results::{Metric, Scope, Summary};
use std::fmt::Write;

/// Rows of cells as aligned text: the first column left-aligned, the
/// others right-aligned, two spaces apart.
pub fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|j| {
            rows.iter()
                .filter_map(|r| r.get(j))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (j, c) in row.iter().enumerate() {
            let w = widths[j];
            if j == 0 {
                let _ = write!(out, "{c:<w$}");
            } else {
                let _ = write!(out, "  {c:>w$}");
            }
        }
        out.push('\n');
    }
    out
}

/// The summary as an aligned table: one row per metric, one column per
/// queue and the total, then occupancy per agent group.
pub fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}, seed {} (mean ± 95% CI half-width)\n",
        s.scenario,
        count(s.replications, "replication"),
        s.seed
    );
    // One column per queue, and the total when there are several.
    let columns: Vec<Scope> = s
        .scopes()
        .filter(|sc| match sc {
            Scope::Queue(_) => true,
            Scope::Total => s.queue_names.len() > 1,
            Scope::Group(_) => false,
        })
        .collect();
    let header = std::iter::once("metric".to_string())
        .chain(columns.iter().map(|&c| s.scope_name(c).to_string()))
        .collect();
    let mut rows = vec![header];
    rows.extend(Metric::QUEUE.iter().map(|&m| {
        std::iter::once(m.name().to_string())
            .chain(
                columns
                    .iter()
                    .map(|&c| cell(s.estimate(c, m), m.unit(), s.replications)),
            )
            .collect()
    }));
    out.push_str(&align(&rows));
    out.push('\n');
    let group_w = s
        .group_names
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0)
        .max("agent group".len());
    let _ = writeln!(out, "{:group_w$}  occupancy", "agent group");
    for scope in s.scopes().filter(|sc| matches!(sc, Scope::Group(_))) {
        let e = s.estimate(scope, Metric::Occupancy);
        let _ = writeln!(
            out,
            "{:group_w$}  {}",
            s.scope_name(scope),
            cell(e, Metric::Occupancy.unit(), s.replications)
        );
    }
    // The simulation's size, for judging run times and comparing machines.
    let _ = writeln!(out, "\n{} events simulated", s.events);
    out
}
