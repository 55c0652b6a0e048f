//! Figures as the reports print them: a mean in its unit (ratios as
//! percentages), `mean ± half-width` and signed differences (ratios in
//! percentage points) as table-cell markup, and a dash where a figure is
//! undefined, so no `NaN` ever reaches the page.

use crate::results::{Estimate, Unit};
use maud::{Markup, html};

/// A figure's mean in its unit (ratios as percentages), `None` if undefined.
pub fn fmt_value(x: f64, unit: Unit) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    Some(match unit {
        Unit::Count => format!("{x:.1}"),
        Unit::Ratio => format!("{:.1}%", x * 100.0),
        Unit::Seconds => format!("{x:.1} s"),
    })
}

/// The dash of an undefined figure.
fn undefined() -> Markup {
    html! { span.ns { "–" } }
}

/// `mean ± half-width` for a table cell; a dash when undefined.
pub fn fmt_est(e: Option<&Estimate>, unit: Unit) -> Markup {
    let Some(e) = e else { return undefined() };
    let Some(mean) = fmt_value(e.mean, unit) else {
        return undefined();
    };
    if !e.half_width.is_finite() {
        return html! { (mean) };
    }
    let hw = match unit {
        Unit::Ratio => e.half_width * 100.0,
        _ => e.half_width,
    };
    html! { (mean) " " span.ci { "± " (format!("{hw:.1}")) } }
}

/// A difference `+x unit ± hw` for a table cell; ratios in percentage points.
pub fn fmt_diff(e: &Estimate, unit: Unit) -> Markup {
    if !e.mean.is_finite() {
        return undefined();
    }
    let (scale, dec, suffix) = match unit {
        Unit::Count => (1.0, 1, ""),
        Unit::Ratio => (100.0, 2, " pp"),
        Unit::Seconds => (1.0, 1, " s"),
    };
    let m = e.mean * scale;
    html! {
        (format!("{m:+.dec$}{suffix}"))
        @if e.half_width.is_finite() {
            " " span.ci { "± " (format!("{:.dec$}", e.half_width * scale)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(mean: f64, half_width: f64) -> Estimate {
        Estimate {
            mean,
            half_width,
            sd: f64::NAN,
            n: 3,
        }
    }

    #[test]
    fn estimates_and_differences_in_their_units() {
        let e = est(0.8123, 0.0456);
        assert_eq!(
            fmt_est(Some(&e), Unit::Ratio).into_string(),
            r#"81.2% <span class="ci">± 4.6</span>"#
        );
        assert_eq!(
            fmt_est(Some(&est(12.0, f64::NAN)), Unit::Seconds).into_string(),
            "12.0 s"
        );
        assert_eq!(
            fmt_est(Some(&est(f64::NAN, 1.0)), Unit::Count).into_string(),
            r#"<span class="ns">–</span>"#
        );
        assert_eq!(
            fmt_est(None, Unit::Count).into_string(),
            r#"<span class="ns">–</span>"#
        );
        assert_eq!(
            fmt_diff(&est(-0.0123, 0.004), Unit::Ratio).into_string(),
            r#"-1.23 pp <span class="ci">± 0.40</span>"#
        );
        assert_eq!(
            fmt_diff(&est(2.0, f64::NAN), Unit::Count).into_string(),
            "+2.0"
        );
    }
}
