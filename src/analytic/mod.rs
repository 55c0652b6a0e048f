//! Exact steady-state queueing results, to size teams and to validate the
//! engine against.
//!
//! - [`erlang_c`]: Erlang B and C (M/M/n).
//! - [`erlang_a`]: Erlang A (M/M/n+M, exponential patience), including the
//!   service level of SPEC §5.
//! - [`limits`]: Erlang A with a holding limit, a limit on calls in the
//!   system and balking (SPEC §11).
//! - [`callback`]: a single queue that converts waiting callers into
//!   low-priority callbacks, solved as a Markov chain.
//! - [`scheduled`]: agents on the phones grossed up for shrinkage.

pub mod callback;
pub mod erlang_a;
pub mod erlang_c;
pub mod limits;

pub use erlang_a::ErlangA;
pub use erlang_c::{ErlangC, erlang_b, erlang_c};
pub use limits::{LimitedFigures, LimitedQueue};

/// The agents to schedule so that `on_phones` are left once `shrinkage`
/// (the share of paid time off the phones: breaks, training, absence,
/// `0 ≤ shrinkage < 1`) is taken out: `⌈on_phones ÷ (1 − shrinkage)⌉`
/// (SPEC §9). A quotient within rounding error of a whole number counts as
/// that number: 70 agents at 30% shrinkage need 100 scheduled, not the 101
/// that `70 / 0.7 = 100.00000000000001` would round up to.
pub fn scheduled(on_phones: u32, shrinkage: f64) -> u64 {
    debug_assert!((0.0..1.0).contains(&shrinkage), "shrinkage {shrinkage}");
    let exact = f64::from(on_phones) / (1.0 - shrinkage);
    let whole = exact.round();
    if (exact - whole).abs() <= 1e-9 * whole.max(1.0) {
        whole as u64
    } else {
        exact.ceil() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::scheduled;

    #[test]
    fn scheduled_rounds_up_but_not_rounding_error() {
        assert_eq!(scheduled(100, 0.0), 100);
        assert_eq!(scheduled(0, 0.5), 0);
        // 70 / 0.7 is 100.00000000000001 in floating point.
        assert_eq!(scheduled(70, 0.3), 100);
        assert_eq!(scheduled(7, 0.3), 10);
        // 100 / 0.7 = 142.86: rounded up.
        assert_eq!(scheduled(100, 0.3), 143);
        assert_eq!(scheduled(1, 0.25), 2);
        assert_eq!(scheduled(3, 0.25), 4);
        assert_eq!(scheduled(1, 0.999_999), 1_000_000);
        assert_eq!(scheduled(1_000_000, 0.999), 1_000_000_000);
    }
}
