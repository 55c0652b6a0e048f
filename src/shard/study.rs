//! The effective scenario of a study, fixed before simulating a shard,
//! and the scenario rebuilt from a shard file.

use super::{
    CCSIM_BUILD, CCSIM_VERSION, FORMAT, FORMAT_VERSION, ShardError, ShardFile, ShardSpec,
    fingerprint, sanity,
};
use crate::model::{MAX_REPLICATIONS, Scenario};
use crate::results::Replication;

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
        let (name, plan) = (sc.model.name(), &sc.plan);
        table.insert("name".into(), toml::Value::String(name.to_string()));
        // `-r` and `--seed` reach beyond what a file may hold (a seed above
        // 2^63, more than MAX_REPLICATIONS): such a value stays in the
        // header only, which is what a merge uses.
        let mut run = toml::Table::new();
        if plan.replications <= MAX_REPLICATIONS {
            run.insert(
                "replications".into(),
                toml::Value::Integer(i64::from(plan.replications)),
            );
        }
        if let Ok(seed) = i64::try_from(plan.seed) {
            run.insert("seed".into(), toml::Value::Integer(seed));
        }
        table.insert("run".into(), toml::Value::Table(run));
        // A merge refuses names that would reach a terminal as control
        // sequences: better to say so before simulating.
        sanity::names(sc)
            .map_err(|e| ShardError::Unfaithful(format!("{e}: a merge would refuse it")))?;
        let toml = toml::to_string(&table).map_err(|e| ShardError::Unfaithful(e.to_string()))?;
        let fingerprint = fingerprint(sc);
        let back = rebuild(&toml, "the saved scenario", plan.replications, plan.seed)
            .map_err(ShardError::Unfaithful)?;
        if self::fingerprint(&back) != fingerprint {
            return Err(ShardError::Unfaithful(
                "reading its TOML text back gives another scenario".into(),
            ));
        }
        Ok(Study {
            name: name.to_string(),
            replications: plan.replications,
            seed: plan.seed,
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
            shard: spec.number,
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
pub(super) fn rebuild(
    toml: &str,
    origin: &str,
    replications: u32,
    seed: u64,
) -> Result<Scenario, String> {
    // Every saved scenario has a `name`, so the default name is never used.
    let model = Scenario::from_toml(toml, origin, "scenario")
        .map_err(|e| e.to_string())?
        .model;
    Ok(Scenario {
        model,
        plan: crate::plan::RunPlan { replications, seed },
    })
}
