//! Hostile command lines (issue 15): seeds at the top of their range,
//! absurd resource requests, files that never end, readers that stop
//! early, names a spreadsheet would run, names holding dots. Each ends
//! with exit 0, 1 or 2 and one clear message, never a panic or a hang.
//! Bad scenario files of the same red-team pass are in `tests/bad/`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// A seed above `i64::MAX`: a scenario file cannot hold it, the command
/// line can.
const HIGH_SEED: &str = "9223372036854775808";
const MAX_SEED: &str = "18446744073709551615";

/// No case here needs more; one that does hangs.
const GUARD: Duration = Duration::from_secs(120);

fn ccsim() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ccsim"));
    c.timeout(GUARD);
    c
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// A small day whose queue and group have names a spreadsheet would run.
const FORMULA_NAMES: &str = r#"
[horizon]
open = "1h"
interval = "30m"

[[queues]]
name = "=1+2*3"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "300s" }
patience = { dist = "exponential", mean = "120s" }

[[agents]]
name = "@team"
skills = ["=1+2*3"]
staffing = 5
"#;

/// A queue whose name holds a dot, beside a plain one.
const DOTTED: &str = r#"
[horizon]
open = "1h"
interval = "30m"

[[queues]]
name = "a.b"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "300s" }

[[agents]]
name = "team"
skills = ["a.b"]
staffing = 5
"#;

fn no_panic(stderr: &[u8]) {
    let stderr = String::from_utf8_lossy(stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

#[test]
fn seeds_above_i64_work_in_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario("retail-day.toml");
    for seed in [HIGH_SEED, MAX_SEED] {
        let out = ccsim()
            .args([
                "validate",
                "--quick",
                "--only",
                "n=1 rho=0.5",
                "--seed",
                seed,
            ])
            .output()
            .unwrap();
        no_panic(&out.stderr);
        // A miss of the exact value by chance is exit 1, never a crash.
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("seed {seed}")));

        ccsim()
            .arg("run")
            .arg(&s)
            .args(["-r", "2", "--seed", seed])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("seed {seed}")));
        ccsim()
            .arg("compare")
            .arg(&s)
            .args(["--variant", "late:queues.0.priority=1"])
            .args(["-r", "2", "--seed", seed])
            .assert()
            .success();
        ccsim()
            .arg("sweep")
            .arg(&s)
            .args(["--vary", "queues.0.priority=0,1"])
            .args(["-r", "2", "--seed", seed])
            .assert()
            .success();
        let dir = tmp.path().join(format!("shards-{seed}"));
        for i in ["1/2", "2/2"] {
            ccsim()
                .arg("run")
                .arg(&s)
                .args(["-r", "2", "--seed", seed, "--shard", i, "--out"])
                .arg(&dir)
                .assert()
                .success();
        }
        ccsim()
            .arg("merge")
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("seed {seed}")));
    }
}

