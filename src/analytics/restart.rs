//! Where an incremental run starts a changed topic again, and what it keeps before that.
//! The analyses that read no earlier period and no later month (the period tables, the items'
//! tone, grounding with its rarity over trailing months) are made from each changed topic's
//! first changed month on ([`Restart`]); the topic's rows from before it are the previous
//! run's, put back in front of the fresh ones ([`with_earlier`]). `tests/it` checks the
//! result equals a full analysis after every kind of change.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::base::{col as ac, Period};
use super::table::Table;
use crate::tables::col as c;

/// Where an incremental run makes a changed topic's period tables again: from the period
/// that holds the first day of the topic's first changed month (per topic, that day); the
/// rows of earlier periods are the previous run's. Topics not in it are made whole.
#[derive(Debug, Default, Clone)]
pub struct Restart {
    /// Per topic, its first changed month ([`super::stories::months::month`] numbers).
    months: BTreeMap<String, u32>,
}

impl Restart {
    pub fn new(months: BTreeMap<String, u32>) -> Restart {
        Restart { months }
    }

    /// Per topic, its first changed month.
    pub fn months(&self) -> &BTreeMap<String, u32> {
        &self.months
    }

    /// The first day of `topic`'s first changed month, if it has one.
    pub fn day(&self, topic: &str) -> Option<NaiveDate> {
        self.months.get(topic).and_then(|&m| first_day(m))
    }

    /// Each restarted topic's day ([`Restart::day`]).
    pub fn days_by_topic(&self) -> BTreeMap<String, NaiveDate> {
        self.months.keys().filter_map(|t| Some((t.clone(), self.day(t)?))).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.months.is_empty()
    }

    /// Each restarted topic with its day, as a frame (`topic`, [`DAY`]) to join on.
    fn days(&self) -> PolarsResult<DataFrame> {
        let (topics, days): (Vec<String>, Vec<NaiveDate>) = self.days_by_topic().into_iter().unzip();
        Ok(df!(c::TOPIC => topics, DAY => days)?)
    }

    /// Per restarted topic, the first year a row made from its restart on can be filed under
    /// (`analyze --partitioned`): that of six days before the first changed month's first
    /// day, since the week holding that day may start up to six days before it. The
    /// partitions of earlier years hold only rows kept from the previous tables.
    pub fn first_years(&self) -> BTreeMap<String, i32> {
        use chrono::Datelike;
        let year = |t: &String| self.day(t).map(|d| (d - chrono::Days::new(6)).year());
        self.months.keys().filter_map(|t| Some((t.clone(), year(t)?))).collect()
    }

    /// The rows of `lf` (with `topic` and `period_end`) the period tables are made from:
    /// those of periods that end on or after their topic's day, and every row of the other
    /// topics.
    pub fn inputs(&self, lf: LazyFrame) -> PolarsResult<LazyFrame> {
        if self.months.is_empty() {
            return Ok(lf);
        }
        let days = self.days()?;
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        let topic = [col(c::TOPIC)];
        Ok(lf
            .join(days.lazy(), topic.clone(), topic, args)
            .filter(col(DAY).is_null().or(col(ac::PERIOD_END).gt_eq(col(DAY))))
            .drop(by_name([DAY], true, false)))
    }

    /// The rows of `lf` (with `topic`, `period_end` and `period_index`) a table that reads
    /// up to `span` periods before each row needs, to make the rows [`Restart::inputs`]
    /// keeps: for a restarted topic, those from `span` periods before its first period that
    /// ends on or after its day (a topic with no such period keeps every row); every row of
    /// the other topics. Row order is kept.
    pub fn trailing_inputs(&self, lf: LazyFrame, span: i64) -> PolarsResult<LazyFrame> {
        if self.months.is_empty() {
            return Ok(lf);
        }
        const FIRST: &str = "__first_period";
        let days = self.days()?;
        let topic = [col(c::TOPIC)];
        let firsts = lf
            .clone()
            .join(days.lazy(), topic.clone(), topic.clone(), JoinArgs::new(JoinType::Inner))
            .filter(col(ac::PERIOD_END).gt_eq(col(DAY)))
            .group_by(topic.clone())
            .agg([col(ac::PERIOD_INDEX).min().alias(FIRST)]);
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        Ok(lf
            .join(firsts, topic.clone(), topic, args)
            .filter(col(FIRST).is_null().or(col(ac::PERIOD_INDEX).gt_eq(col(FIRST) - lit(span))))
            .drop(by_name([FIRST], true, false)))
    }
}

