//! The JSON summary of SPEC §6.

use crate::results::{Estimate, Scope, Summary};
use serde_json::{Map, Value, json};

/// A number for JSON; `null` when undefined (JSON has no NaN).
pub fn json_number(x: f64) -> Value {
    // JSON has no NaN: an undefined figure (e.g. ASA with nothing answered) is null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn estimate(e: &Estimate) -> Value {
    json!({"mean": json_number(e.mean), "ci95": json_number(e.half_width)})
}

/// Every metric of `scope`, by name.
fn scope(s: &Summary, scope: Scope) -> Value {
    Value::Object(
        scope
            .metrics()
            .iter()
            .filter_map(|&m| Some((m.name().to_string(), estimate(&s.estimate(scope, m)?))))
            .collect(),
    )
}

/// The summary as SPEC §6's JSON object:
/// `{"scenario", "replications", "seed", "queues": {name: {metric: {mean, ci95}}},
/// "total": {...}, "agents": {name: {"occupancy": {mean, ci95}}}}`.
pub fn summary_json(s: &Summary) -> Value {
    let named = |scopes: Vec<Scope>| -> Map<String, Value> {
        scopes
            .into_iter()
            .map(|sc| (s.scope_name(sc).to_string(), scope(s, sc)))
            .collect()
    };
    let queues = named(
        s.scopes()
            .filter(|sc| matches!(sc, Scope::Queue(_)))
            .collect(),
    );
    let agents = named(
        s.scopes()
            .filter(|sc| matches!(sc, Scope::Group(_)))
            .collect(),
    );
    json!({
        "scenario": s.scenario,
        "replications": s.replications,
        "seed": s.seed,
        "queues": queues,
        "total": scope(s, Scope::Total),
        "agents": agents,
    })
}
