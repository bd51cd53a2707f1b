//! The report model: everything a weekly report says, as plain values, before rendering.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::charts::Chart;

/// A number this week and last week.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What it counts ("articles").
    pub label: String,
    /// This week.
    pub now: Option<f64>,
    /// Previous week.
    pub before: Option<f64>,
    /// Shown as a percentage (shares) rather than a count.
    pub percent: bool,
}

/// A figure: a chart and what it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The chart (its `name` is the file stem).
    pub chart: Chart,
    /// One sentence under the chart.
    pub caption: String,
}

/// One side's coverage profile row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    /// Side name.
    pub side: String,
    /// Articles.
    pub articles: i64,
    /// "en-US 80%, zh-CN 20%".
    pub languages: String,
    /// Median age in days.
    pub age_median: Option<f64>,
    /// Max age in days.
    pub age_max: Option<f64>,
    /// Shares of titles naming the other side, itself, neither.
    pub names_other: f64,
    /// See `names_other`.
    pub names_self: f64,
    /// See `names_other`.
    pub names_neither: f64,
}

/// One of the week's top stories.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// The representative title, as written.
    pub title: String,
    /// The week's articles per side: `(side name, count, colour)`.
    pub split: Vec<(String, u32, String)>,
    /// "3 of 7 days (since Tue 20 Jan)".
    pub days: String,
    /// Outlet names, comma-separated.
    pub outlets: String,
    /// The week's digests carrying it: `(label, href)`.
    pub links: Vec<(String, String)>,
}

impl StoryRow {
    /// The table's columns.
    pub const HEADERS: [(&'static str, bool); 5] = [
        ("Story", false),
        ("Articles by side", false),
        ("Days active", false),
        ("Outlets", false),
        ("Digests", false),
    ];
}

/// Highlights of one side from the week's latest digest.
#[derive(Debug, Clone, PartialEq)]
pub struct SideHighlights {
    /// "Overall" or the side's name.
    pub section: String,
    /// Bullets (plain text).
    pub bullets: Vec<String>,
}

/// A digest of the week, for links.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestLink {
    /// "Thu 22 Jan".
    pub label: String,
    /// Link target.
    pub href: String,
}

/// One problem of the week's digests.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemRow {
    /// `path:line`.
    pub location: String,
    /// error / warning / notice.
    pub severity: String,
    /// Kind code.
    pub kind: String,
    /// Message.
    pub message: String,
}

/// One topic's part of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicReport {
    /// Topic slug.
    pub topic: String,
    /// Display name.
    pub name: String,
    /// Headline numbers with week-over-week change.
    pub headline: Vec<Change>,
    /// The week's digests that compare no sides (the generator's first layout), in words;
    /// `None` when every digest compares sides.
    pub unsided: Option<String>,
    /// Balance figures: articles per day per side, balance index over 12 weeks.
    pub balance: Vec<Figure>,
    /// Outlets by share.
    pub sources: Vec<Figure>,
    /// Theme figures: share per side this week, recurring themes over 12 weeks.
    pub themes: Vec<Figure>,
    /// Rising, fading and emerging items, in words.
    pub theme_notes: Vec<String>,
    /// One-sided coverage, in words.
    pub blindspots: Vec<String>,
    /// How sides in different languages were compared, in words; `None` when the week's
    /// sides all write in one language.
    pub languages: Option<String>,
    /// The week's top stories.
    pub stories: Vec<StoryRow>,
    /// Stories covered (almost) only by one side, in words.
    pub one_sided_stories: Vec<String>,
    /// Coverage profile per side.
    pub profile: Vec<ProfileRow>,
    /// Date of the digest the highlights come from, and its link.
    pub highlights_from: Option<DigestLink>,
    /// Highlights per section.
    pub highlights: Vec<SideHighlights>,
    /// All the week's digests.
    pub digests: Vec<DigestLink>,
    /// Declared vs listed articles over the week's live digests.
    pub declared_listed: (i64, i64),
    /// Problems found in the week's digest files.
    pub problems: Vec<ProblemRow>,
}

