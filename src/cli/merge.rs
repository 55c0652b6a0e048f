//! `ccsim merge`: the shard files of a study spread over many machines,
//! put back together and reported as `ccsim run` reports the whole run.

use super::output::Outputs;
use super::{Failure, run};
use ccsim::results::SummaryBuilder;
use ccsim::shard::{self, LoadedShard, ShardError, ShardSpec};
use clap::Args;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Directories holding shard files (shard-I-of-N.json from `ccsim run
    /// --shard`), or shard files themselves.
    #[arg(value_name = "DIR", required = true)]
    inputs: Vec<PathBuf>,
    /// Write summary.csv, replications.csv and intervals.csv into DIR.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print JSON on stdout instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML report with charts.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let files = shard_files(&args.inputs)?;
    // The output paths are ready (locked, writable) before the shards are
    // read and checked.
    let outputs = Outputs::prepare(args.out.as_deref(), args.report.as_deref())?;
    let looked_in = || {
        args.inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if files.is_empty() {
        return Err(Failure::bad_input(format!(
            "no shard files (shard-I-of-N.json) in {}",
            looked_in()
        )));
    }
    let mut loaded = Vec::with_capacity(files.len());
    for path in &files {
        loaded.push(load(path)?);
    }
    let merged = shard::merge(loaded).map_err(|e| match e {
        ShardError::Missing { .. } => Failure::bad_input(format!("{e} in {}", looked_in())),
        e => Failure::bad_input(e.to_string()),
    })?;
    if merged.ccsim_build != shard::CCSIM_BUILD {
        // Allowed (the figures come from the shards), but the summary is
        // this build's and may differ in the last digits from the one
        // the shards' build would give.
        super::note(&format!(
            "note: the shards were simulated by ccsim build {}, this is build {}",
            merged.ccsim_build,
            shard::CCSIM_BUILD
        ));
    }
    // Folded and written as `ccsim run` does, so the figures are the same
    // bits as the unsharded run's.
    let model = &merged.scenario.model;
    let mut summary = SummaryBuilder::new(model, merged.scenario.plan.seed);
    let mut rows = run::Rows::new(&outputs, model)?;
    for r in &merged.replications {
        summary.push(r);
        rows.push(r);
    }
    run::finish(
        &merged.scenario,
        &summary.finish(),
        &outputs,
        rows.finish(),
        args.json,
        "merge",
    )
}

/// The shard files among `inputs`: every `shard-I-of-N.json` in each
/// directory, and each file named as is. Sorted, and each file once
/// however often it is named.
fn shard_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    let mut add = |path: PathBuf| {
        // The same file reached twice (`merge out out`, or a directory and
        // a file in it) is read once.
        let key = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            files.push(path);
        }
    };
    for input in inputs {
        let meta = fs::metadata(input)
            .map_err(|e| Failure::bad_input(format!("{}: cannot read: {e}", input.display())))?;
        if !meta.is_dir() {
            add(input.clone());
            continue;
        }
        let entries = fs::read_dir(input).map_err(|e| {
            Failure::bad_input(format!("{}: cannot read directory: {e}", input.display()))
        })?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                Failure::bad_input(format!("{}: cannot read directory: {e}", input.display()))
            })?;
            let name = entry.file_name();
            let is_shard = name
                .to_str()
                .is_some_and(|n| ShardSpec::from_file_name(n).is_some());
            if is_shard {
                found.push(entry.path());
            }
        }
        found.sort();
        found.into_iter().for_each(&mut add);
    }
    Ok(files)
}

/// Reads and checks one shard file; a file named `shard-I-of-N.json` must
/// hold shard I of N.
fn load(path: &Path) -> Result<LoadedShard, Failure> {
    let shown = path.display().to_string();
    let bytes = super::read_limited(path, super::MAX_SHARD_BYTES, "shard file")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::bad_input(format!(
            "{shown}: not a ccsim shard file (it is not UTF-8 text)"
        ))
    })?;
    let loaded = shard::read(&text, &shown).map_err(|e| Failure::bad_input(e.to_string()))?;
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(ShardSpec::from_file_name);
    if let Some(named) = named {
        let held = (loaded.file.shard, loaded.file.shards);
        if held != (named.number(), named.count()) {
            return Err(Failure::bad_input(format!(
                "{shown}: holds shard {}/{}, not the {named} its name says (renamed?)",
                held.0, held.1
            )));
        }
    }
    Ok(loaded)
}
