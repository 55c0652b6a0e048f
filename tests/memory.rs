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
    simulate(&sc.model, sc.plan.seed, 0)
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
