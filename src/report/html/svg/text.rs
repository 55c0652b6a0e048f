//! Text and numbers as they go into SVG: coordinates with one decimal (so
//! the markup stays compact), a width estimate for laying out labels in
//! the system sans-serif font (on the wide side, so that labels laid out
//! with it do not touch), and wrapping labels onto lines: a label is never
//! cut.

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

/// Approximate rendered width of text in the system sans-serif font (a
/// wide one such as DejaVu Sans: digits are 0.64 em there).
pub fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// `s` on as few lines as fit in `width` at font `size`, broken at spaces
/// (and after `=`, `,` or `/` inside a long word); nothing is left out. A
/// piece that fits no line gets a line of its own.
pub fn wrap(s: &str, width: f64, size: f64) -> Vec<String> {
    let fits = |t: &str| text_w(t, size) <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        for (i, piece) in pieces(word, &fits).into_iter().enumerate() {
            let joined = match (cur.is_empty(), i) {
                (true, _) => piece.clone(),
                (false, 0) => format!("{cur} {piece}"),
                (false, _) => format!("{cur}{piece}"),
            };
            if cur.is_empty() || fits(&joined) {
                cur = joined;
            } else {
                lines.push(std::mem::take(&mut cur));
                cur = piece;
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A word as it may be broken: whole if it fits, else after each `=`, `,`
/// or `/`.
fn pieces(word: &str, fits: &impl Fn(&str) -> bool) -> Vec<String> {
    if fits(word) {
        return vec![word.to_string()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in word.chars() {
        cur.push(c);
        if matches!(c, '=' | ',' | '/') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_character() {
        let w = text_w("abcdefghij", 12.0);
        assert_eq!(wrap("abc def ghi jkl", w, 12.0), ["abc def", "ghi jkl"]);
        assert_eq!(wrap("short", w, 12.0), ["short"]);
        assert_eq!(wrap("", w, 12.0), [""]);
        // A long word breaks after `=`, and a piece too long stays whole.
        assert_eq!(
            wrap("offer_after=30s accept_probability=0.3", w, 12.0),
            ["offer_after=", "30s", "accept_probability=", "0.3"]
        );
        let wide = text_w("offer_after=30s", 12.0);
        assert_eq!(
            wrap("offer_after=30s accept_probability=0.3", wide, 12.0),
            ["offer_after=30s", "accept_probability=", "0.3"]
        );
    }

    #[test]
    fn coordinates_have_one_decimal() {
        assert_eq!(f1(3.0).to_string(), "3.0");
        assert_eq!(f1(-0.04).to_string(), "-0.0");
        assert_eq!(points(&[(1.0, 2.26), (3.5, 4.0)]), "1.0,2.3 3.5,4.0");
    }
}
