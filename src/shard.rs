//! Studies spread over many machines: shard files, and merging them back
//! into the whole run.
//!
//! `ccsim run SCENARIO --shard I/N` simulates only shard `I`'s block of
//! replication indices, `[I·R/N, (I+1)·R/N)`, and saves every figure of
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

use crate::engine::Replication;
use crate::scenario::{MAX_REPLICATIONS, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::ser::Formatter;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::ops::Range;
use std::str::FromStr;

/// The `format` field of every shard file: says what the file is.
pub const FORMAT: &str = "ccsim-shard";

/// The version of the shard file layout this ccsim writes and reads.
pub const FORMAT_VERSION: u32 = 1;

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
    /// `--shard` is not `I/N` with `0 ≤ I < N`.
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
        index_list(.missing, *.missing_count),
        missing_files(.missing, *.count, *.missing_count),
    )]
    Missing {
        count: u32,
        /// The first few missing indices, in order.
        missing: Vec<u32>,
        /// How many are missing in all.
        missing_count: u32,
    },
    /// Nothing to merge.
    #[error("no shard files to merge")]
    NoShards,
}

/// Shard `index` of `count` (0-based), as `--shard I/N` gives it: the
/// numbering of Slurm's `$SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)` and
/// of Kubernetes' `$JOB_COMPLETION_INDEX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShardSpec {
    index: u32,
    count: u32,
}

impl ShardSpec {
    /// Shard `index` of `count`; needs `index < count`.
    pub fn new(index: u32, count: u32) -> Result<ShardSpec, ShardError> {
        if count == 0 {
            return Err(ShardError::Spec(format!(
                "{index}/{count}: the number of shards must be at least 1"
            )));
        }
        if index >= count {
            return Err(ShardError::Spec(format!(
                "{index}/{count}: shards are numbered from 0, so shard {index} of {count} does \
                 not exist (the last is {})",
                count - 1
            )));
        }
        Ok(ShardSpec { index, count })
    }

    /// The shard's index, from 0.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The replication indices of this shard in a study of `replications`:
    /// `[I·R/N, (I+1)·R/N)`. Every shard gets at least one, so there may be
    /// no more shards than replications.
    pub fn block(&self, replications: u32) -> Result<Range<u32>, ShardError> {
        if self.count > replications {
            return Err(ShardError::TooManyShards {
                spec: *self,
                replications,
            });
        }
        Ok(block(self.index, self.count, replications))
    }

    /// The shard's file name, `shard-I-of-N.json`: distinct for every
    /// shard, so that all of them may share one directory.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.json", self.index, self.count)
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
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for ShardSpec {
    type Err = ShardError;

    /// Parses `I/N`.
    fn from_str(s: &str) -> Result<ShardSpec, ShardError> {
        let usage = || {
            ShardError::Spec(format!(
                "{s:?} is not I/N: write the shard's index from 0 and the number of shards, \
                 e.g. 0/4 for the first of 4"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let i = i.trim().parse::<u32>().map_err(|_| usage())?;
        let n = n.trim().parse::<u32>().map_err(|_| usage())?;
        ShardSpec::new(i, n)
    }
}

/// `[index·R/N, (index+1)·R/N)`, in 64 bits so that it cannot overflow.
/// Needs `index < count`.
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
    // A scenario has no map with non-string keys, the only thing that can
    // make serde_json fail.
    let mut hash = Hasher::default();
    serde_json::to_writer(&mut hash, sc).expect("a scenario serializes to JSON");
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

/// One shard's results as saved in its file. The fields are the file's
/// keys, in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the ccsim that wrote it.
    pub format_version: u32,
    /// The version of the ccsim that wrote it.
    pub ccsim_version: String,
    /// [`CCSIM_BUILD`] of the ccsim that wrote it.
    pub ccsim_build: String,
    /// The scenario's display name.
    pub scenario_name: String,
    /// This shard's index, from 0.
    pub shard: u32,
    /// The number of shards of the study.
    pub shards: u32,
    /// Replications in the whole study.
    pub replications: u32,
    /// The study's base seed.
    pub seed: u64,
    /// [`fingerprint`] of the effective scenario.
    pub fingerprint: String,
    /// SHA-256 of the file's contents with this field empty, as compact
    /// JSON (see [`seal`](Self::seal)): a figure edited or damaged after
    /// writing would otherwise be merged without notice.
    pub checksum: String,
    /// The effective scenario as TOML text: the file after `--set`, with
    /// `name` filled in and `[run]` set to the replications and seed when
    /// a scenario file can hold them (the header's are the ones used).
    pub scenario: String,
    /// The shard's replications, in index order.
    pub results: Vec<Replication>,
}

impl ShardFile {
    /// The file's text: a header of one key per line, for `head` and
    /// `grep`, then one line per replication. Written straight from the
    /// replications, without a JSON tree in between (that took eight times
    /// the text's size in memory).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, Lines::default());
        // Serializing these types cannot fail: every map key is a string.
        self.serialize(&mut ser)
            .expect("a shard serializes to JSON");
        out.push(b'\n');
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// Sets [`checksum`](Self::checksum) for the current contents.
    pub fn seal(&mut self) {
        self.checksum = self.content_checksum();
    }

    /// The checksum the contents should have; `checksum` itself is left
    /// out (taken out while hashing, so that nothing is copied).
    fn content_checksum(&mut self) -> String {
        let kept = std::mem::take(&mut self.checksum);
        let mut hash = Hasher::default();
        // Cannot fail, as in `to_json`.
        serde_json::to_writer(&mut hash, &*self).expect("a shard serializes to JSON");
        self.checksum = kept;
        hash.text()
    }

    /// The shard's index and count.
    pub fn spec(&self) -> Result<ShardSpec, String> {
        ShardSpec::new(self.shard, self.shards).map_err(|e| e.to_string())
    }
}

/// serde_json's compact layout, except that the outer object has one key
/// per line and the array in it (`results`) one element per line.
#[derive(Default)]
struct Lines {
    /// Objects and arrays open around the next token.
    depth: usize,
    /// Whether the array at depth 2 has an element yet.
    listed: bool,
}

impl Formatter for Lines {
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 0 { b"\n}" } else { b"}" })
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        w.write_all(match (self.depth, first) {
            (1, true) => b"\n  ",
            (1, false) => b",\n  ",
            (_, true) => b"",
            (_, false) => b",",
        })
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth == 1 { b": " } else { b":" })
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.depth == 2 {
            self.listed = false;
        }
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 1 && self.listed {
            b"\n  ]"
        } else {
            b"]"
        })
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 2 {
            self.listed = true;
            return w.write_all(if first { b"\n    " } else { b",\n    " });
        }
        w.write_all(if first { b"" } else { b"," })
    }
}

