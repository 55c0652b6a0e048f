use super::*;
use crate::engine::{run_range, run_replications};
use crate::results::{Grid, N_METRICS, Replication};

const TOML: &str = r#"
# A small day: two queues, callbacks on one, a staffing list.
[run]
replications = 5
seed = 3

[horizon]
open = "2h"
interval = "30m"

[[queues]]
name = "sales"
arrivals = { per_interval = [40, 60, 50, 30] }
handle_time = { dist = "lognormal", mean = "240s", sd = "120s" }
patience = { dist = "exponential", mean = "90s" }
[queues.callback]
offer_after = "30s"
accept_probability = 0.5

[[queues]]
name = "support"
arrivals = { per_hour = 50 }
handle_time = { dist = "exponential", mean = "300s" }

[[agents]]
name = "team"
skills = ["sales", "support"]
staffing = [8, 9, 9, 7]
"#;

fn scenario(text: &str, stem: &str) -> Scenario {
    Scenario::from_toml(text, "test.toml", stem).unwrap()
}

fn study(text: &str, stem: &str) -> (Scenario, Study) {
    let sc = scenario(text, stem);
    let table = Scenario::effective_table(text, "test.toml", &[]).unwrap();
    let study = Study::new(&sc, table).unwrap();
    (sc, study)
}

/// The text of shard `i` of `n` (from 1) of the study.
fn shard_text(sc: &Scenario, study: &Study, i: u32, n: u32) -> String {
    let spec = ShardSpec::new(i, n).unwrap();
    let reps = run_range(
        &sc.model,
        sc.plan.seed,
        spec.block(sc.plan.replications).unwrap(),
        &|_| {},
    )
    .unwrap();
    study.shard(spec, reps).to_json()
}

fn load(text: &str, origin: &str) -> LoadedShard {
    read(text, origin).unwrap_or_else(|e| panic!("{origin}: {e}"))
}

/// Replications compared by their exact serialized form, so that undefined
/// (`NaN`) figures compare equal.
fn exact(reps: &[Replication]) -> String {
    serde_json::to_string(reps).unwrap()
}

#[test]
fn shard_spec_parses_and_checks() {
    let s: ShardSpec = "2/5".parse().unwrap();
    assert_eq!((s.number(), s.count()), (2, 5));
    assert_eq!(s.to_string(), "2/5");
    assert_eq!(
        " 1 / 1 ".parse::<ShardSpec>().unwrap(),
        ShardSpec::new(1, 1).unwrap()
    );
    // The last shard is N/N, as in `cargo nextest --partition count:2/2`.
    assert_eq!("5/5".parse::<ShardSpec>().unwrap().number(), 5);
    for bad in [
        "0/5", "6/5", "1/0", "0/0", "x", "1", "1/2/3", "-1/4", "1/-4", "a/b", "",
    ] {
        let e = bad.parse::<ShardSpec>().unwrap_err();
        assert!(matches!(e, ShardError::Spec(_)), "{bad}: {e:?}");
    }
    assert_eq!(
        "0/2".parse::<ShardSpec>().unwrap_err().to_string(),
        "0/2: shards count from 1, so the first of 2 is 1/2 and the last 2/2"
    );
    assert_eq!(
        "3/2".parse::<ShardSpec>().unwrap_err().to_string(),
        "3/2: there are only 2 shards, numbered 1 to 2"
    );
    assert!(
        "one/2"
            .parse::<ShardSpec>()
            .unwrap_err()
            .to_string()
            .contains("1/4 for the first of 4")
    );
}

#[test]
fn blocks_cover_every_replication_once_in_order() {
    for r in 1..=40u32 {
        for n in 1..=r {
            let mut next = 0;
            for i in 1..=n {
                let b = ShardSpec::new(i, n).unwrap().block(r).unwrap();
                assert_eq!(b.start, next, "R={r} N={n} I={i}");
                assert!(b.end > b.start, "R={r} N={n} I={i}: empty");
                // Sizes differ by at most one.
                assert!(b.len() as u32 >= r / n && b.len() as u32 <= r.div_ceil(n));
                next = b.end;
            }
            assert_eq!(next, r);
        }
    }
    // 7 in 3: blocks of 2, 2 and 3.
    let blocks: Vec<_> = (1..=3)
        .map(|i| ShardSpec::new(i, 3).unwrap().block(7).unwrap())
        .collect();
    assert_eq!(blocks, [0..2, 2..4, 4..7]);
    // No overflow at the extremes.
    let last = ShardSpec::new(u32::MAX, u32::MAX).unwrap();
    assert_eq!(last.block(u32::MAX).unwrap(), u32::MAX - 1..u32::MAX);
}

