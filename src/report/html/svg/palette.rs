//! The charts' colours: a muted palette that series and variants cycle
//! through, and the fixed greys of grid lines, axes, reference lines, axis
//! titles and faint notes.

/// A muted palette; series and variants cycle through it.
const PALETTE: [&str; 8] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
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

/// The `i`-th palette colour, cycling.
pub fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}
