//! `ccsim run` (also one shard of a study), scenario loading, and the
//! options every simulating command shares.

use super::Failure;
use super::output::{self, Body, Outputs, RunInfo, Staged};
use ccsim::Scenario;
use ccsim::engine::{run_in_order, run_range};
use ccsim::model::{MAX_REPLICATIONS, Model, Override};
use ccsim::report::{self, ReplicationsCsv};
use ccsim::results::{Replication, Summary, SummaryBuilder};
use ccsim::shard::{ShardSpec, Study};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Options shared by `run`, `compare` and `sweep`.
#[derive(Args, Debug)]
pub struct RunOptions {
    /// Number of replications (overrides `run.replications`; at most
    /// 10,000,000, as in the file).
    #[arg(
        short = 'r',
        long = "replications",
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS))
    )]
    pub replications: Option<u32>,
    /// Base seed (overrides `run.seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores), at most 1024. Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..=super::MAX_THREADS))]
    pub threads: Option<u32>,
    /// Write the result files into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Change a scenario key, e.g. queues.sales.callback.offer_after=30s
    /// (repeatable; an empty value removes the key; *1.1, +2 or +-2 scale
    /// or shift the number or list of numbers the key holds).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<Override>,
    /// Also write a self-contained HTML report with charts.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

impl RunOptions {
    /// Applies `-r` and `--seed` to a loaded scenario's plan.
    pub fn apply(&self, mut sc: Scenario) -> Scenario {
        if let Some(r) = self.replications {
            sc.plan.replications = r;
        }
        if let Some(s) = self.seed {
            sc.plan.seed = s;
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
    /// Run only shard I of N (numbered from 1, as `--shard 1/4` to `4/4`)
    /// and write its replications to DIR/shard-I-of-N.json for `ccsim merge`.
    #[arg(
        long,
        value_name = "I/N",
        requires = "out",
        conflicts_with_all = ["json", "report"]
    )]
    shard: Option<ShardSpec>,
}

/// Reads and validates a scenario file; every problem is bad input.
pub fn load(path: &Path) -> Result<Scenario, Failure> {
    load_with(path, &[])
}

/// Reads a scenario file, applies `--set` changes, and validates the result.
pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Scenario, Failure> {
    ScenarioFile::read(path)?.scenario(overrides)
}

/// Reads a scenario file for `ccsim staff` (staffing may be left out) and
/// its TOML table after `--set`, for the staffed file written back.
pub fn load_for_staffing(
    path: &Path,
    overrides: &[Override],
) -> Result<(Scenario, toml::Table), Failure> {
    let file = ScenarioFile::read(path)?;
    let sc = Scenario::for_staffing(&file.text, &file.shown, &file.stem, overrides)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let table = Scenario::effective_table(&file.text, &file.shown, overrides)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    Ok((sc, table))
}

/// A scenario file's text, with the names it goes by.
struct ScenarioFile {
    text: String,
    /// The path as messages show it.
    shown: String,
    /// The default scenario name.
    stem: String,
}

impl ScenarioFile {
    fn read(path: &Path) -> Result<ScenarioFile, Failure> {
        let shown = path.display().to_string();
        let bytes = super::read_limited(path, super::MAX_SCENARIO_BYTES, "scenario file")?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Failure::bad_input(format!(
                "{shown}: cannot read scenario file: it is not UTF-8 text"
            ))
        })?;
        let stem = path
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        Ok(ScenarioFile { text, shown, stem })
    }

    /// The scenario with `--set` changes applied, validated.
    fn scenario(&self, overrides: &[Override]) -> Result<Scenario, Failure> {
        Scenario::from_toml_with(&self.text, &self.shown, &self.stem, overrides)
            .map_err(|e| Failure::bad_input(e.to_string()))
    }
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let o = &args.options;
    if let Some(spec) = args.shard {
        return run_shard(&args.scenario, o, spec);
    }
    let sc = o.apply(load_with(&args.scenario, &o.set)?);
    let held = super::machine::streamed(o.threads, sc.plan.replications);
    super::machine::check_fits(&sc.model, &args.scenario, held)?;
    // What `ccsim check` warns about, before the work starts.
    for w in ccsim::warnings::warnings(&sc.model) {
        super::note(&format!("warning: queue \"{}\": {}", w.queue, w.message));
    }
    // Every output path is ready before any work.
    let outputs = Outputs::prepare(o.out.as_deref(), o.report.as_deref())?;
    let mut rows = Rows::new(&outputs, &sc.model)?;
    let mut summary = SummaryBuilder::new(&sc.model, sc.plan.seed);
    let pool = o.pool()?;
    let range = sc.plan.all();
    let bar = replications_bar(range.end - range.start);
    // Folded in index order as they finish: memory stays flat in the
    // number of replications, and the figures do not depend on threads.
    let done = pool.install(|| {
        let progress = |thousandths| bar.inc(u64::from(thousandths));
        run_in_order(&sc.model, sc.plan.seed, range, &progress, |rep| {
            summary.push(&rep);
            rows.push(&rep);
        })
    });
    bar.finish_and_clear();
    done.map_err(|e| Failure::failed(e.to_string()))?;
    finish(
        &sc,
        &summary.finish(),
        &outputs,
        rows.finish(),
        o.json,
        "run",
    )
}

