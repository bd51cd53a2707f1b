//! The month-over-month comparison model, from a [`View`] of a monthly analysis: per topic
//! and month, articles, digests, side shares, balance index, top outlets and themes; between
//! consecutive months, what changed ([`super::format::change_sentences`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::calendar::Month;
use super::format;
use super::format::change_sentences;
use super::model::{
    ChangeNote, Comparison, Figure, GroundingRow, MonthChange, MonthGrounding, MonthRow, Share, ThemeCount,
    ToneRow, TopicCompare,
};
use super::view::{digests_per_period, spellings, top_themes, View};
use crate::analytics::col::{KIND_HIGHLIGHT, KIND_TITLE};
use crate::analytics::{lexicon::Lexicon, Analysis, Filter, Inputs, Options, Period};
use crate::charts::{style, Chart, Kind, Series};
use crate::model::is_side_section;
use crate::names::file_stem;
use crate::outlets::Registry;

/// What a comparison reads: the monthly analysis and the names it shows.
struct Builder<'a> {
    view: View<'a>,
    registry: &'a Registry,
    lexicon: &'a Lexicon,
    /// Outlet id → the spelling the feeds use, for outlets the registry does not know.
    written: BTreeMap<String, String>,
}

/// The analysis a comparison of `months` needs: monthly, over those months, of `topics`
/// (all when empty).
pub fn analysis_options(months: &[Month], topics: &[String]) -> anyhow::Result<Options> {
    anyhow::ensure!(!months.is_empty(), "no months to compare");
    let (first, last) = (months[0], months[months.len() - 1]);
    Ok(Options {
        period: Period::Month,
        filter: Filter {
            topics: topics.to_vec(),
            from: Some(first.first),
            to: Some(last.last()),
            ..Filter::default()
        },
        ..Options::default()
    })
}

