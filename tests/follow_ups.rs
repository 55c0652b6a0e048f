//! Agent-created follow-ups (SPEC §10 `[queues.follow_up]`) against what is
//! known exactly: probability 0 changes nothing; an owner timeout of 0 is
//! `owner = "any"`; a follow-up due at once, always reached, for anyone, is
//! a second call of the same queue (Erlang C at the combined load); and a
//! hand-worked day shows who takes an agent-owned follow-up and when.

use ccsim::Scenario;
use ccsim::analytic::ErlangC;
use ccsim::engine::{run_replications, simulate};
use ccsim::model::Override;
use ccsim::results::{Estimate, Metric, Replication};

fn scenario(text: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    Scenario::from_toml_with(text, "test.toml", "test", &overrides)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn retail_day() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/retail-day.toml");
    std::fs::read_to_string(path).unwrap()
}

fn value(values: &[f64], name: &str) -> f64 {
    values[Metric::from_name(name).unwrap().index()]
}

/// Bit-level identity, `NaN` included.
fn same(a: &Replication, b: &Replication) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

const FOLLOW_UP: &str = "queues.care.follow_up={ probability = 0.08, \
    delay = { dist = \"lognormal\", mean = \"2h\", sd = \"1h\" } }";

/// With probability 0 no call needs one: every figure is the run without
/// the table, whoever owns follow-ups (identities change nothing either).
#[test]
fn probability_zero_is_no_follow_ups() {
    let text = retail_day();
    let base = scenario(&text, &["run.replications=4"]);
    let want = run_replications(&base.model, &base.plan, &|| {}).unwrap();
    for owner in ["any", "agent"] {
        let sets = [
            "run.replications=4",
            FOLLOW_UP,
            "queues.care.follow_up.probability=0",
        ];
        let mut sets = sets.to_vec();
        let owner_set = format!("queues.care.follow_up.owner={owner}");
        sets.push(&owner_set);
        let sc = scenario(&text, &sets);
        let got = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
        for (a, b) in want.iter().zip(&got) {
            assert!(same(a, b), "owner {owner}: replication {} differs", a.index);
        }
    }
}

/// An agent-owned follow-up whose reservation ends when it is due goes
/// straight to anyone: the day of `owner = "any"`, bit for bit.
#[test]
fn owner_timeout_zero_is_owner_any() {
    let text = retail_day();
    let any = scenario(&text, &["run.replications=4", FOLLOW_UP]);
    let owned = scenario(
        &text,
        &[
            "run.replications=4",
            FOLLOW_UP,
            "queues.care.follow_up.owner=agent",
            "queues.care.follow_up.owner_timeout=0",
        ],
    );
    let a = run_replications(&any.model, &any.plan, &|| {}).unwrap();
    let b = run_replications(&owned.model, &owned.plan, &|| {}).unwrap();
    let created: f64 = a
        .iter()
        .map(|r| value(&r.total, "follow_ups_created"))
        .sum();
    assert!(created > 1000.0, "too few follow-ups to compare: {created}");
    for (x, y) in a.iter().zip(&b) {
        assert!(same(x, y), "replication {} differs", x.index);
    }
    // A real reservation makes follow-ups wait for their busy owners.
    let reserved = scenario(
        &text,
        &[
            "run.replications=4",
            FOLLOW_UP,
            "queues.care.follow_up.owner=agent",
        ],
    );
    let c = run_replications(&reserved.model, &reserved.plan, &|| {}).unwrap();
    let delay = |reps: &[Replication]| {
        reps.iter()
            .map(|r| value(&r.total, "follow_up_delay_mean"))
            .sum::<f64>()
    };
    assert!(
        delay(&c) > 5.0 * delay(&a),
        "owned follow-ups should wait for their owner: {} vs {}",
        delay(&c),
        delay(&a)
    );
}

/// M/M/n without abandonment where a share p of answered calls needs a
/// follow-up due at once, always reached, for anyone, with the queue's own
/// (exponential) handle time: each follow-up is one more customer of the
/// same FIFO station. Such a multi-class station with class-independent
/// exponential service has the product-form stationary law of M/M/n at the
/// total rate λ(1 + p) (Kelly), and Poisson inbound callers see it
/// (PASTA): their P(wait) and ASA are Erlang C's at load a(1 + p).
#[test]
fn immediate_follow_ups_are_second_calls_erlang_c() {
    let (agents, per_hour, aht, p) = (10, 400.0, 60.0, 0.2);
    let text = format!(
        r#"
        [run]
        replications = 30
        seed = 5
        [horizon]
        open = "200h"
        interval = "1h"
        warmup = "2h"
        [[queues]]
        name = "q"
        arrivals = {{ per_hour = {per_hour} }}
        handle_time = {{ dist = "exponential", mean = {aht} }}
        patience = "none"
        [queues.follow_up]
        probability = {p}
        delay = {{ dist = "constant", value = 0 }}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = {agents}
        "#
    );
    let sc = scenario(&text, &[]);
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    let exact = ErlangC {
        agents,
        arrival_rate: per_hour * (1.0 + p) / 3600.0,
        mean_handle: aht,
    };
    for (name, want) in [("p_wait", exact.p_wait()), ("asa", exact.asa())] {
        let e = Estimate::with_level(reps.iter().map(|r| value(&r.queues[0], name)), 0.999);
        assert!(
            e.covers(want),
            "{name}: exact {want:.5} outside simulated {:.5} ± {:.5}",
            e.mean,
            e.half_width
        );
        assert!(
            e.half_width < 0.05 * want,
            "{name}: interval ±{:.5} too wide to be a test",
            e.half_width
        );
    }
    // The follow-ups are a share p of the answered calls.
    let e = Estimate::with_level(
        reps.iter()
            .map(|r| value(&r.queues[0], "follow_ups_created") / value(&r.queues[0], "answered")),
        0.999,
    );
    assert!(e.covers(p), "share {:.4} ± {:.4}", e.mean, e.half_width);
}

