//! Resource guards through the binary: a study too big for the memory it
//! may use is refused before any work, an overloaded center stops with a
//! message, and `check` says what a replication costs.

use assert_cmd::cargo::cargo_bin_cmd;
use std::time::Duration;

fn ccsim() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("ccsim");
    cmd.timeout(Duration::from_secs(60));
    cmd
}

#[test]
fn a_run_that_would_not_fit_is_refused_before_simulating() {
    // retail-day's figures take about 200 kB; allow it 100 kB.
    let out = ccsim()
        .env("CCSIM_MEMORY", "100000")
        .args(["run", "scenarios/retail-day.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scenarios/retail-day.toml: its figures by interval need about"),
        "{err}"
    );
    assert!(
        err.contains("more than the 100 kB it may use here"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // With room, the same run goes through.
    ccsim()
        .env("CCSIM_MEMORY", "100000000")
        .args(["run", "scenarios/retail-day.toml", "-r", "2"])
        .assert()
        .success();
    // `check` warns instead, and still says the file is valid.
    let out = ccsim()
        .env("CCSIM_MEMORY", "100000")
        .args(["check", "scenarios/retail-day.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: this machine cannot run it"),
        "{text}"
    );
}

#[test]
fn check_says_what_a_replication_costs() {
    let out = ccsim()
        .args(["check", "scenarios/bench-erlang-a.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // A million calls expected (999,996), two events each.
    assert!(
        text.contains("work: about 1.0 million calls and 2.0 million events a replication"),
        "{text}"
    );
}

#[test]
fn an_overloaded_center_ends_with_a_message_not_an_abort() {
    let dir = std::env::temp_dir().join(format!("ccsim-guards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("overloaded.toml");
    std::fs::write(
        &file,
        r#"
        [horizon]
        open = "8h"
        interval = "1h"
        [[queues]]
        name = "q"
        arrivals = { per_hour = 1000000 }
        handle_time = { dist = "exponential", mean = "300s" }
        [[agents]]
        name = "a"
        skills = ["q"]
        staffing = 1
        "#,
    )
    .unwrap();
    let out = ccsim()
        .args(["run", file.to_str().unwrap(), "-r", "2", "--out"])
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("never hang up"), "the warning first: {err}");
    assert!(
        err.contains(
            "contacts were waiting or pending (the limit is 4000000); the center is overloaded"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Nothing written.
    assert!(!dir.join("out").join("summary.csv").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
