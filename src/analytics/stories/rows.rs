//! The articles as the story steps read them: sorted into story order, as columns of one
//! chunk read by row ([`Rows`]), and the stories found in them ([`Story`]).

use std::ops::Range;

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use crate::analytics::base::{col, cols};
use crate::tables::col as c;

/// A string column of one chunk, read by row: no vector of two million slices.
pub(super) struct Text<'a>(&'a StringChunked);

impl<'a> Text<'a> {
    /// Column `name` of `df`, which must be in one chunk.
    pub(super) fn of(df: &'a DataFrame, name: &str) -> PolarsResult<Text<'a>> {
        let ca = df.column(name)?.str()?;
        polars_ensure!(ca.chunks().len() == 1, ComputeError: "{name} is not in one chunk");
        Ok(Text(ca))
    }

    pub(super) fn opt(&self, i: usize) -> Option<&'a str> {
        self.0.get(i)
    }

    /// Missing values as "".
    pub(super) fn get(&self, i: usize) -> &'a str {
        self.opt(i).unwrap_or_default()
    }
}

/// The articles as columns, sorted by topic, date, digest and position.
/// The strings are read from the sorted frame (no copy of two million titles).
pub(super) struct Rows<'a> {
    pub(super) n: usize,
    pub(super) topic: Text<'a>,
    pub(super) digest_id: Text<'a>,
    pub(super) position: Vec<i64>,
    pub(super) date: Vec<NaiveDate>,
    pub(super) side: Text<'a>,
    pub(super) outlet: Text<'a>,
    pub(super) outlet_id: Text<'a>,
    pub(super) title: Text<'a>,
    pub(super) language: Text<'a>,
    /// The period columns of each row, for `story_periods`.
    pub(super) periods: DataFrame,
}

fn strings<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

/// The articles' columns stories read.
pub(super) fn article_columns(articles: LazyFrame) -> PolarsResult<DataFrame> {
    articles
        .select(cols(&[
            c::TOPIC,
            c::DIGEST_DATE,
            c::DIGEST_ID,
            c::POSITION,
            c::PERSPECTIVE_ID,
            c::OUTLET,
            c::OUTLET_ID,
            c::TITLE,
            c::LANGUAGE,
            col::PERIOD,
            col::PERIOD_START,
            col::PERIOD_END,
            col::PERIOD_INDEX,
        ]))
        .collect()
}

/// The sort key of the articles: topic, date, digest and position, borrowed.
struct Keys<'a> {
    topic: Vec<&'a str>,
    date: Vec<NaiveDate>,
    digest_id: Vec<&'a str>,
    position: Vec<i64>,
}

impl Keys<'_> {
    fn of(df: &DataFrame) -> PolarsResult<Keys<'_>> {
        Ok(Keys {
            topic: text(df, c::TOPIC)?,
            date: digest_dates(df)?,
            digest_id: text(df, c::DIGEST_ID)?,
            position: positions(df)?,
        })
    }

    fn key(&self, i: usize) -> (&str, NaiveDate, &str, i64) {
        (self.topic[i], self.date[i], self.digest_id[i], self.position[i])
    }

    /// Row indices in (topic, date, digest, position) order, or `None` when the rows are in
    /// that order already. The articles come a digest at a time, so the digests' runs of
    /// rows are sorted (100 thousand keys, not 2 million), then the result is checked; rows
    /// of one digest that are not adjacent fall back to a sort of every row.
    fn order(&self) -> Option<Vec<IdxSize>> {
        let n = self.topic.len();
        if (1..n).all(|i| self.key(i - 1) <= self.key(i)) {
            return None;
        }
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        let mut start = 0;
        for i in 1..=n {
            if i == n || self.digest_id[i] != self.digest_id[start] {
                runs.push(start..i);
                start = i;
            }
        }
        let mut order: Vec<IdxSize> = Vec::with_capacity(n);
        let mut run_order: Vec<(usize, std::ops::Range<usize>)> = Vec::with_capacity(runs.len());
        for r in runs {
            let mut idx: Vec<IdxSize> = r.clone().map(|i| i as IdxSize).collect();
            idx.sort_by_key(|&i| self.position[i as usize]);
            run_order.push((idx[0] as usize, order.len()..order.len() + idx.len()));
            order.extend(idx);
        }
        run_order.par_sort_by(|a, b| self.key(a.0).cmp(&self.key(b.0)));
        let sorted: Vec<IdxSize> =
            run_order.iter().flat_map(|(_, span)| order[span.clone()].iter().copied()).collect();
        if sorted.windows(2).all(|w| self.key(w[0] as usize) <= self.key(w[1] as usize)) {
            return Some(sorted);
        }
        let mut all: Vec<IdxSize> = (0..n as IdxSize).collect();
        all.par_sort_unstable_by(|&x, &y| self.key(x as usize).cmp(&self.key(y as usize)));
        Some(all)
    }
}

/// A string column as slices, missing values as "".
fn text<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<&'a str>> {
    Ok(strings(df, name)?.into_iter().map(Option::unwrap_or_default).collect())
}

/// The `digest_date` column, missing dates as the default date.
fn digest_dates(df: &DataFrame) -> PolarsResult<Vec<NaiveDate>> {
    Ok(crate::frames::dates(df, c::DIGEST_DATE)?.into_iter().map(|d| d.unwrap_or_default()).collect())
}

fn positions(df: &DataFrame) -> PolarsResult<Vec<i64>> {
    Ok(df.column(c::POSITION)?.cast(&DataType::Int64)?.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// `df` in (topic, date, digest, position) order.
pub(super) fn in_story_order(df: DataFrame) -> PolarsResult<DataFrame> {
    let order = Keys::of(&df)?.order();
    match order {
        None => Ok(df),
        Some(order) => df.take(&IdxCa::from_vec("order".into(), order)),
    }
}

impl<'a> Rows<'a> {
    /// The rows of `df`, which is in story order (see [`in_story_order`]) and in one chunk.
    pub(super) fn of(df: &'a DataFrame) -> PolarsResult<Rows<'a>> {
        Ok(Rows {
            n: df.height(),
            topic: Text::of(df, c::TOPIC)?,
            digest_id: Text::of(df, c::DIGEST_ID)?,
            position: positions(df)?,
            date: digest_dates(df)?,
            side: Text::of(df, c::PERSPECTIVE_ID)?,
            outlet: Text::of(df, c::OUTLET)?,
            outlet_id: Text::of(df, c::OUTLET_ID)?,
            title: Text::of(df, c::TITLE)?,
            language: Text::of(df, c::LANGUAGE)?,
            periods: df.select([
                c::TOPIC,
                col::PERIOD,
                col::PERIOD_START,
                col::PERIOD_END,
                col::PERIOD_INDEX,
            ])?,
        })
    }

    /// Index ranges of each topic's rows.
    pub(super) fn topics(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.n {
            if i == self.n || self.topic.get(i) != self.topic.get(start) {
                out.push(start..i);
                start = i;
            }
        }
        out
    }
}

/// A story of the clustering: its id, topic, member rows (in order) and representative row.
pub(super) struct Story<'a> {
    pub(super) id: String,
    pub(super) topic: &'a str,
    pub(super) members: Vec<usize>,
    pub(super) representative: usize,
}
