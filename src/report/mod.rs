//! Reports: the run's figures as a text table, JSON (SPEC §6) and CSV files.
//! Everything renders into memory or any writer; the command line decides
//! where it goes.

mod csv_out;
pub mod html;
mod json;
mod table;

pub use csv_out::{csv_string, intervals_csv, replications_csv, summary_csv};
pub use json::{json_number, summary_json};
pub use table::{align, describe_scenario, format_estimate, summary_table};

/// A number for CSV and JSON: shortest round-trip form, empty when undefined.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}