/// The column of [`Restart::days`]: a restarted topic's day.
const DAY: &str = "__restart";

/// The first day of a month number.
fn first_day(month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((month / 12) as i32, month % 12 + 1, 1)
}

/// Each digest's date by its id: what tells a kept row from a recomputed one in the tables
/// made from a month on ([`with_earlier`]), and a row's month in the fingerprints.
pub struct DigestDates {
    dates: crate::fxhash::FxMap<String, NaiveDate>,
}

impl DigestDates {
    /// From the digests (`digest_id`, `digest_date`).
    pub fn of(digests: &DataFrame) -> PolarsResult<DigestDates> {
        let dates = crate::frames::dates(digests, c::DIGEST_DATE)?;
        let ids = digests.column(c::DIGEST_ID)?.str()?;
        let dates = ids.iter().zip(dates).filter_map(|(id, d)| Some((id?.to_string(), d?))).collect();
        Ok(DigestDates { dates })
    }

    pub fn get(&self, id: Option<&str>) -> Option<NaiveDate> {
        self.dates.get(id?).copied()
    }
}

/// What an incremental run restarts the analyses with: where each changed topic starts
/// again and how to tell its earlier rows ([`Earlier`]), the previous run's `themes`,
/// whose earlier rows later jobs need back at once (trends and runs read every period), and
/// its `stories` and `story_articles`, which the clustering resumes from
/// ([`super::stories::resume`]).
pub struct Resume<'a> {
    pub earlier: &'a Earlier<'a>,
    pub themes: &'a DataFrame,
    pub stories: &'a DataFrame,
    pub story_articles: &'a DataFrame,
}

/// Which of a table's rows an incremental run made from a topic's first changed month on
/// keeps from the previous run: per topic, the first day of that month (`restart`), and how
/// to tell a row from before it. A topic's rows are in that order, so they are a prefix.
pub struct Earlier<'a> {
    pub restart: &'a Restart,
    pub period: Period,
    pub digests: &'a DigestDates,
}

impl Earlier<'_> {
    /// How many of `block`'s rows (one topic's, or one topic and kind's) come before
    /// `day`, by the table's own columns: grounding and items by their digest's month or
    /// period, period tables by their period.
    fn prefix(&self, table: Table, block: &DataFrame, day: NaiveDate) -> PolarsResult<usize> {
        use Table;
        let n = block.height();
        let bisect = |before: &dyn Fn(usize) -> bool| {
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if before(mid) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        // The first day of the period that holds `day`: a digest before it is in an
        // earlier period.
        let period_start = match self.period {
            Period::Week => day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Period::Month => day,
        };
        Ok(match table {
            Table::HighlightSupport | Table::HighlightGrounding => {
                let ids = block.column(c::DIGEST_ID)?.str()?;
                bisect(&|r| self.digests.get(ids.get(r)).is_some_and(|d| d < day))
            }
            Table::ItemTone | Table::ItemThemes => {
                let ids = block.column(c::DIGEST_ID)?.str()?;
                bisect(&|r| self.digests.get(ids.get(r)).is_some_and(|d| d < period_start))
            }
            Table::ToneWords => {
                let label = match self.period {
                    Period::Week => period_start.format("%G-W%V").to_string(),
                    Period::Month => period_start.format("%Y-%m").to_string(),
                };
                let periods = block.column(ac::PERIOD)?.str()?;
                bisect(&|r| periods.get(r).is_some_and(|p| p < label.as_str()))
            }
            _ => {
                let ends = crate::frames::dates(block, ac::PERIOD_END)?;
                bisect(&|r| ends[r].is_some_and(|e| e < day))
            }
        })
    }
}

