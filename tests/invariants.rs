//! Library-level invariants of the engine (SPEC §2, §5, §7): every call and
//! every callback ends exactly one way, ratios stay in range, replications are
//! deterministic, and a callback offer nobody accepts changes nothing but
//! `callbacks_offered`.

use ccsim::Scenario;
use ccsim::engine::{run_replications, simulate};
use ccsim::results::{Metric, Replication, Scope, Summary};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios/*.toml found");
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(text: &str, origin: &str) -> Scenario {
    Scenario::from_toml(text, origin, "test").unwrap_or_else(|e| panic!("{origin}: {e}\n{text}"))
}

fn idx(name: &str) -> usize {
    Metric::from_name(name)
        .unwrap_or_else(|| panic!("metric {name} missing"))
        .index()
}

/// Checks the invariants of one scope's metrics in one replication; returns
/// a description of every violation.
fn scope_violations(what: &str, m: &[f64]) -> Vec<String> {
    let v = |n: &str| m[idx(n)];
    let mut bad = Vec::new();
    let (offered, answered, abandoned) = (v("offered"), v("answered"), v("abandoned"));
    let requested = v("callbacks_requested");
    let timed_out = v("timed_out");
    let blocked = v("blocked");
    let (completed, unreached, expired) = (
        v("callbacks_completed"),
        v("callbacks_unreached"),
        v("callbacks_expired"),
    );
    if offered != answered + abandoned + requested + blocked + timed_out {
        bad.push(format!(
            "{what}: offered {offered} != answered {answered} + abandoned {abandoned} + \
             callbacks_requested {requested} + blocked {blocked} + timed_out {timed_out}"
        ));
    }
    // Without redials every call is a first attempt.
    if v("redials") == 0.0 {
        for (first, all) in [
            ("abandon_rate_first", "abandon_rate"),
            ("service_level_first", "service_level"),
        ] {
            if v(first).to_bits() != v(all).to_bits() {
                bad.push(format!(
                    "{what}: no redials, yet {first} {} != {all} {}",
                    v(first),
                    v(all)
                ));
            }
        }
    }
    if v("redials") > offered || v("first_attempts") != offered - v("redials") {
        bad.push(format!(
            "{what}: redials {} and first_attempts {} do not add up to offered {offered}",
            v("redials"),
            v("first_attempts")
        ));
    }
    for part in ["abandoned_within_sl", "short_abandoned", "balked"] {
        if v(part) > abandoned {
            bad.push(format!(
                "{what}: {part} {} > abandoned {abandoned}",
                v(part)
            ));
        }
    }
    let cb_abandoned = v("callbacks_abandoned");
    if requested != completed + unreached + expired + cb_abandoned {
        bad.push(format!(
            "{what}: callbacks_requested {requested} != completed {completed} + unreached {unreached} \
             + expired {expired} + abandoned {cb_abandoned}"
        ));
    }
    let (created, fu_completed, fu_unreached) = (
        v("follow_ups_created"),
        v("follow_ups_completed"),
        v("follow_ups_unreached"),
    );
    if created != fu_completed + fu_unreached {
        bad.push(format!(
            "{what}: follow_ups_created {created} != completed {fu_completed} + unreached {fu_unreached}"
        ));
    }
    if created > answered + completed {
        bad.push(format!(
            "{what}: follow_ups_created {created} > answered {answered} + callbacks_completed {completed}"
        ));
    }
    let within = v("answered_within_sl");
    if within > answered || within.is_nan() {
        bad.push(format!(
            "{what}: answered_within_sl {within} > answered {answered}"
        ));
    }
    let rate = v("abandon_rate");
    if offered > 0.0 {
        if !(0.0..=1.0).contains(&rate) {
            bad.push(format!("{what}: abandon_rate {rate} not in [0, 1]"));
        }
    } else if !(rate.is_nan() || rate == 0.0) {
        bad.push(format!("{what}: abandon_rate {rate} with nothing offered"));
    }
    let sl = v("service_level");
    if !(sl.is_nan() || (0.0..=1.0).contains(&sl)) {
        bad.push(format!("{what}: service_level {sl} not in [0, 1]"));
    }
    let cb_offered = v("callbacks_offered");
    if requested > cb_offered {
        bad.push(format!(
            "{what}: callbacks_requested {requested} > callbacks_offered {cb_offered}"
        ));
    }
    let attempts = v("callback_attempts");
    if attempts < completed + unreached {
        bad.push(format!(
            "{what}: callback_attempts {attempts} < completed {completed} + unreached {unreached}"
        ));
    }
    for (def, x) in Metric::QUEUE.iter().zip(m) {
        if *x < 0.0 {
            bad.push(format!("{what}: {} is negative ({x})", def.name()));
        }
    }
    bad
}

/// Every invariant of one replication: per queue, total, the total as the sum
/// of the queues for counts, and the per-interval balance.
fn replication_violations(sc: &Scenario, r: &Replication) -> Vec<String> {
    let mut bad = Vec::new();
    let rep = r.index;
    for (q, m) in r.queues.iter().enumerate() {
        let what = format!("replication {rep}, queue {:?}", sc.model.queues()[q].name);
        bad.extend(scope_violations(&what, m));
    }
    bad.extend(scope_violations(
        &format!("replication {rep}, total"),
        &r.total,
    ));
    for name in [
        "offered",
        "answered",
        "abandoned",
        "callbacks_offered",
        "callbacks_requested",
        "callbacks_completed",
        "callbacks_unreached",
        "callbacks_expired",
        "callback_attempts",
        "answered_within_sl",
        "follow_ups_created",
        "follow_ups_completed",
        "follow_ups_unreached",
        "blocked",
        "balked",
        "redials",
    ] {
        let sum: f64 = r.queues.iter().map(|m| m[idx(name)]).sum();
        if sum != r.total[idx(name)] {
            bad.push(format!(
                "replication {rep}: total {name} {} != sum over queues {sum}",
                r.total[idx(name)]
            ));
        }
    }
    // Every interval's calls balance on their own, and the intervals add
    // up to the day.
    let nq = sc.model.queues().len();
    let intervals = sc.model.horizon().intervals;
    assert_eq!(r.intervals.cells().len(), intervals * nq);
    assert_eq!(r.interval_totals.len(), intervals);
    for k in 0..intervals {
        for q in 0..nq {
            let what = format!(
                "replication {rep}, interval {k} queue {:?}",
                sc.model.queues()[q].name
            );
            bad.extend(scope_violations(&what, r.intervals.get(k, q)));
        }
        bad.extend(scope_violations(
            &format!("replication {rep}, interval {k} total"),
            &r.interval_totals[k],
        ));
    }
    for name in [
        "offered",
        "answered",
        "abandoned",
        "timed_out",
        "callbacks_completed",
        "follow_ups_created",
        "follow_ups_completed",
        "blocked",
        "balked",
        "redials",
    ] {
        for q in 0..nq {
            let by_interval: f64 = (0..intervals)
                .map(|k| r.intervals.get(k, q)[idx(name)])
                .sum();
            if by_interval != r.queues[q][idx(name)] {
                bad.push(format!(
                    "replication {rep}, queue {:?}: intervals sum to {by_interval} {name}, the day has {}",
                    sc.model.queues()[q].name,
                    r.queues[q][idx(name)]
                ));
            }
        }
    }
    // Callback work handled, filed by the interval it is connected in,
    // adds up to the day's callbacks completed (`tests/handled.rs`).
    for q in 0..nq {
        let handled: f64 = (0..intervals)
            .map(|k| {
                let m = r.intervals.get(k, q);
                m[idx("callbacks_handled")] + m[idx("scheduled_handled")]
            })
            .sum();
        let completed = r.queues[q][idx("callbacks_completed")];
        if handled != completed {
            bad.push(format!(
                "replication {rep}, queue {:?}: {handled} callbacks handled by interval, {completed} completed",
                sc.model.queues()[q].name
            ));
        }
    }
    // What a merge checks of every replication in a shard file holds of
    // every real one.
    if let Err(e) = ccsim::shard::check_figures(sc, r) {
        bad.push(format!("refused by shard::check_figures: {e}"));
    }
    for (g, &occ) in r.occupancy.iter().enumerate() {
        if !(occ.is_nan() || (0.0..=1.0 + 1e-9).contains(&occ)) {
            bad.push(format!(
                "replication {rep}, group {:?}: occupancy {occ}",
                sc.model.groups()[g].name
            ));
        }
    }
    bad
}

/// Bit-level identity of two replications (`Replication: PartialEq` treats
/// an undefined `NaN` figure as different from itself). The `Debug` form
/// prints every field with round-trip precision.
fn same_replication(a: &Replication, b: &Replication) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

// ------------------------------------------------------------------ (1)

#[test]
fn every_scenario_file_balances_in_every_replication() {
    let mut bad = Vec::new();
    for path in scenario_files() {
        let origin = path.display().to_string();
        let sc = parse(&read(&path), &origin);
        let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
        assert_eq!(reps.len(), sc.plan.replications as usize, "{origin}");
        for (i, r) in reps.iter().enumerate() {
            assert_eq!(r.index as usize, i, "{origin}: replications out of order");
            assert!(r.total[idx("offered")] > 0.0, "{origin}: no call offered");
            bad.extend(
                replication_violations(&sc, r)
                    .into_iter()
                    .map(|v| format!("{origin}: {v}")),
            );
        }
    }
    assert!(
        bad.is_empty(),
        "{} violations:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

// ------------------------------------------------------------------ (2)

/// Durations in the file syntax: a bare number of seconds, or a string with
/// a unit.
#[derive(Clone, Debug)]
enum Dur {
    Secs(u32),
    SecsStr(u32),
    Mins(u32),
    Float(f64),
}

impl Dur {
    fn toml(&self) -> String {
        match self {
            Dur::Secs(s) => s.to_string(),
            Dur::SecsStr(s) => format!("\"{s}s\""),
            Dur::Mins(m) => format!("\"{m}m\""),
            Dur::Float(x) => format!("{x:?}"),
        }
    }

    fn secs(&self) -> f64 {
        match self {
            Dur::Secs(s) | Dur::SecsStr(s) => f64::from(*s),
            Dur::Mins(m) => f64::from(*m) * 60.0,
            Dur::Float(x) => *x,
        }
    }
}

/// A duration of about `lo..=hi` seconds, in any of the syntaxes.
fn dur(lo: u32, hi: u32) -> impl Strategy<Value = Dur> {
    let mins = (lo.div_ceil(60)..=(hi / 60).max(lo.div_ceil(60))).prop_map(Dur::Mins);
    prop_oneof![
        (lo..=hi).prop_map(Dur::Secs),
        (lo..=hi).prop_map(Dur::SecsStr),
        mins,
        (f64::from(lo)..=f64::from(hi)).prop_map(Dur::Float),
    ]
}

/// A positive duration of about `lo..=hi` seconds (`lo > 0`).
fn pos_dur(lo: u32, hi: u32) -> impl Strategy<Value = Dur> {
    assert!(lo > 0);
    dur(lo, hi)
}

/// One of the 8 distribution families with sane parameters, as an inline table.
fn dist(max_mean: u32) -> impl Strategy<Value = String> {
    let m = max_mean.max(2);
    prop_oneof![
        pos_dur(1, m)
            .prop_map(|mean| format!("{{ dist = \"exponential\", mean = {} }}", mean.toml())),
        (pos_dur(1, m), pos_dur(1, m)).prop_map(|(mean, sd)| format!(
            "{{ dist = \"lognormal\", mean = {}, sd = {} }}",
            mean.toml(),
            sd.toml()
        )),
        (pos_dur(1, m), pos_dur(1, m)).prop_map(|(mean, sd)| format!(
            "{{ dist = \"gamma\", mean = {}, sd = {} }}",
            mean.toml(),
            sd.toml()
        )),
        (0.5f64..4.0, pos_dur(1, m)).prop_map(|(shape, scale)| format!(
            "{{ dist = \"weibull\", shape = {shape:?}, scale = {} }}",
            scale.toml()
        )),
        (0..=m / 2, 0..=m / 2).prop_map(|(a, b)| format!(
            "{{ dist = \"uniform\", min = {a}, max = \"{}s\" }}",
            a + b
        )),
        dur(0, m).prop_map(|v| format!("{{ dist = \"constant\", value = {} }}", v.toml())),
        (1u32..=5, pos_dur(1, m)).prop_map(|(k, mean)| format!(
            "{{ dist = \"erlang\", k = {k}, mean = {} }}",
            mean.toml()
        )),
        prop::collection::vec(dur(0, m), 1..=5).prop_map(|vs| format!(
            "{{ dist = \"empirical\", values = [{}] }}",
            vs.iter().map(Dur::toml).collect::<Vec<_>>().join(", ")
        )),
    ]
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::of(s).boxed()
}

/// A probability, with the edges 0 and 1 well represented.
fn probability() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0]
}

#[derive(Clone, Debug)]
struct CallbackGen {
    trigger: String,
    accept: Option<f64>,
    position: Option<&'static str>,
    priority: Option<i32>,
    initial_delay: Option<Dur>,
    reach: Option<f64>,
    max_attempts: Option<u32>,
    retry_delay: Option<Dur>,
    dial_time: Option<String>,
    handle_time: Option<String>,
    expire_after: Option<Dur>,
    platform: PlatformGen,
}

/// SPEC §10's keys of a callback table: as the platforms run callbacks.
#[derive(Clone, Debug)]
struct PlatformGen {
    customer_first: bool,
    answered_patience: Option<String>,
    no_offer_before_close: Option<Dur>,
    at_close_expire: Option<bool>,
    /// share, delay, window, capacity
    scheduled: Option<(f64, String, Dur, Option<u32>)>,
}

fn platform_gen() -> impl Strategy<Value = PlatformGen> {
    (
        any::<bool>(),
        opt(dist(120)),
        opt(dur(0, 3600)),
        opt(any::<bool>()),
        opt((probability(), dist(7200), pos_dur(60, 3600), opt(1u32..=5))),
    )
        .prop_map(
            |(
                customer_first,
                answered_patience,
                no_offer_before_close,
                at_close_expire,
                scheduled,
            )| {
                PlatformGen {
                    customer_first,
                    answered_patience,
                    no_offer_before_close,
                    at_close_expire,
                    scheduled,
                }
            },
        )
}

fn callback_gen() -> impl Strategy<Value = CallbackGen> {
    let trigger = prop_oneof![
        dur(0, 300).prop_map(|d| format!("offer_after = {}", d.toml())),
        dur(0, 300).prop_map(|d| format!("offer_if_ewt_over = {}", d.toml())),
        (0u32..=5).prop_map(|n| format!("offer_if_callers_ahead = {n}")),
    ];
    (
        trigger,
        opt(probability()),
        opt(prop_oneof![Just("keep"), Just("back")]),
        opt(-2i32..=2),
        opt(dur(0, 900)),
        opt(probability()),
        opt(1u32..=3),
        opt(dur(0, 900)),
        opt(dist(60)),
        opt(dist(400)),
        (opt(pos_dur(30, 3600)), platform_gen()),
    )
        .prop_map(
            |(
                trigger,
                accept,
                position,
                priority,
                initial_delay,
                reach,
                max_attempts,
                retry_delay,
                dial_time,
                handle_time,
                (expire_after, platform),
            )| CallbackGen {
                trigger,
                accept,
                position,
                priority,
                initial_delay,
                reach,
                max_attempts,
                retry_delay,
                dial_time,
                handle_time,
                expire_after,
                platform,
            },
        )
}

#[derive(Clone, Debug)]
enum Arrivals {
    PerHour(f64),
    PerInterval(Vec<u32>),
}

#[derive(Clone, Debug)]
struct QueueGen {
    priority: Option<i32>,
    service_level: Option<Dur>,
    arrivals: Arrivals,
    handle_time: String,
    patience: Option<String>,
    patience_none_explicit: bool,
    wrap_up: Option<String>,
    callback: Option<CallbackGen>,
    follow_up: Option<FollowUpGen>,
    limits: LimitsGen,
}

/// SPEC §11's limits, balking and redials of a queue.
#[derive(Clone, Debug)]
struct LimitsGen {
    /// `groups`: every serving group, in file order or reversed, the ones
    /// after the first with this delay (seconds).
    route: Option<(bool, u32)>,
    capacity: Option<u32>,
    lines: Option<u32>,
    max_wait: Option<Dur>,
    balk_probability: Option<f64>,
    /// probability, delay, max
    redial: Option<(f64, String, Option<u32>)>,
}

fn limits_gen() -> impl Strategy<Value = LimitsGen> {
    (
        opt((any::<bool>(), 0u32..=120)),
        opt(0u32..=4),
        opt(1u32..=8),
        opt(pos_dur(1, 600)),
        opt(probability()),
        opt((probability(), dist(1800), opt(1u32..=3))),
    )
        .prop_map(
            |(route, capacity, lines, max_wait, balk_probability, redial)| LimitsGen {
                route,
                capacity,
                lines,
                max_wait,
                balk_probability,
                redial,
            },
        )
}

/// A `[queues.follow_up]` table (SPEC §10).
#[derive(Clone, Debug)]
struct FollowUpGen {
    probability: f64,
    delay: String,
    /// `Some(timeout)`: owner = "agent", with `owner_timeout` if given.
    owner_agent: Option<Option<Dur>>,
    reach: Option<f64>,
    max_attempts: Option<u32>,
    retry_delay: Option<Dur>,
    dial_time: Option<String>,
    handle_time: Option<String>,
}

fn follow_up_gen() -> impl Strategy<Value = FollowUpGen> {
    (
        probability(),
        dist(3600),
        opt(opt(dur(0, 3600))),
        opt(probability()),
        opt(1u32..=3),
        opt(dur(0, 900)),
        opt(dist(60)),
        opt(dist(400)),
    )
        .prop_map(
            |(
                probability,
                delay,
                owner_agent,
                reach,
                max_attempts,
                retry_delay,
                dial_time,
                handle_time,
            )| FollowUpGen {
                probability,
                delay,
                owner_agent,
                reach,
                max_attempts,
                retry_delay,
                dial_time,
                handle_time,
            },
        )
}

fn queue_gen(intervals: usize) -> impl Strategy<Value = QueueGen> {
    let arrivals = prop_oneof![
        (10.0f64..300.0).prop_map(Arrivals::PerHour),
        prop::collection::vec(0u32..=80, intervals).prop_map(Arrivals::PerInterval),
    ];
    (
        opt(-1i32..=1),
        opt(dur(0, 90)),
        arrivals,
        dist(400),
        opt(dist(400)),
        any::<bool>(),
        opt(dist(60)),
        opt(callback_gen()),
        opt(follow_up_gen()),
        limits_gen(),
    )
        .prop_map(
            |(
                priority,
                service_level,
                arrivals,
                handle_time,
                patience,
                patience_none_explicit,
                wrap_up,
                callback,
                follow_up,
                limits,
            )| QueueGen {
                priority,
                service_level,
                arrivals,
                handle_time,
                patience,
                patience_none_explicit,
                wrap_up,
                callback,
                follow_up,
                limits,
            },
        )
}

#[derive(Clone, Debug)]
struct GroupGen {
    /// Bit q set: serves queue q (fixed up to be non-empty and cover every queue).
    skills: u32,
    /// `reserve` (written only for groups with two skills or more) and `absence`.
    reserve: Option<u32>,
    absence: Option<f64>,
    /// One per interval.
    staffing: Vec<u32>,
    /// Written as a single number (the last interval's) for every interval.
    constant: bool,
}

#[derive(Clone, Debug)]
struct ScenarioGen {
    replications: u32,
    seed: u32,
    interval_min: u32,
    /// Length of the last interval, minutes (1..=interval_min).
    last_min: u32,
    warmup_min: u32,
    queues: Vec<QueueGen>,
    groups: Vec<GroupGen>,
    /// `[horizon] busyness`.
    busyness: Option<&'static str>,
}

fn scenario_gen() -> impl Strategy<Value = ScenarioGen> {
    (1usize..=6, 1usize..=3, 1usize..=4, 5u32..=20).prop_flat_map(
        |(intervals, nq, ng, interval_min)| {
            let group = (
                1u32..(1 << nq),
                prop::collection::vec(0u32..=5, intervals),
                any::<bool>(),
                opt(0u32..=3),
                opt(0.0f64..0.6),
            )
                .prop_map(|(skills, staffing, constant, reserve, absence)| GroupGen {
                    skills,
                    staffing,
                    constant,
                    reserve,
                    absence,
                });
            (
                1u32..=3,
                0u32..10_000,
                Just(interval_min),
                1..=interval_min,
                0..=interval_min,
                prop::collection::vec(queue_gen(intervals), nq),
                prop::collection::vec(group, ng),
                opt(prop_oneof![
                    Just("{ dist = \"gamma\", mean = 1, sd = 0.3 }"),
                    Just("{ dist = \"uniform\", min = 0, max = 2 }"),
                    Just("{ dist = \"constant\", value = 1.5 }"),
                ]),
            )
                .prop_map(
                    |(
                        replications,
                        seed,
                        interval_min,
                        last_min,
                        warmup_min,
                        queues,
                        groups,
                        busyness,
                    )| {
                        ScenarioGen {
                            busyness,
                            replications,
                            seed,
                            interval_min,
                            last_min,
                            warmup_min,
                            queues,
                            groups,
                        }
                    },
                )
        },
    )
}

impl ScenarioGen {
    fn intervals(&self) -> usize {
        self.groups[0].staffing.len()
    }

    /// The scenario as TOML text, after fixing skills and staffing so that
    /// every queue is served and has an agent in the last interval.
    fn toml(&self) -> String {
        let nq = self.queues.len();
        let ni = self.intervals();
        let mut groups = self.groups.clone();
        for g in &mut groups {
            g.skills &= (1 << nq) - 1;
            if g.skills == 0 {
                g.skills = 1;
            }
            if g.constant {
                let n = g.staffing[ni - 1];
                g.staffing = vec![n; ni];
            }
        }
        let ng = groups.len();
        for q in 0..nq {
            if !groups.iter().any(|g| g.skills & (1 << q) != 0) {
                groups[q % ng].skills |= 1 << q;
            }
            if groups
                .iter()
                .all(|g| g.skills & (1 << q) == 0 || g.staffing[ni - 1] == 0)
            {
                let g = groups
                    .iter_mut()
                    .find(|g| g.skills & (1 << q) != 0)
                    .unwrap();
                if g.constant {
                    g.staffing = vec![1; ni];
                } else {
                    g.staffing[ni - 1] = 1;
                }
            }
        }

        let open_min = self.interval_min * (ni as u32 - 1) + self.last_min;
        let warmup_min = self.warmup_min.min(open_min - 1);
        let mut s = String::new();
        let w = &mut s;
        writeln!(w, "name = \"generated\"").unwrap();
        writeln!(
            w,
            "[run]\nreplications = {}\nseed = {}",
            self.replications, self.seed
        )
        .unwrap();
        writeln!(
            w,
            "[horizon]\nopen = \"{open_min}m\"\ninterval = \"{}m\"\nwarmup = \"{warmup_min}m\"",
            self.interval_min
        )
        .unwrap();
        if let Some(b) = self.busyness {
            writeln!(w, "busyness = {b}").unwrap();
        }
        for (q, queue) in self.queues.iter().enumerate() {
            writeln!(w, "\n[[queues]]\nname = \"q{q}\"").unwrap();
            if let Some(p) = queue.priority {
                writeln!(w, "priority = {p}").unwrap();
            }
            if let Some(d) = &queue.service_level {
                writeln!(w, "service_level = {}", d.toml()).unwrap();
            }
            match &queue.arrivals {
                Arrivals::PerHour(r) => writeln!(w, "arrivals = {{ per_hour = {r:?} }}").unwrap(),
                Arrivals::PerInterval(v) => writeln!(
                    w,
                    "arrivals = {{ per_interval = [{}] }}",
                    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                )
                .unwrap(),
            }
            writeln!(w, "handle_time = {}", queue.handle_time).unwrap();
            match (&queue.patience, queue.patience_none_explicit) {
                (Some(d), _) => writeln!(w, "patience = {d}").unwrap(),
                (None, true) => writeln!(w, "patience = \"none\"").unwrap(),
                (None, false) => {}
            }
            if let Some(d) = &queue.wrap_up {
                writeln!(w, "wrap_up = {d}").unwrap();
            }
            let l = &queue.limits;
            if let Some((reverse, after)) = l.route {
                let mut serving: Vec<usize> = (0..groups.len())
                    .filter(|&g| groups[g].skills & (1 << q) != 0)
                    .collect();
                if reverse {
                    serving.reverse();
                }
                let list: Vec<String> = serving
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        let after = if i == 0 { 0 } else { after };
                        format!("{{ group = \"g{g}\", after = {after} }}")
                    })
                    .collect();
                writeln!(w, "groups = [{}]", list.join(", ")).unwrap();
            }
            if let Some(k) = l.capacity {
                writeln!(w, "capacity = {k}").unwrap();
            }
            if let Some(n) = l.lines {
                writeln!(w, "lines = {n}").unwrap();
            }
            if let Some(d) = &l.max_wait {
                writeln!(w, "max_wait = {}", d.toml()).unwrap();
            }
            if let Some(p) = l.balk_probability {
                writeln!(w, "balk_probability = {p:?}").unwrap();
            }
            if let Some((p, delay, max)) = &l.redial {
                // An inline table: the queue's other tables follow.
                let max = max.map_or(String::new(), |m| format!(", max = {m}"));
                writeln!(
                    w,
                    "redial = {{ probability = {p:?}, delay = {delay}{max} }}"
                )
                .unwrap();
            }
            if let Some(cb) = &queue.callback {
                writeln!(w, "[queues.callback]\n{}", cb.trigger).unwrap();
                if let Some(p) = cb.accept {
                    writeln!(w, "accept_probability = {p:?}").unwrap();
                }
                if let Some(p) = cb.position {
                    writeln!(w, "position = \"{p}\"").unwrap();
                }
                if let Some(p) = cb.priority {
                    writeln!(w, "priority = {p}").unwrap();
                }
                if let Some(d) = &cb.initial_delay {
                    writeln!(w, "initial_delay = {}", d.toml()).unwrap();
                }
                attempt_keys(
                    w,
                    (cb.reach, cb.max_attempts, &cb.retry_delay),
                    (&cb.dial_time, &cb.handle_time),
                );
                if let Some(d) = &cb.expire_after {
                    // Validation wants it longer than the initial delay.
                    let delay = cb.initial_delay.as_ref().map_or(0.0, Dur::secs);
                    if d.secs() > delay {
                        writeln!(w, "expire_after = {}", d.toml()).unwrap();
                    } else {
                        writeln!(w, "expire_after = {:?}", delay + d.secs()).unwrap();
                    }
                }
                let p = &cb.platform;
                if p.customer_first {
                    writeln!(w, "mode = \"customer_first\"").unwrap();
                    if let Some(d) = &p.answered_patience {
                        writeln!(w, "answered_patience = {d}").unwrap();
                    }
                }
                if let Some(d) = &p.no_offer_before_close {
                    writeln!(w, "no_offer_before_close = {}", d.toml()).unwrap();
                }
                if let Some(e) = p.at_close_expire {
                    let v = if e { "expire" } else { "serve" };
                    writeln!(w, "at_close = \"{v}\"").unwrap();
                }
                if let Some((share, delay, window, cap)) = &p.scheduled {
                    writeln!(w, "[queues.callback.scheduled]").unwrap();
                    writeln!(
                        w,
                        "share = {share:?}\ndelay = {delay}\nwindow = {}",
                        window.toml()
                    )
                    .unwrap();
                    if let Some(c) = cap {
                        writeln!(w, "capacity = {c}").unwrap();
                    }
                }
            }
            if let Some(f) = &queue.follow_up {
                writeln!(
                    w,
                    "[queues.follow_up]\nprobability = {:?}\ndelay = {}",
                    f.probability, f.delay
                )
                .unwrap();
                if let Some(timeout) = &f.owner_agent {
                    writeln!(w, "owner = \"agent\"").unwrap();
                    if let Some(d) = timeout {
                        writeln!(w, "owner_timeout = {}", d.toml()).unwrap();
                    }
                }
                attempt_keys(
                    w,
                    (f.reach, f.max_attempts, &f.retry_delay),
                    (&f.dial_time, &f.handle_time),
                );
            }
        }
        for (g, group) in groups.iter().enumerate() {
            let skills: Vec<String> = (0..nq)
                .filter(|q| group.skills & (1 << q) != 0)
                .map(|q| format!("\"q{q}\""))
                .collect();
            writeln!(
                w,
                "\n[[agents]]\nname = \"g{g}\"\nskills = [{}]",
                skills.join(", ")
            )
            .unwrap();
            if let Some(r) = group.reserve
                && skills.len() > 1
            {
                writeln!(w, "reserve = {r}").unwrap();
            }
            if let Some(a) = group.absence {
                writeln!(w, "absence = {a:?}").unwrap();
            }
            if group.constant {
                writeln!(w, "staffing = {}", group.staffing[0]).unwrap();
            } else {
                let list: Vec<String> = group.staffing.iter().map(u32::to_string).collect();
                writeln!(w, "staffing = [{}]", list.join(", ")).unwrap();
            }
        }
        s
    }
}

/// The keys a callback and a follow-up table share: how their attempts go
/// and how long the conversation is.
fn attempt_keys(
    w: &mut String,
    (reach, max_attempts, retry_delay): (Option<f64>, Option<u32>, &Option<Dur>),
    (dial_time, handle_time): (&Option<String>, &Option<String>),
) {
    if let Some(p) = reach {
        writeln!(w, "reach_probability = {p:?}").unwrap();
    }
    if let Some(n) = max_attempts {
        writeln!(w, "max_attempts = {n}").unwrap();
    }
    if let Some(d) = retry_delay {
        writeln!(w, "retry_delay = {}", d.toml()).unwrap();
    }
    if let Some(d) = dial_time {
        writeln!(w, "dial_time = {d}").unwrap();
    }
    if let Some(d) = handle_time {
        writeln!(w, "handle_time = {d}").unwrap();
    }
}

fn proptest_config() -> Config {
    Config {
        cases: 64,
        rng_seed: RngSeed::Fixed(0x00cc_5117),
        // Keep the repository clean: shrunk failures are printed, not saved.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn random_valid_scenarios_balance_and_are_deterministic(g in scenario_gen()) {
        let text = g.toml();
        let sc = match Scenario::from_toml(&text, "generated.toml", "generated") {
            Ok(sc) => sc,
            Err(e) => return Err(TestCaseError::fail(format!("generated scenario rejected: {e}\n{text}"))),
        };
        prop_assert_eq!(sc.plan.replications, g.replications);
        let parallel = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
        prop_assert_eq!(parallel.len(), sc.plan.replications as usize);
        for (i, from_pool) in parallel.iter().enumerate() {
            let a = simulate(&sc.model, sc.plan.seed, i as u32).unwrap();
            let b = simulate(&sc.model, sc.plan.seed, i as u32).unwrap();
            prop_assert!(same_replication(&a, &b),
                "replication {} differs between two runs\n{:?}\n{:?}\n{}", i, a, b, text);
            prop_assert!(same_replication(&a, from_pool),
                "replication {} differs between simulate and run_replications\n{}", i, text);
            let bad = replication_violations(&sc, &a);
            prop_assert!(bad.is_empty(), "{}\n{}", bad.join("\n"), text);
        }
    }
}

// ------------------------------------------------------------------ (3)

/// The file's text with its `[queues.callback]` table (up to the next table
/// header) removed.
fn without_callback_table(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut removed = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("[queues.callback]") {
            skipping = true;
            removed = true;
            continue;
        }
        if skipping && t.starts_with('[') {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(removed, "no [queues.callback] table found");
    assert!(!out.contains("accept_probability"));
    out
}

fn with_accept_zero(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("accept_probability") {
                "accept_probability = 0".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    let out = lines.join("\n") + "\n";
    assert_ne!(out, text, "no accept_probability line to replace");
    out
}

fn accept_zero_equals_no_callbacks(file: &str) {
    let text = read(&scenarios_dir().join(file));
    let zero = parse(&with_accept_zero(&text), &format!("{file} (accept 0)"));
    let none = parse(
        &without_callback_table(&text),
        &format!("{file} (no callback)"),
    );
    assert!(zero.model.queues().iter().any(|q| q.callback.is_some()));
    assert!(none.model.queues().iter().all(|q| q.callback.is_none()));
    assert_eq!(zero.plan.seed, none.plan.seed);
    assert_eq!(zero.plan.replications, none.plan.replications);

    let a = run_replications(&zero.model, &zero.plan, &|| {}).unwrap();
    let b = run_replications(&none.model, &none.plan, &|| {}).unwrap();
    assert_eq!(a.len(), b.len());
    let cbo = idx("callbacks_offered");
    let same = |x: f64, y: f64| x.to_bits() == y.to_bits();
    let mut bad = Vec::new();
    for (ra, rb) in a.iter().zip(&b) {
        let rep = ra.index;
        assert_eq!(rep, rb.index);
        let scopes = zero
            .model
            .queues()
            .iter()
            .map(|q| q.name.as_str())
            .zip(ra.queues.iter().zip(&rb.queues))
            .chain(std::iter::once(("total", (&ra.total, &rb.total))));
        for (scope, (ma, mb)) in scopes {
            for (m, def) in Metric::QUEUE.iter().enumerate() {
                if m == cbo {
                    if mb[m] != 0.0 {
                        bad.push(format!(
                            "replication {rep}, {scope}: {} callbacks offered without a callback table",
                            mb[m]
                        ));
                    }
                } else if !same(ma[m], mb[m]) {
                    bad.push(format!(
                        "replication {rep}, {scope}: {} = {} with accept_probability 0, {} without callbacks",
                        def.name(), ma[m], mb[m]
                    ));
                }
            }
        }
        if ra.total[cbo] <= 0.0 {
            bad.push(format!(
                "replication {rep}: no callback offered with accept_probability 0 (the comparison proves nothing)"
            ));
        }
        for (g, (x, y)) in ra.occupancy.iter().zip(&rb.occupancy).enumerate() {
            if !same(*x, *y) {
                bad.push(format!(
                    "replication {rep}, group {:?}: occupancy {x} vs {y}",
                    zero.model.groups()[g].name
                ));
            }
        }
        for (cell, (x, y)) in ra
            .intervals
            .cells()
            .iter()
            .zip(rb.intervals.cells())
            .enumerate()
        {
            for (m, (a, b)) in x.iter().zip(y).enumerate() {
                if m != cbo && !same(*a, *b) {
                    bad.push(format!(
                        "replication {rep}, interval cell {cell}: {} {a} vs {b}",
                        Metric::QUEUE[m].name()
                    ));
                }
            }
        }
    }
    // The summaries follow, but check them too: they are what users read.
    let sa = Summary::new(&zero.model, zero.plan.seed, &a);
    let sb = Summary::new(&none.model, none.plan.seed, &b);
    for m in Metric::QUEUE {
        let (x, y) = (sa.estimate(Scope::Total, m), sb.estimate(Scope::Total, m));
        if m != Metric::CallbacksOffered && !same(x.unwrap().mean, y.unwrap().mean) {
            bad.push(format!("summary total {}: {x:?} vs {y:?}", m.name()));
        }
    }
    assert!(
        bad.is_empty(),
        "{file}: {} differences:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn accept_probability_zero_matches_no_callback_table_retail_day() {
    accept_zero_equals_no_callbacks("retail-day.toml");
}

#[test]
fn accept_probability_zero_matches_no_callback_table_two_skills() {
    accept_zero_equals_no_callbacks("two-skills.toml");
}

/// SPEC §10: customer-first with every attempt answered and no dial time
/// is agent-first, figure for figure, replication for replication; with
/// unanswered attempts it spares the agents' time and still balances.
#[test]
fn customer_first_with_every_attempt_answered_is_agent_first() {
    let text = read(&scenarios_dir().join("retail-day.toml"));
    let load = |sets: &[&str]| {
        let overrides: Vec<ccsim::model::Override> =
            sets.iter().map(|s| s.parse().unwrap()).collect();
        Scenario::from_toml_with(&text, "retail-day.toml", "retail-day", &overrides).unwrap()
    };
    let exact = [
        "queues.care.callback.reach_probability=1",
        "queues.care.callback.dial_time=",
        "run.replications=6",
    ];
    let agent = load(&exact);
    let mut cf = exact.to_vec();
    cf.push("queues.care.callback.mode=customer_first");
    let customer = load(&cf);
    let a = run_replications(&agent.model, &agent.plan, &|| {}).unwrap();
    let b = run_replications(&customer.model, &customer.plan, &|| {}).unwrap();
    let made: f64 = a.iter().map(|r| r.total[idx("callbacks_completed")]).sum();
    assert!(made > 20.0, "too few callbacks to compare: {made}");
    for (x, y) in a.iter().zip(&b) {
        let (mut x, mut y) = (x.clone(), y.clone());
        x.events = 0;
        y.events = 0;
        assert!(same_replication(&x, &y), "replication {} differs", x.index);
    }
    // 30% of attempts unanswered, 20 s dialing: agents spend nothing on
    // them customer-first, and every callback still ends one way.
    let real = [
        "queues.care.callback.reach_probability=0.7",
        "run.replications=6",
        "queues.care.callback.answered_patience={ dist = \"exponential\", mean = \"30s\" }",
    ];
    let agent = load(&real[..2]);
    let mut cf = real.to_vec();
    cf.push("queues.care.callback.mode=customer_first");
    let customer = load(&cf);
    let a = run_replications(&agent.model, &agent.plan, &|| {}).unwrap();
    let b = run_replications(&customer.model, &customer.plan, &|| {}).unwrap();
    for r in a.iter().chain(&b) {
        assert!(replication_violations(&customer, r).is_empty());
    }
    let occ =
        |reps: &[ccsim::results::Replication]| reps.iter().map(|r| r.occupancy[0]).sum::<f64>();
    assert!(occ(&b) < occ(&a), "customer-first should spare agent time");
    let abandoned: f64 = b.iter().map(|r| r.total[idx("callbacks_abandoned")]).sum();
    assert!(abandoned > 0.0, "no customer hung up on hold");
}
