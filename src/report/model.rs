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

/// A side's tone in one week: its titles and its highlights.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneRow {
    /// `2026-W04`.
    pub week: String,
    /// Side name.
    pub side: String,
    /// Mean item tone of its titles, its interval and items: "−0.12 (−0.20 to −0.04), 52".
    pub titles: String,
    /// Share of its titles with a negative tone.
    pub negative: String,
    /// Mean item tone of its highlights.
    pub highlights: String,
    /// Highlights minus titles.
    pub drift: String,
}

/// Each side's highlights of the week by what they rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundingRow {
    /// Side name.
    pub side: String,
    /// Bullets assessed.
    pub bullets: i64,
    /// Shares: on its own side's titles only, on both sides', on the other side's only, on
    /// none found by word match.
    pub grounded: f64,
    pub both: f64,
    pub cross: f64,
    pub ungrounded: f64,
}

impl GroundingRow {
    /// From a side's counts of grounded, both, cross-attributed and ungrounded bullets.
    pub fn of(side: &str, counts: &[i64; 4]) -> GroundingRow {
        let total = counts.iter().sum::<i64>();
        let share = |k: usize| counts[k] as f64 / total as f64;
        GroundingRow {
            side: side.to_string(),
            bullets: total,
            grounded: share(0),
            both: share(1),
            cross: share(2),
            ungrounded: share(3),
        }
    }
}

/// One of the week's top stories.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// The representative title, as written.
    pub title: String,
    /// The week's articles per side.
    pub split: Vec<SplitPart>,
    /// "3 of 7 days (since Tue 20 Jan)".
    pub days: String,
    /// Outlet names, comma-separated.
    pub outlets: String,
    /// The week's digests carrying it.
    pub links: Vec<DigestLink>,
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

/// One side's part of a story's articles, drawn as a bar in its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPart {
    /// Side display name.
    pub name: String,
    /// Articles.
    pub count: u32,
    /// The side's colour, `#rrggbb`.
    pub color: String,
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
    /// Tone by side over the report's last weeks, and what moved it this week, in words.
    pub tone: Vec<ToneRow>,
    pub tone_notes: Vec<String>,
    /// What each side's highlights rest on, and the week's flagged bullets in words.
    pub grounding: Vec<GroundingRow>,
    pub flagged: Vec<String>,
    /// Date of the digest the highlights come from, and its link.
    pub highlights_from: Option<DigestLink>,
    /// Highlights per section.
    pub highlights: Vec<SideHighlights>,
    /// All the week's digests.
    pub digests: Vec<DigestLink>,
    /// Declared vs listed articles over the week's live digests.
    pub declared: i64,
    /// See `declared`.
    pub listed: i64,
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

/// An item's count in one month and its share of the month (a side's or an outlet's
/// articles, a theme's mentions among a side's items).
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// Display name.
    pub name: String,
    /// Articles, or mentions.
    pub count: i64,
    /// Of the month's articles, or of the side's items.
    pub share: f64,
}

/// A side's mentions of a theme in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeCount {
    /// Side display name.
    pub side: String,
    /// Theme display name.
    pub theme: String,
    /// The side's items naming the theme.
    pub mentions: i64,
    /// The side's items.
    pub items: i64,
}

/// Count and share of an item in one month of a pair (0 when absent).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Amount {
    /// Articles, or mentions.
    pub count: i64,
    /// Of the month.
    pub share: f64,
}

impl From<&Share> for Amount {
    fn from(s: &Share) -> Self {
        Amount { count: s.count, share: s.share }
    }
}

/// Counts of one item (a side, an outlet, a theme) in two months, with its share of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Display name.
    pub name: String,
    /// In the earlier month.
    pub before: Amount,
    /// In the later month.
    pub after: Amount,
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

