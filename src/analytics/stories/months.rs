//! Counting over trailing months: what makes rarity and the suffix rule local in time. A
//! title is read with what the topic's items of its month and the months before it say,
//! never a later month's, so a day added to a topic leaves every earlier month's reading as
//! it was (docs/analysis.md, Stories).

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

/// A date's calendar month as a number (months since the year 0).
pub fn month(date: NaiveDate) -> u32 {
    (date.year().max(0) as u32) * 12 + date.month0()
}

/// Walks the months of items in date order (`months`, per item), keeping how many of the
/// items of the last `window` months (the month itself and those before it) have each
/// feature (`features_of(i)`: item `i`'s feature numbers below `features`, each once), and
/// calls `visit(items, counts, n)` once per month: the month's items, the window's counts
/// by feature, and its number of items.
pub fn rolling<'f>(
    months: &[u32],
    window: u32,
    features: usize,
    features_of: impl Fn(usize) -> &'f [u32],
    mut visit: impl FnMut(Range<usize>, &[u32], u32),
) {
    let mut blocks: Vec<(u32, Range<usize>)> = Vec::new();
    for (i, m) in months.iter().enumerate() {
        match blocks.last_mut() {
            Some((last, r)) if last == m => r.end = i + 1,
            _ => blocks.push((*m, i..i + 1)),
        }
    }
    let mut counts = vec![0u32; features];
    let (mut n, mut oldest) = (0u32, 0usize);
    for b in 0..blocks.len() {
        let (month, items) = blocks[b].clone();
        for i in items.clone() {
            for &f in features_of(i) {
                counts[f as usize] += 1;
            }
        }
        n += items.len() as u32;
        while blocks[oldest].0 + window <= month {
            for i in blocks[oldest].1.clone() {
                for &f in features_of(i) {
                    counts[f as usize] -= 1;
                }
            }
            n -= blocks[oldest].1.len() as u32;
            oldest += 1;
        }
        visit(items, &counts, n);
    }
}

/// For numbers given by first appearance (`of`, per item), the numbers first seen among
/// `items` when every number below `next` was seen before them: `next..` the end returned.
pub fn first_seen(of: &[u32], items: Range<usize>, next: usize) -> Range<usize> {
    let end = of[items].iter().map(|t| *t as usize + 1).max().unwrap_or(next).max(next);
    next..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cover_the_month_and_the_months_before_it_in_the_window() {
        // Items of Jan (2), Feb (1), Apr (1) 2026; feature 0 on every item, 1 on the Jan
        // ones. A two-month window: Jan = Jan; Feb = Jan + Feb; Apr = Apr alone (March is
        // in its window but empty, and Feb falls out).
        let m = |mo: u32| month(NaiveDate::from_ymd_opt(2026, mo, 1).unwrap());
        let months = [m(1), m(1), m(2), m(4)];
        let feats: Vec<Vec<u32>> = vec![vec![0, 1], vec![0, 1], vec![0], vec![0]];
        let mut seen = Vec::new();
        rolling(&months, 2, 2, |i| &feats[i], |items, counts, n| seen.push((items, counts.to_vec(), n)));
        assert_eq!(seen, [(0..2, vec![2, 2], 2), (2..3, vec![3, 2], 3), (3..4, vec![1, 0], 1)]);
        assert_eq!(month(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()) - m(1), 1);
        // Titles 0, 1 in the first two items, 0 and 2 in the next two.
        let of = [0, 1, 0, 2];
        assert_eq!(first_seen(&of, 0..2, 0), 0..2);
        assert_eq!(first_seen(&of, 2..4, 2), 2..3);
        assert_eq!(first_seen(&of, 2..3, 2), 2..2);
    }
}
