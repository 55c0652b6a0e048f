//! Studies spread over many machines: shard files, and merging them back
//! into the whole run.
//!
//! `ccsim run SCENARIO --shard I/N` simulates only shard `I`'s block of
//! replication indices, `[(I−1)·R/N, I·R/N)` (shards count from 1, as
//! `cargo nextest --partition count:I/N` and `playwright --shard=I/N`
//! do), and saves every figure of
//! those replications in a [`ShardFile`]; `ccsim merge` checks that a set of
//! shard files is one complete study ([`merge`]) and hands back every
//! replication in index order. Replication `r` depends only on the scenario,
//! the seed, `r` and the build of ccsim ([`CCSIM_BUILD`], which shards of one
//! study must share), and [`Summary::new`](crate::stats::Summary::new)
//! combines replications in index order, so what is computed from the
//! merged replications is bit for bit what the unsharded run gives.
//!
//! A shard file is JSON: a header (format version, ccsim version and
//! build, shard index and count, total replications, seed, the scenario's
//! name and [`fingerprint`], a checksum of the whole), the effective
//! scenario as TOML text (after `--set`, `-r` and `--seed`, so that a merge
//! needs no scenario file), then one object per replication with its index
//! and every figure, written exactly (see [`serde_f64`](crate::serde_f64)).
//! It holds nothing that varies between two runs of the same shard (no time
//! stamp, host or thread count), so a retried task writes the very same
//! bytes.
//!
//! This module reads and writes strings; the command line does the files.

mod file;
mod merge;
mod sanity;
mod study;

pub use file::ShardFile;
pub use merge::{LoadedShard, Merged, merge, read};
pub use study::Study;

use crate::model::Scenario;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::io;
use std::ops::Range;
use std::str::FromStr;

/// The `format` field of every shard file: says what the file is.
pub const FORMAT: &str = "ccsim-shard";

/// The version of the shard file layout this ccsim writes and reads.
/// Version 2 numbers shards from 1 (`shard` in the header, the file name);
/// version 1 numbered them from 0, so its files are refused rather than
/// read with their shard off by one.
pub const FORMAT_VERSION: u32 = 2;

/// The version of ccsim, recorded in every shard file.
pub const CCSIM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// This build of ccsim: a digest of its source, locked dependencies and
/// target (see `build.rs`), recorded in every shard file. Shards of one
/// study must share it, since the engine may change within a version.
pub const CCSIM_BUILD: &str = env!("CCSIM_BUILD");

/// What can be wrong with `--shard`, a shard file, or a set of them. Every
/// message about a file names it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ShardError {
    /// `--shard` is not `I/N` with `1 ≤ I ≤ N`.
    #[error("{0}")]
    Spec(String),
    /// More shards than replications: some would be empty.
    #[error(
        "--shard {spec}: {count} shards for {replications} replications would leave some shards \
         empty; use at most {replications} shards",
        count = .spec.count
    )]
    TooManyShards { spec: ShardSpec, replications: u32 },
    /// The effective scenario does not read back as itself from the TOML
    /// text a shard file would hold.
    #[error("the scenario cannot be saved in a shard file: {0}")]
    Unfaithful(String),
    /// A file that is not a shard file, is damaged, or contradicts itself.
    #[error("{file}: {problem}")]
    Corrupt { file: String, problem: String },
    /// A shard file of a layout this ccsim does not read.
    #[error(
        "{file}: shard format version {found} is not supported: this ccsim ({CCSIM_VERSION}) \
         reads version {FORMAT_VERSION}"
    )]
    Version { file: String, found: String },
    /// Two shard files of different studies.
    #[error("foreign shard: {file} is of another study than {reference}: {difference}")]
    Foreign {
        file: String,
        reference: String,
        difference: String,
    },
    /// The same shard twice, with different contents.
    #[error("shard {spec} appears twice with different contents: {first} and {second}")]
    Duplicate {
        spec: ShardSpec,
        first: String,
        second: String,
    },
    /// Shards of the study that no file holds.
    #[error(
        "missing {} of {count} shards: {} ({})",
        .missing_count,
        number_list(.missing, *.missing_count),
        missing_files(.missing, *.count, *.missing_count),
    )]
    Missing {
        count: u32,
        /// The first few missing shard numbers (from 1), in order.
        missing: Vec<u32>,
        /// How many are missing in all.
        missing_count: u32,
    },
    /// Nothing to merge.
    #[error("no shard files to merge")]
    NoShards,
}

/// Shard `number` of `count`, numbered from 1 as `--shard I/N` gives it:
/// the numbering of `cargo nextest --partition count:I/N`, `jest
/// --shard=I/N` and Slurm's `$SLURM_ARRAY_TASK_ID` with `--array=1-N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShardSpec {
    number: u32,
    count: u32,
}

impl ShardSpec {
    /// Shard `number` of `count`; needs `1 ≤ number ≤ count`.
    pub fn new(number: u32, count: u32) -> Result<ShardSpec, ShardError> {
        if count == 0 {
            return Err(ShardError::Spec(format!(
                "{number}/{count}: the number of shards must be at least 1"
            )));
        }
        if number == 0 {
            return Err(ShardError::Spec(format!(
                "{number}/{count}: shards count from 1, so the first of {count} is 1/{count} \
                 and the last {count}/{count}"
            )));
        }
        if number > count {
            return Err(ShardError::Spec(format!(
                "{number}/{count}: there are only {count} shards, numbered 1 to {count}"
            )));
        }
        Ok(ShardSpec { number, count })
    }