/// The effective scenario of a study as its shard files record it: built
/// once per `ccsim run --shard`, before simulating, so that a scenario that
/// cannot be saved faithfully fails before hours of work.
#[derive(Clone, Debug)]
pub struct Study {
    name: String,
    replications: u32,
    seed: u64,
    toml: String,
    fingerprint: String,
}

impl Study {
    /// The study of `sc`, whose TOML table after `--set` is `table` (from
    /// [`Scenario::effective_table`]). Checks that the TOML text it will
    /// save reads back as exactly `sc`.
    pub fn new(sc: &Scenario, mut table: toml::Table) -> Result<Study, ShardError> {
        // The name may come from the file's stem, which a merge no longer knows.
        table.insert("name".into(), toml::Value::String(sc.name.clone()));
        // `-r` and `--seed` reach beyond what a file may hold (a seed above
        // 2^63, more than MAX_REPLICATIONS): such a value stays in the
        // header only, which is what a merge uses.
        let mut run = toml::Table::new();
        if sc.replications <= MAX_REPLICATIONS {
            run.insert(
                "replications".into(),
                toml::Value::Integer(i64::from(sc.replications)),
            );
        }
        if let Ok(seed) = i64::try_from(sc.seed) {
            run.insert("seed".into(), toml::Value::Integer(seed));
        }
        table.insert("run".into(), toml::Value::Table(run));
        let toml = toml::to_string(&table).map_err(|e| ShardError::Unfaithful(e.to_string()))?;
        let fingerprint = fingerprint(sc);
        let back = rebuild(&toml, "the saved scenario", sc.replications, sc.seed)
            .map_err(ShardError::Unfaithful)?;
        if self::fingerprint(&back) != fingerprint {
            return Err(ShardError::Unfaithful(
                "reading its TOML text back gives another scenario".into(),
            ));
        }
        Ok(Study {
            name: sc.name.clone(),
            replications: sc.replications,
            seed: sc.seed,
            toml,
            fingerprint,
        })
    }

    /// The shard file of shard `spec`, whose replications are `results`
    /// (those of `spec.block(..)`, in index order).
    pub fn shard(&self, spec: ShardSpec, results: Vec<Replication>) -> ShardFile {
        let mut file = ShardFile {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            ccsim_version: CCSIM_VERSION.into(),
            ccsim_build: CCSIM_BUILD.into(),
            scenario_name: self.name.clone(),
            shard: spec.index,
            shards: spec.count,
            replications: self.replications,
            seed: self.seed,
            fingerprint: self.fingerprint.clone(),
            checksum: String::new(),
            scenario: self.toml.clone(),
            results,
        };
        file.seal();
        file
    }
}

