//! `ccsim erlang`: the exact Erlang C / Erlang A calculator.

use super::Failure;
use ccsim::analytic::erlang_a::{Figures, required_agents};
use ccsim::analytic::{ErlangA, ErlangC, scheduled};
use ccsim::model::{
    MAX_DURATION_TEXT, format_duration, format_number, parse_duration, within_limit,
};
use ccsim::report;
use clap::Args;
use serde_json::json;

/// A duration above 0, at most the scenario files' limit (beyond it the
/// figures overflow: "AHT infs").
fn duration(s: &str) -> Result<f64, String> {
    let v = parse_duration(s)?;
    if within_limit(v) && v > 0.0 {
        Ok(v)
    } else {
        Err(format!(
            "must be a duration above 0 and at most {MAX_DURATION_TEXT}, got {s:?}"
        ))
    }
}

fn non_negative_duration(s: &str) -> Result<f64, String> {
    let v = parse_duration(s)?;
    if within_limit(v) && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!(
            "must be a duration from 0 to {MAX_DURATION_TEXT}, got {s:?}"
        ))
    }
}

fn open_fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "must be a fraction strictly between 0 and 1, got {s:?}"
        )),
    }
}

fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("must be a fraction between 0 and 1, got {s:?}")),
    }
}

/// The most calls per hour the exact computation is asked to hold.
const MAX_PER_HOUR: f64 = 1e7;

fn rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= MAX_PER_HOUR => Ok(v),
        _ => Err(format!(
            "must be a number of calls from above 0 to 1e7, got {s:?}"
        )),
    }
}

fn calls(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("must be a number of calls above 0, got {s:?}")),
    }
}

fn shrinkage(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "must be a fraction of at least 0 and below 1, got {s:?}"
        )),
    }
}

/// The planning interval `--per-interval` counts calls in when `--interval`
/// is not given: the scenario files' default.
const DEFAULT_INTERVAL: f64 = 1800.0;

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("size").required(true).args(["agents", "target_sl"])))]
#[command(group(clap::ArgGroup::new("volume").required(true).args(["per_hour", "per_interval"])))]
pub struct ErlangArgs {
    /// Agents staffed (on the phones).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    agents: Option<u32>,
    /// Calls arriving per hour.
    #[arg(long, value_name = "L", value_parser = rate)]
    per_hour: Option<f64>,
    /// Calls arriving per planning interval (instead of --per-hour), as a
    /// forecast gives them.
    #[arg(long, value_name = "N", value_parser = calls)]
    per_interval: Option<f64>,
    /// The planning interval --per-interval counts calls in [default: 30m].
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    interval: Option<f64>,
    /// Mean handle time (talk plus wrap-up), e.g. 300s or 5m.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    aht: f64,
    /// Mean patience (exponential): Erlang A. Without it: Erlang C, nobody abandons.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    patience: Option<f64>,
    /// Service-level threshold T.
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = non_negative_duration)]
    sl: f64,
    /// Find the least agents whose service level reaches this fraction (instead of --agents).
    #[arg(long, value_name = "FRACTION", value_parser = open_fraction, conflicts_with = "agents")]
    target_sl: Option<f64>,
    /// With --target-sl: also keep the abandonment rate at or below this fraction.
    #[arg(long, value_name = "FRACTION", value_parser = fraction, requires = "target_sl")]
    max_abandon: Option<f64>,
    /// Share of paid time off the phones (0 to below 1): also report the
    /// agents to schedule, ceil(agents / (1 - shrinkage)).
    #[arg(long, value_name = "FRACTION", value_parser = shrinkage)]
    shrinkage: Option<f64>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// The arrival volume, as given and as calls per hour.
#[derive(Clone, Copy, Debug)]
enum Volume {
    PerHour(f64),
    /// Calls per interval of this many seconds.
    PerInterval(f64, f64),
}

impl Volume {
    fn per_hour(self) -> f64 {
        match self {
            Volume::PerHour(l) => l,
            Volume::PerInterval(n, d) => n * 3600.0 / d,
        }
    }
}

impl ErlangArgs {
    /// The volume `--per-hour` or `--per-interval` gives (clap requires
    /// exactly one), within what the exact computation holds.
    fn volume(&self) -> Result<Volume, Failure> {
        let v = match (self.per_hour, self.per_interval) {
            (Some(l), None) => Volume::PerHour(l),
            (None, Some(n)) => Volume::PerInterval(n, self.interval.unwrap_or(DEFAULT_INTERVAL)),
            _ => unreachable!("clap requires exactly one of --per-hour and --per-interval"),
        };
        if v.per_hour() > MAX_PER_HOUR {
            return Err(Failure::bad_input(format!(
                "--per-interval: {} calls per {} is {} calls per hour; at most 1e7",
                format_number(self.per_interval.unwrap_or_default()),
                format_duration(self.interval.unwrap_or(DEFAULT_INTERVAL)),
                // Beyond f64 (1e308 calls per second): say so, not "inf".
                if v.per_hour().is_finite() {
                    format!("{:e}", v.per_hour())
                } else {
                    "more than 1e308".to_string()
                }
            )));
        }
        Ok(v)
    }
}

