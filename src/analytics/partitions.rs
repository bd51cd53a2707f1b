//! The analysis folder in the partitioned layout (`analyze --partitioned`): every table as
//! hive partitions `<table>/topic=<t>/year=<y>/part-0.{parquet,csv}`, as extract's
//! partitioned tables, so Spark, DuckDB or Polars read a topic-year without the rest and a
//! run rewrites only the partitions of the topics it analysed again.
//!
//! The year a row is filed under is that of its story's first day for the story tables (a
//! story stays in one partition whatever years its articles span); else of its period's
//! first day, or of the row's own date when it has no period (a run of low share: its first
//! day; a highlight's grounding: its digest's date); else of its digest's date (items and
//! their support). Within a partition the rows keep the order of the single file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use super::base::{col as acol, Analysis, Table};
use crate::store::layout;
use crate::tables::col as c;
use crate::write::Format;

/// The partition column a row's year is filed under (in the folder names, not the files).
pub const YEAR: &str = "year";

/// The dates a row's year may come from, first present first.
const DATES: [&str; 4] = [acol::PERIOD_START, acol::START_DATE, c::DIGEST_DATE, acol::FIRST_DATE];

/// Years of the digests and of the stories, for the rows that carry neither a date nor a
/// period: a digest's rows (items, support) and a story's articles.
pub struct Years {
    /// `digest_id`, `year`.
    digests: DataFrame,
    /// `story_id`, `year`: the year of the story's first day.
    stories: DataFrame,
}

impl Years {
    /// From the extracted digests (`digest_id`, `digest_date`) and the analysis's stories.
    pub fn new(digests: LazyFrame, analysis: &Analysis) -> PolarsResult<Years> {
        let year = |date: &str| col(date).dt().year().alias(YEAR);
        let digests = digests.select([col(c::DIGEST_ID), year(c::DIGEST_DATE)]).collect()?;
        let stories = analysis.get(Table::Stories)?.clone().lazy();
        let stories = stories.select([col(acol::STORY_ID), year(acol::FIRST_DATE)]).collect()?;
        Ok(Years { digests, stories })
    }
}

/// `df` of `table` with the [`YEAR`] of each row, in the same row order.
pub fn with_year(table: Table, df: &DataFrame, years: &Years) -> PolarsResult<DataFrame> {
    let names: Vec<&str> = df.get_column_names().into_iter().map(|n| n.as_str()).collect();
    let dates: Vec<Expr> = DATES.iter().filter(|d| names.contains(d)).map(|d| col(*d)).collect();
    let out = if names.contains(&acol::STORY_ID) {
        match story_years(df.column(acol::STORY_ID)?.str()?) {
            Some(year) => df.hstack(&[year.with_name(YEAR.into()).into_column()])?,
            None => by_key(df, acol::STORY_ID, &years.stories)?,
        }
    } else if !dates.is_empty() {
        df.clone().lazy().with_column(coalesce(&dates).dt().year().alias(YEAR)).collect()?
    } else if names.contains(&c::DIGEST_ID) {
        by_key(df, c::DIGEST_ID, &years.digests)?
    } else if names.contains(&acol::PERIOD) {
        let year: Int32Chunked =
            df.column(acol::PERIOD)?.str()?.iter().map(|p| p.and_then(period_year)).collect();
        df.hstack(&[year.with_name(YEAR.into()).into_column()])?
    } else {
        polars_bail!(ComputeError: "the {table} table has no date, period, digest or story to file its rows by year")
    };
    let missing = out.column(YEAR)?.null_count();
    polars_ensure!(missing == 0, ComputeError: "{missing} rows of the {table} table have no year to be filed under");
    Ok(out)
}

