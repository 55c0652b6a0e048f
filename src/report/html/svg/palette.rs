//! The charts' colours: a muted palette for the series of one chart, as
//! many distinct colours as a chart or a report needs (the palette for up
//! to ten, evenly spaced hues beyond), and the fixed greys of grid lines,
//! axes, reference lines, axis titles and faint notes.

/// A muted qualitative palette (ten colours).
const PALETTE: [&str; 10] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
    "#b5a33a", "#3f9fbf",
];
/// Grid lines.
pub const GRID: &str = "#e8e8e8";
/// Axis lines and tick marks.
pub const AXIS: &str = "#999";
/// Reference lines (targets, the base variant, zero).
pub const REF: &str = "#888";
/// Axis titles and value labels.
pub const LABEL: &str = "#555";
/// Notes inside charts and leader lines.
pub const FAINT: &str = "#999";

/// The `i`-th palette colour, for the few fixed series of one chart
/// (cycling after ten; use [`colors`] for an open-ended number of things).
pub fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// `n` distinct colours, the same for the same `n`: the palette for up to
/// ten, otherwise `n` evenly spaced hues, every other one darker so that
/// neighbours differ in lightness as well as hue.
pub fn colors(n: usize) -> Vec<String> {
    if n <= PALETTE.len() {
        return PALETTE[..n].iter().map(|c| (*c).to_string()).collect();
    }
    (0..n)
        .map(|i| {
            let hue = 360.0 * i as f64 / n as f64;
            let (s, l) = if i % 2 == 0 {
                (0.55, 0.45)
            } else {
                (0.5, 0.62)
            };
            hsl_hex(hue, s, l)
        })
        .collect()
}

/// `#rrggbb` of a colour given as hue (degrees), saturation and lightness.
fn hsl_hex(h: f64, s: f64, l: f64) -> String {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_distinct_for_any_number() {
        for n in [0, 1, 8, 10, 11, 12, 30, 100] {
            let c = colors(n);
            assert_eq!(c.len(), n);
            let mut sorted = c.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), n, "{n} colours: {c:?}");
            assert!(c.iter().all(|x| x.len() == 7 && x.starts_with('#')));
        }
        assert_eq!(colors(12), colors(12));
        assert_eq!(hsl_hex(0.0, 1.0, 0.5), "#ff0000");
        assert_eq!(hsl_hex(240.0, 1.0, 0.5), "#0000ff");
    }
}
