//! Distributions of durations (handle time, patience, wrap-up, dial time).
//!
//! Scenario files give lognormal and gamma by their mean and standard
//! deviation, which is what planners measure; [`Dist`] converts them to the
//! families' own parameters once, at validation.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Weibull};
use serde::Serialize;

#[cfg(doc)]
use super::duration::MAX_DURATION;
use super::duration::{MAX_DURATION_TEXT, format_number, within_limit};

/// A validated, ready-to-sample distribution of non-negative durations in seconds.
/// It serializes as its family and parameters; the samplers built from them
/// are left out.
#[derive(Clone, Debug, Serialize)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// Lognormal with the given mean and standard deviation.
    LogNormal {
        mean: f64,
        sd: f64,
        #[serde(skip)]
        inner: LogNormal<f64>,
    },
    /// Gamma with the given mean and standard deviation (Erlang when the shape is whole).
    Gamma {
        mean: f64,
        sd: f64,
        #[serde(skip)]
        inner: Gamma<f64>,
    },
    /// Weibull with shape `k` and scale `λ` (seconds).
    Weibull {
        shape: f64,
        scale: f64,
        #[serde(skip)]
        inner: Weibull<f64>,
    },
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Always `value`.
    Constant { value: f64 },
    /// One of `values`, each with equal weight.
    Empirical { values: Vec<f64> },
    /// One of `parts`, picked with probability its weight (the weights sum
    /// to 1), then sampled.
    Mixture {
        parts: Vec<Part>,
        /// Running sums of the weights: part `i` is picked when the uniform
        /// draw is below `cumulative[i]`.
        #[serde(skip)]
        cumulative: Vec<f64>,
    },
}

/// One part of a [`Dist::Mixture`].
#[derive(Clone, Debug, Serialize)]
pub struct Part {
    /// Its share of the draws, normalized so that a mixture's weights sum to 1.
    pub weight: f64,
    pub dist: Dist,
}

impl Dist {
    /// Exponential with mean `mean > 0`.
    pub fn exponential(mean: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        Ok(Dist::Exponential { mean })
    }