#[test]
fn more_shards_than_replications_is_refused() {
    let e = ShardSpec::new(1, 8).unwrap().block(7).unwrap_err();
    assert_eq!(
        e,
        ShardError::TooManyShards {
            spec: ShardSpec::new(1, 8).unwrap(),
            replications: 7
        }
    );
    assert!(e.to_string().contains("use at most 7 shards"), "{e}");
}

#[test]
fn file_names_round_trip() {
    let s = ShardSpec::new(3, 12).unwrap();
    assert_eq!(s.file_name(), "shard-3-of-12.json");
    assert_eq!(ShardSpec::from_file_name("shard-3-of-12.json"), Some(s));
    assert_eq!(
        ShardSpec::new(3, 3).unwrap().file_name(),
        "shard-3-of-3.json"
    );
    for other in [
        "shard-0-of-3.json",
        "shard-4-of-3.json",
        "shard--of-3.json",
        "shard-1-of-3.json.tmp",
        ".shard-1-of-3.json.12-1764167000000000000-0.tmp",
        "shard-+1-of-3.json",
        "summary.csv",
    ] {
        assert_eq!(ShardSpec::from_file_name(other), None, "{other}");
    }
}

/// Every kind of awkward `f64` in every figure of a replication.
fn awkward_replication() -> Replication {
    let awkward = [
        f64::NAN,
        5e-324,
        f64::from_bits(0x000f_ffff_ffff_ffff), // largest subnormal
        0.1 + 0.2,
        1e300,
        -0.0,
        f64::INFINITY,
        1.0 / 3.0,
    ];
    let metrics = |shift: usize| -> [f64; N_METRICS] {
        std::array::from_fn(|m| awkward[(m + shift) % awkward.len()])
    };
    Replication {
        index: 4,
        queues: vec![metrics(0), metrics(3)],
        total: metrics(5),
        occupancy: awkward.to_vec(),
        intervals: Grid::from_cells(1, vec![metrics(1), metrics(2)]).unwrap(),
        interval_totals: vec![metrics(4), metrics(6)],
        interval_occupancy: Grid::from_cells(1, awkward.to_vec()).unwrap(),
        events: u64::MAX,
        peak_contacts: 12,
        peak_events: 34,
    }
}

/// Every `f64` of a replication, in order.
fn floats(r: &Replication) -> Vec<f64> {
    let mut v: Vec<f64> = r.queues.iter().flatten().copied().collect();
    v.extend(r.total);
    v.extend(&r.occupancy);
    v.extend(r.intervals.cells().iter().flatten());
    v.extend(r.interval_totals.iter().flatten());
    v.extend(r.interval_occupancy.cells());
    v
}

#[test]
fn awkward_replication_round_trips_bit_exactly() {
    let r = awkward_replication();
    let json = serde_json::to_string(&r).unwrap();
    let back: Replication = serde_json::from_str(&json).unwrap();
    let (a, b) = (floats(&r), floats(&back));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        // NaN's payload is not kept (nothing reads it); every other value
        // comes back with the same bits, subnormals and -0.0 included.
        assert!(
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
            "{x:e} came back as {y:e}"
        );
    }
    assert_eq!(
        (
            back.index,
            back.events,
            back.peak_contacts,
            back.peak_events
        ),
        (4, u64::MAX, 12, 34)
    );
    assert_eq!(
        back.intervals.cells()[1][0].to_bits(),
        awkward_replication().intervals.cells()[1][0].to_bits()
    );
    // Written again, it is the same text.
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn shards_merge_into_the_unsharded_replications() {
    let (sc, study) = study(TOML, "test");
    let whole = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    for n in 1..=sc.plan.replications {
        let loaded = (1..=n)
            .map(|i| load(&shard_text(&sc, &study, i, n), &format!("shard {i}")))
            .collect();
        let merged = merge(loaded).unwrap();
        assert_eq!(merged.ccsim_build, CCSIM_BUILD);
        assert_eq!(exact(&merged.replications), exact(&whole), "{n} shards");
        assert_eq!(fingerprint(&merged.scenario), fingerprint(&sc));
        assert_eq!(merged.scenario.model.name(), "test");
    }
}

