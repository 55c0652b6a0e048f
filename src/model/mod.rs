//! The model of a contact center: what is simulated. A [`Model`] is
//! immutable once validated; the only ways to get one are a scenario file
//! ([`Scenario::from_toml`]) and a [`ModelBuilder`] in code, and both go
//! through the same validation. Run control (replications, seed) is a
//! separate [`RunPlan`].
//!
//! Loading happens in two stages so that every problem can be reported with
//! the file, the key and the line: serde checks the shape and types (unknown
//! keys are rejected), then [`validate`] checks ranges and cross-references
//! and converts units and distribution parameters.

mod builder;
mod by_interval;
mod callback;
mod clock;
pub mod dist;
mod duration;
mod error;
mod overrides;
mod raw;
mod validate;

pub use builder::{CallbackSpec, DistSpec, ModelBuilder, QueueSpec};
pub use by_interval::ByInterval;
pub use callback::{
    AtClose, CallbackMode, CallbackPolicy, FollowUpPolicy, OfferTrigger, Owner, Position, Scheduled,
};
pub use clock::{format_clock, parse_clock};
pub use dist::{Dist, Part};
pub use duration::{
    MAX_DURATION, MAX_DURATION_TEXT, format_duration, format_number, parse_duration, within_limit,
};
pub use error::{KeyPath, ScenarioError, Segment};
pub use overrides::Override;

use crate::plan::RunPlan;
use error::{EntryNames, Locator};
use serde::Serialize;
use validate::Staffing;

/// The most replications a scenario file may ask for (`run.replications`).
pub const MAX_REPLICATIONS: u32 = 10_000_000;

/// A scenario file: the model it describes and its `[run]` plan.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub model: Model,
    pub plan: RunPlan,
}

/// A validated contact center. Times are in seconds. Its fields are
/// private: a model changes only by building a new one, which is
/// validated again.
#[derive(Clone, Debug)]
pub struct Model {
    name: String,
    horizon: Horizon,
    queues: Vec<Queue>,
    groups: Vec<AgentGroup>,
    /// Per queue, the time from which no agent who serves it is staffed
    /// to the end (the last interval's staffing stays on): its calls still
    /// waiting then can never be answered. Infinite when it stays served.
    served_until: Vec<f64>,
    /// The day's busyness: one draw per replication multiplies every
    /// queue's arrival rate (`[horizon] busyness`).
    busyness: Option<Dist>,
}

impl Model {
    /// Display name: the file's `name`, else the file stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn horizon(&self) -> &Horizon {
        &self.horizon
    }

    /// The day-level busyness factor's distribution, shared by all queues.
    pub fn busyness(&self) -> Option<&Dist> {
        self.busyness.as_ref()
    }

    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    pub fn groups(&self) -> &[AgentGroup] {
        &self.groups
    }

    /// The time from which nobody who serves queue `q` is staffed, to the
    /// end of the run; infinite when somebody is staffed in the last interval.
    pub fn served_until(&self, q: usize) -> f64 {
        self.served_until[q]
    }

    /// The queue whose line queue `q`'s callbacks wait in.
    pub fn callback_line(&self, q: usize) -> usize {
        self.queues[q]
            .callback
            .as_ref()
            .and_then(|cb| cb.route_to)
            .unwrap_or(q)
    }

    /// Indices of the agent groups that serve each queue.
    pub fn groups_serving(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.queues.len()];
        for (g, group) in self.groups.iter().enumerate() {
            for &q in &group.skills {
                out[q].push(g);
            }
        }
        out
    }

    /// The same model with other staffing (one list per group, one number
    /// per interval), validated again: a queue left without agents while
    /// it takes calls is an error, as in a file.
    pub fn with_staffing(&self, staffing: &[Vec<u32>]) -> Result<Model, ScenarioError> {
        let mut m = self.clone();
        for (g, s) in m.groups.iter_mut().zip(staffing) {
            assert_eq!(s.len(), self.horizon.intervals, "one number per interval");
            g.staffing.clone_from(s);
            g.staffing_given = true;
        }
        m.served_until = validate::served_until(&m.queues, &m.groups, &m.horizon).map_err(|p| {
            ScenarioError {
                file: m.name.clone(),
                key: p.key,
                line: None,
                message: p.message,
                entry_names: Vec::new(),
            }
        })?;
        Ok(m)
    }
}

