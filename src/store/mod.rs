//! The tables folder, owned: one way to read any table (single file or hive partitions,
//! `problems` included), the one place tables are written (single or partitioned, merged
//! with the rows of shards not read again), and the state an extract run keeps beside them.

pub mod layout;
mod scan;
pub mod shard;
pub mod state;
mod tables;

use std::path::{Path, PathBuf};

use anyhow::Context;
use polars::prelude::{col, polars_err, DataFrame, DataType, LazyFrame, ParquetReader, PolarsResult};

use crate::problems::Problem;
use crate::tables::{col as c, name};

pub use layout::Layout;
pub use tables::{write_tables, Previous, PARTITIONED};

/// The extracted tables, as lazy scans or in-memory frames: what every analysis reads.
#[derive(Clone)]
pub struct Inputs {
    /// `digests`.
    pub digests: LazyFrame,
    /// `perspectives`.
    pub perspectives: LazyFrame,
    /// `articles`.
    pub articles: LazyFrame,
    /// `highlights`.
    pub highlights: LazyFrame,
    /// `summaries`.
    pub summaries: LazyFrame,
}

/// A folder of extracted tables, in either layout.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The tables folder at `dir` (it need not exist yet).
    pub fn open(dir: &Path) -> Self {
        Store { dir: dir.to_path_buf() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A table: `<dir>/<table>.parquet`, or the hive-partitioned
    /// `<dir>/<table>/topic=…/year=…/*.parquet` of `extract --partitioned`, whose columns are
    /// put back in contract order.
    pub fn scan(&self, table: &str) -> anyhow::Result<LazyFrame> {
        let path = self.dir.join(format!("{table}.parquet"));
        let parts = self.dir.join(table);
        if !path.is_file() && parts.is_dir() {
            return self.scan_files(table, self.files(table)?);
        }
        anyhow::ensure!(
            path.is_file(),
            "{} is missing; run `biaslens extract --out {}` first",
            path.display(),
            self.dir.display()
        );
        read_file(&path)
    }

    /// The partitions of a partitioned table whose topic and year `keep` takes (the year
    /// is `None` for a folder without one), as [`Store::scan`] reads them; `None` when no
    /// partition is taken.
    pub fn scan_partitions(
        &self,
        table: &str,
        keep: impl Fn(&str, Option<i32>) -> bool,
    ) -> anyhow::Result<Option<LazyFrame>> {
        let parts = self.dir.join(table);
        let files: Vec<PathBuf> = self
            .files(table)?
            .into_iter()
            .filter(|path| {
                let year = scan::folder_value(&parts, path, "year").and_then(|y| y.parse().ok());
                scan::folder_value(&parts, path, c::TOPIC)
                    .is_some_and(|t| keep(&biaslens_digest::names::decode(t), year))
            })
            .collect();
        if files.is_empty() {
            return Ok(None);
        }
        self.scan_files(table, files).map(Some)
    }

    /// Partition `files` of a table, with the `topic` of their folders, in contract order.
    fn scan_files(&self, table: &str, files: Vec<PathBuf>) -> anyhow::Result<LazyFrame> {
        let lf = scan::partitions(&self.dir.join(table), files)?;
        let fields = crate::schema::table(table).with_context(|| format!("no schema for {table}"))?.fields;
        Ok(lf.select(fields.iter().map(|f| col(f.name)).collect::<Vec<_>>()))
    }

    /// The tables analytics and exports read.
    pub fn inputs(&self) -> anyhow::Result<Inputs> {
        Ok(Inputs {
            digests: self.scan(name::DIGESTS)?,
            perspectives: self.scan(name::PERSPECTIVES)?,
            articles: self.scan(name::ARTICLES)?,
            highlights: self.scan(name::HIGHLIGHTS)?,
            summaries: self.scan(name::SUMMARIES)?,
        })
    }

    /// Every problem, as the problems table holds them.
    pub fn problems(&self) -> anyhow::Result<Vec<Problem>> {
        Ok(problems_of(&self.scan(name::PROBLEMS)?.collect()?)?)
    }

    /// The Parquet files that hold a table: `<table>.parquet`, or the partition files of
    /// `<table>/topic=…/year=…/` in path order (the partitioned layout).
    pub fn files(&self, table: &str) -> anyhow::Result<Vec<PathBuf>> {
        let single = self.dir.join(format!("{table}.parquet"));
        if single.is_file() || !self.dir.join(table).is_dir() {
            return Ok(vec![single]);
        }
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(self.dir.join(table)).sort_by_file_name() {
            let entry =
                entry.with_context(|| format!("cannot list the {table} table in {}", self.dir.display()))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "parquet") {
                files.push(entry.into_path());
            }
        }
        Ok(files)
    }

    /// Rows of one Parquet file of a table (from its footer).
    pub fn rows_in(path: &Path) -> anyhow::Result<usize> {
        use polars::prelude::SerReader;
        let read = || format!("cannot read {}", path.display());
        let file = std::fs::File::open(path).with_context(read)?;
        ParquetReader::new(file).num_rows().with_context(read)
    }
}

/// One Parquet file of a table as written: a partition file yields its own columns, not the
/// `topic` of its folder.
fn read_file(path: &Path) -> anyhow::Result<LazyFrame> {
    scan::file(path).with_context(|| format!("cannot read {}", path.display()))
}

/// One Parquet file, collected.
fn collect_file(path: &Path) -> anyhow::Result<DataFrame> {
    read_file(path)?.collect().with_context(|| format!("cannot read {}", path.display()))
}

/// Problems read back from the problems table (for the terminal, when nothing was parsed).
pub fn problems_of(df: &DataFrame) -> PolarsResult<Vec<Problem>> {
    use crate::problems::{kind, Severity};
    let s = |c: &str| crate::frames::strings(df, c);
    let (paths, severities, kinds, messages) =
        (s(c::SOURCE_PATH)?, s(c::SEVERITY)?, s(c::KIND)?, s(c::MESSAGE)?);
    let lines = df.column(c::LINE)?.cast(&DataType::Int64)?;
    let lines: Vec<Option<i64>> = lines.i64()?.iter().collect();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let severity = [Severity::Error, Severity::Warning, Severity::Notice]
            .into_iter()
            .find(|s| s.as_str() == severities[i])
            .ok_or_else(
                || polars_err!(ComputeError: "unknown severity {} in the problems table", severities[i]),
            )?;
        let kind = kind::ALL.iter().copied().find(|k| *k == kinds[i]).ok_or_else(
            || polars_err!(ComputeError: "unknown problem kind {} in the problems table", kinds[i]),
        )?;
        let line = lines[i].map(|l| l as u32);
        out.push(Problem::new(&paths[i], line, severity, kind, messages[i].as_str()));
    }
    Ok(out)
}
