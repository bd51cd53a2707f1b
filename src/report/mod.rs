//! Reports: an analysis → a [`view`] of typed rows → a plain [`model`] ([`weekly`],
//! [`compare`]) → one document written through a [`markup`] ([`render`]: [`html`] and
//! [`markdown`] supply the syntax, [`format`] the numbers and sentences) → strings the CLI
//! writes, with the charts [`write_figures`] renders.

pub mod calendar;
pub mod compare;
pub mod font;
pub mod format;
pub mod html;
pub mod images;
pub mod job;
pub mod markdown;
pub mod markup;
pub mod model;
pub mod render;
pub mod view;
pub mod weekly;

pub use calendar::{Month, Week};
pub use html::escape;
pub use images::{write_figures, ChartImages};
pub use markdown::escape_md;
