//! Erlang A: M/M/n+M, one FCFS queue with `n` agents, Poisson arrivals at
//! rate `λ`, exponential handle times (mean `1/μ`) and exponential patience
//! (mean `1/θ`).
//!
//! # The chain
//!
//! The number of calls in the system `N` is a birth–death chain with birth
//! rate `λ` and death rate `min(k, n)·μ + (k − n)⁺·θ` in state `k`. Its
//! stationary distribution is `π_k ∝ Π_{i≤k} λ / death(i)`, computed here
//! in log space and normalised with a log-sum-exp, so no factorial or power
//! overflows for thousands of agents or heavy overload; the sum is cut where
//! the terms fall below `e⁻⁶⁰` of the largest (they then fall geometrically).
//! By PASTA an arrival sees `π`:
//!
//! - `P(wait > 0) = Σ_{k≥n} π_k`;
//! - `P(abandon) = θ·E[(N − n)⁺] / λ` (abandonments balance the rate at which
//!   holding callers give up);
//! - the mean time on hold of all calls is `E[(N − n)⁺] / λ` (Little).
//!
//! # The wait of a caller who is answered
//!
//! A caller arriving in state `k ≥ n` joins at position `j = k − n + 1`.
//! While at position `i` it moves up when an agent frees up (`nμ`) or one of
//! the `i − 1` callers ahead abandons (`(i − 1)θ`), and gives up itself at
//! rate `θ`: stage `i` lasts `Exp(r_i)` with `r_i = nμ + iθ`, whatever ends
//! it, and is survived with probability `(r_i − θ)/r_i`. Hence
//!
//! - `P(answered | j) = Π_{i=1..j} (r_i − θ)/r_i = nμ / (nμ + jθ)`;
//! - given answered, the wait is `S_j = Σ_{i=1..j} Exp(r_i)` (the stage
//!   lengths do not depend on how the stages end), so
//!   `E[wait | answered, j] = Σ_{i=1..j} 1/r_i`;
//! - `P(answered, wait ≤ T | j) = P(answered | j) · P(S_j ≤ T)`.
//!
//! `P(S_j ≤ T)` for every `j` at once comes from uniformization: with
//! `Λ ≥ r_j` for all `j`, `P(S_j ≤ T) = Σ_m Poisson(m; ΛT) · q_j(m)`, where
//! `q_j(m)`, the chance that `j` stages complete within `m` ticks, obeys
//! `q_j(m) = (r_j/Λ)·q_{j−1}(m−1) + (1 − r_j/Λ)·q_j(m−1)`, `q_0 = 1`. All
//! terms are probabilities, so there is no cancellation (unlike the
//! closed-form hypoexponential CDF with many close rates).
//!
//! The service level of SPEC §5, answered within `T` ÷ (answered +
//! abandoned), is then `P(N < n) + Σ_{k≥n} π_k · P(answered, wait ≤ T | j)`,
//! since every call is answered or abandons.

use super::erlang_c::ErlangC;

/// Most states [`ErlangA::check_size`] accepts.
pub const MAX_STATES: f64 = 5e6;
/// Most uniformization steps × positions [`ErlangA::check_size`] accepts.
pub const MAX_WORK: f64 = 2e9;
use statrs::function::gamma::ln_gamma;

/// The figures of one queue in steady state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    pub agents: u32,
    /// λ / μ, in Erlangs.
    pub offered_load: f64,
    /// Fraction of agent time busy.
    pub occupancy: f64,
    /// Probability that a call finds every agent busy.
    pub p_wait: f64,
    /// Probability that a call abandons.
    pub p_abandon: f64,
    /// Mean wait of answered calls, seconds.
    pub asa: f64,
    /// Mean time on hold of all calls (abandoned ones until they hang up), seconds.
    pub mean_wait: f64,
    /// Answered within the threshold ÷ (answered + abandoned).
    pub service_level: f64,
}

