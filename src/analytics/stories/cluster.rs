//! Story clustering: the articles of one topic that tell the same event, across days, sides,
//! outlets and languages. Pure Rust over plain rows; [`super`] turns the result into tables.
//! One file per step:
//!
//! 1. **Normalise** each title ([`super::normalise`]): drop the outlet suffix a feed appends
//!    (` - Xinhua`, `| El Colombiano`, `2025-Xinhua`), then read it into one vocabulary
//!    across languages ([`super::bridge`]: accents, numbers, the es→en glossary, stems).
//! 2. **Shingles** ([`super::shingles`]): words for spaced scripts, character bigrams for
//!    Chinese and Japanese runs, weighted by their inverse document frequency in the topic
//!    (rare words say more), as unit vectors.
//! 3. **Candidates by blocking** ([`Clusterer::candidates`]): an inverted index from shingle
//!    to the articles of the last `window_days` days. Only the rarest shingles of a title
//!    open candidates, and each walks at most [`Settings::block_cap`] postings, so the work
//!    per article is bounded whatever the corpus size. No all-pairs comparison.
//! 4. **Link** ([`Clusterer::link`]) a candidate pair when the cosine similarity of their
//!    weighted shingles is at least `threshold` (`cross_threshold` across languages).
//! 5. **Join, without chaining** ([`Clusterer::join`]): articles are taken in date order; an
//!    article joins the story it is most similar to on average, but only if it links to at
//!    least `join_fraction` of that story's articles of the window. One bridge article
//!    similar to two stories joins one of them; it cannot pull the second into the first, as
//!    single-link connected components would.
//! 6. **Join stories whose centres agree** ([`super::merge`]): a story joins an earlier one
//!    of the window whose representative title links to its own, into a story that joined
//!    none.
//!
//! Everything is deterministic: input order is fixed by (date, digest, position) and ties
//! go to the earlier story.

use chrono::Datelike;

pub use super::item::Titles;
use super::merge::merge_siblings;
use super::normalise::normalise_all_with;
pub use super::normalise::{normalise, normalise_all};
pub use super::numbers::{first_appearances, intern};
pub use super::shingles::shingles;
use super::shingles::{openers_needed, vectors, Vectors};

pub use super::item::Item;
pub use crate::analytics::base::{StorySettings as Settings, CROSS_THRESHOLD};

/// Shingles a title needs to stand for its story when the story has such a title.
const REPRESENTATIVE_MIN_WORDS: usize = 5;

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

/// Clusters one topic's items, which must be sorted by date (then digest and position).
pub fn cluster(items: &[Item<'_>], settings: &Settings) -> Clusters {
    cluster_with(items, settings, true, true)
}

/// [`cluster`] over titles compared within their own language only (no [`super::bridge`]): the
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
    let mut c = Clusterer::new(items, settings, &titles, &vectors, &rarest, needed);
    for i in 0..items.len() {
        let (found, fresh) = c.candidates(i);
        c.link(i, found, fresh);
        c.join(i);
    }
    let (story, representative) = c.stories();
    let similarity = (0..items.len())
        .map(|i| {
            let r = representative[story[i] as usize];
            // Six decimals: the f32 arithmetic is exact to about 1e-7, so identical titles
            // read 1, not 0.99999994.
            if r == i {
                1.0
            } else {
                (vectors.cosine(titles.of[i] as usize, titles.of[r] as usize) * 1e6).round() / 1e6
            }
        })
        .collect();
    Clusters { story, similarity, representative, titles }
}