#[test]
fn resource_requests_beyond_their_limits_exit_2() {
    let s = scenario("retail-day.toml");
    let cases: &[(&[&str], &str)] = &[
        (&["--threads", "100000"], "1..=1024"),
        (&["-r", "4294967295"], "1..=10000000"),
        (&["-r", "10000001"], "1..=10000000"),
    ];
    for (args, says) in cases {
        ccsim()
            .arg("run")
            .arg(&s)
            .args(*args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(
                predicate::str::contains(*says).and(predicate::str::contains("panicked").not()),
            );
    }
    ccsim()
        .args(["validate", "--threads", "100000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1..=1024"));
}

#[test]
fn erlang_refuses_durations_beyond_a_year() {
    for (flag, value) in [("--aht", "1e308"), ("--aht", "400d"), ("--sl", "1e308")] {
        let mut args = vec!["erlang", "--per-hour", "100", "--agents", "5"];
        if flag != "--aht" {
            args.extend(["--aht", "5m"]);
        }
        args.extend([flag, value]);
        ccsim()
            .args(&args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(flag).and(predicate::str::contains("366d")));
    }
    // At the limit the figures stay finite.
    ccsim()
        .args([
            "erlang",
            "--per-hour",
            "100",
            "--agents",
            "5",
            "--aht",
            "366d",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("inf").not());
}

#[test]
fn endless_files_are_refused_not_read_to_the_end() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    for cmd in ["run", "check"] {
        ccsim()
            .args([cmd, "/dev/zero"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("/dev/zero").and(predicate::str::contains("16 MiB")));
    }
    ccsim()
        .args(["merge", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/zero").and(predicate::str::contains("MiB")));
}

/// Runs `ccsim ARGS` with its stdout a pipe that is closed before it
/// writes, as `ccsim … | head -0` would: it must end quietly.
fn closed_pipe(args: &[&str]) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
}

#[test]
fn a_reader_that_stops_early_is_no_crash() {
    let s = scenario("retail-day.toml");
    let s = s.to_str().unwrap();
    closed_pipe(&["check", s]);
    closed_pipe(&["run", s, "-r", "2"]);
    closed_pipe(&["run", s, "-r", "2", "--json"]);
    closed_pipe(&[
        "compare",
        s,
        "--variant",
        "x:queues.0.priority=1",
        "-r",
        "2",
    ]);
    closed_pipe(&["sweep", s, "--vary", "queues.0.priority=0,1", "-r", "2"]);
    closed_pipe(&[
        "erlang",
        "--per-hour",
        "100",
        "--aht",
        "5m",
        "--agents",
        "10",
    ]);
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("formula.toml");
    fs::write(&file, FORMULA_NAMES).unwrap();
    let out = tmp.path().join("out");
    ccsim()
        .arg("run")
        .arg(&file)
        .args(["-r", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    ccsim()
        .arg("compare")
        .arg(&file)
        .args(["--variant=-worse:agents.0.staffing=4", "-r", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut negative_numbers = 0;
    for name in [
        "summary.csv",
        "replications.csv",
        "intervals.csv",
        "compare.csv",
    ] {
        let mut r = csv::Reader::from_path(out.join(name)).unwrap();
        let mut names = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            for cell in &rec {
                if cell.parse::<f64>().is_ok() {
                    negative_numbers += usize::from(cell.starts_with('-'));
                    continue;
                }
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name}: cell {cell:?} would run as a formula"
                );
                names += usize::from(["'=1+2*3", "'@team", "'-worse"].contains(&cell));
            }
        }
        assert!(names > 0, "{name}: no escaped name found");
    }
    // Differences below 0 are numbers and stay numbers.
    assert!(negative_numbers > 0, "no negative number to check");
}

#[test]
fn set_addresses_a_dotted_name_in_quotes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("dotted.toml");
    fs::write(&file, DOTTED).unwrap();
    // Applied: no calls, so nothing offered.
    let out = ccsim()
        .arg("run")
        .arg(&file)
        .args([
            "-r",
            "2",
            "--json",
            "--set",
            r#"queues."a.b".arrivals.per_hour=0"#,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["queues"]["a.b"]["offered"]["mean"], 0.0, "{json}");
    // A bad value names the --set.
    ccsim()
        .arg("run")
        .arg(&file)
        .args(["--set", "queues.'a.b'.priority=high"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--set queues.'a.b'.priority=high"));
    // An unknown quoted name is bad input naming the --set.
    ccsim()
        .arg("run")
        .arg(&file)
        .args(["--set", r#"queues."a.c".priority=1"#])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(r#"queues."a.c".priority=1"#)
                .and(predicate::str::contains(r#"no queue named "a.c""#)),
        );
    // Unquoted, the dot splits the name.
    ccsim()
        .arg("run")
        .arg(&file)
        .args(["--set", "queues.a.b.priority=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no queue named \"a\""));
}

/// Runs `ccsim ARGS` with its stderr a pipe closed before it writes:
/// warnings and errors then go nowhere, and the exit code is unchanged.
fn closed_stderr(args: &[&str], code: i32) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(code), "{args:?}");
}

#[test]
fn a_closed_stderr_changes_no_exit_code() {
    // An error message (exit 2), a warning before a run (the big center
    // warns of an offer that rarely fires), and the "wrote" note after
    // writing files.
    let bad = scenario("../tests/bad/empty_file.toml");
    closed_stderr(&["check", bad.to_str().unwrap()], 2);
    let big = scenario("bench-big-center.toml");
    closed_stderr(&["run", big.to_str().unwrap(), "-r", "1"], 0);
    let out = std::env::temp_dir().join(format!("ccsim-stderr-{}", std::process::id()));
    let s = scenario("retail-day.toml");
    closed_stderr(
        &[
            "run",
            s.to_str().unwrap(),
            "-r",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    assert!(out.join("manifest.json").exists());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_fifo_nobody_writes_to_is_refused_not_waited_on() {
    let dir = std::env::temp_dir().join(format!("ccsim-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("scenario.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Before the fix this blocked on open until the timeout.
    let out = ccsim()
        .timeout(std::time::Duration::from_secs(20))
        .args(["check", fifo.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    no_panic(&out.stderr);
    // A pipe with a writer is read to its end: `ccsim check <(cat FILE)`.
    let s = scenario("retail-day.toml");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} check <(sleep 0.2; cat {})",
            env!("CARGO_BIN_EXE_ccsim"),
            s.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid"));
    std::fs::remove_dir_all(&dir).unwrap();
}
