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

use chrono::{Datelike, NaiveDate};

use super::bridge;
use crate::analytics::lexicon::is_cjk;
// The shingle table: interning, no defence against chosen keys needed.
use crate::fxhash::{FxMap, FxSet};

/// The published knobs of story clustering (command-line flags of `analyze`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Articles further apart than this many days are not compared (3).
    pub window_days: u32,
    /// Cosine similarity of weighted shingles from which two titles are linked (0.3).
    pub threshold: f64,
    /// Share of a story's articles in the window an article must link to, to join it (0.5).
    pub join_fraction: f64,
    /// The `threshold` of two titles in different languages, both read into the shared
    /// vocabulary by the [`bridge`] (Spanish and English): a translation shares fewer
    /// words than a paraphrase in one language does (0.2, tuned on labelled weeks of the
    /// Venezuela digests: docs/analysis.md, Stories).
    pub cross_threshold: f64,
    /// A story is one-sided from this many articles (3) ...
    pub one_sided_min_articles: u32,
    /// ... when one side has at least this share of its articles of known side (0.8), and
    /// every other side of the topic has at least `one_sided_min_linkable` of its titles in
    /// languages the story's titles could have been linked to (0.9): its own language, or
    /// one the [`bridge`] reads with it. Otherwise the other side's absence may be the
    /// clustering's blindness to its language, not a choice of coverage.
    pub one_sided_share: f64,
    /// See `one_sided_share` (0.9).
    pub one_sided_min_linkable: f64,
    /// Rarest shingles per title that open candidates (8).
    pub block_shingles: usize,
    /// Postings each of them walks back, most recent first (200).
    pub block_cap: usize,
    /// Cluster at all (true). Off only for the benchmark suite, which measures what story
    /// clustering adds to `analyze` by running it with `BIASLENS_BENCH_NO_STORIES=1` (the
    /// story tables are then written empty). Part of the settings an incremental analysis
    /// keys on, so a later run with clustering on analyses every topic again.
    pub enabled: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window_days: 3,
            threshold: 0.3,
            join_fraction: 0.5,
            cross_threshold: CROSS_THRESHOLD,
            one_sided_min_articles: 3,
            one_sided_share: 0.8,
            one_sided_min_linkable: 0.9,
            block_shingles: 8,
            block_cap: 200,
            enabled: true,
        }
    }
}

/// Shingles a title needs to stand for its story when the story has such a title.
const REPRESENTATIVE_MIN_WORDS: usize = 5;

/// The default [`Settings::cross_threshold`].
pub const CROSS_THRESHOLD: f64 = 0.2;

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
    /// The title's language (BCP 47), which decides how [`bridge`] reads it.
    pub language: Option<&'a str>,
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
    /// The normalised title of each item (reprints share one).
    pub titles: Titles,
}

/// Lower-case alphanumerics of a text, for comparing outlet names and suffixes.
fn squash(s: &str) -> String {
    let mut out = String::new();
    squash_into(s, &mut out);
    out
}

/// [`squash`] into `out` (cleared first): one buffer for millions of tails.
fn squash_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        // Most tails: bytes, no Unicode tables. Same result as the chain below.
        out.extend(s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    out.extend(s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase));
}

/// Separators a feed puts between a title and the outlet's name.
const SPACED: [&str; 5] = [" - ", " | ", " – ", " — ", "｜"];

/// The last spaced separator of `title`, as (where it starts, where the tail after it
/// starts). One backward pass over the bytes: a title is scanned once, not once per
/// separator.
fn last_spaced(title: &str) -> Option<(usize, usize)> {
    let bytes = title.as_bytes();
    // Every separator starts with a space or with the first byte of `｜`.
    let firsts = [b' ', SPACED[4].as_bytes()[0]];
    (0..bytes.len()).rev().filter(|i| firsts.contains(&bytes[*i])).find_map(|i| {
        let rest = &bytes[i..];
        SPACED.iter().find(|s| rest.starts_with(s.as_bytes())).map(|s| (i, i + s.len()))
    })
}

