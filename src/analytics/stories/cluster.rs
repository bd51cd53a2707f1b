//! Story clustering: the articles of one topic that tell the same event, across days, sides
//! and outlets. Pure Rust over plain rows; [`super`] turns the result into tables.
//!
//! 1. **Normalise** each title: drop the outlet suffix a feed appends (` - Xinhua`,
//!    `| El Colombiano`, `2025-Xinhua`), then case, punctuation and digits.
//! 2. **Shingles**: words for spaced scripts, character bigrams for Chinese and Japanese runs,
//!    weighted by their inverse document frequency in the topic (rare words say more).
//! 3. **Candidates by blocking**: an inverted index from shingle to the articles of the last
//!    `window_days` days. Only the rarest shingles of a title open candidates, and each
//!    walks at most [`Settings::block_cap`] postings, so the work per article is bounded
//!    whatever the corpus size. No all-pairs comparison.
//! 4. **Link** a candidate pair when the cosine similarity of their weighted shingles is at
//!    least `threshold`.
//! 5. **Join, without chaining**: articles are taken in date order; an article joins the
//!    story it is most similar to on average, but only if it links to at least
//!    `join_fraction` of that story's articles of the window. One bridge article similar to
//!    two stories joins one of them; it cannot pull the second into the first, as
//!    single-link connected components would.
//!
//! Everything is deterministic: input order is fixed by (date, digest, position) and ties
//! go to the earlier story.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::analytics::lexicon::is_cjk;

/// The published knobs of story clustering (command-line flags of `analyze`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Articles further apart than this many days are not compared (3).
    pub window_days: u32,
    /// Cosine similarity of weighted shingles from which two titles are linked (0.3).
    pub threshold: f64,
    /// Share of a story's articles in the window an article must link to, to join it (0.5).
    pub join_fraction: f64,
    /// A story is one-sided from this many articles (3) ...
    pub one_sided_min_articles: u32,
    /// ... when one side has at least this share of its articles of known side (0.8).
    pub one_sided_share: f64,
    /// Rarest shingles per title that open candidates (8).
    pub block_shingles: usize,
    /// Postings each of them walks back, most recent first (200).
    pub block_cap: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window_days: 3,
            threshold: 0.3,
            join_fraction: 0.5,
            one_sided_min_articles: 3,
            one_sided_share: 0.8,
            block_shingles: 8,
            block_cap: 200,
        }
    }
}

/// One article of a topic, as the clustering reads it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The digest's date: the day the article was in the news.
    pub date: NaiveDate,
    /// The title as written.
    pub title: &'a str,
    /// The outlet as written and its registry id, to recognise suffixes naming it.
    pub outlet: &'a str,
    /// See `outlet`.
    pub outlet_id: &'a str,
}

/// The clustering of one topic's items, index-aligned with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// Story number per item, numbered by first appearance (0, 1, …).
    pub story: Vec<u32>,
    /// Similarity of each item to its story's representative (1 for the representative),
    /// to six decimals.
    pub similarity: Vec<f64>,
    /// Per story, the index of its representative item: the most central title.
    pub representative: Vec<usize>,
    /// The normalised title per item (reprints share one).
    pub normalised: Vec<String>,
}

/// Lower-case alphanumerics of a text, for comparing outlet names and suffixes.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Separators a feed puts between a title and the outlet's name.
const SPACED: [&str; 5] = [" - ", " | ", " – ", " — ", "｜"];

/// Where the outlet suffix of `title` starts, if it has one. A tail after a spaced separator
/// is a suffix when it is at most five words and names an outlet of the topic or recurs as a
/// tail in at least three titles (`recurring`); a tail after a bare hyphen
/// (`2025-Xinhua`) only when it names an outlet of the topic.
fn suffix_start(
    title: &str,
    outlets: &std::collections::HashSet<String>,
    recurring: &HashMap<String, u32>,
) -> Option<usize> {
    let spaced = SPACED.iter().filter_map(|s| title.rfind(s).map(|i| (i, i + s.len()))).max();
    if let Some((cut, tail)) = spaced {
        let t = &title[tail..];
        let key = squash(t);
        if cut > 0
            && !key.is_empty()
            && t.split_whitespace().count() <= 5
            && (outlets.contains(&key) || recurring.get(&key).is_some_and(|n| *n >= 3))
        {
            return Some(cut);
        }
    }
    let cut = title.rfind('-')?;
    let key = squash(&title[cut + 1..]);
    (cut > 0 && !key.is_empty() && outlets.contains(&key)).then_some(cut)
}

/// The tail after the last spaced separator, squashed, for counting recurring suffixes.
fn spaced_tail(title: &str) -> Option<String> {
    let (_, tail) = SPACED.iter().filter_map(|s| title.rfind(s).map(|i| (i, i + s.len()))).max()?;
    let t = &title[tail..];
    (t.split_whitespace().count() <= 5).then(|| squash(t)).filter(|k| !k.is_empty())
}

