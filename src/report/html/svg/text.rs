//! Text and numbers as they go into SVG: coordinates with one decimal (so
//! the markup stays compact), a rough width estimate for laying out labels
//! in the system sans-serif font, and shortening labels with an ellipsis.

use std::fmt;

/// A coordinate with one decimal, as written into SVG attributes.
#[derive(Clone, Copy, Debug)]
pub struct F1(pub f64);

impl fmt::Display for F1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// `v` with one decimal (see [`F1`]).
pub fn f1(v: f64) -> F1 {
    F1(v)
}

/// Points `x,y x,y …` with one decimal, for `points` attributes.
pub fn points<'a>(pts: impl IntoIterator<Item = &'a (f64, f64)>) -> String {
    let pts: Vec<String> = pts
        .into_iter()
        .map(|(x, y)| format!("{},{}", f1(*x), f1(*y)))
        .collect();
    pts.join(" ")
}

/// Approximate rendered width of text in the system sans-serif font.
pub fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// At most `n` characters, with an ellipsis when cut.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_cuts_with_an_ellipsis() {
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }

    #[test]
    fn coordinates_have_one_decimal() {
        assert_eq!(f1(3.0).to_string(), "3.0");
        assert_eq!(f1(-0.04).to_string(), "-0.0");
        assert_eq!(points(&[(1.0, 2.26), (3.5, 4.0)]), "1.0,2.3 3.5,4.0");
    }
}