/// When calls arrive and how the day is cut into planning intervals.
#[derive(Clone, Debug, Serialize)]
pub struct Horizon {
    /// Calls arrive in `[0, open)`.
    pub open: f64,
    /// Planning interval length; the last interval may be shorter.
    pub interval: f64,
    /// Calls arriving before this are simulated but not counted.
    pub warmup: f64,
    /// Number of intervals: `ceil(open / interval)`, where a ratio within
    /// rounding error of a whole number counts as that number.
    pub intervals: usize,
    /// The clock time at time 0, seconds after midnight.
    pub start: f64,
}

impl Horizon {
    /// The clock time at time `t`, e.g. `"08:30"`.
    pub fn clock(&self, t: f64) -> String {
        format_clock(self.start + t)
    }

    /// The clock time at which interval `k` starts.
    pub fn interval_clock(&self, k: usize) -> String {
        self.clock(self.interval_start(k))
    }

    /// The time at which the clock next shows `clock` (seconds after
    /// midnight) from the start of the horizon: within a day of time 0.
    pub fn time_of_clock(&self, clock: f64) -> f64 {
        (clock - self.start).rem_euclid(clock::DAY)
    }

    /// Start time of interval `k`.
    pub fn interval_start(&self, k: usize) -> f64 {
        k as f64 * self.interval
    }

    /// End time of interval `k` (`open` for the last one).
    pub fn interval_end(&self, k: usize) -> f64 {
        if k + 1 >= self.intervals {
            self.open
        } else {
            (k + 1) as f64 * self.interval
        }
    }

    /// When a queue is served last, given whether anybody who serves it is
    /// `staffed` in interval `k`: the end of the last staffed interval,
    /// never (infinite) if that is the last one (its staffing stays on
    /// until the system is empty), 0 if none is.
    pub fn served_until(&self, staffed: impl Fn(usize) -> bool) -> f64 {
        match (0..self.intervals).rev().find(|&k| staffed(k)) {
            Some(k) if k + 1 == self.intervals => f64::INFINITY,
            Some(k) => self.interval_end(k),
            None => 0.0,
        }
    }

    /// The interval containing time `t` (clamped to the last one).
    #[inline]
    pub fn interval_of(&self, t: f64) -> usize {
        ((t / self.interval) as usize).min(self.intervals - 1)
    }
}

/// One inbound queue.
#[derive(Clone, Debug, Serialize)]
pub struct Queue {
    pub name: String,
    /// Higher is served first.
    pub priority: i32,
    /// Service-level threshold T, seconds.
    pub service_level: f64,
    /// How calls arrive.
    pub arrivals: Arrivals,
    /// Each call's from the interval it arrives in (as patience and wrap-up).
    pub handle_time: ByInterval<Dist>,
    /// `None`: callers never abandon.
    pub patience: Option<ByInterval<Dist>>,
    /// After-call work; the agent stays busy.
    pub wrap_up: Option<ByInterval<Dist>>,
    pub callback: Option<CallbackPolicy>,
    /// Agent-created follow-ups of its answered calls and completed callbacks.
    pub follow_up: Option<FollowUpPolicy>,
    /// When the queue takes calls, `[from, until)` in horizon time;
    /// `None`: the whole horizon.
    pub hours: Option<(f64, f64)>,
    /// Abandons within this many seconds are `short_abandoned` (SPEC §12).
    pub short_abandon: f64,
    /// What `ccsim staff` must reach (SPEC §9).
    pub target: Option<Target>,
    /// The order in which groups take its calls (SPEC §11 `groups`);
    /// `None`: every group with the skill, the longest-idle agent first.
    pub routing: Option<Vec<Route>>,
    /// At most this many callers holding; an arrival finding them gets a
    /// busy signal (`blocked`).
    pub capacity: Option<u32>,
    /// At most this many of its calls in the system, holding or talking.
    pub lines: Option<u32>,
    /// A caller still holding after this long goes to voicemail (`timed_out`).
    pub max_wait: Option<f64>,
    /// A caller who finds no agent free hangs up at once (`balked`).
    pub balk_probability: f64,
    /// Abandoned and blocked callers who call again.
    pub redial: Option<Redial>,
    /// This queue's own day-level busyness factor (`arrivals.busyness`).
    pub busyness: Option<Dist>,
}

