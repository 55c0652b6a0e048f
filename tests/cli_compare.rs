//! Overrides, `ccsim compare` and `ccsim sweep`.

use assert_cmd::Command;
use ccsim::Scenario;
use ccsim::experiment::{Comparison, compare};
use ccsim::model::Override;
use ccsim::results::{Metric, Scope};
use serde_json::Value;

const RETAIL: &str = "scenarios/retail-day.toml";

fn ccsim() -> Command {
    Command::cargo_bin("ccsim").expect("the ccsim binary")
}

fn load(changes: &[&str]) -> Scenario {
    let text = std::fs::read_to_string(RETAIL).unwrap();
    let overrides: Vec<Override> = changes.iter().map(|c| c.parse().unwrap()).collect();
    Scenario::from_toml_with(&text, RETAIL, "retail-day", &overrides).unwrap()
}

#[test]
fn every_documented_override_form() {
    let sc = load(&[
        "queues.care.callback.offer_after=30s",
        "queues.0.priority=2",
        "agents.care team.staffing=40",
        "run.replications=3",
        "run.seed=9",
        "horizon.warmup=1h",
        "queues.care.patience={ dist = \"constant\", value = \"2m\" }",
    ]);
    assert_eq!((sc.plan.replications, sc.plan.seed), (3, 9));
    let sc = sc.model;
    let q = &sc.queues()[0];
    assert_eq!(
        q.callback.as_ref().unwrap().trigger,
        ccsim::model::OfferTrigger::After(30.0)
    );
    assert_eq!(q.priority, 2);
    assert!(sc.groups()[0].staffing.iter().all(|&n| n == 40));
    assert_eq!(sc.horizon().warmup, 3600.0);
    assert_eq!(q.mean_patience_in(0), Some(120.0));
    // An empty value removes a table: callbacks off.
    assert!(
        load(&["queues.care.callback="]).model.queues()[0]
            .callback
            .is_none()
    );
    // Lists keep their commas.
    let list = format!("agents.care team.staffing=[{}]", vec!["30"; 24].join(", "));
    assert_eq!(load(&[&list]).model.groups()[0].staffing, vec![30; 24]);
}

#[test]
fn bad_overrides_exit_2_naming_the_path() {
    for (set, named) in [
        ("queues.nosuch.priority=1", "queues.nosuch.priority=1"),
        (
            "queues.care.callback.offer_after=soon",
            "queues.care.callback.offer_after=soon",
        ),
        (
            "queues.care.callbak.offer_after=30s",
            "queues.care.callbak.offer_after=30s",
        ),
        (
            "agents.care team.staffing=many",
            "agents.care team.staffing=many",
        ),
        ("run.replications=0", "run.replications=0"),
        ("no-equals", "no-equals"),
    ] {
        let out = ccsim()
            .args(["run", RETAIL, "-r", "2", "--set", set])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains(named), "{set}: {err}");
        assert!(!err.contains("panicked"));
    }
}

/// Runs the variants on the first one's plan.
fn run(variants: Vec<(&str, Scenario)>, independent: bool) -> Comparison {
    let plan = variants[0].1.plan.clone();
    let models = variants
        .into_iter()
        .map(|(n, sc)| (n.to_string(), sc.model))
        .collect();
    compare(models, &plan, independent, &|| {}).unwrap()
}

/// Variants that differ only in the callback acceptance see the same calls.
#[test]
fn common_random_numbers_hold_across_policies() {
    let a = load(&["run.replications=6"]);
    let b = load(&[
        "run.replications=6",
        "queues.care.callback.accept_probability=0.9",
    ]);
    let c = run(vec![("a", a), ("b", b)], false);
    let (va, vb) = (&c.variants[0], &c.variants[1]);
    for (ra, rb) in va.replications.iter().zip(&vb.replications) {
        let offered = |r: &ccsim::results::Replication| r.value(Scope::Total, Metric::Offered);
        assert_eq!(offered(ra), offered(rb));
    }
    let requested = c
        .difference(1, Scope::Total, Metric::CallbacksRequested)
        .unwrap();
    assert!(requested.significant() && requested.estimate.mean > 0.0);
}

