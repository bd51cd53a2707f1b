//! A side's tone per period and kind (`side_tone`), and the words that moved it
//! (`tone_words`), from the scored items.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::items::{Interned, Items};
use super::score::ToneLexicon;
use crate::analytics::base::{col, round6, Options};
use crate::fxhash::FxMap;
use crate::model::{DIFFERENCES, OVERALL};
use crate::tables::col as c;

/// How well each list's title scores rank held-out titles as a reader does: Spearman ρ with
/// the hand ratings of `tests/fixtures/tone` (docs/analysis.md, Tone; English on its 100
/// held-out titles, Spanish on all 543). The report quotes them where a topic's sides are
/// scored with different lists, and `side_tone.lexicon_rho` carries them on title rows.
/// `tests/python/check_tone_grounding.py` holds them equal to its levels.
pub const HELD_OUT_RHO: [(&str, f64); 2] = [("en", 0.533), ("es", 0.336)];

/// The same for highlights (all English): ρ on the 52 held-out highlights.
pub const HELD_OUT_RHO_HIGHLIGHTS: f64 = 0.642;

/// The held-out ρ of `lexicon`'s scores of items of `kind` (`title` or `highlight`), if
/// measured: what `side_tone.lexicon_rho` holds.
pub fn held_out_rho(kind: &str, lexicon: &str) -> Option<f64> {
    match kind {
        col::KIND_HIGHLIGHT => (lexicon == "en").then_some(HELD_OUT_RHO_HIGHLIGHTS),
        _ => HELD_OUT_RHO.iter().find(|(l, _)| *l == lexicon).map(|(_, r)| *r),
    }
}

/// Words listed per side, period and kind in `tone_words`.
pub const TOP_WORDS: usize = 10;

/// A side's items of one kind in one period, the cell of `side_tone`: topic, period index,
/// side and kind (the numbers of [`Items`]' names).
type Cell = (u32, i64, u32, u32);

/// What a cell adds up to.
#[derive(Debug, Default)]
struct Tally {
    /// Its first item, for the period columns.
    first: usize,
    items: u32,
    /// Item scores of the items a lexicon covers.
    tones: Vec<f64>,
    words: u64,
    positive: u64,
    negative: u64,
    /// The lexicon that scored most of its items.
    lexicons: BTreeMap<&'static str, u32>,
    /// Per word (its number in the lexicon): occurrences and summed valence.
    contributions: FxMap<u32, (u32, f64)>,
}

/// `side_tone` and `tone_words`.
pub(super) fn tables(
    items: &Items,
    lexicon: &ToneLexicon,
    options: &Options,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let mut cells: FxMap<Cell, Tally> = FxMap::default();
    let (overall, differences) = (position(&items.section, OVERALL), position(&items.section, DIFFERENCES));
    for i in 0..items.lang.len() {
        let section = items.section.of[i];
        if Some(section) == overall || Some(section) == differences {
            continue;
        }
        let key = (items.topic.of[i], items.period_index[i], section, items.kind.of[i]);
        let t = cells.entry(key).or_insert_with(|| Tally { first: i, ..Tally::default() });
        t.items += 1;
        if let Some((lang, s)) = items.scored(i) {
            t.tones.push(s.tone);
            t.words += u64::from(s.words);
            t.positive += u64::from(s.positive);
            t.negative += u64::from(s.negative);
            *t.lexicons.entry(lang.name()).or_default() += 1;
            for &(w, v) in items.moved(i) {
                let e = t.contributions.entry(w).or_default();
                e.0 += 1;
                e.1 += v;
            }
        }
    }
    // In the order of topic, period, side and kind names.
    let mut cells: Vec<(Cell, Tally)> = cells.into_iter().collect();
    let name = |k: &Cell| {
        (
            items.topic.names[k.0 as usize].as_str(),
            k.1,
            items.section.names[k.2 as usize].as_str(),
            items.kind.names[k.3 as usize].as_str(),
        )
    };
    cells.sort_by(|a, b| name(&a.0).cmp(&name(&b.0)));
    Ok((side_table(items, &cells, options)?, words_table(items, &cells, lexicon)?))
}

/// The number of `name` among the interned names, if it occurs.
fn position(names: &Interned, name: &str) -> Option<u32> {
    names.names.iter().position(|n| n == name).map(|p| p as u32)
}

