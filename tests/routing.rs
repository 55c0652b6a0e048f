//! SPEC §11 routing on days worked out by hand: a queue's `groups` order
//! and overflow delays, and a group's `reserve`.

use ccsim::Scenario;
use ccsim::engine::simulate;
use ccsim::results::{Metric, Replication};

fn day(text: &str) -> Replication {
    let sc = Scenario::from_toml(text, "test.toml", "test").unwrap_or_else(|e| panic!("{e}"));
    simulate(&sc.model, sc.plan.seed, 0).unwrap()
}

fn get(r: &Replication, q: usize, name: &str) -> f64 {
    r.queues[q][Metric::from_name(name).unwrap().index()]
}

/// Two one-agent groups serve the queue; one call at 0. Only the order of
/// `groups` differs, and the first group listed answers.
#[test]
fn the_order_decides_who_answers() {
    let busy = |order: &str| {
        let r = day(&format!(
            r#"
            [horizon]
            open = "1h"
            interval = "1h"
            [[queues]]
            name = "q"
            arrivals = {{ at = [0] }}
            handle_time = {{ dist = "constant", value = "360s" }}
            groups = [{order}]
            [[agents]]
            name = "a"
            skills = ["q"]
            staffing = 1
            [[agents]]
            name = "b"
            skills = ["q"]
            staffing = 1
            "#
        ));
        r.occupancy.clone()
    };
    assert_eq!(busy(r#"{ group = "a" }, { group = "b" }"#), vec![0.1, 0.0]);
    assert_eq!(busy(r#"{ group = "b" }, { group = "a" }"#), vec![0.0, 0.1]);
}

/// Specialists first, generalists after 30 s: the call at 1 finds the
/// specialist busy and the generalist idle, and is answered at 31. Without
/// the delay it is answered at once.
#[test]
fn overflow_after_a_delay() {
    let run = |after: &str| {
        day(&format!(
            r#"
            [horizon]
            open = "1h"
            interval = "1h"
            [[queues]]
            name = "q"
            arrivals = {{ at = [0, 1] }}
            handle_time = {{ dist = "constant", value = "100s" }}
            groups = [{{ group = "specialists" }}, {{ group = "generalists", after = "{after}" }}]
            [[agents]]
            name = "specialists"
            skills = ["q"]
            staffing = 1
            [[agents]]
            name = "generalists"
            skills = ["q"]
            staffing = 1
            "#
        ))
    };
    let r = run("30s");
    assert_eq!([get(&r, 0, "answered"), get(&r, 0, "asa")], [2.0, 15.0]);
    let r = run("0s");
    assert_eq!([get(&r, 0, "answered"), get(&r, 0, "asa")], [2.0, 0.0]);
}

/// A generalist freed while a call is younger than its delay leaves it for
/// the specialists: the generalist busy until 50 frees up, but the call
/// that came at 40 is taken only at 70 (30 s after it came), while the
/// specialist is still busy until 100.
#[test]
fn a_free_agent_respects_the_delay() {
    let r = day(r#"
        [horizon]
        open = "1h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = { at = [0, 40] }
        handle_time = { dist = "constant", value = "100s" }
        groups = [{ group = "specialists" }, { group = "generalists", after = "30s" }]
        [[queues]]
        name = "other"
        arrivals = { at = [0] }
        handle_time = { dist = "constant", value = "50s" }
        [[agents]]
        name = "specialists"
        skills = ["q"]
        staffing = 1
        [[agents]]
        name = "generalists"
        skills = ["other", "q"]
        staffing = 1
        "#);
    assert_eq!([get(&r, 0, "answered"), get(&r, 0, "asa")], [2.0, 15.0]);
}

/// Two agents with skills [first, second]: a call of the second queue is
/// taken only while more agents than the reserve are idle. With a reserve
/// of 1 it is answered at once; with 2 never (when nothing else can happen
/// it goes to voicemail), while the first queue's call is answered.
#[test]
fn reserve_keeps_agents_for_the_first_skill() {
    let run = |reserve: u32| {
        day(&format!(
            r#"
            [horizon]
            open = "1h"
            interval = "1h"
            [[queues]]
            name = "first"
            arrivals = {{ at = [100] }}
            handle_time = {{ dist = "constant", value = "60s" }}
            [[queues]]
            name = "second"
            arrivals = {{ at = [0] }}
            handle_time = {{ dist = "constant", value = "60s" }}
            [[agents]]
            name = "team"
            skills = ["first", "second"]
            staffing = 2
            reserve = {reserve}
            "#
        ))
    };
    // Reserve 1 of 2: the second queue's call takes one agent (two idle).
    let r = run(1);
    assert_eq!(get(&r, 1, "answered"), 1.0);
    // Reserve 2 of 2: it never gets one.
    let r = run(2);
    assert_eq!(
        [get(&r, 1, "answered"), get(&r, 1, "timed_out")],
        [0.0, 1.0]
    );
    assert_eq!(get(&r, 0, "answered"), 1.0);
}