/// The year of each story id, read from the id itself: a story's id is
/// `topic:first_date:n` (`stories::stories`), and its year is that of its first day, as
/// the stories table's `first_date` gives it. Reading it costs a look at each id instead of
/// a join of every row (`story_articles` has one per article) with the stories. `None` when
/// an id does not read so: the caller joins with the stories instead.
fn story_years(ids: &StringChunked) -> Option<Int32Chunked> {
    let years: Option<Vec<i32>> = ids
        .iter()
        .map(|id| {
            let mut parts = id?.rsplitn(3, ':');
            let (_seq, date, _topic) = (parts.next()?, parts.next()?, parts.next()?);
            let b = date.as_bytes();
            let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
            let plain = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && digits(0..4)
                && digits(5..7)
                && digits(8..10);
            plain.then(|| date[..4].parse::<i32>().ok()).flatten()
        })
        .collect();
    Some(Int32Chunked::from_vec(YEAR.into(), years?))
}

/// `df` with the year of its `key` in `years` (`key`, `year`), row order kept.
fn by_key(df: &DataFrame, key: &str, years: &DataFrame) -> PolarsResult<DataFrame> {
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    // One year per key, so the join never adds a row.
    let years = years.clone().lazy().unique_stable(Some(cols([key])), UniqueKeepStrategy::First);
    let out = df.clone().lazy().join(years, [col(key)], [col(key)], args).collect()?;
    polars_ensure!(out.height() == df.height(), ComputeError: "filing rows by {key} changed their number");
    Ok(out)
}

/// The year of a period label's first day: `2026-W01` (ISO week, which may begin in
/// December of the year before) or `2026-01`.
pub fn period_year(label: &str) -> Option<i32> {
    use chrono::Datelike;
    match label.split_once("-W") {
        Some((y, w)) => {
            let monday =
                chrono::NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
            Some(monday.year())
        }
        None => label.get(..4)?.parse().ok(),
    }
}

/// Per partition folder (`themes/topic=…/year=…`), the hash of its rows
/// ([`super::incremental::frame_hash`]).
pub type Hashes = BTreeMap<String, String>;

/// What an incremental run decides: the partitions of `topics` (the rows of the analysis
/// are theirs), and for the tables whose rows before a restart are the previous run's
/// ([`Table::kept_before_restart`]) only those of a topic in `first_years` from its year
/// on: the earlier ones hold the previous tables' rows, so they are neither hashed nor
/// written nor pruned.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub topics: &'a BTreeSet<String>,
    pub first_years: &'a BTreeMap<String, i32>,
}

impl Scope<'_> {
    /// The first year of `topic`'s partitions of `table` this run decides (none: all).
    fn first_year(&self, table: Table, topic: &str) -> Option<i32> {
        table.kept_before_restart().then(|| self.first_years.get(topic).copied()).flatten()
    }
}

