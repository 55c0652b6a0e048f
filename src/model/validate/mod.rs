//! Stage two of loading: ranges, cross-references, defaults and unit
//! conversion, from [`RawScenario`] to [`Scenario`].

mod callback;
mod checks;
mod dist;
mod planning;
mod realism;

use super::clock::DAY;
use super::error::{Check, KeyPath, Problem};
use super::raw::*;
use super::*;
use checks::{int32, name, non_negative, one_per_interval, opt_non_negative, positive};
use dist::by_interval;
use std::collections::HashSet;

const DEFAULT_INTERVAL: f64 = 1800.0;
const DEFAULT_SERVICE_LEVEL: f64 = 20.0;
/// Far above any real contact center; a larger rate is a typo (say, 1e308)
/// that would make a run that never ends.
const MAX_CALLS_PER_HOUR: f64 = 1e7;
/// The most agents a group's `staffing` may give in an interval.
const MAX_AGENTS: u32 = 10_000_000;

/// Whether a group's `staffing` may be left out: a file meant for
/// `ccsim staff` gives the search's bounds instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Staffing {
    Required,
    Optional,
}

pub(super) fn validate(raw: RawScenario, default_name: &str) -> Check<Scenario> {
    validate_with(raw, default_name, Staffing::Required)
}

pub(super) fn validate_with(
    mut raw: RawScenario,
    default_name: &str,
    need: Staffing,
) -> Check<Scenario> {
    let name = match raw.name {
        Some(n) if n.trim().is_empty() => {
            return Err(Problem::new(KeyPath::root("name"), "must not be empty"));
        }
        Some(n) => n,
        None => default_name.to_string(),
    };

    let run = KeyPath::root("run");
    let replications = raw
        .run
        .replications
        .unwrap_or(i64::from(RunPlan::DEFAULT_REPLICATIONS));
    if !(1..=i64::from(MAX_REPLICATIONS)).contains(&replications) {
        return Err(Problem::new(
            run.key("replications"),
            format!("must be a whole number from 1 to {MAX_REPLICATIONS}, got {replications}"),
        ));
    }
    let seed = raw.run.seed.unwrap_or(RunPlan::DEFAULT_SEED as i64);
    if seed < 0 {
        return Err(Problem::new(
            run.key("seed"),
            format!("must be at least 0, got {seed}"),
        ));
    }

    let busyness = match raw.horizon.as_mut().and_then(|h| h.busyness.take()) {
        None => None,
        Some(d) => Some(realism::busyness(
            d,
            &KeyPath::root("horizon").key("busyness"),
        )?),
    };
    let horizon = horizon(raw.horizon)?;
    let routes: Vec<Option<Vec<RawRoute>>> =
        raw.queues.iter_mut().map(|q| q.groups.take()).collect();
    let mut queues = queues(raw.queues, &horizon)?;
    let groups = groups(raw.agents, &queues, &horizon, need)?;
    for (q, route) in routes.into_iter().enumerate() {
        if let Some(route) = route {
            let path = KeyPath::root("queues").index(q).key("groups");
            queues[q].routing = Some(realism::routing(route, &path, q, &queues[q], &groups)?);
        }
    }

    // Callbacks routed to another queue wait for that queue's agents.
    for (q, queue) in queues.iter().enumerate() {
        if let Some(r) = queue.callback.as_ref().and_then(|cb| cb.route_to)
            && !groups.iter().any(|g| g.skills.contains(&r))
        {
            return Err(Problem::new(
                KeyPath::root("queues")
                    .index(q)
                    .key("callback")
                    .key("route_to"),
                format!(
                    "queue \"{}\" is in no agent group's skills: the callbacks routed to it could \
                     never be made",
                    queues[r].name
                ),
            ));
        }
    }
    let served_until = served_until(&queues, &groups, &horizon)?;
    Ok(Scenario {
        model: Model {
            name,
            horizon,
            queues,
            groups,
            served_until,
            busyness,
        },
        plan: RunPlan {
            replications: replications as u32,
            seed: seed as u64,
        },
    })
}

