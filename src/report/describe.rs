//! What a scenario holds, in words, for `ccsim check`: the horizon in
//! clock time, each queue's volume, load, distributions, hours and
//! callback policy, each agent group's staffing, and the warnings of
//! [`crate::warnings`].

use super::count;
use crate::model::{
    AtClose, ByInterval, CallbackMode, Dist, Horizon, Model, Owner, Position, Scenario,
    format_duration,
};
use crate::warnings::{trigger_words, warnings};
use crate::workload::{Workload, format_bytes};
use std::fmt::Write;

/// `lo to hi`, or one number when they agree.
fn range(values: impl Iterator<Item = u32> + Clone) -> String {
    let lo = values.clone().min().unwrap_or(0);
    let hi = values.max().unwrap_or(0);
    if lo == hi {
        format!("{lo}")
    } else {
        format!("{lo} to {hi}")
    }
}

/// What a scenario holds, for `ccsim check`.
pub fn describe_scenario(scenario: &Scenario) -> String {
    let sc = &scenario.model;
    let h = sc.horizon();
    let mut out = String::new();
    let _ = writeln!(out, "scenario \"{}\": valid", sc.name());
    let _ = writeln!(
        out,
        "  run: {}, seed {}",
        count(scenario.plan.replications as usize, "replication"),
        scenario.plan.seed
    );
    let work = Workload::of(sc);
    let _ = writeln!(
        out,
        "  work: about {} calls and {} events a replication (~{} on one core); its figures take \
         {} a replication and {} for the summary",
        count_words(work.calls),
        count_words(work.events),
        seconds_words(work.seconds()),
        format_bytes(work.replication_bytes),
        format_bytes(work.summary_bytes),
    );
    let _ = writeln!(
        out,
        "  horizon: calls arrive {}–{} ({}), {} intervals of {}, warm-up {}",
        h.clock(0.0),
        h.clock(h.open),
        format_duration(h.open),
        h.intervals,
        format_duration(h.interval),
        format_duration(h.warmup)
    );
    if let Some(b) = sc.busyness() {
        let _ = writeln!(
            out,
            "  busyness: every queue's day volume {}",
            busyness_words(b)
        );
    }
    for q in 0..sc.queues().len() {
        describe_queue(&mut out, sc, q);
        describe_limits(&mut out, sc, q);
    }
    for g in sc.groups() {
        let skills: Vec<&str> = g
            .skills
            .iter()
            .map(|&q| sc.queues()[q].name.as_str())
            .collect();
        let mut extra = String::new();
        if g.reserve > 0 {
            extra.push_str(&format!(
                "; keeps {} idle for \"{}\" (takes other work only while more are idle)",
                count(g.reserve as usize, "agent"),
                skills[0]
            ));
        }
        if g.absence > 0.0 {
            extra.push_str(&format!(
                "; each agent absent for the day with p={}",
                g.absence
            ));
        }
        let _ = writeln!(
            out,
            "  agent group \"{}\": {} agents, skills {skills:?}{extra}",
            g.name,
            range(g.staffing.iter().copied())
        );
    }
    for w in warnings(sc) {
        let _ = writeln!(out, "warning: queue \"{}\": {}", w.queue, w.message);
    }
    out
}

/// A large count rounded for people: "56,000", "2.4 million".
fn count_words(n: f64) -> String {
    if n >= 999_500.0 {
        format!("{:.1} million", n / 1e6)
    } else if n >= 1e4 {
        format!("{:.0},000", (n / 1e3).round())
    } else {
        format!("{n:.0}")
    }
}