#[test]
fn order_of_files_does_not_matter() {
    let (sc, study) = study(TOML, "test");
    let texts: Vec<String> = (1..=3).map(|i| shard_text(&sc, &study, i, 3)).collect();
    let loaded = [2, 0, 1]
        .iter()
        .map(|&i| load(&texts[i], &format!("f{i}")))
        .collect();
    let merged = merge(loaded).unwrap();
    assert_eq!(
        exact(&merged.replications),
        exact(&run_replications(&sc.model, &sc.plan, &|| {}).unwrap())
    );
}

#[test]
fn the_file_is_readable_and_deterministic() {
    let (sc, study) = study(TOML, "test");
    let text = shard_text(&sc, &study, 2, 2);
    assert_eq!(
        text,
        shard_text(&sc, &study, 2, 2),
        "a rerun writes the same bytes"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "{");
    assert_eq!(lines[1], format!("  \"format\": \"{FORMAT}\","));
    assert_eq!(lines[2], format!("  \"format_version\": {FORMAT_VERSION},"));
    // The header numbers the shard as the command line and file name do.
    assert!(
        text.contains("\n  \"shard\": 2,\n  \"shards\": 2,\n"),
        "{text}"
    );
    // One line per replication, each a whole object: 5 in 2 shards, this
    // one has 3.
    let reps: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("    {"))
        .collect();
    assert_eq!(reps.len(), 3);
    for line in reps {
        let one = line.trim().trim_end_matches(',');
        serde_json::from_str::<Replication>(one).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    assert_eq!(lines[lines.len() - 2..], ["  ]", "}"]);
    assert!(text.ends_with("}\n"));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["fingerprint"], fingerprint(&sc));
}

#[test]
fn name_from_the_stem_survives_and_overrides_are_kept() {
    // TOML has no `name`: the stem names the scenario.
    let (sc, study) = study(TOML, "my-stem");
    let s = load(&shard_text(&sc, &study, 1, 1), "f");
    assert_eq!(s.scenario.model.name(), "my-stem");
    assert_eq!(s.file.scenario_name, "my-stem");

    // `--set`, `-r` and `--seed` are in the saved scenario.
    let set: Vec<crate::model::Override> = vec![
        "queues.sales.callback.accept_probability=0.9"
            .parse()
            .unwrap(),
        "agents.team.staffing=10".parse().unwrap(),
    ];
    let mut sc = Scenario::from_toml_with(TOML, "t", "t", &set).unwrap();
    sc.plan.replications = 3;
    sc.plan.seed = u64::MAX; // beyond what a file's run.seed holds
    let table = Scenario::effective_table(TOML, "t", &set).unwrap();
    let study = Study::new(&sc, table).unwrap();
    let s = load(&shard_text(&sc, &study, 1, 1), "f");
    assert_eq!(fingerprint(&s.scenario), fingerprint(&sc));
    assert_eq!(
        (s.scenario.plan.replications, s.scenario.plan.seed),
        (3, u64::MAX)
    );
    assert_eq!(s.scenario.model.groups()[0].staffing, [10; 4]);
    assert!(s.file.scenario.contains("accept_probability = 0.9"));
    assert!(s.file.scenario.contains("replications = 3"));
    assert!(!s.file.scenario.contains("seed"), "{}", s.file.scenario);
}

