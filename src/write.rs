//! The one module that writes files: tables become CSV or Parquet bytes, and every file is
//! written atomically (temp file in the same folder, then rename), so an interrupted run
//! never leaves half a table behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::*;

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
/// dates, RFC 3339 UTC timestamps with `T` and `Z`, `true`/`false`, empty cell for missing.
pub fn csv_bytes(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .with_date_format(Some("%Y-%m-%d".into()))
        .with_datetime_format(Some("%Y-%m-%dT%H:%M:%S%.3fZ".into()))
        .with_null_value(String::new())
        .finish(df)?;
    Ok(buf)
}

/// Parquet with the table's own types (Date, Datetime UTC, Int64, Boolean, String).
pub fn parquet_bytes(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).with_compression(ParquetCompression::Zstd(None)).finish(df)?;
    Ok(buf)
}

/// Writes `bytes` to `path` atomically and durably (synced before the rename), creating
/// parent folders.
pub fn atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_via_temp(path, bytes, true)
}

/// Writes `bytes` to `path` atomically (temp file, then rename) without syncing: readers
/// never see half a file, but a power cut may lose it. For caches.
pub fn replace(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_via_temp(path, bytes, false)
}

fn write_via_temp(path: &Path, bytes: &[u8], sync: bool) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Writes one table as `<dir>/<name>.csv` and/or `.parquet`; returns the paths written.
pub fn table(dir: &Path, name: &str, df: &mut DataFrame, format: Format) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for ext in format.extensions() {
        let bytes = match *ext {
            "csv" => csv_bytes(df),
            _ => parquet_bytes(df),
        }
        .with_context(|| format!("cannot encode the {name} table as {ext}"))?;
        let path = dir.join(format!("{name}.{ext}"));
        atomic(&path, &bytes)?;
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

/// Writes a table as hive-style partitioned Parquet: `<dir>/<name>/<k1>=<v1>/<k2>=<v2>/part-0.parquet`,
/// one file per partition (atomic each), the key columns carried by the path rather than the
/// files, as Spark, DuckDB and Polars expect. Partitions of an earlier run that no longer
/// exist are removed, and so is a single-file `<name>.parquet`, so one layout stands.
pub fn partitioned(dir: &Path, name: &str, df: &DataFrame, keys: &[&str]) -> anyhow::Result<Vec<PathBuf>> {
    let root = dir.join(name);
    let mut written = Vec::new();
    let parts =
        if df.height() == 0 { Vec::new() } else { df.partition_by_stable(keys.iter().copied(), true)? };
    for part in parts {
        let mut rel = PathBuf::new();
        for k in keys {
            let v = part.column(k)?.get(0)?.str_value().to_string();
            rel.push(format!("{k}={v}"));
        }
        let mut part = part.drop_many(keys.iter().copied());
        let path = root.join(&rel).join("part-0.parquet");
        atomic(&path, &parquet_bytes(&mut part)?)?;
        written.push(path);
    }
    // Remove files of partitions this run did not write.
    if root.is_dir() {
        for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !written.iter().any(|w| w == entry.path()) {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    let single = dir.join(format!("{name}.parquet"));
    if single.exists() {
        std::fs::remove_file(&single).with_context(|| format!("cannot remove {}", single.display()))?;
    }
    Ok(written)
}