/// Per queue, the time from which nobody who serves it is staffed until
/// the end (the last interval's staffing stays on until the system is
/// empty); infinite when somebody is staffed in the last interval. A queue
/// that could still take calls then could never empty: that is an error.
/// Calls waiting when it comes (at the queue's close, say) are ended.
pub(super) fn served_until(
    queues: &[Queue],
    groups: &[AgentGroup],
    h: &Horizon,
) -> Check<Vec<f64>> {
    let mut out = Vec::with_capacity(queues.len());
    for (q, queue) in queues.iter().enumerate() {
        let serving: Vec<&AgentGroup> = groups.iter().filter(|g| g.skills.contains(&q)).collect();
        let until = h.served_until(|k| serving.iter().any(|g| g.staffing[k] > 0));
        let Some(last_call) = last_call(queue, h) else {
            out.push(until);
            continue; // nothing to serve
        };
        if serving.is_empty() {
            return Err(Problem::new(
                KeyPath::root("queues").index(q),
                format!(
                    "queue \"{}\" is in no agent group's skills: its calls could never be answered",
                    queue.name
                ),
            ));
        }
        if until < last_call
            || (until == last_call && matches!(queue.arrivals, Arrivals::Trace { .. }))
        {
            return Err(Problem::new(
                KeyPath::root("queues").index(q),
                format!(
                    "queue \"{}\" takes calls until {} but no agent who serves it is staffed from {} \
                     on (the last interval's staffing stays on until the system is empty): its calls \
                     would never be answered",
                    queue.name,
                    h.clock(last_call),
                    h.clock(until)
                ),
            ));
        }
        out.push(until);
    }
    Ok(out)
}

/// When a queue's last call can arrive: the end of the last stretch with a
/// positive rate while it is open, or its trace's last time; `None` when
/// it gets no calls.
fn last_call(queue: &Queue, h: &Horizon) -> Option<f64> {
    let (_, until) = queue.open_window(h);
    match &queue.arrivals {
        Arrivals::Poisson { rate } => (0..h.intervals)
            .rev()
            .find(|&k| rate[k] > 0.0 && queue.open_in(h, k) > 0.0)
            .map(|k| h.interval_end(k).min(until)),
        Arrivals::Trace { at } => at.last().copied(),
    }
}

fn horizon(raw: Option<RawHorizon>) -> Check<Horizon> {
    let path = KeyPath::root("horizon");
    let raw = raw.ok_or_else(|| {
        Problem::new(
            path.clone(),
            "missing [horizon] table: at least `open` is needed",
        )
    })?;
    let open = raw.open.ok_or_else(|| {
        Problem::new(
            path.key("open"),
            "missing: how long calls arrive, e.g. \"12h\"",
        )
    })?;
    let open = positive(open, &path.key("open"))?;
    let interval = match raw.interval {
        Some(d) => positive(d, &path.key("interval"))?,
        None => DEFAULT_INTERVAL,
    };
    let warmup = match raw.warmup {
        Some(d) => non_negative(d, &path.key("warmup"))?,
        None => 0.0,
    };
    if warmup >= open {
        return Err(Problem::new(
            path.key("warmup"),
            format!(
                "must be less than horizon.open ({}), or no call would be counted",
                format_duration(open)
            ),
        ));
    }
    // Durations like "1.1h" are not exact in binary: 1.1h / 6m must make 11
    // intervals, not 12 with a last one of 5e-13 s.
    let ratio = open / interval;
    let intervals = if (ratio - ratio.round()).abs() <= 1e-9 * ratio.max(1.0) {
        ratio.round().max(1.0)
    } else {
        ratio.ceil()
    };
    if intervals > 1e6 {
        return Err(Problem::new(
            path.key("interval"),
            format!("gives {intervals} intervals over the horizon; at most 1000000 are supported"),
        ));
    }
    let intervals = intervals as usize;
    let start = match raw.start {
        Some(c) => parse_clock(&c).map_err(|e| Problem::new(path.key("start"), e))?,
        None => 0.0,
    };
    if start >= DAY {
        return Err(Problem::new(
            path.key("start"),
            "must be a clock time before 24:00",
        ));
    }
    Ok(Horizon {
        open,
        interval,
        warmup,
        intervals,
        start,
    })
}

