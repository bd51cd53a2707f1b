//! The layout of the tables folder: single files or hive partitions
//! (`<name>/topic=<t>/year=<y>/part-0.{parquet,csv}`) for the large tables, written,
//! pruned and settled here. Reading either layout is [`super::scan`]'s.

use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::DataFrame;
use polars::prelude::PolarsResult;

use crate::write::{self, Format};

/// How the tables are written: the formats, and whether the large tables are partitioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// CSV, Parquet or both.
    pub format: Format,
    /// `articles` and `highlights` as hive partitions by topic and year.
    pub partitioned: bool,
}

impl Layout {
    /// The layout's name in the extraction state (`csv+parquet,partitioned`), so a state is
    /// only reused for the layout it describes.
    pub fn key(&self) -> String {
        let formats = self.format.extensions().join("+");
        let partitioned = if self.partitioned { ",partitioned" } else { "" };
        format!("{formats}{partitioned}")
    }
}

/// The hive folder of one partition: `<k1>=<v1>/<k2>=<v2>`, each value encoded as Hive and
/// Spark encode partition values (`a/b` → `a%2Fb`), so no value makes a folder of its own.
pub fn partition_dir(keys: &[(&str, &str)]) -> PathBuf {
    keys.iter().map(|(k, v)| format!("{k}={}", biaslens_digest::names::encode(v))).collect()
}

