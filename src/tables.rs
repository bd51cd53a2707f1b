//! Tables: the digest model → the five extracted DataFrames of `spec/tables.md`.
//!
//! Column names are the public contract researchers cite; they live in [`col`] and nowhere
//! else. Columns beyond the contract (`source_line`, `side_method`, …) are added at the end.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use polars::prelude::*;
use rayon::prelude::*;

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
    pub const LANGUAGE_METHOD: &str = "language_method";
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
pub const REVISION: u32 = 5;

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
    Column::new(name.into(), values).cast(&DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC)))
}

fn u32_col(name: &str, values: Vec<u32>) -> Column {
    // Counts are written as 64-bit integers: every reader (R, Excel via DuckDB) handles them.
    Column::new(name.into(), values.into_iter().map(i64::from).collect::<Vec<_>>())
}

/// A string column in which a value repeated on many rows is stored once, every row a view
/// of that one copy (Arrow string views allow it; readers and writers see plain strings).
/// For the digest id and topic every row of a digest repeats, and for outlets (what it
/// saves: BENCHMARKS.md, "Figures behind the code").
fn shared_strings<'a>(name: &str, values: impl ExactSizeIterator<Item = &'a str>) -> Column {
    use polars_arrow::array::{MutableBinaryViewArray, View};
    let mut array = MutableBinaryViewArray::<str>::with_capacity(values.len());
    // Each distinct value's view, by its number: rows of a digest repeat its id and topic,
    // which the numbering settles by one comparison instead of a hash lookup.
    let mut numbering = crate::fxhash::Numbering::default();
    let mut views: Vec<View> = Vec::new();
    let mut bytes = 0;
    for value in values {
        let (k, first) = numbering.number(value);
        if first {
            views.push(array.push_value_into_buffer(value.as_bytes()));
        }
        let view = views[k as usize];
        // SAFETY: `view` was made by this array for `value`'s bytes, in its own buffers.
        unsafe { array.views_mut().push(view) };
        bytes += value.len();
    }
    // SAFETY: the total length of the values the views point at, counted above.
    unsafe { array.set_total_bytes_len(bytes) };
    StringChunked::with_chunk(name.into(), array.freeze()).into_column()
}

/// The three columns every child table starts with.
fn keys<T>(rows: &[(&Digest, T)]) -> PolarsResult<Vec<Column>> {
    Ok(vec![
        shared_strings(col::DIGEST_ID, rows.iter().map(|(d, _)| d.digest_id.as_str())),
        shared_strings(col::TOPIC, rows.iter().map(|(d, _)| d.topic.as_str())),
        date_col(col::DIGEST_DATE, rows.iter().map(|(d, _)| Some(days(d.digest_date))).collect())?,
    ])
}

/// The `digests` table.
pub fn digests(ds: &[Digest]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&Digest) -> &str| ds.iter().map(f).collect::<Vec<_>>();
    let b = |f: fn(&Digest) -> bool| ds.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
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
    DataFrame::new_infer_height(cols)
}

/// One value per item, for building a column.
fn map<'a, T, U>(items: &[&'a T], f: impl Fn(&'a T) -> U) -> Vec<U> {
    items.iter().map(|&x| f(x)).collect()
}

/// Each article's outlet in the registry, every distinct spelling looked up once (a lookup
/// normalises its key, and corpora repeat a few hundred names millions of times).
fn outlets_of<'a>(arts: &[&'a Article], registry: &'a Registry) -> Vec<Option<&'a crate::outlets::Outlet>> {
    let mut memo: crate::fxhash::FxMap<&str, Option<&crate::outlets::Outlet>> = Default::default();
    arts.iter().map(|a| *memo.entry(a.outlet.as_str()).or_insert_with(|| registry.get(&a.outlet))).collect()
}

/// The `articles` table, with registry columns for ownership and country.
pub fn articles<'a>(ds: &'a [Digest], registry: &'a Registry) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = ds.iter().flat_map(|d| d.articles.iter().map(move |a| (d, a))).collect();
    let arts: Vec<&Article> = rows.iter().map(|(_, a)| *a).collect();
    let known = outlets_of(&arts, registry);
    let mut cols = keys(&rows)?;
    cols.extend([
        u32_col(col::POSITION, map(&arts, |a| a.position)),
        Column::new(col::PERSPECTIVE_ID.into(), map(&arts, |a| a.perspective_id.as_deref())),
        shared_strings(col::OUTLET, arts.iter().map(|a| a.outlet.as_str())),
        shared_strings(col::OUTLET_ID, arts.iter().map(|a| a.outlet_id.as_str())),
        Column::new(col::LANGUAGE.into(), map(&arts, |a| a.language.as_deref())),
        Column::new(col::TITLE.into(), map(&arts, |a| a.title.as_str())),
        Column::new(col::URL.into(), map(&arts, |a| a.url.as_str())),
        date_col(col::PUBLISHED_DATE, map(&arts, |a| a.published_date.map(days)))?,
        u32_col(col::SOURCE_LINE, map(&arts, |a| a.line)),
        shared_strings(col::SIDE_METHOD, arts.iter().map(|a| a.side_method.as_str())),
        Column::new(
            col::OWNERSHIP.into(),
            known.iter().map(|o| o.map(|o| o.ownership.as_str())).collect::<Vec<_>>(),
        ),
        Column::new(
            col::OUTLET_COUNTRY.into(),
            known.iter().map(|o| o.map(|o| o.country.as_str())).collect::<Vec<_>>(),
        ),
        Column::new(col::FEED.into(), map(&arts, |a| a.feed.as_deref())),
        shared_strings(col::LANGUAGE_METHOD, arts.iter().map(|a| a.language_method.as_str())),
    ]);
    DataFrame::new_infer_height(cols)
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
    DataFrame::new_infer_height(cols)
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
    DataFrame::new_infer_height(cols)
}