impl ErlangC {
    /// All figures, with the service level at threshold `t` seconds. An
    /// unstable queue (load ≥ agents) has infinite waits and service level 0.
    pub fn figures(&self, t: f64) -> Figures {
        let stable = self.is_stable();
        let asa = if stable { self.asa() } else { f64::INFINITY };
        Figures {
            agents: self.agents,
            offered_load: self.offered_load(),
            occupancy: self.occupancy().min(1.0),
            p_wait: self.p_wait(),
            p_abandon: 0.0,
            asa,
            mean_wait: asa,
            service_level: if stable { self.service_level(t) } else { 0.0 },
        }
    }
}

/// M/M/n+M with its parameters (seconds).
#[derive(Clone, Copy, Debug)]
pub struct ErlangA {
    pub agents: u32,
    /// Calls per second.
    pub arrival_rate: f64,
    /// Mean handle time, seconds.
    pub mean_handle: f64,
    /// Mean patience, seconds.
    pub mean_patience: f64,
}

impl ErlangA {
    /// Offered load in Erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate * self.mean_handle
    }

    /// Whether the exact computation fits in reasonable time and memory:
    /// at most [`MAX_STATES`] states in the chain and [`MAX_WORK`] steps for
    /// the service level at threshold `t`.
    pub fn check_size(&self, t: f64) -> Result<(), String> {
        let lambda = self.arrival_rate;
        let capacity = f64::from(self.agents) / self.mean_handle;
        // The queue settles where abandonment takes the excess load, and
        // spreads over a few standard deviations around that.
        let queue = (lambda - capacity).max(0.0) * self.mean_patience
            + 40.0 * (lambda * self.mean_patience).sqrt()
            + 100.0;
        let states = f64::from(self.agents) + queue;
        if states.is_nan() || states > MAX_STATES {
            return Err(format!(
                "the queue would reach about {states:.2e} callers: the load or the patience is too \
                 large for the exact computation (at most {MAX_STATES} states)"
            ));
        }
        let work = (capacity + queue / self.mean_patience) * t * queue;
        if work.is_nan() || work > MAX_WORK {
            return Err(format!(
                "the service-level threshold {t} s is too long for a queue of about {queue:.0} \
                 callers ({work:.0e} steps, at most {MAX_WORK:.0e})"
            ));
        }
        Ok(())
    }

    /// The stationary distribution of the number in system, from 0 up to
    /// where it becomes negligible.
    fn distribution(&self) -> Vec<f64> {
        let n = self.agents as usize;
        let (lambda, mu, theta) = (
            self.arrival_rate,
            1.0 / self.mean_handle,
            1.0 / self.mean_patience,
        );
        let ln_lambda = lambda.ln();
        let mut logs = vec![0.0];
        let mut max = 0.0f64;
        for k in 1.. {
            let death = (k.min(n) as f64) * mu + (k.saturating_sub(n) as f64) * theta;
            let l = logs[k - 1] + ln_lambda - death.ln();
            logs.push(l);
            max = max.max(l);
            if k >= n && death > lambda && l < max - 60.0 {
                break;
            }
        }
        let total: f64 = logs.iter().map(|l| (l - max).exp()).sum();
        logs.iter().map(|l| (l - max).exp() / total).collect()
    }

    /// All figures, with the service level at threshold `t` seconds.
    pub fn figures(&self, t: f64) -> Figures {
        let n = self.agents as usize;
        let (lambda, mu, theta) = (
            self.arrival_rate,
            1.0 / self.mean_handle,
            1.0 / self.mean_patience,
        );
        let nmu = n as f64 * mu;
        let pi = self.distribution();
        let queued = &pi[n.min(pi.len())..];
        let p_wait: f64 = queued.iter().sum();
        let mean_queue: f64 = queued.iter().enumerate().map(|(q, p)| q as f64 * p).sum();
        let p_abandon = theta * mean_queue / lambda;
        let busy: f64 = pi
            .iter()
            .enumerate()
            .map(|(k, p)| k.min(n) as f64 * p)
            .sum();

        // Position j = q + 1 for an arrival that finds q callers holding.
        let mut answered_wait = 0.0;
        let mut stage_sum = 0.0;
        let served_within = self.served_within(t, queued.len());
        let mut answered_within = 1.0 - p_wait;
        for (q, p) in queued.iter().enumerate() {
            let j = (q + 1) as f64;
            stage_sum += 1.0 / (nmu + j * theta);
            let answered = nmu / (nmu + j * theta);
            answered_wait += p * answered * stage_sum;
            answered_within += p * answered * served_within[q + 1];
        }
        Figures {
            agents: self.agents,
            offered_load: self.offered_load(),
            occupancy: busy / n as f64,
            p_wait,
            p_abandon,
            asa: answered_wait / (1.0 - p_abandon),
            mean_wait: mean_queue / lambda,
            service_level: answered_within,
        }
    }

    /// `P(S_j ≤ t)` for `j = 0..=positions`, by uniformization (module docs).
    fn served_within(&self, t: f64, positions: usize) -> Vec<f64> {
        let nmu = f64::from(self.agents) * (1.0 / self.mean_handle);
        served_within(nmu, 1.0 / self.mean_patience, t, positions)
    }
}

