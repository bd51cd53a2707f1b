//! The typed rows the reports read: plain structs, no frames.

use chrono::NaiveDate;

/// A side: its perspective id and display name.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Perspective id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// Articles of one key (a side id, a language).
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    /// The key.
    pub key: String,
    /// Articles.
    pub articles: u32,
}

/// When a story is one-sided: from this many articles, with this share on one side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneSidedRule {
    /// Articles a story needs.
    pub min_articles: i64,
    /// Share of its articles of known side on the top side.
    pub share: f64,
}

/// A topic's latest period.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicPeriod {
    /// Topic slug.
    pub topic: String,
    /// Period label.
    pub period: String,
}

/// One side's articles and share in a topic-period.
#[derive(Debug, Clone, PartialEq)]
pub struct SideShare {
    /// Perspective id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Articles of the side.
    pub articles: i64,
    /// Share of the articles of known side.
    pub share: Option<f64>,
}

/// The sides of a topic-period and their balance index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Balance {
    /// Every declared side, in the table's order.
    pub sides: Vec<SideShare>,
    /// Normalised Shannon entropy of the shares.
    pub index: Option<f64>,
}

impl Balance {
    /// A side's share, by id.
    pub fn share(&self, side: &str) -> Option<f64> {
        self.sides.iter().find(|s| s.id == side).and_then(|s| s.share)
    }
}

/// One outlet's articles on one side in a topic-period, largest first.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletShare {
    /// Canonical outlet id.
    pub id: String,
    /// Perspective id (empty when unknown).
    pub side: String,
    /// Articles.
    pub articles: i64,
    /// Share of all the topic's articles in the period.
    pub share: f64,
}

/// A theme in one section of a topic-period.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeShare {
    /// `overall`, a perspective id, or `differences`.
    pub section: String,
    /// Theme id.
    pub theme: String,
    /// Items naming the theme.
    pub mentions: i64,
    /// Items of the section.
    pub items: i64,
    /// `mentions / items`.
    pub share: Option<f64>,
}

/// A theme rising or fading on one side.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// The theme's share of the period.
    pub theme: ThemeShare,
    /// Mean share over the trailing window.
    pub trailing_mean: Option<f64>,
    /// Rising (else fading).
    pub rising: bool,
    /// Present in most recent periods.
    pub recurring: bool,
}

/// A word no theme covers yet, with the items it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The word or phrase.
    pub term: String,
    /// Items of the period containing it.
    pub items: i64,
}

/// A one-sided finding.
#[derive(Debug, Clone, PartialEq)]
pub enum Spot {
    /// A side under the low-share threshold in consecutive digests.
    LowShare {
        /// Perspective id.
        side: String,
        /// The threshold.
        threshold: f64,
        /// Consecutive digests.
        digests: i64,
        /// First day of the stretch.
        first: NaiveDate,
        /// Last day of the stretch.
        last: NaiveDate,
        /// Mean share over the stretch.
        mean_share: f64,
    },
    /// A side raising a theme another side never mentions.
    Silence {
        /// The period (`2026-W04`).
        period: String,
        /// Theme id.
        theme: String,
        /// The side raising it, with its mentions and items.
        raised: Mentions,
        /// The silent side, with its items (no mentions).
        silent: Mentions,
        /// The rule it passed.
        rule: SilenceRule,
    },
}

/// A side's items in a period, and how many of them name a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Mentions {
    /// Perspective id.
    pub side: String,
    /// Items naming the theme.
    pub mentions: i64,
    /// Items.
    pub items: i64,
}

/// The thresholds of a theme silence: mentions to raise a theme, and the share of the
/// silent side's items the theme's languages must cover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SilenceRule {
    /// Mentions the raising side needs.
    pub min_mentions: i64,
    /// Share of the silent side's items in covered languages.
    pub min_coverage: f64,
}

/// Shares of a side's titles naming the other side, itself, or neither.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Naming {
    /// Naming another side.
    pub other: f64,
    /// Naming the side itself.
    pub own: f64,
    /// Naming neither.
    pub neither: f64,
}

/// A language's share of a side's titles.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageShare {
    /// BCP 47 tag; empty for a title too short to tell.
    pub language: String,
    /// Share of the side's titles.
    pub share: f64,
}

/// One side's coverage profile in a topic-period, with its languages (largest share first).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Perspective id.
    pub side: String,
    /// Articles.
    pub articles: i64,
    /// Median article age in days.
    pub age_median: Option<f64>,
    /// Maximum article age in days.
    pub age_max: Option<f64>,
    /// Shares of titles naming the other side, itself, neither.
    pub names: Naming,
    /// Its languages, largest share first.
    pub languages: Vec<LanguageShare>,
}

/// One story as a week's report shows it: its articles in the week by side, and the whole
/// story's span and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStory {
    pub id: String,
    /// The representative title, as written.
    pub title: String,
    /// Articles in the week per side id (`""`: side unknown), in id order.
    pub sides: Vec<Count>,
    /// Articles in the week.
    pub articles: u32,
    /// Distinct digest days of the week with an article of the story.
    pub days: u32,
    /// The whole story: first and last digest date, days active, articles.
    pub span: (NaiveDate, NaiveDate),
    pub total_days: i64,
    pub total_articles: i64,
    /// Outlet ids in the week, in order of first appearance.
    pub outlets: Vec<String>,
    /// Digest ids of the week carrying it, in date order.
    pub digests: Vec<String>,
    /// The whole story is one-sided (stories.one_sided), and the side it leans to.
    pub one_sided: bool,
    pub top_side: String,
    /// The thresholds of the run: minimum articles and share.
    pub thresholds: OneSidedRule,
    /// The share of the other sides' titles that must be linkable to the story's languages
    /// (stories.one_sided_min_linkable).
    pub min_linkable: f64,
    /// Articles in the week per title language (primary subtag; `""` unknown), in order.
    pub languages: Vec<Count>,
}