/// One step of a queue's routing order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Route {
    /// Index into [`Model::groups`].
    pub group: usize,
    /// The group takes a call only once it has waited this long.
    pub after: f64,
}

/// `[queues.redial]`: callers who abandoned or got a busy signal call again.
#[derive(Clone, Debug, Serialize)]
pub struct Redial {
    /// Of abandoned and blocked calls (each attempt decides anew).
    pub probability: f64,
    /// From the hang-up to the next call.
    pub delay: Dist,
    /// Most redials per caller.
    pub max: u32,
}

/// A queue's staffing target: each given figure must hold for the mean
/// over the replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// At least (SPEC §5's service level, the queue's own threshold).
    pub service_level: Option<f64>,
    /// At most.
    pub abandon_rate: Option<f64>,
    /// At most, seconds.
    pub asa: Option<f64>,
    pub scope: TargetScope,
}

/// Where a target must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TargetScope {
    /// In every interval where the queue has calls.
    Interval,
    /// Over the whole cohort.
    Day,
}

impl Queue {
    /// When the queue takes calls, `[from, until)`.
    pub fn open_window(&self, h: &Horizon) -> (f64, f64) {
        self.hours.unwrap_or((0.0, h.open))
    }

    /// The part of interval `k` in which the queue takes calls, seconds.
    pub fn open_in(&self, h: &Horizon, k: usize) -> f64 {
        let (from, until) = self.open_window(h);
        (h.interval_end(k).min(until) - h.interval_start(k).max(from)).max(0.0)
    }

    /// Mean agent time of a call arriving in interval `k`: handle time
    /// plus wrap-up (the contact-center AHT). Figures for one interval
    /// (Erlang sizing, load, the estimated wait) use this.
    pub fn mean_agent_time_in(&self, k: usize) -> f64 {
        self.handle_time.at(k).mean() + self.wrap_up.as_ref().map_or(0.0, |w| w.at(k).mean())
    }

    /// Mean agent time per call over the day: with per-interval handle
    /// times or wrap-ups, each interval's mean weighted by its expected
    /// calls (plain average if none are expected). Figures for the whole
    /// day (the offered load `check` reports) use this.
    pub fn mean_agent_time(&self, h: &Horizon) -> f64 {
        let per_interval = self.handle_time.day().is_none()
            || self.wrap_up.as_ref().is_some_and(|w| w.day().is_none());
        if !per_interval {
            return self.mean_agent_time_in(0);
        }
        let calls: Vec<f64> = (0..h.intervals)
            .map(|k| self.expected_calls_in(h, k))
            .collect();
        let total: f64 = calls.iter().sum();
        let weight = |k: usize| {
            if total > 0.0 {
                calls[k] / total
            } else {
                1.0 / h.intervals as f64
            }
        };
        (0..h.intervals)
            .map(|k| weight(k) * self.mean_agent_time_in(k))
            .sum()
    }

    /// Mean patience of a caller arriving in interval `k` (`None`: callers
    /// never abandon).
    pub fn mean_patience_in(&self, k: usize) -> Option<f64> {
        self.patience.as_ref().map(|p| p.at(k).mean())
    }

    /// Expected calls over the whole horizon.
    pub fn expected_calls(&self, h: &Horizon) -> f64 {
        match &self.arrivals {
            Arrivals::Poisson { .. } => {
                (0..h.intervals).map(|k| self.expected_calls_in(h, k)).sum()
            }
            Arrivals::Trace { at } => at.len() as f64,
        }
    }

