//! The one module that writes files: tables become CSV or Parquet bytes, and every file is
//! written atomically (temp file in the same folder, then rename), so an interrupted run
//! never leaves half a table behind. Paths made from data ([`confined`]) stay inside the
//! output folder, and one run at a time writes a folder ([`lock`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::{
    CsvWriter, DataFrame, DataType, IntoColumn, ParquetCompression, ParquetWriter, PlSmallStr, PolarsResult,
    SerWriter, StringChunked,
};

/// Which table formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV only.
    Csv,
    /// Parquet only.
    Parquet,
    /// Both CSV and Parquet.
    Both,
}

impl Format {
    /// File extensions this format writes.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Csv => &["csv"],
            Format::Parquet => &["parquet"],
            Format::Both => &["csv", "parquet"],
        }
    }
}

/// The CSV dialect of `spec/tables.md`: UTF-8, header, RFC 4180 quoting, `2026-01-22`
/// dates, RFC 3339 UTC timestamps with `T` and `Z`, `TRUE`/`FALSE` (which R's `read.csv`
/// reads as logical, and pandas, Polars and DuckDB as booleans), empty cell for missing.
pub fn csv_to(out: impl std::io::Write, df: &mut DataFrame) -> PolarsResult<()> {
    let bools: Vec<usize> =
        df.dtypes().iter().enumerate().filter(|(_, t)| **t == DataType::Boolean).map(|(i, _)| i).collect();
    if !bools.is_empty() {
        // Only the boolean columns are copied, as text.
        let mut copy = df.clone();
        for i in bools {
            let name = copy.get_column_names()[i].clone();
            let text: StringChunked = copy
                .column(&name)?
                .bool()?
                .iter()
                .map(|b| b.map(|b| if b { "TRUE" } else { "FALSE" }))
                .collect();
            copy.replace(&name, text.with_name(name.clone()).into_column())?;
        }
        return write_csv(out, &mut copy);
    }
    write_csv(out, df)
}

fn write_csv(out: impl std::io::Write, df: &mut DataFrame) -> PolarsResult<()> {
    // Dates use their own Display, which is `%Y-%m-%d` for years 0–9999 and several times
    // faster than formatting through a strftime pattern (profiled on 635k-row tables).
    CsvWriter::new(out)
        .include_header(true)
        .with_date_format(None)
        .with_datetime_format(Some("%Y-%m-%dT%H:%M:%S%.3fZ".into()))
        .with_null_value(PlSmallStr::EMPTY)
        .finish(df)
}

/// A table as CSV bytes (see [`csv_to`]).
pub fn csv_bytes(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buf = Vec::new();
    csv_to(&mut buf, df)?;
    Ok(buf)
}

/// Parquet with the table's own types (Date, Datetime UTC, Int64, Boolean, String).
///
/// The row groups are those Polars' `ParquetWriter::finish` gives the table as one chunk
/// ([`row_groups`]), whatever its chunks, so a table merged from slices (an incremental
/// run's) is written to the same bytes as a full run's, without first being copied whole
/// into one chunk: each row group is made contiguous only as it is written.
pub fn parquet_to(out: impl std::io::Write, df: &mut DataFrame) -> PolarsResult<()> {
    parquet_compressed(out, df, SINGLE_FILE)
}

/// Parquet compression of a table's single file: zstd, the smallest.
pub const SINGLE_FILE: ParquetCompression = ParquetCompression::Zstd(None);

/// Parquet compression of a partition file: Snappy. A partitioned table is thousands of
/// small files, and zstd sets up a decompression context for every column chunk it reads,
/// which was the largest single cost of reading partitions back (BENCHMARKS.md, "Tenth
/// session"); Snappy needs none. Partition files are about a third larger; every Parquet
/// reader (Spark's default) reads Snappy.
pub const PARTITION: ParquetCompression = ParquetCompression::Snappy;