/// Mean of the values (`None` when empty).
fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Resamples drawn side by side, each from its own generator: one generator's next draw
/// waits for its last, four do not wait for each other.
const STREAMS: usize = 4;

/// The percentile bootstrap 95% interval of the mean of `values`: `resamples` means of as
/// many values drawn with replacement, so a run repeats. Resample `r` draws from generator
/// `r % STREAMS` (xorshift64*, each seeded from `seed` by splitmix64), two values a draw,
/// the resamples made four at a time.
fn bootstrap(values: &[f64], resamples: u32, seed: u64) -> Option<(f64, f64)> {
    if values.len() < 2 || resamples == 0 {
        return None;
    }
    let mut states = [0u64; STREAMS];
    let mut z = seed;
    for s in &mut states {
        // splitmix64
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = z;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        *s = (x ^ (x >> 31)) | 1;
    }
    let n = values.len() as u64;
    // A value by 32 random bits, multiply-shift (no division per draw): each draw of a
    // generator picks two values, by its high and its low half.
    let pick = |bits: u64| values[(((bits & 0xffff_ffff) * n) >> 32) as usize];
    let mut means: Vec<f64> = Vec::with_capacity(resamples as usize + STREAMS);
    while means.len() < resamples as usize {
        let mut sums = [0.0f64; STREAMS];
        for k in (0..n).step_by(2) {
            for (state, sum) in states.iter_mut().zip(&mut sums) {
                // xorshift64*
                *state ^= *state >> 12;
                *state ^= *state << 25;
                *state ^= *state >> 27;
                let draw = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
                *sum += pick(draw >> 32);
                if k + 1 < n {
                    *sum += pick(draw);
                }
            }
        }
        means.extend(sums.iter().map(|s| s / n as f64));
    }
    means.truncate(resamples as usize);
    Some(ends(&mut means))
}

/// The 2.5th and 97.5th percentiles of `means` (the values a sort would put at ranks
/// `round(q × (len − 1))`), found without sorting the rest; `means` is reordered.
fn ends(means: &mut [f64]) -> (f64, f64) {
    let rank = |q: f64| ((q * (means.len() - 1) as f64).round() as usize).min(means.len() - 1);
    let (low, high) = (rank(0.025), rank(0.975));
    let (left, at_high, _) = means.select_nth_unstable_by(high, f64::total_cmp);
    let at_high = *at_high;
    let at_low = match low < high {
        true => *left.select_nth_unstable_by(low, f64::total_cmp).1,
        false => at_high,
    };
    (at_low, at_high)
}

/// A stable seed for a cell (FNV-1a of its names), so intervals do not move between runs.
fn seed(items: &Items, cell: &Cell) -> u64 {
    let key = format!(
        "{}|{}|{}|{}",
        items.topic.names[cell.0 as usize],
        cell.1,
        items.section.names[cell.2 as usize],
        items.kind.names[cell.3 as usize]
    );
    key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// **side_tone**, one row per cell, in cell order (sorted again by the caller).
fn side_table(items: &Items, cells: &[(Cell, Tally)], options: &Options) -> PolarsResult<DataFrame> {
    let n = cells.len();
    let mut b = SideColumns::with_capacity(n);
    // The highlights' mean minus the titles' of the same side and period.
    let title = position(&items.kind, col::KIND_TITLE);
    let means: FxMap<Cell, Option<f64>> = cells.iter().map(|(k, t)| (*k, mean(&t.tones))).collect();
    // The intervals, the costly part, in parallel.
    let intervals: Vec<Option<(f64, f64)>> = {
        use rayon::prelude::*;
        cells.par_iter().map(|(k, t)| bootstrap(&t.tones, options.tone_bootstrap, seed(items, k))).collect()
    };
    for ((k, t), ci) in cells.iter().zip(intervals) {
        let kind = items.kind.names[k.3 as usize].as_str();
        let m = mean(&t.tones);
        let pct = |x: f64| (t.words > 0).then(|| round6(100.0 * x / t.words as f64));
        let (p, n) = (t.positive as f64, t.negative as f64);
        let (pos, neg) = (pct(p), pct(n));
        let drift = match (kind, title) {
            (col::KIND_HIGHLIGHT, Some(title)) => {
                let titles = means.get(&(k.0, k.1, k.2, title));
                m.zip(titles.copied().flatten()).map(|(h, t)| round6(h - t))
            }
            _ => None,
        };
        b.topic.push(items.topic.get(t.first).to_string());
        b.period.push(items.period.get(t.first).to_string());
        b.period_start.push(items.period_start[t.first]);
        b.period_end.push(items.period_end[t.first]);
        b.side.push(items.section.get(t.first).to_string());
        b.kind.push(kind.to_string());
        b.items.push(i64::from(t.items));
        b.covered.push(t.tones.len() as i64);
        b.words.push(t.words as i64);
        b.positive_pct.push(pos);
        b.negative_pct.push(neg);
        b.tone.push(pct(p - n));
        b.polarity.push(pct(p + n));
        b.coverage.push(round6(t.tones.len() as f64 / f64::from(t.items)));
        b.mean.push(m.map(round6));
        let negative = t.tones.iter().filter(|v| **v <= -0.05).count();
        b.share_negative.push((!t.tones.is_empty()).then(|| round6(negative as f64 / t.tones.len() as f64)));
        b.ci_low.push(ci.map(|c| round6(c.0)));
        b.ci_high.push(ci.map(|c| round6(c.1)));
        b.few.push(t.tones.len() < options.tone_min_items as usize);
        let lexicon =
            t.lexicons.iter().max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l))).map_or("", |(l, _)| *l);
        b.lexicon.push(lexicon);
        b.lexicon_rho.push(held_out_rho(kind, lexicon));
        b.drift.push(drift);
    }
    b.finish(options)
}

