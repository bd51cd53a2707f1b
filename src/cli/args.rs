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

/// The grounding and tone knobs (`analyze`), with the defaults of
/// [`crate::analytics::Options`].
#[derive(Debug, Clone, clap::Args)]
pub struct ToneGrounding {
    /// The score (share of a bullet's weighted words a title has) from which a title
    /// supports a highlight.
    #[arg(long, default_value_t = GroundingSettings::default().support_min)]
    pub grounding_support_min: f64,
    /// A side's best supporting title counts for a highlight's status when it scores at
    /// least this share of the other side's best.
    #[arg(long, default_value_t = GroundingSettings::default().comparable)]
    pub grounding_comparable: f64,
    /// The weight of names and numbers in that score (0: words only).
    #[arg(long, default_value_t = GroundingSettings::default().names_weight)]
    pub grounding_names_weight: f64,
    /// A side's tone in a period is marked few_items under this many scored items.
    #[arg(long, default_value_t = crate::analytics::Options::default().tone_min_items)]
    pub tone_min_items: u32,
}

use crate::analytics::GroundingSettings;

impl ToneGrounding {
    /// The grounding settings, checked.
    pub fn grounding(&self) -> anyhow::Result<GroundingSettings> {
        for (name, v) in [
            ("--grounding-support-min", self.grounding_support_min),
            ("--grounding-names-weight", self.grounding_names_weight),
            ("--grounding-comparable", self.grounding_comparable),
        ] {
            anyhow::ensure!((0.0..=1.0).contains(&v), "{name} must be between 0 and 1, got {v}");
        }
        Ok(GroundingSettings {
            support_min: self.grounding_support_min,
            names_weight: self.grounding_names_weight,
            comparable: self.grounding_comparable,
            ..GroundingSettings::default()
        })
    }
}