/// The scenario saved in a shard file, with the header's replications and
/// seed (as `-r` and `--seed` apply them).
fn rebuild(toml: &str, origin: &str, replications: u32, seed: u64) -> Result<Scenario, String> {
    // Every saved scenario has a `name`, so the default name is never used.
    let mut sc = Scenario::from_toml(toml, origin, "scenario").map_err(|e| e.to_string())?;
    sc.replications = replications;
    sc.seed = seed;
    Ok(sc)
}

/// A shard file read and checked on its own: the file's contents, the
/// scenario rebuilt from it, and where it came from (for messages).
#[derive(Clone, Debug)]
pub struct LoadedShard {
    /// Names the file in messages (its path).
    pub origin: String,
    pub file: ShardFile,
    pub scenario: Scenario,
}

/// Reads the text of the shard file `origin` and checks it on its own: the
/// format and its version, the checksum, the header (shard index below the count, no
/// more shards than replications), the scenario (it loads and matches the
/// fingerprint), and the replications (exactly the shard's block, in
/// order, each the scenario's shape).
pub fn read(text: &str, origin: &str) -> Result<LoadedShard, ShardError> {
    let corrupt = |problem: String| ShardError::Corrupt {
        file: origin.to_string(),
        problem,
    };
    // The format and version first, so that a file of another kind or
    // version is named as such rather than as a list of unexpected keys.
    #[derive(Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
        format_version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| {
        corrupt(match e.classify() {
            serde_json::error::Category::Eof => {
                format!("damaged shard file: it ends too soon (cut short?): {e}")
            }
            serde_json::error::Category::Syntax => {
                format!("not a ccsim shard file, or a damaged one: {e}")
            }
            _ => format!("not a ccsim shard file: {e}"),
        })
    })?;
    if probe.format.as_ref().and_then(serde_json::Value::as_str) != Some(FORMAT) {
        return Err(corrupt(format!(
            "not a ccsim shard file (it has no \"format\": \"{FORMAT}\")"
        )));
    }
    match probe.format_version {
        Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
        Some(v) => {
            return Err(ShardError::Version {
                file: origin.to_string(),
                found: v.to_string(),
            });
        }
        None => return Err(corrupt("damaged shard file: no format_version".into())),
    }
    let mut file: ShardFile =
        serde_json::from_str(text).map_err(|e| corrupt(format!("damaged shard file: {e}")))?;
    if file.content_checksum() != file.checksum {
        return Err(corrupt(
            "damaged shard file: its contents do not match its checksum (edited, or damaged \
             in storage or in transfer)"
                .into(),
        ));
    }

    let spec = file
        .spec()
        .map_err(|e| corrupt(format!("damaged header: {e}")))?;
    let block = spec.block(file.replications).map_err(|_| {
        corrupt(format!(
            "damaged header: {} shards for {} replications",
            file.shards, file.replications
        ))
    })?;
    if !file.results.iter().map(|r| r.index).eq(block.clone()) {
        let held: Vec<u32> = file.results.iter().map(|r| r.index).take(12).collect();
        return Err(corrupt(format!(
            "its replications do not match its block: shard {spec} of {} replications holds \
             {}, the file has {}",
            file.replications,
            range_text(&block),
            if held.is_empty() {
                "none".to_string()
            } else {
                let more = if file.results.len() > held.len() {
                    ", …"
                } else {
                    ""
                };
                format!("{}{more}", plain_list(&held))
            }
        )));
    }

    let scenario = rebuild(
        &file.scenario,
        &format!("{origin} (its scenario)"),
        file.replications,
        file.seed,
    )
    .map_err(|e| corrupt(format!("its scenario does not load: {e}")))?;
    if fingerprint(&scenario) != file.fingerprint {
        let hint = if file.ccsim_build != CCSIM_BUILD {
            format!(
                " (it was made by ccsim {} build {}, this is ccsim {CCSIM_VERSION} build \
                 {CCSIM_BUILD})",
                file.ccsim_version, file.ccsim_build
            )
        } else {
            String::new()
        };
        return Err(corrupt(format!(
            "its scenario does not match its fingerprint{hint}"
        )));
    }
    if scenario.name != file.scenario_name {
        return Err(corrupt(format!(
            "its scenario is named {:?}, its header says {:?}",
            scenario.name, file.scenario_name
        )));
    }
    let (nq, ng) = (scenario.queues.len(), scenario.groups.len());
    let cells = nq * scenario.horizon.intervals;
    for r in &file.results {
        if r.queues.len() != nq || r.occupancy.len() != ng || r.intervals.len() != cells {
            return Err(corrupt(format!(
                "replication {} does not fit its scenario ({} queues, {} agent groups and {} \
                 interval cells, not {nq}, {ng} and {cells})",
                r.index,
                r.queues.len(),
                r.occupancy.len(),
                r.intervals.len()
            )));
        }
    }
    Ok(LoadedShard {
        origin: origin.to_string(),
        file,
        scenario,
    })
}

