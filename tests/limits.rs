//! SPEC §11's limits, balking and redials on days worked out by hand:
//! one agent, calls given as a trace, constant 100 s conversations.

use ccsim::Scenario;
use ccsim::engine::simulate;
use ccsim::results::{Metric, Replication};

/// One replication of a one-agent queue with calls at `at` and the extra
/// queue keys `keys`.
fn day(at: &str, keys: &str) -> Replication {
    let text = format!(
        r#"
        [horizon]
        open = "1h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = {{ at = [{at}] }}
        handle_time = {{ dist = "constant", value = "100s" }}
        {keys}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    );
    let sc = Scenario::from_toml(&text, "test.toml", "test").unwrap_or_else(|e| panic!("{e}"));
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

fn get(r: &Replication, name: &str) -> f64 {
    r.queues[0][Metric::from_name(name).unwrap().index()]
}

/// Calls at 0, 1 and 2: the first talks, the second holds, the third finds
/// one caller holding with room for one: a busy signal.
#[test]
fn capacity_blocks_the_caller_who_finds_it_full() {
    let r = day("0, 1, 2", "capacity = 1");
    assert_eq!(
        [get(&r, "answered"), get(&r, "blocked"), get(&r, "p_wait")],
        [2.0, 1.0, 2.0 / 3.0]
    );
    // Capacity 0: nobody may hold.
    let r = day("0, 1, 2", "capacity = 0");
    assert_eq!([get(&r, "answered"), get(&r, "blocked")], [1.0, 2.0]);
}

/// Two lines: at 2 both are held (one talking, one holding), so the call
/// is blocked; at 150 the first call has ended and freed its line.
#[test]
fn lines_count_calls_holding_and_talking() {
    let r = day("0, 1, 2, 150", "lines = 2");
    assert_eq!([get(&r, "answered"), get(&r, "blocked")], [3.0, 1.0]);
    // Only the first call found the agent free.
    assert_eq!(get(&r, "p_wait"), 0.75);
}

/// The second caller holds from 1 and goes to voicemail at 31.
#[test]
fn max_wait_sends_to_voicemail() {
    let r = day("0, 1", "max_wait = \"30s\"");
    assert_eq!([get(&r, "answered"), get(&r, "timed_out")], [1.0, 1.0]);
    assert_eq!(get(&r, "mean_wait"), 15.0); // (0 + 30) / 2
}

/// Every caller who finds the agent busy balks: abandoned at once.
#[test]
fn balking_callers_hang_up_at_once() {
    let r = day("0, 1, 2", "balk_probability = 1");
    assert_eq!(
        [
            get(&r, "answered"),
            get(&r, "abandoned"),
            get(&r, "balked"),
            get(&r, "mean_wait")
        ],
        [1.0, 2.0, 2.0, 0.0]
    );
}

/// The caller at 1 balks and calls again 200 s later, when the agent is
/// free: two callers, three calls, one abandoned. Over all calls a third
/// abandoned; over first attempts a half, and half were answered in time.
#[test]
fn first_attempts_beside_all_attempts() {
    let r = day(
        "0, 1",
        "balk_probability = 1\nredial = { probability = 1, delay = { dist = \"constant\", value = \"200s\" }, max = 1 }",
    );
    assert_eq!(
        [
            get(&r, "offered"),
            get(&r, "first_attempts"),
            get(&r, "abandon_rate"),
            get(&r, "abandon_rate_first"),
            get(&r, "service_level"),
            get(&r, "service_level_first"),
        ],
        [3.0, 2.0, 1.0 / 3.0, 0.5, 2.0 / 3.0, 0.5]
    );
}

/// Nobody may hold; the caller at 1 is blocked, calls again 10 s later
/// (twice at most), blocked each time: 2 callers, 4 calls.
#[test]
fn blocked_callers_redial() {
    let r = day(
        "0, 1",
        "capacity = 0\nredial = { probability = 1, delay = { dist = \"constant\", value = \"10s\" }, max = 2 }",
    );
    assert_eq!(
        [
            get(&r, "offered"),
            get(&r, "redials"),
            get(&r, "first_attempts"),
            get(&r, "blocked"),
            get(&r, "answered")
        ],
        [4.0, 2.0, 2.0, 3.0, 1.0]
    );
    // Calling again 100 s later (at 101), the caller finds the agent free.
    let r = day(
        "0, 1",
        "capacity = 0\nredial = { probability = 1, delay = { dist = \"constant\", value = \"100s\" } }",
    );
    assert_eq!(
        [
            get(&r, "offered"),
            get(&r, "redials"),
            get(&r, "blocked"),
            get(&r, "answered")
        ],
        [3.0, 1.0, 1.0, 2.0]
    );
}
