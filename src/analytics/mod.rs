//! Analytics: the extracted tables → the analysis tables of `spec/tables.md`, all in Polars.
//!
//! From the floor up:
//! - `base`: the names of columns and tables, the inputs, options and filters, the typed
//!   [`Analysis`] and the small expression helpers every table family uses;
//! - the table families (`shares`, `themes`, `blindspots`, `coverage`, `terms`, `stories`),
//!   each `LazyFrame → LazyFrame` (or plain Rust for the stories), pure queries;
//! - `plan`: the inputs joined once and the table jobs over them, run wave by wave;
//! - `restart`: where an incremental run starts a changed topic again, and what it keeps
//!   before that; `incremental`: what a previous analysis keeps; `service`: the one way into an analysis
//!   for every command (stored or current, incremental or over a window); `job`: the
//!   written analysis of `analyze` and `run`.
//!
//! The planner runs in three ways: over the periods of the options ([`analyze`]), over some
//! topics of them ([`analyze_topics`]), and over a window whose stories and runs reach back
//! over all the digests of its topics ([`analyze_window`]).

mod base;
pub mod blindspots;
pub mod coverage;
pub mod grounding;
pub mod incremental;
pub mod job;
pub mod lexicon;
pub mod partitions;
pub mod periods;
pub mod plan;
pub mod restart;
pub mod service;
pub mod shares;
pub mod stories;
pub mod table;
pub mod terms;
pub mod themes;
pub mod tone;

pub use base::{
    col, cols, concat_diagonal, in_periods, live_days, live_digests, one_of, over, period_keys,
    period_keys_and, ratio, side_section, sorted, topic_period, Analysis, Filter, GroundingSettings, Inputs,
    Options, Parts, StorySettings, Table, ARTICLE_COLUMNS, CROSS_THRESHOLD, HIGHLIGHT_COLUMNS,
};
pub use periods::Period;
pub use plan::{analyze, analyze_topics, analyze_window};
