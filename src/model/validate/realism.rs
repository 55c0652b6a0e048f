//! SPEC §11's keys: a queue's limits (`capacity`, `lines`, `max_wait`),
//! balking, redials and routing order, the day's busyness, and an agent
//! group's `reserve` and `absence`.

use super::super::error::{Check, KeyPath, Problem};
use super::super::raw::{RawDist, RawQueue, RawRedial, RawRoute};
use super::checks::{non_negative, positive, probability};
use super::dist::dist;
use crate::model::{AgentGroup, Dist, Queue, Redial, Route, format_number};

/// A queue's limits and balking, as read from its table.
pub(super) struct Limits {
    pub capacity: Option<u32>,
    pub lines: Option<u32>,
    pub max_wait: Option<f64>,
    pub balk_probability: f64,
    pub redial: Option<Redial>,
    pub busyness: Option<Dist>,
}

/// Most callers, lines or redials a key may give: far above any center.
const MOST: i64 = 10_000_000;

fn count(v: Option<i64>, path: &KeyPath, least: i64, what: &str) -> Check<Option<u32>> {
    match v {
        None => Ok(None),
        Some(n) if (least..=MOST).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(Problem::new(
            path.clone(),
            format!("must be a whole number of {what} from {least} to {MOST}, got {n}"),
        )),
    }
}

/// Reads a queue's `capacity`, `lines`, `max_wait`, `balk_probability`,
/// `[redial]` and `arrivals.busyness`.
pub(super) fn limits(raw: &mut RawQueue, path: &KeyPath) -> Check<Limits> {
    let capacity = count(raw.capacity, &path.key("capacity"), 0, "callers")?;
    let lines = count(raw.lines, &path.key("lines"), 1, "lines")?;
    let max_wait = raw
        .max_wait
        .map(|d| positive(d, &path.key("max_wait")))
        .transpose()?;
    let balk_probability = match raw.balk_probability {
        None => 0.0,
        p => probability(p, &path.key("balk_probability"))?,
    };
    let redial = raw
        .redial
        .take()
        .map(|r| redial(r, &path.key("redial")))
        .transpose()?;
    let busyness = match raw.arrivals.as_mut().and_then(|a| a.busyness.take()) {
        None => None,
        Some(_) if raw.arrivals.as_ref().is_some_and(|a| a.at.is_some()) => {
            return Err(Problem::new(
                path.key("arrivals").key("busyness"),
                "scales Poisson rates (per_hour, per_interval), not a trace of times",
            ));
        }
        Some(d) => Some(busyness(d, &path.key("arrivals").key("busyness"))?),
    };
    Ok(Limits {
        capacity,
        lines,
        max_wait,
        balk_probability,
        redial,
        busyness,
    })
}

fn redial(raw: RawRedial, path: &KeyPath) -> Check<Redial> {
    let p = path.key("probability");
    let probability = probability(
        Some(raw.probability.ok_or_else(|| {
            Problem::new(
                p.clone(),
                "missing: the share of abandoned and blocked callers who call again, e.g. 0.5",
            )
        })?),
        &p,
    )?;
    let delay = dist(
        raw.delay.ok_or_else(|| {
            Problem::new(
                path.key("delay"),
                "missing: the time until they call again, e.g. { dist = \"exponential\", mean = \"20m\" }",
            )
        })?,
        &path.key("delay"),
    )?;
    let max = count(raw.max, &path.key("max"), 1, "redials")?.unwrap_or(1);
    Ok(Redial {
        probability,
        delay,
        max,
    })
}

/// A busyness factor's distribution: any family, mean 1 or not (a busy
/// season is a mean above 1), but never negative.
pub(super) fn busyness(raw: RawDist, path: &KeyPath) -> Check<Dist> {
    let d = dist(raw, path)?;
    if !(d.mean() > 0.0 && d.mean().is_finite()) {
        return Err(Problem::new(
            path.clone(),
            format!("must have a positive mean, got {}", format_number(d.mean())),
        ));
    }
    Ok(d)
}

/// Resolves a queue's `groups` list against the agent groups: each names a
/// group that serves the queue, once.
pub(super) fn routing(
    raw: Vec<RawRoute>,
    path: &KeyPath,
    q: usize,
    queue: &Queue,
    groups: &[AgentGroup],
) -> Check<Vec<Route>> {
    if raw.is_empty() {
        return Err(Problem::new(
            path.clone(),
            "must name at least one group; leave it out for every group with the skill",
        ));
    }
    let mut out: Vec<Route> = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        let at = path.index(i);
        let name = r
            .group
            .ok_or_else(|| Problem::new(at.key("group"), "missing: the name of an agent group"))?;
        let g = groups.iter().position(|g| g.name == name).ok_or_else(|| {
            let known: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            Problem::new(
                at.key("group"),
                format!("names no agent group: {name:?} (groups are {known:?})"),
            )
        })?;
        if !groups[g].skills.contains(&q) {
            return Err(Problem::new(
                at.key("group"),
                format!(
                    "group {name:?} does not serve queue {:?}: add it to the group's skills",
                    queue.name
                ),
            ));
        }
        if out.iter().any(|r| r.group == g) {
            return Err(Problem::new(
                at.key("group"),
                format!("group {name:?} is listed twice"),
            ));
        }
        let after = r
            .after
            .map(|d| non_negative(d, &at.key("after")))
            .transpose()?
            .unwrap_or(0.0);
        out.push(Route { group: g, after });
    }
    // Every group with the skill is in the list: which one a left-out
    // group would come after is the planner's decision, not ours.
    for (g, group) in groups.iter().enumerate() {
        if group.skills.contains(&q) && !out.iter().any(|r| r.group == g) {
            return Err(Problem::new(
                path.clone(),
                format!(
                    "leaves out group {:?}, which serves queue {:?}: list every group with the \
                     skill, or take the queue out of its skills",
                    group.name, queue.name
                ),
            ));
        }
    }
    Ok(out)
}

/// A group's `reserve` and `absence`.
pub(super) fn group_keys(
    reserve: Option<i64>,
    absence: Option<f64>,
    skills: usize,
    path: &KeyPath,
) -> Check<(u32, f64)> {
    let reserve = count(reserve, &path.key("reserve"), 0, "agents")?.unwrap_or(0);
    if reserve > 0 && skills < 2 {
        return Err(Problem::new(
            path.key("reserve"),
            "keeps agents idle for the group's first skill against its others: the group has one skill",
        ));
    }
    let absence = match absence {
        None => 0.0,
        Some(a) if (0.0..1.0).contains(&a) => a,
        Some(a) => {
            return Err(Problem::new(
                path.key("absence"),
                format!(
                    "must be a probability from 0 to below 1, got {}",
                    format_number(a)
                ),
            ));
        }
    };
    Ok((reserve, absence))
}
