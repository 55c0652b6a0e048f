//! The engine against exact theory: a grid of single-queue cases, each
//! simulated and compared metric by metric with its exact steady-state
//! value (Erlang C, Erlang A, the callback chain of
//! [`analytic::callback`](crate::analytic::callback), or the birth–death
//! chain with a capacity, lines and balking of
//! [`analytic::limits`](crate::analytic::limits): M/M/n/K and Erlang A
//! with balking).
//!
//! A metric agrees when the exact value lies in the confidence interval of
//! the simulated mean across replications. With dozens of checks at 99%, a
//! correct engine still misses about one check in a hundred by chance; a
//! miss that persists across seeds is a bug.

use crate::analytic::callback::CallbackModel;
use crate::analytic::{ErlangA, ErlangC, LimitedQueue};
use crate::engine::run_replications;
use crate::model::{CallbackSpec, DistSpec, ModelBuilder, QueueSpec, Scenario};
use crate::plan::RunPlan;
use crate::results::{Estimate, Metric, Replication, Scope};

/// One validation case: a single queue with Poisson arrivals and
/// exponential handle time.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub agents: u32,
    pub per_hour: f64,
    /// Mean handle time, seconds.
    pub aht: f64,
    /// Mean exponential patience, seconds; `None`: nobody abandons.
    pub patience: Option<f64>,
    /// Service-level threshold, seconds.
    pub sl: f64,
    /// Callbacks offered when at least `k` callers hold, accepted with
    /// probability `p`, served after every waiting caller.
    pub callback: Option<(u32, f64)>,
    /// Callers who may hold (`capacity`).
    pub capacity: Option<u32>,
    /// Calls in the system, holding or talking (`lines`).
    pub lines: Option<u32>,
    /// Probability that a caller who finds no agent free hangs up at once.
    pub balk: f64,
}

impl Case {
    fn new(agents: u32, load: f64, aht: f64, patience: Option<f64>) -> Case {
        let name = match patience {
            Some(p) => format!("n={agents} rho={load} aht={aht}s patience={p}s"),
            None => format!("n={agents} rho={load} aht={aht}s no-abandon"),
        };
        Case {
            name,
            agents,
            per_hour: f64::from(agents) * load / aht * 3600.0,
            aht,
            patience,
            sl: 20.0,
            callback: None,
            capacity: None,
            lines: None,
            balk: 0.0,
        }
    }

    /// Whether the case has a capacity, lines or balking.
    fn limited(&self) -> bool {
        self.capacity.is_some() || self.lines.is_some() || self.balk > 0.0
    }

    /// Offered load ÷ agents.
    pub fn load(&self) -> f64 {
        self.per_hour / 3600.0 * self.aht / f64::from(self.agents)
    }
}

/// The built-in grid: small to large teams (1 to 1000 agents), light to
/// overloaded traffic (ρ from 0.5 to 1.3 where patience keeps it stable),
/// short and long patience, no abandonment, and one callback case.
pub fn grid() -> Vec<Case> {
    let mut cases = vec![
        Case::new(1, 0.5, 60.0, None),
        Case::new(1, 0.9, 60.0, Some(60.0)),
        Case::new(5, 0.8, 180.0, None),
        Case::new(10, 1.1, 180.0, Some(120.0)),
        Case::new(20, 0.7, 300.0, Some(900.0)),
        Case::new(50, 0.95, 180.0, None),
        Case::new(50, 1.3, 300.0, Some(60.0)),
        Case::new(100, 0.3533 * 300.0 / 100.0, 300.0, Some(180.0)),
        Case::new(200, 0.9, 300.0, Some(300.0)),
        Case::new(500, 1.0, 240.0, Some(120.0)),
        Case::new(1000, 0.97, 300.0, None),
        Case::new(1000, 1.2, 300.0, Some(180.0)),
    ];
    let mut cb = Case::new(20, 0.95, 240.0, Some(180.0));
    cb.callback = Some((3, 0.5));
    cb.name = format!("{} callbacks k=3 p=0.5", cb.name);
    cases.push(cb);
    // M/M/n/K: overloaded, yet stable with room for only K holding.
    let mut mmnk = Case::new(5, 1.2, 180.0, None);
    mmnk.capacity = Some(4);
    mmnk.name = format!("{} capacity=4", mmnk.name);
    cases.push(mmnk);
    // A trunk limit a little above the agents, with patience.
    let mut lines = Case::new(30, 0.95, 240.0, Some(300.0));
    lines.lines = Some(34);
    lines.name = format!("{} lines=34", lines.name);
    cases.push(lines);
    // Erlang A with balking: a fifth hang up on hearing they must wait.
    let mut balk = Case::new(50, 1.05, 300.0, Some(180.0));
    balk.balk = 0.2;
    balk.name = format!("{} balk=0.2", balk.name);
    cases.push(balk);
    cases
}

/// How much simulation each case gets.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    /// Expected calls per replication (after warm-up).
    pub calls: f64,
    pub replications: u32,
    pub seed: u64,
}

