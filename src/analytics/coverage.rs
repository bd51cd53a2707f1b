//! Coverage profile per topic, period and side: language mix, article age, and
//! cross-coverage (does a side's article title name the other side, itself, or neither?).

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::*;
use rayon::prelude::*;

use super::base::{col, over, ratio, sorted, topic_period};
use super::lexicon::Matcher;
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
                over(col(col::ARTICLES).sum(), [col(c::TOPIC), col(col::PERIOD), col(c::PERSPECTIVE_ID)]),
            )
            .alias(col::SHARE),
        );
    sorted(grouped, &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ID, c::LANGUAGE])
}

/// **coverage_profile**: per side and period, its articles; the age of its dated articles
/// against the digest date (median and max days); and how many of its titles name another
/// side of the same digest, itself, or neither (a title can name both, so `names_other` and
/// `names_self` may overlap; `names_neither` excludes both).
pub fn profile(articles: LazyFrame, perspectives: LazyFrame, sides: Matcher) -> PolarsResult<LazyFrame> {
    // Sides each digest declares, looked up per article: a title's named side counts only
    // when its digest declares it.
    let declared = perspectives.select([col(c::DIGEST_ID), col(c::PERSPECTIVE_ID)]).collect()?;
    let mut by_digest: HashMap<String, Vec<String>> = HashMap::new();
    for (d, p) in
        declared.column(c::DIGEST_ID)?.str()?.iter().zip(declared.column(c::PERSPECTIVE_ID)?.str()?.iter())
    {
        if let (Some(d), Some(p)) = (d, p) {
            by_digest.entry(d.to_string()).or_default().push(p.to_string());
        }
    }
    let flags = articles
        .filter(col(c::PERSPECTIVE_ID).is_not_null())
        .with_column(
            (col(c::DIGEST_DATE).cast(DataType::Int32) - col(c::PUBLISHED_DATE).cast(DataType::Int32))
                .cast(DataType::Float64)
                .alias("age"),
        )
        .with_column(named_flags(Arc::new(sides), Arc::new(by_digest)).alias("named"))
        .with_columns([
            (col("named") % lit(2i32)).eq(lit(1i32)).alias("self"),
            col("named").gt_eq(lit(2i32)).alias("other"),
        ]);
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
    Ok(sorted(grouped.with_columns(shares), &[c::TOPIC, col::PERIOD_START, c::PERSPECTIVE_ID]))
}

/// A UDF over (title, perspective_id, digest_id): bit 0 set when the title names its own
/// side, bit 1 when it names another side its digest declares.
fn named_flags(sides: Arc<Matcher>, declared: Arc<HashMap<String, Vec<String>>>) -> Expr {
    let labels: Vec<String> = sides.labels().to_vec();
    map_multiple(
        move |columns: &mut [Column]| {
            let titles: Vec<Option<&str>> = columns[0].str()?.iter().collect();
            let own: Vec<Option<&str>> = columns[1].str()?.iter().collect();
            let digests: Vec<Option<&str>> = columns[2].str()?.iter().collect();
            let flags: Vec<i32> = (0..titles.len())
                .into_par_iter()
                .with_min_len(2048)
                .map(|i| {
                    let (Some(title), Some(own)) = (titles[i], own[i]) else { return 0 };
                    let sides_of_digest = digests[i].and_then(|d| declared.get(d));
                    let mut flag = 0;
                    for label in sides.find(title) {
                        let named = labels[label].as_str();
                        if !sides_of_digest.is_some_and(|s| s.iter().any(|p| p == named)) {
                            continue;
                        }
                        flag |= if named == own { 1 } else { 2 };
                    }
                    flag
                })
                .collect();
            Ok(Column::new(columns[0].name().clone(), flags))
        },
        [col(c::TITLE), col(c::PERSPECTIVE_ID), col(c::DIGEST_ID)],
        |_, fields| Ok(Field::new(fields[0].name().clone(), DataType::Int32)),
    )
}
