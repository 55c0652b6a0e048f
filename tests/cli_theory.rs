//! `ccsim erlang` and `ccsim validate` through the binary.

use assert_cmd::Command;
use serde_json::Value;

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").expect("the ccsim binary")
}

fn erlang_json(args: &[&str]) -> Value {
    let out = ccsim()
        .arg("erlang")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[test]
fn erlang_a_json_has_the_contract_keys_and_exact_values() {
    let v = erlang_json(&[
        "--agents",
        "100",
        "--per-hour",
        "1271.88",
        "--aht",
        "300s",
        "--patience",
        "3m",
        "--sl",
        "20s",
    ]);
    for key in [
        "agents",
        "offered_load",
        "occupancy",
        "p_wait",
        "p_abandon",
        "asa",
        "mean_wait",
        "service_level",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert_eq!(v["agents"], 100);
    // The reference simulator's exact values for this workload.
    assert!((num(&v, "p_abandon") - 0.078071).abs() < 1e-6);
    assert!((num(&v, "p_wait") - 0.651357).abs() < 1e-6);
    assert!((num(&v, "asa") - 13.8284).abs() < 1e-4);
    assert!((num(&v, "service_level") - 0.645343).abs() < 1e-6);
    assert!((num(&v, "offered_load") - 105.99).abs() < 1e-9);
    // Mean wait of all calls: P(abandon) × mean patience (each abandonment
    // rate θ per holding caller).
    assert!((num(&v, "mean_wait") - 0.078071 * 180.0).abs() < 1e-3);
}

#[test]
fn erlang_c_without_patience() {
    let v = erlang_json(&["--agents", "10", "--per-hour", "480", "--aht", "60"]);
    assert!((num(&v, "p_wait") - 0.409_180_150_796_443_54).abs() < 1e-12);
    assert_eq!(num(&v, "p_abandon"), 0.0);
    assert!((num(&v, "occupancy") - 0.8).abs() < 1e-12);
    assert_eq!(num(&v, "asa"), num(&v, "mean_wait"));
}

#[test]
fn target_service_level_gives_the_least_team() {
    let v = erlang_json(&[
        "--target-sl",
        "0.8",
        "--per-hour",
        "1200",
        "--aht",
        "5m",
        "--patience",
        "3m",
    ]);
    let n = num(&v, "agents") as u32;
    assert!(num(&v, "service_level") >= 0.8);
    let fewer = erlang_json(&[
        "--agents",
        &(n - 1).to_string(),
        "--per-hour",
        "1200",
        "--aht",
        "5m",
        "--patience",
        "3m",
    ]);
    assert!(num(&fewer, "service_level") < 0.8);
    // Text output names the answer.
    let out = ccsim()
        .args([
            "erlang",
            "--target-sl",
            "0.8",
            "--per-hour",
            "1200",
            "--aht",
            "5m",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("least agents"));
}

#[test]
fn erlang_bad_arguments_exit_2() {
    for args in [
        vec!["erlang", "--per-hour", "100", "--aht", "5m"], // neither --agents nor --target-sl
        vec![
            "erlang",
            "--agents",
            "5",
            "--target-sl",
            "0.8",
            "--per-hour",
            "1",
            "--aht",
            "1m",
        ],
        vec!["erlang", "--agents", "5", "--per-hour", "-3", "--aht", "5m"],
        vec![
            "erlang",
            "--agents",
            "5",
            "--per-hour",
            "100",
            "--aht",
            "5x",
        ],
        vec![
            "erlang",
            "--agents",
            "0",
            "--per-hour",
            "100",
            "--aht",
            "5m",
        ],
        vec![
            "erlang",
            "--target-sl",
            "1.5",
            "--per-hour",
            "100",
            "--aht",
            "5m",
        ],
        vec![
            "erlang",
            "--target-sl",
            "0",
            "--per-hour",
            "100",
            "--aht",
            "5m",
        ],
        vec![
            "erlang",
            "--target-sl",
            "1",
            "--per-hour",
            "100",
            "--aht",
            "5m",
        ],
        vec![
            "erlang",
            "--agents",
            "5",
            "--per-hour",
            "10",
            "--aht",
            "1m",
            "--max-abandon",
            "0.1",
        ],
        // Sizes the exact computation cannot hold are refused, not attempted.
        vec![
            "erlang",
            "--agents",
            "5",
            "--per-hour",
            "1e300",
            "--aht",
            "1m",
            "--patience",
            "1m",
        ],
        vec![
            "erlang",
            "--agents",
            "10",
            "--per-hour",
            "1000",
            "--aht",
            "1m",
            "--patience",
            "1e10",
        ],
        vec![
            "erlang",
            "--agents",
            "1000",
            "--per-hour",
            "240000",
            "--aht",
            "30",
            "--patience",
            "1h",
            "--sl",
            "1h",
        ],
    ] {
        let out = ccsim().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

/// `ccsim erlang ARGS...` as text, asserting success.
fn erlang_text(args: &[&str]) -> String {
    let out = ccsim().arg("erlang").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The figures of an `erlang --json` object, without its inputs.
fn figures(v: &Value) -> Vec<f64> {
    [
        "agents",
        "offered_load",
        "occupancy",
        "p_wait",
        "p_abandon",
        "asa",
        "mean_wait",
        "service_level",
    ]
    .iter()
    .map(|k| num(v, k))
    .collect()
}

#[test]
fn calls_per_interval_are_calls_per_hour_over_the_interval() {
    let hourly = erlang_json(&[
        "--target-sl",
        "0.8",
        "--per-hour",
        "1200",
        "--aht",
        "5m",
        "--patience",
        "3m",
    ]);
    // 300 calls in 15 minutes, and 600 in the default interval of 30m.
    for (per_interval, interval) in [("300", Some("15m")), ("600", None)] {
        let mut args = vec![
            "--target-sl",
            "0.8",
            "--per-interval",
            per_interval,
            "--aht",
            "5m",
            "--patience",
            "3m",
        ];
        args.extend(interval.iter().flat_map(|i| ["--interval", i]));
        let v = erlang_json(&args);
        assert_eq!(figures(&v), figures(&hourly), "{args:?}");
        assert_eq!(num(&v, "per_hour"), 1200.0);
        assert_eq!(
            num(&v, "per_interval"),
            per_interval.parse::<f64>().unwrap()
        );
        assert_eq!(
            num(&v, "interval"),
            if interval.is_some() { 900.0 } else { 1800.0 }
        );
    }
    assert!(hourly["per_interval"].is_null() && hourly["interval"].is_null());
    let text = erlang_text(&["--agents", "10", "--per-interval", "120", "--aht", "60"]);
    assert!(
        text.starts_with("Erlang C (no abandonment): 120 calls per 30m (240.0 calls/h), AHT 1m\n"),
        "{text}"
    );
}

#[test]
fn shrinkage_gives_the_agents_to_schedule() {
    let v = erlang_json(&[
        "--target-sl",
        "0.8",
        "--per-hour",
        "1200",
        "--aht",
        "5m",
        "--shrinkage",
        "0.35",
    ]);
    let agents = num(&v, "agents");
    assert_eq!(agents, 108.0);
    // 108 / 0.65 = 166.15: rounded up.
    assert_eq!(num(&v, "scheduled"), 167.0);
    assert_eq!(num(&v, "shrinkage"), 0.35);
    // Whole quotients stay whole despite rounding error (70 / 0.7 is
    // 100.00000000000001 in floating point).
    let text = erlang_text(&[
        "--agents",
        "70",
        "--per-hour",
        "600",
        "--aht",
        "5m",
        "--shrinkage",
        "0.3",
    ]);
    assert!(
        text.contains("\n  agents         70\n  scheduled      100 (agents / (1 - 30.00% shrinkage), rounded up)\n"),
        "{text}"
    );
    // Without shrinkage nobody is off the phones: the text is unchanged and
    // the JSON schedules the agents themselves.
    let v = erlang_json(&["--agents", "70", "--per-hour", "600", "--aht", "5m"]);
    assert_eq!(num(&v, "scheduled"), 70.0);
    assert!(v["shrinkage"].is_null());
    let text = erlang_text(&["--agents", "70", "--per-hour", "600", "--aht", "5m"]);
    assert!(!text.contains("scheduled"), "{text}");
    let v = erlang_json(&[
        "--agents",
        "70",
        "--per-hour",
        "600",
        "--aht",
        "5m",
        "--shrinkage",
        "0",
    ]);
    assert_eq!(num(&v, "scheduled"), 70.0);
}

#[test]
fn erlang_volume_and_shrinkage_arguments_are_checked() {
    let base = ["erlang", "--agents", "5", "--aht", "1m"];
    for (extra, needle) in [
        (
            &["--per-hour", "10", "--per-interval", "5"][..],
            "cannot be used with",
        ),
        (&[][..], "--per-hour"),
        (
            &["--per-hour", "10", "--interval", "15m"][..],
            "--interval goes with --per-interval",
        ),
        (&["--per-interval", "0"][..], "above 0"),
        (&["--per-interval=-5"][..], "above 0"),
        (
            &["--per-interval", "5", "--interval", "0s"][..],
            "a duration above 0",
        ),
        (
            &["--per-interval", "1e9"][..],
            "2e9 calls per hour; at most 1e7",
        ),
        (&["--per-hour", "10", "--shrinkage", "1"][..], "below 1"),
        (&["--per-hour", "10", "--shrinkage=-0.1"][..], "at least 0"),
        (
            &["--per-hour", "10", "--shrinkage", "a third"][..],
            "below 1",
        ),
    ] {
        let out = ccsim().args(base).args(extra).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(out.stdout.is_empty(), "{extra:?}");
    }
}

#[test]
fn quick_validation_agrees_with_theory() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args(["validate", "--quick", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "validate failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("validation.csv")).unwrap();
    let rows = csv.lines().count() - 1;
    assert!(rows >= 12 * 4, "only {rows} checks");
    assert!(csv.lines().skip(1).all(|l| l.contains(",true,")), "{csv}");
    assert!(stdout.contains("0 outside the interval"));
}