/// Checks a `[[queues]]` or `[[agents]]` list: present, within bounds, each
/// entry valid, names unique.
fn named_list<R, T>(
    raw: Vec<R>,
    key: &str,
    what: &str,
    mut each: impl FnMut(R, &KeyPath) -> Check<T>,
    name_of: impl Fn(&T) -> &str,
) -> Check<Vec<T>> {
    let path = KeyPath::root(key);
    if raw.is_empty() {
        return Err(Problem::new(
            path,
            format!("no [[{key}]]: a scenario needs at least one {what}"),
        ));
    }
    if raw.len() > u16::MAX as usize {
        return Err(Problem::new(path, format!("too many {key}")));
    }
    let mut names = HashSet::new();
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let at = path.index(i);
            let item = each(r, &at)?;
            if !names.insert(name_of(&item).to_string()) {
                return Err(Problem::new(
                    at.key("name"),
                    format!("{what} name \"{}\" is used twice", name_of(&item)),
                ));
            }
            Ok(item)
        })
        .collect()
}

/// Every queue's name and priority as the file gives them, for a
/// callback's `route_to`.
pub(super) type Lines = Vec<(Option<String>, Option<i64>)>;

fn queues(raw: Vec<RawQueue>, h: &Horizon) -> Check<Vec<Queue>> {
    let lines: Lines = raw.iter().map(|q| (q.name.clone(), q.priority)).collect();
    let queues = named_list(
        raw,
        "queues",
        "queue",
        |q, at| queue(q, at, h, &lines),
        |q| &q.name,
    )?;
    Ok(queues)
}

fn queue(mut raw: RawQueue, path: &KeyPath, h: &Horizon, lines: &Lines) -> Check<Queue> {
    let name = name(raw.name.take(), path, "queue")?;
    if name == "total" {
        return Err(Problem::new(
            path.key("name"),
            "\"total\" is reserved for the all-queues figures",
        ));
    }
    let priority = match raw.priority {
        Some(p) => int32(p, &path.key("priority"))?,
        None => 0,
    };
    let limits = realism::limits(&mut raw, path)?;
    let service_level = match raw.service_level {
        Some(d) => non_negative(d, &path.key("service_level"))?,
        None => DEFAULT_SERVICE_LEVEL,
    };
    let hours = raw
        .hours
        .map(|c| hours(&c, &path.key("hours"), h))
        .transpose()?;
    let arrivals = raw.arrivals.ok_or_else(|| {
        Problem::new(
            path.key("arrivals"),
            "missing: e.g. { per_hour = 120 } or { per_interval = [...] }",
        )
    })?;
    let window = hours.unwrap_or((0.0, h.open));
    let arrivals = arrival_process(arrivals, &path.key("arrivals"), h, window)?;
    let short_abandon = opt_non_negative(raw.short_abandon, &path.key("short_abandon"))?;
    let target = raw
        .target
        .map(|t| planning::target(t, &path.key("target")))
        .transpose()?;
    let handle_time = by_interval(
        raw.handle_time.ok_or_else(|| {
            Problem::new(
                path.key("handle_time"),
                "missing: e.g. { dist = \"exponential\", mean = \"300s\" }",
            )
        })?,
        &path.key("handle_time"),
        h,
    )?;
    let patience = match raw.patience {
        None | Some(RawPatience::None) => None,
        Some(RawPatience::Dist(d)) => Some(by_interval(d, &path.key("patience"), h)?),
    };
    let wrap_up = raw
        .wrap_up
        .map(|d| by_interval(d, &path.key("wrap_up"), h))
        .transpose()?;
    let callback = raw
        .callback
        .map(|c| callback::callback(c, &path.key("callback"), priority, (&name, lines)))
        .transpose()?;
    let follow_up = raw
        .follow_up
        .map(|f| callback::follow_up(f, &path.key("follow_up")))
        .transpose()?;
    Ok(Queue {
        name,
        priority,
        service_level,
        arrivals,
        handle_time,
        patience,
        wrap_up,
        callback,
        follow_up,
        hours,
        short_abandon,
        target,
        routing: None,
        capacity: limits.capacity,
        lines: limits.lines,
        max_wait: limits.max_wait,
        balk_probability: limits.balk_probability,
        redial: limits.redial,
        busyness: limits.busyness,
    })
}

