//! Tables: the digest model → the five extracted DataFrames of `spec/tables.md`.
//!
//! Column names are the public contract researchers cite; they live in [`col`] and nowhere
//! else. Columns beyond the contract (`source_line`, `side_method`, …) are added at the end.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use polars::prelude::*;

use crate::extract::Corpus;
use crate::model::{Article, Digest};
use crate::outlets::Registry;
use crate::problems::Problem;

/// Column names, one constant each.
pub mod col {
    pub const DIGEST_ID: &str = "digest_id";
    pub const SOURCE_PATH: &str = "source_path";
    pub const TOPIC: &str = "topic";
    pub const TOPIC_NAME: &str = "topic_name";
    pub const TITLE: &str = "title";
    pub const PUBLISHED_AT: &str = "published_at";
    pub const DIGEST_DATE: &str = "digest_date";
    pub const ISO_WEEK: &str = "iso_week";
    pub const DRAFT: &str = "draft";
    pub const SUPERSEDED: &str = "superseded";
    pub const ARTICLE_COUNT_DECLARED: &str = "article_count_declared";
    pub const ARTICLE_COUNT_LISTED: &str = "article_count_listed";
    pub const HIGHLIGHT_COUNT: &str = "highlight_count";
    pub const PERSPECTIVE_ID: &str = "perspective_id";
    pub const PERSPECTIVE_NAME: &str = "perspective_name";
    pub const PERSPECTIVE_ORDER: &str = "perspective_order";
    pub const DECLARED_COUNT: &str = "declared_count";
    pub const LISTED_COUNT: &str = "listed_count";
    pub const POSITION: &str = "position";
    pub const OUTLET: &str = "outlet";
    pub const OUTLET_ID: &str = "outlet_id";
    pub const LANGUAGE: &str = "language";
    pub const URL: &str = "url";
    pub const PUBLISHED_DATE: &str = "published_date";
    pub const SECTION: &str = "section";
    pub const TEXT: &str = "text";
    pub const LINE: &str = "line";
    pub const SEVERITY: &str = "severity";
    pub const KIND: &str = "kind";
    pub const MESSAGE: &str = "message";
    // Added beyond the contract, for traceability.
    pub const SOURCE_LINE: &str = "source_line";
    pub const SIDE_METHOD: &str = "side_method";
    pub const OWNERSHIP: &str = "ownership";
    pub const OUTLET_COUNTRY: &str = "outlet_country";
    pub const DEPTH: &str = "depth";
    pub const FEED: &str = "feed";
    pub const LAYOUT: &str = "layout";
}

/// Table names, which are also the file stems.
pub mod name {
    pub const DIGESTS: &str = "digests";
    pub const PERSPECTIVES: &str = "perspectives";
    pub const ARTICLES: &str = "articles";
    pub const HIGHLIGHTS: &str = "highlights";
    pub const SUMMARIES: &str = "summaries";
    pub const PROBLEMS: &str = "problems";
    /// Every extracted table.
    pub const ALL: [&str; 6] = [DIGESTS, PERSPECTIVES, ARTICLES, HIGHLIGHTS, SUMMARIES, PROBLEMS];
}

/// Bumped whenever extract's output for the same input changes (a column, a rule, a problem
/// kind): tables written by another revision are rebuilt, never merged with new rows.
pub const REVISION: u32 = 3;