/// A rough duration: "0.2 s", "40 s", "3.5 h".
fn seconds_words(s: f64) -> String {
    if s < 0.1 {
        "under 0.1 s".to_string()
    } else if s < 10.0 {
        format!("{s:.1} s")
    } else if s < 600.0 {
        format!("{s:.0} s")
    } else if s < 36_000.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// A busyness factor in words: "×1 ± 20% (gamma)": its mean, its sd as a
/// share of the mean, and its family (its parameters are factors, not
/// durations).
fn busyness_words(d: &Dist) -> String {
    format!(
        "×{} ± {:.0}% ({})",
        d.mean(),
        d.sd() / d.mean() * 100.0,
        d.family()
    )
}

/// SPEC §11's additions to a queue, one line each: its routing order,
/// limits, balking, redials and own busyness.
fn describe_limits(out: &mut String, sc: &Model, q: usize) {
    let queue = &sc.queues()[q];
    if let Some(order) = &queue.routing {
        let steps: Vec<String> = order
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let name = &sc.groups()[r.group].name;
                if r.after > 0.0 {
                    format!("\"{name}\" after {}", format_duration(r.after))
                } else if i == 0 {
                    format!("\"{name}\" first")
                } else {
                    format!("then \"{name}\"")
                }
            })
            .collect();
        let _ = writeln!(out, "    routing: {}", steps.join("; "));
    }
    let mut limits = Vec::new();
    if let Some(k) = queue.capacity {
        limits.push(format!("at most {k} holding (more get a busy signal)"));
    }
    if let Some(l) = queue.lines {
        limits.push(format!(
            "{} (holding or talking; more get a busy signal)",
            count(l as usize, "line")
        ));
    }
    if let Some(m) = queue.max_wait {
        limits.push(format!("voicemail after {} on hold", format_duration(m)));
    }
    if !limits.is_empty() {
        let _ = writeln!(out, "    limits: {}", limits.join("; "));
    }
    if queue.balk_probability > 0.0 {
        let _ = writeln!(
            out,
            "    balking: {}% of callers who find no agent free hang up at once",
            queue.balk_probability * 100.0
        );
    }
    if let Some(r) = &queue.redial {
        let _ = writeln!(
            out,
            "    redials: {}% of abandoned and blocked callers call again after {}, at most {} time(s)",
            r.probability * 100.0,
            r.delay.describe(),
            r.max
        );
    }
    if let Some(b) = &queue.busyness {
        let _ = writeln!(out, "    busyness: day volume {}", busyness_words(b));
    }
}

/// A distribution for the day, or one per interval: consecutive intervals
/// with the same distribution as one clock range, as in
/// `by interval: 08:00–12:00 exponential(mean 5m); 12:00–18:00 lognormal(…)`.
fn describe_by_interval(d: &ByInterval<Dist>, h: &Horizon) -> String {
    let ByInterval::PerInterval(list) = d else {
        return d.at(0).describe();
    };
    let words: Vec<String> = list.iter().map(Dist::describe).collect();
    let mut runs = Vec::new();
    let mut from = 0;
    for k in 1..=words.len() {
        if k == words.len() || words[k] != words[from] {
            runs.push(format!(
                "{}–{} {}",
                h.interval_clock(from),
                h.clock(h.interval_end(k - 1)),
                words[from]
            ));
            from = k;
        }
    }
    format!("by interval: {}", runs.join("; "))
}

