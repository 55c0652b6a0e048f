//! Erlang B and C: exact steady-state results for one FCFS queue with `n` agents, Poisson
//! arrivals at rate `λ` and exponential handle times with mean `1/μ`.
//!
//! The offered load is `a = λ/μ` Erlangs. Erlang B comes from the
//! recursion `B(0) = 1`, `B(k) = a·B(k−1) / (k + a·B(k−1))`, which never
//! forms a factorial or a power and so stays finite and accurate for any
//! team size; Erlang C follows as `C = B / (1 − ρ(1 − B))`, `ρ = a/n`.

/// Erlang B: the probability that all `n` servers are busy in M/M/n/n
/// (blocking probability) at offered load `a` Erlangs.
pub fn erlang_b(n: u32, a: f64) -> f64 {
    (1..=n).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C: the probability that an arriving call waits in M/M/n at
/// offered load `a` Erlangs; 1 when `a ≥ n` (no steady state).
pub fn erlang_c(n: u32, a: f64) -> f64 {
    let rho = a / f64::from(n);
    if rho >= 1.0 {
        return 1.0;
    }
    let b = erlang_b(n, a);
    b / (1.0 - rho * (1.0 - b))
}

/// M/M/n (Erlang C) with its parameters.
#[derive(Clone, Copy, Debug)]
pub struct ErlangC {
    pub agents: u32,
    /// Calls per second.
    pub arrival_rate: f64,
    /// Mean handle time, seconds.
    pub mean_handle: f64,
}

impl ErlangC {
    /// Offered load in Erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate * self.mean_handle
    }

    /// Whether a steady state exists (load below the number of agents).
    pub fn is_stable(&self) -> bool {
        self.offered_load() < f64::from(self.agents)
    }

    /// Probability that a call waits.
    pub fn p_wait(&self) -> f64 {
        erlang_c(self.agents, self.offered_load())
    }

    /// Mean wait of all calls, seconds: `C / (nμ − λ)`. With no abandonment
    /// every call is answered, so this is also the ASA.
    pub fn asa(&self) -> f64 {
        self.p_wait() * self.mean_handle / (f64::from(self.agents) - self.offered_load())
    }

    /// Probability that a call waits at most `t` seconds:
    /// `1 − C·e^{−(nμ−λ)t}`.
    pub fn service_level(&self, t: f64) -> f64 {
        let decay = (f64::from(self.agents) - self.offered_load()) / self.mean_handle;
        1.0 - self.p_wait() * (-decay * t).exp()
    }

    /// Fraction of agent time busy: `a / n`.
    pub fn occupancy(&self) -> f64 {
        self.offered_load() / f64::from(self.agents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_match_closed_forms() {
        // n = 1: B = a/(1+a), C = ρ.
        assert!((erlang_b(1, 0.5) - 0.5 / 1.5).abs() < 1e-15);
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        // n = 2, a = 1: B = (1/2)/(1 + 1 + 1/2) = 0.2, C = 1/3.
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn agrees_with_the_textbook_formula() {
        // Reference values from the factorial form of Erlang B and C,
        // evaluated in exact rational arithmetic (Python `fractions`):
        // B(10, 5) = 0.018384570336648132, C(10, 8) = 0.40918015079644354.
        // The first agrees with published Erlang B tables (0.01838).
        assert!((erlang_b(10, 5.0) - 0.018_384_570_336_648_132).abs() < 1e-14);
        assert!((erlang_c(10, 8.0) - 0.409_180_150_796_443_54).abs() < 1e-14);
    }

    #[test]
    fn large_teams_stay_finite() {
        let c = erlang_c(2000, 1950.0);
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
        assert_eq!(erlang_c(10, 10.0), 1.0);
    }

    #[test]
    fn mmn_figures() {
        let m = ErlangC {
            agents: 10,
            arrival_rate: 480.0 / 3600.0,
            mean_handle: 60.0,
        };
        assert!((m.offered_load() - 8.0).abs() < 1e-12);
        assert!((m.asa() - 0.409_180_150_796_443_54 * 60.0 / 2.0).abs() < 1e-12);
        assert!((m.service_level(0.0) - (1.0 - m.p_wait())).abs() < 1e-15);
        assert!((m.occupancy() - 0.8).abs() < 1e-12);
    }
}