/// A whole study put back together from its shards.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The effective scenario, as the shards recorded it.
    pub scenario: Scenario,
    /// Every replication, in index order.
    pub replications: Vec<Replication>,
    /// [`CCSIM_BUILD`] of the ccsim that simulated them.
    pub ccsim_build: String,
}

/// Puts a study back together from its shard files (each from [`read`]).
///
/// All must come from one study: the same ccsim build, scenario
/// fingerprint, seed, replications and number of shards; the first file
/// is the reference the others are compared with. Every shard index must
/// be there. A shard present twice is accepted only when the two files
/// have the same contents (a retried task that wrote to a second
/// directory, say: a shard file has nothing that varies between runs); the
/// copy adds nothing.
pub fn merge(shards: Vec<LoadedShard>) -> Result<Merged, ShardError> {
    let Some(first) = shards.first() else {
        return Err(ShardError::NoShards);
    };
    for s in &shards[1..] {
        if let Some(difference) = difference(&first.file, &s.file) {
            return Err(ShardError::Foreign {
                file: s.origin.clone(),
                reference: first.origin.clone(),
                difference,
            });
        }
    }
    let count = first.file.shards;
    let scenario = first.scenario.clone();
    let ccsim_build = first.file.ccsim_build.clone();
    let mut by_index: BTreeMap<u32, LoadedShard> = BTreeMap::new();
    for s in shards {
        match by_index.get(&s.file.shard) {
            Some(kept) if kept.file.checksum == s.file.checksum => {}
            Some(kept) => {
                return Err(ShardError::Duplicate {
                    spec: ShardSpec {
                        index: s.file.shard,
                        count,
                    },
                    first: kept.origin.clone(),
                    second: s.origin,
                });
            }
            None => {
                by_index.insert(s.file.shard, s);
            }
        }
    }
    // Every index in the map is below `count`, so this many are missing;
    // only the first few are listed (a file may claim millions of shards).
    let missing_count = count - by_index.len() as u32;
    if missing_count > 0 {
        let missing = (0..count)
            .filter(|i| !by_index.contains_key(i))
            .take(MISSING_LISTED)
            .collect();
        return Err(ShardError::Missing {
            count,
            missing,
            missing_count,
        });
    }
    Ok(Merged {
        scenario,
        replications: by_index
            .into_values()
            .flat_map(|s| s.file.results)
            .collect(),
        ccsim_build,
    })
}

/// How `b` is not of the same study as `a`, if it is not.
fn difference(a: &ShardFile, b: &ShardFile) -> Option<String> {
    if (&a.ccsim_version, &a.ccsim_build) != (&b.ccsim_version, &b.ccsim_build) {
        return Some(format!(
            "made by ccsim {} build {}, not {} build {}: run every shard with the same ccsim \
             binary",
            b.ccsim_version, b.ccsim_build, a.ccsim_version, a.ccsim_build
        ));
    }
    if a.seed != b.seed {
        return Some(format!("seed {}, not {}", b.seed, a.seed));
    }
    if a.replications != b.replications {
        return Some(format!(
            "{} replications, not {}",
            b.replications, a.replications
        ));
    }
    if a.shards != b.shards {
        return Some(format!("one of {} shards, not {}", b.shards, a.shards));
    }
    if a.fingerprint != b.fingerprint {
        return Some(if a.scenario_name != b.scenario_name {
            format!("scenario {:?}, not {:?}", b.scenario_name, a.scenario_name)
        } else {
            let short = |f: &str| f.chars().take(19).collect::<String>();
            format!(
                "the scenario differs, in the file or a --set: fingerprint {}…, not {}…",
                short(&b.fingerprint),
                short(&a.fingerprint)
            )
        });
    }
    None
}

/// How many missing shards a message lists.
const MISSING_LISTED: usize = 10;

/// `0, 2, 5` — a list of indices.
fn plain_list(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The missing indices, with `…` when there are more than listed.
fn index_list(listed: &[u32], total: u32) -> String {
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
        .map(|&index| ShardSpec { index, count }.file_name())
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