fn describe_queue(out: &mut String, sc: &Model, q: usize) {
    let h = sc.horizon();
    let queue = &sc.queues()[q];
    let calls = queue.expected_calls(h);
    let (from, until) = queue.open_window(h);
    let open = until - from;
    let load = calls * queue.mean_agent_time(h) / open;
    let _ = writeln!(
        out,
        "  queue \"{}\" (priority {}):",
        queue.name, queue.priority
    );
    if queue.hours.is_some() {
        let _ = writeln!(out, "    hours: {}–{}", h.clock(from), h.clock(until));
    }
    let _ = writeln!(
        out,
        "    arrivals: {calls:.0} calls expected ({:.1}/h on average while open), offered load {load:.1} Erlangs",
        calls / open * 3600.0
    );
    let by_interval: Vec<f64> = (0..h.intervals)
        .map(|k| queue.expected_calls_in(h, k))
        .collect();
    // The first interval with the most calls, unless all have as many.
    let peak = by_interval
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, &f64)>, (k, v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((k, v)),
        });
    let flat = by_interval.iter().all(|v| v == &by_interval[0]);
    if let Some((k, peak)) = peak.filter(|_| !flat) {
        let _ = writeln!(
            out,
            "    busiest interval: {} ({peak:.0} calls expected)",
            h.interval_clock(k)
        );
    }
    let _ = writeln!(
        out,
        "    handle time: {}",
        describe_by_interval(&queue.handle_time, h)
    );
    let _ = writeln!(
        out,
        "    patience: {}",
        queue
            .patience
            .as_ref()
            .map_or("none (callers never abandon)".to_string(), |d| {
                describe_by_interval(d, h)
            })
    );
    if let Some(w) = &queue.wrap_up {
        let _ = writeln!(out, "    wrap-up: {}", describe_by_interval(w, h));
    }
    let _ = writeln!(
        out,
        "    service level threshold: {}{}",
        format_duration(queue.service_level),
        if queue.short_abandon > 0.0 {
            format!(
                ", short abandon within {}",
                format_duration(queue.short_abandon)
            )
        } else {
            String::new()
        }
    );
    let serving: Vec<String> = sc.groups_serving()[q]
        .iter()
        .map(|&g| {
            let g = &sc.groups()[g];
            format!("\"{}\" ({})", g.name, range(g.staffing.iter().copied()))
        })
        .collect();
    let _ = writeln!(out, "    served by: {}", serving.join(", "));
    match &queue.callback {
        None => {
            let _ = writeln!(out, "    callbacks: not offered");
        }
        Some(cb) => {
            let position = match cb.position {
                Position::Keep => "keeps the caller's place",
                Position::Back => "joins the back of the line",
            };
            let _ = writeln!(
                out,
                "    callbacks: offered {}, accepted with p={}, {position}, priority {}",
                trigger_words(cb.trigger),
                cb.accept_probability,
                cb.priority
            );
            let _ = writeln!(
                out,
                "      {} attempt(s), reach p={}, retry after {}, first eligible after {}{}",
                cb.max_attempts,
                cb.reach_probability,
                format_duration(cb.retry_delay),
                format_duration(cb.initial_delay),
                cb.expire_after.map_or(String::new(), |e| format!(
                    ", expire after {}",
                    format_duration(e)
                ))
            );
            let close = h.clock(until);
            if let Some(before) = cb.no_offer_before_close {
                let _ = writeln!(
                    out,
                    "      no offer in the last {} before the queue closes at {close}",
                    format_duration(before)
                );
            }
            if cb.mode == CallbackMode::CustomerFirst {
                let _ = writeln!(
                    out,
                    "      customer-first: the system dials; a customer who answers holds for an agent ({})",
                    cb.answered_patience.as_ref().map_or(
                        "until one comes".to_string(),
                        |d| format!("patience {}", d.describe())
                    )
                );
            }
            if let Some(sch) = &cb.scheduled {
                let cap = if sch.capacity == u32::MAX {
                    "no limit per window".to_string()
                } else {
                    format!(
                        "at most {} per {}",
                        sch.capacity,
                        format_duration(sch.window)
                    )
                };
                let _ = writeln!(
                    out,
                    "      {:.0}% pick a time: {} after the request; {cap}",
                    sch.share * 100.0,
                    sch.delay.describe()
                );
            }
            if let Some(r) = cb.route_to {
                let _ = writeln!(
                    out,
                    "      callbacks wait in queue \"{}\" (its agents make them; they count here)",
                    sc.queues()[r].name
                );
            }
            if cb.at_close == AtClose::Expire {
                let _ = writeln!(out, "      callbacks still pending at {close} expire");
            }
        }
    }
    if let Some(f) = &queue.follow_up {
        let owner = match f.owner {
            Owner::Agent => format!(
                "reserved for the agent who took the call for {}, then anyone's",
                format_duration(f.owner_timeout)
            ),
            Owner::Any => "for any agent of the queue".to_string(),
        };
        let _ = writeln!(
            out,
            "    follow-ups: {}% of answered calls and completed callbacks, due {} after the call; {owner}",
            f.probability * 100.0,
            f.delay.describe()
        );
        let _ = writeln!(
            out,
            "      {} attempt(s), reach p={}, retry after {}; talk {}",
            f.max_attempts,
            f.reach_probability,
            format_duration(f.retry_delay),
            f.handle_time
                .as_ref()
                .map_or("as the queue's calls".to_string(), |d| d.describe())
        );
    }
}