/// The extracted tables, in the order they are written.
pub struct Extracted {
    /// `(name, table)` pairs.
    pub tables: Vec<(&'static str, DataFrame)>,
}

/// ISO week label of a date, `2026-W04`.
pub fn iso_week(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn date_col(name: &str, values: Vec<Option<i32>>) -> PolarsResult<Column> {
    Column::new(name.into(), values).cast(&DataType::Date)
}

fn datetime_col(name: &str, values: Vec<i64>) -> PolarsResult<Column> {
    Column::new(name.into(), values).cast(&DataType::Datetime(TimeUnit::Milliseconds, Some("UTC".into())))
}

fn u32_col(name: &str, values: Vec<u32>) -> Column {
    // Counts are written as 64-bit integers: every reader (R, Excel via DuckDB) handles them.
    Column::new(name.into(), values.into_iter().map(i64::from).collect::<Vec<_>>())
}

/// The three columns every child table starts with.
fn keys<T>(rows: &[(&Digest, T)]) -> PolarsResult<Vec<Column>> {
    Ok(vec![
        Column::new(
            col::DIGEST_ID.into(),
            rows.iter().map(|(d, _)| d.digest_id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(col::TOPIC.into(), rows.iter().map(|(d, _)| d.topic.as_str()).collect::<Vec<_>>()),
        date_col(col::DIGEST_DATE, rows.iter().map(|(d, _)| Some(days(d.digest_date))).collect())?,
    ])
}

/// The `digests` table.
pub fn digests(ds: &[Digest]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&Digest) -> &str| ds.iter().map(f).collect::<Vec<_>>();
    let b = |f: fn(&Digest) -> bool| ds.iter().map(f).collect::<Vec<_>>();
    DataFrame::new(vec![
        Column::new(col::DIGEST_ID.into(), s(|d| &d.digest_id)),
        Column::new(col::SOURCE_PATH.into(), s(|d| &d.source_path)),
        Column::new(col::TOPIC.into(), s(|d| &d.topic)),
        Column::new(col::TOPIC_NAME.into(), s(|d| &d.topic_name)),
        Column::new(col::TITLE.into(), s(|d| &d.title)),
        datetime_col(col::PUBLISHED_AT, ds.iter().map(|d| millis(d.published_at)).collect())?,
        date_col(col::DIGEST_DATE, ds.iter().map(|d| Some(days(d.digest_date))).collect())?,
        Column::new(col::ISO_WEEK.into(), ds.iter().map(|d| iso_week(d.digest_date)).collect::<Vec<_>>()),
        Column::new(col::DRAFT.into(), b(|d| d.draft)),
        Column::new(col::SUPERSEDED.into(), b(|d| d.superseded)),
        u32_col(col::ARTICLE_COUNT_DECLARED, ds.iter().map(|d| d.article_count_declared).collect()),
        u32_col(col::ARTICLE_COUNT_LISTED, ds.iter().map(|d| d.articles.len() as u32).collect()),
        u32_col(col::HIGHLIGHT_COUNT, ds.iter().map(|d| d.highlights.len() as u32).collect()),
        Column::new(col::LAYOUT.into(), ds.iter().map(|d| d.layout.as_str()).collect::<Vec<_>>()),
    ])
}

/// The `perspectives` table.
pub fn perspectives(ds: &[Digest]) -> PolarsResult<DataFrame> {
    let rows: Vec<_> =
        ds.iter().flat_map(|d| d.perspectives.iter().enumerate().map(move |(i, p)| (d, (i, p)))).collect();
    let mut cols = keys(&rows)?;
    cols.extend([
        Column::new(
            col::PERSPECTIVE_ID.into(),
            rows.iter().map(|(_, (_, p))| p.id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            col::PERSPECTIVE_NAME.into(),
            rows.iter().map(|(_, (_, p))| p.name.as_str()).collect::<Vec<_>>(),
        ),
        u32_col(col::PERSPECTIVE_ORDER, rows.iter().map(|(_, (i, _))| *i as u32 + 1).collect()),
        u32_col(col::DECLARED_COUNT, rows.iter().map(|(_, (_, p))| p.declared_count).collect()),
        u32_col(
            col::LISTED_COUNT,
            rows.iter()
                .map(|(d, (_, p))| {
                    d.articles.iter().filter(|a| a.perspective_id.as_deref() == Some(p.id.as_str())).count()
                        as u32
                })
                .collect(),
        ),
    ]);
    DataFrame::new(cols)
}

/// One value per item, for building a column.
fn map<'a, T, U>(items: &[&'a T], f: impl Fn(&'a T) -> U) -> Vec<U> {
    items.iter().map(|&x| f(x)).collect()
}

/// The `articles` table, with registry columns for ownership and country.
pub fn articles<'a>(ds: &'a [Digest], registry: &'a Registry) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = ds.iter().flat_map(|d| d.articles.iter().map(move |a| (d, a))).collect();
    let arts: Vec<&Article> = rows.iter().map(|(_, a)| *a).collect();
    let known = registry.memo(arts.iter().map(|a| a.outlet.as_str()));
    let mut cols = keys(&rows)?;
    cols.extend([
        u32_col(col::POSITION, map(&arts, |a| a.position)),
        Column::new(col::PERSPECTIVE_ID.into(), map(&arts, |a| a.perspective_id.as_deref())),
        Column::new(col::OUTLET.into(), map(&arts, |a| a.outlet.as_str())),
        Column::new(col::OUTLET_ID.into(), map(&arts, |a| a.outlet_id.as_str())),
        Column::new(col::LANGUAGE.into(), map(&arts, |a| a.language.as_deref())),
        Column::new(col::TITLE.into(), map(&arts, |a| a.title.as_str())),
        Column::new(col::URL.into(), map(&arts, |a| a.url.as_str())),
        date_col(col::PUBLISHED_DATE, map(&arts, |a| a.published_date.map(days)))?,
        u32_col(col::SOURCE_LINE, map(&arts, |a| a.line)),
        Column::new(col::SIDE_METHOD.into(), map(&arts, |a| a.side_method.as_str())),
        Column::new(
            col::OWNERSHIP.into(),
            map(&arts, |a| known[a.outlet.as_str()].map(|o| o.ownership.as_str())),
        ),
        Column::new(
            col::OUTLET_COUNTRY.into(),
            map(&arts, |a| known[a.outlet.as_str()].map(|o| o.country.as_str())),
        ),
        Column::new(col::FEED.into(), map(&arts, |a| a.feed.as_deref())),
    ]);
    DataFrame::new(cols)
}

/// The `highlights` table.
pub fn highlights(ds: &[Digest]) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = ds.iter().flat_map(|d| d.highlights.iter().map(move |h| (d, h))).collect();
    let mut cols = keys(&rows)?;
    cols.extend([
        Column::new(col::SECTION.into(), rows.iter().map(|(_, h)| h.section.as_str()).collect::<Vec<_>>()),
        u32_col(col::POSITION, rows.iter().map(|(_, h)| h.position).collect()),
        Column::new(col::TEXT.into(), rows.iter().map(|(_, h)| h.text.as_str()).collect::<Vec<_>>()),
        u32_col(col::SOURCE_LINE, rows.iter().map(|(_, h)| h.line).collect()),
        u32_col(col::DEPTH, rows.iter().map(|(_, h)| h.depth).collect()),
    ]);
    DataFrame::new(cols)
}

/// The `summaries` table: prose paragraphs (the older layout's summaries).
pub fn summaries(ds: &[Digest]) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = ds.iter().flat_map(|d| d.summaries.iter().map(move |p| (d, p))).collect();
    let mut cols = keys(&rows)?;
    cols.extend([
        Column::new(col::SECTION.into(), rows.iter().map(|(_, p)| p.section.as_str()).collect::<Vec<_>>()),
        u32_col(col::POSITION, rows.iter().map(|(_, p)| p.position).collect()),
        Column::new(col::TEXT.into(), rows.iter().map(|(_, p)| p.text.as_str()).collect::<Vec<_>>()),
        u32_col(col::SOURCE_LINE, rows.iter().map(|(_, p)| p.line).collect()),
    ]);
    DataFrame::new(cols)
}

