//! Writing the extracted tables: single files or hive partitions, a full extract or the
//! rows of the shards read again merged into the tables already written.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use anyhow::Context;
use polars::prelude::{by_name, col, lit, DataFrame, IntoLazy};
use rayon::prelude::*;

use super::layout::Layout;
use super::shard::{merge_problems, merge_shards, Shard};
use super::{collect_file, Store};
use crate::outlets::Registry;
use crate::problems::Problem;
use crate::tables::{col as c, name};
use crate::write::{self, Format};
use biaslens_digest::Corpus;

/// Tables written partitioned with `--partitioned`: the large ones.
pub const PARTITIONED: [&str; 2] = [name::ARTICLES, name::HIGHLIGHTS];

/// What an incremental run read: the shards, and every input path whose rows they hold.
#[derive(Clone, Copy)]
pub struct Previous<'a> {
    /// The shards read again.
    pub shards: &'a BTreeSet<Shard>,
    /// Every input path whose rows they hold (removed files' too).
    pub paths: &'a HashSet<String>,
}

/// Builds the tables of what was read and writes them; with `previous`, the shards read
/// and the paths of their files, the other rows are taken from the tables already written.
/// Returns the problems of the whole corpus. The corpus is consumed: its rows are freed as
/// they become columns.
pub fn write_tables(
    store: &Store,
    corpus: Corpus,
    registry: &Registry,
    layout: Layout,
    previous: Option<Previous<'_>>,
) -> anyhow::Result<Vec<Problem>> {
    let Layout { format, partitioned } = layout;
    let mut laps = crate::timing::Laps::new("write");
    // The parsed rows are freed as they become columns: their pages go back at once. Only
    // then: while the tables are written, the writers' buffers are freed and taken again
    // many times, and handing each back would only have it faulted in afresh.
    let purge = crate::allocator::return_freed_memory_at_once();
    let tables = crate::tables::extracted(corpus.digests, &corpus.problems, registry)
        .context("cannot build the tables")?;
    drop(purge);
    laps.lap("build frames");
    let out = store.dir();
    // Partitioned tables are written here, in parallel; single-file tables are merged with
    // the rows kept, then written below.
    let singles = tables
        .tables
        .into_par_iter()
        .map(|(name, df)| -> anyhow::Result<Option<(&'static str, DataFrame)>> {
            let mut laps = crate::timing::Laps::new(name);
            if partitioned && PARTITIONED.contains(&name) {
                let mut empty = df.clear();
                match previous {
                    None => {
                        let year = col(c::DIGEST_DATE).dt().year().alias("year");
                        let with_year = df.lazy().with_column(year).collect()?;
                        let written =
                            super::layout::partitions(out, name, &with_year, &[c::TOPIC, "year"], format)?;
                        super::layout::prune_partitions(out, name, &written)?;
                    }
                    Some(p) => rewrite_partitions(out, name, df, p.shards, format)?,
                }
                super::layout::settle_partitions(out, name, &mut empty, format)?;
                laps.lap("partitions written");
                return Ok(None);
            }
            let path = out.join(format!("{name}.parquet"));
            let df = match previous {
                None => df,
                Some(p) if name == name::PROBLEMS => merge_problems(collect_file(&path)?, df, p.paths)?,
                Some(p) => merge_shards(collect_file(&path)?, df, p.shards)?,
            };
            laps.lap("merged");
            // A single file replaces an earlier partitioned layout, so one layout stands.
            let old = out.join(name);
            if old.is_dir() {
                std::fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
            }
            Ok(Some((name, df)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let singles: Vec<(&str, &DataFrame, Format)> =
        singles.iter().flatten().map(|(name, df)| (*name, df, format)).collect();
    // Every file one task, largest first: `articles`' CSV and Parquet are encoded side by side.
    write::tables(out, &singles)?;
    laps.lap("single-file tables written");
    match singles.iter().find(|(name, _, _)| *name == name::PROBLEMS) {
        Some((_, df, _)) => Ok(super::problems_of(df)?),
        None => Ok(Vec::new()),
    }
}

/// Rewrites the partitions (topic × year) that hold a shard read this run: the rows of its
/// other months come from the partition file already written, the shards read from `fresh`.
/// A partition left without rows is removed.
fn rewrite_partitions(
    out: &Path,
    name: &str,
    fresh: DataFrame,
    shards: &BTreeSet<Shard>,
    format: Format,
) -> anyhow::Result<()> {
    let partitions: BTreeSet<(&str, i32)> =
        shards.iter().filter_map(Shard::month).map(|m| (m.topic.as_str(), m.year)).collect();
    let topic_at = fresh.get_column_index(c::TOPIC).context("the table has a topic column")?;
    let with_year = fresh.lazy().with_column(col(c::DIGEST_DATE).dt().year().alias("year"));
    // Partitions are independent: rewritten in parallel, each file still atomic.
    partitions.into_par_iter().try_for_each(|(topic, year)| -> anyhow::Result<()> {
        let ys = year.to_string();
        let keys = [(c::TOPIC, topic), ("year", ys.as_str())];
        let dir = write::confined(out, &Path::new(name).join(super::layout::partition_dir(&keys)))?;
        let rows = with_year
            .clone()
            .filter(col(c::TOPIC).eq(lit(topic)).and(col("year").eq(lit(year))))
            .drop(by_name(["year"], true, false))
            .collect()?;
        let file = dir.join("part-0.parquet");
        let mut merged = if file.is_file() {
            let mut before = collect_file(&file)?;
            let topics = polars::prelude::Column::new(c::TOPIC.into(), vec![topic; before.height()]);
            before.insert_column(topic_at, topics)?;
            merge_shards(before, rows, shards)?
        } else {
            rows
        };
        if merged.height() == 0 {
            if dir.is_dir() {
                std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
            }
        } else {
            merged.drop_in_place(c::TOPIC)?;
            super::layout::partition(out, name, &keys, &mut merged, format)?;
        }
        Ok(())
    })
}
