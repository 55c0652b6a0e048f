//! `ccsim compare` and `ccsim sweep`: variants side by side on common random
//! numbers.

use super::Failure;
use super::output::{Body, Outputs, RunInfo};
use super::run::{RunOptions, load_with};
use ccsim::Scenario;
use ccsim::experiment::variants::{self, VariantSpec, Vary};
use ccsim::experiment::{Comparison, common_plan, compare};
use ccsim::model::Override;
use ccsim::report;
use ccsim::results::Scope;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files: the first is the base; the others are variants.
    #[arg(required = true, value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    /// A variant of the first scenario: NAME:KEY=VALUE,KEY=VALUE,... (repeatable).
    #[arg(long = "variant", value_name = "NAME:KEY=VALUE,...")]
    variants: Vec<VariantSpec>,
    /// Run each variant on its own seed instead of common random numbers
    /// (differences then use Welch's unpaired interval).
    #[arg(long)]
    independent: bool,
    /// Show this queue's figures in the table and the report's charts.
    #[arg(long, value_name = "NAME")]
    queue: Option<String>,
    #[command(flatten)]
    options: RunOptions,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The scenario file.
    scenario: PathBuf,
    /// A key and the values it takes: KEY=V1,V2,... (repeatable; every combination runs;
    /// values may be relative, as in agents.team.staffing=*1.1,+2).
    #[arg(long = "vary", value_name = "KEY=V1,V2,...", required = true)]
    vary: Vec<Vary>,
    /// Show this queue's figures (not all queues') in the table and the
    /// report's charts.
    #[arg(long, value_name = "NAME")]
    queue: Option<String>,
    #[command(flatten)]
    options: RunOptions,
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
}

pub fn compare_cmd(args: CompareArgs) -> Result<(), Failure> {
    if args.scenarios.len() < 2 && args.variants.is_empty() {
        return Err(Failure::bad_input(
            "compare needs a second scenario file or at least one --variant",
        ));
    }
    let o = &args.options;
    let mut variants: Vec<(String, Scenario)> = Vec::new();
    for path in &args.scenarios {
        let name = if args.variants.is_empty() || path != &args.scenarios[0] {
            stem(path)
        } else {
            "base".to_string()
        };
        variants.push((name, o.apply(load_with(path, &o.set)?)));
        fits(path, &variants)?;
    }
    for v in &args.variants {
        let changes: Vec<Override> = o.set.iter().chain(&v.changes).cloned().collect();
        variants.push((
            v.name.clone(),
            o.apply(load_with(&args.scenarios[0], &changes)?),
        ));
        fits(&args.scenarios[0], &variants)?;
    }
    let outputs = Outputs::prepare(o.out.as_deref(), o.report.as_deref())?;
    let c = run(variants, args.independent, o)?;
    let queue = focus(&c, args.queue.as_deref())?;
    let table = report::compare_table(&c, queue);
    let csv = report::compare_csv(&c);
    let html = |c: &Comparison| report::html::comparison_report(c, "Policy comparison", queue);
    finish(&c, o, &outputs, ("compare", csv), &table, html)
}

pub fn sweep_cmd(args: SweepArgs) -> Result<(), Failure> {
    let o = &args.options;
    let points = variants::grid(&args.vary).map_err(Failure::bad_input)?;
    let mut runs = Vec::with_capacity(points.len());
    for point in &points {
        let changes = variants::point_changes(point).map_err(Failure::bad_input)?;
        let changes: Vec<Override> = o.set.iter().cloned().chain(changes).collect();
        let sc = o.apply(load_with(&args.scenario, &changes)?);
        runs.push((variants::point_name(point), sc));
        fits(&args.scenario, &runs)?;
    }
    let outputs = Outputs::prepare(o.out.as_deref(), o.report.as_deref())?;
    let c = run(runs, false, o)?;
    let queue = focus(&c, args.queue.as_deref())?;
    let csv = report::sweep_csv(&c, &args.vary, &points);
    let table = report::sweep_table(&c, queue.unwrap_or(Scope::Total));
    let html = |c: &Comparison| report::html::sweep_report(c, &args.vary, &points, queue);
    finish(&c, o, &outputs, ("sweep", csv), &table, html)
}

/// Refuses a comparison whose latest variant (from `file`) this machine
/// could not hold: a comparison keeps every replication of every variant
/// for the paired differences.
fn fits(file: &Path, variants: &[(String, Scenario)]) -> Result<(), Failure> {
    let Some((_, sc)) = variants.last() else {
        return Ok(());
    };
    let held = sc.plan.replications as usize * variants.len();
    super::machine::check_fits(&sc.model, file, held)
}

/// The base's queue `--queue` names.
fn focus(c: &Comparison, name: Option<&str>) -> Result<Option<Scope>, Failure> {
    let Some(name) = name else {
        return Ok(None);
    };
    let names = &c.base().summary.queue_names;
    match names.iter().position(|n| n == name) {
        Some(q) => Ok(Some(Scope::Queue(q))),
        None => Err(Failure::bad_input(format!(
            "--queue {name:?}: no such queue (the queues are {names:?})"
        ))),
    }
}

/// Runs the variants on the plan they share, with a progress bar.
fn run(
    variants: Vec<(String, Scenario)>,
    independent: bool,
    o: &RunOptions,
) -> Result<Comparison, Failure> {
    let plans: Vec<_> = variants
        .iter()
        .map(|(n, sc)| (n.clone(), sc.plan.clone()))
        .collect();
    let plan = common_plan(&plans).map_err(|e| Failure::bad_input(e.to_string()))?;
    let models = variants
        .into_iter()
        .map(|(n, sc)| (n, sc.model))
        .collect::<Vec<_>>();
    let pool = o.pool()?;
    let bar = super::run::progress_bar(u64::from(plan.replications) * models.len() as u64);
    let c = pool.install(|| compare(models, &plan, independent, &|| bar.inc(1)));
    bar.finish_and_clear();
    c.map_err(|e| Failure::failed(e.to_string()))
}

/// Writes the comparison's files, then prints its table (or JSON) even if
/// the writing failed, and returns that failure.
fn finish(
    c: &Comparison,
    o: &RunOptions,
    outputs: &Outputs,
    (command, csv): (&'static str, String),
    table: &str,
    html: impl Fn(&Comparison) -> String,
) -> Result<(), Failure> {
    let base = c.base();
    let run = RunInfo {
        command,
        scenario: base.model.name().to_string(),
        seed: base.summary.seed,
        replications: base.summary.replications as u64,
    };
    let csv_name = format!("{command}.csv");
    let report = outputs.has_report().then(|| html(c));
    let written = outputs.write(&run, vec![(&csv_name, Body::Text(csv))], report);
    super::show(o.json, || report::comparison_json(c), || table.to_string())?;
    written
}