/// The `problems` table.
pub fn problems(ps: &[Problem]) -> PolarsResult<DataFrame> {
    DataFrame::new(vec![
        Column::new(col::SOURCE_PATH.into(), ps.iter().map(|p| p.source_path.as_str()).collect::<Vec<_>>()),
        Column::new(col::LINE.into(), ps.iter().map(|p| p.line.map(i64::from)).collect::<Vec<_>>()),
        Column::new(col::SEVERITY.into(), ps.iter().map(|p| p.severity.as_str()).collect::<Vec<_>>()),
        Column::new(col::KIND.into(), ps.iter().map(|p| p.kind).collect::<Vec<_>>()),
        Column::new(col::MESSAGE.into(), ps.iter().map(|p| p.message.as_str()).collect::<Vec<_>>()),
    ])
}

/// All extracted tables of a corpus, built in parallel (articles and highlights dominate).
pub fn extracted(corpus: &Corpus, registry: &Registry) -> PolarsResult<Extracted> {
    let ds = &corpus.digests;
    let ((a, h), ((d, p), (s, pr))) = rayon::join(
        || rayon::join(|| articles(ds, registry), || highlights(ds)),
        || {
            rayon::join(
                || rayon::join(|| digests(ds), || perspectives(ds)),
                || rayon::join(|| summaries(ds), || problems(&corpus.problems)),
            )
        },
    );
    Ok(Extracted {
        tables: vec![
            (name::DIGESTS, d?),
            (name::PERSPECTIVES, p?),
            (name::ARTICLES, a?),
            (name::HIGHLIGHTS, h?),
            (name::SUMMARIES, s?),
            (name::PROBLEMS, pr?),
        ],
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
    shards: &std::collections::BTreeSet<crate::extract::cache::Shard>,
) -> PolarsResult<DataFrame> {
    let read: std::collections::HashSet<(&str, i32)> =
        shards.iter().flatten().map(|(t, y, m)| (t.as_str(), y * 100 + *m as i32)).collect();
    let previous = with_month(previous)?;
    let keep: BooleanChunked = previous
        .column(col::TOPIC)?
        .str()?
        .into_iter()
        .zip(previous.column(MONTH)?.i32()?)
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
    paths: &std::collections::HashSet<String>,
) -> PolarsResult<DataFrame> {
    let walk = crate::extract::WALK_KINDS;
    let keep: BooleanChunked = previous
        .column(col::SOURCE_PATH)?
        .str()?
        .into_iter()
        .zip(previous.column(col::KIND)?.str()?)
        .map(|(p, k)| !paths.contains(p.unwrap_or_default()) && !walk.contains(&k.unwrap_or_default()))
        .collect();
    let mut all = previous.filter(&keep)?;
    all.vstack_mut(&fresh)?;
    all.sort([col::SOURCE_PATH, col::LINE], SortMultipleOptions::default().with_maintain_order(true))
}

/// Problems read back from the problems table (for the terminal, when nothing was parsed).
pub fn problems_of(df: &DataFrame) -> PolarsResult<Vec<Problem>> {
    use crate::problems::{kind, Severity};
    let s = |c: &str| crate::frames::strings(df, c);
    let (paths, severities, kinds, messages) =
        (s(col::SOURCE_PATH)?, s(col::SEVERITY)?, s(col::KIND)?, s(col::MESSAGE)?);
    let lines = df.column(col::LINE)?.cast(&DataType::Int64)?;
    let lines: Vec<Option<i64>> = lines.i64()?.into_iter().collect();
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

/// One Parquet file of a table as written: a partition file yields its own columns, not the
/// `topic` and `year` Polars would otherwise add from its hive path.
pub fn scan_file(path: &std::path::Path) -> PolarsResult<LazyFrame> {
    let args = ScanArgsParquet {
        hive_options: polars::io::HiveOptions { enabled: Some(false), ..Default::default() },
        ..ScanArgsParquet::default()
    };
    LazyFrame::scan_parquet(path, args)
}

/// The Parquet files that hold a table under `dir`: `<table>.parquet`, or the partition
/// files of `<table>/topic=…/year=…/` in path order (the partitioned layout).
pub fn parquet_files(dir: &std::path::Path, table: &str) -> std::io::Result<Vec<std::path::PathBuf>> {
    let single = dir.join(format!("{table}.parquet"));
    if single.is_file() || !dir.join(table).is_dir() {
        return Ok(vec![single]);
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir.join(table)).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "parquet") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}
