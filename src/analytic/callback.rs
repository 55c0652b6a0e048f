//! Exact steady state of one queue that converts waiting callers into
//! low-priority callbacks (the engine's `offer_if_callers_ahead = k`),
//! solved numerically as a continuous-time Markov chain.
//!
//! # Model
//!
//! `n` identical agents; Poisson arrivals at rate `λ`; every contact
//! (inbound call or callback) has an Exp(`μ`) handle time; holding callers
//! abandon after Exp(`θ`) patience, `θ > 0`. A caller who arrives when no
//! agent is free and at least `k` inbound callers already hold is offered a
//! callback and accepts with probability `p`: the call ends at once (wait 0,
//! converted, neither answered nor abandoned) and a callback joins a second
//! class that never abandons and is served only when no inbound caller waits
//! (non-preemptive priority), in one attempt, with no dial time.
//!
//! The state is either `m = 0..n−1` busy agents (nobody waiting) or, with all
//! `n` agents busy, `(q, c)`: `q` inbound callers and `c` callbacks waiting.
//! Transitions:
//!
//! - idle `m`: arrival `λ` → `m+1` (from `m = n−1` into `(0, 0)`);
//!   completion `mμ` → `m−1`;
//! - all busy `(q, c)`: arrival `λ` → `(q, c+1)` with probability `p` if
//!   `q ≥ k`, else `(q+1, c)`; completion `nμ` → `(q−1, c)` if `q > 0`,
//!   else `(0, c−1)` if `c > 0`, else `m = n−1`; abandonment `qθ` →
//!   `(q−1, c)`.
//!
//! # Stability
//!
//! The inbound queue is always stable (`θ > 0`); the callback queue is stable
//! iff, in the saturated regime (`c` large, the `q`-process a birth–death
//! chain with births `λ` below `k`, `λ(1−p)` from `k`, deaths `nμ + qθ`, law
//! `π̃`), callbacks are created slower than they are served:
//! `λp·π̃(q ≥ k) < nμ·π̃(0)`, i.e. the long-run work `λ − θE_π̃[q]` is below
//! the capacity `nμ`. [`CallbackModel::solve`] returns an error otherwise.
//!
//! # Truncation
//!
//! `q` is stochastically below the birth–death chain with births `λ` and
//! deaths `nμ + qθ`; `q ≤ Q` is chosen so that this chain has
//! `P(q ≥ Q) < 10⁻¹⁴` (with `p = 1`, `q` never exceeds `k`, so `Q ≤ k`).
//! For `c ≥ 1` the chain is a level-independent quasi-birth–death process
//! in `c`; the tail decays like `η^c`, `η` being the root in `(0, 1)` of
//! `χ(z) = 0`, `χ(z)` the Perron eigenvalue of `A₀ + zA₁ + z²A₂` (`A₀`
//! conversions up, `A₁` moves within a level, `A₂` completions at `q = 0`
//! down; found by
//! bisection: `χ(z) < 0` iff the symmetrised tridiagonal `−A(z)` has
//! positive pivots). `c ≤ C` starts at `C ≈ ln 10⁻¹⁵ / ln η`. Transitions
//! leaving the box are dropped. The solve is repeated with larger bounds until
//! the stationary mass on states where a transition is cut (reported as
//! [`CallbackResult::truncated_mass`]) is below `10⁻¹²`.
//!
//! # Solver
//!
//! Exact and direct, in `O(states)`: the only transitions between columns
//! `≤ c` and `> c` are conversions `(q, c) → (q, c+1)` and completions
//! `(0, c+1) → (0, c)`, so in steady state the flux into column `c` from
//! above equals the conversions out of it (cut balance). Column `c`'s
//! balance equations therefore involve column `c−1` only, with the
//! conversions re-entering at `q = 0`: column 0 (which also holds the idle
//! states) is solved on its own up to scale, then each column `c ≥ 1` from
//! its inflow `λp·π(q, c−1)`. Every column is a birth–death line with exits,
//! solved by a tridiagonal elimination whose pivots are sums of nonnegative
//! terms (as in GTH: no cancellation); the re-entry is one extra solve and
//! a scalar (`π_c = y + X·z`, `X = λp·Σ_{q≥k} y_q / (nμ·z₀)`, `y` the
//! solution for the inflow, `z` for a unit at `q = 0`). The relative
//! residual `Σ|πQ| / Σ π·out` of all balance equations is checked
//! (`< 10⁻¹²`, else an error). This replaces Gauss–Seidel, which needs many sweeps along long
//! callback tails (and, accelerated by aggregation over columns, was seen
//! to oscillate).
//!
//! # Outputs (PASTA)
//!
//! With `π(q) = Σ_c π(q, c)`: `p_wait = Σ_q π(q)`; `p_callback =
//! p·Σ_{q≥k} π(q)`; `p_abandon = θE[q]/λ`; occupancy `= (Σ_m mπ_m +
//! n·p_wait)/n`. ASA by a tagged caller who joins at position `j = q+1`:
//! callbacks are behind it and agents on callbacks finish at the same rate,
//! so at position `i` it moves up at rate `nμ + (i−1)θ` and abandons at `θ`.
//! Stage `i` lasts Exp(`nμ + iθ`) whatever ends it, so `P(served | j) =
//! nμ/(nμ + jθ)` (telescoping product) and `E[wait | served, j] =
//! Σ_{i=1..j} 1/(nμ + iθ)`; `asa` is the mean of that over answered callers,
//! those who find an agent free counting with wait 0.