/// `P(S_j ≤ t)` for `j = 0..=positions`, where `S_j` is the sum of
/// independent `Exp(r_i)`, `i = 1..=j`, with `r_i = nmu + i·theta`: the wait
/// to be answered from position `j` (module docs). `theta = 0` is allowed
/// (then `S_j` is Erlang(`j`, `nmu`)). By uniformization at the largest rate.
pub(crate) fn served_within(nmu: f64, theta: f64, t: f64, positions: usize) -> Vec<f64> {
    let mut f = vec![0.0; positions + 1];
    f[0] = 1.0;
    if positions == 0 || t <= 0.0 {
        return f;
    }
    let rate = |j: usize| nmu + j as f64 * theta;
    let big = rate(positions);
    let advance: Vec<f64> = (0..=positions).map(|j| rate(j) / big).collect();
    let x = big * t;
    let ticks = (x + 12.0 * x.sqrt() + 30.0).ceil() as usize;
    // q[j] = P(j stages done within m ticks), updated in place from the
    // highest j down so that q[j-1] still holds the previous tick's value.
    let mut q = vec![0.0; positions + 1];
    q[0] = 1.0;
    f.iter_mut().for_each(|v| *v = 0.0);
    for m in 0..=ticks {
        let weight = (m as f64 * x.ln() - x - ln_gamma(m as f64 + 1.0)).exp();
        for (fj, qj) in f.iter_mut().zip(&q) {
            *fj += weight * qj;
        }
        for j in (1..=positions).rev() {
            q[j] = advance[j] * q[j - 1] + (1.0 - advance[j]) * q[j];
        }
    }
    f
}

