//! Figures and text no ccsim writes. The checksum only says a file is
//! whole: anyone can recompute it, so a forged or badly written file reads
//! as sealed. These checks refuse what a real run cannot give (a count of
//! 1e300, a rate of 1.5, calls that do not add up, an events total that
//! wraps) and text that would reach a terminal as control sequences, so
//! that a merge never reports or echoes them. The relations are those
//! `tests/invariants.rs` asserts of every run; keep the two in step.

use super::{ShardError, ShardFile};
use crate::model::Scenario;
use crate::results::{Metric, N_METRICS, Replication, Unit};

/// The largest count a figure holds exactly (counts are kept as `f64`).
const MAX_COUNT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Occupancy may pass 1 by rounding (busy and staffed time are sums).
const OCCUPANCY_SLACK: f64 = 1e-6;

/// Counts whose total is the sum of the queues' (as `tests/invariants.rs`).
const ADDITIVE: [Metric; 16] = [
    Metric::Offered,
    Metric::Answered,
    Metric::Abandoned,
    Metric::CallbacksOffered,
    Metric::CallbacksRequested,
    Metric::CallbacksCompleted,
    Metric::CallbacksUnreached,
    Metric::CallbacksExpired,
    Metric::CallbackAttempts,
    Metric::AnsweredWithinSl,
    Metric::FollowUpsCreated,
    Metric::FollowUpsCompleted,
    Metric::FollowUpsUnreached,
    Metric::Blocked,
    Metric::Balked,
    Metric::Redials,
];

/// Counts filed by the interval a call arrived in, so that a queue's
/// intervals add up to its day.
const BY_ARRIVAL: [Metric; 10] = [
    Metric::Offered,
    Metric::Answered,
    Metric::Abandoned,
    Metric::TimedOut,
    Metric::CallbacksCompleted,
    Metric::FollowUpsCreated,
    Metric::FollowUpsCompleted,
    Metric::Blocked,
    Metric::Balked,
    Metric::Redials,
];

/// The header's text fields are printable: they are echoed in messages.
/// The scenario's TOML text may have line breaks and tabs, nothing else.
pub(super) fn header_text(file: &ShardFile) -> Result<(), String> {
    for (field, text) in [
        ("format", &file.format),
        ("ccsim_version", &file.ccsim_version),
        ("ccsim_build", &file.ccsim_build),
        ("scenario_name", &file.scenario_name),
        ("fingerprint", &file.fingerprint),
        ("checksum", &file.checksum),
    ] {
        printable(field, text, false)?;
    }
    printable("scenario", &file.scenario, true)
}

/// The names a merge prints (scenario, queues, agent groups) are printable.
pub(super) fn names(sc: &Scenario) -> Result<(), String> {
    let m = &sc.model;
    printable("the scenario's name", m.name(), false)?;
    for q in m.queues() {
        printable("a queue's name", &q.name, false)?;
    }
    for g in m.groups() {
        printable("an agent group's name", &g.name, false)?;
    }
    Ok(())
}

/// Refuses a control character (or a bidirectional override, which
/// reorders what a terminal shows) in `text`, naming `field` and where,
/// never the character itself.
fn printable(field: &str, text: &str, lines: bool) -> Result<(), String> {
    let bad = text
        .char_indices()
        .find(|&(_, c)| !(is_printable(c) || lines && matches!(c, '\n' | '\r' | '\t')));
    match bad {
        None => Ok(()),
        Some((at, c)) => Err(format!(
            "{field} holds the {}control character U+{:04X} (at byte {at})",
            if c.is_control() { "" } else { "bidirectional " },
            c as u32
        )),
    }
}