    /// The shard's number, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The replication indices of this shard in a study of `replications`:
    /// `[(I−1)·R/N, I·R/N)`. Every shard gets at least one, so there may be
    /// no more shards than replications.
    pub fn block(&self, replications: u32) -> Result<Range<u32>, ShardError> {
        if self.count > replications {
            return Err(ShardError::TooManyShards {
                spec: *self,
                replications,
            });
        }
        Ok(block(self.number - 1, self.count, replications))
    }

    /// The shard's file name, `shard-I-of-N.json` (I from 1, as on the
    /// command line): distinct for every shard, so that all of them may
    /// share one directory.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.json", self.number, self.count)
    }

    /// The shard a file name of the form `shard-I-of-N.json` stands for.
    pub fn from_file_name(name: &str) -> Option<ShardSpec> {
        let rest = name.strip_prefix("shard-")?.strip_suffix(".json")?;
        let (i, n) = rest.split_once("-of-")?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(i) || !digits(n) {
            return None;
        }
        ShardSpec::new(i.parse().ok()?, n.parse().ok()?).ok()
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.number, self.count)
    }
}

impl FromStr for ShardSpec {
    type Err = ShardError;

    /// Parses `I/N`.
    fn from_str(s: &str) -> Result<ShardSpec, ShardError> {
        let usage = || {
            ShardError::Spec(format!(
                "{s:?} is not I/N: write the shard's number from 1 and the number of shards, \
                 e.g. 1/4 for the first of 4"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let i = i.trim().parse::<u32>().map_err(|_| usage())?;
        let n = n.trim().parse::<u32>().map_err(|_| usage())?;
        ShardSpec::new(i, n)
    }
}

/// Whether replication `r`'s figures are ones a run of `sc` can give, as
/// [`read`] checks every replication of a shard file: `Err` says what is
/// impossible. Public so that the engine's invariant tests hold every real
/// replication to it (a check too strict would refuse genuine shards).
pub fn check_figures(sc: &Scenario, r: &crate::results::Replication) -> Result<(), String> {
    let m = &sc.model;
    let (nq, ng, intervals) = (m.queues().len(), m.groups().len(), m.horizon().intervals);
    let shaped = r.queues.len() == nq
        && r.occupancy.len() == ng
        && r.intervals.columns() == nq
        && r.intervals.cells().len() == nq * intervals
        && r.interval_totals.len() == intervals
        && r.interval_occupancy.columns() == ng
        && r.interval_occupancy.cells().len() == ng * intervals;
    if !shaped {
        return Err(format!("replication {} does not fit its scenario", r.index));
    }
    sanity::replication(sc, r)
}

/// `[index·R/N, (index+1)·R/N)` for the 0-based `index` (shard
/// `index + 1`), in 64 bits so that it cannot overflow. Needs
/// `index < count`.
fn block(index: u32, count: u32, replications: u32) -> Range<u32> {
    let at = |i: u32| (u64::from(i) * u64::from(replications) / u64::from(count)) as u32;
    at(index)..at(index + 1)
}

/// A fingerprint of everything that decides a study's figures: SHA-256 of
/// the validated scenario (after `--set`, `-r` and `--seed`) serialized as
/// JSON, written `sha256:` and 64 hex digits. It is taken over the
/// validated form, so it does not change with comments, key order or the
/// spelling of a value (`"30m"` or `1800`), only with what is simulated.
pub fn fingerprint(sc: &Scenario) -> String {
    /// The canonical form: the model and plan as one object, in the order
    /// shard files have always hashed them.
    #[derive(Serialize)]
    struct Canonical<'a> {
        name: &'a str,
        replications: u32,
        seed: u64,
        horizon: &'a crate::model::Horizon,
        queues: &'a [crate::model::Queue],
        groups: &'a [crate::model::AgentGroup],
    }
    let m = &sc.model;
    let canonical = Canonical {
        name: m.name(),
        replications: sc.plan.replications,
        seed: sc.plan.seed,
        horizon: m.horizon(),
        queues: m.queues(),
        groups: m.groups(),
    };
    // A scenario has no map with non-string keys, the only thing that can
    // make serde_json fail.
    let mut hash = Hasher::default();
    serde_json::to_writer(&mut hash, &canonical).expect("a scenario serializes to JSON");
    hash.text()
}

/// SHA-256 of what is written to it.
#[derive(Default)]
struct Hasher(Sha256);

impl Hasher {
    /// `sha256:` and the digest in hex.
    fn text(self) -> String {
        let mut out = String::from("sha256:");
        for b in self.0.finalize() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How many missing shards a message lists.
const MISSING_LISTED: usize = 10;

/// `1, 3, 6` — a list of shard numbers.
fn plain_list(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The missing shard numbers, with `…` when there are more than listed.
fn number_list(listed: &[u32], total: u32) -> String {
    let more = if (listed.len() as u32) < total {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", plain_list(listed))
}

/// The file names of the missing shards, as `ccsim run --shard` names them.
fn missing_files(listed: &[u32], count: u32, total: u32) -> String {
    let names: Vec<String> = listed
        .iter()
        .map(|&number| ShardSpec { number, count }.file_name())
        .collect();
    let more = if (listed.len() as u32) < total {
        ", …"
    } else {
        ""
    };
    format!("no {}{more}", names.join(", "))
}

/// `2 to 4`, or `3` for a block of one.
fn range_text(r: &Range<u32>) -> String {
    if r.end == r.start + 1 {
        r.start.to_string()
    } else {
        format!("{} to {}", r.start, r.end.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests;
