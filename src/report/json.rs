//! The JSON summary of SPEC §6, with more beside it: every estimate also
//! has its `sd` and `n`, and `intervals` holds the same figures for the
//! calls arriving in each interval, named in clock time.

use crate::results::{Estimate, Scope, Summary};
use serde_json::{Map, Value, json};

/// A number for JSON; `null` when undefined (JSON has no NaN).
pub fn json_number(x: f64) -> Value {
    // JSON has no NaN: an undefined figure (e.g. ASA with nothing answered) is null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// `{"mean", "ci95", "sd", "n"}`: SPEC §6's two fields first.
pub fn estimate_json(e: &Estimate) -> Value {
    json!({
        "mean": json_number(e.mean),
        "ci95": json_number(e.half_width),
        "sd": json_number(e.sd),
        "n": e.n,
    })
}

/// Every metric of `scope`, by name, from `get(scope, metric)`.
fn scope_json(
    scope: Scope,
    get: &impl Fn(Scope, crate::results::Metric) -> Option<Estimate>,
) -> Value {
    Value::Object(
        scope
            .metrics()
            .iter()
            .filter_map(|&m| Some((m.name().to_string(), estimate_json(&get(scope, m)?))))
            .collect(),
    )
}

/// `queues`, `total` and `agents` of one period, from `get`.
fn period(
    s: &Summary,
    get: impl Fn(Scope, crate::results::Metric) -> Option<Estimate>,
    agents: impl Fn(usize, Value) -> Value,
) -> (Value, Value, Value) {
    let mut queues = Map::new();
    let mut groups = Map::new();
    for scope in s.scopes() {
        let name = s.scope_name(scope).to_string();
        match scope {
            Scope::Queue(_) => {
                queues.insert(name, scope_json(scope, &get));
            }
            Scope::Group(g) => {
                groups.insert(name, agents(g, scope_json(scope, &get)));
            }
            Scope::Total => {}
        }
    }
    (
        Value::Object(queues),
        scope_json(Scope::Total, &get),
        Value::Object(groups),
    )
}

/// The summary as SPEC §6's JSON object:
/// `{"scenario", "replications", "seed", "queues": {name: {metric: {mean, ci95, sd, n}}},
/// "total": {...}, "agents": {name: {"occupancy": {...}}}}`, then
/// `"horizon"` and `"intervals"`: per interval its clock time and the same
/// `queues`, `total` and `agents` (with their `staffing`) for the calls
/// arriving in it.
pub fn summary_json(s: &Summary) -> Value {
    let (queues, total, agents) = period(s, |sc, m| s.estimate(sc, m), |_, v| v);
    let h = &s.horizon;
    let intervals: Vec<Value> = (0..s.intervals())
        .map(|k| {
            let staffed = |g: usize, mut v: Value| {
                if let Value::Object(o) = &mut v {
                    o.insert("staffing".into(), json!(s.staffing(k, g)));
                }
                v
            };
            let (queues, total, agents) = period(s, |sc, m| s.interval(k, sc, m), staffed);
            json!({
                "interval": k,
                "start": h.interval_clock(k),
                "start_s": json_number(h.interval_start(k)),
                "end_s": json_number(h.interval_end(k)),
                "queues": queues,
                "total": total,
                "agents": agents,
            })
        })
        .collect();
    json!({
        "scenario": s.scenario,
        "replications": s.replications,
        "seed": s.seed,
        "queues": queues,
        "total": total,
        "agents": agents,
        "horizon": {
            "start": h.clock(0.0),
            "interval_s": json_number(h.interval),
            "intervals": h.intervals,
        },
        "intervals": intervals,
    })
}
