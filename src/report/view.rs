//! A typed view of an analysis and of the week's digests, for the reports: ranked rows with
//! names, per topic and period. Polars does the filtering, grouping, sorting and heads here;
//! the report builders (`weekly`, `compare`) see plain structs and no frames.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::analytics::{blindspots::kind as spot, col as a, one_of, table, Analysis, Inputs, Options};
use crate::frames::{bools, dates, floats, ints, strings};
use crate::model::Layout;
use crate::tables::col as c;

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

/// The analysis tables a weekly report reads: a report on its own reads only these from the
/// analysis `analyze` left (`report::job::stored_analysis`). Not `item_themes` nor
/// `story_sides`, which are there for researchers, nor `story_periods`, which `compare`
/// reads from its own analysis. A table missing here fails the report test that compares a
/// report from the stored analysis with one analysing for itself.
pub const TABLES: [&str; 10] = [
    table::SOURCE_SHARES,
    table::PERSPECTIVE_BALANCE,
    table::THEMES,
    table::THEME_TRENDS,
    table::EMERGING_TERMS,
    table::BLINDSPOTS,
    table::COVERAGE_PROFILE,
    table::COVERAGE_LANGUAGES,
    table::STORIES,
    table::STORY_ARTICLES,
];

/// The analysis tables of one run, read by topic and period.
pub struct View<'a> {
    analysis: &'a Analysis,
    /// Per table, once asked: where each topic's rows are ([`topic_runs`]).
    runs: Mutex<HashMap<&'static str, Arc<Option<TopicRuns>>>>,
}

/// Rows of `df` of one topic, and of one period when given.
fn slice(df: &DataFrame, topic: &str, period: Option<&str>) -> PolarsResult<DataFrame> {
    let mut keep = col(c::TOPIC).eq(lit(topic));
    if let Some(p) = period {
        keep = keep.and(col(a::PERIOD).eq(lit(p)));
    }
    df.clone().lazy().filter(keep).collect()
}

/// Each topic's rows in a table, as one range per topic.
type TopicRuns = HashMap<String, Range<usize>>;

/// Where each topic's rows are in `df`, when they come a topic at a time (the analysis
/// writes every table sorted by topic), or `None` when a topic's rows are apart. A report
/// reads forty topics from tables of millions of rows: one pass here, then a slice per
/// topic, instead of comparing every row's topic once per topic.
fn topic_runs(df: &DataFrame) -> PolarsResult<Option<TopicRuns>> {
    let topics = df.column(c::TOPIC)?.str()?;
    let mut runs = TopicRuns::new();
    let mut start = 0;
    let mut run: Option<Option<&str>> = None;
    for (i, t) in topics.iter().chain([None]).enumerate() {
        let end = i == df.height();
        if run.is_some_and(|r| r != t) || end {
            if let Some(Some(topic)) = run {
                if runs.insert(topic.to_string(), start..i).is_some() {
                    return Ok(None);
                }
            }
            start = i;
        }
        if end {
            break;
        }
        run = Some(t);
    }
    Ok(Some(runs))
}

/// The `n` themes with most mentions (ties by id), of those mentioned at all: the one
/// ranking every theme chart and sentence uses.
pub fn top_themes(mentions: impl IntoIterator<Item = (String, i64)>, n: usize) -> Vec<String> {
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for (theme, m) in mentions {
        *totals.entry(theme).or_default() += m;
    }
    let mut top: Vec<(String, i64)> = totals.into_iter().filter(|(_, m)| *m > 0).collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.into_iter().take(n).map(|(t, _)| t).collect()
}

impl<'a> View<'a> {
    /// A view of `analysis`.
    pub fn new(analysis: &'a Analysis) -> Self {
        View { analysis, runs: Mutex::default() }
    }

