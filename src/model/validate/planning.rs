//! The keys of SPEC §9 that `ccsim staff` reads: a queue's `[target]`,
//! and a group's shrinkage, cost and staffing bounds.

use super::super::error::{Check, KeyPath, Problem};
use super::super::raw::{RawAgents, RawNumbers, RawStaffing, RawTarget};
use super::checks::{non_negative, one_per_interval};
use super::staffing;
use crate::model::{Horizon, Target, TargetScope, format_number};

/// Highest staffing `ccsim staff` may choose when the file sets none.
pub const DEFAULT_MAX_STAFFING: u32 = 10_000;
/// The largest cost of one agent-hour: any currency's real cost is far
/// below, and below it a day's total cost stays finite.
const MAX_COST: f64 = 1e9;

/// A queue's `[queues.target]`.
pub(super) fn target(raw: RawTarget, path: &KeyPath) -> Check<Target> {
    let fraction = |v: Option<f64>, key: &str, lo_open: bool| -> Check<Option<f64>> {
        match v {
            None => Ok(None),
            Some(x) if x.is_finite() && x <= 1.0 && (x > 0.0 || (!lo_open && x >= 0.0)) => {
                Ok(Some(x))
            }
            Some(x) => Err(Problem::new(
                path.key(key),
                format!(
                    "must be a fraction {} 0 and at most 1 (0.8 for 80%), got {}",
                    if lo_open { "above" } else { "from" },
                    format_number(x)
                ),
            )),
        }
    };
    let service_level = fraction(raw.service_level, "service_level", true)?;
    let abandon_rate = fraction(raw.abandon_rate, "abandon_rate", false)?;
    let asa = raw
        .asa
        .map(|d| non_negative(d, &path.key("asa")))
        .transpose()?;
    let scope = match raw.scope.as_deref() {
        None | Some("interval") => TargetScope::Interval,
        Some("day") => TargetScope::Day,
        Some(other) => {
            return Err(Problem::new(
                path.key("scope"),
                format!("must be \"interval\" or \"day\", got {other:?}"),
            ));
        }
    };
    if service_level.is_none() && abandon_rate.is_none() && asa.is_none() {
        return Err(Problem::new(
            path.clone(),
            "names no target: set service_level, abandon_rate or asa",
        ));
    }
    Ok(Target {
        service_level,
        abandon_rate,
        asa,
        scope,
    })
}

/// A group's planning keys, checked.
pub(super) struct GroupPlanning {
    pub shrinkage: Vec<f64>,
    pub cost: f64,
    pub min: Vec<u32>,
    pub max: Vec<u32>,
}

pub(super) fn group_planning(g: &RawAgents, gp: &KeyPath, h: &Horizon) -> Check<GroupPlanning> {
    let sp = gp.key("shrinkage");
    let shrinkage = match &g.shrinkage {
        None => vec![0.0; h.intervals],
        Some(RawNumbers::Constant(x)) => vec![*x; h.intervals],
        Some(RawNumbers::PerInterval(list)) => {
            one_per_interval(list.len(), &sp, h)?;
            list.clone()
        }
    };
    for (k, &x) in shrinkage.iter().enumerate() {
        if !(0.0..1.0).contains(&x) {
            let at = match &g.shrinkage {
                Some(RawNumbers::PerInterval(_)) => sp.index(k),
                _ => sp.clone(),
            };
            return Err(Problem::new(
                at,
                format!(
                    "must be a fraction from 0 to below 1 (0.3 for 30% off the phones), got {}",
                    format_number(x)
                ),
            ));
        }
    }
    let cost = match g.cost {
        None => 1.0,
        Some(c) if c > 0.0 && c <= MAX_COST => c,
        Some(c) => {
            return Err(Problem::new(
                gp.key("cost"),
                format!(
                    "must be a positive cost of one agent-hour, at most {}, got {}",
                    format_number(MAX_COST),
                    format_number(c)
                ),
            ));
        }
    };
    let bound = |raw: &Option<RawStaffing>, key: &str, default: u32| -> Check<Vec<u32>> {
        match raw {
            None => Ok(vec![default; h.intervals]),
            Some(r) => staffing(Some(r.clone()), &gp.key(key), h),
        }
    };
    let min = bound(&g.min_staffing, "min_staffing", 0)?;
    let max = bound(&g.max_staffing, "max_staffing", DEFAULT_MAX_STAFFING)?;
    if let Some(k) = (0..h.intervals).find(|&k| min[k] > max[k]) {
        return Err(Problem::new(
            gp.key("max_staffing"),
            format!(
                "is below min_staffing in the interval at {} ({} < {})",
                h.interval_clock(k),
                max[k],
                min[k]
            ),
        ));
    }
    Ok(GroupPlanning {
        shrinkage,
        cost,
        min,
        max,
    })
}
