//! Themes: which lexicon themes each side's items name, per period, and how that moves.

use polars::prelude::*;
use rayon::prelude::*;

use super::base::{col, cols, in_periods, one_of, period_keys_and, ratio, Options};
use super::lexicon::{Lexicon, Matcher};
use super::stories::cluster::{first_appearances, intern};
use crate::model::OVERALL;
use crate::tables::col as c;

/// The leading columns of the themes and theme_trends tables.
const THEME_ROW: [&str; 9] = [
    c::TOPIC,
    col::PERIOD,
    col::PERIOD_START,
    col::PERIOD_END,
    c::SECTION,
    col::THEME,
    col::MENTIONS,
    col::ITEMS,
    col::SHARE,
];

/// Name of the list column a matcher UDF writes.
const MATCHES: &str = "matches";

/// Name of the item column whose bit `i` says theme `i` has keywords in the item's language.
const COVERED: &str = "covered";

/// The language highlights are counted in: the generator writes every highlight in English,
/// whatever the language of the titles it summarises (spec, digest-format.md, "Sides in
/// different languages"). Titles count in their own `language`.
pub const HIGHLIGHT_LANGUAGE: &str = "en";

/// The items themes are counted over, with period columns: overall highlights (section
/// `overall`), each side's highlights (section = its perspective id), and the titles of each
/// side's articles (section = the article's side; articles of unknown side are left out).
pub fn items(highlights: LazyFrame, articles: LazyFrame, live: LazyFrame) -> LazyFrame {
    let item = |section: &str, text: &str| {
        let mut v = vec![col(c::DIGEST_ID)];
        v.extend(period_keys_and(&[]));
        v.extend([col(section).alias(c::SECTION), col(text).alias(c::TEXT)]);
        v
    };
    let bullets = in_periods(highlights, live).select(item(c::SECTION, c::TEXT));
    let titles =
        articles.filter(col(c::PERSPECTIVE_ID).is_not_null()).select(item(c::PERSPECTIVE_ID, c::TITLE));
    concat([bullets, titles], UnionArgs::default()).expect("items share one schema")
}

/// Whether bit `i` of a `UInt64` mask column is set, as 0 or 1.
fn bit(mask: Expr, i: usize) -> Expr {
    // `and` on integer columns is bitwise in Polars.
    mask.and(lit(1u64 << i)).neq(lit(0u64)).cast(DataType::Int64)
}

/// Every item themes are counted over, matched against the lexicon once: the rows of
/// [`item_themes`] and each item's themes as a bit set for [`themes`].
pub struct Matched {
    /// One row per item: `digest_id`, `topic`, `section`, `position`, `kind`, the period
    /// columns and `matches` (bit `i` set when theme `i` names the item).
    pub items: DataFrame,
    /// **item_themes**: the items behind the counts of `themes`, one row per item and
    /// theme it counts for: `digest_id`, `topic`, `section`, `position` (of the bullet in
    /// its section, or of the article in the Sources list), `kind` (`highlight` or
    /// `title`), `theme` and the `keyword` that matched (the first, as the lexicon spells
    /// it). The items are exactly those [`themes`] counts, so a share there is the rows
    /// here over the items of its group.
    pub item_themes: DataFrame,
}

/// Matches every item of [`item_frame`] (the overall and side highlights, and the titles of
/// articles of known side, of live digests, a topic at a time) once, in parallel.
pub fn match_items(items: DataFrame, lexicon: &Lexicon) -> PolarsResult<Matched> {
    let matcher = lexicon.theme_matcher();
    let covered = coverage(&items, lexicon)?;
    let hits = theme_hits(&items, &matcher)?;
    let mut masks = vec![0u64; items.height()];
    for &(i, label, _) in &hits {
        masks[i as usize] |= 1 << label;
    }
    // The items come a topic at a time (its highlights, then its titles), as every analysis
    // table is, so the hits in item order are in table order: one gather.
    let at = |f: &dyn Fn(&(IdxSize, u8, u32)) -> IdxSize| {
        IdxCa::from_vec("idx".into(), hits.iter().map(f).collect())
    };
    // Theme ids and keywords are taken from one small column each: no string per row.
    let theme_ids =
        StringChunked::from_iter_values(col::THEME.into(), lexicon.themes.iter().map(|t| t.id.as_str()));
    let keywords = StringChunked::from_iter_values(
        col::KEYWORD.into(),
        (0..matcher.keyword_count() as u32).map(|k| matcher.keyword(k)),
    );
    let mut item_themes =
        items.select([c::DIGEST_ID, c::TOPIC, c::SECTION, c::POSITION, col::KIND])?.take(&at(&|h| h.0))?;
    item_themes.with_column(theme_ids.take(&at(&|h| IdxSize::from(h.1)))?.into_column())?;
    item_themes.with_column(keywords.take(&at(&|h| h.2 as IdxSize))?.into_column())?;
    drop(hits);
    let mut items = items.drop_many([c::TEXT, c::LANGUAGE]);
    items.with_column(Column::new(MATCHES.into(), masks))?;
    items.with_column(Column::new(COVERED.into(), covered))?;
    Ok(Matched { items, item_themes })
}

