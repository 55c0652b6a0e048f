//! Queue limits (SPEC §11): a holding limit `capacity = K`, a limit on calls
//! in the system `lines = L`, and balking `balk_probability = b`, on top of
//! Erlang A: one FCFS queue served by its own `n` agents, Poisson arrivals
//! at rate `λ`, exponential handle times (mean `1/μ`) and exponential
//! patience (mean `1/θ`; `θ = 0`, infinite patience, is allowed).
//!
//! # The chain
//!
//! Both limits cap the number of calls in the system `N` (holding or
//! talking): `capacity = K` blocks an arrival that finds `K` holding, i.e.
//! `N = n + K`; `lines = L` blocks one that finds `N = L`. With both the
//! tighter wins, so the chain lives on `0..=M`, `M = min(n + K, L)` (`M = ∞`
//! with neither). When `L < n` the agents beyond `L` can never be used and
//! nobody ever holds.
//!
//! An arrival in state `k`:
//!
//! - `k = M`: is blocked (busy signal);
//! - `k < min(n, M)`: finds a free agent and is answered at once;
//! - `n ≤ k < M`: finds every agent busy and room to hold; it balks (hangs
//!   up at once) with probability `b`, else joins the line at position
//!   `j = k − n + 1`.
//!
//! So `N` is a birth–death chain with birth rate `β_k = λ` for `k < min(n,
//! M)`, `β_k = λ(1 − b)` for `n ≤ k < M`, `β_M = 0`, and death rate
//! `δ_k = min(k, n)·μ + (k − n)⁺·θ` (talking calls end, holding callers give
//! up). Its stationary distribution is `π_k ∝ Π_{i<k} β_i / δ_{i+1}`,
//! computed in log space and normalised with a log-sum-exp as in
//! [`super::erlang_a`]. With a finite `M` the chain is finite and always
//! has a steady state; the sum is still cut, as in Erlang A, where the
//! terms are decreasing (`δ_k > β_k`, which holds for every later state too)
//! and below `e⁻⁶⁰` of the largest, so a huge `K` costs nothing when the
//! queue never gets near it (a blocking probability below about `1e-26`
//! is then reported as 0). With `M = ∞` and `θ > 0` the terms eventually
//! fall faster than geometrically; with `M = ∞` and `θ = 0` they fall
//! geometrically at ratio `ρ' = λ(1 − b)/(nμ)` beyond `n`, so a steady
//! state needs `ρ' < 1` (or `b = 1`, when nobody ever holds), and the cut
//! leaves out a tail of relative size `e⁻⁶⁰/(1 − ρ')`.
//!
//! # The figures
//!
//! By PASTA an arrival sees `π`. Write `H = Σ_{n≤k<M} π_k` (all agents
//! busy, room to hold) and `Q = (N − n)⁺` (callers holding).
//!
//! - `P(blocked) = π_M` (0 when `M = ∞`).
//! - `P(balk) = b·H`; `P(join) = (1 − b)·H`.
//! - `P(no agent free) = Σ_{k≥n} π_k = H + P(blocked)` when `M ≥ n`: the
//!   share of offered calls that found every agent busy, whatever became of
//!   them (blocked, balked or joined); 0 when `M < n`.
//! - `P(abandon while holding) = θ·E[Q]/λ`: in steady state the rate at
//!   which holding callers give up, `θ·E[Q]`, is the rate of arrivals that
//!   end so. The engine's `abandoned` also counts balked callers, so
//!   `P(abandoned) = P(balk) + θ·E[Q]/λ`.
//! - `P(answered) = 1 − P(blocked) − P(abandoned)`, which also equals
//!   `μ·E[min(N, n)]/λ` (answered calls are the ones that end in service,
//!   at rate `μ` per busy agent) and the stage sum below; the tests check
//!   all three agree.
//! - Occupancy `= E[min(N, n)]/n`, the mean share of the `n` agents busy.
//! - Mean wait of all offered calls `= E[Q]/λ` by Little's law on the
//!   holding area, every arrival counted: blocked, balked and answered-at-
//!   once callers spend 0 there, abandoning ones until they hang up.
//!
//! # The wait of a caller who is answered
//!
//! Exactly the stage argument of [`super::erlang_a`]: a caller who joins at
//! position `j` moves from position `i` to `i − 1` when an agent frees up
//! (`nμ`) or one of the `i − 1` callers ahead gives up (`(i − 1)θ`), and
//! gives up itself at rate `θ`. Callers behind it, and the limits and
//! balking that act only on arrivals, never change its progress. So stage
//! `i` lasts `Exp(r_i)`, `r_i = nμ + iθ`, and is survived with probability
//! `(r_i − θ)/r_i`:
//!
//! - `P(answered | j) = Π_{i=1..j} (nμ + (i − 1)θ)/(nμ + iθ) = nμ/(nμ + jθ)`
//!   (1 when `θ = 0`);
//! - given answered, the wait is `S_j = Σ_{i=1..j} Exp(r_i)`, so
//!   `E[wait | answered, j] = Σ_{i=1..j} 1/r_i` (`j/(nμ)` when `θ = 0`: FCFS
//!   with `j` Exp(`nμ`) service completions to wait for).
//!
//! Hence, summing over the states where an arrival joins,
//!
//! - `P(answered) = Σ_{k<min(n,M)} π_k + (1 − b)·Σ_{n≤k<M} π_k·nμ/(nμ + jθ)`;
//! - `ASA = (1 − b)·Σ_{n≤k<M} π_k·P(answered | j)·Σ_{i≤j} 1/r_i ÷ P(answered)`;
//! - `P(answered, wait ≤ T) = Σ_{k<min(n,M)} π_k + (1 − b)·Σ_{n≤k<M} π_k ·
//!   P(answered | j)·P(S_j ≤ T)`, with `P(S_j ≤ T)` from the same
//!   uniformization as Erlang A (for `θ = 0` it is the Erlang CDF
//!   `P(Poisson(nμT) ≥ j)`, which the uniformization gives exactly since all
//!   rates equal the uniformizing rate).
//!
//! The service level of SPEC §5 is answered within `T` ÷ (answered +
//! abandoned). Blocked calls are in neither, and balked ones are abandoned,
//! so it is `P(answered, wait ≤ T) / (1 − P(blocked))`, the denominator
//! summed as `Σ_{k<M} π_k` so that it stays accurate when nearly every call
//! is blocked.

