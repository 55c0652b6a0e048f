//! What a scenario asks of the machine, estimated before simulating: calls,
//! events and memory per replication, so that `check` can say it and `run`
//! can refuse a study no machine could hold instead of aborting part-way.
//!
//! The estimates are rough by design (a factor of two either way): events
//! are two per call (its arrival and its end) plus about four per accepted
//! callback (offer, ready, dial, end); memory is what the figures by
//! interval take, which is what grows with a scenario's size (one value
//! per metric, interval and queue for each replication in memory, and an
//! accumulator and an estimate per figure for the summary). The engine's
//! own state follows the contacts in the system and is bounded apart
//! ([`crate::engine::MAX_CONTACTS`]).

use crate::model::Model;
use crate::results::N_METRICS;

/// Events a second one core simulates, for a time estimate: the Erlang-A
/// benchmark (`scenarios/bench-erlang-a.toml`, 2.0 million events) runs in
/// 0.18 s on the 2-core reference machine; a scenario with callbacks and
/// many groups does fewer.
pub const EVENTS_PER_SECOND: f64 = 1e7;

/// Bytes of a figure kept for the summary: its running sums and its
/// estimate (mean, half-width, sd, n).
const SUMMARY_BYTES_PER_FIGURE: f64 = 64.0;

/// The work of one replication of a model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    /// Expected calls (first attempts) over the horizon.
    pub calls: f64,
    /// Expected events.
    pub events: f64,
    /// Bytes of one replication's figures.
    pub replication_bytes: f64,
    /// Bytes of the summary's figures (once per run, whatever the
    /// number of replications).
    pub summary_bytes: f64,
}

impl Workload {
    /// The estimate for `model`.
    pub fn of(model: &Model) -> Workload {
        let h = model.horizon();
        let (nq, ng) = (model.queues().len() as f64, model.groups().len() as f64);
        let mut calls = 0.0;
        let mut events = 0.0;
        for q in model.queues() {
            let n = q.expected_calls(h);
            let accept = q.callback.as_ref().map_or(0.0, |c| c.accept_probability);
            calls += n;
            events += n * (2.0 + 4.0 * accept);
        }
        let intervals = h.intervals as f64;
        // Per interval and per day: every queue's metrics, the total's,
        // every group's occupancy.
        let figures = (intervals + 1.0) * ((nq + 1.0) * N_METRICS as f64 + ng);
        Workload {
            calls,
            events,
            replication_bytes: figures * 8.0,
            summary_bytes: figures * SUMMARY_BYTES_PER_FIGURE,
        }
    }

    /// Bytes a run needs with `in_memory` replications held at once.
    pub fn bytes(&self, in_memory: usize) -> f64 {
        self.summary_bytes + self.replication_bytes * in_memory as f64
    }

    /// Seconds one core takes per replication, roughly.
    pub fn seconds(&self) -> f64 {
        self.events / EVENTS_PER_SECOND
    }
}

/// A byte count for people: "3.4 GB", "120 kB".
pub fn format_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = b;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 || v >= 100.0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    fn model(intervals: u32, queues: usize) -> Model {
        let mut text = format!(
            "[horizon]\nopen = \"{intervals}h\"\ninterval = \"1h\"\n[[agents]]\nname = \"a\"\nskills = [{}]\nstaffing = 5\n",
            (0..queues)
                .map(|q| format!("\"q{q}\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        for q in 0..queues {
            text.push_str(&format!(
                "[[queues]]\nname = \"q{q}\"\narrivals = {{ per_hour = 10 }}\nhandle_time = {{ dist = \"exponential\", mean = \"60s\" }}\n"
            ));
        }
        Scenario::from_toml(&text, "w", "w").unwrap().model
    }

    #[test]
    fn calls_events_and_memory_follow_the_scenario() {
        let w = model(10, 2);
        let w = Workload::of(&w);
        assert!((w.calls - 200.0).abs() < 1e-9, "{}", w.calls);
        assert!((w.events - 400.0).abs() < 1e-9, "{}", w.events);
        // 11 periods × (3 scopes × metrics + 1 group) values of 8 bytes.
        assert_eq!(
            w.replication_bytes,
            11.0 * (3.0 * N_METRICS as f64 + 1.0) * 8.0
        );
        // Ten times the intervals, ten times the memory (nearly).
        let big = Workload::of(&model(100, 2));
        let ratio = big.replication_bytes / w.replication_bytes;
        assert!((ratio - 101.0 / 11.0).abs() < 1e-9, "{ratio}");
        assert_eq!(w.bytes(2), w.summary_bytes + 2.0 * w.replication_bytes);
    }

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(format_bytes(512.0), "512 B");
        assert_eq!(format_bytes(1500.0), "1.5 kB");
        assert_eq!(format_bytes(3.4e9), "3.4 GB");
        assert_eq!(format_bytes(250e6), "250 MB");
        assert_eq!(format_bytes(5e15), "5000 TB");
    }
}
