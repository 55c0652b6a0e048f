//! `ccsim run` through the binary (SPEC §6): thread-count independence,
//! seeds, the JSON shape and the `--out` files.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// SPEC §5 metrics, required under every queue and `total`.
const SPEC_METRICS: [&str; 17] = [
    "offered",
    "answered",
    "abandoned",
    "callbacks_offered",
    "callbacks_requested",
    "abandon_rate",
    "service_level",
    "asa",
    "wait_p50",
    "wait_p90",
    "wait_p99",
    "callbacks_completed",
    "callbacks_unreached",
    "callbacks_expired",
    "callback_attempts",
    "callback_delay_mean",
    "callback_delay_p90",
];

const OUT_FILES: [&str; 3] = ["summary.csv", "intervals.csv", "replications.csv"];

/// Runs `ccsim run ARGS...` from the crate root; asserts success and returns stdout.
fn run(args: &[&str]) -> Vec<u8> {
    let out = cargo_bin_cmd!("ccsim")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .args(args)
        .output()
        .expect("ccsim runs");
    assert!(
        out.status.success(),
        "ccsim run {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn run_json(args: &[&str]) -> Value {
    let stdout = run(args);
    serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "ccsim run {args:?}: stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&stdout)
        )
    })
}

/// The names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// Header and rows of a CSV file.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

// ------------------------------------------------------------------ (4)

fn threads_do_not_change_results(scenario: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let dir = tmp.path().join(format!("t{threads}"));
        let dir_s = dir.to_str().unwrap();
        let stdout = run(&[scenario, "--json", "--threads", threads, "--out", dir_s]);
        assert!(!stdout.is_empty());
        let files: Vec<Vec<u8>> = OUT_FILES
            .iter()
            .map(|f| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
            .collect();
        outputs.push((stdout, files));
    }
    let (one, two) = (&outputs[0], &outputs[1]);
    assert!(
        one.0 == two.0,
        "{scenario}: --json stdout differs between --threads 1 and 2:\n{}\n---\n{}",
        String::from_utf8_lossy(&one.0),
        String::from_utf8_lossy(&two.0)
    );
    for (f, (a, b)) in OUT_FILES.iter().zip(one.1.iter().zip(&two.1)) {
        assert!(a == b, "{scenario}: {f} differs between --threads 1 and 2");
    }
}

#[test]
fn two_skills_identical_across_thread_counts() {
    threads_do_not_change_results("scenarios/two-skills.toml");
}

#[test]
fn retail_day_identical_across_thread_counts() {
    threads_do_not_change_results("scenarios/retail-day.toml");
}

// ------------------------------------------------------------------ (5)

#[test]
fn seed_changes_the_figures_and_replications_are_reported() {
    let a = run_json(&[
        "scenarios/two-skills.toml",
        "--json",
        "-r",
        "3",
        "--seed",
        "11",
    ]);
    let again = run_json(&[
        "scenarios/two-skills.toml",
        "--json",
        "-r",
        "3",
        "--seed",
        "11",
    ]);
    let b = run_json(&[
        "scenarios/two-skills.toml",
        "--json",
        "-r",
        "3",
        "--seed",
        "12",
    ]);
    assert_eq!(a, again, "the same seed gave different figures");
    assert_eq!(a["replications"], 3);
    assert_eq!(a["seed"], 11);
    assert_eq!(b["seed"], 12);
    for scope in ["queues", "total"] {
        assert_ne!(
            a[scope], b[scope],
            "--seed 11 and --seed 12 gave identical {scope} figures: the seed is ignored"
        );
    }
    assert_ne!(
        a["total"]["offered"]["mean"], b["total"]["offered"]["mean"],
        "the arrival stream does not depend on --seed"
    );
    // The file's own seed (7) with 3 replications differs from seed 11 too.
    let file_seed = run_json(&["scenarios/two-skills.toml", "--json", "-r", "3"]);
    assert_eq!(file_seed["seed"], 7);
    assert_ne!(file_seed["total"], a["total"]);
}

fn check_estimate(what: &str, v: &Value) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    let keys: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
    // SPEC §6's mean and ci95, then sd and n.
    assert_eq!(
        keys,
        BTreeSet::from(["mean", "ci95", "sd", "n"]),
        "{what}: {v}"
    );
    assert!(obj["n"].is_u64(), "{what}.n is not a count: {v}");
    for k in ["mean", "ci95", "sd"] {
        assert!(
            obj[k].is_number() || obj[k].is_null(),
            "{what}.{k} is neither a number nor null: {v}"
        );
    }
}

fn check_scope(what: &str, v: &Value) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object"));
    for m in SPEC_METRICS {
        let e = obj
            .get(m)
            .unwrap_or_else(|| panic!("{what}: metric {m} missing"));
        check_estimate(&format!("{what}.{m}"), e);
    }
    for (m, e) in obj {
        check_estimate(&format!("{what}.{m}"), e);
    }
    for m in [
        "offered",
        "answered",
        "abandoned",
        "abandon_rate",
        "service_level",
        "asa",
    ] {
        assert!(
            obj[m]["mean"].is_number(),
            "{what}.{m}.mean is not a number"
        );
        assert!(
            obj[m]["ci95"].is_number(),
            "{what}.{m}.ci95 is not a number"
        );
    }
}

