//! Exact steady-state queueing results, to size teams and to validate the
//! engine against.
//!
//! - [`erlang_c`]: Erlang B and C (M/M/n).
//! - [`erlang_a`]: Erlang A (M/M/n+M, exponential patience), including the
//!   service level of SPEC §5.
//! - [`callback`]: a single queue that converts waiting callers into
//!   low-priority callbacks, solved as a Markov chain.

pub mod callback;
pub mod erlang_a;
pub mod erlang_c;

pub use erlang_a::ErlangA;
pub use erlang_c::{ErlangC, erlang_b, erlang_c};
