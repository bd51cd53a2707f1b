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
    let previous = with_month(previous)?;
    let keep: BooleanChunked = previous
        .column(col::TOPIC)?
        .str()?
        .iter()
        .zip(previous.column(MONTH)?.i32()?.iter())
        .map(|(t, m)| !read.contains(&(t.unwrap_or_default(), m.unwrap_or(0))))
        .collect();
    let mut all = previous.filter(&keep)?;
    all.vstack_mut(&with_month(fresh)?)?;
    let sorted = all.sort([col::TOPIC, MONTH], SortMultipleOptions::default().with_maintain_order(true))?;
    sorted.drop(MONTH)
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
