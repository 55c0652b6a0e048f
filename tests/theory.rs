//! The engine against exact results: Erlang C for single queues without
//! abandonment, and constructed cases whose outcome is known by hand.

use ccsim::Scenario;
use ccsim::analytic::ErlangC;
use ccsim::engine::{run_replications, simulate};
use ccsim::results::{Estimate, Metric, N_METRICS, Replication};

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test", "test").expect("valid scenario")
}

fn metric(values: &[f64; N_METRICS], name: &str) -> f64 {
    values[Metric::from_name(name).expect("known metric").index()]
}

/// 99.9% confidence interval of `name` for queue 0 across replications.
/// So wide a level makes a false alarm rare (about 1 in 1000 per figure)
/// whatever seed a change of random streams deals; the narrowness check
/// below keeps the test sharp.
fn interval(reps: &[Replication], name: &str) -> Estimate {
    Estimate::with_level(reps.iter().map(|r| metric(&r.queues[0], name)), 0.999)
}

/// Simulates M/M/n and checks P(wait>0), ASA, service level and the 90th
/// percentile wait against Erlang C. Each exact value must lie in the 99.9%
/// interval of the simulated mean, and each interval must be narrow (within
/// `max_rel` of the value), so that a wide interval cannot pass by covering
/// everything.
fn check_erlang_c(
    agents: u32,
    per_hour: f64,
    aht: f64,
    sl: f64,
    hours: u32,
    reps: u32,
    max_rel: f64,
) {
    let text = format!(
        r#"
        [run]
        replications = {reps}
        seed = 1
        [horizon]
        open = "{hours}h"
        interval = "1h"
        warmup = "2h"
        [[queues]]
        name = "q"
        service_level = {sl}
        arrivals = {{ per_hour = {per_hour} }}
        handle_time = {{ dist = "exponential", mean = {aht} }}
        patience = "none"
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = {agents}
        "#
    );
    let sc = scenario(&text);
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    let exact = ErlangC {
        agents,
        arrival_rate: per_hour / 3600.0,
        mean_handle: aht,
    };
    let decay = (f64::from(agents) - exact.offered_load()) / aht;
    let p90 = (exact.p_wait() / 0.1).ln() / decay;
    for (name, want) in [
        ("p_wait", exact.p_wait()),
        ("asa", exact.asa()),
        ("service_level", exact.service_level(sl)),
        ("wait_p90", p90),
    ] {
        let e = interval(&reps, name);
        assert!(
            e.covers(want),
            "n={agents} {name}: exact {want:.5} outside simulated {:.5} ± {:.5}",
            e.mean,
            e.half_width
        );
        assert!(
            e.half_width < max_rel * want,
            "n={agents} {name}: interval ±{:.5} too wide to be a test",
            e.half_width
        );
    }
    // Every call is answered when nobody abandons.
    for r in &reps {
        assert_eq!(
            metric(&r.queues[0], "answered"),
            metric(&r.queues[0], "offered")
        );
    }
}

#[test]
fn small_team_agrees_with_erlang_c() {
    // a = 8 Erlangs on 10 agents (ρ = 0.8).
    check_erlang_c(10, 480.0, 60.0, 20.0, 200, 30, 0.05);
}

#[test]
fn large_team_agrees_with_erlang_c() {
    // a = 45 Erlangs on 50 agents (ρ = 0.9).
    check_erlang_c(50, 900.0, 180.0, 20.0, 400, 30, 0.08);
}