/// A single queue with `offer_if_callers_ahead` callbacks (see the module
/// docs). Rates are per second, times in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallbackModel {
    /// Agents `n ≥ 1`.
    pub agents: u32,
    /// Inbound calls per second, `λ > 0`.
    pub arrival_rate: f64,
    /// Mean handle time `1/μ` of calls and callbacks, seconds.
    pub mean_handle: f64,
    /// Mean (exponential) patience `1/θ`, seconds; finite.
    pub mean_patience: f64,
    /// `k`: offer when no agent is free and at least `k` inbound callers hold.
    pub callers_ahead: u32,
    /// `p`: probability that an offered caller accepts.
    pub accept_probability: f64,
}

/// Steady-state figures of a [`CallbackModel`], per inbound arrival.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallbackResult {
    /// Fraction of arrivals converted to a callback (`callbacks_requested / offered`).
    pub p_callback: f64,
    /// Fraction of arrivals that abandon (`abandoned / offered`).
    pub p_abandon: f64,
    /// Mean wait of answered inbound calls, seconds.
    pub asa: f64,
    /// Probability that an arrival finds every agent busy.
    pub p_wait: f64,
    /// Mean fraction of agents busy (calls and callbacks).
    pub occupancy: f64,
    /// Stationary mass on the truncated states where a transition is cut.
    pub truncated_mass: f64,
}

/// Tail mass of the dominating inbound chain left beyond `Q`.
const Q_TAIL: f64 = 1e-14;
/// Target decay `η^C` for the first callback bound.
const C_TAIL: f64 = 1e-15;
/// Largest accepted mass on cut states.
const MASS_TOL: f64 = 1e-12;
/// Largest accepted relative balance residual (a check: the solve is direct).
const RESIDUAL_TOL: f64 = 1e-12;
const MAX_STATES: usize = 5_000_000;
const MAX_Q: usize = 1_000_000;

impl CallbackModel {
    /// Solves the chain: an error for invalid parameters, an unstable
    /// callback queue, or a system too close to instability to truncate.
    pub fn solve(&self) -> Result<CallbackResult, String> {
        let r = Rates::new(self)?;
        let mut qmax = queue_bound(&r)?;
        if r.p >= 1.0 {
            // Every arrival at q ≥ k converts: q never exceeds k.
            qmax = qmax.min(r.k);
        }
        let converts = r.p > 0.0 && r.k <= qmax;
        let mut cmax = 0;
        if converts {
            let (work, capacity) = saturated_work(&r, qmax);
            if work >= capacity {
                return Err(format!(
                    "callbacks are never all served: long-run work {work:.6} contacts/s is not \
                     below the capacity {capacity:.6} contacts/s of {} agents",
                    r.n
                ));
            }
            let eta = decay_rate(&r, qmax);
            if eta >= 1.0 - 1e-9 {
                return Err(format!(
                    "too close to instability to solve (callback backlog decays like {eta}^c)"
                ));
            }
            let c = (C_TAIL.ln() / eta.ln()).ceil();
            cmax = if c.is_finite() {
                (c as usize).max(2)
            } else {
                2
            };
        }
        for _ in 0..12 {
            let states = r.n + (cmax + 1) * (qmax + 1);
            if states > MAX_STATES {
                return Err(format!(
                    "the chain needs more than {MAX_STATES} states (q ≤ {qmax}, c ≤ {cmax}): \
                     too close to instability"
                ));
            }
            let chain = Chain::new(r, qmax, cmax);
            let pi = chain.stationary();
            let residual = chain.residual(&pi);
            if residual.is_nan() || residual >= RESIDUAL_TOL {
                return Err(format!(
                    "the balance equations are not met (residual {residual:e})"
                ));
            }
            let (q_edge, c_edge) = chain.edge_mass(&pi);
            if c_edge > MASS_TOL / 2.0 {
                cmax = (cmax * 2).max(2);
            } else if q_edge > MASS_TOL / 2.0 {
                qmax += qmax / 2 + 1;
            } else {
                return Ok(chain.result(&pi, q_edge + c_edge));
            }
        }
        Err("truncation did not converge".to_string())
    }
}

