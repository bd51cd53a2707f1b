//! Source shares and perspective balance.

use std::f64::consts::E;

use polars::prelude::*;

use super::base::{col, over, ratio, sorted, topic_period};
use crate::tables::col as c;

/// **source_shares**: articles per outlet and side in each topic-period, and their share of
/// all the topic's articles in that period (articles of unknown side included).
pub fn source_shares(articles: LazyFrame) -> LazyFrame {
    let mut keys = topic_period().to_vec();
    keys.extend([col(c::PERSPECTIVE_ID), col(c::OUTLET_ID)]);
    let grouped =
        articles.group_by(keys).agg([len().cast(DataType::Int64).alias(col::ARTICLES)]).with_column(
            ratio(col(col::ARTICLES), over(col(col::ARTICLES).sum(), [col(c::TOPIC), col(col::PERIOD)]))
                .alias(col::SHARE),
        );
    grouped
        .sort(
            [c::TOPIC, col::PERIOD_START, col::ARTICLES, c::OUTLET_ID, c::PERSPECTIVE_ID],
            SortMultipleOptions::default().with_order_descending_multi([false, false, true, false, false]),
        )
        .select([
            col(c::TOPIC),
            col(col::PERIOD),
            col(col::PERIOD_START),
            col(col::PERIOD_END),
            col(c::PERSPECTIVE_ID),
            col(c::OUTLET_ID),
            col(col::ARTICLES),
            col(col::SHARE),
        ])
}

/// Normalised Shannon entropy `H / ln k` of the `share` column over each topic-period, where
/// k counts the rows (declared perspectives) of the topic-period; null when k = 1.
fn balance_index() -> Expr {
    let tp = [col(c::TOPIC), col(col::PERIOD)];
    let p = col(col::SHARE);
    // p ln p, with 0 ln 0 = 0 (its limit).
    let p_ln_p = when(p.clone().gt(lit(0.0))).then(p.clone() * p.log(lit(E))).otherwise(lit(0.0));
    let k = over(len(), tp.clone()).cast(DataType::Float64);
    let h = -over(p_ln_p.sum(), tp);
    let index = h / k.clone().log(lit(E));
    // Floating point can land a hair outside [0, 1] for perfectly even splits, and a
    // one-sided split gives −0.0; both are pinned to the bounds.
    when(k.gt(lit(1.0)))
        .then(
            when(index.clone().gt(lit(1.0)))
                .then(lit(1.0))
                .when(index.clone().lt_eq(lit(0.0)))
                .then(lit(0.0))
                .otherwise(index),
        )
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// **perspective_balance**: one row per perspective declared for the topic in the period
/// (zero-article sides included); shares over articles with a known side; a topic-period
/// with no such articles has no rows.
pub fn perspective_balance(articles: LazyFrame, perspectives: LazyFrame) -> LazyFrame {
    let tp_side = [col(c::TOPIC), col(col::PERIOD), col(c::PERSPECTIVE_ID)];
    let mut declared_keys = topic_period().to_vec();
    declared_keys.push(col(c::PERSPECTIVE_ID));
    let declared = perspectives
        .group_by(declared_keys)
        .agg([col(c::PERSPECTIVE_ORDER).min(), col(c::PERSPECTIVE_NAME).first()]);
    let counts = articles
        .filter(col(c::PERSPECTIVE_ID).is_not_null())
        .group_by(tp_side.clone())
        .agg([len().cast(DataType::Int64).alias(col::ARTICLES)]);
    let tp = [col(c::TOPIC), col(col::PERIOD)];
    let joined = declared
        .join(counts, tp_side.clone(), tp_side, JoinArgs::new(JoinType::Left))
        .with_column(col(col::ARTICLES).fill_null(lit(0i64)))
        // A fixed row order first: the entropy is a floating-point sum over the window, and
        // its last bit must not depend on how a group-by happened to order the sides.
        .sort([c::TOPIC, col::PERIOD, c::PERSPECTIVE_ID], SortMultipleOptions::default())
        .filter(over(col(col::ARTICLES).sum(), tp.clone()).gt(lit(0i64)))
        .with_column(ratio(col(col::ARTICLES), over(col(col::ARTICLES).sum(), tp.clone())).alias(col::SHARE))
        .with_columns([
            balance_index().alias(col::BALANCE_INDEX),
            over(len(), tp).cast(DataType::Int64).alias(col::PERSPECTIVES_DECLARED),
        ]);
    sorted(joined, &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ORDER]).select([
        col(c::TOPIC),
        col(col::PERIOD),
        col(col::PERIOD_START),
        col(col::PERIOD_END),
        col(c::PERSPECTIVE_ID),
        col(col::ARTICLES),
        col(col::SHARE),
        col(col::BALANCE_INDEX),
        col(c::PERSPECTIVE_NAME),
        col(c::PERSPECTIVE_ORDER),
        col(col::PERSPECTIVES_DECLARED),
    ])
}