/// Titles without outlet suffixes, lower-cased, with punctuation and digits as spaces.
pub fn normalise_all(items: &[Item<'_>]) -> Vec<String> {
    let mut outlets = std::collections::HashSet::new();
    for it in items {
        outlets.insert(squash(it.outlet));
        outlets.insert(squash(it.outlet_id));
    }
    outlets.remove("");
    let mut recurring: HashMap<String, u32> = HashMap::new();
    for it in items {
        if let Some(t) = spaced_tail(it.title) {
            *recurring.entry(t).or_default() += 1;
        }
    }
    items
        .iter()
        .map(|it| {
            let head = match suffix_start(it.title, &outlets, &recurring) {
                Some(cut) => &it.title[..cut],
                None => it.title,
            };
            normalise(head)
        })
        .collect()
}

/// Lower case; anything not a letter becomes a space; runs of spaces collapse.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_alphabetic() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The shingles of a normalised title: its words, except that a run of CJK characters gives
/// its character bigrams (or the character itself when alone).
/// Slices of the title, so no shingle is allocated; sorted, each once.
pub fn shingles(normalised: &str) -> Vec<&str> {
    let mut out = Vec::new();
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
    out
}

/// A small, fast hash for the shingle table (FxHash's multiply-rotate): SipHash's defence
/// against chosen keys is not needed for interning, and it cost more than the matching.
#[derive(Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A title as a unit vector of shingle ids (sorted) and weights.
struct Vector {
    ids: Vec<u32>,
    weights: Vec<f32>,
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0f32);
    while i < a.ids.len() && j < b.ids.len() {
        match a.ids[i].cmp(&b.ids[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a.weights[i] * b.weights[j];
                i += 1;
                j += 1;
            }
        }
    }
    f64::from(dot.min(1.0))
}

