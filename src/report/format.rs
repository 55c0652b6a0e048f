//! Figures as people read them: an estimate in its unit with its 95%
//! half-width, a difference with its sign (rates in percentage points),
//! and how many replications a figure rests on when some had none.

use crate::results::{Estimate, Unit};

/// Scale, decimals and suffix of a unit's figures.
fn style(unit: Unit) -> (f64, usize, &'static str) {
    match unit {
        Unit::Count => (1.0, 1, ""),
        Unit::Ratio => (100.0, 2, "%"),
        Unit::Seconds => (1.0, 1, "s"),
    }
}

/// `x` with `decimals` decimals; a value that rounds to zero prints
/// without a sign ("-0.00%" reads as news).
fn fixed(x: f64, decimals: usize) -> String {
    let mut s = format!("{x:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s.remove(0);
    }
    s
}

/// `mean ± ci95` in the metric's unit: counts with one decimal, ratios as
/// percentages, seconds with one decimal.
pub fn format_estimate(e: &Estimate, unit: Unit) -> String {
    if e.mean.is_nan() {
        return "-".to_string();
    }
    let (scale, decimals, suffix) = style(unit);
    let mean = fixed(e.mean * scale, decimals);
    if e.half_width.is_nan() {
        format!("{mean}{suffix}")
    } else {
        format!("{mean}{suffix} ± {:.decimals$}", e.half_width * scale)
    }
}

/// A difference with its sign: `+7.26 pp ± 1.20` for rates (percentage
/// points, not percent), `-3.1s ± 1.2` for times, `+12.0 ± 4.1` for counts.
pub fn format_difference(e: &Estimate, unit: Unit) -> String {
    if e.mean.is_nan() {
        return "-".to_string();
    }
    let (scale, decimals, suffix) = style(unit);
    let suffix = if unit == Unit::Ratio { " pp" } else { suffix };
    let mut mean = fixed(e.mean * scale, decimals);
    if !mean.starts_with('-') && mean.trim_start_matches(['0', '.']).is_empty() {
        // Zero: no sign.
    } else if !mean.starts_with('-') {
        mean.insert(0, '+');
    }
    if e.half_width.is_nan() {
        format!("{mean}{suffix}")
    } else {
        format!("{mean}{suffix} ± {:.decimals$}", e.half_width * scale)
    }
}

/// ` (n=K)` when the figure rests on fewer of the `runs` replications
/// (it is undefined in the others, e.g. ASA with nothing answered).
fn on_fewer(e: &Estimate, runs: usize) -> String {
    if e.n < runs && !e.mean.is_nan() {
        format!(" (n={})", e.n)
    } else {
        String::new()
    }
}

/// An estimate as a table cell: `-` when there is none.
pub fn cell(e: Option<Estimate>, unit: Unit, runs: usize) -> String {
    e.map_or_else(
        || "-".to_string(),
        |e| format!("{}{}", format_estimate(&e, unit), on_fewer(&e, runs)),
    )
}

/// A difference as a table cell.
pub fn difference_cell(e: &Estimate, unit: Unit, runs: usize) -> String {
    format!("{}{}", format_difference(e, unit), on_fewer(e, runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(mean: f64, half_width: f64, n: usize) -> Estimate {
        Estimate {
            mean,
            half_width,
            sd: f64::NAN,
            n,
        }
    }

    #[test]
    fn rates_differ_in_percentage_points() {
        let d = est(0.0726, 0.012, 10);
        assert_eq!(format_difference(&d, Unit::Ratio), "+7.26 pp ± 1.20");
        assert_eq!(format_estimate(&d, Unit::Ratio), "7.26% ± 1.20");
        assert_eq!(
            format_difference(&est(-3.04, 1.2, 10), Unit::Seconds),
            "-3.0s ± 1.2"
        );
        assert_eq!(
            format_difference(&est(-0.0001, 0.0, 10), Unit::Count),
            "0.0 ± 0.0"
        );
        assert_eq!(
            format_estimate(&est(-0.00001, 0.0, 10), Unit::Ratio),
            "0.00% ± 0.00"
        );
    }

    #[test]
    fn a_figure_from_fewer_replications_says_so() {
        assert_eq!(
            cell(Some(est(185.6, 926.2, 2)), Unit::Seconds, 10),
            "185.6s ± 926.2 (n=2)"
        );
        assert_eq!(
            cell(Some(est(185.6, 9.2, 10)), Unit::Seconds, 10),
            "185.6s ± 9.2"
        );
        assert_eq!(
            cell(Some(est(f64::NAN, f64::NAN, 0)), Unit::Seconds, 10),
            "-"
        );
        assert_eq!(cell(None, Unit::Count, 10), "-");
    }
}
