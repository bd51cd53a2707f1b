//! Parquet read as a lazy scan without Polars' streaming engine.
//!
//! `LazyFrame::scan_parquet` runs on the streaming engine, and the crate that holds it always
//! builds Polars' cloud file cache, with an HTTP client and TLS behind it: a third of the
//! dependency graph, for a batch job that only ever reads local files. This scan reads the
//! files with `ParquetReader` (eager, column-parallel) behind Polars' anonymous-scan hook, so
//! plans still push their projection into it: a query that needs three columns of a table
//! reads three columns.

use std::any::Any;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use rayon::prelude::*;

/// The files of one table, with the `topic` a hive-partitioned file takes from its folder.
struct ParquetFiles {
    files: Vec<(PathBuf, Option<PlSmallStr>)>,
    schema: SchemaRef,
}

/// A lazy frame over one Parquet file.
pub(super) fn file(path: &Path) -> PolarsResult<LazyFrame> {
    scan(vec![(path.to_path_buf(), None)], None)
}

/// A lazy frame over the partition files `files` of a table under `dir`
/// (`<dir>/topic=…/year=…/*.parquet`, as [`super::Store::files`] lists them), with the
/// `topic` of each file's folder as a column; `year` is the folder's only, not the table's.
pub(super) fn partitions(dir: &Path, files: Vec<PathBuf>) -> anyhow::Result<LazyFrame> {
    let mut with_topics = Vec::with_capacity(files.len());
    for path in files {
        let topic = folder_value(dir, &path, crate::tables::col::TOPIC)
            .map(|v| PlSmallStr::from(biaslens_digest::names::decode(v)));
        anyhow::ensure!(
            topic.is_some(),
            "{} is not in a topic=… folder of the partitioned layout",
            path.display()
        );
        with_topics.push((path, topic));
    }
    anyhow::ensure!(!with_topics.is_empty(), "{} holds no Parquet files", dir.display());
    Ok(scan(with_topics, Some(c_topic()))?)
}

/// The value of `key` in the folders of partition file `path` under `dir` (`topic` of
/// `<dir>/topic=…/year=…/part-0.parquet`), as the folder name has it (encoded).
pub(super) fn folder_value<'p>(dir: &Path, path: &'p Path, key: &str) -> Option<&'p str> {
    let rel = path.strip_prefix(dir).ok()?;
    rel.components().find_map(|c| c.as_os_str().to_str()?.strip_prefix(key)?.strip_prefix('='))
}

fn c_topic() -> PlSmallStr {
    PlSmallStr::from_static(crate::tables::col::TOPIC)
}

fn scan(files: Vec<(PathBuf, Option<PlSmallStr>)>, hive: Option<PlSmallStr>) -> PolarsResult<LazyFrame> {
    let first = &files[0].0;
    let arrow = ParquetReader::new(open(first)?).schema()?;
    let mut schema = Schema::from_arrow_schema(&arrow);
    if let Some(topic) = hive {
        schema.insert_at_index(0, topic, DataType::String)?;
    }
    let function = Arc::new(ParquetFiles { files, schema: Arc::new(schema) });
    LazyFrame::anonymous_scan(function, Default::default())
}

fn open(path: &Path) -> PolarsResult<File> {
    File::open(path).map_err(|e| polars_err!(ComputeError: "cannot read {}: {e}", path.display()))
}

impl ParquetFiles {
    /// One file, with the columns asked for, in the order asked.
    fn read(
        &self,
        path: &Path,
        topic: Option<&PlSmallStr>,
        columns: &[PlSmallStr],
    ) -> PolarsResult<DataFrame> {
        let stored: Vec<String> = columns
            .iter()
            .filter(|c| topic.is_none() || c.as_str() != crate::tables::col::TOPIC)
            .map(|c| c.to_string())
            .collect();
        let mut df = ParquetReader::new(open(path)?).with_columns(Some(stored)).finish()?;
        if let Some(topic) = topic.filter(|_| columns.iter().any(|c| c == crate::tables::col::TOPIC)) {
            let value = Scalar::new(DataType::String, AnyValue::StringOwned(topic.clone()));
            df.with_column(Column::new_scalar(c_topic(), value, df.height()))?;
        }
        df.select(columns.iter().cloned())
    }
}

impl AnonymousScan for ParquetFiles {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn schema(&self, _infer_schema_length: Option<usize>) -> PolarsResult<SchemaRef> {
        Ok(self.schema.clone())
    }

    fn allows_projection_pushdown(&self) -> bool {
        true
    }

    fn scan(&self, args: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        let columns: Vec<PlSmallStr> = match &args.with_columns {
            Some(cols) => cols.to_vec(),
            None => self.schema.iter_names_cloned().collect(),
        };
        let frames: Vec<DataFrame> = if self.files.len() == 1 {
            let (path, topic) = &self.files[0];
            vec![self.read(path, topic.as_ref(), &columns)?]
        } else {
            // In the pool `main` runs everything in: Polars' own.
            self.files
                .par_iter()
                .map(|(path, topic)| self.read(path, topic.as_ref(), &columns))
                .collect::<PolarsResult<_>>()?
        };
        let df = polars_core::utils::accumulate_dataframes_vertical(frames)?;
        Ok(match args.n_rows {
            Some(n) => df.head(Some(n)),
            None => df,
        })
    }
}