#[test]
fn a_variant_against_itself_differs_by_exactly_zero() {
    let sc = load(&["run.replications=4"]);
    let c = run(vec![("x", sc.clone()), ("y", sc)], false);
    assert!(!c.differences.is_empty());
    for d in &c.differences {
        let e = d.estimate;
        assert!(e.mean == 0.0 || e.mean.is_nan(), "{d:?}");
        assert!(e.half_width == 0.0 || e.half_width.is_nan(), "{d:?}");
        assert!(!d.significant());
    }
}

#[test]
fn independent_seeds_give_wider_intervals_than_crn() {
    let a = load(&["run.replications=10"]);
    let b = load(&[
        "run.replications=10",
        "queues.care.callback.offer_after=30s",
    ]);
    let width = |independent| {
        let c = run(vec![("a", a.clone()), ("b", b.clone())], independent);
        c.difference(1, Scope::Total, Metric::ServiceLevel)
            .unwrap()
            .estimate
            .half_width
    };
    let (paired, unpaired) = (width(false), width(true));
    assert!(
        paired < unpaired / 2.0,
        "paired ±{paired} vs independent ±{unpaired}"
    );
}

#[test]
fn compare_json_has_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args([
            "compare",
            RETAIL,
            "-r",
            "3",
            "--json",
            "--variant",
            "early:queues.care.callback.offer_after=30s",
        ])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["name"], "base");
    assert_eq!(variants[1]["name"], "early");
    for var in variants {
        let s = &var["summary"];
        for key in [
            "scenario",
            "replications",
            "seed",
            "queues",
            "total",
            "agents",
        ] {
            assert!(s.get(key).is_some(), "summary lacks {key}");
        }
    }
    let diffs = v["differences"].as_array().unwrap();
    assert!(!diffs.is_empty());
    for d in diffs {
        assert_eq!(d["variant"], "early");
        for key in ["scope", "metric", "mean", "ci95"] {
            assert!(d.get(key).is_some(), "difference lacks {key}");
        }
    }
    assert!(
        diffs
            .iter()
            .any(|d| d["scope"] == "total" && d["metric"] == "callbacks_requested")
    );
    let csv = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
    assert!(csv.starts_with("variant,kind,scope,metric,unit,mean,ci95,diff,diff_ci95,significant"));
}

