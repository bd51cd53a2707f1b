//! Incremental analysis: a run recomputes only the topics whose input rows changed since the
//! analysis in the output folder was written, and keeps every other topic's rows from the
//! tables already there.
//!
//! Why topics: every analysis table is computed topic by topic (shares, themes, trends,
//! runs of low share, stories and their IDF weights), so a topic's rows depend on its own
//! digests only. Most tables read no earlier period and no later month (grounding's rarity
//! counts the trailing months), so they are made from a changed topic's first changed month
//! on ([`first_changed_months`], from the per-month fingerprints), its earlier rows kept
//! ([`super::restart`]). Two things are corpus-wide, and both are computed whole on every run:
//! the side names titles are matched against (from every topic's perspectives) and the
//! latest periods `emerging_terms` lists (those of the whole data; only those periods'
//! items are read).
//!
//! What a run remembers, in [`STATE`] next to the tables: the biaslens version and a hash of
//! its build's sources and built-in data ([`version`]), a hash of
//! the settings (options, lexicon text, formats), a fingerprint per topic of every input
//! row the analysis reads, and the size and mtime of every table file it wrote. Any
//! difference in version or settings, a table file touched or lost, or no Parquet to read
//! the kept rows from, and the run is a full one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::base::{one_of, table};
use super::restart::DigestDates;
use crate::fxhash::{mix, mix_bytes};
use crate::tables::col as c;
use crate::write::Format;

/// File name of the state, inside the analysis folder.
pub const STATE: &str = ".biaslens-analysis.json";

/// What an analysis run leaves for the next one.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// biaslens version that wrote it.
    pub version: String,
    /// SHA-256 of the settings (see [`settings_key`]).
    pub settings: String,
    /// Per topic, the fingerprint of its input rows (16 hex digits).
    pub topics: BTreeMap<String, String>,
    /// Per table file written (path in the folder): size and mtime in nanoseconds.
    pub outputs: BTreeMap<String, (u64, u128)>,
    /// The tables were written as partitions (`analyze --partitioned`).
    #[serde(default)]
    pub partitioned: bool,
    /// Per partition folder (`themes/topic=…/year=…`), the [`frame_hash`] of its rows: a later
    /// run writes a partition again only when its rows differ.
    #[serde(default)]
    pub partitions: BTreeMap<String, String>,
    /// Per topic and month, the fingerprint of its input rows ([`fingerprints_by_month`]):
    /// the analyses that read no later month recompute a changed topic from its first
    /// changed month only.
    #[serde(default)]
    pub months: MonthPrints,
}

impl State {
    /// The state of the folder's last run, if it can be built on: same version and
    /// settings, every table file it wrote untouched, and Parquet for every table.
    pub fn load(dir: &Path, settings: &str) -> Option<State> {
        let s: State = serde_json::from_slice(&std::fs::read(dir.join(STATE)).ok()?).ok()?;
        let current = s.version == version() && s.settings == settings;
        let intact = s
            .outputs
            .iter()
            .all(|(f, stamp)| crate::store::state::stat(&dir.join(f)).ok().as_ref() == Some(stamp));
        let parquet = table::ALL.iter().all(|t| {
            let (single, part) = (format!("{t}.parquet"), format!("{t}/"));
            s.outputs.keys().any(|f| *f == single || (f.starts_with(&part) && f.ends_with(".parquet")))
        });
        (current && intact && parquet).then_some(s)
    }

    /// Writes the state, stamping the table files now in `dir` (single files or partitions),
    /// each table in the formats `formats` gives it.
    pub fn save(mut self, dir: &Path, formats: impl Fn(super::base::Table) -> Format) -> anyhow::Result<()> {
        self.outputs.clear();
        for t in table::ALL {
            for file in files(dir, t, formats(t)) {
                let stamp = crate::store::state::stat(&dir.join(&file))?;
                self.outputs.insert(file.to_string_lossy().replace('\\', "/"), stamp);
            }
        }
        crate::write::atomic(&dir.join(STATE), &serde_json::to_vec_pretty(&self)?)
    }
}

/// The files a table is held in under `dir`, relative to it: its partition files, or its
/// single files `<table>.<ext>` of `format` (a table with no rows, or the single layout).
fn files(dir: &Path, table: super::base::Table, format: Format) -> Vec<PathBuf> {
    let root = dir.join(table.name());
    if root.is_dir() {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
            .collect();
        if !files.is_empty() {
            files.sort();
            return files;
        }
    }
    format.extensions().iter().map(|ext| PathBuf::from(format!("{table}.{ext}"))).collect()
}