#[test]
fn fingerprint_follows_what_is_simulated_not_spelling() {
    let a = scenario(TOML, "t");
    let respelt = TOML
        .replace("open = \"2h\"", "open = 7200")
        .replace("# A small day", "# Another comment");
    assert_eq!(fingerprint(&a), fingerprint(&scenario(&respelt, "t")));
    let f = fingerprint(&a);
    assert!(f.starts_with("sha256:") && f.len() == 7 + 64, "{f}");
    let mut b = a.clone();
    b.plan.seed += 1;
    assert_ne!(fingerprint(&a), fingerprint(&b));
    let mut c = a.clone();
    c.plan.replications += 1;
    assert_ne!(fingerprint(&a), fingerprint(&c));
    let other = TOML.replace("accept_probability = 0.5", "accept_probability = 0.6");
    assert_ne!(fingerprint(&a), fingerprint(&scenario(&other, "t")));
    assert_ne!(fingerprint(&a), fingerprint(&scenario(TOML, "other-stem")));
}

fn merge_err(files: &[(&str, &str)]) -> ShardError {
    let loaded = files.iter().map(|(t, o)| load(t, o)).collect();
    merge(loaded).unwrap_err()
}

#[test]
fn foreign_shards_are_refused() {
    let (sc, study) = study(TOML, "t");
    let a = shard_text(&sc, &study, 1, 2);
    let check = |other: String, needle: &str| {
        let e = merge_err(&[(&a, "a.json"), (&other, "b.json")]);
        let msg = e.to_string();
        assert!(matches!(e, ShardError::Foreign { .. }), "{msg}");
        assert!(
            msg.starts_with("foreign shard: b.json is of another study than a.json: "),
            "{msg}"
        );
        assert!(msg.contains(needle), "{msg}");
    };
    // Another seed.
    let (mut sc2, _) = (sc.clone(), ());
    sc2.plan.seed = 4;
    let study2 = Study::new(&sc2, Scenario::effective_table(TOML, "t", &[]).unwrap()).unwrap();
    check(shard_text(&sc2, &study2, 2, 2), "seed 4, not 3");
    // Another number of replications.
    let mut sc3 = sc.clone();
    sc3.plan.replications = 6;
    let study3 = Study::new(&sc3, Scenario::effective_table(TOML, "t", &[]).unwrap()).unwrap();
    check(shard_text(&sc3, &study3, 2, 2), "6 replications, not 5");
    // Another split.
    check(shard_text(&sc, &study, 2, 3), "one of 3 shards, not 2");
    // Another build of ccsim.
    let mut built: ShardFile = serde_json::from_str(&shard_text(&sc, &study, 2, 2)).unwrap();
    built.ccsim_build = "0123456789abcdef".into();
    built.seal();
    check(
        built.to_json(),
        &format!(
            "made by ccsim {CCSIM_VERSION} build 0123456789abcdef, not {CCSIM_VERSION} build \
             {CCSIM_BUILD}: run every shard with the same ccsim binary"
        ),
    );
    // Another scenario with the same name, seed and size.
    let other = TOML.replace("accept_probability = 0.5", "accept_probability = 0.6");
    let (sc4, study4) = self::study(&other, "t");
    check(shard_text(&sc4, &study4, 2, 2), "the scenario differs");
}

#[test]
fn duplicates_identical_are_tolerated_different_are_not() {
    let (sc, study) = study(TOML, "t");
    let texts: Vec<String> = (1..=2).map(|i| shard_text(&sc, &study, i, 2)).collect();
    let loaded = vec![
        load(&texts[0], "a/1"),
        load(&texts[1], "a/2"),
        load(&texts[1], "b/2"),
    ];
    assert_eq!(
        exact(&merge(loaded).unwrap().replications),
        exact(&run_replications(&sc.model, &sc.plan, &|| {}).unwrap())
    );

    // The same shard with a figure changed.
    let mut changed: ShardFile = serde_json::from_str(&texts[1]).unwrap();
    changed.results[0].events += 1;
    changed.seal();
    let changed = changed.to_json();
    let e = merge_err(&[(&texts[0], "a/1"), (&texts[1], "a/2"), (&changed, "b/2")]);
    assert_eq!(
        e.to_string(),
        "shard 2/2 appears twice with different contents: a/2 and b/2"
    );
}

