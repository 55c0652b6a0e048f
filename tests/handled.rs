//! Callback work by the interval in which it is handled: `callbacks_handled`,
//! `scheduled_handled` and `follow_ups_handled` are filed by the interval in
//! which the work is connected (customer reached, agent talking), not the
//! interval of the original call's arrival. Over the day they add up to the
//! callbacks completed; hand-worked days say which interval gets each one.

use ccsim::Scenario;
use ccsim::engine::{run_replications, simulate};
use ccsim::model::Override;
use ccsim::results::{Metric, Replication};
use std::path::Path;

const NEW: [&str; 3] = [
    "callbacks_handled",
    "scheduled_handled",
    "follow_ups_handled",
];

fn idx(name: &str) -> usize {
    Metric::from_name(name)
        .unwrap_or_else(|| panic!("metric {name} missing"))
        .index()
}

/// A scenario file of `scenarios/` with `sets` applied (as `--set`).
fn load(file: &str, sets: &[&str]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("scenario readable");
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    Scenario::from_toml_with(&text, file, "test", &overrides)
        .unwrap_or_else(|e| panic!("{file} {sets:?}: {e}"))
}

/// Every way the handled figures of one replication can disagree with the
/// rest: per queue, the intervals' `callbacks_handled + scheduled_handled`
/// and the day's are the day's `callbacks_completed`; each metric's
/// intervals add up to its day; all queues are the sum of the queues, in
/// each interval and over the day; a scheduled callback handled is one
/// `callbacks_scheduled` counted and one `callback_lateness_mean` has.
fn violations(sc: &Scenario, r: &Replication) -> Vec<String> {
    let mut bad = Vec::new();
    let nq = sc.model.queues().len();
    let intervals = sc.model.horizon().intervals;
    let rep = r.index;
    let [asap, sched, follow] = NEW.map(idx);
    for q in 0..nq {
        let name = &sc.model.queues()[q].name;
        let day = &r.queues[q];
        let completed = day[idx("callbacks_completed")];
        if day[asap] + day[sched] != completed {
            bad.push(format!(
                "replication {rep}, {name}: day handled {} + {} != completed {completed}",
                day[asap], day[sched]
            ));
        }
        let by_interval: f64 = (0..intervals)
            .map(|k| r.intervals.get(k, q)[asap] + r.intervals.get(k, q)[sched])
            .sum();
        if by_interval != completed {
            bad.push(format!(
                "replication {rep}, {name}: intervals' handled {by_interval} != completed {completed}"
            ));
        }
        for m in [asap, sched, follow] {
            let sum: f64 = (0..intervals).map(|k| r.intervals.get(k, q)[m]).sum();
            if sum != day[m] {
                bad.push(format!(
                    "replication {rep}, {name}: {} intervals {sum} != day {}",
                    Metric::QUEUE[m].name(),
                    day[m]
                ));
            }
        }
        if day[sched] > day[idx("callbacks_scheduled")] {
            bad.push(format!(
                "replication {rep}, {name}: scheduled_handled {} > callbacks_scheduled {}",
                day[sched],
                day[idx("callbacks_scheduled")]
            ));
        }
        // The lateness is a mean over the scheduled callbacks connected,
        // which the engine reports apart: defined exactly when some are.
        if (day[sched] > 0.0) == day[idx("callback_lateness_mean")].is_nan() {
            bad.push(format!(
                "replication {rep}, {name}: scheduled_handled {} but lateness {}",
                day[sched],
                day[idx("callback_lateness_mean")]
            ));
        }
        let follow_ups = day[idx("follow_ups_completed")];
        if day[follow] != follow_ups {
            bad.push(format!(
                "replication {rep}, {name}: follow_ups_handled {} != follow_ups_completed {follow_ups}",
                day[follow]
            ));
        }
    }
    for m in [asap, sched, follow] {
        let sum: f64 = r.queues.iter().map(|v| v[m]).sum();
        if sum != r.total[m] {
            bad.push(format!(
                "replication {rep}: total {} {} != sum over queues {sum}",
                Metric::QUEUE[m].name(),
                r.total[m]
            ));
        }
        for k in 0..intervals {
            let sum: f64 = (0..nq).map(|q| r.intervals.get(k, q)[m]).sum();
            if sum != r.interval_totals[k][m] {
                bad.push(format!(
                    "replication {rep}, interval {k}: total {} {} != sum over queues {sum}",
                    Metric::QUEUE[m].name(),
                    r.interval_totals[k][m]
                ));
            }
        }
    }
    bad
}