/// Steps 3 to 6 over one topic's items, taken in order: the postings of the window, the
/// similarities met, the stories so far. [`Clusterer::candidates`], [`Clusterer::link`] and
/// [`Clusterer::join`] take item `i` through steps 3, 4 and 5; [`Clusterer::stories`] picks
/// each story's representative and runs step 6.
struct Clusterer<'c> {
    settings: &'c Settings,
    titles: &'c Titles,
    vectors: &'c Vectors,
    /// Per title its shingles rarest first, in the vectors' arena layout.
    rarest: &'c [u32],
    /// Per title, the openers step 3 needs ([`openers_needed`]; all when not pruning).
    needed: Vec<u32>,
    /// Dates as day numbers: the window test runs for every candidate.
    day: Vec<i64>,
    /// Postings per shingle id (ids are dense): the items that have it, in order.
    postings: Vec<Vec<u32>>,
    story: Vec<u32>,
    /// Per story: its members' dates in order (for the window count) and items.
    story_dates: Vec<Vec<i64>>,
    story_members: Vec<Vec<usize>>,
    centrality: Vec<f64>,
    /// The last item each item was met as a candidate of.
    seen: Vec<usize>,
    /// Item `i`'s links: (item, similarity).
    links: Vec<(usize, f64)>,
    /// Item `i`'s weights scattered by shingle id.
    dense: Vec<f32>,
    /// Per distinct title, its similarity to the current item once computed (`memo_for`:
    /// the item it was computed for): reprints in the window cost one lookup each.
    memo: Vec<f64>,
    memo_for: Vec<usize>,
    /// The item's candidates and their distinct titles, in the order first met. Appended
    /// without a branch (written, then counted only when new): whether a posting is new is
    /// a coin toss the branch predictor loses, and the walk is most of the clustering.
    cands: Vec<usize>,
    fresh_texts: Vec<u32>,
}

impl<'c> Clusterer<'c> {
    fn new(
        items: &[Item<'_>],
        settings: &'c Settings,
        titles: &'c Titles,
        vectors: &'c Vectors,
        rarest: &'c [u32],
        needed: Vec<u32>,
    ) -> Clusterer<'c> {
        let n = items.len();
        let shingles = rarest.iter().max().map_or(0, |m| *m as usize + 1);
        let most = settings.block_shingles.saturating_mul(settings.block_cap).min(n);
        Clusterer {
            settings,
            titles,
            vectors,
            rarest,
            needed,
            day: items.iter().map(|it| i64::from(it.date.num_days_from_ce())).collect(),
            postings: vec![Vec::new(); shingles],
            story: vec![0u32; n],
            story_dates: Vec::new(),
            story_members: Vec::new(),
            centrality: vec![0f64; n],
            seen: vec![usize::MAX; n],
            links: Vec::new(),
            dense: vec![0f32; shingles],
            memo: vec![0f64; titles.texts.len()],
            memo_for: vec![usize::MAX; titles.texts.len()],
            cands: vec![0usize; most],
            fresh_texts: vec![0u32; most],
        }
    }

    /// Step 3: item `i`'s candidates, the items of the window met on the postings of its
    /// rarest shingles, into `cands[..found]`, and their distinct titles not yet met this
    /// round into `fresh_texts[..fresh]`. Returns `(found, fresh)`.
    fn candidates(&mut self, i: usize) -> (usize, usize) {
        let (settings, text) = (self.settings, &self.titles.of);
        let (date, window) = (self.day[i], i64::from(settings.window_days));
        let t = text[i] as usize;
        let rarest = &self.rarest[self.vectors.start[t] as usize..self.vectors.start[t + 1] as usize];
        let (mut found, mut fresh) = (0, 0);
        // The needless openers are skipped only while every walk so far met all the
        // postings of its window: a walk cut at `block_cap` may have missed an item the
        // commoner shingles would reach, so then they are walked as before.
        let mut cut = false;
        for (k, s) in rarest.iter().take(settings.block_shingles).enumerate() {
            if k >= self.needed[t] as usize && !cut {
                break;
            }
            let list = &self.postings[*s as usize];
            let mut walked = 0;
            for j in list.iter().rev().take(settings.block_cap).map(|&j| j as usize) {
                if date - self.day[j] > window {
                    break;
                }
                walked += 1;
                let tj = text[j];
                let new_item = self.seen[j] != i;
                self.seen[j] = i;
                self.cands[found] = j;
                found += usize::from(new_item);
                // An item met before this round had its title marked then.
                let new_text = self.memo_for[tj as usize] != i;
                self.memo_for[tj as usize] = i;
                self.fresh_texts[fresh] = tj;
                fresh += usize::from(new_text);
            }
            cut |= walked == settings.block_cap && list.len() > walked;
        }
        (found, fresh)
    }

    /// Step 4: item `i`'s links, the candidates whose similarity reaches the threshold of
    /// their two languages, into `links`.
    fn link(&mut self, i: usize, found: usize, fresh: usize) {
        let (settings, titles, text) = (self.settings, self.titles, &self.titles.of);
        self.links.clear();
        self.vectors.scatter(&mut self.dense, text[i] as usize, false);
        for &t in &self.fresh_texts[..fresh] {
            self.memo[t as usize] = self.vectors.cosine_dense(&self.dense, t as usize);
        }
        self.vectors.scatter(&mut self.dense, text[i] as usize, true);
        for &j in &self.cands[..found] {
            let sim = self.memo[text[j] as usize];
            if sim >= titles.link_threshold(text[i] as usize, text[j] as usize, settings) {
                self.links.push((j, sim));
            }
        }
    }

