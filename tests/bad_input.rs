//! Bad input through the real binary (SPEC §6): every broken scenario in
//! `tests/bad/` and every bad command line must end with exit code 2 and one
//! message naming the file, the key and, where there is one, the line —
//! never a panic, never a partial result file.
//!
//! Each file in `tests/bad/` starts with a comment line
//! `# expect: <key path> | <line>`, where `<key path>` is the key the message
//! must name as the tool prints it (e.g. `queues[0] ("sales").handle_time.mean`:
//! the entry's name too, so the corpus pins it) and
//! `<line>` the line it must name; `-` in either place means "none applies".

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Fewer files than this and the corpus loop could pass without testing much.
const MIN_CORPUS: usize = 20;

/// Words a capacity planner should never have to read: panics and Rust
/// internals leaking into messages.
const FORBIDDEN: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "struct Raw",
    "i128",
    "i64",
    "u64",
    "u32",
    "f64",
];

/// A valid scenario the CLI tests run against (the corpus files are this
/// shape, each broken in one place).
const VALID: &str = r#"
[horizon]
open = "1h"
interval = "30m"

[[queues]]
name = "sales"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "300s" }

[[agents]]
name = "team"
skills = ["sales"]
staffing = 5
"#;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bad")
}

/// What a corpus file's error message must name.
struct Expect {
    key: Option<String>,
    line: Option<usize>,
}

fn parse_expect(path: &Path) -> Result<Expect, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let first = text.lines().next().unwrap_or("");
    let rest = first
        .strip_prefix("# expect:")
        .ok_or_else(|| format!("first line is not `# expect: <key> | <line>`: {first:?}"))?;
    let (key, line) = rest
        .split_once('|')
        .ok_or_else(|| format!("expect line has no `|`: {first:?}"))?;
    let key = match key.trim() {
        "" => return Err(format!("expect line has an empty key: {first:?}")),
        "-" => None,
        k => Some(k.to_string()),
    };
    let line = match line.trim() {
        "-" => None,
        l => Some(
            l.parse::<usize>()
                .map_err(|_| format!("expect line has a bad line number: {first:?}"))?,
        ),
    };
    Ok(Expect { key, line })
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("tests/bad/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Whether `text` names `key` as a whole key path: `queues[0].callback` must
/// not be satisfied by `queues[0].callback.position`.
fn names_key(text: &str, key: &str) -> bool {
    text.match_indices(key).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + key.len()..].chars().next();
        let continues =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_.[]".contains(c));
        !continues(before) && !continues(after)
    })
}

