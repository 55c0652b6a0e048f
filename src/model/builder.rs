//! Building a [`Model`] in code. The builder fills the same raw image of
//! a scenario that a TOML file is read into, and [`ModelBuilder::build`]
//! runs the same validation, so a model built in code obeys every rule a
//! file does and fails with the same messages (naming the key, without a
//! line).

use super::duration::Duration;
use super::error::EntryNames;
use super::raw::{
    RawAgents, RawArrivals, RawByInterval, RawCallback, RawDist, RawHorizon, RawPatience, RawQueue,
    RawScenario, RawStaffing,
};
use super::{Model, ScenarioError, validate};

/// Where a model built in code comes from, for messages.
const ORIGIN: &str = "model built in code";

/// A model under construction. Times are in seconds.
#[derive(Debug)]
pub struct ModelBuilder {
    raw: RawScenario,
}

impl ModelBuilder {
    /// A model named `name` whose calls arrive for `open` seconds, planned
    /// in intervals of `interval` seconds.
    pub fn new(name: &str, open: f64, interval: f64) -> Self {
        ModelBuilder {
            raw: RawScenario {
                name: Some(name.to_string()),
                run: Default::default(),
                horizon: Some(RawHorizon {
                    start: None,
                    open: Some(Duration(open)),
                    interval: Some(Duration(interval)),
                    warmup: None,
                    busyness: None,
                }),
                queues: Vec::new(),
                agents: Vec::new(),
            },
        }
    }

    /// Calls arriving before `warmup` seconds are simulated, not counted.
    pub fn warmup(mut self, warmup: f64) -> Self {
        if let Some(h) = &mut self.raw.horizon {
            h.warmup = Some(Duration(warmup));
        }
        self
    }

    pub fn queue(mut self, queue: QueueSpec) -> Self {
        self.raw.queues.push(queue.raw);
        self
    }

    /// An agent group serving the queues named in `skills`, with one
    /// staffing for the whole horizon (one number) or one per interval.
    pub fn group(mut self, name: &str, skills: &[&str], staffing: &[u32]) -> Self {
        let staffing = match staffing {
            [n] => RawStaffing::Constant(i64::from(*n)),
            list => RawStaffing::PerInterval(list.iter().map(|&n| i64::from(n)).collect()),
        };
        self.raw.agents.push(RawAgents {
            name: Some(name.to_string()),
            skills: Some(skills.iter().map(|s| s.to_string()).collect()),
            staffing: Some(staffing),
            shrinkage: None,
            cost: None,
            min_staffing: None,
            max_staffing: None,
            reserve: None,
            absence: None,
        });
        self
    }

    /// Validates the model as a scenario file would be.
    pub fn build(self) -> Result<Model, ScenarioError> {
        let name = self.raw.name.clone().unwrap_or_default();
        // Messages name queues and groups as a file's would.
        let names = EntryNames::new(
            self.raw.queues.iter().map(|q| q.name.clone()).collect(),
            self.raw.agents.iter().map(|g| g.name.clone()).collect(),
        );
        validate::validate(self.raw, &name)
            .map(|sc| sc.model)
            .map_err(|p| ScenarioError {
                file: ORIGIN.to_string(),
                entry_names: names.along(&p.key),
                key: p.key,
                line: None,
                message: p.message,
            })
    }
}

/// A queue for [`ModelBuilder::queue`]: the keys of a `[[queues]]` table.
#[derive(Debug)]
pub struct QueueSpec {
    raw: RawQueue,
}

impl QueueSpec {
    /// A queue with `handle_time`, no calls yet, callers who never abandon.
    pub fn new(name: &str, handle_time: DistSpec) -> Self {
        QueueSpec {
            raw: RawQueue {
                name: Some(name.to_string()),
                priority: None,
                service_level: None,
                arrivals: None,
                handle_time: Some(RawByInterval::Day(handle_time.raw)),
                patience: None,
                wrap_up: None,
                callback: None,
                follow_up: None,
                hours: None,
                short_abandon: None,
                target: None,
                groups: None,
                capacity: None,
                lines: None,
                max_wait: None,
                balk_probability: None,
                redial: None,
            },
        }
    }

