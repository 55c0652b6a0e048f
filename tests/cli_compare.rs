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
    assert_eq!(q.patience.as_ref().unwrap().mean(), 120.0);
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
    compare(models, &plan, independent, &|| {})
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
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
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