impl Effort {
    /// The default: tight intervals in well under two minutes on two cores.
    pub const FULL: Effort = Effort {
        calls: 400_000.0,
        replications: 30,
        seed: 1,
    };
    /// For CI: the same checks with about a twentieth of the work.
    pub const QUICK: Effort = Effort {
        calls: 40_000.0,
        replications: 15,
        seed: 1,
    };
}

/// The case as a model and plan: one interval spanning the whole horizon,
/// a warm-up of 50 relaxation times, a seed of its own derived from the
/// base seed and the case name.
pub fn scenario(case: &Case, effort: &Effort) -> Scenario {
    let rate = case.per_hour / 3600.0;
    // Start-up from an empty system fades over a few relaxation times:
    // handle and patience times, and without abandonment aht / (1 − ρ),
    // which near critical load is far longer.
    let relaxation = match case.patience {
        Some(p) => case.aht.max(p),
        // A capacity bounds the line, whatever the load.
        None if case.capacity.is_some() => case.aht,
        None => case.aht.max(case.aht / (1.0 - case.load()) / 5.0),
    };
    let warmup = 50.0 * relaxation;
    let open = warmup + effort.calls / rate;
    let mut queue = QueueSpec::new("q", DistSpec::exponential(case.aht))
        .service_level(case.sl)
        .per_hour(case.per_hour);
    if let Some(p) = case.patience {
        queue = queue.patience(DistSpec::exponential(p));
    }
    if let Some(k) = case.capacity {
        queue = queue.capacity(k);
    }
    if let Some(l) = case.lines {
        queue = queue.lines(l);
    }
    if case.balk > 0.0 {
        queue = queue.balk_probability(case.balk);
    }
    if let Some((k, p)) = case.callback {
        queue = queue.callback(
            CallbackSpec::offer_if_callers_ahead(k)
                .accept_probability(p)
                .priority(-1),
        );
    }
    let model = ModelBuilder::new("validation", open, open)
        .warmup(warmup)
        .queue(queue)
        .group("agents", &["q"], &[case.agents])
        .build()
        .expect("validation cases are valid models");
    Scenario {
        model,
        plan: RunPlan {
            replications: effort.replications,
            // Each case its own streams: with one seed for all, every case
            // would see the same uniform draws and their errors would move
            // together.
            seed: effort.seed ^ crate::rng::name_key(&case.name),
        },
    }
}

/// A figure a case checks: a metric of the queue (occupancy: of the
/// group), or the share of calls converted to a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    Metric(Metric),
    /// `callbacks_requested ÷ offered`.
    PCallback,
    /// `blocked ÷ offered`.
    PBlocked,
    /// `balked ÷ offered`.
    PBalked,
}

impl Checked {
    pub fn name(self) -> &'static str {
        match self {
            Checked::Metric(m) => m.name(),
            Checked::PCallback => "p_callback",
            Checked::PBlocked => "p_blocked",
            Checked::PBalked => "p_balked",
        }
    }

    /// The figure in one replication.
    fn simulated(self, r: &Replication) -> f64 {
        let at = |m: Metric| {
            let scope = if m == Metric::Occupancy {
                Scope::Group(0)
            } else {
                Scope::Queue(0)
            };
            r.value(scope, m).expect("the case's one queue and group")
        };
        match self {
            Checked::Metric(m) => at(m),
            Checked::PCallback => at(Metric::CallbacksRequested) / at(Metric::Offered),
            Checked::PBlocked => at(Metric::Blocked) / at(Metric::Offered),
            Checked::PBalked => at(Metric::Balked) / at(Metric::Offered),
        }
    }
}

/// The exact value of every figure the case checks.
pub fn exact(case: &Case) -> Result<Vec<(Checked, f64)>, String> {
    use Checked::{Metric as M, PBalked, PBlocked, PCallback};
    let lambda = case.per_hour / 3600.0;
    if case.limited() {
        let f = LimitedQueue {
            agents: case.agents,
            arrival_rate: lambda,
            mean_handle: case.aht,
            mean_patience: case.patience.unwrap_or(f64::INFINITY),
            balk_probability: case.balk,
            capacity: case.capacity,
            lines: case.lines,
        }
        .figures(case.sl)?;
        let mut out = vec![(M(Metric::PWait), f.p_no_agent_free)];
        if case.capacity.is_some() || case.lines.is_some() {
            out.push((PBlocked, f.p_blocked));
        }
        if case.balk > 0.0 {
            out.push((PBalked, f.p_balk));
        }
        if case.patience.is_some() || case.balk > 0.0 {
            out.push((M(Metric::AbandonRate), f.p_abandoned));
        }
        out.extend([
            (M(Metric::Asa), f.asa),
            (M(Metric::MeanWait), f.mean_wait),
            (M(Metric::ServiceLevel), f.service_level),
            (M(Metric::Occupancy), f.occupancy),
        ]);
        return Ok(resolvable(out));
    }
    if let Some((k, p)) = case.callback {
        let r = CallbackModel {
            agents: case.agents,
            arrival_rate: lambda,
            mean_handle: case.aht,
            mean_patience: case.patience.ok_or("the callback chain needs patience")?,
            callers_ahead: k,
            accept_probability: p,
        }
        .solve()?;
        return Ok(resolvable(vec![
            (M(Metric::PWait), r.p_wait),
            (PCallback, r.p_callback),
            (M(Metric::AbandonRate), r.p_abandon),
            (M(Metric::Asa), r.asa),
            (M(Metric::Occupancy), r.occupancy),
        ]));
    }
    let f = match case.patience {
        Some(p) => ErlangA {
            agents: case.agents,
            arrival_rate: lambda,
            mean_handle: case.aht,
            mean_patience: p,
        }
        .figures(case.sl),
        None => {
            let c = ErlangC {
                agents: case.agents,
                arrival_rate: lambda,
                mean_handle: case.aht,
            };
            if !c.is_stable() {
                return Err(format!(
                    "{}: load at or above the agents has no steady state",
                    case.name
                ));
            }
            c.figures(case.sl)
        }
    };
    let mut out = vec![(M(Metric::PWait), f.p_wait)];
    if case.patience.is_some() {
        out.push((M(Metric::AbandonRate), f.p_abandon));
    }
    out.extend([
        (M(Metric::Asa), f.asa),
        (M(Metric::MeanWait), f.mean_wait),
        (M(Metric::ServiceLevel), f.service_level),
        (M(Metric::Occupancy), f.occupancy),
    ]);
    Ok(resolvable(out))
}