#[test]
fn missing_shards_are_listed() {
    let (sc, study) = study(TOML, "t");
    let two = shard_text(&sc, &study, 2, 5);
    let e = merge_err(&[(&two, "x")]);
    assert_eq!(
        e.to_string(),
        "missing 4 of 5 shards: 1, 3, 4, 5 (no shard-1-of-5.json, shard-3-of-5.json, \
         shard-4-of-5.json, shard-5-of-5.json)"
    );
    assert_eq!(merge(vec![]).unwrap_err(), ShardError::NoShards);
}

#[test]
fn many_missing_shards_are_abridged() {
    let e = ShardError::Missing {
        count: 1000,
        missing: (1..=MISSING_LISTED as u32).collect(),
        missing_count: 999,
    };
    let msg = e.to_string();
    assert!(
        msg.starts_with("missing 999 of 1000 shards: 1, 2,"),
        "{msg}"
    );
    assert!(
        msg.contains("10, …") && msg.ends_with("shard-10-of-1000.json, …)"),
        "{msg}"
    );
}

/// `read` of a damaged `text` fails naming the file and saying `needle`.
fn corrupt(text: &str, needle: &str) {
    let e = read(text, "bad.json").unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("bad.json: "), "{msg}");
    assert!(msg.contains(needle), "wanted {needle:?} in: {msg}");
}

#[test]
fn damaged_files_are_refused() {
    let (sc, study) = study(TOML, "t");
    let good = shard_text(&sc, &study, 2, 2);
    let file: ShardFile = serde_json::from_str(&good).unwrap();
    // An edit that passes the checksum, to reach the checks behind it.
    let edit = |f: &dyn Fn(&mut ShardFile)| {
        let mut c = file.clone();
        f(&mut c);
        c.seal();
        c.to_json()
    };

    // Cut short: in the middle of a number, or just before the end.
    corrupt(&good[..good.len() / 2], "damaged");
    corrupt(
        &good[..good.trim_end().len() - 1],
        "damaged shard file: it ends too soon (cut short?): EOF while parsing an object",
    );
    corrupt("", "it ends too soon");
    corrupt(
        "ccsim",
        "not a ccsim shard file, or a damaged one: expected value",
    );
    corrupt("[1, 2]", "not a ccsim shard file");
    corrupt(
        "{\"scope\": 1}",
        "not a ccsim shard file (it has no \"format\"",
    );
    // Format version 1 numbered shards from 0: refused, not read off by one.
    corrupt(
        &good.replace("\"format_version\": 2", "\"format_version\": 1"),
        "shard format version 1 is not supported: this ccsim",
    );
    corrupt(
        &good.replace("\"format_version\": 2", "\"format_version\": 3"),
        "shard format version 3 is not supported",
    );
    corrupt(
        &good.replace("\"seed\": 3", "\"seed\": \"3\""),
        "damaged shard file: invalid type",
    );
    corrupt(
        &good.replace("\"seed\": 3", "\"seed\": 3, \"extra\": 1"),
        "unknown field `extra`",
    );
    // Edited without the checksum following.
    let first_events = format!("\"events\":{},", file.results[0].events);
    assert!(good.contains(&first_events), "{good}");
    corrupt(
        &good.replacen(&first_events, "\"events\":1,", 1),
        "damaged shard file: its contents do not match its checksum",
    );
    corrupt(
        &good.replace("\"seed\": 3", "\"seed\": 4"),
        "its contents do not match its checksum",
    );
    // Replications that are not the shard's block.
    corrupt(
        &edit(&|f| f.results.truncate(1)),
        "its replications do not match its block: shard 2/2 of 5 replications holds 2 to 4, \
         the file has 2",
    );
    corrupt(&edit(&|f| f.results[1].index = 2), "the file has 2, 2, 4");
    corrupt(&edit(&|f| f.results.clear()), "the file has none");
    // A header that contradicts itself.
    corrupt(&edit(&|f| f.shard = 3), "damaged header");
    corrupt(
        &edit(&|f| f.shard = 0),
        "damaged header: 0/2: shards count from 1",
    );
    corrupt(&edit(&|f| f.shards = 0), "damaged header");
    corrupt(
        &edit(&|f| f.shards = 6),
        "damaged header: 6 shards for 5 replications",
    );
    // A scenario that does not load, or is not the fingerprinted one.
    corrupt(
        &edit(&|f| f.scenario = "[horizon".into()),
        "its scenario does not load: bad.json (its scenario)",
    );
    corrupt(
        &edit(&|f| f.scenario = f.scenario.replace("0.5", "0.7")),
        "its scenario does not match its fingerprint",
    );
    corrupt(
        &edit(&|f| f.scenario_name = "other".into()),
        "its scenario is named \"t\", its header says \"other\"",
    );
    // A replication of another shape.
    corrupt(
        &edit(&|f| {
            f.results[0].occupancy.pop();
        }),
        "replication 2 does not fit its scenario",
    );
    corrupt(
        &edit(&|f| {
            let mut cells = f.results[2].intervals.cells().to_vec();
            cells.pop();
            f.results[2].intervals = Grid::from_cells(1, cells).unwrap();
        }),
        "replication 4 does not fit its scenario",
    );
    // The untouched file reads.
    load(&good, "good.json");
}

