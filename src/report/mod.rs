//! Reports: a run's and a comparison's figures as text tables, JSON
//! (SPEC §6), CSV files and HTML pages.
//! Everything renders into memory or any writer; the command line decides
//! where it goes.

mod comparison;
mod csv_out;
mod describe;
mod format;
pub mod html;
mod json;
pub(crate) mod staffing;
mod table;

pub use comparison::{
    SWEEP_METRICS, compare_csv, compare_table, comparison_json, sweep_csv, sweep_table,
};
pub use csv_out::{ReplicationsCsv, csv_string, intervals_csv, summary_csv};
pub use describe::describe_scenario;
pub use format::{cell, difference_cell, format_difference, format_estimate};
pub use json::{json_number, summary_json};
pub use staffing::{staffed_toml, staffing_csv, staffing_json, staffing_table};
pub use table::{align, summary_table};

/// The plural ending for `n` things: "" for one, "s" otherwise.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `n` things in words: "1 replication", "2 replications".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// A number for CSV and JSON: shortest round-trip form, empty when undefined.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}