/// Runs `sc`, checks every replication and returns the day's totals of
/// (`callbacks_handled`, `scheduled_handled`) over all replications, and
/// how many replications file some callback work in another interval than
/// its call's arrival (per queue and interval, handled ≠ completed).
fn check(what: &str, sc: &Scenario) -> (f64, f64, usize) {
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    let bad: Vec<String> = reps.iter().flat_map(|r| violations(sc, r)).collect();
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
    let total = |m: &str| reps.iter().map(|r| r.total[idx(m)]).sum::<f64>();
    let moved = reps
        .iter()
        .filter(|r| {
            r.intervals.cells().iter().any(|c| {
                c[idx("callbacks_handled")] + c[idx("scheduled_handled")]
                    != c[idx("callbacks_completed")]
            })
        })
        .count();
    (
        total("callbacks_handled"),
        total("scheduled_handled"),
        moved,
    )
}

const SCHEDULED: &str = r#"queues.care.callback.scheduled={ share = 0.3, delay = { dist = "uniform", min = "30m", max = "2h" }, window = "30m", capacity = 8 }"#;

#[test]
fn handled_work_adds_up_to_the_callbacks_completed_agent_first() {
    let (asap, sched, moved) = check("retail-day", &load("retail-day.toml", &[]));
    assert!(asap > 100.0, "too few callbacks to check: {asap}");
    assert_eq!(sched, 0.0, "no scheduled callbacks in retail-day");
    assert!(moved > 0, "every callback handled in its arrival interval");
    let (asap, sched, moved) = check(
        "retail-day, scheduled",
        &load("retail-day.toml", &[SCHEDULED]),
    );
    assert!(
        asap > 100.0 && sched > 50.0,
        "{asap} asap, {sched} scheduled"
    );
    assert!(moved > 0);
}

#[test]
fn handled_work_adds_up_to_the_callbacks_completed_customer_first() {
    // Scheduled, customer-first callbacks routed to a queue of their own.
    let (asap, sched, moved) = check("callback-platform", &load("callback-platform.toml", &[]));
    assert!(
        asap > 100.0 && sched > 100.0,
        "{asap} asap, {sched} scheduled"
    );
    assert!(moved > 0);
    let (asap, sched, _) = check(
        "retail-day, customer-first, scheduled",
        &load(
            "retail-day.toml",
            &[
                SCHEDULED,
                "queues.care.callback.mode=customer_first",
                r#"queues.care.callback.answered_patience={ dist = "exponential", mean = "30s" }"#,
            ],
        ),
    );
    assert!(
        asap > 100.0 && sched > 50.0,
        "{asap} asap, {sched} scheduled"
    );
}

/// With every accepting caller picking a time, every callback connected is
/// a scheduled one: `scheduled_handled` is the callbacks completed, and
/// nothing is handled as soon as possible; with none, the other way round.
#[test]
fn scheduled_handled_counts_the_scheduled_callbacks_connected() {
    for mode in ["agent_first", "customer_first"] {
        let all = load(
            "callback-platform.toml",
            &[
                "queues.service.callback.scheduled.share=1",
                &format!("queues.service.callback.mode={mode}"),
            ],
        );
        let reps = run_replications(&all.model, &all.plan, &|| {}).unwrap();
        let mut made = 0.0;
        for r in &reps {
            assert!(violations(&all, r).is_empty());
            let q = &r.queues[0];
            assert_eq!(q[idx("scheduled_handled")], q[idx("callbacks_completed")]);
            assert_eq!(q[idx("callbacks_handled")], 0.0);
            made += q[idx("scheduled_handled")];
        }
        assert!(made > 100.0, "{mode}: {made} scheduled callbacks");
        let none = load(
            "callback-platform.toml",
            &[
                "queues.service.callback.scheduled=",
                &format!("queues.service.callback.mode={mode}"),
            ],
        );
        for r in run_replications(&none.model, &none.plan, &|| {}).unwrap() {
            let q = &r.queues[0];
            assert_eq!(q[idx("callbacks_handled")], q[idx("callbacks_completed")]);
            assert_eq!(q[idx("scheduled_handled")], 0.0);
        }
    }
}

// ------------------------------------------------------------ by hand

/// One agent, intervals of 10 minutes, calls arriving 30 minutes. The first
/// caller (0 s) is answered at once and keeps the agent `first` seconds;
/// the second (1 s, interval 0) finds it busy, is offered a callback at
/// once and accepts. `callback` is the rest of the callback table.
fn by_hand(first: u32, callback: &str) -> Replication {
    by_hand_at("[0, 1]", first, callback)
}