    /// Expected calls in interval `k`.
    pub fn expected_calls_in(&self, h: &Horizon, k: usize) -> f64 {
        match &self.arrivals {
            Arrivals::Poisson { rate } => rate[k] * self.open_in(h, k),
            Arrivals::Trace { at } => at.iter().filter(|&&t| h.interval_of(t) == k).count() as f64,
        }
    }
}

/// A queue's arrival process.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Arrivals {
    /// Poisson with a constant rate (calls per second) in each interval,
    /// while the queue is open.
    Poisson { rate: Vec<f64> },
    /// Calls at exactly these times (sorted), e.g. a recorded day replayed.
    Trace { at: Vec<f64> },
}

#[derive(Clone, Debug, Serialize)]
pub struct AgentGroup {
    pub name: String,
    /// Indices into [`Model::queues`].
    pub skills: Vec<usize>,
    /// Agents on shift in each interval.
    pub staffing: Vec<u32>,
    /// Whether the file gave the staffing; `ccsim staff` may start from
    /// it. (A file meant only for `ccsim staff` may leave it out.)
    pub staffing_given: bool,
    /// Paid time off the phones, per interval, from 0 (before 1).
    pub shrinkage: Vec<f64>,
    /// Cost of one agent-hour.
    pub cost: f64,
    /// Bounds of the staffing `ccsim staff` may choose, per interval.
    pub min_staffing: Vec<u32>,
    pub max_staffing: Vec<u32>,
    /// Agents kept idle for the first skill's calls (SPEC §11 `reserve`).
    pub reserve: u32,
    /// Each agent is absent for the day with this probability.
    pub absence: f64,
}

impl Scenario {
    /// Reads and validates a scenario from TOML text. `origin` names the
    /// source in error messages (the file path); `default_name` is used when
    /// the file has no `name` key.
    pub fn from_toml(
        text: &str,
        origin: &str,
        default_name: &str,
    ) -> Result<Scenario, ScenarioError> {
        Scenario::from_toml_with(text, origin, default_name, &[])
    }

    /// As [`from_toml`](Self::from_toml), with command-line changes applied
    /// to the file before it is checked. A problem with a changed key names
    /// the change rather than a line of the file.
    pub fn from_toml_with(
        text: &str,
        origin: &str,
        default_name: &str,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        Scenario::load(text, origin, default_name, overrides, Staffing::Required)
    }

    /// As [`from_toml_with`](Self::from_toml_with) for `ccsim staff`: a
    /// group may leave out `staffing` (the search finds it); the model
    /// then holds a placeholder, and `staffing_given` is false.
    pub fn for_staffing(
        text: &str,
        origin: &str,
        default_name: &str,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        Scenario::load(text, origin, default_name, overrides, Staffing::Optional)
    }

    fn load(
        text: &str,
        origin: &str,
        default_name: &str,
        overrides: &[Override],
        need: Staffing,
    ) -> Result<Scenario, ScenarioError> {
        let locator = Locator::new(text);
        let mut table = parse_table(text, origin, &locator)?;
        let changed = apply_overrides(&mut table, origin, overrides)?;
        // Names as the checked scenario has them, after the changes.
        let names = EntryNames::of_table(&table);
        // A problem at or under a changed key comes from the command line,
        // and so does one at a key the file does not have but a change made
        // (a misspelt table name, say).
        let from_change = |key: &KeyPath, changed_key: &KeyPath| {
            overrides::within(key, changed_key)
                || (overrides::within(changed_key, key) && !locator.has(key))
        };
        let place = |key: KeyPath, message: String| {
            if let Some((_, o)) = changed.iter().rev().find(|(k, _)| from_change(&key, k)) {
                let hint = o.hint().map_or(String::new(), |h| format!("; {h}"));
                return ScenarioError {
                    file: origin.to_string(),
                    entry_names: names.along(&key),
                    key,
                    line: None,
                    message: format!("{message} (set by --set {o}{hint})"),
                };
            }
            // A table the command line changed something inside.
            let inside = changed
                .iter()
                .rev()
                .find(|(k, _)| overrides::within(k, &key));
            ScenarioError {
                file: origin.to_string(),
                line: locator.line(&key),
                message: match inside {
                    Some((_, o)) => format!("{message} (after --set {o})"),
                    None => message,
                },
                entry_names: names.along(&key),
                key,
            }
        };
        let raw: raw::RawScenario = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let key = KeyPath::from_serde(e.path());
                place(key, plain_words(e.into_inner().message()))
            })?;
        validate::validate_with(raw, default_name, need).map_err(|p| place(p.key, p.message))
    }

    /// The file's TOML table with the command-line changes applied: what
    /// [`from_toml_with`](Self::from_toml_with) goes on to check. Shard
    /// files keep it, so that a merge can rebuild the scenario without the
    /// file.
    pub fn effective_table(
        text: &str,
        origin: &str,
        overrides: &[Override],
    ) -> Result<toml::Table, ScenarioError> {
        let mut table = parse_table(text, origin, &Locator::new(text))?;
        apply_overrides(&mut table, origin, overrides)?;
        Ok(table)
    }
}

