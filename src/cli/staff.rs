//! `ccsim staff`: the fewest agents per interval that meet the targets.

use super::Failure;
use super::output::{Body, Outputs, RunInfo};
use super::run::{RunOptions, load_for_staffing};
use ccsim::report;
use ccsim::staffing::{StaffError, search};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct StaffArgs {
    /// The scenario file (TOML), with a [queues.target] on some queue.
    scenario: PathBuf,
    #[command(flatten)]
    options: RunOptions,
}

pub fn staff(args: StaffArgs) -> Result<(), Failure> {
    let o = &args.options;
    let (sc, table) = load_for_staffing(&args.scenario, &o.set)?;
    let sc = o.apply(sc);
    // The search folds each staffing's replications as they finish.
    let held = super::machine::streamed(o.threads, sc.plan.replications);
    super::machine::check_fits(&sc.model, &args.scenario, held)?;
    let outputs = Outputs::prepare(o.out.as_deref(), o.report.as_deref())?;
    let pool = o.pool()?;
    let bar = spinner();
    let found = pool
        .install(|| {
            search(&sc.model, &sc.plan, &|what| {
                bar.set_message(what.to_string())
            })
        })
        .map_err(|e| match e {
            StaffError::Invalid(e) => Failure::bad_input(e.to_string()),
            StaffError::NoTarget => Failure::bad_input(format!(
                "{}: {e} (add e.g. [queues.target] service_level = 0.8 under a queue)",
                args.scenario.display()
            )),
            e @ (StaffError::Unmeetable { .. } | StaffError::Overloaded(_)) => {
                Failure::failed(e.to_string())
            }
        })?;
    bar.finish_and_clear();
    let run = RunInfo {
        command: "staff",
        scenario: sc.model.name().to_string(),
        seed: sc.plan.seed,
        replications: u64::from(sc.plan.replications),
    };
    let files = vec![
        (
            "staffing.csv",
            Body::Text(report::staffing_csv(&found.model)),
        ),
        (
            "staffed.toml",
            Body::Text(report::staffed_toml(table, &found.model)),
        ),
    ];
    let html = outputs
        .has_report()
        .then(|| report::html::staffing_report(&found));
    // Printed even if writing failed: the search is not lost.
    let written = outputs.write(&run, files, html);
    super::show(
        o.json,
        || report::staffing_json(&found),
        || report::staffing_table(&found),
    )?;
    written
}

/// A spinner saying what the search does, on stderr when it is a terminal.
fn spinner() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