/// The items themes and tone are counted over, with their language and period columns: the
/// overall and side highlights (in [`HIGHLIGHT_LANGUAGE`]) and the titles of articles of
/// known side; a topic at a time (topics in name order), each topic's highlights then its
/// titles, each in the order of its input table.
pub(crate) fn item_frame(
    highlights: LazyFrame,
    articles: LazyFrame,
    live: LazyFrame,
) -> PolarsResult<DataFrame> {
    let item = |section: &str, kind: &str, text: &str, language: Expr| {
        let mut v = vec![
            col(c::DIGEST_ID),
            col(c::TOPIC),
            col(section).alias(c::SECTION),
            col(c::POSITION).cast(DataType::Int64),
            lit(kind.to_string()).alias(col::KIND),
            col(text).alias(c::TEXT),
            language.alias(c::LANGUAGE),
        ];
        v.extend(cols(&[col::PERIOD, col::PERIOD_START, col::PERIOD_END, col::PERIOD_INDEX]));
        v
    };
    let bullets = in_periods(highlights, live).select(item(
        c::SECTION,
        col::KIND_HIGHLIGHT,
        c::TEXT,
        lit(HIGHLIGHT_LANGUAGE),
    ));
    let titles = articles.filter(col(c::PERSPECTIVE_ID).is_not_null()).select(item(
        c::PERSPECTIVE_ID,
        col::KIND_TITLE,
        c::TITLE,
        col(c::LANGUAGE),
    ));
    concat([bullets, titles], UnionArgs::default())?
        .collect()?
        .sort([c::TOPIC], SortMultipleOptions::default().with_maintain_order(true))
}

/// Per item, which themes could see it at all: bit `i` when theme `i` has keywords in the
/// item's language.
fn coverage(items: &DataFrame, lexicon: &Lexicon) -> PolarsResult<Vec<u64>> {
    let mut memo: Vec<(Option<&str>, u64)> = Vec::new();
    Ok(items
        .column(c::LANGUAGE)?
        .str()?
        .iter()
        .map(|l| match memo.iter().find(|(m, _)| *m == l) {
            Some(&(_, bits)) => bits,
            None => {
                let bits = lexicon.covered(l);
                memo.push((l, bits));
                bits
            }
        })
        .collect())
}