use super::erlang_a::{MAX_STATES, MAX_WORK, served_within};

/// One queue with its own `agents` and the limits of SPEC §11, parameters
/// in seconds.
#[derive(Clone, Copy, Debug)]
pub struct LimitedQueue {
    /// `n ≥ 1`.
    pub agents: u32,
    /// Calls per second, `λ > 0`.
    pub arrival_rate: f64,
    /// Mean handle time, seconds.
    pub mean_handle: f64,
    /// Mean patience, seconds; `f64::INFINITY` for callers who never abandon.
    pub mean_patience: f64,
    /// Probability `b` that a caller who finds no free agent (and room to
    /// hold) hangs up at once; 0 for none.
    pub balk_probability: f64,
    /// `capacity = K`: an arrival finding `K` already holding is blocked.
    /// `None` for no limit.
    pub capacity: Option<u32>,
    /// `lines = L ≥ 1`: an arrival finding `L` of the queue's calls in the
    /// system (holding or talking) is blocked. `None` for no limit.
    pub lines: Option<u32>,
}

/// The figures of one [`LimitedQueue`] in steady state. Probabilities are
/// shares of offered calls (every arrival, blocked ones included).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LimitedFigures {
    pub agents: u32,
    /// λ / μ, in Erlangs.
    pub offered_load: f64,
    /// Fraction of agent time busy: `E[min(N, n)] / n`.
    pub occupancy: f64,
    /// Blocked (busy signal: `capacity` or `lines` reached).
    pub p_blocked: f64,
    /// Balked: found no free agent, room to hold, and hung up at once.
    pub p_balk: f64,
    /// Found every agent busy on arrival (blocked, balked and joined ones
    /// alike): the engine's `p_wait`.
    pub p_no_agent_free: f64,
    /// Found every agent busy and joined the line.
    pub p_join: f64,
    /// Abandoned while holding: `θ·E[Q] / λ`.
    pub p_abandon_patience: f64,
    /// The engine's `abandoned / offered`: `p_balk + p_abandon_patience`.
    pub p_abandoned: f64,
    /// Answered, from the stage sum (module docs); equals
    /// `1 − p_blocked − p_abandoned` up to rounding.
    pub p_answered: f64,
    /// Mean number holding, `E[Q] = E[(N − n)⁺]`.
    pub mean_holding: f64,
    /// Mean wait of answered calls, seconds.
    pub asa: f64,
    /// Mean time on hold of all offered calls (blocked, balked and
    /// answered-at-once ones with 0, abandoned ones until they hang up),
    /// seconds: `E[Q] / λ`.
    pub mean_wait: f64,
    /// Answered within the threshold ÷ (answered + abandoned), SPEC §5.
    pub service_level: f64,
}