/// The version an analysis state is written and read with: the tables' version (biaslens's
/// and the tables' revision) and a hash of the sources and built-in data of this build
/// (`build.rs`), so an analysis of another build, whose code or tone lexicon may differ,
/// means a full run: never old rows merged with rows computed another way.
pub fn version() -> String {
    format!("{}+source.{}", crate::store::state::version(), env!("BIASLENS_SOURCE_HASH"))
}

/// The hash every setting of a run goes into: a change of any of them means a full run.
pub fn settings_key(options: &super::base::Options, lexicon_text: &str, format: Format) -> String {
    crate::hash::sha256_hex(format!("{options:?}\n{format:?}\n{lexicon_text}").as_bytes())
}

/// A hash of a frame: its column names and types, then every row in order (16 hex digits).
/// Two frames with the same hash are, but for a 2⁻⁶⁴ chance, the same table.
pub fn frame_hash(df: &DataFrame) -> PolarsResult<String> {
    let mut h = frame_head(df);
    for r in row_hashes(df)? {
        h = mix(h, r);
    }
    Ok(format!("{h:016x}"))
}

/// [`frame_hash`] of each group of `df`'s rows (each a list of row numbers, in order), as
/// `df.take(group)` would give it, with every row hashed once, in parallel slices, and no
/// group gathered.
pub fn group_hashes(df: &DataFrame, groups: &[Vec<IdxSize>]) -> PolarsResult<Vec<String>> {
    let (head, rows) = (frame_head(df), row_hashes_parallel(df)?);
    Ok(groups
        .iter()
        .map(|g| format!("{:016x}", g.iter().fold(head, |h, &i| mix(h, rows[i as usize]))))
        .collect())
}

/// What [`frame_hash`] starts from: the frame's column names and types.
fn frame_head(df: &DataFrame) -> u64 {
    let mut h = mix_bytes(0, b"frame");
    for column in df.columns() {
        h = mix_bytes(h, column.name().as_bytes());
        h = mix_bytes(h, format!("{:?}", column.dtype()).as_bytes());
    }
    h
}

/// [`row_hashes`] of `df`, computed in slices in parallel.
fn row_hashes_parallel(df: &DataFrame) -> PolarsResult<Vec<u64>> {
    use rayon::prelude::*;
    const SLICE: usize = 1 << 16;
    let offsets: Vec<i64> = (0..df.height().div_ceil(SLICE)).map(|i| (i * SLICE) as i64).collect();
    Ok(offsets
        .par_iter()
        .map(|&o| row_hashes(&df.slice(o, SLICE)))
        .collect::<PolarsResult<Vec<_>>>()?
        .concat())
}

/// Per-row hashes of every column of `df`, in row order.
fn row_hashes(df: &DataFrame) -> PolarsResult<Vec<u64>> {
    let mut h = vec![0u64; df.height()];
    for column in df.columns() {
        let null = 0x9e37_79b9_7f4a_7c15u64;
        let hash_text = |h: &mut [u64], text: &StringChunked| {
            for (h, v) in h.iter_mut().zip(text.iter()) {
                *h = v.map_or(mix(*h, null), |s| mix_bytes(*h, s.as_bytes()));
            }
        };
        match column.dtype() {
            DataType::String => hash_text(&mut h, column.str()?),
            DataType::Float64 | DataType::Float32 => {
                let f = column.cast(&DataType::Float64)?;
                for (h, v) in h.iter_mut().zip(f.f64()?.iter()) {
                    *h = mix(*h, v.map_or(null, f64::to_bits));
                }
            }
            DataType::Boolean
            | DataType::Date
            | DataType::Datetime(..)
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => {
                let i = column.cast(&DataType::Int64)?;
                for (h, v) in h.iter_mut().zip(i.i64()?.iter()) {
                    *h = mix(*h, v.map_or(null, |v| v as u64));
                }
            }
            _ => hash_text(&mut h, column.cast(&DataType::String)?.str()?),
        }
    }
    Ok(h)
}

/// Per topic, a fingerprint of its rows in every frame (each must have a `topic` column):
/// any change of a value, a row added, removed or moved changes it. The rows' hashes are
/// computed in slices in parallel, then folded per topic in row order.
pub fn fingerprints(frames: &[&DataFrame]) -> PolarsResult<BTreeMap<String, String>> {
    Ok(fingerprints_by_month(frames, None)?.0)
}