/// Every (item, theme, keyword number) the matcher finds, in item order: flat, not a vector
/// per item. Each distinct text is matched once (a reprinted title, a wire story in several
/// digests), in parallel chunks; its hits are then copied to every item that holds it.
fn theme_hits(items: &DataFrame, matcher: &Matcher) -> PolarsResult<Vec<(IdxSize, u8, u32)>> {
    // A missing text is empty, which names no theme.
    let texts: Vec<&str> = items.column(c::TEXT)?.str()?.iter().map(Option::unwrap_or_default).collect();
    let text_of = intern(texts.iter().copied());
    let distinct: Vec<&str> = first_appearances(&text_of).into_iter().map(|i| texts[i]).collect();
    // Per distinct text, its (theme, keyword) hits: `hits[start[k]..start[k + 1]]`.
    type Chunk = (Vec<u32>, Vec<(u8, u32)>);
    let chunks: Vec<Chunk> = distinct
        .par_chunks(4096)
        .map(|ts| {
            let (mut start, mut hits, mut found) = (Vec::with_capacity(ts.len()), Vec::new(), Vec::new());
            for t in ts {
                start.push(hits.len() as u32);
                found.clear();
                matcher.find_keyword_ids(t, &mut found);
                // At most 64 themes (a mask's bits), so a label fits a byte.
                hits.extend(found.iter().map(|&(l, kw)| (l as u8, kw)));
            }
            (start, hits)
        })
        .collect();
    let (mut start, mut hits) = (Vec::with_capacity(distinct.len() + 1), Vec::new());
    for (s, h) in chunks {
        let base = hits.len() as u32;
        start.extend(s.into_iter().map(|x| x + base));
        hits.extend(h);
    }
    start.push(hits.len() as u32);
    let mut out = Vec::new();
    for (i, &d) in text_of.iter().enumerate() {
        let found = &hits[start[d as usize] as usize..start[d as usize + 1] as usize];
        out.extend(found.iter().map(|&(l, kw)| (i as IdxSize, l, kw)));
    }
    Ok(out)
}

/// **themes**: for every topic-period-section with items and every lexicon theme (zeros
/// included, so time series are complete): items that name the theme, all items, share.
/// The items are [`Matched::items`].
pub fn themes(items: DataFrame, lexicon: &Lexicon) -> LazyFrame {
    // Each item's themes as bits: per group the items and, per theme, the
    // items with its bit set. No per-item lists to explode and join.
    let mut aggs = vec![
        col(col::PERIOD).first(),
        col(col::PERIOD_START).first(),
        col(col::PERIOD_END).first(),
        len().cast(DataType::Int64).alias(col::ITEMS),
    ];
    aggs.extend((0..lexicon.themes.len()).map(|i| bit(col(MATCHES), i).sum().alias(format!("m{i}"))));
    aggs.extend((0..lexicon.themes.len()).map(|i| bit(col(COVERED), i).sum().alias(format!("c{i}"))));
    let counts =
        items.lazy().group_by([col(c::TOPIC), col(col::PERIOD_INDEX), col(c::SECTION)]).agg(aggs).cache();
    let keys = period_keys_and(&[c::SECTION]);
    let per_theme: Vec<LazyFrame> = lexicon
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut select = keys.clone();
            select.extend([
                lit(t.id.as_str()).alias(col::THEME),
                lit(t.name.as_str()).alias(col::THEME_NAME),
                lit(i as i64 + 1).alias("theme_order"),
                col(col::ITEMS),
                col(format!("m{i}").as_str()).alias(col::MENTIONS),
                col(format!("c{i}").as_str()).alias(col::COVERED_ITEMS),
                // The sides this theme names itself (its `sides:`, as
                // `Lexicon::names_side` reads them): their rows say so.
                one_of(col(c::SECTION), lit(Series::new("sides".into(), t.sides.clone())))
                    .alias(col::NAMES_SECTION),
            ]);
            counts.clone().select(select)
        })
        .collect();
    concat(per_theme, UnionArgs::default())
        .expect("one frame per theme")
        .with_column(ratio(col(col::MENTIONS), col(col::ITEMS)).alias(col::SHARE))
        .with_column(col(c::SECTION).neq(lit(OVERALL)).alias("section_order"))
        .sort(
            [c::TOPIC, col::PERIOD_START, "section_order", c::SECTION, "theme_order"],
            SortMultipleOptions::default(),
        )
        .select(cols(
            &[&THEME_ROW[..], &[col::THEME_NAME, col::PERIOD_INDEX, col::COVERED_ITEMS, col::NAMES_SECTION]]
                .concat(),
        ))
}