/// A queue's `hours = ["08:00", "17:00"]`: clock times within the horizon,
/// as `[from, until)` in horizon time.
fn hours(clocks: &[String], path: &KeyPath, h: &Horizon) -> Check<(f64, f64)> {
    let [open, close] = clocks else {
        return Err(Problem::new(
            path.clone(),
            "must be two clock times, opening and closing, e.g. [\"08:00\", \"17:00\"]",
        ));
    };
    let at = |i: usize, c: &str| parse_clock(c).map_err(|e| Problem::new(path.index(i), e));
    let from = h.time_of_clock(at(0, open)?);
    let mut until = h.time_of_clock(at(1, close)?);
    if until <= from {
        until += DAY;
    }
    let window = format!("{}–{}", h.clock(0.0), h.clock(h.open));
    if from >= h.open {
        return Err(Problem::new(
            path.index(0),
            format!("opens at {open}, outside the horizon ({window})"),
        ));
    }
    if until > h.open + 1e-6 {
        return Err(Problem::new(
            path.index(1),
            format!("closes at {close}, after the horizon ends ({window})"),
        ));
    }
    Ok((from, until.min(h.open)))
}

fn arrival_process(
    raw: RawArrivals,
    path: &KeyPath,
    h: &Horizon,
    (from, until): (f64, f64),
) -> Check<Arrivals> {
    let forms = [
        raw.per_hour.is_some(),
        raw.per_interval.is_some(),
        raw.at.is_some(),
    ];
    if forms.iter().filter(|&&f| f).count() != 1 {
        return Err(Problem::new(
            path.clone(),
            "give exactly one of per_hour, per_interval or at (a list of arrival times)",
        ));
    }
    if let Some(v) = raw.per_hour {
        if !(0.0..=MAX_CALLS_PER_HOUR).contains(&v) {
            return Err(Problem::new(
                path.key("per_hour"),
                format!(
                    "must be a number of calls from 0 to {}, got {}",
                    format_number(MAX_CALLS_PER_HOUR),
                    format_number(v)
                ),
            ));
        }
        return Ok(Arrivals::Poisson {
            rate: vec![v / 3600.0; h.intervals],
        });
    }
    if let Some(list) = raw.per_interval {
        let p = path.key("per_interval");
        one_per_interval(list.len(), &p, h)?;
        let rate = list
            .iter()
            .enumerate()
            .map(|(k, &v)| {
                // The interval's calls arrive while the queue is open.
                let length = h.interval_end(k).min(until) - h.interval_start(k).max(from);
                if length <= 0.0 {
                    return if v == 0.0 {
                        Ok(0.0)
                    } else {
                        Err(Problem::new(
                            p.index(k),
                            format!(
                                "{} calls in the interval at {}, when the queue is closed (hours \
                                 {}–{})",
                                format_number(v),
                                h.interval_clock(k),
                                h.clock(from),
                                h.clock(until)
                            ),
                        ))
                    };
                }
                if !(v >= 0.0 && v / length * 3600.0 <= MAX_CALLS_PER_HOUR) {
                    return Err(Problem::new(
                        p.index(k),
                        format!(
                            "must be a number of calls from 0 to {} per hour \
                             of interval, got {}",
                            format_number(MAX_CALLS_PER_HOUR),
                            format_number(v)
                        ),
                    ));
                }
                Ok(v / length)
            })
            .collect::<Check<Vec<f64>>>()?;
        return Ok(Arrivals::Poisson { rate });
    }
    let p = path.key("at");
    let at: Vec<f64> = raw.at.unwrap_or_default().iter().map(|d| d.0).collect();
    for (i, &t) in at.iter().enumerate() {
        if !(t.is_finite() && t >= 0.0 && t < h.open) {
            return Err(Problem::new(
                p.index(i),
                format!(
                    "must be a time from 0 to before horizon.open ({}), got {}",
                    format_duration(h.open),
                    format_number(t)
                ),
            ));
        }
        if t < from || t >= until {
            return Err(Problem::new(
                p.index(i),
                format!(
                    "a call at {} is outside the queue's hours ({}–{})",
                    h.clock(t),
                    h.clock(from),
                    h.clock(until)
                ),
            ));
        }
        if i > 0 && t < at[i - 1] {
            return Err(Problem::new(
                p.index(i),
                "arrival times must be in increasing order",
            ));
        }
    }
    Ok(Arrivals::Trace { at })
}

