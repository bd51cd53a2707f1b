//! Clustering a changed topic again from a quiet day instead of its first article (issue 30):
//! the articles before the day keep the stories, similarities and representatives the
//! previous run gave them ([`Before`]), and steps 3 to 6 run over the articles from the day
//! on only. Normalising and weighting (steps 1 and 2) still read the whole topic.
//!
//! The day ([`restart_index`]) is chosen so that the result is the one clustering the whole
//! topic gives, by these facts of the steps:
//! - Step 5 is causal: an article's story depends only on the articles before it, so the
//!   articles before the first changed day join as they did.
//! - A changed article (on or after the first changed day `R`) is compared only with articles
//!   of its window, so none before `R − window` (the day is at most that).
//! - No previous story has articles both before the day and on or after it, so no article
//!   from the day on joined a story begun before it, nor did step 6 join a later story to
//!   one: leaving the earlier stories out of the candidates and the index removes options
//!   that were not taken (walks meet the newer postings first, so the cap cuts the same).
//! - Step 6 may join a story to an earlier one whose last article is within the window of its
//!   first. A story that begins within the window after the day and ends before `R − window`
//!   gains no article from the change, so keeps its representative and its decision; the
//!   day is chosen so that every story beginning in that window does.
//!
//! `cluster`'s tests hold a resumed clustering equal to a whole one over random changes,
//! and `tests/python/replay.py` (in CI) incremental analyses of the real history equal to
//! full ones.

use crate::fxhash::FxMap;

/// The stories a previous run gave a topic's first `start` items, which a resumed
/// clustering keeps ([`super::cluster::cluster_after`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Before {
    /// How many of the topic's items (in story order) are kept.
    pub start: usize,
    /// Per kept item, its story, numbered by first appearance.
    pub story: Vec<u32>,
    /// Per kept item, its similarity to its story's representative.
    pub similarity: Vec<f64>,
    /// Per kept story, its representative item.
    pub representative: Vec<usize>,
}

/// Where a changed topic's clustering can start again: the first item of the latest day
/// that is at most `window` days before `restart` (the first day that changed), no previous
/// story spans (`spans`: each previous story's first and last day, in order of first day),
/// and such that every previous story beginning within `window` days after it ends before
/// `restart − window`. Days are day numbers; `days` are the items' (sorted). `None` when no
/// such day has an item before it: the clustering starts at the first item.
pub fn restart_index(days: &[i64], spans: &[(i64, i64)], restart: i64, window: i64) -> Option<usize> {
    // Per story (in order of first day), the latest last day of it and those before it.
    let mut reach = Vec::with_capacity(spans.len());
    let mut most = i64::MIN;
    for &(_, last) in spans {
        most = most.max(last);
        reach.push(most);
    }
    let latest = restart - window;
    // Candidate days: the distinct days of the items, latest first.
    let mut end = days.partition_point(|d| *d <= latest);
    while end > 0 {
        let day = days[end - 1];
        let start = days.partition_point(|d| *d < day);
        if start == 0 {
            return None;
        }
        // The stories begun before the day end before it.
        let before = spans.partition_point(|s| s.0 < day);
        let quiet = before == 0 || reach[before - 1] < day;
        // Those begun within the window after it end before `restart − window`.
        let within = spans.partition_point(|s| s.0 < day + window);
        let settled = spans[before..within].iter().all(|s| s.1 < latest);
        if quiet && settled {
            return Some(start);
        }
        end = start;
    }
    None
}

/// A previous run's stories of one topic: what [`kept`] rebuilds a [`Before`] from.
pub struct Previous<'p> {
    /// Per previous `story_articles` row of the topic: digest id, position, story id and
    /// similarity. In story order when the table was written whole; read back from
    /// partitions, a story's articles come under the year of its first day, so a story
    /// begun in December holds January's articles ahead of the new year's first stories.
    pub articles: Vec<(&'p str, i64, &'p str, f64)>,
    /// Per previous `stories` row of the topic: story id, first and last day (day numbers),
    /// and the representative's digest id and position.
    pub stories: Vec<(&'p str, i64, i64, &'p str, i64)>,
}

/// Where a topic whose items fall on `days` (in story order) resumes, given its previous
/// stories' `spans` (first and last day, in order of first day) and its first changed day:
/// [`restart_index`], or `None` when the spans are not in order (they are not a previous
/// run's stories: nothing is trusted).
pub fn start(days: &[i64], spans: &[(i64, i64)], restart: i64, window: i64) -> Option<usize> {
    if spans.windows(2).any(|w| w[0].0 > w[1].0) {
        return None;
    }
    restart_index(days, spans, restart, window)
}

/// The previous rows of `keys` (digest id and position), in their order: the first rows
/// when they are in that order, else each looked up by its key. `None` when a key has no
/// row.
fn rows_of<'a, 'p>(
    keys: &[(&str, i64)],
    articles: &'a [(&'p str, i64, &'p str, f64)],
) -> Option<Vec<&'a (&'p str, i64, &'p str, f64)>> {
    let same = |key: &(&str, i64), row: &(&str, i64, &str, f64)| key.0 == row.0 && key.1 == row.1;
    if articles.len() >= keys.len() && keys.iter().zip(articles).all(|(k, r)| same(k, r)) {
        return Some(articles[..keys.len()].iter().collect());
    }
    let at: FxMap<(&str, i64), &(&str, i64, &str, f64)> = articles.iter().map(|r| ((r.0, r.1), r)).collect();
    keys.iter().map(|k| at.get(k).copied()).collect()
}