/// Trailing statistics of a per-period series: each row is copied forward to the next
/// `window` periods (by calendar index, so a period without digests is a gap, not skipped),
/// then summed where it lands. Returns the keys plus `trailing_sum`, `trailing_periods` and
/// `recent_present` (periods among the last `recent` before this one with `present_col` true).
pub fn trailing(
    series: LazyFrame,
    keys: &[&str],
    value: &str,
    present: Expr,
    window: u32,
    recent: u32,
) -> LazyFrame {
    let span = window.max(recent) as i64;
    let offsets =
        DataFrame::new_infer_height(vec![Column::new("offset".into(), (1..=span).collect::<Vec<i64>>())])
            .expect("one column")
            .lazy();
    let mut group: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    group.push(col(col::PERIOD_INDEX));
    let in_window = col("offset").lt_eq(lit(window as i64));
    series
        .with_column(present.alias("present"))
        .select(group.iter().cloned().chain([col(value), col("present")]).collect::<Vec<_>>())
        .cross_join(offsets, None)
        .with_column((col(col::PERIOD_INDEX) + col("offset")).alias(col::PERIOD_INDEX))
        .group_by(group)
        .agg([
            when(in_window.clone()).then(col(value)).otherwise(lit(NULL)).sum().alias("trailing_sum"),
            in_window.cast(DataType::Int64).sum().alias(col::TRAILING_PERIODS),
            (col("present").and(col("offset").lt_eq(lit(recent as i64))))
                .cast(DataType::Int64)
                .sum()
                .alias("recent_present"),
        ])
}

/// How many periods before its own a row of [`trends`] reads ([`trailing`]'s span).
pub fn trend_span(options: &Options) -> i64 {
    i64::from(options.trend_window.max(options.recurring_window.saturating_sub(1)))
}

/// **theme_trends**: each theme's share per topic, side and period as a time series, with
/// its trailing mean over the previous `trend_window` periods that had items, whether it is
/// *recurring* (present in at least `recurring_min` of the last `recurring_window` periods,
/// this one included), and its *trend*: `rising` when the share exceeds `trend_factor` ×
/// the trailing mean (or appears from nothing), `fading` when under the trailing mean ÷
/// `trend_factor`, else `steady`; empty when there is no history yet. A rise needs
/// `trend_min_mentions` mentions, a fall that many expected from the trailing mean.
pub fn trends(themes: LazyFrame, options: &Options) -> LazyFrame {
    let keys = [c::TOPIC, c::SECTION, col::THEME];
    let history = trailing(
        themes.clone(),
        &keys,
        col::SHARE,
        col(col::MENTIONS).gt(lit(0i64)),
        options.trend_window,
        options.recurring_window - 1,
    );
    let mut join_keys: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    join_keys.push(col(col::PERIOD_INDEX));
    let f = lit(options.trend_factor);
    let min = lit(options.trend_min_mentions as f64);
    let mean = col(col::TRAILING_MEAN);
    let share = col(col::SHARE);
    let enough_now = col(col::MENTIONS).cast(DataType::Float64).gt_eq(min.clone());
    let enough_before = (mean.clone() * col(col::ITEMS).cast(DataType::Float64)).gt_eq(min);
    let trend = when(mean.clone().is_null())
        .then(lit(NULL).cast(DataType::String))
        .when(enough_now.and(share.clone().gt(mean.clone() * f.clone())))
        .then(lit("rising"))
        .when(enough_before.and(share.lt(mean / f)))
        .then(lit("fading"))
        .otherwise(lit("steady"));
    themes
        .join(history, join_keys.clone(), join_keys, JoinArgs::new(JoinType::Left))
        .with_columns([
            col(col::TRAILING_PERIODS).fill_null(lit(0i64)),
            (col("recent_present").fill_null(lit(0i64))
                + col(col::MENTIONS).gt(lit(0i64)).cast(DataType::Int64))
            .alias(col::PERIODS_PRESENT),
            ratio(col("trailing_sum"), col(col::TRAILING_PERIODS)).alias(col::TRAILING_MEAN),
        ])
        .with_columns([
            // A series with no trailing period with items has no mean yet.
            when(col(col::TRAILING_PERIODS).gt(lit(0i64)))
                .then(col(col::TRAILING_MEAN))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(col::TRAILING_MEAN),
            col(col::PERIODS_PRESENT).gt_eq(lit(options.recurring_min as i64)).alias(col::RECURRING),
        ])
        .with_column(trend.alias(col::TREND))
        .select(cols(
            &[
                &THEME_ROW[..],
                &[
                    col::TRAILING_MEAN,
                    col::TRAILING_PERIODS,
                    col::PERIODS_PRESENT,
                    col::RECURRING,
                    col::TREND,
                    col::COVERED_ITEMS,
                ],
            ]
            .concat(),
        ))
}