/// [`by_hand`] with the calls arriving at `at`.
fn by_hand_at(at: &str, first: u32, callback: &str) -> Replication {
    let text = format!(
        r#"
        [horizon]
        open = "30m"
        interval = "10m"
        [[queues]]
        name = "q"
        arrivals = {{ at = {at} }}
        handle_time = {{ dist = "constant", value = {first} }}
        [queues.callback]
        offer_if_callers_ahead = 0
        accept_probability = 1
        {callback}
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#
    );
    let sc = Scenario::from_toml(&text, "by-hand", "test").expect("valid scenario");
    let r = simulate(&sc.model, sc.plan.seed, 0).unwrap();
    assert!(violations(&sc, &r).is_empty(), "{:?}", violations(&sc, &r));
    r
}

/// `name` in each of the three intervals.
fn per_interval(r: &Replication, name: &str) -> Vec<f64> {
    (0..3).map(|k| r.intervals.get(k, 0)[idx(name)]).collect()
}

#[test]
fn a_callback_counts_in_the_interval_it_is_connected_in() {
    // Requested at 1 s (interval 0), eligible and dialed at 1201 s
    // (interval 2), reached at once.
    let r = by_hand(100, r#"initial_delay = "20m""#);
    assert_eq!(per_interval(&r, "callbacks_completed"), [1.0, 0.0, 0.0]);
    assert_eq!(per_interval(&r, "callbacks_handled"), [0.0, 0.0, 1.0]);
    assert_eq!(per_interval(&r, "scheduled_handled"), [0.0; 3]);
    assert_eq!(r.queues[0][idx("callbacks_handled")], 1.0);
    assert_eq!(r.interval_totals[2][idx("callbacks_handled")], 1.0);
    // Dialed at 1141 s (interval 1), the customer answers 100 s later, at
    // 1241 s (interval 2): the connection counts, not the dial. The same
    // when the system dials (customer-first) and the agent is free.
    for mode in ["agent_first", "customer_first"] {
        let r = by_hand(
            100,
            &format!(
                r#"initial_delay = "19m"
                dial_time = {{ dist = "constant", value = "100s" }}
                mode = "{mode}""#
            ),
        );
        assert_eq!(
            per_interval(&r, "callbacks_handled"),
            [0.0, 0.0, 1.0],
            "{mode}"
        );
        assert_eq!(r.queues[0][idx("callback_delay_mean")], 1240.0, "{mode}");
    }
    // Customer-first: the system dials at 601 s (interval 1) and the
    // customer answers and holds; the agent, busy with the first caller
    // until 1300 s, takes them then (interval 2).
    let r = by_hand(1300, "initial_delay = \"10m\"\nmode = \"customer_first\"");
    assert_eq!(r.queues[0][idx("callback_delay_mean")], 1299.0);
    assert_eq!(per_interval(&r, "callbacks_handled"), [0.0, 0.0, 1.0]);
}

/// Every callback scheduled 12 minutes after its request.
const SCHEDULED_AT_12M: &str = r#"[queues.callback.scheduled]
    share = 1
    delay = { dist = "constant", value = "12m" }
    window = "10m"
    capacity = 5"#;

#[test]
fn a_scheduled_callback_counts_in_the_interval_it_is_connected_in() {
    // Picked for 12 minutes after the request: 721 s, interval 1.
    let r = by_hand(100, SCHEDULED_AT_12M);
    assert_eq!(r.queues[0][idx("callback_lateness_mean")], 0.0);
    assert_eq!(per_interval(&r, "callbacks_completed"), [1.0, 0.0, 0.0]);
    assert_eq!(per_interval(&r, "scheduled_handled"), [0.0, 1.0, 0.0]);
    assert_eq!(per_interval(&r, "callbacks_handled"), [0.0; 3]);
    // A third caller at 605 s (interval 1, answered at once, gone by
    // 705 s) moves the arrivals past interval 0, so the connection at
    // 721 s ends interval 0's last contact: its lateness is still filed
    // there, like every figure of the call.
    let r = by_hand_at("[0, 1, 605]", 100, SCHEDULED_AT_12M);
    assert_eq!(per_interval(&r, "scheduled_handled"), [0.0, 1.0, 0.0]);
    assert_eq!(per_interval(&r, "callback_lateness_mean")[0], 0.0);
}

#[test]
fn work_connected_after_hours_counts_in_the_last_interval() {
    // Eligible at 2401 s, after calls stop at 1800 s: the last interval.
    let r = by_hand(100, r#"initial_delay = "40m""#);
    assert_eq!(r.queues[0][idx("callback_delay_mean")], 2400.0);
    assert_eq!(per_interval(&r, "callbacks_handled"), [0.0, 0.0, 1.0]);
}