/// Validated rates.
#[derive(Clone, Copy, Debug)]
struct Rates {
    n: usize,
    lam: f64,
    mu: f64,
    theta: f64,
    nmu: f64,
    k: usize,
    p: f64,
}

impl Rates {
    fn new(m: &CallbackModel) -> Result<Self, String> {
        let positive = |x: f64, name: &str| {
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(format!("{name} must be positive and finite, got {x}"))
            }
        };
        if m.agents == 0 {
            return Err("agents must be at least 1".to_string());
        }
        let lam = positive(m.arrival_rate, "arrival_rate")?;
        let mu = 1.0 / positive(m.mean_handle, "mean_handle")?;
        let theta = 1.0 / positive(m.mean_patience, "mean_patience")?;
        let p = m.accept_probability;
        if !(0.0..=1.0).contains(&p) {
            return Err(format!("accept_probability must be in [0, 1], got {p}"));
        }
        let n = m.agents as usize;
        Ok(Self {
            n,
            lam,
            mu,
            theta,
            nmu: n as f64 * mu,
            k: m.callers_ahead as usize,
            p,
        })
    }

    /// Rate at which arrivals join the inbound queue in all-busy state `q`.
    fn join(&self, q: usize) -> f64 {
        if q < self.k {
            self.lam
        } else {
            self.lam * (1.0 - self.p)
        }
    }

    /// Rate at which arrivals convert to callbacks in all-busy state `q`.
    fn convert(&self, q: usize) -> f64 {
        if q < self.k { 0.0 } else { self.lam * self.p }
    }

    /// Rate `q → q−1` (completions and abandonments), `q ≥ 1`.
    fn leave(&self, q: usize) -> f64 {
        self.nmu + q as f64 * self.theta
    }
}

/// Smallest `Q` with `P(q ≥ Q) < Q_TAIL` in the chain with births `λ` and
/// deaths `nμ + qθ`, which bounds the inbound queue stochastically.
fn queue_bound(r: &Rates) -> Result<usize, String> {
    let (mut lw, mut lmax, mut sum) = (0.0_f64, 0.0_f64, 1.0_f64); // sum = Σ w / e^lmax
    for q in 0..MAX_Q {
        let ratio = r.lam / r.leave(q + 1);
        if ratio < 1.0 {
            // Ratios only decrease from here: Σ_{i≥q} w_i ≤ w_q / (1 − ratio).
            let tail = (lw - lmax).exp() / (1.0 - ratio);
            if tail < Q_TAIL * sum {
                return Ok(q.max(1));
            }
        }
        lw += ratio.ln();
        if lw > lmax {
            sum *= (lmax - lw).exp();
            lmax = lw;
        }
        sum += (lw - lmax).exp();
    }
    Err(format!(
        "the inbound queue needs more than {MAX_Q} places (patience too long for the load)"
    ))
}

/// Stationary law of a birth–death line (`b[i]`: `i → i+1`, `d[i]`: `i →
/// i−1`), computed in log space.
fn birth_death(b: &[f64], d: &[f64]) -> Vec<f64> {
    let mut lw = vec![0.0; b.len()];
    for i in 1..b.len() {
        lw[i] = lw[i - 1] + (b[i - 1] / d[i]).ln();
    }
    let lmax = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut w: Vec<f64> = lw.iter().map(|&l| (l - lmax).exp()).collect();
    let s: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= s);
    w
}

/// Long-run work arriving and capacity, contacts per second, in the
/// saturated regime (callbacks always waiting).
fn saturated_work(r: &Rates, qmax: usize) -> (f64, f64) {
    let b: Vec<f64> = (0..=qmax)
        .map(|q| if q < qmax { r.join(q) } else { 0.0 })
        .collect();
    let d: Vec<f64> = (0..=qmax).map(|q| r.leave(q)).collect();
    let pt = birth_death(&b, &d);
    let created: f64 = pt.iter().enumerate().map(|(q, x)| x * r.convert(q)).sum();
    let busy_inbound = r.nmu * (1.0 - pt[0]);
    (busy_inbound + created, r.nmu)
}