/// Per topic and month: the fingerprint of each month's rows (`2026-01`: the month of the
/// row's digest, found by its `digest_id`). A run finds from them the first month of a
/// topic that changed.
pub type MonthPrints = BTreeMap<String, BTreeMap<String, String>>;

/// [`fingerprints`], and with the digests' dates, the same rows folded per topic and month
/// ([`MonthPrints`]; empty without them).
pub fn fingerprints_by_month(
    frames: &[&DataFrame],
    digests: Option<&DigestDates>,
) -> PolarsResult<(BTreeMap<String, String>, MonthPrints)> {
    let mut acc: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_month: BTreeMap<(String, u32), u64> = BTreeMap::new();
    for (k, df) in frames.iter().enumerate() {
        let rows = row_hashes_parallel(df)?;
        let topics = df.column(c::TOPIC)?.str()?;
        let ids = match digests {
            Some(_) => Some(df.column(c::DIGEST_ID)?.str()?),
            None => None,
        };
        // Rows come a digest at a time: its month is looked up once per run of its id.
        let mut last: Option<(&str, u32)> = None;
        // Rows come a topic (and a month) at a time: one map entry per run.
        let mut current: Option<(&str, u64)> = None;
        let mut month_run: Option<((&str, u32), u64)> = None;
        let flush = |acc: &mut BTreeMap<String, u64>, cur: Option<(&str, u64)>| {
            if let Some((t, h)) = cur {
                let e = acc.entry(t.to_string()).or_insert(0);
                *e = mix(*e, h);
            }
        };
        let flush_month = |acc: &mut BTreeMap<(String, u32), u64>, cur: Option<((&str, u32), u64)>| {
            if let Some(((t, m), h)) = cur {
                let e = acc.entry((t.to_string(), m)).or_insert(0);
                *e = mix(*e, h);
            }
        };
        // Each row's digest id, walked beside the topics (`get(i)` would look for the row's
        // chunk from the first: the partitioned layout reads thousands of chunks).
        let mut id_of = ids.map(|ids| ids.iter());
        for (t, r) in topics.iter().zip(rows) {
            let t = t.unwrap_or_default();
            let id = id_of.as_mut().map(|it| it.next().flatten().unwrap_or_default());
            match &mut current {
                Some((ct, h)) if *ct == t => *h = mix(*h, r),
                _ => {
                    flush(&mut acc, current.take());
                    current = Some((t, mix(k as u64 + 1, r)));
                }
            }
            let (Some(id), Some(digests)) = (id, digests) else { continue };
            let m = match last {
                Some((l, m)) if l == id => m,
                _ => {
                    let m = digests.get(Some(id)).map_or(0, super::stories::months::month);
                    last = Some((id, m));
                    m
                }
            };
            match &mut month_run {
                Some((key, h)) if *key == (t, m) => *h = mix(*h, r),
                _ => {
                    flush_month(&mut by_month, month_run.take());
                    month_run = Some(((t, m), mix(k as u64 + 1, r)));
                }
            }
        }
        flush(&mut acc, current);
        flush_month(&mut by_month, month_run);
    }
    let mut prints = MonthPrints::new();
    for ((t, m), h) in by_month {
        prints.entry(t).or_default().insert(month_name(m), format!("{h:016x}"));
    }
    Ok((acc.into_iter().map(|(t, h)| (t, format!("{h:016x}"))).collect(), prints))
}

/// A month number as `2026-01`.
fn month_name(m: u32) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