/// One agent, handle time 100 s, no abandonment, callbacks offered after
/// 50 s on hold and always accepted. Calls arrive at 0 (A), 1 (B) and
/// 50.5 (C). A is answered at once and talks until 100. B requests a
/// callback at 51; C is still holding when the agent frees up at 100.
fn kept_or_back(position: &str) -> Replication {
    let text = format!(
        r#"
        [horizon]
        open = "1h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = {{ at = [0, 1, 50.5] }}
        handle_time = {{ dist = "constant", value = "100s" }}
        [queues.callback]
        offer_after = "50s"
        accept_probability = 1
        position = "{position}"
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    );
    let sc = scenario(&text);
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

#[test]
fn kept_callback_is_served_before_a_later_caller() {
    // B's callback keeps B's entry time (1 s), ahead of C (50.5 s): the
    // agent calls B back at 100 (delay 49 s). C is offered at 100.5 and
    // converts too; its callback is made at 200 (delay 99.5 s).
    let r = kept_or_back("keep");
    let q = &r.queues[0];
    assert_eq!(metric(q, "offered"), 3.0);
    assert_eq!(metric(q, "answered"), 1.0);
    assert_eq!(metric(q, "callbacks_requested"), 2.0);
    assert_eq!(metric(q, "callbacks_completed"), 2.0);
    assert_eq!(metric(q, "callback_delay_mean"), (49.0 + 99.5) / 2.0);
}

#[test]
fn callback_sent_to_the_back_is_served_after_a_later_caller() {
    // B's callback is ordered by its request time (51 s), behind C
    // (50.5 s): C is answered at 100 after 49.5 s, B is called at 200.
    let r = kept_or_back("back");
    let q = &r.queues[0];
    assert_eq!(metric(q, "answered"), 2.0);
    assert_eq!(metric(q, "callbacks_requested"), 1.0);
    assert_eq!(metric(q, "asa"), 49.5 / 2.0);
    assert_eq!(metric(q, "callback_delay_mean"), 149.0);
}

/// One agent until 09:00, none after; the queue closes at 09:00. Calls at
/// 0 (A), 10 (B), 20 (C) and 30 (D); handle time 2 h, so A, answered at
/// once, keeps the agent past the close. With callbacks offered after 5 s
/// on hold (always accepted), B, C and D convert, and their callbacks
/// expire at 09:00, when nobody is left to serve the queue. Without
/// callbacks they hold (no patience) and end as timed out after 3590 s,
/// 3580 s and 3570 s.
#[test]
fn calls_waiting_when_a_queue_closes_without_agents_are_timed_out() {
    let sc = scenario(
        r#"
        [horizon]
        start = "08:00"
        open = "2h"
        interval = "1h"
        [[queues]]
        name = "q"
        hours = ["08:00", "09:00"]
        arrivals = { at = [0, 10, 20, 30] }
        handle_time = { dist = "constant", value = "2h" }
        [queues.callback]
        offer_after = "5s"
        accept_probability = 1
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = [1, 0]
        "#,
    );
    assert_eq!(sc.model.served_until(0), 3600.0);
    let r = simulate(&sc.model, sc.plan.seed, 0).unwrap();
    let q = &r.queues[0];
    assert_eq!(metric(q, "offered"), 4.0);
    assert_eq!(metric(q, "answered"), 1.0);
    assert_eq!(metric(q, "callbacks_requested"), 3.0);
    assert_eq!(metric(q, "callbacks_expired"), 3.0);
    assert_eq!(metric(q, "timed_out"), 0.0);
    // The same without callbacks: B, C and D hold until 09:00.
    let text = r#"
        [horizon]
        start = "08:00"
        open = "2h"
        interval = "1h"
        [[queues]]
        name = "q"
        hours = ["08:00", "09:00"]
        arrivals = { at = [0, 10, 20, 30] }
        handle_time = { dist = "constant", value = "2h" }
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = [1, 0]
        "#;
    let sc = scenario(text);
    let r = simulate(&sc.model, sc.plan.seed, 0).unwrap();
    let q = &r.queues[0];
    assert_eq!(metric(q, "answered"), 1.0);
    assert_eq!(metric(q, "timed_out"), 3.0);
    assert_eq!(
        metric(q, "mean_wait"),
        (0.0 + 3590.0 + 3580.0 + 3570.0) / 4.0
    );
    // All four arrived in the first interval, which balances on its own.
    let first = r.intervals.get(0, 0);
    assert_eq!(metric(first, "timed_out"), 3.0);
    assert_eq!(metric(r.intervals.get(1, 0), "offered"), 0.0);
}

/// One agent on a 1000 s call from 0; callers at 1 and 2 s give up after
/// exactly 10 s. T = 20 s, short abandons within 10 s.
#[test]
fn spec_12_variants_of_service_level_and_abandonment() {
    let run = |short: &str| {
        let sc = scenario(&format!(
            r#"
            [horizon]
            open = "1h"
            [[queues]]
            name = "q"
            service_level = "20s"
            short_abandon = "{short}"
            arrivals = {{ at = [0, 1, 2] }}
            handle_time = {{ dist = "constant", value = "1000s" }}
            patience = {{ dist = "constant", value = "10s" }}
            [[agents]]
            name = "a"
            skills = ["q"]
            staffing = 1
            "#
        ));
        simulate(&sc.model, sc.plan.seed, 0).unwrap().queues[0]
    };
    let q = run("10s");
    assert_eq!(metric(&q, "abandoned"), 2.0);
    assert_eq!(metric(&q, "abandoned_within_sl"), 2.0);
    assert_eq!(metric(&q, "short_abandoned"), 2.0);
    assert_eq!(metric(&q, "service_level"), 1.0 / 3.0);
    assert_eq!(metric(&q, "sl_of_answered"), 1.0);
    assert_eq!(metric(&q, "sl_of_offered"), 1.0 / 3.0);
    assert_eq!(metric(&q, "sl_excluding_short"), 1.0);
    let q = run("9s");
    assert_eq!(metric(&q, "short_abandoned"), 0.0);
    assert_eq!(metric(&q, "sl_excluding_short"), 1.0 / 3.0);
}

/// A queue open 08:30–09:00 of a 08:00–10:00 day takes its calls only
/// then: 3600 calls an hour for half an hour.
#[test]
fn a_queue_takes_calls_only_in_its_hours() {
    let sc = scenario(
        r#"
        [run]
        replications = 20
        [horizon]
        start = "08:00"
        open = "2h"
        interval = "30m"
        [[queues]]
        name = "q"
        hours = ["08:30", "09:00"]
        arrivals = { per_hour = 3600 }
        handle_time = { dist = "exponential", mean = "10s" }
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 20
        "#,
    );
    assert!((sc.model.queues()[0].expected_calls(sc.model.horizon()) - 1800.0).abs() < 1e-9);
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    for r in &reps {
        for k in [0, 2, 3] {
            assert_eq!(
                metric(r.intervals.get(k, 0), "offered"),
                0.0,
                "interval {k}"
            );
        }
    }
    let offered = Estimate::with_level(
        reps.iter()
            .map(|r| metric(r.intervals.get(1, 0), "offered")),
        0.999,
    );
    assert!(offered.covers(1800.0), "{offered:?}");
    assert!(offered.half_width < 60.0, "{offered:?}");
}

/// One agent busy from 0 for 2 h; the queue is open 08:00–09:00 with
/// callbacks offered after 5 s on hold, always accepted. Callers at 100 s
/// and at 1900 s (08:31:40).
fn closing_rules(rules: &str) -> ccsim::results::Replication {
    let sc = scenario(&format!(
        r#"
        [horizon]
        start = "08:00"
        open = "2h"
        interval = "1h"
        [[queues]]
        name = "q"
        hours = ["08:00", "09:00"]
        arrivals = {{ at = [0, 100, 1900] }}
        handle_time = {{ dist = "constant", value = "2h" }}
        [queues.callback]
        offer_after = "5s"
        accept_probability = 1
        {rules}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    ));
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

#[test]
fn no_offer_in_the_last_half_hour_before_close() {
    // Without the rule both callers convert; with it the caller at 08:31
    // is not offered (08:31:45 is within 30 minutes of 09:00) and holds
    // until the agent is free at 10:00.
    let all = closing_rules("");
    assert_eq!(metric(&all.queues[0], "callbacks_offered"), 2.0);
    let r = closing_rules(r#"no_offer_before_close = "30m""#);
    let q = &r.queues[0];
    assert_eq!(metric(q, "callbacks_offered"), 1.0);
    assert_eq!(metric(q, "callbacks_requested"), 1.0);
    assert_eq!(metric(q, "answered"), 2.0);
}

#[test]
fn callbacks_pending_at_close_are_served_or_expire() {
    // The agent stays on: by default both callbacks are made after 10:00.
    let serve = closing_rules(r#"at_close = "serve""#);
    assert_eq!(metric(&serve.queues[0], "callbacks_completed"), 2.0);
    // With "expire", both are dropped at 09:00, when the queue closes.
    let expire = closing_rules(r#"at_close = "expire""#);
    let q = &expire.queues[0];
    assert_eq!(metric(q, "callbacks_requested"), 2.0);
    assert_eq!(metric(q, "callbacks_expired"), 2.0);
    assert_eq!(metric(q, "callbacks_completed"), 0.0);
}

/// Callbacks of "sales" routed to a "callbacks" queue that an outbound
/// agent serves: the caller at 1 s converts at 6 s and the outbound agent,
/// idle, calls back at once, while the inbound agent is busy until 1000 s.
/// Without the route, the callback waits for the inbound agent.
#[test]
fn callbacks_routed_to_another_queue_wait_there_and_count_with_theirs() {
    let run = |route: &str| {
        let sc = scenario(&format!(
            r#"
            [horizon]
            open = "1h"
            [[queues]]
            name = "sales"
            arrivals = {{ at = [0, 1] }}
            handle_time = {{ dist = "constant", value = "1000s" }}
            [queues.callback]
            offer_after = "5s"
            accept_probability = 1
            {route}
            [[queues]]
            name = "callbacks"
            arrivals = {{ per_hour = 0 }}
            handle_time = {{ dist = "constant", value = "60s" }}
            [[agents]]
            name = "inbound"
            skills = ["sales"]
            staffing = 1
            [[agents]]
            name = "outbound"
            skills = ["callbacks"]
            staffing = 1
            "#
        ));
        simulate(&sc.model, sc.plan.seed, 0).unwrap()
    };
    let routed = run(r#"route_to = "callbacks""#);
    let (sales, cbq) = (&routed.queues[0], &routed.queues[1]);
    assert_eq!(metric(sales, "callbacks_completed"), 1.0);
    assert_eq!(metric(sales, "callback_delay_mean"), 0.0);
    assert_eq!(metric(cbq, "offered"), 0.0);
    assert_eq!(metric(cbq, "callbacks_completed"), 0.0);
    // The outbound agent did the callback's work (1000 s of the hour).
    assert!(routed.occupancy[1] > 0.2, "{:?}", routed.occupancy);
    let own = run("");
    assert_eq!(metric(&own.queues[0], "callback_delay_mean"), 994.0);
    assert_eq!(own.occupancy[1], 0.0);
}

/// One agent; every call and callback lasts `handle` seconds. Callers at
/// 1, 2 and 3 s find the agent busy with the first caller, are offered a
/// callback at once, and all pick a time an hour later, in windows of 30
/// minutes holding `capacity` each.
fn scheduled(handle: u32, capacity: u32) -> ccsim::results::Replication {
    let sc = scenario(&format!(
        r#"
        [horizon]
        open = "1h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = {{ at = [0, 1, 2, 3] }}
        handle_time = {{ dist = "constant", value = {handle} }}
        [queues.callback]
        offer_if_callers_ahead = 0
        accept_probability = 1
        [queues.callback.scheduled]
        share = 1
        delay = {{ dist = "constant", value = "1h" }}
        window = "30m"
        capacity = {capacity}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    ));
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

#[test]
fn scheduled_callbacks_wait_for_their_time_and_windows_hold_their_capacity() {
    // Capacity 1 per 30 minutes: 3601 s (window 2), then the next windows
    // with room, 5400 s and 7200 s. The agent is free each time.
    let r = scheduled(100, 1);
    let q = &r.queues[0];
    assert_eq!(metric(q, "callbacks_scheduled"), 3.0);
    assert_eq!(metric(q, "callbacks_completed"), 3.0);
    assert_eq!(metric(q, "callback_lateness_mean"), 0.0);
    assert_eq!(
        metric(q, "callback_delay_mean"),
        (3600.0 + 5398.0 + 7197.0) / 3.0
    );
    // Room for all three in one window: due at 3601, 3602 and 3603 s; the
    // agent takes them one after another (100 s each), never before.
    let r = scheduled(100, 10);
    let q = &r.queues[0];
    assert_eq!(
        metric(q, "callback_delay_mean"),
        (3600.0 + 3699.0 + 3798.0) / 3.0
    );
    assert_eq!(
        metric(q, "callback_lateness_mean"),
        (0.0 + 99.0 + 198.0) / 3.0
    );
    // Calls of 4000 s: the agent is busy at 3601 s; the callbacks are made
    // at 4000, 8000 and 12000 s, late by 399, 4398 and 8397 s.
    let r = scheduled(4000, 10);
    assert_eq!(
        metric(&r.queues[0], "callback_lateness_mean"),
        (399.0 + 4398.0 + 8397.0) / 3.0
    );
}
