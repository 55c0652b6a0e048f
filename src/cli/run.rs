//! `ccsim run` and scenario loading.

use super::{Failure, output};
use ccsim::Scenario;
use ccsim::engine::run_replications;
use ccsim::report;
use ccsim::stats::Summary;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Number of replications (overrides `run.replications`).
    #[arg(short = 'r', long = "replications", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    replications: Option<u32>,
    /// Base seed (overrides `run.seed`).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Write summary.csv, replications.csv and intervals.csv into DIR.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of a table.
    #[arg(long)]
    json: bool,
}

/// Reads and validates a scenario file; every problem is bad input.
pub fn load(path: &Path) -> Result<Scenario, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::bad_input(format!("{shown}: cannot read scenario file: {e}")))?;
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    Scenario::from_toml(&text, &shown, &stem).map_err(|e| Failure::bad_input(e.to_string()))
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let mut sc = load(&args.scenario)?;
    if let Some(r) = args.replications {
        sc.replications = r;
    }
    if let Some(s) = args.seed {
        sc.seed = s;
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(t) = args.threads {
        pool = pool.num_threads(t as usize);
    }
    let pool = pool
        .build()
        .map_err(|e| Failure::failed(format!("cannot start worker threads: {e}")))?;

    let bar = progress_bar(u64::from(sc.replications));
    let reps = pool.install(|| run_replications(&sc, &|| bar.inc(1)));
    bar.finish_and_clear();
    let summary = Summary::new(&sc, &reps);

    // Render everything before writing anything, so that a failure leaves
    // no partial result behind.
    if let Some(dir) = &args.out {
        let files = [
            ("summary.csv", report::summary_csv(&summary)),
            ("replications.csv", report::replications_csv(&sc, &reps)),
            ("intervals.csv", report::intervals_csv(&sc, &summary)),
        ];
        output::write_all(dir, &files)?;
    }
    if args.json {
        let json = serde_json::to_string_pretty(&report::summary_json(&summary))
            .map_err(|e| Failure::failed(format!("cannot render JSON: {e}")))?;
        println!("{json}");
    } else {
        print!("{}", report::summary_table(&summary));
    }
    Ok(())
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {pos}/{len} replications, {elapsed} elapsed, ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}