/// Weighted unit vectors of the titles, and per title its shingles rarest first.
fn vectors(normalised: &[String]) -> (Vec<Vector>, Vec<Vec<u32>>) {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    let per: Vec<Vec<u32>> = normalised
        .iter()
        .map(|t| {
            let mut v: Vec<u32> = shingles(t)
                .into_iter()
                .map(|s| {
                    let n = ids.len() as u32;
                    *ids.entry(s).or_insert(n)
                })
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    let mut df = vec![0u32; ids.len()];
    for v in &per {
        for &s in v {
            df[s as usize] += 1;
        }
    }
    let n = normalised.len().max(1) as f32;
    let idf: Vec<f32> = df.iter().map(|d| (n / *d as f32).ln() + 1.0).collect();
    let vectors = per
        .iter()
        .map(|v| {
            let norm = v.iter().map(|s| idf[*s as usize].powi(2)).sum::<f32>().sqrt();
            if norm == 0.0 {
                return Vector { ids: vec![], weights: vec![] };
            }
            Vector { ids: v.clone(), weights: v.iter().map(|s| idf[*s as usize] / norm).collect() }
        })
        .collect();
    let rarest = per
        .into_iter()
        .map(|mut v| {
            v.sort_by_key(|s| (df[*s as usize], *s));
            v
        })
        .collect();
    (vectors, rarest)
}

/// Clusters one topic's items, which must be sorted by date (then digest and position).
pub fn cluster(items: &[Item<'_>], settings: &Settings) -> Clusters {
    let normalised = normalise_all(items);
    let (vectors, rarest) = vectors(&normalised);
    let window = i64::from(settings.window_days);
    let n = items.len();
    // Postings per shingle id (ids are dense): the articles that have it, in order.
    let mut postings: Vec<Vec<u32>> =
        vec![Vec::new(); rarest.iter().flatten().max().map_or(0, |m| *m as usize + 1)];
    let mut story = vec![0u32; n];
    // Per story: its members' dates in order (for the window count) and items.
    let mut story_dates: Vec<Vec<NaiveDate>> = Vec::new();
    let mut story_members: Vec<Vec<usize>> = Vec::new();
    let mut centrality = vec![0f64; n];
    let mut seen = vec![usize::MAX; n];
    let mut links: Vec<(usize, f64)> = Vec::new();
    for i in 0..n {
        let date = items[i].date;
        links.clear();
        for s in rarest[i].iter().take(settings.block_shingles) {
            let list = &postings[*s as usize];
            for j in list.iter().rev().take(settings.block_cap).map(|&j| j as usize) {
                if (date - items[j].date).num_days() > window {
                    break;
                }
                if seen[j] == i {
                    continue;
                }
                seen[j] = i;
                let sim = cosine(&vectors[i], &vectors[j]);
                if sim >= settings.threshold {
                    links.push((j, sim));
                }
            }
        }
        // The story with the best mean similarity over its articles in the window, among
        // those this item links to often enough.
        let cutoff = date - chrono::Duration::days(window);
        let mut per_story: Vec<(u32, usize, f64)> = Vec::new();
        for &(j, sim) in &links {
            match per_story.iter_mut().find(|p| p.0 == story[j]) {
                Some(p) => {
                    p.1 += 1;
                    p.2 += sim;
                }
                None => per_story.push((story[j], 1, sim)),
            }
        }
        let best = per_story
            .iter()
            .filter_map(|&(k, linked, sum)| {
                let dates = &story_dates[k as usize];
                let in_window = dates.len() - dates.partition_point(|d| *d < cutoff);
                (linked as f64 >= settings.join_fraction * in_window as f64)
                    .then_some((k, sum / in_window as f64))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let k = match best {
            Some((k, _)) => {
                for &(j, sim) in links.iter().filter(|(j, _)| story[*j] == k) {
                    centrality[i] += sim;
                    centrality[j] += sim;
                }
                k
            }
            None => {
                story_dates.push(Vec::new());
                story_members.push(Vec::new());
                (story_dates.len() - 1) as u32
            }
        };
        story[i] = k;
        story_dates[k as usize].push(date);
        story_members[k as usize].push(i);
        for s in &vectors[i].ids {
            postings[*s as usize].push(i as u32);
        }
    }
    let representative: Vec<usize> = story_members
        .iter()
        .map(|m| {
            *m.iter()
                .max_by(|a, b| centrality[**a].total_cmp(&centrality[**b]).then(b.cmp(a)))
                .expect("a story has members")
        })
        .collect();
    let similarity = (0..n)
        .map(|i| {
            let r = representative[story[i] as usize];
            // Six decimals: the f32 arithmetic is exact to about 1e-7, so identical titles
            // read 1, not 0.99999994.
            if r == i {
                1.0
            } else {
                (cosine(&vectors[i], &vectors[r]) * 1e6).round() / 1e6
            }
        })
        .collect();
    Clusters { story, similarity, representative, normalised }
}

/// The baseline the clustering is measured against: one story per exact normalised title.
pub fn exact_titles(items: &[Item<'_>]) -> Vec<u32> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    normalise_all(items)
        .into_iter()
        .map(|t| {
            let n = ids.len() as u32;
            *ids.entry(t).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(day: u32, title: &'a str, outlet: &'a str) -> Item<'a> {
        Item { date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(), title, outlet, outlet_id: outlet }
    }

    #[test]
    fn outlet_suffixes_go_spaced_or_not_and_other_hyphens_stay() {
        let items = [
            item(1, "Japan posts trade deficit for 5th straight year in 2025-Xinhua", "xinhua"),
            item(1, "Japan posts trade deficit for 5th straight year in 2025", "xinhua"),
            item(1, "Indo-Pacific drills begin - China Daily", "china-daily"),
            item(1, "Year-end sales | El Colombiano", "elcolombiano"),
        ];
        let n = normalise_all(&items);
        assert_eq!(n[0], "japan posts trade deficit for th straight year in");
        assert_eq!(n[0], n[1]);
        assert_eq!(n[2], "indo pacific drills begin");
        assert_eq!(n[3], "year end sales");
    }

    #[test]
    fn cjk_runs_give_bigrams_and_words_stay_words() {
        assert_eq!(shingles("日本经济 trade"), ["trade", "日本", "本经", "经济"]);
        assert_eq!(shingles("中 talks"), ["talks", "中"]);
    }

    #[test]
    fn the_window_keeps_a_later_repeat_apart() {
        // Day 1 and day 5 are 4 days apart, over the 3-day window: never compared.
        let items =
            [item(1, "Tariff row deepens over steel", "a"), item(5, "Tariff row deepens over steel", "b")];
        let c = cluster(&items, &Settings::default());
        assert_ne!(c.story[0], c.story[1]);
        let same_day =
            [item(1, "Tariff row deepens over steel", "a"), item(4, "Tariff row deepens over steel", "b")];
        let c = cluster(&same_day, &Settings::default());
        assert_eq!(c.story[0], c.story[1]);
        assert_eq!(c.similarity, [1.0, 1.0]);
    }

    #[test]
    fn a_bridge_title_does_not_chain_two_stories() {
        let items = [
            item(1, "Tariff row deepens over steel imports", "a"),
            item(1, "Tariff row deepens over steel imports", "b"),
            item(1, "Earthquake hits northern coast towns", "c"),
            item(1, "Earthquake hits northern coast towns", "d"),
            // Similar to both stories (each half of its words).
            item(2, "Tariff row deepens as earthquake hits coast", "e"),
            item(2, "Earthquake hits northern coast towns", "f"),
            item(2, "Tariff row deepens over steel imports", "g"),
        ];
        let c = cluster(&items, &Settings::default());
        // The bridge links to both (single-link components would make one story of all
        // seven); here it joins one, and each story's later repeat joins its own story.
        assert_ne!(c.story[0], c.story[2]);
        assert_eq!(c.story[5], c.story[2]);
        assert_eq!(c.story[6], c.story[0]);
        assert!(c.story[4] == c.story[0] || c.story[4] == c.story[2]);
    }
}