/// A `2026-01` month as its number (none when it is not one).
fn month_number(name: &str) -> Option<u32> {
    let (y, m) = name.split_once('-')?;
    let (y, m): (u32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then(|| y * 12 + m - 1)
}

/// For each of the `changed` topics the previous run knew month by month, the first month
/// whose rows differ (or that appears in only one of the two), as a number: the months
/// before it are as they were. A topic new to this run, or whose first month changed, has
/// none to keep and is left out.
pub fn first_changed_months(
    before: &MonthPrints,
    now: &MonthPrints,
    changed: &BTreeSet<String>,
) -> BTreeMap<String, u32> {
    let empty = BTreeMap::new();
    changed
        .iter()
        .filter_map(|t| {
            let (b, n) = (before.get(t)?, now.get(t).unwrap_or(&empty));
            let months: BTreeSet<&String> = b.keys().chain(n.keys()).collect();
            let first = months.into_iter().find(|m| b.get(*m) != n.get(*m))?;
            let m = month_number(first)?;
            let earlier = b.keys().filter_map(|k| month_number(k)).any(|k| k < m);
            earlier.then(|| (t.clone(), m))
        })
        .collect()
}

/// Topics whose fingerprint differs, or that appear in only one of the two.
pub fn changed(before: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> BTreeSet<String> {
    let keys: BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    keys.into_iter().filter(|t| before.get(*t) != now.get(*t)).cloned().collect()
}

/// The columns a table is ordered by first: its rows for one value of them come from one
/// topic, in the order a full run writes them.
fn blocks(name: &str) -> &'static [&'static str] {
    if name == table::BLINDSPOTS.name() {
        &[super::base::col::KIND, c::TOPIC]
    } else {
        &[c::TOPIC]
    }
}

/// A table of the previous run with the rows of `recomputed` topics replaced by `fresh`,
/// in the order of a full run: both are in block order (a block's rows are one topic's),
/// so the kept blocks and the fresh ones are interleaved ([`crate::store::layout::groups`]
/// finds them), with no sort. A table not in block order (which no run writes) is sorted
/// instead.
pub fn merge(
    name: &str,
    previous: DataFrame,
    fresh: DataFrame,
    recomputed: &BTreeSet<String>,
) -> PolarsResult<DataFrame> {
    let by = blocks(name);
    // Each frame's blocks (one run each, as a full run writes them: slices, no copy), with
    // their values of `by`.
    let blocks_of = |df: &DataFrame| crate::store::layout::keyed_groups(df, by);
    let (before, now) = (blocks_of(&previous)?, blocks_of(&fresh)?);
    let ordered = |b: &[(Vec<String>, DataFrame)]| b.windows(2).all(|w| w[0].0 < w[1].0);
    if !(ordered(&before) && ordered(&now)) || previous.schema() != fresh.schema() {
        return merge_sorted(name, previous, fresh, recomputed);
    }
    let topic = by.iter().position(|b| *b == c::TOPIC).expect("blocks hold the topic");
    let kept = before.into_iter().filter(|(key, _)| !recomputed.contains(&key[topic]));
    crate::store::layout::interleave(kept, now, &previous)
}

/// [`merge`] by a stable sort on the block columns.
fn merge_sorted(
    name: &str,
    previous: DataFrame,
    fresh: DataFrame,
    recomputed: &BTreeSet<String>,
) -> PolarsResult<DataFrame> {
    let drop = Series::new("recomputed".into(), recomputed.iter().cloned().collect::<Vec<_>>());
    let kept = previous.lazy().filter(one_of(col(c::TOPIC), lit(drop)).not());
    let by: Vec<PlSmallStr> = blocks(name).iter().map(|s| PlSmallStr::from(*s)).collect();
    concat([kept, fresh.lazy()], UnionArgs { rechunk: true, ..Default::default() })?
        .sort(by, SortMultipleOptions::default().with_maintain_order(true))
        .collect()
}

/// A table of the previous run, from its Parquet file or its partitions (whose rows come
/// topic by topic, year by year, each partition in its own order).
pub fn previous(dir: &Path, name: &str) -> PolarsResult<DataFrame> {
    let single = dir.join(format!("{name}.parquet"));
    if single.is_file() || !dir.join(name).is_dir() {
        return ParquetReader::new(std::fs::File::open(single)?).finish();
    }
    let read = || -> anyhow::Result<DataFrame> { Ok(crate::store::Store::open(dir).scan(name)?.collect()?) };
    read().map_err(|e| polars_err!(ComputeError: "{e:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(t: &[&str]) -> BTreeSet<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_groups_hash_is_the_hash_of_its_rows_taken() {
        let df = df!(
            "s" => [Some("a"), None, Some("ccc"), Some("a"), Some("dddddddddd")],
            "n" => [1i64, 2, 3, 4, 5],
            "x" => [0.5f64, 1.5, f64::NAN, -0.0, 2.0],
        )
        .unwrap();
        let groups = vec![vec![0, 3], vec![1, 2, 4], vec![], vec![4, 2]];
        let hashes = group_hashes(&df, &groups).unwrap();
        for (g, h) in groups.iter().zip(&hashes) {
            let taken = df.take(&IdxCa::from_vec("i".into(), g.clone())).unwrap();
            assert_eq!(*h, frame_hash(&taken).unwrap(), "{g:?}");
        }
        // Order matters: the same rows in another order are another partition.
        assert_ne!(hashes[1], hashes[3]);
    }

    #[test]
    fn merging_by_slices_gives_the_sorted_merge() {
        // Topics a, b, c kept from before, b recomputed, d new: a's two rows, fresh b's
        // one, c's two, d's one, each block's rows in their own order.
        let previous = df!("topic" => ["a", "a", "b", "b", "c", "c"], "x" => [1i64, 2, 3, 4, 5, 6]).unwrap();
        let fresh = df!("topic" => ["b", "d"], "x" => [30i64, 70]).unwrap();
        let changed = topics(&["b", "d"]);
        let merged = merge("themes", previous.clone(), fresh.clone(), &changed).unwrap();
        let want = df!("topic" => ["a", "a", "b", "c", "c", "d"], "x" => [1i64, 2, 30, 5, 6, 70]).unwrap();
        assert!(merged.equals(&want), "{merged}");
        assert!(merged.equals(&merge_sorted("themes", previous, fresh, &changed).unwrap()));
        // Blocks of two columns (blindspots: kind, then topic), a topic deleted (c).
        let previous = df!("kind" => ["run", "run", "silence", "silence"], "topic" => ["a", "c", "a", "c"], "x" => [1i64, 2, 3, 4]).unwrap();
        let fresh = df!("kind" => ["run", "silence"], "topic" => ["b", "b"], "x" => [20i64, 40]).unwrap();
        let changed = topics(&["b", "c"]);
        let merged = merge("blindspots", previous.clone(), fresh.clone(), &changed).unwrap();
        let want = df!("kind" => ["run", "run", "silence", "silence"], "topic" => ["a", "b", "a", "b"], "x" => [1i64, 20, 3, 40]).unwrap();
        assert!(merged.equals(&want), "{merged}");
        assert!(merged.equals(&merge_sorted("blindspots", previous, fresh, &changed).unwrap()));
        // Nothing kept and nothing fresh: an empty table of the same columns.
        let previous = df!("topic" => ["a"], "x" => [1i64]).unwrap();
        let merged = merge("themes", previous.clone(), previous.clear(), &topics(&["a"])).unwrap();
        assert_eq!((merged.height(), merged.width()), (0, 2));
    }

    #[test]
    fn the_first_changed_month_is_the_first_that_differs_and_needs_an_earlier_one() {
        let prints = |months: &[(&str, &str)]| -> BTreeMap<String, String> {
            months.iter().map(|(m, h)| (m.to_string(), h.to_string())).collect()
        };
        let before: MonthPrints = [
            ("a".to_string(), prints(&[("2025-12", "1"), ("2026-01", "2")])),
            ("b".to_string(), prints(&[("2025-12", "3"), ("2026-01", "4")])),
            ("c".to_string(), prints(&[("2026-01", "5")])),
        ]
        .into();
        let now: MonthPrints = [
            // a: January changed; b: February added; c: its only month changed; d: new.
            ("a".to_string(), prints(&[("2025-12", "1"), ("2026-01", "9")])),
            ("b".to_string(), prints(&[("2025-12", "3"), ("2026-01", "4"), ("2026-02", "6")])),
            ("c".to_string(), prints(&[("2026-01", "7")])),
            ("d".to_string(), prints(&[("2026-01", "8")])),
        ]
        .into();
        let since = first_changed_months(&before, &now, &topics(&["a", "b", "c", "d"]));
        // 2026-01 is 2026 × 12 + 0; c has no earlier month to keep, d no previous run.
        let want: BTreeMap<String, u32> =
            [("a".to_string(), 2026 * 12), ("b".to_string(), 2026 * 12 + 1)].into();
        assert_eq!(since, want);
        assert_eq!(month_number("2026-02"), Some(2026 * 12 + 1));
        assert_eq!(month_name(2026 * 12 + 11), "2026-12");
        assert_eq!(month_number("2026-13"), None);
    }

    #[test]
    fn a_table_out_of_block_order_is_sorted_instead() {
        // b's rows before a's: not in block order, so the merge sorts, as it always did.
        let previous = df!("topic" => ["b", "a", "b"], "x" => [1i64, 2, 3]).unwrap();
        let fresh = df!("topic" => ["c"], "x" => [9i64]).unwrap();
        let changed = topics(&["c"]);
        let merged = merge("themes", previous.clone(), fresh.clone(), &changed).unwrap();
        let want = df!("topic" => ["a", "b", "b", "c"], "x" => [2i64, 1, 3, 9]).unwrap();
        assert!(merged.equals(&want), "{merged}");
        assert!(merged.equals(&merge_sorted("themes", previous, fresh, &changed).unwrap()));
    }
}
