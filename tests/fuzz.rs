//! A bounded fuzz corpus over the two readers of untrusted text: the
//! scenario parser and validator (`Scenario::from_toml_with`) and the shard
//! reader (`shard::read`, then `shard::merge` and the summary). Inputs are
//! mutations of real files (every scenario in `scenarios/`, `tests/bad/`
//! and `tests/scenarios/`; genuine shard files, resealed or not so that
//! mutations get past the checksum). The property: no panic, and every
//! refusal names the file.
//!
//! The seed is fixed (no flakes); `CCSIM_FUZZ_CASES` runs more cases (the
//! default keeps the whole file within 30 s, debug or release), and
//! `CCSIM_FUZZ_SEED` another sequence. Inputs that once failed are kept in
//! `tests/fuzz-regressions/` and replayed by
//! `fuzz_regressions_stay_fixed`.

use ccsim::Scenario;
use ccsim::engine::run_range;
use ccsim::results::Summary;
use ccsim::shard::{self, ShardFile, ShardSpec, Study};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The name every mutated input is read under; every error must carry it.
const ORIGIN: &str = "fuzzed-input.toml";
const SHARD_ORIGIN: &str = "fuzzed/shard-1-of-2.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `CCSIM_FUZZ_CASES`, else `default` in a debug build and ten times as
/// many in release (what CI runs: about 15 s on 2 cores).
fn cases(default: u32) -> u32 {
    let default = if cfg!(debug_assertions) {
        default
    } else {
        10 * default
    };
    std::env::var("CCSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> Config {
    let seed = std::env::var("CCSIM_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00cc_f022);
    Config {
        cases: cases(default_cases),
        rng_seed: RngSeed::Fixed(seed),
        // Failures are printed; a failing input is saved by hand in
        // tests/fuzz-regressions/ with its fix.
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

fn files_in(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// Every scenario text the project has, good and bad.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut texts: Vec<String> = ["scenarios", "tests/scenarios", "tests/bad"]
            .iter()
            .flat_map(|d| files_in(d, "toml"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        // The valid ones first (see `valid_seeds`).
        texts.sort_by_key(|t| Scenario::from_toml(t, "x", "x").is_err());
        assert!(texts.len() > 50, "too few seed scenarios: {}", texts.len());
        texts
    })
}

/// How many of [`seeds`] (the first ones) are valid scenarios.
fn valid_seeds() -> usize {
    let valid = seeds()
        .iter()
        .take_while(|t| Scenario::from_toml(t, "x", "x").is_ok())
        .count();
    assert!(valid > 10, "too few valid seed scenarios: {valid}");
    valid
}

/// Values that have broken parsers: beyond every type's range, signed
/// zeros, non-numbers, empty and odd types.
const EXTREMES: &[&str] = &[
    "1e308",
    "-1e308",
    "1e400",
    "-0",
    "-0.0",
    "0",
    "-1",
    "nan",
    "inf",
    "-inf",
    "5e-324",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "4294967295",
    "65536",
    "1e7",
    "0.5",
    "1",
    "2",
    "\"\"",
    "\"1e308s\"",
    "\"-1s\"",
    "\"0s\"",
    "\"99999999999999h\"",
    "\"nan\"",
    "\"30m\"",
    "[]",
    "[1e308]",
    "{}",
    "true",
    "\"\\u001b[31m\"",
    "\"a.b\"",
    "\"=1+2*3\"",
];

/// Factors for [`Mutation::Scale`].
const SCALES: &[f64] = &[0.0, 0.5, 0.9, 1.1, 2.0, 3.0, 10.0, 1000.0, 1e-3];

/// Keys of the scenario format, and a few that are not.
const KEYS: &[&str] = &[
    "name",
    "replications",
    "seed",
    "open",
    "interval",
    "start",
    "warmup",
    "arrivals",
    "per_hour",
    "per_interval",
    "handle_time",
    "patience",
    "wrap_up",
    "service_level",
    "staffing",
    "skills",
    "priority",
    "capacity",
    "lines",
    "max_wait",
    "offer_after",
    "accept_probability",
    "reach_probability",
    "max_attempts",
    "retry_delay",
    "dial_time",
    "expire_after",
    "position",
    "probability",
    "delay",
    "dist",
    "mean",
    "sd",
    "value",
    "k",
    "reserve",
    "short_abandon",
    "balk_probability",
    "zzz_not_a_key",
    "queues.name",
];

/// One change to a text. Positions are taken modulo the text's length.
#[derive(Clone, Debug)]
enum Mutation {
    FlipByte(usize, u8),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Number(usize, usize),
    /// The `n`-th number scaled: plausible values, so that many mutants
    /// pass validation and reach what follows it.
    Scale(usize, usize),
    /// The value of the `n`-th `key = value` line replaced.
    Value(usize, usize),
    InsertKey(usize, usize, usize),
    HugeString(usize, usize),
    Truncate(usize),
}

/// Weighted towards changes that keep the text TOML (a value replaced),
/// so that most mutants reach validation and many pass it.
fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::FlipByte(at, bit)),
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        6 => (any::<usize>(), 0..EXTREMES.len()).prop_map(|(at, v)| Mutation::Number(at, v)),
        4 => (any::<usize>(), 0..EXTREMES.len()).prop_map(|(at, v)| Mutation::Value(at, v)),
        8 => (any::<usize>(), 0..SCALES.len()).prop_map(|(at, k)| Mutation::Scale(at, k)),
        1 => (any::<usize>(), 0..KEYS.len(), 0..EXTREMES.len())
            .prop_map(|(at, k, v)| Mutation::InsertKey(at, k, v)),
        1 => (any::<usize>(), 1..200_000usize).prop_map(|(at, n)| Mutation::HugeString(at, n)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Where numbers start and end in `text` (a digit, or a sign or point
/// before one, and what follows of `0-9.eE+-_`).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            || (matches!(b[i], b'-' | b'+' | b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let inside_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if starts && !inside_word {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_digit() || b"._eE+-".contains(&b[j])) {
                j += 1;
            }
            found.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Where quoted strings start and end (quotes included).
fn strings(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        if c == '"' {
            match open.take() {
                None => open = Some(i),
                Some(start) => found.push((start, i + 1)),
            }
        } else if c == '\n' {
            open = None;
        }
    }
    found
}

/// `text` with `m` applied; byte flips may leave invalid UTF-8, which is
/// read as the command line reads a file (lossily here: the CLI refuses it
/// first).
fn apply(text: &str, m: &Mutation) -> String {
    let lines = || text.split_inclusive('\n').collect::<Vec<&str>>();
    match *m {
        Mutation::FlipByte(at, bit) => {
            let mut bytes = text.as_bytes().to_vec();
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] ^= 1 << bit;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Mutation::DeleteLine(at) => {
            let mut l = lines();
            if !l.is_empty() {
                l.remove(at % l.len());
            }
            l.concat()
        }
        Mutation::DuplicateLine(at) => {
            let mut l = lines();
            if !l.is_empty() {
                let at = at % l.len();
                l.insert(at, l[at]);
            }
            l.concat()
        }
        Mutation::SwapLines(a, b) => {
            let mut l = lines();
            if !l.is_empty() {
                let n = l.len();
                l.swap(a % n, b % n);
            }
            l.concat()
        }
        Mutation::Number(at, v) => {
            let found = numbers(text);
            if found.is_empty() {
                return text.to_string();
            }
            let (s, e) = found[at % found.len()];
            format!("{}{}{}", &text[..s], EXTREMES[v], &text[e..])
        }
        Mutation::Scale(at, k) => {
            let found = numbers(text);
            if found.is_empty() {
                return text.to_string();
            }
            let (s, e) = found[at % found.len()];
            let Ok(x) = text[s..e].replace('_', "").parse::<f64>() else {
                return text.to_string();
            };
            let y = x * SCALES[k];
            // Whole numbers stay integers (TOML tells them apart).
            let y = if text[s..e].contains(['.', 'e', 'E']) || y.fract() != 0.0 {
                format!("{y:?}")
            } else {
                format!("{y:.0}")
            };
            format!("{}{y}{}", &text[..s], &text[e..])
        }
        Mutation::Value(at, v) => {
            let mut l = lines();
            let assignments: Vec<usize> = (0..l.len())
                .filter(|&i| l[i].contains(" = ") && !l[i].trim_start().starts_with('#'))
                .collect();
            if assignments.is_empty() {
                return text.to_string();
            }
            let i = assignments[at % assignments.len()];
            let key = &l[i][..l[i].find(" = ").unwrap()];
            let line = format!("{key} = {}\n", EXTREMES[v]);
            l[i] = &line;
            l.concat()
        }
        Mutation::InsertKey(at, k, v) => {
            let mut l = lines();
            let at = if l.is_empty() { 0 } else { at % (l.len() + 1) };
            let line = format!("{} = {}\n", KEYS[k], EXTREMES[v]);
            l.insert(at, &line);
            l.concat()
        }
        Mutation::HugeString(at, n) => {
            let found = strings(text);
            if found.is_empty() {
                return text.to_string();
            }
            let (s, e) = found[at % found.len()];
            format!("{}\"{}\"{}", &text[..s], "x".repeat(n), &text[e..])
        }
        Mutation::Truncate(at) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
    }
}

/// The property for a scenario text: validation returns, an error names
/// the file, and a valid scenario has a fingerprint and can be saved in a
/// shard file (or is refused, with a message, for that). Returns whether
/// the scenario is valid.
fn check_scenario(text: &str) -> bool {
    match Scenario::from_toml_with(text, ORIGIN, "fuzz", &[]) {
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(ORIGIN),
                "the error does not name the file: {msg}"
            );
            false
        }
        Ok(sc) => {
            assert!(
                !sc.model.queues().is_empty(),
                "a valid scenario with no queue"
            );
            let _ = shard::fingerprint(&sc);
            let table = Scenario::effective_table(text, ORIGIN, &[])
                .expect("what validates parses as a table");
            // May refuse (a name with a control character), never panics.
            let _ = Study::new(&sc, table);
            true
        }
    }
}

#[test]
fn seed_scenarios_hold_the_property() {
    for text in seeds() {
        check_scenario(text);
    }
    let valid = valid_seeds();
    assert!(
        seeds()[valid..].iter().all(|t| !check_scenario(t)),
        "a valid scenario sorted after an invalid one"
    );
}

#[test]
fn mutated_scenarios_never_panic_and_name_the_file() {
    // Valid seeds three times as often as the others.
    let valid = valid_seeds();
    let strategy = (
        prop_oneof![3 => 0..valid, 1 => 0..seeds().len()],
        prop::collection::vec(mutation(), 1..4),
    );
    let config = config(1500);
    let (cases, passed) = (config.cases, std::cell::Cell::new(0u32));
    TestRunner::new(config)
        .run(&strategy, |(seed, mutations)| {
            let mut text = seeds()[seed].clone();
            for m in &mutations {
                text = apply(&text, m);
            }
            if check_scenario(&text) {
                passed.set(passed.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    // Enough mutants pass validation to exercise what comes after it (a
    // corpus that only makes syntax errors would test little).
    assert!(
        passed.get() >= cases / 20,
        "only {} of {cases} mutants valid",
        passed.get()
    );
}

/// Genuine shard files: shard 1 of 2 of a small day (2 replications), and
/// shard 1 of 1 (the whole study, so that a merge of it alone succeeds).
fn genuine_shards() -> &'static [String] {
    static SHARDS: OnceLock<Vec<String>> = OnceLock::new();
    SHARDS.get_or_init(|| {
        let path = root().join("tests/scenarios/shard-small-day.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sc = Scenario::from_toml(&text, "small.toml", "small").unwrap();
        sc.plan.replications = 2;
        let table = Scenario::effective_table(&text, "small.toml", &[]).unwrap();
        let study = Study::new(&sc, table).unwrap();
        [(1, 2), (1, 1)]
            .into_iter()
            .map(|(i, n)| {
                let spec = ShardSpec::new(i, n).unwrap();
                let block = spec.block(sc.plan.replications).unwrap();
                let reps = run_range(&sc.model, sc.plan.seed, block, &|_| {}).unwrap();
                study.shard(spec, reps).to_json()
            })
            .collect()
    })
}

/// One change to a shard file's JSON tree (or its text).
#[derive(Clone, Debug)]
enum JsonMutation {
    /// Replace the `n`-th leaf (depth first) with an extreme value.
    Leaf(usize, usize),
    /// Remove the `n`-th member or element.
    Remove(usize),
    /// Duplicate the `n`-th array element.
    Duplicate(usize),
    /// A change to the text, as for scenarios.
    Text(Mutation),
}

/// JSON values that no genuine shard has.
fn json_extreme(i: usize) -> Value {
    let v: [Value; 20] = [
        Value::from(u64::MAX),
        Value::from(u64::MAX - 6),
        Value::from(-1),
        Value::from(0),
        Value::from(1.5),
        Value::from(1e300),
        Value::from(-1e300),
        Value::from(f64::MIN_POSITIVE),
        Value::from(0.5),
        Value::from(4_294_967_295u64),
        Value::Null,
        Value::from(""),
        Value::from("\u{1b}[31m"),
        Value::from("x".repeat(100_000)),
        Value::from("sha256:0"),
        Value::Array(vec![]),
        Value::Array(vec![Value::Null; 3]),
        Value::Object(Default::default()),
        Value::Bool(true),
        Value::from(-0.0),
    ];
    v[i % v.len()].clone()
}

fn json_mutation() -> impl Strategy<Value = JsonMutation> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(n, v)| JsonMutation::Leaf(n, v)),
        2 => any::<usize>().prop_map(JsonMutation::Remove),
        1 => any::<usize>().prop_map(JsonMutation::Duplicate),
        2 => mutation().prop_map(JsonMutation::Text),
    ]
}

/// The number of nodes under `v` (itself included).
fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(nodes).sum(),
        Value::Object(o) => o.values().map(nodes).sum(),
        _ => 0,
    }
}