/// A topic's normalised titles, each distinct one once: wire copy and reprints repeat
/// titles, and everything computed from a title (its suffix cut, its text, its weighted
/// shingles) is computed once per distinct title, never per article.
#[derive(Debug, Clone, PartialEq)]
pub struct Titles {
    /// The distinct normalised titles, numbered by first appearance.
    pub texts: Vec<String>,
    /// Per item, the number of its normalised title in `texts`.
    pub of: Vec<u32>,
    /// Per text, the number of its language (the primary subtag of its first item's); 0
    /// for a language the bridge does not read, or none. Two titles of different non-zero
    /// languages are compared with [`Settings::cross_threshold`].
    pub language: Vec<u32>,
}

impl Titles {
    /// Item `i`'s normalised title.
    pub fn get(&self, i: usize) -> &str {
        &self.texts[self.of[i] as usize]
    }

    /// How many items have each normalised title (index-aligned with `texts`).
    fn counts(&self) -> Vec<u32> {
        tally(&self.of, self.texts.len())
    }
}

/// Titles without outlet suffixes, lower-cased, with punctuation and digits as spaces.
///
/// Where the outlet suffix of a title starts, if it has one: a tail after a spaced separator
/// ([`last_spaced`]) is a suffix when it is at most five words and names an outlet of the
/// topic or recurs as a tail in at least three titles (counting repeats); a tail after a
/// bare hyphen (`2025-Xinhua`) only when it names an outlet of the topic. The cut depends on
/// the title and on topic-wide facts only, so each distinct title is cut once.
pub fn normalise_all(items: &[Item<'_>]) -> Titles {
    normalise_all_with(items, true)
}

/// [`normalise_all`], with each title read through the [`bridge`] between languages
/// (`bridged`), or only lower-cased with punctuation and digits as spaces ([`normalise`]:
/// the exact-title baseline).
fn normalise_all_with(items: &[Item<'_>], bridged: bool) -> Titles {
    // Each distinct outlet squashed once (a topic has thousands of articles per outlet).
    let raw: FxSet<&str> = items.iter().flat_map(|it| [it.outlet, it.outlet_id]).collect();
    let mut outlets: FxSet<String> = raw.into_iter().map(squash).collect();
    outlets.remove("");
    // Each distinct title as written, numbered by first appearance, and how often it occurs.
    let raw_of = intern(items.iter().map(|it| it.title));
    let firsts = first_appearances(&raw_of);
    let raws: Vec<&str> = firsts.iter().map(|&i| items[i].title).collect();
    let languages: Vec<Option<&str>> = firsts.iter().map(|&i| items[i].language).collect();
    let repeats = tally(&raw_of, raws.len());
    let spaced: Vec<Option<(usize, usize)>> = raws.iter().map(|t| last_spaced(t)).collect();
    // Each title's tail (squashed, at most five words, not empty) as the number of a
    // distinct tail, and how many titles end in each: one string per distinct tail.
    let mut buf = String::new();
    let mut numbers: FxMap<String, u32> = FxMap::default();
    let mut counts: Vec<u32> = Vec::new();
    let tails: Vec<Option<u32>> = raws
        .iter()
        .zip(&spaced)
        .zip(&repeats)
        .map(|((title, sp), repeats)| {
            let t = &title[sp.as_ref()?.1..];
            if t.split_whitespace().count() > 5 {
                return None;
            }
            squash_into(t, &mut buf);
            if buf.is_empty() {
                return None;
            }
            let k = match numbers.get(buf.as_str()) {
                Some(k) => *k,
                None => {
                    numbers.insert(buf.clone(), counts.len() as u32);
                    counts.push(0);
                    (counts.len() - 1) as u32
                }
            };
            counts[k as usize] += repeats;
            Some(k)
        })
        .collect();
    let mut suffix = vec![false; counts.len()];
    for (tail, k) in &numbers {
        suffix[*k as usize] = outlets.contains(tail) || counts[*k as usize] >= 3;
    }
    let mut cut: Vec<String> = raws
        .iter()
        .zip(spaced)
        .zip(tails)
        .zip(&languages)
        .map(|(((title, sp), tail), language)| {
            let cut = match (sp, tail) {
                (Some((cut, _)), Some(k)) if cut > 0 && suffix[k as usize] => Some(cut),
                _ => title.rfind('-').filter(|&cut| {
                    squash_into(&title[cut + 1..], &mut buf);
                    cut > 0 && !buf.is_empty() && outlets.contains(buf.as_str())
                }),
            };
            let title = cut.map_or(*title, |cut| &title[..cut]);
            if bridged {
                bridge::bridge(title, *language)
            } else {
                normalise(title)
            }
        })
        .collect();
    // Titles written differently can normalise alike (with and without a suffix).
    let text_of = intern(cut.iter().map(String::as_str));
    let text_firsts = first_appearances(&text_of);
    // Languages the bridge reads count as themselves; every other one as unknown (""), so
    // the lower threshold joins only titles the bridge put in one vocabulary.
    let mut names: Vec<&str> = vec![""];
    let language = text_firsts
        .iter()
        .map(|&r| {
            let l = items[firsts[r]].language;
            let name =
                if bridged && bridge::bridged(l) { bridge::primary(l).unwrap_or_default() } else { "" };
            match names.iter().position(|n| *n == name) {
                Some(k) => k as u32,
                None => {
                    names.push(name);
                    (names.len() - 1) as u32
                }
            }
        })
        .collect();
    let texts = text_firsts.into_iter().map(|i| std::mem::take(&mut cut[i])).collect();
    Titles { of: raw_of.iter().map(|r| text_of[*r as usize]).collect(), texts, language }
}

/// Lower case; anything not a letter becomes a space; runs of spaces collapse.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // Most titles: bytes, no Unicode tables. Same result as the loop below.
        for b in text.bytes() {
            if b.is_ascii_alphabetic() {
                out.push(char::from(b.to_ascii_lowercase()));
            } else if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        return out;
    }
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
    shingles_into(normalised, &mut out);
    out
}

/// [`shingles`] into `out` (cleared first), so one buffer serves every title.
fn shingles_into<'a>(normalised: &'a str, out: &mut Vec<&'a str>) {
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
struct Vectors {
    start: Vec<u32>,
    ids: Vec<u32>,
    weights: Vec<f32>,
}

impl Vectors {
    fn ids(&self, i: usize) -> &[u32] {
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }

    fn cosine(&self, a: usize, b: usize) -> f64 {
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
    fn cosine_dense(&self, dense: &[f32], b: usize) -> f64 {
        let rb = self.start[b] as usize..self.start[b + 1] as usize;
        let mut dot = 0f32;
        for (id, w) in self.ids[rb.clone()].iter().zip(&self.weights[rb]) {
            dot += dense[*id as usize] * w;
        }
        f64::from(dot.min(1.0))
    }

    /// Writes title `i`'s weights into `dense` (`clear`: zeros back).
    fn scatter(&self, dense: &mut [f32], i: usize, clear: bool) {
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
fn vectors(titles: &Titles) -> (Vectors, Vec<u32>) {
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
    let mut df = vec![0u32; table.len()];
    for (w, repeats) in start.windows(2).zip(titles.counts()) {
        for &s in &ids[w[0] as usize..w[1] as usize] {
            df[s as usize] += repeats;
        }
    }
    let n = titles.of.len().max(1) as f32;
    let idf: Vec<f32> = df.iter().map(|d| (n / *d as f32).ln() + 1.0).collect();
    let mut weights = Vec::with_capacity(ids.len());
    let mut rarest = ids.clone();
    for w in start.windows(2) {
        let span = w[0] as usize..w[1] as usize;
        let norm = ids[span.clone()].iter().map(|s| idf[*s as usize].powi(2)).sum::<f32>().sqrt();
        weights.extend(ids[span.clone()].iter().map(|s| idf[*s as usize] / norm));
        rarest[span].sort_by_key(|s| (df[*s as usize], *s));
    }
    (Vectors { start, ids, weights }, rarest)
}

/// How many of each title's rarest shingles must open candidates (at most all of them):
/// past them, the rest of the title's weight cannot reach `threshold` on its own. A title
/// `b` that shares none of the first `k` shingles of unit vector `a` has
/// `cos(a, b) ≤ ‖a restricted to the rest‖ · ‖b‖` (Cauchy–Schwarz), so once that norm is
/// under the threshold (with a margin for f32 rounding) the commonest shingles, whose
/// postings are the longest, find no link the rarer ones miss (the prefix filter of
/// similarity joins).
fn openers_needed(vectors: &Vectors, rarest: &[u32], threshold: f64) -> Vec<u32> {
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

/// Clusters one topic's items, which must be sorted by date (then digest and position).
pub fn cluster(items: &[Item<'_>], settings: &Settings) -> Clusters {
    cluster_with(items, settings, true, true)
}

/// [`cluster`] over titles compared within their own language only (no [`bridge`]): the
/// clustering before the bridge, which the labelled evaluations report beside it.
pub fn cluster_monolingual(items: &[Item<'_>], settings: &Settings) -> Clusters {
    cluster_with(items, settings, true, false)
}

/// [`cluster`], with or without skipping the openers [`openers_needed`] finds needless
/// (the result is the same either way; tests compare the two), and with or without the
/// bridge between languages.
fn cluster_with(items: &[Item<'_>], settings: &Settings, prune: bool, bridged: bool) -> Clusters {
    let titles = normalise_all_with(items, bridged);
    let (vectors, rarest) = vectors(&titles);
    let needed = match prune {
        true => openers_needed(&vectors, &rarest, settings.threshold.min(settings.cross_threshold)),
        false => vec![u32::MAX; titles.texts.len()],
    };
    // Item i's title in the vectors.
    let text = &titles.of;
    let rarest_of =
        |t: u32| &rarest[vectors.start[t as usize] as usize..vectors.start[t as usize + 1] as usize];
    let window = i64::from(settings.window_days);
    let n = items.len();
    // Dates as day numbers: the window test runs for every candidate.
    let day: Vec<i64> = items.iter().map(|it| i64::from(it.date.num_days_from_ce())).collect();
    // Postings per shingle id (ids are dense): the articles that have it, in order.
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); rarest.iter().max().map_or(0, |m| *m as usize + 1)];
    let mut story = vec![0u32; n];
    // Per story: its members' dates in order (for the window count) and items.
    let mut story_dates: Vec<Vec<i64>> = Vec::new();
    let mut story_members: Vec<Vec<usize>> = Vec::new();
    let mut centrality = vec![0f64; n];
    let mut seen = vec![usize::MAX; n];
    let mut links: Vec<(usize, f64)> = Vec::new();
    let mut dense = vec![0f32; postings.len()];
    // Per distinct title, its similarity to the current item once computed (`memo_for`:
    // the item it was computed for): reprints in the window cost one lookup each.
    let mut memo = vec![0f64; titles.texts.len()];
    let mut memo_for = vec![usize::MAX; titles.texts.len()];
    // The item's candidates and their distinct titles, in the order first met. Appended
    // without a branch (written, then counted only when new): whether a posting is new is
    // a coin toss the branch predictor loses, and the walk is most of the clustering.
    let most = settings.block_shingles.saturating_mul(settings.block_cap).min(n);
    let (mut cands, mut fresh_texts) = (vec![0usize; most], vec![0u32; most]);
    for i in 0..n {
        let date = day[i];
        links.clear();
        let (mut found, mut fresh) = (0, 0);
        // The needless openers are skipped only while every walk so far met all the
        // postings of its window: a walk cut at `block_cap` may have missed an item the
        // commoner shingles would reach, so then they are walked as before.
        let mut cut = false;
        for (k, s) in rarest_of(text[i]).iter().take(settings.block_shingles).enumerate() {
            if k >= needed[text[i] as usize] as usize && !cut {
                break;
            }
            let list = &postings[*s as usize];
            let mut walked = 0;
            for j in list.iter().rev().take(settings.block_cap).map(|&j| j as usize) {
                if date - day[j] > window {
                    break;
                }
                walked += 1;
                let t = text[j];
                let new_item = seen[j] != i;
                seen[j] = i;
                cands[found] = j;
                found += usize::from(new_item);
                // An item met before this round had its title marked then.
                let new_text = memo_for[t as usize] != i;
                memo_for[t as usize] = i;
                fresh_texts[fresh] = t;
                fresh += usize::from(new_text);
            }
            cut |= walked == settings.block_cap && list.len() > walked;
        }
        vectors.scatter(&mut dense, text[i] as usize, false);
        for &t in &fresh_texts[..fresh] {
            memo[t as usize] = vectors.cosine_dense(&dense, t as usize);
        }
        vectors.scatter(&mut dense, text[i] as usize, true);
        let own = titles.language[text[i] as usize];
        for &j in &cands[..found] {
            let sim = memo[text[j] as usize];
            let other = titles.language[text[j] as usize];
            let threshold = if own != other && own != 0 && other != 0 {
                settings.cross_threshold
            } else {
                settings.threshold
            };
            if sim >= threshold {
                links.push((j, sim));
            }
        }
        // The story with the best mean similarity over its articles in the window, among
        // those this item links to often enough.
        let cutoff = date - window;
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
        for s in vectors.ids(text[i] as usize) {
            postings[*s as usize].push(i as u32);
        }
    }
    // The most central title, among those of at least `REPRESENTATIVE_MIN_WORDS` shingles
    // when the story has one: a short generic caption ("Venezuela US Sanctions") resembles
    // every title of a topic a little and would otherwise stand for stories it says nothing of.
    let words = |i: usize| vectors.ids(text[i] as usize).len();
    let representative: Vec<usize> = story_members
        .iter()
        .map(|m| {
            let long = m.iter().any(|&i| words(i) >= REPRESENTATIVE_MIN_WORDS);
            *m.iter()
                .filter(|&&i| !long || words(i) >= REPRESENTATIVE_MIN_WORDS)
                .max_by(|a, b| centrality[**a].total_cmp(&centrality[**b]).then(b.cmp(a)))
                .expect("a story has members")
        })
        .collect();
    // 6. Stories whose centres tell one event become one.
    let rep_text: Vec<u32> = representative.iter().map(|&r| text[r]).collect();
    let spans: Vec<(i64, i64)> =
        story_dates.iter().map(|d| (d[0], *d.last().expect("a story has dates"))).collect();
    let root = merge_siblings(&vectors, &rarest, &titles, &rep_text, &spans, settings);
    let mut renumber = vec![u32::MAX; root.len()];
    let mut roots = 0u32;
    for k in 0..root.len() {
        if root[k] as usize == k {
            renumber[k] = roots;
            roots += 1;
        }
    }
    for s in story.iter_mut() {
        *s = renumber[root[*s as usize] as usize];
    }
    let representative: Vec<usize> =
        representative.iter().enumerate().filter(|(k, _)| root[*k] as usize == *k).map(|(_, r)| *r).collect();
    let similarity = (0..n)
        .map(|i| {
            let r = representative[story[i] as usize];
            // Six decimals: the f32 arithmetic is exact to about 1e-7, so identical titles
            // read 1, not 0.99999994.
            if r == i {
                1.0
            } else {
                (vectors.cosine(text[i] as usize, text[r] as usize) * 1e6).round() / 1e6
            }
        })
        .collect();
    Clusters { story, similarity, representative, titles }
}

/// Per story (numbered by first appearance), the story it joins: itself, or an earlier
/// story whose representative title links to its own (the cosine at least the threshold of
/// their languages) and whose last article is at most `window_days` before its first. The
/// join rule keeps each step local to the articles of the window, so one event told over
/// more days than the window, or drifting in its words, can start a second story beside the
/// first (the US lifting sanctions on Delcy Rodríguez joined the story of her asking for it,
/// and its other reports made a story of their own, counted as the US side's alone). Their
/// most central titles still say the same thing; this step joins the later story to the
/// earlier. Only into a story that joined none: a story joined to another takes no third,
/// so nothing chains. Candidates come from the rarest shingles of each representative, as
/// in step 3.
fn merge_siblings(
    vectors: &Vectors,
    rarest: &[u32],
    titles: &Titles,
    rep_text: &[u32],
    spans: &[(i64, i64)],
    settings: &Settings,
) -> Vec<u32> {
    let window = i64::from(settings.window_days);
    let mut root: Vec<u32> = (0..rep_text.len() as u32).collect();
    // Shingle → the root stories whose representative has it, in order.
    let mut index: FxMap<u32, Vec<u32>> = FxMap::default();
    let mut seen: FxSet<u32> = FxSet::default();
    for k in 0..rep_text.len() {
        let t = rep_text[k] as usize;
        let shingles = &rarest[vectors.start[t] as usize..vectors.start[t + 1] as usize];
        seen.clear();
        let mut best: Option<(u32, f64)> = None;
        for s in shingles.iter().take(settings.block_shingles) {
            let Some(list) = index.get(s) else { continue };
            for &j in list.iter().rev().take(settings.block_cap) {
                if spans[k].0 - spans[j as usize].1 > window || !seen.insert(j) {
                    continue;
                }
                let other = rep_text[j as usize] as usize;
                let (a, b) = (titles.language[t], titles.language[other]);
                let threshold =
                    if a != b && a != 0 && b != 0 { settings.cross_threshold } else { settings.threshold };
                let sim = vectors.cosine(t, other);
                if sim >= threshold && best.is_none_or(|(_, s)| sim > s) {
                    best = Some((j, sim));
                }
            }
        }
        match best {
            Some((j, _)) => root[k] = j,
            None => {
                for s in shingles.iter().take(settings.block_shingles) {
                    index.entry(*s).or_default().push(k as u32);
                }
            }
        }
    }
    root
}

/// The baseline the clustering is measured against: one story per exact normalised title.
pub fn exact_titles(items: &[Item<'_>]) -> Vec<u32> {
    // Numbered by first appearance, as `intern` would number them.
    normalise_all_with(items, false).of
}

/// For numbers given by first appearance (0, 1, …, as [`intern`] and the clustering give
/// them), where each number first appears.
pub fn first_appearances(numbers: &[u32]) -> Vec<usize> {
    let mut firsts = Vec::new();
    for (i, k) in numbers.iter().enumerate() {
        if *k as usize == firsts.len() {
            firsts.push(i);
        }
    }
    firsts
}

/// How often each of the numbers `0..n` occurs in `numbers`.
fn tally(numbers: &[u32], n: usize) -> Vec<u32> {
    let mut counts = vec![0u32; n];
    for k in numbers {
        counts[*k as usize] += 1;
    }
    counts
}

/// Each value as a number, the values numbered by first appearance (0, 1, …): equal values,
/// equal numbers.
pub fn intern<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    values
        .into_iter()
        .map(|v| {
            let n = ids.len() as u32;
            *ids.entry(v).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(day: u32, title: &'a str, outlet: &'a str) -> Item<'a> {
        Item {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            title,
            outlet,
            outlet_id: outlet,
            language: None,
        }
    }

    /// Each item's normalised title.
    /// The titles with their suffixes cut, as the exact-title baseline reads them (the
    /// suffix rule is the same with the bridge; its words are plain).
    fn normalised(items: &[Item<'_>]) -> Vec<String> {
        let t = normalise_all_with(items, false);
        (0..items.len()).map(|i| t.get(i).to_string()).collect()
    }

    #[test]
    fn outlet_suffixes_go_spaced_or_not_and_other_hyphens_stay() {
        let items = [
            item(1, "Japan posts trade deficit for 5th straight year in 2025-Xinhua", "xinhua"),
            item(1, "Japan posts trade deficit for 5th straight year in 2025", "xinhua"),
            item(1, "Indo-Pacific drills begin - China Daily", "china-daily"),
            item(1, "Year-end sales | El Colombiano", "elcolombiano"),
        ];
        let n = normalised(&items);
        assert_eq!(n[0], "japan posts trade deficit for th straight year in");
        assert_eq!(n[0], n[1]);
        assert_eq!(n[2], "indo pacific drills begin");
        assert_eq!(n[3], "year end sales");
    }

    #[test]
    fn a_tail_that_recurs_in_three_titles_is_a_suffix_and_rarer_or_longer_tails_stay() {
        // "Daily Planet" is no outlet of these items, but ends three titles: a suffix. "Two
        // Times" ends two: kept. A six-word tail is never a suffix, however often it recurs.
        let six = "one two three four five six";
        let titles = [
            "Steel talks resume - Daily Planet".to_string(),
            "Port strike ends - Daily  Planet!".to_string(),
            "Rain floods valley - daily planet".to_string(),
            "Budget passes - Two Times".to_string(),
            "Budget fails - Two Times".to_string(),
            format!("Alpha - {six}"),
            format!("Beta - {six}"),
            format!("Gamma - {six}"),
        ];
        let items: Vec<Item<'_>> = titles.iter().map(|t| item(1, t, "wire")).collect();
        let n = normalised(&items);
        assert_eq!(&n[..3], ["steel talks resume", "port strike ends", "rain floods valley"]);
        assert_eq!(&n[3..5], ["budget passes two times", "budget fails two times"]);
        assert_eq!(n[5], format!("alpha {six}"));
    }

    #[test]
    fn repeated_titles_count_once_each_for_the_suffix_rule_and_share_one_text() {
        // "Daily Planet" ends three titles, two of them the same title repeated: still three.
        let items = [
            item(1, "Steel talks resume - Daily Planet", "wire"),
            item(1, "Steel talks resume - Daily Planet", "wire"),
            item(2, "Port strike ends - Daily Planet", "wire"),
            item(2, "Steel talks resume", "wire"),
        ];
        let t = normalise_all_with(&items, false);
        assert_eq!(t.texts, ["steel talks resume", "port strike ends"]);
        assert_eq!(t.of, [0, 0, 1, 0]);
    }

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
        let (v, _) = vectors(&Titles {
            of: (0..titles.len() as u32).collect(),
            language: vec![0; titles.len()],
            texts: titles.clone(),
        });
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

    #[test]
    fn skipping_the_needless_openers_changes_no_story() {
        // 1,500 titles over 30 days from a skewed vocabulary: a few words in most titles
        // (long postings), many rare ones, so titles share common words without being alike
        // and some repeat. Pseudo-random, fixed seed.
        let vocabulary: Vec<String> =
            (0..300).map(|k| format!("w{}", char::from(b'a' + (k % 26) as u8)).repeat(1 + k / 26)).collect();
        let mut seed = 12345u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        let titles: Vec<String> = (0..1500)
            .map(|_| {
                let words = 3 + next(8);
                // A word's index is the smaller of two draws, often twice: low indices are common.
                (0..words)
                    .map(|_| vocabulary[next(300).min(next(300)).min(next(300))].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let items: Vec<Item<'_>> =
            titles.iter().enumerate().map(|(k, t)| item(1 + (k / 50) as u32, t, "wire")).collect();
        for settings in [
            Settings::default(),
            // Walks cut at 3 postings: the skipped openers are walked again.
            Settings { block_cap: 3, ..Settings::default() },
            Settings { threshold: 0.5, ..Settings::default() },
        ] {
            assert_eq!(
                cluster_with(&items, &settings, true, true),
                cluster_with(&items, &settings, false, true)
            );
        }
        // The fixture exercises the skip: some titles need fewer openers than they have.
        let t = normalise_all(&items);
        let (v, rarest) = vectors(&t);
        let needed = openers_needed(&v, &rarest, Settings::default().threshold);
        let fewer = (0..t.texts.len()).filter(|&k| (needed[k] as usize) < v.ids(k).len()).count();
        assert!(fewer > t.texts.len() / 4, "{fewer} of {} titles skip an opener", t.texts.len());
        // And it links: not every article is a story of its own.
        let c = cluster(&items, &Settings::default());
        assert!(c.representative.len() < items.len() * 9 / 10);
    }

    #[test]
    fn a_walk_cut_at_the_cap_walks_the_skipped_openers_too() {
        // "gamma" is in 200 titles of day 1, so i = "alpha gamma" needs only its rarer
        // "alpha" to open candidates (gamma's weight is about 0.2, under the 0.3 threshold).
        // But alpha's walk, capped at 3, stops at the four newer "alpha …" titles (six
        // unique words each: similarity about 0.27, no link) and never reaches j, the same
        // title two days earlier: only the gamma walk finds j, the one link of i.
        let letters =
            |k: usize| (0..3).map(|d| char::from(b'a' + (k / 26usize.pow(d) % 26) as u8)).collect::<String>();
        let others: Vec<String> = (0..4)
            .map(|k| format!("alpha {}", (0..6).map(|w| letters(k * 6 + w)).collect::<Vec<_>>().join(" ")))
            .collect();
        let mut items: Vec<Item<'_>> = (0..200).map(|_| item(1, "gamma", "wire")).collect();
        items.push(item(8, "alpha gamma", "wire"));
        items.extend(others.iter().map(|t| item(10, t, "wire")));
        items.push(item(10, "alpha gamma", "wire"));
        let settings = Settings { block_cap: 3, ..Settings::default() };
        let c = cluster(&items, &settings);
        let (i, j) = (items.len() - 1, 200);
        assert_eq!(c.story[i], c.story[j]);
        assert_eq!(c, cluster_with(&items, &settings, false, true));
        let t = normalise_all(&items);
        let (v, rarest) = vectors(&t);
        assert_eq!(openers_needed(&v, &rarest, settings.threshold)[t.of[i] as usize], 1);
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
