//! The report model: everything a weekly report says, as plain values, before rendering.

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

impl Change {
    /// `1,234`, `48%` or `0.81`.
    pub fn fmt(&self, v: Option<f64>) -> String {
        match v {
            None => "–".to_string(),
            Some(v) if self.percent => format!("{:.0}%", v * 100.0),
            Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
            Some(v) => format!("{v:.2}"),
        }
    }

    /// "+12", "−3 pts", "±0", or empty without a previous week.
    pub fn delta(&self) -> String {
        let (Some(a), Some(b)) = (self.now, self.before) else { return String::new() };
        let d = if self.percent { (a - b) * 100.0 } else { a - b };
        let unit = if self.percent { " pts" } else { "" };
        if d.abs() < 0.005 {
            "±0".to_string()
        } else if d.fract() == 0.0 || self.percent {
            format!("{}{:.0}{unit}", if d > 0.0 { "+" } else { "−" }, d.abs())
        } else {
            format!("{}{:.2}", if d > 0.0 { "+" } else { "−" }, d.abs())
        }
    }
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

impl ProfileRow {
    /// Column headers of the profile table, right-aligned ones marked.
    pub const HEADERS: [(&'static str, bool); 8] = [
        ("side", false),
        ("articles", true),
        ("languages", false),
        ("median age (days)", true),
        ("max age", true),
        ("titles naming the other side", true),
        ("naming itself", true),
        ("neither", true),
    ];

    /// The row's cells as text, in `HEADERS` order (not escaped).
    pub fn cells(&self) -> [String; 8] {
        let days = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}"));
        let pct = |v: f64| format!("{:.0}%", v * 100.0);
        [
            self.side.clone(),
            self.articles.to_string(),
            self.languages.clone(),
            days(self.age_median),
            days(self.age_max),
            pct(self.names_other),
            pct(self.names_self),
            pct(self.names_neither),
        ]
    }
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