/// Applies `--set` changes in order; returns the key each one set.
fn apply_overrides<'o>(
    table: &mut toml::Table,
    origin: &str,
    overrides: &'o [Override],
) -> Result<Vec<(KeyPath, &'o Override)>, ScenarioError> {
    let mut changed = Vec::with_capacity(overrides.len());
    for o in overrides {
        let key = o.apply(table).map_err(|message| ScenarioError {
            file: origin.to_string(),
            key: KeyPath::default(),
            line: None,
            message,
            entry_names: Vec::new(),
        })?;
        changed.push((key, o));
    }
    Ok(changed)
}

/// Stage one: TOML syntax, into a table the overrides can change.
fn parse_table(text: &str, origin: &str, locator: &Locator) -> Result<toml::Table, ScenarioError> {
    // Parsing with spans first, so that the message points at the broken line.
    let syntax = |e: toml::de::Error| {
        let msg = e.message().trim().replace('\n', "; ");
        ScenarioError {
            file: origin.to_string(),
            key: KeyPath::default(),
            line: e.span().map(|s| locator.line_of(s.start)),
            message: format!("TOML syntax error: {msg}"),
            entry_names: Vec::new(),
        }
    };
    toml::de::DeTable::parse(text).map_err(syntax)?;
    // Valid syntax that a TOML value cannot hold (an integer beyond 64 bits).
    toml::from_str::<toml::Table>(text).map_err(|e| {
        let line = e.span().map(|s| locator.line_of(s.start));
        let key = e
            .span()
            .map(|s| locator.key_at(s.start))
            .unwrap_or_default();
        ScenarioError {
            file: origin.to_string(),
            entry_names: locator.entry_names().along(&key),
            key,
            line,
            message: plain_words(e.message().trim()),
        }
    })
}

/// Rewrites serde's type vocabulary (`i64`, `struct RawDist`, `sequence`)
/// in the words of the scenario format.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 16] = [
        (
            "expected any valid TOML value",
            "expected a whole number of at most 19 digits",
        ),
        (
            "floating-point number overflowed",
            "the number is too large to hold (beyond about 1.8e308); see the key's range \
             in the README's scenario reference",
        ),
        (" as i128", ""),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected a string in quotes"),
        (
            "expected a sequence",
            "expected a list in brackets, [ ... ]",
        ),
        ("map, expected a list", "table, expected a list"),
        (
            "expected struct RawArrivals",
            "expected a table such as { per_hour = 120 }",
        ),
        (
            "expected struct RawDist",
            "expected a distribution table such as { dist = \"exponential\", mean = \"300s\" }",
        ),
        (
            "expected struct RawCallback",
            "expected a [queues.callback] table",
        ),
        ("expected struct RawHorizon", "expected a [horizon] table"),
        ("expected struct RawRun", "expected a [run] table"),
        ("expected struct Raw", "expected a table"),
    ];
    let mut out = message.to_string();
    for (from, to) in WORDS {
        out = out.replace(from, to);
    }
    if out.starts_with("invalid type: table, expected a list") {
        out.push_str(" (write [[queues]] or [[agents]] for each entry)");
    }
    out
}

#[cfg(test)]
mod tests;