/// The columns of `side_tone` while they are filled.
#[derive(Default)]
struct SideColumns {
    topic: Vec<String>,
    period: Vec<String>,
    period_start: Vec<Option<i32>>,
    period_end: Vec<Option<i32>>,
    side: Vec<String>,
    kind: Vec<String>,
    items: Vec<i64>,
    covered: Vec<i64>,
    words: Vec<i64>,
    positive_pct: Vec<Option<f64>>,
    negative_pct: Vec<Option<f64>>,
    tone: Vec<Option<f64>>,
    polarity: Vec<Option<f64>>,
    coverage: Vec<f64>,
    mean: Vec<Option<f64>>,
    share_negative: Vec<Option<f64>>,
    ci_low: Vec<Option<f64>>,
    ci_high: Vec<Option<f64>>,
    few: Vec<bool>,
    lexicon: Vec<&'static str>,
    lexicon_rho: Vec<Option<f64>>,
    drift: Vec<Option<f64>>,
}

impl SideColumns {
    fn with_capacity(n: usize) -> Self {
        SideColumns { topic: Vec::with_capacity(n), ..SideColumns::default() }
    }

    fn finish(self, options: &Options) -> PolarsResult<DataFrame> {
        let n = self.topic.len();
        let date = |name: &str, v: Vec<Option<i32>>| Column::new(name.into(), v).cast(&DataType::Date);
        DataFrame::new_infer_height(vec![
            Column::new(c::TOPIC.into(), self.topic),
            Column::new(col::PERIOD.into(), self.period),
            date(col::PERIOD_START, self.period_start)?,
            date(col::PERIOD_END, self.period_end)?,
            Column::new(c::PERSPECTIVE_ID.into(), self.side),
            Column::new(col::KIND.into(), self.kind),
            Column::new(col::ITEMS.into(), self.items),
            Column::new(col::COVERED_ITEMS.into(), self.covered),
            Column::new(col::WORDS.into(), self.words),
            Column::new(col::POSITIVE_PCT.into(), self.positive_pct),
            Column::new(col::NEGATIVE_PCT.into(), self.negative_pct),
            Column::new(col::TONE.into(), self.tone),
            Column::new(col::POLARITY.into(), self.polarity),
            Column::new(col::COVERAGE.into(), self.coverage),
            Column::new(col::MEAN_ITEM_TONE.into(), self.mean),
            Column::new(col::SHARE_NEGATIVE.into(), self.share_negative),
            Column::new(col::CI_LOW.into(), self.ci_low),
            Column::new(col::CI_HIGH.into(), self.ci_high),
            Column::new(col::FEW_ITEMS.into(), self.few),
            Column::new(col::MIN_ITEMS.into(), vec![i64::from(options.tone_min_items); n]),
            Column::new(col::LEXICON.into(), self.lexicon),
            Column::new(col::LEXICON_RHO.into(), self.lexicon_rho),
            Column::new(col::DRIFT.into(), self.drift),
        ])
    }
}