/// [`parquet_to`] with the pages compressed by `compression`.
pub fn parquet_compressed(
    out: impl std::io::Write,
    df: &mut DataFrame,
    compression: ParquetCompression,
) -> PolarsResult<()> {
    let mut writer = ParquetWriter::new(out).with_compression(compression).batched(df.schema())?;
    for (offset, len) in row_groups(df.height()) {
        let mut group = df.slice(offset as i64, len);
        if group.first_col_n_chunks() > 1 {
            group.rechunk_mut();
        }
        writer.write_batch(&group)?;
    }
    writer.finish().map(|_| ())
}

/// Polars' row groups of a one-chunk table of `height` rows (polars-core 0.55
/// `chunk_df_for_writing`, default size 512²): `n = height / 512²` groups (at least one),
/// each of `height / n` rows, the last with the rest.
fn row_groups(height: usize) -> Vec<(usize, usize)> {
    const ROW_GROUP: usize = 512 * 512;
    let n = (height / ROW_GROUP).max(1);
    let size = height / n;
    (0..n).map(|i| (i * size, if i + 1 == n { height - i * size } else { size })).collect()
}

/// A table as Parquet bytes (see [`parquet_to`]).
pub fn parquet_bytes(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buf = Vec::new();
    parquet_to(&mut buf, df)?;
    Ok(buf)
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, then rename),
/// creating parent folders: readers never see half a file.
///
/// Files are not synced to disk before the rename. Everything biaslens writes is derived
/// from the digests and can be written again; a table lost or cut short by a power failure
/// no longer matches the size and mtime `extract` recorded for it, so the next run rebuilds
/// it. Syncing each file cost more than half of a small incremental run (one journal commit
/// per file, measured with `strace -w -c`).
pub fn atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    atomic_with(path, |f| Ok(f.write_all(bytes)?))
}

/// Like [`atomic`], streaming: `fill` writes the content into the (buffered) temp file, so
/// a large table never sits in memory a second time as bytes.
pub fn atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        fill(&mut f)?;
        f.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Writes one table as `<dir>/<name>.csv` and/or `.parquet`; returns the paths written.
pub fn table(dir: &Path, name: &str, df: &mut DataFrame, format: Format) -> anyhow::Result<Vec<PathBuf>> {
    encode_into(dir, name, df, format, &format!("the {name} table"), SINGLE_FILE)
}

/// Writes many tables as [`table`] does, every file (a table's CSV, its Parquet) one task,
/// taken by each thread from one queue, largest first, so the write ends soon after its
/// longest file; a parallel loop over tables, each encoded as CSV then Parquet, could leave
/// the largest table's two files for last on one thread (BENCHMARKS.md, "One thread pool").
/// Every file is still atomic; the first error is returned once the files begun are done.
/// Each table is written in its own formats.
pub fn tables(dir: &Path, tables: &[(&str, &DataFrame, Format)]) -> anyhow::Result<()> {
    let mut files: Vec<(&str, &DataFrame, Format)> = Vec::new();
    for (name, df, format) in tables {
        for ext in format.extensions() {
            files.push((name, df, if *ext == "csv" { Format::Csv } else { Format::Parquet }));
        }
    }
    // Cost by cells; CSV costs about twice Parquet's (examples/write_cost.rs). Ties by
    // name, so the order is fixed.
    fn cost<'a>((name, df, f): &(&'a str, &DataFrame, Format)) -> (usize, &'a str) {
        (df.height() * df.width() * if *f == Format::Csv { 2 } else { 1 }, name)
    }
    files.sort_by(|a, b| cost(b).cmp(&cost(a)));
    crate::queue::in_order(&files, |(name, df, f)| table(dir, name, &mut (*df).clone(), *f)).map(|_| ())
}

/// Writes `df` as `<folder>/<stem>.csv` and/or `.parquet` (its pages compressed by
/// `compression`), each streamed and atomic; `what` names it in errors.
pub fn encode_into(
    folder: &Path,
    stem: &str,
    df: &mut DataFrame,
    format: Format,
    what: &str,
    compression: ParquetCompression,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut laps = crate::timing::Laps::new("write");
    for ext in format.extensions() {
        let path = folder.join(format!("{stem}.{ext}"));
        atomic_with(&path, |f| {
            match *ext {
                "csv" => csv_to(f, df),
                _ => parquet_compressed(f, df, compression),
            }
            .with_context(|| format!("cannot encode {what} as {ext}"))
        })?;
        laps.lap(&path.display().to_string());
        written.push(path);
    }
    Ok(written)
}

