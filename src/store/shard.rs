//! Shards: one topic's digests of one calendar month, the unit an incremental extract reads
//! again, and the merging of their rows into the tables already written.

use std::collections::{BTreeSet, HashSet};

use chrono::Datelike;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::Digest;
use crate::tables::col;

/// A topic's calendar month (of `digest_date`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicMonth {
    /// The topic.
    pub topic: String,
    /// Calendar year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
}

/// The unit an incremental extract reads again: one topic's month, or the files that give
/// no digest. (Encoded in the state as `Option<(topic, year, month)>` was: `NoDigest`
/// first, so the order of shards is that of before too.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Shard {
    /// Files that give no digest.
    NoDigest,
    /// One topic's digests of one calendar month.
    Month(TopicMonth),
}

impl Shard {
    /// The topic's month, unless the shard is of files without a digest.
    pub fn month(&self) -> Option<&TopicMonth> {
        match self {
            Shard::NoDigest => None,
            Shard::Month(m) => Some(m),
        }
    }
}

/// The shard of a digest.
pub fn shard_of(d: &Digest) -> Shard {
    Shard::Month(TopicMonth {
        topic: d.topic.clone(),
        year: d.digest_date.year(),
        month: d.digest_date.month(),
    })
}

/// Name of the temporary sort column of [`merge_shards`].
const MONTH: &str = "__month";

/// `df` with each row's `digest_date` as `year * 100 + month`: the key its shard's rows share.
fn with_month(mut df: DataFrame) -> PolarsResult<DataFrame> {
    let month: Vec<i32> = crate::frames::dates(&df, col::DIGEST_DATE)?
        .into_iter()
        .map(|d| d.map_or(0, |d| d.year() * 100 + d.month() as i32))
        .collect();
    df.with_column(Column::new(MONTH.into(), month))?;
    Ok(df)
}

/// A table of a full extract, from the previous one and the rows of the shards read again:
/// `previous` without the rows of `shards`, and `fresh`, in the order of a full extract
/// (rows of a topic and month together, shards in topic and month order; both inputs are
/// already in that order, and the sort keeps it within a shard).
pub fn merge_shards(
    previous: DataFrame,
    fresh: DataFrame,
    shards: &BTreeSet<Shard>,
) -> PolarsResult<DataFrame> {
    let read: HashSet<(&str, i32)> = shards
        .iter()
        .filter_map(Shard::month)
        .map(|m| (m.topic.as_str(), m.year * 100 + m.month as i32))
        .collect();
    let (previous, fresh) = (with_month(previous)?, with_month(fresh)?);
    // Both in shard order, each shard one run: the kept runs of `previous` and the runs of
    // `fresh` interleaved as slices, no sort and no copy (the writer makes each row group
    // contiguous as it writes it).
    if let (Some(before), Some(now)) = (shard_runs(&previous)?, shard_runs(&fresh)?) {
        let slice = |df: &DataFrame, rows: std::ops::Range<usize>| df.slice(rows.start as i64, rows.len());
        // The keys of the two are apart: a shard read has no kept rows.
        let kept =
            before.into_iter().filter(|(key, _)| !read.contains(key)).map(|(k, r)| (k, slice(&previous, r)));
        let now = now.into_iter().map(|(k, r)| (k, slice(&fresh, r)));
        return crate::store::layout::interleave(kept, now, &previous)?.drop(MONTH);
    }
    // A table not in shard order (which no run writes): the rows put in order by a sort.
    let keep: BooleanChunked = previous
        .column(col::TOPIC)?
        .str()?
        .iter()
        .zip(previous.column(MONTH)?.i32()?.iter())
        .map(|(t, m)| !read.contains(&(t.unwrap_or_default(), m.unwrap_or(0))))
        .collect();
    let mut all = previous.filter(&keep)?;
    all.vstack_mut(&fresh)?;
    let sorted = all.sort([col::TOPIC, MONTH], SortMultipleOptions::default().with_maintain_order(true))?;
    sorted.drop(MONTH)
}