/// The [`Before`] of a topic's first `start` items (`keys`: digest id and position, `days`,
/// in story order; `start` from [`start`]) from a previous run's stories of it. `None`
/// (cluster the whole topic) when the previous rows do not describe these items.
pub fn kept(keys: &[(&str, i64)], days: &[i64], start: usize, previous: &Previous<'_>) -> Option<Before> {
    if start == 0 || start > keys.len() {
        return None;
    }
    let rows = rows_of(&keys[..start], &previous.articles)?;
    let mut number: FxMap<&str, u32> = FxMap::default();
    let mut story = Vec::with_capacity(start);
    let mut similarity = Vec::with_capacity(start);
    for row in rows {
        let next = number.len() as u32;
        story.push(*number.entry(row.2).or_insert(next));
        similarity.push(row.3);
    }
    // The kept stories are the previous ones begun before the day, in the same order.
    let kept = previous.stories.partition_point(|s| s.1 < days[start]);
    if kept != number.len() {
        return None;
    }
    let at: FxMap<(&str, i64), usize> = keys[..start].iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut representative = Vec::with_capacity(kept);
    for (k, s) in previous.stories[..kept].iter().enumerate() {
        let r = *at.get(&(s.3, s.4))?;
        if number.get(s.0) != Some(&(k as u32)) || story[r] != k as u32 {
            return None;
        }
        representative.push(r);
    }
    Some(Before { start, story, similarity, representative })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restart_is_the_latest_quiet_day_a_window_before_the_change() {
        // Items on days 1, 2, 2, 5, 6, 9, 10; window 3; the change on day 12, so the day is
        // at most 9. Stories: [1, 2], [2, 6] (spans 5: not quiet), [6, 6], [9, 10].
        let days = [1, 2, 2, 5, 6, 9, 10];
        let spans = [(1, 2), (2, 6), (6, 6), (9, 10)];
        // Day 9: nothing spans it (the stories before end by 6), and the story begun within
        // 3 days after it ([9, 10]) ends at 10 ≥ 12 − 3: it may gain the change. Not settled.
        // Day 6: [2, 6] spans it (begun on 2, ends on 6 ≥ 6). Day 5: same. Day 2: [1, 2]
        // spans it. So none.
        assert_eq!(restart_index(&days, &spans, 12, 3), None);
        // With the change on day 14 (latest day 11): [9, 10] spans day 10. Day 9 is quiet
        // (the stories begun before it end by 6), and [9, 10] ends at 10 < 11: settled. The
        // items of day 9 start at index 5.
        assert_eq!(restart_index(&days, &spans, 14, 3), Some(5));
        // Story [9, 10] ending on 11 instead (not before 11): day 9 is not settled.
        assert_eq!(restart_index(&days, &[(1, 2), (2, 6), (6, 6), (9, 11)], 14, 3), None);
        // The first day has nothing before it: no restart.
        assert_eq!(restart_index(&[4, 4, 5], &[(4, 5)], 30, 3), None);
    }

    #[test]
    fn the_kept_stories_are_found_whatever_the_order_of_the_previous_rows() {
        // Items a#1 and a#2 on day 1, b#1 on day 2, c#1 on day 10; resuming at c#1 (index 3)
        // keeps three items. Previous stories: s1 = {a#1, b#1} (days 1–2, represented by
        // a#1), s2 = {a#2} (day 1), s3 = {c#1} (day 10).
        let keys = [("a", 1), ("a", 2), ("b", 1), ("c", 1)];
        let days = [1, 1, 2, 10];
        let stories = vec![("s1", 1, 2, "a", 1), ("s2", 1, 1, "a", 2), ("s3", 10, 10, "c", 1)];
        let row = |k: usize, story: &'static str, sim: f64| (keys[k].0, keys[k].1, story, sim);
        let in_order = vec![row(0, "s1", 1.0), row(1, "s2", 1.0), row(2, "s1", 0.5), row(3, "s3", 1.0)];
        // Stories numbered by first appearance: s1 → 0, s2 → 1; a#1 and a#2 represent them.
        let want = Before {
            start: 3,
            story: vec![0, 1, 0],
            similarity: vec![1.0, 1.0, 0.5],
            representative: vec![0, 1],
        };
        let previous = Previous { articles: in_order.clone(), stories: stories.clone() };
        assert_eq!(kept(&keys, &days, 3, &previous), Some(want.clone()));
        // As read back from partitions: rows in another order, the same stories.
        let shuffled = vec![in_order[3], in_order[2], in_order[0], in_order[1]];
        let previous = Previous { articles: shuffled.clone(), stories: stories.clone() };
        assert_eq!(kept(&keys, &days, 3, &previous), Some(want));
        // A kept item without a previous row: nothing is kept.
        let previous = Previous { articles: shuffled[..3].to_vec(), stories };
        assert_eq!(kept(&keys, &days, 3, &previous), None);
    }
}