    fn table(&self, name: &str) -> anyhow::Result<&'a DataFrame> {
        self.analysis.get(name).with_context(|| format!("the analysis has no {name} table"))
    }

    /// Rows of table `name` of one topic, and of one period when given, in table order.
    fn rows(&self, name: &'static str, topic: &str, period: Option<&str>) -> anyhow::Result<DataFrame> {
        let df = self.table(name)?;
        let runs = {
            let mut known = self.runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match known.get(name) {
                Some(runs) => runs.clone(),
                None => known.entry(name).or_insert(Arc::new(topic_runs(df)?)).clone(),
            }
        };
        let own = match runs.as_ref() {
            Some(runs) => runs.get(topic).map_or_else(|| df.clear(), |r| df.slice(r.start as i64, r.len())),
            None => slice(df, topic, None)?,
        };
        Ok(match period {
            Some(p) => own.lazy().filter(col(a::PERIOD).eq(lit(p))).collect()?,
            None => own,
        })
    }

    /// Stories with an article in a topic-period, and how many are one-sided (0, 0 without).
    pub fn story_counts(&self, topic: &str, period: &str) -> anyhow::Result<(i64, i64)> {
        let df = self.rows(table::STORY_PERIODS, topic, Some(period))?;
        let (n, one) = (ints(&df, a::STORIES)?, ints(&df, a::ONE_SIDED_STORIES)?);
        Ok((n.first().copied().unwrap_or(0), one.first().copied().unwrap_or(0)))
    }

    /// The stories of `articles` (a topic's articles of the week, from
    /// [`WeekView::articles`]) from `from` to `to`, most articles in the range first (then
    /// earliest, then id).
    pub fn week_stories(
        &self,
        topic: &str,
        articles: &DataFrame,
        (from, to): (NaiveDate, NaiveDate),
    ) -> anyhow::Result<Vec<WeekStory>> {
        // story_articles holds each article's keys and story; its date, side and outlet
        // come from the articles themselves.
        let keys = [col(c::DIGEST_ID), col(c::POSITION).cast(DataType::Int64)];
        let arts = self
            .rows(table::STORY_ARTICLES, topic, None)?
            .lazy()
            .select([col(c::DIGEST_ID), col(c::POSITION), col(a::STORY_ID)])
            .join(
                articles.clone().lazy().filter(dated(from, to)),
                keys.clone(),
                keys,
                JoinArgs::new(JoinType::Inner),
            )
            .sort([c::DIGEST_DATE, c::DIGEST_ID, c::POSITION], SortMultipleOptions::default())
            .collect()?;
        let (ids, sides, outlets, digests, days, languages) = (
            strings(&arts, a::STORY_ID)?,
            strings(&arts, c::PERSPECTIVE_ID)?,
            strings(&arts, c::OUTLET_ID)?,
            strings(&arts, c::DIGEST_ID)?,
            dates(&arts, c::DIGEST_DATE)?,
            strings(&arts, c::LANGUAGE)?,
        );
        let mut by_story: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            by_story.entry(id.as_str()).or_default().push(i);
        }
        let stories = self.rows(table::STORIES, topic, None)?;
        let s_ids = strings(&stories, a::STORY_ID)?;
        let index: BTreeMap<&str, usize> = s_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let (titles, firsts, lasts, s_days, s_articles, flags, tops, mins, shares) = (
            strings(&stories, a::REPRESENTATIVE_TITLE)?,
            dates(&stories, a::FIRST_DATE)?,
            dates(&stories, a::LAST_DATE)?,
            ints(&stories, a::DAYS)?,
            ints(&stories, a::ARTICLES)?,
            bools(&stories, a::ONE_SIDED)?,
            strings(&stories, a::TOP_PERSPECTIVE_ID)?,
            ints(&stories, a::MIN_ARTICLES)?,
            floats(&stories, a::ONE_SIDED_SHARE)?,
        );
        let linkable = floats(&stories, a::ONE_SIDED_MIN_LINKABLE)?;
        let mut out = Vec::new();
        for (id, rows) in by_story {
            let k = *index.get(id).with_context(|| format!("story {id} is not in the stories table"))?;
            let mut per_side: BTreeMap<String, u32> = BTreeMap::new();
            let mut per_language: BTreeMap<String, u32> = BTreeMap::new();
            let (mut outs, mut digs, mut day_set) =
                (Vec::new(), Vec::new(), std::collections::BTreeSet::new());
            for &i in &rows {
                *per_side.entry(sides[i].clone()).or_default() += 1;
                let language = languages[i].split(['-', '_']).next().unwrap_or_default();
                *per_language.entry(language.to_string()).or_default() += 1;
                if !outs.contains(&outlets[i]) {
                    outs.push(outlets[i].clone());
                }
                if !digs.contains(&digests[i]) {
                    digs.push(digests[i].clone());
                }
                day_set.insert(days[i]);
            }
            out.push(WeekStory {
                id: id.to_string(),
                title: titles[k].clone(),
                sides: per_side.into_iter().collect(),
                articles: rows.len() as u32,
                days: day_set.len() as u32,
                span: (firsts[k].unwrap_or(from), lasts[k].unwrap_or(to)),
                total_days: s_days[k],
                total_articles: s_articles[k],
                outlets: outs,
                digests: digs,
                one_sided: flags[k],
                top_side: tops[k].clone(),
                thresholds: (mins[k], shares[k].unwrap_or(0.0)),
                min_linkable: linkable[k].unwrap_or(0.0),
                languages: per_language.into_iter().collect(),
            });
        }
        out.sort_by(|x, y| y.articles.cmp(&x.articles).then(x.span.0.cmp(&y.span.0)).then(x.id.cmp(&y.id)));
        Ok(out)
    }

    /// Each topic and the latest period it has, by topic.
    pub fn latest_periods(&self) -> anyhow::Result<Vec<(String, String)>> {
        let latest = self
            .table(table::PERSPECTIVE_BALANCE)?
            .clone()
            .lazy()
            .group_by([col(c::TOPIC)])
            .agg([col(a::PERIOD).sort(SortOptions::default()).last()])
            .sort([c::TOPIC], SortMultipleOptions::default())
            .collect()?;
        Ok(strings(&latest, c::TOPIC)?.into_iter().zip(strings(&latest, a::PERIOD)?).collect())
    }

    /// Every declared side of a topic-period with its articles and share, and the index.
    pub fn balance(&self, topic: &str, period: &str) -> anyhow::Result<Balance> {
        let df = self.rows(table::PERSPECTIVE_BALANCE, topic, Some(period))?;
        let sides = strings(&df, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(strings(&df, c::PERSPECTIVE_NAME)?)
            .zip(ints(&df, a::ARTICLES)?.into_iter().zip(floats(&df, a::SHARE)?))
            .map(|((id, name), (articles, share))| SideShare { id, name, articles, share })
            .collect();
        Ok(Balance { sides, index: floats(&df, a::BALANCE_INDEX)?.into_iter().next().flatten() })
    }

    /// A topic's sides as `(id, name)`: those of `period` in table order, then any other
    /// side the topic had in the analysed periods.
    pub fn sides(&self, topic: &str, period: &str) -> anyhow::Result<Vec<(String, String)>> {
        let all = self.rows(table::PERSPECTIVE_BALANCE, topic, None)?;
        let now = slice(&all, topic, Some(period))?;
        let mut out: Vec<(String, String)> = Vec::new();
        for df in [&now, &all] {
            for pair in strings(df, c::PERSPECTIVE_ID)?.into_iter().zip(strings(df, c::PERSPECTIVE_NAME)?) {
                if !out.iter().any(|(id, _)| *id == pair.0) {
                    out.push(pair);
                }
            }
        }
        Ok(out)
    }

    /// The balance index of each period, `None` for periods without digests.
    pub fn balance_history(&self, topic: &str, periods: &[String]) -> anyhow::Result<Vec<Option<f64>>> {
        let df = self.rows(table::PERSPECTIVE_BALANCE, topic, None)?;
        let index: BTreeMap<String, Option<f64>> =
            strings(&df, a::PERIOD)?.into_iter().zip(floats(&df, a::BALANCE_INDEX)?).rev().collect();
        Ok(periods.iter().map(|p| index.get(p).copied().flatten()).collect())
    }

    /// The topic-period's outlets by side, most articles first (the source_shares order).
    pub fn outlets(&self, topic: &str, period: &str) -> anyhow::Result<Vec<OutletShare>> {
        let df = self.rows(table::SOURCE_SHARES, topic, Some(period))?;
        Ok(strings(&df, c::OUTLET_ID)?
            .into_iter()
            .zip(strings(&df, c::PERSPECTIVE_ID)?)
            .zip(ints(&df, a::ARTICLES)?.into_iter().zip(floats(&df, a::SHARE)?))
            .map(|((id, side), (articles, share))| OutletShare {
                id,
                side,
                articles,
                share: share.unwrap_or(0.0),
            })
            .collect())
    }

    /// Every theme of every section of a topic-period (zeros included).
    pub fn themes(&self, topic: &str, period: &str) -> anyhow::Result<Vec<ThemeShare>> {
        theme_rows(&self.rows(table::THEMES, topic, Some(period))?)
    }

    /// Per period and theme, mentions and items summed over the topic's sections.
    pub fn theme_totals(&self, topic: &str, periods: &[String]) -> anyhow::Result<Vec<ThemeShare>> {
        let keep = Series::new("periods".into(), periods.to_vec());
        let df = self
            .rows(table::THEMES, topic, None)?
            .lazy()
            .filter(one_of(col(a::PERIOD), lit(keep)))
            .group_by([col(a::PERIOD), col(a::THEME)])
            .agg([col(a::MENTIONS).sum(), col(a::ITEMS).sum()])
            .collect()?;
        Ok(strings(&df, a::PERIOD)?
            .into_iter()
            .zip(strings(&df, a::THEME)?)
            .zip(ints(&df, a::MENTIONS)?.into_iter().zip(ints(&df, a::ITEMS)?))
            .map(|((period, theme), (mentions, items))| ThemeShare {
                section: period,
                theme,
                mentions,
                items,
                share: (items > 0).then(|| mentions as f64 / items as f64),
            })
            .collect())
    }

    /// Themes rising or fading on one side, rising first, biggest moves (in mentions) first.
    pub fn trends(&self, topic: &str, period: &str, n: usize) -> anyhow::Result<Vec<Trend>> {
        let df = self
            .rows(table::THEME_TRENDS, topic, Some(period))?
            .lazy()
            .filter(
                crate::analytics::side_section()
                    .and(one_of(col(a::TREND), lit(Series::new("t".into(), ["rising", "fading"])))),
            )
            .with_column(col(a::TREND).neq(lit("rising")).alias("fading"))
            .sort_by_exprs(
                [col("fading"), col(a::MENTIONS), col(a::THEME)],
                SortMultipleOptions::default()
                    .with_order_descending_multi([false, true, false])
                    .with_maintain_order(true),
            )
            .limit(n as IdxSize)
            .collect()?;
        let mean = floats(&df, a::TRAILING_MEAN)?;
        let fading = bools(&df, "fading")?;
        let recurring = bools(&df, a::RECURRING)?;
        Ok(theme_rows(&df)?
            .into_iter()
            .zip(mean)
            .zip(fading.into_iter().zip(recurring))
            .map(|((theme, trailing_mean), (fading, recurring))| Trend {
                theme,
                trailing_mean,
                rising: !fading,
                recurring,
            })
            .collect())
    }

    /// The topic-period's emerging terms, best first.
    pub fn terms(&self, topic: &str, period: &str, n: usize) -> anyhow::Result<Vec<Term>> {
        let df = self.rows(table::EMERGING_TERMS, topic, Some(period))?;
        Ok(strings(&df, a::TERM)?
            .into_iter()
            .zip(ints(&df, a::ITEMS)?)
            .take(n)
            .map(|(term, items)| Term { term, items })
            .collect())
    }

    /// Every one-sided finding of a topic.
    pub fn spots(&self, topic: &str) -> anyhow::Result<Vec<Spot>> {
        let s = self.rows(table::BLINDSPOTS, topic, None)?;
        let (kind, side, start, end) = (
            strings(&s, a::KIND)?,
            strings(&s, c::PERSPECTIVE_ID)?,
            dates(&s, a::START_DATE)?,
            dates(&s, a::END_DATE)?,
        );
        let (digests, mean, threshold) =
            (ints(&s, a::DIGESTS)?, floats(&s, a::MEAN_SHARE)?, floats(&s, a::THRESHOLD)?);
        let (period, theme, mentions, items) =
            (strings(&s, a::PERIOD)?, strings(&s, a::THEME)?, ints(&s, a::MENTIONS)?, ints(&s, a::ITEMS)?);
        let (other, other_items) = (strings(&s, a::OTHER_PERSPECTIVE_ID)?, ints(&s, a::OTHER_ITEMS)?);
        let (min_mentions, min_coverage) =
            (ints(&s, "silence_min_mentions")?, floats(&s, a::SILENCE_MIN_COVERAGE)?);
        let mut out = Vec::new();
        for (i, k) in kind.iter().enumerate() {
            match k.as_str() {
                spot::LOW_SHARE_RUN => {
                    let (Some(first), Some(last)) = (start[i], end[i]) else { continue };
                    out.push(Spot::LowShare {
                        side: side[i].clone(),
                        threshold: threshold[i].unwrap_or(0.0),
                        digests: digests[i],
                        days: (first, last),
                        mean_share: mean[i].unwrap_or(0.0),
                    });
                }
                spot::THEME_SILENCE => out.push(Spot::Silence {
                    period: period[i].clone(),
                    side: (side[i].clone(), mentions[i], items[i]),
                    theme: theme[i].clone(),
                    other: (other[i].clone(), other_items[i]),
                    rule: (min_mentions[i], min_coverage[i].unwrap_or(0.0)),
                }),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Each side's coverage profile in a topic-period, with its language mix.
    pub fn profile(&self, topic: &str, period: &str) -> anyhow::Result<Vec<Profile>> {
        let p = self.rows(table::COVERAGE_PROFILE, topic, Some(period))?;
        let l = self.rows(table::COVERAGE_LANGUAGES, topic, Some(period))?;
        let languages: Vec<(String, String, f64)> = strings(&l, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(strings(&l, c::LANGUAGE)?)
            .zip(floats(&l, a::SHARE)?)
            .map(|((side, lang), share)| (side, lang, share.unwrap_or(0.0)))
            .collect();
        let age = floats(&p, a::AGE_MEDIAN_DAYS)?.into_iter().zip(floats(&p, a::AGE_MAX_DAYS)?);
        let names = floats(&p, a::SHARE_NAMES_OTHER)?
            .into_iter()
            .zip(floats(&p, a::SHARE_NAMES_SELF)?)
            .zip(floats(&p, a::SHARE_NAMES_NEITHER)?)
            .map(|((o, s), x)| (o.unwrap_or(0.0), s.unwrap_or(0.0), x.unwrap_or(0.0)));
        Ok(strings(&p, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(ints(&p, a::ARTICLES)?)
            .zip(age.zip(names))
            .map(|((side, articles), (age, names))| {
                let mut mix: Vec<(String, f64)> = languages
                    .iter()
                    .filter(|(s, _, _)| *s == side)
                    .map(|(_, l, v)| (l.clone(), *v))
                    .collect();
                mix.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                Profile { side, articles, age, names, languages: mix }
            })
            .collect())
    }
}

fn theme_rows(df: &DataFrame) -> anyhow::Result<Vec<ThemeShare>> {
    Ok(strings(df, c::SECTION)?
        .into_iter()
        .zip(strings(df, a::THEME)?)
        .zip(ints(df, a::MENTIONS)?.into_iter().zip(ints(df, a::ITEMS)?))
        .zip(floats(df, a::SHARE)?)
        .map(|(((section, theme), (mentions, items)), share)| ThemeShare {
            section,
            theme,
            mentions,
            items,
            share,
        })
        .collect())
}

/// Each outlet id's spelling as the feeds write it, first seen among the articles of
/// `digests` (of every digest when `None`).
pub fn spellings(inputs: &Inputs, digests: Option<LazyFrame>) -> anyhow::Result<BTreeMap<String, String>> {
    let articles = match digests {
        Some(d) => inputs.articles.clone().join(
            d.select([col(c::DIGEST_ID)]),
            [col(c::DIGEST_ID)],
            [col(c::DIGEST_ID)],
            JoinArgs::new(JoinType::Semi),
        ),
        None => inputs.articles.clone(),
    };
    let written = articles
        .select([col(c::OUTLET_ID), col(c::OUTLET)])
        .unique_stable(Some(by_name([c::OUTLET_ID], true, false)), UniqueKeepStrategy::First)
        .collect()?;
    Ok(strings(&written, c::OUTLET_ID)?.into_iter().zip(strings(&written, c::OUTLET)?).collect())
}

/// A digest of the report week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekDigest {
    /// Its id.
    pub id: String,
    /// Its file, relative to the input folder.
    pub path: String,
    /// Its day.
    pub date: Option<NaiveDate>,
    /// The topic's display name.
    pub topic_name: String,
    /// Articles it declares and lists.
    pub declared_listed: (i64, i64),
    /// Whether it compares sides (every layout but the generator's first).
    pub compares_sides: bool,
}

/// A problem row of a digest file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblem {
    /// The file.
    pub path: String,
    /// Its line, 0 for the whole file.
    pub line: i64,
    /// error / warning / notice.
    pub severity: String,
    /// Kind code.
    pub kind: String,
    /// Message.
    pub message: String,
}

/// The digests of one report week, read once for all topics (a scan of the tables per topic
/// cost more than the rest of a topic's page: BENCHMARKS.md, "Figures behind the code").
pub struct WeekView {
    /// Live digests of the week, sorted by topic, date, time.
    live: DataFrame,
    /// Every digest file of the week (drafts and re-runs too), for data quality.
    all: DataFrame,
    /// The problems table.
    problems: DataFrame,
    /// Articles of the week's live digests per topic, day and side.
    per_day: DataFrame,
    /// The week's live digests' articles: keys, date, side, outlet and language.
    articles: DataFrame,
    /// Highlights of the week's live digests, in file order.
    highlights: DataFrame,
    /// Live digests of this week and the one before, for the headline counts.
    two_weeks: DataFrame,
    /// Files with error rows that gave no digest at all.
    pub unreadable: usize,
}

/// Digests dated from `from` to `to`.
fn dated(from: NaiveDate, to: NaiveDate) -> Expr {
    col(c::DIGEST_DATE).gt_eq(lit(from)).and(col(c::DIGEST_DATE).lt_eq(lit(to)))
}

impl WeekView {
    /// Reads the week `from`–`to` (and the week before, for changes): `live` is the week's
    /// live digests (already filtered), `before` those of both weeks.
    pub fn load(
        inputs: &Inputs,
        problems: LazyFrame,
        live: LazyFrame,
        before: LazyFrame,
        days: (NaiveDate, NaiveDate),
    ) -> anyhow::Result<Self> {
        let live = live
            .sort([c::TOPIC, c::DIGEST_DATE, c::PUBLISHED_AT], SortMultipleOptions::default())
            .collect()?;
        let all = inputs.digests.clone().filter(dated(days.0, days.1)).collect()?;
        let problems = problems.collect()?;
        let known: std::collections::HashSet<String> =
            strings(&inputs.digests.clone().select([col(c::SOURCE_PATH)]).collect()?, c::SOURCE_PATH)?
                .into_iter()
                .collect();
        let unreadable = strings(&problems, c::SOURCE_PATH)?
            .into_iter()
            .zip(strings(&problems, c::SEVERITY)?)
            .filter(|(p, s)| s == "error" && !known.contains(p))
            .map(|(p, _)| p)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let ids = lit(Series::new("ids".into(), strings(&live, c::DIGEST_ID)?));
        let articles = inputs
            .articles
            .clone()
            .filter(one_of(col(c::DIGEST_ID), ids.clone()))
            .select(
                [
                    c::TOPIC,
                    c::DIGEST_ID,
                    c::DIGEST_DATE,
                    c::POSITION,
                    c::PERSPECTIVE_ID,
                    c::OUTLET_ID,
                    c::LANGUAGE,
                ]
                .map(col),
            )
            .collect()?;
        let per_day = articles
            .clone()
            .lazy()
            .group_by([col(c::TOPIC), col(c::DIGEST_DATE), col(c::PERSPECTIVE_ID)])
            .agg([len().cast(DataType::Int64).alias(a::ARTICLES)])
            .collect()?;
        let highlights = inputs
            .highlights
            .clone()
            .filter(one_of(col(c::DIGEST_ID), ids))
            .sort([c::DIGEST_ID, c::SOURCE_LINE], SortMultipleOptions::default())
            .collect()?;
        let two_weeks = before.select([col(c::TOPIC), col(c::DIGEST_DATE)]).collect()?;
        Ok(WeekView { live, all, problems, per_day, articles, highlights, two_weeks, unreadable })
    }

    /// Whether the week has no live digest.
    pub fn is_empty(&self) -> bool {
        self.live.height() == 0
    }

    /// Topics with live digests this week, in order.
    pub fn topics(&self) -> anyhow::Result<Vec<String>> {
        let mut topics = strings(&self.live, c::TOPIC)?;
        topics.dedup();
        Ok(topics)
    }

    /// The topic's live digests of the week, in date order.
    pub fn digests(&self, topic: &str) -> anyhow::Result<Vec<WeekDigest>> {
        let d = slice(&self.live, topic, None)?;
        let counts = ints(&d, c::ARTICLE_COUNT_DECLARED)?.into_iter().zip(ints(&d, c::ARTICLE_COUNT_LISTED)?);
        let sided = strings(&d, c::LAYOUT)?.into_iter().map(|l| l != Layout::First.as_str());
        Ok(strings(&d, c::DIGEST_ID)?
            .into_iter()
            .zip(strings(&d, c::SOURCE_PATH)?)
            .zip(dates(&d, c::DIGEST_DATE)?.into_iter().zip(strings(&d, c::TOPIC_NAME)?))
            .zip(counts.zip(sided))
            .map(|(((id, path), (date, topic_name)), (declared_listed, compares_sides))| WeekDigest {
                id,
                path,
                date,
                topic_name,
                declared_listed,
                compares_sides,
            })
            .collect())
    }

    /// Live digests of the topic dated `from`–`to`, this week or the one before.
    pub fn digest_count(&self, topic: &str, from: NaiveDate, to: NaiveDate) -> anyhow::Result<usize> {
        let keep = col(c::TOPIC).eq(lit(topic)).and(dated(from, to));
        Ok(self.two_weeks.clone().lazy().filter(keep).collect()?.height())
    }

    /// The topic's articles of the week's live digests (for [`View::week_stories`]).
    pub fn articles(&self, topic: &str) -> anyhow::Result<DataFrame> {
        Ok(slice(&self.articles, topic, None)?)
    }

    /// The topic's articles per day and side, as `(day, side, articles)`.
    pub fn daily(&self, topic: &str) -> anyhow::Result<Vec<(Option<NaiveDate>, String, i64)>> {
        let d = slice(&self.per_day, topic, None)?;
        Ok(dates(&d, c::DIGEST_DATE)?
            .into_iter()
            .zip(strings(&d, c::PERSPECTIVE_ID)?)
            .zip(ints(&d, a::ARTICLES)?)
            .map(|((day, side), n)| (day, side, n))
            .collect())
    }

    /// A digest's highlights in file order, as `(section, text)`.
    pub fn highlights(&self, digest: &str) -> anyhow::Result<Vec<(String, String)>> {
        let h = self.highlights.clone().lazy().filter(col(c::DIGEST_ID).eq(lit(digest))).collect()?;
        Ok(strings(&h, c::SECTION)?.into_iter().zip(strings(&h, c::TEXT)?).collect())
    }

    /// Problems of the topic's digest files of the week (every version of a day).
    pub fn problems(&self, topic: &str) -> anyhow::Result<Vec<FileProblem>> {
        let paths = Series::new("paths".into(), strings(&slice(&self.all, topic, None)?, c::SOURCE_PATH)?);
        let p = self.problems.clone().lazy().filter(one_of(col(c::SOURCE_PATH), lit(paths))).collect()?;
        Ok(strings(&p, c::SOURCE_PATH)?
            .into_iter()
            .zip(ints(&p, c::LINE)?)
            .zip(strings(&p, c::SEVERITY)?.into_iter().zip(strings(&p, c::KIND)?))
            .zip(strings(&p, c::MESSAGE)?)
            .map(|(((path, line), (severity, kind)), message)| FileProblem {
                path,
                line,
                severity,
                kind,
                message,
            })
            .collect())
    }
}

/// Live digests per topic and period of `options` (drafts and re-runs left out), as
/// `(topic, topic name, period, digests)`, by topic and period.
pub fn digests_per_period(
    inputs: &Inputs,
    options: &Options,
) -> anyhow::Result<Vec<(String, String, String, i64)>> {
    let live = crate::analytics::live_digests(inputs.digests.clone(), options)
        .group_by([col(c::TOPIC), col(a::PERIOD)])
        .agg([len().cast(DataType::Int64).alias("digests"), col(c::TOPIC_NAME).first()])
        .sort([c::TOPIC, a::PERIOD], SortMultipleOptions::default())
        .collect()?;
    Ok(strings(&live, c::TOPIC)?
        .into_iter()
        .zip(strings(&live, c::TOPIC_NAME)?)
        .zip(strings(&live, a::PERIOD)?.into_iter().zip(ints(&live, "digests")?))
        .map(|((topic, name), (period, n))| (topic, name, period, n))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(values: &[Option<&str>]) -> DataFrame {
        let n = values.len() as i64;
        df!(c::TOPIC => values, "row" => (0..n).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn topic_runs_finds_each_topics_rows_when_they_are_adjacent_and_only_then() {
        // a a b (null) b: b's rows are apart (rows 2 and 4), so no ranges.
        assert_eq!(topic_runs(&topics(&[Some("a"), Some("a"), Some("b"), None, Some("b")])).unwrap(), None);
        // a a (null) b b: a is rows 0..2, b rows 3..5; the null row belongs to no topic.
        let runs = topic_runs(&topics(&[Some("a"), Some("a"), None, Some("b"), Some("b")])).unwrap().unwrap();
        assert_eq!(runs, TopicRuns::from([("a".to_string(), 0..2), ("b".to_string(), 3..5)]));
        assert_eq!(topic_runs(&topics(&[])).unwrap(), Some(TopicRuns::new()));
    }

    #[test]
    fn a_topics_rows_are_the_same_by_range_as_by_filter() {
        // One table grouped by topic (read by range), one not (read by filter): each topic's
        // rows, and an unknown topic's none, are what the filter gives, in table order.
        for values in [
            [Some("a"), Some("a"), None, Some("b"), Some("b")],
            [Some("b"), Some("a"), None, Some("b"), Some("a")],
        ] {
            let analysis = Analysis { tables: vec![(table::STORIES, topics(&values))] };
            let view = View::new(&analysis);
            for topic in ["a", "b", "c"] {
                let want = slice(&topics(&values), topic, None).unwrap();
                assert!(view.rows(table::STORIES, topic, None).unwrap().equals_missing(&want), "{topic}");
            }
        }
    }
}
