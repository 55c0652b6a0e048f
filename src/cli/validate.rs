//! `ccsim validate`: the engine against exact theory, table by table.

use super::{Failure, output};
use ccsim::validation::{Check, Effort, grid, run_case};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// A twentieth of the simulation, for CI: the same checks, wider intervals.
    #[arg(long)]
    quick: bool,
    /// Base seed of the simulations.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Confidence level of the intervals the exact values must lie in.
    #[arg(long, value_name = "LEVEL", default_value_t = 0.99, value_parser = level)]
    level: f64,
    /// Worker threads (default: all cores), at most 1024.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u32).range(1..=super::MAX_THREADS))]
    threads: Option<u32>,
    /// Run only the cases whose name contains TEXT (e.g. "n=1 " or "callbacks").
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// Write the table as validation.csv into DIR.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn level(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "must be a confidence level between 0 and 1, got {s:?}"
        )),
    }
}

pub fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let mut effort = if args.quick {
        Effort::QUICK
    } else {
        Effort::FULL
    };
    effort.seed = args.seed;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(t) = args.threads {
        pool = pool.num_threads(t as usize);
    }
    let pool = pool
        .build()
        .map_err(|e| Failure::failed(format!("cannot start worker threads: {e}")))?;
    let mut cases = grid();
    if let Some(only) = &args.only {
        cases.retain(|c| c.name.contains(only.as_str()));
        if cases.is_empty() {
            return Err(Failure::bad_input(format!(
                "--only {only:?}: no case's name contains it (the names are in the table of a full run)"
            )));
        }
    }
    let bar = super::run::progress_bar(u64::from(effort.replications) * cases.len() as u64);
    let started = Instant::now();
    let mut checks: Vec<Check> = Vec::new();
    for case in &cases {
        let rows = pool
            .install(|| run_case(case, &effort, args.level, &|| bar.inc(1)))
            .map_err(Failure::failed)?;
        checks.extend(rows);
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    if let Some(dir) = &args.out {
        output::write_all(dir, &[("validation.csv", csv(&checks, &effort))])?;
    }
    let misses = checks.iter().filter(|c| !c.agrees()).count();
    super::emit(&format!(
        "{}\n{} cases, {} checks at {}%: {} outside the interval ({:.0} s, {} replications of {} calls per case, seed {})\n",
        table(&checks),
        cases.len(),
        checks.len(),
        args.level * 100.0,
        misses,
        elapsed,
        effort.replications,
        effort.calls,
        effort.seed
    ))?;
    if misses == 0 {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{misses} exact value(s) outside the simulated {}% interval",
            args.level * 100.0
        )))
    }
}

fn table(checks: &[Check]) -> String {
    let case_w = checks.iter().map(|c| c.case.len()).max().unwrap_or(4);
    let mut out = format!(
        "{:case_w$}  {:<13} {:>12} {:>12} {:>10} {:>6}  agrees\n",
        "case", "metric", "exact", "simulated", "± half", "z"
    );
    for c in checks {
        out.push_str(&format!(
            "{:case_w$}  {:<13} {:>12.6} {:>12.6} {:>10.6} {:>6.2}  {}\n",
            c.case,
            c.metric.name(),
            c.exact,
            c.simulated.mean,
            c.simulated.half_width,
            c.z(),
            if c.agrees() { "yes" } else { "NO" }
        ));
    }
    out
}

fn csv(checks: &[Check], effort: &Effort) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "case",
        "metric",
        "exact",
        "simulated",
        "half_width",
        "level",
        "z",
        "agrees",
        "replications",
        "calls_per_replication",
        "seed",
    ]);
    for c in checks {
        let _ = w.write_record([
            c.case.clone(),
            c.metric.name().to_string(),
            c.exact.to_string(),
            c.simulated.mean.to_string(),
            c.simulated.half_width.to_string(),
            c.level.to_string(),
            format!("{:.3}", c.z()),
            c.agrees().to_string(),
            effort.replications.to_string(),
            effort.calls.to_string(),
            effort.seed.to_string(),
        ]);
    }
    ccsim::report::csv_string(w)
}
