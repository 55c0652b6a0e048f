//! Memory stays flat in the number of calls: what the engine holds follows
//! the contacts in the system, not how many calls went through it.

use ccsim::Scenario;
use ccsim::engine::simulate;

/// A busy queue where half the callers who hold 10 s ask for a callback,
/// with an expiry far beyond the run: every callback leaves an expiry
/// timer behind in the event heap when it completes.
fn run(hours: u32) -> ccsim::results::Replication {
    let text = format!(
        r#"
        [horizon]
        open = "{hours}h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = {{ per_hour = 3000 }}
        handle_time = {{ dist = "exponential", mean = "100s" }}
        patience = {{ dist = "exponential", mean = "120s" }}
        [queues.callback]
        offer_after = "10s"
        accept_probability = 0.5
        expire_after = "3000h"
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 86
        "#
    );
    let sc = Scenario::from_toml(&text, "memory", "memory").unwrap();
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

#[test]
fn pending_events_and_contacts_do_not_grow_with_calls() {
    let short = run(25);
    let long = run(250);
    let idx = ccsim::results::Metric::CallbacksRequested.index();
    // Thousands of callbacks, each leaving a cancelled expiry timer.
    assert!(long.queues[0][idx] > 10.0 * short.queues[0][idx].max(1.0) * 0.9);
    assert!(long.queues[0][idx] > 20_000.0, "{}", long.queues[0][idx]);
    // Ten times the calls, yet the heap and the contact table stay within a
    // small factor (they fluctuate with the queue length, not the volume).
    assert!(
        long.peak_events <= 2 * short.peak_events,
        "events: {} vs {}",
        long.peak_events,
        short.peak_events
    );
    assert!(
        long.peak_contacts <= 2 * short.peak_contacts.max(100),
        "contacts: {} vs {}",
        long.peak_contacts,
        short.peak_contacts
    );
}

/// One agent against a million calls an hour, callers who never hang up:
/// the line grows by about that many an hour.
fn overloaded(hours: u32, per_hour: u32) -> ccsim::Scenario {
    let text = format!(
        r#"
        [horizon]
        open = "{hours}h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = {{ per_hour = {per_hour} }}
        handle_time = {{ dist = "exponential", mean = "300s" }}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    );
    Scenario::from_toml(&text, "overloaded", "overloaded").unwrap()
}

#[test]
fn an_overloaded_center_stops_instead_of_taking_all_memory() {
    use ccsim::engine::MAX_CONTACTS;
    // 8 h of 1M/h: 8M callers would wait; the run stops at the bound,
    // about 4 h in.
    let sc = overloaded(8, 1_000_000);
    let e = simulate(&sc.model, sc.plan.seed, 3).unwrap_err();
    assert_eq!(e.replication, 3);
    // Checked every few thousand arrivals: a little past the bound.
    assert!(
        e.contacts >= MAX_CONTACTS && e.contacts < MAX_CONTACTS + 5000,
        "{}",
        e.contacts
    );
    assert!(
        e.at.starts_with("04:0") || e.at.starts_with("03:5"),
        "{}",
        e.at
    );
    assert!(e.to_string().contains("overloaded"), "{e}");
    // Below the bound the same center runs to its end (slowly emptying).
    let sc = overloaded(1, 100_000);
    assert!(simulate(&sc.model, sc.plan.seed, 0).is_ok());
}

#[test]
fn progress_moves_within_a_replication_and_adds_up_to_one() {
    use std::sync::Mutex;
    // 200 h of a busy queue: a million events, so many reports.
    let text = r#"
        [horizon]
        open = "200h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = { per_hour = 3000 }
        handle_time = { dist = "exponential", mean = "100s" }
        patience = { dist = "exponential", mean = "120s" }
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 86
        "#;
    let sc = Scenario::from_toml(text, "progress", "progress").unwrap();
    let seen = Mutex::new(Vec::new());
    ccsim::engine::simulate_observed(&sc.model, sc.plan.seed, 0, &|t| {
        seen.lock().unwrap().push(t)
    })
    .unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.iter().sum::<u32>(), 1000);
    assert!(seen.len() > 10, "only {} reports", seen.len());
    // No report takes more than a tenth at once: it moves as the clock does.
    assert!(seen.iter().all(|&t| t <= 100), "{seen:?}");
}