    /// Poisson arrivals at a constant rate.
    pub fn per_hour(mut self, calls: f64) -> Self {
        self.raw.arrivals = Some(RawArrivals {
            per_hour: Some(calls),
            per_interval: None,
            at: None,
            busyness: None,
        });
        self
    }

    /// Poisson arrivals, this many calls expected in each interval.
    pub fn per_interval(mut self, calls: Vec<f64>) -> Self {
        self.raw.arrivals = Some(RawArrivals {
            per_hour: None,
            per_interval: Some(calls),
            at: None,
            busyness: None,
        });
        self
    }

    pub fn priority(mut self, priority: i32) -> Self {
        self.raw.priority = Some(i64::from(priority));
        self
    }

    /// The service-level threshold T, seconds.
    pub fn service_level(mut self, threshold: f64) -> Self {
        self.raw.service_level = Some(Duration(threshold));
        self
    }

    pub fn patience(mut self, patience: DistSpec) -> Self {
        self.raw.patience = Some(RawPatience::Dist(RawByInterval::Day(patience.raw)));
        self
    }

    pub fn wrap_up(mut self, wrap_up: DistSpec) -> Self {
        self.raw.wrap_up = Some(RawByInterval::Day(wrap_up.raw));
        self
    }

    pub fn callback(mut self, callback: CallbackSpec) -> Self {
        self.raw.callback = Some(callback.raw);
        self
    }

    /// At most `k` callers holding; more get a busy signal.
    pub fn capacity(mut self, k: u32) -> Self {
        self.raw.capacity = Some(i64::from(k));
        self
    }

    /// At most `l` of the queue's calls in the system; more get a busy signal.
    pub fn lines(mut self, l: u32) -> Self {
        self.raw.lines = Some(i64::from(l));
        self
    }

    /// A caller who finds no agent free hangs up at once with probability `p`.
    pub fn balk_probability(mut self, p: f64) -> Self {
        self.raw.balk_probability = Some(p);
        self
    }
}

/// A callback policy for [`QueueSpec::callback`]: the keys of a
/// `[queues.callback]` table, starting from its offer trigger.
#[derive(Debug)]
pub struct CallbackSpec {
    raw: RawCallback,
}

impl CallbackSpec {
    fn with(set: impl FnOnce(&mut RawCallback)) -> Self {
        let mut raw = RawCallback {
            offer_after: None,
            offer_if_ewt_over: None,
            offer_if_callers_ahead: None,
            accept_probability: None,
            position: None,
            priority: None,
            initial_delay: None,
            reach_probability: None,
            max_attempts: None,
            retry_delay: None,
            dial_time: None,
            handle_time: None,
            expire_after: None,
            no_offer_before_close: None,
            at_close: None,
            route_to: None,
            mode: None,
            answered_patience: None,
            scheduled: None,
        };
        set(&mut raw);
        CallbackSpec { raw }
    }

    /// Offered once the caller has held `secs`.
    pub fn offer_after(secs: f64) -> Self {
        Self::with(|r| r.offer_after = Some(Duration(secs)))
    }

    /// Offered on arrival when the estimated wait exceeds `secs`.
    pub fn offer_if_ewt_over(secs: f64) -> Self {
        Self::with(|r| r.offer_if_ewt_over = Some(Duration(secs)))
    }

    /// Offered on arrival when no agent is free and `n` callers hold.
    pub fn offer_if_callers_ahead(n: u32) -> Self {
        Self::with(|r| r.offer_if_callers_ahead = Some(i64::from(n)))
    }