/// Two agents, constant 100 s calls at 0 (A), 1 (B) and 102 (C), every call
/// followed up 10 s after it ends, 10 s conversations, no dialing.
///
/// Agent-owned: X takes A (to 100), Y takes B (to 101). X, idle longest,
/// takes C at 102 (to 202). A's follow-up is due at 110 but X is busy: it
/// waits for X (Y stays idle) and X makes it at 202 (92 s late). B's is due
/// at 111, Y is idle: at once. C's is due at 212, when X has just finished
/// A's: at once. Mean delay 92 / 3.
///
/// For anyone: Y (idle since 101) makes A's at 110, to 120; B's, due at
/// 111, waits for Y until 120 (9 s); C's at 212. Mean 9 / 3. Each is
/// filed by the interval it is connected in.
#[test]
fn agent_owned_follow_up_waits_for_its_owner() {
    let run = |owner: &str| {
        let text = format!(
            r#"
            [horizon]
            open = "1h"
            interval = "150s"
            [[queues]]
            name = "q"
            arrivals = {{ at = [0, 1, 102] }}
            handle_time = {{ dist = "constant", value = "100s" }}
            [queues.follow_up]
            probability = 1
            delay = {{ dist = "constant", value = "10s" }}
            handle_time = {{ dist = "constant", value = "10s" }}
            owner = "{owner}"
            [[agents]]
            name = "a"
            skills = ["q"]
            staffing = 2
            "#
        );
        let sc = scenario(&text, &[]);
        simulate(&sc.model, sc.plan.seed, 0).unwrap()
    };
    // Connected at 202, 111, 212 (agent-owned) or 110, 120, 212 (anyone's):
    // by the 150 s interval of connection, 1 and 2 or 2 and 1.
    for (owner, delay, handled) in [("agent", 92.0 / 3.0, [1.0, 2.0]), ("any", 3.0, [2.0, 1.0])] {
        let r = run(owner);
        let m = &r.queues[0];
        let by_interval = [0, 1].map(|k| value(r.intervals.get(k, 0), "follow_ups_handled"));
        assert_eq!(by_interval, handled, "{owner}");
        assert_eq!(value(m, "follow_ups_created"), 3.0, "{owner}");
        assert_eq!(value(m, "follow_ups_completed"), 3.0, "{owner}");
        assert!(
            (value(m, "follow_up_delay_mean") - delay).abs() < 1e-9,
            "{owner}: delay {} != {delay}",
            value(m, "follow_up_delay_mean")
        );
    }
}

/// Unanswered attempts retry, then give up; a follow-up due when nobody
/// serves the queue any more is not made. Both count as unreached, and
/// every follow-up ends one way.
#[test]
fn unreached_follow_ups() {
    let text = r#"
        [run]
        replications = 3
        [horizon]
        open = "2h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = { per_hour = 60 }
        handle_time = { dist = "exponential", mean = "100s" }
        [queues.follow_up]
        probability = 0.5
        delay = { dist = "uniform", min = "10m", max = "3h" }
        reach_probability = 0.5
        max_attempts = 2
        retry_delay = "5m"
        dial_time = { dist = "constant", value = "20s" }
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = [3, 3]
        [[agents]]
        name = "early"
        skills = ["q"]
        staffing = [1, 0]
        "#;
    let all_day = scenario(text, &[]);
    // The queue closes at 01:00 and its agents go home with it.
    let ends_early = scenario(
        text,
        &[
            "agents.a.staffing=[3, 0]",
            "queues.q.hours=[\"00:00\", \"01:00\"]",
        ],
    );
    for (sc, gone) in [(&all_day, false), (&ends_early, true)] {
        for r in run_replications(&sc.model, &sc.plan, &|| {}).unwrap() {
            let m = &r.queues[0];
            let (created, completed, unreached) = (
                value(m, "follow_ups_created"),
                value(m, "follow_ups_completed"),
                value(m, "follow_ups_unreached"),
            );
            assert_eq!(created, completed + unreached);
            assert!(created > 20.0 && completed > 0.0 && unreached > 0.0);
            if gone {
                // Due after 1 h (most of them) nobody makes them.
                assert!(unreached > created / 2.0, "{unreached} of {created}");
            }
        }
    }
}