fn is_printable(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Escapes control characters in a message built from a file's contents
/// (a parser's error quotes what it read), so that none reaches a terminal.
pub(super) fn escaped(message: String) -> String {
    if message.chars().all(|c| c == '\n' || is_printable(c)) {
        return message;
    }
    message
        .chars()
        .map(|c| {
            if c == '\n' || is_printable(c) {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

/// `total`'s additive counts are the sums of `queues`' (`place` says
/// whose, for the message).
fn total_of(
    queues: &[[f64; N_METRICS]],
    total: &[f64; N_METRICS],
    place: impl Fn() -> String,
) -> Result<(), String> {
    for metric in ADDITIVE {
        let sum: u128 = queues.iter().map(|m| count(m, metric)).sum();
        if sum != count(total, metric) {
            return Err(format!(
                "{}: total {} {} ≠ {sum}, the sum over its queues",
                place(),
                metric.name(),
                count(total, metric)
            ));
        }
    }
    Ok(())
}

/// Every figure of replication `r` is one a run of `sc` can give: each
/// scope's figures in range and balanced, the total the sum of the queues,
/// the intervals adding up to the day, occupancy in [0, 1], and `events`
/// and the peaks consistent with the calls. `r`'s shape is checked before.
pub(super) fn replication(sc: &Scenario, r: &Replication) -> Result<(), String> {
    let model = &sc.model;
    let rep = r.index;
    let queue = |q: usize| format!("{:?}", model.queues()[q].name);
    for (q, m) in r.queues.iter().enumerate() {
        scope(m, || format!("replication {rep}, queue {}", queue(q)))?;
    }
    scope(&r.total, || format!("replication {rep}, total"))?;
    total_of(&r.queues, &r.total, || format!("replication {rep}"))?;

    let intervals = r.interval_totals.len();
    for k in 0..intervals {
        for (q, m) in r.intervals.row(k).iter().enumerate() {
            scope(m, || {
                format!("replication {rep}, interval {k}, queue {}", queue(q))
            })?;
        }
        scope(&r.interval_totals[k], || {
            format!("replication {rep}, interval {k}, total")
        })?;
    }
    for k in 0..intervals {
        total_of(r.intervals.row(k), &r.interval_totals[k], || {
            format!("replication {rep}, interval {k}")
        })?;
    }
    for (q, day) in r.queues.iter().enumerate() {
        for metric in BY_ARRIVAL {
            let sum: u128 = (0..intervals)
                .map(|k| count(r.intervals.get(k, q), metric))
                .sum();
            if sum != count(day, metric) {
                return Err(format!(
                    "replication {rep}, queue {}: its intervals add up to {sum} {}, its day has {}",
                    queue(q),
                    metric.name(),
                    count(day, metric)
                ));
            }
        }
        // Callback work is filed by the interval it was connected in.
        let handled: u128 = (0..intervals)
            .map(|k| {
                let m = r.intervals.get(k, q);
                count(m, Metric::CallbacksHandled) + count(m, Metric::ScheduledHandled)
            })
            .sum();
        if handled != count(day, Metric::CallbacksCompleted) {
            return Err(format!(
                "replication {rep}, queue {}: callbacks_handled + scheduled_handled over its \
                 intervals = {handled} ≠ callbacks_completed {}",
                queue(q),
                count(day, Metric::CallbacksCompleted)
            ));
        }
    }

    let group = |g: usize| format!("{:?}", model.groups()[g].name);
    for (g, &occ) in r.occupancy.iter().enumerate() {
        occupancy(occ, || {
            format!("replication {rep}, agent group {}", group(g))
        })?;
    }
    for k in 0..intervals {
        for (g, &occ) in r.interval_occupancy.row(k).iter().enumerate() {
            occupancy(occ, || {
                format!("replication {rep}, interval {k}, agent group {}", group(g))
            })?;
        }
    }

    // Every call offered was an event (an arrival or a redial); every
    // contact in the system came in with one (at most two: a call and a
    // caller who will redial); every pending event was scheduled by one
    // (a handful each) or at the start (a few per queue and group).
    let events = u128::from(r.events);
    let offered = count(&r.total, Metric::Offered);
    if offered > events {
        return Err(format!(
            "replication {rep}: {offered} calls offered in {} events (each call is one)",
            r.events
        ));
    }
    if r.peak_contacts as u128 > 2 * events {
        return Err(format!(
            "replication {rep}: peak_contacts {} with {} events (at most two per event)",
            r.peak_contacts, r.events
        ));
    }
    let start = 4 * (model.queues().len() + model.groups().len()) as u128 + 64;
    if r.peak_events as u128 > 16 * events + start {
        return Err(format!(
            "replication {rep}: peak_events {} with {} events (at most {})",
            r.peak_events,
            r.events,
            16 * events + start
        ));
    }
    Ok(())
}

/// The sum of `events` over `reps`, refused when it passes `u64::MAX` (a
/// summary adds them up).
pub(super) fn events_total(
    start: u64,
    reps: &[Replication],
    origin: &str,
) -> Result<u64, ShardError> {
    reps.iter().try_fold(start, |sum, r| {
        sum.checked_add(r.events)
            .ok_or_else(|| ShardError::Corrupt {
                file: origin.to_string(),
                problem: format!(
                    "impossible figures: replication {}: events {} bring the study's events \
                 past {} (forged or damaged file)",
                    r.index,
                    r.events,
                    u64::MAX
                ),
            })
    })
}

/// A count already checked by [`scope`]: a whole number ≤ 2^53.
fn count(m: &[f64; N_METRICS], metric: Metric) -> u128 {
    m[metric.index()] as u128
}

/// One scope's figures (a queue's, the total's, or either in one
/// interval): counts whole and at most 2^53, rates in [0, 1], durations
/// not negative, and the balances of SPEC §5/§11.
fn scope(m: &[f64; N_METRICS], what: impl Fn() -> String) -> Result<(), String> {
    for metric in Metric::QUEUE {
        let x = m[metric.index()];
        let wrong = match metric.unit() {
            Unit::Count if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_COUNT) => {
                "is not a count"
            }
            Unit::Ratio if !(x.is_nan() || (0.0..=1.0).contains(&x)) => "is not within [0, 1]",
            Unit::Seconds if x < 0.0 => "is negative",
            _ => continue,
        };
        return Err(format!("{}: {} {} {wrong}", what(), metric.name(), num(x)));
    }
    let c = |metric: Metric| count(m, metric);
    let (offered, answered, abandoned) = (
        c(Metric::Offered),
        c(Metric::Answered),
        c(Metric::Abandoned),
    );
    let (requested, blocked, timed_out) = (
        c(Metric::CallbacksRequested),
        c(Metric::Blocked),
        c(Metric::TimedOut),
    );
    let ended = answered + abandoned + requested + blocked + timed_out;
    if ended != offered {
        return Err(format!(
            "{}: answered {answered} + abandoned {abandoned} + callbacks_requested {requested} \
             + blocked {blocked} + timed_out {timed_out} = {ended} ≠ offered {offered}",
            what()
        ));
    }
    let redials = c(Metric::Redials);
    let first = c(Metric::FirstAttempts);
    if redials > offered || first + redials != offered {
        return Err(format!(
            "{}: redials {redials} + first_attempts {first} ≠ offered {offered}",
            what()
        ));
    }
    for part in [
        Metric::AbandonedWithinSl,
        Metric::ShortAbandoned,
        Metric::Balked,
    ] {
        if c(part) > abandoned {
            return Err(format!(
                "{}: {} {} > abandoned {abandoned}",
                what(),
                part.name(),
                c(part)
            ));
        }
    }
    let (completed, unreached, expired, cb_abandoned) = (
        c(Metric::CallbacksCompleted),
        c(Metric::CallbacksUnreached),
        c(Metric::CallbacksExpired),
        c(Metric::CallbacksAbandoned),
    );
    let callbacks_ended = completed + unreached + expired + cb_abandoned;
    if callbacks_ended != requested {
        return Err(format!(
            "{}: callbacks_completed {completed} + callbacks_unreached {unreached} + \
             callbacks_expired {expired} + callbacks_abandoned {cb_abandoned} = \
             {callbacks_ended} ≠ callbacks_requested {requested}",
            what()
        ));
    }
    let cb_offered = c(Metric::CallbacksOffered);
    if requested > cb_offered {
        return Err(format!(
            "{}: callbacks_requested {requested} > callbacks_offered {cb_offered}",
            what()
        ));
    }
    let attempts = c(Metric::CallbackAttempts);
    if attempts < completed + unreached {
        return Err(format!(
            "{}: callback_attempts {attempts} < callbacks_completed {completed} + \
             callbacks_unreached {unreached}",
            what()
        ));
    }
    let (created, fu_completed, fu_unreached) = (
        c(Metric::FollowUpsCreated),
        c(Metric::FollowUpsCompleted),
        c(Metric::FollowUpsUnreached),
    );
    if fu_completed + fu_unreached != created {
        return Err(format!(
            "{}: follow_ups_completed {fu_completed} + follow_ups_unreached {fu_unreached} ≠ \
             follow_ups_created {created}",
            what()
        ));
    }
    if created > answered + completed {
        return Err(format!(
            "{}: follow_ups_created {created} > answered {answered} + callbacks_completed \
             {completed}",
            what()
        ));
    }
    let within = c(Metric::AnsweredWithinSl);
    if within > answered {
        return Err(format!(
            "{}: answered_within_sl {within} > answered {answered}",
            what()
        ));
    }
    // The rates computed from counts the file holds are those counts'.
    let short = c(Metric::ShortAbandoned);
    for (metric, over, under, text) in [
        (
            Metric::AbandonRate,
            abandoned,
            offered,
            "abandoned / offered",
        ),
        (
            Metric::ServiceLevel,
            within,
            answered + abandoned,
            "answered_within_sl / (answered + abandoned)",
        ),
        (
            Metric::SlOfAnswered,
            within,
            answered,
            "answered_within_sl / answered",
        ),
        (
            Metric::SlOfOffered,
            within,
            offered,
            "answered_within_sl / offered",
        ),
        (
            Metric::SlExcludingShort,
            within,
            (answered + abandoned).saturating_sub(short),
            "answered_within_sl / (answered + abandoned - short_abandoned)",
        ),
    ] {
        let x = m[metric.index()];
        let expected = if under == 0 {
            f64::NAN
        } else {
            over as f64 / under as f64
        };
        if !same_rate(x, expected) {
            return Err(format!(
                "{}: {} {} ≠ {text} = {over} / {under} = {}",
                what(),
                metric.name(),
                num(x),
                num(expected)
            ));
        }
    }
    // Without redials every call is a first attempt.
    if redials == 0 {
        for (first, all) in [
            (Metric::AbandonRateFirst, Metric::AbandonRate),
            (Metric::ServiceLevelFirst, Metric::ServiceLevel),
        ] {
            let (a, b) = (m[first.index()], m[all.index()]);
            if !same_rate(a, b) {
                return Err(format!(
                    "{}: no redials, yet {} {} ≠ {} {}",
                    what(),
                    first.name(),
                    num(a),
                    all.name(),
                    num(b)
                ));
            }
        }
    }
    Ok(())
}

/// Two rates equal but for rounding, or both undefined.
fn same_rate(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12
}

/// Occupancy: undefined (nobody staffed) or in [0, 1].
fn occupancy(occ: f64, what: impl Fn() -> String) -> Result<(), String> {
    if occ.is_nan() || (0.0..=1.0 + OCCUPANCY_SLACK).contains(&occ) {
        Ok(())
    } else {
        Err(format!(
            "{}: occupancy {} is not within [0, 1]",
            what(),
            num(occ)
        ))
    }
}

/// A figure for a message: whole numbers in full, others short (`1e300`,
/// not 301 digits).
fn num(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x}")
    } else if x.is_finite() && x != 0.0 && !(1e-4..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