/// Whether `stderr` claims a line in `file`, as `FILE:N:`.
fn claims_a_line(stderr: &str, file: &str) -> bool {
    stderr.match_indices(file).any(|(i, _)| {
        let rest = &stderr[i + file.len()..];
        rest.strip_prefix(':')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Problems with one invocation on bad input, in words; empty when it
/// behaved.
fn judge(
    what: &str,
    out: &std::process::Output,
    file: &str,
    expect: &Expect,
    out_dir: Option<&Path>,
) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut bad = Vec::new();
    if out.status.code() != Some(2) {
        bad.push(format!(
            "{what}: exit code {:?}, expected 2",
            out.status.code()
        ));
    }
    if !stderr.contains(file) {
        bad.push(format!("{what}: stderr does not name the file {file}"));
    }
    if expect
        .key
        .as_ref()
        .is_some_and(|key| !names_key(&stderr, key))
    {
        let key = expect.key.as_deref().unwrap_or_default();
        bad.push(format!("{what}: stderr does not name the key `{key}`"));
    }
    match expect.line {
        Some(line) if !stderr.contains(&format!(":{line}:")) => {
            bad.push(format!(
                "{what}: stderr does not name line {line} as `:{line}:`"
            ));
        }
        None if claims_a_line(&stderr, file) => {
            bad.push(format!("{what}: stderr names a line where none applies"));
        }
        _ => {}
    }
    for word in FORBIDDEN {
        if stderr.contains(word) {
            bad.push(format!("{what}: stderr contains {word:?}"));
        }
    }
    if !stdout.trim().is_empty() {
        bad.push(format!("{what}: printed a result on stdout: {stdout:?}"));
    }
    if let Some(dir) = out_dir.filter(|d| d.exists()) {
        bad.push(format!("{what}: left {} behind", dir.display()));
    }
    if !bad.is_empty() {
        bad.push(format!("{what}: stderr was: {}", stderr.trim_end()));
    }
    bad
}

#[test]
fn corpus_is_not_vacuous() {
    let files = corpus();
    assert!(
        files.len() >= MIN_CORPUS,
        "tests/bad/ holds {} scenario files, expected at least {MIN_CORPUS}",
        files.len()
    );
    for f in &files {
        if let Err(e) = parse_expect(f) {
            panic!("{}: {e}", f.display());
        }
    }
}

#[test]
fn bad_scenarios_exit_2_with_file_key_and_line() {
    let files = corpus();
    assert!(
        files.len() >= MIN_CORPUS,
        "corpus too small: {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let file = path.to_str().expect("UTF-8 path").to_string();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expect = match parse_expect(path) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let tmp = tempfile::tempdir().expect("temp dir");
        let out_dir = tmp.path().join("out");

        let run = ccsim()
            .args(["run", &file, "--out"])
            .arg(&out_dir)
            .output()
            .expect("ccsim runs");
        let check = ccsim().args(["check", &file]).output().expect("ccsim runs");

        let mut bad = judge("run", &run, &file, &expect, Some(&out_dir));
        bad.extend(judge("check", &check, &file, &expect, None));
        failures.extend(bad.into_iter().map(|b| format!("{name}: {b}")));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in the bad-input corpus:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn the_valid_template_runs_and_writes_results() {
    // Control for the corpus: the shape the bad files are broken from is
    // accepted, and `--out` does create the directory, so "no output
    // directory" above means something.
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("valid.toml");
    fs::write(&scenario, VALID).unwrap();
    ccsim().arg("check").arg(&scenario).assert().success();
    let out_dir = tmp.path().join("out");
    ccsim()
        .arg("run")
        .arg(&scenario)
        .args(["-r", "2", "--out"])
        .arg(&out_dir)
        .assert()
        .success();
    for f in ["summary.csv", "replications.csv", "intervals.csv"] {
        assert!(out_dir.join(f).is_file(), "{f} not written");
    }
}

#[test]
fn missing_scenario_file_exits_2_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-scenario.toml");
    let shown = missing.to_str().unwrap();
    let out_dir = tmp.path().join("out");
    ccsim()
        .arg("check")
        .arg(&missing)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(shown).and(predicate::str::contains("panicked").not()));
    ccsim()
        .arg("run")
        .arg(&missing)
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(shown).and(predicate::str::contains("panicked").not()));
    assert!(!out_dir.exists(), "run on a missing file created --out");
}

#[test]
fn scenario_path_that_is_a_directory_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let shown = tmp.path().to_str().unwrap();
    for sub in ["check", "run"] {
        ccsim().arg(sub).arg(tmp.path()).assert().code(2).stderr(
            predicate::str::contains(shown).and(predicate::str::contains("panicked").not()),
        );
    }
}

#[test]
fn bad_command_line_arguments_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("valid.toml");
    fs::write(&scenario, VALID).unwrap();
    let out_dir = tmp.path().join("out");
    let cases: &[(&str, &[&str])] = &[
        ("-r 0", &["-r", "0"]),
        ("--replications 0", &["--replications", "0"]),
        ("-r ten", &["-r", "ten"]),
        ("--threads 0", &["--threads", "0"]),
        ("--seed -1", &["--seed", "-1"]),
        ("unknown flag", &["--bogus"]),
    ];
    for (label, args) in cases {
        let out = ccsim()
            .arg("run")
            .arg(&scenario)
            .args(*args)
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{label}: expected exit 2, stderr: {stderr}"
        );
        assert!(!stderr.trim().is_empty(), "{label}: no message on stderr");
        assert!(!stderr.contains("panicked"), "{label}: panicked: {stderr}");
        assert!(!out_dir.exists(), "{label}: created --out");
    }
    // No subcommand, unknown subcommand, missing scenario argument.
    for args in [&[][..], &["simulate"][..], &["run"][..], &["check"][..]] {
        let out = ccsim().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "ccsim {args:?}: expected exit 2, stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