/// Every prefix of a shard file, and every single-byte change to it, is
/// refused or reads as the very same contents (whitespace, say): never a
/// panic, never other figures.
#[test]
fn every_cut_and_every_changed_byte_is_caught() {
    let (sc, study) = study(TOML, "t");
    let good = shard_text(&sc, &study, 1, 5);
    let want = load(&good, "good");
    let whole = good.trim_end().len();
    for end in 0..whole {
        assert!(read(&good[..end], "cut").is_err(), "cut at {end} reads");
    }
    let bytes = good.as_bytes();
    for at in 0..bytes.len() {
        for b in [b' ', b'0', b'7', b'"', b'e', b'}', b'n', b'-'] {
            if b == bytes[at] {
                continue;
            }
            let mut changed = bytes.to_vec();
            changed[at] = b;
            let Ok(text) = std::str::from_utf8(&changed) else {
                continue;
            };
            if let Ok(got) = read(text, "changed") {
                assert_eq!(
                    (
                        serde_json::to_string(&got.file).unwrap(),
                        &got.file.checksum
                    ),
                    (
                        serde_json::to_string(&want.file).unwrap(),
                        &want.file.checksum
                    ),
                    "byte {at} set to {:?} reads as other contents",
                    b as char
                );
            }
        }
    }
}

/// A parser's message quotes what it read (an unknown key, say): the
/// control characters in it are escaped, never sent to the terminal.
#[test]
fn messages_quoting_a_file_escape_control_characters() {
    let (sc, study) = study(TOML, "t");
    let text = shard_text(&sc, &study, 1, 1).replacen('{', "{\"\\u001b[2J\": 1, ", 1);
    let e = read(&text, "f.json").unwrap_err().to_string();
    assert!(e.starts_with("f.json: "), "{e}");
    assert!(e.contains("\\u{1b}[2J"), "{e}");
    assert!(!e.contains('\u{1b}'), "{e:?}");
}

/// The study's events are summed with checked addition: two files each
/// possible alone, whose events together pass `u64::MAX`, are refused,
/// naming the file that passes it.
#[test]
fn events_that_overflow_over_the_study_are_refused() {
    let (sc, study) = study(TOML, "t");
    let texts: Vec<String> = (1..=2)
        .map(|i| {
            let mut f: ShardFile = serde_json::from_str(&shard_text(&sc, &study, i, 2)).unwrap();
            f.results[0].events = u64::MAX / 2;
            f.seal();
            f.to_json()
        })
        .collect();
    let e = merge_err(&[(&texts[0], "a/1"), (&texts[1], "a/2")]).to_string();
    assert!(
        e.starts_with(&format!(
            "a/2: impossible figures: replication {}: events {} bring the study's events past {}",
            sc.plan.replications / 2,
            u64::MAX / 2,
            u64::MAX
        )),
        "{e}"
    );
    // Alone, each file is possible.
    read(&texts[0], "a/1").unwrap();
}