impl Movers {
    /// Compares the items of two months: appeared, vanished, and the `top` biggest movers in
    /// share among items present in both (ties by name).
    pub fn between(before: &[Share], after: &[Share], top: usize) -> Movers {
        let find = |list: &[Share], n: &str| list.iter().find(|x| x.name == n).map(Amount::from);
        let pair = |name: &str, before, after| Pair { name: name.to_string(), before, after };
        let mut m = Movers::default();
        for a in after {
            if a.count > 0 && find(before, &a.name).is_none_or(|b| b.count == 0) {
                m.appeared.push(pair(&a.name, Amount::default(), a.into()));
            }
        }
        for b in before.iter().filter(|x| x.count > 0) {
            match find(after, &b.name) {
                Some(a) if a.count > 0 => m.moved.push(pair(&b.name, b.into(), a)),
                _ => m.vanished.push(pair(&b.name, b.into(), Amount::default())),
            }
        }
        let delta = |p: &Pair| (p.after.share - p.before.share).abs();
        m.moved.sort_by(|x, y| delta(y).total_cmp(&delta(x)).then(x.name.cmp(&y.name)));
        m.moved.truncate(top);
        m.appeared.sort_by(|x, y| y.after.count.cmp(&x.after.count).then(x.name.cmp(&y.name)));
        m.vanished.sort_by(|x, y| y.before.count.cmp(&x.before.count).then(x.name.cmp(&y.name)));
        m
    }
}

/// What changed in a topic between two consecutive months, as numbers: the words are
/// written from it by `format::change_sentences`.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthChange {
    /// Balance index before and after, when both months have one.
    pub balance: Option<(f64, f64)>,
    /// Each side of the later month, with its articles and share in both.
    pub sides: Vec<Pair>,
    /// Outlets that appeared, vanished and moved most (top 3).
    pub outlets: Movers,
    /// Themes per side (`theme (side)`) that moved most in share of the side's items (top 3).
    pub themes: Movers,
}

impl MonthChange {
    /// From month `a` to month `b`.
    pub fn between(a: &MonthRow, b: &MonthRow) -> MonthChange {
        let sides = b
            .sides
            .iter()
            .map(|s| Pair {
                name: s.name.clone(),
                before: a.sides.iter().find(|x| x.name == s.name).map(Amount::from).unwrap_or_default(),
                after: s.into(),
            })
            .collect();
        // Theme shares per side: each (side, theme) as one item.
        let themes = |r: &MonthRow| -> Vec<Share> {
            r.themes
                .iter()
                .map(|t| Share {
                    name: format!("{} ({})", t.theme, t.side),
                    count: t.mentions,
                    share: if t.items > 0 { t.mentions as f64 / t.items as f64 } else { 0.0 },
                })
                .collect()
        };
        MonthChange {
            balance: a.balance.zip(b.balance),
            sides,
            outlets: Movers::between(&a.outlets, &b.outlets, 3),
            themes: Movers::between(&themes(a), &themes(b), 3),
        }
    }
}

/// The change between two consecutive months of a topic, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeNote {
    /// `2025-12 → 2026-01`.
    pub span: String,
    /// Sentences with counts.
    pub sentences: Vec<String>,
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
    /// Each side's articles and share, in perspective order.
    pub sides: Vec<Share>,
    /// Balance index.
    pub balance: Option<f64>,
    /// Each outlet's articles and share, largest first.
    pub outlets: Vec<Share>,
    /// The top themes per side.
    pub themes: Vec<ThemeCount>,
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
    /// Per consecutive pair of months, what changed.
    pub changes: Vec<ChangeNote>,
    /// Side articles per month and themes per month.
    pub figures: Vec<Figure>,
    /// Side display name → perspective id, for colours.
    pub side_ids: BTreeMap<String, String>,
    /// Tone by side and month (`week` holds the month).
    pub tone: Vec<ToneRow>,
    /// Where the sides' titles are scored with different lists, the sentence that says so
    /// ([`super::format::lists_caveat`]).
    pub tone_note: Option<String>,
    /// Where the sides write Spanish and English, the sentence that says what their one-sided
    /// story counts rest on ([`super::format::stories_caveat`]).
    pub story_note: Option<String>,
    /// What each side's highlights rested on, by month.
    pub grounding: Vec<MonthGrounding>,
}

/// A side's highlights of one month by what they rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthGrounding {
    /// `2026-01`.
    pub month: String,
    /// The side's shares.
    pub row: GroundingRow,
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
