//! Self-contained HTML reports with inline SVG charts (being written).

use crate::Scenario;
use crate::compare::Comparison;
use crate::stats::Summary;

/// The report of one run.
pub fn run_report(_sc: &Scenario, _s: &Summary) -> String {
    String::new()
}

/// The report of a comparison or a sweep; `title` names it.
pub fn comparison_report(_c: &Comparison, _title: &str) -> String {
    String::new()
}