#[test]
fn json_has_the_spec_shape() {
    let j = run_json(&[
        "scenarios/two-skills.toml",
        "--json",
        "-r",
        "3",
        "--seed",
        "5",
    ]);
    let top: BTreeSet<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        top,
        BTreeSet::from([
            "scenario",
            "replications",
            "seed",
            "queues",
            "total",
            "agents",
            "horizon",
            "intervals",
        ])
    );
    assert_eq!(j["scenario"], "Sales and support, two skills");
    // Beside the SPEC's fields: sd and n, and the same figures per interval.
    assert_eq!(j["total"]["offered"]["n"], 3);
    assert!(j["total"]["offered"]["sd"].is_number());
    let intervals = j["intervals"].as_array().expect("intervals is a list");
    assert_eq!(intervals.len(), 8);
    assert_eq!(intervals[1]["start"], "09:00");
    assert_eq!(j["horizon"]["start"], "08:00");
    for (k, i) in intervals.iter().enumerate() {
        assert_eq!(i["interval"], k);
        check_scope(&format!("intervals[{k}].total"), &i["total"]);
        let staffed = &i["agents"]["cross-skilled"]["staffing"];
        assert!(staffed.is_u64(), "intervals[{k}]: staffing {staffed}");
    }
    assert_eq!(j["replications"], 3);
    assert_eq!(j["seed"], 5);

    let queues = j["queues"].as_object().expect("queues is an object");
    let names: Vec<&str> = queues.keys().map(String::as_str).collect();
    assert_eq!(names, ["sales", "support"]);
    for (name, scope) in queues {
        check_scope(&format!("queues.{name}"), scope);
    }
    check_scope("total", &j["total"]);
    let support_cb = &j["queues"]["support"]["callbacks_requested"]["mean"];
    assert!(
        support_cb.as_f64().unwrap() > 0.0,
        "support requests no callbacks"
    );

    let agents = j["agents"].as_object().expect("agents is an object");
    let groups: Vec<&str> = agents.keys().map(String::as_str).collect();
    assert_eq!(
        groups,
        ["sales specialists", "support specialists", "cross-skilled"]
    );
    for (name, g) in agents {
        let keys: Vec<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["occupancy"], "agents.{name}");
        check_estimate(&format!("agents.{name}.occupancy"), &g["occupancy"]);
        let occ = g["occupancy"]["mean"].as_f64().expect("occupancy mean");
        assert!(
            (0.0..=1.0).contains(&occ),
            "agents.{name}.occupancy = {occ}"
        );
    }
}

// ------------------------------------------------------------------ (6)

