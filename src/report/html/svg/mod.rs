//! A small SVG plotting kit for the HTML reports: a [`Plot`] frame with
//! linear scales, grid, axes and a legend; data marks (lines, dots, bands,
//! bars, whiskers, reference lines); "nice" axis ticks and clock-time ticks;
//! a palette; and the text helpers that lay labels out. It is generic: it
//! draws numbers and labels and knows nothing of what they measure. All
//! markup is written with `maud`, so every label is escaped.

mod marks;
mod palette;
mod plot;
mod text;
mod ticks;

pub use palette::{FAINT, LABEL, REF, color, colors};
pub use plot::{Margins, Mark, Plot, Scale, lines_text};
pub use text::{f1, text_w, wrap};
pub use ticks::{Ticks, TimeGrid, nice_ticks, ticks_in_steps};