/// Writes each partition of `df` by `keys` in hive style,
/// `<dir>/<name>/<k1>=<v1>/<k2>=<v2>/part-0.{parquet,csv}` (atomic each), the key columns
/// carried by the path rather than the files, as Spark, DuckDB and Polars expect. Returns
/// the files written; files of other partitions are left alone.
pub fn partitions(
    dir: &Path,
    name: &str,
    df: &DataFrame,
    keys: &[&str],
    format: Format,
) -> anyhow::Result<Vec<PathBuf>> {
    use rayon::prelude::*;
    let parts = if df.height() == 0 { Vec::new() } else { groups(df, keys)? };
    let written = parts
        .into_par_iter()
        .map(|part| -> anyhow::Result<Vec<PathBuf>> {
            let mut values = Vec::new();
            for k in keys {
                values.push(part.column(k)?.get(0)?.str_value().to_string());
            }
            let pairs: Vec<(&str, &str)> =
                keys.iter().copied().zip(values.iter().map(String::as_str)).collect();
            let mut part = part.drop_many(keys.iter().copied());
            partition(dir, name, &pairs, &mut part, format)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(written.into_iter().flatten().collect())
}

/// The rows of `df` (not empty) grouped by the values of `keys`, groups in first-seen
/// order. When every group's rows are one run, as in extract's tables (sorted by topic and
/// date, so a topic-year is a run), each group is a slice of `df`, sharing its memory;
/// otherwise the groups are gathered, a copy held while it is written (what slicing saves:
/// BENCHMARKS.md, "Figures behind the code").
pub(crate) fn groups(df: &DataFrame, keys: &[&str]) -> PolarsResult<Vec<DataFrame>> {
    use polars::prelude::ChunkCompareEq;
    // Where a run starts: any key differs from the row before (row 0 always starts one).
    let mut starts: Option<polars::prelude::BooleanChunked> = None;
    for k in keys {
        let s = df.column(k)?.as_materialized_series();
        let differs = s.not_equal_missing(&s.shift(1))?;
        starts = Some(match starts {
            None => differs,
            Some(before) => before | differs,
        });
    }
    let starts = starts.expect("at least one key");
    let mut at: Vec<usize> =
        starts.iter().enumerate().filter(|(i, d)| *i == 0 || d.unwrap_or(true)).map(|(i, _)| i).collect();
    let mut seen = std::collections::HashSet::new();
    for &i in &at {
        let mut key = Vec::with_capacity(keys.len());
        for k in keys {
            key.push(df.column(k)?.get(i)?.str_value().to_string());
        }
        if !seen.insert(key) {
            // A group in two runs: gather.
            return df.partition_by_stable(keys.iter().copied(), true);
        }
    }
    at.push(df.height());
    Ok(at.windows(2).map(|w| df.slice(w[0] as i64, w[1] - w[0])).collect())
}

/// [`groups`] with each group's values of `keys` (none for an empty frame).
pub(crate) fn keyed_groups(df: &DataFrame, keys: &[&str]) -> PolarsResult<Vec<(Vec<String>, DataFrame)>> {
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    groups(df, keys)?
        .into_iter()
        .map(|g| {
            let key = keys.iter().map(|k| Ok(g.column(k)?.get(0)?.str_value().to_string()));
            Ok((key.collect::<PolarsResult<_>>()?, g))
        })
        .collect()
}

/// Two lists of keyed blocks, each in key order, merged into one frame in key order (a
/// block of `kept` before one of `fresh` with the same key), the blocks as they are: slices
/// stay slices, nothing is copied or sorted. `empty` gives the columns when no block is left.
pub(crate) fn interleave<K: Ord>(
    kept: impl IntoIterator<Item = (K, DataFrame)>,
    fresh: impl IntoIterator<Item = (K, DataFrame)>,
    empty: &DataFrame,
) -> PolarsResult<DataFrame> {
    let (mut kept, mut fresh) = (kept.into_iter().peekable(), fresh.into_iter().peekable());
    let mut parts = Vec::new();
    while let Some((_, block)) = match (kept.peek(), fresh.peek()) {
        (Some(k), Some(f)) if k.0 <= f.0 => kept.next(),
        (Some(_), None) => kept.next(),
        _ => fresh.next(),
    } {
        parts.push(block);
    }
    match parts.is_empty() {
        true => Ok(empty.clear()),
        false => polars_core::utils::accumulate_dataframes_vertical(parts),
    }
}

/// Writes one partition, `df` without its key columns, as
/// `<dir>/<name>/<k1>=<v1>/…/part-0.{parquet,csv}`; returns the files written.
pub fn partition(
    dir: &Path,
    name: &str,
    keys: &[(&str, &str)],
    df: &mut DataFrame,
    format: Format,
) -> anyhow::Result<Vec<PathBuf>> {
    let folder = write::confined(dir, &Path::new(name).join(partition_dir(keys)))?;
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    write::inside(dir, &folder)?;
    let what = format!("a partition of the {name} table");
    write::encode_into(&folder, "part-0", df, format, &what, write::PARTITION)
}

/// Removes every file under `<dir>/<name>` that is not in `keep`, then the folders left
/// empty.
pub fn prune_partitions(dir: &Path, name: &str, keep: &[PathBuf]) -> anyhow::Result<()> {
    let root = dir.join(name);
    if root.is_dir() {
        let keep: std::collections::HashSet<&Path> = keep.iter().map(PathBuf::as_path).collect();
        for entry in walkdir::WalkDir::new(&root).contents_first(true).into_iter().filter_map(Result::ok) {
            let p = entry.path();
            if entry.file_type().is_file() && !keep.contains(p) {
                std::fs::remove_file(p).with_context(|| format!("cannot remove {}", p.display()))?;
            } else if entry.file_type().is_dir() && std::fs::read_dir(p)?.next().is_none() && p != root {
                std::fs::remove_dir(p).with_context(|| format!("cannot remove {}", p.display()))?;
            }
        }
    }
    Ok(())
}

/// Settles a partitioned table: with partitions, the single files `<name>.csv`/`.parquet`
/// of an earlier layout go, so one layout stands; without any (a table with no rows), an
/// empty single file is written so readers still find its columns.
pub fn settle_partitions(
    dir: &Path,
    name: &str,
    empty: &mut DataFrame,
    format: Format,
) -> anyhow::Result<()> {
    let root = dir.join(name);
    let any = root.is_dir()
        && walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok).any(|e| e.file_type().is_file());
    if !any {
        write::table(dir, name, empty, format)?;
        return Ok(());
    }
    for ext in ["csv", "parquet"] {
        let single = dir.join(format!("{name}.{ext}"));
        if single.exists() {
            std::fs::remove_file(&single).with_context(|| format!("cannot remove {}", single.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::df;

    /// Each group of [`groups`] against Polars' own grouping, and whether it is a slice of
    /// the frame (its string views lie in the frame's own) or a gathered copy.
    fn check_groups(df: &DataFrame, slices: bool) {
        let ours = groups(df, &["topic", "year"]).unwrap();
        let polars = df.partition_by_stable(["topic", "year"], true).unwrap();
        assert_eq!(ours.len(), polars.len());
        for (a, b) in ours.iter().zip(&polars) {
            assert!(a.equals_missing(b), "{a}\n{b}");
        }
        let views = |d: &DataFrame| {
            let a = d.column("text").unwrap().str().unwrap().downcast_iter().next().unwrap().clone();
            a.views().as_ptr_range()
        };
        let whole = views(df);
        let inside = |g: &DataFrame| whole.start <= views(g).start && views(g).end <= whole.end;
        assert_eq!(ours.iter().all(inside), slices);
    }

    #[test]
    fn groups_are_slices_when_each_is_one_run_and_copies_otherwise() {
        let text = |n: usize| {
            (0..n).map(|i| format!("a text long enough to sit in a buffer {i}")).collect::<Vec<_>>()
        };
        // Sorted by topic and year: three runs, (a, 2025), (a, 2026), (b, 2026).
        let sorted = df!("topic" => ["a", "a", "a", "b", "b"], "year" => [2025, 2026, 2026, 2026, 2026], "text" => text(5)).unwrap();
        check_groups(&sorted, true);
        // (a, 2025) comes back after (b, 2026): two runs of one group, so gathered.
        let split = df!("topic" => ["a", "b", "a"], "year" => [2025, 2026, 2025], "text" => text(3)).unwrap();
        check_groups(&split, false);
        // One row.
        check_groups(&df!("topic" => ["a"], "year" => [2025], "text" => text(1)).unwrap(), true);
    }
}