/// Applies `f` to the `n`-th node (depth first) below `v`, with its parent.
fn at_node(v: &mut Value, n: &mut usize, f: &mut dyn FnMut(&mut Value)) -> bool {
    if *n == 0 {
        f(v);
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| at_node(x, n, f)),
        Value::Object(o) => o.values_mut().any(|x| at_node(x, n, f)),
        _ => false,
    }
}

fn apply_json(text: &str, m: &JsonMutation) -> String {
    if let JsonMutation::Text(m) = m {
        return apply(text, m);
    }
    let Ok(mut v) = serde_json::from_str::<Value>(text) else {
        return text.to_string();
    };
    let total = nodes(&v);
    match *m {
        JsonMutation::Leaf(n, x) => {
            let mut n = n % total;
            at_node(&mut v, &mut n, &mut |node| {
                if !node.is_array() && !node.is_object() {
                    *node = json_extreme(x);
                }
            });
        }
        JsonMutation::Remove(n) | JsonMutation::Duplicate(n) => {
            let dup = matches!(m, JsonMutation::Duplicate(_));
            let mut n = n % total;
            at_node(&mut v, &mut n, &mut |node| match node {
                Value::Array(a) if !a.is_empty() => {
                    if dup {
                        a.push(a[0].clone());
                    } else {
                        a.pop();
                    }
                }
                Value::Object(o) if !dup && !o.is_empty() => {
                    let key = o.keys().next().unwrap().clone();
                    o.remove(&key);
                }
                _ => {}
            });
        }
        JsonMutation::Text(_) => unreachable!(),
    }
    v.to_string()
}

