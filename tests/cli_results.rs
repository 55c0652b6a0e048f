//! Result sets (issue 15): a results directory holds one run's whole set,
//! described by `manifest.json`; a second writer is locked out; stale
//! temporary files go; output paths are checked before any work; a
//! failure to write still prints the summary first.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

const SMALL: &str = "tests/scenarios/scenario-minimal.toml";
const SET: [&str; 3] = ["summary.csv", "replications.csv", "intervals.csv"];

/// `ccsim ARGS...` from the crate root; a run that simulates when it
/// should have stopped at once is killed after `timeout`.
fn ccsim(args: &[&str], timeout: Duration) -> Output {
    cargo_bin_cmd!("ccsim")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .timeout(timeout)
        .output()
        .expect("ccsim runs")
}

fn run_small(dir: &Path, seed: &str) -> Output {
    ccsim(
        &[
            "run",
            SMALL,
            "-r",
            "5",
            "--seed",
            seed,
            "--out",
            dir.to_str().unwrap(),
        ],
        Duration::from_secs(120),
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every entry of `dir` (but the lock file) with its contents; a
/// directory as `<dir>` plus its own entries.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name == ".ccsim.lock" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            all.insert(name.clone(), b"<dir>".to_vec());
            for (n, c) in snapshot(&e.path()) {
                all.insert(format!("{name}/{n}"), c);
            }
        } else {
            all.insert(name, fs::read(e.path()).unwrap());
        }
    }
    all
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn manifest_lists_the_set_with_matching_checksums() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let out = run_small(&dir, "7");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let m: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["format"], "ccsim-results");
    assert_eq!(m["command"], "run");
    assert_eq!(m["seed"], 7);
    assert_eq!(m["replications"], 5);
    assert!(m["ccsim_build"].as_str().is_some_and(|b| !b.is_empty()));
    let files = m["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, SET);
    for f in files {
        let bytes = fs::read(dir.join(f["name"].as_str().unwrap())).unwrap();
        assert!(!bytes.is_empty());
        assert_eq!(f["bytes"], bytes.len() as u64, "{f}");
        assert_eq!(f["sha256"], sha256(&bytes), "{f}");
    }
    // Nothing else but the lock: no temporary file left behind.
    let mut entries: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            ".ccsim.lock",
            "intervals.csv",
            "manifest.json",
            "replications.csv",
            "summary.csv"
        ]
    );
}

/// A directory squatting on `replications.csv`: the run simulates, prints
/// its summary, then fails with exit 1 naming the file, and no file of
/// the directory has changed (the earlier set and its manifest stand).
#[test]
fn a_squatted_target_changes_nothing_and_the_summary_comes_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    assert!(run_small(&dir, "1").status.success());
    fs::remove_file(dir.join("replications.csv")).unwrap();
    fs::create_dir(dir.join("replications.csv")).unwrap();
    fs::write(dir.join("replications.csv").join("inside"), "kept").unwrap();
    let before = snapshot(&dir);
    // stdout and stderr into one pipe, to see which came first.
    let bin = assert_cmd::cargo::cargo_bin!("ccsim");
    let out = std::process::Command::new("sh")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("-c")
        .arg(format!(
            "exec '{}' run {SMALL} -r 5 --seed 2 --out '{}' 2>&1",
            bin.display(),
            dir.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let both = text(&out.stdout);
    let table = both
        .find("events simulated")
        .expect("the summary is printed");
    let error = both.find("error:").expect("an error is printed");
    assert!(table < error, "the error came before the summary:\n{both}");
    assert!(both[error..].contains("replications.csv"), "{both}");
    assert_eq!(
        snapshot(&dir),
        before,
        "a failed write changed the directory"
    );
}

#[test]
fn a_report_path_that_is_a_directory_fails_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.html");
    fs::create_dir(&report).unwrap();
    let started = Instant::now();
    // Many replications: simulating them would take minutes.
    let out = ccsim(
        &[
            "run",
            "scenarios/two-skills.toml",
            "-r",
            "100000",
            "--report",
            report.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("report.html") && err.contains("is a directory"),
        "{err}"
    );
    assert!(err.contains("before any work"), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn an_unwritable_out_fails_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    // A directory cannot be made under a file (this holds for root too).
    fs::write(tmp.path().join("file"), "x").unwrap();
    let dir = tmp.path().join("file").join("out");
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for command in [
        vec!["run", "scenarios/two-skills.toml", "-r", "100000"],
        vec![
            "run",
            "scenarios/two-skills.toml",
            "-r",
            "100000",
            "--shard",
            "1/2",
        ],
        vec![
            "compare",
            "scenarios/two-skills.toml",
            "--variant",
            "more:agents.cross-skilled.staffing=+1",
            "-r",
            "100000",
        ],
        vec![
            "sweep",
            "scenarios/two-skills.toml",
            "--vary",
            "agents.cross-skilled.staffing=+0,+1",
            "-r",
            "100000",
        ],
        // Before the shards are read (there are none here).
        vec!["merge", empty.to_str().unwrap()],
    ] {
        let mut args = command.clone();
        args.extend(["--out", dir.to_str().unwrap()]);
        let out = ccsim(&args, Duration::from_secs(60));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(
            err.contains("cannot write to") && err.contains("file"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_second_writer_is_locked_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("busy");
    fs::create_dir(&dir).unwrap();
    // This test holds the lock, as a running ccsim would.
    let lock = fs::File::create(dir.join(".ccsim.lock")).unwrap();
    lock.try_lock().unwrap();
    let out = run_small(&dir, "1");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(&dir.display().to_string()) && err.contains("in use"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "it simulated anyway");
    // The report's own directory is locked too.
    let out = ccsim(
        &[
            "run",
            SMALL,
            "-r",
            "2",
            "--report",
            dir.join("r.html").to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    drop(lock);
    assert!(run_small(&dir, "1").status.success());
}

#[test]
fn stale_temporary_files_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).unwrap();
    let stale = [
        ".replications.csv.4242-1764480000000000000-0.tmp",
        ".summary.csv.1-17-3.old",
        ".report.html.99-5-0.tmp",
    ];
    let kept = [".notes.tmp", "mine.1-2-3.tmp", ".a.b-c-d.tmp", "notes.txt"];
    for name in stale.iter().chain(&kept) {
        fs::write(dir.join(name), "x").unwrap();
    }
    let out = run_small(&dir, "1");
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in stale {
        assert!(!dir.join(name).exists(), "{name} was not removed");
    }
    for name in kept {
        assert!(dir.join(name).exists(), "{name} was removed");
    }
}

#[test]
fn replications_are_capped_as_in_the_file() {
    let out = ccsim(&["run", SMALL, "-r", "10000001"], Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("10000001") && err.contains("10000000"),
        "{err}"
    );
}