/// One row of the cross-topic overview.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    /// Topic display name.
    pub name: String,
    /// Anchor of its section.
    pub topic: String,
    /// Digests this week.
    pub digests: i64,
    /// Articles this week.
    pub articles: i64,
    /// Balance index this week and its change.
    pub balance: Change,
    /// "China 62%": the side with most articles.
    pub leading: String,
    /// One-sided findings this week.
    pub blindspots: usize,
}

/// A whole weekly report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// `2026-W04`.
    pub week: String,
    /// "19–25 January 2026".
    pub dates: String,
    /// The week's Monday: the date a published report is filed under.
    pub week_start: chrono::NaiveDate,
    /// When it was generated (fixed by `--generated-at` or `SOURCE_DATE_EPOCH`).
    pub generated_at: DateTime<Utc>,
    /// Cross-topic overview (several topics only).
    pub overview: Vec<OverviewRow>,
    /// Per topic, in topic order.
    pub topics: Vec<TopicReport>,
    /// Files of the whole run that could not be read at all.
    pub unreadable_files: usize,
    /// biaslens version.
    pub version: String,
}

impl Report {
    /// "Media bias report 2026-W04 (19–25 January 2026)".
    pub fn title(&self) -> String {
        format!("Media bias report {} ({})", self.week, self.dates)
    }

    /// Every figure of the report, in order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.topics.iter().flat_map(|t| t.balance.iter().chain(&t.sources).chain(&t.themes))
    }
}

/// Counts of one item (an outlet, a theme) in two months, with its share of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Display name.
    pub name: String,
    /// Count and share in the earlier month (0 when absent).
    pub before: (i64, f64),
    /// Count and share in the later month (0 when absent).
    pub after: (i64, f64),
}

/// What changed for a set of items between two months.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Movers {
    /// Items present only in the later month.
    pub appeared: Vec<Pair>,
    /// Items present only in the earlier month.
    pub vanished: Vec<Pair>,
    /// Items in both, by absolute change of share, largest first.
    pub moved: Vec<Pair>,
}

/// One topic in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRow {
    /// `2026-01`.
    pub month: String,
    /// Live digests.
    pub digests: i64,
    /// Articles of known side.
    pub articles: i64,
    /// `(side name, articles, share)` in perspective order.
    pub sides: Vec<(String, i64, f64)>,
    /// Balance index.
    pub balance: Option<f64>,
    /// `(outlet, articles, share)`, largest first.
    pub outlets: Vec<(String, i64, f64)>,
    /// `(side name, theme name, mentions, items)` for the top themes per side.
    pub themes: Vec<(String, String, i64, i64)>,
    /// Stories with an article in the month, and how many of them are one-sided.
    pub stories: i64,
    /// See `stories`.
    pub one_sided_stories: i64,
}

/// One topic across the months.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCompare {
    /// Slug.
    pub topic: String,
    /// Display name.
    pub name: String,
    /// Per month, in order (months without digests are absent).
    pub months: Vec<MonthRow>,
    /// Per consecutive pair of months: `("2025-12 → 2026-01", sentences)`.
    pub changes: Vec<(String, Vec<String>)>,
    /// Side articles per month and themes per month.
    pub figures: Vec<Figure>,
    /// Side display name → perspective id, for colours.
    pub side_ids: BTreeMap<String, String>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Month labels, in order.
    pub months: Vec<String>,
    /// Folder name, `compare-2025-11_2026-01`.
    pub slug: String,
    /// Generation time.
    pub generated_at: DateTime<Utc>,
    /// Balance index per topic over the months (several topics on one chart).
    pub overview: Vec<Figure>,
    /// Per topic.
    pub topics: Vec<TopicCompare>,
    /// biaslens version.
    pub version: String,
}

impl Comparison {
    /// "Coverage compared: 2025-11 to 2026-01".
    pub fn title(&self) -> String {
        format!("Coverage compared: {} to {}", self.months[0], self.months[self.months.len() - 1])
    }
    /// Every figure, in order.
    pub fn figures(&self) -> Vec<&Figure> {
        self.overview.iter().chain(self.topics.iter().flat_map(|t| &t.figures)).collect()
    }
}