/// **tone_words**: per cell, the [`TOP_WORDS`] words of largest summed valence, either
/// sign (ties by word).
fn words_table(items: &Items, cells: &[(Cell, Tally)], words: &ToneLexicon) -> PolarsResult<DataFrame> {
    let (mut topic, mut period, mut side, mut kind) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut word, mut lexicon, mut occurrences, mut contribution) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (_, t) in cells {
        let mut ws: Vec<(&str, &(u32, f64))> =
            t.contributions.iter().map(|(w, c)| (words.word(*w), c)).collect();
        ws.sort_by(|a, b| b.1 .1.abs().total_cmp(&a.1 .1.abs()).then(a.0.cmp(b.0)));
        let lang =
            t.lexicons.iter().max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l))).map_or("", |(l, _)| *l);
        for (w, (count, sum)) in ws.into_iter().take(TOP_WORDS) {
            topic.push(items.topic.get(t.first).to_string());
            period.push(items.period.get(t.first).to_string());
            side.push(items.section.get(t.first).to_string());
            kind.push(items.kind.get(t.first).to_string());
            word.push(w.to_string());
            lexicon.push(lang);
            occurrences.push(i64::from(*count));
            contribution.push(round6(*sum));
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new(c::TOPIC.into(), topic),
        Column::new(col::PERIOD.into(), period),
        Column::new(c::PERSPECTIVE_ID.into(), side),
        Column::new(col::KIND.into(), kind),
        Column::new(col::WORD.into(), word),
        Column::new(col::LEXICON.into(), lexicon),
        Column::new(col::OCCURRENCES.into(), occurrences),
        Column::new(col::CONTRIBUTION.into(), contribution),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_brackets_the_mean_and_repeats() {
        let v = [-0.5, -0.2, 0.0, 0.1, 0.4, -0.3, 0.2];
        let a = bootstrap(&v, 200, 42).unwrap();
        let m = mean(&v).unwrap();
        assert!(a.0 < m && m < a.1, "{a:?} around {m}");
        assert_eq!(bootstrap(&v, 200, 42), Some(a), "same seed, same interval");
        assert!(bootstrap(&[0.3], 200, 1).is_none(), "one value has no interval");
        // All equal: the interval is the value.
        assert_eq!(bootstrap(&[0.25, 0.25, 0.25], 50, 9), Some((0.25, 0.25)));
    }

    #[test]
    fn the_bootstrap_interval_is_as_wide_as_the_mean_s_standard_error_says() {
        // 0, 1, …, 98 (an odd count, so the last value of a resample takes a draw alone):
        // mean 49, population variance (99² − 1) / 12 = 816.67, standard error of the mean
        // sqrt(816.67 / 99) = 2.872, so the 95% interval is about 49 ± 1.96 × 2.872 =
        // 43.4 … 54.6. With 200 resamples each end moves by about one. A draw whose two
        // halves picked the same value would draw half as many independent values, and the
        // interval would be √2 wider (about 41 … 57).
        let v: Vec<f64> = (0..99).map(f64::from).collect();
        for seed in [1, 2, 3] {
            let (low, high) = bootstrap(&v, 200, seed).unwrap();
            assert!((41.5..45.5).contains(&low) && (52.5..56.5).contains(&high), "{low} … {high}");
        }
        // Fewer resamples than streams: still one mean per resample.
        assert!(bootstrap(&v, 3, 1).is_some_and(|(l, h)| l <= h));
    }

    #[test]
    fn the_interval_ends_are_the_sorted_means_at_their_ranks() {
        // Against a full sort, on lists with repeats and of every length from 1 to 300.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 1..=300usize {
            let mut v: Vec<f64> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    f64::from((x % 50) as u32) / 7.0 - 3.0
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let at = |q: f64| sorted[(q * (len - 1) as f64).round() as usize];
            assert_eq!(ends(&mut v), (at(0.025), at(0.975)), "{len}");
        }
        // 200 means: ranks round(0.025 × 199) = 5 and round(0.975 × 199) = 194.
        let mut v: Vec<f64> = (0..200).rev().map(f64::from).collect();
        assert_eq!(ends(&mut v), (5.0, 194.0));
    }
}
