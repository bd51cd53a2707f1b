//! A typed view of an analysis and of the week's digests, for the reports: ranked rows with
//! names, per topic and period. Polars does the filtering, grouping, sorting and heads here;
//! the report builders (`weekly`, `compare`) see plain structs and no frames.
//!
//! `rows` holds the row types; the methods of [`View`] are grouped by what they view:
//! `shares` (balance, sides, outlets), `themes`, `coverage` (one-sided coverage and the
//! coverage profile), `stories`; `week` reads the digests of a report week.

mod coverage;
mod rows;
mod shares;
mod stories;
mod themes;
mod tone;
mod week;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::analytics::{blindspots::kind as spot, col as a, one_of, table, Analysis, Inputs, Options, Table};
use crate::frames::{bools, dates, floats, ints, strings};
use crate::model::Layout;
use crate::tables::col as c;

pub use rows::*;
pub use tone::{count_statuses, BulletGrounding, SideToneRow, ToneWord};
use week::dated;
pub use week::{
    digests_per_period, spellings, DayCount, FileProblem, Highlight, PeriodDigests, WeekDigest, WeekView,
};

/// The analysis tables a weekly report reads: a report on its own reads only these from the
/// analysis `analyze` left (`analytics::service::Request::Reuse`). Not `item_themes` nor
/// `story_sides`, which are there for researchers, nor `story_periods`, which `compare`
/// reads from its own analysis. A table missing here fails the report test that compares a
/// report from the stored analysis with one analysing for itself.
pub const TABLES: [Table; 13] = [
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
    table::SIDE_TONE,
    table::TONE_WORDS,
    table::HIGHLIGHT_GROUNDING,
];

/// The analysis tables of one run, read by topic and period.
pub struct View<'a> {
    analysis: &'a Analysis,
    /// Per table, once asked: where each topic's rows are ([`topic_runs`]).
    runs: Mutex<HashMap<Table, Arc<Option<TopicRuns>>>>,
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

    fn table(&self, name: Table) -> anyhow::Result<&'a DataFrame> {
        Ok(self.analysis.get(name)?)
    }

    /// Rows of table `name` of one topic, and of one period when given, in table order.
    fn rows(&self, name: Table, topic: &str, period: Option<&str>) -> anyhow::Result<DataFrame> {
        let df = self.table(name)?;
        let runs = {
            let mut known = self.runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match known.get(&name) {
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
            let analysis = Analysis::of(vec![(table::STORIES, topics(&values))]);
            let view = View::new(&analysis);
            for topic in ["a", "b", "c"] {
                let want = slice(&topics(&values), topic, None).unwrap();
                assert!(view.rows(table::STORIES, topic, None).unwrap().equals_missing(&want), "{topic}");
            }
        }
    }
}
