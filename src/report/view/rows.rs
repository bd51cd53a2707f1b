//! The typed rows the reports read: plain structs, no frames.

use chrono::NaiveDate;

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
        /// First and last day of the stretch.
        days: (NaiveDate, NaiveDate),
        /// Mean share over the stretch.
        mean_share: f64,
    },
    /// A side raising a theme another side never mentions.
    Silence {
        /// The period (`2026-W04`).
        period: String,
        /// The side raising it, with its mentions and items.
        side: (String, i64, i64),
        /// Theme id.
        theme: String,
        /// The silent side and its items.
        other: (String, i64),
        /// The rule's thresholds: mentions to raise a theme, share of the silent side's
        /// items the theme's languages must cover.
        rule: (i64, f64),
    },
}

/// One side's coverage profile in a topic-period, with its languages (largest share first).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Perspective id.
    pub side: String,
    /// Articles.
    pub articles: i64,
    /// Median and maximum article age in days.
    pub age: (Option<f64>, Option<f64>),
    /// Shares of titles naming the other side, itself, neither.
    pub names: (f64, f64, f64),
    /// `(language, share)`; an empty language is one too short to tell.
    pub languages: Vec<(String, f64)>,
}

/// One story as a week's report shows it: its articles in the week by side, and the whole
/// story's span and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStory {
    pub id: String,
    /// The representative title, as written.
    pub title: String,
    /// Articles in the week per side id (`""`: side unknown), in id order.
    pub sides: Vec<(String, u32)>,
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
    pub thresholds: (i64, f64),
    /// The share of the other sides' titles that must be linkable to the story's languages
    /// (stories.one_sided_min_linkable).
    pub min_linkable: f64,
    /// Articles in the week per title language (primary subtag; `""` unknown), in order.
    pub languages: Vec<(String, u32)>,
}
