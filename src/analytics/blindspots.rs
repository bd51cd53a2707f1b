//! One-sided coverage: stretches of digests where a side is nearly absent, and themes one
//! side raises while another never mentions them.

use polars::prelude::*;

use super::base::{col, concat_diagonal, over, ratio, side_section, Options};
use crate::tables::col as c;

/// Kinds of blindspot rows.
pub mod kind {
    /// A side's share stays under the threshold for `min_run`+ consecutive digests.
    pub const LOW_SHARE_RUN: &str = "low-share-run";
    /// A side raises a theme in a period while another side never mentions it.
    pub const THEME_SILENCE: &str = "theme-silence";
}

/// Each live digest's sides (declared perspectives, zero-article ones included) with their
/// article count and share of the digest's articles of known side, in publication order.
/// The count is the perspective's `listed_count`, which the table contract defines as the
/// articles of the Sources list assigned to the side: what counting them again from
/// `articles` (two million rows at 100,000 digests) would give.
pub fn side_shares_per_digest(perspectives: LazyFrame, live: LazyFrame) -> LazyFrame {
    let published = live.select([col(c::DIGEST_ID), col(c::PUBLISHED_AT)]);
    perspectives
        .join(published, [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], JoinArgs::new(JoinType::Inner))
        .with_column(col(c::LISTED_COUNT).cast(DataType::Int64).fill_null(lit(0i64)).alias(col::ARTICLES))
        .with_column(over(col(col::ARTICLES).sum(), [col(c::DIGEST_ID)]).alias("digest_articles"))
        .filter(col("digest_articles").gt(lit(0i64)))
        .with_column(ratio(col(col::ARTICLES), col("digest_articles")).alias(col::SHARE))
        .sort(
            [c::TOPIC, c::PERSPECTIVE_ID, c::DIGEST_DATE, c::PUBLISHED_AT, c::DIGEST_ID],
            SortMultipleOptions::default(),
        )
}

/// Runs of consecutive digests (per topic and side, in publication order) where the side's
/// share is under `low_share`; runs of `min_run` or more digests.
pub fn low_share_runs(per_digest: LazyFrame, options: &Options) -> LazyFrame {
    let side = [col(c::TOPIC), col(c::PERSPECTIVE_ID)];
    let low = col(col::SHARE).lt(lit(options.low_share));
    // A new run starts wherever `low` differs from the previous digest's.
    let run_id =
        low.clone().neq(low.clone().shift(lit(1))).fill_null(lit(true)).cast(DataType::Int64).cum_sum(false);
    per_digest
        .with_columns([low.alias("low"), over(run_id, side.clone()).alias("run")])
        .filter(col("low"))
        .group_by([col(c::TOPIC), col(c::PERSPECTIVE_ID), col("run")])
        .agg([
            col(c::DIGEST_DATE).min().alias(col::START_DATE),
            col(c::DIGEST_DATE).max().alias(col::END_DATE),
            len().cast(DataType::Int64).alias(col::DIGESTS),
            col(col::SHARE).mean().alias(col::MEAN_SHARE),
            col(col::SHARE).max().alias(col::MAX_SHARE),
            col(col::ARTICLES).sum().alias(col::MENTIONS),
            col("digest_articles").sum().alias(col::ITEMS),
        ])
        .filter(col(col::DIGESTS).gt_eq(lit(options.min_run as i64)))
        .select([
            lit(kind::LOW_SHARE_RUN).alias(col::KIND),
            col(c::TOPIC),
            col(c::PERSPECTIVE_ID),
            col(col::START_DATE),
            col(col::END_DATE),
            col(col::DIGESTS),
            col(col::MEAN_SHARE),
            col(col::MAX_SHARE),
            col(col::MENTIONS).alias(col::ARTICLES),
            col(col::ITEMS).alias("all_articles"),
        ])
}

/// How a theme silence is decided, written on every theme-silence row (and in the report's
/// method note): the thresholds are columns of their own.
pub const SILENCE_RULE: &str = "the silent side names the theme in none of its items, and at least \
silence_min_coverage of them are in languages the theme has keywords for; a theme that names \
either side itself (the theme's sides in the lexicon) is no silence between them";