/// A shard of rows: its key and its rows.
type Run<'a> = ((&'a str, i32), std::ops::Range<usize>);

/// The runs of rows of one shard key of a frame [`with_month`], when they are in strictly
/// increasing key order (each shard one run, as a sort by topic and month leaves them) and
/// no topic is missing; `None` otherwise.
fn shard_runs(df: &DataFrame) -> PolarsResult<Option<Vec<Run<'_>>>> {
    let topics = df.column(col::TOPIC)?.str()?;
    if topics.null_count() > 0 {
        return Ok(None);
    }
    let months = df.column(MONTH)?.i32()?;
    let mut runs: Vec<Run<'_>> = Vec::new();
    for (i, (t, m)) in topics.iter().zip(months.iter()).enumerate() {
        let key = (t.unwrap_or_default(), m.unwrap_or(0));
        match runs.last_mut() {
            Some((last, rows)) if *last == key => rows.end = i + 1,
            Some((last, _)) if *last > key => return Ok(None),
            _ => runs.push((key, i..i + 1)),
        }
    }
    Ok(Some(runs))
}

/// The problems table of a full extract, from the previous one and the problems of the
/// files read again: rows of `paths` replaced, and the walk's own rows (links, unreadable
/// folders, found afresh by every run) replaced; sorted by file and line as `finish` sorts.
pub fn merge_problems(
    previous: DataFrame,
    fresh: DataFrame,
    paths: &HashSet<String>,
) -> PolarsResult<DataFrame> {
    let walk = crate::problems::kind::WALK;
    let keep: BooleanChunked = previous
        .column(col::SOURCE_PATH)?
        .str()?
        .iter()
        .zip(previous.column(col::KIND)?.str()?.iter())
        .map(|(p, k)| !paths.contains(p.unwrap_or_default()) && !walk.contains(&k.unwrap_or_default()))
        .collect();
    let mut all = previous.filter(&keep)?;
    all.vstack_mut(&fresh)?;
    all.sort([col::SOURCE_PATH, col::LINE], SortMultipleOptions::default().with_maintain_order(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn shard(topic: &str, year: i32, month: u32) -> Shard {
        Shard::Month(TopicMonth { topic: topic.into(), year, month })
    }

    #[test]
    fn a_shard_read_again_replaces_its_rows_in_place() {
        // Before: a Jan (x1, x2), a Feb (x3), b Jan (x4). Read again: a Feb (now y1, y2) and
        // c Jan (new, y3). After: a Jan x1 x2, a Feb y1 y2, b Jan x4, c Jan y3.
        let previous = df!(
            col::TOPIC => ["a", "a", "a", "b"],
            col::DIGEST_DATE => [d(2026, 1, 5), d(2026, 1, 9), d(2026, 2, 1), d(2026, 1, 3)],
            "x" => ["x1", "x2", "x3", "x4"],
        )
        .unwrap();
        let fresh = df!(
            col::TOPIC => ["a", "a", "c"],
            col::DIGEST_DATE => [d(2026, 2, 2), d(2026, 2, 3), d(2026, 1, 1)],
            "x" => ["y1", "y2", "y3"],
        )
        .unwrap();
        let shards = BTreeSet::from([shard("a", 2026, 2), shard("c", 2026, 1)]);
        let merged = merge_shards(previous.clone(), fresh.clone(), &shards).unwrap();
        assert_eq!(crate::frames::strings(&merged, "x").unwrap(), ["x1", "x2", "y1", "y2", "x4", "y3"]);
        assert_eq!(merged.get_column_names(), previous.get_column_names());
        // A previous table out of shard order (b before a) is put in order by the sort: the
        // same rows.
        let shuffled = previous.slice(3, 1).vstack(&previous.slice(0, 3)).unwrap();
        let sorted = merge_shards(shuffled, fresh, &shards).unwrap();
        assert!(sorted.equals(&merged), "{sorted}");
    }
}