#[test]
fn out_dir_holds_exactly_the_three_csv_files_and_their_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    // A directory that does not exist yet.
    let dir = tmp.path().join("results");
    run(&[
        "scenarios/two-skills.toml",
        "-r",
        "3",
        "--seed",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(entries(tmp.path()), ["results"]);
    // The three files, the manifest describing them, and the lock file.
    let mut want = OUT_FILES.to_vec();
    want.extend(["manifest.json", ".ccsim.lock"]);
    assert_eq!(
        entries(&dir),
        sorted(&want),
        "unexpected files in --out DIR"
    );

    let queues = ["sales", "support"];
    let groups = ["sales specialists", "support specialists", "cross-skilled"];

    // summary.csv: kind,scope,metric,unit,mean,ci95,...; a row per scope and metric.
    let (header, rows) = read_csv(&dir.join("summary.csv"));
    assert_eq!(
        header,
        ["kind", "scope", "metric", "unit", "mean", "ci95", "sd", "n"],
        "summary.csv header"
    );
    let mut seen = BTreeSet::new();
    for row in &rows {
        assert!(
            seen.insert((row[1].clone(), row[2].clone())),
            "duplicate row {row:?}"
        );
        let kind = match row[1].as_str() {
            "total" => "total",
            s if queues.contains(&s) => "queue",
            _ => "group",
        };
        assert_eq!(row[0], kind, "{row:?}");
        let unit = if row[2] == "asa" { "s" } else { &row[3] };
        assert_eq!(row[3], unit, "{row:?}");
        assert!(
            row[4].is_empty() || row[4].parse::<f64>().is_ok(),
            "{row:?}"
        );
    }
    for scope in queues.iter().chain(&["total"]) {
        for m in SPEC_METRICS {
            assert!(
                seen.contains(&(scope.to_string(), m.to_string())),
                "summary.csv has no row {scope},{m}"
            );
        }
    }
    for g in groups {
        assert!(seen.contains(&(g.to_string(), "occupancy".to_string())));
    }

    // replications.csv: one row per replication × scope.
    let (header, rows) = read_csv(&dir.join("replications.csv"));
    let (rc, sc) = (column(&header, "replication"), column(&header, "scope"));
    let mut per_pair: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &rows {
        *per_pair
            .entry((row[rc].clone(), row[sc].clone()))
            .or_default() += 1;
    }
    let reps: BTreeSet<&str> = per_pair.keys().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        reps,
        BTreeSet::from(["0", "1", "2"]),
        "replications.csv replications"
    );
    for r in ["0", "1", "2"] {
        for scope in queues.iter().chain(&["total"]) {
            assert_eq!(
                per_pair.get(&(r.to_string(), scope.to_string())),
                Some(&1),
                "replications.csv: replication {r}, scope {scope}"
            );
        }
    }
    let allowed: BTreeSet<&str> = queues
        .iter()
        .chain(&["total"])
        .chain(&groups)
        .copied()
        .collect();
    for ((r, scope), n) in &per_pair {
        assert!(
            allowed.contains(scope.as_str()),
            "replications.csv: unknown scope {scope:?}"
        );
        assert_eq!(
            *n, 1,
            "replications.csv: {n} rows for replication {r}, scope {scope}"
        );
    }
    for row in &rows {
        assert_eq!(row.len(), header.len());
    }
    let offered = column(&header, "offered");
    for row in rows.iter().filter(|r| r[sc] == "total") {
        assert!(row[offered].parse::<f64>().unwrap() > 0.0, "{row:?}");
    }

    // intervals.csv: one row per interval × scope (8 intervals of 1h: 2
    // queues, the total, 3 groups), the interval in clock time too.
    let (header, rows) = read_csv(&dir.join("intervals.csv"));
    let (ic, qc) = (column(&header, "interval"), column(&header, "scope"));
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[ic].clone(), r[qc].clone()))
        .collect();
    let unique: BTreeSet<&(String, String)> = got.iter().collect();
    assert_eq!(got.len(), unique.len(), "intervals.csv has duplicate rows");
    let want: BTreeSet<(String, String)> = (0..8)
        .flat_map(|k| {
            queues
                .iter()
                .chain(&["total"])
                .chain(&groups)
                .map(move |q| (k.to_string(), q.to_string()))
        })
        .collect();
    assert_eq!(unique, want.iter().collect(), "intervals.csv rows");
    for name in [
        "start",
        "start_s",
        "kind",
        "staffing",
        "asa_s",
        "wait_p90_s",
        "occupancy",
    ] {
        column(&header, name);
    }
    let start = column(&header, "start");
    assert_eq!(rows[0][start], "08:00");
    // Numbers are numbers: every column but the clock time and the names
    // parses as one (or is empty, undefined), so a spreadsheet reads it so.
    for row in &rows {
        for (name, field) in header.iter().zip(row) {
            if !["start", "kind", "scope"].contains(&name.as_str()) {
                assert!(
                    field.is_empty() || field.parse::<f64>().is_ok(),
                    "intervals.csv {name} = {field:?}"
                );
            }
        }
    }
    assert_eq!(rows.last().unwrap()[start], "15:00");
}

/// A scenario with one queue whose callback trigger and patience are set
/// by the caller, 40 agents against `per_hour` calls of 5 minutes.
fn warning_scenario(dir: &Path, per_hour: u32, trigger: &str, patience: &str) -> PathBuf {
    let path = dir.join(format!("w-{per_hour}.toml"));
    let text = format!(
        r#"
        [horizon]
        start = "08:00"
        open = "4h"
        [[queues]]
        name = "service"
        arrivals = {{ per_hour = {per_hour} }}
        handle_time = {{ dist = "exponential", mean = "5m" }}
        patience = {patience}
        [queues.callback]
        {trigger}
        [[agents]]
        name = "team"
        skills = ["service"]
        staffing = 40
        "#
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_warns_about_a_callback_offer_that_never_fires() {
    let dir = tempfile::tempdir().unwrap();
    let exp = r#"{ dist = "exponential", mean = "3m" }"#;
    // 240 calls an hour on 40 agents: 20 Erlangs, a wait is rare and an
    // estimated wait of 2 minutes rarer still.
    let quiet = warning_scenario(dir.path(), 240, "offer_if_ewt_over = \"2m\"", exp);
    let out = cargo_bin_cmd!("ccsim")
        .arg("check")
        .arg(&quiet)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: queue \"service\": the callback offer (on arrival when the estimated wait exceeds 2m)")
            && text.contains("rarely or never fires"),
        "{text}"
    );
    // `run` says so too, on stderr.
    let run = cargo_bin_cmd!("ccsim")
        .args(["run", "-r", "2"])
        .arg(&quiet)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("rarely or never fires"));
    // At 460 calls an hour (38 Erlangs) callers wait: no warning.
    let busy = warning_scenario(dir.path(), 460, "offer_after = \"30s\"", exp);
    let out = cargo_bin_cmd!("ccsim")
        .arg("check")
        .arg(&busy)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("warning"), "{text}");
    assert!(text.contains("calls arrive 08:00–12:00"), "{text}");
    // More load than agents with callers who never hang up.
    let over = warning_scenario(dir.path(), 600, "offer_after = \"30s\"", "\"none\"");
    let out = cargo_bin_cmd!("ccsim")
        .arg("check")
        .arg(&over)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "offered load reaches 50.0 Erlangs against 40 agents between 08:00 and 12:00"
        ),
        "{text}"
    );
}
