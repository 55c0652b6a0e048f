//! Run control: how many replications, from which seed. A [`RunPlan`] is
//! never written into a [`Model`](crate::model::Model): the same model runs
//! under many plans (a `-r` or `--seed` on the command line, every variant
//! of a comparison on one seed, a shard's block of replications).

use std::ops::Range;

/// The replications to simulate and their base seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunPlan {
    /// Replications in the whole study.
    pub replications: u32,
    /// Base seed; replication `r` derives its streams from `(seed, r)`.
    pub seed: u64,
}

impl RunPlan {
    pub const DEFAULT_REPLICATIONS: u32 = 10;
    pub const DEFAULT_SEED: u64 = 1;

    /// Every replication of the study.
    pub fn all(&self) -> Range<u32> {
        0..self.replications
    }

    /// The plan with another seed.
    pub fn with_seed(&self, seed: u64) -> RunPlan {
        RunPlan {
            seed,
            ..self.clone()
        }
    }
}

impl Default for RunPlan {
    fn default() -> Self {
        RunPlan {
            replications: Self::DEFAULT_REPLICATIONS,
            seed: Self::DEFAULT_SEED,
        }
    }
}