    pub fn accept_probability(mut self, p: f64) -> Self {
        self.raw.accept_probability = Some(p);
        self
    }

    /// The callback's priority in line.
    pub fn priority(mut self, priority: i32) -> Self {
        self.raw.priority = Some(i64::from(priority));
        self
    }

    pub fn reach_probability(mut self, p: f64) -> Self {
        self.raw.reach_probability = Some(p);
        self
    }

    pub fn max_attempts(mut self, n: u32) -> Self {
        self.raw.max_attempts = Some(i64::from(n));
        self
    }

    pub fn retry_delay(mut self, secs: f64) -> Self {
        self.raw.retry_delay = Some(Duration(secs));
        self
    }
}

/// A distribution as a scenario file gives it (times in seconds).
#[derive(Debug)]
pub struct DistSpec {
    raw: RawDist,
}

impl DistSpec {
    fn family(name: &str, set: impl FnOnce(&mut RawDist)) -> Self {
        let mut raw = RawDist {
            dist: Some(name.to_string()),
            mean: None,
            sd: None,
            shape: None,
            scale: None,
            min: None,
            max: None,
            value: None,
            k: None,
            values: None,
            parts: None,
            weight: None,
        };
        set(&mut raw);
        DistSpec { raw }
    }

    pub fn exponential(mean: f64) -> Self {
        Self::family("exponential", |r| r.mean = Some(Duration(mean)))
    }

    pub fn lognormal(mean: f64, sd: f64) -> Self {
        Self::family("lognormal", |r| {
            r.mean = Some(Duration(mean));
            r.sd = Some(Duration(sd));
        })
    }

    pub fn constant(value: f64) -> Self {
        Self::family("constant", |r| r.value = Some(Duration(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_what_the_file_would() {
        let built = ModelBuilder::new("m", 7200.0, 1800.0)
            .warmup(600.0)
            .queue(
                QueueSpec::new("q", DistSpec::exponential(180.0))
                    .per_hour(100.0)
                    .patience(DistSpec::exponential(120.0))
                    .service_level(30.0)
                    .callback(CallbackSpec::offer_if_callers_ahead(3).accept_probability(0.5)),
            )
            .group("team", &["q"], &[6])
            .build()
            .unwrap();
        let file = super::super::Scenario::from_toml(
            r#"
            name = "m"
            [horizon]
            open = "2h"
            interval = "30m"
            warmup = "10m"
            [[queues]]
            name = "q"
            service_level = 30
            arrivals = { per_hour = 100 }
            handle_time = { dist = "exponential", mean = 180 }
            patience = { dist = "exponential", mean = 120 }
            [queues.callback]
            offer_if_callers_ahead = 3
            accept_probability = 0.5
            [[agents]]
            name = "team"
            skills = ["q"]
            staffing = 6
            "#,
            "m.toml",
            "m",
        )
        .unwrap()
        .model;
        assert_eq!(format!("{built:?}"), format!("{file:?}"));
    }

    #[test]
    fn rules_are_the_files() {
        let e = ModelBuilder::new("m", 3600.0, 1800.0)
            .queue(QueueSpec::new("q", DistSpec::exponential(180.0)).per_hour(10.0))
            .group("team", &["nope"], &[1])
            .build()
            .unwrap_err();
        assert_eq!(e.key.to_string(), "agents[0].skills[0]");
        assert!(e.to_string().starts_with(ORIGIN), "{e}");
        // Named as a file's error would name it.
        assert!(
            e.to_string()
                .contains("key `agents[0] (\"team\").skills[0]`: names no queue"),
            "{e}"
        );
        let e = ModelBuilder::new("m", 3600.0, 1800.0)
            .queue(QueueSpec::new("q", DistSpec::exponential(180.0)).per_hour(-1.0))
            .group("team", &["q"], &[1])
            .build()
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("key `queues[0] (\"q\").arrivals.per_hour`"),
            "{e}"
        );
    }
}