/// The `fresh` rows of `table`, made from each restarted topic's first changed month on
/// ([`Earlier`]), with the previous run's rows of those topics from before it put back before
/// the topic's fresh rows: the rows a run over the whole topic makes. Each block (a topic's
/// rows, or a topic and kind's in `item_tone`) is a slice; the earlier rows are its start,
/// found by bisection: no sort. Other topics' fresh rows are as they are.
pub fn with_earlier(
    table: Table,
    previous: &DataFrame,
    fresh: DataFrame,
    earlier: &Earlier<'_>,
) -> PolarsResult<DataFrame> {
    if earlier.restart.is_empty() || previous.height() == 0 {
        return Ok(fresh);
    }
    let by_kind = matches!(table, Table::ItemTone | Table::ItemThemes);
    let keys: &[&str] = if by_kind { &[c::TOPIC, ac::KIND] } else { &[c::TOPIC] };
    let mut blocks: BTreeMap<Vec<String>, (Option<DataFrame>, Option<DataFrame>)> = BTreeMap::new();
    for (key, block) in crate::store::layout::keyed_groups(previous, keys)? {
        let Some(day) = earlier.restart.day(&key[0]) else { continue };
        let kept = earlier.prefix(table, &block, day)?;
        if kept > 0 {
            blocks.entry(key).or_default().0 = Some(block.slice(0, kept));
        }
    }
    if blocks.is_empty() {
        return Ok(fresh);
    }
    for (key, block) in crate::store::layout::keyed_groups(&fresh, keys)? {
        blocks.entry(key).or_default().1 = Some(block);
    }
    let parts: Vec<DataFrame> =
        blocks.into_values().flat_map(|(kept, made)| kept.into_iter().chain(made)).collect();
    polars_core::utils::accumulate_dataframes_vertical(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_table_reads_back_its_span_before_the_restart() {
        // Weeks of 2026 ending on Sundays: index 1 ends 4 Jan, … 6 ends 8 Feb. Topic a
        // restarts in February: its first period ending on or after 1 Feb is index 5 (ends
        // 1 Feb), so with a span of 2 its rows from index 3 on are read. Topic b is not
        // restarted (all kept); topic c restarts after its last period (all kept).
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let ends = [d(1, 4), d(1, 11), d(1, 18), d(1, 25), d(2, 1), d(2, 8)];
        let mut topic = vec!["a"; 6];
        topic.extend(["b", "c"]);
        let mut index: Vec<i64> = (1..=6).collect();
        index.extend([1, 1]);
        let mut end = ends.to_vec();
        end.extend([d(1, 4), d(1, 4)]);
        let lf = df!(c::TOPIC => topic, ac::PERIOD_INDEX => index, ac::PERIOD_END => end).unwrap().lazy();
        let restart =
            Restart::new([("a".to_string(), 2026 * 12 + 1), ("c".to_string(), 2026 * 12 + 1)].into());
        let out = restart.trailing_inputs(lf, 2).unwrap().collect().unwrap();
        assert_eq!(crate::frames::strings(&out, c::TOPIC).unwrap(), ["a", "a", "a", "a", "b", "c"]);
        assert_eq!(crate::frames::ints(&out, ac::PERIOD_INDEX).unwrap(), [3, 4, 5, 6, 1, 1]);
    }

    #[test]
    fn earlier_rows_go_back_before_each_topics_fresh_ones() {
        // Topic a made again from February 2026: its January rows (digests a1, a2) are kept
        // and its February row (a3) is the fresh one; topic b is made whole.
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let digests = DigestDates {
            dates: [("a1", d(1, 5)), ("a2", d(1, 30)), ("a3", d(2, 2)), ("b1", d(1, 5))]
                .iter()
                .map(|(id, day)| (id.to_string(), *day))
                .collect(),
        };
        let restart = Restart::new([("a".to_string(), 2026 * 12 + 1)].into());
        let earlier = Earlier { restart: &restart, period: Period::Week, digests: &digests };
        let previous = df!(
            "topic" => ["a", "a", "a", "b"],
            "digest_id" => ["a1", "a2", "a3", "b1"],
            "x" => [1i64, 2, 3, 4]
        )
        .unwrap();
        let fresh = df!("topic" => ["a", "b"], "digest_id" => ["a3", "b1"], "x" => [30i64, 40]).unwrap();
        let table = Table::HighlightGrounding;
        let out = with_earlier(table, &previous, fresh.clone(), &earlier).unwrap();
        let want = df!(
            "topic" => ["a", "a", "a", "b"],
            "digest_id" => ["a1", "a2", "a3", "b1"],
            "x" => [1i64, 2, 30, 40]
        )
        .unwrap();
        assert!(out.equals(&want), "{out}");
        // item_tone keeps by period: 2026-02-01 is a Sunday, so the week that holds it began
        // on Monday 26 January, and a2 (30 January) is made again with it, not kept.
        let previous = previous.lazy().with_column(lit("title").alias("kind")).collect().unwrap();
        let fresh = df!(
            "topic" => ["a", "a", "b"], "digest_id" => ["a2", "a3", "b1"], "x" => [20i64, 30, 40], "kind" => ["title"; 3]
        )
        .unwrap();
        let out = with_earlier(Table::ItemTone, &previous, fresh, &earlier).unwrap();
        assert_eq!(crate::frames::ints(&out, "x").unwrap(), [1, 20, 30, 40]);
    }
}
