//! Step 2 of story clustering: a title's shingles (words, or character bigrams of Chinese and
//! Japanese runs) weighted by their rarity in the topic, as unit vectors whose dot product is
//! the titles' similarity; and the prefix filter that lets step 3 skip a title's commonest
//! shingles.

use super::item::Titles;
use super::months::{first_seen, rolling};
use crate::analytics::lexicon::is_cjk;
// The shingle table: interning, no defence against chosen keys needed.
use crate::fxhash::FxMap;

/// The shingles of a normalised title: its words, except that a run of CJK characters gives
/// its character bigrams (or the character itself when alone).
/// Slices of the title, so no shingle is allocated; sorted, each once.
pub fn shingles(normalised: &str) -> Vec<&str> {
    let mut out = Vec::new();
    shingles_into(normalised, &mut out);
    out
}

/// [`shingles`] into `out` (cleared first), so one buffer serves every title.
pub(super) fn shingles_into<'a>(normalised: &'a str, out: &mut Vec<&'a str>) {
    out.clear();
    if normalised.is_ascii() {
        // No CJK: the words themselves. Same result as the loop below.
        out.extend(normalised.split(' ').filter(|w| !w.is_empty()));
        out.sort_unstable();
        out.dedup();
        return;
    }
    let mut offset = 0;
    for word in normalised.split(' ') {
        // Runs of CJK and of other letters, as byte ranges of `word`.
        let mut run_start = 0;
        let mut run_cjk = None;
        let mut chars = word.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            let cjk = is_cjk(ch);
            if run_cjk != Some(cjk) {
                run_start = i;
                run_cjk = Some(cjk);
            }
            let end = i + ch.len_utf8();
            let run_ends = chars.peek().is_none_or(|(_, next)| is_cjk(*next) != cjk);
            if cjk {
                // A bigram ends at every CJK character after the run's first; a run of
                // one character is its own shingle.
                if i > run_start {
                    let prev = word[..i].chars().next_back().map_or(0, char::len_utf8);
                    out.push(&normalised[offset + i - prev..offset + end]);
                } else if run_ends {
                    out.push(&normalised[offset + i..offset + end]);
                }
            } else if run_ends {
                out.push(&normalised[offset + run_start..offset + end]);
            }
        }
        offset += word.len() + 1;
    }
    out.sort_unstable();
    out.dedup();
}

/// The titles as unit vectors of shingle ids (sorted) and weights, in one arena: title
/// `i` is `ids[start[i]..start[i + 1]]` (millions of titles, two allocations).
pub(super) struct Vectors {
    pub(super) start: Vec<u32>,
    pub(super) ids: Vec<u32>,
    pub(super) weights: Vec<f32>,
}

impl Vectors {
    pub(super) fn ids(&self, i: usize) -> &[u32] {
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }

