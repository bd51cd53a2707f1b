//! What several subcommands share: the default folders, and the digest filters.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};

/// The default folders, relative to the current folder.
pub mod paths {
    /// The digests `extract` and `run` read.
    pub const DIGESTS: &str = "data/digests";
    /// The extracted tables.
    pub const TABLES: &str = "data/tables";
    /// The analysis tables.
    pub const ANALYSIS: &str = "data/analysis";
    /// The reports.
    pub const REPORTS: &str = "reports";
}

/// Which digests a command covers: `--topic`, `--from`, `--to`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Filters {
    /// Only these topics (repeat the option or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub topic: Vec<String>,
    /// First digest date to include (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last digest date to include (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<NaiveDate>,
}

impl Filters {
    /// The analysis filter these options select (drafts and re-runs left out).
    pub fn filter(&self) -> anyhow::Result<crate::analytics::Filter> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
        }
        Ok(crate::analytics::Filter {
            topics: self.topic.clone(),
            from: self.from,
            to: self.to,
            ..Default::default()
        })
    }
}

/// The report timestamp: explicit, else `SOURCE_DATE_EPOCH` (reproducible builds), else now.
pub fn generation_time(explicit: Option<DateTime<Utc>>) -> anyhow::Result<DateTime<Utc>> {
    if let Some(t) = explicit {
        return Ok(t);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .with_context(|| format!("SOURCE_DATE_EPOCH={v} is not a number of seconds"))?;
            DateTime::from_timestamp(secs, 0).context("SOURCE_DATE_EPOCH is out of range")
        }
        Err(_) => Ok(Utc::now()),
    }
}

/// The story clustering knobs (`analyze`), with the defaults of
/// [`crate::analytics::stories::Settings`].
#[derive(Debug, Clone, clap::Args)]
pub struct Stories {
    /// Articles further apart than this many days are not compared.
    #[arg(long, default_value_t = StorySettings::default().window_days)]
    pub story_window: u32,
    /// Cosine similarity of weighted title shingles from which two titles are linked.
    #[arg(long, default_value_t = StorySettings::default().threshold)]
    pub story_threshold: f64,
    /// Share of a story's articles in the window an article must link to, to join it.
    #[arg(long, default_value_t = StorySettings::default().join_fraction)]
    pub story_join: f64,
    /// The --story-threshold of two titles in different languages the glossary bridges
    /// (Spanish and English).
    #[arg(long, default_value_t = StorySettings::default().cross_threshold)]
    pub story_cross_threshold: f64,
    /// A story is one-sided from this many articles ...
    #[arg(long, default_value_t = StorySettings::default().one_sided_min_articles)]
    pub one_sided_min: u32,
    /// ... when one side has at least this share of its articles of known side.
    #[arg(long, default_value_t = StorySettings::default().one_sided_share)]
    pub one_sided_share: f64,
}

use crate::analytics::stories::Settings as StorySettings;

impl Stories {
    /// The settings, checked.
    pub fn settings(&self) -> anyhow::Result<StorySettings> {
        for (name, v) in [
            ("--story-threshold", self.story_threshold),
            ("--story-join", self.story_join),
            ("--story-cross-threshold", self.story_cross_threshold),
            ("--one-sided-share", self.one_sided_share),
        ] {
            anyhow::ensure!((0.0..=1.0).contains(&v), "{name} must be between 0 and 1, got {v}");
        }
        Ok(StorySettings {
            window_days: self.story_window,
            threshold: self.story_threshold,
            join_fraction: self.story_join,
            cross_threshold: self.story_cross_threshold,
            one_sided_min_articles: self.one_sided_min,
            one_sided_share: self.one_sided_share,
            ..StorySettings::default()
        })
    }
}