    /// Lognormal with the given mean and sd (both > 0):
    /// `σ² = ln(1 + sd²/mean²)`, `μ = ln(mean) − σ²/2`.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        positive("sd", sd)?;
        spread(mean, sd)?;
        let s2 = (1.0 + (sd / mean).powi(2)).ln();
        let inner = LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).map_err(|e| e.to_string())?;
        Ok(Dist::LogNormal { mean, sd, inner })
    }

    /// Gamma with the given mean and sd (both > 0): shape `mean²/sd²`, scale `sd²/mean`.
    pub fn gamma(mean: f64, sd: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        positive("sd", sd)?;
        spread(mean, sd)?;
        let inner = Gamma::new((mean / sd).powi(2), sd * sd / mean).map_err(|e| e.to_string())?;
        Ok(Dist::Gamma { mean, sd, inner })
    }

    /// Erlang with `k ≥ 1` phases and the given mean: a gamma of shape `k`.
    pub fn erlang(k: u32, mean: f64) -> Result<Dist, String> {
        if k == 0 {
            return Err("k must be a whole number of at least 1".into());
        }
        positive("mean", mean)?;
        Dist::gamma(mean, mean / f64::from(k).sqrt())
    }

    /// Weibull with shape and scale both > 0.
    pub fn weibull(shape: f64, scale: f64) -> Result<Dist, String> {
        let (least, most) = WEIBULL_SHAPE;
        if !(least..=most).contains(&shape) {
            return Err(format!(
                "shape must be a number from {least} to {most}, got {}",
                format_number(shape)
            ));
        }
        positive("scale", scale)?;
        let inner = Weibull::new(scale, shape).map_err(|e| e.to_string())?;
        Ok(Dist::Weibull {
            shape,
            scale,
            inner,
        })
    }

    /// Uniform on `[min, max]`, `0 ≤ min ≤ max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, String> {
        non_negative("min", min)?;
        non_negative("max", max)?;
        if max < min {
            return Err(format!(
                "max ({}) must not be less than min ({})",
                format_number(max),
                format_number(min)
            ));
        }
        Ok(Dist::Uniform { min, max })
    }

    /// Always `value ≥ 0`.
    pub fn constant(value: f64) -> Result<Dist, String> {
        non_negative("value", value)?;
        Ok(Dist::Constant { value })
    }

    /// Equal-weight choice among non-negative `values` (at least one).
    pub fn empirical(values: Vec<f64>) -> Result<Dist, String> {
        if values.is_empty() {
            return Err("values must hold at least one duration".into());
        }
        for (i, v) in values.iter().enumerate() {
            non_negative(&format!("values[{i}]"), *v)?;
        }
        Ok(Dist::Empirical { values })
    }

    /// A mixture of `(weight, dist)` parts: at least one part, each weight
    /// positive and finite; the weights are normalized to sum to 1, so
    /// `[(1, a), (3, b)]` is `[(0.25, a), (0.75, b)]`. A part may not itself
    /// be a mixture.
    pub fn mixture(parts: Vec<(f64, Dist)>) -> Result<Dist, String> {
        if parts.is_empty() {
            return Err("parts must hold at least one part".into());
        }
        for (i, (w, d)) in parts.iter().enumerate() {
            if !(*w > 0.0 && *w <= MAX_WEIGHT) {
                return Err(format!(
                    "parts[{i}].weight must be a number above 0 and at most {}, got {}",
                    format_number(MAX_WEIGHT),
                    format_number(*w)
                ));
            }
            if matches!(d, Dist::Mixture { .. }) {
                return Err(format!(
                    "parts[{i}] is a mixture: a part cannot itself be one"
                ));
            }
        }
        let total: f64 = parts.iter().map(|(w, _)| w).sum();
        if !total.is_finite() {
            return Err(format!(
                "parts: the weights sum to {total}, not a finite number"
            ));
        }
        let parts: Vec<Part> = parts
            .into_iter()
            .map(|(w, dist)| Part {
                weight: w / total,
                dist,
            })
            .collect();
        let mut sum = 0.0;
        let mut cumulative: Vec<f64> = parts
            .iter()
            .map(|p| {
                sum += p.weight;
                sum
            })
            .collect();
        // Rounding must not leave a sliver above the last sum unpicked.
        if let Some(last) = cumulative.last_mut() {
            *last = f64::INFINITY;
        }
        Ok(Dist::Mixture { parts, cumulative })
    }

    /// The mean, in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::LogNormal { mean, .. }
            | Dist::Gamma { mean, .. } => *mean,
            Dist::Weibull { shape, scale, .. } => {
                scale * statrs::function::gamma::gamma(1.0 + 1.0 / shape)
            }
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Constant { value } => *value,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
            Dist::Mixture { parts, .. } => match parts.as_slice() {
                [one] => one.dist.mean(),
                _ => parts.iter().map(|p| p.weight * p.dist.mean()).sum(),
            },
        }
    }

    /// The standard deviation, in seconds.
    pub fn sd(&self) -> f64 {
        match self {
            Dist::Exponential { mean } => *mean,
            Dist::LogNormal { sd, .. } | Dist::Gamma { sd, .. } => *sd,
            Dist::Weibull { shape, scale, .. } => {
                let g1 = statrs::function::gamma::gamma(1.0 + 1.0 / shape);
                let g2 = statrs::function::gamma::gamma(1.0 + 2.0 / shape);
                scale * (g2 - g1 * g1).max(0.0).sqrt()
            }
            Dist::Uniform { min, max } => (max - min) / 12f64.sqrt(),
            Dist::Constant { .. } => 0.0,
            Dist::Empirical { values } => {
                let m = self.mean();
                (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
            }
            // Var = Σ wᵢ(σᵢ² + μᵢ²) − μ², the law of total variance.
            Dist::Mixture { parts, .. } => match parts.as_slice() {
                [one] => one.dist.sd(),
                _ => {
                    let m = self.mean();
                    let second: f64 = parts
                        .iter()
                        .map(|p| {
                            let (mi, si) = (p.dist.mean(), p.dist.sd());
                            p.weight * (si * si + mi * mi)
                        })
                        .sum();
                    (second - m * m).max(0.0).sqrt()
                }
            },
        }
    }

    /// Draws one duration.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // The exponential, by far the commonest, is drawn inline; the
        // others would bloat every call site.
        match self {
            Dist::Exponential { mean } => mean * <Exp1 as Distribution<f64>>::sample(&Exp1, rng),
            _ => self.sample_other(rng),
        }
    }

    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential { mean } => mean * <Exp1 as Distribution<f64>>::sample(&Exp1, rng),
            Dist::LogNormal { inner, .. } => inner.sample(rng),
            Dist::Gamma { inner, .. } => inner.sample(rng),
            Dist::Weibull { inner, .. } => inner.sample(rng),
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Constant { value } => *value,
            Dist::Empirical { values } => values[rng.random_range(0..values.len())],
            // One uniform draw picks the part, whose own draws follow from
            // the same stream. A single part is that part: no extra draw.
            Dist::Mixture { parts, cumulative } => match parts.as_slice() {
                [one] => one.dist.sample(rng),
                _ => {
                    let u = rng.random::<f64>();
                    let i = cumulative
                        .iter()
                        .position(|&c| u < c)
                        .unwrap_or(parts.len() - 1);
                    parts[i].dist.sample(rng)
                }
            },
        }
    }

    /// The family's name, as a file writes it in `dist`.
    pub fn family(&self) -> &'static str {
        match self {
            Dist::Exponential { .. } => "exponential",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Gamma { .. } => "gamma",
            Dist::Weibull { .. } => "weibull",
            Dist::Uniform { .. } => "uniform",
            Dist::Constant { .. } => "constant",
            Dist::Empirical { .. } => "empirical",
            Dist::Mixture { .. } => "mixture",
        }
    }

    /// A short description for `ccsim check`, e.g. `lognormal(mean 300s, sd 200s)`.
    pub fn describe(&self) -> String {
        use super::format_duration as d;
        match self {
            Dist::Exponential { mean } => format!("exponential(mean {})", d(*mean)),
            Dist::LogNormal { mean, sd, .. } => {
                format!("lognormal(mean {}, sd {})", d(*mean), d(*sd))
            }
            Dist::Gamma { mean, sd, .. } => format!("gamma(mean {}, sd {})", d(*mean), d(*sd)),
            Dist::Weibull { shape, scale, .. } => {
                format!("weibull(shape {shape}, scale {})", d(*scale))
            }
            Dist::Uniform { min, max } => format!("uniform({}..{})", d(*min), d(*max)),
            Dist::Constant { value } => format!("constant({})", d(*value)),
            Dist::Empirical { values } => format!(
                "empirical({} values, mean {})",
                values.len(),
                d(self.mean())
            ),
            Dist::Mixture { parts, .. } => match parts.as_slice() {
                [one] => one.dist.describe(),
                _ => parts
                    .iter()
                    .map(|p| format!("{}% {}", percent(p.weight), p.dist.describe()))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        }
    }
}