/// `ccsim run --shard I/N`: simulates shard I's block of replications and
/// writes them, with the effective scenario, to `DIR/shard-I-of-N.json`.
fn run_shard(path: &Path, o: &RunOptions, spec: ShardSpec) -> Result<(), Failure> {
    // `--shard` requires `--out` (clap checks it).
    let Some(dir) = &o.out else {
        return Err(Failure::bad_input("--shard needs --out DIR"));
    };
    let file = ScenarioFile::read(path)?;
    let sc = o.apply(file.scenario(&o.set)?);
    let block = spec
        .block(sc.plan.replications)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    // A shard holds its whole block to write it.
    super::machine::check_fits(&sc.model, path, block.len())?;
    // Before simulating: a scenario that cannot be saved, or a directory
    // that cannot be written, fails now, not after hours of work.
    let table = Scenario::effective_table(&file.text, &file.shown, &o.set)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let study = Study::new(&sc, table).map_err(|e| Failure::failed(e.to_string()))?;
    output::check_dir(dir)?;
    let reps = simulate(&sc, block.clone(), o)?;
    let name = spec.file_name();
    output::write_all(dir, &[(&name, study.shard(spec, reps).to_json())])?;
    super::emit(&format!(
        "{}: shard {spec} (replications {} to {} of {}, seed {}) written to {}\n",
        sc.model.name(),
        block.start,
        block.end - 1,
        sc.plan.replications,
        sc.plan.seed,
        dir.join(&name).display()
    ))
}

/// Simulates the replications `range` of `sc` on the pool `o` asks for,
/// with a progress bar, and keeps them all (a shard's file holds them).
fn simulate(sc: &Scenario, range: Range<u32>, o: &RunOptions) -> Result<Vec<Replication>, Failure> {
    let pool = o.pool()?;
    let bar = replications_bar(range.end - range.start);
    let reps = pool.install(|| {
        run_range(&sc.model, sc.plan.seed, range, &|thousandths| {
            bar.inc(u64::from(thousandths));
        })
    });
    bar.finish_and_clear();
    reps.map_err(|e| Failure::failed(e.to_string()))
}

/// `replications.csv` written row by row to its temporary file as
/// replications finish (nothing without `--out`); the first write error is
/// kept for the end, so that the run goes on and its summary is printed.
pub struct Rows {
    csv: Option<ReplicationsCsv<Staged>>,
    error: Option<Failure>,
}

impl Rows {
    pub fn new(outputs: &Outputs, model: &Model) -> Result<Rows, Failure> {
        let csv = match outputs.stage("replications.csv")? {
            Some(file) => Some(ReplicationsCsv::new(model, file).map_err(rows_failed)?),
            None => None,
        };
        Ok(Rows { csv, error: None })
    }

    pub fn push(&mut self, r: &Replication) {
        if let (Some(csv), None) = (&mut self.csv, &self.error)
            && let Err(e) = csv.push(r)
        {
            self.error = Some(rows_failed(e));
        }
    }

    /// The staged file, or the error that stopped it.
    pub fn finish(self) -> Result<Option<Staged>, Failure> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.csv
            .map(|csv| csv.finish().map_err(rows_failed))
            .transpose()
    }
}

fn rows_failed(e: std::io::Error) -> Failure {
    Failure::failed(format!("cannot write replications.csv: {e}"))
}

/// Reports a whole run: the summary table (or `--json`) on stdout, and the
/// files `--out` and `--report` ask for, with `replications.csv` as staged
/// during the run. `ccsim run` and `ccsim merge` share it, so that a
/// merged study reports exactly as the unsharded run. A failure to write
/// still prints the summary first: the work is not lost.
pub fn finish(
    sc: &Scenario,
    summary: &Summary,
    outputs: &Outputs,
    rows: Result<Option<Staged>, Failure>,
    json: bool,
    command: &'static str,
) -> Result<(), Failure> {
    let model = &sc.model;
    let written = rows.and_then(|rows| {
        // Rendered only for a results directory: the intervals' CSV of a
        // long horizon costs as much as a short simulation.
        let mut files = Vec::new();
        if outputs.has_dir() {
            files.push(("summary.csv", Body::Text(report::summary_csv(summary))));
            files.extend(rows.map(|r| ("replications.csv", Body::Staged(r))));
            files.push(("intervals.csv", Body::Text(report::intervals_csv(summary))));
        }
        let run = RunInfo {
            command,
            scenario: model.name().to_string(),
            seed: summary.seed,
            replications: summary.replications as u64,
        };
        let html = outputs
            .has_report()
            .then(|| report::html::run_report(model, summary));
        outputs.write(&run, files, html)
    });
    super::show(
        json,
        || report::summary_json(summary),
        || report::summary_table(summary),
    )?;
    written
}

/// A progress bar on stderr when it is a terminal, hidden otherwise,
/// counting `len` replications.
pub fn progress_bar(len: u64) -> ProgressBar {
    bar_with(
        len,
        "{bar:40} {pos}/{len} replications, {elapsed} elapsed, ETA {eta}",
    )
}

/// A progress bar for `n` replications that moves within each: it counts
/// thousandths of a replication, so one long replication shows progress.
fn replications_bar(n: u32) -> ProgressBar {
    let template =
        format!("{{bar:40}} {{percent}}% of {n} replication(s), {{elapsed}} elapsed, ETA {{eta}}");
    bar_with(u64::from(n) * 1000, &template)
}

fn bar_with(len: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