/// Writes a file without the temp-and-rename dance, for bulk output such as generated
/// corpora where a half-written file is simply regenerated.
pub fn plain(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// `root/rel`, where `rel` was made from data (a partition folder, a chart name): refused
/// unless every component of `rel` is a plain name (not `..`, not absolute, no separator,
/// NUL or control character, not a name Windows reserves), and, when the folder it names
/// exists, unless that folder resolves inside `root` (through symbolic links too). Call
/// [`inside`] again once the folder is created.
pub fn confined(root: &Path, rel: &Path) -> anyhow::Result<PathBuf> {
    use std::path::Component;
    for c in rel.components() {
        let plain = match c {
            Component::Normal(name) => name.to_str().is_some_and(|n| {
                n.len() <= 255
                    && !n.chars().any(|ch| ch.is_control() || ch == '/' || ch == '\\')
                    && !biaslens_digest::names::reserved(n)
            }),
            _ => false,
        };
        anyhow::ensure!(
            plain,
            "refusing to write {} under {}: the path comes from the data and would leave the output folder or is not a portable name",
            rel.display(),
            root.display()
        );
    }
    let path = root.join(rel);
    if let Some(parent) = path.parent().filter(|p| p.exists()) {
        inside(root, parent)?;
    }
    Ok(path)
}

/// Fails unless the existing folder `dir` resolves inside `root`, symbolic links followed.
pub fn inside(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let (r, d) = (std::fs::canonicalize(root)?, std::fs::canonicalize(dir)?);
    anyhow::ensure!(
        d.starts_with(&r),
        "refusing to write in {}: it resolves to {}, outside the output folder {}",
        dir.display(),
        d.display(),
        r.display()
    );
    Ok(())
}

/// An advisory lock on an output folder, held until dropped: one run at a time writes a
/// folder. The kernel releases it when the process ends however it ends, so a killed run
/// never blocks the next.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// File name of the lock, inside the locked folder.
pub const LOCK_FILE: &str = ".biaslens.lock";

/// Locks `dir` (created if needed). When another run holds it, says so on stderr with that
/// run's process id and waits for it to finish.
pub fn lock(dir: &Path) -> anyhow::Result<Lock> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let path = dir.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            eprintln!(
                "biaslens: {} is being written by another run (pid {}); waiting for it to finish",
                dir.display(),
                holder.trim()
            );
            file.lock().with_context(|| format!("cannot lock {}", path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()));
        }
    }
    file.set_len(0)?;
    file.write_all(std::process::id().to_string().as_bytes())?;
    sweep_stale(dir)?;
    Ok(Lock { _file: file })
}