/// Builds the comparison of `months` from the extracted tables and their analysis over the
/// months ([`analysis_options`]).
pub fn build(
    inputs: &Inputs,
    analysis: &Analysis,
    names: (&Registry, &Lexicon),
    months: &[Month],
    options: &Options,
    generated_at: DateTime<Utc>,
) -> anyhow::Result<Comparison> {
    let (registry, lexicon) = names;
    let (first, last) = (months[0], months[months.len() - 1]);
    let labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let digests = digests_per_period(inputs, options)?;
    if digests.is_empty() {
        anyhow::bail!("no digests in {} to {}; nothing was written", first.label(), last.label());
    }
    let b = Builder { view: View::new(analysis), registry, lexicon, written: spellings(inputs, None)? };
    let mut topic_ids: Vec<&str> = digests.iter().map(|d| d.topic.as_str()).collect();
    topic_ids.dedup();
    let out_topics = topic_ids
        .iter()
        .map(|t| {
            let of_topic: Vec<_> = digests.iter().filter(|d| d.topic == *t).collect();
            let per_month: BTreeMap<&str, i64> =
                of_topic.iter().map(|d| (d.period.as_str(), d.digests)).collect();
            b.topic(t, &of_topic[0].topic_name, &per_month, &labels)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let overview = vec![balance_overview(&out_topics, &labels)];
    Ok(Comparison {
        slug: format!("compare-{}_{}", first.label(), last.label()),
        months: labels,
        generated_at,
        overview,
        topics: out_topics,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

impl Builder<'_> {
    /// An outlet's display name: the registry's, else its spelling in the feeds, else its id.
    fn outlet_name(&self, id: &str) -> String {
        self.registry
            .by_id(id)
            .map(|o| o.name.clone())
            .or_else(|| self.written.get(id).cloned())
            .unwrap_or_else(|| id.to_string())
    }

    fn topic(
        &self,
        topic: &str,
        name: &str,
        digests: &BTreeMap<&str, i64>,
        labels: &[String],
    ) -> anyhow::Result<TopicCompare> {
        let mut rows = Vec::new();
        let mut side_ids = BTreeMap::new();
        for m in labels {
            let Some(&n) = digests.get(m.as_str()) else { continue };
            let (row, ids) = self.month_row(topic, m, n)?;
            side_ids.extend(ids);
            rows.push(row);
        }
        let changes = rows
            .windows(2)
            .map(|w| ChangeNote {
                span: format!("{} → {}", w[0].month, w[1].month),
                sentences: change_sentences(&MonthChange::between(&w[0], &w[1])),
            })
            .collect();
        let figures = topic_figures(topic, &rows, labels, &side_ids);
        let (tone, Caveats { tone: tone_note, stories: story_note }, grounding) =
            self.tone_and_grounding(topic, &rows, &side_ids)?;
        Ok(TopicCompare {
            topic: topic.to_string(),
            name: name.to_string(),
            months: rows,
            changes,
            figures,
            side_ids,
            tone,
            tone_note,
            story_note,
            grounding,
        })
    }

    /// Each side's tone and what its highlights rested on, month by month, and the caveats
    /// when the sides' titles are scored with different lists (each side's list of its
    /// latest month): of the tone, and of the one-sided stories when the lists are the
    /// Spanish and the English one.
    fn tone_and_grounding(
        &self,
        topic: &str,
        rows: &[MonthRow],
        side_ids: &BTreeMap<String, String>,
    ) -> anyhow::Result<(Vec<ToneRow>, Caveats, Vec<MonthGrounding>)> {
        let months: Vec<String> = rows.iter().map(|r| r.month.clone()).collect();
        let tone_rows = self.view.side_tone(topic, &months)?;
        let (mut tone, mut grounding) = (Vec::new(), Vec::new());
        // Each side's list, in the order the sides first appear, as of its latest month.
        let mut lists: Vec<(&str, &str)> = Vec::new();
        for r in rows {
            let Some(month) = Month::parse(&r.month) else { continue };
            let counts = self.view.grounding_counts(topic, month.first, month.last())?;
            for s in &r.sides {
                let Some(id) = side_ids.get(&s.name) else { continue };
                let find = |kind: &str| {
                    tone_rows.iter().find(|t| t.period == r.month && t.side == *id && t.kind == kind)
                };
                if let Some(t) = find(KIND_TITLE) {
                    tone.push(format::tone_row(&r.month, &s.name, t, find(KIND_HIGHLIGHT)));
                    match lists.iter_mut().find(|(n, _)| *n == s.name) {
                        Some(l) => l.1 = &t.lexicon,
                        None => lists.push((&s.name, &t.lexicon)),
                    }
                }
                if let Some(n) = counts.get(id) {
                    grounding
                        .push(MonthGrounding { month: r.month.clone(), row: GroundingRow::of(&s.name, n) });
                }
            }
        }
        let caveats = Caveats { tone: format::lists_caveat(&lists), stories: format::stories_caveat(&lists) };
        Ok((tone, caveats, grounding))
    }

    /// One topic's month, and its sides' names → ids.
    fn month_row(
        &self,
        topic: &str,
        month: &str,
        digests: i64,
    ) -> anyhow::Result<(MonthRow, Vec<(String, String)>)> {
        let balance = self.view.balance(topic, month)?;
        // Outlet counts over sides (an outlet seldom has two, but the sum is exact).
        let mut outlets: Vec<Share> = Vec::new();
        for o in self.view.outlets(topic, month)? {
            let name = self.outlet_name(&o.id);
            match outlets.iter_mut().find(|x| x.name == name) {
                Some(x) => {
                    x.count += o.articles;
                    x.share += o.share;
                }
                None => outlets.push(Share { name, count: o.articles, share: o.share }),
            }
        }
        outlets.sort_by(|x, y| y.count.cmp(&x.count).then(x.name.cmp(&y.name)));
        let side_name =
            |id: &str| balance.sides.iter().find(|s| s.id == id).map_or(id.to_string(), |s| s.name.clone());
        let themes = self
            .view
            .themes(topic, month)?
            .into_iter()
            .filter(|t| is_side_section(&t.section))
            .map(|t| ThemeCount {
                side: side_name(&t.section),
                theme: self.lexicon.theme_name(&t.theme),
                mentions: t.mentions,
                items: t.items,
            })
            .collect();
        let ids = balance.sides.iter().map(|s| (s.name.clone(), s.id.clone())).collect();
        let (stories, one_sided_stories) = self.view.story_counts(topic, month)?;
        let row = MonthRow {
            stories,
            one_sided_stories,
            month: month.to_string(),
            digests,
            articles: balance.sides.iter().map(|s| s.articles).sum(),
            balance: balance.index,
            sides: balance
                .sides
                .into_iter()
                .map(|s| Share { name: s.name, count: s.articles, share: s.share.unwrap_or(0.0) })
                .collect(),
            outlets,
            themes,
        };
        Ok((row, ids))
    }
}

/// The balance index of every topic over the months, on one chart.
fn balance_overview(topics: &[TopicCompare], labels: &[String]) -> Figure {
    Figure {
        chart: Chart {
            name: "balance-by-topic".into(),
            title: "Balance index per topic and month".into(),
            categories: labels.to_vec(),
            value_label: "balance index (1 = even, 0 = one side)".into(),
            category_label: "month".into(),
            percent: false,
            series: topics
                .iter()
                .enumerate()
                .map(|(i, t)| Series {
                    name: t.name.clone(),
                    key: t.topic.clone(),
                    color: style::series_color(i),
                    values: labels
                        .iter()
                        .map(|m| t.months.iter().find(|r| r.month == *m).and_then(|r| r.balance))
                        .collect(),
                })
                .collect(),
            kind: Kind::Lines { y_range: (0.0, 1.05) },
        },
        caption: "Normalised Shannon entropy of the sides' article shares, per topic and month.".into(),
    }
}

fn topic_figures(
    topic: &str,
    rows: &[MonthRow],
    labels: &[String],
    side_ids: &BTreeMap<String, String>,
) -> Vec<Figure> {
    let side_series = side_series(rows, labels, side_ids);
    let theme_series = theme_series(rows, labels);
    let chart = |name: &str, title: &str, value_label: &str, percent, series, kind| Chart {
        name: format!("{name}-{}", file_stem(topic)),
        title: title.into(),
        categories: labels.to_vec(),
        value_label: value_label.into(),
        category_label: "month".into(),
        percent,
        series,
        kind,
    };
    vec![
        Figure {
            chart: chart(
                "sides-by-month",
                "Articles per side and month",
                "articles",
                false,
                side_series,
                Kind::StackedBars,
            ),
            caption: "Articles of known side in each month's live digests, stacked by side.".into(),
        },
        Figure {
            chart: chart(
                "themes-by-month",
                "Themes per month (all sides)",
                "share of items",
                true,
                theme_series,
                Kind::Heatmap,
            ),
            caption: "Share of the sides' items (highlights and titles) naming each theme.".into(),
        },
    ]
}

/// Articles per side and month, a series per side (in order of first appearance).
fn side_series(rows: &[MonthRow], labels: &[String], side_ids: &BTreeMap<String, String>) -> Vec<Series> {
    let mut sides: Vec<String> = Vec::new();
    for s in rows.iter().flat_map(|r| &r.sides) {
        if !sides.contains(&s.name) {
            sides.push(s.name.clone());
        }
    }
    let row = |m: &str| rows.iter().find(|r| r.month == m);
    sides
        .iter()
        .map(|s| Series {
            name: s.clone(),
            key: side_ids.get(s).cloned().unwrap_or_else(|| s.clone()),
            color: style::side_color(side_ids.get(s).map_or(s.as_str(), String::as_str)),
            values: labels
                .iter()
                .map(|m| {
                    row(m).map(|r| r.sides.iter().find(|x| x.name == *s).map_or(0.0, |x| x.count as f64))
                })
                .collect(),
        })
        .collect()
}

/// The top themes' share per month over all sides (mentions ÷ items summed over the sides),
/// a series per theme.
fn theme_series(rows: &[MonthRow], labels: &[String]) -> Vec<Series> {
    let row = |m: &str| rows.iter().find(|r| r.month == m);
    let top =
        top_themes(rows.iter().flat_map(|r| r.themes.iter().map(|t| (t.theme.clone(), t.mentions))), 10);
    top.iter()
        .map(|theme| Series {
            name: theme.clone(),
            key: theme.clone(),
            color: style::INK,
            values: labels
                .iter()
                .map(|m| {
                    let (mm, nn) = row(m)?
                        .themes
                        .iter()
                        .filter(|t| t.theme == *theme)
                        .fold((0, 0), |acc, t| (acc.0 + t.mentions, acc.1 + t.items));
                    (nn > 0).then(|| mm as f64 / nn as f64)
                })
                .collect(),
        })
        .collect()
}

/// The sentences a topic's comparison adds where its sides write in different languages.
struct Caveats {
    /// The sides' titles are scored with different tone lists.
    tone: Option<String>,
    /// The one-sided story counts rest on links between Spanish and English.
    stories: Option<String>,
}

/// The per-topic, per-month numbers as CSV (`tables/months.csv`).
pub fn months_csv(cmp: &Comparison) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "topic",
        "month",
        "digests",
        "articles",
        "balance_index",
        "side",
        "side_articles",
        "side_share",
        "stories",
        "one_sided_stories",
    ])?;
    for t in &cmp.topics {
        for r in &t.months {
            for Share { name: side, count: n, share } in &r.sides {
                w.write_record([
                    t.topic.as_str(),
                    &r.month,
                    &r.digests.to_string(),
                    &r.articles.to_string(),
                    &r.balance.map(|b| b.to_string()).unwrap_or_default(),
                    side,
                    &n.to_string(),
                    &share.to_string(),
                    &r.stories.to_string(),
                    &r.one_sided_stories.to_string(),
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