    pub(super) fn cosine(&self, a: usize, b: usize) -> f64 {
        let (ra, rb) = (
            self.start[a] as usize..self.start[a + 1] as usize,
            self.start[b] as usize..self.start[b + 1] as usize,
        );
        let (a_ids, b_ids) = (&self.ids[ra.clone()], &self.ids[rb.clone()]);
        let (a_w, b_w) = (&self.weights[ra], &self.weights[rb]);
        let (mut i, mut j, mut dot) = (0, 0, 0f32);
        while i < a_ids.len() && j < b_ids.len() {
            match a_ids[i].cmp(&b_ids[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a_w[i] * b_w[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        f64::from(dot.min(1.0))
    }

    /// [`Vectors::cosine`] of `b` with the title whose weights are scattered in `dense`
    /// (weight by shingle id, 0 elsewhere). The same products, summed in the same id order
    /// (the other terms add zero), so the same value, without a branchy merge per pair.
    pub(super) fn cosine_dense(&self, dense: &[f32], b: usize) -> f64 {
        let rb = self.start[b] as usize..self.start[b + 1] as usize;
        let mut dot = 0f32;
        for (id, w) in self.ids[rb.clone()].iter().zip(&self.weights[rb]) {
            dot += dense[*id as usize] * w;
        }
        f64::from(dot.min(1.0))
    }

    /// Writes title `i`'s weights into `dense` (`clear`: zeros back).
    pub(super) fn scatter(&self, dense: &mut [f32], i: usize, clear: bool) {
        let r = self.start[i] as usize..self.start[i + 1] as usize;
        for (id, w) in self.ids[r.clone()].iter().zip(&self.weights[r]) {
            dense[*id as usize] = if clear { 0.0 } else { *w };
        }
    }
}

/// Weighted unit vectors of the distinct titles, and per title its shingles rarest first
/// (in the same arena layout: `rarest[start[t]..start[t + 1]]`). A shingle's document
/// frequency counts every item that has it, repeats included, as if each item had its own
/// vector: only the work is shared.
///
/// Rarity is counted over trailing months ([`rolling`]): a title is weighted by the items of
/// the `window_months` calendar months that end with the month it first appears in
/// (`months`, per item, as [`super::months::month`] numbers them; items in date order).
/// So a title's weights never depend on a later month's articles: a day added to a topic
/// changes the weights of no title first seen in an earlier month.
pub(super) fn vectors(titles: &Titles, months: &[u32], window_months: u32) -> (Vectors, Vec<u32>) {
    let mut table: FxMap<&str, u32> = FxMap::default();
    let mut start = Vec::with_capacity(titles.texts.len() + 1);
    start.push(0u32);
    let mut ids: Vec<u32> = Vec::new();
    let mut words = Vec::new();
    for t in &titles.texts {
        let from = ids.len();
        shingles_into(t, &mut words);
        ids.extend(words.iter().map(|s| {
            let n = table.len() as u32;
            *table.entry(*s).or_insert(n)
        }));
        ids[from..].sort_unstable();
        start.push(ids.len() as u32);
    }
    let mut weights = vec![0f32; ids.len()];
    let mut rarest = ids.clone();
    let shingles_of = |i: usize| {
        let t = titles.of[i] as usize;
        &ids[start[t] as usize..start[t + 1] as usize]
    };
    let mut next = 0;
    rolling(months, window_months, table.len(), shingles_of, |items, df, n| {
        let texts = first_seen(&titles.of, items, next);
        next = texts.end;
        let n = n.max(1) as f32;
        for t in texts {
            let span = start[t] as usize..start[t + 1] as usize;
            let idf = |s: u32| (n / df[s as usize] as f32).ln() + 1.0;
            let norm = ids[span.clone()].iter().map(|s| idf(*s).powi(2)).sum::<f32>().sqrt();
            for k in span.clone() {
                weights[k] = idf(ids[k]) / norm;
            }
            rarest[span].sort_by_key(|s| (df[*s as usize], *s));
        }
    });
    (Vectors { start, ids, weights }, rarest)
}

/// How many of each title's rarest shingles must open candidates (at most all of them):
/// past them, the rest of the title's weight cannot reach `threshold` on its own. A title
/// `b` that shares none of the first `k` shingles of unit vector `a` has
/// `cos(a, b) ≤ ‖a restricted to the rest‖ · ‖b‖` (Cauchy–Schwarz), so once that norm is
/// under the threshold (with a margin for f32 rounding) the commonest shingles, whose
/// postings are the longest, find no link the rarer ones miss (the prefix filter of
/// similarity joins).
pub(super) fn openers_needed(vectors: &Vectors, rarest: &[u32], threshold: f64) -> Vec<u32> {
    (0..vectors.start.len() - 1)
        .map(|t| {
            let span = vectors.start[t] as usize..vectors.start[t + 1] as usize;
            let (ids, weights) = (&vectors.ids[span.clone()], &vectors.weights[span.clone()]);
            let mut rest = 0f64;
            let mut needed = span.len();
            for (k, s) in rarest[span].iter().enumerate().rev() {
                let w = f64::from(weights[ids.binary_search(s).expect("a title's own shingle")]);
                rest += w * w;
                if rest.sqrt() * (1.0 + 1e-3) + 1e-3 >= threshold {
                    break;
                }
                needed = k;
            }
            needed as u32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::normalise::normalise;
    use super::*;

    #[test]
    fn cjk_runs_give_bigrams_and_words_stay_words() {
        assert_eq!(shingles("日本经济 trade"), ["trade", "日本", "本经", "经济"]);
        assert_eq!(shingles("中 talks"), ["talks", "中"]);
    }

    #[test]
    fn the_gathered_similarity_is_the_merged_one_bit_for_bit() {
        // Titles sharing some shingles, none, or all, in Latin and CJK script.
        let titles: Vec<String> = [
            "Tariff row deepens over steel imports",
            "Steel tariff row deepens as talks stall",
            "Earthquake hits northern coast towns",
            "tariff",
            "日本经济 trade talks",
            "日本经济 steel",
            "Tariff row deepens over steel imports",
        ]
        .iter()
        .map(|t| normalise(t))
        .collect();
        let (v, _) = vectors(
            &Titles {
                of: (0..titles.len() as u32).collect(),
                language: vec![0; titles.len()],
                texts: titles.clone(),
            },
            &vec![0; titles.len()],
            12,
        );
        let mut dense = vec![0f32; v.ids.iter().max().map_or(0, |m| *m as usize + 1)];
        for a in 0..titles.len() {
            v.scatter(&mut dense, a, false);
            for b in 0..titles.len() {
                assert_eq!(v.cosine_dense(&dense, b).to_bits(), v.cosine(a, b).to_bits(), "{a} {b}");
            }
            v.scatter(&mut dense, a, true);
            assert!(dense.iter().all(|w| *w == 0.0), "cleared after {a}");
        }
        // The fixture is not trivial: some pairs are similar and some are not.
        assert!(v.cosine(0, 1) > 0.0 && v.cosine(0, 2) == 0.0 && v.cosine(0, 6) > 0.99);
    }
}