pub fn erlang(args: ErlangArgs) -> Result<(), Failure> {
    if args.max_abandon.is_some() && args.target_sl.is_none() {
        return Err(Failure::bad_input("--max-abandon goes with --target-sl"));
    }
    // Checked here: clap's `requires` counts an argument of a group as
    // present when another of the group is.
    if args.interval.is_some() && args.per_interval.is_none() {
        return Err(Failure::bad_input(
            "--interval goes with --per-interval (calls per interval)",
        ));
    }
    let volume = args.volume()?;
    let lambda = volume.per_hour() / 3600.0;
    if let Some(p) = args.patience {
        // The smallest team has the longest queue: size the chain for it.
        let smallest = ErlangA {
            agents: args.agents.unwrap_or(1),
            arrival_rate: lambda,
            mean_handle: args.aht,
            mean_patience: p,
        };
        smallest.check_size(args.sl).map_err(Failure::bad_input)?;
    }
    let figures = |n: u32| match args.patience {
        Some(p) => ErlangA {
            agents: n,
            arrival_rate: lambda,
            mean_handle: args.aht,
            mean_patience: p,
        }
        .figures(args.sl),
        None => ErlangC {
            agents: n,
            arrival_rate: lambda,
            mean_handle: args.aht,
        }
        .figures(args.sl),
    };
    let agents = match (args.agents, args.target_sl) {
        (Some(n), _) => n,
        (None, Some(target)) => {
            required_agents(figures, target, args.max_abandon).ok_or_else(|| {
                Failure::bad_input("no team of up to 100000 agents meets the target".to_string())
            })?
        }
        (None, None) => unreachable!("clap requires --agents or --target-sl"),
    };
    let f = figures(agents);
    super::show(
        args.json,
        || to_json(&args, volume, &f),
        || to_text(&args, volume, &f),
    )
}

fn to_json(args: &ErlangArgs, volume: Volume, f: &Figures) -> serde_json::Value {
    let (per_interval, interval) = match volume {
        Volume::PerHour(_) => (None, None),
        Volume::PerInterval(n, d) => (Some(n), Some(d)),
    };
    json!({
        "model": if args.patience.is_some() { "erlang_a" } else { "erlang_c" },
        "agents": f.agents,
        "per_hour": volume.per_hour(),
        "per_interval": per_interval,
        "interval": interval,
        "aht": args.aht,
        "patience": args.patience,
        "sl_threshold": args.sl,
        "target_sl": args.target_sl,
        "shrinkage": args.shrinkage,
        // Without --shrinkage, nobody is off the phones: the agents themselves.
        "scheduled": scheduled(f.agents, args.shrinkage.unwrap_or(0.0)),
        "offered_load": report::json_number(f.offered_load),
        "occupancy": report::json_number(f.occupancy),
        "p_wait": report::json_number(f.p_wait),
        "p_abandon": report::json_number(f.p_abandon),
        "asa": report::json_number(f.asa),
        "mean_wait": report::json_number(f.mean_wait),
        "service_level": report::json_number(f.service_level),
    })
}

fn to_text(args: &ErlangArgs, volume: Volume, f: &Figures) -> String {
    let model = match args.patience {
        Some(p) => format!("Erlang A (mean patience {})", format_duration(p)),
        None => "Erlang C (no abandonment)".to_string(),
    };
    let pct = |x: f64| format!("{:.2}%", 100.0 * x);
    let secs = |x: f64| {
        if x.is_finite() {
            format!("{x:.2} s")
        } else {
            "unbounded".to_string()
        }
    };
    let calls = match volume {
        Volume::PerHour(l) => format!("{l:.1} calls/h"),
        Volume::PerInterval(n, d) => format!(
            "{n} calls per {} ({:.1} calls/h)",
            format_duration(d),
            volume.per_hour()
        ),
    };
    let mut out = format!("{model}: {calls}, AHT {}\n", format_duration(args.aht));
    if let Some(t) = args.target_sl {
        out.push_str(&format!(
            "least agents for service level {}{}: {}\n",
            pct(t),
            args.max_abandon.map_or(String::new(), |m| format!(
                " and abandonment at most {}",
                pct(m)
            )),
            f.agents
        ));
    }
    let sl = format!(
        "{} (answered within {} / answered + abandoned)",
        pct(f.service_level),
        format_duration(args.sl)
    );
    let scheduled = args.shrinkage.map(|s| {
        (
            "scheduled",
            format!(
                "{} (agents / (1 - {} shrinkage), rounded up)",
                scheduled(f.agents, s),
                pct(s)
            ),
        )
    });
    let rows = [
        Some(("agents", f.agents.to_string())),
        scheduled,
        Some(("offered load", format!("{:.2} Erlangs", f.offered_load))),
        Some(("occupancy", pct(f.occupancy))),
        Some(("p_wait", pct(f.p_wait))),
        Some(("p_abandon", pct(f.p_abandon))),
        Some(("asa", secs(f.asa))),
        Some(("mean_wait", secs(f.mean_wait))),
        Some(("service_level", sl)),
    ];
    for (k, v) in rows.into_iter().flatten() {
        out.push_str(&format!("  {k:<14} {v}\n"));
    }
    if args.patience.is_none() && f.offered_load >= f64::from(f.agents) {
        out.push_str("  the load is at or above the agents: the queue grows without bound\n");
    }
    out
}
