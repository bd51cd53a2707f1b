//! The months an incremental run's grounding reads of a restarted topic: those its
//! rarity reads ([`super::Columns::topic`]), cut before the columns are gathered.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::tables::col as c;

/// `lf` (with `topic` and `digest_date`) without the rows a topic scored from its month in
/// `since` never reads: those of the months before the `rarity_months` that end with it
/// ([`super::Columns::topic`] reads none of them). Every row of a topic not in `since`. Cutting
/// them before the columns are gathered spares an incremental run the topic's history.
pub(super) fn read_rows(
    lf: LazyFrame,
    since: Option<&BTreeMap<String, u32>>,
    rarity_months: u32,
) -> PolarsResult<LazyFrame> {
    let Some(since) = since.filter(|s| !s.is_empty()) else { return Ok(lf) };
    let (mut topics, mut firsts) = (Vec::new(), Vec::new());
    for (topic, &month) in since {
        let from = month.saturating_sub(rarity_months.saturating_sub(1));
        if let Some(day) = chrono::NaiveDate::from_ymd_opt((from / 12) as i32, from % 12 + 1, 1) {
            topics.push(topic.as_str());
            firsts.push(day);
        }
    }
    const FIRST: &str = "__first_day_read";
    let firsts = df!(c::TOPIC => topics, FIRST => firsts)?;
    let mut left = JoinArgs::new(JoinType::Left);
    left.maintain_order = MaintainOrderJoin::Left;
    Ok(lf
        .join(firsts.lazy(), [col(c::TOPIC)], [col(c::TOPIC)], left)
        .filter(col(FIRST).is_null().or(col(c::DIGEST_DATE).gt_eq(col(FIRST))))
        .drop(by_name([FIRST], true, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restarted_topic_reads_only_the_months_its_rarity_reads() {
        use chrono::NaiveDate;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let rows = df!(
            c::TOPIC => ["a", "b", "a", "a", "b"],
            c::DIGEST_DATE => [day(2025, 12, 31), day(2020, 1, 1), day(2026, 1, 1), day(2026, 12, 5), day(2026, 12, 6)],
            "n" => [1i64, 2, 3, 4, 5],
        )
        .unwrap();
        // Topic a restarts in December 2026 (month number 2026 × 12 + 11) and its rarity reads
        // twelve months, so from January 2026: its row of 31 December 2025 goes. Topic b is
        // analysed whole: every row stays. Row order is kept.
        let since = BTreeMap::from([("a".to_string(), 2026 * 12 + 11)]);
        let kept = |months| read_rows(rows.clone().lazy(), Some(&since), months).unwrap().collect().unwrap();
        let n =
            |df: DataFrame| df.column("n").unwrap().i64().unwrap().into_no_null_iter().collect::<Vec<_>>();
        assert_eq!(kept(12).get_column_names(), rows.get_column_names());
        assert_eq!(n(kept(12)), [2, 3, 4, 5]);
        // With a rarity of one month only December's rows of a are read.
        assert_eq!(n(kept(1)), [2, 4, 5]);
    }
}
