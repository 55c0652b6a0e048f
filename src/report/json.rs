//! The JSON summary of SPEC §6.

use crate::stats::{Estimate, METRICS, N_METRICS, Summary};
use serde_json::{Map, Value, json};

/// A number for JSON; `null` when undefined (JSON has no NaN).
pub fn json_number(x: f64) -> Value {
    // JSON has no NaN: an undefined figure (e.g. ASA with nothing answered) is null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn estimate(e: &Estimate) -> Value {
    json!({"mean": json_number(e.mean), "ci95": json_number(e.half_width)})
}

fn scope(values: &[Estimate; N_METRICS]) -> Value {
    Value::Object(
        METRICS
            .iter()
            .zip(values)
            .map(|(m, e)| (m.name.to_string(), estimate(e)))
            .collect(),
    )
}

/// The summary as SPEC §6's JSON object:
/// `{"scenario", "replications", "seed", "queues": {name: {metric: {mean, ci95}}},
/// "total": {...}, "agents": {name: {"occupancy": {mean, ci95}}}}`.
pub fn summary_json(s: &Summary) -> Value {
    let queues: Map<String, Value> = s
        .queue_names
        .iter()
        .zip(&s.queues)
        .map(|(n, v)| (n.clone(), scope(v)))
        .collect();
    let agents: Map<String, Value> = s
        .group_names
        .iter()
        .zip(&s.occupancy)
        .map(|(n, e)| (n.clone(), json!({"occupancy": estimate(e)})))
        .collect();
    json!({
        "scenario": s.scenario,
        "replications": s.replications,
        "seed": s.seed,
        "queues": queues,
        "total": scope(&s.total),
        "agents": agents,
    })
}
