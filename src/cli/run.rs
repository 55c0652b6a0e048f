//! `ccsim run`, scenario loading, and the options every simulating command shares.

use super::{Failure, output};
use ccsim::Scenario;
use ccsim::engine::run_replications;
use ccsim::report;
use ccsim::scenario::Override;
use ccsim::stats::Summary;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Options shared by `run`, `compare` and `sweep`.
#[derive(Args, Debug)]
pub struct RunOptions {
    /// Number of replications (overrides `run.replications`).
    #[arg(short = 'r', long = "replications", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub replications: Option<u32>,
    /// Base seed (overrides `run.seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,
    /// Write the result files into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Change a scenario key, e.g. queues.sales.callback.offer_after=30s
    /// (repeatable; an empty value removes the key).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<Override>,
    /// Also write a self-contained HTML report with charts.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

impl RunOptions {
    /// Applies `-r` and `--seed` to a loaded scenario.
    pub fn apply(&self, mut sc: Scenario) -> Scenario {
        if let Some(r) = self.replications {
            sc.replications = r;
        }
        if let Some(s) = self.seed {
            sc.seed = s;
        }
        sc
    }

    /// The worker pool `--threads` asks for.
    pub fn pool(&self) -> Result<rayon::ThreadPool, Failure> {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(t) = self.threads {
            pool = pool.num_threads(t as usize);
        }
        pool.build()
            .map_err(|e| Failure::failed(format!("cannot start worker threads: {e}")))
    }
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    options: RunOptions,
}

/// Reads and validates a scenario file; every problem is bad input.
pub fn load(path: &Path) -> Result<Scenario, Failure> {
    load_with(path, &[])
}

/// Reads a scenario file, applies `--set` changes, and validates the result.
pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Scenario, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::bad_input(format!("{shown}: cannot read scenario file: {e}")))?;
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    Scenario::from_toml_with(&text, &shown, &stem, overrides)
        .map_err(|e| Failure::bad_input(e.to_string()))
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let o = &args.options;
    let sc = o.apply(load_with(&args.scenario, &o.set)?);
    let pool = o.pool()?;
    let bar = progress_bar(u64::from(sc.replications));
    let reps = pool.install(|| run_replications(&sc, &|| bar.inc(1)));
    bar.finish_and_clear();
    let summary = Summary::new(&sc, &reps);

    // Render everything before writing anything, so that a failure leaves
    // no partial result behind.
    let mut results = output::Results::default();
    if let Some(dir) = &o.out {
        results.in_dir(dir, "summary.csv", report::summary_csv(&summary));
        results.in_dir(
            dir,
            "replications.csv",
            report::replications_csv(&sc, &reps),
        );
        results.in_dir(dir, "intervals.csv", report::intervals_csv(&sc, &summary));
    }
    if let Some(file) = &o.report {
        results.file(file, report::html::run_report(&sc, &summary));
    }
    results.write()?;
    if o.json {
        let json = serde_json::to_string_pretty(&report::summary_json(&summary))
            .map_err(|e| Failure::failed(format!("cannot render JSON: {e}")))?;
        println!("{json}");
    } else {
        print!("{}", report::summary_table(&summary));
    }
    Ok(())
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub fn progress_bar(len: u64) -> ProgressBar {
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