#[test]
fn inconsistent_variants_are_refused() {
    for args in [
        vec!["compare", RETAIL, "--variant", "more:run.replications=40"],
        vec![
            "compare",
            RETAIL,
            "--variant",
            "a:run.seed=3",
            "--variant",
            "a:run.seed=4",
        ],
        vec!["compare", RETAIL],
        vec![
            "sweep",
            RETAIL,
            "--vary",
            "queues.care.callback.offer_after=30s,30s",
        ],
        vec![
            "sweep",
            RETAIL,
            "--vary",
            "queues.care.callback.offer_after=30s",
            "--vary",
            "queues.care.callback.offer_after=60s",
        ],
    ] {
        let out = ccsim().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn no_result_file_when_any_output_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = ccsim()
        .args([
            "run",
            RETAIL,
            "-r",
            "2",
            "--report",
            "/proc/no/such/dir/r.html",
            "--out",
        ])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Found before simulating: nothing printed, and no result file (the
    // out directory's lock file, taken first, stays).
    assert!(out.stdout.is_empty());
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.iter().all(|n| n == ".ccsim.lock"), "{left:?}");
}

#[test]
fn sweep_runs_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args([
            "sweep",
            RETAIL,
            "-r",
            "2",
            "--vary",
            "queues.care.callback.offer_after=30s,90s",
            "--vary",
            "queues.care.callback.position=keep,back",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("offer_after=90s position=back"), "{stdout}");
    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    let points: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    assert_eq!(points.len(), 4);
    // Every point has every total metric once.
    let total_offered = rows
        .iter()
        .filter(|r| r.contains(",total,offered,"))
        .count();
    assert_eq!(total_offered, 4);
}

/// retail-day.toml's staffing list.
const RETAIL_STAFFING: [u32; 24] = [
    25, 31, 40, 47, 52, 57, 60, 61, 63, 66, 65, 60, 57, 60, 62, 63, 61, 55, 50, 44, 39, 34, 29, 25,
];

#[test]
fn relative_overrides_scale_and_shift_a_staffing_list() {
    let staffing = |set: &str| load(&[set]).model.groups()[0].staffing.clone();
    // × 1.1 to the nearest agent, halves up (27.5 → 28, 71.5 → 72).
    assert_eq!(
        staffing("agents.care team.staffing=*1.1"),
        [
            28, 34, 44, 52, 57, 63, 66, 67, 69, 73, 72, 66, 63, 66, 68, 69, 67, 61, 55, 48, 43, 37,
            32, 28
        ]
    );
    assert_eq!(
        staffing("agents.care team.staffing=+2"),
        RETAIL_STAFFING.map(|n| n + 2)
    );
    assert_eq!(
        staffing("agents.care team.staffing=+-20"),
        RETAIL_STAFFING.map(|n| n - 20)
    );
    // Changes apply in order, each to the value the one before left.
    let sc = load(&[
        "agents.care team.staffing=*2",
        "agents.care team.staffing=+-1",
    ]);
    assert_eq!(
        sc.model.groups()[0].staffing,
        RETAIL_STAFFING.map(|n| 2 * n - 1)
    );
    // An arrival list scales too, exactly.
    let halved = load(&["queues.care.arrivals.per_interval=*0.5"]).model;
    let calls = halved.queues()[0].expected_calls(halved.horizon());
    assert_eq!(calls, 6900.0 / 2.0);
}

#[test]
fn sweep_scales_and_shifts_a_staffing_list() {
    let dir = tempfile::tempdir().unwrap();
    let vary = "agents.care team.staffing=*1.1,+2";
    let out = ccsim()
        .args([
            "sweep", RETAIL, "-r", "2", "--json", "--vary", vary, "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let variants = v["variants"].as_array().unwrap();
    let names: Vec<&str> = variants
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Points are named by the values as given.
    assert_eq!(names, ["staffing=*1.1", "staffing=+2"]);
    // Each point is the run with that --set: the same figures.
    for (point, value) in variants.iter().zip(["*1.1", "+2"]) {
        let set = format!("agents.care team.staffing={value}");
        let run = ccsim()
            .args(["run", RETAIL, "-r", "2", "--json", "--set", &set])
            .output()
            .unwrap();
        assert!(run.status.success());
        let run: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(point["summary"], run, "{set}");
    }
    // ...and the two points differ.
    assert_ne!(variants[0]["summary"], variants[1]["summary"]);
    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    // sweep.csv shows the value as given.
    assert!(
        csv.starts_with("point,agents.care team.staffing,kind,scope,"),
        "{csv}"
    );
    assert!(csv.contains("\n0,*1.1,total,total,offered,"), "{csv}");
    assert!(csv.contains("\n1,+2,total,total,offered,"), "{csv}");
}

#[test]
fn staffing_scaled_on_the_command_line_is_the_one_simulated() {
    // intervals.csv's `staffing` column of the group's rows: the staffing
    // the engine ran with.
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args([
            "run",
            RETAIL,
            "-r",
            "1",
            "--set",
            "agents.care team.staffing=+2",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = std::fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "staffing").unwrap();
    let kind = header.iter().position(|h| *h == "kind").unwrap();
    let staffed: Vec<u32> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[kind] == "group")
        .map(|f| f[col].parse().unwrap())
        .collect();
    assert_eq!(staffed, RETAIL_STAFFING.map(|n| n + 2));
}

#[test]
fn bad_relative_overrides_exit_2_naming_the_set() {
    for (set, needle) in [
        (
            "agents.care team.shrinkage=*1.1",
            "agents.care team.shrinkage=*1.1: the scenario has no agents[0] (\"care team\").shrinkage \
             to change",
        ),
        (
            "queues.care.callback.offer_after=*2",
            "queues.care.callback.offer_after=*2: queues[0] (\"care\").callback.offer_after is the \
             string \"60s\"",
        ),
        (
            "agents.care team.staffing=*lots",
            "agents.care team.staffing=*lots: \"*lots\" is not a relative value",
        ),
        // A negative number is a value, and says how to subtract.
        (
            "agents.care team.staffing=-2",
            "to subtract 2, write agents.care team.staffing=+-2",
        ),
        // A fraction where a whole number belongs is the key's own error.
        (
            "queues.care.callback.max_attempts=*1.5",
            "(set by --set queues.care.callback.max_attempts=*1.5)",
        ),
    ] {
        for cmd in [
            vec!["run", RETAIL, "-r", "2", "--set", set],
            vec!["sweep", RETAIL, "-r", "2", "--vary", set],
        ] {
            let out = ccsim().args(&cmd).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd:?}: {err}");
            assert!(err.contains(needle), "{cmd:?}: {err}");
            assert!(out.stdout.is_empty());
        }
    }
}
