//! Coverage profile per topic, period and side: language mix, article age, and
//! cross-coverage (does a side's article title name the other side, itself, or neither?).

use std::sync::Arc;

use polars::prelude::*;

use super::lexicon::Matcher;
use super::themes::match_labels;
use super::{col, ratio, sorted, topic_period};
use crate::tables::col as c;

fn side_keys() -> Vec<Expr> {
    let mut keys = topic_period().to_vec();
    keys.push(col(c::PERSPECTIVE_ID));
    keys
}

/// **coverage_languages**: articles per language (empty when the source line gave none) and
/// their share of the side's articles in the period.
pub fn languages(articles: LazyFrame) -> LazyFrame {
    let mut keys = side_keys();
    keys.push(col(c::LANGUAGE));
    let grouped = articles
        .filter(col(c::PERSPECTIVE_ID).is_not_null())
        .group_by(keys)
        .agg([len().cast(DataType::Int64).alias(col::ARTICLES)])
        .with_column(
            ratio(
                col(col::ARTICLES),
                col(col::ARTICLES).sum().over([col(c::TOPIC), col(col::PERIOD), col(c::PERSPECTIVE_ID)]),
            )
            .alias(col::SHARE),
        );
    sorted(grouped, &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ID, c::LANGUAGE])
}

/// **coverage_profile**: per side and period, its articles; the age of its dated articles
/// against the digest date (median and max days); and how many of its titles name another
/// side of the same digest, itself, or neither (a title can name both, so `names_other` and
/// `names_self` may overlap; `names_neither` excludes both).
pub fn profile(articles: LazyFrame, perspectives: LazyFrame, sides: Matcher) -> LazyFrame {
    let articles = articles
        .filter(col(c::PERSPECTIVE_ID).is_not_null())
        .with_row_index("row", None)
        .with_column(
            (col(c::DIGEST_DATE).cast(DataType::Int32) - col(c::PUBLISHED_DATE).cast(DataType::Int32))
                .cast(DataType::Float64)
                .alias("age"),
        )
        .cache();
    // Which sides each title names, kept only where the side is declared by its digest.
    let declared = perspectives.select([col(c::DIGEST_ID), col(c::PERSPECTIVE_ID).alias("named")]);
    let named = articles
        .clone()
        .select([
            col("row"),
            col(c::DIGEST_ID),
            col(c::PERSPECTIVE_ID),
            match_labels(col(c::TITLE), Arc::new(sides)).alias("named"),
        ])
        .explode(["named"])
        .join(
            declared,
            [col(c::DIGEST_ID), col("named")],
            [col(c::DIGEST_ID), col("named")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col("row")])
        .agg([
            col("named").eq(col(c::PERSPECTIVE_ID)).any(true).alias("self"),
            col("named").neq(col(c::PERSPECTIVE_ID)).any(true).alias("other"),
        ]);
    let flags = articles
        .join(named, [col("row")], [col("row")], JoinArgs::new(JoinType::Left))
        .with_columns([col("self").fill_null(lit(false)), col("other").fill_null(lit(false))]);
    let count = |e: Expr| e.cast(DataType::Int64).sum();
    let grouped = flags.group_by(side_keys()).agg([
        len().cast(DataType::Int64).alias(col::ARTICLES),
        col("age").count().cast(DataType::Int64).alias(col::DATED_ARTICLES),
        col("age").median().alias(col::AGE_MEDIAN_DAYS),
        col("age").max().alias(col::AGE_MAX_DAYS),
        count(col("other")).alias(col::NAMES_OTHER),
        count(col("self")).alias(col::NAMES_SELF),
        count(col("self").or(col("other")).not()).alias(col::NAMES_NEITHER),
    ]);
    let shares = [
        (col::NAMES_OTHER, col::SHARE_NAMES_OTHER),
        (col::NAMES_SELF, col::SHARE_NAMES_SELF),
        (col::NAMES_NEITHER, col::SHARE_NAMES_NEITHER),
    ]
    .map(|(n, s)| ratio(col(n), col(col::ARTICLES)).alias(s));
    sorted(grouped.with_columns(shares), &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ID])
}