/// Per topic, period and theme: a side that names it in `silence_min_mentions`+ items while
/// another side of the same topic-period, with items of its own, names it in none. The
/// silence counts only where the lexicon could have seen the theme: at least
/// `silence_min_coverage` of the silent side's items are in languages the theme has keywords
/// for (`covered_items` of themes), and the theme names neither side itself
/// (`names_section`: the US side's titles name "Relations with the US" by naming the US, so
/// neither their doing so nor their not doing so says anything about coverage).
pub fn theme_silences(themes: LazyFrame, options: &Options) -> LazyFrame {
    let sides = themes.filter(side_section());
    let raised = sides.clone().filter(
        col(col::MENTIONS).gt_eq(lit(options.silence_min_mentions as i64)).and(col(col::NAMES_SECTION).not()),
    );
    let covered_enough = col(col::COVERED_ITEMS)
        .cast(DataType::Float64)
        .gt_eq(col(col::ITEMS).cast(DataType::Float64) * lit(options.silence_min_coverage));
    let silent = sides
        .filter(
            col(col::MENTIONS)
                .eq(lit(0i64))
                .and(col(col::ITEMS).gt(lit(0i64)))
                .and(covered_enough)
                .and(col(col::NAMES_SECTION).not()),
        )
        .select([
            col(c::TOPIC),
            col(col::PERIOD),
            col(col::THEME),
            col(c::SECTION).alias(col::OTHER_PERSPECTIVE_ID),
            col(col::MENTIONS).alias(col::OTHER_MENTIONS),
            col(col::ITEMS).alias(col::OTHER_ITEMS),
            col(col::COVERED_ITEMS).alias(col::OTHER_COVERED_ITEMS),
        ]);
    let keys = [col(c::TOPIC), col(col::PERIOD), col(col::THEME)];
    raised.join(silent, keys.clone(), keys, JoinArgs::new(JoinType::Inner)).select([
        lit(kind::THEME_SILENCE).alias(col::KIND),
        col(c::TOPIC),
        col(c::SECTION).alias(c::PERSPECTIVE_ID),
        col(col::PERIOD),
        col(col::PERIOD_START),
        col(col::PERIOD_END),
        col(col::THEME),
        col(col::MENTIONS),
        col(col::ITEMS),
        col(col::SHARE),
        col(col::OTHER_PERSPECTIVE_ID),
        col(col::OTHER_MENTIONS),
        col(col::OTHER_ITEMS),
        col(col::OTHER_COVERED_ITEMS),
        lit(SILENCE_RULE).alias(col::SILENCE_RULE),
    ])
}

/// **blindspots**: both kinds in one table (columns a kind does not use are empty), with
/// the thresholds used on every row.
pub fn blindspots(per_digest: LazyFrame, themes: LazyFrame, options: &Options) -> LazyFrame {
    concat_diagonal([low_share_runs(per_digest, options), theme_silences(themes, options)])
        .with_columns([
            lit(options.low_share).alias(col::THRESHOLD),
            lit(options.min_run as i64).alias(col::MIN_RUN),
            lit(options.silence_min_mentions as i64).alias("silence_min_mentions"),
            lit(options.silence_min_coverage).alias(col::SILENCE_MIN_COVERAGE),
        ])
        // The columns added since the first release go last, so positions stay.
        .select([
            all()
                .exclude_cols([col::OTHER_COVERED_ITEMS, col::SILENCE_RULE, col::SILENCE_MIN_COVERAGE])
                .as_expr(),
            col(col::OTHER_COVERED_ITEMS),
            col(col::SILENCE_RULE),
            col(col::SILENCE_MIN_COVERAGE),
        ])
        // A total order: a silence has a row per other side (rows used to tie on it).
        .sort(
            [
                col::KIND,
                c::TOPIC,
                col::START_DATE,
                col::PERIOD_START,
                c::PERSPECTIVE_ID,
                col::THEME,
                col::OTHER_PERSPECTIVE_ID,
            ],
            SortMultipleOptions::default().with_maintain_order(true),
        )
}