    /// Step 5: item `i` joins the story it is most similar to on average over the story's
    /// articles in the window, among those it links to at least `join_fraction` of, or
    /// starts a story; then its shingles' postings take it.
    fn join(&mut self, i: usize) {
        let date = self.day[i];
        let cutoff = date - i64::from(self.settings.window_days);
        let mut per_story: Vec<(u32, usize, f64)> = Vec::new();
        for &(j, sim) in &self.links {
            match per_story.iter_mut().find(|p| p.0 == self.story[j]) {
                Some(p) => {
                    p.1 += 1;
                    p.2 += sim;
                }
                None => per_story.push((self.story[j], 1, sim)),
            }
        }
        let best = per_story
            .iter()
            .filter_map(|&(k, linked, sum)| {
                let dates = &self.story_dates[k as usize];
                let in_window = dates.len() - dates.partition_point(|d| *d < cutoff);
                (linked as f64 >= self.settings.join_fraction * in_window as f64)
                    .then_some((k, sum / in_window as f64))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let k = match best {
            Some((k, _)) => {
                for &(j, sim) in self.links.iter().filter(|(j, _)| self.story[*j] == k) {
                    self.centrality[i] += sim;
                    self.centrality[j] += sim;
                }
                k
            }
            None => {
                self.story_dates.push(Vec::new());
                self.story_members.push(Vec::new());
                (self.story_dates.len() - 1) as u32
            }
        };
        self.story[i] = k;
        self.story_dates[k as usize].push(date);
        self.story_members[k as usize].push(i);
        for s in self.vectors.ids(self.titles.of[i] as usize) {
            self.postings[*s as usize].push(i as u32);
        }
    }

    /// Each item's story and each story's representative, once every item has joined: the
    /// most central title, among those of at least `REPRESENTATIVE_MIN_WORDS` shingles when
    /// the story has one (a short generic caption, "Venezuela US Sanctions", resembles every
    /// title of a topic a little and would otherwise stand for stories it says nothing of);
    /// then step 6 joins the stories whose representatives say the same, and the stories
    /// are numbered again by first appearance.
    fn stories(self) -> (Vec<u32>, Vec<usize>) {
        let text = &self.titles.of;
        let words = |i: usize| self.vectors.ids(text[i] as usize).len();
        let representative: Vec<usize> = self
            .story_members
            .iter()
            .map(|m| {
                let long = m.iter().any(|&i| words(i) >= REPRESENTATIVE_MIN_WORDS);
                *m.iter()
                    .filter(|&&i| !long || words(i) >= REPRESENTATIVE_MIN_WORDS)
                    .max_by(|a, b| self.centrality[**a].total_cmp(&self.centrality[**b]).then(b.cmp(a)))
                    .expect("a story has members")
            })
            .collect();
        let rep_text: Vec<u32> = representative.iter().map(|&r| text[r]).collect();
        let spans: Vec<(i64, i64)> =
            self.story_dates.iter().map(|d| (d[0], *d.last().expect("a story has dates"))).collect();
        let root = merge_siblings(self.vectors, self.rarest, self.titles, &rep_text, &spans, self.settings);
        let mut renumber = vec![u32::MAX; root.len()];
        let mut roots = 0u32;
        for k in 0..root.len() {
            if root[k] as usize == k {
                renumber[k] = roots;
                roots += 1;
            }
        }
        let mut story = self.story;
        for s in story.iter_mut() {
            *s = renumber[root[*s as usize] as usize];
        }
        let representative = representative
            .iter()
            .enumerate()
            .filter(|(k, _)| root[*k] as usize == *k)
            .map(|(_, r)| *r)
            .collect();
        (story, representative)
    }
}

/// The baseline the clustering is measured against: one story per exact normalised title.
pub fn exact_titles(items: &[Item<'_>]) -> Vec<u32> {
    // Numbered by first appearance, as `intern` would number them.
    normalise_all_with(items, false).of
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub(crate) fn item<'a>(day: u32, title: &'a str, outlet: &'a str) -> Item<'a> {
        Item {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            title,
            outlet,
            outlet_id: outlet,
            language: None,
        }
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