/// A weight as a percentage, to at most two decimals: `0.1` → `10`.
fn percent(w: f64) -> f64 {
    (w * 10_000.0).round() / 100.0
}

/// A duration parameter above 0 and within [`MAX_DURATION`].
fn positive(name: &str, v: f64) -> Result<(), String> {
    if within_limit(v) && v > 0.0 {
        Ok(())
    } else {
        Err(format!(
            "{name} must be a duration above 0 and at most {MAX_DURATION_TEXT}, got {} s",
            format_number(v)
        ))
    }
}

/// A duration parameter from 0 to [`MAX_DURATION`].
fn non_negative(name: &str, v: f64) -> Result<(), String> {
    if within_limit(v) && v >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "{name} must be a duration from 0 to {MAX_DURATION_TEXT}, got {} s",
            format_number(v)
        ))
    }
}

/// The largest `sd / mean` a lognormal or gamma takes. Far beyond any
/// measured handle time or patience (a few at most); beyond it the
/// families' own parameters stop being representable (a gamma's shape
/// `mean²/sd²` underflows to 0).
pub const MAX_SD_OVER_MEAN: f64 = 1000.0;

/// Checks `sd ≤ MAX_SD_OVER_MEAN × mean`.
fn spread(mean: f64, sd: f64) -> Result<(), String> {
    if sd <= MAX_SD_OVER_MEAN * mean {
        Ok(())
    } else {
        Err(format!(
            "sd must be at most {MAX_SD_OVER_MEAN} times the mean ({}), got {}",
            format_number(mean),
            format_number(sd)
        ))
    }
}

