//! Reading one shard file with its self-checks, and merging a set of them
//! into one study.

use super::study::rebuild;
use super::{
    CCSIM_BUILD, CCSIM_VERSION, FORMAT, FORMAT_VERSION, MISSING_LISTED, ShardError, ShardFile,
    ShardSpec, fingerprint, plain_list, range_text, sanity,
};
use crate::model::Scenario;
use crate::results::Replication;
use serde::Deserialize;
use std::collections::BTreeMap;

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
/// format and its version, the checksum, the header (shard number from 1
/// to the count, no more shards than replications), the scenario (it loads and matches the
/// fingerprint), the replications (exactly the shard's block, in
/// order, each the scenario's shape), and that nothing in it is beyond what
/// ccsim writes: text fields printable, every figure possible for the
/// scenario, the events adding up within `u64` (see `sanity.rs`; the
/// checksum alone can be recomputed by anyone). Messages name `origin` and
/// never echo a control character from the file.
pub fn read(text: &str, origin: &str) -> Result<LoadedShard, ShardError> {
    let corrupt = |problem: String| ShardError::Corrupt {
        file: origin.to_string(),
        problem: sanity::escaped(problem),
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
    // Before any of it is echoed.
    let unwritten =
        |e: String| corrupt(format!("{e}: no ccsim writes it (forged or damaged file)"));
    sanity::header_text(&file).map_err(unwritten)?;

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
    let model = &scenario.model;
    if model.name() != file.scenario_name {
        return Err(corrupt(format!(
            "its scenario is named {:?}, its header says {:?}",
            model.name(),
            file.scenario_name
        )));
    }
    sanity::names(&scenario).map_err(unwritten)?;
    let (nq, ng) = (model.queues().len(), model.groups().len());
    let intervals = model.horizon().intervals;
    let cells = nq * intervals;
    for r in &mut file.results {
        let shaped = r.intervals.reshape(intervals, nq).is_ok()
            && r.interval_occupancy.reshape(intervals, ng).is_ok()
            && r.interval_totals.len() == intervals;
        if r.queues.len() != nq || r.occupancy.len() != ng || !shaped {
            return Err(corrupt(format!(
                "replication {} does not fit its scenario ({} queues, {} agent groups and {} \
                 interval cells, not {nq}, {ng} and {cells})",
                r.index,
                r.queues.len(),
                r.occupancy.len(),
                r.intervals.cells().len()
            )));
        }
        sanity::replication(&scenario, r)
            .map_err(|e| corrupt(format!("impossible figures: {e} (forged or damaged file)")))?;
    }
    sanity::events_total(0, &file.results, origin)?;
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
/// is the reference the others are compared with. Every shard number must
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
    let mut by_number: BTreeMap<u32, LoadedShard> = BTreeMap::new();
    for s in shards {
        match by_number.get(&s.file.shard) {
            Some(kept) if kept.file.checksum == s.file.checksum => {}
            Some(kept) => {
                return Err(ShardError::Duplicate {
                    spec: ShardSpec {
                        number: s.file.shard,
                        count,
                    },
                    first: kept.origin.clone(),
                    second: s.origin,
                });
            }
            None => {
                by_number.insert(s.file.shard, s);
            }
        }
    }
    // Every number in the map is from 1 to `count`, so this many are
    // missing; only the first few are listed (a file may claim millions of
    // shards).
    let missing_count = count - by_number.len() as u32;
    if missing_count > 0 {
        let missing = (1..=count)
            .filter(|i| !by_number.contains_key(i))
            .take(MISSING_LISTED)
            .collect();
        return Err(ShardError::Missing {
            count,
            missing,
            missing_count,
        });
    }
    // Each file's events add up (`read`); the study's must too.
    let mut events = 0;
    for s in by_number.values() {
        events = sanity::events_total(events, &s.file.results, &s.origin)?;
    }
    Ok(Merged {
        scenario,
        replications: by_number
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
