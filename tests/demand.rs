//! SPEC §11 "Demand": per-interval handle times, patience and wrap-ups,
//! and mixture distributions, through the engine.

use ccsim::Scenario;
use ccsim::engine::{run_replications, simulate};
use ccsim::model::{Dist, Override};
use ccsim::results::{Metric, N_METRICS};

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test", "test").expect("valid scenario")
}

fn metric(values: &[f64; N_METRICS], name: &str) -> f64 {
    values[Metric::from_name(name).expect("known metric").index()]
}

/// Two intervals of 1000 s, one agent, callers who never hang up; calls
/// arriving in interval 0 take 100 s, in interval 1 300 s. Calls at 0, 900,
/// 950, 1000 and 1010:
///
/// - 0 is answered at once, free at 100; 900 at once, free at 1000;
/// - 950 (interval 0) waits 50 s and is served 1000–1100 — 100 s, its
///   arrival interval's, though served in interval 1;
/// - 1000 (interval 1) waits 100 s, served 1100–1400;
/// - 1010 waits 390 s, served 1400–1700.
///
/// Busy 200 s in interval 0 (0–100, 900–1000) and 700 s in interval 1.
/// Drawing by the interval of service would make the 950 call take 300 s;
/// one handle time for the day, the waits 50, 100, 190.
#[test]
fn calls_take_the_handle_time_of_the_interval_they_arrive_in() {
    let sc = scenario(
        r#"
        [horizon]
        open = "2000s"
        interval = "1000s"
        [[queues]]
        name = "q"
        arrivals = { at = [0, 900, 950, 1000, 1010] }
        handle_time = [
            { dist = "constant", value = "100s" },
            { dist = "constant", value = "300s" },
        ]
        patience = "none"
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#,
    );
    let r = simulate(&sc.model, sc.plan.seed, 0).unwrap();
    let q = &r.queues[0];
    assert_eq!(metric(q, "offered"), 5.0);
    assert_eq!(metric(q, "answered"), 5.0);
    assert_eq!(metric(q, "asa"), (50.0 + 100.0 + 390.0) / 5.0);
    let in0 = r.intervals.get(0, 0);
    let in1 = r.intervals.get(1, 0);
    assert_eq!(metric(in0, "answered"), 3.0);
    assert_eq!(metric(in0, "asa"), 50.0 / 3.0);
    assert_eq!(metric(in1, "asa"), (100.0 + 390.0) / 2.0);
    let occ = |k: usize| *r.interval_occupancy.get(k, 0);
    assert!(
        (occ(0) - 0.2).abs() < 1e-12,
        "interval 0 occupancy {}",
        occ(0)
    );
    assert!(
        (occ(1) - 0.7).abs() < 1e-12,
        "interval 1 occupancy {}",
        occ(1)
    );
    assert!((r.occupancy[0] - 900.0 / 2000.0).abs() < 1e-12);
}

/// Per-interval patience and wrap-up: a caller's patience is its arrival
/// interval's, and so is the agent's wrap-up after the call.
#[test]
fn patience_and_wrap_up_by_interval() {
    let sc = scenario(
        r#"
        [horizon]
        open = "2000s"
        interval = "1000s"
        [[queues]]
        name = "q"
        arrivals = { at = [0, 1, 1000, 1001] }
        handle_time = { dist = "constant", value = "100s" }
        patience = [
            { dist = "constant", value = "50s" },
            { dist = "constant", value = "500s" },
        ]
        wrap_up = [
            { dist = "constant", value = "0s" },
            { dist = "constant", value = "20s" },
        ]
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#,
    );
    // 0 served 0–100; 1 gives up at 51. 1000 served 1000–1120 (wrap-up
    // 20 s); 1001 waits 119 s (patience 500 s) and is served.
    let r = simulate(&sc.model, sc.plan.seed, 0).unwrap();
    let q = &r.queues[0];
    assert_eq!(metric(q, "abandoned"), 1.0);
    assert_eq!(metric(q, "answered"), 3.0);
    assert_eq!(metric(q, "asa"), 119.0 / 3.0);
}

const ONE_PART: &str = r#"
[run]
replications = 6
seed = 17
[horizon]
open = "2h"
interval = "30m"
[[queues]]
name = "care"
arrivals = { per_hour = 200 }
handle_time = { dist = "lognormal", mean = "4m", sd = "3m" }
PATIENCE
[[agents]]
name = "a"
skills = ["care"]
staffing = 13
"#;

/// A mixture with one part is that part: the same replications bit for
/// bit (it draws no uniform to pick the part).
#[test]
fn a_one_part_mixture_gives_the_parts_replications() {
    let run = |patience: &str| {
        let sc = scenario(&ONE_PART.replace("PATIENCE", patience));
        run_replications(&sc.model, &sc.plan, &|| {}).unwrap()
    };
    // Every figure exactly (NaN included: JSON writes it as null).
    let json = |r: &Vec<ccsim::results::Replication>| serde_json::to_string(r).unwrap();
    let plain = run(r#"patience = { dist = "exponential", mean = "3m" }"#);
    let mixed = run(
        r#"patience = { dist = "mixture", parts = [{ weight = 1, dist = "exponential", mean = "3m" }] }"#,
    );
    assert!(metric(&plain[0].queues[0], "abandoned") > 0.0);
    assert!(
        json(&plain) == json(&mixed),
        "a one-part mixture changed the figures"
    );
    // Two parts change the draws (and the figures).
    let two = run(r#"patience = { dist = "mixture", parts = [
            { weight = 0.1, dist = "constant", value = "0s" },
            { weight = 0.9, dist = "exponential", mean = "3m" },
        ] }"#);
    assert!(
        json(&plain) != json(&two),
        "two parts left the figures as they were"
    );
}

/// A per-interval list can be set from the command line (`--set` works on
/// the TOML table).
#[test]
fn set_gives_a_per_interval_handle_time() {
    let text = ONE_PART.replace("PATIENCE", "");
    let set: Override =
        r#"queues.care.handle_time=[{dist="exponential",mean="5m"},{dist="constant",value="1m"},{dist="exponential",mean="5m"},{dist="mixture",parts=[{weight=1,dist="constant",value="2m"},{weight=3,dist="exponential",mean="4m"}]}]"#
            .parse()
            .expect("a valid --set");
    let sc = Scenario::from_toml_with(&text, "test", "test", &[set]).expect("valid with --set");
    let q = &sc.model.queues()[0];
    assert_eq!(q.handle_time.values().len(), 4);
    assert_eq!(q.handle_time.at(1).mean(), 60.0);
    assert!(matches!(q.handle_time.at(3), Dist::Mixture { .. }));
    assert_eq!(q.handle_time.at(3).mean(), 0.25 * 120.0 + 0.75 * 240.0);
    // Three entries for four intervals: an error naming the key.
    let set: Override = r#"queues.care.handle_time=[{dist="exponential",mean="5m"},{dist="exponential",mean="5m"},{dist="exponential",mean="5m"}]"#
        .parse()
        .unwrap();
    let e = Scenario::from_toml_with(&text, "test", "test", &[set]).unwrap_err();
    assert_eq!(e.key.to_string(), "queues[0].handle_time");
    assert!(e.message.contains("4 intervals"), "{}", e.message);
}