/// Whether `name` is one of [`atomic_with`]'s temporary files: `.<name>.tmp-<pid>`.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes the temporary files that runs killed mid-write left in `dir` and its subfolders.
/// Called with the folder's lock held, so none of them is being written: a run writes only
/// under the lock. A subfolder with a lock of its own is another run's folder, left alone.
fn sweep_stale(dir: &Path) -> anyhow::Result<()> {
    let mut walk = walkdir::WalkDir::new(dir).follow_links(false).into_iter();
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() > 0 && entry.file_type().is_dir() && entry.path().join(LOCK_FILE).exists() {
            walk.skip_current_dir();
            continue;
        }
        if entry.file_type().is_file() && entry.file_name().to_str().is_some_and(is_temporary) {
            std::fs::remove_file(entry.path()).with_context(|| {
                format!(
                    "cannot remove {}, left by a run that died; remove it by hand",
                    entry.path().display()
                )
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::df;

    #[test]
    fn row_groups_are_polars_ones_for_one_chunk() {
        // 2,953,901 rows (item_tone at 100k digests, whose file Polars wrote with 11 groups):
        // 2,953,901 / 262,144 = 11 groups of 2,953,901 / 11 = 268,536 rows, the last
        // 2,953,901 − 10 × 268,536 = 268,541.
        let groups = row_groups(2_953_901);
        assert_eq!(groups.len(), 11);
        assert_eq!(groups[1], (268_536, 268_536));
        assert_eq!(groups[10], (2_685_360, 268_541));
        // Under 512² rows, one group; an empty table, one empty group (written as none).
        assert_eq!(row_groups(100), [(0, 100)]);
        assert_eq!(row_groups(0), [(0, 0)]);
    }

    #[test]
    fn a_table_in_chunks_is_written_as_in_one_chunk() {
        // 600,000 rows, 2 groups of 300,000: as chunks of 100,000 + 500,000 (neither on a
        // group's edge) and as one chunk, the same bytes.
        let n = 600_000usize;
        let frame = |from: usize, to: usize| {
            df!("k" => (from as i64..to as i64).collect::<Vec<_>>(),
                "s" => (from..to).map(|i| format!("row {}", i % 977)).collect::<Vec<_>>())
            .unwrap()
        };
        let mut chunked = frame(0, 100_000);
        chunked.vstack_mut(&frame(100_000, n)).unwrap();
        assert_eq!(chunked.first_col_n_chunks(), 2);
        let mut whole = frame(0, n);
        assert_eq!(whole.first_col_n_chunks(), 1);
        let (a, b) = (parquet_bytes(&mut chunked).unwrap(), parquet_bytes(&mut whole).unwrap());
        assert!(a == b, "{} and {} bytes", a.len(), b.len());
        // And as Polars writes the one chunk itself.
        let mut polars = Vec::new();
        ParquetWriter::new(&mut polars)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut frame(0, n))
            .unwrap();
        assert!(polars == b);
    }

    /// A fresh folder under the system's temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("biaslens-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn tables_writes_every_file_as_table_does_and_returns_the_first_error() {
        let small = df!("a" => [1i64, 2]).unwrap();
        let large = df!("b" => ["x"; 50], "c" => [0.5f64; 50]).unwrap();
        let (dir, want) = (scratch("queue"), scratch("one-by-one"));
        tables(&dir, &[("small", &small, Format::Both), ("large", &large, Format::Both)]).unwrap();
        for (name, df) in [("small", &small), ("large", &large)] {
            table(&want, name, &mut df.clone(), Format::Both).unwrap();
            for ext in ["csv", "parquet"] {
                let file = format!("{name}.{ext}");
                assert_eq!(
                    std::fs::read(dir.join(&file)).unwrap(),
                    std::fs::read(want.join(&file)).unwrap(),
                    "{file}"
                );
            }
        }
        // Only the formats asked for, table by table.
        let mixed = scratch("mixed");
        tables(&mixed, &[("small", &small, Format::Csv), ("large", &large, Format::Parquet)]).unwrap();
        assert!(mixed.join("small.csv").is_file() && !mixed.join("small.parquet").exists());
        assert!(mixed.join("large.parquet").is_file() && !mixed.join("large.csv").exists());
        // A folder that cannot be made (a file stands in its place) fails the write.
        let blocked = dir.join("small.csv").join("sub");
        let err = tables(&blocked, &[("small", &small, Format::Both), ("large", &large, Format::Both)])
            .unwrap_err();
        assert!(format!("{err:#}").contains("cannot create the folder"), "{err:#}");
        for d in [dir, want, mixed] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn the_lock_removes_what_killed_runs_left_and_only_that() {
        let dir = scratch("stale");
        let file = |rel: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        };
        // Left by killed runs: at the top, in a partition folder, in a report's charts.
        for stale in [
            ".stories.csv.tmp-24805",
            "articles/topic=a/year=2026/.part-0.parquet.tmp-7",
            "w/charts/.a.png.tmp-1",
        ] {
            file(stale);
        }
        // Not temporary files: a table, a name that only looks close, another run's folder.
        let kept = [
            "stories.csv",
            ".notes.tmp-x",
            "x.tmp-12",
            ".tmp-",
            "inner/.biaslens.lock",
            "inner/.t.csv.tmp-3",
        ];
        for k in kept {
            file(k);
        }
        let lock = lock(&dir).unwrap();
        let mut left: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want: Vec<String> =
            kept.iter().map(|k| k.to_string()).chain([LOCK_FILE.to_string()]).collect();
        want.sort();
        assert_eq!(left, want);
        drop(lock);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