/// Decay rate `η` of the callback tail (an upper bound, from bisection).
fn decay_rate(r: &Rates, qmax: usize) -> f64 {
    // χ(z) < 0 iff every pivot of −A(z) (symmetrised, tridiagonal) is > 0.
    let negative = |z: f64| {
        let mut prev = 1.0;
        for q in 0..=qmax {
            let join = if q < qmax { r.join(q) } else { 0.0 };
            let out = r.leave(q) + join + r.convert(q);
            let mut piv = z * out - r.convert(q);
            if q == 0 {
                piv -= z * z * r.nmu;
            } else {
                piv -= z * z * r.join(q - 1) * r.leave(q) / prev;
            }
            if piv.is_nan() || piv <= 0.0 {
                return false;
            }
            prev = piv;
        }
        true
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if negative(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// A birth–death line with extra exits ("leak") to other blocks, factored
/// for `(diag − off-diagonals)·x = rhs`.
struct Line {
    /// `b[i−1] / pivot[i−1]`, the forward elimination factor of row `i`.
    fwd: Vec<f64>,
    inv_piv: Vec<f64>,
    /// Rate `i → i−1`.
    d: Vec<f64>,
}

impl Line {
    /// `b[i]`: rate `i → i+1` (0 at the end), `d[i]`: rate `i → i−1`,
    /// `leak[i]`: rates out of the line; some leak must be positive.
    fn new(b: &[f64], d: &[f64], leak: &[f64]) -> Self {
        let len = b.len();
        let mut piv = vec![0.0; len];
        let mut fwd = vec![0.0; len];
        // pivot_i = b_i + g_i with g_i = leak_i + d_i·g_{i−1}/pivot_{i−1}:
        // sums of nonnegative terms only.
        let mut g = 0.0;
        for i in 0..len {
            g = leak[i] + if i > 0 { d[i] * g / piv[i - 1] } else { 0.0 };
            piv[i] = b[i] + g;
            if i > 0 {
                fwd[i] = b[i - 1] / piv[i - 1];
            }
        }
        Self {
            fwd,
            inv_piv: piv.iter().map(|p| 1.0 / p).collect(),
            d: d.to_vec(),
        }
    }

    /// Overwrites `x` (the right-hand side) with the solution.
    fn solve(&self, x: &mut [f64]) {
        let len = x.len();
        for i in 1..len {
            x[i] += self.fwd[i] * x[i - 1];
        }
        x[len - 1] *= self.inv_piv[len - 1];
        for i in (0..len - 1).rev() {
            x[i] = (x[i] + self.d[i + 1] * x[i + 1]) * self.inv_piv[i];
        }
    }
}

/// The truncated chain. Layout: idle `m` at `m`, `(q, c)` at
/// `n + c(Q+1) + q`, so column 0 (`n + Q + 1` states) is one birth–death
/// line through the idle states.
struct Chain {
    r: Rates,
    qmax: usize,
    cmax: usize,
    /// Column 0: births, deaths, exits to column 1.
    line_b: Vec<f64>,
    line_d: Vec<f64>,
    line_leak: Vec<f64>,
    /// Columns `c ≥ 1` over `q`: births, deaths, conversions.
    col_b: Vec<f64>,
    col_d: Vec<f64>,
    conv: Vec<f64>,
}

impl Chain {
    fn new(r: Rates, qmax: usize, cmax: usize) -> Self {
        let n = r.n;
        let col_b: Vec<f64> = (0..=qmax)
            .map(|q| if q < qmax { r.join(q) } else { 0.0 })
            .collect();
        let col_d: Vec<f64> = (0..=qmax)
            .map(|q| if q > 0 { r.leave(q) } else { 0.0 })
            .collect();
        let conv: Vec<f64> = (0..=qmax).map(|q| r.convert(q)).collect();
        let mut line_b = vec![r.lam; n];
        line_b.extend_from_slice(&col_b);
        let mut line_d: Vec<f64> = (0..n).map(|m| m as f64 * r.mu).collect();
        line_d.push(r.nmu);
        line_d.extend_from_slice(&col_d[1..]);
        let mut line_leak = vec![0.0; n];
        line_leak.extend(conv.iter().map(|&x| if cmax > 0 { x } else { 0.0 }));
        Self {
            r,
            qmax,
            cmax,
            line_b,
            line_d,
            line_leak,
            col_b,
            col_d,
            conv,
        }
    }

    fn width(&self) -> usize {
        self.qmax + 1
    }

    fn idx(&self, q: usize, c: usize) -> usize {
        self.r.n + c * self.width() + q
    }

    fn len(&self) -> usize {
        self.idx(0, self.cmax + 1)
    }

    /// Exits from column `c ≥ 1` to the neighbouring columns.
    fn col_leak(&self, c: usize) -> Vec<f64> {
        let mut leak: Vec<f64> = self
            .conv
            .iter()
            .map(|&x| if c < self.cmax { x } else { 0.0 })
            .collect();
        leak[0] += self.r.nmu;
        leak
    }

    /// Stationary distribution of the truncated chain, column by column.
    ///
    /// The only transitions between columns `≤ c` and `> c` are conversions
    /// up and completions at `(0, c+1)` down, so the flux into column `c`
    /// from above equals the conversions out of it: given column `c−1`,
    /// column `c` solves its own balance equations with its conversions
    /// re-entering at `q = 0` (column 0 needs no input at all).
    fn stationary(&self) -> Vec<f64> {
        if self.cmax == 0 {
            return birth_death(&self.line_b, &self.line_d);
        }
        let (n, w, nmu) = (self.r.n, self.width(), self.r.nmu);
        let mut pi = vec![0.0; self.len()];
        // Column 0: a unit inflow at (0, 0); conversions are its only exit.
        let col0 = &mut pi[..n + w];
        col0[n] = 1.0;
        Line::new(&self.line_b, &self.line_d, &self.line_leak).solve(col0);
        // Middle columns: y solves the inflow from below, z a unit inflow at
        // q = 0; π_c = y + X·z with X = conv·π_c, i.e. X = conv·y / (nμ·z₀)
        // since a unit at q = 0 leaves by conversion or by nμ at q = 0.
        let mid = Line::new(&self.col_b, &self.col_d, &self.col_leak(1));
        let last = Line::new(&self.col_b, &self.col_d, &self.col_leak(self.cmax));
        let mut z = vec![0.0; w];
        z[0] = 1.0;
        mid.solve(&mut z);
        for c in 1..=self.cmax {
            let cur = self.idx(0, c);
            let (before, rest) = pi.split_at_mut(cur);
            let prev = &before[cur - w..];
            let col = &mut rest[..w];
            for ((x, &cv), &pv) in col.iter_mut().zip(&self.conv).zip(prev) {
                *x = cv * pv;
            }
            if c < self.cmax {
                mid.solve(col);
                let up: f64 = col.iter().zip(&self.conv).map(|(x, v)| x * v).sum();
                let back = up / (nmu * z[0]);
                col.iter_mut().zip(&z).for_each(|(x, zq)| *x += back * zq);
            } else {
                last.solve(col);
            }
        }
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|x| *x /= total);
        pi
    }

    /// `Σ |inflow − outflow| / Σ outflow` over all states.
    fn residual(&self, pi: &[f64]) -> f64 {
        let (n, w, nmu) = (self.r.n, self.width(), self.r.nmu);
        let (mut err, mut total) = (0.0, 0.0);
        let ll = n + w;
        for l in 0..ll {
            let mut inflow = 0.0;
            if l > 0 {
                inflow += self.line_b[l - 1] * pi[l - 1];
            }
            if l + 1 < ll {
                inflow += self.line_d[l + 1] * pi[l + 1];
            }
            if l == n && self.cmax > 0 {
                inflow += nmu * pi[self.idx(0, 1)];
            }
            let out = (self.line_b[l] + self.line_d[l] + self.line_leak[l]) * pi[l];
            err += (inflow - out).abs();
            total += out;
        }
        for c in 1..=self.cmax {
            let at = self.idx(0, c);
            let prev = self.idx(0, c - 1);
            for q in 0..w {
                let mut inflow = self.conv[q] * pi[prev + q];
                if q > 0 {
                    inflow += self.col_b[q - 1] * pi[at + q - 1];
                }
                if q < self.qmax {
                    inflow += self.col_d[q + 1] * pi[at + q + 1];
                }
                if q == 0 && c < self.cmax {
                    inflow += nmu * pi[self.idx(0, c + 1)];
                }
                let leak = if c < self.cmax { self.conv[q] } else { 0.0 };
                let down = if q == 0 { nmu } else { self.col_d[q] };
                let out = (self.col_b[q] + down + leak) * pi[at + q];
                err += (inflow - out).abs();
                total += out;
            }
        }
        err / total
    }

    /// Stationary mass on states where a joining arrival is cut (`q = Q`)
    /// and where a conversion is cut (`c = C`, not counted twice).
    fn edge_mass(&self, pi: &[f64]) -> (f64, f64) {
        let (mut q_edge, mut c_edge) = (0.0, 0.0);
        for c in 0..=self.cmax {
            for q in 0..=self.qmax {
                let x = pi[self.idx(q, c)];
                if q == self.qmax && self.r.join(q) > 0.0 {
                    q_edge += x;
                } else if c == self.cmax && self.conv[q] > 0.0 {
                    c_edge += x;
                }
            }
        }
        (q_edge, c_edge)
    }

    /// Marginal of `q` over the all-busy states.
    fn queue_marginal(&self, pi: &[f64]) -> Vec<f64> {
        let w = self.width();
        let mut marg = vec![0.0; w];
        for c in 0..=self.cmax {
            let at = self.idx(0, c);
            marg.iter_mut()
                .zip(&pi[at..at + w])
                .for_each(|(m, x)| *m += x);
        }
        marg
    }

    fn result(&self, pi: &[f64], truncated_mass: f64) -> CallbackResult {
        let r = &self.r;
        let n = r.n;
        let marg = self.queue_marginal(pi);
        let p_idle: f64 = pi[..n].iter().sum();
        let busy_idle: f64 = pi[..n].iter().enumerate().map(|(m, x)| m as f64 * x).sum();
        let p_wait: f64 = marg.iter().sum();
        let mut p_callback = 0.0;
        let mut mean_q = 0.0;
        let (mut answered, mut wait) = (p_idle, 0.0);
        let mut h = 0.0; // Σ_{i=1..j} 1/(nμ + iθ) for j = q+1
        for (q, &x) in marg.iter().enumerate() {
            let j = q + 1;
            h += 1.0 / r.leave(j);
            p_callback += x * r.convert(q) / r.lam;
            mean_q += q as f64 * x;
            let served = x * (r.join(q) / r.lam) * r.nmu / r.leave(j);
            answered += served;
            wait += served * h;
        }
        CallbackResult {
            p_callback,
            p_abandon: r.theta * mean_q / r.lam,
            asa: wait / answered,
            p_wait,
            occupancy: (busy_idle + n as f64 * p_wait) / n as f64,
            truncated_mass,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(n: u32, lam: f64, handle: f64, patience: f64, k: u32, p: f64) -> CallbackModel {
        CallbackModel {
            agents: n,
            arrival_rate: lam,
            mean_handle: handle,
            mean_patience: patience,
            callers_ahead: k,
            accept_probability: p,
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// Erlang A from the one-dimensional chain on N = calls in system:
    /// (P(wait), P(abandon)).
    fn erlang_a(n: u32, lam: f64, handle: f64, patience: f64) -> (f64, f64) {
        let (mu, theta) = (1.0 / handle, 1.0 / patience);
        let n = n as usize;
        let mut w = vec![1.0_f64];
        let mut i = 0;
        loop {
            i += 1;
            let death = (i.min(n)) as f64 * mu + i.saturating_sub(n) as f64 * theta;
            let next = w[i - 1] * lam / death;
            w.push(next);
            if i > n && next < 1e-300 {
                break;
            }
            // Rescale to keep the weights finite.
            if next > 1e200 {
                w.iter_mut().for_each(|x| *x *= 1e-200);
            }
        }
        let total: f64 = w.iter().sum();
        let p_wait = w[n..].iter().sum::<f64>() / total;
        let excess: f64 = w
            .iter()
            .enumerate()
            .map(|(i, x)| i.saturating_sub(n) as f64 * x)
            .sum::<f64>()
            / total;
        (p_wait, theta * excess / lam)
    }

    #[test]
    fn no_callbacks_is_erlang_a() {
        for &(n, lam, handle, patience) in &[
            (1, 0.5, 1.0, 2.0),
            (10, 1.0 / 30.0, 300.0, 180.0),
            (50, 0.95 * 50.0 / 300.0, 300.0, 120.0),
            (100, 1.2 * 100.0 / 240.0, 240.0, 300.0),
        ] {
            let (pw, pa) = erlang_a(n, lam, handle, patience);
            for (k, p) in [(3, 0.0), (1_000_000, 0.7)] {
                let res = model(n, lam, handle, patience, k, p).solve().unwrap();
                assert!(close(res.p_wait, pw, 1e-9), "{n}: {} vs {pw}", res.p_wait);
                assert!(
                    close(res.p_abandon, pa, 1e-9),
                    "{n}: {} vs {pa}",
                    res.p_abandon
                );
                assert_eq!(res.p_callback, 0.0);
                assert!(res.truncated_mass < 1e-12);
            }
        }
    }

    fn flow_balance(m: &CallbackModel) {
        let res = m.solve().unwrap();
        let nmu = f64::from(m.agents) / m.mean_handle;
        let served = 1.0 - res.p_abandon / (1.0 - res.p_callback);
        let lhs = m.arrival_rate * ((1.0 - res.p_callback) * served + res.p_callback);
        let rhs = nmu * res.occupancy;
        assert!(close(lhs, rhs, 1e-9), "{m:?}: {lhs} vs {rhs}");
        assert!(res.truncated_mass < 1e-12, "{m:?}: {}", res.truncated_mass);
    }

    #[test]
    fn every_converted_call_is_served() {
        flow_balance(&model(1, 0.5, 1.0, 1.0, 0, 0.5));
        flow_balance(&model(3, 2.0, 1.0, 0.5, 1, 0.8));
        flow_balance(&model(20, 20.0 / 200.0, 180.0, 60.0, 2, 1.0));
        flow_balance(&model(50, 0.95 * 50.0 / 300.0, 300.0, 180.0, 5, 0.5));
        flow_balance(&model(100, 1.2 * 100.0 / 300.0, 300.0, 30.0, 10, 0.3));
        flow_balance(&model(100, 1.2 * 100.0 / 300.0, 300.0, 20.0, 5, 0.3));
        flow_balance(&model(100, 0.97 * 100.0 / 300.0, 300.0, 120.0, 0, 1.0));
    }

    #[test]
    fn single_agent_always_converting_is_mm1() {
        // n = 1, k = 0, p = 1: nobody holds, and calls plus callbacks in
        // system form an M/M/1 queue, busy with probability ρ.
        let rho = 0.7;
        let res = model(1, rho / 10.0, 10.0, 5.0, 0, 1.0).solve().unwrap();
        assert!(close(res.p_callback, rho, 1e-9), "{}", res.p_callback);
        assert!(close(res.p_wait, rho, 1e-9));
        assert!(close(res.occupancy, rho, 1e-9));
        assert_eq!(res.p_abandon, 0.0);
        assert_eq!(res.asa, 0.0);
    }

    #[test]
    fn always_converting_is_erlang_c() {
        // k = 0, p = 1: nobody holds; calls plus callbacks form M/M/n.
        for (n, rho) in [(1u32, 0.7), (10, 0.9), (50, 0.95), (100, 0.98)] {
            let a = rho * f64::from(n);
            let b = (1..=n).fold(1.0, |b, i| a * b / (f64::from(i) + a * b));
            let c = b / (1.0 - rho * (1.0 - b));
            let res = model(n, a / 200.0, 200.0, 50.0, 0, 1.0).solve().unwrap();
            assert!(
                close(res.p_callback, c, 1e-9),
                "{n}: {} vs {c}",
                res.p_callback
            );
            assert!(close(res.p_wait, c, 1e-9));
            assert!(close(res.occupancy, rho, 1e-9));
            assert_eq!((res.p_abandon, res.asa), (0.0, 0.0));
        }
    }

    /// Stationary law of the chain built independently as a dense generator
    /// on `0 ≤ q ≤ qm`, `0 ≤ c ≤ cm`, solved by Gaussian elimination; returns
    /// (idle law, all-busy law indexed [c][q]).
    fn dense(m: &CallbackModel, qm: usize, cm: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
        let n = m.agents as usize;
        let (lam, mu, theta) = (m.arrival_rate, 1.0 / m.mean_handle, 1.0 / m.mean_patience);
        let (k, p) = (m.callers_ahead as usize, m.accept_probability);
        let size = n + (qm + 1) * (cm + 1);
        let id = |q: usize, c: usize| n + c * (qm + 1) + q;
        let mut g = vec![vec![0.0; size]; size];
        let mut add = |from: usize, to: usize, rate: f64| {
            g[from][to] += rate;
            g[from][from] -= rate;
        };
        for i in 0..n {
            add(i, if i + 1 < n { i + 1 } else { id(0, 0) }, lam);
            if i > 0 {
                add(i, i - 1, i as f64 * mu);
            }
        }
        for c in 0..=cm {
            for q in 0..=qm {
                let s = id(q, c);
                let pc = if q >= k { p } else { 0.0 };
                if c < cm {
                    add(s, id(q, c + 1), lam * pc);
                }
                if q < qm {
                    add(s, id(q + 1, c), lam * (1.0 - pc));
                }
                let completion = if q > 0 {
                    id(q - 1, c)
                } else if c > 0 {
                    id(0, c - 1)
                } else {
                    n - 1
                };
                add(s, completion, n as f64 * mu);
                if q > 0 {
                    add(s, id(q - 1, c), q as f64 * theta);
                }
            }
        }
        // Solve πG = 0, Σπ = 1: rows of Gᵀ, the last replaced by ones.
        let mut a: Vec<Vec<f64>> = (0..size)
            .map(|i| (0..size).map(|j| g[j][i]).collect())
            .collect();
        let mut rhs = vec![0.0; size];
        a[size - 1] = vec![1.0; size];
        rhs[size - 1] = 1.0;
        for col in 0..size {
            let piv = (col..size)
                .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
                .unwrap();
            a.swap(col, piv);
            rhs.swap(col, piv);
            let (top, below) = a.split_at_mut(col + 1);
            let pivot_row = &top[col];
            for (i, row) in below.iter_mut().enumerate() {
                let f = row[col] / pivot_row[col];
                if f != 0.0 {
                    for (x, &y) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                        *x -= f * y;
                    }
                    rhs[col + 1 + i] -= f * rhs[col];
                }
            }
        }
        let mut x = vec![0.0; size];
        for i in (0..size).rev() {
            let s: f64 = (i + 1..size).map(|j| a[i][j] * x[j]).sum();
            x[i] = (rhs[i] - s) / a[i][i];
        }
        let busy = (0..=cm)
            .map(|c| (0..=qm).map(|q| x[id(q, c)]).collect())
            .collect();
        (x[..n].to_vec(), busy)
    }

    /// The figures of `m` from the dense solve on `q ≤ qm`, `c ≤ cm`.
    fn dense_figures(m: &CallbackModel, qm: usize, cm: usize) -> CallbackResult {
        let (idle, busy) = dense(m, qm, cm);
        let n = idle.len();
        let (lam, theta) = (m.arrival_rate, 1.0 / m.mean_patience);
        let nmu = n as f64 / m.mean_handle;
        let (k, p) = (m.callers_ahead as usize, m.accept_probability);
        let edge: f64 = busy[cm].iter().sum::<f64>() + busy.iter().map(|r| r[qm]).sum::<f64>();
        assert!(edge < 1e-13, "dense truncation too tight: {edge}");
        let marg: Vec<f64> = (0..=qm).map(|q| busy.iter().map(|r| r[q]).sum()).collect();
        let p_wait: f64 = marg.iter().sum();
        let p_callback = p * marg[k.min(qm + 1)..].iter().sum::<f64>();
        let mean_q: f64 = marg.iter().enumerate().map(|(q, x)| q as f64 * x).sum();
        let busy_idle: f64 = idle.iter().enumerate().map(|(i, x)| i as f64 * x).sum();
        let (mut answered, mut wait) = (idle.iter().sum::<f64>(), 0.0);
        for (q, &x) in marg.iter().enumerate() {
            let j = (q + 1) as f64;
            let join = if q >= k { 1.0 - p } else { 1.0 };
            let served = x * join * nmu / (nmu + j * theta);
            answered += served;
            let h: f64 = (1..=q + 1).map(|i| 1.0 / (nmu + i as f64 * theta)).sum();
            wait += served * h;
        }
        CallbackResult {
            p_callback,
            p_abandon: theta * mean_q / lam,
            asa: wait / answered,
            p_wait,
            occupancy: (busy_idle + n as f64 * p_wait) / n as f64,
            truncated_mass: edge,
        }
    }

    #[test]
    fn small_cases_match_dense_solve() {
        for (m, qm, cm) in [
            (model(2, 1.0, 1.0, 1.0, 1, 0.5), 18, 32),
            (model(3, 2.1, 1.0, 0.5, 2, 0.8), 20, 40),
            (model(4, 3.0, 1.0, 1.0, 1, 0.4), 20, 40),
        ] {
            let want = dense_figures(&m, qm, cm);
            let got = m.solve().unwrap();
            for (a, b) in [
                (got.p_wait, want.p_wait),
                (got.p_callback, want.p_callback),
                (got.p_abandon, want.p_abandon),
                (got.occupancy, want.occupancy),
                (got.asa, want.asa),
            ] {
                assert!(close(a, b, 1e-9), "{m:?}: {got:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn tagged_caller_agrees_with_littles_law() {
        // θE[q]/λ (from the chain) equals the tagged caller's abandonment
        // probability Σ P(join at j)·jθ/(nμ + jθ), callbacks notwithstanding.
        let m = model(30, 30.0 / 200.0, 200.0, 100.0, 2, 0.6);
        let r = Rates::new(&m).unwrap();
        let qmax = queue_bound(&r).unwrap();
        let chain = Chain::new(r, qmax, 200);
        let pi = chain.stationary();
        let marg = chain.queue_marginal(&pi);
        let tagged: f64 = marg
            .iter()
            .enumerate()
            .map(|(q, x)| {
                let j = (q + 1) as f64;
                x * (r.join(q) / r.lam) * j * r.theta / (r.nmu + j * r.theta)
            })
            .sum();
        let res = m.solve().unwrap();
        assert!(res.p_callback > 0.01);
        assert!(
            close(res.p_abandon, tagged, 1e-9),
            "{} {tagged}",
            res.p_abandon
        );
    }

    #[test]
    fn more_acceptance_means_more_callbacks_fewer_abandons() {
        let mut last: Option<CallbackResult> = None;
        for i in 0..=10 {
            let p = f64::from(i) / 10.0;
            let res = model(40, 1.05 * 40.0 / 300.0, 300.0, 150.0, 3, p)
                .solve()
                .unwrap();
            if let Some(prev) = last {
                assert!(res.p_callback > prev.p_callback, "p = {p}");
                assert!(res.p_abandon < prev.p_abandon, "p = {p}");
                assert!(res.asa < prev.asa, "p = {p}");
            }
            last = Some(res);
        }
    }

    #[test]
    fn rejects_unstable_and_invalid_input() {
        // Every excess caller converts and nobody abandons: work 2 > capacity 1.
        assert!(model(1, 2.0, 1.0, 1.0, 0, 1.0).solve().is_err());
        assert!(
            model(10, 1.5 * 10.0 / 300.0, 300.0, 600.0, 0, 0.9)
                .solve()
                .is_err()
        );
        assert!(model(0, 1.0, 1.0, 1.0, 0, 0.5).solve().is_err());
        assert!(model(1, 1.0, 1.0, f64::INFINITY, 0, 0.5).solve().is_err());
        assert!(model(1, 1.0, 1.0, 1.0, 0, 1.5).solve().is_err());
        assert!(model(1, f64::NAN, 1.0, 1.0, 0, 0.5).solve().is_err());
    }
}