impl LimitedQueue {
    /// Offered load in Erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate * self.mean_handle
    }

    /// The most calls the queue can have in the system,
    /// `M = min(agents + capacity, lines)`; `None` without either limit.
    pub fn max_in_system(&self) -> Option<u64> {
        let by_capacity = self.capacity.map(|k| u64::from(self.agents) + u64::from(k));
        match (by_capacity, self.lines.map(u64::from)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the parameters are valid, a steady state exists and the
    /// exact computation fits in reasonable time and memory: at most
    /// [`MAX_STATES`] states in the chain and [`MAX_WORK`] uniformization
    /// steps × positions for the service level at threshold `t` seconds
    /// (the bounds of [`super::erlang_a`]). The sizes are estimates made
    /// before building the chain, as in [`super::ErlangA::check_size`].
    pub fn check_size(&self, t: f64) -> Result<(), String> {
        if self.agents == 0 {
            return Err("the exact computation needs at least one agent".into());
        }
        if !(self.arrival_rate > 0.0 && self.arrival_rate.is_finite()) {
            return Err(format!(
                "arrival rate {} per second: it must be positive and finite",
                self.arrival_rate
            ));
        }
        if !(self.mean_handle > 0.0 && self.mean_handle.is_finite()) {
            return Err(format!(
                "mean handle time {} s: it must be positive and finite",
                self.mean_handle
            ));
        }
        if self.mean_patience.is_nan() || self.mean_patience <= 0.0 {
            return Err(format!(
                "mean patience {} s: it must be positive (infinite for none)",
                self.mean_patience
            ));
        }
        if !(0.0..=1.0).contains(&self.balk_probability) {
            return Err(format!(
                "balk probability {}: it must be in [0, 1]",
                self.balk_probability
            ));
        }
        if self.lines == Some(0) {
            return Err("lines = 0 blocks every call".into());
        }
        if !(t >= 0.0 && t.is_finite()) {
            return Err(format!(
                "service-level threshold {t} s: it must be finite and ≥ 0"
            ));
        }
        let n = f64::from(self.agents);
        let nmu = n / self.mean_handle;
        let theta = 1.0 / self.mean_patience;
        let joining = self.arrival_rate * (1.0 - self.balk_probability);
        let max = self.max_in_system();
        if max.is_none() && theta == 0.0 && joining >= nmu {
            return Err(format!(
                "no steady state: {joining:.4} calls per second join the line but {n} agents \
                 answer at most {nmu:.4}, nobody abandons and nothing limits the line"
            ));
        }
        // Positions the queue reaches before its distribution is cut: where
        // abandonment takes the excess load plus a few standard deviations
        // (as in Erlang A), or the geometric tail down to e⁻⁶⁰ without
        // abandonment; never beyond the limit.
        let unlimited = if joining == 0.0 {
            0.0
        } else if theta > 0.0 {
            (joining - nmu).max(0.0) / theta + 40.0 * (joining / theta).sqrt() + 100.0
        } else if joining < nmu {
            60.0 / -(joining / nmu).ln() + 100.0
        } else {
            f64::INFINITY
        };
        let queue = match max {
            Some(m) => unlimited.min((m as f64 - n).max(0.0)),
            None => unlimited,
        };
        let states = match max {
            Some(m) => (n + queue).min(m as f64) + 1.0,
            None => n + queue + 1.0,
        };
        if states.is_nan() || states > MAX_STATES {
            return Err(format!(
                "the queue would reach about {states:.2e} calls: the load, the patience or the \
                 limit is too large for the exact computation (at most {MAX_STATES} states)"
            ));
        }
        let x = (nmu + queue * theta) * t;
        let work = (x + 12.0 * x.sqrt() + 30.0) * queue;
        if work.is_nan() || work > MAX_WORK {
            return Err(format!(
                "the service-level threshold {t} s is too long for a queue of about {queue:.0} \
                 callers ({work:.0e} steps, at most {MAX_WORK:.0e})"
            ));
        }
        Ok(())
    }

    /// The stationary distribution of the number in system, from 0 up to
    /// `M` or where it becomes negligible. Call only after
    /// [`Self::check_size`] has passed.
    fn distribution(&self) -> Vec<f64> {
        let n = self.agents as usize;
        let cap = self.max_in_system().map_or(usize::MAX, |m| m as usize);
        let (lambda, mu, theta) = (
            self.arrival_rate,
            1.0 / self.mean_handle,
            1.0 / self.mean_patience,
        );
        let joining = lambda * (1.0 - self.balk_probability);
        let birth = |k: usize| {
            if k >= cap {
                0.0
            } else if k < n {
                lambda
            } else {
                joining
            }
        };
        let death = |k: usize| (k.min(n) as f64) * mu + (k.saturating_sub(n) as f64) * theta;
        let mut logs = vec![0.0];
        let mut max = 0.0f64;
        for k in 1..=cap {
            let up = birth(k - 1);
            if up <= 0.0 {
                break;
            }
            let l = logs[k - 1] + up.ln() - death(k).ln();
            logs.push(l);
            max = max.max(l);
            if k >= n && death(k) > birth(k) && l < max - 60.0 {
                break;
            }
        }
        let total: f64 = logs.iter().map(|l| (l - max).exp()).sum();
        logs.iter().map(|l| (l - max).exp() / total).collect()
    }

    /// All figures, with the service level at threshold `t` seconds; the
    /// error of [`Self::check_size`] if the model is invalid, has no steady
    /// state or is too large.
    pub fn figures(&self, t: f64) -> Result<LimitedFigures, String> {
        self.check_size(t)?;
        let n = self.agents as usize;
        let (lambda, mu, theta, b) = (
            self.arrival_rate,
            1.0 / self.mean_handle,
            1.0 / self.mean_patience,
            self.balk_probability,
        );
        let nmu = n as f64 * mu;
        let pi = self.distribution();
        let last = pi.len() - 1;
        // The chain may stop before M (cut, or b = 1): then no state blocks.
        let blocking = self.max_in_system().is_some_and(|m| m == last as u64);
        // States where an arrival is not blocked: 0..open.
        let open = if blocking { last } else { pi.len() };
        let p_blocked = if blocking { pi[last] } else { 0.0 };
        let not_blocked: f64 = pi[..open].iter().sum();
        let answered_at_once: f64 = pi[..n.min(open)].iter().sum();
        let room = &pi[n.min(open)..open];
        let holdable: f64 = room.iter().sum();
        let p_no_agent_free: f64 = pi[n.min(pi.len())..].iter().sum();
        let mean_holding: f64 = pi
            .iter()
            .enumerate()
            .map(|(k, p)| k.saturating_sub(n) as f64 * p)
            .sum();
        let busy: f64 = pi
            .iter()
            .enumerate()
            .map(|(k, p)| k.min(n) as f64 * p)
            .sum();
        let p_balk = b * holdable;
        let p_abandon_patience = theta * mean_holding / lambda;
        let p_abandoned = p_balk + p_abandon_patience;

        // Position j = i + 1 for an arrival that finds i callers holding.
        let served_within = served_within(nmu, theta, t, room.len());
        let mut answered = answered_at_once;
        let mut answered_wait = 0.0;
        let mut answered_within = answered_at_once;
        let mut stage_sum = 0.0;
        for (i, p) in room.iter().enumerate() {
            let j = (i + 1) as f64;
            stage_sum += 1.0 / (nmu + j * theta);
            let joined_answered = p * (1.0 - b) * nmu / (nmu + j * theta);
            answered += joined_answered;
            answered_wait += joined_answered * stage_sum;
            answered_within += joined_answered * served_within[i + 1];
        }
        Ok(LimitedFigures {
            agents: self.agents,
            offered_load: self.offered_load(),
            occupancy: busy / n as f64,
            p_blocked,
            p_balk,
            p_no_agent_free,
            p_join: (1.0 - b) * holdable,
            p_abandon_patience,
            p_abandoned,
            p_answered: answered,
            mean_holding,
            asa: answered_wait / answered,
            mean_wait: mean_holding / lambda,
            service_level: answered_within / not_blocked,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytic::{ErlangA, ErlangC, erlang_b};

    fn queue(agents: u32, per_hour: f64, aht: f64, patience: f64) -> LimitedQueue {
        LimitedQueue {
            agents,
            arrival_rate: per_hour / 3600.0,
            mean_handle: aht,
            mean_patience: patience,
            balk_probability: 0.0,
            capacity: None,
            lines: None,
        }
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    /// M/M/n/n+K (no abandonment, no balking) against the textbook product
    /// form, summed directly with factorials: `π_k = π_0·a^k/k!` for
    /// `k ≤ n`, `π_{n+j} = π_0·(a^n/n!)·ρ^j`, `ρ = a/n`, so
    /// `π_0 = [Σ_{k<n} a^k/k! + (a^n/n!)·Σ_{j=0..K} ρ^j]⁻¹` and
    /// `P(blocked) = π_{n+K}`. Every admitted call is answered, so by Little
    /// `ASA = E[Q] / (λ(1 − P(blocked)))`, an independent check of the
    /// stage sum.
    #[test]
    fn mmnk_matches_the_textbook_closed_form() {
        for n in 1u32..=6 {
            for a in [0.3, 1.0, 2.5, 4.0, 7.5, 12.0] {
                for k in [0u32, 1, 2, 5, 20] {
                    let aht = 120.0;
                    let mut q = queue(n, a / aht * 3600.0, aht, f64::INFINITY);
                    q.capacity = Some(k);
                    let f = q.figures(20.0).unwrap();
                    let fact = |m: u32| (1..=m).map(f64::from).product::<f64>();
                    let rho = a / f64::from(n);
                    let top = a.powi(n as i32) / fact(n);
                    let inv: f64 = (0..n).map(|i| a.powi(i as i32) / fact(i)).sum::<f64>()
                        + top * (0..=k).map(|j| rho.powi(j as i32)).sum::<f64>();
                    let pi0 = 1.0 / inv;
                    let blocked = top * rho.powi(k as i32) * pi0;
                    let queue_len: f64 = (0..=k)
                        .map(|j| f64::from(j) * top * rho.powi(j as i32) * pi0)
                        .sum();
                    let no_free: f64 = (0..=k).map(|j| top * rho.powi(j as i32) * pi0).sum();
                    let lambda = a / aht;
                    let ctx = format!("n={n} a={a} K={k}: {f:?}");
                    // The chain is cut below e⁻⁶⁰ ≈ 9e-27 of its largest term.
                    let tiny = |x: f64| x < 1e-25;
                    assert!(
                        close(f.p_blocked, blocked, 1e-12) || (tiny(blocked) && tiny(f.p_blocked)),
                        "{blocked} {ctx}"
                    );
                    assert!(close(f.p_no_agent_free, no_free, 1e-12), "{no_free} {ctx}");
                    assert!(close(f.mean_wait, queue_len / lambda, 1e-11), "{ctx}");
                    let asa = queue_len / (lambda * (1.0 - blocked));
                    assert!(close(f.asa, asa, 1e-11) || asa < 1e-300, "{asa} {ctx}");
                    assert_eq!(f.p_abandoned, 0.0, "{ctx}");
                    if k == 0 {
                        assert!(close(f.p_blocked, erlang_b(n, a), 1e-12), "{ctx}");
                        assert_eq!(f.asa, 0.0);
                        assert_eq!(f.p_join, 0.0);
                    }
                }
            }
        }
    }

    #[test]
    fn no_limit_and_no_abandonment_is_erlang_c() {
        for (n, per_hour, aht) in [(10u32, 480.0, 60.0), (100, 1150.0, 300.0), (1, 30.0, 100.0)] {
            let c = ErlangC {
                agents: n,
                arrival_rate: per_hour / 3600.0,
                mean_handle: aht,
            }
            .figures(20.0);
            for capacity in [None, Some(1_000_000_000)] {
                let mut q = queue(n, per_hour, aht, f64::INFINITY);
                q.capacity = capacity;
                let f = q.figures(20.0).unwrap();
                let ctx = format!("n={n} K={capacity:?}: {f:?} vs {c:?}");
                assert!(close(f.p_no_agent_free, c.p_wait, 1e-9), "{ctx}");
                assert!(close(f.p_join, c.p_wait, 1e-9), "{ctx}");
                assert!(close(f.asa, c.asa, 1e-9), "{ctx}");
                assert!(close(f.mean_wait, c.mean_wait, 1e-9), "{ctx}");
                assert!(close(f.service_level, c.service_level, 1e-9), "{ctx}");
                assert!(close(f.occupancy, c.occupancy, 1e-9), "{ctx}");
                assert_eq!(f.p_blocked, 0.0);
                assert_eq!(f.p_abandoned, 0.0);
            }
        }
    }

    #[test]
    fn no_limit_with_abandonment_is_erlang_a() {
        for (n, per_hour, aht, patience) in [
            (100u32, 0.3533 * 3600.0, 300.0, 180.0),
            (20, 300.0, 240.0, 120.0),
            (10, 200.0, 300.0, 60.0),
            (1, 60.0, 50.0, 100.0),
        ] {
            let m = ErlangA {
                agents: n,
                arrival_rate: per_hour / 3600.0,
                mean_handle: aht,
                mean_patience: patience,
            };
            let a = m.figures(20.0);
            for capacity in [None, Some(u32::MAX)] {
                let mut q = queue(n, per_hour, aht, patience);
                q.capacity = capacity;
                let f = q.figures(20.0).unwrap();
                let ctx = format!("n={n}: {f:?} vs {a:?}");
                assert!(close(f.p_no_agent_free, a.p_wait, 1e-9), "{ctx}");
                assert!(close(f.p_abandoned, a.p_abandon, 1e-9), "{ctx}");
                assert!(close(f.p_abandon_patience, a.p_abandon, 1e-9), "{ctx}");
                assert!(close(f.asa, a.asa, 1e-9), "{ctx}");
                assert!(close(f.mean_wait, a.mean_wait, 1e-9), "{ctx}");
                assert!(close(f.service_level, a.service_level, 1e-9), "{ctx}");
                assert!(close(f.occupancy, a.occupancy, 1e-9), "{ctx}");
                assert_eq!(f.p_blocked, 0.0);
                assert_eq!(f.p_balk, 0.0);
            }
        }
        // The refsim figures quoted in erlang_a.rs.
        let f = queue(100, 0.3533 * 3600.0, 300.0, 180.0)
            .figures(20.0)
            .unwrap();
        assert!((f.p_abandoned - 0.078071).abs() < 1e-6);
        assert!((f.service_level - 0.645343).abs() < 1e-6);
    }

    /// Solves `x·Q = 0`, `Σx = 1` for a small generator by Gaussian
    /// elimination (the last balance equation replaced by the normalisation).
    fn stationary(q: &[Vec<f64>]) -> Vec<f64> {
        let s = q.len();
        // Rows: equations; a[e][i] = Q[i][e] (balance of state e).
        let mut a: Vec<Vec<f64>> = (0..s)
            .map(|e| {
                let mut row: Vec<f64> = (0..s).map(|i| q[i][e]).collect();
                row.push(0.0);
                row
            })
            .collect();
        a[s - 1] = vec![1.0; s + 1];
        for c in 0..s {
            let p = (c..s)
                .max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))
                .unwrap();
            a.swap(c, p);
            let pivot = a[c].clone();
            for (r, row) in a.iter_mut().enumerate() {
                if r != c {
                    let factor = row[c] / pivot[c];
                    for (x, y) in row[c..].iter_mut().zip(&pivot[c..]) {
                        *x -= factor * y;
                    }
                }
            }
        }
        (0..s).map(|i| a[i][s] / a[i][i]).collect()
    }

    /// One agent, room for two holding, balking and abandonment: states 0..=3,
    /// solved from the full generator (global balance, not the product
    /// form), outcomes counted per arrival.
    #[test]
    fn erlang_a_with_balking_matches_a_hand_built_chain() {
        let (lambda, mu, theta, b) = (1.0 / 40.0, 1.0 / 60.0, 1.0 / 90.0, 0.3);
        let mut gen_ = vec![vec![0.0; 4]; 4];
        gen_[0][1] = lambda;
        gen_[1][2] = lambda * (1.0 - b);
        gen_[2][3] = lambda * (1.0 - b);
        gen_[1][0] = mu;
        gen_[2][1] = mu + theta;
        gen_[3][2] = mu + 2.0 * theta;
        for (i, row) in gen_.iter_mut().enumerate() {
            row[i] = -row.iter().sum::<f64>();
        }
        let pi = stationary(&gen_);
        assert!((pi.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        // Arrival in state 1 joins at position 1, in state 2 at position 2.
        let give_up = [theta / (mu + theta), 2.0 * theta / (mu + 2.0 * theta)];
        let balk = b * (pi[1] + pi[2]);
        let patience = (1.0 - b) * (pi[1] * give_up[0] + pi[2] * give_up[1]);
        let answered =
            pi[0] + (1.0 - b) * (pi[1] * (1.0 - give_up[0]) + pi[2] * (1.0 - give_up[1]));
        let wait1 = 1.0 / (mu + theta);
        let wait2 = wait1 + 1.0 / (mu + 2.0 * theta);
        let asa = (1.0 - b)
            * (pi[1] * (1.0 - give_up[0]) * wait1 + pi[2] * (1.0 - give_up[1]) * wait2)
            / answered;

        let q = LimitedQueue {
            agents: 1,
            arrival_rate: lambda,
            mean_handle: 60.0,
            mean_patience: 90.0,
            balk_probability: b,
            capacity: Some(2),
            lines: None,
        };
        let f = q.figures(20.0).unwrap();
        assert!(close(f.p_blocked, pi[3], 1e-12), "{f:?} {pi:?}");
        assert!(close(f.p_balk, balk, 1e-12), "{f:?}");
        assert!(close(f.p_abandon_patience, patience, 1e-12), "{f:?}");
        assert!(close(f.p_abandoned, balk + patience, 1e-12), "{f:?}");
        assert!(close(f.p_answered, answered, 1e-12), "{f:?}");
        assert!(close(f.asa, asa, 1e-12), "{f:?}");
        assert!(close(f.p_no_agent_free, pi[1] + pi[2] + pi[3], 1e-12));
        assert!(close(f.occupancy, 1.0 - pi[0], 1e-12));
        // The same chain as lines = 3.
        let by_lines = LimitedQueue {
            capacity: None,
            lines: Some(3),
            ..q
        };
        assert_eq!(by_lines.figures(20.0).unwrap(), f);
    }

    /// Everybody balks: nobody ever holds, and the balked are the blocked of
    /// Erlang B with `n` servers.
    #[test]
    fn balking_for_sure_is_erlang_b() {
        for patience in [f64::INFINITY, 30.0] {
            for capacity in [None, Some(3), Some(u32::MAX)] {
                let mut q = queue(5, 4.0 / 300.0 * 3600.0, 300.0, patience);
                q.balk_probability = 1.0;
                q.capacity = capacity;
                let f = q.figures(20.0).unwrap();
                let ctx = format!("{patience} {capacity:?}: {f:?}");
                assert!(close(f.p_balk, erlang_b(5, 4.0), 1e-12), "{ctx}");
                assert!(close(f.p_no_agent_free, f.p_balk, 1e-15), "{ctx}");
                assert_eq!(f.p_abandon_patience, 0.0, "{ctx}");
                assert_eq!(f.p_blocked, 0.0, "{ctx}");
                assert_eq!(f.p_join, 0.0, "{ctx}");
                assert_eq!(f.mean_wait, 0.0, "{ctx}");
                assert_eq!(f.asa, 0.0, "{ctx}");
                assert!(close(f.p_answered, 1.0 - erlang_b(5, 4.0), 1e-12), "{ctx}");
            }
        }
        // With no room to hold the same calls are blocked, not balked.
        let mut q = queue(5, 4.0 / 300.0 * 3600.0, 300.0, 30.0);
        q.balk_probability = 1.0;
        q.capacity = Some(0);
        let f = q.figures(20.0).unwrap();
        assert!(close(f.p_blocked, erlang_b(5, 4.0), 1e-12), "{f:?}");
        assert_eq!(f.p_balk, 0.0);
    }

    /// `lines` below the agents: an Erlang B loss system with `L` servers,
    /// the other agents idle; nobody ever finds every agent busy.
    #[test]
    fn fewer_lines_than_agents_is_erlang_b() {
        let mut q = queue(10, 3.0 / 200.0 * 3600.0, 200.0, 60.0);
        q.lines = Some(4);
        q.capacity = Some(5);
        q.balk_probability = 0.5;
        let f = q.figures(20.0).unwrap();
        let blocked = erlang_b(4, 3.0);
        assert!(close(f.p_blocked, blocked, 1e-12), "{f:?}");
        assert!(
            close(f.occupancy, 3.0 * (1.0 - blocked) / 10.0, 1e-12),
            "{f:?}"
        );
        assert_eq!(f.p_no_agent_free, 0.0);
        assert_eq!(f.p_abandoned, 0.0);
        assert_eq!(f.mean_wait, 0.0);
        assert_eq!(f.service_level, 1.0);
        // lines = agents + K is capacity = K; with both the tighter wins.
        let mut by_capacity = queue(10, 12.0 / 200.0 * 3600.0, 200.0, 60.0);
        by_capacity.capacity = Some(7);
        by_capacity.balk_probability = 0.1;
        let by_lines = LimitedQueue {
            capacity: None,
            lines: Some(17),
            ..by_capacity
        };
        let both = LimitedQueue {
            capacity: Some(9),
            lines: Some(17),
            ..by_capacity
        };
        let expected = by_capacity.figures(20.0).unwrap();
        assert_eq!(by_lines.figures(20.0).unwrap(), expected);
        assert_eq!(both.figures(20.0).unwrap(), expected);
        assert_eq!(both.max_in_system(), Some(17));
    }

    #[test]
    fn identities_hold() {
        for n in [1u32, 3, 25, 200] {
            for load in [0.5, 0.95, 1.4] {
                for patience in [f64::INFINITY, 200.0, 20.0] {
                    for b in [0.0, 0.2, 1.0] {
                        for (capacity, lines) in [
                            (None, None),
                            (Some(0), None),
                            (Some(4), None),
                            (None, Some(2)),
                            (Some(60), Some(n + 30)),
                        ] {
                            let aht = 240.0;
                            let mut q = queue(n, f64::from(n) * load / aht * 3600.0, aht, patience);
                            q.balk_probability = b;
                            q.capacity = capacity;
                            q.lines = lines;
                            let ctx = format!("{q:?}");
                            let f = match q.figures(20.0) {
                                Ok(f) => f,
                                Err(e) => {
                                    // Only the unstable M/M/n is refused.
                                    assert!(
                                        patience.is_infinite()
                                            && capacity.is_none()
                                            && lines.is_none()
                                            && load * (1.0 - b) >= 1.0,
                                        "{e} {ctx}"
                                    );
                                    continue;
                                }
                            };
                            let ctx = format!("{ctx} {f:?}");
                            for p in [
                                f.p_blocked,
                                f.p_balk,
                                f.p_no_agent_free,
                                f.p_join,
                                f.p_abandon_patience,
                                f.p_abandoned,
                                f.p_answered,
                                f.occupancy,
                                f.service_level,
                            ] {
                                assert!((0.0..=1.0 + 1e-12).contains(&p), "{p} {ctx}");
                            }
                            let total =
                                f.p_blocked + f.p_balk + f.p_abandon_patience + f.p_answered;
                            assert!((total - 1.0).abs() < 1e-10, "{total} {ctx}");
                            // Answered calls leave service at μ per busy agent.
                            let lambda = q.arrival_rate;
                            let throughput = f.occupancy * f64::from(n) / aht / lambda;
                            assert!(close(throughput, f.p_answered, 1e-9), "{ctx}");
                            if q.max_in_system().is_none_or(|m| m >= u64::from(n)) {
                                let split = f.p_blocked + f.p_balk + f.p_join;
                                assert!((split - f.p_no_agent_free).abs() < 1e-12, "{ctx}");
                            }
                            assert!(f.asa >= 0.0 && f.asa.is_finite(), "{ctx}");
                            assert!(f.mean_wait >= 0.0 && f.mean_wait.is_finite(), "{ctx}");
                            // With a threshold beyond any wait every answered
                            // call counts; at 0 only those answered at once. No
                            // S_j exceeds it: with θ > 0, S_j is the largest of j
                            // Exp(θ)-or-faster clocks; with θ = 0, Erlang(j, nμ)
                            // for j below the chain's length P.
                            let nmu = f64::from(n) / aht;
                            let big = if patience.is_finite() {
                                80.0 * patience
                            } else {
                                let p = q.distribution().len() as f64;
                                (p + 30.0 * p.sqrt() + 60.0) / nmu
                            };
                            let all = q.figures(big).unwrap();
                            let expect = f.p_answered / (1.0 - f.p_blocked);
                            assert!(
                                close(all.service_level, expect, 1e-9),
                                "{} {ctx}",
                                all.service_level
                            );
                            let at_once = if q.max_in_system().is_some_and(|m| m < u64::from(n)) {
                                1.0 - f.p_blocked
                            } else {
                                1.0 - f.p_no_agent_free
                            };
                            let now = q.figures(0.0).unwrap();
                            assert!(
                                close(now.service_level, at_once / (1.0 - f.p_blocked), 1e-9),
                                "{} {ctx}",
                                now.service_level
                            );
                        }
                    }
                }
            }
        }
    }

    /// The stage-sum CDF against closed forms: Erlang(j, nμ) as a Poisson
    /// tail when θ = 0, and the two-rate hypoexponential when θ > 0.
    #[test]
    fn stage_cdf_matches_closed_forms() {
        let (nmu, t) = (0.07, 35.0);
        let f = served_within(nmu, 0.0, t, 12);
        let x = nmu * t;
        let mut term = (-x).exp();
        let mut below = 0.0;
        for (j, fj) in f.iter().enumerate() {
            // P(S_j ≤ t) = P(Poisson(x) ≥ j) = 1 − Σ_{m<j} e^{−x} x^m/m!.
            assert!(
                (fj - (1.0 - below)).abs() < 1e-12,
                "j={j}: {fj} vs {}",
                1.0 - below
            );
            below += term;
            term *= x / (j + 1) as f64;
        }
        let theta = 0.02;
        let f = served_within(nmu, theta, t, 2);
        let (r1, r2) = (nmu + theta, nmu + 2.0 * theta);
        assert!((f[1] - (1.0 - (-r1 * t).exp())).abs() < 1e-12);
        let two = 1.0 - (r2 * (-r1 * t).exp() - r1 * (-r2 * t).exp()) / (r2 - r1);
        assert!((f[2] - two).abs() < 1e-12, "{} vs {two}", f[2]);
    }

    #[test]
    fn sizes_and_parameters_are_checked() {
        // Unstable without abandonment or limit.
        let q = queue(10, 130.0, 300.0, f64::INFINITY);
        assert!(q.check_size(20.0).unwrap_err().contains("steady state"));
        // Balking that brings it below capacity makes it stable.
        let stable = LimitedQueue {
            balk_probability: 0.5,
            ..q
        };
        assert!(stable.figures(20.0).is_ok());
        // A limit makes any load stable, if the chain is not too long.
        let limited = LimitedQueue {
            capacity: Some(1000),
            ..q
        };
        assert!(limited.figures(20.0).is_ok());
        let huge = LimitedQueue {
            capacity: Some(u32::MAX),
            ..q
        };
        assert!(huge.check_size(20.0).unwrap_err().contains("states"));
        // A huge limit far beyond where the queue goes costs nothing.
        let far = LimitedQueue {
            capacity: Some(u32::MAX),
            ..queue(10, 100.0, 300.0, f64::INFINITY)
        };
        assert!(far.figures(20.0).is_ok());
        for bad in [
            LimitedQueue { agents: 0, ..far },
            LimitedQueue {
                arrival_rate: 0.0,
                ..far
            },
            LimitedQueue {
                mean_handle: f64::NAN,
                ..far
            },
            LimitedQueue {
                mean_patience: 0.0,
                ..far
            },
            LimitedQueue {
                balk_probability: 1.5,
                ..far
            },
            LimitedQueue {
                lines: Some(0),
                ..far
            },
        ] {
            assert!(bad.figures(20.0).is_err(), "{bad:?}");
        }
        assert!(far.figures(-1.0).is_err());
        assert!(far.figures(f64::INFINITY).is_err());
    }
}