/// The `problems` table.
pub fn problems(ps: &[Problem]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new(col::SOURCE_PATH.into(), ps.iter().map(|p| p.source_path.as_str()).collect::<Vec<_>>()),
        Column::new(col::LINE.into(), ps.iter().map(|p| p.line.map(i64::from)).collect::<Vec<_>>()),
        Column::new(col::SEVERITY.into(), ps.iter().map(|p| p.severity.as_str()).collect::<Vec<_>>()),
        Column::new(col::KIND.into(), ps.iter().map(|p| p.kind).collect::<Vec<_>>()),
        Column::new(col::MESSAGE.into(), ps.iter().map(|p| p.message.as_str()).collect::<Vec<_>>()),
    ])
}

/// Digests per chunk when the tables are built: each chunk's parsed rows are freed as soon
/// as its columns exist; smaller chunks cost more in joining the pieces than they save
/// (BENCHMARKS.md, "Figures behind the code").
const CHUNK: usize = 8192;

/// All extracted tables of some digests and their problems.
///
/// The digests are taken by value and turned into columns a chunk at a time, in parallel;
/// each chunk's parsed rows are dropped as soon as its columns exist, so the parsed corpus
/// and the tables are never both held whole (at 100,000 digests each is large). The
/// chunks' frames are then stacked, each column keeping its chunks: the writers give a
/// table the same bytes whatever its chunks (`write::parquet_to` cuts row groups as for one
/// chunk), so copying them into one first would only cost time and memory.
pub fn extracted(ds: Vec<Digest>, problem_rows: &[Problem], registry: &Registry) -> PolarsResult<Extracted> {
    extracted_in_chunks(ds, problem_rows, registry, CHUNK)
}

/// [`extracted`] with `chunk` digests a chunk (at least one); the tables are the same
/// whatever `chunk` is, which the tests check.
pub fn extracted_in_chunks(
    ds: Vec<Digest>,
    problem_rows: &[Problem],
    registry: &Registry,
    chunk: usize,
) -> PolarsResult<Extracted> {
    let chunk = chunk.max(1);
    let mut chunks = Vec::with_capacity(ds.len().div_ceil(chunk));
    let mut rest = ds.into_iter();
    loop {
        let chunk: Vec<Digest> = rest.by_ref().take(chunk).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let build = |chunk: Vec<Digest>| -> PolarsResult<[DataFrame; 5]> {
        Ok([
            digests(&chunk)?,
            perspectives(&chunk)?,
            articles(&chunk, registry)?,
            highlights(&chunk)?,
            summaries(&chunk)?,
        ])
    };
    let (parts, pr) = rayon::join(
        || chunks.into_par_iter().map(build).collect::<PolarsResult<Vec<_>>>(),
        || problems(problem_rows),
    );
    let parts = match parts? {
        parts if parts.is_empty() => vec![build(Vec::new())?],
        parts => parts,
    };
    // Per table, the chunks' frames, first chunk first.
    let mut by_table: [Vec<DataFrame>; 5] = Default::default();
    for frames in parts {
        for (table, frame) in by_table.iter_mut().zip(frames) {
            table.push(frame);
        }
    }
    let [d, p, a, h, s] = by_table.map(joined);
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

/// Frames of one schema stacked into one frame, column by column, each column's chunks
/// kept as they are (no copy).
fn joined(frames: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut parts: Vec<Vec<Column>> = frames.into_iter().map(DataFrame::into_columns).collect();
    let width = parts.first().map_or(0, Vec::len);
    let mut columns = Vec::with_capacity(width);
    for i in 0..width {
        let mut pieces = parts.iter_mut().map(|p| {
            let c = &mut p[i];
            let empty = Column::new_empty(c.name().clone(), c.dtype());
            std::mem::replace(c, empty)
        });
        let mut column = pieces.next().expect("at least one frame");
        for piece in pieces {
            column.append_owned(piece)?;
        }
        columns.push(column);
    }
    DataFrame::new_infer_height(columns)
}