/// Gives `text` the checksum of its contents, as a forger would, when it
/// is still a shard file's shape.
fn reseal(text: &str) -> String {
    match serde_json::from_str::<ShardFile>(text) {
        Ok(mut f) => {
            f.seal();
            f.to_json()
        }
        Err(_) => text.to_string(),
    }
}

/// The property for a shard file's text: reading returns, an error names
/// the file, and what is read merges and summarizes without a panic.
/// Returns the refusal, if any.
fn check_shard(text: &str) -> Option<String> {
    match shard::read(text, SHARD_ORIGIN) {
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(SHARD_ORIGIN),
                "the error does not name the file: {msg}"
            );
            assert!(
                !msg.chars().any(|c| c.is_control() && c != '\n'),
                "a control character in the message: {msg:?}"
            );
            Some(msg)
        }
        Ok(loaded) => {
            if let Ok(merged) = shard::merge(vec![loaded]) {
                let sc = &merged.scenario;
                let _ = Summary::new(&sc.model, sc.plan.seed, &merged.replications);
            }
            None
        }
    }
}

#[test]
fn genuine_shards_hold_the_property() {
    for text in genuine_shards() {
        shard::read(text, SHARD_ORIGIN).unwrap();
        check_shard(text);
    }
}

#[test]
fn mutated_shards_never_panic_and_name_the_file() {
    let strategy = (
        0..genuine_shards().len(),
        prop::collection::vec(json_mutation(), 1..4),
        any::<bool>(),
    );
    let config = config(600);
    let cases = config.cases;
    let (read, impossible) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    TestRunner::new(config)
        .run(&strategy, |(which, mutations, sealed)| {
            let mut text = genuine_shards()[which].clone();
            for m in &mutations {
                text = apply_json(&text, m);
            }
            if sealed {
                text = reseal(&text);
            }
            match check_shard(&text) {
                None => read.set(read.get() + 1),
                Some(e) if e.contains("impossible figures") => impossible.set(impossible.get() + 1),
                Some(_) => {}
            }
            Ok(())
        })
        .unwrap();
    // Resealed mutants get past the checksum to the figures' checks, and
    // some (a text edit that changes nothing simulated) are read whole.
    assert!(
        impossible.get() >= cases / 50 && read.get() >= cases / 50,
        "of {cases} mutants {} refused for their figures, {} read",
        impossible.get(),
        read.get()
    );
}

/// Inputs that once broke a reader: `*.toml` are scenarios, `*.json` shard
/// files (read as they are, and resealed; `refused-*.json` must be
/// refused).
#[test]
fn fuzz_regressions_stay_fixed() {
    for path in files_in("tests/fuzz-regressions", "toml") {
        let bytes = std::fs::read(&path).unwrap();
        check_scenario(&String::from_utf8_lossy(&bytes));
    }
    for path in files_in("tests/fuzz-regressions", "json") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        for text in [text.clone(), reseal(&text)] {
            let refused = check_shard(&text);
            // Forged files once accepted stay refused.
            assert!(
                !name.starts_with("refused-") || refused.is_some(),
                "{name} is read"
            );
        }
    }
}
