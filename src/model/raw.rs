//! Raw scenario structs: a faithful image of the TOML file, deserialized with
//! unknown keys rejected. Nothing here is checked beyond types; `validate`
//! turns a `RawScenario` into a [`Scenario`](super::Scenario).

use super::duration::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    #[serde(default)]
    pub run: RawRun,
    pub horizon: Option<RawHorizon>,
    #[serde(default)]
    pub queues: Vec<RawQueue>,
    #[serde(default)]
    pub agents: Vec<RawAgents>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    pub replications: Option<i64>,
    pub seed: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHorizon {
    pub start: Option<String>,
    pub open: Option<Duration>,
    pub interval: Option<Duration>,
    pub warmup: Option<Duration>,
    pub busyness: Option<RawDist>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub name: Option<String>,
    pub priority: Option<i64>,
    pub service_level: Option<Duration>,
    pub arrivals: Option<RawArrivals>,
    pub handle_time: Option<RawByInterval>,
    pub patience: Option<RawPatience>,
    pub wrap_up: Option<RawByInterval>,
    pub callback: Option<RawCallback>,
    pub follow_up: Option<RawFollowUp>,
    pub hours: Option<Vec<String>>,
    pub short_abandon: Option<Duration>,
    pub target: Option<RawTarget>,
    pub groups: Option<Vec<RawRoute>>,
    pub capacity: Option<i64>,
    pub lines: Option<i64>,
    pub max_wait: Option<Duration>,
    pub balk_probability: Option<f64>,
    pub redial: Option<RawRedial>,
}

/// One entry of a queue's `groups` routing order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub group: Option<String>,
    pub after: Option<Duration>,
}

/// `[queues.redial]`: abandoned and blocked callers call again.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: Option<f64>,
    pub delay: Option<RawDist>,
    pub max: Option<i64>,
}

/// `[queues.target]`: what `ccsim staff` must reach.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub asa: Option<Duration>,
    pub scope: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub per_hour: Option<f64>,
    pub per_interval: Option<Vec<f64>>,
    pub at: Option<Vec<Duration>>,
    pub busyness: Option<RawDist>,
}

/// A distribution table: `dist` names the family, the other keys are its
/// parameters. Which keys a family takes is checked in validation, so the
/// message can say what the family needs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: Option<String>,
    pub mean: Option<Duration>,
    pub sd: Option<Duration>,
    pub shape: Option<f64>,
    pub scale: Option<Duration>,
    pub min: Option<Duration>,
    pub max: Option<Duration>,
    pub value: Option<Duration>,
    pub k: Option<i64>,
    pub values: Option<Vec<Duration>>,
    /// A mixture's parts, each a distribution table with a `weight`.
    pub parts: Option<Vec<RawDist>>,
    /// A mixture part's weight.
    pub weight: Option<f64>,
}

/// A queue's `handle_time` or `wrap_up`: one distribution table for the
/// whole day, or a list of them, one per interval.
#[derive(Debug)]
pub enum RawByInterval {
    Day(RawDist),
    PerInterval(Vec<RawDist>),
}

/// A table is the day's distribution, a list one per interval.
struct ByIntervalVisitor;

impl<'de> Visitor<'de> for ByIntervalVisitor {
    type Value = RawByInterval;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // The words serde's own message for a `RawDist` is rewritten to.
        f.write_str("a distribution table such as { dist = \"exponential\", mean = \"300s\" }")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawByInterval, A::Error> {
        RawDist::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawByInterval::Day)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawByInterval, A::Error> {
        let mut v = Vec::new();
        while let Some(d) = seq.next_element::<RawDist>()? {
            v.push(d);
        }
        Ok(RawByInterval::PerInterval(v))
    }
}

impl<'de> Deserialize<'de> for RawByInterval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ByIntervalVisitor)
    }
}

/// `patience`: a distribution table, a list of them (one per interval) or
/// the string `"none"`.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // read once per queue, never stored
pub enum RawPatience {
    None,
    Dist(RawByInterval),
}

impl<'de> Deserialize<'de> for RawPatience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPatience;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a distribution table or \"none\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPatience, E> {
                if v == "none" {
                    Ok(RawPatience::None)
                } else {
                    Err(E::custom(format!(
                        "expected a distribution table or \"none\", found {v:?}"
                    )))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPatience, A::Error> {
                ByIntervalVisitor.visit_map(map).map(RawPatience::Dist)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawPatience, A::Error> {
                ByIntervalVisitor.visit_seq(seq).map(RawPatience::Dist)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub offer_after: Option<Duration>,
    pub offer_if_ewt_over: Option<Duration>,
    pub offer_if_callers_ahead: Option<i64>,
    pub accept_probability: Option<f64>,
    pub position: Option<String>,
    pub priority: Option<i64>,
    pub initial_delay: Option<Duration>,
    pub reach_probability: Option<f64>,
    pub max_attempts: Option<i64>,
    pub retry_delay: Option<Duration>,
    pub dial_time: Option<RawDist>,
    pub handle_time: Option<RawDist>,
    pub expire_after: Option<Duration>,
    pub no_offer_before_close: Option<Duration>,
    pub at_close: Option<String>,
    pub route_to: Option<String>,
    pub mode: Option<String>,
    pub answered_patience: Option<RawPatience>,
    pub scheduled: Option<RawScheduled>,
}

/// `[queues.callback.scheduled]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduled {
    pub share: Option<f64>,
    pub delay: Option<RawDist>,
    pub window: Option<Duration>,
    pub capacity: Option<i64>,
}

/// `[queues.follow_up]`: agent-created follow-ups (SPEC §10).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUp {
    pub probability: Option<f64>,
    pub delay: Option<RawDist>,
    pub handle_time: Option<RawDist>,
    pub owner: Option<String>,
    pub owner_timeout: Option<Duration>,
    pub reach_probability: Option<f64>,
    pub max_attempts: Option<i64>,
    pub retry_delay: Option<Duration>,
    pub dial_time: Option<RawDist>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgents {
    pub name: Option<String>,
    pub skills: Option<Vec<String>>,
    pub staffing: Option<RawStaffing>,
    pub shrinkage: Option<RawNumbers>,
    pub cost: Option<f64>,
    pub min_staffing: Option<RawStaffing>,
    pub max_staffing: Option<RawStaffing>,
    pub reserve: Option<i64>,
    pub absence: Option<f64>,
}

/// A number for every interval, or a list with one per interval.
#[derive(Debug)]
pub enum RawNumbers {
    Constant(f64),
    PerInterval(Vec<f64>),
}

impl<'de> Deserialize<'de> for RawNumbers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawNumbers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a list of numbers, one per interval")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumbers, E> {
                Ok(RawNumbers::Constant(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumbers, E> {
                Ok(RawNumbers::Constant(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumbers, E> {
                Ok(RawNumbers::Constant(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNumbers, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(RawNumbers::PerInterval(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// `staffing`: one number for every interval, or a list with one per interval.
#[derive(Clone, Debug)]
pub enum RawStaffing {
    Constant(i64),
    PerInterval(Vec<i64>),
}

impl<'de> Deserialize<'de> for RawStaffing {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawStaffing;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of agents or a list of them, one per interval")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawStaffing, E> {
                Ok(RawStaffing::Constant(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawStaffing, E> {
                i64::try_from(v)
                    .map(RawStaffing::Constant)
                    .map_err(|_| E::custom("staffing is too large"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawStaffing, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<i64>()? {
                    v.push(x);
                }
                Ok(RawStaffing::PerInterval(v))
            }
        }
        d.deserialize_any(V)
    }
}