/// Writes the tables of `analysis` as partitions under `dir`, each in the formats `formats`
/// gives it. With `scope`, only its partitions are rewritten ([`Scope`]), except for the
/// tables in `whole`, rewritten whole; without, every partition, and what no row is filed
/// under any more is removed. A partition whose rows hash as `previous` says they were when
/// written (its files untouched since, as the caller's state has checked) is left as it
/// is. Returns the hashes of every partition now in the folder.
pub fn write(
    dir: &Path,
    analysis: &Analysis,
    years: &Years,
    formats: impl Fn(Table) -> Format + Sync,
    scope: Option<Scope<'_>>,
    whole: &[Table],
    previous: &Hashes,
) -> anyhow::Result<Hashes> {
    use rayon::prelude::*;
    // The tables side by side: each one's partitions are its own folders and its own keys of
    // the hashes (`<table>/…`), and a daily run's are small, so one table at a time left a
    // core waiting on each table's serial steps.
    let tables = analysis
        .tables
        .par_iter()
        .map(|(table, df)| {
            let scope = scope.filter(|_| !whole.contains(table));
            write_table(dir, *table, df, years, formats(*table), scope, previous)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut hashes = previous.clone();
    for (decided, _) in &tables {
        hashes.retain(|k, _| {
            !decided.iter().any(|(prefix, first)| {
                k.strip_prefix(prefix.as_str()).is_some_and(|rest| match (first, year_of(rest)) {
                    (Some(first), Some(y)) => y >= *first,
                    _ => true,
                })
            })
        });
    }
    hashes.extend(tables.into_iter().flat_map(|(_, found)| found));
    Ok(hashes)
}

/// The partitions a run decides of a table, as prefixes of their keys, each with the first
/// year decided (none: every year).
type Decided = Vec<(String, Option<i32>)>;

/// Writes one table's partitions ([`write`]): returns the partitions it decided (as
/// prefixes of their keys, each with the first year decided) and the hashes of those it
/// found.
fn write_table(
    dir: &Path,
    table: Table,
    df: &DataFrame,
    years: &Years,
    format: Format,
    scope: Option<Scope<'_>>,
    previous: &Hashes,
) -> anyhow::Result<(Decided, Hashes)> {
    let name = table.name();
    // The partitions this run decides: the table's, or its topics' (from a first year).
    // Every key is `<table>/topic=…/year=…`, so a prefix ending in `/` is a folder.
    let decided: Decided = match scope {
        None => vec![(format!("{name}/"), None)],
        Some(scope) => scope
            .topics
            .iter()
            .map(|t| (format!("{name}/{}/", topic_dir(t)), scope.first_year(table, t)))
            .collect(),
    };
    let mut laps = crate::timing::Laps::new("partitions");
    let rows = from_first_years(with_year(table, df, years)?, table, scope)?;
    laps.lap(&format!("{name} filed by year"));
    let (mut written, found) = write_changed(dir, name, &rows, format, previous)?;
    drop(rows);
    laps.lap(&format!("{name}: {} files written or kept", written.len()));
    match scope {
        None => layout::prune_partitions(dir, name, &written)?,
        Some(scope) => {
            for topic in scope.topics {
                let folder = Path::new(name).join(topic_dir(topic));
                if let Some(first) = scope.first_year(table, topic) {
                    written.extend(earlier_files(&dir.join(&folder), first)?);
                }
                layout::prune_partitions(dir, &folder.to_string_lossy(), &written)?;
                remove_if_empty(&dir.join(&folder))?;
            }
        }
    }
    layout::settle_partitions(dir, name, &mut df.clear(), format)?;
    Ok((decided, found))
}

/// Writes the partitions (by topic and [`YEAR`]) of `rows` whose rows hash otherwise than
/// `previous` says (a partition's hash is [`super::incremental::frame_hash`] of its rows
/// without the key columns); returns every partition's files, written or left as they
/// were, and every partition's hash. The hashes are folded from each row's, so only the
/// partitions written are gathered: a run that changes a few of a table's hundreds of
/// partitions copies those few.
fn write_changed(
    dir: &Path,
    name: &str,
    rows: &DataFrame,
    format: Format,
    previous: &Hashes,
) -> anyhow::Result<(Vec<std::path::PathBuf>, Hashes)> {
    use rayon::prelude::*;
    // Each partition's rows, partitions in order of first row; topics come from the digests,
    // so they are looked up with std's seeded hashing.
    let (topics, years) = (rows.column(c::TOPIC)?.str()?, rows.column(YEAR)?.i32()?);
    let mut number: std::collections::HashMap<(Option<&str>, Option<i32>), usize> = Default::default();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut groups: Vec<Vec<IdxSize>> = Vec::new();
    for (i, key) in topics.iter().zip(years.iter()).enumerate() {
        let k = *number.entry(key).or_insert_with(|| {
            // A missing value is named as `AnyValue::Null` prints, as extract's partitions do.
            keys.push((
                key.0.unwrap_or("null").to_string(),
                key.1.map_or("null".to_string(), |y| y.to_string()),
            ));
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(i as IdxSize);
    }
    let body = rows.drop_many([c::TOPIC, YEAR]);
    let hashes = super::incremental::group_hashes(&body, &groups)?;
    let mut found = Hashes::new();
    let mut changed = Vec::new();
    let mut files = Vec::new();
    for ((topic, year), (group, hash)) in keys.iter().zip(groups.iter().zip(hashes)) {
        let pairs = [(c::TOPIC, topic.as_str()), (YEAR, year.as_str())];
        let folder = Path::new(name).join(layout::partition_dir(&pairs));
        let key = folder.to_string_lossy().replace('\\', "/");
        if previous.get(&key) == Some(&hash) {
            files.extend(
                format.extensions().iter().map(|ext| dir.join(&folder).join(format!("part-0.{ext}"))),
            );
        } else {
            changed.push((pairs, group));
        }
        found.insert(key, hash);
    }
    let written = changed
        .into_par_iter()
        .map(|(pairs, group)| -> anyhow::Result<Vec<std::path::PathBuf>> {
            // A partition whose rows are one run (a table sorted by topic and date) is a
            // slice, sharing the table's memory; only one in pieces is gathered.
            let run = group.last().is_some_and(|&l| (l - group[0]) as usize + 1 == group.len());
            let mut part = match run {
                true => body.slice(i64::from(group[0]), group.len()),
                false => body.take(&IdxCa::from_vec("rows".into(), group.clone()))?,
            };
            layout::partition(dir, name, &pairs, &mut part, format)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    files.extend(written.into_iter().flatten());
    Ok((files, found))
}

/// `rows` (with their [`YEAR`]) without those of a year before their topic's first year in
/// `scope` for `table`.
fn from_first_years(rows: DataFrame, table: Table, scope: Option<Scope<'_>>) -> PolarsResult<DataFrame> {
    let Some(scope) = scope.filter(|s| table.kept_before_restart() && !s.first_years.is_empty()) else {
        return Ok(rows);
    };
    let keep: BooleanChunked = rows
        .column(c::TOPIC)?
        .str()?
        .iter()
        .zip(rows.column(YEAR)?.i32()?.iter())
        .map(|(t, y)| match (t.and_then(|t| scope.first_year(table, t)), y) {
            (Some(first), Some(y)) => y >= first,
            _ => true,
        })
        .collect();
    rows.filter(&keep)
}

/// The files of a topic's partitions (`folder`, `topic=…`) of a year before `first`.
fn earlier_files(folder: &Path, first: i32) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    if !folder.is_dir() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if path.is_dir() && year_of(&name).is_some_and(|y| y < first) {
            for file in std::fs::read_dir(&path)? {
                out.push(file?.path());
            }
        }
    }
    Ok(out)
}

/// The year of a partition folder's name, `year=2026`.
fn year_of(folder: &str) -> Option<i32> {
    folder.strip_prefix(YEAR)?.strip_prefix('=')?.parse().ok()
}

/// A topic's folder name, `topic=<encoded>`.
fn topic_dir(topic: &str) -> String {
    layout::partition_dir(&[(c::TOPIC, topic)]).to_string_lossy().to_string()
}

fn remove_if_empty(folder: &Path) -> anyhow::Result<()> {
    if folder.is_dir() && std::fs::read_dir(folder)?.next().is_none() {
        std::fs::remove_dir(folder)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_is_filed_under_the_year_of_the_first_day_its_id_names() {
        let ids = StringChunked::new("story_id".into(), ["us-china:2031-12-30:2", "a:b:2032-01-01:11"]);
        let years: Vec<Option<i32>> = story_years(&ids).expect("plain ids").iter().collect();
        assert_eq!(years, [Some(2031), Some(2032)]);
        // An id not of that form (a date without its day) is left to the join.
        for odd in ["us-china:2031-12:2", "2031-12-30:2", "t:+12031-12-30:1", "t:2031-1x-30:1"] {
            assert!(story_years(&StringChunked::new("story_id".into(), [odd])).is_none(), "{odd}");
        }
    }

    #[test]
    fn a_period_is_filed_under_the_year_of_its_first_day() {
        // 2026-W01 begins on Monday 2025-12-29; 2027-W01 on Monday 2027-01-04.
        assert_eq!(period_year("2026-W01"), Some(2025));
        assert_eq!(period_year("2027-W01"), Some(2027));
        // 2026 has 53 ISO weeks (Thursday 2026-12-31 is in its 53rd), 2025 has 52.
        assert_eq!(period_year("2026-W53"), Some(2026));
        assert_eq!(period_year("2025-W53"), None);
        assert_eq!(period_year("2026-01"), Some(2026));
        assert_eq!(period_year("x"), None);
    }
}