/// The least number of agents whose figures meet `target_sl` (and, if
/// given, keep `P(abandon)` at or below `max_abandon`), for a model given as
/// a function of the number of agents. Service level grows and abandonment
/// falls with agents, so a bisection finds it. `None` if even 100 000
/// agents do not suffice.
pub fn required_agents(
    figures: impl Fn(u32) -> Figures,
    target_sl: f64,
    max_abandon: Option<f64>,
) -> Option<u32> {
    let ok = |n: u32| {
        let f = figures(n);
        f.service_level >= target_sl && max_abandon.is_none_or(|m| f.p_abandon <= m)
    };
    let mut hi = 1u32;
    while !ok(hi) {
        if hi >= 100_000 {
            return None;
        }
        hi = (hi * 2).min(100_000);
    }
    let mut lo = hi / 2; // fails (or 0)
    if lo >= 1 && ok(lo) {
        return Some(lo);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) { hi = mid } else { lo = mid }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(agents: u32, per_hour: f64, aht: f64, patience: f64) -> ErlangA {
        ErlangA {
            agents,
            arrival_rate: per_hour / 3600.0,
            mean_handle: aht,
            mean_patience: patience,
        }
    }

    /// The refsim workload: exact values quoted by the reference simulator's
    /// README (shared/bench/refsim), computed there from the same chain, and
    /// agreeing with its 10⁹-arrival simulation.
    #[test]
    fn reference_workload() {
        let f = model(100, 0.3533 * 3600.0, 300.0, 180.0).figures(20.0);
        assert!((f.p_abandon - 0.078071).abs() < 1e-6, "{}", f.p_abandon);
        assert!((f.p_wait - 0.651357).abs() < 1e-6, "{}", f.p_wait);
        assert!((f.asa - 13.8284).abs() < 1e-4, "{}", f.asa);
        assert!(
            (f.service_level - 0.645343).abs() < 1e-6,
            "{}",
            f.service_level
        );
    }

    #[test]
    fn long_patience_tends_to_erlang_c() {
        let c = ErlangC {
            agents: 10,
            arrival_rate: 480.0 / 3600.0,
            mean_handle: 60.0,
        }
        .figures(20.0);
        let a = model(10, 480.0, 60.0, 1e9).figures(20.0);
        assert!((a.p_wait - c.p_wait).abs() < 1e-6);
        assert!((a.asa - c.asa).abs() < 1e-4);
        assert!((a.service_level - c.service_level).abs() < 1e-6);
        assert!(a.p_abandon < 1e-6);
    }

    #[test]
    fn single_agent_closed_forms() {
        // n = 1: P(wait) = 1 − π_0; the answered fraction equals throughput:
        // λ(1 − P(ab)) = μ(1 − π_0).
        let m = model(1, 60.0, 50.0, 100.0);
        let f = m.figures(30.0);
        let pi0 = 1.0 - f.p_wait;
        let lambda = 60.0 / 3600.0;
        assert!((lambda * (1.0 - f.p_abandon) - (1.0 - pi0) / 50.0).abs() < 1e-12);
        assert!((f.occupancy - (1.0 - pi0)).abs() < 1e-12);
        // Known from the birth–death sum: P(ab) = 0.265713036121972.
        assert!((f.p_abandon - 0.265_713_036_121_972).abs() < 1e-12);
    }

    #[test]
    fn identities_hold() {
        for m in [
            model(20, 300.0, 240.0, 120.0),
            model(500, 9000.0, 300.0, 200.0),
            model(50, 1500.0, 180.0, 60.0),
        ] {
            let f = m.figures(20.0);
            // Abandonment from stages equals θE[Q]/λ.
            let n = m.agents as usize;
            let nmu = m.agents as f64 / m.mean_handle;
            let theta = 1.0 / m.mean_patience;
            let pi = m.distribution();
            let ab: f64 = pi[n..]
                .iter()
                .enumerate()
                .map(|(q, p)| p * ((q + 1) as f64 * theta) / (nmu + (q + 1) as f64 * theta))
                .sum();
            assert!((ab - f.p_abandon).abs() < 1e-10, "{ab} vs {}", f.p_abandon);
            assert!(
                (f.occupancy - m.offered_load() * (1.0 - f.p_abandon) / m.agents as f64).abs()
                    < 1e-10
            );
            assert!(f.service_level > 0.0 && f.service_level < 1.0);
            // With a threshold far beyond any wait every answered call counts.
            let all = m.figures(3600.0);
            assert!(
                (all.service_level - (1.0 - f.p_abandon)).abs() < 1e-9,
                "{} vs {}",
                all.service_level,
                1.0 - f.p_abandon
            );
        }
    }

    #[test]
    fn large_teams_and_overload_stay_finite() {
        for (n, load) in [(2000u32, 1.0), (2000, 1.5), (1000, 1.3), (1, 1.5)] {
            let aht = 300.0;
            let per_hour = f64::from(n) * load / aht * 3600.0;
            let f = model(n, per_hour, aht, 180.0).figures(20.0);
            for v in [
                f.p_wait,
                f.p_abandon,
                f.asa,
                f.mean_wait,
                f.service_level,
                f.occupancy,
            ] {
                assert!(v.is_finite() && v >= 0.0, "n={n} load={load}: {f:?}");
            }
            assert!(f.occupancy <= 1.0 + 1e-12);
        }
    }

    #[test]
    fn staffing_is_the_least_sufficient_team() {
        let figs = |n| model(n, 1200.0, 300.0, 180.0).figures(20.0);
        let n = required_agents(figs, 0.8, None).unwrap();
        assert!(figs(n).service_level >= 0.8);
        assert!(figs(n - 1).service_level < 0.8);
        let strict = required_agents(figs, 0.8, Some(0.001)).unwrap();
        assert!(strict >= n && figs(strict).p_abandon <= 0.001);
        assert!(figs(strict - 1).p_abandon > 0.001 || figs(strict - 1).service_level < 0.8);
    }
}