fn groups(
    raw: Vec<RawAgents>,
    queues: &[Queue],
    h: &Horizon,
    need: Staffing,
) -> Check<Vec<AgentGroup>> {
    named_list(
        raw,
        "agents",
        "agent group",
        |g, at| group(g, at, queues, h, need),
        |g| &g.name,
    )
}

fn group(
    g: RawAgents,
    gp: &KeyPath,
    queues: &[Queue],
    h: &Horizon,
    need: Staffing,
) -> Check<AgentGroup> {
    let name = name(g.name.clone(), gp, "agent group")?;
    let sp = gp.key("skills");
    let listed = g.skills.clone().ok_or_else(|| {
        Problem::new(
            sp.clone(),
            "missing: the names of the queues this group serves",
        )
    })?;
    if listed.is_empty() {
        return Err(Problem::new(sp, "must name at least one queue"));
    }
    let mut skills = Vec::with_capacity(listed.len());
    for (k, s) in listed.iter().enumerate() {
        let q = queues.iter().position(|q| &q.name == s).ok_or_else(|| {
            let known: Vec<&str> = queues.iter().map(|q| q.name.as_str()).collect();
            Problem::new(
                sp.index(k),
                format!("names no queue: {s:?} (queues are {known:?})"),
            )
        })?;
        if skills.contains(&q) {
            return Err(Problem::new(
                sp.index(k),
                format!("queue {s:?} is listed twice"),
            ));
        }
        skills.push(q);
    }
    let plan = planning::group_planning(&g, gp, h)?;
    let (reserve, absence) = realism::group_keys(g.reserve, g.absence, skills.len(), gp)?;
    let staffing_given = g.staffing.is_some();
    let staffing = match g.staffing {
        // Left to `ccsim staff`: a placeholder within its bounds.
        None if need == Staffing::Optional => plan.min.iter().map(|&n| n.max(1)).collect(),
        given => staffing(given, &gp.key("staffing"), h)?,
    };
    Ok(AgentGroup {
        name,
        skills,
        staffing,
        staffing_given,
        shrinkage: plan.shrinkage,
        cost: plan.cost,
        min_staffing: plan.min,
        max_staffing: plan.max,
        reserve,
        absence,
    })
}

pub(super) fn staffing(raw: Option<RawStaffing>, path: &KeyPath, h: &Horizon) -> Check<Vec<u32>> {
    let agents = |v: i64, p: KeyPath| {
        u32::try_from(v)
            .ok()
            .filter(|&n| n <= MAX_AGENTS)
            .ok_or_else(|| {
                Problem::new(
                    p,
                    format!("must be a whole number of agents from 0 to {MAX_AGENTS}, got {v}"),
                )
            })
    };
    match raw {
        None => Err(Problem::new(
            path.clone(),
            "missing: agents on shift, a number or a list with one per interval",
        )),
        Some(RawStaffing::Constant(n)) => Ok(vec![agents(n, path.clone())?; h.intervals]),
        Some(RawStaffing::PerInterval(list)) => {
            one_per_interval(list.len(), path, h)?;
            list.iter()
                .enumerate()
                .map(|(k, &n)| agents(n, path.index(k)))
                .collect()
        }
    }
}
