//! `ccsim staff` against exact theory and through the command line.
//!
//! On one queue and one group in steady state (one long interval), the
//! staffing found must be the Erlang C (no abandonment) or Erlang A
//! (exponential patience) answer. The target is put halfway between the
//! exact service levels of that answer and one agent less, further from
//! each than the simulation's 99.9% interval, so that the case tests the
//! search, not luck; the test asserts that margin before trusting it.

use assert_cmd::cargo::cargo_bin_cmd;
use ccsim::Scenario;
use ccsim::analytic::erlang_a::{Figures, required_agents};
use ccsim::analytic::{ErlangA, ErlangC};
use ccsim::results::{Metric, Scope};
use ccsim::staffing::search;

/// Per hour, AHT and patience of the steady cases; `None`: no abandonment.
fn steady(per_hour: f64, aht: f64, patience: Option<f64>) -> (u32, String) {
    let rate = per_hour / 3600.0;
    let figures = |n: u32| -> Figures {
        match patience {
            Some(p) => ErlangA {
                agents: n,
                arrival_rate: rate,
                mean_handle: aht,
                mean_patience: p,
            }
            .figures(20.0),
            None => ErlangC {
                agents: n,
                arrival_rate: rate,
                mean_handle: aht,
            }
            .figures(20.0),
        }
    };
    // The agents for 80%, then a target halfway to one agent less.
    let n = required_agents(figures, 0.8, None).unwrap();
    let (hi, lo) = (figures(n).service_level, figures(n - 1).service_level);
    let target = (hi + lo) / 2.0;
    assert!(hi - target > 0.015, "SL {hi} at {n} too close to {target}");
    let patience = match patience {
        Some(p) => format!("{{ dist = \"exponential\", mean = {p} }}"),
        None => "\"none\"".into(),
    };
    let text = format!(
        r#"
        [run]
        replications = 10
        seed = 3
        [horizon]
        open = "205h"
        interval = "205h"
        warmup = "5h"
        [[queues]]
        name = "q"
        arrivals = {{ per_hour = {per_hour} }}
        handle_time = {{ dist = "exponential", mean = {aht} }}
        patience = {patience}
        [queues.target]
        service_level = {target}
        [[agents]]
        name = "team"
        skills = ["q"]
        "#
    );
    (n, text)
}

fn found_for(text: &str) -> (u32, f64) {
    let sc = Scenario::for_staffing(text, "steady.toml", "steady", &[]).unwrap();
    let f = search(&sc.model, &sc.plan, &|_| {}).unwrap();
    let sl = f
        .summary
        .estimate(Scope::Queue(0), Metric::ServiceLevel)
        .unwrap();
    // The simulation resolves the target: its interval is narrow.
    assert!(sl.half_width < 0.01, "{sl:?}");
    (f.model.groups()[0].staffing[0], sl.mean)
}

/// The search finds `n` from Erlang's start, from far above (the remove
/// phase) and from below (the add phase).
fn finds(n: u32, text: &str) {
    assert_eq!(found_for(text).0, n);
    for start in [n + 6, n / 2] {
        let from = format!("{text}staffing = {start}\n");
        assert_eq!(found_for(&from).0, n, "from {start}");
    }
}

#[test]
fn steady_staffing_without_abandonment_is_erlang_c() {
    let (n, text) = steady(96.0, 300.0, None);
    finds(n, &text);
}

#[test]
fn steady_staffing_with_patience_is_erlang_a() {
    let (n, text) = steady(480.0, 240.0, Some(120.0));
    finds(n, &text);
}

/// `ccsim ARGS`, which must succeed.
fn ccsim_ok(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = cargo_bin_cmd!("ccsim").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

const DAY: &str = r#"
[run]
replications = 8
seed = 11
[horizon]
start = "08:00"
open = "4h"
interval = "1h"
[[queues]]
name = "care"
arrivals = { per_interval = [120, 240, 300, 150] }
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }
[queues.target]
service_level = 0.8
abandon_rate = 0.05
[[agents]]
name = "team"
skills = ["care"]
shrinkage = 0.25
cost = 2
"#;

