//! biaslens turns folders of daily multi-perspective news digests into media-bias analytics.
//!
//! The pipeline reads top to bottom, as the modules do:
//! [`extract`] (Markdown → [`model`]) → [`tables`] (model → DataFrames) → [`write`]
//! (DataFrames → CSV/Parquet bytes on disk, atomically) → [`analytics`] (tables → shares,
//! balance, themes, one-sided coverage, all lazy Polars). The command line lives in [`cli`],
//! one file per subcommand. The sample corpus comes from the `biaslens-generate` crate.

pub use biaslens_digest::{hash, lang, model, names, outlets, problems, sides};

pub mod allocator;
pub mod analytics;
pub mod charts;
pub mod cli;
pub mod export;
pub mod extract;
pub mod frames;
pub mod fxhash;
pub mod pipeline;
pub mod queue;
pub mod report;
pub mod resources;
pub mod schema;
pub mod store;
pub mod tables;
pub mod timing;
pub mod write;