/// Drops the probabilities within 10⁻⁴ of 0 or 1: in heavy overload an
/// arrival finds a free agent perhaps once in a million calls, in rare
/// clustered excursions, so every replication shows exactly 1 and its
/// interval has zero width. Such a check says nothing about the engine.
fn resolvable(checks: Vec<(Checked, f64)>) -> Vec<(Checked, f64)> {
    use Metric::{Occupancy, PWait, ServiceLevel};
    checks
        .into_iter()
        .filter(|(m, v)| {
            !matches!(m, Checked::Metric(PWait | ServiceLevel | Occupancy))
                || (1e-4..=1.0 - 1e-4).contains(v)
        })
        .collect()
}

/// One metric of one case.
#[derive(Clone, Debug)]
pub struct Check {
    pub case: String,
    pub metric: Checked,
    pub exact: f64,
    /// Simulated mean and its half-width at `level`.
    pub simulated: Estimate,
    pub level: f64,
}

impl Check {
    /// Whether the exact value lies in the interval.
    pub fn agrees(&self) -> bool {
        self.simulated.covers(self.exact)
    }

    /// (simulated − exact) in standard errors of the mean.
    pub fn z(&self) -> f64 {
        (self.simulated.mean - self.exact) / (self.simulated.sd / (self.simulated.n as f64).sqrt())
    }
}

/// Simulates `case` and compares every metric with its exact value.
pub fn run_case(
    case: &Case,
    effort: &Effort,
    level: f64,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Check>, String> {
    let exact = exact(case)?;
    let sc = scenario(case, effort);
    let reps = run_replications(&sc.model, &sc.plan, done).map_err(|e| e.to_string())?;
    Ok(exact
        .into_iter()
        .map(|(metric, value)| Check {
            case: case.name.clone(),
            metric,
            exact: value,
            simulated: Estimate::with_level(reps.iter().map(|r| metric.simulated(r)), level),
            level,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_covers_the_promised_range() {
        let g = grid();
        assert!(g.len() >= 12);
        assert!(g.iter().any(|c| c.agents == 1) && g.iter().any(|c| c.agents >= 1000));
        assert!(g.iter().any(|c| c.load() <= 0.5) && g.iter().any(|c| c.load() >= 1.3));
        assert!(g.iter().any(|c| c.patience.is_none()));
        assert!(g.iter().any(|c| c.patience.is_some_and(|p| p <= 60.0)));
        assert!(g.iter().any(|c| c.patience.is_some_and(|p| p >= 900.0)));
        assert!(g.iter().any(|c| c.callback.is_some()));
        assert!(
            g.iter()
                .any(|c| c.capacity.is_some() && c.patience.is_none())
        );
        assert!(g.iter().any(|c| c.lines.is_some()));
        assert!(g.iter().any(|c| c.balk > 0.0 && c.patience.is_some()));
        for c in &g {
            assert!(
                c.patience.is_some() || c.capacity.is_some() || c.load() < 1.0,
                "{} has no steady state",
                c.name
            );
        }
    }

    #[test]
    fn every_case_has_exact_values() {
        for c in grid() {
            let e = exact(&c).unwrap();
            assert!(e.len() >= 4, "{}: {e:?}", c.name);
            assert!(e.iter().all(|(_, v)| v.is_finite()), "{}: {e:?}", c.name);
        }
    }

    #[test]
    fn scenarios_have_the_requested_volume() {
        for c in grid() {
            let sc = scenario(&c, &Effort::QUICK);
            let h = sc.model.horizon();
            let counted = (h.open - h.warmup) * c.per_hour / 3600.0;
            assert!((counted - Effort::QUICK.calls).abs() < 1.0, "{}", c.name);
        }
    }
}