/// The largest weight of a mixture's part: weights are shares (the
/// mixture normalizes them), and below this their sum stays finite.
pub const MAX_WEIGHT: f64 = 1e9;

/// The range of a Weibull's shape: below it the mean `scale·Γ(1 + 1/shape)`
/// overflows; planners' fits lie between about 0.3 and 5.
const WEIBULL_SHAPE: (f64, f64) = (0.05, 1000.0);

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Sample mean and sd of `n` draws.
    fn moments(d: &Dist, n: usize, seed: u64) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt())
    }

    /// The sampled mean and sd agree with the stated ones. The tolerance is
    /// five standard errors of the sample mean (sd/√n), and a relative 3% for
    /// the sd, whose estimator is noisier for heavy tails; with a fixed seed
    /// the test is deterministic, and a wrong parameter conversion (e.g.
    /// passing sd where σ is expected) misses by far more than that.
    #[test]
    fn sampled_moments_match_parameters() {
        let n = 400_000;
        let cases = vec![
            Dist::exponential(180.0).unwrap(),
            Dist::lognormal(300.0, 200.0).unwrap(),
            Dist::lognormal(30.0, 90.0).unwrap(),
            Dist::gamma(240.0, 120.0).unwrap(),
            Dist::gamma(10.0, 30.0).unwrap(),
            Dist::erlang(3, 300.0).unwrap(),
            Dist::weibull(1.5, 200.0).unwrap(),
            Dist::weibull(0.8, 100.0).unwrap(),
            Dist::uniform(10.0, 50.0).unwrap(),
            Dist::empirical(vec![10.0, 20.0, 60.0]).unwrap(),
        ];
        for (i, d) in cases.iter().enumerate() {
            let (m, s) = moments(d, n, 7 + i as u64);
            let se = d.sd() / (n as f64).sqrt();
            assert!(
                (m - d.mean()).abs() < 5.0 * se,
                "{}: sampled mean {m} vs {} (se {se})",
                d.describe(),
                d.mean()
            );
            let rel = (s - d.sd()).abs() / d.sd();
            let tol = if matches!(d, Dist::LogNormal { .. }) && d.sd() > d.mean() {
                0.10 // heavy right tail: the sample sd converges slowly
            } else {
                0.03
            };
            assert!(rel < tol, "{}: sampled sd {s} vs {}", d.describe(), d.sd());
        }
    }

    #[test]
    fn constant_and_erlang_shapes() {
        let c = Dist::constant(30.0).unwrap();
        assert_eq!(moments(&c, 10, 1), (30.0, 0.0));
        let e = Dist::erlang(4, 200.0).unwrap();
        assert!((e.sd() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Dist::exponential(0.0).is_err());
        assert!(Dist::exponential(f64::NAN).is_err());
        assert!(Dist::lognormal(300.0, -1.0).is_err());
        assert!(Dist::gamma(f64::INFINITY, 1.0).is_err());
        assert!(Dist::weibull(0.0, 1.0).is_err());
        assert!(Dist::uniform(5.0, 1.0).is_err());
        assert!(Dist::uniform(-1.0, 1.0).is_err());
        assert!(Dist::constant(-1.0).is_err());
        assert!(Dist::empirical(vec![]).is_err());
        assert!(Dist::empirical(vec![1.0, -2.0]).is_err());
        assert!(Dist::erlang(0, 10.0).is_err());
    }

    fn two_parts() -> Dist {
        Dist::mixture(vec![
            (0.1, Dist::constant(0.0).unwrap()),
            (0.9, Dist::exponential(300.0).unwrap()),
        ])
        .unwrap()
    }

    /// Mean and sd against a direct computation: the mixture's second
    /// moment is Σ wᵢ(σᵢ² + μᵢ²).
    #[test]
    fn mixture_mean_and_sd_are_exact() {
        let m = two_parts();
        // 0.1·0 + 0.9·300; second moment 0.9·(300² + 300²).
        assert!((m.mean() - 270.0).abs() < 1e-9);
        let var: f64 = 0.9 * 2.0 * 300.0 * 300.0 - 270.0 * 270.0;
        assert!((m.sd() - var.sqrt()).abs() < 1e-9);
        // Unnormalized weights are shares of their sum.
        let m = Dist::mixture(vec![
            (1.0, Dist::uniform(0.0, 60.0).unwrap()),
            (3.0, Dist::lognormal(300.0, 200.0).unwrap()),
        ])
        .unwrap();
        let mean = 0.25 * 30.0 + 0.75 * 300.0;
        let second = 0.25 * (60f64.powi(2) / 12.0 + 30f64.powi(2))
            + 0.75 * (200f64.powi(2) + 300f64.powi(2));
        assert!((m.mean() - mean).abs() < 1e-9);
        assert!((m.sd() - (second - mean * mean).sqrt()).abs() < 1e-9);
        assert_eq!(
            m.describe(),
            "25% uniform(0s..1m), 75% lognormal(mean 5m, sd 200s)"
        );
        assert_eq!(
            two_parts().describe(),
            "10% constant(0s), 90% exponential(mean 5m)"
        );
    }

    /// Parts are picked by weight: with fixed seed and n draws, the count
    /// of each part is within 5 binomial standard errors √(n p (1−p)) of n p.
    #[test]
    fn mixture_picks_parts_by_weight() {
        let weights = [0.1, 0.6, 0.3];
        let m = Dist::mixture(
            weights
                .iter()
                .enumerate()
                .map(|(i, &w)| (w, Dist::constant(i as f64).unwrap()))
                .collect(),
        )
        .unwrap();
        let n = 200_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[m.sample(&mut rng) as usize] += 1;
        }
        for (i, &p) in weights.iter().enumerate() {
            let expect = n as f64 * p;
            let se = (n as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (counts[i] as f64 - expect).abs() < 5.0 * se,
                "part {i}: {} draws, expected {expect} ± {se}",
                counts[i]
            );
        }
        // Sampled moments agree with the stated ones, as for the families.
        let m = two_parts();
        let (mean, sd) = moments(&m, 400_000, 5);
        assert!((mean - m.mean()).abs() < 5.0 * m.sd() / 400_000f64.sqrt());
        assert!((sd - m.sd()).abs() / m.sd() < 0.03);
    }

    /// A mixture with one part is that part: the same values from the same
    /// stream, the same mean and sd, whatever its weight.
    #[test]
    fn one_part_mixture_is_the_part() {
        for part in [
            Dist::exponential(180.0).unwrap(),
            Dist::lognormal(300.0, 200.0).unwrap(),
            Dist::empirical(vec![1.0, 5.0, 9.0]).unwrap(),
        ] {
            let m = Dist::mixture(vec![(2.5, part.clone())]).unwrap();
            let mut a = Xoshiro256PlusPlus::seed_from_u64(3);
            let mut b = a.clone();
            for _ in 0..1000 {
                assert_eq!(m.sample(&mut a).to_bits(), part.sample(&mut b).to_bits());
            }
            assert_eq!(m.mean().to_bits(), part.mean().to_bits());
            assert_eq!(m.sd().to_bits(), part.sd().to_bits());
        }
    }

    #[test]
    fn rejects_bad_mixtures() {
        let e = || Dist::exponential(1.0).unwrap();
        assert!(Dist::mixture(vec![]).is_err());
        assert!(Dist::mixture(vec![(0.0, e())]).is_err());
        assert!(Dist::mixture(vec![(1.0, e()), (-1.0, e())]).is_err());
        assert!(Dist::mixture(vec![(f64::NAN, e())]).is_err());
        assert!(Dist::mixture(vec![(1.0, two_parts())]).is_err());
        assert!(Dist::mixture(vec![(f64::MAX, e()), (f64::MAX, e())]).is_err());
    }
}