#[test]
fn staff_writes_a_staffed_file_that_runs_and_meets_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.toml");
    std::fs::write(&path, DAY).unwrap();
    let out = dir.path().join("out");
    let run = ccsim_ok(&[
        "staff".as_ref(),
        "--json".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        path.as_os_str(),
    ]);
    let j: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let team = &j["groups"]["team"];
    let staffing: Vec<u64> = team["staffing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(staffing.len(), 4);
    // Scheduled = ⌈staffing ÷ 0.75⌉; agent-hours over 1-hour intervals; cost 2 each.
    for (s, sched) in staffing.iter().zip(team["scheduled"].as_array().unwrap()) {
        assert_eq!(sched.as_u64().unwrap(), (*s as f64 / 0.75).ceil() as u64);
    }
    let hours: u64 = staffing.iter().sum();
    assert_eq!(team["agent_hours"].as_f64().unwrap(), hours as f64);
    assert_eq!(team["cost"].as_f64().unwrap(), 2.0 * hours as f64);
    for k in 0..4 {
        let sl = j["queues"]["care"]["service_level"][k]["mean"]
            .as_f64()
            .unwrap();
        assert!(sl >= 0.8, "interval {k}: {sl}");
        let ab = j["queues"]["care"]["abandon_rate"][k]["mean"]
            .as_f64()
            .unwrap();
        assert!(ab <= 0.05, "interval {k}: {ab}");
    }
    // staffing.csv: interval, clock time, group, staffing, scheduled.
    let csv = std::fs::read_to_string(out.join("staffing.csv")).unwrap();
    assert!(
        csv.starts_with("interval,start,start_s,group,staffing,scheduled\n0,08:00,0,team,"),
        "{csv}"
    );
    // staffed.toml runs as it is, with the staffing found.
    let staffed = out.join("staffed.toml");
    ccsim_ok(&["run".as_ref(), "--json".as_ref(), staffed.as_os_str()]);
    let text = std::fs::read_to_string(&staffed).unwrap();
    let sc = Scenario::from_toml(&text, "staffed.toml", "staffed").unwrap();
    let back: Vec<u64> = sc.model.groups()[0]
        .staffing
        .iter()
        .map(|&n| u64::from(n))
        .collect();
    assert_eq!(back, staffing);
}

/// Local minimum: one agent less in any interval breaks a target on the
/// same replications.
#[test]
fn no_interval_can_lose_an_agent() {
    let sc = Scenario::for_staffing(DAY, "day.toml", "day", &[]).unwrap();
    let f = search(&sc.model, &sc.plan, &|_| {}).unwrap();
    let found: Vec<u32> = f.model.groups()[0].staffing.clone();
    for k in 0..found.len() {
        let mut less = found.clone();
        less[k] -= 1;
        let m = f.model.with_staffing(&[less]).unwrap();
        let reps = ccsim::engine::run_replications(&m, &sc.plan, &|| {}).unwrap();
        let s = ccsim::results::Summary::new(&m, sc.plan.seed, &reps);
        let broken = (0..4).any(|j| {
            let sl = s
                .interval(j, Scope::Queue(0), Metric::ServiceLevel)
                .unwrap()
                .mean;
            let ab = s
                .interval(j, Scope::Queue(0), Metric::AbandonRate)
                .unwrap()
                .mean;
            sl < 0.8 || ab > 0.05
        });
        assert!(broken, "interval {k} could lose an agent: {found:?}");
    }
}

#[test]
fn a_target_out_of_reach_names_the_queue_and_interval_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tight.toml");
    std::fs::write(
        &path,
        DAY.replace("cost = 2", "cost = 2\nmax_staffing = 10"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = cargo_bin_cmd!("ccsim")
        .args(["staff", "--out"])
        .arg(&out)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("queue \"care\"") && err.contains("09:00"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn bad_targets_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    for (change, key) in [
        ("service_level = 0.8", "service_level = 1.5"),
        ("abandon_rate = 0.05", "abandon_rate = -0.1"),
        ("service_level = 0.8", "asa = \"-5s\""),
        ("shrinkage = 0.25", "shrinkage = 1"),
    ] {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, DAY.replace(change, key)).unwrap();
        let run = cargo_bin_cmd!("ccsim")
            .arg("staff")
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{key}: {err}");
        let name = key.split(' ').next().unwrap();
        assert!(
            err.contains(name) && err.contains("bad.toml:"),
            "{key}: {err}"
        );
    }
}

#[test]
fn the_staffing_report_shows_found_against_erlang() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.toml");
    std::fs::write(&path, DAY).unwrap();
    let html = dir.path().join("staff.html");
    ccsim_ok(&[
        "staff".as_ref(),
        "--report".as_ref(),
        html.as_os_str(),
        path.as_os_str(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    for needle in [
        "Staffing found: day",
        "Agent-hours and cost",
        "found by simulation",
        "per-interval Erlang A for care",
        "Agents of team by interval",
        "08:00",
    ] {
        assert!(page.contains(needle), "missing {needle:?}");
    }
}
